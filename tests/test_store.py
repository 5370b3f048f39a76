"""The store on one machine: transactions, revisions, conflicts, files kept safe."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from ictui.errors import (
    Conflict,
    IctuiError,
    InvalidInput,
    RecordNotFound,
    TeamFileBusy,
    TeamFileError,
    TeamFileMissing,
)
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.vocab import Verdict
from ictui.teamfile import fileformat
from ictui.teamfile.store import Snapshot, Store

from .conftest import ALICE, BOB, NOW, TODAY, checked
from .test_teamfile import BROKEN


def point_fields(
    partner_id: int = 1, why: str = "On time", **extra: object
) -> Checked[ContactPoint]:
    values = {
        "partner_id": partner_id,
        "date": TODAY,
        "direction": "provided",
        "verdict": "success",
    }
    return schema_of(ContactPoint).check({**values, "why": why, **extra})


# -- adding and reading -----------------------------------------------------------------


def test_a_new_record_carries_id_revision_and_author(store: Store) -> None:
    point = store.read().all(ContactPoint)[0]
    assert (point.id, point.rev) == (1, 1)
    assert (point.created_by.account, point.created_by.name) == (ALICE.account, ALICE.name)
    assert point.created_at == NOW
    assert point.updated_by == point.created_by


def test_reads_see_other_stores_writes_at_once(
    store: Store, make_store: Callable[..., Store]
) -> None:
    other = make_store(author=BOB)
    other.add(point_fields(why="Bob's note"))
    assert [p.why for p in store.read().all(ContactPoint)] == [
        "Overtime export arrived early",
        "Bob's note",
    ]


def test_a_missing_file_is_an_error_unless_creating(make_store: Callable[..., Store]) -> None:
    store = make_store()
    with pytest.raises(TeamFileMissing):
        store.read()
    with pytest.raises(TeamFileMissing):
        store.add(checked(Partner, name="x"))
    assert not store.exists()
    with store.transaction(create=True) as tx:
        assert tx.created
    assert store.read().all(Partner) == []


def test_the_folder_of_a_new_team_file_is_made(
    tmp_path: Path, make_store: Callable[..., Store]
) -> None:
    store = make_store(path=tmp_path / "a" / "b" / "team.json")
    with store.transaction(create=True):
        pass
    assert store.exists()


def test_a_contact_point_must_name_a_live_partner(store: Store) -> None:
    with pytest.raises(InvalidInput, match="names partner 9, which does not exist"):
        store.add(point_fields(partner_id=9))
    store.delete(Partner, 1, 1)
    with pytest.raises(InvalidInput, match="names partner 1, which was archived"):
        store.add(point_fields(partner_id=1))


def test_a_change_is_checked_over_the_record_as_stored(store: Store) -> None:
    with pytest.raises(InvalidInput, match="why is required"):
        store.update(ContactPoint, 1, 1, why=" \n ")
    with pytest.raises(InvalidInput, match="verdict must be"):
        store.update(ContactPoint, 1, 1, verdict="great")
    assert store.read().all(ContactPoint)[0].rev == 1


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.add(point_fields(why="half done"))
        raise RuntimeError("boom")
    assert store.path.read_bytes() == before


def test_a_transaction_that_changes_nothing_does_not_write(store: Store) -> None:
    token = store.change_token()
    with store.transaction() as tx:
        tx.all(ContactPoint)
    store.update(ContactPoint, 1, 1, verdict="success")  # same value: no new revision
    assert store.change_token() == token
    assert store.read().all(ContactPoint)[0].rev == 1


# -- revisions and conflicts ------------------------------------------------------------------


def test_update_bumps_the_revision_and_records_who(
    store: Store, make_store: Callable[..., Store]
) -> None:
    updated = make_store(author=BOB).update(ContactPoint, 1, 1, verdict="needs-improvement")
    assert updated.rev == 2
    assert updated.verdict is Verdict.NEEDS_IMPROVEMENT
    assert updated.updated_by == BOB
    assert updated.created_by == ALICE


def test_a_stale_update_is_a_conflict_carrying_the_other_version(
    store: Store, make_store: Callable[..., Store]
) -> None:
    make_store(author=BOB).update(ContactPoint, 1, 1, why="Bob's reason")
    with pytest.raises(Conflict) as caught:
        store.update(ContactPoint, 1, 1, why="Alice's reason")
    assert isinstance(caught.value.current, ContactPoint)
    assert caught.value.current.why == "Bob's reason"
    assert caught.value.current.rev == 2
    assert "changed by bob" in str(caught.value)
    assert store.read().all(ContactPoint)[0].why == "Bob's reason"


def test_a_stale_delete_is_a_conflict(store: Store) -> None:
    store.update(ContactPoint, 1, 1, why="changed")
    with pytest.raises(Conflict):
        store.delete(ContactPoint, 1, 1)


def test_updates_are_validated_and_name_the_field(store: Store) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.update(ContactPoint, 1, 1, why="", verdict="great")
    assert dict(caught.value.problems).keys() == {"why", "verdict"}
    with pytest.raises(InvalidInput, match="not a field"):
        store.update(ContactPoint, 1, 1, colour="red")


def test_unknown_ids_are_reported(store: Store) -> None:
    with pytest.raises(RecordNotFound, match="no contact point with id 42"):
        store.update(ContactPoint, 42, 1, why="x")


# -- soft delete --------------------------------------------------------------------------------


def test_delete_is_soft_and_undoable(store: Store) -> None:
    deleted = store.delete(ContactPoint, 1, 1)
    assert deleted.deleted and deleted.rev == 2
    assert store.read().all(ContactPoint) == []
    assert store.read().get(ContactPoint, 1).deleted  # type: ignore[union-attr]
    assert not store.read().holds_any(ContactPoint)
    restored = store.restore(ContactPoint, 1, 2)
    assert not restored.deleted and restored.rev == 3
    assert [p.why for p in store.read().all(ContactPoint)] == ["Overtime export arrived early"]
    assert store.read().holds_any(ContactPoint)


def test_a_deleted_record_cannot_be_edited_until_restored(store: Store) -> None:
    store.delete(ContactPoint, 1, 1)
    with pytest.raises(IctuiError, match="restore it first"):
        store.update(ContactPoint, 1, 2, why="x")


def test_ids_of_deleted_records_are_never_reused(store: Store) -> None:
    store.delete(ContactPoint, 1, 1)
    # Even a record purged by hand keeps its id taken.
    raw = json.loads(store.path.read_bytes())
    raw["contact_points"].clear()
    store.path.write_text(json.dumps(raw))
    assert store.add(point_fields()).id == 2


# -- the file on disk ---------------------------------------------------------------------------


def test_plain_tinydb_reads_the_team_file(store: Store) -> None:
    with TinyDB(store.path, access_mode="r") as db:
        assert {"meta", "partners", "contact_points"} <= db.tables()
        [point] = db.table("contact_points").all()
        assert point["why"] == "Overtime export arrived early"
        assert point.doc_id == 1


def test_a_file_written_by_plain_tinydb_is_migrated_after_a_backup(
    team_path: Path, make_store: Callable[..., Store]
) -> None:
    with TinyDB(team_path) as db:
        db.table("partners").insert({"name": "Payroll"})
    original = team_path.read_bytes()
    store = make_store()
    snapshot = store.read()
    assert snapshot.schema_version == 0
    assert snapshot.all(Partner)[0].rev == 1
    assert team_path.read_bytes() == original  # reading never migrates on disk
    store.add(point_fields())
    [backup] = team_path.parent.glob("team.json.schema0-*.bak")
    assert backup.read_bytes() == original
    assert store.read().schema_version == fileformat.current_version()


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_file_is_refused_and_left_byte_for_byte(
    kind: str, team_path: Path, make_store: Callable[..., Store]
) -> None:
    data, reason = BROKEN[kind]
    team_path.write_bytes(data)
    os.utime(team_path, ns=(1_000_000_000, 1_000_000_000))
    store = make_store()
    with pytest.raises(TeamFileError, match=str(team_path)):
        store.read()
    with pytest.raises(TeamFileError) as caught:
        store.add(checked(Partner, name="x"))
    assert reason in str(caught.value)
    assert team_path.read_bytes() == data
    assert team_path.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in team_path.parent.iterdir()) == ["team.json", "team.json.lock"]


def test_a_folder_or_unreadable_file_is_refused(
    tmp_path: Path, make_store: Callable[..., Store]
) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(TeamFileError, match="is a folder"):
        make_store(path=folder).read()


def test_invalid_records_are_reported_not_fatal(store: Store) -> None:
    raw = json.loads(store.path.read_bytes())
    raw["contact_points"]["1"]["verdict"] = "meh"
    store.path.write_text(json.dumps(raw))
    snapshot = store.read()
    assert snapshot.all(ContactPoint) == []
    assert [str(p) for p in snapshot.problems] == [
        "contact_points 1: verdict must be 'success' or 'needs-improvement'"
    ]
    # Other people can still write; the damaged record is kept as it was.
    store.add(point_fields(why="still works"))
    assert json.loads(store.path.read_bytes())["contact_points"]["1"]["verdict"] == "meh"


def test_writes_keep_the_files_mode_and_group(store: Store) -> None:
    groups = [g for g in os.getgroups() if g != store.path.stat().st_gid]
    group = 4242 if os.geteuid() == 0 else (groups[0] if groups else store.path.stat().st_gid)
    os.chown(store.path, -1, group)
    os.chmod(store.path, 0o640)
    store.add(point_fields())
    after = store.path.stat()
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert after.st_gid == group


def test_new_team_files_and_the_lock_are_group_writable(store: Store) -> None:
    assert store.path.stat().st_mode & stat.S_IWGRP
    assert store.lock_path.stat().st_mode & stat.S_IWGRP


def test_the_lock_file_is_never_replaced(store: Store) -> None:
    inode = store.lock_path.stat().st_ino
    for n in range(3):
        store.add(point_fields(why=f"note {n}"))
    assert store.lock_path.stat().st_ino == inode


def test_writes_go_through_a_symbolic_link(
    store: Store, tmp_path: Path, make_store: Callable[..., Store]
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store.path)
    make_store(path=link).add(point_fields(why="via link"))
    assert link.is_symlink()
    assert "via link" in store.path.read_text()


def test_temporary_files_of_a_killed_writer_are_swept(store: Store) -> None:
    leftover = store.path.with_name(".team.json.abcd1234.tmp")
    leftover.write_text("half a file")
    unrelated = store.path.with_name(".other.json.abcd1234.tmp")
    unrelated.write_text("not ours")
    store.add(point_fields())
    assert not leftover.exists()
    assert unrelated.exists()


def test_the_change_token_moves_with_every_write_even_same_size(store: Store) -> None:
    tokens = {store.change_token()}
    verdicts = ["needs-improvement", "success"] * 3
    for rev, verdict in enumerate(verdicts, start=1):
        store.update(ContactPoint, 1, rev, verdict=verdict)
        tokens.add(store.change_token())
    assert len(tokens) == len(verdicts) + 1
    assert not store.changed_since(store.change_token())
    assert store.change_token() == store.read().token


def test_a_failed_write_leaves_the_file_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(TeamFileError, match="No space left on device"):
        store.add(point_fields())
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert not list(store.path.parent.glob(".team.json.*.tmp"))


HOLD_LOCK = """
import sys, time
from ictui.teamfile.store import Store
from ictui.kinds.record import Author
store = Store(sys.argv[1], author=Author(account="carol"))
with store.transaction():
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_busy_lock_times_out_with_who_holds_it(
    store: Store, make_store: Callable[..., Store]
) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(store.path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            impatient = make_store(lock_timeout=0.2)
            started = time.monotonic()
            with pytest.raises(TeamFileBusy) as caught:
                impatient.add(point_fields())
            assert time.monotonic() - started < 30  # it gave up rather than hang
            message = str(caught.value)
            assert "is busy" in message and f"pid {holder.pid}" in message
            assert "carol@" in message and "nothing was written" in message
            assert impatient.read().all(ContactPoint)[0].rev == 1  # reads never wait for the lock
        finally:
            holder.kill()
    store.add(point_fields(why="after the holder died"))  # the kernel freed its lock


def test_ids_added_by_plain_tinydb_are_skipped_not_overwritten(store: Store) -> None:
    with TinyDB(store.path) as db:
        table = db.table("contact_points")
        table.insert({"note": "written by a script"})  # id 2, behind the store's back
        table.insert({"note": "another"})  # id 3
    with store.transaction() as tx:
        ids = [tx.add(point_fields(why=f"n{n}")).id for n in range(3)]
    assert ids == [4, 5, 6]
    raw = json.loads(store.path.read_bytes())
    assert raw["contact_points"]["2"] == {"note": "written by a script"}


def test_the_author_is_the_os_account(team_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("ICTUI_NAME", "Display Name")
    store = Store(team_path)
    assert store.author.account == pwd.getpwuid(os.geteuid()).pw_name
    assert store.author.name == "Display Name"


def test_a_demo_style_author_and_time_can_be_given(make_store: Callable[..., Store]) -> None:
    store = make_store()
    at = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    with store.transaction(create=True) as tx:
        partner = tx.add(checked(Partner, name="x"), author=BOB, at=at)
    assert partner.created_by == BOB and partner.created_at == at


def test_an_author_no_record_could_hold_is_refused_and_nothing_written(store: Store) -> None:
    before = store.path.read_bytes()
    nobody = Author(account="", name="n" * 81)  # made without its check, as a script might
    with pytest.raises(InvalidInput, match="account") as refused:
        Store(store.path, author=nobody).add(checked(Partner, name="Legal"))
    assert "at most 80" in str(refused.value)
    assert store.path.read_bytes() == before


def test_points_between_dates_match_the_full_filter_and_skip_invalid_ones(store: Store) -> None:
    with store.transaction() as tx:
        for day in ("2026-10-01", "2026-11-01", "2026-11-10"):
            tx.new(
                ContactPoint,
                partner_id=1,
                date=day,
                direction="provided",
                verdict="success",
                why=day,
            )
    raw = json.loads(store.path.read_text())
    raw["contact_points"]["90"] = dict(raw["contact_points"]["2"], date="2026-11-05", why="")
    raw["contact_points"]["91"] = dict(raw["contact_points"]["2"], date="20261105")
    store.path.write_text(json.dumps(raw))
    snapshot = store.read()
    since, until = dt.date(2026, 11, 1), dt.date(2026, 11, 10)
    between = snapshot.between(ContactPoint, "date", since, until)
    assert sorted(p.why for p in between) == ["2026-11-01", "2026-11-10"]
    expected = [p for p in snapshot.all(ContactPoint) if since <= p.date <= until]
    assert sorted(p.id for p in between) == sorted(p.id for p in expected)
    assert {p.record_id for p in snapshot.problems} == {"90", "91"}


def test_a_reread_takes_over_unchanged_records_and_checks_changed_ones(
    store: Store, make_store: Callable[..., Store]
) -> None:
    same, edited, broken = (store.add(point_fields(why=why)).id for why in ("a", "b", "c"))
    raw = json.loads(store.path.read_bytes())
    raw["contact_points"][str(broken)]["verdict"] = "meh"  # a hand edit gone wrong
    store.path.write_text(json.dumps(raw))
    earlier = store.read()
    kept, before = earlier.get(ContactPoint, same), earlier.get(ContactPoint, edited)
    assert kept is not None and before is not None and len(earlier.problems) == 1
    # Someone else changes one contact point and mends the broken one.
    make_store(BOB).update(ContactPoint, edited, before.rev, why="changed by Bob")
    raw = json.loads(store.path.read_bytes())
    raw["contact_points"][str(broken)]["verdict"] = "success"
    store.path.write_text(json.dumps(raw))
    later = store.read(reuse=earlier)
    assert later.get(ContactPoint, same) is kept  # unchanged: taken over, not checked again
    changed = later.get(ContactPoint, edited)
    assert changed is not None and changed.why == "changed by Bob"
    mended = later.get(ContactPoint, broken)
    assert mended is not None and mended.verdict is Verdict.SUCCESS
    assert not later.problems


def test_a_reread_after_a_record_broke_reports_it(store: Store) -> None:
    point = store.add(point_fields(why="fine for now"))
    earlier = store.read()
    assert earlier.get(ContactPoint, point.id) is not None
    raw = json.loads(store.path.read_bytes())
    raw["contact_points"][str(point.id)]["date"] = "not a date"
    store.path.write_text(json.dumps(raw))
    later = store.read(reuse=earlier)
    assert later.get(ContactPoint, point.id) is None
    assert [p.record_id for p in later.problems] == [str(point.id)]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["contact_points", "partners"]),
        st.integers(min_value=1, max_value=4),
        st.sampled_from(["why", "verdict", "date", "name", "rev", "deleted", "gone"]),
        st.sampled_from(["", "edited", "needs-improvement", "2026-11-02", 7, True, None]),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(first=EDITS, second=EDITS)
def test_a_reread_with_reuse_sees_exactly_what_a_fresh_read_sees(
    first: list[tuple[str, int, str, object]], second: list[tuple[str, int, str, object]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "team.json", author=ALICE)
        with store.transaction(create=True) as tx:
            for name in ("Payroll", "Legal"):
                tx.new(Partner, name=name)
        for why in ("one", "two", "three", "four"):
            store.add(point_fields(why=why))

        def hand_edit(edits: list[tuple[str, int, str, object]]) -> None:
            raw = json.loads(store.path.read_bytes())
            for table, key, field, value in edits:
                record = raw[table].get(str(key))
                if record is None:
                    continue
                if field == "gone":
                    del raw[table][str(key)]
                else:
                    record[field] = value
            store.path.write_text(json.dumps(raw))

        def seen(snapshot: Snapshot) -> tuple[object, ...]:
            return (
                snapshot.all(Partner, include_deleted=True),
                snapshot.all(ContactPoint, include_deleted=True),
                sorted(str(p) for p in snapshot.problems),
            )

        hand_edit(first)
        earlier = store.read()
        seen(earlier)  # everything checked, valid or not
        hand_edit(second)
        assert seen(store.read(reuse=earlier)) == seen(store.read())


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_a_lock_wait_that_is_no_wait_falls_back_to_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from ictui.teamfile.store import DEFAULT_LOCK_TIMEOUT

    monkeypatch.setenv("ICTUI_LOCK_TIMEOUT", value)  # never for ever, never giving up at once
    assert Store(tmp_path / "team.json").lock_timeout == DEFAULT_LOCK_TIMEOUT
    monkeypatch.setenv("ICTUI_LOCK_TIMEOUT", "0.5")
    assert Store(tmp_path / "team.json").lock_timeout == 0.5
