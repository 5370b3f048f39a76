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
