"""Standards agreed with partners, partnering rules, and the check-ins that follow both.

The workshop asks a team to set standards for its service jointly with each
partner, with a measure that says whether a standard is met, and to agree
partnering rules: what the partner does so the team can serve them. Both are
promises, one each way, checked the same way over time, so both are a
``Standard``: its ``side`` says whose promise it is.

A ``CheckIn`` says whether one standard was kept in one period (a week, a
month or a quarter, by its cadence). There is one per standard and period:
checking in again changes it, and the earlier version stays in its history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from ictui.kinds import rules
from ictui.kinds.fields import Check, Label, LongText, Refers, ShortText, Text
from ictui.kinds.period import period_text
from ictui.kinds.record import Record
from ictui.kinds.target import range_problem, read_target, target_hint
from ictui.kinds.vocab import Cadence, CheckInResult, Side, StandardStatus

STANDARDS_SINCE = 5
"""The schema version that added standards, partnering rules and check-ins."""

SENTENCE_MAX = 200
"""Longest standard, in characters: one sentence."""


def tidy_target(value: str) -> str:
    """Write a target that can be checked the one way ictui shows it; keep free text as typed."""
    target = read_target(value) if value else None
    return str(target) if target is not None else value


def targets_in_range(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A target no measure can meet is a slip, whatever the status: ``≥ 150 %``, ``≤ -2 days``."""
    if range_problem(values["target"]):
        yield ("target", target_hint(values["target"]))


def agreed_needs_a_target(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A standard is agreed only with a target that a check-in can be judged against."""
    target = values["target"]
    if range_problem(target):
        return  # targets_in_range says why
    if values.get("status") is StandardStatus.AGREED and read_target(target) is None:
        hint = target_hint(target)
        yield (
            "target",
            hint or "is required before the standard is agreed: say how you will know it is met",
        )


def retired_needs_a_reason(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A retired standard says why it was retired."""
    if values.get("status") is StandardStatus.RETIRED and not values.get("retired_reason"):
        yield ("retired_reason", "is required: say why the standard is retired")


Sentence = Annotated[str, Text(1, SENTENCE_MAX)]
"""A standard or a partnering rule in one sentence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Standard(Record):
    """A promise agreed with a partner, with its measure: ours (a standard) or theirs (a rule)."""

    TABLE: ClassVar[str] = "standards"
    LABEL: ClassVar[str] = "standard"
    SINCE: ClassVar[int] = STANDARDS_SINCE
    RULES: ClassVar[tuple[Any, ...]] = (
        targets_in_range,
        agreed_needs_a_target,
        retired_needs_a_reason,
    )

    partner_id: Annotated[int, Refers("partners"), Label("Partner")]
    side: Annotated[Side, Label("Whose promise")] = Side.OURS
    standard: Annotated[Sentence, Label("Standard")]
    measure: Annotated[ShortText, Label("What is counted")] = ""
    target: Annotated[ShortText, Check(tidy_target), Label("Target")] = ""
    measured_how: Annotated[ShortText, Label("How and where it is measured")] = ""
    cadence: Annotated[Cadence, Label("Checked")] = Cadence.MONTHLY
    owner: Annotated[ShortText, Label("Owner")] = ""
    agreed_with: Annotated[ShortText, Label("Agreed with")] = ""
    agreed_on: Annotated[dt.date | None, Check(rules.not_too_early), Label("Agreed on")] = None
    interview_id: Annotated[int | None, Refers("interviews"), Label("From interview")] = None
    status: Annotated[StandardStatus, Label("Status")] = StandardStatus.PROPOSED
    retired_reason: Annotated[LongText, Label("Why retired")] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckIn(Record):
    """Whether a standard was kept in one period: met, not met or not measured, and by whom."""

    TABLE: ClassVar[str] = "check_ins"
    LABEL: ClassVar[str] = "check-in"
    SINCE: ClassVar[int] = STANDARDS_SINCE

    standard_id: Annotated[int, Refers("standards"), Label("Standard")]
    period: Annotated[str, Text(1, 8), Check(period_text), Label("Period")]
    result: Annotated[CheckInResult, Label("Result")]
    value: Annotated[ShortText, Label("Measured")] = ""
    note: Annotated[LongText, Label("Note")] = ""
    checked_by: Annotated[ShortText, Label("Checked by")] = ""
