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

import contextlib
import datetime as dt
import errno
import math
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ictui.errors import TeamFileBusy, TeamFileError, TeamFileMissing
from ictui.kinds.record import Author, R
from ictui.kinds.schema import Checked
from ictui.teamfile import compact, fileformat
from ictui.teamfile.durable import (
    not_writable,
    replace_file,
    sticky_folder_problem,
    sweep_temp_files,
)
from ictui.teamfile.fileformat import iso_time, utc_now
from ictui.teamfile.identity import current_author
from ictui.teamfile.snapshot import ChangeToken, Snapshot
from ictui.teamfile.turns import Pace, Place, TurnTimeout, take_in_turn

if TYPE_CHECKING:
    from filelock import FileLock

    from ictui.teamfile.transaction import Transaction

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "ChangeToken",
    "LockLost",
    "Snapshot",
    "Store",
    "iso_time",
    "utc_now",
]

T = TypeVar("T")

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a write waits at least for the writers ahead of it before giving up with TeamFileBusy.

It waits longer while the queue of writers moves (see ``ictui.teamfile.turns``);
``$ICTUI_LOCK_TIMEOUT`` sets another (the tests' short waits, a slow shared disk).
"""


def _default_lock_timeout() -> float:
    try:
        seconds = float(os.environ.get("ICTUI_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    # nan or inf would wait for ever, and 0 or less give up at once: neither is a wait.
    return seconds if math.isfinite(seconds) and seconds > 0 else DEFAULT_LOCK_TIMEOUT


_NOTE_MAX = 400
"""The most of the lock file's holder note that is read: a pid, an account and a host."""
_WHO_MAX = 120
"""The most of the note's account@host that a message shows."""
_PID_DIGITS = 10
_PACE = b"wrote in "
"""The note's second line: how long the last write held the lock, in seconds."""


LOCK_LOST_TRIES = 3
"""How often a change is made afresh when its lock file was taken away under it."""


class LockLost(TeamFileBusy):
    """The lock file was removed or replaced while we held it, and someone wrote meanwhile.

    Nothing was written: the change was made on a reading that is out of date.
    ``Store.run`` and the write queue make it again from a fresh reading.
    """


class _LockMoved(Exception):
    """The lock at the lock file's path is no longer the one we hold (raised before a replace)."""


def _running_here(pid: int, who: str) -> bool:
    """Whether the writer a lock note names may still be running: always, if on another host."""
    import socket

    if who.rpartition("@")[2] != socket.gethostname():
        return True  # a process of another machine sharing the folder: cannot tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, alive
    return True


def _busy(waited: TurnTimeout) -> str:
    """Say who kept the file busy while we waited: one writer, or several in turn."""
    holders = list(dict.fromkeys(waited.holders))  # each once, in the order they held it
    seconds = f"{max(1, round(waited.waited))}s"
    if len(holders) <= 1:
        who = holders[0] if holders else "another writer"
        return (
            f"is busy: {who} has been writing it for over {seconds}; nothing was written, try again"
        )
    named = ", ".join(holders[:3]) + (", ..." if len(holders) > 3 else "")
    return (
        f"is busy: {len(holders)} writers in turn ({named}) for {seconds}; "
        "nothing was written, try again"
    )


class Store:
    """One team file: fresh reads, locked atomic writes, revisions and a change token."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        author: Author | None = None,
        lock_timeout: float | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        # Write through symbolic links: replacing the link itself would unshare the file.
        self.path = fileformat.real_path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.author = author if author is not None else current_author()
        self.lock_timeout = _default_lock_timeout() if lock_timeout is None else lock_timeout
        self.clock = clock
        self._lock: FileLock | None = None
        self._held: tuple[int, int] | None = None
        """The device and inode of the lock file we hold, to notice it being taken away."""
        self._note: tuple[int, bytes, float] | None = None
        """The lock file's descriptor, our note in it, and when we took the lock."""

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

    def folder_problem(self) -> str | None:
        """Say why the team file's folder stops teammates writing, or None if it does not.

        The app and every write check this at the start (see sticky_folder_problem).
        """
        return sticky_folder_problem(self.path, self.lock_path)

    def write_problem(self) -> str | None:
        """Say why this account's writes would be refused (a read-only file, a sticky folder).

        For the app to say so from the start, rather than at the first save.
        """
        sticky = self.folder_problem()
        if sticky is not None:
            return f"cannot be shared where it is: {sticky}"
        try:
            st = os.stat(self.path)
        except OSError:
            return None  # missing or unreadable: said when it is read
        return not_writable(self.path, st)

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

    @property
    def writing(self) -> bool:
        """Whether this store holds the lock now: a write of ours may be landing."""
        return self._held is not None

    def changed_since(self, token: ChangeToken | None) -> bool:
        """Return whether the file was written since token was taken (one stat call)."""
        return self.change_token() != token

    def read(self, *, reuse: Snapshot | None = None, in_steps: bool = False) -> Snapshot:
        """Read the whole file afresh; raise TeamFileError if it cannot be used.

        reuse: an earlier snapshot of this file, whose checked records are taken
        over wherever the file still holds them unchanged, so that a reload
        validates only what changed. in_steps: parse a long file in pieces, so
        that a thread reading it never holds the app's keys for long.
        """
        data, st = fileformat.read_bytes(self.path)
        if reuse is not None and reuse.path != self.path:
            reuse = None
        earlier = reuse.held if reuse is not None else None
        now = self.clock()
        raw, version, exact = fileformat.load(
            data, self.path, now, in_steps=in_steps, earlier=earlier
        )
        token = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        digest = fileformat.digest(data) if exact else None
        snapshot = Snapshot(self.path, token, version, raw, digest=digest)
        if reuse is not None:
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

        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            # Raised from here, filelock lets the lock go again before it reaches us.
            raise TeamFileError(
                self.path,
                f"cannot be locked: its lock file {self.lock_path} is "
                f"{fileformat.kind_of_file(st)}, not a regular file; remove it and try again",
            )
        self._held = (st.st_dev, st.st_ino)
        note = f"{os.getpid()} {self.author.account}@{socket.gethostname()}".encode()
        self._note = (fd, note, time.monotonic())
        # The last writer's measured write stays in the note, for those waiting to judge by.
        with contextlib.suppress(OSError):
            last = os.pread(fd, _NOTE_MAX, 0).partition(b"\n")[2]
            if last.startswith(_PACE) and len(last) < 40:
                note += b"\n" + last
        try:
            os.pwrite(fd, note, 0)
            os.ftruncate(fd, len(note))
        except OSError:
            # The note only names us in others' busy messages; a full disk must not
            # stop the write here (the write itself then says the disk is full).
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # no stale note naming the last writer instead

    def _note_pace(self) -> None:
        """Note in the lock file how long our write took, before letting the lock go."""
        if self._note is None:
            return
        fd, note, since = self._note
        self._note = None
        pace = note.partition(b"\n")[0] + b"\n" + _PACE + f"{time.monotonic() - since:.3f}".encode()
        with contextlib.suppress(OSError):
            os.pwrite(fd, pace, 0)
            os.ftruncate(fd, len(pace))

    def _pace(self) -> Pace:
        """Return who holds the lock, as a message names them, and the last measured write."""
        text = self._read_note()
        last = None
        pace = text.partition("\n")[2]
        if pace.startswith(_PACE.decode()):
            with contextlib.suppress(ValueError):
                last = float(pace.removeprefix(_PACE.decode()))
        return Pace(self._holder(text), last if last is not None and last < 3600 else None)

    def _read_note(self) -> str:
        try:
            # Never wait on a FIFO, nor read a huge file someone put in the lock's place.
            flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW
            fd = os.open(self.lock_path, flags)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return ""
                return os.read(fd, _NOTE_MAX).decode(errors="replace")
            finally:
                os.close(fd)
        except OSError:
            return ""

    def lock_holder(self) -> str:
        """Say who holds the lock now, as a busy message does: "ann@host (pid 12)", say."""
        return self._holder()

    def _holder(self, text: str | None = None) -> str:
        """Name who holds the lock by its note, as a busy message says it."""
        if text is None:
            text = self._read_note()
        pid, _, who = text.partition("\n")[0].partition(" ")
        if not (pid.isascii() and pid.isdigit()) or len(pid) > _PID_DIGITS:
            return "another writer"
        # Anyone who can write the lock file writes this note: it is shown to other
        # people's terminals, so it is cleaned as records are, and kept short.
        from ictui.text import one_line

        who = one_line(who)[:_WHO_MAX]
        if not _running_here(int(pid), who):
            # The note is the last ictui writer's; whoever holds the lock now is not ictui.
            return "another process"
        return f"{who or 'another writer'} (pid {pid})"

    @contextmanager
    def transaction(
        self,
        *,
        create: bool = False,
        written: Callable[[Snapshot], None] | None = None,
        place: Place | None = None,
        known: Snapshot | None = None,
    ) -> Iterator[Transaction]:
        """Lock the file, read it afresh, yield a Transaction, and write its changes at once.

        Nothing is written if the block raises. With create, a missing file is
        started empty (and its folder made); otherwise a missing file is an error.
        written: given the file as this transaction wrote it, if it wrote, so that
        an open app shows its own write without reading the file back. place:
        the writer's place in the lock's queue, kept if the wait times out (the
        app's tries; see turns.Place). known: the file as the writer last read it
        (the open app's reading): the file is then read as the app reads it, in
        pieces, its records unchanged since held once, as bytes (see compact).
        """
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise TeamFileError(self.path, f"cannot be created: {error.strerror}") from None
        elif not self.path.parent.is_dir():
            raise TeamFileMissing(self.path)
        sticky = self.folder_problem()
        if sticky is not None:
            raise TeamFileError(self.path, f"cannot be shared where it is: {sticky}")
        try:
            # Refused before locking: no lock file is made beside a device or a FIFO,
            # nor for a file this account may only read.
            st_before = os.stat(self.path)
        except (FileNotFoundError, NotADirectoryError):
            if not create:
                raise TeamFileMissing(self.path) from None
            # Judged again under the lock, where it may be created.
        except PermissionError as error:
            raise TeamFileError(self.path, f"cannot be read: {error.strerror}") from None
        else:
            fileformat.refuse_special(self.path, st_before)
            read_only = not_writable(self.path, st_before)
            if read_only is not None:
                raise TeamFileError(self.path, read_only)
        lock_existed = os.path.lexists(self.lock_path)
        lock = self._lock_for_writing()
        # Imported here: what writes needs is not needed to read and show the file.
        from ictui.teamfile.transaction import Transaction

        try:
            take_in_turn(lock, self.lock_path, self.lock_timeout, self._pace, place)
        except TurnTimeout as waited:
            raise TeamFileBusy(self.path, _busy(waited)) from None
        except PermissionError as error:
            raise TeamFileError(
                self.path, f"cannot be locked for writing ({self.lock_path}: {error.strerror})"
            ) from None
        except OSError as error:
            raise self._unusable_lock(error) from None
        try:
            sweep_temp_files(self.path)
            now = self.clock()
            data, st, raw, version = self._read_for_writing(create, now, known)
            if st is not None:
                broken = fileformat.bookkeeping_problems(raw)
                if broken:
                    # What `ictui check` reports, a write refuses before counting on it.
                    raise TeamFileError(
                        self.path, f"{broken[0]}; nothing was written (see ictui check)"
                    )
            tx = Transaction(raw, self.author, now, created=st is None)
            yield tx
            if tx.changed or st is None:
                try:
                    new, digest = self._write(raw, data, st, version, now)
                except _LockMoved:
                    self._lock_again(lock, st)
                    try:
                        new, digest = self._write(raw, data, st, version, now)
                    except _LockMoved:
                        raise self._lost() from None
                if written is not None:
                    token = (new.st_dev, new.st_ino, new.st_size, new.st_mtime_ns)
                    # raw is what was just encoded; its records change only in form
                    # (held as bytes, see ChangeFeed.carry_checks), never in content.
                    version = fileformat.current_version()
                    written(Snapshot(self.path, token, version, raw, digest=digest))
        finally:
            self._note_pace()
            self._held = None
            if not lock_existed and not os.path.lexists(self.path):
                # Refused before the file was made: leave nothing behind. A writer
                # waiting on this lock finds it moved and locks again (_lock_again).
                with contextlib.suppress(OSError):
                    os.unlink(self.lock_path)
            lock.release()

    def _read_for_writing(
        self, create: bool, now: dt.datetime, known: Snapshot | None
    ) -> tuple[bytes, os.stat_result | None, fileformat.Raw, int]:
        """Read the file under the lock, strictly: bytes (kept if older), stat, records, version.

        A missing file is started empty with create (stat None), else
        TeamFileMissing. known: the file as the writer last read or wrote it;
        if the file's bytes are still those (the same digest), its records are
        written from, not parsed again (half a second of Python's lock at 100k).
        """
        try:
            data, st = fileformat.read_bytes(self.path)
        except TeamFileMissing:
            if not create:
                raise
            return b"", None, fileformat.new_team(), fileformat.current_version()
        current = fileformat.current_version()
        if known is not None and known.path == self.path:
            if known.digest is not None and known.schema_version == current:
                with contextlib.suppress(RecursionError):  # too deep to copy: parsed instead
                    if fileformat.digest(data) == known.digest:
                        return b"", st, compact.copy_for_writing(known.held), current
            earlier = known.held
        else:
            earlier = None
        raw, version, _ = fileformat.load(
            data, self.path, now, strict=True, in_steps=known is not None, earlier=earlier
        )
        if version == current:
            data = b""  # kept only to back an older file up: 37 MB less at 100k
        return data, st, raw, version

    def _unusable_lock(self, error: OSError) -> TeamFileError:
        """Word an error met while taking the lock: a symbolic link, a full disk, ..."""
        if error.errno == errno.ELOOP:
            # filelock opens it with O_NOFOLLOW: whatever it points to stays untouched.
            return TeamFileError(
                self.path,
                f"cannot be locked: its lock file {self.lock_path} is a symbolic link, "
                "which ictui never writes through. Remove it and try again; "
                "nothing was written",
            )
        return TeamFileError(
            self.path,
            f"cannot be locked for writing ({self.lock_path}: {error.strerror}); "
            "nothing was written",
        )

    def _check_lock_is_ours(self) -> None:
        """Raise _LockMoved unless the lock file at the path is the one we hold.

        Someone who removes or replaces the lock file mid-write lets a second
        writer lock the new file and read what we are about to replace: both
        would give out the same id, and the first write would be lost.
        """
        try:
            st = os.lstat(self.lock_path)
        except FileNotFoundError:
            raise _LockMoved from None
        if (st.st_dev, st.st_ino) != self._held:
            raise _LockMoved

    def _lost(self) -> LockLost:
        return LockLost(
            self.path,
            f"is busy: its lock file {self.lock_path} was removed or replaced while "
            "writing, and someone wrote meanwhile; nothing was written, try again",
        )

    def _lock_again(self, lock: FileLock, st: os.stat_result | None) -> None:
        """Lock the lock file now at the path; LockLost if the file changed since st."""
        from filelock import Timeout

        self._held = None
        # Releasing closes the note's descriptor: its number may soon be another file's.
        self._note = None
        lock.release()
        try:
            lock.acquire()
        except Timeout:
            raise self._lost() from None
        except OSError as error:
            raise self._unusable_lock(error) from None
        before = None if st is None else (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if self.change_token() != before:
            # Another writer went ahead while the lock was gone: our reading is stale.
            raise self._lost()

    def run(
        self,
        change: Callable[[Transaction], T],
        *,
        create: bool = False,
        written: Callable[[Snapshot], None] | None = None,
        place: Place | None = None,
        known: Snapshot | None = None,
    ) -> T:
        """Make change in a transaction and return what it made; written, place, known as there.

        Should the lock file be taken away under it while someone else writes,
        the change is made again from a fresh reading, so that no update is lost.
        """
        for attempt in range(1, LOCK_LOST_TRIES + 1):
            try:
                with self.transaction(
                    create=create, written=written, place=place, known=known
                ) as tx:
                    return change(tx)
            except LockLost:
                if attempt == LOCK_LOST_TRIES:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(
        self,
        raw: fileformat.Raw,
        old: bytes,
        st: os.stat_result | None,
        version: int,
        now: dt.datetime,
    ) -> tuple[os.stat_result, bytes]:
        """Write raw over the file; return the new file's stat and digest."""
        try:
            if st is not None and version < fileformat.current_version():
                self._back_up(old, st, version, now)
            after = st.st_mtime_ns if st is not None else None
            data = fileformat.encode(raw)
            written = replace_file(
                self.path,
                data,
                like=st,
                after_mtime_ns=after,
                before_replace=self._check_lock_is_ours,
            )
            return written, fileformat.digest(data)
        except OSError as error:
            raise TeamFileError(
                self.path, f"could not be written ({error.strerror}); it is unchanged"
            ) from None
        except RecursionError:
            # A value nested just shallowly enough to be read can be too deep to write.
            raise TeamFileError(self.path, fileformat.TOO_DEEP) from None

    def _back_up(self, data: bytes, st: os.stat_result, version: int, now: dt.datetime) -> Path:
        stamp = now.strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
        replace_file(backup, data, like=st)
        return backup

    # -- one-step changes ----------------------------------------------------------------

    def add(self, checked: Checked[R]) -> R:
        """Add one record in its own transaction and return it."""
        return self.run(lambda tx: tx.add(checked))

    def update(self, kind: type[R], record_id: int, expected_rev: int, /, **changes: Any) -> R:
        """Change one record in its own transaction; Conflict if it moved past expected_rev."""
        return self.run(lambda tx: tx.update(kind, record_id, expected_rev, changes))

    def delete(self, kind: type[R], record_id: int, expected_rev: int) -> R:
        """Soft-delete one record in its own transaction."""
        return self.run(lambda tx: tx.delete(kind, record_id, expected_rev))

    def restore(self, kind: type[R], record_id: int, expected_rev: int) -> R:
        """Undo a deletion in its own transaction."""
        return self.run(lambda tx: tx.restore(kind, record_id, expected_rev))
