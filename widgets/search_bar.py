"""The search line: text typed here narrows the records shown, as it is typed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class SearchBar(Input):
    """One line to search in; Enter goes back to the records, Escape clears and closes it."""

    DEFAULT_CSS = """
    SearchBar {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear search", id="search.clear"),
    ]

    class Closed(Message):
        """The person cleared the search and left it."""

    def __init__(self, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, compact=True, id=id)

    def action_close(self) -> None:
        """Clear the search and say so: the screen shows everything again."""
        self.value = ""
        self.post_message(self.Closed())


class SearchLine(Horizontal):
    """The search line at the bottom: what it is ("Search"), then the SearchBar to type in.

    Once something is typed the placeholder is gone; the label still says what the line is.
    """

    DEFAULT_CSS = """
    SearchLine {
        dock: bottom;
        height: 1;
        background: $surface;
    }
    SearchLine > Label {
        padding: 0 1;
        text-style: bold;
    }
    """

    def __init__(self, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        """The label, then the line to type in."""
        yield Label("Search")
        yield SearchBar(placeholder=self._placeholder, id="search")

    @property
    def bar(self) -> SearchBar:
        """The line typed in."""
        return self.query_one(SearchBar)
