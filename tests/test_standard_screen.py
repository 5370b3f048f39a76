"""The standards screen, driven by keys as a person would: add, agree, check in, retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.period import last_completed, period_of, recent
from ictui.kinds.registry import labelled
from ictui.kinds.schema import schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.vocab import Cadence, CheckInResult, Side, StandardStatus
from ictui.screens.ask_line import AskLineScreen
from ictui.screens.check_in_form import CheckInForm
from ictui.screens.conflict import ConflictScreen
from ictui.screens.standard_form import StandardForm
from ictui.screens.standards import StandardsScreen
from ictui.services.standards import (
    Agree,
    CheckInDraft,
    Retire,
    SaveCheckIn,
    SaveStandard,
    StandardDraft,
)
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run
from ictui.widgets.standard_detail import StandardDetail
from ictui.widgets.standard_table import StandardTable
from ictui.widgets.toggle import TwoWayToggle

from .apptools import footer_keys, make_app, row_shown, started, text_of, until, words_of
from .conftest import BOB, NOW, TODAY, checked, fixed_clock

WHEN = NOW.astimezone().strftime("%Y-%m-%d %H:%M")
"""The tests' moment as a refusal names it."""

LAST = last_completed(TODAY, Cadence.MONTHLY)
"""The last month finished on the tests' day: what is due."""


def add_standard(store: Store, draft: StandardDraft, *, agreed: bool = True) -> Standard:
    """Write a standard down, agreed a year before the tests' day unless said otherwise."""
    standard: Standard = run(store, SaveStandard(draft)).standard
    if agreed:
        agreed_on = TODAY - dt.timedelta(days=400)
        standard = run(store, Agree(standard.id, standard.rev, agreed_on))
    return standard


@pytest.fixture
def team(store: Store) -> dict[str, Standard]:
    """The conftest's team (Payroll, one contact point) with standards both ways and Finance's.

    Payroll's answer time is checked in for every month but the last (so it is due);
    its partnering rule for all twelve; Finance's report is only proposed.
    """
    answer = add_standard(
        store,
        StandardDraft("Payroll", "Queries answered within 2 working days", target="<= 2 days"),
    )
    rule = add_standard(
        store,
        StandardDraft(
            "payroll", "Changes sent by the 20th", side=Side.THEIRS, target="yes: sent by the 20th"
        ),
    )
    report = add_standard(
        store, StandardDraft("Finance", "Month-end report ready", target="by 09:00"), agreed=False
    )
    months = recent(TODAY, Cadence.MONTHLY, 12)
    for month in months[:-1]:
        result = CheckInResult.NOT_MET if month.number == 5 else CheckInResult.MET
        run(store, SaveCheckIn(CheckInDraft(answer.id, result, str(month))))
    for month in months:
        run(store, SaveCheckIn(CheckInDraft(rule.id, CheckInResult.MET, str(month))))
    return {"answer": answer, "rule": rule, "report": report}


def stored(store: Store, standard_id: int) -> Standard:
    found = store.read().get(Standard, standard_id)
    assert found is not None
    return found


async def on_standards(pilot: Pilot[None]) -> StandardTable:
    """Go to the standards (key 3) and wait for their rows."""
    app = await started(pilot)
    await pilot.press("3")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, StandardsScreen)
            and app.screen.query_one(StandardTable).row_count > 0
        ),
    )
    return app.screen.query_one(StandardTable)


def row_of(table: StandardTable, standard_id: int) -> list[str]:
    return list(row_shown(table, standard_id).values())


async def test_grouped_by_partner_and_opened_on_what_is_due(
    store: Store, team: dict[str, Standard]
) -> None:
    async with make_app(store).run_test(size=(120, 30)) as pilot:
        table = await on_standards(pilot)
        order = [r.id for r in table.listing.records]
        assert order == [team["report"].id, team["answer"].id, team["rule"].id]
        await until(pilot, lambda: table.selected_id == team["answer"].id)  # the one due
        answer = row_of(table, team["answer"].id)
        rule = row_of(table, team["rule"].id)
        assert answer[0] == "Payroll" and rule[0] == ""  # the partner named once per group
        assert answer[1] == "we" and rule[1] == "they"
        assert answer[-3:] == ["✗✓✓✓✓·", "91 %", str(LAST)]  # 10 met of 11 judged
        assert rule[-3:] == ["✓✓✓✓✓✓", "100 %", ""]
        assert "proposed" in row_of(table, team["report"].id)
        title = str(pilot.app.screen.query_one("#table").border_title)
        assert title == "3 standards, 1 check-in due"
        detail = text_of(pilot.app.screen.query_one(StandardDetail))
        assert f"Due: a check-in for {LAST.describe()}" in detail


async def test_writing_down_a_standard_then_agreeing_it(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_standards(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, StandardForm) and app.screen.focused)
        await pilot.press(*"Canteen", "tab", "right", "tab")  # they promise: a partnering rule
        await pilot.press(*"Orders in by 10:00", "enter", *"orders after 10", "enter")
        await pilot.press(*"at most 2 late orders", "enter", "enter", "right", "right", "tab")
        await pilot.press(*"Sam", "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        await until(
            pilot,
            lambda: any(s.standard == "Orders in by 10:00" for s in store.read().all(Standard)),
        )
        made = next(s for s in store.read().all(Standard) if s.standard == "Orders in by 10:00")
        assert (made.side, made.target, made.cadence, made.owner) == (
            Side.THEIRS,
            "≤ 2 late orders",
            Cadence.QUARTERLY,
            "Sam",
        )
        assert made.status is StandardStatus.PROPOSED
        table = app.screen.query_one(StandardTable)
        await until(pilot, lambda: table.selected_id == made.id)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, AskLineScreen) and app.screen.focused)
        assert "Agree" in footer_keys(app) and "Go ahead" not in footer_keys(app)
        await pilot.press(*"Chef Ana", "enter")
        await until(pilot, lambda: stored(store, made.id).status is StandardStatus.AGREED)
        agreed = stored(store, made.id)
        assert (agreed.agreed_on, agreed.agreed_with) == (TODAY, "Chef Ana")


async def test_a_target_that_cannot_be_checked_gets_a_hint_and_is_not_agreed(
    store: Store, team: dict[str, Standard]
) -> None:
    vague = add_standard(
        store, StandardDraft("Finance", "Talk more", target="better communication"), agreed=False
    )
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standards(pilot)
        table.select_record(vague.id)
        await pilot.pause()
        assert "cannot be checked" in text_of(app.screen.query_one(StandardDetail))
        await pilot.press("g")
        await until(pilot, lambda: app.was_told("Not agreed"))
        assert stored(store, vague.id).status is StandardStatus.PROPOSED
        await pilot.press("enter")  # the form, where the hint says how to say it
        await until(pilot, lambda: isinstance(app.screen, StandardForm) and app.screen.up)
        hint = text_of(app.screen.query_one("#target-problem"))
        assert "“better communication” cannot be checked: say how you will know" in hint


async def test_checking_in_judges_the_value_and_a_second_replaces_the_first(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standards(pilot)
        await until(pilot, lambda: table.selected_id == answer.id)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInForm) and app.screen.focused)
        assert (
            app.screen.focused is not None and app.screen.focused.id == "value"
        )  # the period due is filled in
        await pilot.press(*"3.5")
        assert "Misses the target, ≤ 2 days." in text_of(app.screen.query_one("#value-problem"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        check_ins = [c for c in store.read().all(CheckIn) if c.period == str(LAST)]
        mine = [c for c in check_ins if c.standard_id == answer.id]
        assert [(c.result, c.value, c.checked_by) for c in mine] == [
            (CheckInResult.NOT_MET, "3.5 days", "Alice Adams")
        ]
        await until(pilot, lambda: row_of(table, answer.id)[-1] == "")  # nothing due now
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInForm) and app.screen.up)
        assert "saving replaces it" in text_of(app.screen.query_one("#replacing"))
        # Found by trying: typing a new value gave "3.5 days1.5"; the one there is typed over.
        await pilot.press(*"1.5")
        assert app.screen.query_one("#value", Input).value == "1.5"
        await pilot.press("ctrl+a", "ctrl+k", *"3.5 days")  # as it was: only the result changes
        await pilot.press("shift+tab", "right", "ctrl+s")  # not met → not measured
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        again = [
            c
            for c in store.read().all(CheckIn)
            if c.standard_id == answer.id and c.period == str(LAST)
        ]
        assert [(c.result, c.rev) for c in again] == [(CheckInResult.NOT_MEASURED, 2)]
        assert app.was_told(f"Checked in {LAST.describe()}: not measured (was not met).")


async def test_retiring_asks_why_and_ends_check_ins(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    rule = team["rule"]
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standard(pilot, rule.id)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, AskLineScreen) and app.screen.up)
        footer = footer_keys(app)  # the key says the button's word: one thing, said one way
        assert "Retire" in footer and "Go ahead" not in footer
        assert "Retire (ctrl+s)" in str(app.screen.query_one("#yes", Button).label)
        await pilot.press("enter")  # no reason: asked again
        problem = app.screen.query_one("#form-problem")
        await until(pilot, lambda: "Say why" in text_of(problem))  # once laid out, it shows
        await pilot.press(*"Payroll moved to a new system", "enter")
        await until(pilot, lambda: stored(store, rule.id).status is StandardStatus.RETIRED)
        assert stored(store, rule.id).retired_reason == "Payroll moved to a new system"
        await until(pilot, lambda: "retired" in row_of(table, rule.id))
        await until(pilot, lambda: "Check in" not in footer_keys(app))  # nor Retire, Agree
        assert "Retire" not in footer_keys(app) and "Agree" not in footer_keys(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, StandardsScreen)
        # Found by trying: c, x and g on a retired standard did nothing, and said nothing.
        await until(pilot, lambda: app.was_told("It is retired (Payroll moved to a new system)"))


@pytest.mark.parametrize(("key", "field"), [("x", "retired_reason"), ("g", "agreed_with")])
async def test_a_line_too_long_for_its_field_is_refused_in_the_dialog_and_kept(
    store: Store, team: dict[str, Standard], key: str, field: str
) -> None:
    # Found by trying: a pasted reason of 4,100 characters closed the dialog, the write
    # was refused, and the text was gone ("retired_reason is too long").
    app = make_app(store)
    chosen = team["report"] if key == "g" else team["rule"]
    text = schema_of(Standard).field(field).text
    assert text is not None
    most = text.maximum
    async with app.run_test(size=(100, 30)) as pilot:
        await on_standard(pilot, chosen.id)
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, AskLineScreen) and app.screen.up)
        line = app.screen.query_one("#line", Input)
        line.value = "x" * (most + 1)
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#form-problem")
        said = f"It is too long: {most + 1} characters (at most {most})."
        await until(pilot, lambda: said in words_of(problem))
        assert isinstance(app.screen, AskLineScreen) and line.value == "x" * (most + 1)
        await pilot.press("backspace", "ctrl+s")
        await until(pilot, lambda: getattr(stored(store, chosen.id), field) == "x" * most)


def test_a_refusal_names_each_field_as_people_see_it() -> None:
    refused = InvalidInput("standard", [("retired_reason", "is too long"), ("odd", "is odd")])
    assert labelled(refused) == "invalid standard: Why retired is too long; odd is odd"


async def test_a_standard_written_down_while_only_those_due_show_can_be_shown(
    store: Store, team: dict[str, Standard]
) -> None:
    # s said "Press s to show it" on the standards, and s did nothing there.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standards(pilot)
        await pilot.press("f")
        await until(pilot, lambda: len(table.listing.records) == 1)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, StandardForm) and app.screen.focused)
        await pilot.press(*"Canteen", "tab", "tab", *"Menus out by Friday", "ctrl+s")
        await until(pilot, lambda: app.was_told("the filters in use hide it. Press s to show it"))
        await pilot.press("s")
        made = next(s for s in store.read().all(Standard) if s.standard == "Menus out by Friday")
        await until(pilot, lambda: table.selected_id == made.id)
        assert "f Due only" in footer_keys(app)


async def test_due_only_shows_what_is_due_and_back(store: Store, team: dict[str, Standard]) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standards(pilot)
        assert "f Due only" in footer_keys(app)
        await pilot.press("f")
        await until(pilot, lambda: [r.id for r in table.listing.records] == [team["answer"].id])
        title = str(app.screen.query_one("#table").border_title)
        assert title == "1 of 3 standards: those with a check-in due"
        # Found by trying: the footer said "Due only" while only those due were shown.
        await until(pilot, lambda: "f Show all" in footer_keys(app))
        assert "Due only" not in footer_keys(app)
        await pilot.press("f")
        await until(pilot, lambda: len(table.listing.records) == 3)
        await until(pilot, lambda: "f Due only" in footer_keys(app))


async def test_a_change_meeting_someone_elses_asks_which_to_keep(
    store: Store, team: dict[str, Standard], make_store: Callable[..., Store]
) -> None:
    from .conftest import BOB

    app = make_app(store)
    report = team["report"]
    async with app.run_test(size=(100, 30)) as pilot:
        await on_standard(pilot, report.id)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StandardForm) and app.screen.up)
        bob = make_store(author=BOB)
        bob.update(Standard, report.id, report.rev, owner="Bob")
        await pilot.press("tab", "tab", "ctrl+u", *"Month-end report ready by 9", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))


async def test_a_proposed_standard_checked_in_shows_how_it_stands_as_its_detail_does(
    store: Store, team: dict[str, Standard]
) -> None:
    # Found by trying: the detail said "Last 2: ✓✗ Kept: 50 %", the row nothing.
    earlier = Store(store.path, clock=lambda: NOW - dt.timedelta(days=90))
    report = add_standard(earlier, StandardDraft("Finance", "Month-end report ready"), agreed=False)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standard(pilot, report.id)
        detail = app.screen.query_one(StandardDetail)
        await until(pilot, lambda: "Month-end report ready" in text_of(detail))
        assert "Last" not in text_of(detail) and "Kept" not in text_of(detail)
        run(store, SaveCheckIn(CheckInDraft(report.id, CheckInResult.MET, str(LAST))))
        await until(pilot, lambda: "··✓" in row_of(table, report.id))  # Aug, Sep not checked
        assert "100 %" in row_of(table, report.id) and "proposed" in row_of(table, report.id)
        await until(pilot, lambda: "Kept: 100 %" in text_of(detail))


async def test_changing_how_often_a_standard_is_checked_says_what_becomes_of_its_check_ins(
    store: Store, team: dict[str, Standard]
) -> None:
    # Found by trying: monthly to weekly turned "✓–✗✗✗✓ 73 %" into "·✗···· 0 %" unsaid.
    app = make_app(store)
    answer = team["answer"]
    async with app.run_test(size=(100, 30)) as pilot:
        await on_standard(pilot, answer.id)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StandardForm) and app.screen.up)
        cadence = app.screen.query_one("#cadence", TwoWayToggle)
        problem = app.screen.query_one("#cadence-problem")
        assert cadence.value is Cadence.MONTHLY
        cadence.focus()
        await pilot.press("left")
        said = "Its monthly check-ins stay; each counts for the week its month ended in"
        await until(pilot, lambda: said in words_of(problem))
        await pilot.press("right")
        await until(pilot, lambda: text_of(problem).strip() == "")


async def test_people_text_shows_literally_and_evidence_is_listed(
    store: Store, team: dict[str, Standard]
) -> None:
    hostile = add_standard(
        store,
        StandardDraft(
            "[red]Acme[/] \x1b[31m", "[bold]not bold[/bold] \x1b]0;PWNED\x07", target="≥ 1 x"
        ),
    )
    answer = team["answer"]
    with store.transaction() as tx:
        tx.add(
            checked(
                ContactPoint,
                partner_id=answer.partner_id,
                date=TODAY,
                direction="provided",
                verdict="success",
                why="Answered in an hour",
                standard_id=answer.id,
            )
        )
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        table = await on_standards(pilot)
        row = row_of(table, hostile.id)
        assert row[0] == "[red]Acme[/]" and row[2] == "[bold]not bold[/bold]"
        assert not any("\x1b" in cell or "PWNED" in cell for cell in row)
        table.select_record(hostile.id)
        await pilot.pause()
        detail = text_of(app.screen.query_one(StandardDetail))
        assert "[bold]not bold[/bold]" in detail and "\x1b" not in detail
        table.select_record(answer.id)
        await pilot.pause()
        detail = text_of(app.screen.query_one(StandardDetail))
        assert "Evidence (1 contact points)" in detail
        assert "✓ 2026-11-20 Answered in an hour" in detail


async def test_a_contact_point_is_tied_to_a_standard_from_the_contact_form(
    store: Store, team: dict[str, Standard]
) -> None:
    from ictui.screens.contact_form import ContactForm

    answer = team["answer"]
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm) and app.screen.focused)
        await pilot.press(*"Payroll", "tab", "tab", "tab", "tab", *"Answered the same day")
        await pilot.press("tab", *"no such standard", "ctrl+s")  # Evidence comes last
        await until(
            pilot, lambda: "no standard reads" in text_of(app.screen.query_one("#standard-problem"))
        )
        await pilot.press("end", "ctrl+u", *"Queries", "right", "ctrl+s")  # refused: in the field
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        await until(
            pilot,
            lambda: any(c.standard_id == answer.id for c in store.read().all(ContactPoint)),
        )
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        table = app.screen.query_one(StandardTable)
        await until(pilot, lambda: table.selected_id == answer.id)
        await until(
            pilot,
            lambda: "Answered the same day" in text_of(app.screen.query_one(StandardDetail)),
        )


async def test_a_check_in_someone_saved_meanwhile_is_shown_not_replaced(
    store: Store, team: dict[str, Standard], make_store: Callable[..., Store]
) -> None:
    app = make_app(store)
    answer = team["answer"]

    def checked_in() -> list[tuple[str, str, str]]:
        found = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
        return [(c.value, c.checked_by, c.note) for c in found if c.period == str(LAST)]

    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_check_in(pilot, answer.id)
        mine = form.query_one("#checked_by", Input).value
        # Bob checks the same month in while the form is open.
        bob = make_store(author=BOB)
        met = CheckInDraft(answer.id, CheckInResult.MET, str(LAST), "1", "Bob's why", "Bob")
        run(bob, SaveCheckIn(met))
        await pilot.press(*"3", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        assert checked_in() == [("1 day", "Bob", "Bob's why")]
        # Found by trying: it said Bob "changed" a check-in he had made.
        assert "bob created this check-in at" in text_of(app.screen.query_one("#title"))
        # Found by trying: keeping mine wrote my value as checked by Bob, and then
        # with his note, which explained his result, not mine.
        await pilot.press("m")
        await until(pilot, lambda: checked_in() == [("3 days", mine, "")])


async def test_a_check_in_of_a_standard_retired_meanwhile_says_what_is_retired(
    store: Store, team: dict[str, Standard]
) -> None:
    # Found by trying: the form's line said "✗ is retired: it is checked no more",
    # and then not who retired it, to ask them why.
    app = make_app(store)
    answer = team["answer"]
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_check_in(pilot, answer.id)
        run(bob, Retire(answer.id, answer.rev, "Payroll moved to a new system"))
        await pilot.press(*"1", "ctrl+s")
        problem = form.query_one("#form-problem")
        said = f"Standard {answer.id} was retired by bob at {WHEN}: it is checked no more"
        await until(pilot, lambda: said in words_of(problem))


async def test_a_result_judged_from_a_value_half_typed_goes_when_the_value_is_not_judged(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_check_in(pilot, answer.id)
        result = app.screen.query_one("#result", TwoWayToggle)
        before = result.value
        await pilot.press("1")
        judged = result.value
        await pilot.press("x")  # "1x": no longer a value the target judges
        unjudged = result.value
        await pilot.press("backspace")
        assert (before, judged, unjudged, result.value) == (
            None,
            CheckInResult.MET,
            None,
            CheckInResult.MET,
        )


async def test_a_value_the_target_cannot_judge_needs_the_result_said(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_check_in(pilot, answer.id)
        await pilot.press(*"about a day", "ctrl+s")
        await until(pilot, lambda: "say it:" in text_of(app.screen.query_one("#result-problem")))
        assert app.screen.focused is not None and app.screen.focused.id == "result"
        await pilot.press("left", "ctrl+s")  # none chosen yet: ← chooses the last, not measured
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        stored_now = [c for c in store.read().all(CheckIn) if c.period == str(LAST)]
        assert [(c.result, c.value) for c in stored_now if c.standard_id == answer.id] == [
            (CheckInResult.NOT_MEASURED, "about a day")
        ]


async def test_a_value_in_a_unit_the_target_cannot_take_is_refused_even_with_the_result_said(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]  # ≤ 2 days
    async with app.run_test(size=(100, 30)) as pilot:
        await open_check_in(pilot, answer.id)
        await pilot.press(*"3 hours")
        said = "“3 hours” is not in days, the unit of the target ≤ 2 days: give a number of days"

        def problem() -> str:
            return " ".join(text_of(app.screen.query_one("#value-problem")).split())

        assert said in problem()  # as it is typed
        # Nothing judged from "3 hours" (nor left from "3"): ← chooses the last, not measured.
        await pilot.press("shift+tab", "left", "ctrl+s")  # said, and still refused
        await until(pilot, lambda: "-shown" in app.screen.query_one("#value-problem").classes)
        assert said in problem()
        assert isinstance(app.screen, CheckInForm)
        mine = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
        assert str(LAST) not in {c.period for c in mine}
        assert app.screen.focused is not None and app.screen.focused.id == "value"
        await pilot.press(*["backspace"] * 6, "ctrl+s")  # "3", in the target's days
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        stored_now = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
        assert [(c.result, c.value) for c in stored_now if c.period == str(LAST)] == [
            (CheckInResult.NOT_MEASURED, "3 days")
        ]


async def test_another_period_in_the_form_brings_its_own_check_in(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]
    months = recent(TODAY, Cadence.MONTHLY, 12)
    may = next(m for m in months if m.number == 5)  # checked in: not met
    async with app.run_test(size=(100, 30)) as pilot:
        table = await on_standards(pilot)
        await until(pilot, lambda: table.selected_id == answer.id)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInForm) and app.screen.up)
        form = app.screen
        assert text_of(form.query_one("#replacing")) == ""
        await pilot.press("shift+tab", "shift+tab", "ctrl+u", *str(may))
        await until(pilot, lambda: str(may) in text_of(form.query_one("#title")))
        assert "has a check-in (not met): saving replaces it" in text_of(
            form.query_one("#replacing")
        )
        assert form.query_one("#result", TwoWayToggle).value is CheckInResult.NOT_MET


def test_evidence_must_be_a_standard_with_the_same_partner(
    store: Store, team: dict[str, Standard]
) -> None:
    from ictui.errors import InvalidInput
    from ictui.services.contacts import ContactDraft, SaveContactPoint

    report = team["report"]  # Finance's
    draft = ContactDraft("Payroll", TODAY, "provided", "success", "Sent early", report.id)
    with pytest.raises(InvalidInput) as refused:
        run(store, SaveContactPoint(draft))
    assert refused.value.problems == [
        ("standard", f"{report.id} is a standard with another partner, not Payroll")
    ]


def test_a_retired_standard_is_not_agreed_again(store: Store, team: dict[str, Standard]) -> None:
    from ictui.errors import InvalidInput
    from ictui.services.standards import Retire

    rule = team["rule"]
    retired = run(Store(store.path, author=BOB, clock=fixed_clock), Retire(rule.id, rule.rev, "-"))
    with pytest.raises(InvalidInput) as refused:
        run(store, Agree(rule.id, retired.rev, TODAY))
    # A rule is called a rule, and the one who retired it is named.
    said = f"was retired by bob at {WHEN}: write the partnering rule down again to agree it anew"
    assert refused.value.problems == [("partnering rule", f"{rule.id} {said}")]
    assert stored(store, rule.id).status is StandardStatus.RETIRED
    with pytest.raises(InvalidInput) as refused:
        run(store, SaveCheckIn(CheckInDraft(rule.id, CheckInResult.MET, str(LAST))))
    said = f"{rule.id} was retired by bob at {WHEN}: it is checked no more"
    assert refused.value.problems == [("partnering rule", said)]


async def test_the_top_row_in_view_names_its_partner_when_its_group_began_above(
    store: Store, team: dict[str, Standard]
) -> None:
    for number in range(30):
        add_standard(store, StandardDraft("Payroll", f"Standard {number}", target="<= 2 days"))
    async with make_app(store).run_test(size=(120, 30)) as pilot:
        table = await on_standards(pilot)
        await until(pilot, lambda: table.row_count == 33)
        second = table.listing.records[5]
        assert row_of(table, second.id)[0] == ""  # named once, on its group's first row
        table.scroll_to(y=5, animate=False, immediate=True)
        await pilot.pause()
        top = text_of(table).splitlines()[1]
        assert top.split()[0] == "Payroll" and table.row_text(5)["partner"] == ""


@pytest.mark.parametrize("width", [110, 120, 130, 160, 161, 162, 200])
async def test_a_wider_window_never_hides_the_target_cadence_and_status(
    store: Store, team: dict[str, Standard], width: int
) -> None:
    """From 110 columns on, at every width, whether the details sit above or beside."""
    app = make_app(store)
    async with app.run_test(size=(width, 40)) as pilot:
        table = await on_standards(pilot)
        await pilot.pause()
        heading = text_of(table).splitlines()[0].split()
        assert {"Target", "Checked", "Status"} <= set(heading) and heading[-1] == "Due"
        answer = row_shown(table, team["answer"].id)
        assert (answer["target"], answer["cadence"], answer["status"]) == (
            "≤ 2 days",
            "monthly",
            "agreed",
        )
        assert table.virtual_size.width <= table.size.width  # all in view: none scrolled out
        beside = app.screen.has_class("-wide")
        assert beside == (width >= 162)  # 52 for the details, 110 for the table beside them
        if beside:  # the details to the right of the table, not above it
            detail = app.screen.query_one("#detail")
            assert detail.region.x >= table.region.right


async def on_standard(pilot: Pilot[None], standard_id: int) -> StandardTable:
    """Go to the standards and put the cursor on one; return the table."""
    table = await on_standards(pilot)
    table.select_record(standard_id)
    await until(pilot, lambda: table.selected_id == standard_id)
    return table


async def open_check_in(pilot: Pilot[None], standard_id: int) -> CheckInForm:
    """Check a standard in from the standards screen (c) and return the form, once up."""
    app = pilot.app
    await on_standard(pilot, standard_id)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, CheckInForm) and app.screen.up)
    assert isinstance(app.screen, CheckInForm)
    return app.screen


async def test_a_period_written_right_but_too_early_is_refused_for_its_range(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_check_in(pilot, team["answer"].id)
        await pilot.press("shift+tab", "shift+tab", "ctrl+u", *"1999-01", "ctrl+s")
        problem = form.query_one("#period-problem")
        await until(pilot, lambda: "-shown" in problem.classes)
        assert "must be 2000-01 or later" in text_of(problem)
        assert "written like" not in text_of(problem)  # it is written like a month
        assert isinstance(app.screen, CheckInForm)


async def test_the_current_period_is_said_to_be_not_over_yet(
    store: Store, team: dict[str, Standard]
) -> None:
    app = make_app(store)
    answer = team["answer"]
    now = period_of(TODAY, Cadence.MONTHLY)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_check_in(pilot, answer.id)
        problem = form.query_one("#period-problem")
        assert "-shown" not in problem.classes  # the month due is over
        await pilot.press("shift+tab", "shift+tab", "ctrl+u", *str(now))
        await until(pilot, lambda: "not over yet" in text_of(problem))
        assert f"{now} is not over yet: it runs until 30 November 2026" in text_of(problem)
        await pilot.press("ctrl+s")  # refused for another field: what is said of the period stays
        result = form.query_one("#result-problem")
        await until(pilot, lambda: "-shown" in result.classes)
        assert "not over yet" in text_of(problem) and "-shown" in problem.classes
        assert form.focused is form.query_one("#result")  # the refusal took the cursor there
        await pilot.press("shift+tab", "ctrl+u", *str(LAST))  # a month over: nothing to say
        await until(pilot, lambda: "-shown" not in problem.classes)
        await pilot.press("ctrl+u", *str(now), "tab", "space", "ctrl+s")  # met, said
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        assert app.was_told(f"Checked in {now.describe()}, not over yet: met.")
        mine = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
        assert [c.result for c in mine if c.period == str(now)] == [CheckInResult.MET]


async def check_in_on(pilot: Pilot[None], standard_id: int, period: str) -> CheckInForm:
    """Open the check-in form on a standard and move it to another period."""
    form = await open_check_in(pilot, standard_id)
    await pilot.press("shift+tab", "shift+tab", "ctrl+u", *period)
    await until(pilot, lambda: f"Check in {period}" in str(form.query_one("#title").render()))
    return form


async def test_a_value_typed_over_that_cannot_be_read_leaves_no_result_said(
    store: Store, team: dict[str, Standard]
) -> None:
    # Found by trying: the earlier check-in's "met" stayed beside a value that judged nothing.
    answer = team["answer"]
    month = str(recent(TODAY, Cadence.MONTHLY, 12)[-2])
    run(store, SaveCheckIn(CheckInDraft(answer.id, CheckInResult.MET, month, "1 day", "", "Bob")))
    before = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await check_in_on(pilot, answer.id, month)
        toggle = form.query_one("#result", TwoWayToggle)
        assert toggle.value is CheckInResult.MET  # as the earlier check-in said, with its value
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k", *"soon")
        assert toggle.value is None
        assert "say the result yourself" in text_of(form.query_one("#value-problem"))
        await pilot.press("ctrl+s")
        problem = form.query_one("#result-problem")
        await until(pilot, lambda: "-shown" in problem.classes)
        assert "say it: “soon”" in text_of(problem)
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"3 days")  # read again: judged
        assert toggle.value is CheckInResult.NOT_MET
        await pilot.press("ctrl+a", "ctrl+k")  # nothing measured: the earlier result is back
        assert toggle.value is CheckInResult.MET
    assert [c for c in store.read().all(CheckIn) if c.standard_id == answer.id] == before


async def test_a_check_in_whose_value_could_not_be_read_saves_again_with_its_result(
    store: Store, team: dict[str, Standard]
) -> None:
    answer = team["answer"]
    month = str(recent(TODAY, Cadence.MONTHLY, 12)[-3])
    said = CheckInDraft(answer.id, CheckInResult.NOT_MEASURED, month, "system down", "", "Bob")
    run(store, SaveCheckIn(said))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await check_in_on(pilot, answer.id, month)
        assert form.query_one("#result", TwoWayToggle).value is CheckInResult.NOT_MEASURED
        await pilot.press("tab", "tab", "tab", *"the logs were lost", "ctrl+s")  # a note only
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
    stored = [c for c in store.read().all(CheckIn) if c.standard_id == answer.id]
    assert [(c.result, c.value, c.note) for c in stored if c.period == month] == [
        (CheckInResult.NOT_MEASURED, "system down", "the logs were lost")
    ]


async def test_a_check_in_says_no_result_until_one_is_said(
    store: Store, team: dict[str, Standard]
) -> None:
    loose = add_standard(store, StandardDraft("Payroll", "Friendly answers"), agreed=False)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_check_in(pilot, loose.id)  # no measure, no target to judge
        toggle = form.query_one("#result", TwoWayToggle)
        assert toggle.value is None and form.focused is toggle
        await pilot.press("ctrl+s")
        problem = form.query_one("#result-problem")
        await until(pilot, lambda: "-shown" in problem.classes)
        assert "is required: met, not met or not measured" in text_of(problem)
        assert [c for c in store.read().all(CheckIn) if c.standard_id == loose.id] == []
        await pilot.press("left", "ctrl+s")  # from none: ← chooses the last, not measured
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        mine = [c for c in store.read().all(CheckIn) if c.standard_id == loose.id]
        assert [c.result for c in mine] == [CheckInResult.NOT_MEASURED]


async def test_a_measured_number_shows_with_the_targets_unit(
    store: Store, team: dict[str, Standard]
) -> None:
    rate = add_standard(store, StandardDraft("Payroll", "Payslips right", target=">= 95 %"))
    earlier = str(LAST.preceding())
    with store.transaction() as tx:  # as kept before values were kept with their unit
        tx.add(checked(CheckIn, standard_id=rate.id, period=earlier, result="met", value="97"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_check_in(pilot, rate.id)
        await pilot.press(*"96", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StandardsScreen))
        detail = app.screen.query_one(StandardDetail)
        await until(pilot, lambda: f"{LAST} met (96 %)" in text_of(detail))
        assert f"{earlier} met (97 %)" in text_of(detail)
        mine = [c for c in store.read().all(CheckIn) if c.standard_id == rate.id]
        assert {c.period: c.value for c in mine} == {str(LAST): "96 %", earlier: "97"}
