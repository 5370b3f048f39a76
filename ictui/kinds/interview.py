"""Interviews: the improving-your-service worksheet held with one partner, in four kinds.

An interview is written by several people at once, often during the talk
itself: one types an answer while another ticks the checklist. So each part
that people edit on its own is a record of its own, with its own revision,
and two people editing different parts never conflict:

- ``Interview``: who, when, its status, both ratings and notes;
- ``InterviewAnswer``: one question of the worksheet and its answer;
- ``ChecklistTick``: one point of the guideline checklist, ticked or not;
- ``Conclusion``: one of the partner's conclusions and the behaviors behind it.

Answers and checklist points copy the wording of the template they were
made from (``ictui.services.interview_template``), with its stable id, so
that an interview keeps its questions when the template changes later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic_core import PydanticCustomError

from ictui.kinds.fields import Check, Day, Label, LongText, Reason, Refers, ShortText, Text, Whole
from ictui.kinds.record import Record
from ictui.kinds.vocab import InterviewStatus

INTERVIEWS_SINCE = 3
"""The schema version that added interviews and their parts."""

RATING_LOW, RATING_HIGH = 1, 10
"""The worksheet's scale: 1 is low, 10 is high."""

WORDING_MAX = 300
"""Longest wording of a question or a checklist point, in characters."""

ID_MAX = 40
"""Longest stable id of a question, a step or a checklist point."""

POSITION_MAX = 999
"""Highest position of a part within its interview."""

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_STABLE_ID = re.compile(r"[a-z][a-z0-9_]*")


def time_of_day(value: str) -> str:
    """Check a time of day written H:MM or HH:MM (empty: none); return it as HH:MM."""
    if not value:
        return value
    found = _TIME.fullmatch(value)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise PydanticCustomError(
            "time_of_day", "must be a time of day written HH:MM, such as 09:30 or 14:00"
        )
    return f"{int(found[1]):02d}:{found[2]}"


def stable_id(value: str) -> str:
    """Check an id that names a question or point for good: lower-case letters, digits, _."""
    if _STABLE_ID.fullmatch(value) is None:
        raise PydanticCustomError(
            "stable_id",
            "must be lower-case letters, digits and _, starting with a letter, such as why_us",
        )
    return value


Rating = Annotated[int | None, Whole(RATING_LOW, RATING_HIGH)]
"""A rating of the team's service on the worksheet's scale, once given."""
StableId = Annotated[str, Text(1, ID_MAX), Check(stable_id)]
"""The id a question, step or point keeps whatever its wording becomes."""
Wording = Annotated[str, Text(1, WORDING_MAX)]
"""The wording of a question or a checklist point, as copied from the template."""
Position = Annotated[int, Whole(1, POSITION_MAX)]
"""Where a part comes within its interview: 1 first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Interview(Record):
    """An interview with one partner about the team's service, planned or held."""

    TABLE: ClassVar[str] = "interviews"
    LABEL: ClassVar[str] = "interview"
    SINCE: ClassVar[int] = INTERVIEWS_SINCE
    NEWEST_FIRST_BY: ClassVar[str | None] = "planned_on"

    partner_id: Annotated[int, Refers("partners"), Label("Partner")]
    planned_on: Annotated[Day, Label("Date")]
    planned_time: Annotated[ShortText, Check(time_of_day), Label("Time")] = ""
    minutes: Annotated[int | None, Whole(5, 480), Label("Length (minutes)")] = None
    interviewers: Annotated[ShortText, Label("Interviewers")] = ""
    status: Annotated[InterviewStatus, Label("Status")] = InterviewStatus.PLANNED
    self_rating: Annotated[Rating, Label("Our rating")] = None
    customer_rating: Annotated[Rating, Label("Their rating")] = None
    notes: Annotated[LongText, Label("Notes")] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class InterviewAnswer(Record):
    """One question of an interview's worksheet, as worded when it was planned, and its answer."""

    TABLE: ClassVar[str] = "interview_answers"
    LABEL: ClassVar[str] = "interview answer"
    SINCE: ClassVar[int] = INTERVIEWS_SINCE

    interview_id: Annotated[int, Refers("interviews"), Label("Interview")]
    position: Annotated[Position, Label("Position")]
    question_id: Annotated[StableId, Label("Question id")]
    question: Annotated[Wording, Label("Question")]
    answer: Annotated[LongText, Label("Answer")] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistTick(Record):
    """One point of an interview's guideline checklist, as worded when planned: ticked or not."""

    TABLE: ClassVar[str] = "interview_checklist"
    LABEL: ClassVar[str] = "checklist point"
    SINCE: ClassVar[int] = INTERVIEWS_SINCE

    interview_id: Annotated[int, Refers("interviews"), Label("Interview")]
    position: Annotated[Position, Label("Position")]
    step_id: Annotated[StableId, Label("Step id")]
    step: Annotated[Wording, Label("Step")]
    point_id: Annotated[StableId, Label("Point id")]
    point: Annotated[Wording, Label("Point")]
    ticked: Annotated[bool, Label("Ticked")] = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Conclusion(Record):
    """A conclusion the partner came to in an interview, and the behaviors that led to it."""

    TABLE: ClassVar[str] = "interview_conclusions"
    LABEL: ClassVar[str] = "conclusion"
    SINCE: ClassVar[int] = INTERVIEWS_SINCE

    interview_id: Annotated[int, Refers("interviews"), Label("Interview")]
    position: Annotated[Position, Label("Position")]
    conclusion: Annotated[Reason, Label("Conclusion")]
    behaviors: Annotated[LongText, Label("Behaviors behind it")] = ""
