"""CPU the app spends on one of its own writes with all time shown, patched or listed afresh.

Run: python benchmarks/write_cpu.py [TEAM_FILE] [--contacts 100000] [--writes 10]

After a write (its own or a colleague's) the app used to list every contact
point afresh (filter, sort, tally) and find every problem in the file again;
now it patches the listing, its tally and the problems by the records that
changed (Snapshot.changes_since, RecordScreen.listing_since). This opens the
app headless (120x40) on the team file (a demo team of --contacts points in a
temporary folder if none is given), shows all time, and switches the verdict
of the point under the cursor (`v`) --writes times, taking turns: patched,
then with patching turned off in the same process (the baseline). A write is
counted from the key until the new reading is shown, listed and checked: the
process's CPU time over that span, less what the idle app used over as long.
Prints the CPU per write, median and range, for each, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from textual import events

from ictui.app import IctuiApp
from ictui.kinds.record import Author
from ictui.outputs.demo import write_demo
from ictui.screens.contact_points import ContactPointsScreen
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.widgets.filter_bar import FilterBar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from all_time_keys import drawn, first_rows  # a benchmark beside this one

PATCHED = ContactPointsScreen.listing_since, Snapshot._kept_problems


def patching(on: bool) -> None:
    """Turn patching after a write on (as shipped) or off (listed and checked afresh)."""
    listing_since, kept_problems = PATCHED
    ContactPointsScreen.listing_since = listing_since if on else (lambda *_: None)  # type: ignore[method-assign]
    Snapshot._kept_problems = kept_problems if on else (lambda _: None)  # type: ignore[method-assign,assignment]


def busy(app: IctuiApp, screen: ContactPointsScreen) -> bool:
    """Whether the app is still listing, checking or writing after a write."""
    groups = ("listing", "check", "load")  # the write loop runs all along: app.writing
    working = any(w.group in groups and w.is_running for w in app.workers)
    return working or not screen.listing_shown or app.writing


async def measure(path: Path, writes: int) -> dict[bool, list[float]]:
    """Return the CPU seconds of each write, by whether it was patched."""
    app = IctuiApp(Store(path, author=Author(account="bench")))
    spent: dict[bool, list[float]] = {True: [], False: []}
    async with app.run_test(size=(120, 40)):
        screen, table = await first_rows(app)
        screen.set_focus(table)
        screen.filters = replace(screen.filters, period="all")
        screen.query_one(FilterBar).filters = screen.filters
        screen.show()
        shown = app.snapshot
        assert shown is not None  # first_rows waits for it
        everything = shown.stored(screen.KIND)
        while not drawn(table, everything - 1000) or busy(app, screen):
            await asyncio.sleep(0.05)
        await asyncio.sleep(2)
        started = time.process_time()
        await asyncio.sleep(2)
        idle = (time.process_time() - started) / 2
        for turn in range(2 * writes):
            on = turn % 2 == 0
            patching(on)
            before = app.snapshot
            cpu, wall = time.process_time(), time.perf_counter()
            app.post_message(events.Key("v", "v"))
            while app.snapshot is before or busy(app, screen):
                await asyncio.sleep(0.01)
            wall = time.perf_counter() - wall
            spent[on].append(time.process_time() - cpu - idle * wall)
            await asyncio.sleep(0.5)
    patching(True)
    return spent


def main() -> None:
    """Measure, then print the CPU per write of each way and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", help="a team file (default: a demo team)")
    parser.add_argument("--contacts", type=int, default=100_000, help="for the demo team")
    parser.add_argument("--writes", type=int, default=10, help="writes of each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.path
        if path is None:
            path = Path(folder) / "team.json"
            bench = Store(path, author=Author(account="bench"))
            write_demo(bench, dt.date.today(), args.contacts)
        spent = asyncio.run(measure(path, args.writes))
    medians = {on: statistics.median(times) * 1000 for on, times in spent.items()}
    for on, label in ((False, "listed afresh (baseline)"), (True, "patched")):
        low, high = min(spent[on]) * 1000, max(spent[on]) * 1000
        print(f"{label:26} CPU per write {medians[on]:6.0f} ms (range {low:.0f}-{high:.0f})")
    print(f"patched / afresh: {medians[True] / medians[False]:.2f}x")


if __name__ == "__main__":
    main()
