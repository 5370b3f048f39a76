"""A person's own keys: an action moved where their terminal lets it through, shown where it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from ictui.app import keys_of_the_app
from ictui.screens.contact_form import ContactForm
from ictui.screens.help import HelpScreen
from ictui.teamfile.store import Store

from .apptools import (
    RecordingApp,
    cursor_id,
    demo_store,
    footer_keys,
    open_form,
    started,
    stored,
    text_of,
    until,
)
from .conftest import run_ictui

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def app_with_keys(store: Store, tmp_path: Path, keys: dict[str, str]) -> RecordingApp:
    """The app, with a preferences file that moves keys."""
    preferences = tmp_path / "preferences.json"
    preferences.write_text(json.dumps({"keys": keys}))
    return RecordingApp(store, preferences_path=preferences)


async def test_moved_keys_act_and_show_where_they_now_are(store: Store, tmp_path: Path) -> None:
    # ctrl+s stops some terminals (flow control); a person moves save to F2.
    app = app_with_keys(store, tmp_path, {"form.save": "f2", "contacts.verdict": "w"})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await until(pilot, lambda: "w Verdict" in footer_keys(app))
        record_id = cursor_id(app)
        before = stored(store, record_id).verdict
        await pilot.press("v")  # no longer the verdict's key
        await pilot.press("w")
        await until(pilot, lambda: stored(store, record_id).verdict is before.toggled())
        form = await open_form(pilot, "e")
        assert "f2 Save" in footer_keys(app)
        await pilot.press(*" (moved key)", "f2")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        assert stored(store, record_id).why.endswith("(moved key)")
        assert form.record is not None
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = text_of(app.screen.query_one("#keys", Static))
        assert "w    " in keys and "Verdict" in keys


async def test_an_id_that_names_no_key_is_said_once_the_app_is_up(
    store: Store, tmp_path: Path
) -> None:
    app = app_with_keys(store, tmp_path, {"contacts.verdit": "w", "contacts.add": "ctrl+"})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await until(pilot, lambda: app.was_told("'contacts.verdit' is the id of no key"))
        assert app.was_told("'ctrl+' is not a key")
        await until(pilot, lambda: "a Add" in footer_keys(app))  # the bad entry left a as it was


async def test_a_key_taken_by_another_action_is_left_out_and_said(
    store: Store, tmp_path: Path
) -> None:
    app = app_with_keys(store, tmp_path, {"contacts.verdict": "a", "contacts.filter": "o"})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        said = "'a' is already contacts.add's key; contacts.verdict keeps its own key"
        await until(pilot, lambda: app.was_told(said))
        await until(pilot, lambda: "a Add" in footer_keys(app) and "v Verdict" in footer_keys(app))
        assert "o Filter" in footer_keys(app)  # the rest of the keymap stands
        await open_form(pilot, "a")  # a still adds


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        ({"contacts.verdict": "banana"}, "'banana' is not a key"),
        ({"contacts.add": "ctrl+S"}, "'ctrl+S' is not a key"),
        ({"form.save": "escape"}, "'escape' is already form.cancel's key"),
        ({"form.save": "w"}, "'w' for form.save would be typed into the fields of a form"),
    ],
)
def test_keys_that_cannot_work_are_left_out(keys: dict[str, str], said: str) -> None:
    problems, left_out = keys_of_the_app(keys)[1:]
    assert any(said in problem for problem in problems), problems
    assert left_out == set(keys)


def test_keys_moved_where_they_can_work_are_kept() -> None:
    # F1 already opens the help in dialogs and closes it in the help itself: no news.
    moved = {"app.help": "f1,j", "form.save": "f2,ctrl+s", "contacts.verdict": "w"}
    problems, left_out = keys_of_the_app(moved)[1:]
    assert (problems, left_out) == ([], set())


def test_ictui_keys_lists_every_id_and_marks_the_moved_ones(tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "ictui").mkdir(parents=True)
    moved = {"keys": {"form.save": "f2,ctrl+s", "nothing.here": "x"}}
    (config / "ictui" / "preferences.json").write_text(json.dumps(moved))
    done = run_ictui("keys", XDG_CONFIG_HOME=str(config))
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "*f2,ctrl+s" in lines["form.save"] and "Save" in lines["form.save"]
    assert {"contacts.verdict", "app.quit", "go.contacts", "autosave.keep_mine"} <= set(lines)
    assert "'nothing.here'" in err
