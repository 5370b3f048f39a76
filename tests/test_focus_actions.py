"""Record actions act on what has focus: never on a row behind an open list, or from the tally."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select

from ictui.kinds.contact_point import ContactPoint
from ictui.teamfile.store import Store
from ictui.widgets.tally import TallyTable

from .apptools import cursor_id, demo_store, footer_keys, make_app, started, until

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def live(store: Store) -> int:
    return len(store.read().all(ContactPoint))


async def test_delete_in_an_open_filter_list_deletes_nothing(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = live(store)
        await pilot.press("f", "enter")
        period = app.screen.query_one("#period", Select)
        await until(pilot, lambda: period.expanded)
        await until(pilot, lambda: "Delete" not in footer_keys(app))
        await pilot.press("delete", "d", "v", "e")
        await pilot.pause()
        assert live(store) == before and not app.was_told("Deleted")
        assert period.expanded  # still in the list
        await pilot.press("escape", "escape")
        await until(pilot, lambda: "Delete" in footer_keys(app))


async def test_keys_for_the_table_do_nothing_in_the_tally(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        chosen, before = cursor_id(app), live(store)
        verdict = store.read().get(ContactPoint, chosen).verdict  # type: ignore[union-attr]
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.focused, TallyTable))
        await until(pilot, lambda: "Delete" not in footer_keys(app))
        await pilot.press("d", "v")
        await pilot.pause()
        assert live(store) == before and not app.was_told("Deleted")
        assert store.read().get(ContactPoint, chosen).verdict is verdict  # type: ignore[union-attr]
        await pilot.press("escape")  # back to the table, where the keys work again
        await until(pilot, lambda: "Delete" in footer_keys(app))


# -- the footer and the help offer what works where the focus is ----------------------------


async def test_the_footer_follows_the_focus(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: "Edit" in footer_keys(app))
        on_table = footer_keys(app)
        assert "⏎ Edit" in on_table
        assert "Table" not in on_table  # no other part to go back from
        assert "Clear" not in on_table  # no filter to clear
        await pilot.press("t")
        await until(pilot, lambda: "esc Table" in footer_keys(app))
        on_tally = footer_keys(app)
        assert "Delete" not in on_tally and "Verdict" not in on_tally
        await pilot.press("enter")  # pick the partner under the tally's cursor
        await until(pilot, lambda: "x Clear" in footer_keys(app))
        await pilot.press("x")
        await until(pilot, lambda: "Clear" not in footer_keys(app))


async def test_under_the_help_the_footer_says_how_to_close_it(store: Store) -> None:
    from ictui.screens.help import HelpScreen

    from .apptools import text_of

    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await until(pilot, lambda: "Close help" in footer_keys(app))
        assert "Add" not in footer_keys(app)
        keys = text_of(app.screen.query_one("#keys"))
        assert "Cursor left" not in keys and "Page Left" not in keys.title()  # rows, not cells
        assert "Cursor down" in keys or "cursor down" in keys.lower()


# -- the tally and the filters use the width that is there ----------------------------------


async def test_at_80_columns_names_and_choices_show_whole(store: Store) -> None:
    from ictui.widgets.filter_bar import FilterBar

    from .apptools import text_of

    async with make_app(store).run_test(size=(80, 24)) as pilot:
        app = await started(pilot)
        tally = app.screen.query_one(TallyTable)
        await until(pilot, lambda: tally.row_count > 0)
        await pilot.pause()
        names = [row.name for row in tally.tallies]
        assert any(len(name) > 24 for name in names)  # longer than the tally was wide
        assert "…" not in text_of(tally)
        assert all(name in text_of(tally) for name in names[: tally.size.height - 1])
        verdict = app.screen.query_one("#verdict", Select)
        verdict.value = "needs-improvement"
        bar = app.screen.query_one(FilterBar)
        # The choice is as wide as what it shows, the arrow and a cell each side: nothing cut.
        await until(pilot, lambda: verdict.size.width >= len("✗ needs improvement") + 4)
        assert sum(select.outer_size.width + 1 for select in bar.query(Select)) <= 80


async def test_at_80_columns_every_key_in_the_footer_shows_whole(store: Store) -> None:
    from textual.widgets import Footer

    async with make_app(store).run_test(size=(80, 24)) as pilot:
        app = await started(pilot)
        await pilot.press("d")  # u Undo joins the footer
        await until(pilot, lambda: "Undo" in footer_keys(app))
        app.screen.query_one("#verdict", Select).value = "success"  # and x Clear
        await until(pilot, lambda: "Clear" in footer_keys(app))
        await pilot.press("escape")  # back to the table, where its keys are
        await until(pilot, lambda: "Edit" in footer_keys(app))
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert all(key.region.right <= 80 for key in footer.children)
