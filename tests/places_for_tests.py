"""Screens that exist only for the navigation tests: places a later issue will fill in."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, Label


class NotesScreen(Screen[None]):
    """Notes: a screen with something to type, to see it kept when coming back."""

    HELP = "A screen for the tests."
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        """A title, a field and the footer."""
        yield Label("Notes for the tests")
        yield Input(id="note")
        yield Footer()


class PlainScreen(Screen[None]):
    """A third screen, with nothing on it."""

    def compose(self) -> ComposeResult:
        """A title and the footer."""
        yield Label("Plain for the tests")
        yield Footer()
