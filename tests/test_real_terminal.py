"""The real app in a pseudo-terminal, typed into: the clipboard, and a terminal that vanishes."""

from __future__ import annotations

import base64
import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ictui_env, run_ictui

OSC_52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
"""A clipboard write: ESC ] 52 ; c ; base64 text, ended by BEL or ST."""


class Terminal:
    """A 100x30 pseudo-terminal running `python -m ictui`, read and typed into by the test."""

    def __init__(self, args: list[str]) -> None:
        self.master, slave = pty.openpty()
        env = ictui_env(TERM="xterm-256color", COLUMNS="100", LINES="30")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ictui", *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()

    def wait_for(self, pattern: re.Pattern[bytes], timeout: float = 60) -> re.Match[bytes]:
        """Read until the output matches; fail with its tail if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.output)
            if found:
                return found
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        raise AssertionError(f"{pattern.pattern!r} never showed: {bytes(self.output[-400:])!r}")

    def type(self, keys: bytes) -> None:
        """Send bytes as if typed."""
        os.write(self.master, keys)

    def open_the_debrief(self) -> None:
        """Go to the debriefs (4) and open the demo's one in the builder."""
        self.wait_for(re.compile(rb"contact points"))
        self.type(b"4")
        self.wait_for(re.compile(rb"1 debrief"))
        self.type(b"\r")
        self.wait_for(re.compile(rb"Balance:"))

    def hang_up(self) -> None:
        """Do what a dropped SSH connection does: the terminal goes, then SIGHUP."""
        os.killpg(self.process.pid, signal.SIGHUP)
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        """End the app and its process group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.master >= 0:
            os.close(self.master)


@pytest.mark.timeout(120)
def test_copying_a_recap_writes_it_to_the_terminal_as_osc_52(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    assert run_ictui("demo", str(path)).returncode == 0
    shown = run_ictui("debrief", "show", "1", "--db", str(path))
    assert shown.returncode == 0, shown.stderr
    terminal = Terminal(["--db", str(path), "--user", "Lead"])
    try:
        terminal.open_the_debrief()
        terminal.type(b"\x02")  # ctrl+b: copy
        sent = terminal.wait_for(OSC_52)
    finally:
        terminal.close()
    # The same recap `ictui debrief show` prints, byte for byte but for the last line break.
    copied = base64.b64decode(sent.group(1)).decode("utf-8")
    assert copied.startswith("# Debrief: interview with Sales Operations")
    assert copied.rstrip("\n") == shown.stdout.decode("utf-8").rstrip("\n")


@pytest.mark.timeout(120)
def test_the_app_ends_when_its_terminal_is_gone_mid_edit(tmp_path: Path) -> None:
    """Restoring a terminal that is gone can block forever (Textual's writer): it never may."""
    path = tmp_path / "team.json"
    assert run_ictui("demo", str(path)).returncode == 0
    terminal = Terminal(["--db", str(path), "--user", "Lead"])
    try:
        terminal.open_the_debrief()
        terminal.type(b"typed as the line dropped ")
        terminal.wait_for(re.compile(rb"typed as the line dropped"))
        terminal.hang_up()  # before the pause that would save it
        # A generous wait: not a timing claim, only "it ends", where it used to hang.
        assert terminal.process.wait(timeout=60) == 128 + signal.SIGHUP
    finally:
        terminal.close()
    assert "typed as the line dropped" in path.read_text(encoding="utf-8")
