"""The table of debriefs: drafts first, then those held; each with its balance in counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ictui.kinds.debrief import Debrief
from ictui.services.debriefs import Balance
from ictui.text import one_line
from ictui.widgets.contact_table import short_date
from ictui.widgets.record_table import Column, RecordTable
from ictui.widgets.row_keys import ROW_JUMPS

COUNTS = (
    Column("results", "Good", 4),
    Column("issues", "Issues", 6),
    Column("resolutions", "Resol.", 6),
    Column("standards", "Std", 3),
    Column("advice", "Advice", 6),
)
"""The balance's counts, one narrow column each: results are the good news."""


def fit_columns(width: int) -> list[Column]:
    """Return the columns for a table this wide: the partner gets what is left."""
    fixed = [Column("when", "Interview", 10), Column("status", "Debrief", 16), *COUNTS]
    padding = 2 * (len(fixed) + 2)  # one cell of padding each side of every column
    left = max(12, width - padding - sum(c.width for c in fixed))
    return [fixed[0], Column("partner", "Partner", left), *fixed[1:]]


def status_words(debrief: Debrief, today: dt.date | None) -> str:
    """Return a debrief's status as the table says it: "draft", "held Nov 20" (as dates are)."""
    return "draft" if debrief.held_on is None else f"held {short_date(debrief.held_on, today)}"


class DebriefTable(RecordTable[Debrief]):
    """Debriefs, one a row: the interview's day and partner, draft or held, and the balance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the recap", id="table.edit"),
        *ROW_JUMPS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.interviews: Mapping[int, tuple[dt.date, str]] = {}
        """Each debrief's interview's day and partner, by id; set by the screen."""
        self.balances: Mapping[int, Balance] = {}
        """Each debrief's balance, by id, once worked out; set by the screen."""

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide."""
        return fit_columns(width)

    def cells(self, record: Debrief, width: int) -> list[Any]:
        """Return a debrief's row, its people's text shown literally; "…" until it is counted."""
        day, partner = self.interviews.get(record.id, (None, ""))
        cells: list[Any] = [
            Text(short_date(day, self.listing.today) if day else ""),
            Text(one_line(partner), no_wrap=True, overflow="ellipsis"),
            Text(
                status_words(record, self.listing.today),
                style="bold" if record.held_on is None else "",
            ),
        ]
        balance = self.balances.get(record.id)
        if balance is None:
            return [*cells, *(Text("…", justify="right", style="dim") for _ in COUNTS)]
        advice = len(balance.advice)
        counts = (balance.results, balance.issues, balance.resolutions, balance.standards)
        cells += [Text(str(n), justify="right") for n in counts]
        cells.append(Text(str(advice) if advice else "–", justify="right", style="bold"))
        return cells
