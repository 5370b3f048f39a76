"""Interviews with partners: planning one, its worksheet, marking it held, and the listing.

An interview is four kinds of record (``ictui.kinds.interview``): the
interview itself, an answer per question, a point per checklist line and the
partner's conclusions. Planning one writes the interview with a copy of the
template's questions and checklist in one transaction; after that each part
is changed on its own revision, so that two people filling in one interview
never get in each other's way.

Nothing here blocks a person: a customer rating given before any answer is
questioned (``Worksheet.rating_question``), and marking an interview held
with points unticked says which (``mark_held``); both leave the choice to
them. Ratings outside the scale are refused by the kind itself.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ictui.errors import IctuiError, InvalidInput, RecordNotFound
from ictui.kinds.interview import ChecklistTick, Conclusion, Interview, InterviewAnswer
from ictui.kinds.partner import Partner
from ictui.kinds.rules import tidy_names
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.vocab import InterviewStatus, Relationship
from ictui.services import interview_template as template
from ictui.services.contacts import take_partner
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.transaction import Transaction
from ictui.teamfile.writes import Change
from ictui.text import counted, listed

Records = Snapshot | Transaction
"""What interviews are read from: the team file as read, or a transaction under way."""

Part = TypeVar("Part", InterviewAnswer, ChecklistTick, Conclusion)

MINUS = "−"
"""The minus sign a gap is written with, where it stands alone."""


# -- ratings and the gap between them ------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Our rating of our service before the talk, and the partner's at its end."""

    ours: int | None
    theirs: int | None

    @property
    def difference(self) -> int | None:
        """Theirs less ours, once both are given: below zero, they rate us lower than we do."""
        if self.ours is None or self.theirs is None:
            return None
        return self.theirs - self.ours

    @property
    def words(self) -> str:
        """The gap in words: "you rated 8, they rated 5: 3 below yours"."""
        ours, theirs, difference = self.ours, self.theirs, self.difference
        if difference is not None:
            if difference == 0:
                how = "the same as yours"
            else:
                how = f"{abs(difference)} {'below' if difference < 0 else 'above'} yours"
            return f"you rated {ours}, they rated {theirs}: {how}"
        if ours is not None:
            return f"you rated {ours}; they have not rated yet"
        if theirs is not None:
            return f"they rated {theirs}; you gave no rating before the talk"
        return "not rated yet"

    @property
    def short(self) -> str:
        """The gap for a narrow column: "−3", "+2", "0", or empty until both rated."""
        difference = self.difference
        if difference is None:
            return ""
        if difference < 0:
            return f"{MINUS}{-difference}"
        return f"+{difference}" if difference else "0"


def gap_of(interview: Interview) -> Gap:
    """Return an interview's two ratings as a gap."""
    return Gap(interview.self_rating, interview.customer_rating)


# -- the worksheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How many points of the checklist are ticked, of how many: "9/14"."""

    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True)
class StepTicks:
    """One step of an interview's checklist, as worded when planned, with its points."""

    step_id: str
    title: str
    ticks: tuple[ChecklistTick, ...]


RATING_BEFORE_ANSWERS = (
    "no answer is written down yet: their rating usually comes once they have "
    "answered the questions"
)
"""What is said of a customer rating given before any answer (it is kept all the same)."""


@dataclass(frozen=True)
class Worksheet:
    """One interview as it is filled in: its parts in order, its partner by name."""

    interview: Interview
    partner: str
    answers: tuple[InterviewAnswer, ...]
    """The questions and their answers, in order."""
    ticks: tuple[ChecklistTick, ...]
    """The checklist's points, in order."""
    conclusions: tuple[Conclusion, ...]
    """The partner's conclusions, in order."""

    @property
    def progress(self) -> Progress:
        """How much of the checklist is ticked."""
        return Progress(sum(tick.ticked for tick in self.ticks), len(self.ticks))

    @property
    def unticked(self) -> tuple[ChecklistTick, ...]:
        """The points not ticked yet, in order."""
        return tuple(tick for tick in self.ticks if not tick.ticked)

    @property
    def answered(self) -> int:
        """How many questions have an answer."""
        return sum(bool(answer.answer) for answer in self.answers)

    @property
    def gap(self) -> Gap:
        """Both ratings, and the gap between them."""
        return gap_of(self.interview)

    @property
    def steps(self) -> tuple[StepTicks, ...]:
        """The checklist by step, in order: consecutive points of one step go together."""
        steps: list[StepTicks] = []
        for tick in self.ticks:
            if steps and steps[-1].step_id == tick.step_id:
                last = steps[-1]
                steps[-1] = StepTicks(last.step_id, last.title, (*last.ticks, tick))
            else:
                steps.append(StepTicks(tick.step_id, tick.step, (tick,)))
        return tuple(steps)

    def rating_question(self, customer_rating: int | None) -> str | None:
        """Return a question to put to the person giving this customer rating, if any.

        A rating before any answer is questioned, never refused: perhaps the
        answers were written on paper.
        """
        if customer_rating is not None and not self.answered:
            return RATING_BEFORE_ANSWERS
        return None


_GROUPS: weakref.WeakKeyDictionary[Snapshot, dict[str, dict[int, list[Any]]]] = (
    weakref.WeakKeyDictionary()
)
"""Each snapshot's parts by interview, made on first use: moving between worksheets is cheap."""


def _by_interview(parts: Iterable[Part]) -> dict[int, list[Part]]:
    grouped: dict[int, list[Part]] = defaultdict(list)
    for part in parts:
        grouped[part.interview_id].append(part)
    return grouped


def parts_of(records: Records, kind: type[Part], interview_id: int) -> tuple[Part, ...]:
    """Return an interview's live parts of one kind, in order."""
    if isinstance(records, Snapshot):
        groups = _GROUPS.setdefault(records, {})
        if kind.TABLE not in groups:
            groups[kind.TABLE] = _by_interview(records.all(kind))
        found: list[Part] = groups[kind.TABLE].get(interview_id, [])
    else:
        found = [part for part in records.all(kind) if part.interview_id == interview_id]
    return tuple(sorted(found, key=lambda part: (part.position, part.id)))


def _interview(records: Records, interview_id: int) -> Interview:
    if isinstance(records, Snapshot):
        found = records.get(Interview, interview_id)
        if found is None:
            raise RecordNotFound(Interview.LABEL, interview_id)
        return found
    return records.get(Interview, interview_id)


def _partner_name(records: Records, partner_id: int) -> str:
    if isinstance(records, Snapshot):
        partner = records.get(Partner, partner_id)
        return partner.name if partner is not None else f"#{partner_id}"
    try:
        return records.get(Partner, partner_id).name
    except (RecordNotFound, InvalidInput):
        return f"#{partner_id}"


PART_KINDS = (InterviewAnswer, ChecklistTick, Conclusion)
"""The kinds an interview is made of besides itself."""


def parts_ready(snapshot: Snapshot) -> bool:
    """Whether every interview's parts are grouped for this reading: counting them is quick.

    Grouping them checks every part: about half a second for 1,000 interviews
    the first time a team file is read (later readings keep what is unchanged).
    """
    groups = _GROUPS.get(snapshot)
    return groups is not None and all(kind.TABLE in groups for kind in PART_KINDS)


def prepare_parts(snapshot: Snapshot) -> None:
    """Check and group every interview's parts of this reading, ahead of need (any thread)."""
    parts_of(snapshot, InterviewAnswer, 0)
    parts_of(snapshot, ChecklistTick, 0)
    parts_of(snapshot, Conclusion, 0)


def worksheet(records: Records, interview_id: int) -> Worksheet:
    """Return an interview's worksheet; RecordNotFound if there is no such interview."""
    interview = _interview(records, interview_id)
    return Worksheet(
        interview,
        _partner_name(records, interview.partner_id),
        parts_of(records, InterviewAnswer, interview_id),
        parts_of(records, ChecklistTick, interview_id),
        parts_of(records, Conclusion, interview_id),
    )


# -- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """An interview as planned, with the parts copied from the template."""

    interview: Interview
    answers: tuple[InterviewAnswer, ...]
    ticks: tuple[ChecklistTick, ...]
    new_partner: Partner | None = None
    """The partner made for it, when its name was new."""


def check_plan(
    partner: str,
    planned_on: dt.date | str,
    planned_time: str = "",
    interviewers: str = "",
    self_rating: int | None = None,
    minutes: int | str | None = None,
    notes: str = "",
) -> tuple[Checked[Partner], Checked[Interview]]:
    """Check an interview to plan, without touching the team file.

    Raises InvalidInput naming each field that is wrong ("partner" for the
    partner's name). Returns the partner to make if its name is new, and the
    interview, its partner id still to be filled in.
    """
    problems: list[tuple[str, str]] = []
    new_partner: Checked[Partner] | None = None
    interview: Checked[Interview] | None = None
    interviewers, no_names = tidy_names(interviewers)
    if no_names:
        problems.append(("interviewers", no_names))
    try:
        new_partner = schema_of(Partner).check(
            {"name": partner, "relationship": Relationship.CUSTOMER}
        )
    except InvalidInput as error:
        problems += [("partner", message) for _, message in error.problems]
    values = {
        "partner_id": 1,  # any id: the partner is found or made when written
        "planned_on": planned_on,
        "planned_time": planned_time,
        "minutes": minutes,
        "interviewers": interviewers,
        "self_rating": self_rating,
        "notes": notes,
    }
    try:
        interview = schema_of(Interview).check(values)
    except InvalidInput as error:
        problems += error.problems
    if problems or new_partner is None or interview is None:
        raise InvalidInput(Interview.LABEL, problems)
    return new_partner, interview


def copy_template(tx: Transaction, interview: Interview) -> tuple[list[Any], list[Any]]:
    """Add the template in force to a new interview: its questions and checklist, as worded now.

    The team's own template if it has one, else the defaults; read in the
    same transaction, so the copy is the template as it stands at this write.
    """
    form = template.in_force(tx).template
    answers = [
        tx.add(schema_of(InterviewAnswer).check(values))
        for values in template.answer_values(interview.id, form)
    ]
    ticks = [
        tx.add(schema_of(ChecklistTick).check(values))
        for values in template.tick_values(interview.id, form)
    ]
    return answers, ticks


def plan_interview(
    tx: Transaction,
    partner: str,
    planned_on: dt.date | str,
    planned_time: str = "",
    interviewers: str = "",
    self_rating: int | None = None,
    *,
    minutes: int | str | None = None,
    notes: str = "",
) -> Planned:
    """Plan an interview in tx: the interview, its questions and its checklist, in one write.

    partner: a partner's name in any case or spacing, or a new name, which
    makes that partner (an internal customer), as logging a contact point does.
    InvalidInput names each field that is wrong; nothing is written then.
    """
    new_partner, checked = check_plan(
        partner, planned_on, planned_time, interviewers, self_rating, minutes, notes
    )
    partner_record, made = take_partner(tx, new_partner)
    interview = tx.add(checked.with_reference("partner_id", partner_record.id))
    answers, ticks = copy_template(tx, interview)
    return Planned(interview, tuple(answers), tuple(ticks), partner_record if made else None)


@dataclass(frozen=True)
class PlanInterview:
    """Plan an interview with a partner named as typed: a write for the app's queue."""

    partner: str
    planned_on: dt.date | str
    planned_time: str = ""
    interviewers: str = ""
    self_rating: int | None = None
    minutes: int | None = None
    notes: str = ""
    what: str = "plan the interview"
    creates = True

    def apply(self, tx: Transaction) -> Planned:
        """Plan the interview; InvalidInput if a field is refused."""
        return plan_interview(
            tx,
            self.partner,
            self.planned_on,
            self.planned_time,
            self.interviewers,
            self.self_rating,
            minutes=self.minutes,
            notes=self.notes,
        )


@dataclass(frozen=True)
class PlanDraft:
    """An interview's plan as a person types it: the partner by name, the day as typed."""

    partner: str
    planned_on: dt.date | str
    planned_time: str = ""
    minutes: int | str | None = None
    """Whole minutes, or the text as typed when it is no number (the check refuses it)."""
    interviewers: str = ""


PLAN_FIELDS = ("partner_id", "planned_on", "planned_time", "minutes", "interviewers")
"""The fields of an interview that its plan sets: the rest is filled in during the talk."""


@dataclass(frozen=True)
class SavePlan:
    """Plan an interview, or change the plan of one last seen at expected_rev: a write."""

    draft: PlanDraft
    record_id: int | None = None
    expected_rev: int = 0
    restore: bool = False
    """The interview was deleted meanwhile: bring it back with the change, in one write."""
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    what: str = "save the interview's plan"

    @property
    def creates(self) -> bool:
        """Whether this write may start a team file that does not exist yet."""
        return self.record_id is None

    def apply(self, tx: Transaction) -> Planned:
        """Plan the interview, or change its plan only (its answers and ratings stay)."""
        draft = self.draft
        if self.record_id is None:
            return plan_interview(
                tx,
                draft.partner,
                draft.planned_on,
                draft.planned_time,
                draft.interviewers,
                minutes=draft.minutes,
            )
        new_partner, checked = check_plan(
            draft.partner,
            draft.planned_on,
            draft.planned_time,
            draft.interviewers,
            minutes=draft.minutes,
        )
        rev, chained = self.expected_rev, self.chained
        if self.restore:
            rev, chained = tx.restore(Interview, self.record_id, rev, chained=chained).rev, False
        now = tx.get(Partner, tx.get(Interview, self.record_id).partner_id)
        partner, made = take_partner(tx, new_partner, now)
        values = checked.with_reference("partner_id", partner.id).values
        changes = {name: values[name] for name in PLAN_FIELDS}
        interview = tx.update(Interview, self.record_id, rev, changes, chained=chained)
        return Planned(interview, (), (), partner if made else None)


# -- holding it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """An interview marked held, and the checklist's points that were left unticked."""

    interview: Interview
    unticked: tuple[ChecklistTick, ...]
    planned_for: dt.date | None = None
    """The later day it was planned for, when it was held before it (and dated that day)."""


def mark_held(
    tx: Transaction, interview_id: int, expected_rev: int, *, chained: bool = False
) -> Held:
    """Mark an interview held, whatever is left unticked; return what is.

    The screen lists the unticked points and asks before it sends this; the
    answer here is what they were at the moment of writing. Conflict if the
    interview moved past expected_rev; an interview held already stays as
    it is; a debriefed one is not set back. One planned for a later day was
    held early: it is dated today, so that nothing after it (its debrief)
    comes before it, at no time of day (the one planned is not when it was held).
    """
    current = tx.get(Interview, interview_id)
    if current.status is InterviewStatus.DEBRIEFED:
        raise IctuiError(f"interview {interview_id} is debriefed already, so held before")
    changes: dict[str, Any] = {"status": InterviewStatus.HELD}
    early = current.planned_on > tx.today and current.status is InterviewStatus.PLANNED
    if early:
        changes |= {"planned_on": tx.today, "planned_time": ""}
    interview = tx.update(Interview, interview_id, expected_rev, changes, chained=chained)
    unticked = tuple(tick for tick in parts_of(tx, ChecklistTick, interview_id) if not tick.ticked)
    return Held(interview, unticked, current.planned_on if early else None)


@dataclass(frozen=True)
class MarkHeld:
    """Mark an interview held, last seen at expected_rev: a write for the app's queue."""

    interview_id: int
    expected_rev: int
    chained: bool = False
    what: str = "mark the interview held"
    creates = False

    def apply(self, tx: Transaction) -> Held:
        """Mark it held; Conflict if it moved past expected_rev."""
        return mark_held(tx, self.interview_id, self.expected_rev, chained=self.chained)

    def again(self, current: Interview) -> MarkHeld:
        """Return the same write on the revision someone else left: holding does not clash."""
        return MarkHeld(self.interview_id, current.rev)

    def said(self, held: Held) -> str:
        """Say what was done, and what of the checklist was left."""
        left = len(held.unticked)
        dated = ""
        if held.planned_for is not None:
            dated = f", dated today (it was planned for {held.planned_for:%a %d %b})"
        if not left:
            return f"Marked held{dated}, with every point of the checklist ticked."
        points = "point" if left == 1 else "points"
        return f"Marked held{dated}; {left} {points} of the checklist left unticked."


def tick(point: ChecklistTick, ticked: bool = True) -> Change[ChecklistTick]:
    """Return the write that ticks a checklist point (or unticks it)."""
    what = "tick the point" if ticked else "untick the point"
    return Change(ChecklistTick, point.id, point.rev, {"ticked": ticked}, what)


def add_conclusion(
    tx: Transaction, interview_id: int, conclusion: str, behaviors: str = ""
) -> Conclusion:
    """Add a conclusion after the interview's others; InvalidInput if it is empty or too long."""
    tx.get(Interview, interview_id)  # RecordNotFound before anything else is said
    last = max((c.position for c in parts_of(tx, Conclusion, interview_id)), default=0)
    values = {
        "interview_id": interview_id,
        "position": last + 1,
        "conclusion": conclusion,
        "behaviors": behaviors,
    }
    return tx.add(schema_of(Conclusion).check(values))


@dataclass(frozen=True)
class AddConclusion:
    """Add a conclusion, and the behaviors behind it, to an interview: a write for the queue."""

    interview_id: int
    conclusion: str
    behaviors: str = ""
    what: str = "add the conclusion"
    creates = False

    def apply(self, tx: Transaction) -> Conclusion:
        """Add the conclusion after the interview's others."""
        return add_conclusion(tx, self.interview_id, self.conclusion, self.behaviors)


# -- the listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingPoint:
    """One interview's ratings, as a step in a partner's trend."""

    interview_id: int
    planned_on: dt.date
    gap: Gap


TREND_STEPS = 4
"""How many interviews a trend shows at most: the latest, and those just before it."""


def _arrow(values: Sequence[str]) -> str:
    shown = " → ".join(values[-TREND_STEPS:])
    return f"… → {shown}" if len(values) > TREND_STEPS else shown


@dataclass(frozen=True)
class InterviewRow:
    """One interview as the listing shows it, with the partner's earlier interviews."""

    interview: Interview
    partner: str
    earlier: tuple[RatingPoint, ...]
    """The partner's interviews held before this one, oldest first."""

    @property
    def gap(self) -> Gap:
        """Both ratings, and the gap between them."""
        return gap_of(self.interview)

    @property
    def trend(self) -> str:
        """How the partner's rating and the gap moved up to this interview, in brief.

        "their rating 4 → 5 → 7; gap −3 → −2 → −1", the last few steps only;
        empty when there is no earlier interview with a rating to compare.
        """
        points = [*(point.gap for point in self.earlier), self.gap]
        theirs = [str(gap.theirs) for gap in points if gap.theirs is not None]
        gaps = [gap.short for gap in points if gap.difference is not None]
        parts = []
        if len(theirs) > 1:
            parts.append(f"their rating {_arrow(theirs)}")
        if len(gaps) > 1:
            parts.append(f"gap {_arrow(gaps)}")
        return "; ".join(parts)


def _when(interview: Interview) -> tuple[dt.date, str, int]:
    return (interview.planned_on, interview.planned_time or "99:99", interview.id)


def interviews_listing(records: Records, partner_id: int | None = None) -> list[InterviewRow]:
    """Return the live interviews: planned ones first, soonest first; then the others, newest first.

    partner_id: only that partner's. Each row carries the partner's interviews
    held before it, for the trend of their rating and the gap.
    """
    interviews = sorted(records.all(Interview), key=_when)
    names = {p.id: p.name for p in records.all(Partner, include_deleted=True)}
    earlier: dict[int, tuple[RatingPoint, ...]] = {}
    points: dict[int, list[RatingPoint]] = defaultdict(list)
    for interview in interviews:  # in time order: each sees the partner's held so far
        partner_points = points[interview.partner_id]
        earlier[interview.id] = tuple(partner_points)
        if interview.status is not InterviewStatus.PLANNED:
            partner_points.append(
                RatingPoint(interview.id, interview.planned_on, gap_of(interview))
            )
    if partner_id is not None:
        interviews = [i for i in interviews if i.partner_id == partner_id]
    planned = [i for i in interviews if i.status is InterviewStatus.PLANNED]
    done = [i for i in reversed(interviews) if i.status is not InterviewStatus.PLANNED]
    return [
        InterviewRow(
            interview,
            names.get(interview.partner_id, f"#{interview.partner_id}"),
            earlier[interview.id],
        )
        for interview in (*planned, *done)
    ]


@dataclass(frozen=True)
class Filled:
    """How far an interview's worksheet is filled in: for a listing's columns and details."""

    answered: int
    questions: int
    checklist: Progress
    conclusions: int


def filled(records: Records, interview_id: int) -> Filled:
    """Return how far an interview's worksheet is filled in."""
    answers = parts_of(records, InterviewAnswer, interview_id)
    ticks = parts_of(records, ChecklistTick, interview_id)
    return Filled(
        sum(bool(answer.answer) for answer in answers),
        len(answers),
        Progress(sum(t.ticked for t in ticks), len(ticks)),
        len(parts_of(records, Conclusion, interview_id)),
    )


def written_on(interview: Interview, made: Filled) -> str:
    """Say what of the meeting is written on an interview's worksheet, "" when nothing is.

    "2 answers, 1 conclusion and their rating": what deleting it would take. The
    preparation (our own rating, the checklist ticked so far) is quickly done again.
    """
    parts = [
        counted(made.answered, "answer") if made.answered else "",
        counted(made.conclusions, "conclusion") if made.conclusions else "",
        "their rating" if interview.customer_rating is not None else "",
        "notes" if interview.notes.strip() else "",
    ]
    return listed([part for part in parts if part])
