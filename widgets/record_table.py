"""A table of records of any kind: one row each, updated in place, drawn in turns, cursor kept.

A kind's table says only which columns it has and what each row shows
(``columns``, ``cells``, ``source``); this widget does the rest. Given a new
listing, it redraws only the rows whose record changed, adds new ones and puts
them in order, so that another person's write shows in milliseconds even with
10,000 rows; a listing that is mostly new is drawn afresh, in turns of
ROWS_AT_ONCE rows with the screen painted and keys answered between turns,
as far as DRAWN_AHEAD rows past the cursor, and further as the cursor goes.
The cursor stays on the same record across listings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

from ictui.kinds.record import R
from ictui.widgets.cell import Cell
from ictui.widgets.row_keys import ROW_JUMPS

ROWS_AT_ONCE = 500
"""Rows drawn afresh per turn: the screen is painted, and keys answered, between turns.

A turn of 1,000 rows took 0.15 s on a busy 2-core machine (adding them, and
DataTable going over every row it holds); 10,000 rows at once held the screen
for 1.7 s.
"""
DRAWN_AHEAD = 5000
"""Rows drawn below the cursor (or the rows in view) before drawing waits for them to come nearer.

DataTable goes over every row it holds after each change, so a turn costs more
the more rows are in: with all time at 100,000 contact points each turn held
the keys for half a second, and all of them cost half a gigabyte. A long
listing is drawn as far as the person can soon reach, and further as they go.
"""
MOST_ROWS_REMOVED = 16
"""Beyond this many rows gone, drawing the table afresh is quicker than removing them.

DataTable renumbers every row on each removal: a thousand removals from 10k rows
take seconds, where drawing 10k rows afresh takes half of one.
"""


@dataclass(frozen=True)
class Listing(Generic[R]):
    """What a record table shows: records in order, and what their cells need besides.

    names: the names of the records they point at (partners, say), by id;
    None until the team file has been read. today: for dates shown short.
    """

    records: tuple[R, ...] = ()
    names: Mapping[int, str] | None = None
    today: dt.date | None = None

    @property
    def loaded(self) -> bool:
        """Whether this listing comes from the team file, not the empty one before it is read."""
        return self.names is not None


@dataclass(frozen=True)
class Column:
    """A column's key, heading and width."""

    key: str
    label: str
    width: int


class Keyed:
    """A row's first cell, knowing whose row it is: rows are put in order by their record."""

    __slots__ = ("record_id", "text")

    def __init__(self, text: Text | Cell, record_id: int) -> None:
        self.text = text
        self.record_id = record_id

    # Drawn, never measured (no __rich__): the columns' widths are fixed, and
    # DataTable measuring every first cell of all time cost seconds.
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __str__(self) -> str:
        return self.text.plain


class RecordTable(DataTable[Any], Generic[R]):
    """Records one a row, keyed by id; shows people's text as the cells give it, literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # DataTable's own Enter, shown: on a row of records it opens the row to edit.
        Binding("enter", "select_cursor", "Edit", tooltip="Edit the row", id="table.edit"),
        *ROW_JUMPS,
    ]

    listing: reactive[Listing[Any]] = reactive(Listing, always_update=True)
    """The records to show, set by the screen."""

    class Drawn(Message):
        """The table was first drawn from the team file, rows and all: the rest may follow."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._layout: tuple[int, Hashable] | None = None
        self._drawn = False
        # What each row was drawn from, in the rows' order top to bottom, so that
        # a new listing redraws only the rows that changed.
        self._drawn_from: dict[int, tuple[object, ...]] = {}
        self._drawn_today: dt.date | None = None
        self._pending: list[R] = []  # the listing's rows still to draw, in order
        self._keep_later: tuple[int, int] | None = None  # (id, cursor row) until it is drawn
        self._turn_asked: Listing[R] | None = None  # the listing whose next turn is asked for

    def on_mount(self) -> None:
        """Draw further rows as the cursor, or the view, nears the last row drawn."""
        self.watch(self, "cursor_coordinate", self._moved, init=False)
        self.watch(self, "scroll_y", self._draw_on, init=False)

    # -- what a kind's table says ---------------------------------------------------------

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide (the width their cells share)."""
        raise NotImplementedError

    def cells(self, record: R, width: int) -> list[Any]:
        """Return a row's cells, one per column; the first is wrapped to know its record."""
        raise NotImplementedError

    def source(self, record: R) -> tuple[object, ...]:
        """Return what a row's cells depend on besides the layout and the day."""
        return (record.rev,)

    def layout_of(self) -> Hashable:
        """Return what, besides the width, changes the columns (a row is redrawn when it does)."""
        return None

    # -- reading it -----------------------------------------------------------------------

    @property
    def selected_id(self) -> int | None:
        """Return the id of the record under the cursor, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def selected(self) -> R | None:
        """Return the record under the cursor, if any."""
        wanted = self.selected_id
        return next((r for r in self.listing.records if r.id == wanted), None)

    def select_record(self, record_id: int) -> None:
        """Put the cursor on a record of the listing, now or once its row is drawn."""
        if record_id in self._drawn_from:
            self.move_cursor(row=self.get_row_index(str(record_id)), animate=False)
        elif any(record.id == record_id for record in self._pending):
            self._keep_later = (record_id, self.cursor_row)
            self._draw_on()  # drawing goes on until it is reached

    @property
    def drawing(self) -> bool:
        """Whether rows of the listing are still to be drawn before the person reaches them."""
        return self._turn_asked is self.listing

    @property
    def rows_to_come(self) -> int:
        """Return how many rows of the listing are not drawn yet (drawn as the cursor nears)."""
        return len(self._pending)

    def rows_by_key(self) -> set[str]:
        """Return the keys of the rows shown now."""
        return {key.value for key in self.rows if key.value is not None}

    def show_now(self, record: R) -> None:
        """Show one record's row as given at once, before the team file confirms it."""
        if record.id in self._drawn_from and self._layout is not None:
            keys = [column.key for column in self.ordered_columns]
            for key, value in zip(keys, self.cells(record, self._layout[0]), strict=True):
                self.update_cell(str(record.id), key, value)
            # The row no longer shows what it was drawn from: the next listing redraws it.
            self._drawn_from[record.id] = ()

    # -- drawing --------------------------------------------------------------------------

    def watch_listing(self) -> None:
        """Show new rows, keeping the cursor on the same record if it is still there."""
        self._fill(keep=self.selected_id)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns again when the table's width changes."""
        if self._layout_for(self.outer_size.width) != self._layout:
            self._fill(keep=self.selected_id)

    def _layout_for(self, outer_width: int) -> tuple[int, Hashable]:
        """Return the width the columns share, and what else shapes them."""
        # Room is kept for the vertical scrollbar whether or not it shows yet, so
        # filling the rows never adds a horizontal one.
        return (outer_width - self.styles.scrollbar_size_vertical, self.layout_of())

    def _row(self, record: R, width: int) -> None:
        self.add_row(*self.cells(record, width), key=str(record.id))
        self._drawn_from[record.id] = self.source(record)

    def _fill(self, keep: int | None) -> None:
        # Before its first layout the table has no size: it takes the terminal's
        # width, which is right whenever the table spans the screen, so the rows
        # are in the very first frame. The resize that follows refits if not.
        layout = self._layout_for(self.outer_size.width or self.app.size.width)
        width = layout[0]
        if width <= 0:
            return
        old_row = self.cursor_row
        if not self._redraw_changed_rows(layout):
            if layout != self._layout:
                self.clear(columns=True)
                for column in self.columns_for(width):
                    self.add_column(column.label, width=column.width, key=column.key)
                self._layout = layout
            else:
                self.clear()
            self._drawn_from = {}
            self._drawn_today = self.listing.today
            self._pending = list(self.listing.records)
            self._draw_some(width)
        self._keep_later = None
        if not self._drawn and self.listing.loaded:
            self._drawn = True
            # Said once the frame with the rows is painted: what waits for it
            # (the footer's keys, the filter choices) must not delay that frame.
            self.call_after_refresh(self.post_message, self.Drawn())
        if not self.row_count:
            return
        if keep is None or keep not in self._drawn_from:
            self.move_cursor(row=min(old_row, self.row_count - 1), animate=False)
        if keep is not None:
            self.select_record(keep)

    def _draw_some(self, width: int) -> None:
        """Draw the next rows still to draw; ask for more after the next paint if they are near.

        DataTable measures every cell of new rows before it paints: 10,000 rows
        at once would hold the screen for more than a second.
        """
        batch, self._pending = self._pending[:ROWS_AT_ONCE], self._pending[ROWS_AT_ONCE:]
        for record in batch:
            self._row(record, width)
        self._turn_asked = None
        if self._pending and self._wants_more():
            self._ask_turn(width)

    def _moved(self, old: Coordinate, new: Coordinate) -> None:
        # DataTable sets the cursor again on every row it adds: only a move counts.
        if old.row != new.row:
            self._draw_on()

    def _wants_more(self) -> bool:
        """Whether the rows drawn end near the cursor or the view, or the cursor awaits a row."""
        reach = max(self.cursor_row, round(self.scroll_y) + self.size.height)
        return self._keep_later is not None or self.row_count < reach + DRAWN_AHEAD

    def _draw_on(self) -> None:
        """Ask for the next turn if rows are waiting, the person nears them, none is asked."""
        asked = self._turn_asked is self.listing
        if self._pending and self._layout is not None and not asked and self._wants_more():
            self._ask_turn(self._layout[0])

    def _ask_turn(self, width: int) -> None:
        self._turn_asked = self.listing
        self.call_after_refresh(self._draw_more, self.listing, width)

    def _draw_more(self, listing: Listing[R], width: int) -> None:
        if listing is not self.listing or not self._pending:
            if self._turn_asked is listing:
                self._turn_asked = None
            return  # a newer listing is being drawn instead
        self._draw_some(width)
        if self._keep_later is not None:
            keep, row = self._keep_later
            if self.cursor_row != row:  # the person moved meanwhile: leave the cursor be
                self._keep_later = None
            elif keep in self._drawn_from:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)
                self._keep_later = None

    def _redraw_changed_rows(self, layout: tuple[int, Hashable]) -> bool:
        """Bring the rows up to date in place: changed ones redrawn, new ones added, order kept.

        While a long listing is still being drawn (or waits for the cursor to
        come nearer), its drawn part is brought up to date, new records in it
        put in their places, and the drawing goes on, so reloads never restart
        it. Return False when the columns or the day changed, many rows went, or
        many new ones fall in the drawn part: then the whole table must be drawn
        again.
        """
        records = self.listing.records
        wanted = {record.id for record in records}
        gone = self._drawn_from.keys() - wanted
        if (
            layout != self._layout
            or self.listing.today != self._drawn_today
            or len(gone) > MOST_ROWS_REMOVED
        ):
            return False
        width = layout[0]
        head = records  # the records to show drawn: all of them, or down to the last drawn
        if self._pending:
            at = {record.id: index for index, record in enumerate(records)}
            end = 1 + max((at[key] for key in self._drawn_from if key in at), default=-1)
            if end - (len(self._drawn_from) - len(gone)) > ROWS_AT_ONCE:
                return False
            head = records[:end]
        self._remove_rows(gone)
        self._redraw_rows(head, width)  # new rows go to the bottom, and into _drawn_from last
        order = [record.id for record in head]
        if list(self._drawn_from) != order:
            position = {record_id: index for index, record_id in enumerate(order)}
            first = self.ordered_columns[0].key
            self.sort(first, key=lambda cell: position[cell.record_id])
            self._drawn_from = {record_id: self._drawn_from[record_id] for record_id in order}
        self._pending = list(records[len(head) :])
        if self._pending and self._wants_more():
            self._ask_turn(width)
        return True

    def _remove_rows(self, record_ids: set[int]) -> None:
        for record_id in record_ids:
            self.remove_row(str(record_id))
            del self._drawn_from[record_id]

    def _redraw_rows(self, records: Iterable[R], width: int) -> None:
        """Redraw the rows of records that changed, and add the new ones at the bottom."""
        keys = [column.key for column in self.ordered_columns]
        for record in records:
            source = self.source(record)
            drawn = self._drawn_from.get(record.id)
            if drawn is None:
                self._row(record, width)
            elif drawn != source:
                for key, value in zip(keys, self.cells(record, width), strict=True):
                    self.update_cell(str(record.id), key, value)
                self._drawn_from[record.id] = source
