"""Changes to the team file, made under its lock: validated by the models, then written.

``Store.transaction()`` reads the file afresh under its lock and hands out a
Transaction; what it adds or changes is written when the block ends. Every
value goes through the models of ``ictui.kinds.models`` on its way in, so the store
refuses whatever they reject.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import ValidationError

from ictui.errors import Conflict, IctuiError, InvalidInput, RecordNotFound
from ictui.kinds.models import (
    RECORD_TYPES,
    ContactPoint,
    Fields,
    Partner,
    Record,
    fields_of,
    format_errors,
    parse_fields,
)
from ictui.kinds.views import AuthorView, Someone
from ictui.teamfile import fileformat
from ictui.teamfile.fileformat import iso_time
from ictui.text import fold_case

R = TypeVar("R", Partner, ContactPoint)


def _who(author: Someone) -> dict[str, Any]:
    """Return an author as records store it; InvalidInput if the Author model would refuse it."""
    checked = AuthorView.checked(author.account, author.name)
    return {"account": checked.account, "name": checked.name}


class Transaction:
    """Changes to the team file made under its lock; written at once when the block ends."""

    def __init__(
        self, raw: fileformat.Raw, author: Someone, now: dt.datetime, *, created: bool = False
    ) -> None:
        self._raw = raw
        self._author = _who(author)
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
            return record_type.read(str(record_id), doc)
        except ValidationError as error:
            label = f"stored {record_type.label} {record_id}"
            raise InvalidInput(label, format_errors(error)) from None

    def all(self, record_type: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind; deleted ones only if asked."""
        records = []
        for key, doc in self._raw.get(record_type.table, {}).items():
            if include_deleted or not doc.get("deleted"):
                try:
                    records.append(record_type.read(key, doc))
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
        return record_type.read(str(record_id), doc)

    def new(self, fields_type: type[Fields], **values: Any) -> Record:
        """Validate values as a new record of fields_type and add it; InvalidInput if refused."""
        return self.add(self._validate(fields_type, values))

    def add(
        self, fields: Fields, *, author: Someone | None = None, at: dt.datetime | None = None
    ) -> Record:
        """Add a record and return it with its new id; author and at default to now and us."""
        fields = self._validate(type(fields), fields.model_dump())
        self._check_references(fields)
        record_type = RECORD_TYPES[fields.table]
        who = _who(author) if author is not None else self._author
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
            self._last_ids[table] = fileformat.highest_id(self._raw, table)
        records = self._raw.setdefault(table, {})
        new_id = self._last_ids[table] + 1
        while str(new_id) in records:  # added by plain TinyDB behind our back: skip it
            new_id += 1
        self._last_ids[table] = new_id
        fileformat.remember_id(self._raw, table, new_id)
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
