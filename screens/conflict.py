"""Someone else changed a record while you were changing it: see both, choose one."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from ictui.errors import Conflict
from ictui.screens.help import DIALOG_HELP
from ictui.services.compare import FieldChange, character_start, first_difference
from ictui.text import for_display
from ictui.widgets.key_names import say_key

FEWEST_LINES = 4
"""Lines a value takes on the smallest terminal; a longer one shows where the versions differ."""
LABEL_WIDTH = 14
"""Widest a field's label is drawn; a longer one wraps, leaving the values room."""
MARK = "…"
"""Stands for the text left out before or after the part shown."""


def lines_per_value(height: int) -> int:
    """Return the most lines one value takes in a terminal of height lines."""
    # 24 lines leave room for 4 beside the dialog's words and the other fields; a
    # taller terminal gives the rest, half of it, to the values.
    return max(FEWEST_LINES, FEWEST_LINES + (height - 24) // 2)


def comparison(fields: list[FieldChange], width: int, console: Console, lines: int) -> Table:
    """Return the two versions side by side in width cells; differing fields are marked.

    A value too long to show whole shows where the versions differ, in both
    columns: the start of the text is the same in both, so it can be left out.
    """
    # Cells around the values: the mark column and its padding, the labels'
    # padding, the values' padding and the three rules between the columns.
    around = 10
    longest = max((cell_len(field.label) for field in fields), default=1)
    # The labels take a third at most, so that a narrow terminal still leaves the values room.
    label_width = max(1, min(LABEL_WIDTH, longest, (width - around) // 3))
    value_width = max(1, (width - around - label_width) // 2)
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("", style="bold", width=label_width, overflow="fold")
    table.add_column("Yours", width=value_width, overflow="fold")
    table.add_column("Theirs", width=value_width, overflow="fold")
    for field in fields:
        yours, theirs = shown_text(field.yours), shown_text(field.theirs)
        start = shown_from(yours, theirs, value_width, console, lines)
        style = "reverse" if field.differs else ""
        table.add_row(
            "≠" if field.differs else "",
            Text(field.label),
            excerpt(yours, start, value_width, console, lines, style),
            excerpt(theirs, start, value_width, console, lines, style),
        )
    return table


def shown_text(value: str) -> str:
    """Return a value as the dialog draws it: literal, safe, tabs as spaces."""
    # Tabs as spaces: what is measured here is then what is drawn.
    return for_display(value).expandtabs(4)


def _lines(text: str, width: int, console: Console) -> int:
    return len(Text(text).wrap(console, width, overflow="fold"))


def shown_from(yours: str, theirs: str, width: int, console: Console, lines: int) -> int:
    """Return where both versions are shown from: 0, or a little before where they differ."""
    if yours == theirs:
        return 0
    if max(_lines(yours, width, console), _lines(theirs, width, console)) <= lines:
        return 0  # both whole
    at = first_difference(yours, theirs)
    if _lines(yours[:at], width, console) <= lines - 2:
        return 0  # the difference starts early enough that two lines of it show
    return lead_in(yours, at, width, max(1, lines // 2))  # the other half for the difference


def lead_in(text: str, at: int, width: int, lines: int) -> int:
    """Return where to start showing text so that about lines lines of width come before at.

    Starts at a word or a line if one begins in the first half of those lines,
    so the words before the difference are whole; else at a character.
    """
    start, used, cells = at, 0, lines * width - cell_len(MARK)
    while start > 0:
        # A line break ends its line: count it as a whole one, to be sure the lines fit.
        wide = width if text[start - 1] == "\n" else cell_len(text[start - 1])
        if used + wide > cells:
            break
        start -= 1
        used += wide
    half = (at - start) // 2
    for index in range(start, start + half):
        if text[index].isspace():
            start = index + 1
            while start < at and text[start].isspace():
                start += 1
            return start
    # A character drawn as one (e with its accent, a family emoji) is not split.
    while start < at and character_start(text, start) != start:
        start += 1
    return start


def excerpt(text: str, start: int, width: int, console: Console, lines: int, style: str) -> Text:
    """Return text from start in at most lines lines of width, marked where cut."""
    shown = f"{MARK}{text[start:]}" if start else text
    wrapped = Text(shown, style=style).wrap(console, width, overflow="fold")
    if len(wrapped) <= lines:
        return Text(shown, style=style)
    kept = list(wrapped)[:lines]
    last = kept[-1]
    last.rstrip()
    if cell_len(last.plain) + cell_len(MARK) > width:
        last.truncate(width - cell_len(MARK))
    last.append(MARK, style=style)
    return Text("\n", style=style).join(kept)


class Comparison:
    """The two versions side by side, laid out for the width they are drawn in."""

    def __init__(self, fields: list[FieldChange], lines: int) -> None:
        self.fields = fields
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Draw the comparison in the width given."""
        yield comparison(self.fields, options.max_width, console, self.lines)


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
        self._lines = FEWEST_LINES

    def compose(self) -> ComposeResult:
        """Lay out the message, the two versions and the choices."""
        self._lines = lines_per_value(self.app.size.height)
        theirs = self.conflict.current
        who = for_display(theirs.updated_by.display)
        when = theirs.updated_at.astimezone().strftime("%H:%M on %d %b")
        verb = self.conflict.verb
        with Vertical(id="dialog"):
            yield Label(Text(f"{who} {verb} this {self.conflict.label} at {when}"), id="title")
            yield Static(
                "while you were working on it. Nothing has been overwritten: choose which to "
                "keep. The other stays in the record's history (History, on its row), from "
                "where it can be brought back.",
                id="explain",
            )
            with VerticalScroll(id="versions"):
                yield Static(Comparison(self.fields, self._lines), id="comparison")
            with Horizontal(id="buttons"):
                keep = say_key(self, "conflict.keep_mine", short=True)
                take = say_key(self, "conflict.take_theirs", short=True)
                yield Button(f"Keep mine ({keep})", variant="primary", id="mine", compact=True)
                yield Button(f"Take theirs ({take})", id="theirs", compact=True)
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def on_resize(self, event: events.Resize) -> None:
        """Give the values the lines the terminal's new height allows."""
        lines = lines_per_value(event.size.height)
        if lines != self._lines:
            self._lines = lines
            self.query_one("#comparison", Static).update(Comparison(self.fields, lines))

    def action_choose(self, keep_mine: bool) -> None:
        """Answer with the person's choice."""
        self.dismiss(keep_mine)

    @on(Button.Pressed, "#mine")
    def _mine(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#theirs")
    def _theirs(self) -> None:
        self.dismiss(False)
