"""Promises about the project itself: one test command, clean code, a core free of Textual."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_MODULES = sorted((ROOT / "ictui").rglob("*.py"))
TUI_MODULES = {"app.py", "__main__.py"}


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert command.startswith("python3 -m venv .venv") and "pytest" in command
    assert f"\n{command}\n" in (ROOT / "README.md").read_text()


def _imports(path: Path) -> set[str]:
    """Return the top-level names a module imports anywhere in its body."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_never_imports_textual() -> None:
    # ictui/app.py is the one core module that is the TUI; screens/ and widgets/ are presentation.
    offenders = [
        path.name
        for path in CORE_MODULES
        if path.name not in TUI_MODULES and "textual" in _imports(path)
    ]
    assert offenders == []


def test_the_code_type_checks(tmp_path: Path) -> None:
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
    assert mypy, "mypy is part of the test extras"
    # Laid out as installed: mypy cannot follow the package-dir mapping of an editable install.
    package = tmp_path / "ictui"
    skip = shutil.ignore_patterns("__pycache__", "__snapshots__")
    shutil.copytree(ROOT / "ictui", package, ignore=skip)
    shutil.copytree(ROOT / "screens", package / "screens", ignore=skip)
    shutil.copytree(ROOT / "widgets", package / "widgets", ignore=skip)
    # The tests and benchmarks too: a test that calls the code wrongly proves little.
    shutil.copytree(ROOT / "tests", tmp_path / "tests", ignore=skip)
    shutil.copytree(ROOT / "benchmarks", tmp_path / "benchmarks", ignore=skip)
    result = subprocess.run(
        [
            mypy,
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".c"),
            "ictui",
            "tests",
            "benchmarks",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_ruff_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test extras"
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [ruff, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
