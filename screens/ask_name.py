"""A one-line question for a partner's name: the new name in a rename, the partner to merge into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Static

from ictui.screens.help import DIALOG_HELP


class AskName(ModalScreen[str | None]):
    """Asks for a name, suggesting known ones as it is typed; answers it, or None if cancelled."""

    CSS_PATH = "ask_name.tcss"
    HELP = (
        "Type the name and press Enter; a known partner's name is suggested as you type "
        "(→ takes the suggestion). {ask.cancel} goes back without changing anything."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="ask.cancel"),
        DIALOG_HELP,
    ]

    def __init__(self, title: str, explain: str, value: str, known: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.explain = explain
        self.value = value
        self.known = list(known)

    def compose(self) -> ComposeResult:
        """Lay out the question, what it does, and the name."""
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text), id="title")
            yield Static(Text(self.explain), id="explain")
            yield Input(
                self.value,
                placeholder="the partner's name",
                suggester=SuggestFromList(self.known, case_sensitive=False),
                id="name",
            )
            yield Static("", id="problem")
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answer with the name typed; an empty one is refused in place."""
        event.stop()
        name = event.value.strip()
        if not name:
            self.query_one("#problem", Static).update("Type a name, or press Escape to go back.")
            return
        self.dismiss(name)
