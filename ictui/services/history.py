"""A record's history: its versions, what each revision changed, and bringing one back.

One mechanism for every kind. The team file keeps each record's earlier
versions (the last 20) on the record, and they are read only when asked (see
``ictui.teamfile.history`` for where and why). Here they become versions as
people read them: who made each, when, and which fields it changed from what
to what. Bringing a version back writes its fields as a new revision, so
that it is in the history too, and can itself be undone the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ictui.errors import IctuiError, RecordNotFound
from ictui.kinds.record import Author, R, Record
from ictui.kinds.schema import schema_of
from ictui.teamfile.history import RecordHistory, StoredVersion
from ictui.teamfile.transaction import Transaction

What = Literal["created", "changed", "deleted", "restored", "unknown"]
"""What a revision did; "unknown" for the oldest kept once the one before it was dropped."""


class HistorySource(Protocol):
    """What history is read from: a snapshot of the team file, or a transaction on it."""

    def history(self, kind: type[Record], record_id: int) -> RecordHistory | None:
        """Return a record's stored versions, newest first (None or an error if no such record)."""
        ...


@dataclass(frozen=True)
class FieldChange:
    """One field a revision changed: its value in the version before (old) and after (new)."""

    name: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Version:
    """One version of a record: who made it, when, and what that revision changed.

    changes: the fields that differ from the version before it, with that
    version's value as old and this one's as new (read the other way, they are
    the fields in which the version before it differs from this, the one after
    it). Empty for the first revision, for a delete or a restore, and for the
    oldest version kept when the one before it is no longer kept.
    """

    rev: int
    who: Author
    when: dt.datetime
    deleted: bool
    changes: tuple[FieldChange, ...]
    what: What
    values: Mapping[str, Any]
    """The kind's own fields in this version, by name: what bringing it back writes."""
    current: bool
    """Whether this is the record as it is now."""


class UnknownVersion(IctuiError):
    """A revision was asked for that a record's history does not hold."""

    def __init__(self, label: str, record_id: int, rev: int, known: tuple[int, ...]) -> None:
        self.rev = rev
        self.known = known
        listed = ", ".join(map(str, known))
        super().__init__(
            f"{label} {record_id} has no revision {rev} kept; its revisions are {listed}"
        )


def _changes(kind: type[Record], older: StoredVersion, newer: StoredVersion) -> list[FieldChange]:
    found = []
    for spec in schema_of(kind).fields:
        old, new = older.values[spec.name], newer.values[spec.name]
        if old != new:
            found.append(FieldChange(spec.name, spec.label, old, new))
    return found


def _what(stored: StoredVersion, older: StoredVersion | None) -> What:
    if older is None:
        return "created" if stored.rev == 1 else "unknown"
    if older.deleted != stored.deleted:
        return "deleted" if stored.deleted else "restored"
    return "changed"


def versions_of(kind: type[Record], history: RecordHistory) -> list[Version]:
    """Return the versions of a record's stored history, newest first, each with its changes."""
    stored = history.versions
    versions = []
    for index, version in enumerate(stored):
        older = stored[index + 1] if index + 1 < len(stored) else None
        changes = _changes(kind, older, version) if older is not None else []
        versions.append(
            Version(
                rev=version.rev,
                who=version.updated_by,
                when=version.updated_at,
                deleted=version.deleted,
                changes=tuple(changes),
                what=_what(version, older),
                values=version.values,
                current=index == 0,
            )
        )
    return versions


def read_versions(
    source: HistorySource, kind: type[Record], record_id: int
) -> tuple[list[Version], str | None]:
    """Return a record's versions, newest first, and why older ones could not be read, if so.

    RecordNotFound if there is no valid record with that id.
    """
    history = source.history(kind, record_id)
    if history is None:
        raise RecordNotFound(kind.LABEL, record_id)
    return versions_of(kind, history), history.problem


def history_of(source: HistorySource, kind: type[Record], record_id: int) -> list[Version]:
    """Return a record's versions, newest first: the current one, then each earlier one kept.

    source: a snapshot or a transaction. A broken entry in the history ends
    it there (``ictui check`` says why); the record itself is never affected.
    """
    versions, _problem = read_versions(source, kind, record_id)
    return versions


def bring_back(tx: Transaction, kind: type[R], record_id: int, rev: int, expected_rev: int) -> R:
    """Write the fields of revision rev of a record as its next revision, and return it.

    expected_rev: the revision the person saw; Conflict if it moved on since.
    A deleted record is restored first, in the same write. Nothing is written
    if the fields are those of the record already (bringing back the current
    version). UnknownVersion, with the revisions kept, if rev is not among them.
    """
    versions = history_of(tx, kind, record_id)
    wanted = next((version for version in versions if version.rev == rev), None)
    if wanted is None:
        known = tuple(version.rev for version in versions)
        raise UnknownVersion(kind.LABEL, record_id, rev, known)
    current = tx.get(kind, record_id)
    if current.deleted:
        current = tx.restore(kind, record_id, expected_rev)
        expected_rev = current.rev
    return tx.update(kind, record_id, expected_rev, dict(wanted.values))


@dataclass(frozen=True)
class BringBack:
    """Bring back an earlier version of a record, last seen at expected_rev, as a write."""

    kind: type[Record]
    record_id: int
    rev: int
    expected_rev: int
    changes: Mapping[str, Any]
    """The version's fields: what a conflict dialog shows as yours if the record moved on."""
    what: str = "bring back the earlier version"
    creates = False

    def apply(self, tx: Transaction) -> Record:
        """Write the version's fields as the record's next revision."""
        return bring_back(tx, self.kind, self.record_id, self.rev, self.expected_rev)
