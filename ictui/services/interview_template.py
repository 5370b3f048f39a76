"""The interview template: the worksheet's questions and the guideline checklist.

They ship here, in code, as the defaults every new interview copies, until a
team edits them; from then on the team's own template lives in its team file
(``ictui.kinds.interview_template``) and is the one in force, until the team
goes back to the defaults. Each question, step and point has a stable id that
never changes once released: the wording may be improved later, and an
interview planned before keeps the wording it copied (see
``ictui.kinds.interview``).

An id keeps its meaning: a team may reword a question under its id, but an
id that named a question never names a step or a point (nor the other way
round), so that answers and ticks kept under an id always mean one thing.
Removing a question removes it from the interviews planned after, never from
those planned before.

The questions and the checklist follow the workshop's "Improving Your
Service Worksheet" and "Guidelines for Internal Customer Interviews", in
ictui's own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ictui.errors import IctuiError, InvalidInput
from ictui.kinds.interview import POSITION_MAX
from ictui.kinds.interview_template import TemplatePoint, TemplateQuestion
from ictui.kinds.record import Author, R
from ictui.kinds.schema import schema_of
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.transaction import Transaction

Records = Snapshot | Transaction
"""What the template in force is read from: the team file as read, or a transaction under way."""


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
    """Yield every point of the checklist with its step, in order (the defaults' if no steps)."""
    for step in CHECKLIST if steps is None else steps:
        for point in step.points:
            yield step, point


# -- the template in force -----------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A template of the worksheet: its questions and its checklist's steps, in order."""

    questions: tuple[Question, ...]
    checklist: tuple[Step, ...]

    def points(self) -> Iterator[tuple[Step, Point]]:
        """Yield every point of the checklist with its step, in order."""
        return checklist_points(self.checklist)


def defaults() -> Template:
    """Return the template that ships in code: in force until a team edits its own."""
    # Read when called, not at import: tests stand in other defaults for a while.
    return Template(QUESTIONS, CHECKLIST)


@dataclass(frozen=True)
class InForce:
    """The template new interviews copy, and whose it is: the team's own or the defaults."""

    template: Template
    team: bool
    """Whether it is the team's own, from its team file; else the defaults in code."""
    changed_by: Author | None = None
    """Who last changed the team's template (None for the defaults)."""
    changed_at: dt.datetime | None = None
    """When the team's template was last changed (None for the defaults)."""


def _in_order(records: Iterable[R], key: str) -> list[R]:
    """Return records by position, keeping the first of any stable id held twice."""
    seen: set[str] = set()
    kept: list[R] = []
    # Two live records of one id come only from hand edits: the first one stands.
    for record in sorted(records, key=lambda r: (getattr(r, "position", 0), r.id)):
        if getattr(record, key) not in seen:
            seen.add(getattr(record, key))
            kept.append(record)
    return kept


def _steps(points: Iterable[TemplatePoint]) -> tuple[Step, ...]:
    """Return points as steps: in order of each step's first point, titled by that point."""
    titles: dict[str, str] = {}
    grouped: dict[str, list[Point]] = {}
    for point in points:
        titles.setdefault(point.step_id, point.step)
        grouped.setdefault(point.step_id, []).append(Point(point.point_id, point.point))
    return tuple(Step(step_id, titles[step_id], tuple(grouped[step_id])) for step_id in grouped)


def in_force(records: Records) -> InForce:
    """Return the template new interviews copy: the team's own if it has one, else the defaults.

    A team has its own template while any of its questions is live: storing
    one always writes at least one, and going back to the defaults deletes them.
    """
    questions = _in_order(records.all(TemplateQuestion), "question_id")
    if not questions:
        return InForce(defaults(), team=False)
    points = _in_order(records.all(TemplatePoint), "point_id")
    template = Template(
        tuple(Question(q.question_id, q.question) for q in questions), _steps(points)
    )
    every = [
        *records.all(TemplateQuestion, include_deleted=True),
        *records.all(TemplatePoint, include_deleted=True),
    ]
    newest = max(every, key=lambda record: (record.updated_at, record.rev))
    return InForce(template, True, newest.updated_by, newest.updated_at)


# -- checking a template ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where in a template something is: a question, a step, or a point of a step; and its key."""

    part: str
    """"question", "step" or "point"; empty for the template as a whole."""
    number: int = 0
    """The question's or step's number, or the point's within its step: 1 first."""
    step: int = 0
    """For a point: its step's number."""
    key: str = ""
    """The key at fault ("id", "wording", "title"); empty for the part as a whole."""

    def at(self, key: str) -> Place:
        """Return the same part, at one of its keys."""
        return Place(self.part, self.number, self.step, key)

    def __str__(self) -> str:
        if self.part == "point":
            return f"step {self.step}, point {self.number}"
        return f"{self.part} {self.number}" if self.part else "the template"


WHOLE = Place("")
"""The template as a whole: for what no one question, step or point is at fault for."""


@dataclass(frozen=True)
class TemplateProblem:
    """Something wrong with a template a team wants to keep, and where."""

    place: Place
    message: str
    """In words for people, starting with the key at fault: "id must be ..."."""

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class TemplateRefused(IctuiError):
    """A template was refused; says each problem and where it lies."""

    def __init__(self, problems: Iterable[TemplateProblem]) -> None:
        self.problems = tuple(problems)
        said = "; ".join(map(str, self.problems))
        super().__init__(f"the interview template was refused: {said}; nothing was written")


ROLES = ("question", "step", "point")
"""What a stable id can name; it names one of them for good."""


def known_roles(records: Records | None = None) -> dict[str, str]:
    """Return what each id known so far names: in the defaults, and in the team's templates.

    The team's deleted records count too: an id a team once used for a
    question stays a question's id, even after the question was removed.
    """
    roles: dict[str, str] = {}
    template = defaults()
    for question in template.questions:
        roles.setdefault(question.id, "question")
    for step, point in template.points():
        roles.setdefault(step.id, "step")
        roles.setdefault(point.id, "point")
    if records is not None:
        for q in records.all(TemplateQuestion, include_deleted=True):
            roles.setdefault(q.question_id, "question")
        for p in records.all(TemplatePoint, include_deleted=True):
            roles.setdefault(p.step_id, "step")
            roles.setdefault(p.point_id, "point")
    return roles


_KEYS = {"question_id": "id", "question": "wording", "point_id": "id", "point": "wording"}
_STEP_KEYS = {"step_id": "id", "step": "title"}
_STAND_IN: dict[str, Any] = {
    "point_id": "x", "position": 1, "step_id": "x", "step": "x", "point": "x"
}  # fmt: skip
"""Values that pass, to check some fields of a point without the others'."""


class _Checker:
    """Checks a template part by part with its kinds' rules, and cleans it as they do."""

    def __init__(self, roles: Mapping[str, str]) -> None:
        self.roles = roles
        self.problems: list[TemplateProblem] = []
        self.taken: dict[str, Place] = {}

    def claim(self, ident: str, place: Place) -> None:
        """Note that place takes an id: each id names one part, and what it named before."""
        role = place.part
        if ident in self.taken:
            self.problems.append(
                TemplateProblem(
                    place.at("id"),
                    f"id {ident!r} is taken already by {self.taken[ident]}: "
                    "each question, step and point needs an id of its own",
                )
            )
            return
        self.taken[ident] = place
        was = self.roles.get(ident)
        if was is not None and was != role:
            self.problems.append(
                TemplateProblem(
                    place.at("id"),
                    f"id {ident!r} named a {was} before, and an id keeps its meaning: "
                    f"give this {role} an id of its own",
                )
            )

    def check(
        self, kind: type[R], values: dict[str, Any], places: Mapping[str, Place], ident: str
    ) -> dict[str, Any] | None:
        """Return values as the kind cleans them, or None with each problem noted where it lies.

        ident: the field holding the part's id, which is claimed whenever it passes,
        so that an id taken twice is said even beside another problem.
        """
        try:
            clean = dict(schema_of(kind).check(values).values)
        except InvalidInput as error:
            for name, message in error.problems:
                place = places.get(name, WHOLE)
                self.problems.append(TemplateProblem(place, f"{place.key or name} {message}"))
            if ident not in {name for name, _ in error.problems}:
                # A stable id that passes is the same once cleaned: trimmed, no more.
                self.claim(str(values[ident]).strip(), places[ident])
            return None
        self.claim(clean[ident], places[ident])
        return clean


def check_template(template: Template, roles: Mapping[str, str] | None = None) -> Template:
    """Return a template as the team file would keep it (its text cleaned); refuse a wrong one.

    Every id must be a stable id and unique across questions, steps and
    points, and must name what it named before (roles: what each known id
    names; the defaults' ids if None); every wording and title must be there;
    the template needs at least one question, and each step at least one point.
    TemplateRefused says every problem, and where.
    """
    checker = _Checker(known_roles() if roles is None else roles)
    problems = checker.problems
    if not template.questions:
        problems.append(TemplateProblem(WHOLE, "has no question: it needs at least one"))
    for what, count in (
        ("questions", len(template.questions)),
        ("points", sum(len(step.points) for step in template.checklist)),
    ):
        if count > POSITION_MAX:
            problems.append(TemplateProblem(WHOLE, f"has {count} {what}: at most {POSITION_MAX}"))
    questions: list[Question] = []
    for number, question in enumerate(template.questions, start=1):
        place = Place("question", number)
        values = {
            "question_id": question.id,
            "position": min(number, POSITION_MAX),
            "question": question.wording,
        }
        keys = {name: place.at(key) for name, key in _KEYS.items()}
        clean = checker.check(TemplateQuestion, values, keys, "question_id")
        if clean is not None:
            questions.append(Question(clean["question_id"], clean["question"]))
    steps: list[Step] = []
    position = 0
    for number, step in enumerate(template.checklist, start=1):
        step_place = Place("step", number)
        if not step.points:
            problems.append(TemplateProblem(step_place, "has no point: a step needs at least one"))
        # The step's own id and title first, beside a point that passes, then each point.
        values = {**_STAND_IN, "step_id": step.id, "step": step.title}
        keys = {name: step_place.at(key) for name, key in _STEP_KEYS.items()}
        clean = checker.check(TemplatePoint, values, keys, "step_id")
        beside = clean or _STAND_IN  # a step's points are checked beside a step that passes
        points: list[Point] = []
        for index, point in enumerate(step.points, start=1):
            position += 1
            place = Place("point", index, number)
            values = {
                "point_id": point.id,
                "position": min(position, POSITION_MAX),
                "step_id": beside["step_id"],
                "step": beside["step"],
                "point": point.wording,
            }
            keys = {name: place.at(key) for name, key in _KEYS.items()}
            clean = checker.check(TemplatePoint, values, keys, "point_id")
            if clean is not None:
                points.append(Point(clean["point_id"], clean["point"]))
        steps.append(Step(beside["step_id"], beside["step"], tuple(points)))
    if problems:
        raise TemplateRefused(problems)
    return Template(tuple(questions), tuple(steps))


# -- storing a team's template ---------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What storing a template did to one kind of its parts, by stable id, in order."""

    added: tuple[str, ...] = ()
    """New ids, and ids brought back after they were removed."""
    reworded: tuple[str, ...] = ()
    """Ids whose wording (or a point's step) changed."""
    moved: tuple[str, ...] = ()
    """Ids that only changed place."""
    removed: tuple[str, ...] = ()
    """Ids no longer in the template: left out of the interviews planned from now on."""

    def __bool__(self) -> bool:
        return bool(self.added or self.reworded or self.moved or self.removed)


@dataclass(frozen=True)
class TemplateSaved:
    """A team's template as stored, and what that changed."""

    template: Template
    questions: Changes
    points: Changes
    was_team: bool
    """Whether the team had a template of its own before (else the defaults were in force)."""

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.questions or self.points or not self.was_team)


def _store_parts(tx: Transaction, kind: type[R], key: str, wanted: list[dict[str, Any]]) -> Changes:
    """Make kind's records say wanted, keyed on their stable ids, as one part of one write."""
    added: list[str] = []
    reworded: list[str] = []
    moved: list[str] = []
    # One record per id: a live one before a deleted one, the oldest first.
    by_id: dict[str, Any] = {}
    doubles: list[Any] = []
    for record in sorted(tx.all(kind, include_deleted=True), key=lambda r: (r.deleted, r.id)):
        if getattr(record, key) in by_id:
            doubles.append(record)
        else:
            by_id[getattr(record, key)] = record
    for values in wanted:
        ident = values[key]
        current = by_id.pop(ident, None)
        if current is None:
            tx.add(schema_of(kind).check(values))
            added.append(ident)
            continue
        if current.deleted:
            current = tx.restore(kind, current.id, current.rev)
            added.append(ident)
        changes = {name: value for name, value in values.items() if getattr(current, name) != value}
        if not changes:
            continue
        tx.update(kind, current.id, current.rev, changes)
        if ident in added:
            continue
        if set(changes) == {"position"}:
            moved.append(ident)
        else:
            reworded.append(ident)
    removed = [ident for ident, record in by_id.items() if not record.deleted]
    for record in (*by_id.values(), *doubles):
        if not record.deleted:
            tx.delete(kind, record.id, record.rev)
    return Changes(tuple(added), tuple(reworded), tuple(moved), tuple(removed))


def set_template(tx: Transaction, template: Template) -> TemplateSaved:
    """Store a template as the team's own, in force for the interviews planned from now on.

    Each question and point is kept under its stable id: a reworded one is
    the same record, revised; one left out is deleted (softly: bringing its
    id back brings it back); interviews planned before keep the wording they
    copied. TemplateRefused names each problem; nothing is written then.
    """
    was_team = in_force(tx).team
    clean = check_template(template, known_roles(tx))
    questions = [
        {"question_id": q.id, "position": n, "question": q.wording}
        for n, q in enumerate(clean.questions, start=1)
    ]
    points = [
        {"point_id": p.id, "position": n, "step_id": s.id, "step": s.title, "point": p.wording}
        for n, (s, p) in enumerate(clean.points(), start=1)
    ]
    return TemplateSaved(
        clean,
        _store_parts(tx, TemplateQuestion, "question_id", questions),
        _store_parts(tx, TemplatePoint, "point_id", points),
        was_team,
    )


def reset_template(tx: Transaction) -> InForce:
    """Put the team's template aside: the defaults are in force for interviews planned from now on.

    Its records are deleted softly, so their history stays and storing the
    ids again brings them back. Returns what was in force before.
    """
    before = in_force(tx)
    for kind in (TemplateQuestion, TemplatePoint):
        for record in tx.all(kind):
            tx.delete(kind, record.id, record.rev)
    return before


@dataclass(frozen=True)
class SetTemplate:
    """Store a template as the team's own: a write for the app's queue."""

    template: Template
    what: str = "store the interview template"
    creates = True

    def apply(self, tx: Transaction) -> TemplateSaved:
        """Store it; TemplateRefused if it is not one to keep."""
        return set_template(tx, self.template)


@dataclass(frozen=True)
class ResetTemplate:
    """Go back to the default template: a write for the app's queue."""

    what: str = "go back to the default template"
    creates = False

    def apply(self, tx: Transaction) -> InForce:
        """Put the team's template aside."""
        return reset_template(tx)


# -- copying it into an interview ------------------------------------------------------------------


def answer_values(interview_id: int, template: Template | None = None) -> list[dict[str, Any]]:
    """Return the values of a new interview's answers: each question copied, in order.

    template: the one in force (see in_force); the defaults if None.
    """
    questions = (template or defaults()).questions
    return [
        {
            "interview_id": interview_id,
            "position": position,
            "question_id": question.id,
            "question": question.wording,
        }
        for position, question in enumerate(questions, start=1)
    ]


def tick_values(interview_id: int, template: Template | None = None) -> list[dict[str, Any]]:
    """Return the values of a new interview's checklist: each point copied, unticked, in order.

    template: the one in force (see in_force); the defaults if None.
    """
    return [
        {
            "interview_id": interview_id,
            "position": position,
            "step_id": step.id,
            "step": step.title,
            "point_id": point.id,
            "point": point.wording,
        }
        for position, (step, point) in enumerate((template or defaults()).points(), start=1)
    ]
