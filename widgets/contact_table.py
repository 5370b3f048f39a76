"""The table of contact points: newest first, fitted to the width, cursor kept across refreshes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.widgets.cell import Cell
from ictui.widgets.record_table import Column, Listing, RecordTable

__all__ = ["ContactTable", "Listing"]

WIDE = 100
"""From this many columns on, verdicts are written out in full."""


def short_date(day: dt.date, today: dt.date | None) -> str:
    """Return "Nov 20" for a day of this year, else "2025-11-20"."""
    if today is not None and day.year == today.year:
        return day.strftime("%b %d")
    return day.isoformat()


def verdict_mark(verdict: Verdict, *, wide: bool) -> str:
    """Return a verdict as a mark and a word: readable without colour, shorter when narrow."""
    if verdict is Verdict.SUCCESS or wide:
        return f"{verdict.symbol} {verdict.label}"
    return f"{verdict.symbol} improve"


def fit_columns(width: int, *, today_only: bool) -> list[Column]:
    """Return the columns for a table this wide: the reason gets whatever is left."""
    wide = width >= WIDE
    date = 6 if today_only else 10
    fixed = [
        Column("date", "Date", date),
        Column("partner", "Partner", 22 if wide else 14),
        Column("direction", "Way", 9),
        Column("verdict", "Verdict", 19 if wide else 9),
        Column("by", "By", 16 if wide else 8),
    ]
    padding = 2 * (len(fixed) + 1)  # one cell of padding each side of every column
    why = max(12, width - padding - sum(c.width for c in fixed))
    return [*fixed[:4], Column("why", "Why", why), *fixed[4:]]


class ContactTable(RecordTable[ContactPoint]):
    """Contact points, one a row: date, partner, way, verdict, why, who logged it."""

    _this_year: tuple[tuple[ContactPoint, ...], dt.date | None, bool] | None = None
    """The records last asked about, their day, and whether all their dates are that year's."""

    def layout_of(self) -> Hashable:
        """Whether every date shown is this year's: then dates are shown short."""
        # Asked twice per listing (is the layout new? which columns?), 13 ms at 100k; a
        # listing shown again (a search cleared) is a new Listing of the same records.
        records, today = self.listing.records, self.listing.today
        known = self._this_year
        if known is None or known[0] is not records or known[1] != today:
            short = today is not None and all(p.date.year == today.year for p in records)
            known = self._this_year = (records, today, short)
        return known[2]

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide: the reason gets whatever is left."""
        return fit_columns(width, today_only=bool(self.layout_of()))

    def cells(self, record: ContactPoint, width: int) -> list[Any]:
        """Return a contact point's row, its people's text shown literally."""
        names = self.listing.names or {}
        wide = width >= WIDE
        verdict_style = "" if record.verdict is Verdict.SUCCESS else "bold"
        return [
            Cell(short_date(record.date, self.listing.today)),
            Cell(names.get(record.partner_id, f"#{record.partner_id}"), cut=True),
            Cell(record.direction.short),
            Cell(verdict_mark(record.verdict, wide=wide), verdict_style),
            Cell(record.why, cut=True),
            Cell(record.created_by.display, cut=True),
        ]
