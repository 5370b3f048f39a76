"""The search line: text typed here narrows the records shown, as it is typed."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """One line to search in; Enter goes back to the records, Escape clears and closes it."""

    DEFAULT_CSS = """
    SearchBar {
        dock: bottom;
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
