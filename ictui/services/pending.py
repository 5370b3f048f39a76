"""What a screen asked to write and the team file, as last read, does not show yet.

A person switches a verdict or deletes a row and sees it at once; the write
follows in the background, and the file is read again after it. In between,
several changes of one record may be queued (each must name the revision the
one before it leaves), the screen must keep showing what was asked rather than
the file as last read, and a change that is refused must be taken back. This
bookkeeping is the same for every kind, and needs no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic

from ictui.kinds.record import R
from ictui.teamfile.snapshot import Snapshot

if TYPE_CHECKING:
    from ictui.teamfile.writes import Change, Delete, Restore, Write

# The writes are imported where they are made: a screen shows its first rows
# (through shown and caught_up) before anyone asks for one.


class Pending(Generic[R]):
    """Changes of one kind's records asked for here, until the file as read shows them."""

    def __init__(self, kind: type[R]) -> None:
        self.kind = kind
        self._next_rev: dict[int, int] = {}
        """The revision the next change of a record must name, while changes are queued."""
        self._ahead: dict[int, dict[str, Any]] = {}
        """Fields shown before the file has them."""
        self._hidden: set[int] = set()
        """Records deleted here that the file as read still holds."""
        self._written: dict[int, R] = {}
        """Records written here, newer than the file as read."""
        self.undoable: list[tuple[int, int]] = []
        """Records deleted here, with the revision the delete left: newest last."""
        self._deleting: list[tuple[int, int]] = []
        """Deletes asked here and not written yet: the record, and the revision each names."""
        self._taken_back: set[tuple[int, int]] = set()
        """Of those, the ones undone already: u pressed before the delete was written."""

    # -- asking ---------------------------------------------------------------------------

    def expected_rev(self, record: R) -> int:
        """Return the revision the next change of record should name.

        Several changes of one record may be queued before the file is read
        again; each names the revision the one before it will leave.
        """
        return max(record.rev, self._next_rev.get(record.id, 0))

    def chained(self, record: R) -> bool:
        """Whether a change of record now names a revision a queued change of ours will leave."""
        return self.expected_rev(record) > record.rev

    def _queue(self, record: R) -> tuple[int, bool]:
        rev, chained = self.expected_rev(record), self.chained(record)
        self._next_rev[record.id] = rev + 1
        return rev, chained

    def change(
        self, record: R, what: str, changes: Mapping[str, Any], *, ahead: bool = True
    ) -> Change[R]:
        """Return the write that changes record; with ahead, show the change before it is in."""
        from ictui.teamfile.writes import Change

        rev, chained = self._queue(record)
        if ahead:
            self._ahead.setdefault(record.id, {}).update(changes)
        return Change(self.kind, record.id, rev, dict(changes), what, chained)

    def delete(self, record: R) -> Delete[R]:
        """Return the write that deletes record, which is hidden from now on."""
        from ictui.teamfile.writes import Delete

        rev, chained = self._queue(record)
        self._hidden.add(record.id)
        self._deleting.append((record.id, rev))
        return Delete(self.kind, record.id, rev, chained=chained)

    @property
    def can_undo(self) -> bool:
        """Whether a record deleted here can be brought back (its delete written or on its way)."""
        return bool(self.undoable) or any(d not in self._taken_back for d in self._deleting)

    def undo(self) -> Restore[R] | None:
        """Return the write that brings back the last record deleted here, if there is one.

        A delete still on its way is undone by a restore queued after it, naming
        the revision it will leave: keys typed fast (d u) act in the order typed.
        """
        from ictui.teamfile.writes import Restore

        waiting = [d for d in self._deleting if d not in self._taken_back]
        if waiting:
            record_id, rev = waiting[-1]
            self._taken_back.add((record_id, rev))
            self._hidden.discard(record_id)
            self._next_rev[record_id] = rev + 2
            return Restore(self.kind, record_id, rev + 1, chained=True)
        if not self.undoable:
            return None
        record_id, rev = self.undoable.pop()
        return Restore(self.kind, record_id, rev)

    # -- what became of a write -----------------------------------------------------------

    def written(self, write: Write, record: R) -> None:
        """Take note that a write is in the file, as record."""
        from ictui.teamfile.writes import Delete

        made_revision = record.rev > getattr(write, "expected_rev", 0)
        if not made_revision and record.id in self._next_rev:
            # Nothing changed (deleted already, or the same values): no new
            # revision, so what is queued after it names one too many.
            self._next_rev[record.id] -= 1
        if isinstance(write, Delete):
            asked = (record.id, write.expected_rev)
            taken_back = asked in self._taken_back
            self._settled(asked)
            # Undo brings back what we deleted, never someone else's delete; nor twice.
            if made_revision and not taken_back:
                self.undoable.append((record.id, record.rev))
            return
        self.remember(record)
        if self._next_rev.get(record.id) == record.rev:  # nothing more of it is queued
            self.forget(record.id)

    def refused(self, write: Write) -> None:
        """Take back what was shown ahead of a refused write; a refused undo can be tried again."""
        from ictui.teamfile.writes import Change, Delete, Restore

        if isinstance(write, Delete):
            self._settled((write.record_id, write.expected_rev))
        if isinstance(write, Restore) and not write.changes and not write.chained:
            self.undoable.append((write.record_id, write.expected_rev))
        elif isinstance(write, Change | Delete | Restore):
            self.forget(write.record_id)

    def conflicted(self, write: Write) -> None:
        """Take back what was shown ahead of a write that met someone else's change."""
        from ictui.teamfile.writes import Change, Delete, Restore

        if isinstance(write, Delete):
            self._settled((write.record_id, write.expected_rev))
        if isinstance(write, Change | Delete | Restore):
            self.forget(write.record_id)

    def _settled(self, delete: tuple[int, int]) -> None:
        """Let go of a delete asked here: written, refused or met by someone else's change."""
        if delete in self._deleting:
            self._deleting.remove(delete)
        self._taken_back.discard(delete)

    def forget(self, record_id: int) -> None:
        """Stop showing anything ahead for a record: the file as read has the last word."""
        self._next_rev.pop(record_id, None)
        self._ahead.pop(record_id, None)
        self._hidden.discard(record_id)

    def remember(self, record: R) -> None:
        """Keep a record written here until the file is read back with it."""
        known = self._written.get(record.id)
        if known is None or known.rev < record.rev:
            self._written[record.id] = record

    # -- showing --------------------------------------------------------------------------

    def caught_up(self, snapshot: Snapshot) -> None:
        """Let go of what the file, as read now, shows by itself."""
        stored = {record_id: snapshot.get(self.kind, record_id) for record_id in self._written}
        self._written = {
            record_id: written
            for record_id, written in self._written.items()
            if (now := stored[record_id]) is not None and now.rev < written.rev
        }
        self._hidden = {
            record_id
            for record_id in self._hidden
            if (now := snapshot.get(self.kind, record_id)) is not None and not now.deleted
        }

    def is_hidden(self, record_id: int) -> bool:
        """Whether a record is deleted here while the file as read still holds it."""
        return record_id in self._hidden

    def shown(self, records: Iterable[R]) -> tuple[R, ...]:
        """Return records as this screen shows them: changes ahead applied, deletes left out."""
        if not self._ahead and not self._hidden:
            # Most listings: nothing is ahead of the file. All time at 100,000 contact
            # points took 150 ms of the screen's turn to copy record by record.
            return tuple(records)
        ahead, hidden = self._ahead, self._hidden
        kept = (r for r in records if r.id not in hidden)
        return tuple(self._ahead_of(r) if r.id in ahead else r for r in kept)

    def _ahead_of(self, record: R) -> R:
        ahead = self._ahead.get(record.id)
        return replace(record, **ahead) if ahead else record

    def latest(self, record: R) -> R:
        """Return the newest version of record known here: what a new change starts from."""
        written = self._written.get(record.id)
        if written is not None and written.rev > record.rev:
            record = written
        return self._ahead_of(record)
