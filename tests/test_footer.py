"""The footer of keys: held back for the first frame, then following the bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label

from ictui.widgets.footer import KeyFooter

from .apptools import until


class FooterApp(App[None]):
    """A label and a footer that may hold its keys back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "bell", "Add")]

    def __init__(self, hold: float) -> None:
        super().__init__()
        self.hold = hold

    def compose(self) -> ComposeResult:
        """The label, and the footer below it."""
        yield Label("first frame")
        yield KeyFooter(hold=self.hold)


def keys_shown(app: App[None]) -> list[str]:
    """Return the descriptions the footer shows."""
    return [str(getattr(key, "description", "")) for key in app.query_one(KeyFooter).children]


async def test_a_footer_without_hold_shows_its_keys_at_once() -> None:
    app = FooterApp(hold=0)
    async with app.run_test() as pilot:
        await until(pilot, lambda: "Add" in keys_shown(app))


async def test_a_held_footer_shows_its_keys_when_released() -> None:
    app = FooterApp(hold=30)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        app.query_one(KeyFooter).release()
        await until(pilot, lambda: "Add" in keys_shown(app))
        app.query_one(KeyFooter).release()  # again: nothing more to do
        await pilot.pause()
        assert keys_shown(app).count("Add") == 1


async def test_a_held_footer_shows_its_keys_once_the_hold_is_over() -> None:
    app = FooterApp(hold=3.0)  # nothing releases it; long enough for a loaded machine
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        await until(pilot, lambda: "Add" in keys_shown(app))
