"""The change feed: readings of the team file for an open app, the newest winning.

An open app reads the team file at start, and whenever a look at the file's
change token (one stat) says someone else wrote it. Its own writes are not read
back: the writer hands over the file as it wrote it (``wrote``), and only a
write by someone else after it makes the token differ. Readings happen in
threads and may finish out of order: each is numbered, and one older than the
reading shown is dropped. A file that becomes
unreadable keeps the last good reading on screen. This is the bookkeeping of
it, with no Textual: the app runs ``read`` and ``changed`` in threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from ictui import collector
from ictui.errors import TeamFileError
from ictui.teamfile import lane
from ictui.teamfile.snapshot import ChangeToken, Snapshot
from ictui.teamfile.store import Store


@dataclass(frozen=True)
class Reading:
    """One reading of the team file, numbered: a snapshot, or why it could not be read."""

    sequence: int
    snapshot: Snapshot | None = None
    error: TeamFileError | None = None


class Act(Enum):
    """What an open app does with a reading."""

    STALE = "stale"
    """Older than the reading shown: drop it."""
    SHOW = "show"
    """Show it."""
    READABLE_AGAIN = "readable again"
    """Show it, and say the file can be read again."""
    REFUSED_AT_START = "refused at start"
    """The very first reading failed: offer a way forward."""
    UNREADABLE = "unreadable"
    """The file became unreadable: keep the last good reading, and say so once."""
    STILL_UNREADABLE = "still unreadable"
    """Still unreadable: nothing new to say."""


class ChangeFeed:
    """Readings of one team file for an open app, and the looks that ask for more."""

    def __init__(self, store: Callable[[], Store]) -> None:
        """store: gives the store to read now (the app may switch files at start)."""
        self._store = store
        self._asked = 0
        self._shown = 0
        self._numbering = threading.Lock()  # readers and the writer's thread number readings
        self._seen: ChangeToken | None = None  # the file as last read or written, readable or not
        self._seen_by = 0  # the number of the reading _seen comes from
        self._last_shown: Snapshot | None = None  # whose checks a written snapshot takes over
        self._newest: Snapshot | None = None  # the newest reading made, shown yet or not
        self._newest_by = 0  # its number
        self._looking = False
        self._showing = False  # a snapshot is on screen: there is something to keep live
        self.started = False
        """Whether a reading has been shown (or refused) yet."""
        self.unreadable = False
        """Whether the file could not be read last time."""

    def ask(self) -> int:
        """Number a new reading."""
        with self._numbering:
            self._asked += 1
            return self._asked

    def _note_seen(
        self, sequence: int, token: ChangeToken | None, snapshot: Snapshot | None = None
    ) -> None:
        # Only the newest reading says what the file is known to be: an older one
        # finishing late must not hide a write (ours, or one after it) from the looks.
        with self._numbering:
            if sequence >= self._seen_by:  # a reading notes what it reads, then what it read
                self._seen, self._seen_by = token, sequence
            if snapshot is not None and sequence > self._newest_by:
                self._newest, self._newest_by = snapshot, sequence

    def read(self, sequence: int, reuse: Snapshot | None) -> Reading:
        """Read the file (in a thread); reuse: the last snapshot, whose checks carry over."""
        store = self._store()
        # Taken before reading: a write in between only costs one more reading.
        # Noted at once: a look while this reading runs (at 100k it outlasts the
        # poll) compares with what is being read, not with the reading before
        # it, and does not read the same file a second time.
        seen = store.change_token()
        self._note_seen(sequence, seen)
        try:
            # In pieces: the keys are answered in between, and the long tables'
            # records are held as bytes piece by piece (see compact), never all
            # decoded. The first reading too: one parse (a quarter quicker), then
            # held as bytes, kept the freed memory (7.4x the file at 100k, not 5.4x).
            with lane.turn(), collector.paused():
                snapshot = store.read(reuse=reuse, in_steps=True)
        except TeamFileError as error:
            return Reading(sequence, error=error)
        self._note_seen(sequence, snapshot.token, snapshot)
        return Reading(sequence, snapshot=snapshot)

    def wrote(self, snapshot: Snapshot) -> Reading:
        """Number the file as our own write left it, to show unread (in the writer's thread).

        Called under the lock, as soon as the write is done (see ``changed``):
        from then on only someone else's write after ours makes the file differ,
        and that is read as any other.
        """
        sequence = self.ask()
        self._note_seen(sequence, snapshot.token, snapshot)
        return Reading(sequence, snapshot=snapshot)

    def carry_checks(self, reading: Reading) -> None:
        """Ready a written reading to show (after the lock is let go): held as a reading is.

        Its long tables' records are held as bytes, the shown reading's own where
        unchanged, and it takes over the checks of the one shown.
        """
        earlier = self._last_shown
        if reading.snapshot is not None:
            reading.snapshot.hold_as_bytes(earlier)
            if earlier is not None:
                reading.snapshot.take_checked_from(earlier)

    def judge(self, reading: Reading) -> Act:
        """Say what to do with a reading that has come in; note that it is shown if it is."""
        if reading.sequence < self._shown:
            return Act.STALE
        self._shown = reading.sequence
        first = not self.started
        self.started = True
        if reading.snapshot is not None:
            again = self.unreadable
            self.unreadable = False
            self._showing = True
            self._last_shown = reading.snapshot
            return Act.READABLE_AGAIN if again else Act.SHOW
        if first:
            return Act.REFUSED_AT_START
        if self.unreadable:
            return Act.STILL_UNREADABLE
        self.unreadable = True
        return Act.UNREADABLE

    @property
    def newest(self) -> Snapshot | None:
        """The newest reading made, read or written, shown yet or not: what a write starts from.

        A write told a reading parses the file only if its bytes differ (see
        Store.transaction): after a write of ours, the next one queued starts
        from what it wrote, before the screen has shown it.
        """
        with self._numbering:
            return self._newest

    def start_looking(self) -> bool:
        """Whether a look for changes may start now (none under way, a reading shown)."""
        if self._looking or not self._showing:
            return False
        self._looking = True
        return True

    def changed(self) -> bool:
        """Look (in a thread) whether someone wrote the file since the last reading."""
        try:
            store = self._store()
            # While our own write lands (under the lock), the file differs until it
            # is noted: the next look judges, rather than read back what we wrote.
            return store.changed_since(self._seen) and not store.writing
        finally:
            self._looking = False
