"""The words of the domain that records hold: verdicts, directions, partners' kinds and needs.

Plain enumerations, with no validation library behind them, so that anything
may use them without paying for one.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """How a contact point went."""

    SUCCESS = "success"
    NEEDS_IMPROVEMENT = "needs-improvement"

    @property
    def label(self) -> str:
        """Return the verdict as words, readable without colour."""
        return "success" if self is Verdict.SUCCESS else "needs improvement"

    @property
    def symbol(self) -> str:
        """Return a mark that tells the verdicts apart without colour."""
        return "✓" if self is Verdict.SUCCESS else "✗"

    def toggled(self) -> Verdict:
        """Return the other verdict."""
        return Verdict.NEEDS_IMPROVEMENT if self is Verdict.SUCCESS else Verdict.SUCCESS


class Direction(StrEnum):
    """Which way the service went in a contact point."""

    PROVIDED = "provided"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        """Return the direction as words."""
        return "we served them" if self is Direction.PROVIDED else "they served us"

    @property
    def short(self) -> str:
        """Return the direction for a narrow column: who served whom, by an arrow."""
        return "we → them" if self is Direction.PROVIDED else "them → us"


class Relationship(StrEnum):
    """Which way a partner's relationship with the team runs."""

    CUSTOMER = "customer"
    PROVIDER = "provider"
    BOTH = "both"

    @property
    def label(self) -> str:
        """Return the relationship as words."""
        return {
            Relationship.CUSTOMER: "we serve them",
            Relationship.PROVIDER: "they serve us",
            Relationship.BOTH: "both ways",
        }[self]

    @classmethod
    def for_direction(cls, direction: Direction) -> Relationship:
        """Return the relationship implied by a first contact point in this direction."""
        return cls.CUSTOMER if direction is Direction.PROVIDED else cls.PROVIDER


class PartnerKind(StrEnum):
    """What sort of partner this is."""

    PERSON = "person"
    TEAM = "team"
    DEPARTMENT = "department"


class Priority(StrEnum):
    """How much the relationship matters to the team now."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Need(StrEnum):
    """What a segment of internal customers needs from the team."""

    INFORMATION = "information"
    ADVICE = "advice"
    SPEED = "speed"
    RELIABILITY = "reliability"
    QUALITY = "quality"
    AVAILABILITY = "availability"


class InterviewStatus(StrEnum):
    """How far an interview with a partner has got."""

    PLANNED = "planned"
    HELD = "held"
    DEBRIEFED = "debriefed"

    @property
    def label(self) -> str:
        """Return the status as words: "debriefed" says the co-workers heard how it went."""
        return self.value


class Side(StrEnum):
    """Whose promise a standard is: the team's to its partner, or the partner's to the team."""

    OURS = "ours"
    THEIRS = "theirs"

    @property
    def label(self) -> str:
        """Return the side as the workshop names it: a standard, or a partnering rule."""
        return "standard" if self is Side.OURS else "partnering rule"

    @property
    def short(self) -> str:
        """Return who keeps the promise, for a narrow column."""
        return "we" if self is Side.OURS else "they"


class Cadence(StrEnum):
    """How often a standard is checked: once per calendar week, month or quarter."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def period_name(self) -> str:
        """Return the period a check-in covers: "week", "month" or "quarter"."""
        return {"weekly": "week", "monthly": "month", "quarterly": "quarter"}[self.value]


class StandardStatus(StrEnum):
    """Where a standard stands with its partner."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    RETIRED = "retired"


class CheckInResult(StrEnum):
    """Whether a standard was kept in one period."""

    MET = "met"
    NOT_MET = "not-met"
    NOT_MEASURED = "not-measured"

    @property
    def label(self) -> str:
        """Return the result as words."""
        return self.value.replace("-", " ")

    @property
    def symbol(self) -> str:
        """Return a mark that tells the results apart without colour: ✓, ✗ or –."""
        return {"met": "✓", "not-met": "✗", "not-measured": "–"}[self.value]


class DebriefStatus(StrEnum):
    """Whether a debrief is still being prepared, or was held with the co-workers."""

    DRAFT = "draft"
    HELD = "held"


class DebriefSection(StrEnum):
    """Which part of a debrief's recap a point belongs to."""

    FINDING = "finding"
    RESULT = "result"
    ISSUE = "issue"
