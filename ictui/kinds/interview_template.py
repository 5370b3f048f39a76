"""A team's own interview template: the worksheet's questions and the checklist, as edited.

The template ships in code (``ictui.services.interview_template``) and is in
force until a team edits it; from then on it lives here, in the team file, as
one record per question and one per checklist point, so that two people
rewording different questions never conflict and each keeps its own history.
A record is keyed, for good, on its stable id: rewording a question changes
its record, and removing one deletes it (softly), so that bringing it back
later brings back the same id.

Interviews copy the wording when they are planned (``ictui.kinds.interview``):
what is here changes only the interviews planned after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from ictui.kinds.fields import Label
from ictui.kinds.interview import Position, StableId, Wording
from ictui.kinds.record import Record

TEMPLATES_SINCE = 4
"""The schema version that let a team keep its own interview template."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateQuestion(Record):
    """A question of the team's interview template: its stable id, place and wording."""

    TABLE: ClassVar[str] = "template_questions"
    LABEL: ClassVar[str] = "template question"
    SINCE: ClassVar[int] = TEMPLATES_SINCE

    question_id: Annotated[StableId, Label("Question id")]
    position: Annotated[Position, Label("Position")]
    question: Annotated[Wording, Label("Question")]


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplatePoint(Record):
    """A point of the team's guideline checklist: its stable id, place, step and wording."""

    TABLE: ClassVar[str] = "template_checklist"
    LABEL: ClassVar[str] = "template point"
    SINCE: ClassVar[int] = TEMPLATES_SINCE

    point_id: Annotated[StableId, Label("Point id")]
    position: Annotated[Position, Label("Position")]
    step_id: Annotated[StableId, Label("Step id")]
    step: Annotated[Wording, Label("Step")]
    point: Annotated[Wording, Label("Point")]
