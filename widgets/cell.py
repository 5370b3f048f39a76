"""A table cell of one line of literal text, made into Rich text only when it is drawn.

A record table of all time holds a cell for every column of every record:
600,000 at 100,000 contact points. A rich Text each weighs several times its
string, and DataTable measures every Text it is given, where the record table's
columns have fixed widths and never need it. A Cell keeps only the string (the
record's own, not a copy) and how to show it; DataTable measures nothing it
cannot ask for a width (it takes 1), and draws only the rows in view.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ictui.text import one_line


class Cell:
    """Text shown literally in a style; cut: people's text, on one line, cut with an ellipsis.

    A cut cell keeps the record's own string and puts it on one line only when
    it is drawn or read, so that all time holds no second copy of every reason.
    """

    __slots__ = ("cut", "style", "value")

    def __init__(self, value: str, style: str = "", *, cut: bool = False) -> None:
        self.value = value
        self.style = style
        self.cut = cut

    @property
    def plain(self) -> str:
        """Return the text as shown."""
        return one_line(self.value) if self.cut else self.value

    def text(self) -> Text:
        """Return the cell as Rich text: never markup, one line, an ellipsis where cut."""
        if self.cut:
            return Text(self.plain, style=self.style, no_wrap=True, overflow="ellipsis")
        return Text(self.value, style=self.style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text()

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Cell({self.value!r}, {self.style!r}, cut={self.cut})"
