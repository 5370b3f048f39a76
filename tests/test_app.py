"""The app as a person uses it: keys pressed, then what the team file holds and what shows."""

from __future__ import annotations

import datetime as dt
import gc
import inspect
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.command import CommandList, CommandPalette
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static, TextArea

from ictui import collector
from ictui.app import DIALOG_STYLES_AFTER, DIALOG_STYLESHEETS, STYLESHEETS, IctuiApp
from ictui.errors import TeamFileError
from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.screens import form as form_module
from ictui.screens.conflict import ConflictScreen
from ictui.screens.contact_form import ContactForm
from ictui.screens.contact_points import WIDE, ContactPointsScreen
from ictui.screens.help import HelpScreen
from ictui.screens.period import PeriodScreen
from ictui.screens.start import RefusedScreen, WelcomeScreen
from ictui.services.partners import partner_names
from ictui.teamfile.feed import Reading
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.widgets.contact_detail import ContactDetail
from ictui.widgets.contact_table import ContactTable
from ictui.widgets.filter_bar import FilterBar
from ictui.widgets.key_names import with_keys
from ictui.widgets.tally import TallyTable
from ictui.widgets.toggle import TwoWayToggle
from ictui.widgets.verdict import VerdictToggle

from .apptools import (
    ALL_TIME,
    RecordingApp,
    cell,
    cursor_id,
    demo_store,
    footer_keys,
    let_go,
    lock_held,
    make_app,
    open_form,
    settle,
    shown_ids,
    started,
    stored,
    table,
    text_of,
    type_at_once,
    until,
    words_of,
)
from .conftest import BOB, TODAY, checked, fixed_clock
from .test_teamfile import BROKEN

SIZE = (80, 24)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def newest(store: Store) -> ContactPoint:
    points = store.read().all(ContactPoint)
    return max(points, key=lambda p: (p.date, p.id))


def detail_text(app: IctuiApp) -> str:
    """What the detail beside the table says."""
    return str(app.screen.query_one(ContactDetail).render())


# -- showing --------------------------------------------------------------------------------------


async def test_contact_points_show_newest_first_with_verdict_words(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        ids = shown_ids(app)
        points = {p.id: p for p in store.read().all(ContactPoint)}
        dates = [points[i].date for i in ids]
        assert dates == sorted(dates, reverse=True)
        assert all((TODAY - d).days < 14 for d in dates)  # the last two weeks by default
        for record_id in ids:
            word = cell(app, record_id, "verdict")
            assert word in ("✓ success", "✗ improve")
            assert word.startswith(points[record_id].verdict.symbol)
        assert app.title == "ictui · team.json"
        assert app.sub_title == "Alice Adams (alice)"


async def test_the_keys_and_filter_choices_follow_the_first_rows(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = pilot.app
        # The frame with the rows comes first; the footer's keys and the choices after it.
        await until(pilot, lambda: app.query(ContactTable) and table(app).row_count > 0)
        await until(pilot, lambda: app.screen.query("#period"))
        footer = app.screen.query_one(Footer)
        await until(pilot, lambda: any("Verdict" in str(k.render()) for k in footer.children))


async def test_garbage_is_collected_again_once_the_first_rows_are_up(store: Store) -> None:
    # Collecting is held off while the app starts (it cost a tenth of the first frame).
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        await until(pilot, gc.isenabled)
    assert gc.isenabled() and gc.get_freeze_count() == 0  # as it was before the app


async def test_an_app_left_before_its_first_rows_collects_garbage_again(store: Store) -> None:
    app = make_app(store)
    release, read = threading.Event(), threading.Event()
    real = app.feed.read

    def slow(sequence: int, reuse: Snapshot | None) -> Reading:
        release.wait(10)
        try:
            return real(sequence, reuse)
        finally:
            read.set()

    app.feed.read = slow  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert collector.pausing()  # held off while the app starts
    assert gc.isenabled() and not collector.pausing()
    release.set()  # the reading left behind ends its own pause too
    assert read.wait(10)
    assert gc.isenabled() and not collector.pausing()


async def test_the_table_says_the_file_is_being_read_until_it_is(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    read = store.read
    monkeypatch.setattr(store, "read", lambda **kw: (go.wait(10), read(**kw))[1])
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = pilot.app
        await until(pilot, lambda: app.query(ContactTable))
        await pilot.pause(0.2)
        assert str(table(app).border_title) == "Reading team.json…"
        go.set()
        await until(pilot, lambda: str(table(app).border_title).endswith("contact points"))


async def test_quitting_as_the_first_rows_show_ends_cleanly(store: Store) -> None:
    # The choices are on their way then (they follow the rows), or being
    # mounted: the app must close without an error either way.
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = pilot.app
        await until(pilot, lambda: app.query(ContactTable) and table(app).row_count > 0)
        app.screen.query_one(FilterBar).add_choices()  # on their way now, if not in already
        await app.action_quit()
        assert app.return_code == 0
    # Leaving run_test raises any error the app met while closing.


class BarApp(App[None]):
    """A filter bar alone: its choices come only when asked, or after half a second."""

    def compose(self) -> ComposeResult:
        """The bar."""
        yield FilterBar()


async def test_a_filter_bar_settled_for_closing_adds_no_choices() -> None:
    app = BarApp()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(FilterBar)
        assert bar in FilterBar.mounted()
        await bar.settle()
        bar.add_choices()  # as a table drawn would
        await pilot.pause(0.7)  # and past the bar's own half-second timer
        assert not bar.query(Select)
    assert bar not in FilterBar.mounted()


async def test_a_filter_bar_not_settled_adds_its_choices() -> None:
    app = BarApp()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(FilterBar)
        await until(pilot, lambda: len(bar.query(Select)) == 4)
        await bar.settle()  # nothing on its way: at once


def give_long_reason(store: Store, record_id: int, steps: int) -> None:
    """Make a stored point's reason so many lines long: "Step 1 of what went wrong." and on."""
    point = stored(store, record_id)
    why = "\n".join(f"Step {n} of what went wrong." for n in range(1, steps + 1))
    store.update(ContactPoint, point.id, point.rev, why=why)


async def test_a_long_reason_scrolls_in_the_detail_and_the_next_point_starts_at_the_top(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        give_long_reason(store, shown_ids(app)[0], steps=20)
        detail = app.screen.query_one("#detail")
        await until(pilot, lambda: "Step 20" in text_of(app.screen.query_one(ContactDetail)))
        await until(pilot, lambda: detail.max_scroll_y > 0)  # more than fits: it scrolls
        # The mouse wheel over the detail (Pilot has no helper for the wheel).
        detail.post_message(events.MouseScrollDown(detail, 1, 1, 0, 1, 0, False, False, False))
        await until(pilot, lambda: detail.scroll_y > 0)
        await pilot.press("down")
        await until(pilot, lambda: detail.scroll_y == 0)
        # And with the keys: r moves to the detail, where the arrows scroll it.
        await pilot.press("up")
        await until(pilot, lambda: "Step 20" in text_of(app.screen.query_one(ContactDetail)))
        await pilot.press("r")
        await until(pilot, lambda: app.focused is detail)
        await pilot.press("down", "down", "pagedown")
        await until(pilot, lambda: detail.scroll_y > 2)
        await pilot.press("escape")
        await until(pilot, lambda: app.focused is table(app))


@pytest.mark.parametrize("size", [SIZE, (160, 40)], ids=["above", "beside"])
async def test_the_detail_panel_stays_put_from_a_short_point_to_a_long_one_and_back(
    store: Store, size: tuple[int, int]
) -> None:
    # Beside the table the panel shares its column with the tally: were its
    # height to follow each point's length, the tally would jump at every key.
    async with make_app(store).run_test(size=size) as pilot:
        app = await started(pilot)
        give_long_reason(store, shown_ids(app)[1], steps=40)
        detail = app.screen.query_one("#detail")
        tally = app.screen.query_one(TallyTable)
        await until(pilot, lambda: len(tally.tallies) > 0)
        panel, counts = detail.region, tally.region
        await pilot.press("down")
        await until(pilot, lambda: "Step 40" in text_of(app.screen.query_one(ContactDetail)))
        await until(pilot, lambda: detail.max_scroll_y > 0)  # the long one scrolls
        assert (detail.region, tally.region) == (panel, counts)
        await pilot.press("up")
        await until(pilot, lambda: "Step 40" not in text_of(app.screen.query_one(ContactDetail)))
        await until(pilot, lambda: detail.max_scroll_y == 0)  # the short one has nothing more
        assert (detail.region, tally.region) == (panel, counts)


def bob_logs_a_success(store: Store, partner_id: int) -> None:
    """A colleague logs a success with a partner today, from his own terminal."""
    Store(store.path, author=BOB, clock=fixed_clock).add(
        checked(
            ContactPoint,
            partner_id=partner_id,
            date=TODAY,
            direction="provided",
            verdict="success",
            why="Bob logged this from his terminal",
        )
    )


async def test_the_tally_counts_each_partners_verdicts(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        points = [store.read().get(ContactPoint, i) for i in shown_ids(app)]
        for row in tally.tallies:
            mine = [p for p in points if p and p.partner_id == row.partner_id]
            assert row.success == sum(p.verdict is Verdict.SUCCESS for p in mine)
            assert row.needs_improvement == sum(
                p.verdict is Verdict.NEEDS_IMPROVEMENT for p in mine
            )
        assert sum(r.success + r.needs_improvement for r in tally.tallies) == len(points)
        # Each partner's row shows its own name and counts, in the tally's order.
        for line, counts in enumerate(tally.tallies):
            assert tally.row_text(line) == {
                "partner": counts.name,
                "success": str(counts.success).rjust(2),
                "improve": str(counts.needs_improvement).rjust(2),
            }


@pytest.mark.parametrize(("width", "column"), [(160, 53), (200, 66)])
async def test_beside_the_table_the_tally_widens_for_long_names_up_to_a_third(
    tmp_path: Path, width: int, column: int
) -> None:
    path = tmp_path / "team.json"
    store = Store(path, clock=fixed_clock)
    long_name = "Facilities and Workplace Services, North"  # 40 cells
    longer = long_name + " Campus and the South Campus Annex"  # 74: wants more than a third
    with store.transaction(create=True) as tx:
        for partner_id, name in enumerate((long_name, longer), start=1):
            tx.new(Partner, name=name)
            tx.new(
                ContactPoint, partner_id=partner_id, date=TODAY, direction="provided",
                verdict="success", why="Keys handed over on time",
            )  # fmt: skip
    async with make_app(store).run_test(size=(width, 40)) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await until(pilot, lambda: tally.row_count == 2)
        overview = app.screen.query_one("#overview")
        # The longest name and its counts, up to a third of the width; the table keeps the rest.
        await until(pilot, lambda: overview.outer_size.width == column)
        shown = {tally.row_text(row)["partner"] for row in range(2)}
        assert long_name in shown  # whole, where the stylesheet's 48 columns cut it
        assert table(app).size.width >= width * 2 // 3 - 1


async def test_the_tally_moves_beside_the_table_and_back_as_the_terminal_is_resized(
    tmp_path: Path,
) -> None:
    # The widths are set only when they change: each must still follow every resize.
    path = tmp_path / "team.json"
    store = Store(path, clock=fixed_clock)
    name = "Facilities and Workplace Services, North"  # 40 cells
    with store.transaction(create=True) as tx:
        tx.new(Partner, name=name)
        tx.new(
            ContactPoint, partner_id=1, date=TODAY, direction="provided",
            verdict="success", why="Keys handed over on time",
        )  # fmt: skip
    async with make_app(store).run_test(size=(100, 30)) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        overview = app.screen.query_one("#overview")
        await until(pilot, lambda: tally.row_count == 1)
        for width in (200, 100, 200, 120):
            await pilot.resize_terminal(width, 30)
            if width >= WIDE:  # beside the table: as wide as the name and counts need
                await until(pilot, lambda: 30 < overview.outer_size.width <= width // 3)  # noqa: B023
            else:  # above it: its column the whole width, the tally at most half
                await until(pilot, lambda: overview.outer_size.width == width)  # noqa: B023
                assert 30 <= tally.outer_size.width <= width // 2
            assert name in tally.row_text(0)["partner"]


async def test_the_tally_shows_its_cursor_only_while_it_has_the_keys(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await until(pilot, lambda: tally.row_count >= 3)

        def first_row_looks_like_the_third() -> bool:
            # Rows 1 and 3 of the tally share a stripe: they differ only by the cursor.
            first, third = tally.render_line(1), tally.render_line(3)
            return next(iter(first)).style == next(iter(third)).style

        assert first_row_looks_like_the_third()  # no partner looks picked before one is
        await pilot.press("t")
        await until(pilot, lambda: app.focused is tally)
        assert not first_row_looks_like_the_third()
        await pilot.press("escape")
        await until(pilot, lambda: app.focused is not tally)
        assert first_row_looks_like_the_third()


async def test_new_counts_show_the_busiest_partners_while_the_tally_has_not_the_keys(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await pilot.press(*ALL_TIME)  # every partner: more than the tally's panel shows
        await until(pilot, lambda: app.screen.query_one("#tally").border_title == "Tally: All time")
        await pilot.press("t", "end", "escape")  # the cursor on the last partner, out of view
        await until(pilot, lambda: app.focused is not tally)
        assert tally.scroll_y > 0, "the test needs a tally taller than its panel"
        last, busiest = tally.tallies[-1], tally.tallies[0]
        bob_logs_a_success(store, busiest.partner_id)
        await until(pilot, lambda: busiest not in tally.tallies, timeout=3)
        assert tally.scroll_y == 0
        assert busiest.name in text_of(tally)
        await pilot.press("t")  # the cursor is where it was, and in view again
        await until(pilot, lambda: app.focused is tally)
        assert tally.selected_id == last.partner_id
        assert last.name in text_of(tally)
        assert "Pick" in footer_keys(app)


async def test_new_filters_that_leave_the_cursors_point_out_start_from_the_newest(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        shown = table(app)
        await pilot.press("end")  # the oldest point of the period
        oldest = stored(store, cursor_id(app))
        tally = screen.query_one(TallyTable)
        # A partner of someone else's points: the cursor's point is filtered out.
        other = next(i for i, t in enumerate(tally.tallies) if t.partner_id != oldest.partner_id)
        chosen = tally.tallies[other].partner_id

        def only_theirs() -> bool:
            points = [stored(store, i) for i in shown_ids(app)]
            return screen.filters.partner_id == chosen and {p.partner_id for p in points} == {
                chosen
            }

        await pilot.press("t", "home", *["down"] * other, "enter")
        await until(pilot, only_theirs)
        assert shown.cursor_row == 0 and shown.scroll_y == 0
        # New filters that keep the cursor's point keep the cursor on it.
        await pilot.press("end")
        kept, fewer = cursor_id(app), shown.row_count
        await pilot.press("x")  # every filter cleared: the point is still listed
        await until(pilot, lambda: screen.filters.partner_id is None and shown.row_count > fewer)
        assert cursor_id(app) == kept


async def test_one_click_on_a_partner_in_the_tally_shows_only_theirs(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await until(pilot, lambda: tally.row_count >= 2)
        second = tally.tallies[1]
        # Below the tally's top border and its heading: the second partner's line.
        await pilot.click(tally, offset=(3, 3))
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        await until(pilot, lambda: screen.filters.partner_id == second.partner_id)
        partners = lambda: {cell(app, i, "partner") for i in shown_ids(app)}  # noqa: E731
        await until(pilot, lambda: partners() == {second.name})


# -- adding and editing ---------------------------------------------------------------------------


async def test_adding_a_contact_point_with_the_form(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = len(store.read().all(ContactPoint))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"payroll", "tab", "tab", "space", "tab", "tab")
        await pilot.press(*"Reports arrived late again")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == before + 1)
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        point = newest(store)
        payroll = next(p for p in store.read().all(Partner) if p.name == "Payroll")
        assert point.partner_id == payroll.id  # matched whatever the case
        assert point.verdict is Verdict.NEEDS_IMPROVEMENT
        assert point.why == "Reports arrived late again"
        assert point.date == TODAY
        assert point.created_by.account == "alice"
        await until(pilot, lambda: shown_ids(app)[0] == point.id)


async def test_the_mouse_picks_rows_opens_the_form_chooses_and_saves(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        t = table(app)
        third = shown_ids(app)[2]
        # The table's top border and its header take two lines; the third row is the fifth.
        assert await pilot.click(ContactTable, offset=(3, 4))
        await until(pilot, lambda: t.selected_id == third)
        assert app.screen.query_one(ContactDetail).record.id == third
        before = len(store.read().all(ContactPoint))
        await pilot.click("#partner")  # the partner choice opens
        await pilot.pause()
        assert app.screen.query_one("#partner", Select).expanded
        await pilot.press("escape")
        footer = app.screen.query_one(Footer)
        add = next(key for key in footer.children if "Add" in str(key.render()))
        assert await pilot.click(add)
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Payroll")
        verdict = app.screen.query_one(VerdictToggle)
        assert await pilot.click(VerdictToggle, offset=(verdict.size.width - 3, 0))
        assert verdict.verdict is Verdict.NEEDS_IMPROVEMENT
        app.screen.query_one("#why", TextArea).text = "Clicked all the way"
        assert await pilot.click("#save")
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == before + 1)
        point = newest(store)
        assert point.verdict is Verdict.NEEDS_IMPROVEMENT and point.why == "Clicked all the way"


async def test_a_new_partner_name_adds_the_partner(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Security team")
        assert "A new partner" in str(app.screen.query_one("#partner-problem").render())
        app.screen.query_one("#why", TextArea).text = "Quick review of our access request"
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: any(p.name == "Security team" for p in store.read().all(Partner))
        )


async def test_a_partner_mistyped_then_put_right_leaves_the_filters_and_says_so(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Securty")
        app.screen.query_one("#why", TextArea).text = "Quick review of our access request"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))  # once saved
        bar = app.screen.query_one(FilterBar)
        await until(pilot, lambda: "Securty" in bar.partners.values())
        saved = next(p for p in store.read().all(ContactPoint) if p.why.startswith("Quick"))
        await until(pilot, lambda: cursor_id(app) == saved.id)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        app.screen.query_one("#partner", Input).value = "Security"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.was_told("Archived partner Securty: no record names it"))
        await until(pilot, lambda: "Securty" not in bar.partners.values())
        assert "Security" in bar.partners.values()
        assert stored(store, saved.id).why == "Quick review of our access request"


async def test_a_half_typed_known_partner_is_offered_before_it_becomes_a_new_one(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await open_form(pilot, "a")
        hint = form.query_one("#partner-problem")
        await pilot.press(*"pay")
        assert str(hint.render()) == "A new partner, or press → for “Payroll”."
        await pilot.press("right")  # takes what the field offers
        assert form.query_one("#partner", Input).value == "Payroll"
        assert str(hint.render()) == ""
        await pilot.press(*"x")
        assert str(hint.render()) == "A new partner: it will be added."


async def test_bad_input_is_refused_in_place_and_nothing_is_written(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = store.path.read_bytes()
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        form.query_one("#date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        problems = {
            name: str(form.query_one(f"#{name}-problem").render())
            for name in ("partner", "date", "why")
        }
        assert problems["partner"] == "✗ is required"
        assert problems["date"] == "✗ is not a real day: 2026-02-30"
        assert problems["why"] == "✗ is required"
        assert app.screen is form  # still open, nothing lost
        assert form.focused is form.query_one("#partner")  # at the first problem
        form.query_one("#date", Input).value = "2027-01-01"
        await pilot.press(*"Legal", "ctrl+s")
        await pilot.pause()
        assert "in the future" in str(form.query_one("#date-problem").render())
        assert store.path.read_bytes() == before


async def test_a_refusal_goes_once_its_field_is_changed(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await open_form(pilot, "a")
        await pilot.press(*"Payroll", "tab", "tab", "tab", *"2026-13-45", "ctrl+s")
        problem = form.query_one("#date-problem", Static)
        await until(pilot, lambda: "not a real day" in text_of(problem))
        await pilot.press("backspace", "backspace", "1")
        await until(pilot, lambda: text_of(problem).strip() == "")
        assert isinstance(app_screen := pilot.app.screen, ContactForm) and app_screen is form


async def test_editing_the_selected_contact_point(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("down")
        record_id = cursor_id(app)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        why = app.screen.query_one("#why", TextArea)
        assert why.text == stored(store, record_id).why
        why.text = "Rewritten after the retro"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: stored(store, record_id).rev == 2)
        assert stored(store, record_id).why == "Rewritten after the retro"
        await until(pilot, lambda: cell(app, record_id, "why").startswith("Rewritten"))


async def test_the_cursor_goes_to_the_point_just_logged(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        assert table(app).cursor_row == 0
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        # Dated three days back, it lands among the rows, not on top.
        await pilot.press(*"Payroll", "tab", "tab", "tab")
        app.screen.query_one("#date", Input).value = (TODAY - dt.timedelta(days=3)).isoformat()
        await pilot.press("tab", *"Answered within the hour", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        point = max(store.read().all(ContactPoint), key=lambda p: p.id)
        await until(pilot, lambda: table(app).selected_id == point.id)
        assert shown_ids(app).index(point.id) > 0
        assert app.screen.query_one(ContactDetail).record == point


async def test_a_point_deleted_straight_after_saving_is_deleted_and_not_called_hidden(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        await open_form(pilot, "e")
        # The file is read back only once the delete is asked for, and the
        # delete is written only once that read is shown: the saved point comes
        # back while the person has it deleted and its delete is on its way.
        asked, shown = threading.Event(), threading.Event()
        read, transaction = app.store.read, app.store.transaction
        monkeypatch.setattr(app.store, "read", lambda **kw: (asked.wait(10), read(**kw))[1])
        await pilot.press(*"; again", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        # The save is written: the next write is the delete.
        held = lambda **kw: (shown.wait(10), transaction(**kw))[1]  # noqa: E731
        monkeypatch.setattr(app.store, "transaction", held)
        await pilot.press("d")
        assert record_id not in shown_ids(app)
        asked.set()
        await until(pilot, lambda: app.snapshot.get(ContactPoint, record_id).rev == 2)  # type: ignore[union-attr]
        shown.set()
        # Deleted at the revision just saved: no conflict with one's own edit.
        await until(pilot, lambda: stored(store, record_id).deleted)
        assert stored(store, record_id).why.endswith("; again")
        assert isinstance(app.screen, ContactPointsScreen)
        assert not app.was_told("hide")


async def test_editing_again_straight_after_saving_starts_from_what_was_saved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        was = stored(store, record_id)
        await open_form(pilot, "e")
        # The file is not read back until the form is open again: the table
        # still holds the point as it was before the first edit.
        opened = threading.Event()
        read = app.store.read
        monkeypatch.setattr(app.store, "read", lambda **kw: (opened.wait(10), read(**kw))[1])
        await pilot.press(*"; first", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        await open_form(pilot, "v", "e")
        assert app.screen.query_one("#why", TextArea).text == was.why + "; first"
        opened.set()
        await pilot.press(*"; second", "ctrl+s")
        await until(pilot, lambda: stored(store, record_id).rev == 4)
        assert stored(store, record_id).why == was.why + "; first; second"
        assert stored(store, record_id).verdict != was.verdict
        assert isinstance(app.screen, ContactPointsScreen)


@contextmanager
def slow_saves(app: IctuiApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Hold every write of the app's store until the event is set."""
    go = threading.Event()
    transaction = app.store.transaction
    monkeypatch.setattr(app.store, "transaction", lambda **kw: (go.wait(10), transaction(**kw))[1])
    try:
        yield go
    finally:
        go.set()


@pytest.mark.parametrize("leave", ["escape", "cancel button"])
async def test_leaving_the_form_while_it_saves_waits_for_the_save(
    store: Store, monkeypatch: pytest.MonkeyPatch, leave: str
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        form = await open_form(pilot, "e")
        with slow_saves(app, monkeypatch) as go:
            await pilot.press(*"; saved", "ctrl+s")
            if leave == "escape":
                await pilot.press("escape", "escape")
            else:
                await pilot.click("#cancel")
            await pilot.pause()
            assert app.screen is form, "the form closed before its save was done"
            assert app.was_told("Saving")
            go.set()
            await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
        assert stored(store, record_id).why.endswith("; saved")
        await until(pilot, lambda: cell(app, record_id, "why").endswith("; saved"))


async def test_a_save_that_ends_under_the_help_closes_the_form_after_the_help(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        await open_form(pilot, "e")
        with slow_saves(app, monkeypatch) as go:
            await pilot.press(*"; saved", "ctrl+s", "f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            go.set()
            await until(pilot, lambda: stored(store, record_id).why.endswith("; saved"))
            await pilot.pause(0.1)
            assert isinstance(app.screen, HelpScreen), "the save closed the help, not the form"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
        assert table(app).selected_id == record_id


@pytest.mark.parametrize("command", ["Cancel", "Save"])
async def test_a_palette_command_for_a_form_that_closed_meanwhile_does_nothing(
    store: Store, command: str
) -> None:
    before = store.path.read_bytes()
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        form = await open_form(pilot, "e")
        # The palette runs a chosen command only after it has closed (call_later):
        # an Escape typed just before that reaches the form first and closes it.
        chosen = next(c for c in app.get_system_commands(form) if c.title.startswith(command))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
        await chosen.callback()
        await pilot.pause(0.2)
        assert [type(s) for s in app.screen_stack] == [ContactPointsScreen]
    assert store.path.read_bytes() == before


async def test_a_point_saved_outside_the_filters_says_it_is_hidden(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        app.screen.query_one("#verdict", Select).value = Verdict.SUCCESS.value
        await pilot.pause()
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Payroll", "tab", "tab", "space", "tab", "tab", *"Late again")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.was_told("the filters in use hide it. Press s to show it"))
        newest_id = max(p.id for p in store.read().all(ContactPoint))
        assert newest_id not in shown_ids(app)
        await pilot.press("s")  # the key the message offers
        await until(pilot, lambda: newest_id in shown_ids(app) and cursor_id(app) == newest_id)
        assert app.screen.query_one("#verdict", Select).value == Select.BLANK or (
            app.screen.query_one("#verdict", Select).value != Verdict.SUCCESS.value
        )


async def test_a_past_dated_save_is_shown_by_widening_the_period(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        long_ago = (dt.date.today() - dt.timedelta(days=60)).isoformat()
        await pilot.press(*"Payroll", "tab", "tab", "tab")
        app.screen.query_one("#date", Input).value = long_ago
        await pilot.press("tab", *"Back then")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.was_told("Press s to show it"))
        saved = max(p.id for p in store.read().all(ContactPoint))
        assert "Show it" in footer_keys(app)
        await pilot.press("s")
        await until(pilot, lambda: cursor_id(app) == saved)
        assert app.screen.query_one("#period", Select).value == "3m"  # the shortest that holds it
        assert "Show it" not in footer_keys(app)


async def test_undo_puts_the_cursor_on_the_record_brought_back(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("down", "down")
        deleted = cursor_id(app)
        await pilot.press("d")
        await until(pilot, lambda: deleted not in shown_ids(app))
        await pilot.press("down", "down")
        assert cursor_id(app) != deleted
        await pilot.press("u")
        await until(pilot, lambda: deleted in shown_ids(app) and cursor_id(app) == deleted)


@pytest.mark.parametrize(("key", "field"), [("a", "partner"), ("e", "why")])
async def test_typing_straight_after_opening_the_form_loses_nothing(
    store: Store, key: str, field: str
) -> None:
    before = store.path.read_bytes()
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        typed = "Dave vendor"
        # All at once, as a fast typist or a paste sends them: the form's first
        # field does not have focus yet when most of these arrive.
        type_at_once(app, key + typed)
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        widget = app.screen.query_one(f"#{field}")
        if isinstance(widget, Input):
            await until(pilot, lambda: widget.value == typed)
        else:
            assert isinstance(widget, TextArea)
            await until(pilot, lambda: widget.text.endswith(typed))
    assert store.path.read_bytes() == before  # no d, v or e reached the table


async def test_a_whole_contact_point_typed_in_one_burst_is_logged_as_typed(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = {p.id for p in store.read().all(ContactPoint)}
        # a, the partner, Tab to the way, Tab to the verdict, Space to switch it,
        # Tab to the date, Tab to the reason, the reason, Ctrl+S: all before the
        # form has even opened, as a paste or a slow SSH link delivers them.
        type_at_once(app, "a")
        type_at_once(app, "Payroll", "tab", "tab")
        type_at_once(app, " ")
        type_at_once(app, "", "tab", "tab")
        type_at_once(app, "Late again", "ctrl+s")
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == len(before) + 1)
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        (point,) = [p for p in store.read().all(ContactPoint) if p.id not in before]
        assert point.why == "Late again"
        assert point.verdict is Verdict.NEEDS_IMPROVEMENT
        assert partner_names(store.read())[point.partner_id] == "Payroll"


async def test_a_date_typed_ahead_after_tabs_replaces_the_date_as_when_typed_live(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        # Before the form is up: Tab into the date selects it, as it does live,
        # so the date typed replaces today's instead of being added to it.
        type_at_once(app, "a", "tab", "tab", "tab")
        type_at_once(app, "2026-11-09")
        await until(pilot, lambda: isinstance(app.screen, ContactForm) and app.screen.focused)
        await until(pilot, lambda: app.screen.query_one("#date", Input).value == "2026-11-09")
        type_at_once(app, "", "backspace")
        type_at_once(app, "8")
        await until(pilot, lambda: app.screen.query_one("#date", Input).value == "2026-11-08")


@pytest.mark.parametrize(("typed", "closed"), [("", True), ("Pay", False)])
async def test_escape_typed_before_the_form_is_up_cancels_it_in_turn(
    store: Store, typed: str, closed: bool
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        # The keys reach the form before it is mounted, as in a burst on a busy
        # machine: first the name typed ahead, if any, then Escape.
        form = ContactForm(None, store.read().all(Partner))
        for character in typed:
            form.type_ahead(character, character)
        await form.run_action("cancel")
        await app.push_screen(form)
        await pilot.pause()
        # With nothing typed the form closes; with a name typed ahead of the
        # Escape, it asks first, as it does when both are typed live.
        assert (app.screen is form) is not closed
        if not closed:
            assert "press Escape again" in words_of(form.query_one("#form-problem"))


async def test_ctrl_s_typed_before_the_form_is_up_saves_what_was_typed_ahead(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = {p.id for p in store.read().all(ContactPoint)}
        form = ContactForm(None, store.read().all(Partner))
        for key, character in [*((c, c) for c in "Payroll"), *[("tab", None)] * 4]:
            form.type_ahead(key, character)
        for character in "On time":
            form.type_ahead(character, character)
        await form.run_action("save")  # before the form is up: kept, and acted on last
        await app.push_screen(form)
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == len(before) + 1)
        (point,) = [p for p in store.read().all(ContactPoint) if p.id not in before]
        assert point.why == "On time"
        assert partner_names(store.read())[point.partner_id] == "Payroll"


async def test_ctrl_s_typed_straight_after_text_saves_all_of_it(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        why = app.screen.query_one("#why", TextArea)
        await until(pilot, lambda: app.screen.focused is why)
        # Text and Ctrl+S in one burst, as a paste or a slow link delivers them.
        type_at_once(app, "; fixed", "ctrl+s")
        await until(pilot, lambda: stored(store, record_id).rev == 2)
        assert stored(store, record_id).why.endswith("; fixed")


async def test_a_burst_into_the_open_form_fills_each_field_as_typed(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = {p.id for p in store.read().all(ContactPoint)}
        await open_form(pilot, "a")
        # Once the form is up, one burst as a slow SSH link delivers it: a typo
        # put right with Backspace, Tab past the way, Space on the verdict, Tab
        # to the date, the date put right, Tab to the reason, the reason, Ctrl+S.
        type_at_once(app, "Payrolx", "backspace")
        type_at_once(app, "l", "tab", "tab")
        type_at_once(app, " ")
        type_at_once(app, "", "tab", "ctrl+a", "ctrl+k")
        type_at_once(app, "2026-11-09", "tab")
        type_at_once(app, "Late again", "left", "left", "left", "left", "left")
        type_at_once(app, "very ", "ctrl+s")
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == len(before) + 1)
        (point,) = [p for p in store.read().all(ContactPoint) if p.id not in before]
        assert partner_names(store.read())[point.partner_id] == "Payroll"
        assert point.verdict is Verdict.NEEDS_IMPROVEMENT
        assert point.date == dt.date(2026, 11, 9)
        assert point.why == "Late very again"


@pytest.mark.parametrize("form_up", [False, True], ids=["typed-ahead", "into-open-form"])
async def test_enter_in_a_one_line_field_moves_to_the_next_field(
    store: Store, form_up: bool
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = {p.id for p in store.read().all(ContactPoint)}
        await pilot.press("a")
        if form_up:
            await until(pilot, lambda: isinstance(app.screen, ContactForm) and app.screen.focused)
        # One burst: Enter after the partner goes to the way (not saving, not
        # lost), Tab to the verdict, Space, Tab to the date, Enter to the reason.
        type_at_once(app, "Payroll", "enter", "tab")
        type_at_once(app, " ")
        type_at_once(app, "", "tab", "enter")
        type_at_once(app, "Late again", "ctrl+s")
        await until(pilot, lambda: len(store.read().all(ContactPoint)) == len(before) + 1)
        (point,) = [p for p in store.read().all(ContactPoint) if p.id not in before]
        assert partner_names(store.read())[point.partner_id] == "Payroll"
        assert point.verdict is Verdict.NEEDS_IMPROVEMENT
        assert point.direction is Direction.PROVIDED  # Enter on the partner did not switch it
        assert point.why == "Late again"


async def test_a_partner_who_serves_the_team_sets_the_way_and_says_so(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        provider = next(
            p for p in store.read().all(Partner) if p.relationship is Relationship.PROVIDER
        )
        form = await open_form(pilot, "a")
        way = form.query_one("#direction", TwoWayToggle)
        before = way.value
        await pilot.press(*provider.name)
        assert (before, way.value) == (Direction.PROVIDED, Direction.RECEIVED)
        hint = str(form.query_one("#partner-problem", Static).render())
        assert hint == f"Way set to “they served us”, as usual with {provider.name}."
        assert app.screen is form


async def test_enter_typed_ahead_on_a_switch_or_in_the_reason_does_what_it_does_live(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        form = ContactForm(None, store.read().all(Partner))
        keys = [("P", "P"), ("enter", None), ("enter", None), ("tab", None), ("tab", None)]
        keys += [("tab", None), ("a", "a"), ("enter", None), ("b", "b")]
        for key, character in keys:
            form.type_ahead(key, character)
        await app.push_screen(form)
        await until(pilot, lambda: form.focused is not None)
        assert form.query_one("#partner", Input).value == "P"
        assert form.query_one("#direction", TwoWayToggle).value is not Direction.PROVIDED
        assert form.query_one("#why", TextArea).text == "a\nb"
        assert form.focused is form.query_one("#why", TextArea)


async def test_a_burst_into_the_date_range_fills_both_dates(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        app.screen.query_one("#period", Select).value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen) and app.screen.focused)
        type_at_once(app, "2026-11-01", "tab")
        type_at_once(app, "2026-11-08", "backspace")
        type_at_once(app, "7", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        points = {p.id: p for p in store.read().all(ContactPoint)}
        shown = [points[i].date for i in shown_ids(app)]
        assert shown and all("2026-11-01" <= d.isoformat() <= "2026-11-07" for d in shown)
        assert app.screen.filters.period_label() == "2026-11-01 – 2026-11-07"  # type: ignore[attr-defined]


@pytest.mark.parametrize("done", ["ctrl+s", "enter"])
async def test_dates_typed_while_the_date_range_opens_are_all_taken(
    store: Store, done: str
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        # Not waiting for the dialog: the keys reach the app before its first
        # field has focus, as from a fast typist or over a slow link.
        screen = app.screen
        screen.query_one("#period", Select).value = "custom"
        type_at_once(app, "2026-11-01", "tab")
        type_at_once(app, "2026-11-07", done)
        await until(pilot, lambda: app.screen is screen and screen.filters.since is not None)  # type: ignore[attr-defined]
        assert screen.filters.period_label() == "2026-11-01 – 2026-11-07"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("typed", "answer"), [("", None), ("2026-11-02", "2026-11-02")])
async def test_escape_or_ctrl_s_typed_before_the_date_range_is_up_acts_after_the_dates(
    store: Store, typed: str, answer: str | None
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        answers: list[object] = []
        dialog = PeriodScreen(None, None)
        for character in typed:
            dialog.type_ahead(character, character)
        await dialog.run_action("save" if typed else "cancel")
        await pilot.app.push_screen(dialog, answers.append)
        await until(pilot, lambda: answers)
        assert answers == [None if answer is None else (dt.date.fromisoformat(answer), None)]


@pytest.mark.parametrize("key", ["f", "t"])
async def test_enter_typed_straight_after_a_move_acts_where_the_move_went(
    store: Store, key: str
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: app.screen.query("#period"))
        # Both at once, as a quick typist sends them: Enter must not open the
        # edit form of the table that had focus a moment before.
        type_at_once(app, key, "enter")
        screen = app.screen

        def acted_where_the_move_went() -> bool:
            if key == "f":
                return screen.query_one("#period", Select).expanded
            # the tally's first partner is chosen
            first = screen.query_one(TallyTable).tallies[0].partner_id
            assert isinstance(screen, ContactPointsScreen)
            return screen.filters.partner_id == first

        # Waited for rather than paused for: under load the filter can take longer.
        await until(pilot, acted_where_the_move_went)
        assert not isinstance(app.screen, ContactForm)


async def test_escape_closes_the_form_without_saving(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = store.path.read_bytes()
        await pilot.press("a", "escape")  # nothing typed: closes at once
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        await pilot.press("a", *"Payroll", "escape")
        await pilot.pause()
        # Something typed: one Escape only warns, so a slip of the finger loses nothing.
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#partner", Input).value == "Payroll"
        said = app.screen.query_one("#form-problem")
        assert "Not saved yet: press Escape again" in words_of(said)
        assert not app.said  # in the form: a notice would outlive it
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        assert store.path.read_bytes() == before


async def test_the_warning_of_a_second_escape_goes_after_its_wait(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(form_module, "DISCARD_WAIT", 0.2)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("a", *"Payroll", "escape")
        form = app.screen
        said = form.query_one("#form-problem")
        await until(pilot, lambda: "Escape again" in words_of(said))
        await until(pilot, lambda: words_of(said) == "")
        await pilot.press("escape")  # the wait is over: this one warns again
        await until(pilot, lambda: "Escape again" in words_of(said))
        assert app.screen is form


# -- toggling, deleting, undoing ------------------------------------------------------------------


async def test_one_key_switches_the_verdict(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        await pilot.press("v")
        toggled = before.verdict.toggled()
        assert cell(app, record_id, "verdict").startswith(toggled.symbol)  # shown at once
        await until(pilot, lambda: stored(store, record_id).verdict is toggled)
        assert stored(store, record_id).updated_by.account == "alice"


async def test_switching_twice_quickly_is_not_a_conflict_with_yourself(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        await pilot.press("v", "v", "v")
        await until(pilot, lambda: stored(store, record_id).rev == before.rev + 3)
        assert stored(store, record_id).verdict is before.verdict.toggled()
        assert not isinstance(app.screen, ConflictScreen)


async def test_home_and_end_go_to_the_first_and_last_row(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        rows = table(app).row_count
        assert rows > 3
        await pilot.press("end")
        assert table(app).cursor_row == rows - 1
        await pilot.press("home")
        assert table(app).cursor_row == 0
        await pilot.press("t", "end")
        tally = app.screen.query_one(TallyTable)
        assert tally.cursor_row == tally.row_count - 1


async def test_delete_asks_nothing_and_undo_brings_it_back(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        await pilot.press("d")
        await until(pilot, lambda: stored(store, record_id).deleted)
        await until(pilot, lambda: record_id not in shown_ids(app))
        await until(pilot, lambda: "Undo" in footer_keys(app))
        await pilot.press("u")
        await until(pilot, lambda: not stored(store, record_id).deleted)
        await until(pilot, lambda: record_id in shown_ids(app))
        await until(pilot, lambda: "Undo" not in footer_keys(app))
        assert "Delete" in footer_keys(app)
        # Found by trying: u with nothing left to undo said nothing at all.
        await pilot.press("u")
        said = "Nothing to undo: u brings back a contact point deleted here."
        await until(pilot, lambda: app.was_told(said))
        assert not stored(store, record_id).deleted


async def test_an_undo_someone_else_did_first_says_so_in_words(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        await pilot.press("d")
        await until(pilot, lambda: "Undo" in footer_keys(app))
        deleted = stored(store, record_id)
        Store(store.path, author=BOB, clock=fixed_clock).restore(
            ContactPoint, record_id, deleted.rev
        )
        await pilot.press("u")
        await until(pilot, lambda: app.was_told("bob already brought it back"))
        assert not app.was_told("revision")  # revisions are for ictui check, not for people


# -- filters --------------------------------------------------------------------------------------


async def test_filters_by_period_verdict_and_partner(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        two_weeks = len(shown_ids(app))
        await pilot.press(*ALL_TIME)
        everything = store.read().all(ContactPoint)
        await until(pilot, lambda: len(shown_ids(app)) == len(everything))
        assert len(everything) > two_weeks
        app.screen.query_one("#verdict", Select).value = Verdict.NEEDS_IMPROVEMENT.value
        await pilot.pause()
        improve = [p.id for p in everything if p.verdict is Verdict.NEEDS_IMPROVEMENT]
        assert sorted(shown_ids(app)) == sorted(improve)
        # Picking a partner in the tally narrows to that partner.
        await pilot.press("t", "enter")
        chosen = app.screen.query_one(TallyTable).tallies[0].partner_id
        await pilot.pause()
        points = {p.id: p for p in everything}
        assert {points[i].partner_id for i in shown_ids(app)} == {chosen}
        await pilot.press("x")  # clear filters: back to the last two weeks
        await pilot.pause()
        assert len(shown_ids(app)) == two_weeks


@pytest.mark.parametrize("done", ["enter", "ctrl+s"])
async def test_a_custom_date_range(store: Store, done: str) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        app.screen.query_one("#period", Select).value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen))
        since = app.screen.query_one("#since", Input)
        await until(pilot, lambda: app.screen.focused is since)
        since.value = "2026-11-01"
        app.screen.query_one("#until", Input).focus()
        await pilot.pause()
        # The last date and the key that applies it in one burst, as a paste sends them.
        type_at_once(app, "2026-11-07", done)
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        points = {p.id: p for p in store.read().all(ContactPoint)}
        shown = [points[i].date for i in shown_ids(app)]
        assert shown and all("2026-11-01" <= d.isoformat() <= "2026-11-07" for d in shown)


async def test_the_period_choice_shows_the_range_in_use_and_can_change_it(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        period = app.screen.query_one("#period", Select)
        period.value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen) and app.screen.focused)
        await pilot.press("escape")  # cancelled: the period that was there before
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        assert "Last 2 weeks" in text_of(period.query(Static).first())
        period.value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen) and app.screen.focused)
        await pilot.press(*"2026-11-01", "tab", *"2026-11-07", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        assert "1–7 Nov 2026" in text_of(period.query(Static).first())
        # Custom range… again opens the dates in use, to change them.
        period.value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen) and app.screen.focused)
        assert app.screen.query_one("#until", Input).value == "2026-11-07"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        assert "1–7 Nov 2026" in text_of(period.query(Static).first())


@pytest.mark.parametrize(
    ("since", "until_day", "name"),
    [
        ("2025-12-28", "2026-01-13", "28 Dec '25–13 Jan '26"),
        ("2026-10-28", "2026-11-17", "28 Oct – 17 Nov 2026"),
    ],
)
async def test_a_range_in_use_shows_whole_on_one_line(
    store: Store, since: str, until_day: str, name: str
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        period = app.screen.query_one("#period", Select)
        period.value = "custom"
        await until(pilot, lambda: isinstance(app.screen, PeriodScreen) and app.screen.focused)
        await pilot.press(*since, "tab", *until_day, "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, PeriodScreen))
        await pilot.pause()
        assert text_of(period.query(Static).first()).strip() == name
        assert period.size.height == 1


# -- live: other people's changes -----------------------------------------------------------------


async def test_the_tally_keeps_its_cursor_on_its_partner_when_a_colleague_changes_the_counts(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await pilot.press("t", "end")  # the least busy partner
        chosen, busiest = tally.tallies[-1], tally.tallies[0]
        assert tally.selected_id == chosen.partner_id
        bob_logs_a_success(store, busiest.partner_id)
        await until(pilot, lambda: busiest not in tally.tallies, timeout=3)
        assert tally.tallies[0].success == busiest.success + 1
        assert tally.selected_id == chosen.partner_id
        assert app.focused is tally


async def test_another_process_write_shows_within_a_second_keeping_the_cursor(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("down", "down")
        chosen = table(app).selected_id
        other = Store(store.path, author=BOB, clock=fixed_clock)
        payroll = next(p for p in other.read().all(Partner) if p.name == "Payroll")
        added = other.add(
            checked(
                ContactPoint,
                partner_id=payroll.id,
                date=TODAY,
                direction="provided",
                verdict="success",
                why="Bob logged this from his terminal",
            )
        )
        await until(pilot, lambda: added.id in shown_ids(app), timeout=3)
        assert shown_ids(app)[0] == added.id
        assert table(app).selected_id == chosen  # same record, though it moved down a row


async def test_typing_survives_a_refresh(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("a", *"Legal", "tab", "tab", "tab", "tab", *"half typed")
        form = app.screen
        other = Store(store.path, author=BOB, clock=fixed_clock)
        other.update(ContactPoint, shown_ids(app)[0], stored(store, shown_ids(app)[0]).rev, why="x")
        token = other.change_token()
        await until(pilot, lambda: app.snapshot is not None and app.snapshot.token == token)
        assert app.screen is form
        assert form.query_one("#partner", Input).value == "Legal"
        assert form.query_one("#why", TextArea).text == "half typed"


async def clash(
    pilot: Pilot[None],
    store: Store,
    bob_changes: Callable[[ContactPoint], dict[str, object]] | None,
) -> tuple[RecordingApp, ContactPoint]:
    """Edit the selected reason while Bob changes the same record, then save: a conflict.

    bob_changes: what Bob changes, given the record as it was; None: Bob deletes it.
    """
    app = await started(pilot)
    record_id = cursor_id(app)
    base = stored(store, record_id)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, ContactForm))
    app.screen.query_one("#why", TextArea).text = "Alice's wording"
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    if bob_changes is None:
        bob.delete(ContactPoint, record_id, base.rev)
    else:
        bob.update(ContactPoint, record_id, base.rev, **bob_changes(base))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
    return app, base


async def test_a_conflicting_edit_shows_both_and_keep_mine_keeps_their_other_changes(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app, base = await clash(pilot, store, lambda p: {"verdict": p.verdict.toggled()})
        record_id = base.id
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        rows = {f.label: f for f in dialog.fields}
        assert rows["Why"].differs and rows["Why"].yours == "Alice's wording"
        assert not rows["Verdict"].differs  # Bob's change, which Alice did not touch
        assert "bob changed this contact point" in str(dialog.query_one("#title").render())
        await pilot.press("m")
        await until(pilot, lambda: stored(store, record_id).rev == base.rev + 2)
        final = stored(store, record_id)
        assert final.why == "Alice's wording"
        assert final.verdict is base.verdict.toggled()  # Bob's verdict survived


async def test_saving_a_form_left_unchanged_after_a_colleagues_change_asks_nothing(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        base = stored(store, record_id)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        bob = Store(store.path, author=BOB, clock=fixed_clock)
        bob.update(ContactPoint, record_id, base.rev, verdict=base.verdict.toggled())
        told = len(app.said)
        await pilot.press("ctrl+s")  # nothing typed: nothing of Alice's to weigh against Bob's
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        assert not isinstance(app.screen, ConflictScreen)
        assert any(
            "changed this contact point while it was open here; you had changed nothing" in m
            for m, _ in app.said[told:]
        )
        final = stored(store, record_id)
        assert (final.rev, final.verdict) == (base.rev + 1, base.verdict.toggled())
        # Deleted meanwhile: said as such, and left deleted.
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        bob.delete(ContactPoint, record_id, final.rev)
        told = len(app.said)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        assert any("deleted this contact point while it was open" in m for m, _ in app.said[told:])
        gone = store.read().get(ContactPoint, record_id)
        assert gone is not None and gone.deleted and gone.rev == final.rev + 1


async def test_after_keep_mine_the_form_shows_what_it_saves_even_if_that_save_fails(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app, base = await clash(pilot, store, lambda p: {"verdict": p.verdict.toggled()})
        form = app.screen_stack[-2]
        assert isinstance(form, ContactForm)
        transaction = app.store.transaction
        refusals = iter([TeamFileError(app.store.path, "could not be written (a test)")])

        def refuse_once(**options: Any) -> Any:
            for refusal in refusals:
                raise refusal
            return transaction(**options)

        monkeypatch.setattr(app.store, "transaction", refuse_once)
        await pilot.press("m")
        await until(pilot, lambda: "a test" in text_of(form.query_one("#form-problem", Static)))
        # The form now holds Bob's verdict with Alice's reason: saving again keeps both.
        assert form.query_one(VerdictToggle).verdict is base.verdict.toggled()
        assert form.query_one("#why", TextArea).text == "Alice's wording"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: stored(store, base.id).why == "Alice's wording")
        assert stored(store, base.id).verdict is base.verdict.toggled()


async def test_keys_played_in_the_form_behind_the_conflict_dialog_do_nothing(
    store: Store,
) -> None:
    # Keys typed just before the dialog opened can still be played in the form's
    # fields: a save there opened a second dialog, and a cancel closed the dialog.
    async with make_app(store).run_test(size=SIZE) as pilot:
        app, base = await clash(pilot, store, lambda p: {"why": "Bob's wording"})
        form, dialog = app.screen_stack[-2:]
        assert isinstance(form, ContactForm) and isinstance(dialog, ConflictScreen)
        form.action_save()
        form.action_cancel()
        form.action_cancel()
        await pilot.pause(0.3)
        assert app.screen_stack[-2:] == [form, dialog] and len(app.screen_stack) == 3
        assert stored(store, base.id).rev == base.rev + 1  # Bob's change alone
        await pilot.press("m")
        await until(pilot, lambda: stored(store, base.id).why == "Alice's wording")


async def test_take_theirs_drops_your_change(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app, base = await clash(pilot, store, lambda p: {"why": "Bob's wording"})
        record_id = base.id
        await pilot.press("t")
        await until(pilot, lambda: not isinstance(app.screen, (ConflictScreen, ContactForm)))
        assert stored(store, record_id).why == "Bob's wording"
        assert stored(store, record_id).rev == base.rev + 1


async def test_keeping_mine_over_a_delete_restores_it_and_the_form_waits_for_both(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app, base = await clash(pilot, store, None)
        record_id, form = base.id, app.screen_stack[-2]
        with slow_saves(app, monkeypatch) as go:
            await pilot.press("m")
            await until(pilot, lambda: app.screen is form)
            # Escape while the restore is under way: the form says it is saving, and stays.
            await pilot.press("escape", "escape")
            assert app.screen is form and app.was_told("Saving")
            go.set()
            await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
        final = stored(store, record_id)
        assert not final.deleted and final.why == "Alice's wording"
        assert final.rev == base.rev + 3  # Bob's delete, the restore, Alice's change


async def test_switching_a_verdict_someone_deleted_asks_first(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        base = stored(store, record_id)
        Store(store.path, author=BOB, clock=fixed_clock).delete(ContactPoint, record_id, base.rev)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        assert "deleted" in str(app.screen.query_one("#title").render())
        await pilot.press("t")
        await pilot.pause()
        assert stored(store, record_id).deleted


# -- a busy team file -----------------------------------------------------------------------------


async def test_a_busy_file_is_retried_and_nothing_typed_is_lost(tmp_path: Path) -> None:
    store = demo_store(tmp_path, lock_timeout=0.2)
    with lock_held(store) as holder:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            await pilot.press("a", *"Legal", "tab", "tab", "tab", "tab", *"written while busy")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.was_told("busy"))
            assert isinstance(app.screen, ContactForm)  # still open: nothing lost
            assert holder.stdin is not None
            holder.stdin.write("\n")  # carol finishes
            holder.stdin.flush()
            await until(pilot, lambda: newest(store).why == "written while busy")
            await until(pilot, lambda: not isinstance(app.screen, ContactForm))


async def test_a_deleted_row_goes_at_once_and_comes_back_if_the_delete_fails(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path, lock_timeout=0.2)
    with lock_held(store):
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            record_id = table(app).selected_id
            assert record_id is not None
            await pilot.press("d")
            assert record_id not in shown_ids(app)  # while the file is still busy
            assert not stored(store, record_id).deleted
            # The file stays busy past every retry: the delete is refused and the row returns.
            await until(pilot, lambda: app.was_told("Could not delete"))
            assert record_id in shown_ids(app)


async def test_deletes_and_undos_typed_before_the_file_takes_them_act_in_order(
    tmp_path: Path,
) -> None:
    # Found by trying: "d u d u d" typed fast deleted four records, each u lost without
    # a word (undo was offered only once a delete was written).
    store = demo_store(tmp_path)

    def revisions() -> int:
        return sum(p.rev for p in store.read().all(ContactPoint, include_deleted=True))

    before = revisions()
    with lock_held(store) as carol:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            shown = len(shown_ids(app))
            await pilot.press("d", "u", "d", "u", "d")  # all while carol holds the file
            assert len(shown_ids(app)) == shown - 1
            let_go(carol)
            await until(pilot, lambda: revisions() == before + 5)  # each key, one write
            deleted = [p for p in store.read().all(ContactPoint, include_deleted=True) if p.deleted]
            assert len(deleted) == 1
            assert not app.was_told("Nothing to undo")
            await until(pilot, lambda: app.was_told("Deleted"))
            await pilot.press("u")
            await until(pilot, lambda: not stored(store, deleted[0].id).deleted)


async def test_quitting_waits_for_the_last_change(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id).verdict
        await pilot.press("v", "q")
    assert stored(store, record_id).verdict is before.toggled()


@pytest.mark.parametrize("typed", ["", "Pay"])
async def test_quitting_with_a_form_typed_in_asks_for_a_second_quit(
    store: Store, typed: str
) -> None:
    before = store.path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_form(pilot, "a")
        await pilot.press(*typed, "ctrl+q")
        await pilot.pause()
        if typed:  # held back once, with the way out said
            assert isinstance(app.screen, ContactForm) and app.is_running
            assert app.was_told("Press Ctrl+Q again")
            await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running)
    assert store.path.read_bytes() == before


# -- first run and refused files ------------------------------------------------------------------


async def test_first_run_offers_the_demo_team(tmp_path: Path) -> None:
    store = Store(tmp_path / "team.json", clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        shown = "".join(text_of(w) for w in app.screen.query("Static")).replace("\n", "")
        assert str(tmp_path / "team.json") in shown
        assert "ictui --db PATH" in shown and "ICTUI_DB=PATH" in shown  # how to share one
        await pilot.press("d")
        await started(pilot)
        assert app.store.path == tmp_path / "demo.json"
        assert not (tmp_path / "team.json").exists()


async def test_first_run_can_start_an_empty_team_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "team.json", clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.snapshot is not None)
        assert store.read().all(ContactPoint) == []
        await until(pilot, lambda: "Press a to log the first one" in detail_text(app))


@pytest.mark.parametrize("broken", [False, True], ids=["missing", "refused"])
async def test_no_screen_of_the_team_opens_past_the_start_screens(
    tmp_path: Path, broken: bool
) -> None:
    # Past them there is no team: a form reached there wrote a new file nobody chose.
    path = tmp_path / "team.json"
    data = BROKEN["newer schema"][0]
    if broken:
        path.write_bytes(data)
    app = make_app(Store(path, clock=fixed_clock))
    start = RefusedScreen if broken else WelcomeScreen
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, start))
        await until(pilot, lambda: "Quit" in footer_keys(app))
        footer, mode = footer_keys(app), app.current_mode
        assert "Screens" not in footer and "palette" not in footer.lower()
        await pilot.press("2", "1", "a", "ctrl+p")
        assert isinstance(app.screen, start) and app.screen.is_current
        assert app.current_mode == mode
        # Nor does its help offer them.
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = text_of(app.screen.query_one("#keys"))
        assert "Quit" in keys and "Screens" not in keys and "Contact points" not in keys
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, start))
    assert path.read_bytes() == data if broken else not path.exists()


async def test_an_empty_table_says_why_it_is_empty(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        ids = shown_ids(app)
        # Everything of the last two weeks deleted: older points are still there.
        for point_id in ids:
            current = stored(store, point_id)
            store.delete(ContactPoint, point_id, current.rev)
        await until(pilot, lambda: not shown_ids(app))
        await until(pilot, lambda: "in the last 2 weeks. Press f" in detail_text(app))
        app.screen.query_one("#verdict", Select).value = Verdict.SUCCESS.value
        await until(pilot, lambda: "match these filters. Press x" in detail_text(app))
        await pilot.press("x")
        await until(pilot, lambda: "in the last 2 weeks" in detail_text(app))


@pytest.mark.parametrize("kind", ["truncated", "newer schema", "NaN"])
async def test_a_refused_file_gets_a_clear_screen_and_is_not_touched(
    tmp_path: Path, kind: str
) -> None:
    data, reason = BROKEN[kind]
    path = tmp_path / "team.json"
    path.write_bytes(data)
    app = make_app(Store(path, clock=fixed_clock))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RefusedScreen))
        shown = str(app.screen.query_one("#reason").render())
        assert str(path) in shown and reason in shown
        await pilot.press("q")
    assert path.read_bytes() == data


async def test_a_file_broken_while_open_keeps_the_last_good_copy(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        rows = shown_ids(app)
        store.path.write_text('{"broken": ')
        await until(pilot, lambda: app.was_told("unreadable"))
        assert shown_ids(app) == rows


def break_a_record(store: Store, **values: object) -> int:
    """Hand-edit the newest contact point as a script might, around the models; return its id."""
    raw = json.loads(store.path.read_text())
    point_id = max(int(key) for key in raw["contact_points"])
    raw["contact_points"][str(point_id)].update(values)
    store.path.write_text(json.dumps(raw))
    return point_id


async def test_records_that_break_the_rules_are_left_out_and_counted(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(0.3)
        assert not app.was_told("rules")  # a sound file says nothing
        newest = break_a_record(store, verdict="meh")
        await until(pilot, lambda: app.was_told("1 record breaks the team file's rules"))
        assert newest not in shown_ids(app)
        assert app.was_told(f"ictui check --db {store.path}")
        count, read = len(app.said), app.snapshot.token  # type: ignore[union-attr]
        break_a_record(store, why="")  # the same record, now wrong in one more way
        await until(pilot, lambda: app.snapshot.token != read)  # type: ignore[union-attr]
        await settle(0.5)
        assert len(app.said) == count  # still one record: not told again
        raw = json.loads(store.path.read_text())
        raw["contact_points"][str(newest - 1)]["date"] = "yesterday"
        store.path.write_text(json.dumps(raw))
        await until(pilot, lambda: app.was_told("2 records break"))


async def test_a_file_put_back_as_it_was_is_read_again(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        away = store.path.rename(store.path.with_name("away.json"))
        await until(pilot, lambda: app.was_told("unreadable"))
        away.rename(store.path)  # same file, same stat: only the failure tells it apart
        await until(pilot, lambda: app.was_told("read again"))


async def test_a_verdict_that_cannot_be_saved_goes_back_and_says_why(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record_id = cursor_id(app)
        before = cell(app, record_id, "verdict")
        store.path.unlink()  # someone removed the team file meanwhile
        await pilot.press("v")
        await until(pilot, lambda: app.was_told("Could not switch the verdict"))
        assert app.was_told("no team file")
        await until(pilot, lambda: cell(app, record_id, "verdict") == before)


async def test_a_contact_point_saved_after_the_file_is_deleted_starts_no_new_file(
    store: Store,
) -> None:
    # Found by trying: the save started a new team file holding only that point, and
    # the team's own file, put back, replaced it: the point was lost without a word.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        store.path.unlink()
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        await pilot.press(*"Payroll")
        form.query_one("#why", TextArea).text = "Paid on time"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "no team file here" in words_of(form.query_one("#form-problem")))
        assert not store.path.exists()
        assert app.screen is form and form.query_one("#why", TextArea).text == "Paid on time"


async def test_a_team_file_emptied_under_the_app_is_said(store: Store) -> None:
    # Found by trying: a file replaced by "{}" was taken as a team with no records,
    # without a word, by the screens and by anyone's next write.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record_id = cursor_id(app)
        await pilot.press("v")  # a write of our own, read as usual: nothing said
        await until(pilot, lambda: stored(store, record_id).rev == 2)
        before = store.read()
        held = sum(before.stored(kind) for kind in registry.KINDS)
        store.path.write_text("{}")
        app.reload()
        said = f"now holds no records; it held {held:,} a moment ago"
        await until(pilot, lambda: app.was_told(said))
        assert not shown_ids(app)


async def test_a_delete_that_cannot_be_saved_says_why(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record_id = table(app).selected_id
        store.path.unlink()
        await pilot.press("d")
        await until(pilot, lambda: app.was_told("Could not delete"))
        assert record_id in shown_ids(app)
        assert "Undo" not in footer_keys(app)


async def test_an_undo_that_cannot_be_saved_can_be_tried_again(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record_id = cursor_id(app)
        await pilot.press("d")
        await until(pilot, lambda: "Undo" in footer_keys(app))
        away = store.path.rename(store.path.with_name("away.json"))
        await pilot.press("u")
        await until(pilot, lambda: app.was_told("Could not undo the delete"))
        assert "Undo" in footer_keys(app)
        away.rename(store.path)
        await pilot.press("u")
        await until(pilot, lambda: not stored(store, record_id).deleted)
        await until(pilot, lambda: record_id in shown_ids(app))


async def test_the_theme_chosen_is_kept_for_next_time(store: Store, tmp_path: Path) -> None:
    preferences = tmp_path / "config" / "preferences.json"
    app = RecordingApp(store, preferences_path=preferences)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await until(pilot, lambda: preferences.exists() and "nord" in preferences.read_text())
    again = RecordingApp(store, preferences_path=preferences)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.theme == "nord"


async def test_a_theme_that_no_longer_exists_falls_back_quietly(
    store: Store, tmp_path: Path
) -> None:
    preferences = tmp_path / "preferences.json"
    preferences.write_text('{"theme": "[bold]gone"}')
    app = RecordingApp(store, preferences_path=preferences)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme == IctuiApp(store).theme  # the default
    assert preferences.read_text() == '{"theme": "[bold]gone"}'


# -- help and the command palette -----------------------------------------------------------------


@pytest.mark.parametrize("dialog", [ContactForm, PeriodScreen])
async def test_f1_in_a_dialog_explains_it_and_escape_returns_to_what_was_typed(
    store: Store, dialog: type[ContactForm | PeriodScreen]
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        if dialog is ContactForm:
            await pilot.press("a")
        else:
            app.screen.query_one("#period", Select).value = "custom"
        await until(pilot, lambda: isinstance(app.screen, dialog) and app.screen.focused)
        opened = app.screen
        await pilot.press(*"2026", "f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert " ".join(with_keys(opened, dialog.HELP).split()) in " ".join(shown.split())
        assert "Ctrl+P" not in shown  # the palette is not there over a dialog
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is opened)
        assert isinstance(opened.focused, Input) and opened.focused.value.startswith("2026")


async def test_help_lists_the_keys_actually_bound(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = text_of(app.screen.query_one("#keys"))
        for binding in screen.BINDINGS:
            if binding.description and binding.action != "focus_table":  # type: ignore[union-attr]
                assert binding.description in text  # type: ignore[union-attr]
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_the_home_screen_key_comes_back_to_the_same_screen(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        home = app.screen
        cursor_on = cursor_id(app)
        app.add_mode("elsewhere", Screen)  # as a later screen will plug in
        await app.switch_mode("elsewhere")
        await until(pilot, lambda: app.screen is not home)
        await pilot.press("1")
        await until(pilot, lambda: app.screen is home)  # the same screen, not a new one
        assert app.current_mode == "contacts" and cursor_id(app) == cursor_on


async def test_every_action_of_the_screen_is_in_the_command_palette(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        names = {command.title for command in app.get_system_commands(app.screen)}
        for wanted in (
            "Add: Log a new contact point",
            "Edit: Edit the selected contact point",
            "Verdict: Switch success / needs improvement",
            "Delete: Delete the selected contact point",
            "Filter: Choose period, partner, verdict, way",
            "Tally: Pick a partner from the tally",
            "Go to Contact points",
            "Help",
            "Theme",
        ):
            assert wanted in names
        # The table's own cursor keys are navigation, not actions to search for.
        assert not any(name.startswith("Cursor") for name in names)


def prompt_of(options: CommandList, index: int) -> str:
    """The words of one option of the command palette, without their highlighting."""
    prompt = options.get_option_at_index(index).prompt
    return getattr(prompt, "plain", str(prompt))


@pytest.mark.parametrize("typed", ["add", "log a new"])
async def test_the_palette_finds_an_action_by_its_footer_word_or_its_words(
    store: Store, typed: str
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*typed)
        found = app.screen.query_one(CommandList)
        await until(pilot, lambda: found.option_count > 0 and "Log a new" in prompt_of(found, 0))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))


# -- text that people typed -----------------------------------------------------------------------

HOSTILE_WHY = "[bold]not bold[/bold] [/] \x1b]0;PWNED\x07 \x1b[2J 🎉 \u202eevil"


async def test_hostile_text_shows_literally_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    store = Store(path, clock=fixed_clock)
    with store.transaction(create=True) as tx:
        tx.new(Partner, name="[red]Acme[/] \x1b[31m")
    raw = json.loads(path.read_text())
    # Written around the models, as a hand edit would: the app must clean it on the way in.
    raw["contact_points"] = {
        "1": {
            "partner_id": 1, "date": TODAY.isoformat(), "direction": "provided",
            "verdict": "success", "why": HOSTILE_WHY, "rev": 1,
            "created_by": {"account": "x", "name": "[b]Mallory[/b]"},
            "created_at": "2026-11-20T09:00:00Z",
            "updated_by": {"account": "x"}, "updated_at": "2026-11-20T09:00:00Z",
        }
    }  # fmt: skip
    path.write_text(json.dumps(raw))
    app = make_app(Store(path, author=BOB, clock=fixed_clock))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        why = cell(app, 1, "why")
        assert why.startswith("[bold]not bold[/bold] [/]")
        assert "\x1b" not in why and "PWNED" not in why and "\u202e" not in why
        assert cell(app, 1, "partner") == "[red]Acme[/]"
        assert cell(app, 1, "by") == "[b]Mallory[/b]"
        detail = text_of(app.screen.query_one(ContactDetail))
        assert "[bold]not bold[/bold]" in detail and "\x1b" not in detail
        assert app.screen.query_one(TallyTable).row_text(0)["partner"] == "[red]Acme[/]"
        assert "[red]Acme[/]" in text_of(app.screen.query_one(TallyTable))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        partner = app.screen.query_one("#partner", Input)
        assert partner.value == "[red]Acme[/]"
        partner.value = "[re"  # the known name is offered, literally
        await until(
            pilot,
            lambda: "“[red]Acme[/]”" in str(app.screen.query_one("#partner-problem").render()),
        )
        partner.value = "[red]Acme[/]"
        why_box = app.screen.query_one("#why", TextArea)
        why_box.text = why_box.text + " (seen)"
        await pilot.press("ctrl+s")  # the edited reason is saved as shown: cleaned
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        await until(pilot, lambda: not app.writing)
    assert "\\u001b" not in path.read_text()


async def test_markup_in_a_partner_name_is_said_literally_when_shown_alone(store: Store) -> None:
    # A str given to a notice is read as markup: "[/]" ended the app.
    for partner in store.read().all(Partner):
        store.update(Partner, partner.id, partner.rev, name=f"[/] {partner.name}")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p", *"show partner")  # from the palette: one partner alone
        await until(pilot, lambda: "[/] " in " ".join(text_of(app.screen).split()))
        await pilot.press("enter")
        await until(pilot, lambda: app.was_told("Showing only [/] "))
        assert app.is_running


async def test_the_filters_and_keys_come_even_when_the_table_has_no_room(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(40, 8)) as pilot:
        await until(pilot, lambda: app.snapshot is not None)
        await until(pilot, lambda: app.screen.query("#period"))
        await until(pilot, lambda: app.screen.query_one(Footer).children)
        await pilot.resize_terminal(*SIZE)
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#period", Select)


async def test_no_crash_on_an_empty_team(tmp_path: Path) -> None:
    store = Store(tmp_path / "team.json", clock=fixed_clock)
    with store.transaction(create=True):
        pass
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.snapshot is not None)
        await pilot.press("v", "d", "e", "u", "t", "enter", "f")
        await pilot.pause()
        assert isinstance(app, IctuiApp) and app.is_running
        # The filter choices come after the table is drawn, even when it has no rows.
        await until(pilot, lambda: app.screen.query("#period"))
        assert app.focused is app.screen.query_one("#period", Select)


# -- styles ---------------------------------------------------------------------------------------


async def test_every_screens_stylesheet_is_read_before_it_opens(store: Store) -> None:
    # One read first when its dialog opens would make Textual re-parse every
    # stylesheet then, and the dialog's first open slower by a third.
    screens: list[type[Screen[Any]]] = [ContactPointsScreen, ContactForm, ConflictScreen]
    screens += [HelpScreen, PeriodScreen]
    screens += [RefusedScreen, WelcomeScreen]
    known = set(STYLESHEETS) | set(DIALOG_STYLESHEETS)
    for screen in screens:
        beside = Path(inspect.getfile(screen)).parent / str(screen.CSS_PATH)
        assert beside.resolve() in known, screen.__name__
    app = make_app(store)
    reparsed = []
    reparse = Stylesheet.reparse

    def counted(stylesheet: Stylesheet) -> None:
        reparsed.append(stylesheet)
        reparse(stylesheet)

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Stylesheet, "reparse", counted)
            await pilot.pause(DIALOG_STYLES_AFTER)
            await until(
                pilot, lambda: all(app.stylesheet.has_source(str(p)) for p in DIALOG_STYLESHEETS)
            )
        # Each parsed alone: the app's own styles are not parsed again (110 ms at once).
        assert reparsed == []
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        assert app.screen.query_one("#title").region.width > 0


async def test_a_filter_change_keeps_the_cursor_on_its_record(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("down", "down", "down")
        kept = cursor_id(app)
        partner = stored(store, kept).partner_id
        app.screen.query_one("#partner", Select).value = str(partner)
        await until(
            pilot,
            lambda: (
                shown_ids(app)
                and all(stored(store, i).partner_id == partner for i in shown_ids(app))
            ),
        )
        assert cursor_id(app) == kept
        assert shown_ids(app).index(kept) != 3  # it moved up with its record, not kept its row


async def test_a_file_upgraded_by_a_newer_ictui_says_not_live_until_it_reads_again(
    store: Store,
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        good = store.path.read_bytes()
        raw = json.loads(good)
        raw["meta"]["1"]["schema_version"] = 99
        store.path.write_text(json.dumps(raw))
        app.reload()
        await until(pilot, lambda: "NOT LIVE" in app.sub_title)
        assert app.was_told("newer ictui")
        store.path.write_bytes(good)
        app.reload()
        await until(pilot, lambda: "NOT LIVE" not in app.sub_title)
        assert app.was_told("can be read again")


async def test_a_file_this_person_may_only_read_is_said_read_only_from_the_start(
    store: Store,
) -> None:
    store.path.chmod(0o444)
    before = store.path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.read_only and app.sub_title.endswith("· read-only")
        assert app.was_told("(mode -r--r--r--") and app.was_told("`chmod u+w` it to write")
        told = len(app.said)
        # Found by trying: a form opened, to be typed into for nothing.
        await pilot.press("a")
        await until(pilot, lambda: app.was_told("Nothing can be added or changed"))
        assert isinstance(app.screen, ContactPointsScreen)
        await pilot.press("v")  # a change is refused, said, and the file left as it was
        await until(pilot, lambda: any("read-only" in m for m, _ in app.said[told:]))
        assert store.path.read_bytes() == before
        # Found by trying: made writable, the file took writes, and the header still
        # said read-only.
        store.path.chmod(0o644)
        record_id = cursor_id(app)
        await pilot.press("v")
        await until(pilot, lambda: stored(store, record_id).rev == 2)
        await until(pilot, lambda: app.was_told("The team file can be written again"))
        assert not app.read_only and "read-only" not in app.sub_title


@pytest.mark.parametrize("swap", ["deep nesting", "fifo"])
async def test_an_open_app_keeps_its_last_good_reading_and_quits_when_the_file_goes_bad(
    store: Store, swap: str
) -> None:
    # Issue 17, items 2 and 4: a file swapped for 100k levels of "[" or for a FIFO
    # must neither crash the open app nor hang it; q still quits at once.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        shown = shown_ids(app)
        store.path.unlink()
        if swap == "fifo":
            os.mkfifo(store.path)
        else:
            store.path.write_text("[" * 100_000)
        app.reload()
        await until(pilot, lambda: "NOT LIVE" in app.sub_title)
        assert app.was_told("Showing the team as last read")
        assert shown_ids(app) == shown and app.is_running
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)


async def test_readings_asked_for_while_one_is_under_way_make_only_one_more(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 22: at 100k records a reading outlasts the poll; each ask started another
    # reading, and several copies of the file were parsed at once.
    import threading

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await until(pilot, lambda: not app._reading)
        gate, calls = threading.Event(), []
        real = app.feed.read

        def slow(sequence: int, reuse: object) -> object:
            calls.append(sequence)
            gate.wait(10)
            return real(sequence, reuse)  # type: ignore[arg-type]

        monkeypatch.setattr(app.feed, "read", slow)
        for _ in range(5):
            app.reload()
        await until(pilot, lambda: len(calls) == 1)
        gate.set()
        await until(pilot, lambda: len(calls) == 2 and not app._reading)
        assert not app._read_again and len(calls) == 2


@pytest.mark.parametrize(("size", "rows"), [((60, 15), 4), ((80, 24), 10)])
async def test_a_short_terminal_gives_the_table_its_rows_before_the_tally(
    store: Store, size: tuple[int, int], rows: int
) -> None:
    async with make_app(store).run_test(size=size) as pilot:
        app = await started(pilot)
        await pilot.pause()
        dated = re.compile(r"^ ?[A-Z][a-z]{2} \d\d ")
        shown = [line for line in text_of(table(app)).splitlines() if dated.match(line)]
        assert len(shown) >= min(rows, len(shown_ids(app))), text_of(app.screen)
        tally = app.screen.query_one(TallyTable)
        assert tally.size.height >= 3  # the tally is smaller, not gone: its header and a partner


@pytest.mark.parametrize("place", ["2", "3"], ids=["interviews", "standards"])
async def test_a_short_terminal_gives_other_record_tables_their_rows_first(
    store: Store, place: str
) -> None:
    async with make_app(store).run_test(size=(60, 15)) as pilot:
        app = await started(pilot)
        await pilot.press(place)
        await until(pilot, lambda: app.screen.query("#table") and app.screen.query("#detail"))
        records = app.screen.query_one("#table")
        await until(pilot, lambda: records.row_count > 0)  # type: ignore[attr-defined]
        await pilot.pause()
        lines = [line for line in text_of(records).splitlines()[1:] if line.strip(" ▏▌▋")]
        assert len(lines) >= min(4, records.row_count), text_of(app.screen)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("place", "above"),
    [("1", "#overview"), ("2", "#detail"), ("3", "#detail")],
    ids=["contact points", "interviews", "standards"],
)
async def test_a_tiny_terminal_shows_the_table_alone_until_it_grows(
    store: Store, place: str, above: str
) -> None:
    async with make_app(store).run_test(size=(40, 10)) as pilot:
        app = await started(pilot)
        await pilot.press(place)
        await until(pilot, lambda: app.screen.query("#table") and app.screen.query(above))
        records = app.screen.query_one("#table")
        await until(pilot, lambda: records.row_count > 0)  # type: ignore[attr-defined]
        await pilot.pause()
        lines = [line for line in text_of(records).splitlines()[1:] if line.strip(" ▏▌▋▊▉")]
        assert len(lines) >= min(3, records.row_count), text_of(app.screen)  # type: ignore[attr-defined]
        assert not app.screen.query_one(above).display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one(above).display
        assert app.screen.query_one(above).size.height >= 4
