"""A team's own interview template: in force once stored, copied into interviews, checked.

Through real team files in temporary folders: the template is stored and read
in real transactions, and interviews are planned from it.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictui.errors import InvalidInput
from ictui.kinds.interview import InterviewAnswer
from ictui.kinds.interview_template import TemplatePoint, TemplateQuestion
from ictui.kinds.schema import schema_of
from ictui.outputs.check import check_team_file
from ictui.services import interview_template as template
from ictui.services.interview_template import (
    Place,
    Point,
    Question,
    ResetTemplate,
    SetTemplate,
    Step,
    Template,
    TemplateRefused,
    check_template,
    defaults,
    in_force,
    known_roles,
    reset_template,
    set_template,
)
from ictui.services.interviews import plan_interview, worksheet
from ictui.teamfile import fileformat
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run
from ictui.text import clean_single_line

from .conftest import ALICE, BOB, NOW, TODAY, fixed_clock

OURS = Template(
    (
        Question("needs", "What do you need from us, week to week?"),
        Question("budget", "Which of our costs should we cut first?"),
    ),
    (
        Step(
            "prepare",
            "Prepare well",
            (Point("prepare_time", "Agree a time"), Point("prepare_agenda", "Send the agenda")),
        ),
        Step("debrief", "Debrief", (Point("debrief_team", "Tell the team"),)),
    ),
)
"""A team's own template: one default question reworded, one new; a shorter checklist."""


def store_template(store: Store, form: Template) -> template.TemplateSaved:
    with store.transaction(create=True) as tx:
        return set_template(tx, form)


def plan(store: Store, partner: str = "Payroll") -> int:
    with store.transaction(create=True) as tx:
        return plan_interview(tx, partner, TODAY).interview.id


def asked(store: Store, interview_id: int) -> list[tuple[str, str]]:
    return [(a.question_id, a.question) for a in worksheet(store.read(), interview_id).answers]


def checklist(store: Store, interview_id: int) -> list[tuple[str, str, str, str]]:
    ticks = worksheet(store.read(), interview_id).ticks
    return [(t.step_id, t.step, t.point_id, t.point) for t in ticks]


def refusal(form: Template, roles: dict[str, str] | None = None) -> dict[str, str]:
    """Return what a template is refused for, by place: "question 2 id" -> message."""
    with pytest.raises(TemplateRefused) as refused:
        check_template(form, roles)
    said = {}
    for problem in refused.value.problems:
        where = f"{problem.place} {problem.place.key}".strip()
        said[where] = problem.message
    return said


# -- the kinds ------------------------------------------------------------------------------------


def test_a_template_question_is_a_stable_id_a_position_and_a_wording() -> None:
    values = {"question_id": "why_us", "position": 2, "question": "  Why  us? "}
    assert schema_of(TemplateQuestion).check(values).values["question"] == "Why us?"
    with pytest.raises(InvalidInput) as refused:
        schema_of(TemplateQuestion).check({**values, "question_id": "Why Us", "question": " "})
    assert dict(refused.value.problems) == {
        "question_id": "must be lower-case letters, digits and _, starting with a letter, "
        "such as why_us",
        "question": "is required",
    }


def test_a_template_point_names_its_step() -> None:
    values = {"point_id": "a", "position": 1, "step_id": "s", "step": "Step", "point": "Point"}
    assert schema_of(TemplatePoint).check(values).values == values
    with pytest.raises(InvalidInput, match="step_id must be lower-case"):
        schema_of(TemplatePoint).check({**values, "step_id": "1st"})


def test_a_file_from_before_templates_is_lifted_and_keeps_the_defaults(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    plan(store)
    raw = json.loads(store.path.read_text())
    del raw["template_questions"], raw["template_checklist"]
    raw["meta"]["1"]["schema_version"] = 3
    store.path.write_text(json.dumps(raw))
    assert not in_force(store.read()).team  # read as it is
    assert check_team_file(store.path).ok
    plan(store)  # a write lifts it, after a backup
    after = json.loads(store.path.read_text())
    assert after["meta"]["1"]["schema_version"] == fileformat.current_version()
    assert after["template_questions"] == {} and after["template_checklist"] == {}
    assert len(list(store.path.parent.glob("team.json.schema3-*.bak"))) == 1


# -- the template in force --------------------------------------------------------------------


def test_the_defaults_are_in_force_until_the_team_stores_its_own(store: Store) -> None:
    assert in_force(store.read()) == template.InForce(defaults(), team=False)
    store_template(store, OURS)
    now = in_force(store.read())
    assert now.template == OURS
    assert (now.team, now.changed_by, now.changed_at) == (True, ALICE, NOW)


def test_the_team_file_keeps_one_record_per_question_and_per_point(store: Store) -> None:
    store_template(store, OURS)
    snapshot = store.read()
    questions = snapshot.all(TemplateQuestion)
    assert [(q.question_id, q.position) for q in questions] == [("needs", 1), ("budget", 2)]
    points = snapshot.all(TemplatePoint)
    assert [(p.step_id, p.step, p.point_id, p.position) for p in points] == [
        ("prepare", "Prepare well", "prepare_time", 1),
        ("prepare", "Prepare well", "prepare_agenda", 2),
        ("debrief", "Debrief", "debrief_team", 3),
    ]
    assert snapshot.problems == ()


def test_wording_is_stored_cleaned_as_every_text_is() -> None:
    messy = Template((Question(" needs ", "What\tdo you\x1b[2J  need?\n"),), ())
    assert check_template(messy) == Template((Question("needs", "What do you need?"),), ())


def test_going_back_to_the_defaults_puts_the_teams_template_aside(store: Store) -> None:
    store_template(store, OURS)
    with store.transaction() as tx:
        before = reset_template(tx)
    assert before.team and before.template == OURS
    assert in_force(store.read()) == template.InForce(defaults(), team=False)
    # Put aside, not lost: each record is deleted softly, with its history.
    assert store.read().counts(TemplateQuestion) == (0, 2)
    stored = store_template(store, OURS)
    assert stored.questions.added == ("needs", "budget")
    assert [q.id for q in store.read().all(TemplateQuestion)] == [1, 2]  # the same records


def test_going_back_when_on_the_defaults_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    with store.transaction() as tx:
        assert not reset_template(tx).team
    assert store.path.read_bytes() == before


# -- copying it into interviews -----------------------------------------------------------------


def test_an_interview_copies_the_template_in_force_when_it_is_planned(store: Store) -> None:
    on_defaults = plan(store)
    store_template(store, OURS)
    on_ours = plan(store)
    assert asked(store, on_defaults) == [(q.id, q.wording) for q in template.QUESTIONS]
    assert asked(store, on_ours) == [(q.id, q.wording) for q in OURS.questions]
    assert checklist(store, on_ours) == [(s.id, s.title, p.id, p.wording) for s, p in OURS.points()]
    assert [s.step_id for s in worksheet(store.read(), on_ours).steps] == ["prepare", "debrief"]


def test_interviews_keep_their_wording_when_the_template_changes_after(store: Store) -> None:
    first = plan(store)
    store_template(store, OURS)
    second = plan(store)
    reworded = Template(
        (Question("budget", "Where should we save?"),),  # needs removed, budget reworded
        (Step("debrief", "Debrief at once", (Point("debrief_team", "Tell the team today"),)),),
    )
    store_template(store, reworded)
    third = plan(store)
    with store.transaction() as tx:
        reset_template(tx)
    fourth = plan(store)
    assert asked(store, first) == [(q.id, q.wording) for q in template.QUESTIONS]
    assert asked(store, second) == [(q.id, q.wording) for q in OURS.questions]
    assert asked(store, third) == [("budget", "Where should we save?")]
    assert checklist(store, third) == [
        ("debrief", "Debrief at once", "debrief_team", "Tell the team today")
    ]
    assert asked(store, fourth) == asked(store, first)
    assert len(store.read().all(InterviewAnswer)) == 7 + 2 + 1 + 7


def test_a_team_template_without_a_checklist_plans_interviews_without_one(store: Store) -> None:
    store_template(store, Template((Question("only", "Anything?"),), ()))
    interview = plan(store)
    sheet = worksheet(store.read(), interview)
    assert [a.question for a in sheet.answers] == ["Anything?"]
    assert sheet.ticks == () and str(sheet.progress) == "0/0"


# -- storing it again -----------------------------------------------------------------------------


def test_a_reworded_question_is_the_same_record_revised_with_its_history(store: Store) -> None:
    store_template(store, OURS)
    changed = dataclasses.replace(
        OURS, questions=(Question("needs", "What do you need most?"), OURS.questions[1])
    )
    saved = store_template(store, changed)
    assert (saved.questions.reworded, saved.questions.added, saved.points) == (
        ("needs",),
        (),
        template.Changes(),
    )
    record = store.read().get(TemplateQuestion, 1)
    assert record is not None and (record.rev, record.question) == (2, "What do you need most?")
    versions = store.read().history(TemplateQuestion, 1)
    assert versions is not None
    assert versions.versions[-1].values["question"] == OURS.questions[0].wording


def test_a_question_moved_is_said_as_moved_and_a_point_to_another_step_as_reworded(
    store: Store,
) -> None:
    store_template(store, OURS)
    prepare, debrief = OURS.checklist
    swapped = Template(
        OURS.questions[::-1],
        (
            Step("prepare", "Prepare well", prepare.points[:1]),
            Step("debrief", "Debrief", (*debrief.points, prepare.points[1])),
        ),
    )
    saved = store_template(store, swapped)
    assert saved.questions == template.Changes(moved=("budget", "needs"))
    assert saved.points == template.Changes(reworded=("prepare_agenda",), moved=("debrief_team",))
    assert in_force(store.read()).template == swapped


def test_the_same_template_again_writes_nothing(store: Store) -> None:
    store_template(store, OURS)
    before = store.path.read_bytes()
    saved = store_template(store, OURS)
    assert not saved.changed
    assert store.path.read_bytes() == before


def test_the_defaults_stored_unchanged_become_the_teams_own(store: Store) -> None:
    saved = store_template(store, defaults())
    assert saved.changed and not saved.was_team
    assert in_force(store.read()) == template.InForce(defaults(), True, ALICE, NOW)


def test_a_question_removed_and_brought_back_is_its_old_record(store: Store) -> None:
    store_template(store, OURS)
    saved = store_template(store, dataclasses.replace(OURS, questions=OURS.questions[:1]))
    assert saved.questions.removed == ("budget",)
    assert store.read().counts(TemplateQuestion) == (1, 1)
    saved = store_template(store, OURS)
    assert saved.questions.added == ("budget",)
    assert [(q.id, q.question_id) for q in store.read().all(TemplateQuestion)] == [
        (1, "needs"),
        (2, "budget"),
    ]


def test_a_stored_template_is_one_write(
    make_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()
    store_template(store, OURS)
    writes: list[object] = []
    original = Store._write

    def counted(self: Store, *args: Any, **kwargs: Any) -> Any:
        writes.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_write", counted)
    other = Template(
        (Question("budget", "Cost?"), Question("trust", "Do you trust us?")),
        (Step("debrief", "Debrief", (Point("debrief_team", "Tell them"),)),),
    )
    store_template(store, other)
    assert len(writes) == 1
    assert in_force(store.read()).template == other


def test_two_records_of_one_id_from_a_hand_edit_read_as_the_first_and_are_mended(
    store: Store,
) -> None:
    store_template(store, OURS)
    raw = json.loads(store.path.read_text())
    double = {**raw["template_questions"]["1"], "position": 3, "question": "A stray copy?"}
    raw["template_questions"]["9"] = double
    store.path.write_text(json.dumps(raw))
    assert in_force(store.read()).template == OURS
    store_template(store, OURS)
    assert store.read().counts(TemplateQuestion) == (2, 1)  # the double is deleted


def test_writes_for_the_apps_queue(store: Store) -> None:
    saved = run(store, SetTemplate(OURS))
    assert saved.template == OURS and in_force(store.read()).team
    assert run(store, ResetTemplate()).template == OURS  # what was in force
    assert not in_force(store.read()).team


# -- what is refused ------------------------------------------------------------------------------

MUST_BE_AN_ID = "must be lower-case letters, digits and _, starting with a letter, such as why_us"


@pytest.mark.parametrize(
    ("form", "said"),
    [
        (Template((), ()), {"the template": "has no question: it needs at least one"}),
        (
            Template((Question("Why Us", "Why?"), Question("x", "  ")), ()),
            {"question 1 id": f"id {MUST_BE_AN_ID}", "question 2 wording": "wording is required"},
        ),
        (
            Template((Question("", "Why?"), Question("y", "w" * 301)), ()),
            {
                "question 1 id": "id is required",
                "question 2 wording": "wording is too long: 301 characters (at most 300)",
            },
        ),
        (
            Template(
                (Question("a", "A?"),), (Step("s", "", ()), Step("1", "T", (Point("p", ""),)))
            ),
            {
                "step 1": "has no point: a step needs at least one",
                "step 1 title": "title is required",
                "step 2 id": f"id {MUST_BE_AN_ID}",
                "step 2, point 1 wording": "wording is required",
            },
        ),
        (
            Template(
                (Question("a", "A?"), Question("a", "Again?")),
                (Step("s", "S", (Point("a", "P"), Point("s", "Q"))),),
            ),
            {
                "question 2 id": "id 'a' is taken already by question 1: "
                "each question, step and point needs an id of its own",
                "step 1, point 1 id": "id 'a' is taken already by question 1: "
                "each question, step and point needs an id of its own",
                "step 1, point 2 id": "id 's' is taken already by step 1: "
                "each question, step and point needs an id of its own",
            },
        ),
        (
            Template((Question("prepare", "Ready?"),), (Step("needs", "N", (Point("p", "P"),)),)),
            {
                "question 1 id": "id 'prepare' named a step before, and an id keeps its "
                "meaning: give this question an id of its own",
                "step 1 id": "id 'needs' named a question before, and an id keeps its "
                "meaning: give this step an id of its own",
            },
        ),
    ],
)
def test_a_wrong_template_is_refused_saying_each_problem_and_where(
    form: Template, said: dict[str, str]
) -> None:
    assert refusal(form) == said


def test_a_template_holds_at_most_999_questions() -> None:
    many = tuple(Question(f"q{n}", "Why?") for n in range(1000))
    assert refusal(Template(many, ())) == {"the template": "has 1000 questions: at most 999"}


def test_a_refused_template_writes_nothing(store: Store) -> None:
    store_template(store, OURS)
    before = store.path.read_bytes()
    with pytest.raises(TemplateRefused, match="nothing was written"):
        store_template(store, Template((Question("Bad", "Why?"),), ()))
    assert store.path.read_bytes() == before


def test_an_id_keeps_its_meaning_after_its_question_is_removed(store: Store) -> None:
    store_template(store, OURS)
    store_template(store, Template(OURS.questions[:1], OURS.checklist))  # budget removed
    assert known_roles(store.read())["budget"] == "question"
    reused = Template(OURS.questions[:1], (Step("s", "S", (Point("budget", "Cut costs"),)),))
    with pytest.raises(TemplateRefused) as refused:
        store_template(store, reused)
    (problem,) = refused.value.problems
    assert problem.place == Place("point", 1, 1, "id")
    assert problem.message.startswith("id 'budget' named a question before")


# -- any template ---------------------------------------------------------------------------------

IDS = st.from_regex(r"[a-z][a-z0-9_]{0,39}", fullmatch=True).filter(
    lambda ident: ident not in known_roles()
)
WORDING = st.text(max_size=90).filter(lambda text: clean_single_line(text) != "")


@st.composite
def templates(draw: st.DrawFn, count: int = 1) -> list[Template]:
    """Any templates a team may keep (text not cleaned yet), sharing no id with ictui or another."""
    shapes = [
        (draw(st.integers(1, 6)), draw(st.lists(st.integers(1, 4), max_size=4)))
        for _ in range(count)
    ]  # questions, and points per step
    needed = sum(questions + len(steps) + sum(steps) for questions, steps in shapes)
    ids = iter(draw(st.lists(IDS, min_size=needed, max_size=needed, unique=True)))
    return [
        Template(
            tuple(Question(next(ids), draw(WORDING)) for _ in range(questions)),
            tuple(
                Step(
                    next(ids),
                    draw(WORDING),
                    tuple(Point(next(ids), draw(WORDING)) for _ in range(n)),
                )
                for n in steps
            ),
        )
        for questions, steps in shapes
    ]


def cleaned(form: Template) -> Template:
    return Template(
        tuple(Question(q.id, clean_single_line(q.wording)) for q in form.questions),
        tuple(
            Step(
                s.id,
                clean_single_line(s.title),
                tuple(Point(p.id, clean_single_line(p.wording)) for p in s.points),
            )
            for s in form.checklist
        ),
    )


@settings(max_examples=40, deadline=None)
@given(forms=templates(count=2))
def test_any_template_stored_is_the_one_in_force_and_copied(forms: list[Template]) -> None:
    first, second = forms
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "team.json", author=BOB, clock=fixed_clock)
        stored = store_template(store, first).template
        assert stored == cleaned(first) == check_template(stored)  # cleaned once, for good
        interview = plan(store)
        assert in_force(store.read()).template == stored
        # Another after it, sharing no ids: the first one's copy stays as it was.
        store_template(store, second)
        assert in_force(store.read()).template == cleaned(second)
        assert asked(store, interview) == [(q.id, q.wording) for q in stored.questions]
        assert checklist(store, interview) == [
            (s.id, s.title, p.id, p.wording) for s, p in stored.points()
        ]
        assert store.read().problems == ()
