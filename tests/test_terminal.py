"""The real app in a pseudo-terminal: what people typed never reaches the terminal as control."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.outputs.demo import write_demo
from ictui.teamfile.store import Store

from .conftest import TODAY, fixed_clock, ictui_env

HOSTILE_WHY = "seen [bold]\x1b]0;PWNED\x07\x1b]52;c;Y2xpcA==\x07 \x1b[2J\x9b31m \u202eevil"


def run_in_terminal(
    args: list[str],
    until: bytes,
    timeout: float = 60,
    *,
    program: tuple[str, ...] = ("-m", "ictui"),
) -> bytes:
    """Run `python -m ictui ARGS` in a 100x30 pseudo-terminal; return all it wrote.

    program: what python runs instead of `-m ictui`, such as `-c SCRIPT`.
    """
    master, slave = pty.openpty()
    env = ictui_env(TERM="xterm-256color", COLUMNS="100", LINES="30")
    process = subprocess.Popen(
        [sys.executable, *program, *args],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    seen_at: float | None = None
    try:
        # Read until the text shows, then one more second for any later frames.
        while time.monotonic() < (seen_at + 1 if seen_at else deadline):
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break
            if seen_at is None and until in output:
                seen_at = time.monotonic()
        assert seen_at is not None, f"{until!r} never showed: {bytes(output[-400:])!r}"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return bytes(output)


def test_escape_sequences_in_a_hand_edited_file_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    store = Store(path, clock=fixed_clock)
    with store.transaction(create=True):
        pass
    raw = json.loads(path.read_text())
    # Written around the models, as a hand edit would be.
    raw["partners"] = {
        "1": {
            "name": "Acme \x1b]0;PWNED\x07",
            "relationship": "customer",
            "rev": 1,
            "created_by": {"account": "x"},
            "created_at": "2026-11-20T09:00:00Z",
            "updated_by": {"account": "x"},
            "updated_at": "2026-11-20T09:00:00Z",
        }
    }
    raw["contact_points"] = {
        "1": {
            "partner_id": 1, "date": TODAY.isoformat(), "direction": "provided",
            "verdict": "success", "why": HOSTILE_WHY, "rev": 1,
            "created_by": {"account": "x"}, "created_at": "2026-11-20T09:00:00Z",
            "updated_by": {"account": "x"}, "updated_at": "2026-11-20T09:00:00Z",
        }
    }  # fmt: skip
    path.write_text(json.dumps(raw))
    shown = run_in_terminal(["--db", str(path), "--user", "Bob"], until=b"seen [bold]")
    assert b"PWNED" not in shown  # no window title
    assert b"\x1b]52" not in shown  # no clipboard write
    assert b"Y2xpcA" not in shown
    assert "\u202e".encode() not in shown  # no reordering of what follows
    assert b"\xc2\x9b" not in shown  # no 8-bit control sequence introducer
    assert b"Acme" in shown


# Says what was loaded when the first rows were drawn, and when the form is
# ready for its first use; runs ictui as its command does.
FIRST_FRAME_PROBE = """
import sys
from ictui.screens.contact_points import ContactPointsScreen

drawn = ContactPointsScreen.on_record_table_drawn
LATER = ("pydantic.main", "ictui.screens.contact_form")

def on_record_table_drawn(self):
    if not getattr(self, "probed", False):
        self.probed = True
        loaded = [m for m in LATER if m in sys.modules]
        rows = self.query_one("#table").row_count
        said = " ".join(loaded) or "neither"
        self.notify(f"LOADED AT FIRST ROWS: {said} ({rows} ROWS)", timeout=30)
        self.set_interval(0.05, lambda: writing_ready(self))
    drawn(self)

def writing_ready(screen):
    if "ictui.screens.contact_form" in sys.modules and not getattr(screen, "ready", False):
        screen.ready = True
        models = "LOADED" if "pydantic.main" in sys.modules else "NEVER"
        screen.notify(f"WRITING READY, PYDANTIC MODELS {models}", timeout=30)

ContactPointsScreen.on_record_table_drawn = on_record_table_drawn
from ictui.outputs.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_first_rows_are_drawn_before_the_form_loads_and_then_it_loads(
    tmp_path: Path,
) -> None:
    # The form and Textual's text fields cost the first frame; they load once the
    # rows are drawn, before anyone opens a form. Pydantic's model machinery is
    # never loaded: the kinds' validators are built by pydantic-core alone.
    path = tmp_path / "team.json"
    write_demo(Store(path), dt.datetime.now().astimezone().date(), 300)  # the app's today
    probe = ("-c", FIRST_FRAME_PROBE)
    shown = run_in_terminal(["--db", str(path)], until=b"WRITING READY", timeout=20, program=probe)
    said = re.search(rb"LOADED AT FIRST ROWS: (\w+) \((\d+) ROWS\)", shown)
    assert said is not None, shown[-400:]
    assert said[1] == b"neither" and int(said[2]) > 0
    assert b"PYDANTIC MODELS NEVER" in shown


LEAVE_MODES = (b"\x1b[?1049l", b"\x1b[?1000l")
"""What a terminal is told when the app leaves: the main screen back, mouse reporting off."""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_restores_the_terminal_and_keeps_the_change_on_its_way(
    tmp_path: Path, signum: int
) -> None:
    store = Store(tmp_path / "team.json")
    write_demo(store, dt.date.today(), 20)  # the app runs on the real clock: rows in its period
    before = {p.id: p for p in store.read().all(ContactPoint)}
    master, slave = pty.openpty()
    env = ictui_env(TERM="xterm-256color", COLUMNS="100", LINES="30")
    process = subprocess.Popen(
        [sys.executable, "-m", "ictui", "--db", str(store.path)],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    output = bytearray()

    def read_until(done: Callable[[], bool], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    return

    def read_until_quiet(quiet: float = 0.5, timeout: float = 30) -> None:
        """Read until the app has written nothing for quiet seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            size = len(output)
            read_until(partial(grew, size), timeout=quiet)
            if len(output) == size:
                return

    def grew(size: int) -> bool:
        return len(output) > size

    try:
        read_until(lambda: b"Verdict" in output)  # the footer's keys: the app is up
        # The first frame's last bytes (a busy machine may paint it in several goes).
        read_until_quiet()
        shown = len(output)
        os.write(master, b"v")  # a change, on its way or just written, when the signal comes
        # The key has reached the app once it redraws the row (nothing else moves on screen).
        read_until(lambda: len(output) > shown)
        process.send_signal(signum)
        read_until(lambda: process.poll() is not None, timeout=30)
        assert process.wait(timeout=30) == 128 + signum
        after = bytes(output)
        assert all(mode in after for mode in LEAVE_MODES), after[-300:]
        # The switched verdict (of the row under the cursor) is in the file.
        changed = [p for p in store.read().all(ContactPoint) if p.rev > before[p.id].rev]
        assert len(changed) == 1, bytes(output[shown:])[:3000]
        assert changed[0].verdict is before[changed[0].id].verdict.toggled()
        # Nothing is left locked: another writer gets in at once.
        store.update(ContactPoint, changed[0].id, changed[0].rev, why="after the signal")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
