"""How fast each screen of the app shows its rows when you go to it, as ratios to a bare screen.

Run: python benchmarks/screens.py [--runs N] [--keys N] [--sizes 1000 10000] [--interviews 1000]
     [--standards 1000] [--debriefs 1000]

For every screen in the app's list of places (screens/places.py: a new screen
is measured as soon as it is listed there), on demo teams of each size: the
time from switching to a new instance of the screen until every row of its
tables is drawn and painted, against a bare Textual screen (Header, DataTable,
Footer) given the same rows as plain text, switched to in the same app. The
two take turns, in one process, so the machine's drift hits both alike.

Then, on each visit, the cost of an arrow key: Down and Up in turn from the
top row (the view never scrolls) on the screen's table, a key every 30 ms,
the process's CPU time per key until a moment after the last, less the idle
app's CPU over as long; the bare screen's DataTable is given the same keys.

Medians are printed, then ratios; the ratios are what to quote. Goal: at most
1.3x for every screen.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header

from ictui.app import IctuiApp
from ictui.kinds.record import Author
from ictui.outputs.demo import write_demo
from ictui.screens.places import PLACES, Place
from ictui.teamfile.store import Store
from ictui.widgets.record_table import RecordTable

Rows = list[tuple[str, ...]]
_names = itertools.count()


class BareScreen(Screen[None]):
    """The least a Textual screen does to show rows: header, table, footer."""

    def __init__(self, columns: list[str], rows: Rows) -> None:
        super().__init__()
        self.columns = columns
        self.rows = rows

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns(*self.columns)
        table.add_rows(self.rows)


def drawn(screen: Screen[Any]) -> bool:
    """Whether every table of the screen has its rows (a record table: read from the file)."""
    tables: list[Widget] = [*screen.query(DataTable), *screen.query(RecordTable)]
    for table in tables:
        if isinstance(table, RecordTable):
            if not table.listing.loaded:
                return False
        elif isinstance(screen, BareScreen) and isinstance(table, DataTable):  # noqa: SIM102
            if table.row_count != len(screen.rows):  # the bare screen's rows are all in
                return False
    return bool(tables)


KEY_PACE = 0.03
"""Seconds between two keys: time to answer one and draw it, as a quick typist leaves."""


SETTLE = 0.3
"""Seconds after the last key for the work it queued to be done (counted, idle taken off)."""


async def key_cost(screen: Screen[Any], keys: int) -> float:
    """Return the CPU seconds the app spends on an arrow key in the screen's (first) table."""
    if not keys:
        return 0.0
    # From the top row, so that Down and Up in turn never scroll the view.
    records = list(screen.query(RecordTable))
    if records:
        table: Widget = records[0]
        records[0].cursor_row = 0
    else:
        plain: DataTable[Any] = screen.query(DataTable).first()
        plain.move_cursor(row=0)
        table = plain
    screen.set_focus(table)
    table.scroll_home(animate=False)
    await asyncio.sleep(SETTLE)
    idle_cpu, idle_wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(keys * KEY_PACE)
    idle = (time.process_time() - idle_cpu) / (time.perf_counter() - idle_wall)  # CPU a second
    used, wall = time.process_time(), time.perf_counter()
    for number in range(keys):
        screen.app.post_message(events.Key("down" if number % 2 == 0 else "up", None))
        await asyncio.sleep(KEY_PACE)
    await asyncio.sleep(SETTLE)
    spent = time.process_time() - used - idle * (time.perf_counter() - wall)
    return max(0.0, spent) / keys


async def visit(
    pilot: Pilot[None], make: Callable[[], Screen[Any]], keys: int
) -> tuple[float, tuple[list[str], Rows], float]:
    """Return the seconds until a new screen's rows are painted, them, and a key's CPU seconds."""
    app = pilot.app
    name = f"bench-{next(_names)}"
    app.add_mode(name, make)
    started = time.perf_counter()
    await app.switch_mode(name)
    while not drawn(app.screen):
        await asyncio.sleep(0)
    painted = asyncio.Event()
    app.screen.refresh()  # a frame is due even if the rows were laid out already
    app.call_after_refresh(painted.set)
    await painted.wait()
    elapsed = time.perf_counter() - started
    shown = rows_of(app.screen)
    await pilot.pause(0.1)  # what follows the rows (filters, footer) settles before leaving
    key = await key_cost(app.screen, keys)
    await app.switch_mode(PLACES[0].id)
    await app.remove_mode(name)
    return elapsed, shown, key


def rows_of(screen: Screen[Any]) -> tuple[list[str], Rows]:
    """Return the screen's record table's headings and rows (or its first table's), as text."""
    records = list(screen.query(RecordTable))
    if records:
        record_table = records[0]
        columns = [column.label for column in record_table.columns]
        texts = (record_table.row_text(i) for i in range(record_table.row_count))
        return columns, [tuple(text.values()) for text in texts]
    table: DataTable[Any] = screen.query(DataTable).first()
    rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    return [str(column.label) for column in table.ordered_columns], rows


Result = tuple[str, float, float, int, float, float]
"""A place's title; medians of going there and to the bare screen; its rows; keys, likewise."""


async def bench_place(pilot: Pilot[None], place: Place, runs: int, keys: int) -> Result:
    """Return the medians of going to place and to a bare screen of its rows, and of a key."""
    _, (columns, rows), _ = await visit(pilot, place.open, 0)  # loads its code: not timed
    ours, bare, our_keys, bare_keys = [], [], [], []
    for _ in range(runs):
        elapsed, _, key = await visit(pilot, place.open, keys)
        ours.append(elapsed)
        our_keys.append(key)
        elapsed, _, key = await visit(pilot, lambda: BareScreen(columns, rows), keys)
        bare.append(elapsed)
        bare_keys.append(key)
    median = statistics.median
    return (
        place.title,
        median(ours),
        median(bare),
        len(rows),
        median(our_keys),
        median(bare_keys),
    )


async def bench(path: Path, runs: int, keys: int) -> list[Result]:
    """Time every place on one team file."""
    store = Store(path, author=Author(account="bench"))
    app = IctuiApp(store)
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.snapshot is None or not drawn(app.screen):
            await pilot.pause()
        for place in PLACES:
            results.append(await bench_place(pilot, place, runs, keys))
    return results


def main() -> None:
    """Write demo teams of each size and time every screen on them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="visits of each screen per size")
    parser.add_argument("--keys", type=int, default=20, help="arrow keys pressed on each visit")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument(
        "--interviews", type=int, default=1_000, help="interviews in each demo team"
    )
    parser.add_argument(
        "--standards", type=int, default=1_000, help="standards (with their check-ins) in each"
    )
    parser.add_argument(
        "--debriefs",
        type=int,
        default=1_000,
        help="debriefs in each (at most one for each interview held)",
    )
    args = parser.parse_args()
    print(
        f"Going to each screen until its rows are painted, and CPU per arrow key there,"
        f" median of {args.runs} (ms)"
    )
    print(
        f"  {'screen':<18} {'contact points':>14} {'rows':>6} {'ictui':>8} {'bare':>8} {'ratio':>7}"
        f" {'key':>6} {'bare':>6} {'ratio':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as folder:
        for size in args.sizes:
            path = Path(folder) / f"team-{size}.json"
            store = Store(path, author=Author(account="bench"))
            write_demo(
                store,
                dt.date.today(),
                size,
                interviews=args.interviews,
                standards=args.standards,
                debriefs=args.debriefs,
            )
            results = asyncio.run(bench(path, args.runs, args.keys))
            for title, ours, bare, rows, key, bare_key in results:
                keys = f"{key / bare_key:6.2f}x" if bare_key else "      –"
                print(
                    f"  {title:<18} {size:>14,} {rows:>6} {ours * 1000:8.1f} {bare * 1000:8.1f}"
                    f" {ours / bare:6.2f}x {key * 1000:6.1f} {bare_key * 1000:6.1f} {keys}"
                )


if __name__ == "__main__":
    main()
