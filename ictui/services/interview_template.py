"""The interview template: the worksheet's seven questions and the guideline checklist.

They ship here, in code, as the defaults every new interview copies. Each
question, step and point has a stable id that never changes once released:
the wording may be improved later, and an interview planned before keeps
the wording it copied (see ``ictui.kinds.interview``). Letting a team edit the
template in its team file is a later step; the ids are what it will key on.

The questions and the checklist follow the workshop's "Improving Your
Service Worksheet" and "Guidelines for Internal Customer Interviews", in
ictui's own words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Question:
    """A question of the worksheet: its stable id and its wording."""

    id: str
    wording: str


@dataclass(frozen=True)
class Point:
    """A point of the checklist that can be ticked: its stable id and its wording."""

    id: str
    wording: str


@dataclass(frozen=True)
class Step:
    """A step of the guidelines, with the points that say it was done."""

    id: str
    title: str
    points: tuple[Point, ...]


QUESTIONS: tuple[Question, ...] = (
    Question("needs", "What do you need from us to do your job well?"),
    Question("why_us", "Why do you depend on us for it?"),
    Question("improve", "What must we do to serve you better?"),
    Question("effect", "How does that affect your work?"),
    Question("focus", "Where should we put our effort first?"),
    Question("no_longer", "Is there anything we give you that you no longer need?"),
    Question("else", "Anything else you want us to know?"),
)
"""The worksheet's questions, asked in this order."""

CHECKLIST: tuple[Step, ...] = (
    Step(
        "prepare",
        "Prepare",
        (
            Point("prepare_time", "Agree a time that suits you both"),
            Point("prepare_quiet", "Make sure nothing will interrupt you"),
            Point("prepare_told", "Tell them in advance what to expect: no surprises"),
        ),
    ),
    Step(
        "purpose",
        "Say why you are meeting",
        (Point("purpose_again", "At the start, state the purpose and the time frame again"),),
    ),
    Step(
        "safe",
        "Make it safe to speak openly",
        (
            Point("safe_calm", "Don't take offence, get angry or turn defensive and cut them off"),
            Point("safe_listen", "Listen well"),
            Point("safe_subtext", "Listen for what lies below the surface"),
            Point("safe_invite", "Invite their honest opinion"),
            Point("safe_reflect", "Reflect back what you heard"),
            Point("safe_paraphrase", "Paraphrase, and prime them to say more"),
        ),
    ),
    Step(
        "behaviors",
        "From conclusions to behaviors",
        (
            Point(
                "behaviors_ask",
                "Don't argue with a conclusion: ask for the specific behaviors that led to it",
            ),
        ),
    ),
    Step(
        "standards",
        "Standards and measures",
        (Point("standards_set", "Set standards together, each with a clear measure"),),
    ),
    Step(
        "rules",
        "Partnering rules",
        (Point("rules_agree", "Agree what they can do to help you serve them better"),),
    ),
    Step(
        "debrief",
        "Debrief",
        (
            Point(
                "debrief_team",
                "Debrief your co-workers: recap the interview, not just a list of issues",
            ),
        ),
    ),
)
"""The guideline checklist: seven steps and the points to tick in each, in order."""

PURPOSE = (
    "We would like to hear how our service works for you: what you need from us, "
    "what works, and what we should do better. Honest answers help us most: we are "
    "there to listen and learn where to improve, not to defend ourselves."
)
"""Why an interview is held: said in the invitation and again at its start."""

RATING_ASK = "At the end we will ask you to rate our service on a scale from 1 (low) to 10 (high)."
"""How the invitation says that the partner's rating comes last."""


def checklist_points(steps: tuple[Step, ...] | None = None) -> Iterator[tuple[Step, Point]]:
    """Yield every point of the checklist with its step, in order."""
    for step in CHECKLIST if steps is None else steps:
        for point in step.points:
            yield step, point


def answer_values(interview_id: int) -> list[dict[str, Any]]:
    """Return the values of a new interview's answers: each question copied, in order."""
    return [
        {
            "interview_id": interview_id,
            "position": position,
            "question_id": question.id,
            "question": question.wording,
        }
        for position, question in enumerate(QUESTIONS, start=1)
    ]


def tick_values(interview_id: int) -> list[dict[str, Any]]:
    """Return the values of a new interview's checklist: each point copied, unticked, in order."""
    return [
        {
            "interview_id": interview_id,
            "position": position,
            "step_id": step.id,
            "step": step.title,
            "point_id": point.id,
            "point": point.wording,
        }
        for position, (step, point) in enumerate(checklist_points(), start=1)
    ]
