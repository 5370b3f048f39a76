"""The per-partner tally: successes against needs improvement, for the period shown.

Drawn by the kit's record table, a line per partner in view: as a DataTable it
filled and measured a Rich cell per count at each new listing, the largest
part of what all time's arrival redrew at 100,000 contact points.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive

from ictui.kinds.vocab import Verdict
from ictui.text import one_line
from ictui.widgets.cell import Cell
from ictui.widgets.record_table import Column, Listing, RecordTable
from ictui.widgets.row_keys import ROW_JUMPS


@dataclass(frozen=True)
class TallyRow:
    """One partner's counts."""

    partner_id: int
    name: str
    success: int
    needs_improvement: int

    @property
    def id(self) -> int:
        """The partner's id: the tally's cursor stays on its partner."""
        return self.partner_id


class TallyTable(RecordTable[TallyRow]):
    """Partners with their counts, most contact points first; enter filters by that partner."""

    BLURRED_CURSOR: ClassVar[bool] = False  # a summary: no partner looks picked until it is
    PICK_ON_CLICK: ClassVar[bool] = True  # a list to pick from: one click shows the partner's

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Pick",
            tooltip="Show only this partner's contact points",
            id="table.edit",
        ),
        *ROW_JUMPS,
    ]

    # Filled again only when the counts differ: a colleague's write that changes
    # none (a reason edited, an interview) draws nothing here.
    tallies: reactive[tuple[TallyRow, ...]] = reactive(())
    """The counts to show, set by the screen."""

    class PartnerChosen(Message):
        """The person picked a partner in the tally, to see only its contact points."""

        def __init__(self, partner_id: int) -> None:
            self.partner_id = partner_id
            super().__init__()

    def watch_tallies(self, tallies: tuple[TallyRow, ...]) -> None:
        """Show new counts; the cursor stays on its partner."""
        self.listing = Listing(records=tallies, names={})
        if not self.has_focus:
            # A summary read at a glance: the busiest partners on top, not
            # wherever a cursor no one sees has gone.
            self.scroll_home(animate=False, immediate=True)

    def _count_width(self) -> int:
        most = max((max(r.success, r.needs_improvement) for r in self.tallies), default=0)
        return max(2, len(str(most)))

    def wanted_width(self) -> int:
        """Return the width that shows every partner's name whole, and the counts."""
        longest = max((cell_len(one_line(r.name)) for r in self.tallies), default=8)
        # The name and two counts, each padded by one cell on both sides, and the scrollbar.
        scrollbar = self.styles.scrollbar_size_vertical
        return max(8, longest) + 2 * self._count_width() + 6 + scrollbar + 1

    def layout_of(self) -> Hashable:
        """Return the counts' width: wider counts leave the names less."""
        return self._count_width()

    def columns_for(self, width: int) -> list[Column]:
        """Return the partner's name in the width the two counts leave."""
        counts = self._count_width()
        name = max(8, width - 2 * counts - 6)
        return [
            Column("partner", "Partner", name),
            Column("success", Verdict.SUCCESS.symbol.rjust(counts), counts),
            Column("improve", Verdict.NEEDS_IMPROVEMENT.symbol.rjust(counts), counts),
        ]

    def cells(self, record: TallyRow, width: int) -> list[Any]:
        """Return the name, literally and on one line, and the counts to the right."""
        counts = self._count_width()
        return [
            Cell(record.name, cut=True),
            Cell(str(record.success).rjust(counts)),
            Cell(str(record.needs_improvement).rjust(counts)),
        ]

    def focus_now(self) -> None:
        """Take focus at once, so that keys already typed act on the tally."""
        self.screen.set_focus(self)

    def on_focus(self) -> None:
        """Show the cursor while the tally has focus, scrolled to where it is."""
        self.move_cursor(self.cursor_row)
        self.refresh()

    def on_blur(self) -> None:
        """Hide the cursor when focus moves on."""
        self.refresh()

    # The kit's messages are the record screen's, about its records: the tally
    # keeps them and says only which partner was picked.

    def on_record_table_drawn(self, event: RecordTable.Drawn) -> None:
        """Keep the kit's first-drawn notice: it is about the screen's records."""
        event.stop()

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Keep the cursor's moves: the detail shows records, not partners."""
        event.stop()

    def on_record_table_row_selected(self, event: RecordTable.RowSelected) -> None:
        """Ask for the contact points of the chosen partner."""
        event.stop()
        if event.record_id is not None:
            self.post_message(self.PartnerChosen(event.record_id))
