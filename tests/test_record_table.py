"""The record table, as the contact table: a changed listing shows as a fresh one would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen

from ictui.kinds.contact_point import ContactPoint
from ictui.services.partners import partner_names
from ictui.widgets.contact_table import ContactTable, Listing
from ictui.widgets.record_table import DRAWN_AHEAD, ROWS_AT_ONCE

from .apptools import demo_store, until
from .conftest import TODAY

Change = Callable[[list[ContactPoint], dict[int, str]], None]


class TableApp(App[None]):
    """Two contact tables: one changed step by step, one given only the end result."""

    def compose(self) -> ComposeResult:
        """Two tables, one above the other."""
        yield ContactTable(id="changed")
        yield ContactTable(id="fresh")


def rows(table: ContactTable) -> list[tuple[str, ...]]:
    """Return every row as the plain text of its cells, top to bottom."""
    return [
        tuple(getattr(value, "plain", str(value)) for value in table.get_row_at(row))
        for row in range(table.row_count)
    ]


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
    """Return count contact points: copies of points, under new ids."""
    return tuple(replace(points[i % len(points)], id=100_000 + i) for i in range(count))


async def test_a_long_listing_shows_its_first_rows_at_once_and_the_rest_soon(
    tmp_path: Path,
) -> None:
    snapshot = demo_store(tmp_path).read()
    names = partner_names(snapshot)
    long = many(snapshot.all(ContactPoint), 3 * ROWS_AT_ONCE + 7)
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        changed = app.query_one("#changed", ContactTable)
        fresh = app.query_one("#fresh", ContactTable)
        changed.listing = Listing(long, names, TODAY)
        assert changed.row_count == ROWS_AT_ONCE  # the top, before the next paint
        await until(pilot, lambda: changed.row_count == len(long))
        fresh.listing = Listing(long, names, TODAY)
        await until(pilot, lambda: fresh.row_count == len(long))
        assert rows(changed) == rows(fresh)


@pytest.mark.parametrize("then", ["another long one", "a short one"])
async def test_a_listing_given_while_drawing_ends_as_the_last_one(
    tmp_path: Path, then: str
) -> None:
    snapshot = demo_store(tmp_path).read()
    names = partner_names(snapshot)
    points = snapshot.all(ContactPoint)
    first = many(points, 2 * ROWS_AT_ONCE + 50)
    edited = replace(first[0], why="Edited meanwhile", rev=9)
    last = (edited, *first[1:]) if then == "another long one" else tuple(points[:7])
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        changed = app.query_one("#changed", ContactTable)
        fresh = app.query_one("#fresh", ContactTable)
        changed.listing = Listing(first, names, TODAY)
        assert changed.row_count == ROWS_AT_ONCE  # part drawn, the rest to come
        changed.listing = Listing(last, names, TODAY)
        assert changed.row_count <= ROWS_AT_ONCE  # drawn afresh in turns too
        fresh.listing = Listing(last, names, TODAY)
        await until(pilot, lambda: fresh.row_count == len(last))
        await until(pilot, lambda: changed.row_count == len(last))
        await pilot.pause(0.2)  # nothing of the first listing comes after
        assert rows(changed) == rows(fresh)


@pytest.mark.parametrize("person_moves", [False, True], ids=["kept", "moved meanwhile"])
async def test_the_cursor_row_drawn_late_is_kept_unless_the_person_moved(
    tmp_path: Path, person_moves: bool
) -> None:
    snapshot = demo_store(tmp_path).read()
    names = partner_names(snapshot)
    long = many(snapshot.all(ContactPoint), 3 * ROWS_AT_ONCE)
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        table = app.query_one("#changed", ContactTable)
        table.listing = Listing(long, names, TODAY)
        await until(pilot, lambda: table.row_count == len(long))
        table.move_cursor(row=2 * ROWS_AT_ONCE + 3)
        kept = table.selected_id
        # Many rows gone from the bottom: the table is drawn afresh, the kept row late.
        table.listing = Listing(long[:-40], names, TODAY)
        if person_moves:
            table.move_cursor(row=2)  # before the kept row is drawn
        await until(pilot, lambda: table.row_count == len(long) - 40)
        if person_moves:
            assert table.cursor_row == 2
        else:
            assert table.selected_id == kept


async def test_reloads_while_drawing_end_with_every_row_and_the_last_edit(
    tmp_path: Path,
) -> None:
    snapshot = demo_store(tmp_path).read()
    names = partner_names(snapshot)
    long = list(many(snapshot.all(ContactPoint), 4 * ROWS_AT_ONCE))
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        table = app.query_one("#changed", ContactTable)
        table.listing = Listing(tuple(long), names, TODAY)
        for turn in range(3):  # someone writes while the rows are drawn: reloads
            long[0] = replace(long[0], why=f"edit {turn}", rev=10 + turn)
            long[-1] = replace(long[-1], why=f"last {turn}", rev=10 + turn)
            table.listing = Listing(tuple(long), names, TODAY)
            await asyncio.sleep(0.01)
        await until(pilot, lambda: table.row_count == len(long))
        fresh = app.query_one("#fresh", ContactTable)
        fresh.listing = Listing(tuple(long), names, TODAY)
        await until(pilot, lambda: fresh.row_count == len(long))
        assert rows(table) == rows(fresh)
        assert rows(table)[0][4] == "edit 2" and rows(table)[-1][4] == "last 2"


async def test_a_very_long_listing_is_drawn_as_far_as_the_cursor_can_soon_reach(
    tmp_path: Path,
) -> None:
    snapshot = demo_store(tmp_path).read()
    names = partner_names(snapshot)
    long = many(snapshot.all(ContactPoint), DRAWN_AHEAD + 3 * ROWS_AT_ONCE)
    app = TableApp()
    async with app.run_test(size=(100, 60)) as pilot:
        table = app.query_one("#changed", ContactTable)
        table.listing = Listing(long, names, TODAY)
        await until(pilot, lambda: not table.drawing)
        await pilot.pause(0.2)
        assert DRAWN_AHEAD <= table.row_count < len(long)  # the rest waits for the person
        assert table.rows_to_come == len(long) - table.row_count
        # Someone logs one meanwhile: it is put on top, the rows drawn are kept.
        long = (replace(long[0], id=99_999, why="New one"), *long)
        table.listing = Listing(long, names, TODAY)
        assert table.row_count > DRAWN_AHEAD and rows(table)[0][4] == "New one"
        table.move_cursor(row=table.row_count - 1)  # the person goes down: more rows come
        await until(pilot, lambda: table.row_count == len(long))
        assert not table.rows_to_come
        # Drawn afresh (many rows gone), the cursor near the top: a record asked for
        # further down is drawn, and the cursor put on it.
        shorter = long[1:-20]
        table.move_cursor(row=0)
        table.listing = Listing(shorter, names, TODAY)
        assert table.rows_to_come
        table.select_record(shorter[-5].id)
        await until(pilot, lambda: table.selected_id == shorter[-5].id)
        fresh = app.query_one("#fresh", ContactTable)
        fresh.listing = Listing(shorter, names, TODAY)
        await until(pilot, lambda: not fresh.drawing)
        drawn = fresh.row_count
        assert drawn >= DRAWN_AHEAD and rows(table)[:drawn] == rows(fresh)


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
