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

NARROW_COUNTS = (
    Column("results", "Good", 4),
    Column("issues", "Iss.", 4),
    Column("advice", "Adv.", 4),
)
"""The counts kept when all do not fit: the balance of good and bad news, and the advice."""

PARTNER_AT_LEAST = 9
"""The partner column's least width ("Sales Op…"); below it the narrow columns are used."""


def _fixed(narrow: bool) -> list[Column]:
    if narrow:
        return [Column("when", "Interview", 10), Column("status", "Debrief", 7), *NARROW_COUNTS]
    return [Column("when", "Interview", 10), Column("status", "Debrief", 16), *COUNTS]


def _left(width: int, fixed: list[Column]) -> int:
    """Return what is left for the partner, each column padded by one cell on both sides."""
    return width - 2 * (len(fixed) + 2) - sum(c.width for c in fixed)


def is_narrow(width: int) -> bool:
    """Whether a table this wide keeps the narrow counts and says "held" without its day."""
    return _left(width, _fixed(narrow=False)) < PARTNER_AT_LEAST


def fit_columns(width: int) -> list[Column]:
    """Return the columns for a table this wide: the partner gets what is left."""
    fixed = _fixed(is_narrow(width))
    left = max(PARTNER_AT_LEAST, _left(width, fixed))
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
        narrow = is_narrow(width)
        status = "held" if narrow and record.held_on else status_words(record, self.listing.today)
        cells: dict[str, Any] = {
            "when": Text(short_date(day, self.listing.today) if day else ""),
            "partner": Text(one_line(partner), no_wrap=True, overflow="ellipsis"),
            "status": Text(status, style="bold" if record.held_on is None else ""),
        }
        balance = self.balances.get(record.id)
        for column in COUNTS:
            cells[column.key] = Text("…", justify="right", style="dim")
        if balance is not None:
            advice = len(balance.advice)
            counts = (balance.results, balance.issues, balance.resolutions, balance.standards)
            for column, n in zip(COUNTS, counts, strict=False):
                cells[column.key] = Text(str(n), justify="right")
            cells["advice"] = Text(str(advice) if advice else "–", justify="right", style="bold")
        return [cells[column.key] for column in fit_columns(width)]
