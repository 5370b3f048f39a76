"""Changes to the team file, made under its lock: checked by their kind's rules, then written.

``Store.transaction()`` reads the file afresh under its lock and hands out a
Transaction; what it adds or changes is written when the block ends. Every
value is checked by its kind's input rules exactly once on its way in: a
``Checked`` arrives checked, and a change is checked here, merged over the
record as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic_core import ValidationError

from ictui.errors import Conflict, IctuiError, InvalidInput, RecordNotFound
from ictui.kinds import registry
from ictui.kinds.record import Author, R, Record
from ictui.kinds.rules import format_errors
from ictui.kinds.schema import Checked, jsonable, schema_of
from ictui.kinds.schema import check_author as _checked_author
from ictui.teamfile import compact, fileformat, references
from ictui.teamfile.fileformat import iso_time
from ictui.teamfile.history import KEY as HISTORY_KEY
from ictui.teamfile.history import RecordHistory, keep_replaced, read_history


def _who(author: Author) -> Author:
    """Return an author as checked: one made by hand may hold anything."""
    return _checked_author(author.account, author.name)


def _as_stored(author: Author) -> dict[str, Any]:
    return {"account": author.account, "name": author.name}


class Transaction:
    """Changes to the team file made under its lock; written at once when the block ends."""

    def __init__(
        self, raw: fileformat.Raw, author: Author, now: dt.datetime, *, created: bool = False
    ) -> None:
        self._raw = raw
        self._author = _who(author)
        self._now = now
        self._today = now.astimezone().date()
        self._last_ids: dict[str, int] = {}
        self.created = created
        """Whether the team file did not exist before this transaction."""
        self.changed = False
        """Whether anything was added or changed, so the file must be written."""

    @property
    def today(self) -> dt.date:
        """The day it is where this transaction runs: what clock rules check input against."""
        return self._today

    # -- reading -------------------------------------------------------------

    def get(self, kind: type[R], record_id: int) -> R:
        """Return one record by id, deleted or not, or raise RecordNotFound."""
        stored = self._raw.get(kind.TABLE, {}).get(str(record_id))
        if stored is None:
            raise RecordNotFound(kind.LABEL, record_id)
        try:
            return schema_of(kind).read(str(record_id), compact.record(stored))
        except ValidationError as error:
            label = f"stored {kind.LABEL} {record_id}"
            raise InvalidInput(label, format_errors(error.errors(include_url=False))) from None

    def history(self, kind: type[R], record_id: int) -> RecordHistory:
        """Return a record's versions, newest first; RecordNotFound, InvalidInput as get."""
        current = self.get(kind, record_id)  # the current version must be readable
        key = str(record_id)
        return read_history(kind, key, compact.record(self._raw[kind.TABLE][key]), current)

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind; deleted ones only if asked."""
        schema = schema_of(kind)
        records = []
        for key, stored in self._raw.get(kind.TABLE, {}).items():
            doc = compact.record(stored)
            if include_deleted or doc.get("deleted") is not True:
                try:
                    records.append(schema.read(key, doc))
                except ValidationError:
                    continue  # reported by `ictui check`; never blocks other people's writes
        return records

    # -- writing ---------------------------------------------------------------

    def named_elsewhere(self, kind: type[R], record_id: int, but: Record | None = None) -> bool:
        """Whether any record other than but names this one, deleted records included."""
        return references.named_elsewhere(self._raw, kind, record_id, but)

    def _check_references(
        self, kind: type[R], values: Mapping[str, Any], names: set[str] | None = None
    ) -> None:
        for field, table in schema_of(kind).references.items():
            if names is not None and field not in names:
                continue
            target_id = values[field]
            if target_id is None:
                continue  # an optional reference left unset
            stored = self._raw.get(table, {}).get(str(target_id))
            doc = None if stored is None else compact.record(stored)
            if doc is None or doc.get("deleted") is True:
                target = registry.kind_for(table)
                state = f"was {target.DELETED}" if doc else "does not exist"
                raise InvalidInput(
                    kind.LABEL, [(field, f"names {target.LABEL} {target_id}, which {state}")]
                )

    def _put(self, kind: type[R], record_id: int, doc: dict[str, Any]) -> None:
        self._raw.setdefault(kind.TABLE, {})[str(record_id)] = doc
        self.changed = True

    def new(self, kind: type[R], /, **values: Any) -> R:
        """Check values as a new record of kind (clock rules on) and add it; InvalidInput if not."""
        return self.add(schema_of(kind).check(values, self._today))

    def add(
        self, checked: Checked[R], *, author: Author | None = None, at: dt.datetime | None = None
    ) -> R:
        """Add a record and return it with its new id; author and at default to us and now."""
        kind = checked.kind
        self._check_references(kind, checked.values)
        who = _who(author) if author is not None else self._author
        when = at if at is not None else self._now
        stamp = iso_time(when)
        person = _as_stored(who)
        doc = checked.as_stored()
        doc.update(rev=1, created_by=person, created_at=stamp, updated_by=person)
        doc.update(updated_at=stamp, deleted=False)
        record_id = self._next_id(kind.TABLE)
        self._put(kind, record_id, doc)
        return kind(
            **checked.values, id=record_id, rev=1, created_by=who, created_at=when,
            updated_by=who, updated_at=when, deleted=False,
        )  # fmt: skip

    def _next_id(self, table: str) -> int:
        if table not in self._last_ids:
            self._last_ids[table] = fileformat.highest_id(self._raw, table)
        records = self._raw.setdefault(table, {})
        new_id = self._last_ids[table] + 1
        while str(new_id) in records:  # added by plain TinyDB behind our back: skip it
            new_id += 1
        if new_id > fileformat.MAX_ID:
            raise IctuiError(f"table {table!r} has given out every id it can; nothing was written")
        self._last_ids[table] = new_id
        fileformat.remember_id(self._raw, table, new_id)
        return new_id

    def _current(
        self, kind: type[R], record_id: int, expected_rev: int, *, chained: bool = False
    ) -> R:
        """Return the record if it is at expected_rev; Conflict if it moved on.

        chained: expected_rev is the revision a change of ours queued before this
        one will have left, not one that was read: it holds only if we made it.
        Had our queued change failed meanwhile, someone else's revision could
        have that number, and this change would land on their version unseen.
        """
        current = self.get(kind, record_id)
        if current.rev != expected_rev or (
            chained and current.updated_by.account != self._author.account
        ):
            raise Conflict(kind.LABEL, expected_rev, current)
        return current

    def _revise(self, current: R, values: Mapping[str, Any] | None = None, *, deleted: bool) -> R:
        """Write current as its next revision, with new values of its own fields if given.

        The version replaced goes into the record's history, in this same write:
        every update, delete and restore of every kind comes through here.
        """
        kind = type(current)
        schema = schema_of(kind)
        before = schema.as_stored(current)
        doc = dict(before)
        own = schema.own_values(current)
        if values is not None:
            own.update(values)
            doc.update(jsonable(values))
        person = _as_stored(self._author)
        doc.update(rev=current.rev + 1, updated_by=person, updated_at=iso_time(self._now))
        doc["deleted"] = deleted
        stored = compact.record(self._raw.get(kind.TABLE, {}).get(str(current.id), {}))
        names = [spec.name for spec in schema.fields]
        keep_replaced(before, stored.get(HISTORY_KEY), doc, names)
        self._put(kind, current.id, doc)
        return kind(
            **own, id=current.id, rev=current.rev + 1, created_by=current.created_by,
            created_at=current.created_at, updated_by=self._author, updated_at=self._now,
            deleted=deleted,
        )  # fmt: skip

    def update(
        self,
        kind: type[R],
        record_id: int,
        expected_rev: int,
        changes: Mapping[str, Any] | Checked[R],
        *,
        chained: bool = False,
    ) -> R:
        """Change fields of a record last seen at expected_rev; Conflict if it moved on.

        changes: some fields' new values, checked here over the rest as stored;
        or every field, checked already (a Checked of the same kind, whole).
        chained: expected_rev was left by a change of ours (see _current).
        """
        current = self._current(kind, record_id, expected_rev, chained=chained)
        if current.deleted:
            raise IctuiError(f"{kind.LABEL} {record_id} is deleted; restore it first")
        schema = schema_of(kind)
        old = schema.own_values(current)
        if isinstance(changes, Checked):
            if changes.kind is not kind or not changes.whole:
                # Defaults would stand in for what was not given: a reset, not a change.
                raise ValueError(f"a Checked replaces a whole {kind.LABEL}: pass changes instead")
            new = dict(changes.values)
            named = set(new)
        else:
            merged = {**old, **changes}
            new = dict(schema.check(merged, self._today, clock_on=set(changes)).values)
            named = set(changes)
        self._check_references(kind, new, {name for name in named if new[name] != old[name]})
        if jsonable(new) == jsonable(old):
            return current  # nothing changed: no new revision, no write
        return self._revise(current, new, deleted=False)

    def delete(
        self, kind: type[R], record_id: int, expected_rev: int, *, chained: bool = False
    ) -> R:
        """Mark a record deleted (it can be restored); Conflict if it moved on."""
        current = self._current(kind, record_id, expected_rev, chained=chained)
        if current.deleted:
            return current
        return self._revise(current, deleted=True)

    def restore(
        self, kind: type[R], record_id: int, expected_rev: int, *, chained: bool = False
    ) -> R:
        """Undo the deletion of a record; Conflict if it moved on since.

        IctuiError if another live record now holds its ONE_LIVE_PER value.
        """
        current = self._current(kind, record_id, expected_rev, chained=chained)
        if not current.deleted:
            return current
        self._refuse_a_second_live(current)
        return self._revise(current, deleted=False)

    def _refuse_a_second_live(self, record: R) -> None:
        """IctuiError if bringing record back would make two live records share ONE_LIVE_PER.

        A debrief deleted, then a new one started for its interview: undoing
        the delete would give the interview two.
        """
        kind = type(record)
        field = kind.ONE_LIVE_PER
        if field is None:
            return
        value = getattr(record, field)
        other = next((r for r in self.all(kind) if getattr(r, field) == value), None)
        if other is not None:
            owner = schema_of(kind).field(field).refers
            whose = registry.kind_for(owner).LABEL if owner else field
            raise IctuiError(
                f"{kind.LABEL} {record.id} cannot come back: {whose} {value} has "
                f"{kind.LABEL} {other.id} now, and it may have only one; "
                f"delete {kind.LABEL} {other.id} first to bring this one back"
            )
