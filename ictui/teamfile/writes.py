"""Changes of the team file as data: what to write, made into one transaction when run.

A screen does not write the file itself: it says what it wants (``Change``,
``Delete``, ``Restore``, a kind's own such as logging a contact point by its
partner's name) and hands it to the queue that writes them in order (see
``ictui.teamfile.queue``). As data, a write can be retried when the file is
busy, named in a message, and matched with its outcome when that comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol

from ictui.kinds.record import R
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction
from ictui.teamfile.turns import Place


class Write(Protocol):
    """One change of the team file, made in a transaction of its own."""

    @property
    def what(self) -> str:
        """The change in a few words, for messages: "switch the verdict"."""
        ...

    @property
    def creates(self) -> bool:
        """Whether the write may start a team file that does not exist yet."""
        ...

    def apply(self, tx: Transaction) -> Any:
        """Make the change in tx and return what it made."""
        ...


@dataclass(frozen=True)
class Change(Generic[R]):
    """Change some fields of a record last seen at expected_rev."""

    kind: type[R]
    record_id: int
    expected_rev: int
    changes: Mapping[str, Any] = field(default_factory=dict)
    what: str = "save the change"
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    creates = False

    def apply(self, tx: Transaction) -> R:
        """Change the record; Conflict if it moved past expected_rev."""
        return tx.update(
            self.kind, self.record_id, self.expected_rev, self.changes, chained=self.chained
        )


@dataclass(frozen=True)
class Delete(Generic[R]):
    """Delete a record last seen at expected_rev (it can be restored)."""

    kind: type[R]
    record_id: int
    expected_rev: int
    what: str = "delete"
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    creates = False

    def apply(self, tx: Transaction) -> R:
        """Mark the record deleted; Conflict if it moved past expected_rev."""
        return tx.delete(self.kind, self.record_id, self.expected_rev, chained=self.chained)


@dataclass(frozen=True)
class Restore(Generic[R]):
    """Bring back a deleted record, last seen at expected_rev, with some fields changed if given.

    Restoring and changing go in one write: keeping your change over
    someone's delete must never leave the record restored but unchanged.
    """

    kind: type[R]
    record_id: int
    expected_rev: int
    changes: Mapping[str, Any] = field(default_factory=dict)
    what: str = "undo the delete"
    chained: bool = False
    """expected_rev is what a delete of ours queued before this one will leave."""
    creates = False

    def apply(self, tx: Transaction) -> R:
        """Restore the record, then change it; Conflict if it moved past expected_rev."""
        restored = tx.restore(self.kind, self.record_id, self.expected_rev, chained=self.chained)
        if not self.changes:
            return restored
        return tx.update(self.kind, self.record_id, restored.rev, self.changes)


def run(
    store: Store,
    write: Write,
    written: Callable[[Snapshot], None] | None = None,
    place: Place | None = None,
    known: Snapshot | None = None,
    *,
    create: bool = True,
) -> Any:
    """Make one write in a transaction of its own and return what it made.

    written: given the file as written, if the write changed it; place: kept
    in the lock's queue if the wait times out; known: the file as last read
    (see Store.transaction); create: False refuses to start a team file, even
    for a write that could (the app's, once the file it opened is gone).
    """
    creates = create and write.creates
    return store.run(write.apply, create=creates, written=written, place=place, known=known)
