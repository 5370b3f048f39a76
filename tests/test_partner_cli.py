"""`ictui partner add` and `partner edit`: a partner's place on the map from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import ictui

pytestmark = pytest.mark.usefixtures("no_ictui_environment")


def partners(path: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(path.read_text())["partners"]
    return data


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """Payroll, a customer, with one contact point."""
    path = tmp_path / "team.json"
    code, _, _ = ictui(
        capsys, "log", "--db", str(path), "--partner", "Payroll", "--verdict", "success",
        "--why", "Overtime export arrived early",
    )  # fmt: skip
    assert code == 0
    return path


def test_add_puts_a_partner_on_the_map_with_every_detail(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, err = ictui(
        capsys, "partner", "add", "Treasury", "--db", str(team), "--way", "provider",
        "--kind", "department", "--priority", "high", "--segment", "Finance",
        "--needs", "RELIABILITY speed,speed", "--notes", "Cash forecasts",
    )  # fmt: skip
    assert (code, out) == (0, "")
    made = next(p for p in partners(team).values() if p["name"] == "Treasury")
    assert {k: made[k] for k in ("relationship", "kind", "priority", "segment", "needs")} == {
        "relationship": "provider",
        "kind": "department",
        "priority": "high",
        "segment": "Finance",
        "needs": ["speed", "reliability"],  # once each, in the needs' order
    }
    assert made["notes"] == "Cash forecasts"
    assert "added 'Treasury' (partner 2)" in err and "they serve us, high priority" in err
    assert ictui(capsys, "partner", "archive", "Treasury", "--db", str(team))[0] == 0
    code, _, err = ictui(capsys, "partner", "add", "treasury", "--db", str(team))
    assert code == 0 and "brought back archived partner 'treasury' (partner 2)" in err


def test_add_refuses_a_taken_name_and_a_word_that_is_no_need_writing_nothing(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "add", " PAYROLL ", "--db", str(team))
    assert code == 1 and "NAME is taken: partner 1 is called 'Payroll'" in err
    code, _, err = ictui(capsys, "partner", "add", "Audit", "--needs", "fast", "--db", str(team))
    assert code == 1 and "--needs holds 'fast': a need is one of information, advice" in err
    code, _, err = ictui(
        capsys, "partner", "add", "Audit", "--priority", "urgent", "--db", str(team)
    )
    assert code == 2 and "invalid choice: 'urgent'" in err  # cannot be read: a usage error
    assert team.read_bytes() == before


def test_edit_changes_only_what_is_given_and_says_what(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(
        capsys, "partner", "edit", "payroll", "--priority", "low", "--needs", "advice",
        "--db", str(team),
    )  # fmt: skip
    assert code == 0 and "changed 'Payroll' (partner 1)" in err and ": priority, needs" in err
    payroll = partners(team)["1"]
    assert (payroll["priority"], payroll["needs"], payroll["relationship"]) == (
        "low",
        ["advice"],
        "customer",  # as it was
    )
    assert payroll["rev"] == 2
    code, _, err = ictui(capsys, "partner", "edit", "#1", "--priority", "low", "--db", str(team))
    assert code == 0 and "is so already; nothing was written" in err
    assert partners(team)["1"]["rev"] == 2


def test_edit_with_nothing_to_change_or_no_such_partner_is_refused(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(capsys, "partner", "edit", "Payroll", "--db", str(team))
    assert code == 2 and "say what to change: --way" in err
    code, _, err = ictui(capsys, "partner", "edit", "Nobody", "--kind", "person", "--db", str(team))
    assert code == 1 and "no partner is named 'Nobody'" in err
