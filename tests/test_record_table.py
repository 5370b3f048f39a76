"""The record table, as the contact table: listings shown as given, any row reached at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from ictui.kinds.contact_point import ContactPoint
from ictui.services.partners import partner_names
from ictui.widgets.cell import Cell
from ictui.widgets.contact_table import ContactTable, Listing
from ictui.widgets.record_table import _cell_line

from .apptools import demo_store, text_of, until
from .conftest import TODAY

Change = Callable[[list[ContactPoint], dict[int, str]], None]


class TableApp(App[None]):
    """Two contact tables: one changed step by step, one given only the end result."""

    def compose(self) -> ComposeResult:
        """Two tables, one above the other."""
        yield ContactTable(id="changed")
        yield ContactTable(id="fresh")

    def on_mount(self) -> None:
        """Nothing chosen yet."""
        self.chosen: list[int | None] = []

    def on_record_table_row_selected(self, event: ContactTable.RowSelected) -> None:
        """Keep what was chosen, in order."""
        self.chosen.append(event.record_id)


def rows(table: ContactTable) -> list[tuple[str, ...]]:
    """Return every row as the plain text of its cells, top to bottom."""
    return [tuple(table.row_text(row).values()) for row in range(table.row_count)]


def toggle(points: list[ContactPoint], names: dict[int, str]) -> None:
    points[3] = replace(points[3], verdict=points[3].verdict.toggled())


def edit(points: list[ContactPoint], names: dict[int, str]) -> None:
    points[0] = replace(points[0], why="Rewritten [b]reason[/b]", rev=9)


def drop(points: list[ContactPoint], names: dict[int, str]) -> None:
    del points[2]
    del points[-1]


def rename(points: list[ContactPoint], names: dict[int, str]) -> None:
    names[points[1].partner_id] = "Renamed partner"


def add_on_top(points: list[ContactPoint], names: dict[int, str]) -> None:
    points.insert(0, replace(points[5], id=99_999, why="New one"))


def swap(points: list[ContactPoint], names: dict[int, str]) -> None:
    points[1], points[2] = points[2], points[1]


def drop_many(points: list[ContactPoint], names: dict[int, str]) -> None:
    del points[5:25]  # more than the table removes one by one


def add_many(points: list[ContactPoint], names: dict[int, str]) -> None:
    extra = [replace(p, id=50_000 + i) for i, p in enumerate(points[:12])]
    points[3:3] = extra


def move_down(points: list[ContactPoint], names: dict[int, str]) -> None:
    moved = points.pop(0)
    points.insert(7, replace(moved, date=points[7].date, rev=moved.rev + 1))


@pytest.mark.parametrize(
    "changes",
    [
        [toggle],
        [edit],
        [drop],
        [rename],
        [add_on_top],
        [swap],
        [drop_many],
        [add_many],
        [move_down],
        [toggle, drop, rename, edit],
        [add_on_top, toggle, move_down, drop, add_many, swap],
    ],
    ids=lambda changes: "+".join(change.__name__ for change in changes),
)
async def test_a_changed_listing_shows_as_a_fresh_table_would(
    tmp_path: Path, changes: list[Change]
) -> None:
    snapshot = demo_store(tmp_path).read()
    points = sorted(snapshot.all(ContactPoint), key=lambda p: (p.date, p.id), reverse=True)[:30]
    names = partner_names(snapshot)
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        changed = app.query_one("#changed", ContactTable)
        fresh = app.query_one("#fresh", ContactTable)
        changed.listing = Listing(tuple(points), dict(names), TODAY)
        await pilot.pause()
        changed.move_cursor(row=4)
        kept = changed.selected_id
        for change in changes:
            change(points, names)
            changed.listing = Listing(tuple(points), dict(names), TODAY)
            await pilot.pause()
        fresh.listing = Listing(tuple(points), dict(names), TODAY)
        await pilot.pause()
        assert rows(changed) == rows(fresh)
        if kept in {p.id for p in points}:
            assert changed.selected_id == kept


async def test_a_verdict_shown_ahead_is_taken_back_by_the_next_listing(tmp_path: Path) -> None:
    snapshot = demo_store(tmp_path).read()
    points = tuple(snapshot.all(ContactPoint)[:10])
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        table = app.query_one("#changed", ContactTable)
        table.listing = Listing(points, partner_names(snapshot), TODAY)
        await pilot.pause()
        before = rows(table)
        table.show_now(replace(points[0], verdict=points[0].verdict.toggled()))
        assert rows(table) != before
        table.listing = Listing(points, partner_names(snapshot), TODAY)  # the write failed
        await pilot.pause()
        assert rows(table) == before


def many(points: list[ContactPoint], count: int) -> tuple[ContactPoint, ...]:
    """Return count contact points: copies of points, under new ids, each with its number."""
    return tuple(
        replace(points[i % len(points)], id=100_000 + i, why=f"point {i}") for i in range(count)
    )


def painted(table: ContactTable) -> list[str]:
    """Return the table's lines as painted, heading first, without the cells' padding."""
    return [" ".join(line.split()) for line in text_of(table).splitlines()]


def says(record: ContactPoint) -> str:
    """Return the reason as the long-listing rows show it."""
    return record.why


@asynccontextmanager
async def showing(
    tmp_path: Path, count: int, size: tuple[int, int] = (100, 30)
) -> AsyncIterator[tuple[Pilot[None], ContactTable, tuple[ContactPoint, ...]]]:
    """Run the app with its first table showing count contact points, focused."""
    snapshot = demo_store(tmp_path).read()
    points = many(snapshot.all(ContactPoint), count)
    app = TableApp()
    async with app.run_test(size=size) as pilot:
        table = app.query_one("#changed", ContactTable)
        table.focus()
        table.listing = Listing(points, partner_names(snapshot), TODAY)
        await pilot.pause()
        yield pilot, table, points


async def test_a_long_listing_shows_the_rows_in_view_at_once_and_any_other_on_the_way(
    tmp_path: Path,
) -> None:
    async with showing(tmp_path, 20_000) as (pilot, table, long):
        lines = painted(table)
        assert lines[0].startswith("Date Partner Way Verdict Why")
        assert says(long[0]) in lines[1] and says(long[1]) in lines[2]
        await pilot.press("end")  # the very last row, in one key
        assert table.selected_id == long[-1].id
        await pilot.pause()
        assert says(long[-1]) in painted(table)[-1]
        await pilot.press("ctrl+home")
        assert table.cursor_row == 0
        await pilot.press("ctrl+end")
        assert table.selected_id == long[-1].id
        await pilot.press("home", "pagedown")
        view = table.size.height - 1
        assert table.cursor_row == view
        await pilot.pause()
        assert says(long[view]) in "".join(painted(table))
        await pilot.press("up")
        assert table.cursor_row == view - 1
        table.select_record(long[12_345].id)
        await pilot.pause()
        assert table.cursor_row == 12_345 and says(long[12_345]) in "".join(painted(table))


async def test_the_mouse_picks_a_row_then_opens_it_and_scrolls(tmp_path: Path) -> None:
    async with showing(tmp_path, 500) as (pilot, table, long):
        app = pilot.app
        assert isinstance(app, TableApp)
        await until(pilot, lambda: table.show_vertical_scrollbar)  # the width as it stays
        await pilot.pause()
        plain = list(table.render_line(3))  # its segments: text and style
        await pilot.hover(table, offset=(20, 3))  # the heading, then rows 0, 1, 2
        assert table.hover_row == 2 and list(table.render_line(3)) != plain  # shown faintly
        assert table.render_line(3).text == "".join(segment.text for segment in plain)
        await pilot.press("down")  # the keys have it: the faint row goes
        assert table.hover_row is None and list(table.render_line(3)) == plain
        await pilot.press("up")
        await pilot.click(table, offset=(20, 3))
        assert table.cursor_row == 2 and not app.chosen
        await pilot.click(table, offset=(20, 3))  # again: the row is opened
        await until(pilot, lambda: app.chosen == [long[2].id])
        await pilot.click(table, offset=(20, 0))  # the heading chooses nothing
        assert table.cursor_row == 2
        await pilot.hover(table, offset=(20, 4))
        assert table.hover_row == 3
        wheel = events.MouseScrollDown(table, 20, 4, 0, 1, 0, False, False, False)
        table.post_message(wheel)
        await until(pilot, lambda: table.scroll_y > 0)
        assert table.hover_row is None  # under the mouse now: another record
        top = round(table.scroll_y)
        assert says(long[top]) in painted(table)[1]


class DrawnScreen(Screen[None]):
    """One contact table, counting the times it says it was drawn.

    A screen, as in the app: the table's messages are made in its screen's turn, so
    they stop there.
    """

    def __init__(self) -> None:
        super().__init__()
        self.drawn = 0

    def compose(self) -> ComposeResult:
        """The table alone."""
        yield ContactTable()

    def on_record_table_drawn(self) -> None:
        """Count it."""
        self.drawn += 1


class DrawnApp(App[None]):
    """The counting screen."""

    def get_default_screen(self) -> DrawnScreen:
        """Open on the counting screen."""
        return DrawnScreen()


@pytest.mark.parametrize("points", ["some", "none"])
async def test_drawn_is_said_once_for_the_first_listing_from_the_file(
    tmp_path: Path, points: str
) -> None:
    snapshot = demo_store(tmp_path).read()
    shown = tuple(snapshot.all(ContactPoint)[:10]) if points == "some" else ()
    app = DrawnApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, DrawnScreen)
        table = screen.query_one(ContactTable)
        await pilot.pause(0.2)
        assert screen.drawn == 0  # the empty table before the file is read does not count
        table.listing = Listing(shown, partner_names(snapshot), TODAY)
        await until(pilot, lambda: screen.drawn == 1)
        table.listing = Listing(shown[:3], partner_names(snapshot), TODAY)
        await pilot.pause(0.2)
        assert screen.drawn == 1


@pytest.mark.parametrize("to", [5, 400], ids=["near", "far"])
async def test_the_cursor_follows_its_record_wherever_a_new_listing_puts_it(
    tmp_path: Path, to: int
) -> None:
    async with showing(tmp_path, 500) as (pilot, table, points):
        long = list(points)
        table.move_cursor(3)
        kept = table.selected_id
        long.insert(to, long.pop(3))
        table.listing = Listing(tuple(long), table.listing.names, TODAY)
        assert table.cursor_row == to and table.selected_id == kept
        await pilot.pause()
        assert says(long[to]) in "".join(painted(table))  # scrolled to it


async def test_dates_are_short_while_all_are_this_years_and_in_full_once_one_is_not(
    tmp_path: Path,
) -> None:
    async with showing(tmp_path, 40) as (pilot, table, points):
        names = table.listing.names
        assert painted(table)[1].split()[:2] == points[0].date.strftime("%b %d").split()
        assert table.columns[0].width == len("Nov 20")
        older = replace(points[5], date=points[5].date.replace(year=TODAY.year - 1))
        table.listing = Listing((*points[:5], older, *points[6:]), names, TODAY)
        await pilot.pause()
        assert table.columns[0].width == len("2025-11-20")
        assert painted(table)[6].split()[0] == older.date.isoformat()  # whole, not cut
        table.listing = Listing(points, names, TODAY)  # the old one gone again
        await pilot.pause()
        assert table.columns[0].width == len("Nov 20")


async def test_columns_wider_than_a_narrow_table_scroll_sideways(tmp_path: Path) -> None:
    async with showing(tmp_path, 40, size=(60, 20)) as (pilot, table, points):
        assert "By" not in painted(table)[0].split()  # the last column is off to the right
        for _ in range(30):
            await pilot.press("right")
        await pilot.pause()
        heading = painted(table)[0].split()
        assert heading[-1] == "By" and "Date" not in heading
        assert table.cursor_row == 0  # sideways moves leave the cursor be
        await pilot.press("down")
        assert table.selected_id == points[1].id


async def test_the_cursor_stays_visible_out_of_focus_in_an_ansi_theme(tmp_path: Path) -> None:
    async with showing(tmp_path, 10) as (pilot, table, _):
        pilot.app.theme = "ansi-dark"
        pilot.app.query_one("#fresh", ContactTable).focus()  # the table's cursor is blurred
        await pilot.pause()
        cursor, other = table.render_line(1), table.render_line(3)
        assert any(segment.style and segment.style.underline for segment in cursor)
        assert not any(segment.style and segment.style.underline for segment in other)


# -- a cell drawn directly is what Rich would draw ------------------------------------------------

_console = Console(width=120, color_system="truecolor", force_terminal=True)
_ROW = Style(color="white", bgcolor="blue")
_pieces = st.sampled_from(
    ["a", "XYZ", "漢字", "é̃", "😀", "✓", "→", "…", "[b]x[/b]", "\x1b[31m", " ", "  ", "a" * 30]
)


@st.composite
def cells(draw: st.DrawFn) -> RenderableType:
    """A cell as the kinds' tables make them: a Cell, or Rich text with styles of its own."""
    value = "".join(draw(st.lists(_pieces, max_size=8)))
    style = draw(st.sampled_from(["", "bold", "red", "dim"]))
    if draw(st.booleans()):
        return Cell(value, style, cut=draw(st.booleans()))
    text = Text(value, style=style, justify=draw(st.sampled_from([None, "default", "right"])))
    if len(value) > 2 and draw(st.booleans()):
        text.stylize("underline", 1, 2)
    return text


@settings(max_examples=300, deadline=None)
@given(cells(), st.integers(1, 25))
def test_a_cell_is_drawn_as_rich_draws_it(cell: RenderableType, width: int) -> None:
    options = _console.options.update(width=width, height=1, no_wrap=True, overflow="ellipsis")
    expected = _console.render_lines(cell, options, style=_ROW, pad=True)[0]
    drawn = _cell_line(cell, width, _ROW, _console, _console.options)
    assert list(Segment.simplify(drawn)) == list(Segment.simplify(expected))
    assert Segment.get_line_length(drawn) == width
