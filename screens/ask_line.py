"""A question answered with one line of text: why a standard is retired, who agreed it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.kinds.rules import length_problem
from ictui.screens.form import FORM, Form
from ictui.screens.help import DIALOG_HELP
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput


class AskLineScreen(Form[str | None]):
    """Asks for one line; answers with it (cleaned of surrounding spaces), or None if cancelled."""

    CSS_PATH = "ask_line.tcss"
    FIELDS: ClassVar[tuple[str, ...]] = ("line",)
    ENTER_SUBMITS: ClassVar[bool] = True
    HELP = "Enter or {form.save} goes ahead with what is typed; {form.cancel} changes nothing."
    YES: ClassVar[str] = "OK"
    """The word of the button that goes ahead; a subclass binds ctrl+s with it too."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", YES, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        DIALOG_HELP,
    ]

    def __init__(
        self,
        title: str,
        said: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: str = "",
        most: int | None = None,
    ) -> None:
        """required: the message when the line is left empty; "" lets it be empty.

        most: the longest line the field it goes into holds, in characters.
        """
        super().__init__()
        self.question, self.said = title, said
        self.value, self.placeholder = value, placeholder
        self.required, self.most = required, most

    def compose(self) -> ComposeResult:
        """The question, what it means, the line and the two answers."""
        with Vertical(id="dialog"):
            yield Label(self.question, id="title", markup=False)
            if self.said:
                yield Static(self.said, id="said", markup=False)
            yield InOrderInput(self.value, placeholder=self.placeholder, id="line", compact=True)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yes = say_key(self, "form.save", short=True)
                cancel = say_key(self, "form.cancel", short=True)
                yield Button(f"{self.YES} ({yes})", variant="primary", id="yes", compact=True)
                yield Button(f"Cancel ({cancel})", id="cancel", compact=True)
        yield Footer(compact=True)

    def has_unsaved_changes(self) -> bool:
        """Whether something was typed that closing would throw away."""
        return self.up and self.query_one("#line", Input).value.strip() != self.value.strip()

    def submit(self) -> None:
        """Answer with the line, or say that one is needed."""
        line = self.query_one("#line", Input).value.strip()
        if not line and self.required:
            self.show_problems([(FORM, self.required)])
            return
        # Refused here, with the line kept: a write refused later had closed the dialog.
        too_long = length_problem(line, self.most) if self.most is not None else ""
        if too_long:
            self.show_problems([(FORM, f"It {too_long}.")])
            return
        self.dismiss(line)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class AgreeScreen(AskLineScreen):
    """Asks who agreed a standard on the partner's side; the button and its key say Agree."""

    YES = "Agree"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", YES, id="form.save")]


class RetireScreen(AskLineScreen):
    """Asks why a standard is retired; the button and its key say Retire."""

    YES = "Retire"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", YES, id="form.save")]
