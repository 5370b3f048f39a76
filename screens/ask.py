"""A question before something is done: what it means, and a yes or a no."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Label, Static

from ictui.screens.help import DIALOG_HELP
from ictui.widgets.key_names import say_key


def give_way(part: Widget, height: int, most: int, around: int) -> None:
    """Let a dialog's long part take at most what a terminal this tall leaves it.

    around: the lines the rest of the dialog (its border, title, line to type in,
    buttons) and the footer need: on a short terminal they stay in view, and the
    long part scrolls.
    """
    part.styles.max_height = max(1, min(most, height - around))


SAID_MOST = 16
"""The most lines the question's explanation takes; more scroll."""


class AskScreen(ModalScreen[bool]):
    """Asks whether to go ahead; answers True for yes, False for no (Escape)."""

    CSS_PATH = "ask.tcss"
    HELP = "{ask.yes} goes ahead; {ask.no} goes back and changes nothing."
    # Not in the footer: each button names its answer and its key ("Leave (y)"),
    # where the footer could only say "y Yes", whatever the question.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", show=False, id="ask.yes"),
        Binding("n,escape", "answer(False)", "No", show=False, key_display="n", id="ask.no"),
        DIALOG_HELP,
    ]

    def __init__(
        self, title: str, said: Text, yes: str, no: str, *, start_on_no: bool = False
    ) -> None:
        """title, said: the question and what it means; yes, no: the buttons' words.

        start_on_no: Enter answers no, for a yes that throws something away.
        """
        super().__init__()
        self.question = title
        self.said = said
        self.yes, self.no = yes, no
        self.start_on_no = start_on_no

    def compose(self) -> ComposeResult:
        """The question, what it means, and the two answers."""
        with Vertical(id="dialog"):
            yield Label(Text(self.question), id="title")
            with VerticalScroll(id="said"):
                yield Static(self.said)
            with Horizontal(id="buttons"):
                yes = say_key(self, "ask.yes", short=True)
                no = say_key(self, "ask.no", short=True)
                yield Button(f"{self.yes} ({yes})", variant="primary", id="yes", compact=True)
                yield Button(f"{self.no} ({no})", id="no", compact=True)
        yield Footer(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the answers in view on a short terminal: the explanation scrolls."""
        give_way(self.query_one("#said"), event.size.height, SAID_MOST, around=8)

    def on_mount(self) -> None:
        """Start on yes: Enter goes ahead, as the question suggests (on no, if asked to)."""
        self.set_focus(self.query_one("#no" if self.start_on_no else "#yes"))

    def action_answer(self, yes: bool) -> None:
        """Answer."""
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
