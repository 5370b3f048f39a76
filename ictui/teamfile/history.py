"""Every record's earlier versions, kept in the team file: one mechanism for every kind.

Since schema version 2 (``registry.HISTORY_SINCE``), each revision of a record,
an update, a delete or a restore alike, keeps the version it replaces in the
record's ``history``, in the same locked, atomic write as the change
(``Transaction._revise``), the newest last and only the last ``KEEP`` (20). An
entry holds the replaced version's revision, who made it and when, whether it
was deleted, and, of the kind's own fields, only those the next revision
changed, as they were. The list is kept as one JSON text, a string::

    "3": {"partner_id": 1, "verdict": "needs-improvement", ..., "rev": 4,
          "history": "[{\"rev\":3,\"updated_by\":{\"account\":\"li\",\"name\":\"Li Chen\"},
                        \"updated_at\":\"2026-11-30T14:02:00Z\",\"deleted\":false,
                        \"fields\":{\"verdict\":\"success\"}}]"}

So any earlier version is the current record with the entries from the newest
back to it laid over it; ``read_history`` rebuilds them, only when asked.

Why here and in this shape:

- **On the record, not in a table of its own.** A table keyed ``"<table>/<id>"``
  would break TinyDB's rule that ids are whole numbers (plain TinyDB could not
  read it), and a history table per kind would be a second place to keep in
  step with the first: a record removed by hand would leave its history
  behind. On the record, the two are written, copied and purged together.
- **No field of any kind.** The stored records' validator ignores keys it
  does not know, so reading a record (the first frame, ``snapshot.all``,
  exports) never looks at the history, and a broken entry can never make the
  current record unreadable. ``ictui check`` checks it
  (``Snapshot.history_problems``).
- **One string, not a list of objects.** Every read parses the whole file, and
  the app keeps what it parsed. As objects, a history costs that parse, the
  memory and every garbage collection three dicts per entry; as one string per
  record it is scanned, not built. At 10,000 contact points revised twice
  each, objects doubled the parsed file's memory (16 to 32 MB) and tripled a
  full collection (24 to 71 ms) where the string left both as they were; at
  twenty revisions each, 177 MB against 46, and a parse five times as long
  (2.2 s against 0.44). Scripts still read it with ``json``: twice.
- **Only what changed.** Switching a verdict keeps one value, not another
  copy of a reason of up to 4,000 characters. The price: an earlier version
  depends on the entries after it, so a broken entry hides the versions
  before it (never the record itself, nor the versions after it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic_core import ValidationError

from ictui.kinds.record import Author, Record
from ictui.kinds.schema import problems_of, schema_of

KEY = "history"
"""The stored record's key that holds its earlier versions."""

KEEP = 20
"""How many earlier versions each record keeps: the oldest go first."""

_KEPT = ("rev", "updated_by", "updated_at", "deleted")
"""What an entry keeps of the version it replaces, besides the fields that changed."""


def entries_of(history: Any) -> list[Any]:
    """Return the entries a stored history holds; ValueError saying why if it holds none.

    history: the record's ``history`` as read: a JSON text of a list (what
    ictui writes); a list, as a script may have written it, is taken as it is.
    """
    if isinstance(history, str):
        try:
            history = json.loads(history, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ValueError(f"history is not a JSON text ({error})") from None
        if not isinstance(history, list):
            raise ValueError(f"history holds {_describe(history)}, not a list")
        return history
    if not isinstance(history, list):
        raise ValueError(f"history is {_describe(history)}, not the text of a list")
    return history


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"it holds {name}, which JSON does not allow")


def keep_replaced(
    before: Mapping[str, Any], history: Any, after: dict[str, Any], own: Iterable[str]
) -> None:
    """Give after, the next revision of the stored record before, before's version in its history.

    history: what the stored record held as its history (None if nothing).
    A history that cannot be read is started afresh: it never stops a write
    (``ictui check`` reports it until then).
    own: the kind's own fields; only those that differ between the two are kept.
    """
    entry: dict[str, Any] = {name: before[name] for name in _KEPT}
    entry["fields"] = {name: before[name] for name in own if before[name] != after.get(name)}
    try:
        earlier = entries_of(history) if history is not None else []
    except ValueError:
        earlier = []
    kept = [*earlier[-(KEEP - 1) :], entry] if KEEP > 1 else [entry]
    after[KEY] = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StoredVersion:
    """One version of a record as the team file keeps it: its fields checked by its kind."""

    rev: int
    updated_by: Author
    """Who made this version."""
    updated_at: dt.datetime
    """When this version was made."""
    deleted: bool
    values: Mapping[str, Any]
    """The kind's own fields in this version, by name, as its records hold them."""


@dataclass(frozen=True)
class RecordHistory:
    """A record's versions, newest first: the current one, then each earlier one still kept."""

    versions: tuple[StoredVersion, ...]
    problem: str | None = None
    """Why versions older than the last one given could not be read; None if all were."""


def _describe(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    return "null" if value is None else names.get(type(value), "a number")


def read_history(
    kind: type[Record], key: str, doc: Mapping[str, Any], current: Record | None = None
) -> RecordHistory:
    """Return the versions of the stored record doc (key: its id), rebuilt from its history.

    current: the record doc holds, if it was checked already. Each earlier
    version is checked as a stored record of kind, with the current version's
    creation. Reading stops at the first entry that is broken, and says why;
    the versions after it are given all the same. Raises
    pydantic_core.ValidationError if the current version itself is not valid.
    """
    schema = schema_of(kind)
    if current is None:
        current = schema.read(key, doc)
    own = [spec.name for spec in schema.fields]
    # As stored: the current version's values are valid, as they are or cleaned.
    values = {name: doc[name] for name in own if name in doc}
    created = {"created_by": doc["created_by"], "created_at": doc["created_at"]}

    def version(record: Record) -> StoredVersion:
        fields = {name: getattr(record, name) for name in own}
        return StoredVersion(
            record.rev, record.updated_by, record.updated_at, record.deleted, fields
        )

    versions = [version(current)]
    try:
        history = entries_of(doc.get(KEY, []))
    except ValueError as error:
        return RecordHistory(tuple(versions), str(error))
    later = current.rev
    for position in range(len(history) - 1, -1, -1):
        entry = history[position]
        where = f"history entry {position + 1} of {len(history)}"
        if not isinstance(entry, dict):
            return RecordHistory(tuple(versions), f"{where} is {_describe(entry)}, not an object")
        rev = entry.get("rev")
        if type(rev) is int:
            where = f"history, revision {rev}"
        if type(rev) is not int or not 1 <= rev < later:
            problem = f"{where}: rev is {rev!r}; it must be a whole number below {later}"
            return RecordHistory(tuple(versions), problem)
        fields = entry.get("fields")
        if not isinstance(fields, dict):
            problem = f"{where}: fields is {_describe(fields)}, not an object"
            return RecordHistory(tuple(versions), problem)
        unknown = sorted(set(fields) - set(own))
        if unknown:
            problem = f"{where}: fields names {', '.join(unknown)}, not a field of a {kind.LABEL}"
            return RecordHistory(tuple(versions), problem)
        values = {**values, **fields}
        try:
            record = schema.read(key, {**values, **created, **_meta(entry)})
        except ValidationError as error:
            return RecordHistory(tuple(versions), f"{where}: {problems_of(error)}")
        versions.append(version(record))
        later = rev
    return RecordHistory(tuple(versions))


def _meta(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return an entry's revision, author, time and state: each required, none defaulted."""
    return {name: entry.get(name) for name in _KEPT}
