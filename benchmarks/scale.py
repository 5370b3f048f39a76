"""How ictui scales with the team file, as ratios against baselines in the same run (issue 22).

Run: python benchmarks/scale.py [--sizes 1000 10000 ...] [--quick] [--runs N]

For each size (default 1k, 10k, 50k, 100k contact points; --quick: 1k and 10k),
on copies of one demo team file:

- save: one `add` (lock, fresh read, check, atomic durable write) against
  the floor (json.loads, add, json.dumps, write a temp file, fsync, rename) and
  plain TinyDB's `insert` on an open database, taking turns;
- list | head: `ictui list | head` against `ictui check`, whole processes;
- reloads per write: whole readings of the file an open app makes after its
  own write (the change feed and write queue the app uses, no screen);
- memory: peak resident memory of a process that reads the file and checks
  every contact point, against the file's size;
- all time: the app itself, headless, in another process
  (benchmarks/all_time_keys.py): "All time" toggled on the contact points
  screen with Down pressed every 50 ms, seconds until its first rows (a first
  screen) and until every row is listed, the worst key delay and how many of the
  keys waited over 100 ms while they are drawn, while paging down a hundred
  times (more rows drawn on the way), and while the app takes in a
  colleague's `ictui log`, and while it switches a verdict (a write of its
  own), the rows drawn, and the app's resident memory with all time shown and
  at its peak (until the colleague's write is shown, and after its own),
  against the file's size.
Medians are printed; the ratios are what to quote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author
from ictui.kinds.schema import schema_of
from ictui.outputs.demo import write_demo
from ictui.teamfile.feed import ChangeFeed
from ictui.teamfile.queue import Outcome, WriteQueue, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction

TODAY = dt.date(2026, 11, 20)
REASON = "Export arrived a day early and reconciled first time."
READER = """
import sys
from pathlib import Path
from ictui.kinds.contact_point import ContactPoint
from ictui.teamfile.store import Store
snapshot = Store(sys.argv[1]).read()
snapshot.all(ContactPoint)
status = Path("/proc/self/status").read_text().splitlines()
print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec,
# so a child of this process (grown by reading the file) would report its peak.


def stored_point(n: int) -> dict[str, object]:
    """Return a contact point as the floor and TinyDB store it."""
    stamp = "2026-11-20T10:00:00Z"
    who = {"account": "bench", "name": None}
    return {
        "partner_id": 1, "date": TODAY.isoformat(), "direction": "provided",
        "verdict": "success", "why": f"{REASON} {n}", "rev": 1, "created_by": who,
        "created_at": stamp, "updated_by": who, "updated_at": stamp, "deleted": False,
    }  # fmt: skip


def floor(path: Path) -> Callable[[], None]:
    """Return one write of a whole-file JSON store at its floor: json, fsync, rename."""
    count = [10**7]

    def write() -> None:
        raw = json.loads(path.read_bytes())
        count[0] += 1
        raw["contact_points"][str(count[0])] = stored_point(count[0])
        temp = path.with_name(path.name + ".floor")
        with temp.open("wb") as file:
            file.write(json.dumps(raw).encode())
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)

    return write


def ictui_add(path: Path) -> Callable[[], None]:
    """Return one add through the store, its input checked as a person's is."""
    store = Store(path, author=Author(account="bench"))
    values = {"partner_id": 1, "date": TODAY, "direction": "provided", "verdict": "success"}
    check = schema_of(ContactPoint).check

    def add() -> None:
        store.add(check({**values, "why": REASON}))

    return add


def take_turns(contenders: dict[str, Callable[[], None]], runs: int) -> dict[str, float]:
    """Run each contender once per round, after one warm-up each; return median seconds."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for run in contenders.values():
        run()
    for _ in range(runs):
        for name, run in contenders.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def ictui_command() -> list[str]:
    """Return how to run the installed ictui with this interpreter."""
    script = Path(sys.executable).with_name("ictui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ictui"]


def wall(command: str) -> float:
    """Return the wall-clock seconds of one shell command line."""
    started = time.perf_counter()
    subprocess.run(command, shell=True, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def list_vs_check(path: Path, runs: int) -> tuple[float, float]:
    """Return median seconds of `ictui list | head` and of `ictui check`, taking turns."""
    ictui = " ".join(ictui_command())
    lists, checks = [], []
    for _ in range(runs):
        lists.append(wall(f"{ictui} list --db {path} --format tsv | head -n 20"))
        checks.append(wall(f"{ictui} check --db {path}"))
    return statistics.median(lists), statistics.median(checks)


class _Counted(Store):
    reads = 0

    def read(self, *, reuse: Snapshot | None = None, in_steps: bool = False) -> Snapshot:
        self.reads += 1
        return super().read(reuse=reuse, in_steps=in_steps)


class _AddPartner:
    what = "add a partner"
    creates = False

    def apply(self, tx: Transaction) -> Partner:
        return tx.new(Partner, name=f"Bench {time.monotonic_ns()}")


def reloads_per_write(path: Path, writes: int = 3) -> float:
    """Return the whole readings an open app makes per write of its own."""
    store = _Counted(path, author=Author(account="bench"))
    feed = ChangeFeed(lambda: store)
    feed.judge(feed.read(feed.ask(), None))
    queue = WriteQueue(lambda: store, feed=feed)
    before = store.reads
    for _ in range(writes):
        outcomes: list[Outcome] = []
        queue.put(_AddPartner())
        queue.write_next(outcomes.append)
        written = outcomes[-1]
        if isinstance(written, Written) and written.reading is not None:
            feed.judge(written.reading)
        if feed.start_looking() and feed.changed():  # what the app's next poll does
            feed.judge(feed.read(feed.ask(), None))
    return (store.reads - before) / writes


def peak_memory(path: Path) -> int:
    """Return the peak resident bytes of a process that reads path and checks its points."""
    result = subprocess.run(
        [sys.executable, "-c", READER, str(path)], capture_output=True, text=True, check=True
    )
    return int(result.stdout.split()[-1]) * 1024  # VmHWM is in KiB


def all_time(path: Path) -> dict[str, float]:
    """Return what benchmarks/all_time_keys.py measures in the app on path."""
    script = Path(__file__).with_name("all_time_keys.py")
    result = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, check=True
    )
    measured: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return measured


def bench(folder: Path, size: int, runs: int) -> list[str]:
    """Measure one size; return its table row."""
    source = folder / f"team-{size}.json"
    write_demo(Store(source, author=Author(account="bench")), TODAY, size)
    copies = {name: folder / f"{name}-{size}.json" for name in ("ictui", "floor", "tinydb")}
    for copy in copies.values():
        shutil.copyfile(source, copy)
    # A first write puts the file as ictui writes it (as any team file is after one save).
    Store(copies["ictui"], author=Author(account="bench")).add(
        schema_of(Partner).check({"name": "First save"})
    )
    db = TinyDB(copies["tinydb"])
    table = db.table("contact_points")
    count = [2 * 10**7]

    def tiny() -> None:
        count[0] += 1
        table.insert(stored_point(count[0]))

    saves = take_turns(
        {"ictui": ictui_add(copies["ictui"]), "floor": floor(copies["floor"]), "tinydb": tiny},
        runs,
    )
    db.close()
    listed, checked = list_vs_check(source, max(1, min(runs, 3)))
    reloads = reloads_per_write(copies["ictui"])
    peak = peak_memory(source)
    # ictui's copy, as any team file is after a save (its last use: the colleague's
    # write changes it). A file last written by another tool costs more at its
    # first reading only (see docs/performance.md).
    app = all_time(copies["ictui"])
    megabytes = source.stat().st_size / 1e6
    ms = {name: value * 1000 for name, value in saves.items()}
    return [
        f"{size:,}",
        f"{megabytes:.1f} MB",
        f"{ms['ictui']:.0f} ms",
        f"{ms['ictui'] / ms['floor']:.2f}x",
        f"{ms['ictui'] / ms['tinydb']:.2f}x",
        f"{listed:.2f} s / {checked:.2f} s",
        f"{listed / checked:.2f}x",
        f"{reloads:g}",
        f"{peak / 1e6:.0f} MB",
        f"{peak / source.stat().st_size:.1f}x",
        f"{app['first']:.2f} s / {app['drawn']:.1f} s",
        f"{app['rows']:,.0f}",
        f"{app['worst_drawing'] * 1000:,.0f} ms, {app['slow_drawing']}/{app['keys_drawing']}",
        f"{app['worst_paging'] * 1000:,.0f} ms, {app['slow_paging']}/{app['keys_paging']}",
        f"{app['worst_writing'] * 1000:,.0f} ms, {app['slow_writing']}/{app['keys_writing']}",
        f"{app['worst_toggling'] * 1000:,.0f} ms, {app['slow_toggling']}/{app['keys_toggling']}",
        f"{app['rss_shown'] / source.stat().st_size:.1f}x",
        f"{app['rss_peak_reading'] / source.stat().st_size:.1f}x"
        f" / {app['rss_peak'] / source.stat().st_size:.1f}x",
    ]


HEADER = [
    "contacts", "file", "save", "vs floor", "vs TinyDB", "list-head / check", "ratio",
    "reloads/write", "peak RSS", "RSS / file", "all time: first / all rows", "rows drawn",
    "worst key, slow/keys: drawing", "paging", "colleague writes", "own write",
    "app RSS / file", "app peak / file: colleague / own write",
]  # fmt: skip


def main() -> None:
    """Measure every size asked for and print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--runs", type=int, default=5, help="rounds of saves per size")
    options = parser.parse_args()
    sizes = [1000, 10000] if options.quick else options.sizes
    rows = []
    with tempfile.TemporaryDirectory(prefix="ictui-scale-") as folder:
        for size in sizes:
            rows.append(bench(Path(folder), size, options.runs))
            print(f"  {size:,} done", file=sys.stderr, flush=True)
    print(
        f"Scale, {dt.date.today().isoformat()}: medians; ratios are ictui / other (lower is better)"
    )
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "|".join("---:" for _ in HEADER) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
