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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar

from pydantic_core import ValidationError

from ictui.errors import TeamFileBusy, TeamFileError, TeamFileMissing
from ictui.kinds.stored import RecordProblem, StoredRecords, dangling_partners
from ictui.kinds.views import ContactPointView, PartnerView, Someone
from ictui.teamfile import fileformat
from ictui.teamfile.durable import replace_file, sweep_temp_files
from ictui.teamfile.fileformat import iso_time, utc_now
from ictui.user.identity import current_author

if TYPE_CHECKING:
    from filelock import FileLock

    from ictui.kinds.models import ContactPoint, Fields, Partner, Record
    from ictui.teamfile.transaction import Transaction

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "ChangeToken",
    "Readable",
    "Snapshot",
    "Store",
    "iso_time",
    "utc_now",
]

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another writer before giving up with TeamFileBusy."""

ChangeToken = tuple[int, int, int, int]
"""What stat says of the team file (device, inode, size, mtime): changes with every write."""


class Readable(Protocol):
    """A kind of record a snapshot can hand out: a view, or a model of ``ictui.kinds.models``."""

    table: ClassVar[str]

    @property
    def id(self) -> int:
        """The record's id."""
        ...

    @property
    def deleted(self) -> bool:
        """Whether the record is deleted (and can be restored)."""
        ...

    @classmethod
    def read(cls, key: str, doc: dict[str, Any]) -> Self:
        """Return the record stored under key; pydantic_core.ValidationError if not valid."""
        ...


K = TypeVar("K", bound=Readable)
R = TypeVar("R", "Partner", "ContactPoint")

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
"""A date as the store writes it; such strings sort as the dates they name."""


class Snapshot:
    """The team file as read at one moment: its records by kind, validated when first asked for.

    Reading a team file of 10,000 contact points takes a few milliseconds;
    validating every record takes ten times as long. So records are validated
    (and cleaned) on first use and kept: a screen that shows the last two weeks
    validates only those. Whatever is asked for, only valid records come back;
    `problems` validates everything and lists what is not valid.

    Records come back as the kind asked for: the views of ``ictui.kinds.views`` by
    default, which need no model machinery, or the models where a caller asks.
    """

    def __init__(
        self, path: Path, token: ChangeToken, schema_version: int, raw: fileformat.Raw
    ) -> None:
        """Hold raw, the decoded team file; nothing is validated yet."""
        self.path = path
        self.token = token
        self.schema_version = schema_version
        self._raw = raw
        self._valid: dict[type[Any], dict[str, Any]] = {}
        # Validity is the same whichever kind of a table judged it.
        self._invalid: dict[str, dict[str, RecordProblem]] = {
            table: {} for table in fileformat.RECORD_TABLES
        }

    def take_checked_from(self, earlier: Snapshot) -> None:
        """Take over earlier's verdicts on the records this snapshot holds unchanged.

        Validation depends on nothing but the record itself (clock rules apply
        only to new input), so an unchanged record needs no second look;
        comparing it is about ten times quicker than validating it.
        """
        # Copied first: the app's thread may be checking more of earlier meanwhile.
        for kind, earlier_valid in list(earlier._valid.items()):
            valid = earlier_valid.copy()
            same = self._unchanged_since(earlier, kind.table, valid)
            self._valid.setdefault(kind, {}).update((key, valid[key]) for key in same)
        for table, earlier_invalid in list(earlier._invalid.items()):
            invalid = earlier_invalid.copy()
            same = self._unchanged_since(earlier, table, invalid)
            self._invalid[table].update((key, invalid[key]) for key in same)

    def _unchanged_since(self, earlier: Snapshot, table: str, keys: Iterable[str]) -> list[str]:
        docs, earlier_docs = self._raw.get(table, {}), earlier._raw.get(table, {})
        return [key for key in keys if key in docs and docs[key] == earlier_docs.get(key)]

    def _validated(self, kind: type[K], key: str, doc: dict[str, Any]) -> K | None:
        valid = self._valid.setdefault(kind, {})
        known: K | None = valid.get(key)
        if known is not None:
            return known
        invalid = self._invalid.setdefault(kind.table, {})
        if key in invalid:
            return None
        try:
            record = kind.read(key, doc)
        except ValidationError as error:
            invalid[key] = StoredRecords.problem_of(kind.table, key, error)
            return None
        valid[key] = record
        return record

    def _docs(self, kind: type[Readable]) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self._raw.get(kind.table, {}).items()

    def all(self, kind: type[K], *, include_deleted: bool = False) -> list[K]:
        """Return the valid records of one kind, in file order; deleted ones only if asked."""
        records = (self._validated(kind, key, doc) for key, doc in self._docs(kind))
        return [r for r in records if r is not None and (include_deleted or not r.deleted)]

    def get(self, kind: type[K], record_id: int) -> K | None:
        """Return one valid record by id, deleted or not, or None."""
        key = str(record_id)
        doc = self._raw.get(kind.table, {}).get(key)
        return None if doc is None else self._validated(kind, key, doc)

    def holds_any(self, kind: type[Readable]) -> bool:
        """Whether any record of this kind is stored and not deleted, without validating."""
        return any(doc.get("deleted") is not True for _, doc in self._docs(kind))

    def partners(self) -> list[PartnerView]:
        """Return the partners that are not deleted."""
        return self.all(PartnerView)

    def contact_points(self) -> list[ContactPointView]:
        """Return the contact points that are not deleted."""
        return self.all(ContactPointView)

    def contact_points_between(
        self, since: dt.date | None, until: dt.date | None
    ) -> list[ContactPointView]:
        """Return the contact points dated since..until (None: open), validating only those."""
        # An open end: text below or above every date written YYYY-MM-DD.
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "\uffff"
        found: list[ContactPointView] = []
        for key, doc in self._docs(ContactPointView):
            day = doc.get("date")
            # Skip by the stored text only when it is a date as the store writes it;
            # anything else is validated, and judged by the date it means.
            if isinstance(day, str) and _ISO_DAY.match(day) and not low <= day <= high:
                continue
            if doc.get("deleted") is True:
                continue
            point = self._validated(ContactPointView, key, doc)
            if point is None or point.deleted:
                continue
            if (since and point.date < since) or (until and point.date > until):
                continue
            found.append(point)
        return found

    def partner_names(self) -> dict[int, str]:
        """Return every partner's name by id, deleted ones included (old records name them)."""
        return {p.id: p.name for p in self.all(PartnerView, include_deleted=True)}

    @property
    def problems(self) -> tuple[RecordProblem, ...]:
        """Validate every record; return those that are not valid, and dangling partner ids."""
        partners = {p.id for p in self.all(PartnerView, include_deleted=True)}
        points = self.all(ContactPointView, include_deleted=True)
        # Copied first: the app's thread may be checking records of this snapshot meanwhile.
        found = [p for table in list(self._invalid.values()) for p in list(table.values())]
        found += dangling_partners(((p.id, p.partner_id) for p in points), partners)
        return tuple(found)


class Store:
    """One team file: fresh reads, locked atomic writes, revisions and a change token."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        author: Someone | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        # Write through symbolic links: replacing the link itself would unshare the file.
        self.path = fileformat.real_path(path)
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
        target = fileformat.real_path(path)
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
        data, st = fileformat.read_bytes(self.path)
        raw, version = fileformat.load(data, self.path, self.clock())
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

        # Imported here: the models it writes with are not needed to read and show the file.
        from ictui.teamfile.transaction import Transaction

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
                data, st = fileformat.read_bytes(self.path)
            except TeamFileMissing:
                if not create:
                    raise
                data, st, raw, version = b"", None, fileformat.new_team(), fileformat.SCHEMA_VERSION
            else:
                raw, version = fileformat.load(data, self.path, now)
            tx = Transaction(raw, self.author, now, created=st is None)
            yield tx
            if tx.changed or st is None:
                self._write(raw, data, st, version, now)
        finally:
            lock.release()

    def _write(
        self,
        raw: fileformat.Raw,
        old: bytes,
        st: os.stat_result | None,
        version: int,
        now: dt.datetime,
    ) -> None:
        try:
            if st is not None and version < fileformat.SCHEMA_VERSION:
                self._back_up(old, st, version, now)
            after = st.st_mtime_ns if st is not None else None
            replace_file(self.path, fileformat.encode(raw), like=st, after_mtime_ns=after)
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
