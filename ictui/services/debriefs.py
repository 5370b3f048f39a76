"""Debriefs of held interviews: starting one pre-filled, reading a recap, and its balance.

A debrief is four kinds of record (``ictui.kinds.debrief``). Starting one
writes the debrief and its first points in one transaction, pre-filled from
the interview's worksheet so that a lead edits rather than retypes: the
set-up says who, when and both ratings with the gap; the first question and
its answer open it; the other answers are findings, the partner's
conclusions (with the behaviors behind them) issues, and the guideline's
unticked points a caution. After that each point, resolution and reaction
is added on its own, and the paragraphs are saved field by field.

The balance check is advice, never a block: it counts results, issues,
resolutions and standards, and warns of issues with neither a resolution nor
a standard, of a recap with no good news, and of one whose issues outnumber
everything else (the messenger gets shot).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from ictui.errors import IctuiError, InvalidInput, RecordNotFound
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefReaction, DebriefResolution
from ictui.kinds.interview import POSITION_MAX, ChecklistTick, Interview
from ictui.kinds.partner import Partner
from ictui.kinds.rules import LONG_TEXT_MAX
from ictui.kinds.schema import schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.vocab import DebriefSection, DebriefStatus, InterviewStatus
from ictui.services.interviews import Gap, Worksheet, gap_of, worksheet
from ictui.services.standards import Standing, standing_of
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.transaction import Transaction
from ictui.text import counted, listed, one_line

Records = Snapshot | Transaction
"""What debriefs are read from: the team file as read, or a transaction under way."""

Part = TypeVar("Part", DebriefPoint, DebriefResolution, DebriefReaction)

FINDING, RESULT, ISSUE = DebriefSection.FINDING, DebriefSection.RESULT, DebriefSection.ISSUE


class DebriefExists(IctuiError):
    """The interview has a debrief already: open it rather than start a second one."""

    def __init__(self, interview_id: int, debrief_id: int) -> None:
        super().__init__(f"interview {interview_id} has debrief {debrief_id} already")
        self.interview_id = interview_id
        self.debrief_id = debrief_id


# -- pre-filling from the interview ---------------------------------------------------------------


def ratings_words(gap: Gap) -> str:
    """Both ratings and the gap, as a recap tells co-workers: "we rated … they rated …: 3 below"."""
    ours, theirs, difference = gap.ours, gap.theirs, gap.difference
    if difference is not None:
        if difference == 0:
            how = "the same as ours"
        else:
            how = f"{abs(difference)} {'below' if difference < 0 else 'above'} ours"
        return f"we rated our service {ours} before the talk; they rated it {theirs}: {how}"
    if ours is not None:
        return f"we rated our service {ours} before the talk; they gave no rating"
    if theirs is not None:
        return f"they rated our service {theirs}; we gave no rating before the talk"
    return "no ratings were given"


def set_up_words(sheet: Worksheet) -> str:
    """How the interview was set up, from its worksheet: who, when, how long, by whom, ratings."""
    interview = sheet.interview
    when = interview.planned_on.isoformat()
    if interview.planned_time:
        when += f" at {interview.planned_time}"
    said = f"Interview with {sheet.partner} on {when}"
    if interview.minutes is not None:
        said += f", about {interview.minutes} minutes"
    if interview.interviewers:
        said += f", held by {interview.interviewers}"
    return f"{said}.\n{ratings_words(sheet.gap).capitalize()}."


CAUTION_OPENING = "The interview left these points of the guideline unticked:"
"""How a caution of unticked points begins."""
CAUTION_ITEM = "- "
"""How each point of a caution begins: the recap makes such lines the items of a list."""


def caution_words(unticked: Sequence[ChecklistTick]) -> str:
    """The guideline's points left unticked, as a caution that fits a paragraph ("" if none)."""
    if not unticked:
        return ""
    lines = [CAUTION_OPENING]
    for number, tick in enumerate(unticked):
        line = f"{CAUTION_ITEM}{one_line(tick.step)}: {one_line(tick.point)}"
        left = len(unticked) - number
        # Stop while "… and N more" still fits: a long checklist must not overflow the field.
        if sum(len(x) + 1 for x in lines) + len(line) + 30 > LONG_TEXT_MAX and left > 1:
            lines.append(f"{CAUTION_ITEM}… and {left} more")
            break
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Prefill:
    """What a new debrief starts with: its paragraphs, and its points in order."""

    values: dict[str, Any]
    """The debrief's own fields, but for the interview it recaps."""
    points: tuple[dict[str, Any], ...]
    """Each point's fields, but for the debrief it belongs to."""


def prefill(sheet: Worksheet) -> Prefill:
    """Return what a debrief of this worksheet starts with; nothing is written."""
    answers = [answer for answer in sheet.answers if answer.answer.strip()]
    opening = sheet.answers[0] if sheet.answers else None
    values = {
        "set_up": set_up_words(sheet),
        "opening_question": opening.question if opening else "",
        "first_reactions": opening.answer if opening else "",
        "caution": caution_words(sheet.unticked),
    }
    findings = [
        {"section": FINDING, "text": a.answer, "question": a.question}
        for a in answers
        if opening is None or a.id != opening.id
    ]
    issues = [
        {"section": ISSUE, "text": c.conclusion, "detail": c.behaviors} for c in sheet.conclusions
    ]
    points: list[dict[str, Any]] = []
    for section in (findings, issues):
        # The worksheet keeps positions under POSITION_MAX; so does a debrief's section.
        points += [
            {**point, "position": n} for n, point in enumerate(section[:POSITION_MAX], start=1)
        ]
    return Prefill(values, tuple(points))


# -- starting one --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """A debrief as started, with the points it was pre-filled with."""

    debrief: Debrief
    points: tuple[DebriefPoint, ...]


def debrief_of(records: Records, interview_id: int) -> Debrief | None:
    """Return an interview's live debrief, if it has one."""
    return next((d for d in records.all(Debrief) if d.interview_id == interview_id), None)


def start_debrief(tx: Transaction, interview_id: int) -> Started:
    """Start a debrief of a held interview in tx, pre-filled from its worksheet, in one write.

    IctuiError if the interview is deleted or still planned; DebriefExists if
    it has a debrief already (its id says which to open).
    """
    interview = tx.get(Interview, interview_id)
    if interview.deleted:
        raise IctuiError(
            f"interview {interview_id} is deleted: restore it first "
            f"(`ictui interview restore {interview_id}`)"
        )
    if interview.status is InterviewStatus.PLANNED:
        raise IctuiError(
            f"interview {interview_id} is planned, not held: a debrief recaps a held "
            "interview; mark it held first"
        )
    existing = debrief_of(tx, interview_id)
    if existing is not None:
        raise DebriefExists(interview_id, existing.id)
    filled = prefill(worksheet(tx, interview_id))
    debrief = tx.add(schema_of(Debrief).check({"interview_id": interview_id, **filled.values}))
    check = schema_of(DebriefPoint).check
    points = tuple(tx.add(check({"debrief_id": debrief.id, **p})) for p in filled.points)
    return Started(debrief, points)


@dataclass(frozen=True)
class StartDebrief:
    """Start a debrief of a held interview, pre-filled from it: a write for the app's queue."""

    interview_id: int
    what: str = "start the debrief"
    creates = False

    def apply(self, tx: Transaction) -> Started:
        """Start it; IctuiError if the interview is planned, DebriefExists if it has one."""
        return start_debrief(tx, self.interview_id)


# -- adding to one --------------------------------------------------------------------------------


def _live_debrief(tx: Transaction, debrief_id: int) -> Debrief:
    debrief = tx.get(Debrief, debrief_id)
    if debrief.deleted:
        raise IctuiError(
            f"debrief {debrief_id} is deleted: restore it first "
            f"(`ictui debrief restore {debrief_id}`)"
        )
    return debrief


def _next_position(positions: Iterable[int]) -> int:
    return max(positions, default=0) + 1


def _issue_of(tx: Transaction, debrief_id: int, point_id: int | None, field: str) -> None:
    """Refuse, naming field, a point that is not a live issue of this debrief."""
    if point_id is None:
        return
    try:
        point = tx.get(DebriefPoint, point_id)
    except RecordNotFound:
        point = None
    if point is None or point.deleted or point.debrief_id != debrief_id:
        problem = f"names point {point_id}, which is not in debrief {debrief_id}"
    elif point.section is not ISSUE:
        problem = f"names point {point_id}, which is a {point.section.value}, not an issue"
    else:
        return
    raise InvalidInput(DebriefResolution.LABEL, [(field, problem)])


def add_point(
    tx: Transaction,
    debrief_id: int,
    section: DebriefSection,
    text: str,
    detail: str = "",
    *,
    standard_id: int | None = None,
) -> DebriefPoint:
    """Add a finding, result or issue after the others of its section; InvalidInput if refused.

    standard_id: for an issue, the standard agreed for it.
    """
    _live_debrief(tx, debrief_id)
    if standard_id is not None and section is not ISSUE:
        problem = f"is only for an issue, not a {section.value}"
        raise InvalidInput(DebriefPoint.LABEL, [("standard_id", problem)])
    mine = [p for p in parts_of(tx, DebriefPoint, debrief_id) if p.section is section]
    values = {
        "debrief_id": debrief_id,
        "section": section,
        "position": _next_position(p.position for p in mine),
        "text": text,
        "detail": detail,
        "standard_id": standard_id,
    }
    return tx.add(schema_of(DebriefPoint).check(values))


@dataclass(frozen=True)
class AddPoint:
    """Add a finding, result or issue to a debrief: a write for the app's queue."""

    debrief_id: int
    section: DebriefSection
    text: str
    detail: str = ""
    standard_id: int | None = None
    what: str = "add the point"
    creates = False

    def apply(self, tx: Transaction) -> DebriefPoint:
        """Add the point after the others of its section."""
        return add_point(
            tx, self.debrief_id, self.section, self.text, self.detail, standard_id=self.standard_id
        )


def add_resolution(
    tx: Transaction, debrief_id: int, text: str, resolves: int | None = None
) -> DebriefResolution:
    """Add a resolution after the others, resolving one of the debrief's issues if given."""
    _live_debrief(tx, debrief_id)
    _issue_of(tx, debrief_id, resolves, "resolves")
    values = {
        "debrief_id": debrief_id,
        "position": _next_position(r.position for r in parts_of(tx, DebriefResolution, debrief_id)),
        "text": text,
        "resolves": resolves,
    }
    return tx.add(schema_of(DebriefResolution).check(values))


@dataclass(frozen=True)
class AddResolution:
    """Add a resolution to a debrief, about one issue or none: a write for the app's queue."""

    debrief_id: int
    text: str
    resolves: int | None = None
    what: str = "add the resolution"
    creates = False

    def apply(self, tx: Transaction) -> DebriefResolution:
        """Add the resolution after the others."""
        return add_resolution(tx, self.debrief_id, self.text, self.resolves)


def add_reaction(tx: Transaction, debrief_id: int, text: str, said_by: str = "") -> DebriefReaction:
    """Add a co-worker's reaction, by who said it ("": anonymous), after the others."""
    _live_debrief(tx, debrief_id)
    values = {"debrief_id": debrief_id, "text": text, "said_by": said_by}
    return tx.add(schema_of(DebriefReaction).check(values))


@dataclass(frozen=True)
class AddReaction:
    """Add a co-worker's reaction, during the meeting: a write for the app's queue."""

    debrief_id: int
    text: str
    said_by: str = ""
    what: str = "add the reaction"
    creates = False

    def apply(self, tx: Transaction) -> DebriefReaction:
        """Add the reaction after the others."""
        return add_reaction(tx, self.debrief_id, self.text, self.said_by)


@dataclass(frozen=True)
class Resolve:
    """Tie a resolution to an issue of its debrief (None: to none), last seen at expected_rev."""

    resolution_id: int
    expected_rev: int
    issue_id: int | None
    what: str = "tie the resolution to the issue"
    creates = False

    def apply(self, tx: Transaction) -> DebriefResolution:
        """Tie it; InvalidInput if the point is no issue of the debrief, Conflict if it moved."""
        resolution = tx.get(DebriefResolution, self.resolution_id)
        _issue_of(tx, resolution.debrief_id, self.issue_id, "resolves")
        changes = {"resolves": self.issue_id}
        return tx.update(DebriefResolution, self.resolution_id, self.expected_rev, changes)


@dataclass(frozen=True)
class TieStandard:
    """Name the standard agreed for an issue (None: none), last seen at expected_rev: a write."""

    point_id: int
    expected_rev: int
    standard_id: int | None
    what: str = "tie the issue to the standard"
    creates = False

    def apply(self, tx: Transaction) -> DebriefPoint:
        """Tie it; InvalidInput if the point is no issue, Conflict if it moved."""
        point = tx.get(DebriefPoint, self.point_id)
        if self.standard_id is not None and point.section is not ISSUE:
            problem = f"is only for an issue, not a {point.section.value}"
            raise InvalidInput(DebriefPoint.LABEL, [("standard_id", problem)])
        changes = {"standard_id": self.standard_id}
        return tx.update(DebriefPoint, self.point_id, self.expected_rev, changes)


@dataclass(frozen=True)
class Move:
    """Move a point or a resolution to a position within its section, last seen at expected_rev.

    The others of its section close up behind it, in the same write, so the
    order stays 1, 2, 3…; moving does not clash with someone editing a text.
    """

    kind: type[DebriefPoint] | type[DebriefResolution]
    record_id: int
    expected_rev: int
    position: int
    what: str = "move it"
    creates = False

    def apply(self, tx: Transaction) -> DebriefPoint | DebriefResolution:
        """Move it, renumbering its section; Conflict if it moved past expected_rev."""
        kind: type[Any] = self.kind  # either kind: parts_of takes one at a time
        moving = tx.get(kind, self.record_id)
        siblings: list[Any] = [
            r
            for r in parts_of(tx, kind, moving.debrief_id)
            if r.id != moving.id and _section_of(r) == _section_of(moving)
        ]
        place = max(1, min(self.position, len(siblings) + 1))
        siblings.insert(place - 1, moving)
        moved: DebriefPoint | DebriefResolution = moving
        for number, record in enumerate(siblings, start=1):
            if record.id == moving.id:
                moved = tx.update(self.kind, record.id, self.expected_rev, {"position": number})
            elif record.position != number:
                tx.update(self.kind, record.id, record.rev, {"position": number})
        return moved

    def again(self, current: DebriefPoint | DebriefResolution) -> Move:
        """Return the same write on the revision someone else left: a move does not clash."""
        return replace(self, expected_rev=current.rev)


def _section_of(record: DebriefPoint | DebriefResolution) -> DebriefSection | None:
    return record.section if isinstance(record, DebriefPoint) else None


# -- holding it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """A debrief marked held, and its interview, now debriefed."""

    debrief: Debrief
    interview: Interview


def hold_debrief(tx: Transaction, debrief_id: int, expected_rev: int, held_on: dt.date) -> Held:
    """Mark a debrief held on a day, and its interview debriefed, in one write.

    Conflict if the debrief moved past expected_rev; InvalidInput if the day is
    in the future or before the interview's. Holding it again changes the day.
    """
    interview = tx.get(Interview, _live_debrief(tx, debrief_id).interview_id)
    if held_on < interview.planned_on:
        problem = f"must be on or after the interview's day, {interview.planned_on:%a %d %b %Y}"
        raise InvalidInput(Debrief.LABEL, [("held_on", problem)])
    debrief = tx.update(Debrief, debrief_id, expected_rev, {"held_on": held_on})
    if interview.status is InterviewStatus.HELD:
        changes = {"status": InterviewStatus.DEBRIEFED}
        interview = tx.update(Interview, interview.id, interview.rev, changes)
    return Held(debrief, interview)


@dataclass(frozen=True)
class HoldDebrief:
    """Mark a debrief held on a day, last seen at expected_rev: a write for the app's queue."""

    debrief_id: int
    expected_rev: int
    held_on: dt.date
    what: str = "mark the debrief held"
    creates = False

    def apply(self, tx: Transaction) -> Held:
        """Mark it held, and its interview debriefed; Conflict if it moved past expected_rev."""
        return hold_debrief(tx, self.debrief_id, self.expected_rev, self.held_on)

    def again(self, current: Debrief) -> HoldDebrief:
        """Return the same write on the revision someone else left: holding does not clash."""
        return replace(self, expected_rev=current.rev)

    def said(self, held: Held) -> str:
        """Say what was done."""
        day = held.debrief.held_on.isoformat() if held.debrief.held_on else "?"
        return f"Debrief {held.debrief.id} held on {day}; interview {held.interview.id} debriefed."


# -- reading one -----------------------------------------------------------------------------------


_GROUPS: weakref.WeakKeyDictionary[Snapshot, dict[str, dict[int, list[Any]]]] = (
    weakref.WeakKeyDictionary()
)
"""Each snapshot's parts by debrief, standards by interview and check-ins by standard, made
on first use: a listing of a thousand debriefs, or an export of them all, reads each once."""


def _grouped(records: Records, kind: type[Any], by: str) -> dict[int, list[Any]]:
    if isinstance(records, Snapshot):
        groups = _GROUPS.setdefault(records, {})
        if kind.TABLE not in groups:
            groups[kind.TABLE] = _group(records.all(kind), by)
        return groups[kind.TABLE]
    return _group(records.all(kind), by)


def _group(records: Iterable[Any], by: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for record in records:
        grouped[getattr(record, by)].append(record)
    return grouped


def parts_of(records: Records, kind: type[Part], debrief_id: int) -> tuple[Part, ...]:
    """Return a debrief's live parts of one kind, in order (reactions: as they were said)."""
    found: list[Part] = _grouped(records, kind, "debrief_id").get(debrief_id, [])
    return tuple(sorted(found, key=lambda part: (getattr(part, "position", 0), part.id)))


@dataclass(frozen=True)
class RecapStandard:
    """A standard or partnering rule a recap shows, with how it stands today."""

    standard: Standard
    standing: Standing


@dataclass(frozen=True)
class Advice:
    """One warning of the balance check, and the issue it is about, if any (to jump to)."""

    text: str
    point_id: int | None = None


@dataclass(frozen=True)
class Balance:
    """The balance of a recap: how many of each specific, and the advice they call for."""

    results: int
    issues: int
    resolutions: int
    standards: int
    advice: tuple[Advice, ...] = field(default=())

    @property
    def counts(self) -> str:
        """The counts in words: "2 results, 3 issues, 1 resolution, 0 standards"."""
        return ", ".join(
            f"{n} {what if n == 1 else what + 's'}"
            for n, what in (
                (self.results, "result"),
                (self.issues, "issue"),
                (self.resolutions, "resolution"),
                (self.standards, "standard"),
            )
        )


@dataclass(frozen=True)
class Recap:
    """A debrief with everything its recap shows, read live: its interview, parts and standards."""

    debrief: Debrief
    interview: Interview
    partner: str
    findings: tuple[DebriefPoint, ...]
    results: tuple[DebriefPoint, ...]
    issues: tuple[DebriefPoint, ...]
    resolutions: tuple[DebriefResolution, ...]
    standards: tuple[RecapStandard, ...]
    """Those set in the interview, then any other an issue names; never a copy."""
    reactions: tuple[DebriefReaction, ...]
    today: dt.date
    """The day the standards' standing is worked out for."""

    @property
    def gap(self) -> Gap:
        """The interview's two ratings, as they are now."""
        return gap_of(self.interview)

    @property
    def status(self) -> DebriefStatus:
        """Draft, or held."""
        return self.debrief.status

    def issue_number(self, point_id: int | None) -> int | None:
        """Return an issue's number in the recap (1 first), None if it is no live issue of it."""
        for number, issue in enumerate(self.issues, start=1):
            if issue.id == point_id:
                return number
        return None

    def resolutions_of(self, issue: DebriefPoint) -> tuple[DebriefResolution, ...]:
        """Return the resolutions that resolve an issue, in order."""
        return tuple(r for r in self.resolutions if r.resolves == issue.id)

    def standard_of(self, issue: DebriefPoint) -> RecapStandard | None:
        """Return the live standard an issue names, if any."""
        return next((s for s in self.standards if s.standard.id == issue.standard_id), None)

    @property
    def balance(self) -> Balance:
        """Counts and advice: see ``balance_of``."""
        return balance_of(self)


def written_in(records: Records, read: Recap) -> str:
    """Say what of a debrief starting it again would not bring back, "" if nothing.

    "2 points, 1 resolution and 3 paragraphs": those unlike what a debrief
    started now from the interview's worksheet would hold.
    """
    debrief = read.debrief
    fresh = prefill(worksheet(records, debrief.interview_id))
    as_started = {
        (p["section"], p["text"], p.get("detail", ""), p.get("question", "")) for p in fresh.points
    }
    points = (*read.findings, *read.results, *read.issues)
    own = sum((p.section, p.text, p.detail, p.question) not in as_started for p in points)
    paragraphs = sum(getattr(debrief, name) != fresh.values.get(name, "") for name in PARAGRAPHS)
    parts = [
        counted(own, "point") if own else "",
        counted(len(read.resolutions), "resolution") if read.resolutions else "",
        counted(len(read.reactions), "reaction") if read.reactions else "",
        counted(paragraphs, "paragraph") if paragraphs else "",
    ]
    return listed([part for part in parts if part])


PARAGRAPHS = ("set_up", "opening_question", "first_reactions", "probing", "caution", "notes")
"""The debrief's own texts: the recap's paragraphs, and its notes."""


def _unresolved_words(number: int, issue: DebriefPoint) -> str:
    text = one_line(issue.text)
    short = text if len(text) <= 60 else text[:59].rstrip() + "…"
    return (
        f"Issue {number} ({short}) has no resolution or standard: say what will be done "
        "about it, or which standard answers it."
    )


NO_GOOD_NEWS = "No positive result yet: start with what went well, or the team hears only bad news."
"""The advice for a recap with no result."""


def balance_of(recap: Recap) -> Balance:
    """Count a recap's specifics and give the advice they call for (never a block).

    - each issue with neither a resolution nor a live standard;
    - no result (good news) at all;
    - more issues than results, resolutions and standards together.
    """
    advice = []
    for number, issue in enumerate(recap.issues, start=1):
        if not recap.resolutions_of(issue) and recap.standard_of(issue) is None:
            advice.append(Advice(_unresolved_words(number, issue), issue.id))
    results, issues = len(recap.results), len(recap.issues)
    resolutions, standards = len(recap.resolutions), len(recap.standards)
    if not results:
        advice.append(Advice(NO_GOOD_NEWS))
    others = results + resolutions + standards
    if issues > others:
        advice.append(
            Advice(
                f"{issues} issue{'s' if issues != 1 else ''} against {others} result"
                f"{'s' if others != 1 else ''}, resolutions and standards together: a list "
                "of problems gets the messenger shot; add what went well and what will be "
                "done."
            )
        )
    return Balance(results, issues, resolutions, standards, tuple(advice))


def _names(records: Records) -> dict[int, str]:
    return {p.id: p.name for p in records.all(Partner, include_deleted=True)}


def _standards_for(
    records: Records, interview_id: int, named: Iterable[int | None], today: dt.date
) -> tuple[RecapStandard, ...]:
    """The live standards set in the interview, then those named elsewhere, each once."""
    set_in = sorted(
        _grouped(records, Standard, "interview_id").get(interview_id, []), key=lambda s: s.id
    )
    by_id = {s.id: s for s in set_in}
    wanted = [n for n in named if n is not None and n not in by_id]
    if wanted:
        live = {s.id: s for s in records.all(Standard)}
        for standard_id in wanted:
            if standard_id in live:
                by_id.setdefault(standard_id, live[standard_id])
    check_ins = _grouped(records, CheckIn, "standard_id")
    return tuple(
        RecapStandard(s, standing_of(s, check_ins.get(s.id, []), today)) for s in by_id.values()
    )


def recap(records: Records, debrief_id: int, today: dt.date | None = None) -> Recap:
    """Return a debrief with everything its recap shows; RecordNotFound if there is none.

    today: the day the standards' standing is worked out for (default: today).
    A deleted debrief is read all the same (say so where it is shown).
    """
    if isinstance(records, Snapshot):
        debrief = records.get(Debrief, debrief_id)
        if debrief is None:
            raise RecordNotFound(Debrief.LABEL, debrief_id)
        interview = records.get(Interview, debrief.interview_id)
        if interview is None:
            raise RecordNotFound(Interview.LABEL, debrief.interview_id)
    else:
        debrief = records.get(Debrief, debrief_id)
        interview = records.get(Interview, debrief.interview_id)
    partner = _names(records).get(interview.partner_id, f"#{interview.partner_id}")
    points = parts_of(records, DebriefPoint, debrief_id)
    issues = tuple(p for p in points if p.section is ISSUE)
    day = today or dt.date.today()
    return Recap(
        debrief,
        interview,
        partner,
        tuple(p for p in points if p.section is FINDING),
        tuple(p for p in points if p.section is RESULT),
        issues,
        parts_of(records, DebriefResolution, debrief_id),
        _standards_for(records, interview.id, (i.standard_id for i in issues), day),
        parts_of(records, DebriefReaction, debrief_id),
        day,
    )


# -- the listing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebriefRow:
    """One debrief as a listing shows it: its interview's partner and day, and its balance."""

    debrief: Debrief
    interview: Interview
    partner: str
    balance: Balance


def debriefs_listing(snapshot: Snapshot, today: dt.date | None = None) -> list[DebriefRow]:
    """Return the live debriefs: drafts first, then those held, newest interview first."""
    rows = []
    names = _names(snapshot)
    for debrief in snapshot.all(Debrief):
        read = recap(snapshot, debrief.id, today)
        partner = names.get(read.interview.partner_id, read.partner)
        rows.append(DebriefRow(debrief, read.interview, partner, read.balance))
    rows.sort(
        key=lambda row: (
            row.debrief.held_on is not None,
            -row.interview.planned_on.toordinal(),
            -row.debrief.id,
        )
    )
    return rows
