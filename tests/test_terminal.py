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
from pathlib import Path

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


# Says which of pydantic's models were loaded when the first rows were drawn,
# and when they are ready for the first form; runs ictui as its command does.
FIRST_FRAME_PROBE = """
import sys
from ictui.screens.contact_points import ContactPointsScreen

drawn = ContactPointsScreen.on_contact_table_drawn

def on_contact_table_drawn(self):
    if not getattr(self, "probed", False):
        self.probed = True
        loaded = [m for m in ("pydantic.main", "ictui.kinds.models") if m in sys.modules]
        rows = self.query_one("#table").row_count
        said = " ".join(loaded) or "neither"
        self.notify(f"LOADED AT FIRST ROWS: {said} ({rows} ROWS)", timeout=30)
        self.set_interval(0.05, lambda: writing_ready(self))
    drawn(self)

def writing_ready(screen):
    models = sys.modules.get("ictui.kinds.models")
    fields = getattr(models, "ContactPointFields", None)  # loaded yet?
    built = fields and type(fields.__pydantic_validator__).__name__
    if built == "SchemaValidator" and not getattr(screen, "ready", False):
        screen.ready = True
        screen.notify("WRITING READY", timeout=30)

ContactPointsScreen.on_contact_table_drawn = on_contact_table_drawn
from ictui.outputs.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_first_rows_are_drawn_before_the_models_load_and_then_they_load(
    tmp_path: Path,
) -> None:
    # pydantic's model machinery takes about a third of the time to the first
    # frame: the rows come from the views, and the models load after them,
    # before anyone opens a form.
    path = tmp_path / "team.json"
    write_demo(Store(path), dt.datetime.now().astimezone().date(), 300)  # the app's today
    probe = ("-c", FIRST_FRAME_PROBE)
    shown = run_in_terminal(["--db", str(path)], until=b"WRITING READY", timeout=20, program=probe)
    said = re.search(rb"LOADED AT FIRST ROWS: (\w+) \((\d+) ROWS\)", shown)
    assert said is not None, shown[-400:]
    assert said[1] == b"neither" and int(said[2]) > 0
