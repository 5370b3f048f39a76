"""Debrief recaps (issue 20): pre-fill, the balance check, the Markdown and its escaping, the CLI.

Records are written through a real store on a real team file (the tests'
fixed clock: 20 November 2026); the Markdown is parsed back with markdown-it
as CommonMark with tables, and as Textual's Markdown widget reads it; two OS
processes add to one debrief at once.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ictui.errors import IctuiError, InvalidInput
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefReaction, DebriefResolution
from ictui.kinds.interview import ChecklistTick, Interview, InterviewAnswer
from ictui.kinds.schema import schema_of
from ictui.kinds.standard import Standard
from ictui.kinds.vocab import DebriefSection, InterviewStatus, StandardStatus
from ictui.outputs.demo import HELD_ANSWERS, HELD_CONCLUSIONS, HELD_RESULTS, write_demo
from ictui.outputs.recap import NOTHING_YET, TITLES, recap_markdown
from ictui.services.debriefs import (
    CAUTION_OPENING,
    NO_GOOD_NEWS,
    AddPoint,
    AddResolution,
    DebriefExists,
    HoldDebrief,
    Move,
    Recap,
    Resolve,
    TieStandard,
    add_point,
    add_resolution,
    debriefs_listing,
    recap,
    start_debrief,
)
from ictui.services.history import BringBack
from ictui.services.interviews import add_conclusion, plan_interview, worksheet
from ictui.services.standards import SaveStandard, StandardDraft, standing_of
from ictui.teamfile.store import Store
from ictui.teamfile.writes import Delete, Restore, run
from ictui.text import clean_multiline, for_display, one_line

from .conftest import HOSTILE, NOW, TODAY, fixed_clock, ictui
from .test_interviews import FORBIDDEN, MARKDOWN_TRAPS, text_of

pytestmark = pytest.mark.usefixtures("no_ictui_environment")

RESULT, ISSUE = DebriefSection.RESULT, DebriefSection.ISSUE


# -- helpers -----------------------------------------------------------------------------------


def held_interview(store: Store, partner: str = "Sales Operations", **changes: Any) -> int:
    """Plan an interview, answer it, conclude it and mark it held; return its id."""
    with store.transaction(create=True) as tx:
        planned = plan_interview(
            tx, partner, TODAY - dt.timedelta(days=3), "14:00", "Amara", 8, minutes=45
        )
        for answer in planned.answers:
            text = f"answer {answer.position}"
            tx.update(InterviewAnswer, answer.id, answer.rev, {"answer": text})
        for tick in planned.ticks[:10]:
            tx.update(ChecklistTick, tick.id, tick.rev, {"ticked": True})
        add_conclusion(tx, planned.interview.id, "You're slow.", "Three requests waited a week.")
        add_conclusion(tx, planned.interview.id, "You never tell us.", "")
        values = {"status": InterviewStatus.HELD, "customer_rating": 5, **changes}
        tx.update(Interview, planned.interview.id, 1, values)
    return planned.interview.id


def started(store: Store, interview_id: int) -> int:
    with store.transaction() as tx:
        return start_debrief(tx, interview_id).debrief.id


def read(store: Store, debrief_id: int) -> Recap:
    return recap(store.read(), debrief_id, TODAY)


def demo_store(tmp_path: Path, **options: Any) -> Store:
    store = Store(tmp_path / "demo.json", clock=fixed_clock)
    write_demo(store, TODAY, 20, **options)
    return store


# -- starting one, pre-filled -----------------------------------------------------------------


def test_a_debrief_of_the_demos_held_interview_is_pre_filled_from_it(tmp_path: Path) -> None:
    store = demo_store(tmp_path, debriefs=0)
    snapshot = store.read()
    held = next(i for i in snapshot.all(Interview) if i.status is InterviewStatus.HELD)
    sheet = worksheet(snapshot, held.id)
    with store.transaction() as tx:
        made = start_debrief(tx, held.id)
    debrief = made.debrief
    assert debrief.held_on is None and debrief.status.value == "draft"
    assert debrief.set_up.startswith(f"Interview with Sales Operations on {held.planned_on}")
    assert "about 45 minutes, held by Amara Okafor, Ben Walsh." in debrief.set_up
    assert "We rated our service 8 before the talk; they rated it 5: 3 below ours." in (
        debrief.set_up
    )
    assert debrief.opening_question == sheet.answers[0].question
    assert debrief.first_reactions == HELD_ANSWERS["needs"]
    # The other answers are what probing revealed, each with its question.
    got = read(store, debrief.id)
    assert [(p.question, p.text) for p in got.findings] == [
        (a.question, a.answer) for a in sheet.answers[1:]
    ]
    assert [(p.text, p.detail) for p in got.issues] == list(HELD_CONCLUSIONS)
    assert got.results == () and got.resolutions == () and got.reactions == ()
    # The guideline's unticked points are a caution, each on a line of its own.
    caution = debrief.caution.split("\n")
    assert len(caution) == 1 + len(sheet.unticked) == 6
    assert all(one_line(t.point) in debrief.caution for t in sheet.unticked)
    assert len(made.points) == 6 + 2
    assert {p.created_at for p in made.points} == {debrief.created_at}  # one write


def test_starting_refuses_a_planned_interview_and_a_second_debrief(store: Store) -> None:
    with store.transaction() as tx:
        planned = plan_interview(tx, "Payroll", TODAY + dt.timedelta(days=3))
    with pytest.raises(IctuiError, match="is planned, not held: a debrief recaps a held"):
        started(store, planned.interview.id)
    held = held_interview(store)
    first = started(store, held)
    with pytest.raises(DebriefExists) as again:
        started(store, held)
    assert again.value.debrief_id == first
    assert store.read().counts(Debrief) == (1, 0)


def test_a_deleted_debrief_cannot_come_back_beside_its_interviews_new_one(store: Store) -> None:
    held = held_interview(store)
    first = started(store, held)
    with store.transaction() as tx:
        tx.delete(Debrief, first, 1)
    second = started(store, held)  # the interview has no live debrief: a new one starts
    before = store.path.read_bytes()
    undo, bring_back_rev_1 = Restore(Debrief, first, 2), BringBack(Debrief, first, 1, 2, {})
    for write in (undo, bring_back_rev_1):
        with pytest.raises(IctuiError, match=rf"interview {held} has debrief {second} now"):
            store.run(write.apply)
    assert store.path.read_bytes() == before  # nothing written
    with store.transaction() as tx:
        tx.delete(Debrief, second, 1)
    store.run(undo.apply)  # the other one gone, the first comes back
    assert [d.id for d in store.read().all(Debrief)] == [first]


def test_check_reports_an_interview_with_two_live_debriefs(store: Store) -> None:
    from ictui.outputs.check import check_team_file

    held = held_interview(store)
    first = started(store, held)
    assert not [p for p in check_team_file(store.path).problems if p.startswith("debriefs")]
    with store.transaction() as tx:  # as a hand edit or an older ictui could leave it
        second = tx.add(schema_of(Debrief).check({"interview_id": held})).id
    report = check_team_file(store.path)
    assert not report.ok
    assert [p for p in report.problems if p.startswith("debriefs")] == [
        f"debriefs {second}: interview_id: interview {held} has debrief {first} too, "
        "and may have only one; delete one of them"
    ]


def test_a_long_interview_is_pre_filled_whole(store: Store) -> None:
    long_answer = ("Word " * 400).strip()  # 1,999 characters
    with store.transaction() as tx:
        planned = plan_interview(tx, "Sales Operations", TODAY, minutes=60)
        interview_id = planned.interview.id
        for position in range(8, 51):
            values = {
                "interview_id": interview_id,
                "position": position,
                "question_id": f"q{position}",
                "question": f"Question {position}?",
            }
            tx.add(schema_of(InterviewAnswer).check(values))
        for answer in tx.all(InterviewAnswer):
            tx.update(InterviewAnswer, answer.id, answer.rev, {"answer": long_answer})
        tx.update(Interview, interview_id, 1, {"status": InterviewStatus.HELD})
    debrief_id = started(store, interview_id)
    got = read(store, debrief_id)
    assert len(got.findings) == 49 and all(p.text == long_answer for p in got.findings)
    markdown = recap_markdown(got)
    assert markdown.count(long_answer) == 50
    assert headings(parse(markdown)) == title_and_sections(got)


# -- adding, tying, moving, holding ---------------------------------------------------------------


def test_points_go_after_their_sections_others_and_move_within_it(store: Store) -> None:
    debrief = started(store, held_interview(store))
    first = run(store, AddPoint(debrief, RESULT, "Reports on time."))
    second = run(store, AddPoint(debrief, RESULT, "Fast fixes."))
    third = run(store, AddPoint(debrief, RESULT, "Clear notes."))
    assert (first.position, second.position, third.position) == (1, 2, 3)
    run(store, Move(DebriefPoint, third.id, third.rev, 1))
    got = read(store, debrief)
    assert [p.text for p in got.results] == ["Clear notes.", "Reports on time.", "Fast fixes."]
    assert [p.position for p in got.results] == [1, 2, 3]
    assert [p.position for p in got.issues] == [1, 2]  # other sections keep their order


def test_a_resolution_resolves_only_an_issue_of_its_own_debrief(store: Store) -> None:
    one = started(store, held_interview(store))
    other = started(store, held_interview(store, "Payroll"))
    issue = read(store, one).issues[0]
    finding = read(store, one).findings[0]
    foreign = read(store, other).issues[0]
    with pytest.raises(InvalidInput, match="which is a finding, not an issue"):
        run(store, AddResolution(one, "Do it.", finding.id))
    with pytest.raises(InvalidInput, match=f"which is not in debrief {one}"):
        run(store, AddResolution(one, "Do it.", foreign.id))
    general = run(store, AddResolution(one, "Weekly duty person."))
    tied = run(store, Resolve(general.id, general.rev, issue.id))
    assert tied.resolves == issue.id
    with pytest.raises(InvalidInput, match="is only for an issue, not a result"):
        run(store, AddPoint(one, RESULT, "Good.", standard_id=1))


def test_holding_a_debrief_marks_its_interview_debriefed(store: Store) -> None:
    interview = held_interview(store)
    debrief = started(store, interview)
    snapshot = store.read()
    current = snapshot.get(Debrief, debrief)
    assert current is not None
    with pytest.raises(InvalidInput, match="in the future; mark the debrief held once it has"):
        run(store, HoldDebrief(debrief, current.rev, TODAY + dt.timedelta(days=5)))
    before_the_interview = TODAY - dt.timedelta(days=4)  # it was held three days ago
    with pytest.raises(InvalidInput, match="held_on must be on or after the interview's day"):
        run(store, HoldDebrief(debrief, current.rev, before_the_interview))
    held = run(store, HoldDebrief(debrief, current.rev, TODAY))
    assert held.debrief.held_on == TODAY and held.debrief.status.value == "held"
    assert held.interview.status is InterviewStatus.DEBRIEFED
    assert "- **Debrief:** held on 2026-11-20" in recap_markdown(read(store, debrief))


# -- the balance check -----------------------------------------------------------------------


def advice(store: Store, debrief: int) -> list[str]:
    return [a.text for a in read(store, debrief).balance.advice]


def test_the_balance_check_warns_until_issues_are_answered_and_there_is_good_news(
    store: Store,
) -> None:
    debrief = started(store, held_interview(store))
    issues = read(store, debrief).issues
    said = advice(store, debrief)
    assert said[0].startswith("Issue 1 (You're slow.) has no resolution or standard")
    assert said[1].startswith("Issue 2 (You never tell us.) has no resolution or standard")
    assert said[2] == NO_GOOD_NEWS
    assert said[3].startswith("2 issues against 0 results, resolutions and standards together")
    assert len(said) == 4
    run(store, AddPoint(debrief, RESULT, "Reports are on time."))
    resolution = run(store, AddResolution(debrief, "A duty person each week.", issues[0].id))
    balance = read(store, debrief).balance
    assert (balance.results, balance.issues, balance.resolutions, balance.standards) == (1, 2, 1, 0)
    assert balance.counts == "1 result, 2 issues, 1 resolution, 0 standards"
    assert [a.point_id for a in balance.advice] == [issues[1].id]  # 2 against 2: balanced
    # A standard answers an issue as well as a resolution does.
    made = run(store, SaveStandard(StandardDraft("Sales Operations", "We tell them first.")))
    issue = read(store, debrief).issues[1]
    run(store, TieStandard(issue.id, issue.rev, made.standard.id))
    assert advice(store, debrief) == []
    # Taken away, the warnings come back: advice follows the records, never a copy.
    run(store, Delete(DebriefResolution, resolution.id, resolution.rev))
    assert [a.point_id for a in read(store, debrief).balance.advice] == [issues[0].id]


def test_issues_outnumbering_everything_else_are_warned_of(store: Store) -> None:
    debrief = started(store, held_interview(store))
    run(store, AddPoint(debrief, RESULT, "One good thing."))
    run(store, AddResolution(debrief, "A general fix."))
    assert not any("against" in said for said in advice(store, debrief))  # 2 against 2
    run(store, AddPoint(debrief, ISSUE, "A third issue."))
    assert any(said.startswith("3 issues against 2 results") for said in advice(store, debrief))


def test_the_demos_debrief_is_balanced_but_for_one_issue(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    [row] = debriefs_listing(store.read(), TODAY)
    assert row.interview.status is InterviewStatus.HELD and row.debrief.held_on is None
    balance = row.balance
    assert (balance.results, balance.issues, balance.resolutions, balance.standards) == (2, 2, 1, 1)
    assert [a.text.split(" (")[0] for a in balance.advice] == ["Issue 2"]
    got = read(store, row.debrief.id)
    assert [p.text for p in got.results] == [text for text, _ in HELD_RESULTS]
    assert got.standards[0].standard.standard.startswith("Data requests from Sales Operations")


# -- standards, read live -------------------------------------------------------------------------


def test_standards_set_in_the_interview_are_read_live(store: Store) -> None:
    interview = held_interview(store)
    debrief = started(store, interview)
    draft = StandardDraft(
        "Sales Operations", "Requests answered within 2 days", target="≤ 2", interview_id=interview
    )
    made = run(store, SaveStandard(draft)).standard
    run(store, SaveStandard(StandardDraft("Sales Operations", "Not from this interview")))
    [shown] = read(store, debrief).standards
    assert shown.standard.id == made.id
    assert shown.standing == standing_of(made, [], TODAY)
    changed = StandardDraft(
        "Sales Operations", "Requests answered the same day", interview_id=interview
    )
    run(store, SaveStandard(changed, made.id, made.rev))
    assert "Requests answered the same day" in recap_markdown(read(store, debrief))
    current = store.read().get(Standard, made.id)
    assert current is not None and current.status is StandardStatus.PROPOSED
    run(store, Delete(Standard, made.id, current.rev))
    got = read(store, debrief)
    assert got.standards == ()
    assert "Requests answered" not in recap_markdown(got)


# -- the Markdown ------------------------------------------------------------------------------


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)


def parse_as_textual(markdown: str) -> list[Token]:
    """Parse as Textual's Markdown widget does (the preview): GitHub-flavoured, with linkify."""
    return MarkdownIt("gfm-like").parse(markdown)


def headings(tokens: list[Token]) -> list[str]:
    return [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def title_and_sections(got: Recap) -> list[str]:
    title = f"Debrief: interview with {one_line(got.partner)}, {got.interview.planned_on}"
    notes = ["Notes"] if got.debrief.notes.strip() else []
    return [title, *TITLES, *notes]


def test_the_recap_tells_good_news_first_in_the_workshops_order(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    [row] = debriefs_listing(store.read(), TODAY)
    markdown = recap_markdown(read(store, row.debrief.id))
    tokens = parse(markdown)
    assert headings(tokens) == title_and_sections(read(store, row.debrief.id))
    assert markdown.index("## Results") < markdown.index("## Issues discussed")
    assert markdown.index(HELD_RESULTS[0][0]) < markdown.index(HELD_CONCLUSIONS[0][0])
    assert "*Resolved by resolution 1.*" in markdown and "*Resolves issue 1.*" in markdown
    assert markdown.count(NOTHING_YET) == 1  # no reactions yet
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1  # the standards and measures


def hostile_recap(store: Store, text: str) -> Recap:
    """A debrief with text in every field people write, and in its interview and partner."""
    bare = text if clean_multiline(text) else "x"
    with store.transaction(create=True) as tx:
        planned = plan_interview(tx, f"Team {text}", TODAY, "10:00", f"Amara {text}", minutes=30)
        interview_id = planned.interview.id
        for answer in planned.answers:
            changes = {"question": f"Q{answer.position} {text}", "answer": f"{text}\nsecond"}
            tx.update(InterviewAnswer, answer.id, answer.rev, changes)
        add_conclusion(tx, interview_id, bare, f"B {text}\n{text}")
        tx.update(Interview, interview_id, 1, {"status": InterviewStatus.HELD})
        debrief = start_debrief(tx, interview_id).debrief
        changes = {
            name: f"{text}\n{text}"
            for name in ("set_up", "opening_question", "first_reactions", "probing", "notes")
        }
        changes["caution"] = f"{text}\n- {text}\n{debrief.caution}"  # and the points pre-filled
        tx.update(Debrief, debrief.id, debrief.rev, changes)
        add_point(tx, debrief.id, RESULT, bare, f"{text}\n- {text}")
        [issue] = [p for p in tx.all(DebriefPoint) if p.section is ISSUE]
        standard = SaveStandard(
            StandardDraft(f"Team {text}", f"S {text}", measure=text, interview_id=interview_id)
        ).apply(tx)
        tx.update(DebriefPoint, issue.id, issue.rev, {"standard_id": standard.standard.id})
        add_resolution(tx, debrief.id, bare, issue.id)
        tx.add(
            schema_of(DebriefReaction).check(
                {"debrief_id": debrief.id, "text": bare, "said_by": text}
            )
        )
    return recap(store.read(), debrief.id, TODAY)


def assert_structure_holds(got: Recap) -> None:
    """Hostile text adds no heading, list item, table cell, link or HTML: it stays text."""
    markdown = recap_markdown(got)
    for tokens in (parse(markdown), parse_as_textual(markdown)):
        every = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
        assert not (FORBIDDEN - {"table_open", "link_open"}) & every
        links = [c for t in tokens for c in t.children or [] if c.type == "link_open"]
        # Only the preview's linkify may link a web address typed as text; never a script.
        safe = ("http://", "https://", "mailto:")
        assert all(str(c.attrs.get("href", "")).startswith(safe) for c in links)
        assert headings(tokens) == title_and_sections(got)
        items = sum(t.type == "list_item_open" for t in tokens)
        # The two facts, the caution's lines that start "- ", the findings, a result, an
        # issue, a resolution, a reaction.
        caution = [line.strip() for line in for_display(got.debrief.caution).split("\n")]
        listed = sum(line.startswith("- ") and bool(line[2:].strip()) for line in caution)
        assert items == 2 + listed + len(got.findings) + 1 + 1 + 1 + 1
        cells = sum(t.type in ("th_open", "td_open") for t in tokens)
        assert cells == 9 * 2  # the standards' header and its one row
    assert "\x1b" not in markdown and "\u202e" not in markdown and "\x9b" not in markdown


@pytest.mark.parametrize("text", [*HOSTILE, *MARKDOWN_TRAPS])
def test_the_recap_keeps_peoples_text_as_text(store: Store, text: str) -> None:
    got = hostile_recap(store, text)
    assert_structure_holds(got)
    tokens = parse(recap_markdown(got))
    assert not any(t.type == "link_open" for t in tokens for t in t.children or [])
    texts = [text_of(t) for t in tokens if t.type == "inline"]
    for line in got.debrief.set_up.split("\n"):  # a paragraph keeps its lines, as typed
        assert not line.strip() or any(for_display(line).strip() in t for t in texts), line
    assert f"— {one_line(got.reactions[0].said_by) or 'anonymous'}" in texts


def caution_of(tokens: list[Token]) -> list[Token]:
    """The tokens of the caution: from its label to the next heading."""
    start = next(
        n for n, t in enumerate(tokens) if t.type == "inline" and t.content == "*Caution:*"
    )
    end = next(n for n in range(start, len(tokens)) if tokens[n].type == "heading_open")
    return tokens[start + 2 : end]  # after the label's paragraph


def list_items(tokens: list[Token]) -> list[str]:
    """The text of each item of the bullet lists among tokens."""
    return [
        text_of(tokens[n + 2])
        for n, t in enumerate(tokens)
        if t.type == "list_item_open" and t.markup == "-"
    ]


def test_the_pre_filled_caution_is_a_list_of_the_unticked_points(store: Store) -> None:
    interview_id = held_interview(store)
    sheet = worksheet(store.read(), interview_id)
    got = read(store, started(store, interview_id))
    markdown = recap_markdown(got)
    assert "\\-" not in markdown
    caution = caution_of(parse(markdown))
    assert caution[0].type == "paragraph_open" and caution[1].content == CAUTION_OPENING
    points = [f"{one_line(t.step)}: {one_line(t.point)}" for t in sheet.unticked]
    assert list_items(caution) == points
    assert sum(t.type == "bullet_list_open" for t in caution) == 1
    assert list_items(caution_of(parse_as_textual(markdown))) == points  # so in the preview


def test_a_caution_typed_as_a_list_keeps_its_text_as_text(store: Store) -> None:
    debrief_id = started(store, held_interview(store))
    typed = (
        "Mind **this**:\n- **bold** and [x](y)\n- # not a heading\n"
        "- - not nested\n-not an item\n- \nAfter <b>that</b>."
    )
    with store.transaction() as tx:
        debrief = tx.get(Debrief, debrief_id)
        assert debrief is not None
        tx.update(Debrief, debrief_id, debrief.rev, {"caution": typed})
    for tokens in (parse(recap_markdown(read(store, debrief_id))),
                   parse_as_textual(recap_markdown(read(store, debrief_id)))):  # fmt: skip
        caution = caution_of(tokens)
        every = {t.type for t in caution} | {c.type for t in caution for c in t.children or []}
        assert not ({"strong_open", "link_open", "heading_open", "html_inline"} & every)
        assert list_items(caution) == ["**bold** and [x](y)",
                                       "# not a heading", "- not nested"]  # fmt: skip
        assert sum(t.type == "bullet_list_open" for t in caution) == 1
        paragraphs = [text_of(caution[n + 1]) for n, t in enumerate(caution)
                      if t.type == "paragraph_open" and t.level == 0]  # fmt: skip
        assert paragraphs == ["Mind **this**:", "-not an item\n-\nAfter <b>that</b>."]


HOSTILE_ALPHABET = st.sampled_from(
    [*"#>-+*_=`|[]()<>&!\\~:.1 \n\t", "javascript:", "<b>", "http://", "```", "    "]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(HOSTILE_ALPHABET, min_size=1, max_size=6))
def test_hostile_text_never_changes_the_recaps_shape(
    make_store: Callable[..., Store], tmp_path: Path, pieces: list[str]
) -> None:
    path = tmp_path / f"team-{abs(hash(tuple(pieces)))}.json"
    path.unlink(missing_ok=True)
    assert_structure_holds(hostile_recap(make_store(path=path), "".join(pieces)))


# -- two people adding at once -------------------------------------------------------------------

ADDER = textwrap.dedent(
    """
    import sys

    from ictui.kinds.record import Author
    from ictui.kinds.vocab import DebriefSection
    from ictui.services.debriefs import AddPoint, AddReaction
    from ictui.teamfile.store import Store
    from ictui.teamfile.writes import run

    path, worker, debrief, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store(path, author=Author(account=f"worker{worker}"), lock_timeout=60)
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(count):
        run(store, AddPoint(debrief, DebriefSection.RESULT, f"{worker}-{n}"))
        run(store, AddReaction(debrief, f"{worker} says {n}", said_by=worker))
    """
)


@pytest.mark.slow
def test_two_processes_adding_to_one_debrief_lose_nothing(store: Store) -> None:
    debrief = started(store, held_interview(store))
    workers, each = ("amara", "ben"), 10
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(store.path), worker, str(debrief), str(each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for worker in workers
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        process.communicate(timeout=120)
        assert process.returncode == 0
    got = read(store, debrief)
    assert sorted(p.text for p in got.results) == sorted(
        f"{w}-{n}" for w in workers for n in range(each)
    )
    assert [p.position for p in got.results] == list(range(1, 2 * each + 1))  # none twice
    for worker in workers:  # each one's in the order they added them
        mine = [p.text for p in got.results if p.text.startswith(worker)]
        assert mine == [f"{worker}-{n}" for n in range(each)]
        assert [r.text for r in got.reactions if r.said_by == worker] == [
            f"{worker} says {n}" for n in range(each)
        ]
    assert store.read().problems == ()


# -- the demo -------------------------------------------------------------------------------------


def test_a_demo_for_benchmarks_holds_as_many_debriefs_as_asked(tmp_path: Path) -> None:
    store = Store(tmp_path / "big.json", clock=fixed_clock)
    without = write_demo(Store(tmp_path / "none.json", clock=fixed_clock), TODAY, 10,
                         interviews=40, standards=0, debriefs=0)  # fmt: skip
    records = write_demo(store, TODAY, 10, interviews=40, standards=0, debriefs=25)
    snapshot = store.read()
    assert snapshot.problems == ()
    assert snapshot.counts(Debrief) == (25, 0)
    parts = sum(snapshot.counts(kind)[0] for kind in (DebriefPoint, DebriefResolution))
    assert records == without + 25 + parts
    held = {i.id for i in snapshot.all(Interview) if i.status is not InterviewStatus.PLANNED}
    assert {d.interview_id for d in snapshot.all(Debrief)} <= held
    every = [r.created_at for kind in (Debrief, DebriefPoint) for r in snapshot.all(kind)]
    assert max(every) <= NOW
    # A debriefed interview's debrief was held, a held one's is a draft.
    for debrief in snapshot.all(Debrief):
        interview = snapshot.get(Interview, debrief.interview_id)
        assert interview is not None
        assert (debrief.held_on is not None) == (interview.status is InterviewStatus.DEBRIEFED)
    with pytest.raises(IctuiError, match="--debriefs must be between 0 and"):
        write_demo(Store(tmp_path / "no.json"), TODAY, 1, debriefs=-1)


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 10, debriefs=0)
    return path


def test_debrief_start_prints_the_new_id_and_refuses_a_planned_interview(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = ["--db", str(demo_path)]
    code, out, err = ictui(capsys, "debrief", "start", "1", *db)
    assert (code, out) == (0, "1\n")
    assert "started debrief 1 of interview 1, pre-filled with 8 points" in err
    code, out, err = ictui(capsys, "debrief", "start", "1", *db)
    assert (code, out) == (1, "")
    assert "interview 1 has debrief 1 already; nothing was written" in err
    assert f"ictui debrief show 1 --db {demo_path}" in err
    code, out, err = ictui(capsys, "debrief", "start", "2", *db)  # the demo's planned one
    assert (code, out) == (1, "")
    assert "interview 2 is planned, not held" in err and "mark it held first" in err
    code, _, err = ictui(capsys, "debrief", "start", "99", *db)
    assert code == 1 and "99" in err


def test_debrief_list_show_hold_and_export(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = ["--db", str(demo_path)]
    code, out, err = ictui(capsys, "debrief", "list", *db)
    assert code == 0 and "no debriefs in" in err
    assert ictui(capsys, "debrief", "start", "1", *db)[0] == 0
    code, out, _ = ictui(capsys, "debrief", "list", *db)
    header, row = out.splitlines()
    assert header.split("\t") == ["ID", "Interview", "Partner", "Status", "Results", "Issues",
                                  "Resolutions", "Standards", "Advice"]  # fmt: skip
    assert row.split("\t")[2:] == ["Sales Operations", "draft", "0", "2", "0", "0", "4"]
    code, shown, err = ictui(capsys, "debrief", "show", "1", *db)
    assert code == 0 and shown.startswith("# Debrief: interview with Sales Operations, ")
    assert err.count("ictui: advice: ") == 4 and NO_GOOD_NEWS in err
    # The caution pre-filled is a list of the unticked points, not escaped dashes.
    unticked = worksheet(Store(demo_path).read(), 1).unticked
    points = [f"{one_line(t.step)}: {one_line(t.point)}" for t in unticked]
    assert points and list_items(caution_of(parse(shown))) == points
    code, exported, _ = ictui(capsys, "export", "--format", "markdown", "--debrief", "1", *db)
    assert (code, exported) == (0, shown)
    code, _, err = ictui(capsys, "export", "--format", "json", "--debrief", "1", *db)
    assert code == 2 and "give --format markdown" in err
    target = demo_path.with_name("recap.md")
    code, _, err = ictui(capsys, "debrief", "show", "1", *db, "--output", str(target))
    assert code == 0 and target.read_text() == shown
    code, _, err = ictui(capsys, "debrief", "show", "1", *db, "--output", str(demo_path))
    assert code == 2 and "write the recap elsewhere" in err
    code, _, err = ictui(capsys, "debrief", "hold", "1", "--on", "2026-11-19", *db)
    assert code == 0 and "debrief 1 held on 2026-11-19; interview 1 is debriefed" in err
    before = demo_path.read_bytes()
    code, _, err = ictui(capsys, "debrief", "hold", "1", "--on", "2026-11-19", *db)
    assert code == 0 and "is held on 2026-11-19 already; nothing was written" in err
    assert demo_path.read_bytes() == before
    code, _, err = ictui(capsys, "debrief", "hold", "1", "--on", "2026-11-20", *db)
    assert "held on 2026-11-20 (it was held on 2026-11-19)" in err
    code, out, _ = ictui(capsys, "debrief", "list", *db)
    assert out.splitlines()[1].split("\t")[3] == "held 2026-11-20"
    code, out, _ = ictui(capsys, "check", *db)
    assert code == 0 and "1 debrief, 8 debrief points, 0 resolutions, 0 reactions" in out
    code, out, _ = ictui(capsys, "export", "--format", "json", *db)
    document = json.loads(out)
    assert len(document["debriefs"]) == 1 and len(document["debrief_points"]) == 8
    code, out, _ = ictui(capsys, "export", "--format", "markdown", *db)
    assert "## Debriefs" in out and "### Debrief: interview with Sales Operations" in out
    # By partner, a debrief goes with its interview.
    code, out, _ = ictui(capsys, "export", "--format", "json", "--partner", "Payroll", *db)
    assert json.loads(out)["debriefs"] == [] and json.loads(out)["debrief_points"] == []


def test_demo_writes_as_many_debriefs_as_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bench.json"
    args = ["demo", str(path), "--contacts", "5", "--interviews", "12", "--standards", "0"]
    code, _, _ = ictui(capsys, *args, "--debriefs", "4")
    assert code == 0
    assert Store(path).read().counts(Debrief) == (4, 0)
