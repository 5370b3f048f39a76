"""Someone else changed a record while you were changing it: see both, choose one."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from ictui.errors import Conflict
from ictui.screens.help import DIALOG_HELP
from ictui.services.compare import FieldChange
from ictui.text import for_display
from ictui.widgets.key_names import say_key


def comparison(fields: list[FieldChange]) -> Table:
    """Return the two versions side by side; fields that differ are marked, not only coloured."""
    table = Table(expand=True, show_edge=False, pad_edge=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("Yours", ratio=1)
    table.add_column("Theirs", ratio=1)
    for field in fields:
        style = "reverse" if field.differs else ""
        table.add_row(
            "≠" if field.differs else "",
            field.label,
            Text(for_display(field.yours), style=style),
            Text(for_display(field.theirs), style=style),
        )
    return table


class ConflictScreen(ModalScreen[bool | None]):
    """Shows your version beside theirs; answers True to keep yours, False to take theirs."""

    CSS_PATH = "conflict.tcss"
    HELP = (
        "Someone saved this record after you started changing it. Nothing was overwritten. "
        "Keep yours to save your version over theirs, take theirs to drop your change, "
        "or press {conflict.back} to go back. Either way nothing is lost: every version "
        "stays in the record's history, where it can be brought back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "choose(True)", "Keep mine", id="conflict.keep_mine"),
        Binding("t", "choose(False)", "Take theirs", id="conflict.take_theirs"),
        Binding("escape", "dismiss(None)", "Back", id="conflict.back"),
        DIALOG_HELP,
    ]

    def __init__(self, conflict: Conflict, fields: list[FieldChange]) -> None:
        super().__init__()
        self.conflict = conflict
        self.fields = fields

    def compose(self) -> ComposeResult:
        """Lay out the message, the two versions and the choices."""
        theirs = self.conflict.current
        who = for_display(theirs.updated_by.display)
        when = theirs.updated_at.astimezone().strftime("%H:%M on %d %b")
        verb = "deleted" if theirs.deleted else "changed"
        with Vertical(id="dialog"):
            yield Label(Text(f"{who} {verb} this {self.conflict.label} at {when}"), id="title")
            yield Static(
                "while you were working on it. Nothing has been overwritten: choose which to "
                "keep. The other stays in the record's history (History, on its row), from "
                "where it can be brought back.",
                id="explain",
            )
            with VerticalScroll(id="versions"):
                yield Static(comparison(self.fields))
            with Horizontal(id="buttons"):
                keep = say_key(self, "conflict.keep_mine", short=True)
                take = say_key(self, "conflict.take_theirs", short=True)
                yield Button(f"Keep mine ({keep})", variant="primary", id="mine", compact=True)
                yield Button(f"Take theirs ({take})", id="theirs", compact=True)
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def action_choose(self, keep_mine: bool) -> None:
        """Answer with the person's choice."""
        self.dismiss(keep_mine)

    @on(Button.Pressed, "#mine")
    def _mine(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#theirs")
    def _theirs(self) -> None:
        self.dismiss(False)
