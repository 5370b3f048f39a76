"""Shared fixtures: a fixed clock, team files in temporary folders, and ways to run ictui."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import textual._wait

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author, R
from ictui.kinds.schema import Checked, schema_of
from ictui.teamfile.store import Store

# Times are shown in local time: pin it, so what the tests see is the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()

# Pilot waits for the app to go idle twice after every key it presses,
# sleeping 20 ms at a time to find out: 40 ms a key at least, most of a
# typing test's time. Looking every 5 ms, with idle meaning the same share
# of the time spent working (a twentieth), finds the idle moment sooner: the
# suite ran ~1.3x faster. Both are in a private Textual module with no public
# setting, so if they move this fails loudly instead of the suite slowing
# silently.
assert hasattr(textual._wait, "SLEEP_GRANULARITY") and hasattr(textual._wait, "SLEEP_IDLE")
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

NOW = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
"""The fixed moment tests run at."""
TODAY = NOW.date()
ALICE = Author(account="alice", name="Alice Adams")
BOB = Author(account="bob")

HOSTILE = (
    "[/]",
    "[bold]not bold[/bold]",
    "[bold",
    "\x1b]0;PWNED\x07",
    "\x1b[2Jcleared?",
    "\x9b31mred?",
    "\u202eevil RTL override",
    "emoji 🎉 and RTL mark \u200f שלום",
    "tab\tand\nnewline",
)
"""Text that would do harm if it were ever read as markup or sent to a terminal raw."""

ESCAPE_BYTES = (b"\x1b", b"\x9b", "\x9b".encode(), "\u202e".encode())
"""Bytes that must never reach a terminal from user text."""


def checked(kind: type[R], **values: object) -> Checked[R]:
    """Return values checked as a new record of kind: what a transaction adds."""
    return schema_of(kind).check(values)


def fixed_clock() -> dt.datetime:
    """Return NOW: the clock of every store the tests make."""
    return NOW


@pytest.fixture
def team_path(tmp_path: Path) -> Path:
    """Return the path of a team file that does not exist yet."""
    return tmp_path / "team.json"


@pytest.fixture
def make_store(team_path: Path) -> Callable[..., Store]:
    """Return a factory of stores on the test's team file, with the fixed clock."""

    def make(author: Author = ALICE, path: Path | None = None, **options: object) -> Store:
        return Store(path or team_path, author=author, clock=fixed_clock, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def store(make_store: Callable[..., Store]) -> Store:
    """Return a store on a new team file holding one partner and one contact point."""
    s = make_store()
    with s.transaction(create=True) as tx:
        partner = tx.new(Partner, name="Payroll")
        tx.add(
            checked(
                ContactPoint,
                partner_id=partner.id,
                date=TODAY,
                direction="provided",
                verdict="success",
                why="Overtime export arrived early",
            )
        )
    return s


UNUSED_CONFIG_HOME = Path("/nonexistent/ictui-tests/config")
"""Where child processes look for preferences: nowhere, so the tester's own never apply."""


def ictui_env(**extra: str) -> dict[str, str]:
    """Return an environment for running ictui in a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICTUI_")}
    env.update(
        {
            "COLUMNS": "120",
            "PYTHONIOENCODING": "utf-8",
            "XDG_CONFIG_HOME": str(UNUSED_CONFIG_HOME),
        }
        | extra
    )
    return env


def run_ictui(
    *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m ictui ARGS` in a child process and return what it did."""
    return subprocess.run(
        [sys.executable, "-m", "ictui", *args],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        env=ictui_env(**env),
        timeout=120,
        check=False,
    )


@pytest.fixture
def no_ictui_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the person's own ICTUI_DB and ICTUI_NAME out of a test of the command line."""
    for name in ("ICTUI_DB", "ICTUI_NAME"):
        monkeypatch.delenv(name, raising=False)


def ictui(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; return its exit status, stdout and stderr."""
    from ictui.outputs.cli import main

    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the team file's parses, by path (a write parses it, unless it knows it)."""
    from ictui.teamfile import fileformat

    done: list[Path] = []
    load = fileformat.load

    def counted(data: bytes, path: Path, *args: object, **kwargs: object) -> object:
        done.append(path)
        return load(data, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fileformat, "load", counted)
    return done
