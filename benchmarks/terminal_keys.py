"""Keys answered in a real terminal at 100,000 contact points, against a minimal Textual app.

Run: python benchmarks/terminal_keys.py [--contacts N] [--pace 0.05] [--seconds 3]

Issue 22 asks that, in a real terminal, the app starts, shows all time,
reads a colleague's write and scrolls without a key waiting over 100 ms.
`all_time_keys.py` measures that inside the process (headless, keys posted
as events); this one runs `ictui` in a pseudo-terminal of 120x40, as a person
does, and types at it: the terminal's input, the app's driver thread and its
output to the terminal all count.

Each contact point's reason ends with a token naming it (`Q000123Z`), past
what the table's Why column shows: it reaches the terminal only when the
"In full" panel shows that point, so when a Down is answered. A key's delay
runs from writing it to the terminal until the first token the app writes
after it (keys typed while the app is busy are answered together, each
counted from its own writing). That is the whole answer: the cursor's move
reaches the terminal a frame or two before the panel (8-11 ms after the key
against 27-47 ms, at 100,000 contact points on a quiet machine), as the
panel follows the table's message to the screen. Phases, Down every `pace`
seconds for `seconds` each unless said: right after the first screen (the
check of every record runs meanwhile); after choosing "All time" with the
filter bar's keys, until it is listed and `seconds` more; PageDown a
hundred times; a search typed into the search line (its last letter taken
back and typed again, each answered by whatever the app writes next: its
echo); after the search is cleared (all time again); after sorting by partner
(the sort key twice), until all time is listed so; then, still sorted so,
while a colleague logs a contact point in another process (`ictui log`),
until the app has read it; after the app's own write (`v`).

The baseline is benchmarks/minimal_app.py (Header, DataTable, Footer) on the
same file, run in the same session: Down and then PageDown at the same pace,
each answered by whatever it writes next (nothing else draws there; its
table is wider than the terminal, the tokens out of view). A busy machine
delays its keys too: compare ictui's slow keys with the baseline's, run by
run. Prints one table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

from ictui.kinds.record import Author
from ictui.outputs.demo import write_demo
from ictui.teamfile.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import startup  # the pseudo-terminal and the baseline's command

startup.COLUMNS, startup.LINES = 120, 40
TOKEN = re.compile(rb"Q(\d{6})Z")
"""The end of every reason: the contact point's id, six digits."""

DOWN, PAGE_DOWN, PAGE_UP, ENTER, ESCAPE = b"\x1b[B", b"\x1b[6~", b"\x1b[5~", b"\r", b"\x1b"
SEARCH = b"screen"
"""Typed into the search line: about a tenth of the demo's contact points hold it."""
COLLEAGUE = "A colleague's write (ref Q999999Z)"
"""The colleague's reason: with a token, as it may be the point the app shows first."""
SLOW = 0.1
"""A key answered later than this is slow (issue 22's goal)."""


def team_file(folder: Path, contacts: int) -> Path:
    """Write a demo team of this size whose every reason ends with its token."""
    path = folder / f"team-{contacts}.json"
    write_demo(Store(path, author=Author(account="bench")), dt.date.today(), contacts)
    raw = orjson.loads(path.read_bytes())
    for key, point in raw["contact_points"].items():
        point["why"] = f"{point['why']} (ref Q{int(key):06d}Z)"
    # Written as ictui writes (compact orjson): the app reads it in pieces as it would its own.
    path.write_bytes(orjson.dumps(raw))
    return path


class Typist:
    """A program in a pseudo-terminal, its output read all along, each token's arrival noted."""

    def __init__(self, command: list[str], answer: re.Pattern[bytes] = TOKEN) -> None:
        self.terminal = startup.Terminal(command)
        self.answer = answer
        self.arrivals: list[float] = []
        """When a token arrived, in order (each chunk of output that holds one)."""
        self.outputs: list[float] = []
        """When any output arrived, in order."""
        self.watched: list[tuple[bytes, threading.Event]] = []
        self.closed = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def watch(self, marker: bytes) -> threading.Event:
        """Return an event set once the program writes marker (from now on)."""
        seen = threading.Event()
        self.watched.append((marker, seen))
        return seen

    def _read(self) -> None:
        tail = b""  # a token or a marker may be cut between two reads
        master = self.terminal.master
        while not self.closed.is_set():
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            now = time.perf_counter()
            self.outputs.append(now)
            if self.answer.search(tail + chunk):
                self.arrivals.append(now)
            for marker, seen in self.watched:
                if marker in tail + chunk:
                    seen.set()
            tail = chunk[-64:]

    def wait_for_token(self, timeout: float = 120) -> None:
        """Wait until the program has written an answer (its first screen is up)."""
        deadline = time.perf_counter() + timeout
        while not self.arrivals:
            if time.perf_counter() > deadline or self.terminal.process.poll() is not None:
                raise RuntimeError("the program never showed a contact point")
            time.sleep(0.01)

    def type(self, keys: bytes, gap: float = 0.15) -> None:
        """Type keys one by one (escape sequences whole), untimed: menus and such."""
        for key in re.findall(rb"\x1b\[[0-9;]*[A-Za-z~]|\x1b|.", keys, re.S):
            os.write(self.terminal.master, key)
            time.sleep(gap)

    def press(
        self,
        key: bytes | list[bytes],
        pace: float,
        seconds: float,
        after: threading.Event | None = None,
        *,
        any_output: bool = False,
    ) -> list[float]:
        """Press key (or keys in turn) every pace seconds; return the delays, sorted.

        For seconds, and if after is given until a second after it is set (at most a
        minute). any_output: a key is answered by whatever the program writes next
        (typing in a line, where no token comes), not by a token.
        """
        keys = [key] if isinstance(key, bytes) else key
        sent: list[float] = []
        start = time.perf_counter()
        end = start + seconds
        while (now := time.perf_counter()) < end:
            if after is not None and after.is_set():
                end, after = max(end, now + 1), None
            elif after is not None:
                end = max(end, min(now + 1, start + 60))
            due = start + len(sent) * pace
            if due > now:
                time.sleep(due - now)
            os.write(self.terminal.master, keys[len(sent) % len(keys)])
            sent.append(time.perf_counter())
        # Answered when a token next arrives; a key never answered counts its wait so far.
        time.sleep(1.0)
        end = time.perf_counter()
        arrivals = list(self.outputs if any_output else self.arrivals)
        delays, at = [], 0
        for when in sent:
            while at < len(arrivals) and arrivals[at] < when:
                at += 1
            delays.append((arrivals[at] if at < len(arrivals) else end) - when)
        return sorted(delays)

    def close(self) -> None:
        """Stop the program."""
        self.closed.set()
        self.reader.join()
        self.terminal.close()


def summary(delays: list[float]) -> str:
    """Return a phase's keys: how many, how many slow, the 90th percentile and the worst, in ms."""
    p90 = delays[int(len(delays) * 0.9)] if delays else 0.0
    worst = delays[-1] if delays else 0.0
    slow = sum(delay > SLOW for delay in delays)
    return f"{len(delays):>5}  {slow:>5}  {p90 * 1000:>7.0f}  {worst * 1000:>7.0f}"


def ictui_phases(path: Path, pace: float, seconds: float) -> dict[str, list[float]]:
    """Type at ictui through its phases; return each phase's key delays."""
    points = orjson.loads(path.read_bytes())["contact_points"].values()
    live = sum(point.get("deleted") is not True for point in points)
    typist = Typist(startup.ictui(path))
    phases: dict[str, list[float]] = {}
    try:
        typist.wait_for_token()
        phases["start"] = typist.press(DOWN, pace, seconds)
        # The period list: f, Enter, four down to All time, Enter, Escape back to the table.
        # The count above the table, once all time is listed; then once it holds the colleague's.
        listed = typist.watch(f"{live:,} contact points".encode())
        typist.type(b"f" + ENTER + DOWN * 4 + ENTER + ESCAPE)
        phases["all time"] = typist.press(DOWN, pace, seconds, listed)
        phases["paging"] = typist.press(PAGE_DOWN, pace, 100 * pace)
        # A search of all time as it is typed (each letter answered by its echo), then cleared.
        typist.type(b"/")
        typist.type(SEARCH, pace)
        # Then its last letter taken back and typed again, each time a new search.
        last = SEARCH[-1:]
        phases["search"] = typist.press([b"\x7f", last], pace, seconds, any_output=True)
        listed = typist.watch(f"{live:,} contact points".encode())
        typist.type(ESCAPE + ESCAPE)
        phases["cleared"] = typist.press(DOWN, pace, seconds, listed)
        # Sorted by partner (the sort key twice: oldest first, then by partner), all time
        # listed afresh; the writes below are then listed afresh too, not patched.
        listed = typist.watch(b"by partner, A to Z")
        typist.type(b"SS")
        phases["sorted"] = typist.press(DOWN, pace, seconds, listed)
        colleague = subprocess.Popen(
            [str(Path(sys.executable).with_name("ictui")), "log", "--db", str(path),
             "--partner", "Payroll", "--verdict", "success", "--why", COLLEAGUE,
             "--user", "Colleague"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        read = typist.watch(f"{live + 1:,} contact points".encode())
        phases["colleague"] = typist.press(DOWN, pace, seconds, read)
        colleague.wait()
        typist.type(b"v", 0)
        phases["own write"] = typist.press(DOWN, pace, seconds)
    finally:
        typist.close()
    return phases


def baseline_phases(path: Path, pace: float, seconds: float) -> dict[str, list[float]]:
    """Type at the minimal app: Down, then PageDown; return each phase's key delays."""
    typist = Typist(startup.minimal(path), re.compile(rb"\x1b\["))
    try:
        typist.wait_for_token()
        time.sleep(1.0)  # its first screen drawn in full
        return {
            "start": typist.press(DOWN, pace, seconds),
            # Ten pages down and back: its table ends after twenty, where a key draws nothing.
            "paging": typist.press([PAGE_DOWN] * 10 + [PAGE_UP] * 10, pace, 100 * pace),
        }
    finally:
        typist.close()


def main() -> None:
    """Make the file, type at both programs, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="contact points in the file")
    parser.add_argument("--pace", type=float, default=0.05, help="seconds between keys")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of keys per phase")
    parser.add_argument("--runs", type=int, default=1, help="rounds of both programs, in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as folder:
        path = team_file(Path(folder), args.contacts)
        print(
            f"Keys in a pseudo-terminal at {args.contacts:,} contact points, one every "
            f"{args.pace * 1000:.0f} ms; delays in ms, slow: over {SLOW * 1000:.0f} ms"
        )
        heads = f"{'keys':>5}  {'slow':>5}  {'p90':>7}  {'worst':>7}"
        print(f"  {'run':>3}  {'program':<8} {'phase':<10}  {heads}")
        for run in range(1, args.runs + 1):
            for program, phases in (
                ("minimal", baseline_phases(path, args.pace, args.seconds)),
                ("ictui", ictui_phases(path, args.pace, args.seconds)),
            ):
                for phase, delays in phases.items():
                    print(f"  {run:>3}  {program:<8} {phase:<10}  {summary(delays)}", flush=True)


if __name__ == "__main__":
    main()
