"""The footer of keys: its line kept for the first frame, then Textual's footer in it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Label

from ictui.widgets.footer import FooterSlot

from .apptools import until


class FooterApp(App[None]):
    """A label and a footer that may hold its keys back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "bell", "Add")]

    def __init__(self, hold: float) -> None:
        super().__init__()
        self.hold = hold

    def compose(self) -> ComposeResult:
        """The label, and the footer's slot below it."""
        yield Label("first frame")
        yield FooterSlot(hold=self.hold)


def keys_shown(app: App[None]) -> list[str]:
    """Return the descriptions the footer shows (none while its slot holds the line)."""
    footers = app.query(Footer)
    return [str(getattr(key, "description", "")) for f in footers for key in f.children]


async def test_the_slot_keeps_the_footers_line_so_nothing_moves() -> None:
    app = FooterApp(hold=30)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        slot = app.query_one(FooterSlot)
        line = slot.region
        assert (line.y, line.height) == (9, 1)
        slot.release()
        await until(pilot, lambda: "Add" in keys_shown(app))
        assert app.query_one(Footer).region == line and not app.query(FooterSlot)


async def test_a_held_footer_shows_its_keys_when_released() -> None:
    app = FooterApp(hold=30)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        app.query_one(FooterSlot).release()
        await until(pilot, lambda: "Add" in keys_shown(app))
        await pilot.pause()
        assert keys_shown(app).count("Add") == 1


async def test_a_held_footer_shows_its_keys_once_the_hold_is_over() -> None:
    app = FooterApp(hold=3.0)  # nothing releases it; long enough for a loaded machine
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        await until(pilot, lambda: "Add" in keys_shown(app))
