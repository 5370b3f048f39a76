"""Quitting from a screen that saves as it goes: the writes on their way are waited for first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import TextArea

from ictui import app as app_module
from ictui.screens.debrief_builder import DebriefBuilderScreen
from ictui.screens.worksheet import WorksheetScreen
from ictui.widgets.autosave_text import AutosaveText

from .apptools import demo_store, let_go, lock_held, make_app, started, until
from .test_debrief_screen import HELD, the_debrief
from .test_debrief_screen import open_builder as open_from_the_list

SIZE = (120, 40)


async def open_builder(pilot: Pilot[None]) -> DebriefBuilderScreen:
    """Open the demo's debrief in the builder, the cursor in its probing."""
    screen = await open_from_the_list(pilot)
    screen.query_one("#probing-text", TextArea).focus()
    await pilot.pause()
    return screen


async def open_worksheet(pilot: Pilot[None]) -> WorksheetScreen:
    """Open the held interview's worksheet, the cursor in its notes."""
    from ictui.screens.interviews import InterviewsScreen
    from ictui.widgets.interview_table import InterviewTable

    app = await started(pilot)
    await pilot.press("2")
    await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
    table = app.screen.query_one(InterviewTable)
    await until(pilot, lambda: table.row_count > 0)
    table.select_record(HELD)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, WorksheetScreen) and app.screen.focused)
    screen: WorksheetScreen = app.screen  # type: ignore[assignment]
    screen.query_one("#notes-text", TextArea).focus()
    await pilot.pause()
    return screen


@pytest.mark.parametrize("where", ["builder", "worksheet"])
async def test_quitting_at_once_when_the_save_is_refused_keeps_the_text(
    tmp_path: Path, where: str
) -> None:
    store = demo_store(tmp_path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await (open_builder(pilot) if where == "builder" else open_worksheet(pilot))
        field = screen.query_one("#probing" if where == "builder" else "#notes", AutosaveText)
        before = store.path.read_bytes()
        store.path.chmod(0o444)  # made read-only after the screen opened
        await pilot.press(*"kept", "ctrl+q")  # well inside the pause: saved on the way, refused
        await until(pilot, lambda: app.was_told("Press Ctrl+Q again"))
        assert app.is_running and app.screen is screen
        assert field.text.startswith("kept") and field.problem is not None
        await pilot.press("ctrl+q")  # asked, and answered: the text is thrown away
        await until(pilot, lambda: not app.is_running)
    assert store.path.read_bytes() == before


async def test_quitting_while_a_lock_is_held_too_long_asks_rather_than_drop_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "QUIT_SAVE_WAIT", 1.5)  # beyond SAY_SAVING_AFTER
    store = demo_store(tmp_path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_builder(pilot)
        with lock_held(store) as holder:
            await pilot.press(*"kept while carol writes", "ctrl+q")
            await until(pilot, lambda: app.was_told("Saving"))
            await until(pilot, lambda: app.was_told("Press Ctrl+Q again"))
            assert app.is_running and app.screen is screen
            let_go(holder)
            await until(pilot, lambda: the_debrief(store).probing == "kept while carol writes")
        await pilot.pause(app_module.QUIT_AGAIN_WITHIN)  # the question has lapsed
        await pilot.press("ctrl+q")  # all saved now: quits at once
        await until(pilot, lambda: not app.is_running)


@pytest.mark.parametrize("where", ["builder", "worksheet"])
async def test_keys_typed_just_before_ctrl_q_are_saved_not_dropped(
    tmp_path: Path, where: str
) -> None:
    # Found by trying: text and Ctrl+Q sent together (a paste, a slow link) quit
    # before the field had taken the text, and it was lost without a question.
    store = demo_store(tmp_path)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await (open_builder(pilot) if where == "builder" else open_worksheet(pilot))
        for key in ("Q", "Q", "Q", "ctrl+q"):  # as the terminal sends them: all at once
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await until(pilot, lambda: not app.is_running)
    assert "QQQ" in store.path.read_text()
