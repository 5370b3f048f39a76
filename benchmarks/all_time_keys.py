"""Keys while "All time" draws, and during a colleague's write, in the app itself (issue 22).

Run: python benchmarks/all_time_keys.py TEAM_FILE [--pace 0.05]

Opens the app headless (App.run_test, 120x40) on the team file, shows all time
on the contact points screen as the filter bar does, and presses Down at a
steady pace from another thread, as a held key or a quick typist does, until
the rows near the cursor are in (all rows, before issue 22's item 3), and a
second more; then PageDown a hundred times at that pace, drawing further rows
on the way; then, pressing Down, has a colleague log a contact point
(`ictui log` in another process) and waits until the app shows it; then,
still pressing Down, switches a verdict (`v`: a write of the app's own) and
waits until the app shows it. A key's
delay runs from the moment it is sent to the moment the table handles it, so
a busy event loop counts in full. Prints one JSON object: seconds until the
first rows after the toggle (a first screen, before the whole listing) and
until every row is listed; for
each phase the worst key delay, its 90th percentile and how many keys waited
over 100 ms; seconds until the app's own write is shown; rows drawn;
resident memory with all time shown, at its peak until the colleague's write
is shown, and at its peak after the app's own write, in bytes. Used by
benchmarks/scale.py; runs alone as well.

It waits with asyncio.sleep, never Pilot.pause: each pause visits every
widget and makes the screen draw a frame, work no terminal asks for, which
polled every 20 ms took about a fifth of the screen's thread and counted in
the keys' delays.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events

from ictui.app import IctuiApp
from ictui.kinds.record import Author
from ictui.screens.contact_points import ContactPointsScreen
from ictui.teamfile.store import Store
from ictui.widgets.contact_table import ContactTable
from ictui.widgets.filter_bar import FilterBar

handled: list[float] = []
"""When the table handled each Down, in order."""

_cursor_down = ContactTable.action_cursor_down
_page_down = ContactTable.action_page_down


def _timed_cursor_down(self: ContactTable) -> None:
    handled.append(time.perf_counter())
    _cursor_down(self)


def _timed_page_down(self: ContactTable) -> None:
    handled.append(time.perf_counter())
    _page_down(self)


setattr(ContactTable, "action_cursor_down", _timed_cursor_down)  # noqa: B010 (a method, timed)
setattr(ContactTable, "action_page_down", _timed_page_down)  # noqa: B010


class Keys(threading.Thread):
    """Sends Down to the app every pace seconds, on time whatever the app is doing."""

    def __init__(self, app: IctuiApp, pace: float, key: str = "down") -> None:
        super().__init__(daemon=True)
        self.app, self.pace, self.key = app, pace, key
        self.loop = asyncio.get_running_loop()
        self.sent: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        """Send keys on a fixed schedule until told to stop."""
        start = time.perf_counter()
        while not self.done.is_set():
            due = start + len(self.sent) * self.pace
            time.sleep(max(0.0, due - time.perf_counter()))
            self.sent.append(time.perf_counter())
            self.loop.call_soon_threadsafe(self.app.post_message, events.Key(self.key, None))

    async def stop(self) -> list[float]:
        """Stop sending, wait for every key sent to be handled; return the delays, sorted."""
        self.done.set()
        self.join()
        while len(handled) < len(self.sent):
            await asyncio.sleep(0.01)
        delays = sorted(handled[i] - sent for i, sent in enumerate(self.sent))
        handled.clear()
        return delays


def delays_in(phase: str, delays: list[float]) -> dict[str, float | int]:
    """Sum up one phase's key delays: the worst, the 90th percentile, how many over 100 ms.

    The worst alone varies threefold from run to run; the share of slow keys less.
    """
    return {
        f"worst_{phase}": delays[-1] if delays else 0.0,
        f"p90_{phase}": delays[int(len(delays) * 0.9)] if delays else 0.0,
        f"slow_{phase}": sum(delay > SLOW for delay in delays),
        f"keys_{phase}": len(delays),
    }


SLOW = 0.1
"""A key answered later than this is slow (issue 22's goal)."""


def resident(field: str = "VmRSS") -> int:
    """Return this process's resident bytes now (VmHWM: at their peak so far)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def peak() -> int:
    """Return this process's peak resident bytes so far.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and
    exec, so a process started by a large one (scale.py, after reading the
    file itself) would report its parent's peak as its own.
    """
    return resident("VmHWM")


def drawn(table: ContactTable, records: int) -> bool:
    """Whether the table's listing has so many records (its rows are drawn as they come in view)."""
    return len(table.listing.records) >= records and table.row_count > 0


async def first_rows(app: IctuiApp) -> tuple[ContactPointsScreen, ContactTable]:
    """Wait (polling, never Pilot.pause) until the contact screen shows rows; return it and them."""
    while not isinstance(app.screen, ContactPointsScreen) or app.snapshot is None:
        await asyncio.sleep(0.05)
    screen = app.screen
    table = screen.query_one(ContactTable)
    while not drawn(table, 1):
        await asyncio.sleep(0.05)
    return screen, table


async def measure(path: Path, pace: float) -> dict[str, Any]:
    """Toggle all time and have a colleague write, pressing Down all along."""
    # Counted in a process of its own: the app's checks and peak memory are not this one's.
    count = (
        "import json, sys; points = json.load(open(sys.argv[1]))['contact_points'].values(); "
        "print(sum(point.get('deleted') is not True for point in points))"
    )
    counted = subprocess.run(
        [sys.executable, "-c", count, str(path)], capture_output=True, text=True, check=True
    )
    total = int(counted.stdout)
    app = IctuiApp(Store(path, author=Author(account="bench")))
    async with app.run_test(size=(120, 40)):
        screen, table = await first_rows(app)
        await asyncio.sleep(1.5)  # the app settles (stylesheets, footer) before timing
        screen.set_focus(table)
        handled.clear()
        keys = Keys(app, pace)
        keys.start()
        await asyncio.sleep(0.3)  # keys at their pace before the toggle
        two_weeks = table.listing
        toggled = time.perf_counter()
        screen.filters = replace(screen.filters, period="all")
        screen.query_one(FilterBar).filters = screen.filters
        screen.show()
        # A long listing is made in a thread: its first screen comes first, then all of it.
        while table.listing is two_weeks or not table.row_count:
            await asyncio.sleep(0.01)
        first = time.perf_counter() - toggled
        while not drawn(table, total):
            await asyncio.sleep(0.01)
        all_drawn = time.perf_counter() - toggled
        await asyncio.sleep(1)  # the rows drawn meanwhile are in view: keys on them too
        drawing = await keys.stop()
        keys = Keys(app, pace, "pagedown")  # further down, rows are drawn as the cursor nears
        keys.start()
        await asyncio.sleep(100 * pace)
        paging = await keys.stop()
        await asyncio.sleep(0.5)
        shown = resident()
        rows = table.row_count
        keys = Keys(app, pace)
        keys.start()
        await asyncio.sleep(0.3)
        colleague = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("ictui")), "log", "--db", str(path),
            "--partner", "Payroll", "--verdict", "success", "--why", "A colleague's write",
            "--user", "Colleague", stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await colleague.wait()
        while not drawn(table, total + 1):
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)
        writing = await keys.stop()
        read_peak = peak()
        keys = Keys(app, pace)
        keys.start()
        await asyncio.sleep(0.3)
        before = app.snapshot
        toggled = time.perf_counter()
        app.post_message(events.Key("v", "v"))  # the verdict of the row under the cursor
        while app.snapshot is before:
            await asyncio.sleep(0.02)
        own_write = time.perf_counter() - toggled
        await asyncio.sleep(0.5)
        toggling = await keys.stop()
    return {
        "first": first,
        "drawn": all_drawn,
        "rows": rows,
        **delays_in("drawing", drawing),
        **delays_in("paging", paging),
        **delays_in("writing", writing),
        "own_write": own_write,
        **delays_in("toggling", toggling),
        "rss_shown": shown,
        "rss_peak_reading": read_peak,
        "rss_peak": peak(),
    }


def main() -> None:
    """Measure one team file and print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--pace", type=float, default=0.05, help="seconds between Down keys")
    options = parser.parse_args()
    print(json.dumps(asyncio.run(measure(options.path, options.pace))))


if __name__ == "__main__":
    main()
