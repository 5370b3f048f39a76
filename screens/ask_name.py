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
from ictui.text import fold_case, one_line


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

    def __init__(
        self,
        title: str,
        explain: str,
        value: str,
        known: Sequence[str],
        *,
        known_only: bool,
        placeholder: str = "the partner's name",
    ) -> None:
        """known: the other partners' names; known_only: the answer must be one of them
        (a merge), else it must not be (a rename: two partners of one name is a merge).
        With no names known and known_only False, any name is an answer (a person's own)."""
        super().__init__()
        self.title_text = title
        self.explain = explain
        self.value = value
        self.known = list(known)
        self.known_only = known_only
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        """Lay out the question, what it does, and the name."""
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text), id="title")
            yield Static(Text(self.explain), id="explain")
            yield Static("Enter: done · →: take the suggestion · Escape: back", id="keys")
            yield Input(
                self.value,
                placeholder=self.placeholder,
                suggester=SuggestFromList(self.known, case_sensitive=False),
                id="name",
            )
            yield Static("", id="problem")
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answer with the name typed (or the known one it begins); refuse in place what cannot be.

        What was typed stays, so that a refusal costs nothing to put right.
        """
        event.stop()
        typed = event.value.strip()
        key = fold_case(typed)
        same = next((n for n in self.known if fold_case(n) == key), None)
        begun = next((n for n in self.known if fold_case(n).startswith(key)), None)
        problem = self.query_one("#problem", Static)
        if not typed:
            problem.update("Type a name, or press Escape to go back.")
        elif self.known_only and (same or begun):
            self.dismiss(same or begun)
        elif self.known_only:
            problem.update(Text(f"No other partner is named “{one_line(typed)}”."))
        elif same is not None:
            problem.update(
                Text(
                    f"“{one_line(same)}” is another partner's name. To make the two one, "
                    "merge them instead (palette: Merge partner)."
                )
            )
        else:
            self.dismiss(typed)
