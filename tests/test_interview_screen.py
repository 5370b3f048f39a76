"""The interviews screen and the worksheet, driven by keys (and the mouse) as a person would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from ictui.kinds.debrief import Debrief
from ictui.kinds.interview import ChecklistTick, Conclusion, Interview, InterviewAnswer
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import InterviewStatus
from ictui.screens.ask import AskScreen
from ictui.screens.interviews import InterviewsScreen
from ictui.screens.invitation import InvitationScreen
from ictui.screens.plan_form import PlanForm
from ictui.screens.worksheet import WorksheetScreen
from ictui.services.interviews import worksheet
from ictui.teamfile.store import Store
from ictui.widgets import autosave_text
from ictui.widgets.autosave_text import AutosaveLine, AutosaveText, Autosaving
from ictui.widgets.checklist import Checklist
from ictui.widgets.interview_detail import InterviewDetail
from ictui.widgets.interview_table import InterviewTable

from .apptools import (
    RecordingApp,
    asked_on_deleting,
    deleted_by_bob,
    demo_store,
    footer_keys,
    kept_on_enter,
    let_go,
    lock_held,
    make_app,
    row_shown,
    started,
    text_of,
    until,
    words_of,
)
from .conftest import ALICE, BOB, TODAY, fixed_clock

HELD, PLANNED = 1, 2
"""The demo's interviews: one held with Sales Operations, one planned with Payroll."""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def sheet_of(store: Store, interview_id: int = PLANNED):  # type: ignore[no-untyped-def]
    return worksheet(store.read(), interview_id)


async def on_interviews(pilot: Pilot[None]) -> InterviewTable:
    """Go to the interviews (key 2) and wait for their rows."""
    app = await started(pilot)
    await pilot.press("2")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, InterviewsScreen)
            and app.screen.query_one(InterviewTable).row_count > 0
        ),
    )
    return app.screen.query_one(InterviewTable)


async def open_sheet(pilot: Pilot[None], interview_id: int = PLANNED) -> WorksheetScreen:
    """Open an interview's worksheet from the list, by its row and Enter."""
    table = await on_interviews(pilot)
    table.select_record(interview_id)
    await pilot.press("enter")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, WorksheetScreen) and app.screen.focused)
    return app.screen  # type: ignore[return-value]


def field(screen: WorksheetScreen, widget_id: str) -> AutosaveText | AutosaveLine:
    return screen.query_one(f"#{widget_id}")  # type: ignore[return-value]


def in_first_answer(
    screen: WorksheetScreen, store: Store
) -> tuple[InterviewAnswer, AutosaveText | AutosaveLine, TextArea]:
    """Put the cursor in the worksheet's first answer; return it as stored, its field, its area."""
    answer = sheet_of(store).answers[0]
    mine = field(screen, f"answer-{answer.id}")
    area = mine.query_one(TextArea)
    screen.set_focus(area)
    return answer, mine, area


# -- the list --------------------------------------------------------------------------------


async def test_the_list_shows_planned_first_with_ratings_gap_and_checklist(store: Store) -> None:
    async with make_app(store).run_test(size=(120, 30)) as pilot:
        table = await on_interviews(pilot)
        assert [r.id for r in table.listing.records] == [PLANNED, HELD]
        row = list(row_shown(table, HELD).values())
        assert "Sales Operations" in row and "held" in row
        assert row[3:7] == ["8", "5", "−3", "9/14"]
        detail_widget = pilot.app.screen.query_one(InterviewDetail)
        assert "Payroll" in text_of(detail_widget)  # the first row's, where the cursor is
        table.select_record(HELD)
        await pilot.pause()
        detail = text_of(detail_widget)
        assert "you rated 8, they rated 5: 3 below" in detail
        assert "checklist 9/14" in detail and "2 conclusions" in detail


async def test_a_partners_earlier_interviews_show_how_rating_and_gap_moved(
    store: Store,
) -> None:
    from ictui.services.interviews import MarkHeld
    from ictui.teamfile.writes import run

    # Payroll's interview is held with ratings; a second one with Payroll follows it.
    planned = sheet_of(store).interview
    store.update(Interview, PLANNED, planned.rev, customer_rating=4)
    run(store, MarkHeld(PLANNED, planned.rev + 1))
    with store.transaction() as tx:
        from ictui.services.interviews import plan_interview

        later = plan_interview(tx, "payroll", TODAY.replace(day=28), self_rating=7).interview
    store.update(Interview, later.id, 1, customer_rating=6, status=InterviewStatus.HELD)
    async with make_app(store).run_test(size=(160, 30)) as pilot:
        table = await on_interviews(pilot)
        trend = list(row_shown(table, later.id).values())[-1]
        assert trend == "their rating 4 → 6; gap −3 → −1"


async def test_planning_an_interview_by_keyboard_with_a_new_partner(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_interviews(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PlanForm) and app.screen.focused)
        await pilot.press(*"Canteen Crew", "enter", "ctrl+u", *"2026-12-10", "enter")
        await pilot.press(*"9:30", "enter", *"40", "enter", "ctrl+u", *"Alice", "enter")
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        stored = [i for i in store.read().all(Interview) if i.interviewers == "Alice"]
        assert len(stored) == 1
        planned = stored[0]
        assert (planned.planned_on.isoformat(), planned.planned_time) == ("2026-12-10", "09:30")
        assert planned.minutes == 40 and planned.status is InterviewStatus.PLANNED
        partner = store.read().get(Partner, planned.partner_id)
        assert partner is not None and partner.name == "Canteen Crew"
        assert app.was_told("Added partner Canteen Crew")
        table = app.screen.query_one(InterviewTable)
        await until(pilot, lambda: table.selected_id == planned.id)
        # Its worksheet came with it: seven questions, fourteen points.
        made = sheet_of(store, planned.id)
        assert (len(made.answers), len(made.ticks)) == (7, 14)


async def test_a_plan_starts_with_you_asking_and_a_day_passed_is_pointed_out(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_interviews(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PlanForm) and app.screen.focused)
        form = app.screen
        assert form.query_one("#interviewers", Input).value == ALICE.display
        hint = form.query_one("#planned_on-problem")
        await pilot.press(*"Payroll", "enter", "ctrl+u", *"yesterday")
        await until(pilot, lambda: "has passed" in words_of(hint))
        assert "mark it Held" in words_of(hint)
        await pilot.press("ctrl+u", *"tomorrow")
        await until(pilot, lambda: words_of(hint) == "")
        await pilot.press("ctrl+u", *"2026-01-05", "ctrl+s")  # planned all the same: may be held
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        planned = max(store.read().all(Interview), key=lambda i: i.id)
        assert (planned.planned_on.isoformat(), planned.interviewers) == (
            "2026-01-05",
            ALICE.display,
        )


async def test_the_plan_of_a_held_interview_does_not_ask_whether_it_was_held(
    store: Store,
) -> None:
    # Found by trying: e on a held interview said its day "has passed. Held already?".
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(HELD)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PlanForm) and app.screen.focused)
        form = app.screen
        day = form.query_one("#planned_on", Input)
        day.focus()
        await pilot.press("ctrl+u", *"yesterday")
        await until(pilot, lambda: day.value == "yesterday")
        await pilot.pause()
        assert words_of(form.query_one("#planned_on-problem")) == ""


@pytest.mark.parametrize(
    ("keys", "field", "said"),
    [
        ([*"25:99"], "planned_time", "HH:MM"),
        (["enter", "-", "5"], "minutes", "greater than or equal to 5"),
        (["enter", "+"], "minutes", "must be a whole number"),
        (["enter", *"7.5"], "minutes", "must be a whole number"),  # never 75
        (["shift+tab", "ctrl+u", *"soon"], "planned_on", "or the word today or tomorrow"),
    ],
    ids=["time", "negative minutes", "a sign alone", "a fraction", "a word for a day"],
)
async def test_a_bad_value_is_refused_beside_its_field_and_nothing_is_planned(
    store: Store, keys: list[str], field: str, said: str
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_interviews(pilot)
        before = len(store.read().all(Interview))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PlanForm) and app.screen.focused)
        await pilot.press(*"Payroll", "enter", "enter", *keys, "ctrl+s")
        problem = app.screen.query_one(f"#{field}-problem")
        await until(pilot, lambda: said in words_of(problem))
        assert app.screen.focused is app.screen.query_one(f"#{field}")
        assert len(store.read().all(Interview)) == before


# -- the worksheet ---------------------------------------------------------------------------


async def test_filling_a_worksheet_saves_each_answer_and_says_the_gap(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        ours = field(screen, "self_rating")
        assert ours.text == "7"  # given when it was planned
        screen.set_focus(ours.query_one(Input))
        await pilot.press("ctrl+u", "8", "tab", "5")
        gap = screen.query_one("#gap")
        await until(pilot, lambda: "you rated 8, they rated 5: 3 below" in text_of(gap))
        # Their rating before any answer is questioned, and kept all the same.
        assert "No answer is written down yet" in text_of(gap)
        await until(pilot, lambda: sheet_of(store).interview.customer_rating == 5)
        await pilot.press("tab")
        await pilot.press(*"Payslips on time, [b]and[/b] right")
        first = sheet_of(store).answers[0]
        await until(pilot, lambda: sheet_of(store).answers[0].answer.endswith("right"))
        assert sheet_of(store).answers[0].answer == "Payslips on time, [b]and[/b] right"
        assert sheet_of(store).answers[0].rev == first.rev + 1
        await until(pilot, lambda: "No answer is written down yet" not in text_of(gap))
        assert sheet_of(store).interview.self_rating == 8


async def test_a_rating_off_the_scale_is_refused_in_place_and_not_saved(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        theirs = field(screen, "customer_rating")
        screen.set_focus(theirs.query_one(Input))
        await pilot.press("1", "1", "tab")
        await until(pilot, lambda: theirs.problem is not None)
        assert "11 is off the scale" in text_of(theirs.query_one(".clash")).replace("\n", " ")
        assert sheet_of(store).interview.customer_rating is None
        # A digit too many is judged as typed, never cut to a rating on the scale.
        screen.set_focus(theirs.query_one(Input))
        await pilot.press("end", "0", "tab")
        await until(pilot, lambda: "110 is off the scale" in text_of(theirs.query_one(".clash")))
        screen.set_focus(theirs.query_one(Input))
        await pilot.press("backspace", "backspace", "tab")
        await until(pilot, lambda: sheet_of(store).interview.customer_rating == 1)
        assert theirs.problem is None


async def test_a_rating_typed_in_full_width_digits_is_shown_and_saved_plain(
    store: Store,
) -> None:
    # Found by trying: "１０" was saved as 10, but its two-cell box showed " ０".
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        theirs = field(screen, "customer_rating")
        box = theirs.query_one(Input)
        screen.set_focus(box)
        await pilot.press("１", "０")
        assert box.value == "10" and box.cursor_position == 2
        await pilot.press("tab")
        await until(pilot, lambda: sheet_of(store).interview.customer_rating == 10)
        assert box.value == "10"


async def test_a_save_that_fails_after_leaving_names_the_answer_it_was(store: Store) -> None:
    # Found by trying: "Could not save your notes", for the second answer, beside a
    # worksheet that has a field called Notes.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        second = sheet_of(store).answers[1]
        answer = field(screen, f"answer-{second.id}")
        store.path.write_text("{}")  # the team's records gone from under the sheet
        screen.set_focus(answer.query_one(TextArea))
        await pilot.press(*"Kept", "escape")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("y")  # leave all the same
        await until(pilot, lambda: app.was_told("Could not save “Answer 2”"))
        assert not app.was_told("your notes")


async def test_ticking_the_checklist_by_key_and_by_mouse_shows_progress(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sheet(pilot)
        checklist = screen.query_one(Checklist)
        assert checklist.border_title == "Checklist 1/14"  # as planned
        await pilot.press("ctrl+l")
        assert screen.focused is checklist
        # The cursor starts on the first point; it was ticked when planned: Space unticks.
        await pilot.press("space", "down", "space", "down", "enter")
        await until(pilot, lambda: str(sheet_of(store).progress) == "2/14")
        ticked = [t.point_id for t in sheet_of(store).ticks if t.ticked]
        assert ticked == ["prepare_quiet", "prepare_told"]
        assert checklist.border_title == "Checklist 2/14"
        # A click on a point ticks it (found by where it is drawn: long points wrap).
        purpose = next(t for t in sheet_of(store).ticks if t.point_id == "purpose_again")
        index = next(i for i, o in enumerate(checklist.options) if o.id == str(purpose.id))
        x, top = checklist.region.x + 4, checklist.region.y
        line = next(
            y
            for y in range(checklist.region.height)
            if screen.get_style_at(x, top + y).meta.get("option") == index
        )
        await pilot.click(checklist, offset=(4, line))
        await until(pilot, lambda: str(sheet_of(store).progress) == "3/14")
        assert "purpose_again" in [t.point_id for t in sheet_of(store).ticks if t.ticked]


async def test_the_checklist_sits_beside_the_worksheet_from_120_columns(store: Store) -> None:
    for width, beside in ((120, True), (100, False)):
        async with make_app(store).run_test(size=(width, 40)) as pilot:
            screen = await open_sheet(pilot)
            sheet, checklist = screen.query_one("#sheet"), screen.query_one(Checklist)
            await pilot.pause()
            if beside:
                assert checklist.region.x >= sheet.region.right
            else:
                assert checklist.region.x < sheet.region.right


async def test_conclusions_and_their_behaviors_are_added_and_edited_in_place(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        await pilot.press("ctrl+n", *"You're slow to answer", "enter")
        await until(pilot, lambda: sheet_of(store).conclusions)
        said = sheet_of(store).conclusions[0]
        assert said.conclusion == "You're slow to answer"
        behaviors = f"behaviors-{said.id}-text"
        await until(pilot, lambda: screen.focused is not None and screen.focused.id == behaviors)
        await pilot.press(*"Three tickets in May waited over a week")
        await until(pilot, lambda: sheet_of(store).conclusions[0].behaviors.startswith("Three"))
        # The conclusion itself is edited where it is.
        line = field(screen, f"conclusion-{said.id}")
        screen.set_focus(line.query_one(Input))
        await pilot.press("end", *" to our requests", "enter")
        await until(pilot, lambda: sheet_of(store).conclusions[0].conclusion.endswith("requests"))
        assert screen.query_one("#new-conclusion", Input).value == ""


async def test_marking_held_lists_what_is_unticked_asks_and_never_blocks(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sheet(pilot)
        assert "Held" in footer_keys(app)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        asked = text_of(app.screen.query_one("#said Static"))
        assert "13 of 14 points of the checklist are unticked" in asked
        assert "Partnering rules" in asked and "Agree a time" not in asked  # that one is ticked
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, WorksheetScreen))
        assert sheet_of(store).interview.status is InterviewStatus.PLANNED
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("y")
        await until(pilot, lambda: sheet_of(store).interview.status is InterviewStatus.HELD)
        await until(pilot, lambda: app.was_told("13 points of the checklist left unticked"))
        await until(pilot, lambda: "Held" not in footer_keys(app))


async def test_leaving_the_worksheet_saves_what_was_typed_at_once(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        answer = sheet_of(store).answers[2]
        screen.set_focus(field(screen, f"answer-{answer.id}").query_one("TextArea"))
        await pilot.press(*"Call us back", "escape")  # well inside the pause
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        await until(pilot, lambda: sheet_of(store).answers[2].answer == "Call us back")


# -- two people, one interview ----------------------------------------------------------------


async def test_two_people_on_one_interview_merge_different_answers_and_ask_about_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sheet(pilot)
        first, second = sheet_of(store).answers[:2]
        mine = field(screen, f"answer-{first.id}")
        screen.set_focus(mine.query_one("TextArea"))
        await pilot.press(*"Alice types this")
        # Bob answers another question meanwhile: it shows on Alice's screen as it is saved.
        bob.update(InterviewAnswer, second.id, second.rev, answer="Bob typed that")
        theirs = field(screen, f"answer-{second.id}")
        await until(pilot, lambda: theirs.text == "Bob typed that")
        await until(pilot, lambda: sheet_of(store).answers[0].answer == "Alice types this")
        assert sheet_of(store).answers[1].answer == "Bob typed that"
        # Bob ticks a point: Alice's checklist follows.
        point = sheet_of(store).ticks[5]
        bob.update(ChecklistTick, point.id, point.rev, ticked=True)
        checklist = screen.query_one(Checklist)
        await until(pilot, lambda: checklist.border_title == "Checklist 2/14")
        # Both change the same answer: Alice is shown Bob's text beside hers, no dialog.
        now = sheet_of(store).answers[0]
        # Unsaved when Bob's change lands, however slow the machine (kept on ctrl+o).
        monkeypatch.setattr(autosave_text, "PAUSE", 3600.0)
        await pilot.press(*", and more")
        bob.update(InterviewAnswer, now.id, now.rev, answer="Bob's version")
        await until(pilot, lambda: mine.clash is not None, timeout=10)
        assert isinstance(app.screen, WorksheetScreen)
        assert "changed this too" in text_of(mine.query_one(".clash"))
        assert sheet_of(store).answers[0].answer == "Bob's version"
        await pilot.press("ctrl+o")  # keep mine
        await until(pilot, lambda: sheet_of(store).answers[0].answer.endswith("and more"))
        # A conclusion Bob adds appears in Alice's worksheet.
        with bob.transaction() as tx:
            from ictui.services.interviews import add_conclusion

            added = add_conclusion(tx, PLANNED, "Bob heard this")
        await until(pilot, lambda: screen.query(f"#conclusion-{added.id}"))
        assert field(screen, f"conclusion-{added.id}").text == "Bob heard this"
        assert store.read().get(Conclusion, added.id) is not None


async def refused_in(pilot: Pilot[None], widget: Autosaving, *keys: str) -> None:
    """Type keys into a field and leave it: wait until its save is refused."""
    widget.query_one("Input, TextArea").focus()
    await pilot.press(*keys, "tab" if isinstance(widget, AutosaveLine) else "shift+tab")
    await until(pilot, lambda: widget.problem is not None)


async def test_a_field_refused_says_what_is_wrong_with_it(store: Store) -> None:
    # Found by trying: "Not saved yet: is too long" had no subject.
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sheet(pilot)
        notes = field(screen, "notes")
        notes.query_one(TextArea).text = "long " * 1000
        await refused_in(pilot, notes, "x")
        said = " ".join(text_of(notes.query_one(".clash")).split())
        assert said.startswith("✗ Not saved yet: this is too long: "), said


async def test_marking_held_waits_for_a_field_that_is_not_saved(store: Store) -> None:
    # Found by trying: held with "-1" in their rating, unsaved, and nothing said.
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sheet(pilot)
        theirs = field(screen, "customer_rating")
        box = theirs.query_one(Input)
        await refused_in(pilot, theirs, "ctrl+u", "-", "1")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.was_told("Not marked held: their rating is not saved"))
        assert screen.focused is box and app.screen is screen
        assert sheet_of(store).interview.status is InterviewStatus.PLANNED


async def test_a_rating_in_a_clash_is_not_counted_until_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by trying: the ratings line said "they rated 4" while the file held Ann's 3.
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sheet(pilot)
        theirs = field(screen, "customer_rating")
        gap = screen.query_one("#gap")
        monkeypatch.setattr(autosave_text, "PAUSE", 3600.0)  # unsaved when Bob's lands
        screen.set_focus(theirs.query_one("Input"))
        await pilot.press("4")
        await until(pilot, lambda: "they rated 4" in text_of(gap))
        now = sheet_of(store).interview
        bob.update(Interview, now.id, now.rev, customer_rating=3)
        await until(pilot, lambda: theirs.clash is not None)
        await until(pilot, lambda: "they rated 3" in text_of(gap))
        await pilot.press("ctrl+o")  # keep mine
        await until(pilot, lambda: sheet_of(store).interview.customer_rating == 4)
        await until(pilot, lambda: "they rated 4" in text_of(gap))


# -- the invitation ---------------------------------------------------------------------------


async def test_the_invitation_is_written_to_a_file_and_never_over_the_team_file(
    store: Store, tmp_path: Path
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvitationScreen))
        path = app.screen.query_one("#path", Input)
        assert path.value == "invitation-payroll-2026-11-26.md"
        path.value = str(store.path)
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: "the team file itself" in words_of(problem))
        target = tmp_path / "invite.md"
        path.value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: target.exists())
        tokens = MarkdownIt().parse(target.read_text())
        headings = [t.content for t in tokens if t.type == "inline" and t.level == 1]
        assert headings[0] == "Interview with Payroll: what to expect"
        assert "What do you need from us to do your job well?" in target.read_text()
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        assert app.was_told(f"Invitation written to {target}")


async def test_the_invitation_is_copied_through_the_terminal(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvitationScreen))
        await pilot.press("ctrl+b")
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        assert app.clipboard.startswith("# Interview with Payroll")
        assert app.was_told("sent to your terminal's clipboard")


async def test_a_held_interview_offers_no_invitation(store: Store) -> None:
    app: RecordingApp = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(HELD)
        await until(pilot, lambda: "Invite" not in footer_keys(app))
        table.select_record(PLANNED)
        await until(pilot, lambda: "Invite" in footer_keys(app))


# -- what a newcomer found ------------------------------------------------------------------


async def test_b_on_a_planned_interview_says_why_there_is_no_debrief_yet(store: Store) -> None:
    app: RecordingApp = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        await until(pilot, lambda: "Invite" in footer_keys(app))
        assert "Debrief" not in footer_keys(app)  # not offered where it cannot be done
        await pilot.press("b")
        await until(pilot, lambda: app.was_told("A debrief recaps a held interview: press"))
        assert [d.interview_id for d in store.read().all(Debrief)] == [HELD]  # none started
        table.select_record(HELD)
        await until(pilot, lambda: "Debrief" in footer_keys(app))


async def test_a_moved_debrief_key_says_why_on_a_planned_interview_too(
    store: Store, tmp_path: Path
) -> None:
    preferences = tmp_path / "preferences.json"
    preferences.write_text(json.dumps({"keys": {"interviews.debrief": "j"}}))
    app = RecordingApp(store, preferences_path=preferences)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        await until(pilot, lambda: "Invite" in footer_keys(app))
        await pilot.press("b")  # moved away: b says nothing
        await pilot.press("j")
        await until(pilot, lambda: app.was_told("A debrief recaps a held interview: press"))
        assert len([m for m, _ in app.said if "recaps a held interview" in m]) == 1


async def test_leaving_with_a_clash_asks_and_staying_keeps_both_texts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Alice's typing stays unsaved until she leaves, however slow the machine:
    # saved after the usual pause, it would land before Bob's change.
    monkeypatch.setattr(autosave_text, "PAUSE", 3600.0)
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        answer, mine, _ = in_first_answer(screen, store)
        await pilot.press(*"Mine")
        bob.update(InterviewAnswer, answer.id, answer.rev, answer="Bob's")
        await until(pilot, lambda: mine.clash is not None, timeout=10)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert "answer 1" in text_of(app.screen.query_one("#said Static"))
        await pilot.press("n")  # stay
        await until(pilot, lambda: app.screen is screen)
        assert mine.text == "Mine" and mine.clash is not None
        await pilot.press("ctrl+o", "escape")
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        await until(pilot, lambda: sheet_of(store).answers[0].answer == "Mine")


async def test_a_conclusion_typed_and_not_entered_is_added_on_leaving(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sheet(pilot)
        await pilot.press("ctrl+n", *"Slow to call back", "escape")
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        await until(pilot, lambda: sheet_of(store).conclusions)
        assert [c.conclusion for c in sheet_of(store).conclusions] == ["Slow to call back"]


async def test_lines_pasted_into_a_one_line_field_are_all_kept(store: Store) -> None:
    # Found by trying: a paste of two lines kept the first alone.
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sheet(pilot)
        await pilot.press("ctrl+n", *"They said: ")
        app.post_message(events.Paste("first conclusion line\n\n  second line that matters\n"))
        line = app.screen.query_one("#new-conclusion", Input)
        await until(pilot, lambda: "matters" in line.value)
        await pilot.press("enter")
        await until(pilot, lambda: sheet_of(store).conclusions)
        assert [c.conclusion for c in sheet_of(store).conclusions] == [
            "They said: first conclusion line second line that matters"
        ]


async def test_a_conclusion_is_removed_after_asking(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot, HELD)
        first = sheet_of(store, HELD).conclusions[0]
        screen.set_focus(field(screen, f"behaviors-{first.id}").query_one("TextArea"))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("y")
        await until(pilot, lambda: len(sheet_of(store, HELD).conclusions) == 1)
        await until(pilot, lambda: not screen.query(f"#conclusion-row-{first.id}"))


async def test_a_conclusion_a_colleague_removes_under_the_cursor_keeps_the_words_typed(
    store: Store,
) -> None:
    # Found by trying: the words typed went on into the next conclusion's behaviors.
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot, HELD)
        first, second = sheet_of(store, HELD).conclusions[:2]
        screen.set_focus(field(screen, f"behaviors-{first.id}").query_one("TextArea"))
        await pilot.press("end", *" epsilon")
        line = screen.query_one("#new-conclusion", Input)
        line.value = "half typed"  # a conclusion begun there before: kept too, first
        deleted_by_bob(store, Conclusion, first.id)
        await until(pilot, lambda: screen.focused is line)
        assert line.value.startswith(f"half typed {first.behaviors.split()[0]}")
        assert " epsilon" in line.value
        assert app.was_told("removed the conclusion you were writing in")
        await pilot.press(*" kappa")
        assert line.value.endswith(" kappa")
        await pilot.pause(0.3)
        kept = sheet_of(store, HELD).conclusions
        assert [c.behaviors for c in kept if c.id == second.id] == [second.behaviors]


async def test_a_conclusion_a_colleague_changed_while_asking_is_kept_and_said(
    store: Store,
) -> None:
    # Found by trying: the removal was refused (Bob had typed in it) without a word.
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot, HELD)
        first = sheet_of(store, HELD).conclusions[0]
        screen.set_focus(field(screen, f"behaviors-{first.id}").query_one("TextArea"))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        bob = Store(store.path, author=BOB, clock=fixed_clock)
        bob.update(Conclusion, first.id, first.rev, behaviors="Bob's detail")
        await pilot.press("y")
        await until(pilot, lambda: app.was_told("Not removed: bob"))
        assert app.was_told("changed it meanwhile") and app.was_told("Ctrl+R in it removes it")
        kept = sheet_of(store, HELD).conclusions
        assert [c.behaviors for c in kept if c.id == first.id] == ["Bob's detail"]


async def test_the_interviews_key_in_a_worksheet_goes_back_to_the_list(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        screen.set_focus(None)  # in a field, digits are typed
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))


async def test_an_invitation_file_there_already_is_replaced_only_when_asked_again(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "invite.md"
    target.write_text("kept until asked\n")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvitationScreen))
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: "again replaces it" in words_of(problem))
        assert target.read_text() == "kept until asked\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: target.read_text().startswith("# Interview with Payroll"))


async def test_a_deleted_interview_says_so_in_its_worksheet(store: Store) -> None:
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sheet(pilot)
        bob.delete(Interview, PLANNED, sheet_of(store).interview.rev)
        await until(pilot, lambda: "Deleted by bob" in text_of(screen.query_one("#about")))
        assert app.was_told("Deleted by bob")


# -- a team file this person may not write ------------------------------------------------------


async def test_a_read_only_team_file_opens_the_worksheet_taking_no_typing(store: Store) -> None:
    store.path.chmod(0o444)  # no one may write it: refused to root too
    before = store.path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        note = screen.query_one("#read-only")
        assert note.display and "Read-only" in words_of(note) and "chmod u+w" in words_of(note)
        assert "read-only" in (screen.sub_title or "")
        answer = sheet_of(store).answers[0]
        typed = field(screen, f"answer-{answer.id}")
        assert screen.focused is typed.query_one("TextArea")  # still read, scrolled, copied
        told = len(app.said)
        await pilot.press(*"again", "2")  # "2" is a character here, not the interviews' key
        assert typed.text == answer.answer and isinstance(app.screen, WorksheetScreen)
        assert any("read-only" in message for message, _ in app.said[told:])
        assert field(screen, "self_rating").query_one(Input).disabled
        assert not screen.query_one("#new-conclusion").display
        told = len(app.said)
        await pilot.press("ctrl+g")  # marking held says why, and asks nothing
        assert any("read-only" in message for message, _ in app.said[told:])
        assert isinstance(app.screen, WorksheetScreen)
        await pilot.press("escape")  # nothing typed, nothing to lose: back at once
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
    assert store.path.read_bytes() == before


async def test_leaving_at_once_when_the_save_is_refused_stays_with_the_text(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        _, mine, _ = in_first_answer(screen, store)
        store.path.chmod(0o444)  # made read-only after the worksheet opened
        await pilot.press(*"again", "escape")  # well inside the pause
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        said = words_of(app.screen.query_one("#said Static"))
        assert "answer 1" in said and "read-only" in said
        assert "ctrl+o" not in said and "over theirs" not in said  # no colleague here
        await pilot.press("enter")  # starts on Stay: nothing is thrown away by Enter
        await until(pilot, lambda: app.screen is screen)
        assert mine.text == "again" and mine.problem is not None
        store.path.chmod(0o644)
        await pilot.press("escape")  # tried again on the way: now it is saved, and goes
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        assert sheet_of(store).answers[0].answer == "again"


async def test_leaving_while_a_lock_is_held_too_long_stays_and_says_to_try_again(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path, lock_timeout=0.1)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        notes = field(screen, "notes")
        screen.set_focus(notes.query_one("TextArea"))
        with lock_held(store) as holder:
            await pilot.press(*"kept while carol writes", "escape")
            assert app.screen is screen  # waits for the write, rather than close on it
            await until(pilot, lambda: isinstance(app.screen, AskScreen), timeout=40)
            said = words_of(app.screen.query_one("#said Static"))
            assert "notes" in said and "tried again" in said
            assert "ctrl+o" not in said and "read-only" not in said
            await pilot.press("n")
            await until(pilot, lambda: app.screen is screen)
            assert notes.text == "kept while carol writes"
            let_go(holder)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, InterviewsScreen), timeout=40)
    assert sheet_of(store).interview.notes == "kept while carol writes"


async def test_leaving_with_a_rating_off_the_scale_says_to_correct_it(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        theirs = field(screen, "customer_rating")
        screen.set_focus(theirs.query_one(Input))
        await pilot.press("1", "1", "escape")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        said = words_of(app.screen.query_one("#said Static"))
        assert "their rating: 11 is off the scale" in said and "Correct" in said
        assert "ctrl+o" not in said and "read-only" not in said
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen)
        assert theirs.text == "11"


async def test_an_answer_too_long_is_said_beside_it_and_leaving_it_says_nothing_more(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        answer, mine, area = in_first_answer(screen, store)
        area.insert("x" * 4_100)  # pasted, say
        await pilot.press("!")
        said_beside = mine.query_one(".clash")
        await until(pilot, lambda: "too long: 4101 characters" in words_of(said_beside))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        said = words_of(app.screen.query_one("#said Static"))
        assert "at most 4000" in said and "Correct what is said beside the field" in said
        await pilot.press("y")  # leave it: nothing of it is saved, and nothing says otherwise
        await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
        await until(pilot, lambda: not app.writing)
        await pilot.pause()
        assert sheet_of(store).answers[0].answer == answer.answer
        assert not app.was_told("Could not"), app.said


async def test_the_worksheets_header_says_who_types_and_when_the_file_is_not_live(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        header = screen.query_one("HeaderTitle")
        await until(pilot, lambda: "Alice Adams (alice)" in text_of(header))
        assert "Payroll" in text_of(header)
        good = store.path.read_bytes()
        store.path.write_bytes(good[: len(good) // 2])  # cut short: not a team file now
        app.reload()
        await until(pilot, lambda: "NOT LIVE" in text_of(header))
        store.path.write_bytes(good)
        app.reload()
        await until(pilot, lambda: "NOT LIVE" not in text_of(header))
        assert "Alice Adams (alice)" in text_of(header) and "Payroll" in text_of(header)


async def test_a_long_paste_taken_back_twice_leaves_the_field_as_it_was(store: Store) -> None:
    # Found by trying: paste, Ctrl+Z, paste again, Ctrl+Z ended the app (Textual lost
    # track of the wrapped lines and raised).
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        _, _, area = in_first_answer(screen, store)
        before = area.text
        for _ in range(2):
            app.post_message(events.Paste("x" * 4_100 + "\n"))
            await until(pilot, lambda: len(area.text) > 4_000)
            await pilot.press("ctrl+z")
            await until(pilot, lambda: area.text == before)
        await pilot.press(*"ok")
        await until(pilot, lambda: area.text.endswith("ok"))
        assert isinstance(app.screen, WorksheetScreen)


async def test_a_colleagues_change_of_the_field_with_the_cursor_is_said(store: Store) -> None:
    # Found by trying: the text changed under Bob's cursor without a word, and his
    # next keys landed in the middle of Ann's words.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sheet(pilot)
        answer, mine, area = in_first_answer(screen, store)
        bob = Store(store.path, author=BOB, clock=fixed_clock)
        bob.update(InterviewAnswer, answer.id, answer.rev, answer="Bob's words")
        await until(pilot, lambda: mine.text == "Bob's words")
        await until(pilot, lambda: app.was_told("bob changed answer 1 while your cursor"))
        screen.set_focus(None)  # elsewhere: shown, and nothing said
        told = len(app.said)
        stored = sheet_of(store).answers[0]
        bob.update(InterviewAnswer, answer.id, stored.rev, answer="Bob again")
        await until(pilot, lambda: mine.text == "Bob again")
        assert len(app.said) == told
        # Unless what he wrote over is what this person wrote (keeping his in a clash, say).
        screen.set_focus(area)
        await pilot.press("end", *" and mine")
        await until(pilot, lambda: sheet_of(store).answers[0].answer == "Bob again and mine")
        screen.set_focus(None)
        stored = sheet_of(store).answers[0]
        bob.update(InterviewAnswer, answer.id, stored.rev, answer="Bob's over yours")
        await until(pilot, lambda: mine.text == "Bob's over yours")
        await until(pilot, lambda: app.was_told("bob wrote over what you wrote in answer 1"))


async def test_deleting_a_held_interview_asks_first_and_a_planned_one_goes_at_once(
    store: Store,
) -> None:
    # Found by trying: one d took a held interview, answers and all, without a question.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(HELD)
        said = await asked_on_deleting(pilot)
        assert "answers" in said and f"ictui interview restore {HELD}" in said
        await kept_on_enter(pilot, InterviewsScreen)  # Enter never throws it away
        assert not sheet_of(store, HELD).interview.deleted
        await asked_on_deleting(pilot)
        await pilot.press("y")
        await until(pilot, lambda: sheet_of(store, HELD).interview.deleted)
        table.select_record(PLANNED)
        await pilot.press("d")
        await until(pilot, lambda: sheet_of(store, PLANNED).interview.deleted)
        assert isinstance(app.screen, InterviewsScreen)


async def test_deleting_a_planned_interview_with_its_worksheet_begun_asks_first(
    store: Store,
) -> None:
    # Found by trying: answers typed ahead of the meeting went on one d.
    sheet = sheet_of(store, PLANNED)
    answer, planned = sheet.answers[0], sheet.interview
    store.update(InterviewAnswer, answer.id, answer.rev, answer="What they said first")
    store.update(Interview, planned.id, planned.rev, customer_rating=6)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(PLANNED)
        said = await asked_on_deleting(pilot)
        assert "its worksheet has 1 answer and their rating: they go with it" in said
        await kept_on_enter(pilot, InterviewsScreen)
        assert not sheet_of(store, PLANNED).interview.deleted


async def test_keys_for_a_planned_interview_say_why_on_a_held_one(store: Store) -> None:
    # Found by trying: m and i on a held interview did nothing, and said nothing.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_interviews(pilot)
        table.select_record(HELD)
        await pilot.press("m")
        await until(pilot, lambda: app.was_told("It is held already."))
        await pilot.press("i")
        await until(pilot, lambda: app.was_told("an invitation is for one still planned"))
        assert isinstance(app.screen, InterviewsScreen)
        assert sheet_of(store, HELD).interview.status is InterviewStatus.HELD
