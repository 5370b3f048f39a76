"""Debriefs: the recap of a held interview that its interviewer gives co-workers, in four kinds.

The workshop's warning is that a bare list of issues gets the messenger shot.
A good recap says how the interview was set up, the opening question and the
partner's first reactions, what probing revealed, then the specifics, good
news first: results, issues, resolutions and the standards agreed; and it
lets co-workers react. A lead prepares it before the meeting, often with a
colleague, and adds reactions during it. So, as with interviews, each part
that people add one by one is a record of its own, and two people adding
points to one debrief never conflict:

- ``Debrief``: the interview it recaps, its paragraphs (set-up, opening
  question, first reactions, what probing revealed, a caution), the day it
  was held (none: still a draft; one field, so that "held" and its day can
  never disagree) and notes. The paragraphs are fields of one record, saved
  field by field (``ictui.services.autosave``): two people editing
  different paragraphs never clash.
- ``DebriefPoint``: one finding, result or issue, in order within its
  section. A finding may keep the question it answers (copied from the
  worksheet); an issue may name the standard agreed for it.
- ``DebriefResolution``: what will be done, optionally about one issue. A
  kind of its own rather than a section of points, so that the issue it
  resolves is a reference that ``ictui check`` checks (a kind refers only to
  kinds before it, never to its own).
- ``DebriefReaction``: what a co-worker said during the meeting, and who
  said it (empty: anonymous), in the order said.

Points are kept as records rather than as one long text because they are
counted (the balance check), tied to each other (a resolution to its issue),
and can be many: a long interview's answers become findings, more than one
field could hold. The standards and measures are never copied: a recap reads
them live from the standards whose ``interview_id`` is the debrief's
interview, and those its issues name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic_core import PydanticCustomError

from ictui.kinds.fields import Check, InputCheck, Label, LongText, Reason, Refers, ShortText, Text
from ictui.kinds.interview import WORDING_MAX, Position
from ictui.kinds.record import Record
from ictui.kinds.rules import not_too_early
from ictui.kinds.vocab import DebriefSection, DebriefStatus

DEBRIEFS_SINCE = 6
"""The schema version that added debriefs and their parts."""


def held_by_now(value: dt.date | None, today: dt.date) -> dt.date | None:
    """Check that a debrief said to be held has been: one day of slack for time zones."""
    if value is not None and value > today + dt.timedelta(days=1):
        raise PydanticCustomError(
            "future",
            "{date} is in the future; mark the debrief held once it has been",
            {"date": value.isoformat()},
        )
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Debrief(Record):
    """The recap of one held interview for co-workers: its paragraphs, and whether it was held."""

    TABLE: ClassVar[str] = "debriefs"
    LABEL: ClassVar[str] = "debrief"
    SINCE: ClassVar[int] = DEBRIEFS_SINCE
    ONE_LIVE_PER: ClassVar[str | None] = "interview_id"

    interview_id: Annotated[int, Refers("interviews"), Label("Interview")]
    set_up: Annotated[LongText, Label("How the interview was set up")] = ""
    opening_question: Annotated[LongText, Label("The opening question")] = ""
    first_reactions: Annotated[LongText, Label("Their first reactions")] = ""
    probing: Annotated[LongText, Label("What probing revealed")] = ""
    caution: Annotated[LongText, Label("Caution")] = ""
    held_on: Annotated[
        dt.date | None, Check(not_too_early), InputCheck(held_by_now), Label("Held on")
    ] = None
    notes: Annotated[LongText, Label("Notes")] = ""

    @property
    def status(self) -> DebriefStatus:
        """Held once it has a day it was held on; a draft until then."""
        return DebriefStatus.DRAFT if self.held_on is None else DebriefStatus.HELD


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefPoint(Record):
    """One finding, result or issue of a debrief, in order within its section."""

    TABLE: ClassVar[str] = "debrief_points"
    LABEL: ClassVar[str] = "debrief point"
    SINCE: ClassVar[int] = DEBRIEFS_SINCE

    debrief_id: Annotated[int, Refers("debriefs"), Label("Debrief")]
    section: Annotated[DebriefSection, Label("Section")]
    position: Annotated[Position, Label("Position")]
    text: Annotated[Reason, Label("Point")]
    detail: Annotated[LongText, Label("Behind it")] = ""
    question: Annotated[str, Text(0, WORDING_MAX), Label("The question it answers")] = ""
    standard_id: Annotated[int | None, Refers("standards"), Label("Standard agreed for it")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefResolution(Record):
    """What will be done, agreed in or after the interview: about one issue, or in general."""

    TABLE: ClassVar[str] = "debrief_resolutions"
    LABEL: ClassVar[str] = "resolution"
    SINCE: ClassVar[int] = DEBRIEFS_SINCE

    debrief_id: Annotated[int, Refers("debriefs"), Label("Debrief")]
    position: Annotated[Position, Label("Position")]
    text: Annotated[Reason, Label("Resolution")]
    resolves: Annotated[int | None, Refers("debrief_points"), Label("Resolves issue")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefReaction(Record):
    """What a co-worker said of the recap during the meeting, and who (empty: anonymous)."""

    TABLE: ClassVar[str] = "debrief_reactions"
    LABEL: ClassVar[str] = "reaction"
    SINCE: ClassVar[int] = DEBRIEFS_SINCE

    debrief_id: Annotated[int, Refers("debriefs"), Label("Debrief")]
    text: Annotated[Reason, Label("Reaction")]
    said_by: Annotated[ShortText, Label("Said by")] = ""
