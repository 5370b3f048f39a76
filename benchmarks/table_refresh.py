"""How fast the contact table takes a new listing, as ratios to drawing it afresh.

Run: python benchmarks/table_refresh.py [--runs N] [--size N]

With N contact points shown (all time on a big team file), each case gives the
table a new listing, as a reload or a filter change does. It is timed against
a second table, empty, given the same listing in the same run: drawing every
row afresh, which is what each reload cost before the table learnt to redraw
only what changed. Each time runs until every row is in: a table drawn afresh
goes in turns, painting the screen and answering keys between them.

  one changed   someone edited a contact point (a live refresh)
  one removed   someone deleted one
  one added     someone logged a new one, which shows first
  40% removed   the verdict filter set to successes only

Below 1 the table redrew only what changed; about 1 it drew everything again.
Medians are printed, then ratios; the ratios are what to quote.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import Author
from ictui.kinds.vocab import Verdict
from ictui.outputs.demo import write_demo
from ictui.services.partners import partner_names
from ictui.teamfile.store import Store
from ictui.widgets.contact_table import ContactTable, Listing

TODAY = dt.date(2026, 11, 20)

Points = tuple[ContactPoint, ...]


class Tables(App[None]):
    """Two contact tables: the one being changed, and the one drawing afresh."""

    def compose(self) -> ComposeResult:
        """Both tables, one under the other."""
        yield ContactTable(id="changed")
        yield ContactTable(id="fresh")


def one_changed(points: Points) -> Points:
    """Return the listing after someone edited the tenth contact point."""
    edited = replace(points[9], why="Edited meanwhile", rev=points[9].rev + 1)
    return (*points[:9], edited, *points[10:])


def one_removed(points: Points) -> Points:
    """Return the listing after someone deleted the tenth contact point."""
    return (*points[:9], *points[10:])


def one_added(points: Points) -> Points:
    """Return the listing after someone logged a contact point dated today."""
    newest = replace(points[0], id=max(p.id for p in points) + 1, date=TODAY)
    return (newest, *points)


def successes_only(points: Points) -> Points:
    """Return the listing with the verdict filter set to successes."""
    return tuple(p for p in points if p.verdict is Verdict.SUCCESS)


CASES: dict[str, Callable[[Points], Points]] = {
    "one changed": one_changed,
    "one removed": one_removed,
    "one added": one_added,
    "40% removed": successes_only,
}


async def timed(pilot: Pilot[None], table: ContactTable, listing: Listing) -> float:
    """Return the seconds the table takes to take a listing, until its rows near the cursor are in.

    A long listing is drawn in turns, as far as DRAWN_AHEAD rows past the cursor.
    """
    started = time.perf_counter()
    table.listing = listing
    while table.drawing:
        await pilot.pause()
    return time.perf_counter() - started


async def bench(points: Points, names: dict[int, str], runs: int) -> None:
    """Print each case's median against drawing afresh, taking turns."""
    app = Tables()
    async with app.run_test(size=(120, 40)) as pilot:
        changed = app.query_one("#changed", ContactTable)
        fresh = app.query_one("#fresh", ContactTable)
        print(f"A new listing with {len(points):,} contact points shown, median of {runs} (ms)")
        print(f"  {'case':<12} {'in place':>9} {'afresh':>9} {'ratio':>7}")
        for name, change in CASES.items():
            new = Listing(change(points), names, TODAY)
            ours, baseline = [], []
            for _ in range(runs):
                await timed(pilot, changed, Listing(points, names, TODAY))
                await timed(pilot, fresh, Listing((), names, TODAY))
                await pilot.pause()
                ours.append(await timed(pilot, changed, new))
                baseline.append(await timed(pilot, fresh, new))
                await pilot.pause()
            a, b = statistics.median(ours), statistics.median(baseline)
            print(f"  {name:<12} {a * 1000:9.1f} {b * 1000:9.1f} {a / b:6.2f}x")


def main() -> None:
    """Write a demo team of the asked size and time the cases on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per case")
    parser.add_argument("--size", type=int, default=10_000, help="contact points shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as tmp:
        store = Store(Path(tmp) / "team.json", author=Author(account="bench"))
        write_demo(store, TODAY, args.size)
        snapshot = store.read()
        points = tuple(
            sorted(snapshot.all(ContactPoint), key=lambda p: (p.date, p.id), reverse=True)
        )
        asyncio.run(bench(points, partner_names(snapshot), args.runs))


if __name__ == "__main__":
    main()
