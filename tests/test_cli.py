"""The command line, as a script or a person would use it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.outputs.demo import write_demo
from ictui.teamfile import fileformat
from ictui.teamfile.store import Store

from .conftest import ESCAPE_BYTES, HOSTILE, NOW, TODAY, fixed_clock, ictui, ictui_env, run_ictui
from .test_teamfile import BROKEN

pytestmark = pytest.mark.usefixtures("no_ictui_environment")


def log(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> tuple[int, str, str]:
    base = ["log", "--db", str(db), "--partner", "Payroll", "--verdict", "success", "--why", "ok"]
    return ictui(capsys, *base, *extra)


# -- log -------------------------------------------------------------------------------


def test_log_prints_the_new_id_and_creates_the_partner_once(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, err = log(capsys, team_path, "--direction", "received", "--date", "2026-11-02")
    assert (code, out) == (0, "1\n")
    assert "new partner 'Payroll'" in err
    code, out, err = ictui(
        capsys,
        "log",
        "--db",
        str(team_path),
        "--partner",
        "  payroll ",
        "--verdict",
        "needs-improvement",
        "--why",
        "late",
    )
    assert (code, out, err) == (0, "2\n", "")
    data = json.loads(team_path.read_text())
    assert len(data["partners"]) == 1
    assert data["partners"]["1"]["relationship"] == "provider"  # first contact: they served us
    assert data["contact_points"]["1"]["date"] == "2026-11-02"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--why", ""], "--why is required; nothing was written"),
        (["--why", "x" * 5000], "--why is too long: 5000 characters (at most 4000)"),
        (["--date", "2099-01-01"], "--date 2099-01-01 is in the future"),
        (["--partner", "p" * 81], "--partner is too long"),
    ],
)
def test_log_refuses_bad_values_saying_which_flag(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str], message: str
) -> None:
    log(capsys, team_path)
    before = team_path.read_bytes()
    code, out, err = log(capsys, team_path, *extra)
    assert code == 1 and out == ""
    assert message in err
    assert "Traceback" not in err
    assert team_path.read_bytes() == before


@pytest.mark.parametrize(
    "extra", [["--verdict", "great"], ["--date", "2026-13-01"], ["--direction", "sideways"]]
)
def test_log_usage_errors_exit_two(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str]
) -> None:
    code, _, err = log(capsys, team_path, *extra)
    assert code == 2
    assert "usage: ictui log" in err
    assert not team_path.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a real day"),
        ("30/11/2026", "'30/11/2026' is not a date; write it YYYY-MM-DD"),
    ],
)
def test_a_bad_date_says_what_is_wrong_with_it(
    capsys: pytest.CaptureFixture[str], team_path: Path, typed: str, message: str
) -> None:
    code, _, err = log(capsys, team_path, "--date", typed)
    assert code == 2
    assert f"argument --date: {message}" in err


def test_log_reads_the_reason_from_stdin(team_path: Path) -> None:
    result = run_ictui(
        "log",
        "--db",
        str(team_path),
        "--partner",
        "IT",
        "--verdict",
        "success",
        "--why",
        "-",
        stdin="Reset the account\nwithin ten minutes\n",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(team_path.read_text())["contact_points"]["1"]["why"] == (
        "Reset the account\nwithin ten minutes"
    )


# -- list ------------------------------------------------------------------------------------


def test_list_filters_and_sorts_newest_first(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    log(capsys, team_path, "--date", "2026-11-01", "--why", "first")
    log(
        capsys,
        team_path,
        "--date",
        "2026-11-10",
        "--why",
        "second",
        "--verdict",
        "needs-improvement",
    )
    ictui(
        capsys,
        "log",
        "--db",
        str(team_path),
        "--partner",
        "Legal",
        "--verdict",
        "success",
        "--why",
        "third",
        "--date",
        "2026-11-05",
    )
    code, out, _ = ictui(capsys, "list", "--db", str(team_path), "--format", "table")
    assert code == 0
    assert out.index("second") < out.index("third") < out.index("first")
    assert "3 contact points: 2 ✓ success, 1 ✗ needs improvement" in out
    # Into a pipe or a file, no line is padded to the width with spaces.
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
    _, out, _ = ictui(capsys, "list", "--db", str(team_path), "--since", "2026-11-05")
    assert "first" not in out and "second" in out and "third" in out
    _, out, _ = ictui(capsys, "list", "--db", str(team_path), "--partner", "LEGAL")
    assert "third" in out and "second" not in out
    _, out, _ = ictui(capsys, "list", "--db", str(team_path), "--verdict", "needs-improvement")
    assert "second" in out and "third" not in out


def test_list_names_the_known_partners_when_one_is_unknown(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    log(capsys, team_path)
    code, _, err = ictui(capsys, "list", "--db", str(team_path), "--partner", "Nobody")
    assert code == 1
    assert "no partner is named 'Nobody' (known partners: Payroll)" in err


@pytest.mark.parametrize("form", ["table", "tsv"])
def test_list_prints_hostile_text_literally_and_no_escape_sequences(
    team_path: Path, form: str
) -> None:
    for n, text in enumerate(HOSTILE):
        result = run_ictui(
            "log",
            "--db",
            str(team_path),
            "--partner",
            f"{text} {n}",
            "--verdict",
            "success",
            "--why",
            f"reason {text}",
        )
        assert result.returncode == 0, result.stderr
    result = run_ictui("list", "--db", str(team_path), "--format", form, COLUMNS="400")
    assert result.returncode == 0
    for forbidden in ESCAPE_BYTES:
        assert forbidden not in result.stdout
    out = result.stdout.decode()
    for shown in (
        "[/]",
        "[bold]not bold[/bold]",
        "[bold",
        "cleared?",
        "evil RTL override",
        "🎉",
        "שלום",
    ):
        assert shown in out
    assert "PWNED" not in out  # the title-setting sequence was dropped, payload and all


def test_a_huge_reason_is_refused_and_the_file_kept(team_path: Path) -> None:
    run_ictui(
        "log", "--db", str(team_path), "--partner", "P", "--verdict", "success", "--why", "ok"
    )
    before = team_path.read_bytes()
    result = run_ictui(
        "log",
        "--db",
        str(team_path),
        "--partner",
        "P",
        "--verdict",
        "success",
        "--why",
        "-",
        stdin="x" * 100_000,
    )
    assert result.returncode == 1
    assert b"--why is too long: more than 8000 characters on stdin (at most 4000)" in result.stderr
    assert team_path.read_bytes() == before


def test_list_survives_a_closed_pipe(team_path: Path) -> None:
    run_ictui("demo", str(team_path), "--contacts", "400")
    shell = f"{sys.executable} -m ictui list --db {team_path} | head -n 1"
    result = subprocess.run(shell, shell=True, capture_output=True, env=ictui_env(), check=False)
    assert b"Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == 1


# -- check -------------------------------------------------------------------------------------


def test_check_summarises_a_sound_file(capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    log(capsys, team_path)
    code, out, _ = ictui(capsys, "check", "--db", str(team_path))
    assert code == 0
    version = fileformat.current_version()
    assert out == (
        f"{team_path}: ok, schema {version}, 1 partner, "
        "0 interviews, 0 interview answers, 0 checklist points, 0 conclusions, "
        "0 template questions, 0 template points, 0 standards, 0 check-ins, 1 contact point, "
        "0 debriefs, 0 debrief points, 0 resolutions, 0 reactions\n"
    )


def test_check_lists_invalid_records(capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    log(capsys, team_path)
    raw = json.loads(team_path.read_text())
    raw["contact_points"]["1"]["date"] = "yesterday-ish"
    raw["contact_points"]["2"] = {
        **raw["contact_points"]["1"],
        "partner_id": 7,
        "date": "2026-11-01",
    }
    team_path.write_text(json.dumps(raw))
    code, out, err = ictui(capsys, "check", "--db", str(team_path))
    assert code == 1 and out == ""
    assert "contact_points 1: date must be a date written YYYY-MM-DD" in err
    assert "contact_points 2: partner_id names partner 7, which does not exist" in err
    assert "2 invalid record(s)" in err


def test_check_says_a_reference_to_an_invalid_record_names_no_missing_one(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    log(capsys, team_path)
    log(capsys, team_path)
    raw = json.loads(team_path.read_text())
    raw["partners"]["1"]["name"] = ""
    raw["contact_points"]["2"]["partner_id"] = 7
    team_path.write_text(json.dumps(raw))
    code, _, err = ictui(capsys, "check", "--db", str(team_path))
    assert code == 1
    lines = [line.strip() for line in err.splitlines()]
    assert lines[:3] == [
        "partners 1: name is required",
        "contact_points 1: partner_id names partner 1, which is not valid (see above)",
        "contact_points 2: partner_id names partner 7, which does not exist",
    ]


@pytest.mark.parametrize("kind", BROKEN)
@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["list"],
        ["export", "--format", "json"],
        ["log", "--partner", "x", "--verdict", "success", "--why", "y"],
    ],
)
def test_every_command_refuses_a_broken_file_untouched(
    capsys: pytest.CaptureFixture[str], team_path: Path, kind: str, command: list[str]
) -> None:
    data, reason = BROKEN[kind]
    team_path.write_bytes(data)
    code, out, err = ictui(capsys, *command, "--db", str(team_path))
    assert code == 1 and out == ""
    assert str(team_path) in err and reason in err
    assert "Traceback" not in err
    assert team_path.read_bytes() == data


def test_a_missing_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = ictui(capsys, "list", "--db", str(tmp_path / "nope.json"))
    assert code == 1
    assert f"{tmp_path / 'nope.json'}: no team file here" in err


# -- export ----------------------------------------------------------------------------------


def test_export_json_holds_partners_and_live_contact_points(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    log(capsys, team_path)
    log(capsys, team_path, "--why", "second")
    from ictui.teamfile.store import Store

    Store(team_path).delete(ContactPoint, 1, 1)
    code, out, _ = ictui(capsys, "export", "--db", str(team_path), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["format"] == "ictui-export"
    assert [p["name"] for p in document["partners"]] == ["Payroll"]
    assert [c["why"] for c in document["contact_points"]] == ["second"]


def test_export_csv_keeps_text_as_text(capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    log(capsys, team_path, "--why", '=HYPERLINK("http://evil")')
    log(capsys, team_path, "--why", 'comma, "quote"\nand newline')
    code, out, _ = ictui(capsys, "export", "--db", str(team_path), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["why"] == 'comma, "quote"\nand newline'
    assert rows[1]["why"] == '\'=HYPERLINK("http://evil")'  # not run as a formula
    assert rows[0]["verdict"] == "success" and rows[0]["partner"] == "Payroll"


def test_export_markdown_escapes_people_text(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    ictui(
        capsys,
        "log",
        "--db",
        str(team_path),
        "--partner",
        "A|B",
        "--verdict",
        "success",
        "--why",
        "*not bold* <b>x</b> [link](y)",
    )
    code, out, _ = ictui(capsys, "export", "--db", str(team_path), "--format", "markdown")
    assert code == 0
    assert "| A\\|B | 1 | 0 |" in out
    assert "\\*not bold\\* \\<b\\>x\\</b\\> \\[link\\](y)" in out
    assert "✓ success" in out


@pytest.mark.parametrize("names", ["team", "symlink", "hardlink", "lock", "backup"])
def test_export_never_writes_over_the_team_files_own_files(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path, names: str
) -> None:
    log(capsys, team_path)
    target = {
        "team": team_path,
        "symlink": tmp_path / "elsewhere.json",
        "hardlink": tmp_path / "hard.json",
        "lock": team_path.with_name(team_path.name + ".lock"),
        "backup": team_path.with_name(team_path.name + ".schema0-20260101T000000.bak"),
    }[names]
    if names == "symlink":
        target.symlink_to(team_path)
    elif names == "hardlink":
        target.hardlink_to(team_path)
    before = team_path.read_bytes()
    target_before = target.read_bytes() if target.exists() else None
    code, out, err = ictui(
        capsys, "export", "--db", str(team_path), "--format", "csv", "--output", str(target)
    )
    assert code == 2 and out == ""
    assert "--output" in err and str(target) in err and "write the export elsewhere" in err
    assert err.startswith("usage: ictui export")  # the command's usage, not the top level's
    assert team_path.read_bytes() == before
    assert (target.read_bytes() if target.exists() else None) == target_before


def test_export_to_a_file(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    log(capsys, team_path)
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    code, out, err = ictui(
        capsys, "export", "--db", str(team_path), "--format", "markdown", "--output", str(target)
    )
    assert code == 0 and out == ""
    assert target.read_text().startswith("# Contact points: team")
    code, _, err = ictui(
        capsys,
        "export",
        "--db",
        str(team_path),
        "--format",
        "csv",
        "--output",
        str(tmp_path / "no" / "x.csv"),
    )
    assert code == 1 and "cannot write the export" in err


# -- demo ---------------------------------------------------------------------------------------


def test_demo_writes_a_team_and_never_overwrites(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, _ = ictui(capsys, "demo", str(team_path), "--contacts", "25")
    assert code == 0 and out.strip() == str(team_path)
    raw = json.loads(team_path.read_text())
    assert len(raw["contact_points"]) == 25
    relationships = {p["relationship"] for p in raw["partners"].values()}
    assert {"customer", "provider"} <= relationships
    before = team_path.read_bytes()
    code, _, err = ictui(capsys, "demo", str(team_path))
    assert code == 1 and "already exists" in err
    assert team_path.read_bytes() == before


def test_the_demo_logs_nothing_later_than_now(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.json", clock=fixed_clock)
    write_demo(store, TODAY, 200)
    points = store.read().all(ContactPoint)
    assert any(p.date == TODAY for p in points)
    assert max(p.created_at for p in points) <= NOW


def test_demo_path_or_db_but_not_two_different_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = ictui(capsys, "demo", str(tmp_path / "a.json"), "--db", str(tmp_path / "b.json"))
    assert code == 2 and "not both" in err
    code, out, _ = ictui(capsys, "demo", "--db", str(tmp_path / "b.json"), "--contacts", "0")
    assert code == 0 and out.strip() == str(tmp_path / "b.json")
    code, _, err = ictui(capsys, "demo", str(tmp_path / "c.json"), "--contacts", "-3")
    assert code == 1 and "between 0 and" in err


def test_the_default_team_file_is_in_the_user_data_folder(tmp_path: Path) -> None:
    home = {"XDG_DATA_HOME": str(tmp_path / "data")}
    result = run_ictui("log", "--partner", "P", "--verdict", "success", "--why", "w", **home)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "ictui" / "team.json").exists()
    result = run_ictui("demo", **home)
    assert result.stdout.decode().strip() == str(tmp_path / "data" / "ictui" / "demo.json")
    elsewhere = tmp_path / "env.json"
    result = run_ictui(
        "log",
        "--partner",
        "P",
        "--verdict",
        "success",
        "--why",
        "w",
        ICTUI_DB=str(elsewhere),
        **home,
    )
    assert result.returncode == 0 and elsewhere.exists()


# -- the command line stays light ---------------------------------------------------------------

PROBE = """
import sys
from ictui.outputs.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
for package in ("textual", "pydantic"):
    loaded = sorted(name for name in sys.modules if name.split(".")[0] == package)
    print(f"{package} modules:", loaded)
"""


def probe(*args: str) -> dict[str, str]:
    """Run a command in a fresh interpreter; return which packages' modules it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        env=ictui_env(),
        check=False,
        timeout=60,
    )
    lines = result.stdout.decode().splitlines()
    assert len(lines) >= 2, result.stderr
    return dict(line.split(" modules: ") for line in lines[-2:])


@pytest.mark.parametrize(
    "command",
    [
        ["log", "--partner", "P", "--verdict", "success", "--why", "w"],
        ["list"],
        ["export", "--format", "json"],
        ["export", "--format", "csv"],
        ["export", "--format", "markdown"],
        ["check"],
        ["--help"],
    ],
)
def test_commands_other_than_the_app_never_import_textual(
    team_path: Path, command: list[str]
) -> None:
    run_ictui("demo", str(team_path), "--contacts", "5")
    db = ["--db", str(team_path)] if command != ["--help"] else []
    assert probe(*command, *db)["textual"] == "[]"


def test_check_needs_neither_textual_nor_pydantics_models(team_path: Path) -> None:
    # Only pydantic-core: importing pydantic's models costs half of Textual's start.
    run_ictui("demo", str(team_path), "--contacts", "5")
    assert probe("check", "--db", str(team_path)) == {"textual": "[]", "pydantic": "[]"}


def test_demo_never_imports_textual(tmp_path: Path) -> None:
    assert probe("demo", str(tmp_path / "d.json"))["textual"] == "[]"


def test_python_dash_m_and_version() -> None:
    result = run_ictui("--version")
    assert result.returncode == 0 and result.stdout.startswith(b"ictui ")


@pytest.mark.parametrize("keys_from", ["a pipe", "a terminal"])
def test_the_app_without_a_terminal_says_so_and_writes_nothing(
    team_path: Path, keys_from: str
) -> None:
    run_ictui("demo", str(team_path), "--contacts", "5")
    before = team_path.read_bytes()
    # The screen (stderr) always goes into a pipe here, as with `ictui 2>log`.
    master, keys = os.openpty() if keys_from == "a terminal" else (-1, subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ictui", "--db", str(team_path)],
            stdin=keys,
            capture_output=True,
            env=ictui_env(),
            timeout=30,  # without the refusal, the app waits for keys that never come
            check=False,
        )
    finally:
        if master != -1:
            os.close(keys)
            os.close(master)
    assert result.returncode == 2
    assert b"the app needs a terminal" in result.stderr
    assert b"\x1b" not in result.stderr + result.stdout  # no screen drawn into the pipe
    assert team_path.read_bytes() == before


@pytest.mark.parametrize("given_by", ["--user", "ICTUI_NAME"])
def test_a_display_name_too_long_is_refused_naming_where_it_came_from(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team_path: Path,
    given_by: str,
) -> None:
    name = "n" * 81
    if given_by == "ICTUI_NAME":
        monkeypatch.setenv("ICTUI_NAME", name)
        code, out, err = log(capsys, team_path)
    else:
        code, out, err = log(capsys, team_path, "--user", name)
    assert (code, out) == (1, "")
    assert f"invalid display name: {given_by} is too long: 81 characters (at most 80)" in err
    assert not team_path.exists()


def test_a_hint_names_the_team_file_in_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "odd name.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 5)
    raw = json.loads(path.read_text())
    raw["contact_points"]["1"]["why"] = ""
    path.write_text(json.dumps(raw))
    code, _, err = ictui(capsys, "list", "--db", str(path))
    assert code == 0
    assert err == (
        f"ictui: 1 record breaks the team file's rules; `ictui check --db '{path}'` says which "
        "and why\n"
    )


def test_a_flag_the_command_does_not_take_is_refused_with_the_commands_own_usage(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    # Found by trying: argparse said it with the top level's usage, `ictui [-h] ... COMMAND`.
    code, _, err = ictui(
        capsys, "standard", "checkin", "3", "--measured", "x", "--db", str(team_path)
    )
    assert code == 2
    assert "usage: ictui standard checkin" in err and "--value V" in err
    assert "unrecognized arguments: --measured x" in err
