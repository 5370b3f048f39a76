"""`ictui standard ...` and standards in `ictui demo`, `export` and `check`, as run.

Commands run in this process see the tests' fixed day (20 November 2026): the last
completed month is 2026-10, week 2026-W46 and quarter 2026-Q3.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import read_target
from ictui.kinds.vocab import CheckInResult, Side, StandardStatus
from ictui.outputs.demo import STANDARDS, write_demo
from ictui.services.standards import standards_listing
from ictui.teamfile.store import Store

from .conftest import (
    ESCAPE_BYTES,
    HOSTILE,
    TODAY,
    checked,
    fixed_clock,
    ictui,
    ictui_env,
    run_ictui,
)
from .test_cli import probe

pytestmark = pytest.mark.usefixtures("no_ictui_environment", "fixed_day")


@pytest.fixture
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give the stores that commands in this process make the tests' fixed clock."""
    from ictui.outputs import cli

    made = cli._store

    def on_the_fixed_day(args: Any, path: Path | None = None) -> Store:
        store = made(args, path)
        if args.parser.prog != "ictui demo":  # a demo is written for the real day
            store.clock = fixed_clock
        return store

    monkeypatch.setattr(cli, "_store", on_the_fixed_day)


Run = tuple[int, str, str]


def add(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> Run:
    base = [
        "standard", "add", "--db", str(db), "--partner", "Payroll",
        "--standard", "Payroll queries answered within 2 working days",
        "--target", "within 2 working days", "--cadence", "monthly",
    ]  # fmt: skip
    return ictui(capsys, *base, *extra)


def checkin(capsys: pytest.CaptureFixture[str], db: Path, standard: int, *extra: str) -> Run:
    return ictui(capsys, "standard", "checkin", str(standard), "--db", str(db), *extra)


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], team_path: Path) -> Path:
    """A team with three agreed standards (monthly, weekly rule, quarterly) and one proposed."""
    assert add(capsys, team_path, "--agreed", "--agreed-on", "2026-01-05")[0] == 0
    assert add(
        capsys, team_path, "--rule", "--standard", "Payroll sends changes by the 20th",
        "--target", "yes: changes received by the 20th", "--cadence", "weekly",
        "--agreed", "--agreed-on", "2026-09-01",
    )[0] == 0  # fmt: skip
    assert add(
        capsys, team_path, "--partner", "Sales Operations", "--standard", "Forecast on time",
        "--target", "by 09:00", "--cadence", "quarterly", "--agreed", "--agreed-on", "2026-01-05",
    )[0] == 0  # fmt: skip
    assert add(capsys, team_path, "--partner", "Legal", "--target", "≥ 95 %")[0] == 0
    return team_path


def standard(db: Path, standard_id: int) -> Standard:
    found = Store(db).read().get(Standard, standard_id)
    assert found is not None
    return found


def check_ins(db: Path) -> list[CheckIn]:
    return Store(db).read().all(CheckIn)


# -- add ---------------------------------------------------------------------------------------


def test_add_prints_the_id_and_adds_a_new_partner_once(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, err = add(capsys, team_path, "--owner", "Amara", "--measure", "working days")
    assert (code, out) == (0, "1\n")
    assert "started a new team file" in err and "new partner “Payroll” (id 1)" in err
    code, out, err = add(
        capsys, team_path, "--partner", " payroll ", "--rule",
        "--standard", "Send changes by the 20th", "--target", "yes: changes by the 20th",
        "--how", "their email", "--agreed", "--agreed-with", "Jo Martin",
        "--agreed-on", "2026-03-02",
    )  # fmt: skip
    assert (code, out, err) == (0, "2\n", "")
    snapshot = Store(team_path).read()
    assert len(snapshot.all(Partner)) == 1
    ours, theirs = snapshot.all(Standard)
    assert (ours.side, ours.status, ours.agreed_on) == (Side.OURS, StandardStatus.PROPOSED, None)
    assert (ours.target, ours.owner, ours.measure) == ("≤ 2 working days", "Amara", "working days")
    assert (theirs.side, theirs.status) == (Side.THEIRS, StandardStatus.AGREED)
    assert (theirs.agreed_with, theirs.measured_how) == ("Jo Martin", "their email")
    assert str(theirs.agreed_on) == "2026-03-02" and theirs.partner_id == ours.partner_id


def test_add_agreed_is_agreed_today_unless_told(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    assert add(capsys, team_path, "--agreed")[0] == 0
    assert standard(team_path, 1).agreed_on == TODAY


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--target", "better communication"], "--target “better communication” cannot be checked"),
        (
            ["--target", "≥ 150 %"],
            "--target “≥ 150 %” cannot be checked: a percentage runs from 0 to 100",
        ),
        (["--target", " "], "--target is required: say how you will know it is met"),
        (["--standard", " "], "--standard is required"),
        (["--partner", " "], "--partner is required"),
        (
            ["--agreed", "--agreed-on", "1999-01-01"],
            "--agreed-on 1999-01-01 is too far in the past",
        ),
        (["--interview", "4"], "--interview names interview 4, which does not exist"),
    ],
)
def test_add_refuses_a_value_by_its_flag_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str], said: str
) -> None:
    code, out, err = add(capsys, team_path, *extra)
    assert (code, out) == (1, "")
    assert said in err and "nothing was written" in err
    assert not team_path.exists()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--cadence", "yearly"], "argument --cadence: invalid choice: 'yearly'"),
        (["--agreed-with", "Jo"], "--agreed-with goes with --agreed"),
        (["--agreed-on", "2026-01-01", "--agreed-with", "Jo"], "go with --agreed"),
        (["--agreed", "--agreed-on", "soon"], "'soon' is not a date"),
    ],
)
def test_add_with_arguments_that_do_not_fit_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str], said: str
) -> None:
    code, out, err = add(capsys, team_path, *extra)
    assert (code, out) == (2, "")
    assert said in err and "usage: ictui standard add" in err
    assert not team_path.exists()


# -- check in ----------------------------------------------------------------------------------


def test_checkin_defaults_to_the_last_completed_period_of_each_cadence(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    assert checkin(capsys, team, 1, "--met")[1] == "standard 1, 2026-10: met\n"
    assert checkin(capsys, team, 2, "--not-met")[1] == "standard 2, 2026-W46: not met\n"
    assert checkin(capsys, team, 3, "--not-measured")[1] == "standard 3, 2026-Q3: not measured\n"
    written = {(c.standard_id, c.period, c.result) for c in check_ins(team)}
    assert written == {
        (1, "2026-10", CheckInResult.MET),
        (2, "2026-W46", CheckInResult.NOT_MET),
        (3, "2026-Q3", CheckInResult.NOT_MEASURED),
    }


def test_a_checkin_for_the_current_period_is_written_and_said_to_come_early(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, err = checkin(capsys, team, 1, "--met", "--period", "2026-11")
    assert (code, out) == (0, "standard 1, 2026-11: met\n")
    assert err == (
        "ictui: 2026-11 is not over yet: it runs until 30 November 2026, "
        "so this check-in comes early\n"
    )
    assert {(c.standard_id, c.period) for c in check_ins(team)} == {(1, "2026-11")}
    # A period that is over says nothing more.
    assert checkin(capsys, team, 1, "--met", "--period", "2026-10")[2] == ""


def test_a_result_said_against_its_value_is_kept_and_said(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    # Found by trying: --met --value 9 against "≤ 2 working days" passed without a word.
    code, out, err = checkin(capsys, team, 1, "--met", "--value", "9", "--period", "2026-09")
    assert code == 0 and out.startswith("standard 1, 2026-09: met")
    assert err == "ictui: 9 misses the target (≤ 2 working days); kept as met, as you said\n"
    err = checkin(capsys, team, 1, "--not-met", "--value", "1", "--period", "2026-08")[2]
    assert err == "ictui: 1 meets the target (≤ 2 working days); kept as not met, as you said\n"
    assert checkin(capsys, team, 1, "--met", "--value", "1", "--period", "2026-07")[2] == ""
    results = {c.period: c.result for c in check_ins(team)}
    assert results["2026-09"] is CheckInResult.MET  # kept: a person may know better


def test_a_second_checkin_for_a_period_replaces_the_first_and_its_history_keeps_it(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met", "--period", "2026-09", "--value", "1")
    code, out, err = checkin(
        capsys, team, 1, "--not-met", "--period", "2026-09", "--value", "3", "--note", "late",
        "--by", "Ben",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "standard 1, 2026-09: not met, measured 3 working days "
        "(replaced met, measured 1 working day)\n"
    )
    (only,) = check_ins(team)
    assert (only.result, only.value, only.note, only.checked_by, only.rev) == (
        CheckInResult.NOT_MET, "3 working days", "late", "Ben", 2,
    )  # fmt: skip
    history = Store(team).read().history(CheckIn, only.id)
    assert history is not None and len(history.versions) == 2


def test_checkin_judges_a_value_against_the_target_when_no_result_is_said(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = checkin(capsys, team, 1, "--value", "1.5", "--period", "2026-08")
    assert (code, out) == (
        0,
        "standard 1, 2026-08: met, measured 1.5 working days, judged against ≤ 2 working days\n",
    )
    code, out, _ = checkin(capsys, team, 3, "--value", "09:20")
    assert out.startswith("standard 3, 2026-Q3: not met, measured 09:20")
    assert checkin(capsys, team, 2, "--value", "yes")[1].startswith("standard 2, 2026-W46: met")


def test_checkin_names_who_checked_by_their_display_name(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met", "--user", "Dev Patel")
    (written,) = check_ins(team)
    assert written.checked_by == "Dev Patel"
    assert written.created_by.name == "Dev Patel"


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ([], "--met, --not-met or --not-measured is required, or --value with a number of "
             "working days to judge against ≤ 2 working days"),
        (["--value", "soon"], "--value “soon” cannot be judged against ≤ 2 working days"),
        (["--met", "--period", "2026-W40"], "--period must be a month written like 2026-11: "
                                            "this standard is checked monthly"),
        (["--met", "--period", "2027-01"], "--period 2027-01 has not begun yet"),
        (["--met", "--period", "2026-13"], "--period must be a month"),
        (["--met", "--period", "1999-01"], "--period must be 2000-01 or later"),
        (["--met", "--period", "2026-14"], "--period must be a month from 2026-01 to 2026-12: "
                                           "there is no month 14"),
        (["--met", "--note", "x" * 5000], "--note"),
        (["--met", "--period", "2001-05"], "--period 2001-05 is over a year before the standard "
                                           "was written down or agreed"),
        (["--value", "-3"], "--value “-3” is a length of time, which is never below 0"),
    ],
)  # fmt: skip
def test_checkin_refuses_clearly_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], team: Path, extra: list[str], said: str
) -> None:
    before = team.read_bytes()
    code, out, err = checkin(capsys, team, 1, *extra)
    assert (code, out) == (1, "")
    assert said in err and "nothing was written" in err
    assert team.read_bytes() == before


@pytest.mark.parametrize("result", [[], ["--met"]])
@pytest.mark.parametrize(
    ("standard_id", "value", "said"),
    [
        (1, "3 hours", "--value “3 hours” is not in working days, the unit of the target "
                       "≤ 2 working days: give a number of working days"),
        (1, "2 days", "--value “2 days” is not in working days"),
        (4, "3 hours", "--value “3 hours” is not a percentage, as the target ≥ 95 % is"),
        (4, "150", "--value “150” is no percentage: a percentage runs from 0 to 100"),
        (4, "101 %", "--value “101 %” is no percentage"),
    ],
)  # fmt: skip
def test_checkin_refuses_a_value_in_a_unit_the_target_cannot_take(
    capsys: pytest.CaptureFixture[str],
    team: Path,
    standard_id: int,
    value: str,
    said: str,
    result: list[str],
) -> None:
    before = team.read_bytes()
    code, out, err = checkin(capsys, team, standard_id, "--value", value, *result)
    assert (code, out) == (1, "")
    assert said in err and "nothing was written" in err
    assert team.read_bytes() == before


def test_checkin_converts_a_value_whose_unit_converts_exactly(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    assert add(capsys, team, "--standard", "Calls back", "--target", "≤ 2 hours")[0] == 0
    code, out, err = checkin(capsys, team, 5, "--value", "90 minutes")
    assert (code, err) == (0, "")
    assert out == "standard 5, 2026-10: met, measured 90 minutes, judged against ≤ 2 hours\n"
    code, out, _ = checkin(capsys, team, 4, "--value", "96 %")
    assert out == "standard 4, 2026-10: met, measured 96 %, judged against ≥ 95 %\n"


def test_checkin_keeps_a_bare_number_in_the_targets_unit(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, err = checkin(capsys, team, 4, "--value", "96", "--period", "2026-09")
    assert (code, err) == (0, "")
    assert out == "standard 4, 2026-09: met, measured 96 %, judged against ≥ 95 %\n"
    (written,) = check_ins(team)
    assert written.value == "96 %"


def test_checkin_of_no_such_standard_or_two_results_is_refused(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = checkin(capsys, team, 99, "--met")
    assert code == 1 and "there is no standard with id 99" in err
    code, _, err = checkin(capsys, team, 1, "--met", "--not-met")
    assert code == 2 and "not allowed with argument --met" in err
    code, _, err = ictui(capsys, "standard", "check-in", "1", "--db", str(team), "--met")
    assert code == 0  # the design's spelling works too


# -- list --------------------------------------------------------------------------------------


def test_list_piped_gives_one_line_per_standard_with_how_it_stands(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    for period, result in (("2026-08", "--met"), ("2026-09", "--not-met"), ("2026-10", "--met")):
        checkin(capsys, team, 1, result, "--period", period)
    code, out, err = ictui(capsys, "standard", "list", "--db", str(team))
    assert (code, err) == (0, "")
    header, *lines = [line.split("\t") for line in out.splitlines()]
    assert header == [
        "id", "partner", "whose", "standard", "target", "cadence", "status", "last_6",
        "compliance_percent", "due",
    ]  # fmt: skip
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in lines}
    assert [row[0] for row in lines] == ["4", "1", "2", "3"]  # by partner; ours first, agreed first
    assert rows["1"] == {
        "id": "1", "partner": "Payroll", "whose": "we",
        "standard": "Payroll queries answered within 2 working days",
        "target": "≤ 2 working days", "cadence": "monthly", "status": "agreed",
        "last_6": "···✓✗✓", "compliance_percent": "67", "due": "",
    }  # fmt: skip
    assert (rows["2"]["whose"], rows["2"]["due"], rows["2"]["cadence"]) == (
        "they",
        "2026-W46",
        "weekly",
    )
    assert (rows["3"]["due"], rows["4"]["status"], rows["4"]["due"]) == ("2026-Q3", "proposed", "")


def test_list_as_csv_has_the_same_columns(capsys: pytest.CaptureFixture[str], team: Path) -> None:
    _, tsv, _ = ictui(capsys, "standard", "list", "--db", str(team), "--format", "tsv")
    _, out, _ = ictui(capsys, "standard", "list", "--db", str(team), "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [line.split("\t") for line in tsv.splitlines()]


def test_list_due_shows_only_what_is_due_and_says_when_nothing_is(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met")
    code, out, _ = ictui(capsys, "standard", "list", "--db", str(team), "--due")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == ["id", "2", "3"]
    checkin(capsys, team, 2, "--met")
    checkin(capsys, team, 3, "--met")
    code, out, err = ictui(capsys, "standard", "list", "--db", str(team), "--due")
    assert (code, out.splitlines()[1:]) == (0, [])
    assert "nothing is due" in err


def test_list_by_partner_and_of_a_team_with_no_standards(
    capsys: pytest.CaptureFixture[str], team: Path, tmp_path: Path
) -> None:
    code, out, _ = ictui(capsys, "standard", "list", "--db", str(team), "--partner", "legal")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == ["id", "4"]
    empty = Store(tmp_path / "empty.json", clock=fixed_clock)
    with empty.transaction(create=True) as tx:
        tx.new(Partner, name="Payroll")
    code, out, err = ictui(capsys, "standard", "list", "--db", str(empty.path))
    assert (code, len(out.splitlines())) == (0, 1)
    assert "no standards in" in err and "ictui standard add" in err
    code, _, err = ictui(capsys, "standard", "list", "--db", str(team), "--partner", "Nobody")
    assert code == 1 and "no partner is named 'Nobody'" in err


def test_list_on_a_terminal_is_a_table_with_a_summary(
    capsys: pytest.CaptureFixture[str], team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    checkin(capsys, team, 1, "--not-met")
    code, out, _ = ictui(capsys, "standard", "list", "--db", str(team), "--format", "table")
    assert code == 0
    header, *rows, summary = out.splitlines()
    assert header.split() == [
        "ID", "Partner", "Whose", "Standard", "Target", "Cadence", "Status", "Last", "6",
        "Kept", "Due",
    ]  # fmt: skip
    assert any(row.split()[:3] == ["1", "Payroll", "we"] and "0 %" in row for row in rows)
    assert summary == "3 standards, 1 partnering rule: 1 proposed, 3 agreed; 2 due"


@pytest.mark.parametrize("columns", [60, 80, 100, 140])
def test_the_table_fits_the_terminal_and_cuts_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
) -> None:
    from rich.cells import cell_len

    path = tmp_path / "demo.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 5, interviews=0)
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = ictui(capsys, "standard", "list", "--db", str(path), "--format", "table")
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) <= columns
    flat = " ".join(out.split())
    for row in standards_listing(Store(path).read(), TODAY):
        for word in (*row.standard.standard.split(), *row.partner.split()):
            assert word in flat


# -- show, agree, retire -----------------------------------------------------------------------


def test_show_prints_the_standard_its_check_ins_newest_first_and_its_evidence(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--not-met", "--period", "2026-09", "--note", "two were late\nsorry")
    store = Store(team, clock=fixed_clock)
    with store.transaction() as tx:
        # As an older ictui kept a value: the bare number, without the target's unit.
        tx.add(checked(CheckIn, standard_id=1, period="2026-08", result="met", value="1"))
        tx.add(
            checked(
                ContactPoint, partner_id=1, date=TODAY, direction="provided",
                verdict="success", why="Answered in a day", standard_id=1,
            )
        )  # fmt: skip
    code, out, _ = ictui(capsys, "standard", "show", "1", "--db", str(team))
    assert code == 0
    assert out.startswith("Standard 1, revision 1: standard, we keep it\n")
    assert "Target                        ≤ 2 working days\n" in out
    assert "From interview                (none)\n" in out
    assert "last 6 months, oldest first (2026-05 to 2026-10): ···✓✗·" in out
    assert "compliance 50 % over the last 10 months: 1 met, 1 not met" in out
    assert "due: 2026-10 (October 2026) has no check-in" in out
    newest, older = out.index("2026-09   ✗ not met"), out.index("2026-08   ✓ met")
    assert newest < older and "measured 1 working day  by" in out[older:]  # its unit added
    assert "      two were late\n      sorry\n" in out
    assert (
        "Evidence, contact points tied to it: 1\n  1  2026-11-20  ✓ success  Answered in a day"
        in out
    )


def test_show_of_no_such_standard_is_a_data_error(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, err = ictui(capsys, "standard", "show", "99", "--db", str(team))
    assert (code, out) == (1, "") and "there is no standard with id 99" in err


def test_agree_marks_it_agreed_today_and_says_when_it_is_already(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(
        capsys, "standard", "agree", "4", "--db", str(team), "--agreed-with", "Legal ops"
    )
    assert code == 0 and "agreed standard 4 (Legal: “Payroll queries answered" in err
    agreed = standard(team, 4)
    assert (agreed.status, agreed.agreed_on, agreed.agreed_with) == (
        StandardStatus.AGREED, TODAY, "Legal ops",
    )  # fmt: skip
    before = team.read_bytes()
    code, _, err = ictui(capsys, "standard", "agree", "4", "--db", str(team))
    assert code == 0 and "is agreed already; nothing was written" in err
    assert team.read_bytes() == before


def test_agree_is_refused_while_the_target_cannot_be_checked(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    store = Store(team, clock=fixed_clock)
    with store.transaction() as tx:
        vague = checked(
            Standard, partner_id=1, standard="Communicate better", target="better communication"
        )
        tx.add(vague)  # the app keeps such a target as a note while it is proposed
    code, _, err = ictui(capsys, "standard", "agree", "5", "--db", str(team))
    assert code == 1
    assert "its target “better communication” cannot be checked" in err
    assert "nothing was written" in err and standard(team, 5).status is StandardStatus.PROPOSED


def test_agree_is_refused_on_a_day_still_to_come(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(
        capsys, "standard", "agree", "4", "--db", str(team), "--agreed-on", "2099-01-01"
    )
    assert code == 1
    assert "--agreed-on 2099-01-01 is in the future: mark it agreed once it is" in err
    assert "nothing was written" in err and team.read_bytes() == before


def test_retire_says_why_and_stops_check_ins(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met")
    code, _, err = ictui(capsys, "standard", "retire", "1", "--db", str(team), "--reason", " ")
    assert code == 1 and "--reason is required: say why the standard is retired" in err
    code, _, err = ictui(capsys, "standard", "retire", "1", "--db", str(team))
    assert code == 2 and "the following arguments are required: --reason" in err
    code, _, err = ictui(
        capsys, "standard", "retire", "1", "--db", str(team), "--reason", "Self-service now"
    )
    assert code == 0 and "retired standard 1" in err and "its 1 check-in stays" in err
    retired = standard(team, 1)
    assert (retired.status, retired.retired_reason) == (StandardStatus.RETIRED, "Self-service now")
    code, _, err = checkin(capsys, team, 1, "--met", "--period", "2026-09")
    assert code == 1 and "standard 1 was retired by " in err and ": it is checked no more" in err
    _, out, _ = ictui(capsys, "standard", "list", "--db", str(team), "--due")
    assert "\n1\t" not in out


# -- text people typed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["standard", "list", "--format", "table"],
        ["standard", "list", "--format", "tsv"],
        ["standard", "list", "--format", "csv"],
        ["standard", "show", "1"],
        ["export", "--format", "markdown"],
        ["export", "--format", "csv", "--kind", "check-in"],
        ["export", "--format", "csv", "--kind", "standard"],
    ],
)
def test_hostile_text_is_shown_literally_and_never_reaches_the_terminal(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "team.json"
    text = " ".join(HOSTILE)
    done = run_ictui(
        "standard", "add", "--db", str(db), "--partner", f"=SUM(A1) {HOSTILE[0]}",
        "--standard", text, "--measure", text, "--target", "≥ 95 %", "--cadence", "monthly",
        "--agreed", "--agreed-on", "2026-01-05",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run_ictui(
        "standard", "checkin", "1", "--db", str(db), "--not-met", "--period", "2026-06",
        "--value", "80 %", "--note", text, "--by", HOSTILE[3] + "Eve",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # A hand-edited file can hold anything: what is read back is cleaned too.
    raw = json.loads(db.read_text())
    raw["check_ins"]["1"]["note"] = "\x1b[2Jcleared? [/] \x9b31mred?"
    db.write_text(json.dumps(raw))
    result = run_ictui(*command, "--db", str(db), COLUMNS="400")
    assert result.returncode == 0, result.stderr
    for forbidden in ESCAPE_BYTES:
        assert forbidden not in result.stdout and forbidden not in result.stderr
    out = result.stdout.decode()
    assert "PWNED" not in out
    assert "cleared?" in out and "evil RTL override" in out and "שלום" in out
    if command[:2] == ["export", "--format"] and command[2] == "markdown":
        assert "\\[bold\\]not bold\\[/bold\\]" in out  # escaped, shown as typed
        assert "| =SUM(A1) \\[/\\] |" in out
    elif "csv" in command:
        assert "'=SUM(A1) [/]" in out and ",=SUM" not in out  # never a formula
    else:
        assert "[bold]not bold[/bold]" in out


def test_text_that_starts_like_a_formula_is_kept_from_spreadsheets_in_every_csv(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    add(capsys, team_path, "--standard", '=HYPERLINK("http://x")', "--agreed")
    checkin(capsys, team_path, 1, "--met", "--note", "+1 and more")
    _, out, _ = ictui(capsys, "standard", "list", "--db", str(team_path), "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["standard"] == '\'=HYPERLINK("http://x")'
    _, out, _ = ictui(
        capsys, "export", "--db", str(team_path), "--format", "csv", "--kind", "check-in"
    )
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert (row["note"], row["standard_text"]) == ("'+1 and more", '\'=HYPERLINK("http://x")')


# -- several scripts at once -------------------------------------------------------------------

LANE = """
import subprocess, sys
db, standard = sys.argv[1], sys.argv[2]
for month in range(1, 6):
    result = "--met" if (month + int(standard)) % 2 else "--not-met"
    done = subprocess.run(
        [sys.executable, "-m", "ictui", "standard", "checkin", standard, "--db", db, result,
         "--period", f"2025-{month:02d}", "--note", f"lane {standard}, month {month}"],
        capture_output=True, text=True, timeout=120,
    )
    print(done.returncode, done.stdout.strip(), done.stderr.strip(), sep="|", flush=True)
"""
"""One script: five check-ins, one after the other, each by its own `ictui standard checkin`."""


@pytest.mark.slow
def test_six_scripts_checking_in_at_once_lose_nothing(make_store: Callable[..., Store]) -> None:
    store = make_store()
    with store.transaction(create=True) as tx:
        partner = tx.new(Partner, name="Payroll")
        for n in range(6):
            tx.add(
                checked(
                    Standard, partner_id=partner.id, standard=f"Standard {n + 1}",
                    target="≤ 2 working days", status="agreed", agreed_on=TODAY.replace(year=2025),
                )
            )  # fmt: skip
    lanes = [
        subprocess.Popen(
            [sys.executable, "-c", LANE, str(store.path), str(n)],
            stdout=subprocess.PIPE,
            env=ictui_env(),
            text=True,
        )
        for n in range(1, 7)
    ]
    said = [lane.communicate(timeout=600)[0].splitlines() for lane in lanes]
    assert [lane.returncode for lane in lanes] == [0] * 6
    for lines in said:
        assert len(lines) == 5 and all(line.startswith("0|standard ") for line in lines), lines
    snapshot = store.read()
    written = snapshot.all(CheckIn)
    assert snapshot.problems == ()
    assert len(written) == 30 and sorted(c.id for c in written) == list(range(1, 31))
    assert {(c.standard_id, c.period) for c in written} == {
        (n, f"2025-{month:02d}") for n in range(1, 7) for month in range(1, 6)
    }
    for c in written:
        month = int(c.period[-2:])
        met = (month + c.standard_id) % 2 == 1
        assert c.result is (CheckInResult.MET if met else CheckInResult.NOT_MET)
        assert c.note == f"lane {c.standard_id}, month {month}"


# -- demo, export, check -----------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 60)
    return path


def test_the_demo_holds_standards_both_ways_with_a_year_of_check_ins_some_due(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    snapshot = Store(demo).read()
    assert snapshot.problems == ()
    rows = standards_listing(snapshot, TODAY)
    assert len(rows) == len(STANDARDS)
    assert {row.standard.side for row in rows} == set(Side)
    statuses = [row.standard.status for row in rows]
    assert statuses.count(StandardStatus.PROPOSED) == 2
    assert statuses.count(StandardStatus.AGREED) > len(rows) / 2
    (retired,) = [row.standard for row in rows if row.standard.status is StandardStatus.RETIRED]
    assert retired.retired_reason
    check_ins = snapshot.all(CheckIn)
    assert {c.result for c in check_ins} == set(CheckInResult)
    monthly = [c.period for c in check_ins if c.standard_id == 1]
    assert len(monthly) >= 12 and max(monthly) == "2026-10"
    standards = {row.standard.id: row.standard for row in rows}
    for c in check_ins:  # every value measured fits its target's verdict
        target = read_target(standards[c.standard_id].target)
        if c.value:
            assert target is not None and target.judge(c.value) is (c.result is CheckInResult.MET)
    assert max(c.created_at for c in check_ins) <= fixed_clock()
    tied = [(p, p.standard_id) for p in snapshot.all(ContactPoint) if p.standard_id is not None]
    assert tied and all(standards[s].partner_id == p.partner_id for p, s in tied)
    code, out, _ = ictui(capsys, "standard", "list", "--db", str(demo), "--due")
    due = [line.split("\t") for line in out.splitlines()[1:]]
    assert code == 0 and len(due) == 3
    assert {row[-1] for row in due} == {"2026-10", "2026-Q3"}


def test_demo_takes_a_number_of_standards_for_benchmarks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bench.json"
    code, out, err = ictui(
        capsys, "demo", str(path), "--contacts", "5", "--standards", "40", "--interviews", "3"
    )
    assert code == 0 and out.strip() == str(path) and "wrote a demo team" in err
    raw = json.loads(path.read_text())
    assert len(raw["standards"]) == 40 and len(raw["interviews"]) == 3
    assert len(raw["check_ins"]) > 40 * 4
    code, _, _ = ictui(capsys, "demo", str(tmp_path / "none.json"), "--standards", "0")
    assert code == 0 and json.loads((tmp_path / "none.json").read_text())["standards"] == {}
    code, _, err = ictui(capsys, "demo", str(tmp_path / "no.json"), "--standards", "-1")
    assert code == 1 and "--standards must be between 0 and" in err
    code, _, err = ictui(capsys, "demo", str(tmp_path / "no.json"), "--standards", "many")
    assert code == 2 and "'many' is not a whole number" in err
    code, out, _ = ictui(capsys, "demo", "--help")
    assert "--standards N" in out and "--interviews N" in out


def test_check_counts_standards_and_check_ins_and_names_a_broken_one(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    snapshot = Store(demo).read()
    count = len(snapshot.all(CheckIn))
    code, out, _ = ictui(capsys, "check", "--db", str(demo))
    assert code == 0 and f"{len(STANDARDS)} standards, {count} check-ins" in out
    raw = json.loads(demo.read_text())
    raw["check_ins"]["1"]["period"] = "2026-13"
    raw["check_ins"]["2"]["standard_id"] = 777
    raw["standards"]["3"]["status"] = "maybe"
    demo.write_text(json.dumps(raw))
    code, _, err = ictui(capsys, "check", "--db", str(demo))
    assert code == 1
    assert "check_ins 1: period must be a week, month or quarter" in err
    assert "check_ins 2: standard_id names standard 777, which does not exist" in err
    assert "standards 3: status" in err


def test_export_csv_gives_one_row_per_check_in_with_its_standard(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met", "--period", "2026-09", "--value", "1")
    checkin(capsys, team, 1, "--not-met", "--period", "2026-10", "--note", "slow")
    checkin(capsys, team, 2, "--met")
    code, out, _ = ictui(
        capsys, "export", "--db", str(team), "--format", "csv", "--kind", "check-in"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["standard"], r["period"], r["result"], r["partner"], r["side"]) for r in rows] == [
        ("#1", "2026-09", "met", "Payroll", "ours"),
        ("#1", "2026-10", "not-met", "Payroll", "ours"),
        ("#2", "2026-W46", "met", "Payroll", "theirs"),
    ]
    assert rows[0]["standard_text"] == "Payroll queries answered within 2 working days"
    assert rows[1]["note"] == "slow" and rows[0]["value"] == "1 working day"


def test_export_markdown_has_the_standards_and_their_check_ins(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--not-met", "--value", "3", "--note", "two *late*")
    code, out, _ = ictui(capsys, "export", "--db", str(team), "--format", "markdown")
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## By partner", "## Log", "## Interviews"]  # contact points first
    assert "## Standards and partnering rules" in headings
    assert "## Check-ins" not in headings  # inside the standards' section
    assert (
        "| 1 | Payroll | we | Payroll queries answered within 2 working days | ≤ 2 working days "
        "| monthly | agreed | ·····✗ | 0 % |  |" in out
    )
    sales = "| 3 | Sales Operations | we | Forecast on time | by 09:00 | quarterly | agreed |"
    assert f"{sales} ··· |  | 2026-Q3 |" in out
    assert "### Check-ins" in out
    assert "| 1 | 2026-10 | ✗ not met | 3 working days |" in out and "| two \\*late\\* |" in out


def test_an_export_by_partner_keeps_only_its_standards_and_their_check_ins(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    checkin(capsys, team, 1, "--met")
    checkin(capsys, team, 3, "--met")
    code, out, _ = ictui(
        capsys, "export", "--db", str(team), "--format", "json", "--partner", "sales operations"
    )
    assert code == 0
    document = json.loads(out)
    assert [s["id"] for s in document["standards"]] == [3]
    assert [c["standard_id"] for c in document["check_ins"]] == [3]


# -- the grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["list", "add", "checkin", "show", "agree", "retire"])
def test_every_standard_command_explains_itself(
    capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    code, out, _ = ictui(capsys, "standard", verb, "--help")
    assert code == 0
    usage, description, *_ = out.split("\n\n")
    assert usage.startswith(f"usage: ictui standard {verb}")
    assert len(description.split()) > 12


def test_standard_alone_says_what_it_can_do(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ictui(capsys, "standard")
    assert code == 2 and "say what to do: list, add, checkin, show, agree or retire" in err


@pytest.mark.parametrize(
    "command",
    [["standard", "list"], ["standard", "show", "1"], ["standard", "checkin", "1", "--met"]],
)
def test_standard_commands_never_import_textual(demo: Path, command: list[str]) -> None:
    assert probe(*command, "--db", str(demo))["textual"] == "[]"
