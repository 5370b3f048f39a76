"""A table of records of any kind: one row each, only the rows in view drawn, cursor kept.

A kind's table says only which columns it has and what each row shows
(``columns_for``, ``cells``); this widget does the rest. It holds the listing
it is given, not a row per record: each frame draws the rows in view from the
records under them, so all time at 100,000 contact points shows, scrolls and
takes a new listing as quickly as a day's dozen. Textual's DataTable keeps and
measures every row it is given (it has no lazy rows, Textual #1892), which
held keys for up to a second at that size. The cursor stays on the same
record across listings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ictui.widgets.cell import Cell
from ictui.widgets.row_keys import ROW_JUMPS

NEAR = 64
"""Rows either side of the cursor looked at first for its record in a new listing.

Listing every record's place takes 35 ms at 100,000; a colleague's write moves
the cursor's record a row or two, if at all.
"""
LINES_KEPT = 400
"""Rows drawn are kept for the next frames up to this many: a frame redraws only what moved."""


class Row(Protocol):
    """What a row stands for: a record of any kind, or anything else with an id (a tally)."""

    @property
    def id(self) -> int:
        """The id the cursor follows from one listing to the next."""
        ...


R = TypeVar("R", bound=Row)


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
class Look:
    """How a row is drawn: under the cursor, under the mouse, on top with rows above it."""

    cursor: bool
    hover: bool
    top: bool


@dataclass(frozen=True)
class Column:
    """A column's key, heading and width."""

    key: str
    label: str
    width: int


class RowMessage(Message):
    """Something about the row under a record table's cursor."""

    def __init__(self, table: RecordTable[Any], row: int, record_id: int | None) -> None:
        super().__init__()
        self.table = table
        self.row = row
        self.record_id = record_id

    @property
    def control(self) -> RecordTable[Any]:
        """The table the message is from."""
        return self.table


class RecordTable(ScrollView, Generic[R], can_focus=True):
    """Records one a row under a fixed heading; people's text shown as the cells give it."""

    DEFAULT_CSS = """
    RecordTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        /* ANSI themes draw the blurred cursor in the default colours: it would
           vanish when focus moves to the detail, so it is underlined there. */
        &:ansi > .record-table--cursor {
            text-style: underline;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .record-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .record-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .record-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .record-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .record-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .record-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .record-table--hover {
            background: $block-hover-background;
        }
        & > .record-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--hover",
        "record-table--odd-row",
        "record-table--even-row",
    }

    BLURRED_CURSOR: ClassVar[bool] = True
    """Whether the cursor shows, blurred, while something else has focus."""
    PICK_ON_CLICK: ClassVar[bool] = False
    """Whether one click chooses a row; else the first puts the cursor there, a second chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Edit", tooltip="Edit the row", id="table.edit"),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        *ROW_JUMPS,
    ]

    listing: reactive[Listing[Any]] = reactive(Listing, always_update=True)
    """The records to show, set by the screen."""

    cursor_row: reactive[int] = reactive(0)
    """The row under the cursor, counted from the top."""

    hover_row: reactive[int | None] = reactive(None)
    """The row under the mouse, shown faintly until a key moves the cursor."""

    sorted_by: reactive[tuple[str, bool] | None] = reactive(None)
    """The column the listing is sorted by and whether downwards, marked in the heading."""

    class Drawn(Message):
        """The table was first drawn from the team file: what goes with it may follow."""

    class RowHighlighted(RowMessage):
        """The cursor came to a row (or the record under it changed)."""

    class RowSelected(RowMessage):
        """Enter, or a click on the cursor's row: the row is chosen."""

    class HeadingClicked(Message):
        """A column's heading was clicked: a screen may sort the listing by it."""

        def __init__(self, table: RecordTable[Any], column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> RecordTable[Any]:
            """The table the message is from."""
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._layout: tuple[int, Hashable] | None = None
        self._columns: list[Column] = []
        self._drawn = False
        self._at: dict[int, int] | None = None  # each record's row, worked out when asked
        self._shown_now: dict[int, R] = {}  # rows shown ahead of the team file, until a listing
        self._lines: dict[tuple[int, int, Look], Strip] = {}
        self._row_styles: dict[tuple[bool, bool, bool], Style] = {}  # odd, hover, cursor

    # -- what a kind's table says ---------------------------------------------------------

    def columns_for(self, width: int) -> list[Column]:
        """Return the columns for a table this wide (the width their cells share)."""
        raise NotImplementedError

    def cells(self, record: R, width: int) -> list[Any]:
        """Return a row's cells, one per column: Rich renderables of one line."""
        raise NotImplementedError

    def cells_on_top(self, record: R, width: int) -> list[Any]:
        """Return a row's cells when rows above it are scrolled out of view: as cells says.

        For a kind whose rows say something only once for a group (the
        standards name their partner on the first row): the top row says it.
        """
        return self.cells(record, width)

    def layout_of(self) -> Hashable:
        """Return what, besides the width, changes the columns."""
        return None

    # -- reading it -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Return how many rows the table has: one per record of the listing."""
        return len(self.listing.records)

    @property
    def columns(self) -> list[Column]:
        """Return the columns shown now."""
        return list(self._columns)

    @property
    def selected_id(self) -> int | None:
        """Return the id of the record under the cursor, if any."""
        record = self.selected()
        return None if record is None else record.id

    def selected(self) -> R | None:
        """Return the record under the cursor, if any."""
        records = self.listing.records
        return records[self.cursor_row] if 0 <= self.cursor_row < len(records) else None

    def row_of(self, record_id: int) -> int | None:
        """Return the row a record of the listing is on, if it is there."""
        if self._at is None:
            self._at = {record.id: row for row, record in enumerate(self.listing.records)}
        return self._at.get(record_id)

    def _row_near(self, record_id: int, row: int) -> int | None:
        """Return the row a record is on, looked for first around row: where it mostly stays."""
        records = self.listing.records
        for near in range(max(0, row - NEAR), min(len(records), row + NEAR + 1)):
            if records[near].id == record_id:
                return near
        return self.row_of(record_id)  # every row's place, worked out once per listing

    def row_text(self, row: int) -> dict[str, str]:
        """Return what a row shows, by column key: each cell's text, whole and plain."""
        cells = self.cells(self._record_at(row), self._cells_width())
        return {column.key: _plain(cell) for column, cell in zip(self._columns, cells, strict=True)}

    def select_record(self, record_id: int) -> None:
        """Put the cursor on a record of the listing, if it is there."""
        row = self.row_of(record_id)
        if row is not None:
            self.move_cursor(row)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row (kept within the table), scrolled into view."""
        self.hover_row = None  # the keys have it now, as in DataTable
        self.cursor_row = row
        self._scroll_to_cursor()

    def show_now(self, record: R) -> None:
        """Show one record's row as given at once, before the team file confirms it."""
        if self.row_of(record.id) is not None:
            self._shown_now[record.id] = record
            self._forget_lines()
            self.refresh()

    # -- keys and the mouse ---------------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        """Move the cursor, and the view, one page up."""
        page = self._rows_in_view()
        self.scroll_to(y=max(0, self.scroll_y - page), animate=False, immediate=True)
        self.move_cursor(self.cursor_row - page)

    def action_page_down(self) -> None:
        """Move the cursor, and the view, one page down."""
        page = self._rows_in_view()
        self.scroll_to(y=self.scroll_y + page, animate=False, immediate=True)
        self.move_cursor(self.cursor_row + page)

    def action_scroll_top(self) -> None:
        """Move the cursor to the first row."""
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        """Move the cursor to the last row."""
        self.move_cursor(self.row_count - 1)

    def action_select_cursor(self) -> None:
        """Say the row under the cursor is chosen."""
        record = self.selected()
        if record is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, record.id))

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there; on the cursor's row, it chooses the row.

        A click on a column's heading says so (HeadingClicked).
        """
        column = self._heading_under(event)
        if column is not None:
            event.stop()
            self.post_message(self.HeadingClicked(self, column.key))
            return
        row = self._row_under(event)
        if row is None:
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)
            if self.PICK_ON_CLICK:
                self.action_select_cursor()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Show faintly which row a click would take."""
        self.hover_row = self._row_under(event)

    def on_leave(self, event: events.Leave) -> None:
        """No row is under the mouse once it has left."""
        self.hover_row = None

    def _heading_under(self, event: events.MouseEvent) -> Column | None:
        """Return the column whose heading is under the mouse; None off the heading."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y != 0:
            return None
        x = offset.x + round(self.scroll_x)
        for column in self._columns:
            x -= column.width + 2  # each padded by one cell on both sides
            if x < 0:
                return column
        return None

    def _row_under(self, event: events.MouseEvent) -> int | None:
        """Return the row of the listing under the mouse; None on the heading or the border."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        row = round(self.scroll_y) + offset.y - 1
        return row if 0 <= row < self.row_count else None

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scroll the rows; the row under a still mouse is another record now, so none is marked."""
        super().watch_scroll_y(old, new)
        if round(old) != round(new):
            self.hover_row = None

    def watch_hover_row(self) -> None:
        """Draw the faint row where the mouse went."""
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        """Keep the cursor on a row of the table."""
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Draw the cursor where it went, and say which record it is on."""
        # The two rows only: every line drawn again cost an arrow key 40 lines
        # of styling. A scroll that follows draws the whole view anyway.
        top = round(self.scroll_y)
        in_view = [row for row in (old, new) if top <= row < top + self._rows_in_view()]
        self.refresh(*(Region(0, row - top + 1, self.size.width, 1) for row in in_view))
        self._say_highlighted()

    def watch_listing(self, old: Listing[Any], new: Listing[Any]) -> None:
        """Show the new listing, keeping the cursor on the same record if it is still there."""
        kept = old.records[self.cursor_row].id if self.cursor_row < len(old.records) else None
        self._at = None
        self._shown_now = {}
        self._forget_lines()
        self._fit()
        row = self._row_near(kept, self.cursor_row) if kept is not None else None
        self.set_reactive(
            RecordTable.cursor_row,
            self.validate_cursor_row(self.cursor_row if row is None else row),
        )
        self._scroll_to_cursor()
        self.refresh()
        self._say_highlighted()
        if not self._drawn and new.loaded:
            self._drawn = True
            # Said once the frame with the rows is painted: what waits for it
            # (the footer's keys, the filter choices) must not delay that frame.
            self.call_after_refresh(self.post_message, self.Drawn())

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns again when the table's size changes."""
        self._fit()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Draw the rows again in the new styles (focus, theme)."""
        super().notify_style_update()
        self._forget_lines()

    def render_line(self, y: int) -> Strip:
        """Draw one line in view: the heading on top, then the rows from the scroll position."""
        width = self.size.width
        if not self._columns:
            return Strip.blank(width, self.rich_style)
        # Columns wider than the table (a narrow terminal) scroll sideways.
        full = max(width, self._span())
        left = round(self.scroll_x)
        if y == 0:
            return self._heading(full).crop(left, left + width)
        row = round(self.scroll_y) + y - 1
        if row >= self.row_count:
            return Strip.blank(width, self.rich_style)
        top = y == 1 and row > 0  # the first row in view, with rows scrolled out above it
        cursor = row == self.cursor_row and (self.BLURRED_CURSOR or self.has_focus)
        look = Look(cursor=cursor, hover=row == self.hover_row, top=top)
        key = (row, full, look)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) >= LINES_KEPT:
                self._lines.clear()
            strip = self._lines[key] = self._draw_row(row, full, look)
        return strip.crop(left, left + width)

    # -- inside -----------------------------------------------------------------------------

    def _width(self) -> int:
        # Before its first layout the table has no size: it takes the terminal's
        # width, which is right whenever the table spans the screen, so the rows
        # are in the very first frame. The resize that follows refits if not.
        outer = self.outer_size.width or self.app.size.width
        # Room is kept for the vertical scrollbar whether or not it shows, so
        # the columns never change as the listing grows past the view.
        return outer - self.styles.scrollbar_size_vertical

    def _cells_width(self) -> int:
        """Return the width the columns were fitted to: what a kind's cells are made for."""
        return self._layout[0] if self._layout else self._width()

    def _fit(self) -> None:
        """Work out the columns for the width, and the height scrolled over."""
        width = self._width()
        if width <= 0:
            return
        layout = (width, self.layout_of())
        if layout != self._layout:
            self._layout = layout
            self._columns = self.columns_for(width)
            self._forget_lines()
        self.virtual_size = Size(max(width, self._span()), self.row_count + 1)
        self.refresh()

    def _span(self) -> int:
        """Return the width the columns take, each padded by one cell on both sides."""
        return sum(column.width + 2 for column in self._columns)

    def _forget_lines(self) -> None:
        self._lines.clear()
        self._row_styles.clear()

    def _rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor's row to be in view."""
        top = round(self.scroll_y)
        view = self._rows_in_view()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + view:
            self.scroll_to(y=self.cursor_row - view + 1, animate=False, immediate=True)

    def _say_highlighted(self) -> None:
        record = self.selected()
        record_id = None if record is None else record.id
        self.post_message(self.RowHighlighted(self, self.cursor_row, record_id))

    def _record_at(self, row: int) -> R:
        record: R = self.listing.records[row]
        return self._shown_now.get(record.id, record)

    def _heading(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("record-table--header")
        segments: list[Segment] = []
        for column in self._columns:
            label = column.label
            if self.sorted_by is not None and self.sorted_by[0] == column.key:
                # The mark kept whole when the label is cut: it says how the rows run.
                mark = " ▼" if self.sorted_by[1] else " ▲"
                label = label[: max(0, column.width - len(mark))] + mark
            label = label[: column.width].ljust(column.width)
            segments.append(Segment(f" {label} ", style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row_style(self, odd: bool, look: Look) -> Style:
        """Return a row's style: its stripe, under the mouse, under the cursor."""
        key = (odd, look.hover, look.cursor)
        style = self._row_styles.get(key)
        if style is None:
            stripe = "record-table--odd-row" if odd else "record-table--even-row"
            style = self.rich_style + self.get_component_rich_style(stripe)
            if look.hover:
                style += self.get_component_rich_style("record-table--hover")
            if look.cursor:
                style += self.get_component_rich_style("record-table--cursor")
            self._row_styles[key] = style
        return style

    def _draw_row(self, row: int, width: int, look: Look) -> Strip:
        style = self._row_style(bool(row % 2), look)
        console = self.app.console
        options = self.app.console_options
        segments: list[Segment] = []
        make = self.cells_on_top if look.top else self.cells
        cells = make(self._record_at(row), self._cells_width())
        for column, cell in zip(self._columns, cells, strict=True):
            segments.append(Segment(" ", style))
            segments.extend(_cell_line(cell, column.width, style, console, options))
            segments.append(Segment(" ", style))
        return Strip(segments).adjust_cell_length(width, style).simplify()


def _cell_line(
    cell: RenderableType, width: int, style: Style, console: Console, options: ConsoleOptions
) -> list[Segment]:
    """Return a cell drawn on one line of width cells: cut with an ellipsis, padded."""
    text = (
        cell.text() if isinstance(cell, Cell) else cell.copy() if isinstance(cell, Text) else None
    )
    if (
        text is None
        or (text.justify or options.justify) not in (None, "default")
        or text.overflow not in (None, "ellipsis")
        or text.no_wrap is False
        or "\n" in text.plain
        or "\t" in text.plain
    ):
        fit = options.update(width=width, height=1, no_wrap=True, overflow="ellipsis")
        return console.render_lines(cell, fit, style=style, pad=True)[0]
    # What render_lines makes of one line of left-aligned text, without its layout
    # machinery: a full table's rows took 20 ms a frame, now under half of that.
    text.truncate(width, overflow="ellipsis")
    base = style + console.get_style(text.style) if text.style else style
    line = [part for part in Segment.apply_style(text.render(console, end=""), base) if part.text]
    if (short := width - text.cell_len) > 0:
        line.append(Segment(" " * short, style))
    return line


def _plain(cell: object) -> str:
    """Return a cell's text without its style."""
    plain = getattr(cell, "plain", None)
    return plain if isinstance(plain, str) else str(cell)


__all__ = ["Column", "Listing", "RecordTable", "Row"]
