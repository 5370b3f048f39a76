"""The benchmarks still run: each, on tiny inputs, ends by printing its ratios.

The figures themselves are not checked (tests never judge wall-clock times);
this only keeps the scripts the README quotes working at every commit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ictui_env

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
RATIO = re.compile(r"\d+\.\d\dx")


@pytest.mark.parametrize(
    "command",
    [
        ["store.py", "--runs", "1", "--sizes", "50"],
        ["startup.py", "--runs", "1", "--sizes", "50", "--toggles", "0"],
        ["scale.py", "--runs", "1", "--sizes", "300"],
        ["write_cpu.py", "--contacts", "300", "--writes", "1"],
        [
            "screens.py",
            *("--runs", "1", "--keys", "2", "--sizes", "60", "--interviews", "3"),
            *("--standards", "3"),
            *("--debriefs", "3"),
        ],
    ],
    ids=lambda command: command[0],
)
def test_the_benchmark_runs_and_prints_ratios(command: list[str]) -> None:
    script, *options = command
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *options],
        capture_output=True,
        text=True,
        env=ictui_env(),
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert RATIO.search(result.stdout), result.stdout
