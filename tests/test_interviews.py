"""Interviews: the kinds, the template, planning, the worksheet, holding one, the listing.

Through real team files in temporary folders: the services run in real
transactions, and two OS processes fill in one interview at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ictui.errors import Conflict, IctuiError, InvalidInput
from ictui.kinds.interview import (
    ChecklistTick,
    Conclusion,
    Interview,
    InterviewAnswer,
    stable_id,
)
from ictui.kinds.partner import Partner
from ictui.kinds.schema import schema_of
from ictui.kinds.vocab import InterviewStatus, Relationship
from ictui.outputs import export
from ictui.outputs.demo import write_demo
from ictui.services import interview_template as template
from ictui.services.interviews import (
    RATING_BEFORE_ANSWERS,
    Gap,
    MarkHeld,
    add_conclusion,
    check_plan,
    interviews_listing,
    mark_held,
    plan_interview,
    tick,
    worksheet,
)
from ictui.teamfile import fileformat
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run
from ictui.text import clean_multiline, clean_single_line, for_display, one_line

from .conftest import BOB, HOSTILE, NOW, TODAY, fixed_clock

QUESTION_IDS = ("needs", "why_us", "improve", "effect", "focus", "no_longer", "else")
"""The questions' ids as released: a team's answers are keyed on them for good."""

POINT_IDS = {
    "prepare": ("prepare_time", "prepare_quiet", "prepare_told"),
    "purpose": ("purpose_again",),
    "safe": (
        "safe_calm",
        "safe_listen",
        "safe_subtext",
        "safe_invite",
        "safe_reflect",
        "safe_paraphrase",
    ),
    "behaviors": ("behaviors_ask",),
    "standards": ("standards_set",),
    "rules": ("rules_agree",),
    "debrief": ("debrief_team",),
}
"""The checklist's steps and points by id, as released."""


def plan(store: Store, partner: str = "Payroll", **values: Any) -> Any:
    with store.transaction(create=True) as tx:
        return plan_interview(tx, partner, values.pop("planned_on", TODAY), **values)


def sheet(store: Store, interview_id: int = 1) -> Any:
    return worksheet(store.read(), interview_id)


# -- the template ---------------------------------------------------------------------------


def test_the_worksheet_asks_seven_questions_by_their_stable_ids() -> None:
    assert tuple(q.id for q in template.QUESTIONS) == QUESTION_IDS
    assert all(q.wording.endswith("?") for q in template.QUESTIONS)


def test_the_checklist_is_seven_steps_and_fourteen_points_by_their_stable_ids() -> None:
    steps = {step.id: tuple(p.id for p in step.points) for step in template.CHECKLIST}
    assert steps == POINT_IDS
    assert list(steps) == list(POINT_IDS)  # in the guidelines' order
    assert [len(points) for points in steps.values()] == [3, 1, 6, 1, 1, 1, 1]
    assert len(list(template.checklist_points())) == 14


def test_every_id_is_unique_and_a_stable_id() -> None:
    ids = [
        *QUESTION_IDS,
        *(step.id for step in template.CHECKLIST),
        *(point.id for _, point in template.checklist_points()),
    ]
    assert len(ids) == len(set(ids))
    assert [stable_id(i) for i in ids] == ids


def test_the_templates_copies_pass_their_kinds_rules() -> None:
    answers = [schema_of(InterviewAnswer).check(v) for v in template.answer_values(3)]
    ticks = [schema_of(ChecklistTick).check(v) for v in template.tick_values(3)]
    assert [a.values["position"] for a in answers] == list(range(1, 8))
    assert [t.values["position"] for t in ticks] == list(range(1, 15))
    assert not any(t.values["ticked"] for t in ticks)


# -- the kinds --------------------------------------------------------------------------------


def interview_values(**values: Any) -> dict[str, Any]:
    return {"partner_id": 1, "planned_on": TODAY, **values}


@pytest.mark.parametrize(
    ("typed", "kept"), [("9:30", "09:30"), ("14:05", "14:05"), (" 07:00 ", "07:00"), ("", "")]
)
def test_a_time_is_kept_as_hh_mm(typed: str, kept: str) -> None:
    checked = schema_of(Interview).check(interview_values(planned_time=typed))
    assert checked.values["planned_time"] == kept


@pytest.mark.parametrize("typed", ["24:00", "12:60", "noon", "9", "9.30", "12:5"])
def test_a_time_that_is_not_one_is_refused_in_words(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        schema_of(Interview).check(interview_values(planned_time=typed))
    assert dict(refused.value.problems) == {
        "planned_time": "must be a time of day written HH:MM, such as 09:30 or 14:00"
    }


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("Ann,,  Bob , ", "Ann, Bob"), ("Li Chen", "Li Chen"), ("", ""), ("Ann ,Bob", "Ann, Bob")],
)
def test_interviewers_are_kept_as_names_between_commas(store: Store, typed: str, kept: str) -> None:
    assert plan(store, interviewers=typed).interview.interviewers == kept


@given(st.text(alphabet=" ,\t", min_size=1).filter(lambda t: "," in t))
def test_interviewers_of_commas_alone_are_refused_in_words(typed: str) -> None:
    # Found by trying: "  ,  , " was kept, and the worksheet said "With: , ,".
    with pytest.raises(InvalidInput) as refused:
        check_plan("Payroll", TODAY, interviewers=typed)
    assert dict(refused.value.problems) == {
        "interviewers": "names no one: write the names between commas"
    }


@given(st.integers(min_value=-1000, max_value=1000))
def test_both_ratings_take_one_to_ten_and_nothing_else(rating: int) -> None:
    for field in ("self_rating", "customer_rating"):
        values = interview_values(**{field: rating})
        if 1 <= rating <= 10:
            assert schema_of(Interview).check(values).values[field] == rating
        else:
            with pytest.raises(InvalidInput) as refused:
                schema_of(Interview).check(values)
            bound = "greater than or equal to 1" if rating < 1 else "less than or equal to 10"
            assert dict(refused.value.problems) == {field: f"must be {bound}"}


def test_a_new_interview_is_planned_and_unrated() -> None:
    values = schema_of(Interview).check(interview_values()).values
    assert values["status"] is InterviewStatus.PLANNED
    assert (values["self_rating"], values["customer_rating"]) == (None, None)


def test_an_id_of_the_template_is_lower_case_words() -> None:
    values = {**template.answer_values(1)[0], "question_id": "Why Us"}
    with pytest.raises(InvalidInput, match="question_id must be lower-case letters"):
        schema_of(InterviewAnswer).check(values)


def test_a_conclusion_needs_its_words() -> None:
    with pytest.raises(InvalidInput) as refused:
        schema_of(Conclusion).check({"interview_id": 1, "position": 1, "conclusion": "  "})
    assert dict(refused.value.problems) == {"conclusion": "is required"}


# -- the gap in words --------------------------------------------------------------------------

RATING = st.integers(min_value=1, max_value=10)
GAP_WORDS = re.compile(
    r"you rated (\d+), they rated (\d+): (the same as yours|(\d+) (below|above) yours)"
)


@pytest.mark.parametrize(
    ("ours", "theirs", "words", "short"),
    [
        (8, 5, "you rated 8, they rated 5: 3 below yours", "−3"),
        (5, 7, "you rated 5, they rated 7: 2 above yours", "+2"),
        (6, 6, "you rated 6, they rated 6: the same as yours", "0"),
        (8, None, "you rated 8; they have not rated yet", ""),
        (None, 4, "they rated 4; you gave no rating before the talk", ""),
        (None, None, "not rated yet", ""),
    ],
)
def test_the_gap_is_said_plainly(
    ours: int | None, theirs: int | None, words: str, short: str
) -> None:
    gap = Gap(ours, theirs)
    assert (gap.words, gap.short) == (words, short)


@given(ours=RATING, theirs=RATING)
def test_the_gap_words_say_both_ratings_and_which_way_they_differ(ours: int, theirs: int) -> None:
    gap = Gap(ours, theirs)
    found = GAP_WORDS.fullmatch(gap.words)
    assert found is not None, gap.words
    assert (int(found[1]), int(found[2])) == (ours, theirs)
    assert gap.difference == theirs - ours
    if ours == theirs:
        assert found[3] == "the same as yours"
    else:
        assert int(found[4]) == abs(theirs - ours)
        assert found[5] == ("below" if theirs < ours else "above")
    assert int(gap.short.replace("−", "-")) == theirs - ours


# -- planning ------------------------------------------------------------------------------------


def test_planning_writes_the_interview_with_its_questions_and_checklist(store: Store) -> None:
    planned = plan(store, "  PAYROLL ", planned_time="9:30", interviewers="Amara", self_rating=8)
    assert planned.new_partner is None  # found whatever the case and spacing
    interview = planned.interview
    assert (interview.partner_id, interview.planned_time, interview.self_rating) == (1, "09:30", 8)
    ws = sheet(store, interview.id)
    assert ws.partner == "Payroll"
    assert [a.question_id for a in ws.answers] == list(QUESTION_IDS)
    assert [a.question for a in ws.answers] == [q.wording for q in template.QUESTIONS]
    assert [t.point_id for t in ws.ticks] == [p for ps in POINT_IDS.values() for p in ps]
    assert [(s.step_id, len(s.ticks)) for s in ws.steps] == [
        (step, len(points)) for step, points in POINT_IDS.items()
    ]
    assert str(ws.progress) == "0/14" and ws.answered == 0 and ws.conclusions == ()


def test_planning_with_a_new_name_adds_the_partner_as_an_internal_customer(store: Store) -> None:
    planned = plan(store, "Sales Operations")
    assert planned.new_partner is not None and planned.new_partner.name == "Sales Operations"
    assert planned.new_partner.relationship is Relationship.CUSTOMER
    assert planned.interview.partner_id == planned.new_partner.id
    again = plan(store, "sales operations")
    assert again.new_partner is None and again.interview.partner_id == planned.new_partner.id


def test_planning_is_one_write_all_or_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.path.read_bytes()
    broken = (*template.QUESTIONS[:3], template.Question("Bad Id", "What now?"))
    monkeypatch.setattr(template, "QUESTIONS", broken)
    with pytest.raises(InvalidInput, match="question_id"):
        plan(store, "A new partner")
    assert store.path.read_bytes() == before  # neither the partner nor the interview


def test_a_plan_that_breaks_the_rules_names_each_field_and_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        plan(store, " ", planned_on="2026-02-30", planned_time="25:00", self_rating=0)
    assert dict(refused.value.problems) == {
        "partner": "is required",
        "planned_on": "is not a real day: 2026-02-30",
        "planned_time": "must be a time of day written HH:MM, such as 09:30 or 14:00",
        "self_rating": "must be greater than or equal to 1",
    }
    assert store.path.read_bytes() == before


def test_an_interview_keeps_the_wording_it_was_planned_with(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = plan(store).interview
    original = template.QUESTIONS
    reworded = tuple(template.Question(q.id, f"Reworded: {q.wording}") for q in template.QUESTIONS)
    steps = tuple(
        template.Step(
            s.id,
            f"New {s.title}",
            tuple(template.Point(p.id, f"{p.wording}, now") for p in s.points),
        )
        for s in template.CHECKLIST
    )
    monkeypatch.setattr(template, "QUESTIONS", reworded)
    monkeypatch.setattr(template, "CHECKLIST", steps)
    new = plan(store).interview
    kept, fresh = sheet(store, old.id), sheet(store, new.id)
    assert [a.question for a in kept.answers] == [q.wording for q in original]
    assert kept.answers[0].question == "What do you need from us to do your job well?"
    assert [a.question for a in fresh.answers] == [q.wording for q in reworded]
    assert [a.question_id for a in kept.answers] == [a.question_id for a in fresh.answers]
    assert kept.steps[0].title == "Prepare" and fresh.steps[0].title == "New Prepare"
    assert fresh.ticks[0].point == "Agree a time that suits you both, now"
    assert [t.point_id for t in kept.ticks] == [t.point_id for t in fresh.ticks]


# -- the worksheet, filled in -----------------------------------------------------------------


def tick_points(store: Store, interview_id: int, point_ids: set[str]) -> None:
    for point in sheet(store, interview_id).ticks:
        if point.point_id in point_ids:
            run(store, tick(point))


NINE = {
    "prepare_time", "prepare_quiet", "prepare_told", "purpose_again", "safe_calm",
    "safe_listen", "safe_invite", "safe_reflect", "behaviors_ask",
}  # fmt: skip


def test_ticking_shows_as_progress_and_holding_lists_what_is_left(store: Store) -> None:
    interview = plan(store).interview
    tick_points(store, interview.id, NINE)
    ws = sheet(store, interview.id)
    assert str(ws.progress) == "9/14"
    left = ["safe_subtext", "safe_paraphrase", "standards_set", "rules_agree", "debrief_team"]
    assert [t.point_id for t in ws.unticked] == left
    with store.transaction() as tx:
        held = mark_held(tx, interview.id, interview.rev)
    assert held.interview.status is InterviewStatus.HELD  # never blocked by what is left
    assert [t.point_id for t in held.unticked] == left
    assert sheet(store, interview.id).interview.rev == interview.rev + 1


def test_an_interview_held_before_its_planned_day_is_dated_the_day_it_was_held(
    store: Store,
) -> None:
    later = TODAY + dt.timedelta(days=6)
    interview = plan(store, planned_on=later, planned_time="09:00").interview
    write = MarkHeld(interview.id, interview.rev)
    held = run(store, write)
    assert held.interview.planned_on == TODAY and held.planned_for == later
    # Found by trying: the recap said "held today at 09:00", the time planned for later.
    assert held.interview.planned_time == ""
    assert f"dated today (it was planned for {later:%a %d %b})" in write.said(held)
    on_the_day = plan(store, planned_on=TODAY, planned_time="14:00").interview
    held = run(store, MarkHeld(on_the_day.id, on_the_day.rev))
    assert held.interview.planned_on == TODAY and held.planned_for is None
    assert held.interview.planned_time == "14:00"


def test_unticking_a_point_takes_it_back(store: Store) -> None:
    interview = plan(store).interview
    point = sheet(store, interview.id).ticks[0]
    ticked = run(store, tick(point))
    run(store, tick(ticked, ticked=False))
    assert str(sheet(store, interview.id).progress) == "0/14"


def test_holding_names_the_revision_it_started_from(store: Store) -> None:
    interview = plan(store).interview
    store.update(Interview, interview.id, interview.rev, notes="moved to Friday")
    with pytest.raises(Conflict), store.transaction() as tx:
        mark_held(tx, interview.id, interview.rev)
    current = sheet(store, interview.id).interview
    with store.transaction() as tx:
        mark_held(tx, interview.id, current.rev)
    with store.transaction() as tx:  # held already: nothing changes
        assert mark_held(tx, interview.id, current.rev + 1).interview.rev == current.rev + 1
    store.update(Interview, interview.id, current.rev + 1, status="debriefed")
    with pytest.raises(IctuiError, match="debriefed already"), store.transaction() as tx:
        mark_held(tx, interview.id, current.rev + 2)


def test_a_customer_rating_before_any_answer_is_questioned_never_refused(store: Store) -> None:
    interview = plan(store).interview
    ws = sheet(store, interview.id)
    assert ws.rating_question(5) == RATING_BEFORE_ANSWERS
    assert ws.rating_question(None) is None
    rated = store.update(Interview, interview.id, interview.rev, customer_rating=5)
    assert rated.customer_rating == 5  # kept all the same
    first = ws.answers[0]
    store.update(InterviewAnswer, first.id, first.rev, answer="Reports by Monday")
    assert sheet(store, interview.id).rating_question(5) is None
    with pytest.raises(InvalidInput, match="customer_rating must be less than or equal to 10"):
        store.update(Interview, interview.id, rated.rev, customer_rating=11)


def test_conclusions_come_in_order_with_their_behaviors(store: Store) -> None:
    interview = plan(store).interview
    with store.transaction() as tx:
        add_conclusion(tx, interview.id, "You're slow to answer", "Three tickets waited a week")
        add_conclusion(tx, interview.id, "We hear of outages late")
    ws = sheet(store, interview.id)
    assert [(c.position, c.conclusion) for c in ws.conclusions] == [
        (1, "You're slow to answer"),
        (2, "We hear of outages late"),
    ]
    assert ws.conclusions[0].behaviors == "Three tickets waited a week"
    with pytest.raises(InvalidInput, match="conclusion is required"), store.transaction() as tx:
        add_conclusion(tx, interview.id, "")


def test_the_worksheet_reads_the_same_from_a_transaction(store: Store) -> None:
    interview = plan(store).interview
    with store.transaction() as tx:
        add_conclusion(tx, interview.id, "Slow")
        in_tx = worksheet(tx, interview.id)
    assert in_tx == sheet(store, interview.id)


def test_answers_of_other_interviews_stay_out(store: Store) -> None:
    first, second = plan(store).interview, plan(store).interview
    answer = sheet(store, second.id).answers[0]
    store.update(InterviewAnswer, answer.id, answer.rev, answer="only the second's")
    assert sheet(store, first.id).answered == 0 and sheet(store, second.id).answered == 1


# -- two people, one interview ------------------------------------------------------------------

WORKER = """
import sys
from ictui.errors import Conflict
from ictui.kinds.interview import InterviewAnswer
from ictui.kinds.record import Author
from ictui.teamfile.store import Store

path, answer_id, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = Store(path, author=Author(account=f"worker{answer_id}"), lock_timeout=60)
print("ready", flush=True)
sys.stdin.readline()
conflicts = 0
for n in range(rounds):
    answer = store.read().get(InterviewAnswer, answer_id)
    try:
        store.update(InterviewAnswer, answer_id, answer.rev, answer=f"{answer.answer} {n}".strip())
    except Conflict:
        conflicts += 1
print(f"conflicts {conflicts}", flush=True)
"""


@pytest.mark.slow
def test_two_people_typing_different_answers_of_one_interview_both_land(store: Store) -> None:
    interview = plan(store).interview
    first, second = sheet(store, interview.id).answers[:2]
    rounds = 25
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(store.path), str(answer.id), str(rounds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for answer in (first, second)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    assert [out.split()[-1] for out in outputs] == ["0", "0"]  # never in each other's way
    ws = sheet(store, interview.id)
    every = " ".join(str(n) for n in range(rounds))
    assert [a.answer for a in ws.answers[:2]] == [every, every]
    assert [a.rev for a in ws.answers[:2]] == [rounds + 1, rounds + 1]
    assert [a.updated_by.account for a in ws.answers[:2]] == [
        f"worker{first.id}",
        f"worker{second.id}",
    ]
    assert ws.interview.rev == interview.rev  # the interview itself untouched


def test_two_people_changing_one_answer_is_a_conflict_that_keeps_theirs(
    store: Store, make_store: Callable[..., Store]
) -> None:
    interview = plan(store).interview
    answer = sheet(store, interview.id).answers[0]
    store.update(InterviewAnswer, answer.id, answer.rev, answer="Alice's words")
    with pytest.raises(Conflict) as stale:
        make_store(BOB).update(InterviewAnswer, answer.id, answer.rev, answer="Bob's words")
    assert stale.value.current.answer == "Alice's words"  # type: ignore[attr-defined]
    assert sheet(store, interview.id).answers[0].answer == "Alice's words"


# -- the listing ----------------------------------------------------------------------------------


def dated(store: Store, partner: str, day: dt.date, status: str, **values: Any) -> Interview:
    interview: Interview = plan(store, partner, planned_on=day).interview
    return store.update(Interview, interview.id, interview.rev, status=status, **values)


def test_the_listing_gives_planned_first_soonest_first_then_held_newest_first(
    store: Store,
) -> None:
    day = dt.date(2026, 6, 1)
    old = dated(store, "Payroll", day, "held")
    late = dated(store, "Legal", day + dt.timedelta(days=40), "planned")
    soon = dated(store, "Payroll", day + dt.timedelta(days=30), "planned")
    new = dated(store, "Legal", day + dt.timedelta(days=10), "debriefed")
    gone = dated(store, "Payroll", day + dt.timedelta(days=20), "held")
    store.delete(Interview, gone.id, gone.rev)
    rows = interviews_listing(store.read())
    assert [row.interview.id for row in rows] == [soon.id, late.id, new.id, old.id]
    assert [row.partner for row in rows] == ["Payroll", "Legal", "Legal", "Payroll"]
    legal = store.read().all(Partner)[1]
    assert [r.interview.id for r in interviews_listing(store.read(), legal.id)] == [late.id, new.id]


def test_a_partners_earlier_interviews_show_how_ratings_and_the_gap_moved(store: Store) -> None:
    day = dt.date(2025, 1, 10)
    for n, (ours, theirs) in enumerate([(7, 4), (7, 5), (8, 7)]):
        dated(
            store,
            "Payroll",
            day + dt.timedelta(days=90 * n),
            "held",
            self_rating=ours,
            customer_rating=theirs,
        )
    dated(store, "Legal", day, "held", self_rating=5, customer_rating=9)
    upcoming = dated(store, "Payroll", day + dt.timedelta(days=400), "planned", self_rating=8)
    rows = {row.interview.id: row for row in interviews_listing(store.read())}
    assert rows[3].trend == "their rating 4 → 5 → 7; gap −3 → −2 → −1"
    assert rows[3].gap.words == "you rated 8, they rated 7: 1 below yours"
    assert [point.gap.theirs for point in rows[3].earlier] == [4, 5]
    assert rows[1].trend == "" and rows[1].earlier == ()
    assert rows[4].trend == ""  # Legal's first: other partners' interviews never count
    assert [p.interview_id for p in rows[upcoming.id].earlier] == [1, 2, 3]
    assert rows[upcoming.id].trend == "their rating 4 → 5 → 7; gap −3 → −2 → −1"


def test_a_long_trend_shows_its_last_steps(store: Store) -> None:
    for n in range(6):
        dated(
            store, "Payroll", dt.date(2025, 1, 1 + n), "held", self_rating=5, customer_rating=n + 1
        )
    newest = interviews_listing(store.read())[0]
    assert newest.trend == "their rating … → 3 → 4 → 5 → 6; gap … → −2 → −1 → 0 → +1"


# -- the invitation and the worksheet in Markdown -----------------------------------------------

MARKDOWN_TRAPS = (
    "# Heading?",
    "[a link](http://evil.example)",
    "![an image](http://evil.example/x.png)",
    "<script>alert(1)</script>",
    "<http://evil.example>",
    "1. a list?",
    "- an item?",
    "> a quote?",
    "---",
    "`code`",
    "**bold** and _em_",
    "| a | b |",
    "&amp; &#x41;",
    "Title\n===",
    "trailing #",
    "  indented\n\n    code?",
)
"""Text that would change a Markdown document's shape if it were not escaped."""

FORBIDDEN = {
    "link_open", "image", "html_inline", "html_block", "code_inline", "code_block", "fence",
    "hr", "blockquote_open", "table_open", "s_open",
}  # fmt: skip
"""Markdown that people's text must never make."""


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)


def text_of(inline: Token) -> str:
    """Return what an inline token shows, with its line breaks as line breaks."""
    parts = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def shown(tokens: list[Token]) -> list[str]:
    return [text_of(t) for t in tokens if t.type == "inline"]


def hostile_interview(store: Store, text: str) -> Any:
    """Plan an interview with text in every field that people can write."""
    with store.transaction() as tx:
        planned = plan_interview(tx, f"Team {text}", TODAY, "10:00", f"Amara {text}", minutes=30)
        bare = text if clean_single_line(text) else "Q0"  # at the very start of a block
        for answer in planned.answers:
            question = bare if answer.position == 1 else f"Q{answer.position} {text}"
            tx.update(
                InterviewAnswer,
                answer.id,
                answer.rev,
                {"question": question, "answer": f"{text}\nsecond line"},
            )
        for point in planned.ticks[:2]:
            tx.update(
                ChecklistTick, point.id, point.rev, {"point": f"P {text}", "step": f"S {text}"}
            )
        conclusion = text if clean_multiline(text) else "C0"
        add_conclusion(tx, planned.interview.id, conclusion, f"B {text}\n{text}")
        tx.update(Interview, planned.interview.id, 1, {"notes": f"{text}\nmore"})
    return sheet(store, planned.interview.id)


def clean(value: str) -> str:
    """What people see of a one-line value: on one line, display-safe."""
    return one_line(value)


@pytest.mark.parametrize("text", [*HOSTILE, *MARKDOWN_TRAPS])
def test_the_invitation_keeps_peoples_text_as_text(store: Store, text: str) -> None:
    ws = hostile_interview(store, text)
    markdown = export.invitation_markdown(ws)
    tokens = parse(markdown)
    assert not FORBIDDEN & {t.type for t in tokens}
    inline_types = {c.type for t in tokens for c in t.children or []}
    assert not FORBIDDEN & inline_types
    headings = [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        f"Interview with {clean(ws.partner)}: what to expect",
        "When",
        "The questions",
    ]
    texts = shown(tokens)
    assert f"With: {clean(ws.interview.interviewers)}" in texts
    opened = next(i for i, t in enumerate(tokens) if t.type == "ordered_list_open")
    closed = next(i for i, t in enumerate(tokens) if t.type == "ordered_list_close")
    asked = [text_of(t) for t in tokens[opened:closed] if t.type == "inline"]
    assert asked == [clean(a.question) for a in ws.answers]
    ordered = sum(t.type == "ordered_list_open" for t in tokens)
    items = sum(t.type == "list_item_open" for t in tokens)
    assert (ordered, items) == (1, 4 + 7)  # date, time, length, with; seven questions
    assert "\x1b" not in markdown and "\u202e" not in markdown


@pytest.mark.parametrize("text", [*HOSTILE, *MARKDOWN_TRAPS])
def test_the_worksheet_in_markdown_keeps_peoples_text_as_text(store: Store, text: str) -> None:
    ws = hostile_interview(store, text)
    tokens = parse("\n".join(export.worksheet_markdown(ws)))
    assert not FORBIDDEN & (
        {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    )
    headings = [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    title = f"Interview with {clean(ws.partner)}, {TODAY.isoformat()}"
    assert headings == [title, "Questions", "Checklist: 0/14 ticked", "Conclusions", "Notes"]
    texts = shown(tokens)
    for line in ws.answers[0].answer.split("\n"):  # an answer keeps its lines, as typed
        assert not line.strip() or any(for_display(line).strip() in t for t in texts), line
    assert f"[ ] {clean(ws.ticks[0].point)}" in texts
    for line in ws.conclusions[0].conclusion.split("\n"):
        assert not line.strip() or any(for_display(line).strip() in t for t in texts), line
    assert clean(ws.answers[0].question) in texts  # the question, bold, as typed


def test_the_invitation_says_when_and_what_it_will_ask(store: Store) -> None:
    planned = plan(store, planned_on=dt.date(2026, 12, 3), planned_time="10:00", minutes=45)
    markdown = export.invitation_markdown(sheet(store, planned.interview.id))
    texts = shown(parse(markdown))
    assert "Date: Thursday, 2026-12-03" in texts and "Time: 10:00" in texts
    assert "Length: about 45 minutes" in texts
    assert [q.wording for q in template.QUESTIONS] == texts[-8:-1]
    assert "1 (low) to 10 (high)" in texts[-1]
    untimed = plan(store, planned_on=dt.date(2026, 12, 3)).interview
    assert "Time: to be agreed" in shown(
        parse(export.invitation_markdown(sheet(store, untimed.id)))
    )


# -- exports, check, the schema, the demo -------------------------------------------------------


def test_interviews_are_exported_and_checked(store: Store) -> None:
    interview = plan(store, self_rating=8).interview
    store.update(Interview, interview.id, interview.rev, status="held", customer_rating=5)
    with store.transaction() as tx:
        add_conclusion(tx, interview.id, "=1+1 is no formula", "-3 behaviors")
    snapshot = store.read()
    assert snapshot.problems == ()
    document = json.loads(export.to_json(snapshot, NOW))
    assert [i["customer_rating"] for i in document["interviews"]] == [5]
    assert len(document["interview_answers"]) == 7 and len(document["interview_checklist"]) == 14
    assert document["interview_conclusions"][0]["behaviors"] == "-3 behaviors"
    header, row = export.to_csv(snapshot, Interview).splitlines()
    columns = ["gap", "logged_by", "logged_at", "revision", "logged_by_account"]
    assert header.split(",")[-5:] == columns
    assert row.split(",")[1] == "Payroll" and row.split(",")[-5] == "-3"  # a number, not text
    conclusions = export.to_csv(snapshot, Conclusion)
    assert "'=1+1 is no formula" in conclusions and "'-3 behaviors" in conclusions
    markdown = export.to_markdown(snapshot, NOW)
    assert "## Interviews" in markdown and "### Interview with Payroll" in markdown
    assert "you rated 8, they rated 5: 3 below" in markdown
    assert "## Interview answers" not in markdown  # inside their interview's worksheet


def test_a_file_from_before_interviews_is_lifted_after_a_backup(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    with store.transaction(create=True) as tx:
        tx.new(Partner, name="Payroll")
    raw = json.loads(store.path.read_text())
    for table in (
        "interviews",
        "interview_answers",
        "interview_checklist",
        "interview_conclusions",
    ):
        del raw[table]
    raw["meta"]["1"]["schema_version"] = 2
    store.path.write_text(json.dumps(raw))
    before = store.path.read_bytes()
    assert store.read().all(Interview) == []  # read as it is, nothing written
    plan(store)
    after = json.loads(store.path.read_text())
    assert after["meta"]["1"]["schema_version"] == fileformat.current_version()
    assert len(after["interview_answers"]) == 7
    (backup,) = store.path.parent.glob("team.json.schema2-*.bak")
    assert backup.read_bytes() == before


def test_the_demo_holds_a_held_interview_and_a_planned_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.json", clock=fixed_clock)
    write_demo(store, TODAY)
    snapshot = store.read()
    assert snapshot.problems == ()
    planned, held = interviews_listing(snapshot)
    assert planned.interview.status is InterviewStatus.PLANNED
    assert planned.interview.planned_on > TODAY
    ws = worksheet(snapshot, held.interview.id)
    assert ws.interview.status is InterviewStatus.HELD and ws.interview.planned_on < TODAY
    assert ws.gap.words == "you rated 8, they rated 5: 3 below yours"
    assert ws.answered == 7 and str(ws.progress) == "9/14"
    assert len(ws.conclusions) == 2 and all(c.behaviors for c in ws.conclusions)
    every = [
        r.created_at
        for kind in (Interview, InterviewAnswer, ChecklistTick, Conclusion)
        for r in snapshot.all(kind)
    ]
    assert max(every) <= NOW


def test_interviews_leave_the_demos_contact_points_as_they_were(tmp_path: Path) -> None:
    with_them, without = (Store(tmp_path / f"{n}.json", clock=fixed_clock) for n in "ab")
    write_demo(with_them, TODAY, 40)
    write_demo(without, TODAY, 40, interviews=0)
    raw = [json.loads(s.path.read_text()) for s in (with_them, without)]
    assert raw[0]["contact_points"] == raw[1]["contact_points"]
    assert raw[1]["interviews"] == {}


def test_a_demo_for_benchmarks_holds_as_many_interviews_as_asked(tmp_path: Path) -> None:
    store = Store(tmp_path / "big.json", clock=fixed_clock)
    records = write_demo(store, TODAY, 10, interviews=60, standards=0, debriefs=0)
    snapshot = store.read()
    assert snapshot.problems == ()
    assert snapshot.counts(Interview) == (60, 0)
    assert snapshot.counts(InterviewAnswer) == (60 * 7, 0)
    assert snapshot.counts(ChecklistTick) == (60 * 14, 0)
    conclusions = snapshot.counts(Conclusion)[0]
    assert records == 10 + 10 + 60 * 22 + conclusions
    statuses = {row.interview.status for row in interviews_listing(snapshot)}
    assert statuses == set(InterviewStatus)
    with pytest.raises(IctuiError, match="--interviews must be between 0 and"):
        write_demo(Store(tmp_path / "no.json"), TODAY, 1, interviews=-1)
