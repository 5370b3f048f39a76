"""The table of interviews: planned first, then the newest held, with both ratings and the gap."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ictui.kinds.interview import Interview
from ictui.kinds.vocab import InterviewStatus
from ictui.services.interviews import gap_of
from ictui.text import one_line
from ictui.widgets.contact_table import short_date
from ictui.widgets.record_table import Column, RecordTable
from ictui.widgets.row_keys import ROW_JUMPS

TREND_FROM = 100
"""From this many columns on, the partner's trend has a column of its own."""


def fit_columns(width: int, *, this_year: bool) -> list[Column]:
    """Return the columns for a table this wide: the partner (and the trend) share what is left."""
    fixed = [
        Column("when", "When", 12 if this_year else 16),
        Column("status", "Status", 9),
        Column("ours", "Ours", 4),
        Column("theirs", "Theirs", 6),
        Column("gap", "Gap", 4),
        Column("checklist", "Checklist", 9),
    ]
    trend = width >= TREND_FROM
    padding = 2 * (len(fixed) + 1 + trend)  # one cell of padding each side of every column
    left = max(12, width - padding - sum(c.width for c in fixed))
    partner = min(left, 28) if trend else left
    columns = [fixed[0], Column("partner", "Partner", partner), *fixed[1:]]
    if trend:
        columns.append(Column("trend", "Over time", left - partner))
    return columns


class InterviewTable(RecordTable[Interview]):
    """Interviews, one a row: when, partner, status, both ratings, the gap, the checklist."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the worksheet", id="table.edit"),
        *ROW_JUMPS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.checklists: Mapping[int, str] = {}
        """Each interview's checklist progress ("9/14"), by id; set by the screen."""
        self.trends: Mapping[int, str] = {}
        """How each interview's partner's rating and gap moved up to it, by id."""

    def layout_of(self) -> Hashable:
        """Whether every date shown is this year's: then dates are shown short."""
        today = self.listing.today
        return today is not None and all(
            i.planned_on.year == today.year for i in self.listing.records
        )

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide."""
        return fit_columns(width, this_year=bool(self.layout_of()))

    def cells(self, record: Interview, width: int) -> list[Any]:
        """Return an interview's row, its people's text shown literally."""
        names = self.listing.names or {}
        when = short_date(record.planned_on, self.listing.today)
        if record.planned_time:
            when += f" {record.planned_time}"
        gap = gap_of(record)
        planned = record.status is InterviewStatus.PLANNED
        cells: list[Any] = [
            Text(when),
            Text(
                one_line(names.get(record.partner_id, f"#{record.partner_id}")),
                no_wrap=True,
                overflow="ellipsis",
            ),
            Text(record.status.label, style="bold" if planned else ""),
            Text(_rating(record.self_rating), justify="right"),
            Text(_rating(record.customer_rating), justify="right"),
            Text(gap.short, justify="right", style="bold" if (gap.difference or 0) < 0 else ""),
            Text(self.checklists.get(record.id, ""), justify="right"),
        ]
        if width >= TREND_FROM:
            trend = self.trends.get(record.id, "")
            cells.append(Text(trend, no_wrap=True, overflow="ellipsis"))
        return cells


def _rating(value: int | None) -> str:
    return "–" if value is None else str(value)
