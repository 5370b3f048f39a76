"""The per-partner tally: successes against needs improvement, for the period shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

from ictui.kinds.vocab import Verdict
from ictui.text import one_line
from ictui.widgets.row_keys import ROW_JUMPS


@dataclass(frozen=True)
class TallyRow:
    """One partner's counts."""

    partner_id: int
    name: str
    success: int
    needs_improvement: int


class TallyTable(DataTable[Text | str]):
    """Partners with their counts, most contact points first; enter filters by that partner."""

    BINDINGS: ClassVar[list[BindingType]] = [*ROW_JUMPS]

    # Filled again only when the counts differ: a colleague's write that changes
    # none (a reason edited, an interview) draws nothing here.
    tallies: reactive[tuple[TallyRow, ...]] = reactive(())
    """The counts to show, set by the screen."""

    class PartnerChosen(Message):
        """The person picked a partner in the tally, to see only its contact points."""

        def __init__(self, partner_id: int) -> None:
            self.partner_id = partner_id
            super().__init__()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", show_cursor=False, **kwargs)  # type: ignore[arg-type]

    def on_resize(self, event: events.Resize) -> None:
        """Give the partner's name the width the counts leave."""
        self._fill()

    def watch_tallies(self, tallies: tuple[TallyRow, ...]) -> None:
        """Show new counts."""
        self._fill()

    def _count_width(self) -> int:
        most = max((max(r.success, r.needs_improvement) for r in self.tallies), default=0)
        return max(2, len(str(most)))

    def wanted_width(self) -> int:
        """Return the width that shows every partner's name whole, and the counts."""
        longest = max((cell_len(one_line(r.name)) for r in self.tallies), default=8)
        # The name and two counts, each padded by one cell on both sides, and the scrollbar.
        scrollbar = self.styles.scrollbar_size_vertical
        return max(8, longest) + 2 * self._count_width() + 6 + scrollbar + 1

    def _fill(self) -> None:
        counts = self._count_width()
        # Two count columns and the name, each padded by one cell on both sides,
        # and room kept for the scrollbar.
        name = max(8, self.size.width - self.styles.scrollbar_size_vertical - 2 * counts - 6)
        was_on = (
            self.coordinate_to_cell_key(self.cursor_coordinate).row_key if self.row_count else None
        )
        self.clear(columns=True)
        self.add_column("Partner", key="partner", width=name)
        self.add_column(Text(Verdict.SUCCESS.symbol, justify="right"), key="success", width=counts)
        improve = Text(Verdict.NEEDS_IMPROVEMENT.symbol, justify="right")
        self.add_column(improve, key="improve", width=counts)
        for row in self.tallies:
            self.add_row(
                Text(one_line(row.name), no_wrap=True, overflow="ellipsis"),
                Text(str(row.success), justify="right"),
                Text(str(row.needs_improvement), justify="right"),
                key=str(row.partner_id),
            )
        if was_on is not None and was_on in self.rows:  # the cursor stays on its partner
            self.move_cursor(row=self.get_row_index(was_on), animate=False)

    def focus_now(self) -> None:
        """Take focus at once, cursor shown, so that keys already typed act on the tally."""
        self.show_cursor = True
        self.screen.set_focus(self)

    def on_focus(self) -> None:
        """Show the cursor only while the tally has focus."""
        self.show_cursor = True

    def on_blur(self) -> None:
        """Hide the cursor when focus moves on."""
        self.show_cursor = False

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Ask for the contact points of the chosen partner."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.PartnerChosen(int(event.row_key.value)))
