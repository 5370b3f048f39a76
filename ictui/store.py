"""The team file, shared by several people at once. The only module that writes it.

Plain TinyDB is not safe for a file that several processes write: it rewrites
the file in place, caches ids and queries per instance, and takes no lock. The
store keeps TinyDB's file format and adds what sharing needs:

- one lock, ``<file>.lock``, held over each read-modify-write and nothing else;
- a fresh read of the file by path at the start of every transaction;
- atomic, durable writes that keep the file's mode and group;
- a revision on every record: an update names the revision it started from, and
  a mismatch raises ``Conflict`` carrying the other person's version;
- soft delete with restore, and ids that are never given out twice;
- a schema version: older files are migrated after a backup, newer or broken
  ones are refused and left exactly as they were;
- a cheap change token, so an open app can notice another person's write.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from ictui import teamfile
from ictui.durable import replace_file, sweep_temp_files
from ictui.errors import (
    Conflict,
    IctuiError,
    InvalidInput,
    RecordNotFound,
    TeamFileBusy,
    TeamFileError,
    TeamFileMissing,
)
from ictui.identity import current_author
from ictui.models import (
    RECORD_TYPES,
    Author,
    ContactPoint,
    Fields,
    Partner,
    Record,
    fields_of,
    format_errors,
    parse_fields,
)
from ictui.stored import RecordProblem, dangling_partners
from ictui.teamfile import iso_time, utc_now
from ictui.text import fold_case

if TYPE_CHECKING:
    from filelock import FileLock

R = TypeVar("R", Partner, ContactPoint)

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another writer before giving up with TeamFileBusy."""

ChangeToken = tuple[int, int, int, int]
"""What stat says of the team file (device, inode, size, mtime): changes with every write."""


def _record(record_type: type[R], key: str, doc: dict[str, Any]) -> R:
    return record_type.model_validate({**doc, "id": int(key)})


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
"""A date as the store writes it; such strings sort as the dates they name."""


class Snapshot:
    """The team file as read at one moment: its records by kind, validated when first asked for.

    Reading a team file of 10,000 contact points takes a few milliseconds;
    validating every record takes ten times as long. So records are validated
    (and cleaned) on first use and kept: a screen that shows the last two weeks
    validates only those. Whatever is asked for, only valid records come back;
    `problems` validates everything and lists what is not valid.
    """

    def __init__(
        self, path: Path, token: ChangeToken, schema_version: int, raw: teamfile.Raw
    ) -> None:
        """Hold raw, the decoded team file; nothing is validated yet."""
        self.path = path
        self.token = token
        self.schema_version = schema_version
        self._raw = raw
        self._valid: dict[str, dict[str, Record]] = {table: {} for table in RECORD_TYPES}
        self._invalid: dict[str, dict[str, RecordProblem]] = {table: {} for table in RECORD_TYPES}

    def take_checked_from(self, earlier: Snapshot) -> None:
        """Take over earlier's verdicts on the records this snapshot holds unchanged.

        Validation depends on nothing but the record itself (clock rules apply
        only to new input), so an unchanged record needs no second look;
        comparing it is about ten times quicker than validating it.
        """
        for table in RECORD_TYPES:
            docs = self._raw.get(table, {})
            earlier_docs = earlier._raw.get(table, {})
            # Copied first: the app's thread may be checking more of earlier meanwhile.
            valid = earlier._valid[table].copy()
            invalid = earlier._invalid[table].copy()
            same = {
                key
                for key in valid.keys() | invalid.keys()
                if key in docs and docs[key] == earlier_docs.get(key)
            }
            self._valid[table].update((key, valid[key]) for key in same & valid.keys())
            self._invalid[table].update((key, invalid[key]) for key in same & invalid.keys())

    def _validated(self, record_type: type[R], key: str, doc: dict[str, Any]) -> R | None:
        table = record_type.table
        known = self._valid[table].get(key)
        if known is not None:
            return known  # type: ignore[return-value]
        if key in self._invalid[table]:
            return None
        try:
            record = _record(record_type, key, doc)
        except ValidationError as error:
            detail = "; ".join(f"{f} {m}" for f, m in format_errors(error))
            self._invalid[table][key] = RecordProblem(table, key, detail)
            return None
        self._valid[table][key] = record
        return record

    def _docs(self, record_type: type[R]) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self._raw.get(record_type.table, {}).items()

    def all(self, record_type: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind, in file order; deleted ones only if asked."""
        records = (self._validated(record_type, key, doc) for key, doc in self._docs(record_type))
        return [r for r in records if r is not None and (include_deleted or not r.deleted)]

    def get(self, record_type: type[R], record_id: int) -> R | None:
        """Return one valid record by id, deleted or not, or None."""
        key = str(record_id)
        doc = self._raw.get(record_type.table, {}).get(key)
        return None if doc is None else self._validated(record_type, key, doc)

    def holds_any(self, record_type: type[R]) -> bool:
        """Whether any record of this kind is stored and not deleted, without validating."""
        return any(doc.get("deleted") is not True for _, doc in self._docs(record_type))

    def partners(self) -> list[Partner]:
        """Return the partners that are not deleted."""
        return self.all(Partner)

    def contact_points(self) -> list[ContactPoint]:
        """Return the contact points that are not deleted."""
        return self.all(ContactPoint)

    def contact_points_between(
        self, since: dt.date | None, until: dt.date | None
    ) -> list[ContactPoint]:
        """Return the contact points dated since..until (None: open), validating only those."""
        # An open end: text below or above every date written YYYY-MM-DD.
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "\uffff"
        found: list[ContactPoint] = []
        for key, doc in self._docs(ContactPoint):
            day = doc.get("date")
            # Skip by the stored text only when it is a date as the store writes it;
            # anything else is validated, and judged by the date it means.
            if isinstance(day, str) and _ISO_DAY.match(day) and not low <= day <= high:
                continue
            if doc.get("deleted") is True:
                continue
            point = self._validated(ContactPoint, key, doc)
            if point is None or point.deleted:
                continue
            if (since and point.date < since) or (until and point.date > until):
                continue
            found.append(point)
        return found

    def partner_names(self) -> dict[int, str]:
        """Return every partner's name by id, deleted ones included (old records name them)."""
        return {p.id: p.name for p in self.all(Partner, include_deleted=True)}

    @property
    def problems(self) -> tuple[RecordProblem, ...]:
        """Validate every record; return those that are not valid, and dangling partner ids."""
        partners = {p.id for p in self.all(Partner, include_deleted=True)}
        points = self.all(ContactPoint, include_deleted=True)
        found = [p for table in self._invalid.values() for p in table.values()]
        found += dangling_partners(((p.id, p.partner_id) for p in points), partners)
        return tuple(found)


class Transaction:
    """Changes to the team file made under its lock; written at once when the block ends."""

    def __init__(
        self, raw: teamfile.Raw, author: Author, now: dt.datetime, *, created: bool = False
    ) -> None:
        self._raw = raw
        self._author = author.model_dump(mode="json")
        self._now = iso_time(now)
        self._today = now.astimezone().date()
        self._last_ids: dict[str, int] = {}
        self.created = created
        """Whether the team file did not exist before this transaction."""
        self.changed = False
        """Whether anything was added or changed, so the file must be written."""

    # -- reading -------------------------------------------------------------

    def get(self, record_type: type[R], record_id: int) -> R:
        """Return one record by id, deleted or not, or raise RecordNotFound."""
        doc = self._raw.get(record_type.table, {}).get(str(record_id))
        if doc is None:
            raise RecordNotFound(record_type.label, record_id)
        try:
            return _record(record_type, str(record_id), doc)
        except ValidationError as error:
            label = f"stored {record_type.label} {record_id}"
            raise InvalidInput(label, format_errors(error)) from None

    def all(self, record_type: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind; deleted ones only if asked."""
        records = []
        for key, doc in self._raw.get(record_type.table, {}).items():
            if include_deleted or not doc.get("deleted"):
                try:
                    records.append(_record(record_type, key, doc))
                except ValidationError:
                    continue  # reported by `ictui check`; never blocks other people's writes
        return records

    def find_partner(self, name: str) -> Partner | None:
        """Return the partner with this name (any case or spacing), if not deleted."""
        key = fold_case(name)
        return next((p for p in self.all(Partner) if fold_case(p.name) == key), None)

    # -- writing ---------------------------------------------------------------

    def _validate(self, fields_type: type[Fields], values: dict[str, Any]) -> Fields:
        return parse_fields(fields_type, values, self._today)

    def _check_references(self, fields: Fields, names: set[str] | None = None) -> None:
        for name, target in type(fields).references.items():
            if names is not None and name not in names:
                continue
            target_id = getattr(fields, name)
            doc = self._raw.get(target.table, {}).get(str(target_id))
            if doc is None or doc.get("deleted"):
                state = "was deleted" if doc else "does not exist"
                problem = f"names {target.label} {target_id}, which {state}"
                raise InvalidInput(fields.label, [(name, problem)])

    def _put(self, table: str, record_id: int, doc: dict[str, Any]) -> None:
        self._raw.setdefault(table, {})[str(record_id)] = doc
        self.changed = True

    def _store(self, record_type: type[R], record_id: int, doc: dict[str, Any]) -> R:
        self._put(record_type.table, record_id, doc)
        return _record(record_type, str(record_id), doc)

    def new(self, fields_type: type[Fields], **values: Any) -> Record:
        """Validate values as a new record of fields_type and add it; InvalidInput if refused."""
        return self.add(self._validate(fields_type, values))

    def add(
        self, fields: Fields, *, author: Author | None = None, at: dt.datetime | None = None
    ) -> Record:
        """Add a record and return it with its new id; author and at default to now and us."""
        fields = self._validate(type(fields), fields.model_dump())
        self._check_references(fields)
        record_type = RECORD_TYPES[fields.table]
        who = author.model_dump(mode="json") if author is not None else self._author
        when = iso_time(at) if at is not None else self._now
        doc = fields.model_dump(mode="json")
        doc.update(rev=1, created_by=who, created_at=when, updated_by=who, updated_at=when)
        doc["deleted"] = False
        record_id = self._next_id(fields.table)
        self._put(fields.table, record_id, doc)
        # The kind is known only at run time here, so not through the typed _store.
        return record_type.model_validate({**doc, "id": record_id})

    def _next_id(self, table: str) -> int:
        if table not in self._last_ids:
            self._last_ids[table] = teamfile.highest_id(self._raw, table)
        records = self._raw.setdefault(table, {})
        new_id = self._last_ids[table] + 1
        while str(new_id) in records:  # added by plain TinyDB behind our back: skip it
            new_id += 1
        self._last_ids[table] = new_id
        teamfile.remember_id(self._raw, table, new_id)
        return new_id

    def _checked(self, record_type: type[R], record_id: int, expected_rev: int) -> R:
        current = self.get(record_type, record_id)
        if current.rev != expected_rev:
            raise Conflict(record_type.label, expected_rev, current)
        return current

    def _revised(self, current: Record, fields: dict[str, Any], deleted: bool) -> dict[str, Any]:
        doc = current.model_dump(mode="json", exclude={"id"})
        doc.update(fields)
        doc.update(rev=current.rev + 1, updated_by=self._author, updated_at=self._now)
        doc["deleted"] = deleted
        return doc

    def update(self, record_type: type[R], record_id: int, expected_rev: int, **changes: Any) -> R:
        """Change some fields of a record last seen at expected_rev; Conflict if it moved on."""
        current = self._checked(record_type, record_id, expected_rev)
        if current.deleted:
            raise IctuiError(f"{record_type.label} {record_id} is deleted; restore it first")
        old = fields_of(current)
        fields = self._validate(record_type.fields_model, {**old, **changes})
        self._check_references(fields, {k for k in changes if changes[k] != old.get(k)})
        new = fields.model_dump(mode="json")
        if new == current.model_dump(mode="json", include=set(new)):
            return current  # nothing changed: no new revision, no write
        return self._store(record_type, record_id, self._revised(current, new, False))

    def delete(self, record_type: type[R], record_id: int, expected_rev: int) -> R:
        """Mark a record deleted (it can be restored); Conflict if it moved on."""
        current = self._checked(record_type, record_id, expected_rev)
        if current.deleted:
            return current
        return self._store(record_type, record_id, self._revised(current, {}, True))

    def restore(self, record_type: type[R], record_id: int, expected_rev: int) -> R:
        """Undo the deletion of a record; Conflict if it moved on since."""
        current = self._checked(record_type, record_id, expected_rev)
        if not current.deleted:
            return current
        return self._store(record_type, record_id, self._revised(current, {}, False))


class Store:
    """One team file: fresh reads, locked atomic writes, revisions and a change token."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        author: Author | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        # Write through symbolic links: replacing the link itself would unshare the file.
        self.path = teamfile.real_path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.author = author if author is not None else current_author()
        self.lock_timeout = lock_timeout
        self.clock = clock
        self._lock: FileLock | None = None

    def role_of(self, path: str | os.PathLike[str]) -> str | None:
        """Say which of the team file's own files path is, if it is one; None otherwise.

        Other commands must never write over these: the team file itself (under
        any name that leads to it), its lock, or a backup made before a migration.
        """
        target = teamfile.real_path(path)
        try:
            if os.path.samefile(target, self.path):
                return "the team file itself"
        except OSError:
            pass  # either does not exist: compare names alone
        if target.parent != self.path.parent:
            return None
        if target.name == self.path.name:
            return "the team file itself"
        if target.name == self.lock_path.name:
            return "the team file's lock"
        if target.name.startswith(f"{self.path.name}.schema") and target.name.endswith(".bak"):
            return "a backup of the team file"
        return None

    # -- reading -----------------------------------------------------------------

    def exists(self) -> bool:
        """Return whether there is a file at the team file's path."""
        return self.path.exists()

    def change_token(self) -> ChangeToken | None:
        """Return a token that changes whenever the file is written, or None if it is missing."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def changed_since(self, token: ChangeToken | None) -> bool:
        """Return whether the file was written since token was taken (one stat call)."""
        return self.change_token() != token

    def read(self, *, reuse: Snapshot | None = None) -> Snapshot:
        """Read the whole file afresh; raise TeamFileError if it cannot be used.

        reuse: an earlier snapshot of this file, whose checked records are taken
        over wherever the file still holds them unchanged, so that a reload
        validates only what changed.
        """
        data, st = teamfile.read_bytes(self.path)
        raw, version = teamfile.load(data, self.path, self.clock())
        token = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        snapshot = Snapshot(self.path, token, version, raw)
        if reuse is not None and reuse.path == self.path:
            snapshot.take_checked_from(reuse)
        return snapshot

    # -- writing -------------------------------------------------------------------

    def _lock_for_writing(self) -> FileLock:
        if self._lock is None:
            # Imported here so that reading commands (list, check) start faster.
            from filelock import FileLock

            self._lock = FileLock(
                self.lock_path,
                timeout=self.lock_timeout,
                mode=0o664,  # group-writable whatever the umask: teammates share it
                fallback_to_soft=False,  # a marker file left by kill -9 would block forever
                on_acquired=self._note_holder,
            )
        return self._lock

    def _note_holder(self, fd: int) -> None:
        # Who holds the lock, for the "busy" message of whoever waits on it.
        import socket

        note = f"{os.getpid()} {self.author.account}@{socket.gethostname()}".encode()
        os.pwrite(fd, note, 0)
        os.ftruncate(fd, len(note))

    def _holder(self) -> str:
        try:
            pid, _, who = self.lock_path.read_text(errors="replace").partition(" ")
        except OSError:
            return "another writer"
        if not pid.isdigit():
            return "another writer"
        return f"{who.strip() or 'another writer'} (pid {pid})"

    @contextmanager
    def transaction(self, *, create: bool = False) -> Iterator[Transaction]:
        """Lock the file, read it afresh, yield a Transaction, and write its changes at once.

        Nothing is written if the block raises. With create, a missing file is
        started empty (and its folder made); otherwise a missing file is an error.
        """
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise TeamFileError(self.path, f"cannot be created: {error.strerror}") from None
        elif not self.path.parent.is_dir():
            raise TeamFileMissing(self.path)
        lock = self._lock_for_writing()
        from filelock import Timeout

        try:
            lock.acquire()
        except Timeout:
            raise TeamFileBusy(
                self.path,
                f"is busy: {self._holder()} has been writing it for over "
                f"{self.lock_timeout:g}s; nothing was written, try again",
            ) from None
        except PermissionError as error:
            raise TeamFileError(
                self.path, f"cannot be locked for writing ({self.lock_path}: {error.strerror})"
            ) from None
        try:
            sweep_temp_files(self.path)
            now = self.clock()
            try:
                data, st = teamfile.read_bytes(self.path)
            except TeamFileMissing:
                if not create:
                    raise
                data, st, raw, version = b"", None, teamfile.new_team(), teamfile.SCHEMA_VERSION
            else:
                raw, version = teamfile.load(data, self.path, now)
            tx = Transaction(raw, self.author, now, created=st is None)
            yield tx
            if tx.changed or st is None:
                self._write(raw, data, st, version, now)
        finally:
            lock.release()

    def _write(
        self,
        raw: teamfile.Raw,
        old: bytes,
        st: os.stat_result | None,
        version: int,
        now: dt.datetime,
    ) -> None:
        try:
            if st is not None and version < teamfile.SCHEMA_VERSION:
                self._back_up(old, st, version, now)
            after = st.st_mtime_ns if st is not None else None
            replace_file(self.path, teamfile.encode(raw), like=st, after_mtime_ns=after)
        except OSError as error:
            raise TeamFileError(
                self.path, f"could not be written ({error.strerror}); it is unchanged"
            ) from None

    def _back_up(self, data: bytes, st: os.stat_result, version: int, now: dt.datetime) -> Path:
        stamp = now.strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
        replace_file(backup, data, like=st)
        return backup

    # -- one-step changes ----------------------------------------------------------------

    def add(self, fields: Fields) -> Record:
        """Add one record in its own transaction and return it."""
        with self.transaction() as tx:
            return tx.add(fields)

    def update(self, record_type: type[R], record_id: int, expected_rev: int, **changes: Any) -> R:
        """Change one record in its own transaction; Conflict if it moved past expected_rev."""
        with self.transaction() as tx:
            return tx.update(record_type, record_id, expected_rev, **changes)

    def delete(self, record_type: type[R], record_id: int, expected_rev: int) -> R:
        """Soft-delete one record in its own transaction."""
        with self.transaction() as tx:
            return tx.delete(record_type, record_id, expected_rev)

    def restore(self, record_type: type[R], record_id: int, expected_rev: int) -> R:
        """Undo a deletion in its own transaction."""
        with self.transaction() as tx:
            return tx.restore(record_type, record_id, expected_rev)
