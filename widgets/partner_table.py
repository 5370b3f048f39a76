"""The partner map as a table: who each partner is to the team, what it needs, how the year went."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text

from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Priority, Relationship
from ictui.services.partner_map import PartnerYear, needs_in_words
from ictui.widgets.cell import Cell
from ictui.widgets.contact_table import short_date
from ictui.widgets.record_table import Column, RecordTable

RELATIONSHIP_SHORT = {
    Relationship.CUSTOMER: "we serve →",
    Relationship.PROVIDER: "← serves us",
    Relationship.BOTH: "↔ both",
}
"""A relationship in a narrow column: which way the service goes, by an arrow."""

PRIORITY_STYLE = {Priority.HIGH: "bold", Priority.MEDIUM: "", Priority.LOW: "dim"}

NAME_AT_LEAST = 12
"""The name column's least width; below it the table scrolls sideways."""


def fit_columns(width: int) -> list[Column]:
    """Return the columns for a table this wide: the name gets what is left, needs if room."""
    segment = 22 if width >= 140 else 14 if width >= 90 else 10
    fixed = [
        Column("priority", "Priority", 8),
        Column("relationship", "Way", 11),
        Column("segment", "Segment", segment),
        Column("success", "✓ 12m", 5),
        Column("improve", "✗ 12m", 5),
        Column("last", "Last", 10),
    ]
    needs = Column("needs", "Needs", 26)
    padding = 2 * (len(fixed) + 1)
    left = width - padding - sum(c.width for c in fixed)
    if left - needs.width - 2 >= 20:  # the needs only where the name keeps 20 columns
        fixed.insert(3, needs)
        left -= needs.width + 2
    return [Column("name", "Partner", max(NAME_AT_LEAST, left)), *fixed]


class PartnerTable(RecordTable[Partner]):
    """Partners, one a row: name, priority, which way the service goes, segment, needs, the year."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.years: Mapping[int, PartnerYear] = {}
        """Each partner's last twelve months, by id; set by the screen with each listing."""

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide."""
        return fit_columns(width)

    def cells(self, record: Partner, width: int) -> list[Any]:
        """Return a partner's row, its people's text shown literally."""
        year = self.years.get(record.id)
        counted = bool(self.years)  # counted: a partner without contact points has 0
        last = year.last_contact if year else None
        cells: dict[str, Any] = {
            "name": Cell(record.name, PRIORITY_STYLE[record.priority], cut=True),
            "priority": Cell(record.priority.value, PRIORITY_STYLE[record.priority]),
            "relationship": Cell(RELATIONSHIP_SHORT[record.relationship]),
            "segment": Cell(record.segment, cut=True),
            "needs": Cell(needs_in_words(record.needs), cut=True),
            "success": Text(str(year.success if year else 0) if counted else "", justify="right"),
            "improve": Text(
                str(year.needs_improvement if year else 0) if counted else "",
                justify="right",
                style="bold",
            ),
            "last": Cell(short_date(last, self.listing.today) if last else "–"),
        }
        return [cells[column.key] for column in fit_columns(width)]
