"""Standards and partnering rules: writing them, checking them in, and how each one stands.

How a standard stands is worked out from its check-ins and the day:

- its **periods** are calendar weeks (ISO), months or quarters, by its cadence;
  a check-in made under an earlier cadence counts for the period its own
  period ended in (``ictui.kinds.period.in_cadence``);
- the **strip** shows the last completed periods, oldest first: ✓ met,
  ✗ not met, – not measured, · no check-in (periods before it was agreed are
  left out);
- **compliance** is met ÷ (met + not met) over the last 12 completed periods,
  none until something was met or missed;
- a check-in is **due** when the standard is agreed and the last completed
  period has none.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ictui.errors import Conflict, IctuiError, InvalidInput, RecordNotFound
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.interview import Interview
from ictui.kinds.partner import Partner
from ictui.kinds.period import (
    Period,
    in_cadence,
    last_completed,
    period_of,
    period_problem,
    read_period,
    recent,
)
from ictui.kinds.record import Author
from ictui.kinds.rules import tidy_names
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import read_target
from ictui.kinds.vocab import Cadence, CheckInResult, Relationship, Side, StandardStatus
from ictui.services.contacts import take_partner
from ictui.services.history import Version, history_of
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.transaction import Transaction
from ictui.text import fold_case, one_line

COMPLIANCE_PERIODS = 12
"""How many completed periods compliance is counted over."""
STRIP_PERIODS = 6
"""How many completed periods the strip shows at a glance."""
NO_CHECK_IN = "·"
"""The strip's mark for a period with no check-in."""

Records = Snapshot | Transaction
"""What standards are read from: the team file as read, or a transaction under way."""


# -- how a standard stands ----------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """How one standard stands on a day: its recent check-ins, compliance and what is due."""

    periods: tuple[tuple[Period, CheckIn | None], ...]
    """The last completed periods since it was agreed (at most 12), oldest first."""
    due: Period | None
    """The last completed period, when the standard is agreed and it has no check-in."""

    def worth_showing(self, standard: Standard) -> bool:
        """Whether the periods say something: once agreed (no check-in is news), or one is there."""
        agreed = standard.status is StandardStatus.AGREED
        return agreed or any(check_in is not None for _, check_in in self.periods)

    @property
    def met(self) -> int:
        """How many of the periods were met."""
        return sum(c is not None and c.result is CheckInResult.MET for _, c in self.periods)

    @property
    def missed(self) -> int:
        """How many of the periods were not met."""
        return sum(c is not None and c.result is CheckInResult.NOT_MET for _, c in self.periods)

    @property
    def compliance(self) -> float | None:
        """Met ÷ (met + not met) over the periods; None when none was met or missed."""
        judged = self.met + self.missed
        return self.met / judged if judged else None

    @property
    def compliance_text(self) -> str:
        """Compliance as a whole percentage, "" when there is none yet."""
        rate = self.compliance
        return "" if rate is None else f"{round(rate * 100)} %"

    def strip(self, count: int = STRIP_PERIODS) -> str:
        """The last count periods as marks, oldest first: "✓✓✗✓–", · where none was made."""
        shown = self.periods[-count:] if count else ()
        return "".join(c.result.symbol if c else NO_CHECK_IN for _, c in shown)


def checked_from(standard: Standard) -> dt.date:
    """Return the day a standard's check-ins start to count: the day it was agreed, or made."""
    return standard.agreed_on or standard.created_at.date()


def standing_of(standard: Standard, check_ins: Iterable[CheckIn], today: dt.date) -> Standing:
    """Work out how a standard stands on a day from its check-ins (any order, any cadence)."""
    return _standing(standard, sorted(check_ins, key=_check_in_order), today)


def _standing(standard: Standard, in_order: Iterable[CheckIn], today: dt.date) -> Standing:
    """Work out how a standard stands from its check-ins, oldest period first."""
    cadence = standard.cadence
    by_period: dict[Period, CheckIn] = {}
    for check_in in in_order:
        period = read_period(check_in.period)
        if period is not None and not check_in.deleted:
            by_period[in_cadence(period, cadence)] = check_in  # the latest stands
    last = last_completed(today, cadence)
    start = period_of(checked_from(standard), cadence)
    periods: list[tuple[Period, CheckIn | None]] = []
    period = last
    while len(periods) < COMPLIANCE_PERIODS and period >= start:
        periods.append((period, by_period.get(period)))
        period = period.preceding()
    periods.reverse()
    if not periods:  # agreed in the current period: what was checked before still shows
        window = recent(today, cadence, COMPLIANCE_PERIODS)
        periods = [(p, by_period.get(p)) for p in window if p in by_period]
    agreed = standard.status is StandardStatus.AGREED
    due = last if agreed and start <= last and last not in by_period else None
    return Standing(tuple(periods), due)


def _check_in_order(check_in: CheckIn) -> tuple[dt.date, dt.datetime]:
    return (_period_end(check_in.period), check_in.updated_at)


@functools.lru_cache(maxsize=4096)
def _period_end(written: str) -> dt.date:
    # Cached by the text, whose hash Python keeps: a listing sorts every check-in by it.
    period = read_period(written)
    return period.last_day if period else dt.date.min


# -- the listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardRow:
    """A standard as the listing shows it: with its partner's name and how it stands."""

    standard: Standard
    partner: str
    standing: Standing
    check_ins: tuple[CheckIn, ...] = field(default=())
    """Every check-in of the standard, newest period first."""


_STATUS_ORDER = {StandardStatus.AGREED: 0, StandardStatus.PROPOSED: 1, StandardStatus.RETIRED: 2}


def check_ins_by_standard(records: Records) -> dict[int, list[CheckIn]]:
    """Return every check-in, by the standard it is for."""
    found: dict[int, list[CheckIn]] = defaultdict(list)
    for check_in in records.all(CheckIn):
        found[check_in.standard_id].append(check_in)
    return found


def standards_listing(snapshot: Snapshot, today: dt.date) -> list[StandardRow]:
    """Return the standards grouped by partner (by name); ours before theirs, agreed first."""
    names = {p.id: p.name for p in snapshot.all(Partner, include_deleted=True)}
    check_ins = check_ins_by_standard(snapshot)
    rows = []
    for standard in snapshot.all(Standard):
        oldest_first = sorted(check_ins.get(standard.id, []), key=_check_in_order)
        ordered = tuple(reversed(oldest_first))
        standing = _standing(standard, oldest_first, today)
        rows.append(StandardRow(standard, names.get(standard.partner_id, ""), standing, ordered))
    rows.sort(
        key=lambda row: (
            fold_case(row.partner),
            row.standard.partner_id,
            row.standard.side is not Side.OURS,
            _STATUS_ORDER[row.standard.status],
            row.standard.id,
        )
    )
    return rows


def due_count(rows: Sequence[StandardRow]) -> int:
    """Return how many standards have a check-in due."""
    return sum(row.standing.due is not None for row in rows)


def standards_to_cite(snapshot: Snapshot, cited: int | None = None) -> dict[int, str]:
    """Return the standards a contact point may be evidence for, as "Queries answered… (#3)".

    Retired ones are left out, but for the one already cited (cited), kept so an edit shows it.
    """
    return {
        s.id: f"{one_line(s.standard)} (#{s.id})"
        for s in snapshot.all(Standard)
        if s.status is not StandardStatus.RETIRED or s.id == cited
    }


def evidence(snapshot: Snapshot, standard_id: int) -> list[ContactPoint]:
    """Return the contact points tied to a standard as its evidence, newest first."""
    found = [c for c in snapshot.all(ContactPoint) if c.standard_id == standard_id]
    return sorted(found, key=lambda c: (c.date, c.id), reverse=True)


# -- writing a standard -------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardDraft:
    """A standard as a person types it: the partner by name, the rest as the kind holds it."""

    partner: str
    standard: str
    side: Side = Side.OURS
    measure: str = ""
    target: str = ""
    measured_how: str = ""
    cadence: Cadence = Cadence.MONTHLY
    owner: str = ""
    agreed_with: str = ""
    agreed_on: dt.date | str | None = None
    status: StandardStatus = StandardStatus.PROPOSED
    retired_reason: str = ""
    interview_id: int | None = None


DRAFT_FIELDS = (
    "side",
    "standard",
    "measure",
    "target",
    "measured_how",
    "cadence",
    "owner",
    "agreed_with",
    "agreed_on",
    "status",
    "retired_reason",
    "interview_id",
)
"""The fields of a standard that a draft sets, besides its partner."""


def check_standard(draft: StandardDraft) -> tuple[Checked[Partner], Checked[Standard]]:
    """Check a standard without touching the team file; InvalidInput naming each bad field.

    Returns the partner to make if its name is new, and the standard, its
    partner id still to be filled in ("partner" names the partner's problems).
    """
    problems: list[tuple[str, str]] = []
    new_partner = standard = None
    relationship = Relationship.CUSTOMER if draft.side is Side.OURS else Relationship.PROVIDER
    try:
        partner = {"name": draft.partner, "relationship": relationship}
        new_partner = schema_of(Partner).check(partner)
    except InvalidInput as error:
        problems += [("partner", message) for _, message in error.problems]
    values = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    values["agreed_with"], no_names = tidy_names(draft.agreed_with)
    if no_names:
        problems.append(("agreed_with", no_names))
    try:
        standard = schema_of(Standard).check({"partner_id": 1, **values})
    except InvalidInput as error:
        problems += error.problems
    if problems or new_partner is None or standard is None:
        raise InvalidInput(Standard.LABEL, problems)
    return new_partner, standard


def refuse_future_agreement(day: dt.date | None, today: dt.date) -> None:
    """Refuse a standard agreed on a day still to come (a day's slack for time zones)."""
    if day is not None and day > today + dt.timedelta(days=1):
        raise InvalidInput(
            Standard.LABEL,
            [("agreed_on", f"{day.isoformat()} is in the future: mark it agreed once it is")],
        )


def refuse_another_partners_interview(
    tx: Transaction, interview_id: int | None, partner: int
) -> None:
    """Refuse a standard said to come from an interview with another partner."""
    if interview_id is None:
        return
    try:
        interview = tx.get(Interview, interview_id)
    except RecordNotFound:
        return  # the check of references says so, in its words
    if interview.partner_id != partner:
        theirs = tx.get(Partner, interview.partner_id).name
        raise InvalidInput(
            Standard.LABEL,
            [("interview_id", f"{interview_id} was with {theirs}, another partner")],
        )


@dataclass(frozen=True)
class Saved:
    """A standard as written, and the partner made for it if its name was new."""

    standard: Standard
    new_partner: Partner | None = None


@dataclass(frozen=True)
class SaveStandard:
    """Add a standard, or change one last seen at expected_rev: a write."""

    draft: StandardDraft
    record_id: int | None = None
    expected_rev: int = 0
    restore: bool = False
    """The standard was deleted meanwhile: bring it back with the change, in one write."""
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    what: str = "save the standard"

    @property
    def creates(self) -> bool:
        """Whether this write may start a team file that does not exist yet."""
        return self.record_id is None

    def apply(self, tx: Transaction) -> Saved:
        """Write the standard, finding its partner by name or adding one."""
        new_partner, checked = check_standard(self.draft)
        stored = tx.get(Standard, self.record_id) if self.record_id else None
        agreed_on = None if stored is None else stored.agreed_on
        if checked.values["agreed_on"] != agreed_on:  # one kept from before is not judged again
            refuse_future_agreement(checked.values["agreed_on"], tx.today)
        now = None if stored is None else tx.get(Partner, stored.partner_id)
        partner, taken = take_partner(tx, new_partner, now)
        checked = checked.with_reference("partner_id", partner.id)
        link = (checked.values["interview_id"], partner.id)
        if stored is None or link != (stored.interview_id, stored.partner_id):
            refuse_another_partners_interview(tx, *link)
        made = partner if taken else None
        if self.record_id is None:
            return Saved(tx.add(checked), made)
        rev, chained = self.expected_rev, self.chained
        if self.restore:
            rev, chained = tx.restore(Standard, self.record_id, rev, chained=chained).rev, False
        changes = {"partner_id": partner.id, **{n: checked.values[n] for n in DRAFT_FIELDS}}
        return Saved(tx.update(Standard, self.record_id, rev, changes, chained=chained), made)


@dataclass(frozen=True)
class Agree:
    """Mark a standard agreed on a day, with whom: a write (refused without a checkable target)."""

    standard_id: int
    expected_rev: int
    agreed_on: dt.date
    agreed_with: str | None = None
    """Names on the partner's side; None keeps those the standard has."""
    what: str = "agree the standard"
    creates = False

    def apply(self, tx: Transaction) -> Standard:
        """Set the status, the day and who agreed; Conflict if it moved on; a retired one stays."""
        standard = tx.get(Standard, self.standard_id)
        if standard.status is StandardStatus.RETIRED:
            # Agreeing it again would hide its check-ins before the new day: write it anew.
            side = standard.side.label
            raise refuse_retired(tx, standard, f"write the {side} down again to agree it anew")
        refuse_future_agreement(self.agreed_on, tx.today)
        changes: dict[str, object] = {"status": StandardStatus.AGREED, "agreed_on": self.agreed_on}
        if self.agreed_with is not None:
            changes["agreed_with"], no_names = tidy_names(self.agreed_with)
            if no_names:
                raise InvalidInput(Standard.LABEL, [("agreed_with", no_names)])
        return tx.update(Standard, self.standard_id, self.expected_rev, changes)

    def again(self, current: Standard) -> Agree:
        """Return the same write on the revision someone else left: agreeing does not clash."""
        return replace(self, expected_rev=current.rev)

    def said(self, standard: Standard) -> str:
        """Say what was done."""
        return f"Agreed {standard.side.label} {standard.id} on {self.agreed_on.isoformat()}."


@dataclass(frozen=True)
class Retire:
    """Retire a standard, saying why: a write. Its check-ins stay, to be read."""

    standard_id: int
    expected_rev: int
    reason: str
    what: str = "retire the standard"
    creates = False

    def apply(self, tx: Transaction) -> Standard:
        """Set the status and the reason; Conflict if it moved on."""
        changes = {"status": StandardStatus.RETIRED, "retired_reason": self.reason}
        return tx.update(Standard, self.standard_id, self.expected_rev, changes)

    def again(self, current: Standard) -> Retire:
        """Return the same write on the revision someone else left: retiring does not clash."""
        return replace(self, expected_rev=current.rev)

    def said(self, standard: Standard) -> str:
        """Say what was done."""
        return f"Retired {standard.side.label} {standard.id}; its check-ins stay to be read."


def refuse_retired(
    tx: Transaction, standard: Standard, then: str, label: str | None = None
) -> InvalidInput:
    """Return the refusal of a write to a retired standard: who retired it, when, and what now.

    Said of the standard by its side's name ("partnering rule"), so a person
    whose rule was retired under them knows whom to ask.
    """
    side = standard.side.label
    retired = _retirement(tx, standard)
    by = ""
    if retired is not None:
        when = retired.when.astimezone().strftime("%Y-%m-%d %H:%M")
        by = f" by {retired.who.display} at {when}"
    return InvalidInput(label or side, [(side, f"{standard.id} was retired{by}: {then}")])


def _retirement(tx: Transaction, standard: Standard) -> Version | None:
    """Return the version in which the standard became retired; None if no longer kept."""
    found = None
    for version in history_of(tx, Standard, standard.id):  # newest first
        if version.values.get("status") != StandardStatus.RETIRED:
            return found
        found = version
    return None  # retired in every version kept: the retiring one is gone


# -- checking in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInDraft:
    """A check-in as a person or a script gives it: the period as typed, the result if said."""

    standard_id: int
    result: CheckInResult | None = None
    """None: judged from the value against the standard's target."""
    period: str = ""
    """"" for the last completed period of the standard's cadence."""
    value: str = ""
    note: str = ""
    checked_by: str = ""


@dataclass(frozen=True)
class CheckedIn:
    """A check-in as written, and the one it replaced for the same period, if any."""

    check_in: CheckIn
    replaced: CheckIn | None
    period: Period


def period_for(standard: Standard, written: str, today: dt.date) -> Period:
    """Return the period a check-in is for: as written, or the last completed one.

    InvalidInput if it is not a period of the standard's cadence, or has not begun.
    The current period may be checked in early: ``not_over`` says so.
    """
    cadence = standard.cadence
    if not written.strip():
        return last_completed(today, cadence)
    period = read_period(written)
    if period is None or period.cadence is not cadence:
        raise InvalidInput(CheckIn.LABEL, [("period", period_problem(written, cadence))])
    if period > period_of(today, cadence):
        raise InvalidInput(CheckIn.LABEL, [("period", f"{period} has not begun yet")])
    first = earliest_period(standard)
    if period < first:
        raise InvalidInput(
            CheckIn.LABEL,
            [
                (
                    "period",
                    f"{period} is over a year before the standard was written down or agreed: "
                    f"check in {first} or later",
                )
            ],
        )
    return period


BASELINE = dt.timedelta(days=366)
"""How far before a standard was written down or agreed a check-in may go: a year's baseline."""


def earliest_period(standard: Standard) -> Period:
    """Return the first period a standard may be checked in for (older ones are slips: 2001-05).

    A team may check in the periods before it wrote a standard down, as a baseline
    to see change against, but not years before.
    """
    began = min(checked_from(standard), standard.created_at.date())
    return period_of(began - BASELINE, standard.cadence)


def not_over(period: Period, today: dt.date) -> str:
    """Say that a period is not over on a day, "" when it is: a check-in for it comes early."""
    if period.last_day < today:
        return ""
    return (
        f"{period} is not over yet: it runs until {period.last_day.day} "
        f"{period.last_day:%B %Y}, so this check-in comes early"
    )


def value_shown(standard: Standard, check_in: CheckIn) -> str:
    """Return a check-in's value in the target's unit (older ictui kept bare numbers)."""
    target = read_target(standard.target)
    return target.in_its_unit(check_in.value) if target is not None else check_in.value


def judged(standard: Standard, result: CheckInResult | None, value: str) -> CheckInResult:
    """Return a check-in's result: as said, or judged from the value against the target.

    InvalidInput when neither says it.
    """
    if result is not None:
        return result
    target = read_target(standard.target)
    verdict = target.judge(value) if target is not None and value.strip() else None
    if verdict is None:
        how = f"or a value that reads as {target.asks_for}" if target else ""
        raise InvalidInput(
            CheckIn.LABEL, [("result", f"is required: met, not met or not measured {how}".strip())]
        )
    return CheckInResult.MET if verdict else CheckInResult.NOT_MET


def refuse_unit(standard: Standard, value: str) -> None:
    """Refuse a measured number the target cannot take, even with the result said.

    InvalidInput naming the value when it is in a unit that does not convert
    exactly to the target's (3 hours against working days) or is a percentage
    below 0 or above 100; a number in a unit that converts is judged converted.
    """
    target = read_target(standard.target)
    problem = target.value_problem(value) if target is not None else ""
    if problem:
        raise InvalidInput(CheckIn.LABEL, [("value", problem)])


def find_check_in(records: Records, standard_id: int, period: Period) -> CheckIn | None:
    """Return a standard's check-in for a period, if there is one."""
    written = str(period)
    return next(
        (c for c in records.all(CheckIn) if c.standard_id == standard_id and c.period == written),
        None,
    )


def check_in(
    tx: Transaction,
    draft: CheckInDraft,
    author: Author | None = None,
    expected_rev: int | None = None,
) -> CheckedIn:
    """Check a standard in for one period; a check-in already there for it is changed.

    author: who is checking in, when checked_by is left empty. expected_rev: the
    revision of the period's check-in the person saw (0: none); another one found
    is a Conflict, not replaced unseen. None (a script) replaces whatever is there.
    """
    standard = tx.get(Standard, draft.standard_id)
    if standard.deleted:
        raise IctuiError(
            f"standard {standard.id} is deleted: restore it first "
            f"(`ictui standard restore {standard.id}`)"
        )
    if standard.status is StandardStatus.RETIRED:
        raise refuse_retired(tx, standard, "it is checked no more", CheckIn.LABEL)
    period = period_for(standard, draft.period, tx.today)
    refuse_unit(standard, draft.value)
    result = judged(standard, draft.result, draft.value)
    target = read_target(standard.target)
    values = {
        "standard_id": standard.id,
        "period": str(period),
        "result": result,
        # Kept with its unit, "96 %" for "96": it reads the same wherever it is shown.
        "value": target.in_its_unit(draft.value) if target is not None else draft.value,
        "note": draft.note,
        "checked_by": draft.checked_by or (author.display if author else ""),
    }
    checked = schema_of(CheckIn).check(values)
    earlier = find_check_in(tx, standard.id, period)
    if expected_rev is not None and earlier is not None and earlier.rev != expected_rev:
        raise Conflict(CheckIn.LABEL, expected_rev, earlier)
    if earlier is None:
        return CheckedIn(tx.add(checked), None, period)
    made = tx.update(CheckIn, earlier.id, earlier.rev, checked)
    return CheckedIn(made, earlier, period)


@dataclass(frozen=True)
class SaveCheckIn:
    """Check a standard in: a write (a script's or a person's)."""

    draft: CheckInDraft
    author: Author | None = None
    expected_rev: int | None = None
    """The revision of the period's check-in the person saw (0: none); None replaces any."""
    what: str = "check the standard in"
    creates = False

    def apply(self, tx: Transaction) -> CheckedIn:
        """Write the check-in, replacing the one for the same period (if the one seen)."""
        return check_in(tx, self.draft, self.author, self.expected_rev)
