"""The command line against a careless or hostile co-worker on the same host (issue 17).

Odd --output targets, hostile paths and environment variables, bidi overrides in
exports, a flood on stdin: none may lose data, hang, crash with a traceback or
reach a terminal raw.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ictui, ictui_env, run_ictui

pytestmark = pytest.mark.usefixtures("no_ictui_environment")


def log(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> tuple[int, str, str]:
    base = ["log", "--db", str(db), "--partner", "Payroll", "--verdict", "success", "--why", "ok"]
    return ictui(capsys, *base, *extra)


def export_csv(capsys: pytest.CaptureFixture[str], db: Path, output: str) -> tuple[int, str, str]:
    return ictui(capsys, "export", "--db", str(db), "--format", "csv", "--output", output)


# -- 1. --output writes into special files, never replaces them ---------------------------------


def test_output_dash_is_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, team_path: Path
) -> None:
    monkeypatch.chdir(team_path.parent)
    log(capsys, team_path)
    code, out, err = export_csv(capsys, team_path, "-")
    assert (code, err) == (0, "")
    assert out.startswith("id,") and "Payroll" in out
    assert not Path("-").exists()


def test_output_to_a_device_writes_into_it_and_keeps_the_device(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node (a copy of /dev/null) needs root")
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null, where a test may break it
    log(capsys, team_path)
    code, out, _ = export_csv(capsys, team_path, str(null))
    assert (code, out) == (0, "")
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("null")] == ["null"]


def test_output_to_a_fifo_reaches_its_reader_and_keeps_the_fifo(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    log(capsys, team_path)
    # The reader opens first (without waiting for a writer), reads once the export is done.
    with open(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK), "rb") as reader:
        code, out, _ = export_csv(capsys, team_path, str(fifo))
        got = reader.read()
    assert (code, out) == (0, "")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got.startswith(b"id,") and b"Payroll" in got


def test_output_to_a_fifo_nobody_reads_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    log(capsys, team_path)
    code, out, err = export_csv(capsys, team_path, str(fifo))
    assert (code, out) == (1, "")
    assert "nothing is reading from it" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_to_dev_stdout_prints_the_export(team_path: Path, tmp_path: Path) -> None:
    # A link of our own to /proc/self/fd/1, as /dev/stdout is: the real one must not be at risk.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    db = str(team_path)
    run_ictui("log", "--db", db, "--partner", "Payroll", "--verdict", "success", "--why", "ok")
    export = ["export", "--db", db, "--format", "csv"]
    for piped in (True, False):
        if piped:
            done = run_ictui(*export, "--output", str(stdout))
            out = done.stdout
        else:  # stdout a regular file, as `> file` makes it
            with (tmp_path / "out.csv").open("wb") as file:
                done = subprocess.run(
                    [sys.executable, "-m", "ictui", *export, "--output", str(stdout)],
                    stdout=file,
                    stderr=subprocess.PIPE,
                    env=ictui_env(),
                    check=False,
                )
            out = (tmp_path / "out.csv").read_bytes()
        assert done.returncode == 0, done.stderr
        assert out.startswith(b"id,") and b"Payroll" in out
        assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"


def test_output_to_a_folder_is_refused_clearly(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    log(capsys, team_path)
    folder = tmp_path / "reports"
    folder.mkdir()
    code, out, err = export_csv(capsys, team_path, str(folder))
    assert (code, out) == (2, "")
    assert f"argument --output: {folder} is a folder" in err
    assert list(folder.iterdir()) == []


def test_output_through_a_link_to_a_file_replaces_the_file_and_keeps_the_link(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    log(capsys, team_path)
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _, _ = export_csv(capsys, team_path, str(link))
    assert code == 0
    assert link.is_symlink() and real.read_text().startswith("id,")


def test_interview_invite_writes_into_a_fifo_too(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    plan = ["plan", "--db", str(team_path), "--partner", "Payroll", "--date", "2026-12-01"]
    code, out, _ = ictui(capsys, "interview", *plan)
    assert code == 0, out
    code, out, err = ictui(
        capsys, "interview", "invite", "--db", str(team_path), out.strip(), "--output", str(fifo)
    )
    assert (code, out) == (1, "")
    assert "nothing is reading from it" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# -- 17. paths and text from disk or the environment never reach a terminal raw ---------------

HOSTILE_NAME = "x\x1b]0;TITLE\x07y\x1b[2J\x9b31m\u202ez.json"


def _raw(output: bytes) -> list[bytes]:
    return [b for b in (b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode()) if b in output]


@pytest.mark.parametrize(
    "words",
    [
        ["list"],
        ["export", "--format", "csv"],
        ["check"],
        ["show", "1"],
        ["log", "--partner", "P", "--verdict", "success", "--why", "ok"],
        ["list", "--bogus\x1b]52;c;aGk=\x07"],  # argparse's own message, naming the argument
        ["list", "--partner", "no\x1b[2J such"],
    ],
)
def test_messages_never_carry_escape_sequences_from_paths_or_arguments(
    tmp_path: Path, words: list[str]
) -> None:
    db = tmp_path / HOSTILE_NAME / "team.json"  # the folder does not exist: every command fails
    if words[0] == "log":
        db.parent.mkdir()
        (db.parent / "team.json").mkdir()  # a folder where the team file should be
    if "--partner" in words and words[0] == "list":
        db.parent.mkdir()
        run_ictui("log", "--db", str(db), "--partner", "P", "--verdict", "success", "--why", "y")
    done = run_ictui(*words[:1], "--db", str(db), *words[1:])
    assert done.returncode != 0
    assert done.stderr.startswith((b"ictui: ", b"usage: ", os.fsencode(tmp_path))), done.stderr
    assert b"Traceback" not in done.stderr
    assert _raw(done.stdout + done.stderr) == []
    assert b"z.json" in done.stderr or b"bogus" in done.stderr or b"such" in done.stderr


def test_messages_from_the_environment_and_undecodable_bytes_are_cleaned(
    tmp_path: Path,
) -> None:
    folder = os.fsencode(tmp_path) + b"/bad\x9b\xff\x1b[2Jname"
    os.mkdir(folder)
    team = folder + b"/team.json"
    with open(team, "w") as file:
        file.write("{not json")
    for args, env in [
        ([b"list", b"--db", team], {}),
        ([b"list"], {b"ICTUI_DB": team}),
        ([b"check", b"--db", team], {}),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "ictui", *args],
            capture_output=True,
            env={os.fsencode(k): os.fsencode(v) for k, v in ictui_env().items()} | env,
            check=False,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert b"Traceback" not in done.stderr
        assert _raw(done.stdout + done.stderr) == [], done.stderr
        assert b"name" in done.stderr


# -- 16. bidi overrides: every export treats them as list and Markdown do ---------------------

BIDI = "\u202eevil\u202c and \u2067isolate\u2069"


@pytest.mark.parametrize("form", ["csv", "json", "markdown"])
def test_exports_never_carry_bidi_controls_raw(
    capsys: pytest.CaptureFixture[str], team_path: Path, form: str
) -> None:
    import json

    code, _, _ = ictui(
        capsys, "log", "--db", str(team_path), "--partner", "P\u202eX", "--verdict", "success",
        "--why", BIDI,
    )  # fmt: skip
    assert code == 0
    code, out, _ = ictui(capsys, "export", "--db", str(team_path), "--format", form)
    assert code == 0
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    if form == "json":  # JSON keeps them, escaped: the data is whole
        document = json.loads(out)
        assert document["contact_points"][0]["why"] == BIDI
        assert "\\u202e" in out
    else:
        assert "evil" in out and "isolate" in out


def test_json_export_escapes_c1_controls_and_undecodable_bytes_in_the_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import json

    folder = tmp_path / "a\x9b31m\u202eb\udcff"  # \udcff: the byte 0xff, not UTF-8
    folder.mkdir()
    db = folder / "team.json"
    log(capsys, db)
    code, out, _ = ictui(capsys, "export", "--db", str(db), "--format", "json")
    assert code == 0
    assert not any("\x7f" <= c <= "\x9f" or c in "\u202e\udcff" for c in out)
    assert json.loads(out)["team_file"] == str(db)


# -- 14. a COLUMNS that is no width falls back to a sane one -----------------------------------


@pytest.mark.parametrize("columns", ["", "abc", "0", "-5", "1e3", "99999999"])
@pytest.mark.parametrize("command", [["list"], ["interview", "list"]])
def test_list_with_any_columns_prints_a_table_of_sane_width(
    tmp_path: Path, columns: str, command: list[str]
) -> None:
    from ictui.outputs.cli import MAX_WIDTH

    db = tmp_path / "team.json"
    assert run_ictui("demo", str(db), "--contacts", "3").returncode == 0
    done = run_ictui(*command, "--db", str(db), "--format", "table", COLUMNS=columns)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) >= 3  # a header, rows, a count
    assert max(len(line) for line in lines) <= MAX_WIDTH


def test_the_width_is_columns_when_it_is_one_else_the_terminal_else_100(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ictui.outputs.cli import MAX_WIDTH, MIN_WIDTH, terminal_width

    for value, width in [
        ("120", 120),
        (" 90 ", 90),
        ("", 100),
        ("abc", 100),
        ("0", 100),
        ("-3", 100),
        ("3", MIN_WIDTH),
        ("99999999", MAX_WIDTH),
        ("9" * 50, MAX_WIDTH),
    ]:
        monkeypatch.setenv("COLUMNS", value)
        assert terminal_width() == width, value  # stdout is no terminal here: 100 is the fallback


# -- 21. only writes need a valid display name; an empty --db is refused ----------------------


@pytest.mark.parametrize(
    "words",
    [
        ["list"],
        ["list", "--format", "table"],
        ["export", "--format", "json"],
        ["export", "--format", "markdown"],
        ["show", "1"],
        ["check"],
        ["partner", "list"],
        ["interview", "list"],
    ],
)
def test_reading_commands_work_whatever_display_name_is_set(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team_path: Path,
    words: list[str],
) -> None:
    log(capsys, team_path)
    monkeypatch.setenv("ICTUI_NAME", "n" * 81)
    code, out, err = ictui(capsys, *words, "--db", str(team_path))
    assert code == 0, err
    assert out and "display name" not in err
    code, _, err = log(capsys, team_path)  # a write still refuses it
    assert code == 1 and "ICTUI_NAME is too long" in err


@pytest.mark.parametrize(
    "words", [["list"], ["log", "--partner", "P", "--verdict", "success", "--why", "w"], ["check"]]
)
def test_an_empty_db_is_refused_never_the_default_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    words: list[str],
) -> None:
    default = tmp_path / "default.json"
    monkeypatch.setenv("ICTUI_DB", str(default))
    code, out, err = ictui(capsys, *words, "--db", "")
    assert (code, out) == (2, "")
    assert "argument --db: it is empty" in err
    assert not default.exists()


def test_an_empty_demo_path_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = ictui(capsys, "demo", "")
    assert (code, out) == (2, "")
    assert "PATH is empty" in err


# -- 23. --why - reads no more than it could keep -----------------------------------------------


@pytest.mark.parametrize("command", ["log", "edit"])
def test_why_from_stdin_stops_reading_past_the_limit(team_path: Path, command: str) -> None:
    from ictui.kinds.rules import LONG_TEXT_MAX

    run_ictui("log", "--db", str(team_path), "--partner", "P", "--verdict", "success", "--why", "k")
    before = team_path.read_bytes()
    words = ["--partner", "P", "--verdict", "success"] if command == "log" else ["1"]
    with subprocess.Popen(
        [sys.executable, "-m", "ictui", command, "--db", str(team_path), *words, "--why", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ictui_env(),
    ) as child:
        assert child.stdin and child.stdout and child.stderr
        child.stdin.write(b"x" * (LONG_TEXT_MAX * 3))
        child.stdin.flush()  # and the pipe stays open: whoever reads to its end waits forever
        try:
            code = child.wait(timeout=30)
        finally:
            child.kill()
        out, err = child.stdout.read(), child.stderr.read()
    assert (code, out) == (1, b"")
    assert f"--why is too long: more than {2 * LONG_TEXT_MAX} characters".encode() in err
    assert f"(at most {LONG_TEXT_MAX})".encode() in err
    assert team_path.read_bytes() == before


def test_why_from_stdin_up_to_the_limit_with_a_line_break_is_kept(team_path: Path) -> None:
    from ictui.kinds.rules import LONG_TEXT_MAX

    why = "x" * LONG_TEXT_MAX
    done = run_ictui(
        "log", "--db", str(team_path), "--partner", "P", "--verdict", "success", "--why", "-",
        stdin=why + "\r\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


# -- 19. a failed command leaves no lock file behind ------------------------------------------

WRITES = [
    ["log", "--partner", "P", "--verdict", "success", "--why", "w"],
    ["edit", "1", "--why", "z"],
    ["delete", "1"],
    ["partner", "rename", "P", "Q"],
    ["interview", "plan", "--partner", "P", "--date", "2026-12-01"],
]


@pytest.mark.parametrize("words", [["list"], ["check"], ["export", "--format", "csv"], *WRITES])
def test_a_folder_as_the_team_file_is_refused_and_no_lock_is_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, words: list[str]
) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    code, out, err = ictui(capsys, *words, "--db", str(folder))
    assert (code, out) == (1, "")
    assert "is a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


@pytest.mark.parametrize(
    "words",
    [
        [*WRITES[0][:-1], "x" * 4001],  # refused as too long, the file never made
        ["log", "--partner", " ", "--verdict", "success", "--why", "w"],
        *WRITES[1:4],  # no team file to change
        ["interview", "plan", "--partner", "P", "--date", "1999-01-01"],
    ],
)
def test_a_refused_write_to_a_missing_file_leaves_no_lock(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, words: list[str]
) -> None:
    code, _, _ = ictui(capsys, *words, "--db", str(tmp_path / "team.json"))
    assert code == 1
    assert list(tmp_path.iterdir()) == []


# -- 10. a display name never hides the OS account --------------------------------------------


def _posing(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    """Log one contact point as this account, under another person's name; return the account."""
    from ictui.teamfile.identity import os_account

    code, _, err = log(capsys, db, "--user", "Bob")
    assert code == 0, err
    return os_account()


@pytest.mark.parametrize(
    "words",
    [
        ["list", "--format", "table"],
        ["show", "1"],
        ["show", "1", "--history"],
        ["export", "--format", "markdown"],
    ],
)
def test_everywhere_a_person_is_named_the_account_is_named_too(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    team_path: Path,
    words: list[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # room for the By column on one line
    account = _posing(capsys, team_path)
    code, out, _ = ictui(capsys, *words, "--db", str(team_path))
    assert code == 0
    assert f"Bob ({account})" in out, out


def test_csv_keeps_its_columns_and_adds_the_account(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    import csv
    import io

    account = _posing(capsys, team_path)
    log(capsys, team_path)  # no display name: the account alone
    for words in (["export", "--format", "csv"], ["list", "--format", "csv"]):
        code, out, _ = ictui(capsys, *words, "--db", str(team_path))
        assert code == 0
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][-4:] == ["logged_by", "logged_at", "revision", "logged_by_account"]
        by = {row[0]: row for row in rows[1:]}
        assert (by["1"][-4], by["1"][-1]) == ("Bob", account)
        assert (by["2"][-4], by["2"][-1]) == (account, account)


def test_one_account_shown_once_when_it_is_the_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, team_path: Path
) -> None:
    from ictui.teamfile.identity import os_account

    monkeypatch.setenv("COLUMNS", "160")
    log(capsys, team_path)
    code, out, _ = ictui(capsys, "list", "--format", "table", "--db", str(team_path))
    assert code == 0
    assert os_account() in out and f"({os_account()})" not in out


def test_keys_names_the_preferences_file_cleaned(tmp_path: Path) -> None:
    config = tmp_path / "conf\x1b]0;TITLE\x07ig"
    done = run_ictui("keys", XDG_CONFIG_HOME=str(config))
    assert done.returncode == 0, done.stderr
    assert _raw(done.stdout + done.stderr) == []
    assert b"ig/ictui/preferences.json" in done.stdout


# -- 23, the same for a template: --set reads no more than a template could be ----------------


def test_a_template_from_an_endless_file_is_refused_promptly(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, err = ictui(
        capsys, "interview", "template", "--db", str(team_path), "--set", "/dev/zero"
    )
    assert (code, out) == (1, "")
    assert "/dev/zero is larger than 1,000,000 bytes" in err
    assert not team_path.exists()


def test_a_template_on_stdin_stops_reading_past_the_limit(team_path: Path) -> None:
    from ictui.outputs.interview_cli import TEMPLATE_MOST_BYTES

    command = ["interview", "template", "--db", str(team_path), "--set", "-"]
    with subprocess.Popen(
        [sys.executable, "-m", "ictui", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ictui_env(),
    ) as child:
        assert child.stdin and child.stdout and child.stderr
        child.stdin.write(b"#" * (TEMPLATE_MOST_BYTES + 10))
        child.stdin.flush()  # and the pipe stays open
        try:
            code = child.wait(timeout=30)
        finally:
            child.kill()
        err = child.stderr.read()
    assert code == 1
    assert b"the template on stdin is larger than 1,000,000 bytes" in err
