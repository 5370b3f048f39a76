"""How fast the app shows the contact table, and answers a verdict toggle, as ratios.

Run: python benchmarks/startup.py [--runs N] [--toggles N]

Each program runs in a pseudo-terminal of 100x30, as a person would run it.

1. Start: time from starting the process to the newest contact point being
   drawn (its reason carries a marker the benchmark looks for in what the
   program writes to the terminal), for team files of 1k and 10k contact
   points. The baseline is benchmarks/minimal_app.py, a Header + DataTable +
   Footer app that reads the same file with json and shows the same rows; the
   programs take turns, so a drift in the machine's speed hits all alike.
   A third program is the baseline checking each row it shows with ictui's
   record kinds (--with-kinds: ictui's kinds and their pydantic-core
   validator loaded, every row checked): the floor of a first frame whose
   rows are checked as ictui checks them.
2. Toggle: with 10k contact points, time from pressing `v` to the new verdict
   being drawn, and to it being safely in the team file (the file's mtime
   moves). The baseline is the minimal app moving its cursor one row down:
   the quickest answer to a key Textual gives.

Medians are printed, then ratios; the ratios are what to quote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author
from ictui.outputs.demo import write_demo
from ictui.teamfile.store import Store

COLUMNS, LINES = 100, 30
MARKER = b"ZQXJ"
"""Written at the start of the newest reason: its arrival means the table is drawn."""
HERE = Path(__file__).resolve().parent


class Terminal:
    """A program running in a pseudo-terminal, and what it has written so far."""

    def __init__(self, command: list[str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        env = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
        # Both programs may cache their compiled bytecode, as on any normal install;
        # the warm-up run writes the caches.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()

    def wait_for(self, *markers: bytes, since: int = 0, timeout: float = 60) -> float:
        """Read until one of markers shows after byte `since`; return when, from perf_counter."""
        deadline = time.perf_counter() + timeout
        while not any(m in self.output[since:] for m in markers):
            left = deadline - time.perf_counter()
            if left <= 0 or self.process.poll() is not None:
                raise RuntimeError(f"{markers} never showed; last output: {self.output[-300:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the program closed the terminal
                    continue
        return time.perf_counter()

    def drain(self, seconds: float) -> None:
        """Read whatever the program writes for a while."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def press(self, key: bytes) -> tuple[int, float]:
        """Send a key; return where the output stood and when it was sent."""
        self.drain(0)
        mark = len(self.output)
        os.write(self.master, key)
        return mark, time.perf_counter()

    def close(self) -> None:
        """Stop the program and free the terminal."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


def team_file(folder: Path, contacts: int) -> Path:
    """Write a demo team of this size for today, with the marked contact point newest."""
    path = folder / f"team-{contacts}.json"
    if path.exists():
        return path
    store = Store(path, author=Author(account="bench"))
    today = dt.date.today()
    write_demo(store, today, contacts - 1)
    partner = store.read().all(Partner)[0]
    with store.transaction() as tx:
        tx.new(
            ContactPoint,
            partner_id=partner.id,
            date=today,
            direction="provided",
            verdict="success",
            why=MARKER.decode() + " the newest contact point",
        )
    return path


def ictui(path: Path) -> list[str]:
    """Return the command that opens ictui on a team file."""
    return [sys.executable, "-m", "ictui", "--db", str(path), "--user", "Bench"]


def minimal(path: Path) -> list[str]:
    """Return the command that opens the baseline app on a team file."""
    return [sys.executable, str(HERE / "minimal_app.py"), str(path)]


def minimal_with_kinds(path: Path) -> list[str]:
    """Return the command that opens the baseline app checking its rows with ictui's kinds."""
    return [*minimal(path), "--with-kinds"]


def time_to_table(command: list[str]) -> float:
    """Return seconds from starting the program to the newest contact point on screen."""
    terminal = Terminal(command)
    try:
        return terminal.wait_for(MARKER) - terminal.started
    finally:
        terminal.close()


def bench_start(folder: Path, sizes: list[int], runs: int) -> None:
    """Print start-to-table times of ictui, the baseline, and the baseline checking its rows."""
    print(f"Start to table on screen, median of {runs} (ms); ratios to the minimal app")
    print(
        f"  {'contact points':>14}  {'ictui':>8}  {'minimal':>8}  {'+kinds':>8}"
        f"  {'ictui':>6}  {'+kinds':>7}"
    )
    programs = {"ictui": ictui, "minimal": minimal, "+kinds": minimal_with_kinds}
    for size in sizes:
        path = team_file(folder, size)
        times: dict[str, list[float]] = {name: [] for name in programs}
        time_to_table(ictui(path))  # warm the OS's file cache for all
        for _ in range(runs):
            for name, command in programs.items():
                times[name].append(time_to_table(command(path)))
        a, b, c = (statistics.median(times[name]) for name in programs)
        print(
            f"  {size:>14,}  {a * 1000:8.1f}  {b * 1000:8.1f}  {c * 1000:8.1f}"
            f"  {a / b:5.2f}x  {c / b:6.2f}x"
        )


def bench_toggle(folder: Path, size: int, toggles: int) -> None:
    """Print how long a verdict toggle takes to show and to be saved, at this size."""
    path = team_file(folder, size)
    shown, saved, baseline = [], [], []
    terminal = Terminal(ictui(path))
    try:
        terminal.wait_for(MARKER)
        terminal.drain(1.0)
        for i in range(toggles):
            before = os.stat(path).st_mtime_ns
            mark, sent = terminal.press(b"v")
            # The row, the detail and the tally all redraw with the new verdict's word.
            word = b"improve" if i % 2 == 0 else b"success"
            shown.append(terminal.wait_for(word, since=mark) - sent)
            while os.stat(path).st_mtime_ns == before:
                time.sleep(0.0005)
            saved.append(time.perf_counter() - sent)
            terminal.drain(1.2)  # let the app read the file back before the next toggle
    finally:
        terminal.close()
    terminal = Terminal(minimal(path))
    try:
        terminal.wait_for(MARKER)
        terminal.drain(1.0)
        for i in range(toggles):
            mark, sent = terminal.press(b"\x1b[B" if i % 2 == 0 else b"\x1b[A")
            terminal.wait_for(b"\x1b[", since=mark)  # any redraw at all
            baseline.append(time.perf_counter() - sent)
            terminal.drain(0.3)
    finally:
        terminal.close()
    a, s, b = (statistics.median(x) for x in (shown, saved, baseline))
    print(f"\nVerdict toggle at {size:,} contact points, median of {toggles} (ms)")
    print(f"  ictui: new verdict on screen     {a * 1000:7.1f}")
    print(f"  ictui: saved in the team file    {s * 1000:7.1f}")
    print(f"  minimal app: cursor moved        {b * 1000:7.1f}")
    print(f"  ratio, on screen / cursor moved  {a / b:7.2f}x")


def main() -> None:
    """Run both benchmarks in a fresh folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each program per size")
    parser.add_argument("--toggles", type=int, default=10, help="verdict toggles to time (0: skip)")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000], help="team sizes to start on"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as folder:
        bench_start(Path(folder), args.sizes, args.runs)
        if args.toggles:
            bench_toggle(Path(folder), 10_000, args.toggles)


if __name__ == "__main__":
    main()
