"""The table of contact points: newest first, fitted to the width, cursor kept across refreshes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import DataTable

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Direction, Verdict
from ictui.text import one_line
from ictui.widgets.row_keys import ROW_JUMPS

WIDE = 100
"""From this many columns on, verdicts are written out in full."""
ROWS_AT_ONCE = 1000
"""Rows drawn afresh per turn: the screen is painted, and keys answered, between turns.

A turn of 1,000 rows takes about a tenth of a second (adding them, and DataTable
measuring each new cell); 10,000 rows at once held the screen for 1.7 s.
"""
MOST_ROWS_REMOVED = 16
"""Beyond this many rows gone, drawing the table afresh is quicker than removing them.

DataTable renumbers every row on each removal: a thousand removals from 10k rows
take seconds, where drawing 10k rows afresh takes half of one.
"""


@dataclass(frozen=True)
class Listing:
    """What the table shows: contact points in order, and partner names by id."""

    points: tuple[ContactPoint, ...] = ()
    names: dict[int, str] | None = None
    today: dt.date | None = None

    @property
    def loaded(self) -> bool:
        """Whether this listing comes from the team file, not the empty one before it is read."""
        return self.names is not None


class DateCell(Text):
    """A row's date, knowing whose row it is: rows are put in order by this cell."""

    def __init__(self, text: str, point_id: int) -> None:
        super().__init__(text)
        self.point_id = point_id


@dataclass(frozen=True)
class Column:
    """A column's key, heading and width."""

    key: str
    label: str
    width: int


def short_date(day: dt.date, today: dt.date | None) -> str:
    """Return "Nov 20" for a day of this year, else "2025-11-20"."""
    if today is not None and day.year == today.year:
        return day.strftime("%b %d")
    return day.isoformat()


def direction_mark(direction: Direction) -> str:
    """Return which way the service went, short: "→ them" or "← us"."""
    return "→ them" if direction is Direction.PROVIDED else "← us"


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
        Column("direction", "Way", 6),
        Column("verdict", "Verdict", 19 if wide else 9),
        Column("by", "By", 16 if wide else 8),
    ]
    padding = 2 * (len(fixed) + 1)  # one cell of padding each side of every column
    why = max(12, width - padding - sum(c.width for c in fixed))
    return [*fixed[:4], Column("why", "Why", why), *fixed[4:]]


class ContactTable(DataTable[Text | str]):
    """Contact points, one a row, keyed by id; shows people's text literally."""

    BINDINGS: ClassVar[list[BindingType]] = [*ROW_JUMPS]

    listing: reactive[Listing] = reactive(Listing, always_update=True)
    """The contact points to show, set by the screen."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._layout: tuple[int, bool] | None = None
        self._drawn = False
        # What each row was drawn from, in the rows' order top to bottom, so that a
        # refresh redraws only the rows that changed: at 10k rows a rebuild takes
        # most of a second.
        self._drawn_from: dict[int, tuple[object, ...]] = {}
        self._drawn_today: dt.date | None = None
        self._pending: list[ContactPoint] = []  # the listing's rows still to draw, in order
        self._keep_later: tuple[int, int] | None = None  # (id, cursor row) until it is drawn

    class Drawn(Message):
        """The table was drawn for the first time, rows and all: the rest may follow."""

    @property
    def selected_id(self) -> int | None:
        """Return the id of the contact point under the cursor, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def selected(self) -> ContactPoint | None:
        """Return the contact point under the cursor, if any."""
        wanted = self.selected_id
        return next((p for p in self.listing.points if p.id == wanted), None)

    def select_point(self, point_id: int) -> None:
        """Put the cursor on a contact point of the listing, now or once its row is drawn."""
        if point_id in self._drawn_from:
            self.move_cursor(row=self.get_row_index(str(point_id)), animate=False)
        elif any(point.id == point_id for point in self._pending):
            self._keep_later = (point_id, self.cursor_row)

    def watch_listing(self) -> None:
        """Show new rows, keeping the cursor on the same contact point if it is still there."""
        self._fill(keep=self.selected_id)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns again when the table's width changes."""
        if self._layout_for(self.outer_size.width) != self._layout:
            self._fill(keep=self.selected_id)

    def _cells(self, point: ContactPoint, wide: bool) -> list[Text | str]:
        names = self.listing.names or {}
        verdict_style = "" if point.verdict is Verdict.SUCCESS else "bold"
        return [
            DateCell(short_date(point.date, self.listing.today), point.id),
            Text(
                one_line(names.get(point.partner_id, f"#{point.partner_id}")),
                no_wrap=True,
                overflow="ellipsis",
            ),
            direction_mark(point.direction),
            Text(verdict_mark(point.verdict, wide=wide), style=verdict_style),
            Text(one_line(point.why), no_wrap=True, overflow="ellipsis"),
            Text(one_line(point.created_by.display), no_wrap=True, overflow="ellipsis"),
        ]

    def _layout_for(self, outer_width: int) -> tuple[int, bool]:
        """Return the width the columns share, and whether every date is this year's."""
        # Keep room for the vertical scrollbar whether or not it shows yet, so
        # filling the rows never adds a horizontal one.
        today = self.listing.today
        today_only = today is not None and all(
            p.date.year == today.year for p in self.listing.points
        )
        return (outer_width - self.styles.scrollbar_size_vertical, today_only)

    def _source(self, point: ContactPoint) -> tuple[object, ...]:
        """Return what a row's cells depend on, besides the layout and the day."""
        names = self.listing.names or {}
        return (point.rev, point.verdict, names.get(point.partner_id))

    def _fill(self, keep: int | None) -> None:
        # Before its first layout the table has no size: it takes the terminal's
        # width, which is right whenever the table spans the screen, so the rows
        # are in the very first frame. The resize that follows refits if not.
        layout = self._layout_for(self.outer_size.width or self.app.size.width)
        width, today_only = layout
        if width <= 0:
            return
        old_row = self.cursor_row
        wide = width >= WIDE
        if not self._redraw_changed_rows(layout, wide):
            if layout != self._layout:
                self.clear(columns=True)
                for column in fit_columns(width, today_only=today_only):
                    self.add_column(column.label, width=column.width, key=column.key)
                self._layout = layout
            else:
                self.clear()
            self._drawn_from = {}
            self._drawn_today = self.listing.today
            self._pending = list(self.listing.points)
            self._draw_some(wide)
        self._keep_later = None
        if not self.row_count:
            return
        if keep is None or keep not in self._drawn_from:
            self.move_cursor(row=min(old_row, self.row_count - 1), animate=False)
        if keep is not None:
            self.select_point(keep)

    def _draw_some(self, wide: bool) -> None:
        """Draw the next rows still to draw, and ask for the rest after the next paint.

        DataTable measures every cell of new rows before it paints: 10,000 rows
        at once would hold the screen for more than a second.
        """
        batch, self._pending = self._pending[:ROWS_AT_ONCE], self._pending[ROWS_AT_ONCE:]
        for point in batch:
            self.add_row(*self._cells(point, wide), key=str(point.id))
            self._drawn_from[point.id] = self._source(point)
        if self._pending:
            self.call_after_refresh(self._draw_more, self.listing, wide)

    def _draw_more(self, listing: Listing, wide: bool) -> None:
        if listing is not self.listing or not self._pending:
            return  # a newer listing is being drawn instead
        self._draw_some(wide)
        if self._keep_later is not None:
            keep, row = self._keep_later
            if self.cursor_row != row:  # the person moved meanwhile: leave the cursor be
                self._keep_later = None
            elif keep in self._drawn_from:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)
                self._keep_later = None

    def _redraw_changed_rows(self, layout: tuple[int, bool], wide: bool) -> bool:
        """Bring the rows up to date in place: changed ones redrawn, new ones added, order kept.

        While a long listing is still being drawn, its drawn part is brought up
        to date and the drawing goes on, so frequent reloads never restart it.
        Return False when the columns or the day changed, many rows went, or
        the drawn part moved: then the whole table must be drawn again.
        """
        points = self.listing.points
        wanted = {point.id for point in points}
        gone = self._drawn_from.keys() - wanted
        if (
            layout != self._layout
            or self.listing.today != self._drawn_today
            or len(gone) > MOST_ROWS_REMOVED
        ):
            return False
        if self._pending:
            kept = [point_id for point_id in self._drawn_from if point_id in wanted]
            if [point.id for point in points[: len(kept)]] != kept:
                return False
            self._remove_rows(gone)
            self._redraw_rows(points[: len(kept)], wide)
            self._pending = list(points[len(kept) :])
            self.call_after_refresh(self._draw_more, self.listing, wide)
            return True
        self._remove_rows(gone)
        self._redraw_rows(points, wide)  # new rows go to the bottom, and into _drawn_from last
        order = [point.id for point in points]
        if list(self._drawn_from) != order:
            position = {point_id: index for index, point_id in enumerate(order)}
            self.sort("date", key=lambda cell: position[cell.point_id])
            self._drawn_from = {point_id: self._drawn_from[point_id] for point_id in order}
        return True

    def _remove_rows(self, point_ids: set[int]) -> None:
        for point_id in point_ids:
            self.remove_row(str(point_id))
            del self._drawn_from[point_id]

    def _redraw_rows(self, points: Iterable[ContactPoint], wide: bool) -> None:
        """Redraw the rows of points that changed, and add the new ones at the bottom."""
        keys = [column.key for column in self.ordered_columns]
        for point in points:
            source = self._source(point)
            drawn = self._drawn_from.get(point.id)
            if drawn is None:
                self.add_row(*self._cells(point, wide), key=str(point.id))
            elif drawn != source:
                for key, value in zip(keys, self._cells(point, wide), strict=True):
                    self.update_cell(str(point.id), key, value)
            self._drawn_from[point.id] = source

    def render_line(self, y: int) -> Strip:
        """Draw one line, saying once when the table is first drawn from the team file."""
        # Not for the empty table drawn while the file is still being read: what
        # waits for Drawn would then delay the frame with the rows.
        if not self._drawn and self._layout is not None and self.listing.loaded:
            self._drawn = True
            self.post_message(self.Drawn())
        return super().render_line(y)

    def rows_by_key(self) -> set[str]:
        """Return the keys of the rows shown now."""
        return {key.value for key in self.rows if key.value is not None}

    def show_verdict(self, record_id: int, verdict: Verdict) -> None:
        """Show a new verdict in one row at once, before the team file confirms it."""
        if str(record_id) in self.rows_by_key():
            wide = (self._layout or (0,))[0] >= WIDE
            style = "" if verdict is Verdict.SUCCESS else "bold"
            mark = Text(verdict_mark(verdict, wide=wide), style=style)
            self.update_cell(str(record_id), "verdict", mark)
            # The row no longer shows what it was drawn from: the next listing redraws it.
            self._drawn_from[record_id] = ()
