"""Getting everywhere: a key per screen, the palette, the help, and each screen kept as left."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from textual.binding import BindingType
from textual.widgets import Input, Static

from ictui.screens import places
from ictui.screens.help import HelpScreen
from ictui.screens.places import Place
from ictui.teamfile.store import Store

from .apptools import RecordingApp, cursor_id, demo_store, footer_keys, started, text_of, until

SIZE = (100, 30)
HERE = "tests.places_for_tests"
NOTES = Place("8", "notes", "Notes", "Where the tests type notes", HERE, "NotesScreen")
PLAIN = Place("9", "plain", "Plain", "A screen with nothing on it", HERE, "PlainScreen")


@pytest.fixture
def tour() -> Iterator[type[RecordingApp]]:
    """The app with two more screens, as later issues will plug theirs in: one line each."""
    with places.registered(NOTES, PLAIN):

        class TourApp(RecordingApp):
            BINDINGS: ClassVar[list[BindingType]] = places.place_bindings()

        yield TourApp


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


async def test_each_screen_has_its_key_and_comes_back_as_it_was_left(
    store: Store, tour: type[RecordingApp]
) -> None:
    sys.modules.pop(HERE, None)
    app = tour(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("down", "down", "f", "enter", "down", "enter", "escape")
        contacts, cursor_on, filters = app.screen, cursor_id(app), app.screen.filters  # type: ignore[attr-defined]
        assert HERE not in sys.modules  # a screen's code loads on its first visit
        await pilot.press("8")
        await until(pilot, lambda: app.screen.query("#note"))
        assert HERE in sys.modules and app.current_mode == "notes"
        notes = app.screen
        await pilot.press(*"half a thought")
        notes.set_focus(None)  # out of the field: in one, digits are typed
        await pilot.press("9")
        await until(pilot, lambda: app.current_mode == "plain")
        await pilot.press("1")
        await until(pilot, lambda: app.screen is contacts)
        assert cursor_id(app) == cursor_on and contacts.filters == filters  # type: ignore[attr-defined]
        await pilot.press("8")
        await until(pilot, lambda: app.screen is notes)
        assert notes.query_one(Input).value == "half a thought"


async def test_the_footer_shows_the_screens_keys_once_there_are_several(
    store: Store, tour: type[RecordingApp]
) -> None:
    async with tour(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: "Screens" in footer_keys(app))
        assert "Screens" not in footer_keys(app).split("Screens")[1]  # one group, once


async def test_with_one_screen_the_footer_offers_no_screen_keys(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(places, "PLACES", places.PLACES[:1])

    class HomeOnly(RecordingApp, inherit_bindings=False):
        # The app's own keys but those of the screens it was built with; then one screen's.
        BINDINGS: ClassVar[list[BindingType]] = [
            *(
                b
                for b in RecordingApp.BINDINGS
                if not (getattr(b, "id", None) or "").startswith("go.")
            ),
            *places.place_bindings(),
        ]

    async with HomeOnly(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: "Add" in footer_keys(app))
        assert "Screens" not in footer_keys(app)


async def test_the_palette_and_the_help_lead_to_every_screen(
    store: Store, tour: type[RecordingApp]
) -> None:
    async with tour(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Go to Contact points", "Go to Notes", "Go to Plain"} <= titles
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = text_of(app.screen.query_one("#keys", Static))
        assert "Contact points (you are here)" in keys
        assert "Notes: Where the tests type notes" in keys and "Plain:" in keys
        await pilot.press("escape", "9", "f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Plain (you are here)" in text_of(app.screen.query_one("#keys", Static))
