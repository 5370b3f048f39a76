"""`ictui partner ...`: listing, renaming, merging and archiving partners, as stored afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ictui.outputs.cli import main
from ictui.services import partner_admin
from ictui.teamfile import store as store_module

from .conftest import ictui

pytestmark = pytest.mark.usefixtures("no_ictui_environment")


def stored(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def partner_named(path: Path, name: str) -> dict[str, Any]:
    return next(p for p in stored(path)["partners"].values() if p["name"] == name)


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """Payroll (1) with 2 contact points, the typo Payrol (2) with 3, one deleted; Legal (3)."""
    path = tmp_path / "team.json"
    for partner, why in [
        ("Payroll", "Overtime export arrived early"),
        ("Payrol", "Wrong cost centre on the payslips"),
        ("payrol", "Answered within the hour"),
        ("Legal", "Contract review took three weeks"),
        ("PAYROL", "Logged twice by mistake"),
        ("Payroll", "Bonus run on time"),
        ("Payrol ", "Sent the year-end figures"),
    ]:
        code, _, err = ictui(
            capsys, "log", "--db", str(path), "--user", "Amara Okafor", "--partner", partner,
            "--verdict", "success", "--why", why, "--date", "2026-11-02",
        )  # fmt: skip
        assert code == 0, err
    code, _, err = ictui(capsys, "delete", "5", "--db", str(path))  # "Logged twice by mistake"
    assert code == 0, err
    names = {p["name"] for p in stored(path)["partners"].values()}
    assert names == {"Payroll", "Payrol", "Legal"}
    return path


KEPT = ("date", "direction", "verdict", "why", "created_by", "created_at", "deleted")
"""What moving a contact point to another partner leaves as it was."""


def points_of(path: Path, partner_id: int) -> list[int]:
    return sorted(
        int(key)
        for key, point in stored(path)["contact_points"].items()
        if point["partner_id"] == partner_id
    )


# -- list ----------------------------------------------------------------------------------


def test_list_gives_each_partner_with_its_live_contact_points(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(capsys, "partner", "list", "--db", str(team), "--format", "tsv")
    assert code == 0
    header, *rows = (line.split("\t") for line in out.splitlines())
    assert header == [
        "id", "name", "relationship", "contact_points", "interviews", "standards", "state",
        "priority", "kind", "segment", "needs",
    ]  # fmt: skip
    place = ["medium", "team", "", ""]  # as logging a new name leaves it
    assert rows == [
        ["3", "Legal", "customer", "1", "0", "0", "live", *place],
        ["2", "Payrol", "customer", "3", "0", "0", "live", *place],  # the deleted one not counted
        ["1", "Payroll", "customer", "2", "0", "0", "live", *place],
    ]
    code, _, _ = ictui(
        capsys, "partner", "edit", "Legal", "--priority", "high", "--segment", "Corporate",
        "--needs", "advice speed", "--db", str(team),
    )  # fmt: skip
    assert code == 0
    code, out, _ = ictui(capsys, "partner", "list", "--db", str(team), "--format", "tsv")
    assert out.splitlines()[1].split("\t")[-4:] == ["high", "team", "Corporate", "advice, speed"]


def test_list_on_a_terminal_is_a_table_with_words(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, _ = ictui(capsys, "partner", "list", "--db", str(team), "--format", "table")
    assert code == 0
    lines = out.splitlines()
    headers = ["ID", "Name", "Relationship", "Contact", "points", "Interviews", "Standards"]
    headers += ["State", "Priority", "Kind", "Segment", "Needs"]
    assert lines[0].split() == headers
    assert "we serve them" in lines[1] and lines[1].split()[:2] == ["3", "Legal"]


# -- rename -------------------------------------------------------------------------------


def test_rename_changes_the_name_and_its_contact_points_follow(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = stored(team)
    code, _, err = ictui(
        capsys, "partner", "rename", "  LEGAL ", "Legal and Compliance", "--db", str(team)
    )
    assert code == 0, err
    assert f"renamed 'Legal' to 'Legal and Compliance' (partner 3) in {team}" in err
    assert "its 1 contact point follows" in err
    after = stored(team)
    legal = after["partners"]["3"]
    assert legal["name"] == "Legal and Compliance"
    assert legal["rev"] == before["partners"]["3"]["rev"] + 1
    assert after["contact_points"] == before["contact_points"]  # they refer to it by id


def test_rename_may_change_only_the_case(capsys: pytest.CaptureFixture[str], team: Path) -> None:
    code, _, err = ictui(capsys, "partner", "rename", "legal", "LEGAL", "--db", str(team))
    assert code == 0, err
    assert stored(team)["partners"]["3"]["name"] == "LEGAL"
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "rename", "legal", "LEGAL", "--db", str(team))
    assert code == 0 and "nothing was written" in err
    assert team.read_bytes() == before


def test_rename_onto_another_partners_name_is_refused_and_says_merge(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "rename", "Payrol", "payroll", "--db", str(team))
    assert code == 1
    assert "partner 1 is named 'Payroll' already" in err
    assert "nothing was written" in err
    assert f"`ictui partner merge Payrol Payroll --db {team}`" in err
    assert team.read_bytes() == before


def test_rename_refuses_an_unknown_name_and_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "rename", "Payrl", "Payroll", "--db", str(team))
    assert code == 1
    assert "no partner is named 'Payrl'" in err
    assert "known partners: Legal, Payrol, Payroll" in err
    assert team.read_bytes() == before


def test_rename_refuses_a_name_the_rules_refuse(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "rename", "Legal", "x" * 81, "--db", str(team))
    assert code == 1
    assert err.startswith("ictui: invalid partner: NEW ") and "nothing was written" in err
    assert team.read_bytes() == before


# -- merge --------------------------------------------------------------------------------


def test_merge_moves_every_contact_point_and_deletes_the_source_in_one_write(
    capsys: pytest.CaptureFixture[str], team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored(team)
    typo = points_of(team, 2)
    assert typo == [2, 3, 5, 7]
    writes: list[Path] = []
    real = store_module.replace_file

    def counting(path: Path, *args: Any, **kwargs: Any) -> None:
        writes.append(path)
        real(path, *args, **kwargs)

    monkeypatch.setattr(store_module, "replace_file", counting)
    code, _, err = ictui(capsys, "partner", "merge", "PAYROL", "payroll", "--db", str(team))
    assert code == 0, err
    assert writes == [team]  # every move and the delete: one write of the team file
    assert (
        f"merged 'Payrol' (partner 2) into 'Payroll' (partner 1) in {team}: "
        "3 contact points moved (and 1 deleted contact point)"
    ) in err
    after = stored(team)
    assert points_of(team, 2) == []
    assert points_of(team, 1) == [1, 2, 3, 5, 6, 7]
    for key in map(str, typo):
        old, new = before["contact_points"][key], after["contact_points"][key]
        assert new["deleted"] == old["deleted"]  # a deleted contact point stays deleted
        assert new["partner_id"] == 1
        assert {k: new[k] for k in KEPT} == {k: old[k] for k in KEPT}
        assert new["rev"] > old["rev"]
    source = after["partners"]["2"]
    assert source["deleted"] is True and source["rev"] == before["partners"]["2"]["rev"] + 1
    assert after["partners"]["1"] == before["partners"]["1"]  # INTO keeps its own details
    # The typo is gone from the list; old records still name what they name.
    code, out, _ = ictui(capsys, "partner", "list", "--db", str(team), "--format", "tsv")
    assert [row.split("\t")[1] for row in out.splitlines()[1:]] == ["Legal", "Payroll"]
    code, out, _ = ictui(capsys, "check", "--db", str(team))
    assert code == 0


def test_merge_into_itself_is_refused(capsys: pytest.CaptureFixture[str], team: Path) -> None:
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "merge", "payrol", " PAYROL", "--db", str(team))
    assert code == 1
    assert "cannot be merged into itself" in err
    code, _, err = ictui(capsys, "partner", "merge", "Legal", "#3", "--db", str(team))
    assert code == 1 and "cannot be merged into itself" in err
    code, _, err = ictui(capsys, "partner", "merge", "Payrol", "Payrolll", "--db", str(team))
    assert code == 1 and "INTO: no partner is named 'Payrolll'" in err
    assert team.read_bytes() == before


def test_merge_changes_nothing_when_one_record_cannot_be_moved(
    capsys: pytest.CaptureFixture[str], team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One of the typo's contact points breaks a rule of input (a rule added since it
    # was written, say): the file reads, but the record cannot be saved as it is.
    from ictui.errors import InvalidInput
    from ictui.teamfile.transaction import Transaction

    real = Transaction.update

    def refuse_seven(self: Transaction, kind: Any, record_id: int, *args: Any, **kw: Any) -> Any:
        if record_id == 7 and kind.TABLE == "contact_points":
            raise InvalidInput("contact point", [("why", "breaks a rule added since")])
        return real(self, kind, record_id, *args, **kw)

    monkeypatch.setattr(Transaction, "update", refuse_seven)
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "merge", "Payrol", "Payroll", "--db", str(team))
    assert code == 1
    assert "contact point 7 cannot be moved to 'Payroll' (why breaks a rule added since)" in err
    assert team.read_bytes() == before


def test_merge_is_one_transaction_even_when_it_fails_midway(
    capsys: pytest.CaptureFixture[str], team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = partner_admin._move
    moved: list[int] = []

    def fail_on_the_third(*args: Any) -> None:
        if len(moved) == 2:
            raise RuntimeError("the disk caught fire")
        moved.append(args[1].id)
        real(*args)

    monkeypatch.setattr(partner_admin, "_move", fail_on_the_third)
    before = team.read_bytes()
    with pytest.raises(RuntimeError):
        main(["partner", "merge", "Payrol", "Payroll", "--db", str(team)])
    assert len(moved) == 2  # two were moved in the transaction before it failed
    assert team.read_bytes() == before  # and none of it was written


# -- archive ------------------------------------------------------------------------------


def test_archive_hides_a_partner_from_the_list_and_keeps_its_records(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(capsys, "partner", "archive", "legal", "--db", str(team))
    assert code == 0, err
    assert f"archived 'Legal' (partner 3) in {team}" in err
    assert "its 1 contact point keeps its name" in err
    assert f"`ictui partner unarchive Legal --db {team}` brings it back" in err
    after = stored(team)
    assert after["partners"]["3"]["deleted"] is True
    assert after["contact_points"]["4"]["deleted"] is False and points_of(team, 3) == [4]

    code, out, err = ictui(capsys, "partner", "list", "--db", str(team), "--format", "tsv")
    assert "Legal" not in out
    assert "1 archived partner(s) not shown" in err and "partner list --all" in err
    code, out, _ = ictui(capsys, "partner", "list", "--all", "--db", str(team), "--format", "tsv")
    assert "3\tLegal\tcustomer\t1\t0\t0\tarchived\tmedium\tteam\t\t" in out.splitlines()
    # Its contact point still shows its name, and can still be found by it.
    code, out, _ = ictui(capsys, "list", "--partner", "legal", "--db", str(team), "--format", "tsv")
    assert code == 0 and out.splitlines()[1].split("\t")[1] == "Legal"

    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "archive", "Legal", "--db", str(team))
    assert code == 0 and "archived already; nothing was written" in err
    assert team.read_bytes() == before

    code, _, err = ictui(capsys, "partner", "unarchive", "LEGAL", "--db", str(team))
    assert code == 0 and "brought back 'Legal' (partner 3)" in err
    assert stored(team)["partners"]["3"]["deleted"] is False
    code, _, err = ictui(capsys, "partner", "unarchive", "Legal", "--db", str(team))
    assert code == 0 and "is not archived; nothing was written" in err


def test_an_archived_partners_namesake_is_merged_back_by_id(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    ictui(capsys, "partner", "archive", "Legal", "--db", str(team))
    # Logging the name of an archived partner starts a new partner of that name.
    code, _, err = ictui(
        capsys, "log", "--db", str(team), "--partner", "Legal", "--verdict", "success",
        "--why", "Quick NDA", "--date", "2026-11-03",
    )  # fmt: skip
    assert code == 0 and "new partner 'Legal' (id 4)" in err
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "unarchive", "Legal", "--db", str(team))
    assert code == 1 and "partner 4 is named 'Legal' already" in err
    assert f"`ictui partner merge '#3' '#4' --db {team}`" in err
    assert team.read_bytes() == before
    # Merged into the archived one, by id: the new contact point joins it, still archived.
    code, _, err = ictui(capsys, "partner", "merge", "#4", "#3", "--db", str(team))
    assert code == 0, err
    assert "1 contact point moved" in err and "'Legal' stays archived" in err
    after = stored(team)
    assert after["partners"]["3"]["deleted"] is True and after["partners"]["4"]["deleted"] is True
    assert points_of(team, 3) == [4, 8]
    code, _, _ = ictui(capsys, "check", "--db", str(team))
    assert code == 0


def test_rename_of_an_archived_partner_asks_to_unarchive_it_first(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    ictui(capsys, "partner", "archive", "Legal", "--db", str(team))
    before = team.read_bytes()
    code, _, err = ictui(capsys, "partner", "rename", "Legal", "Lawyers", "--db", str(team))
    assert code == 1 and "is archived; unarchive it first" in err
    assert team.read_bytes() == before


# -- the command line itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "words"),
    [
        ("list", "Archived partners are left out unless --all"),
        ("rename", "A name another partner has already is refused"),
        ("merge", "if any record cannot be moved, nothing changes"),
        ("archive", "Archiving is the team file's soft delete of the partner"),
        ("unarchive", "Bring back an archived partner"),
    ],
)
def test_every_verb_has_a_description(
    capsys: pytest.CaptureFixture[str], verb: str, words: str
) -> None:
    code, out, _ = ictui(capsys, "partner", verb, "--help")
    assert code == 0
    assert words in " ".join(out.split())


def test_usage_mistakes_exit_2_with_the_commands_usage(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = ictui(capsys, "partner", "--db", str(team))
    assert code == 2 and err.startswith("usage: ictui partner")
    code, _, err = ictui(capsys, "partner")
    assert (
        code == 2 and "say what to do: list, add, edit, rename, merge, archive or unarchive" in err
    )
    code, _, err = ictui(capsys, "partner", "merge", "Payrol", "--db", str(team))
    assert code == 2 and err.startswith("usage: ictui partner merge")
    code, _, err = ictui(capsys, "partner", "rename", "a", "b", "--db", str(team), "--demo")
    assert code == 2 and "--demo and --db both name a team file" in err


def test_a_missing_team_file_is_a_data_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "none.json"
    code, _, err = ictui(capsys, "partner", "archive", "Legal", "--db", str(missing))
    assert code == 1 and str(missing) in err
    assert not missing.exists()
