"""Records held as their JSON bytes answer every question as the decoded records do."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import ValidationError

from ictui.errors import TeamFileError
from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.schema import schema_of
from ictui.outputs.demo import write_demo
from ictui.services.stats import newest_first
from ictui.teamfile import compact, fileformat, steps
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction

from .conftest import ALICE, BOB, TODAY, checked, fixed_clock

PATH = Path("team.json")


@functools.cache
def written_team() -> dict[str, Any]:
    """Return a small team file as ictui writes it: a partner, a point edited, one deleted."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "team.json", author=ALICE, clock=fixed_clock)
        with store.transaction(create=True) as tx:
            partner = tx.new(Partner, name="Payroll")
        values = {"partner_id": partner.id, "direction": "received", "verdict": "success"}
        first = store.add(checked(ContactPoint, date="2026-11-02", why="On time", **values))
        store.update(ContactPoint, first.id, first.rev, date="2026-10-01", why="Moved")
        gone = store.add(checked(ContactPoint, date="2026-11-03", why="Gone", **values))
        store.delete(ContactPoint, gone.id, gone.rev)
        store.add(
            checked(ContactPoint, date="2026-11-04", why='He said "date":"2026-01-01"', **values)
        )
        loaded: dict[str, Any] = json.loads(store.path.read_bytes())
        return loaded


def snapshots(raw: dict[str, Any]) -> tuple[Snapshot, Snapshot]:
    """Return a snapshot of raw holding dicts, and one holding the long tables as bytes."""
    held = copy.deepcopy(raw)
    compact.compact_tables(held)
    return Snapshot(PATH, (0, 0, 0, 0), 6, copy.deepcopy(raw)), Snapshot(
        PATH, (0, 0, 0, 1), 6, held
    )


# Dates as a person, a script or a hostile co-worker may have stored them, and
# texts that look like the stored form of a date field.
days = st.dates(dt.date(2026, 9, 1), dt.date(2026, 12, 31))
stored_days = st.one_of(
    days.map(dt.date.isoformat),
    # Digits other than ASCII's (Arabic-Indic here) are not a date as the store writes it.
    st.sampled_from(["2026-11-2", "20261102", "", "2026-11-02T10:00", "\u0662026-11-02", "x"]),
    st.integers(-2, 20261102),
    st.none(),
)
texts = st.one_of(
    st.text(max_size=20),
    days.map(lambda day: f'"date":"{day.isoformat()}"'),
    days.map(lambda day: f'x","date":"{day.isoformat()}'),
)


@st.composite
def point_docs(draw: st.DrawFn) -> dict[str, Any]:
    """A stored contact point, its date, text, history or deleted mark changed, or as written."""
    base = draw(st.sampled_from(list(written_team()["contact_points"].values())))
    doc: dict[str, Any] = copy.deepcopy(base)
    change = draw(
        st.sampled_from(["date", "missing", "why", "history", "listed", "deleted", "as is"])
    )
    if change == "date":
        doc["date"] = draw(stored_days)
    elif change == "missing":
        doc.pop("date")
    elif change == "why":
        doc["why"] = draw(texts)
    elif change == "history":  # as ictui writes it: a JSON text, dates inside
        doc["history"] = json.dumps([{"rev": 1, "date": draw(days).isoformat()}])
    elif change == "listed":  # as a script may write it, first: a list, dates inside
        doc = {"history": [{"rev": 1, "date": draw(days).isoformat()}], **doc}
        if draw(st.booleans()):
            doc["date"] = draw(stored_days)
    elif change == "deleted":
        doc["deleted"] = draw(st.sampled_from([True, False, "true", 1]))
        if draw(st.booleans()):  # an earlier version deleted, as a script may write it
            doc = {"history": [{"rev": 1, "deleted": True}], **doc}
    return doc


@settings(max_examples=150, deadline=None)
@given(
    st.lists(point_docs(), min_size=1, max_size=8),
    st.none() | days,
    st.none() | days,
)
def test_a_snapshot_holding_bytes_answers_as_one_holding_dicts(
    docs: list[dict[str, Any]], since: dt.date | None, until: dt.date | None
) -> None:
    raw = copy.deepcopy(written_team())
    raw["contact_points"] = {str(n): doc for n, doc in enumerate(docs, 1)}
    as_dicts, as_bytes = snapshots(raw)
    assert all(type(held) is bytes for held in as_bytes.held["contact_points"].values())

    def answers(snapshot: Snapshot) -> list[Any]:
        found = snapshot.between(ContactPoint, "date", since, until)
        return [
            [point.id for point in found],
            snapshot.holds_any(ContactPoint),
            [snapshot.get(ContactPoint, n) for n in range(len(docs) + 1)],
            [snapshot.history(ContactPoint, n) for n in range(len(docs) + 1)],
            snapshot.all(ContactPoint, include_deleted=True),
            snapshot.counts(ContactPoint),
            snapshot.problems,
            snapshot.history_problems,
        ]

    assert answers(as_bytes) == answers(as_dicts)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(point_docs(), min_size=1, max_size=8),
    st.none() | days,
    st.integers(1, 9),
    st.sampled_from(["every", "success", "none"]),
)
def test_the_newest_records_are_the_first_of_the_whole_listing(
    docs: list[dict[str, Any]], until: dt.date | None, wanted: int, kept: str
) -> None:
    raw = copy.deepcopy(written_team())
    raw["contact_points"] = {str(n): doc for n, doc in enumerate(docs, 1)}

    def keep(point: ContactPoint) -> bool:
        return kept == "every" or (kept == "success" and point.verdict.value == "success")

    # Each as dicts and as bytes: one with nothing checked yet, one checked in full.
    for fresh, checked_all in zip(snapshots(raw), snapshots(raw), strict=True):
        assert checked_all.check_every_record(between=lambda: True)
        whole = [p for p in checked_all.all(ContactPoint) if until is None or p.date <= until]
        expected = newest_first([p for p in whole if keep(p)])[:wanted]
        for asked in (fresh, checked_all):
            assert asked.newest(ContactPoint, "date", until, wanted, keep, most_checked=99) == (
                expected
            )


@settings(max_examples=100, deadline=None)
@given(st.lists(point_docs(), min_size=1, max_size=8), st.booleans())
def test_every_record_checked_answers_as_none_checked(
    docs: list[dict[str, Any]], deleted: bool
) -> None:
    # Once every record is checked (as the app does after start, and each write
    # takes over), the answers come from the verdicts: they must be the same.
    raw = copy.deepcopy(written_team())
    raw["contact_points"] = {str(n): doc for n, doc in enumerate(docs, 1)}
    for fresh, done in zip(snapshots(raw), snapshots(raw), strict=True):
        assert done.check_every_record(between=lambda: True)
        assert done.unchecked(ContactPoint) == 0 and fresh.unchecked(ContactPoint) == len(docs)
        assert done.all(ContactPoint, include_deleted=deleted) == fresh.all(
            ContactPoint, include_deleted=deleted
        )
        assert done.problems == fresh.problems


def test_the_newest_give_up_when_the_filter_lets_few_through() -> None:
    raw = copy.deepcopy(written_team())
    snapshot = snapshots(raw)[1]
    stored = len(raw["contact_points"])
    assert snapshot.newest(ContactPoint, "date", None, 2, lambda p: False, most_checked=1) is None
    # With room to check every record, the answer is that none is kept.
    assert (
        snapshot.newest(ContactPoint, "date", None, 2, lambda p: False, most_checked=stored) == []
    )


def test_a_record_orjson_cannot_write_stays_decoded() -> None:
    raw = copy.deepcopy(written_team())
    points = raw["contact_points"]
    points["1"]["why"] = "lone \ud800 surrogate"  # UTF-8 cannot hold it
    points["2"]["rev"] = 2**70  # beyond 64 bits
    compact.compact_tables(raw)
    assert type(points["1"]) is dict and type(points["2"]) is dict
    assert type(points["3"]) is bytes
    assert compact.record(points["3"]) == written_team()["contact_points"]["3"]
    # Short tables are never held as bytes.
    assert all(type(doc) is dict for doc in raw["partners"].values())


def test_an_unchanged_record_is_the_earlier_readings_own_bytes() -> None:
    earlier = copy.deepcopy(written_team())
    compact.compact_tables(earlier)
    later = copy.deepcopy(written_team())
    later["contact_points"]["1"]["why"] = "Changed"
    compact.compact_tables(later, earlier)
    before, now = earlier["contact_points"], later["contact_points"]
    assert now["2"] is before["2"] and now["3"] is before["3"]
    assert now["1"] is not before["1"] and compact.record(now["1"])["why"] == "Changed"
    # Exactly its size: orjson's own bytes object would keep room for 4 KB.
    assert now["1"] == orjson.dumps(later_doc := compact.record(now["1"]))
    assert sys.getsizeof(now["1"]) < len(now["1"]) + 64
    assert later_doc["why"] == "Changed"


@pytest.mark.parametrize("version", [1, 3, 5])
def test_an_older_file_read_as_bytes_is_lifted_to_the_current_schema(
    tmp_path: Path, version: int
) -> None:
    store = Store(tmp_path / "team.json", author=ALICE, clock=fixed_clock)
    raw = copy.deepcopy(written_team())
    raw["meta"]["1"]["schema_version"] = version  # its migrations change contact points
    store.path.write_bytes(orjson.dumps(raw))
    snapshot = store.read(in_steps=True)
    assert snapshot.schema_version == version
    for kind in registry.KINDS:
        assert snapshot.all(kind, include_deleted=True) == store.read().all(
            kind, include_deleted=True
        )


def test_a_file_held_as_bytes_is_written_as_its_decoded_records_would_be() -> None:
    raw = copy.deepcopy(written_team())
    held = copy.deepcopy(raw)
    compact.compact_tables(held)
    held["contact_points"]["9"] = {"why": "new, not held as bytes yet"}
    raw["contact_points"]["9"] = {"why": "new, not held as bytes yet"}
    assert fileformat.encode(held) == fileformat.encode(raw) == orjson.dumps(raw)
    # What orjson refuses goes to json, records held as bytes decoded for it.
    raw["contact_points"]["9"]["why"] = held["contact_points"]["9"]["why"] = "lone \ud800"
    assert fileformat.encode(held) == fileformat.encode(raw)
    assert json.loads(fileformat.encode(held)) == raw


def long_team(folder: Path, contacts: int = 3000) -> Store:
    """Return a store on a demo file long enough to be read in pieces (over 1 MB)."""
    store = Store(folder / "team.json", author=ALICE, clock=fixed_clock)
    write_demo(store, TODAY, contacts)
    assert store.path.stat().st_size > 4 * steps.PIECE
    return store


def test_the_apps_write_reads_the_file_as_the_app_does_and_writes_the_same(
    tmp_path: Path,
) -> None:
    store = long_team(tmp_path)
    known = store.read(in_steps=True)
    other = Store(tmp_path / "other.json", author=ALICE, clock=fixed_clock)
    shutil.copyfile(store.path, other.path)
    point = known.all(ContactPoint)[5]
    written: list[Snapshot] = []
    store.run(
        lambda tx: tx.update(ContactPoint, point.id, point.rev, {"why": "Edited"}),
        written=written.append,
        known=known,
    )
    other.update(ContactPoint, point.id, point.rev, why="Edited")
    assert store.path.read_bytes() == other.path.read_bytes()
    # The write's own reading holds the long tables as bytes, the known ones where unchanged.
    [snapshot] = written
    before, after = known.held["contact_points"], snapshot.held["contact_points"]
    unchanged = [key for key in after if key != str(point.id)]
    assert all(after[key] is before[key] for key in unchanged)
    assert snapshot.get(ContactPoint, point.id).why == "Edited"  # type: ignore[union-attr]


def test_the_apps_write_refuses_a_key_named_twice_as_any_write_does(tmp_path: Path) -> None:
    store = long_team(tmp_path)
    known = store.read(in_steps=True)
    data = store.path.read_bytes()
    # A contact point named twice, far into the table: a plain JSON reader keeps the last.
    at = data.index(b',"2000":{')
    store.path.write_bytes(data[:at] + b',"1999":{}' + data[at:])

    def add(tx: Transaction) -> None:
        tx.new(Partner, name="Legal")

    with pytest.raises(TeamFileError) as plain:
        store.run(add)
    with pytest.raises(TeamFileError) as as_the_app:
        store.run(add, known=known)
    assert "1999" in str(plain.value) and str(as_the_app.value) == str(plain.value)


def as_the_app(store: Store, known: Snapshot, change: Any) -> Snapshot:
    """Make a write as the open app does, knowing the file as read; return the file as written."""
    written: list[Snapshot] = []
    store.run(change, written=written.append, known=known)
    [snapshot] = written
    return snapshot


def test_the_apps_writes_parse_nothing_while_nobody_else_writes(
    tmp_path: Path, parses: list[Path]
) -> None:
    store = long_team(tmp_path)
    other = Store(tmp_path / "other.json", author=ALICE, clock=fixed_clock)
    shutil.copyfile(store.path, other.path)
    known = store.read(in_steps=True)
    assert known.digest  # read in steps: its proof makes it what a strict reading gives
    first_reading = known
    held_before = copy.deepcopy(compact.decoded_tables(known.held))
    parses.clear()
    for point in known.all(ContactPoint)[:3]:
        changes: list[Any] = [
            lambda tx, p=point: tx.update(ContactPoint, p.id, p.rev, {"why": "Seen"}),
            lambda tx, p=point: tx.new(Partner, name=f"Partner {p.id}"),
            lambda tx, p=point: tx.delete(ContactPoint, p.id, p.rev + 1),
        ]
        for change in changes:
            known = as_the_app(store, known, change)  # the next starts from what this wrote
            other.run(change)
    assert parses.count(store.path) == 0 and parses.count(other.path) == 9
    assert store.path.read_bytes() == other.path.read_bytes()
    # What the app showed before stays as it was: each write changed copies.
    assert compact.decoded_tables(first_reading.held) == held_before


def test_a_colleagues_write_in_between_is_read_and_kept(tmp_path: Path, parses: list[Path]) -> None:
    store = long_team(tmp_path)
    known = store.read(in_steps=True)
    colleague = Store(store.path, author=BOB, clock=fixed_clock)
    colleague.run(lambda tx: tx.new(Partner, name="Bob's partner"))
    parses.clear()
    point = known.all(ContactPoint)[0]
    known = as_the_app(
        store, known, lambda tx: tx.update(ContactPoint, point.id, point.rev, {"why": "Mine"})
    )
    assert parses == [store.path]  # the file changed since the app read it
    now = store.read()
    assert "Bob's partner" in [p.name for p in now.all(Partner)]
    assert now.get(ContactPoint, point.id).why == "Mine"  # type: ignore[union-attr]
    assert known.get(ContactPoint, point.id).why == "Mine"  # type: ignore[union-attr]


def test_a_reading_not_proven_exact_is_parsed_again_by_the_write(
    tmp_path: Path, parses: list[Path]
) -> None:
    # A short file is read in one go, duplicated keys let through (the app shows
    # what it can); an older schema's records are lifted in memory.
    short = Store(tmp_path / "short.json", author=ALICE, clock=fixed_clock)
    short.path.write_bytes(orjson.dumps(written_team()))
    older = long_team(tmp_path / "older")
    raw = orjson.loads(older.path.read_bytes())
    raw["meta"]["1"]["schema_version"] = 5
    older.path.write_bytes(orjson.dumps(raw))
    for store in (short, older):
        known = store.read(in_steps=True)
        assert known.digest is None
        parses.clear()
        as_the_app(store, known, lambda tx: tx.new(Partner, name="Legal"))
        assert parses == [store.path]


def test_bytes_changed_in_place_are_parsed_whatever_stat_says(
    tmp_path: Path, parses: list[Path]
) -> None:
    # Another tool rewrites the file in place, same size, and its time put back
    # (or a file system too coarse to tell): the write still sees the change.
    store = long_team(tmp_path)
    known = store.read(in_steps=True)
    point = known.all(ContactPoint)[0]
    data = store.path.read_bytes()
    old_why = orjson.dumps(point.why)
    new_why = orjson.dumps("X" * len(point.why))
    assert len(old_why) == len(new_why) and old_why in data
    before = store.path.stat()
    with open(store.path, "r+b") as file:  # the same inode
        file.write(data.replace(old_why, new_why))
    os.utime(store.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = store.path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    parses.clear()
    as_the_app(store, known, lambda tx: tx.new(Partner, name="Legal"))
    assert parses == [store.path]
    assert store.read().get(ContactPoint, point.id).why == "X" * len(point.why)  # type: ignore[union-attr]


def test_records_by_the_same_person_share_one_author() -> None:
    # A team's few dozen people sign every record twice: one object each, not two per record.
    raw = copy.deepcopy(written_team())
    first, second = list(raw["contact_points"].items())[:2]
    second[1]["updated_by"] = {"account": "bob", "name": None}
    schema = schema_of(ContactPoint)
    one, other = schema.read(*first), schema.read(*second)
    assert one.created_by == other.created_by == ALICE
    assert one.created_by is other.created_by is one.updated_by
    assert other.updated_by.account == "bob" and other.updated_by is not one.updated_by
    # Read once is not taken on trust: an equal value of another type is read afresh.
    second[1]["updated_by"] = {"account": "bob", "name": "1"}
    assert schema.read(*second).updated_by.name == "1"
    second[1]["updated_by"] = {"account": "bob", "name": 1}
    with pytest.raises(ValidationError):
        schema.read(*second)
    second[1]["updated_by"] = {"account": " bob ", "name": None}  # cleaned as ever
    assert schema.read(*second).updated_by.account == "bob"
