"""How fast the store writes and how fast the command line starts, as ratios.

Run: python benchmarks/store.py [--runs N]

1. One `add` (a whole locked, durable transaction) on team files of 1k and 10k
   contact points, against, on a copy of the same file in the same run:
   (a) the floor of any whole-file JSON store: read + json.loads, add a record,
       json.dumps + write in place + fsync (no lock, no atomic rename);
   (b) plain TinyDB: `table.insert` on an open TinyDB (its JSONStorage also fsyncs).
   The three take turns, so a drift in the machine's speed hits them alike.
2. The cold start of `ictui check` on the 1k file against
   `python -c "import textual.app"`, as whole processes, taking turns.

Medians are printed, then ratios; the ratios are what to quote.
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
from ictui.kinds.record import Author
from ictui.kinds.schema import schema_of
from ictui.outputs.demo import write_demo
from ictui.teamfile.store import Store

TODAY = dt.date(2026, 11, 20)
REASON = "Export arrived a day early and reconciled first time."


def new_point() -> dict[str, object]:
    """Return a stored contact point as TinyDB or the floor would write it."""
    return {
        "partner_id": 1,
        "date": TODAY.isoformat(),
        "direction": "provided",
        "verdict": "success",
        "why": REASON,
        "rev": 1,
        "created_by": {"account": "bench", "name": None},
        "created_at": "2026-11-20T10:00:00Z",
        "updated_by": {"account": "bench", "name": None},
        "updated_at": "2026-11-20T10:00:00Z",
        "deleted": False,
    }


def json_floor(path: Path) -> Callable[[], None]:
    """Return one write of the fastest whole-file JSON store we can think of."""
    counter = [10**6]

    def write() -> None:
        with path.open("r+b") as file:
            raw = json.loads(file.read())
            counter[0] += 1
            raw["contact_points"][str(counter[0])] = new_point()
            data = json.dumps(raw).encode()
            file.seek(0)
            file.write(data)
            file.truncate()
            file.flush()
            os.fsync(file.fileno())

    return write


def tinydb_insert(path: Path) -> tuple[Callable[[], None], TinyDB]:
    """Return one insert through plain TinyDB, kept open as an app would keep it."""
    db = TinyDB(path)
    table = db.table("contact_points")

    def insert() -> None:
        table.insert(new_point())

    return insert, db


def ictui_add(path: Path) -> Callable[[], None]:
    """Return one add through the store: lock, fresh read, validate, atomic durable write."""
    store = Store(path, author=Author(account="bench"))
    values = {"partner_id": 1, "date": TODAY, "direction": "provided", "verdict": "success"}
    check = schema_of(ContactPoint).check
    # Checked each time, as a person's input is: the check is part of an add.
    return lambda: store.add(check({**values, "why": REASON}))  # type: ignore[return-value]


def take_turns(contenders: dict[str, Callable[[], None]], runs: int) -> dict[str, float]:
    """Run each contender once per round, for runs rounds; return median seconds."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for run in contenders.values():  # warm-up: caches, imports, first allocation
        run()
    for _ in range(runs):
        for name, run in contenders.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def bench_writes(folder: Path, sizes: list[int], runs: int) -> None:
    """Print the write benchmark for each team size."""
    print(f"One add, median of {runs} (ms); ratios are ictui / other (lower is better)")
    print(
        f"{'contacts':>9} {'ictui':>8} {'floor':>8} {'tinydb':>8} {'vs floor':>9} {'vs tinydb':>10}"
    )
    for size in sizes:
        source = folder / f"team-{size}.json"
        write_demo(Store(source, author=Author(account="bench")), TODAY, size)
        copies = {name: folder / f"{name}-{size}.json" for name in ("ictui", "floor", "tinydb")}
        for copy in copies.values():
            shutil.copyfile(source, copy)
        tiny, db = tinydb_insert(copies["tinydb"])
        medians = take_turns(
            {
                "ictui": ictui_add(copies["ictui"]),
                "floor": json_floor(copies["floor"]),
                "tinydb": tiny,
            },
            runs,
        )
        db.close()
        ms = {name: value * 1000 for name, value in medians.items()}
        print(
            f"{size:>9} {ms['ictui']:>8.1f} {ms['floor']:>8.1f} {ms['tinydb']:>8.1f} "
            f"{ms['ictui'] / ms['floor']:>8.2f}x {ms['ictui'] / ms['tinydb']:>9.2f}x"
        )


def ictui_command() -> list[str]:
    """Return how to run the installed ictui command with this interpreter."""
    script = Path(sys.executable).with_name("ictui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ictui"]


def wall(command: list[str]) -> float:
    """Return the wall-clock seconds of one whole process."""
    # Both may cache their compiled bytecode, as on any normal install; the
    # warm-up run writes the caches.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - started


def bench_startup(folder: Path, runs: int) -> None:
    """Print the cold start of `ictui check` against importing Textual's App."""
    team = folder / "team-1000.json"
    if not team.exists():
        write_demo(Store(team, author=Author(account="bench")), TODAY, 1000)
    check = [*ictui_command(), "check", "--db", str(team)]
    textual = [sys.executable, "-c", "import textual.app"]
    wall(check), wall(textual)  # warm the file-system cache
    pairs = [(wall(check), wall(textual)) for _ in range(runs)]
    a = statistics.median(p[0] for p in pairs)
    b = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    print(f"\nCold start, median of {runs} whole processes")
    print(f"  ictui check (1k contacts)       {a * 1000:7.1f} ms")
    print(f"  python -c 'import textual.app'  {b * 1000:7.1f} ms")
    print(f"  ratio                           {ratio:7.2f}x")


def main() -> None:
    """Run both benchmarks in one temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds per measurement")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as tmp:
        folder = Path(tmp)
        bench_writes(folder, args.sizes, args.runs)
        bench_startup(folder, args.runs)


if __name__ == "__main__":
    main()
