"""A record's history: each version, who made it and what it changed; one can be brought back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from ictui.kinds.record import Record
from ictui.kinds.schema import schema_of
from ictui.screens.help import DIALOG_HELP
from ictui.services.compare import words
from ictui.services.history import Version
from ictui.text import one_line

Names = Mapping[str, Mapping[int, str]]

CHANGE_WIDTH = 60
"""Characters of a long value shown in a change; the version brought back has all of it."""


def _short(value: Any, names: Mapping[int, str] | None) -> str:
    text = one_line(names.get(value, f"#{value}") if names is not None else words(value))
    return text if len(text) <= CHANGE_WIDTH else text[: CHANGE_WIDTH - 1] + "…"


def describe(version: Version, kind: type[Record], names: Names) -> Group:
    """Return a version as lines: when, who and what it did, then each field it changed.

    names: for each table a field refers to, its records' names by id.
    """
    when = version.when.astimezone().strftime("%d %b %Y %H:%M")
    who = one_line(version.who.display)
    if version.who.name and version.who.name != version.who.account:
        who += f" ({one_line(version.who.account)})"
    what = {"unknown": "changed (earlier versions no longer kept)"}.get(version.what, version.what)
    head = Text(f"Revision {version.rev} · {when} · {who} · {what}")
    if version.current:
        head.append("  (as it is now)", style="bold")
    lines = [head]
    schema = schema_of(kind)
    for change in version.changes:
        table = schema.field(change.name).refers
        named = names.get(table) if table else None
        old, new = _short(change.old, named), _short(change.new, named)
        lines.append(Text(f"    {change.label}: {old} → {new}"))
    return Group(*lines)


class HistoryScreen(ModalScreen[int | None]):
    """Lists a record's versions, newest first; answers the revision to bring back, or None."""

    CSS_PATH = "history.tcss"
    HELP = (
        "Every change of this record is kept here, the last 20: who made it, when, and "
        "what it changed, from what to what. Choose an earlier version and press Enter to "
        "bring it back: it is saved as a new revision, so that this too can be undone here. "
        "{history.close} closes the history."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="history.close"),
        DIALOG_HELP,
    ]

    def __init__(
        self,
        title: str,
        versions: Sequence[Version],
        problem: str | None,
        kind: type[Record],
        names: Names,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.names = names
        self.title_text = title
        self.versions = list(versions)
        self.problem = problem

    def compose(self) -> ComposeResult:
        """Lay out the title, the versions and what could not be read."""
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text), id="title")
            options = [
                Option(describe(v, self.kind, self.names), id=str(v.rev)) for v in self.versions
            ]
            yield OptionList(*options, id="versions")
            note = "Enter on an earlier version brings it back (as a new revision)."
            if self.problem:
                note = f"Older versions could not be read: {one_line(self.problem)}. {note}"
            yield Static(Text(note), id="note")
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Answer with the chosen revision; the current one is no change."""
        event.stop()
        chosen = next(v for v in self.versions if str(v.rev) == event.option.id)
        if chosen.current:
            self.notify("That is the record as it is now: nothing to bring back.", timeout=3)
            return
        self.dismiss(chosen.rev)
