"""The real program in a pseudo-terminal of its own, read and typed into as a person's session."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

from .conftest import ictui_env


class Terminal:
    """`python -m ictui ARGS` in a 100x30 pseudo-terminal; env: the child's, by default ictui's."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.master, slave = pty.openpty()
        if env is None:
            env = ictui_env(TERM="xterm-256color", COLUMNS="100", LINES="30")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ictui", *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()

    def wait_for(self, wanted: re.Pattern[bytes] | bytes, timeout: float = 60) -> re.Match[bytes]:
        """Read what the app draws until wanted shows; fail with the output's tail if never."""
        pattern = wanted if isinstance(wanted, re.Pattern) else re.compile(re.escape(wanted))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.output)
            if found:
                return found
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        raise AssertionError(f"{pattern.pattern!r} never showed: {bytes(self.output[-600:])!r}")

    def type(self, *keys: bytes) -> None:
        """Type keys, one write each, as a person's terminal sends them."""
        for key in keys:
            os.write(self.master, key)

    def hang_up(self) -> None:
        """Do what a dropped SSH connection does: SIGHUP, and the terminal is gone."""
        os.killpg(self.process.pid, signal.SIGHUP)
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        """End the program if it still runs, and the terminal."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.master >= 0:
            os.close(self.master)
