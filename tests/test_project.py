"""Promises about the project itself: one test command, clean typed code, layers kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert command.startswith("python3 -m venv .venv") and "pytest" in command
    assert f"\n{command}\n" in (ROOT / "README.md").read_text()


def installed_layout(folder: Path) -> Path:
    """Copy the package into folder as it installs (screens/ and widgets/ inside ictui/).

    Neither mypy nor import-linter can follow the package-dir mapping of an
    editable install, so both read this copy.
    """
    package = folder / "ictui"
    skip = shutil.ignore_patterns("__pycache__", "__snapshots__")
    shutil.copytree(ROOT / "ictui", package, ignore=skip)
    shutil.copytree(ROOT / "screens", package / "screens", ignore=skip)
    shutil.copytree(ROOT / "widgets", package / "widgets", ignore=skip)
    return folder


def tool(name: str) -> str:
    """Return the path of a command of the test extras."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is part of the test extras"
    return found


def test_the_layers_keep_their_contracts(tmp_path: Path) -> None:
    # The contracts are in pyproject.toml: each layer imports only those below
    # it, and the core never imports Textual, screens or widgets (the command
    # line starts the app lazily, the one exception).
    folder = installed_layout(tmp_path)
    result = subprocess.run(
        [tool("lint-imports"), str(ROOT / "pyproject.toml")],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_code_type_checks(tmp_path: Path) -> None:
    folder = installed_layout(tmp_path)
    # The tests and benchmarks too: a test that calls the code wrongly proves little.
    skip = shutil.ignore_patterns("__pycache__", "__snapshots__")
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=skip)
    shutil.copytree(ROOT / "benchmarks", folder / "benchmarks", ignore=skip)
    result = subprocess.run(
        [
            tool("mypy"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".c"),
            "ictui",
            "tests",
            "benchmarks",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_ruff_clean() -> None:
    ruff = tool("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [ruff, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
