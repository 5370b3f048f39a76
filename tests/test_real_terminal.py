"""The real app in a pseudo-terminal, typed into: the clipboard, and a terminal that vanishes."""

from __future__ import annotations

import base64
import re
import signal
from pathlib import Path

import pytest

from .conftest import run_ictui
from .terminal import Terminal

OSC_52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
"""A clipboard write: ESC ] 52 ; c ; base64 text, ended by BEL or ST."""


def open_the_debrief(terminal: Terminal) -> None:
    """Go to the debriefs (4) and open the demo's one in the builder."""
    terminal.wait_for(b"contact points")
    terminal.type(b"4")
    terminal.wait_for(b"1 debrief")
    terminal.type(b"\r")
    terminal.wait_for(b"Balance:")


@pytest.mark.timeout(120)
def test_copying_a_recap_writes_it_to_the_terminal_as_osc_52(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    assert run_ictui("demo", str(path)).returncode == 0
    shown = run_ictui("debrief", "show", "1", "--db", str(path))
    assert shown.returncode == 0, shown.stderr
    terminal = Terminal(["--db", str(path), "--user", "Lead"])
    try:
        open_the_debrief(terminal)
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
        open_the_debrief(terminal)
        terminal.type(b"typed as the line dropped ")
        terminal.wait_for(rb"typed as the line dropped")
        terminal.hang_up()  # before the pause that would save it
        # A generous wait: not a timing claim, only "it ends", where it used to hang.
        assert terminal.process.wait(timeout=60) == 128 + signal.SIGHUP
    finally:
        terminal.close()
    assert "typed as the line dropped" in path.read_text(encoding="utf-8")
