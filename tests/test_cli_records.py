"""The command line on single contact points: listing for people and scripts, show, edit, delete."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.kinds.contact_point import ContactPoint
from ictui.outputs.listing import HEADERS, fit
from ictui.teamfile.store import Store

from .conftest import ALICE, ictui, run_ictui

LONG_REASON = (
    "Purchase order was stuck waiting for an approver who was on leave, and nobody "
    "told the supplier, who nearly walked away from the contract."
)


pytestmark = pytest.mark.usefixtures("no_ictui_environment")


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """A team file with two contact points: one with long names, one with a two-line reason."""
    path = tmp_path / "team.json"
    for partner, why, date, user in [
        ("Procurement and Vendor Management", LONG_REASON, "2026-11-20", "Amara Okafor"),
        ("Payroll", "Paid on time.\nSaid thanks, too.", "2026-11-25", "Li Chen"),
    ]:
        code, _, err = ictui(
            capsys, "log", "--db", str(path), "--user", user, "--partner", partner,
            "--verdict", "needs-improvement", "--why", why, "--date", date,
        )  # fmt: skip
        assert code == 0, err
    return path


def words_of(text: str) -> list[str]:
    return text.split()


# -- list: nothing is ever cut -------------------------------------------------------------


def test_piped_list_gives_one_whole_record_per_line(team: Path) -> None:
    result = run_ictui("list", "--db", str(team), COLUMNS="40")  # not a terminal: a pipe
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3  # a header and one line per contact point
    header, *rows = (line.split("\t") for line in lines)
    assert header[:6] == ["id", "partner", "date", "direction", "verdict", "why"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id["1"]["partner"] == "Procurement and Vendor Management"
    assert by_id["1"]["why"] == LONG_REASON and by_id["1"]["logged_by"] == "Amara Okafor"
    assert by_id["2"]["why"] == "Paid on time.\\nSaid thanks, too."  # line break escaped


def test_list_as_csv_reads_back_whole(capsys: pytest.CaptureFixture[str], team: Path) -> None:
    code, out, _ = ictui(capsys, "list", "--db", str(team), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["why"] for r in rows] == ["Paid on time.\nSaid thanks, too.", LONG_REASON]


@pytest.mark.parametrize("columns", [80, 60, 30])
def test_the_table_keeps_every_column_and_every_word(team: Path, columns: int) -> None:
    result = run_ictui("list", "--db", str(team), "--format", "table", COLUMNS=str(columns))
    assert result.returncode == 0, result.stderr
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout.decode())
    assert "…" not in out
    assert all(len(line) <= columns for line in out.splitlines())
    for word in [*words_of(LONG_REASON), "Procurement", "Vendor", "Management", "Okafor"]:
        assert word in out.split(), word
    if columns >= 80:  # columns: every header is there
        assert out.splitlines()[0].split() == list(HEADERS)


@given(
    width=st.integers(min_value=10, max_value=300),
    cells=st.lists(
        st.lists(st.text("ab ✓→", min_size=0, max_size=40), min_size=7, max_size=7), max_size=5
    ),
)
def test_fitted_columns_fill_the_width_exactly_or_give_way_to_blocks(
    width: int, cells: list[list[str]]
) -> None:
    widths = fit(cells, width)
    if widths is None:
        return
    assert sum(widths) + 2 * (len(HEADERS) - 1) == width
    assert all(w >= 1 for w in widths)
    assert widths[HEADERS.index("Why")] >= 16


# -- show, edit, delete, restore -------------------------------------------------------------


def test_show_prints_a_contact_point_in_full(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(capsys, "show", "2", "--db", str(team))
    assert code == 0
    assert out.splitlines()[0] == "Contact point 2, revision 1"
    why = next(line for line in out.splitlines() if line.startswith("Why"))
    indent = len(why) - len("Paid on time.")
    assert why.endswith("Paid on time.")
    assert " " * indent + "Said thanks, too." in out.splitlines()  # lines kept, aligned
    assert "by Li Chen" in out
    code, _, err = ictui(capsys, "show", "9", "--db", str(team))
    assert code == 1 and "there is no contact point with id 9" in err
    code, _, err = ictui(capsys, "show", "two", "--db", str(team))
    assert code == 2 and "'two' is not an id" in err


def test_edit_changes_only_the_fields_given(capsys: pytest.CaptureFixture[str], team: Path) -> None:
    before = json.loads(team.read_text())["contact_points"]["2"]
    code, _, err = ictui(capsys, "edit", "2", "--db", str(team), "--verdict", "success")
    assert code == 0, err
    assert "changed verdict of contact point 2" in err
    after = json.loads(team.read_text())["contact_points"]["2"]
    assert after["verdict"] == "success" and after["rev"] == before["rev"] + 1
    assert {k: after[k] for k in ("why", "date", "partner_id", "direction")} == {
        k: before[k] for k in ("why", "date", "partner_id", "direction")
    }
    code, _, err = ictui(capsys, "edit", "2", "--db", str(team), "--verdict", "success")
    assert code == 0 and "nothing was written" in err
    assert json.loads(team.read_text())["contact_points"]["2"]["rev"] == after["rev"]


def test_edit_putting_a_mistyped_partner_right_archives_it_and_says_how_back(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    logged = ("--verdict", "success", "--why", "Paid on time.")
    code, out, _ = ictui(capsys, "log", "--db", str(team), "--partner", "Payrol", *logged)
    assert code == 0
    point = out.strip()
    code, _, err = ictui(capsys, "edit", point, "--db", str(team), "--partner", "Payroll")
    assert code == 0, err
    partners = json.loads(team.read_text())["partners"]
    [typo] = [key for key, p in partners.items() if p["name"] == "Payrol"]
    assert partners[typo]["deleted"] is True
    back = f"ictui partner unarchive '#{typo}' --db {team}"
    assert f"archived partner 'Payrol': no record names it now (`{back}` brings it back)" in err
    # Its first version names it: bringing that back says the partner is archived.
    code, _, err = ictui(capsys, "restore", point, "--version", "1", "--db", str(team))
    assert code == 1 and f"names partner {typo}, which was archived; nothing was written" in err
    # Typed again, the name takes it back rather than making a namesake.
    code, _, err = ictui(capsys, "log", "--db", str(team), "--partner", "payrol", *logged)
    assert code == 0 and f"brought back archived partner 'Payrol' (id {typo})" in err
    assert json.loads(team.read_text())["partners"][typo]["deleted"] is False


def test_edit_refuses_a_bad_value_and_nothing_to_change(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "edit", "2", "--db", str(team), "--why", "   ")
    assert code == 1 and "--why" in err and "nothing was written" in err
    code, _, err = ictui(capsys, "edit", "2", "--db", str(team))
    assert code == 2 and "say what to change" in err and err.startswith("usage: ictui edit")
    assert team.read_bytes() == before


def test_delete_says_how_to_restore_and_restore_brings_it_back(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(capsys, "delete", "1", "--db", str(team))
    assert code == 0
    assert f"ictui restore 1 --db {team}" in err
    code, out, _ = ictui(capsys, "list", "--db", str(team), "--format", "tsv")
    assert [line.split("\t")[0] for line in out.splitlines()[1:]] == ["2"]
    code, _, err = ictui(capsys, "edit", "1", "--db", str(team), "--why", "x")
    assert code == 1 and "is deleted" in err and "ictui restore 1" in err
    code, _, err = ictui(capsys, "restore", "1", "--db", str(team))
    assert code == 0 and "brought back contact point 1" in err
    stored = json.loads(team.read_text())["contact_points"]["1"]
    assert stored["deleted"] is False and stored["why"] == LONG_REASON


def test_show_names_a_points_standard_and_says_nothing_of_one_it_has_none(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(capsys, "show", "2", "--db", str(team))
    assert code == 0 and "Evidence for standard" not in out and "None" not in out
    sentence = "Payroll queries answered within 2 working days"
    code, _, err = ictui(
        capsys, "standard", "add", "--db", str(team), "--partner", "Payroll",
        "--standard", sentence, "--target", "within 2 working days", "--cadence", "monthly",
    )  # fmt: skip
    assert code == 0, err
    store = Store(team, author=ALICE)
    rev = store.read().get(ContactPoint, 2).rev  # type: ignore[union-attr]
    store.run(lambda tx: tx.update(ContactPoint, 2, rev, {"standard_id": 1}))
    code, out, _ = ictui(capsys, "show", "2", "--db", str(team))
    assert code == 0
    assert re.search(rf"^Evidence for standard +#1 “{sentence}”$", out, re.MULTILINE)
    code, out, _ = ictui(capsys, "show", "2", "--history", "--db", str(team))
    assert code == 0 and f"evidence for standard (none) → #1 “{sentence}”" in out
    assert "#None" not in out


def test_doing_what_is_done_already_is_no_error_but_a_missing_record_is(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    db = ["--db", str(team)]
    assert ictui(capsys, "delete", "1", *db)[0] == 0
    assert ictui(capsys, "partner", "archive", "Payroll", *db)[0] == 0
    before = team.read_bytes()
    for command, said in [
        (["delete", "1"], "is deleted already; nothing was written"),
        (["restore", "2"], "is not deleted: there is nothing to restore; nothing was written"),
        (["partner", "archive", "payroll"], "is archived already; nothing was written"),
        (["partner", "unarchive", "#1"], "is not archived; nothing was written"),
    ]:
        code, out, err = ictui(capsys, *command, *db)
        assert (code, out) == (0, ""), command
        assert said in err, command
    assert team.read_bytes() == before
    for command, said in [
        (["delete", "9"], "there is no contact point with id 9"),
        (["restore", "9"], "there is no contact point with id 9"),
        (["partner", "archive", "Nobody"], "no partner is named 'Nobody'"),
        (["partner", "unarchive", "Nobody"], "no partner is named 'Nobody'"),
        (["partner", "archive", "9"], "no partner is named '9'"),
    ]:
        code, _, err = ictui(capsys, *command, *db)
        assert code == 1 and said in err, command
    assert team.read_bytes() == before


def test_a_partners_bare_id_is_refused_saying_to_write_hash_id(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    for command in (["archive", "2"], ["unarchive", "2"], ["rename", "2", "Pay"]):
        code, _, err = ictui(capsys, "partner", *command, "--db", str(team))
        assert code == 1 and "no partner is named '2'" in err, command
        assert "to name 'Payroll' (partner 2) by its id, write #2" in err, command
    code, _, err = ictui(capsys, "partner", "merge", "#2", "1", "--db", str(team))
    assert code == 1 and err.startswith("ictui: INTO: no partner is named '1'")
    assert "(partner 1) by its id, write #1" in err
    assert team.read_bytes() == before
    code, _, err = ictui(capsys, "partner", "archive", "#2", "--db", str(team))
    assert code == 0 and "archived 'Payroll' (partner 2)" in err


# -- export: a period, a partner, and reasons that keep their lines --------------------------


def test_export_chooses_by_period_and_partner(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(
        capsys, "export", "--db", str(team), "--format", "json", "--since", "2026-11-21"
    )
    assert code == 0
    assert [p["id"] for p in json.loads(out)["contact_points"]] == [2]
    code, out, _ = ictui(
        capsys, "export", "--db", str(team), "--format", "json", "--partner", "payroll"
    )
    document = json.loads(out)
    assert [p["name"] for p in document["partners"]] == ["Payroll"]
    assert [p["id"] for p in document["contact_points"]] == [2]


def test_markdown_keeps_a_reasons_line_breaks(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(capsys, "export", "--db", str(team), "--format", "markdown")
    assert code == 0
    assert "⏎" not in out
    assert "  Paid on time.  \n  Said thanks, too.\n" in out


# -- help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "export", "check", "show", "edit", "delete"])
def test_every_command_says_what_it_does(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = ictui(capsys, command, "--help")
    assert code == 0
    usage, description = out.split("\n\n")[:2]
    assert not description.startswith("options")
    assert ("--user" in usage) == (command in ("edit", "delete"))


def test_editing_a_point_of_an_archived_partner_keeps_its_partner(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(capsys, "partner", "archive", "Payroll", "--db", str(team))
    assert code == 0, err
    partners_before = json.loads(team.read_text())["partners"]
    code, _, err = ictui(capsys, "edit", "2", "--db", str(team), "--verdict", "success")
    assert code == 0, err
    after = json.loads(team.read_text())
    assert after["partners"].keys() == partners_before.keys()  # no second "Payroll"
    assert after["contact_points"]["2"]["partner_id"] == 2


def test_logging_to_a_new_path_says_a_team_file_was_started(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "typo.json"
    code, _, err = ictui(
        capsys, "log", "--db", str(path), "--partner", "P", "--verdict", "success", "--why", "w"
    )
    assert code == 0 and f"started a new team file at {path}" in err
    code, _, err = ictui(
        capsys, "log", "--db", str(path), "--partner", "P", "--verdict", "success", "--why", "w"
    )
    assert "started a new team file" not in err


@pytest.mark.parametrize("form", ["table", "tsv"])
def test_a_reader_that_goes_away_is_no_error(tmp_path: Path, form: str) -> None:
    import subprocess
    import sys

    from .conftest import ictui_env

    team = tmp_path / "team.json"
    run_ictui("demo", str(team), "--contacts", "600")
    line = f"{sys.executable} -m ictui list --db {team} --since 2000-01-01 --format {form}"
    shell = f"{line} | head -n 1; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", shell], capture_output=True, env=ictui_env(COLUMNS="100"), check=False
    )
    assert done.returncode == 0 and done.stderr == b""
    assert len(done.stdout.splitlines()) == 1


@pytest.mark.parametrize("command", [["list"], ["export", "--format", "json"]])
def test_a_reversed_period_is_refused_not_empty(
    capsys: pytest.CaptureFixture[str], team: Path, command: list[str]
) -> None:
    code, out, err = ictui(
        capsys, *command, "--db", str(team), "--since", "2026-12-01", "--until", "2026-11-01"
    )
    assert code == 2 and out == ""
    assert "--since 2026-12-01 is after --until 2026-11-01" in err
