"""The partner map: each partner's place (who serves whom, how much it matters, what it needs).

The workshop's map of internal customers and providers, as team data: a
partner's relationship, kind, segment, priority and needs, edited in one
form, and how the last twelve months of contact points with it went.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship, Verdict
from ictui.teamfile.lane import breathing
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.transaction import Transaction
from ictui.text import fold_case, one_line

DRAFT_FIELDS = ("name", "relationship", "kind", "segment", "priority", "needs", "notes")
"""A partner's fields as its form edits them, in the form's order."""

PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
"""The map lists the partners that matter most first."""

KIND_LABELS = {
    PartnerKind.PERSON: "a person",
    PartnerKind.TEAM: "a team",
    PartnerKind.DEPARTMENT: "a department",
}


@dataclass(frozen=True)
class PartnerDraft:
    """A partner as its form holds it: every field as a person edits it, needs as words."""

    name: str
    relationship: Relationship = Relationship.CUSTOMER
    kind: PartnerKind = PartnerKind.TEAM
    segment: str = ""
    priority: Priority = Priority.MEDIUM
    needs: str = ""
    """The needs as typed: words from NEED_WORDS, split by commas or spaces."""
    notes: str = ""

    @classmethod
    def of(cls, partner: Partner) -> PartnerDraft:
        """Return a partner as its form holds it."""
        values = {name: getattr(partner, name) for name in DRAFT_FIELDS}
        values["needs"] = needs_in_words(partner.needs)
        return cls(**values)


LIKE_AN_ID = re.compile(r"#\s*\d+")
"""A name the command line would read as a partner's id (`#5`): never given to a partner."""


def needs_in_words(needs: Iterable[Need]) -> str:
    """Return needs as the form shows them: "speed, reliability"."""
    return ", ".join(need.value for need in needs)


NEED_WORDS = needs_in_words(Need)
"""Every need, in words, in Need's order: what the needs field takes."""


def read_needs(text: str) -> tuple[tuple[Need, ...], list[str]]:
    """Return the needs named in text, once each in Need's order, and the words that are none."""
    known = {need.value: need for need in Need}
    chosen: set[Need] = set()
    unknown: list[str] = []
    for word in re.split(r"[\s,;]+", text.strip().casefold()):
        if not word:
            continue
        need = known.get(word)
        if need is None:
            unknown.append(word)
        else:
            chosen.add(need)
    return tuple(need for need in Need if need in chosen), unknown


def check_partner(draft: PartnerDraft) -> Checked[Partner]:
    """Check a partner's fields without touching the team file; InvalidInput naming each bad one."""
    values: dict[str, object] = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    needs, unknown = read_needs(draft.needs)
    values["needs"] = needs
    problems: list[tuple[str, str]] = []
    if LIKE_AN_ID.fullmatch(draft.name.strip()):
        problems.append(
            ("name", f"{draft.name.strip()!r} is how the command line names a partner by id")
        )
    if unknown:
        words = ", ".join(repr(one_line(word)) for word in unknown[:3])
        problems.append(("needs", f"holds {words}: a need is one of {NEED_WORDS}"))
    try:
        checked = schema_of(Partner).check(values)
    except InvalidInput as error:
        problems = error.problems + problems
        checked = None
    if problems or checked is None:
        raise InvalidInput(Partner.LABEL, problems)
    return checked


def namesake(
    partners: Iterable[Partner], name: str, partner_id: int | None, *, archived: bool = False
) -> Partner | None:
    """Return a live (or archived) partner but partner_id whose name prints like name, if any."""
    key = fold_case(name)
    for partner in partners:
        if (
            partner.id != partner_id
            and partner.deleted == archived
            and fold_case(partner.name) == key
        ):
            return partner
    return None


def name_taken(other: Partner) -> InvalidInput:
    """Refuse a name a live partner has: two partners must not print alike."""
    return InvalidInput(
        Partner.LABEL,
        [("name", f"is taken: partner {other.id} is called {other.name!r}")],
    )


@dataclass(frozen=True)
class SavePartner:
    """Add a partner, or change one last seen at expected_rev: a write."""

    draft: PartnerDraft
    record_id: int | None = None
    expected_rev: int = 0
    restore: bool = False
    """The partner was archived meanwhile: bring it back with the change, in one write."""
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    what: str = "save the partner"

    @property
    def creates(self) -> bool:
        """Whether this write may start a team file that does not exist yet."""
        return self.record_id is None

    def apply(self, tx: Transaction) -> Partner:
        """Write the partner; refused if a live partner has its name (checked under the lock)."""
        checked = check_partner(self.draft)
        other = namesake(tx.all(Partner), checked.values["name"], self.record_id)
        if other is not None:
            raise name_taken(other)
        changes = {name: checked.values[name] for name in DRAFT_FIELDS}
        if self.record_id is None:
            archived = namesake(
                tx.all(Partner, include_deleted=True), checked.values["name"], None, archived=True
            )
            if archived is None:
                return tx.add(checked)
            # Its name, archived: brought back with what was given, not doubled.
            back = tx.restore(Partner, archived.id, archived.rev)
            return tx.update(Partner, back.id, back.rev, changes)
        rev, chained = self.expected_rev, self.chained
        if self.restore:
            rev, chained = tx.restore(Partner, self.record_id, rev, chained=chained).rev, False
        return tx.update(Partner, self.record_id, rev, changes, chained=chained)


@dataclass
class PartnerYear:
    """How the last twelve months went with one partner: verdicts counted, the last contact."""

    success: int = 0
    needs_improvement: int = 0
    last_contact: dt.date | None = None
    interviews: int = 0
    standards: int = 0
    last_points: list[ContactPoint] = field(default_factory=list)
    """Its newest contact points, newest first (a few, for the detail)."""

    @property
    def total(self) -> int:
        """Return how many contact points were counted."""
        return self.success + self.needs_improvement


YEAR = 365
"""Days a partner's row looks back over."""
LAST_POINTS = 3
"""Contact points the detail shows of each partner."""


def partner_year(snapshot: Snapshot, today: dt.date) -> dict[int, PartnerYear]:
    """Return each partner's last twelve months, by id: only partners with something in them."""
    from ictui.kinds.interview import Interview
    from ictui.kinds.standard import Standard
    from ictui.kinds.vocab import StandardStatus

    years: dict[int, PartnerYear] = {}
    since = today - dt.timedelta(days=YEAR)
    points = snapshot.between(ContactPoint, "date", since, today)
    for point in breathing(points):
        if point.deleted:
            continue
        year = years.get(point.partner_id)
        if year is None:
            year = years[point.partner_id] = PartnerYear()
        if point.verdict is Verdict.SUCCESS:
            year.success += 1
        else:
            year.needs_improvement += 1
        if year.last_contact is None or point.date > year.last_contact:
            year.last_contact = point.date
        year.last_points.append(point)
    for year in years.values():
        year.last_points.sort(key=lambda p: (p.date, p.id), reverse=True)
        del year.last_points[LAST_POINTS:]
    for interview in snapshot.all(Interview):
        years.setdefault(interview.partner_id, PartnerYear()).interviews += 1
    for standard in snapshot.all(Standard):
        if standard.status is not StandardStatus.RETIRED:
            years.setdefault(standard.partner_id, PartnerYear()).standards += 1
    return years


def map_order(partners: Iterable[Partner]) -> list[Partner]:
    """Return partners as the map lists them: high priority first, then by name."""
    return sorted(partners, key=lambda p: (PRIORITY_ORDER[p.priority], fold_case(p.name)))
