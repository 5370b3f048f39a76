"""The team file as read at one moment: records of every kind, checked when first asked for."""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import ValidationError

from ictui.kinds import registry
from ictui.kinds.record import R, Record
from ictui.kinds.schema import problems_of, schema_of
from ictui.teamfile import compact, lane, references
from ictui.teamfile.compact import Held, Stored
from ictui.teamfile.history import KEY as HISTORY_KEY
from ictui.teamfile.history import RecordHistory, read_history

ChangeToken = tuple[int, int, int, int]
"""What stat says of the team file (device, inode, size, mtime): changes with every write."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
"""A date as the store writes it; such strings sort as the dates they name."""

Changes = Mapping[str, frozenset[str]]
"""The records that differ between two readings: their keys, by table (added, changed, removed)."""

_STORED_DAY = re.compile(rb'(\d{4}-\d{2}-\d{2})"')
"""The same in a record's JSON bytes, after the field's name: the date and its closing quote."""


@dataclass(frozen=True)
class RecordProblem:
    """A record in the team file that is not valid, found while reading it."""

    table: str
    record_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} {self.record_id}: {self.message}"


class Snapshot:
    """The team file as read at one moment: its records by kind, checked when first asked for.

    Reading a team file of 10,000 contact points takes a few milliseconds;
    checking every record takes ten times as long. So records are checked
    (and cleaned) on first use and kept: a screen that shows the last two weeks
    checks only those. Whatever is asked for, only valid records come back;
    `problems` checks everything and lists what is not valid. The long tables'
    records may be held as their JSON bytes (see compact), decoded when needed.
    """

    def __init__(
        self,
        path: Path,
        token: ChangeToken,
        schema_version: int,
        raw: Held,
        *,
        digest: bytes | None = None,
    ) -> None:
        """Hold raw, the team file as read; nothing is checked yet.

        digest: the hash of the file's bytes (fileformat.digest), given when raw
        is exactly what a strict reading of those bytes gives: a write that finds
        the same bytes may start from raw without parsing them again.
        """
        self.path = path
        self.token = token
        self.schema_version = schema_version
        self.digest = digest
        self._raw = raw
        self._valid: dict[str, dict[str, Any]] = {}
        self._invalid: dict[str, dict[str, RecordProblem]] = {}
        self._problems: tuple[RecordProblem, ...] | None = None  # once found: they stay
        # The reading this one took its checks from, and what differs: a weak reference,
        # or every reading would keep the one before it, and that one the one before...
        self._since: tuple[weakref.ref[Snapshot], Changes] | None = None

    @property
    def held(self) -> Held:
        """The file as read: every table's records by id, never to be changed."""
        return self._raw

    def hold_as_bytes(self, earlier: Snapshot | None) -> None:
        """Hold the long tables' records as bytes, sharing earlier's where the same.

        For a snapshot made from a write's own records, before it is shown.
        """
        compact.compact_tables(self._raw, earlier._raw if earlier is not None else None)

    def take_checked_from(self, earlier: Snapshot) -> None:
        """Take over earlier's verdicts on the records this snapshot holds unchanged.

        Checking depends on nothing but the record itself (clock rules apply
        only to new input), so an unchanged record needs no second look;
        comparing it is about ten times quicker than checking it. What differs
        is noted (see changes_since): what was made of earlier can be patched.
        """
        changes: dict[str, frozenset[str]] = {}
        for kind in list(registry.KINDS):
            table = kind.TABLE
            docs, earlier_docs = self._raw.get(table, {}), earlier._raw.get(table, {})
            # Mostly the same bytes object (shared by steps and compact): no comparing.
            changed = {
                key
                for key, doc in docs.items()
                if (before := earlier_docs.get(key)) is not doc and doc != before
            }
            added = sum(key not in earlier_docs for key in changed)
            if len(docs) - added != len(earlier_docs):
                changed |= earlier_docs.keys() - docs.keys()  # removed (by hand)
            if changed:
                changes[table] = frozenset(changed)
            for verdicts, earlier_verdicts in (
                (self._valid, earlier._valid),
                (self._invalid, earlier._invalid),
            ):
                known = earlier_verdicts.get(table)
                if not known:
                    continue
                # One copy in C, not a loop: the app's thread may be checking more of earlier.
                kept = verdicts.setdefault(table, {})
                kept.update(known.copy())
                for key in changed:
                    kept.pop(key, None)
        self._since = (weakref.ref(earlier), changes)

    def changes_since(self, earlier: Snapshot) -> Changes | None:
        """Return the records that differ from earlier's, if this reading took its checks from it.

        None when it did not, or when a changed record's key is not its id as
        written by ictui ("007"): patching what was made of earlier by id would
        then miss it.
        """
        if self._since is None or self._since[0]() is not earlier:
            return None
        changes = self._since[1]
        if any(key != str(int(key)) for keys in changes.values() for key in keys):
            return None
        return changes

    def records_at(self, kind: type[R], keys: Iterable[str]) -> list[R]:
        """Return the valid records (deleted or not) at these keys, in the order given."""
        docs = self._raw.get(kind.TABLE, {})
        found = (self._checked(kind, key, docs[key]) for key in keys if key in docs)
        return [record for record in found if record is not None]

    def _checked(self, kind: type[R], key: str, stored: Stored) -> R | None:
        valid = self._valid.setdefault(kind.TABLE, {})
        known: R | None = valid.get(key)
        if known is not None:
            return known
        invalid = self._invalid.setdefault(kind.TABLE, {})
        if key in invalid:
            return None
        lane.breathe()  # a check costs 15 us: in a long run of them, the screen goes first
        try:
            record = schema_of(kind).read(key, compact.record(stored))
        except ValidationError as error:
            invalid[key] = RecordProblem(kind.TABLE, key, problems_of(error))
            return None
        valid[key] = record
        return record

    def _docs(self, kind: type[Record]) -> Iterator[tuple[str, Stored]]:
        # Every long loop over a kind's records comes here: in a turn, each one breathes.
        return lane.breathing(self._raw.get(kind.TABLE, {}).items())

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind, in file order; deleted ones only if asked."""
        if self.unchecked(kind):
            records = (self._checked(kind, key, doc) for key, doc in self._docs(kind))
        else:  # every one checked: half the time at 100,000 (after each write, say)
            valid = self._valid.get(kind.TABLE, {})
            records = (valid.get(key) for key in lane.breathing(self._raw.get(kind.TABLE, {})))
        return [r for r in records if r is not None and (include_deleted or not r.deleted)]

    def named_elsewhere(self, kind: type[R], record_id: int, but: Record | None = None) -> bool:
        """Whether any record other than but names this one, deleted records included."""
        return references.named_elsewhere(self._raw, kind, record_id, but)

    def get(self, kind: type[R], record_id: int) -> R | None:
        """Return one valid record by id, deleted or not, or None."""
        key = str(record_id)
        doc = self._raw.get(kind.TABLE, {}).get(key)
        return None if doc is None else self._checked(kind, key, doc)

    def history(self, kind: type[Record], record_id: int) -> RecordHistory | None:
        """Return a record's versions, newest first, or None if it is not a valid record.

        Read afresh from the file as read, each time: only when asked.
        """
        key = str(record_id)
        doc = self._raw.get(kind.TABLE, {}).get(key)
        current = None if doc is None else self._checked(kind, key, doc)
        if doc is None or current is None:
            return None
        return read_history(kind, key, compact.record(doc), current)

    @property
    def history_problems(self) -> tuple[RecordProblem, ...]:
        """Check the history of every valid record; return each that cannot be read in full.

        A broken history never makes its record unreadable: these are not
        among `problems`, which are records that cannot be read.
        """
        found = []
        marker = f'"{HISTORY_KEY}":'.encode()
        for kind in list(registry.KINDS):
            for key, stored in list(self._docs(kind)):
                if type(stored) is bytes and marker not in stored:
                    continue  # no history: no need to decode it
                doc = compact.record(stored)
                if HISTORY_KEY not in doc:
                    continue
                current = self._checked(kind, key, doc)
                if current is None:
                    continue
                problem = read_history(kind, key, doc, current).problem
                if problem is not None:
                    found.append(RecordProblem(kind.TABLE, key, problem))
        return tuple(found)

    def stored(self, kind: type[Record]) -> int:
        """Return how many records of a kind the file holds, valid or not, deleted or not."""
        return len(self._raw.get(kind.TABLE, {}))

    def holds_any(self, kind: type[Record]) -> bool:
        """Whether any record of this kind is stored and not deleted, without checking them."""
        return any(_not_deleted(stored) for _, stored in self._docs(kind))

    def between(
        self, kind: type[R], field: str, since: dt.date | None, until: dt.date | None
    ) -> list[R]:
        """Return the records whose date field is since..until (None: open), checking only those."""
        # An open end: text below or above every date written YYYY-MM-DD.
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "\uffff"
        bounded = since is not None or until is not None  # all time: every date passes
        marker = f'"{field}":"'.encode()
        valid = self._valid.setdefault(kind.TABLE, {})
        found: list[R] = []
        for key, stored in self._docs(kind):
            record = valid.get(key)
            if record is None:
                # Skip by the stored text only when it is a date as the store writes it;
                # anything else is checked, and judged by the date it means.
                day = _stored_day(stored, field, marker) if bounded else None
                if day is not None and not low <= day <= high:
                    continue
                doc = compact.record(stored)
                if doc.get("deleted") is True:
                    continue
                record = self._checked(kind, key, doc)
                if record is None:
                    continue
            if record.deleted:
                continue
            if bounded:
                value = getattr(record, field)
                if (since and value < since) or (until and value > until):
                    continue
            found.append(record)
        return found

    def newest(
        self,
        kind: type[R],
        field: str,
        until: dt.date | None,
        wanted: int,
        keep: Callable[[R], bool],
        *,
        most_checked: int,
    ) -> list[R] | None:
        """Return the `wanted` newest valid records by date field then id, up to until, that keep.

        Checks only the newest, by the dates as stored (a first screen of all
        time at 100,000 records: a sixth of checking them all). Newest first.
        Fewer than wanted only when there are no more; None when finding them
        would check more than most_checked records (keep lets few through).
        """
        marker = f'"{field}":"'.encode()
        high = until.isoformat() if until else "\uffff"
        valid = self._valid.setdefault(kind.TABLE, {})
        invalid = self._invalid.setdefault(kind.TABLE, {})
        dated: list[tuple[str, int, str]] = []
        checked = 0
        for key, stored in self._docs(kind):
            record = valid.get(key)
            day = _stored_day(stored, field, marker) if record is None else None
            if day is None:
                if record is None:
                    checked += 1
                    record = self._checked(kind, key, stored)
                if record is None or record.deleted:
                    continue
                day = getattr(record, field).isoformat()
            if day <= high:
                dated.append((day, int(key), key))
        dated.sort(reverse=True)
        found: list[R] = []
        for _, _, key in dated:
            if len(found) == wanted:
                break
            if checked > most_checked:
                return None
            if key not in valid and key not in invalid:
                checked += 1
            record = self._checked(kind, key, self._raw[kind.TABLE][key])
            if record is not None and not record.deleted and keep(record):
                found.append(record)
        return found

    def unchecked(self, kind: type[Record]) -> int:
        """Return how many records of a kind have not been checked yet."""
        verdicts = len(self._valid.get(kind.TABLE, ())) + len(self._invalid.get(kind.TABLE, ()))
        return self.stored(kind) - verdicts

    def counts(self, kind: type[Record]) -> tuple[int, int]:
        """Return how many valid records of a kind there are: (not deleted, deleted)."""
        records = self.all(kind, include_deleted=True)
        deleted = sum(record.deleted for record in records)
        return len(records) - deleted, deleted

    def check_every_record(self, between: Callable[[], bool], batch: int = 1000) -> bool:
        """Check every record now, calling between() after each batch: False stops the check.

        Return whether every record was checked. A long check gives way in between.
        """
        for kind in list(registry.KINDS):
            if not self.unchecked(kind):
                continue  # every verdict taken from the reading before (after a write, say)
            valid = self._valid.get(kind.TABLE, {})
            invalid = self._invalid.get(kind.TABLE, {})
            # After a write, the few it changed: not a loop over every record to find them.
            todo = [
                (key, doc)
                for key, doc in self._raw.get(kind.TABLE, {}).items()
                if key not in valid and key not in invalid
            ]
            for done, (key, doc) in enumerate(todo, 1):
                self._checked(kind, key, doc)
                if not done % batch and not between():
                    return False
        return True

    @property
    def problems(self) -> tuple[RecordProblem, ...]:
        """Check every record of every kind; return those that are not valid or point nowhere.

        Found once: after a write, from the reading before's where that holds (see _kept_problems).
        """
        problems = self._problems
        if problems is None:
            problems = self._kept_problems()
            if problems is None:
                problems = self._every_problem()
            self._problems = problems
        return problems

    def _every_problem(self) -> tuple[RecordProblem, ...]:
        kinds = list(registry.KINDS)
        records = {kind.TABLE: self.all(kind, include_deleted=True) for kind in kinds}
        ids = {table: {record.id for record in found} for table, found in records.items()}
        found = []
        for kind in kinds:  # in the file's order, whichever screen checked what first
            invalid = self._invalid.get(kind.TABLE, {})
            found += [invalid[key] for key, _ in self._docs(kind) if key in invalid]

        def holds(table: str, record_id: int) -> bool:
            return record_id in ids.get(table, ())

        for kind in kinds:
            found += _dangling(kind, records[kind.TABLE], holds, self._invalid)
            found += _shared(kind, records[kind.TABLE])
        return tuple(found)

    def _kept_problems(self) -> tuple[RecordProblem, ...] | None:
        """The reading before's problems less the changed records', if those now have none.

        At 100,000 contact points, finding every problem afresh takes 80 ms of
        Python's lock after each write; a changed record that is valid and
        points somewhere adds none, and, when no record names its kind, nor
        takes any away from others. Anything else (a new problem, a record
        that others name coming or going, a kind of one live record per
        value): None, found afresh.
        """
        if self._since is None:
            return None
        earlier = self._since[0]()
        changes = self.changes_since(earlier) if earlier is not None else None
        if earlier is None or changes is None or earlier._problems is None:
            return None
        named = {table for kind in registry.KINDS for table in schema_of(kind).references.values()}
        for table, keys in changes.items():
            kind = registry.kind_for(table)
            if kind.ONE_LIVE_PER is not None:
                return None
            records = self.records_at(kind, keys)
            if len(records) != sum(key in self._raw.get(table, {}) for key in keys):
                return None  # one is not valid now
            was_valid = earlier._valid.get(table, {})
            if table in named and (
                len(records) != len(keys) or any(key not in was_valid for key in keys)
            ):
                return None  # what others name came or went
            if _dangling(kind, records, self._holds, self._invalid):
                return None
        gone = {(table, key) for table, keys in changes.items() for key in keys}
        return tuple(p for p in earlier._problems if (p.table, p.record_id) not in gone)

    def _holds(self, table: str, record_id: int) -> bool:
        """Whether a table holds a valid record of this id, deleted or not."""
        return self.get(registry.kind_for(table), record_id) is not None


def _not_deleted(stored: Stored) -> bool:
    """Whether a stored record is not marked deleted, decoding it only when it may be."""
    if type(stored) is bytes and b'"deleted":true' not in stored:
        return True  # without those bytes, its own deleted is not true
    return compact.record(stored).get("deleted") is not True


def _stored_day(stored: Stored, field: str, marker: bytes) -> str | None:
    """Return a record's date field as stored, if it is a date as the store writes it."""
    if type(stored) is bytes:
        # In the bytes, only when the field's name is there once: then it is the
        # record's own (a date in its history, or in a text, would make it twice).
        at = stored.find(marker)
        if at < 0 or stored.find(marker, at + 1) >= 0:
            return None
        written = _STORED_DAY.match(stored, at + len(marker))
        return None if written is None else written.group(1).decode()
    day = stored.get(field)  # type: ignore[union-attr]  # a dict: bytes are handled above
    return day if isinstance(day, str) and _ISO_DAY.match(day) else None


def _dangling(
    kind: type[Record],
    records: Iterable[Record],
    exists: Callable[[str, int], bool],
    invalid: dict[str, dict[str, RecordProblem]],
) -> list[RecordProblem]:
    """Return a problem for each reference of records that names no valid record.

    exists: whether a table holds a valid record (deleted or not) of an id.
    invalid: the records found not valid, by table and key: one of them is in
    the file, with a problem of its own, and is named as such, not as missing.
    """
    found = []
    for field, table in schema_of(kind).references.items():
        target = registry.kind_for(table).LABEL
        broken = invalid.get(table, {})
        for record in lane.breathing(records):
            target_id = getattr(record, field)
            if target_id is not None and not exists(table, target_id):  # None: optional, unset
                state = "is not valid (see above)" if str(target_id) in broken else "does not exist"
                message = f"{field} names {target} {target_id}, which {state}"
                found.append(RecordProblem(kind.TABLE, str(record.id), message))
    return found


def _shared(kind: type[Record], records: Iterable[Record]) -> list[RecordProblem]:
    """Return a problem for each live record after the first that shares its ONE_LIVE_PER value.

    Written so by a hand edit or an older ictui: the app shows one of them only.
    """
    field = kind.ONE_LIVE_PER
    if field is None:
        return []
    first: dict[Any, int] = {}
    found = []
    refers = schema_of(kind).field(field).refers
    owner = registry.kind_for(refers).LABEL if refers else field
    for record in records:
        if record.deleted:
            continue
        value = getattr(record, field)
        if value in first:
            message = (
                f"{field}: {owner} {value} has {kind.LABEL} {first[value]} too, and may have "
                f"only one; delete one of them"
            )
            found.append(RecordProblem(kind.TABLE, str(record.id), message))
        else:
            first[value] = record.id
    return found
