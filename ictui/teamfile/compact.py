"""Records of the long tables held as their JSON bytes, not as decoded objects.

A contact point decoded is a dict of a dozen strings and two nested dicts:
about 1.7 KB and fifteen objects. Its compact JSON (as the file holds it) is
one bytes object of about 450 bytes. An open app holds every record of the
file, but reads each one once, to check it, and keeps the checked record; so
the long tables' records are kept as bytes and decoded again only when asked
for (a history, a record not checked yet). At 100,000 contact points that is
45 MB held instead of 176, and one object for the garbage collector where
there were fifteen.

A record is made compact only where orjson encodes it; what orjson refuses (a
lone surrogate, an integer beyond 64 bits) stays as it is. What it encodes,
it decodes back into an equal record (JSON's values, floats written to
round-trip): so the bytes stand for the record.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping
from typing import Any

LONG_TABLES = ("contact_points", "check_ins")
"""The tables that grow with time; the rest are short and stay decoded."""

Stored = dict[str, Any] | bytes
"""A record as held: decoded, or as its compact JSON bytes."""

Held = Mapping[str, Mapping[str, Stored]]
"""A team file as held: its tables' records by id, decoded or as bytes."""


def record(stored: Stored) -> dict[str, Any]:
    """Return a record as a dict, decoding it if it is held as bytes."""
    if type(stored) is bytes:
        import orjson

        decoded: dict[str, Any] = orjson.loads(stored)
        return decoded
    return stored  # type: ignore[return-value]  # a dict: bytes are handled above


def _mapping(value: Any) -> Mapping[str, Any]:
    """Return value if it is a mapping (a part of an earlier reading), else an empty one."""
    return value if isinstance(value, Mapping) else {}


def compact_table(records: MutableMapping[str, Stored], earlier: Any = None) -> None:
    """Hold each decoded record of a table as its JSON bytes, in place.

    earlier: the same table as held before; a record whose bytes are the same
    is given earlier's bytes object, so that two readings share what did not change.
    """
    import orjson

    before = _mapping(earlier)
    for key, stored in records.items():
        if type(stored) is not dict:
            continue
        try:
            encoded = orjson.dumps(stored)
        except orjson.JSONEncodeError:
            continue  # kept decoded: the file's fallback writer writes it (see fileformat.encode)
        old = before.get(key)
        if type(old) is bytes and old == encoded:
            records[key] = old
        else:
            # A copy of the exact size: orjson's own bytes keep room for 4 KB whatever they hold.
            records[key] = b"%b" % encoded


def compact_tables(raw: Mapping[str, Any], earlier: Any = None) -> None:
    """Hold the long tables' records of a decoded team file as bytes (see compact_table)."""
    before = _mapping(earlier)
    for name in LONG_TABLES:
        table = raw.get(name)
        if isinstance(table, dict):
            compact_table(table, before.get(name))


def as_written(value: Any) -> Any:
    """Give orjson a record held as bytes to write as it is (its ``default``); refuse the rest."""
    if type(value) is bytes:
        import orjson

        return orjson.Fragment(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def decoded_tables(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return raw with every record decoded; tables held as bytes are decoded afresh."""
    return {name: _decoded(table) for name, table in raw.items()}


def _decoded(table: Any) -> Any:
    if isinstance(table, dict) and any(type(stored) is bytes for stored in table.values()):
        return {key: record(stored) for key, stored in table.items()}
    return table


def copy_for_writing(held: Held) -> dict[str, Any]:
    """Return a file as held, for a transaction to change while held stays as it was.

    Every table is a new dict; records held as bytes are shared (they never
    change), decoded ones copied whole (a transaction changes the meta record
    in place).
    """
    return {name: _copied(table) for name, table in held.items()}


def _copied(table: Any) -> Any:
    if not isinstance(table, Mapping):
        return copy.deepcopy(table)
    copied = dict(table)
    decoded = {key: stored for key, stored in copied.items() if type(stored) is not bytes}
    if decoded:
        import orjson

        try:  # in C: a thousand short records in about a millisecond
            copied.update(orjson.loads(orjson.dumps(decoded)))
        except (orjson.JSONEncodeError, orjson.JSONDecodeError):
            copied.update(copy.deepcopy(decoded))  # what orjson refuses (see the top)
    return copied
