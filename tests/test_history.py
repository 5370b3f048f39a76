"""A record's history: earlier versions kept on every revision, shown, and brought back.

Through the store, the service and the command line, on real team files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ictui.errors import Conflict, TeamFileError
from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author
from ictui.kinds.vocab import CheckInResult, Verdict
from ictui.outputs import export
from ictui.outputs.cli import main
from ictui.services.history import UnknownVersion, bring_back, history_of, read_versions
from ictui.services.interview_template import defaults, set_template
from ictui.services.interviews import add_conclusion, plan_interview
from ictui.teamfile import fileformat
from ictui.teamfile.history import KEEP
from ictui.teamfile.store import Store

from .conftest import ALICE, NOW, TODAY, checked

LATER = NOW + dt.timedelta(days=10, hours=3, minutes=32)  # 2026-11-30 14:02 UTC
LI = Author(account="li", name="Li Chen")
WORKER = str(Path(__file__).with_name("storeworker.py"))


pytestmark = pytest.mark.usefixtures("no_ictui_environment")


def as_li(store: Store) -> Store:
    """The same team file, written by Li Chen ten days later."""
    return Store(store.path, author=LI, clock=lambda: LATER)


def raw(store: Store) -> Any:
    """The team file as plain JSON."""
    return json.loads(store.path.read_bytes())


def write_raw(store: Store, data: object) -> None:
    store.path.write_text(json.dumps(data))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- kept on every revision ----------------------------------------------------------------


def test_an_update_keeps_the_version_it_replaces_with_who_and_when(store: Store) -> None:
    as_li(store).update(ContactPoint, 1, 1, verdict="needs-improvement", why="Late again")
    newest, first = history_of(store.read(), ContactPoint, 1)
    assert (newest.rev, newest.who, newest.when, newest.current) == (2, LI, LATER, True)
    assert newest.what == "changed" and not newest.deleted
    assert [(c.name, c.old, c.new) for c in newest.changes] == [
        ("verdict", Verdict.SUCCESS, Verdict.NEEDS_IMPROVEMENT),
        ("why", "Overtime export arrived early", "Late again"),
    ]
    assert (first.rev, first.who, first.when, first.what, first.changes) == (
        1,
        ALICE,
        NOW,
        "created",
        (),
    )
    assert first.values["verdict"] is Verdict.SUCCESS
    # In the file: the replaced version's revision, author, time, state, and only what changed.
    (entry,) = json.loads(raw(store)["contact_points"]["1"]["history"])  # JSON in a string
    assert entry == {
        "rev": 1,
        "updated_by": {"account": "alice", "name": "Alice Adams"},
        "updated_at": "2026-11-20T10:30:00Z",
        "deleted": False,
        "fields": {"verdict": "success", "why": "Overtime export arrived early"},
    }


def test_delete_and_restore_are_revisions_in_the_history(store: Store) -> None:
    store.delete(ContactPoint, 1, 1)
    as_li(store).restore(ContactPoint, 1, 2)
    restored, deleted, created = history_of(store.read(), ContactPoint, 1)
    assert (restored.rev, restored.what, restored.who) == (3, "restored", LI)
    assert (deleted.rev, deleted.what, deleted.who) == (2, "deleted", ALICE)
    assert (restored.deleted, deleted.deleted) == (False, True)
    assert created.what == "created"
    assert restored.changes == deleted.changes == ()


def test_every_kind_keeps_its_history_the_same_way(store: Store) -> None:
    with store.transaction() as tx:  # a record of every kind: an interview has three more
        planned = plan_interview(tx, "Payroll", TODAY)
        add_conclusion(tx, planned.interview.id, "You're slow to answer")
        set_template(tx, defaults())  # the team's own template: a question and a point each
        from ictui.services.debriefs import AddReaction, AddResolution, start_debrief
        from ictui.services.interviews import mark_held
        from ictui.services.standards import CheckInDraft, SaveStandard, StandardDraft, check_in

        standard = SaveStandard(StandardDraft("Payroll", "Answers in 2 days")).apply(tx).standard
        check_in(tx, CheckInDraft(standard.id, CheckInResult.MET, "2026-10"))
        held = mark_held(tx, planned.interview.id, planned.interview.rev).interview
        debrief = start_debrief(tx, held.id).debrief
        AddResolution(debrief.id, "Answer within a day").apply(tx)
        AddReaction(debrief.id, "Fair enough").apply(tx)
    as_li(store).update(Partner, 1, 1, notes="Runs on Fridays")
    for kind in registry.KINDS:
        if kind is not Partner:
            record = store.read().all(kind)[0]
            store.delete(kind, record.id, record.rev)
    for kind in registry.KINDS:
        versions = history_of(store.read(), kind, 1)  # marked held: one version more
        newest, oldest = versions[0], versions[-1]
        assert (newest.rev, newest.what, oldest.rev, oldest.what) == (
            len(versions),
            "changed" if kind is Partner else "deleted",
            1,
            "created",
        ), kind
    (change,) = history_of(store.read(), Partner, 1)[0].changes
    assert (change.label, change.old, change.new) == ("Notes", "", "Runs on Fridays")


def test_history_is_bounded_to_the_last_twenty_per_record(store: Store) -> None:
    for n in range(25):
        store.update(ContactPoint, 1, n + 1, why=f"take {n}")
    entries = json.loads(raw(store)["contact_points"]["1"]["history"])
    assert len(entries) == KEEP == 20
    assert [entry["rev"] for entry in entries] == list(range(6, 26))
    versions = history_of(store.read(), ContactPoint, 1)
    assert [v.rev for v in versions] == list(range(26, 5, -1))  # now, and the 20 before
    assert versions[-1].what == "unknown"  # what revision 6 changed went with revision 5
    assert versions[-1].values["why"] == "take 4"
    assert [(c.old, c.new) for c in versions[0].changes] == [("take 23", "take 24")]


def test_a_change_that_changes_nothing_adds_no_version(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="Overtime export arrived early")
    assert "history" not in raw(store)["contact_points"]["1"]
    assert len(history_of(store.read(), ContactPoint, 1)) == 1


def test_history_is_read_in_a_transaction_too(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="Second")
    with store.transaction() as tx:
        assert [v.rev for v in history_of(tx, ContactPoint, 1)] == [2, 1]
        tx.update(ContactPoint, 1, 2, {"why": "Third"})
        assert [v.rev for v in history_of(tx, ContactPoint, 1)] == [3, 2, 1]


# -- bringing a version back -------------------------------------------------------------------


def test_bringing_back_writes_the_old_fields_as_a_new_revision(store: Store) -> None:
    store.update(ContactPoint, 1, 1, verdict="needs-improvement", why="Second")
    store.update(ContactPoint, 1, 2, why="Third")
    with as_li(store).transaction() as tx:
        back = bring_back(tx, ContactPoint, 1, 1, 3)
    assert (back.rev, back.verdict, back.why, back.updated_by) == (
        4,
        Verdict.SUCCESS,
        "Overtime export arrived early",
        LI,
    )
    newest = history_of(store.read(), ContactPoint, 1)[0]
    assert {c.name: (c.old, c.new) for c in newest.changes} == {
        "verdict": (Verdict.NEEDS_IMPROVEMENT, Verdict.SUCCESS),
        "why": ("Third", "Overtime export arrived early"),
    }
    # And bringing back is undone the same way.
    with store.transaction() as tx:
        again = bring_back(tx, ContactPoint, 1, 3, 4)
    assert (again.rev, again.why, again.verdict) == (5, "Third", Verdict.NEEDS_IMPROVEMENT)


def test_bringing_back_refuses_a_stale_revision_and_an_unknown_one(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="Second")
    before = store.path.read_bytes()
    with pytest.raises(Conflict), store.transaction() as tx:
        bring_back(tx, ContactPoint, 1, 1, 1)
    with pytest.raises(UnknownVersion) as unknown, store.transaction() as tx:
        bring_back(tx, ContactPoint, 1, 7, 2)
    assert unknown.value.known == (2, 1)
    assert "has no revision 7 kept; its revisions are 2, 1" in str(unknown.value)
    assert store.path.read_bytes() == before


def test_bringing_back_the_current_version_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    with store.transaction() as tx:
        same = bring_back(tx, ContactPoint, 1, 1, 1)
    assert same.rev == 1 and store.path.read_bytes() == before


def test_bringing_back_a_deleted_record_restores_it_in_the_same_write(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="Second")
    store.delete(ContactPoint, 1, 2)
    with store.transaction() as tx:
        back = bring_back(tx, ContactPoint, 1, 1, 3)
    assert (back.rev, back.deleted, back.why) == (5, False, "Overtime export arrived early")
    assert [v.what for v in history_of(store.read(), ContactPoint, 1)] == [
        "changed",
        "restored",
        "deleted",
        "changed",
        "created",
    ]


# -- the schema version ---------------------------------------------------------------------


def test_history_came_with_a_schema_version_of_its_own() -> None:
    assert fileformat.current_version() >= registry.HISTORY_SINCE == 2


def test_a_file_of_the_version_before_migrates_and_keeps_history_from_then_on(
    store: Store,
) -> None:
    old = raw(store)
    old["meta"]["1"]["schema_version"] = registry.HISTORY_SINCE - 1
    write_raw(store, old)
    original = store.path.read_bytes()
    assert store.read().schema_version == registry.HISTORY_SINCE - 1
    assert history_of(store.read(), ContactPoint, 1)[0].what == "created"
    assert store.path.read_bytes() == original  # reading migrates nothing on disk
    as_li(store).update(ContactPoint, 1, 1, verdict="needs-improvement")
    (backup,) = store.path.parent.glob(f"team.json.schema{registry.HISTORY_SINCE - 1}-*.bak")
    assert backup.read_bytes() == original
    lifted = raw(store)
    assert lifted["meta"]["1"]["schema_version"] == fileformat.current_version()
    assert [v.rev for v in history_of(store.read(), ContactPoint, 1)] == [2, 1]


def test_a_file_of_a_newer_version_is_refused_and_left_untouched(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    newer = raw(store)
    newer["meta"]["1"]["schema_version"] = fileformat.current_version() + 1
    write_raw(store, newer)
    os.utime(store.path, ns=(1_000_000_000, 1_000_000_000))
    before = store.path.read_bytes()
    with pytest.raises(TeamFileError, match="newer ictui"):
        store.update(ContactPoint, 1, 1, why="Never written")
    db = str(store.path)
    for args in (["show", "1", "--history"], ["restore", "1", "--version", "1"], ["check"]):
        code, _, err = cli(capsys, *args, "--db", db)
        assert code == 1 and "newer ictui" in err
    assert store.path.read_bytes() == before
    assert store.path.stat().st_mtime_ns == 1_000_000_000
    assert list(store.path.parent.glob("*.bak")) == []


# -- what history must never do -------------------------------------------------------------


def test_exports_and_records_never_hold_the_history(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="Second")
    store.update(Partner, 1, 1, notes="Fridays")
    with_history = store.read()
    without = raw(store)
    for table in registry.tables():
        for doc in without[table].values():
            del doc["history"]
    write_raw(store, without)
    plain = store.read()
    assert export.to_json(with_history, NOW) == export.to_json(plain, NOW)
    assert export.to_markdown(with_history, NOW) == export.to_markdown(plain, NOW)
    assert export.to_csv(with_history, None) == export.to_csv(plain, None)
    assert with_history.all(ContactPoint) == plain.all(ContactPoint)
    assert not hasattr(with_history.all(ContactPoint)[0], "history")


BROKEN_HISTORY = {
    "not text": ({"rev": 1}, "history is an object, not the text of a list"),
    "not JSON": ("[{", "history is not a JSON text (Expecting property name"),
    "not a list": ('{"rev": 1}', "history holds an object, not a list"),
    "an entry not an object": ('["oops"]', "history entry 1 of 1 is a string, not an object"),
    "a value its field refuses": (
        [
            {
                "rev": 1,
                "updated_by": {"account": "alice"},
                "updated_at": "2026-11-20T10:30:00Z",
                "deleted": False,
                "fields": {"verdict": "maybe"},
            }
        ],
        "history, revision 1: verdict must be",
    ),
    "an unknown field": (
        [
            {
                "rev": 1,
                "updated_by": {"account": "alice"},
                "updated_at": "2026-11-20T10:30:00Z",
                "deleted": False,
                "fields": {"mood": "sunny"},
            }
        ],
        "history, revision 1: fields names mood, not a field of a contact point",
    ),
    "a revision not below the current": (
        [
            {
                "rev": 9,
                "updated_by": {"account": "alice"},
                "updated_at": "2026-11-20T10:30:00Z",
                "deleted": False,
                "fields": {},
            }
        ],
        "history, revision 9: rev is 9; it must be a whole number below 2",
    ),
    "no author": (
        [{"rev": 1, "updated_at": "2026-11-20T10:30:00Z", "deleted": False, "fields": {}}],
        "history, revision 1: updated_by",
    ),
}


@pytest.mark.parametrize("case", BROKEN_HISTORY)
def test_check_flags_a_broken_history_and_reads_still_work(
    capsys: pytest.CaptureFixture[str], store: Store, case: str
) -> None:
    store.update(ContactPoint, 1, 1, why="Second")
    broken, problem = BROKEN_HISTORY[case]
    data = raw(store)
    data["contact_points"]["1"]["history"] = broken
    write_raw(store, data)
    db = str(store.path)
    code, out, err = cli(capsys, "check", "--db", db)
    assert code == 1
    assert f"contact_points 1: {problem}" in err
    assert "1 record(s) whose history cannot be read in full" in err
    # The record itself is read as ever: listed, shown, counted, exported, changed.
    snapshot = store.read()
    assert snapshot.problems == ()
    assert [p.why for p in snapshot.all(ContactPoint)] == ["Second"]
    code, out, err = cli(capsys, "show", "1", "--db", db)
    assert code == 0 and "Second" in out
    code, out, err = cli(capsys, "show", "1", "--db", db, "--history")
    assert code == 0 and out.splitlines()[1].startswith("revision 2 (now), ")
    assert "older revisions cannot be read" in err and problem in err
    code, out, _ = cli(capsys, "export", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["contact_points"][0]["why"] == "Second"
    store.update(ContactPoint, 1, 2, why="Third")
    assert [v.rev for v in history_of(store.read(), ContactPoint, 1)][:2] == [3, 2]


def test_a_broken_history_entry_hides_only_the_versions_before_it(store: Store) -> None:
    for n in range(3):
        store.update(ContactPoint, 1, n + 1, why=f"take {n}")
    data = raw(store)
    history = json.loads(data["contact_points"]["1"]["history"])
    history[1]["fields"] = "broken"
    data["contact_points"]["1"]["history"] = history  # as a script might write it: a list
    write_raw(store, data)
    versions, problem = read_versions(store.read(), ContactPoint, 1)
    assert [v.rev for v in versions] == [4, 3]
    assert problem == "history, revision 2: fields is a string, not an object"


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """A team file with one contact point, logged by Amara, changed by Li Chen, then deleted."""
    path = tmp_path / "team.json"
    db = ["--db", str(path)]
    steps = [
        ["log", "--user", "Amara Okafor", "--partner", "Payroll", "--verdict", "success",
         "--why", "Paid on time.\nSaid thanks, too.", "--date", "2026-11-20"],
        ["edit", "1", "--user", "Li Chen", "--verdict", "needs-improvement", "--why", "Late"],
        ["edit", "1", "--user", "Li Chen", "--partner", "Facilities"],
        ["delete", "1", "--user", "Amara Okafor"],
    ]  # fmt: skip
    for step in steps:
        code, _, err = cli(capsys, *step, *db)
        assert code == 0, err
    return path


def test_show_history_says_each_revision_in_words(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, out, err = cli(capsys, "show", "1", "--history", "--db", str(team))
    assert code == 0, err
    title, *lines = out.splitlines()
    assert title == "Contact point 1, 4 revision(s), newest first"
    me = pwd.getpwuid(os.getuid()).pw_name
    said = [LINE.fullmatch(line.replace(f" ({me})", "")) for line in lines]
    assert [m.groups() if m else None for m in said] == [
        ("4 (now)", "Amara Okafor", "deleted"),
        ("3", "Li Chen", "partner Payroll → Facilities"),
        ("2", "Li Chen", "verdict ✓ success → ✗ needs improvement; "
         "why “Paid on time. ⏎ Said thanks, too.” → “Late”"),
        ("1", "Amara Okafor", "logged"),
    ]  # fmt: skip


LINE = re.compile(r"revision (\d+(?: \(now\))?), \d{4}-\d\d-\d\d \d\d:\d\d by (.+?): (.+)")
"""A line of `ictui show ID --history`: its revision, by whom, and what it did."""


def test_restore_a_version_brings_its_fields_back_and_says_how_to_undo(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    db = str(team)
    code, _, err = cli(capsys, "restore", "1", "--version", "1", "--db", db)
    assert code == 0, err
    assert "brought back revision 1 of contact point 1 as revision 6" in err
    code, out, _ = cli(capsys, "show", "1", "--db", db)
    assert "Paid on time." in out and "✓ success" in out and "Payroll" in out
    assert "(deleted)" not in out
    code, _, err = cli(capsys, "restore", "1", "--version", "3", "--db", db)
    assert code == 0 and f"undo with `ictui restore 1 --version 6 --db {db}`" in err
    code, out, _ = cli(capsys, "show", "1", "--db", db)
    assert "Late" in out and "Facilities" in out
    code, out, _ = cli(capsys, "show", "1", "--history", "--db", db)
    assert out.splitlines()[1].startswith("revision 7 (now), ")


def test_restore_refuses_an_unknown_version_naming_the_known_ones(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    before = team.read_bytes()
    code, _, err = cli(capsys, "restore", "1", "--version", "9", "--db", str(team))
    assert code == 1
    assert "contact point 1 has no revision 9 kept; its revisions are 4, 3, 2, 1" in err
    assert team.read_bytes() == before


def test_restore_without_a_version_still_undeletes(
    capsys: pytest.CaptureFixture[str], team: Path
) -> None:
    code, _, err = cli(capsys, "restore", "1", "--db", str(team))
    assert code == 0 and "brought back contact point 1" in err
    code, out, _ = cli(capsys, "show", "1", "--history", "--db", str(team))
    assert out.splitlines()[1].split(": ", 1)[1] == "brought back"


# -- two OS processes at once ----------------------------------------------------------------


@pytest.mark.slow
def test_two_processes_changing_one_record_both_keep_their_history(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    with store.transaction(create=True) as tx:
        partner = tx.new(Partner, name="Payroll")
        tx.add(
            checked(
                ContactPoint,
                partner_id=partner.id,
                date=TODAY,
                direction="provided",
                verdict="success",
                why="0",
            )
        )
    workers = [
        subprocess.Popen(
            [sys.executable, WORKER, "cas", str(store.path), "8"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        worker.communicate(timeout=300)
        assert worker.returncode == 0
    versions = history_of(store.read(), ContactPoint, 1)
    # Every one of the 16 revisions is kept, each by the process that made it, in order.
    assert [v.rev for v in versions] == list(range(17, 0, -1))
    for version in versions[:-1]:
        (change,) = version.changes
        assert (change.old, change.new) == (str(version.rev - 2), str(version.rev - 1))
    authors = [v.who.account for v in versions[:-1]]
    assert sorted(set(authors)) == sorted(f"worker{worker.pid}" for worker in workers)
    assert all(authors.count(account) == 8 for account in set(authors))
    assert store.read().history_problems == ()
