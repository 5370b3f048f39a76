"""The offer of a draft kept when the app last left mid-form: reopen it, discard it, or later."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from ictui.screens.help import DIALOG_HELP
from ictui.text import one_line
from ictui.widgets.key_names import say_key

REOPEN = "reopen"
DISCARD = "discard"
LATER = "later"


class DraftOfferScreen(ModalScreen[str]):
    """Offers a draft back: answers REOPEN, DISCARD, or LATER (Escape: asked again next start)."""

    CSS_PATH = "draft_offer.tcss"
    HELP = (
        "{draft.reopen} opens the form again with what you had typed; "
        "{draft.discard} throws the draft away; {draft.later} keeps it for the next start."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer('reopen')", "Reopen", id="draft.reopen"),
        Binding("d", "answer('discard')", "Discard", id="draft.discard"),
        Binding("escape", "answer('later')", "Later", id="draft.later"),
        DIALOG_HELP,
    ]

    def __init__(
        self, form: str, record_id: int | None, kept_at: str, *, on_record: str = ""
    ) -> None:
        """form: what the form writes ("contact point"); record_id: the one changed, if any.

        on_record: what record_id names when the form was opened on it ("standard").
        """
        super().__init__()
        # Read back from a file: shown as text, whatever it holds.
        self.form = one_line(form)
        self.record_id = record_id
        self.kept_at = one_line(kept_at)
        self.on_record = one_line(on_record) if on_record else on_record

    def compose(self) -> ComposeResult:
        """What the draft is, and the three answers."""
        if self.on_record and self.record_id is not None:  # a new check-in of standard 3
            what, doing = f"a {self.form} of {self.on_record} {self.record_id}", "writing"
        elif self.record_id is None:
            what, doing = f"a {self.form}", "writing"
        else:
            what, doing = f"{self.form} {self.record_id}", "changing"
        when = f" ({self.kept_at})" if self.kept_at else ""
        with Vertical(id="dialog"):
            yield Label(Text(f"A draft of {what}"), id="title")
            yield Static(
                Text(
                    f"You were {doing} {what} when ictui had to leave (the connection "
                    f"dropped){when}. What you had typed was kept as a draft, for you alone."
                ),
                id="said",
            )
            with Horizontal(id="buttons"):
                yield self._button(REOPEN, "Reopen it", primary=True)
                yield self._button(DISCARD, "Discard")
                yield self._button(LATER, "Later")
        yield Footer(compact=True)

    def _button(self, answer: str, words: str, *, primary: bool = False) -> Button:
        key = say_key(self, f"draft.{answer}", short=True)
        button = Button(f"{words} ({key})", id=answer, compact=True)
        if primary:
            button.variant = "primary"
        return button

    def on_mount(self) -> None:
        """Start on reopen: Enter brings the draft back."""
        self.set_focus(self.query_one(f"#{REOPEN}"))

    def action_answer(self, answer: str) -> None:
        """Answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or LATER)
