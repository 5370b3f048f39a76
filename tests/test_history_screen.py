"""A record's history in the app: every version listed, an earlier one brought back."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from ictui.screens.history import HistoryScreen
from ictui.teamfile.store import Store

from .apptools import cursor_id, demo_store, footer_keys, make_app, started, stored, until

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


async def test_h_lists_the_versions_and_enter_brings_one_back(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        first = stored(store, record_id)
        await pilot.press("v")  # a second revision: the other verdict
        await until(pilot, lambda: stored(store, record_id).rev == first.rev + 1)
        await until(pilot, lambda: app.snapshot.get(type(first), record_id).rev == first.rev + 1)  # type: ignore[union-attr]
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        versions = app.screen.query_one(OptionList)
        assert versions.option_count == 2
        shown = str(versions.get_option_at_index(0).prompt.renderables[1])  # type: ignore[union-attr]
        assert "Verdict:" in shown and first.verdict.label in shown
        await pilot.press("down", "enter")  # the first version
        await until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        await until(pilot, lambda: stored(store, record_id).rev == first.rev + 2)
        back = stored(store, record_id)
        assert back.verdict is first.verdict and back.why == first.why
        assert app.was_told(f"Brought back revision {first.rev}")


async def test_the_current_version_is_not_brought_back(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.was_told("nothing to bring back"))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        assert stored(store, record_id).rev == before.rev


async def test_the_detail_offers_the_history_in_its_footer(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "h History" in footer_keys(app))
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        head = app.screen.query_one(OptionList).get_option_at_index(0).prompt.renderables[0]  # type: ignore[union-attr]
        assert "created" in str(head) and "(as it is now)" in str(head)
