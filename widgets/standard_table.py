"""The table of standards and partnering rules, grouped by partner, with how each stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ictui.kinds.standard import Standard
from ictui.kinds.vocab import StandardStatus
from ictui.services.standards import StandardRow
from ictui.text import one_line
from ictui.widgets.record_table import Column, RecordTable
from ictui.widgets.row_keys import ROW_JUMPS

SCROLLBAR = 2
"""The cells a table keeps for its vertical scrollbar: a terminal's width less these is its own."""
WIDE = 110 - SCROLLBAR
"""From this table width on (a 110-column terminal's), the target, the cadence and the status
have columns of their own: at this width they and a 17-cell standard fit exactly."""


def fit_columns(width: int) -> list[Column]:
    """Return the columns for a table this wide: the standard gets what is left."""
    wide = width >= WIDE
    fixed = [
        Column("partner", "Partner", 14 if wide else 12),
        Column("whose", "Whose", 5),
    ]
    after = [Column("strip", "Last 6", 6), Column("kept", "Kept", 5), Column("due", "Due", 8)]
    if wide:
        after = [
            Column("target", "Target", 18),
            Column("cadence", "Checked", 9),
            Column("status", "Status", 8),
            *after,
        ]
    columns = fixed + after
    padding = 2 * (len(columns) + 1)  # one cell of padding each side of every column
    left = max(16, width - padding - sum(c.width for c in columns))
    return [*fixed, Column("standard", "Standard", left), *after]


class StandardTable(RecordTable[Standard]):
    """Standards one a row, grouped by partner: whose promise, how it stands, what is due."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Edit", tooltip="Edit the standard", id="table.edit"),
        *ROW_JUMPS,
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.standings: Mapping[int, StandardRow] = {}
        """How each standard stands, by id; set by the screen before the listing."""
        self.first_of_partner: frozenset[int] = frozenset()
        """The standards that start their partner's group: the partner is named there only."""

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide."""
        return fit_columns(width)

    def cells(self, record: Standard, width: int) -> list[Any]:
        """Return a standard's row, its people's text shown literally."""
        return self._cells(record, width, named=record.id in self.first_of_partner)

    def cells_on_top(self, record: Standard, width: int) -> list[Any]:
        """Return a standard's row on top of the view: it names its partner, whoever is above."""
        return self._cells(record, width, named=True)

    def _cells(self, record: Standard, width: int, *, named: bool) -> list[Any]:
        row = self.standings.get(record.id)
        partner = row.partner if row else ""
        retired = record.status is StandardStatus.RETIRED
        proposed = record.status is StandardStatus.PROPOSED
        text_style = "dim" if retired else "italic" if proposed else ""
        cells: list[Any] = [
            Text(one_line(partner) if named else "", no_wrap=True, overflow="ellipsis"),
            Text(record.side.short),
            Text(one_line(record.standard), style=text_style, no_wrap=True, overflow="ellipsis"),
        ]
        if width >= WIDE:
            cells += [
                Text(one_line(record.target) or "–", no_wrap=True, overflow="ellipsis"),
                Text(record.cadence.value),
                Text(record.status.value, style="bold" if proposed else ""),
            ]
        standing = row.standing if row else None
        due = standing.due if standing else None
        agreed = record.status is StandardStatus.AGREED
        # Without a status column, a standard not agreed says so where a due period would be.
        status = "" if agreed or width >= WIDE else record.status.value
        # A proposed one tried out shows its check-ins too, as the detail panel does.
        shown = standing is not None and standing.worth_showing(record)
        cells += [
            Text(standing.strip() if standing and shown else ""),
            Text(standing.compliance_text if standing and shown else "", justify="right"),
            Text(str(due), style="bold reverse") if due else Text(status, style="dim"),
        ]
        return cells
