"""Parsing a long team file in steps, so that a thread reading it never holds the app's keys.

A parser written in C holds Python's lock until it is done: orjson reads the
37 MB of 100,000 contact points in half a second, and an app reading a
colleague's write in a thread answers no key meanwhile. Parsed in pieces of
about PIECE bytes, each held for milliseconds, the lock changes hands between
them (Python hands it over every 5 ms to a thread that asks).

Only the file as ictui writes it (compact JSON, orjson's bytes) is cut, and
only its longest tables: between two records of a table the bytes are
``},"ID":{``, which cannot stand inside a string (its quotes would be
escaped). A cut elsewhere (a nested object with numbers for keys) only makes
a piece that is not records, and the whole is then encoded back and compared
with the file: anything but the very bytes read is refused, and the file is
parsed in one go as before. So the result is what one parse gives, or None.
The proof too is made in pieces (see _encodes_as).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from typing import Any

PIECE = 256 * 1024
"""Bytes parsed at once: about 700 contact points, a few milliseconds."""

LONG_TABLES = (b"contact_points", b"check_ins")
"""The tables that grow with time; the rest are parsed in one go with the file's head."""

_BETWEEN_RECORDS = re.compile(rb'\},"\d+":\{')
"""The bytes between two records of a table: a record's end, the next one's id."""


def parse_in_steps(data: bytes, earlier: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Return data parsed as orjson parses it, in pieces; None where it cannot be cut so.

    earlier: the file as decoded before (by this or one parse). A record of a
    long table read unchanged is given as earlier's own, so that a reload holds
    one copy of what did not change, not two: at 100,000 contact points the
    second copy was 176 MB at the peak of every reload.
    """
    import orjson

    collecting = gc.isenabled()
    gc.disable()  # millions of new objects, none of them garbage (see fileformat._fast_parse)
    try:
        raw = _parse(data, orjson.loads, earlier or {})
        # The proof: encoding back gives the very bytes read (a tenth of the parse).
        if raw is None or not _encodes_as(raw, data, orjson.dumps):
            return None
        return raw
    except Exception:  # whatever a strange file makes of the cuts, one parse judges it
        return None
    finally:
        if collecting:
            gc.enable()


def _parse(data: bytes, loads: Any, earlier: Mapping[str, Any]) -> dict[str, Any] | None:
    """Parse the file's head, its long tables piece by piece, and what follows each."""
    spans = sorted(
        (start, name) for name in LONG_TABLES if (start := _table_start(data, name)) >= 0
    )
    if not spans:
        return None
    raw: dict[str, Any] = {}
    at = 0  # where the part not parsed yet begins: after a long table's opening brace
    head = b""  # what goes before the next part: nothing first, then {"":{ (see below)
    for start, name in spans:
        if start < at:
            return None
        # The part up to the table, closed as if the table were empty: its place kept.
        before = loads(head + data[at:start] + b"}}")
        if not _take(raw, before, head):
            return None
        records = raw[name.decode()] = {}
        before_now = earlier.get(name.decode())
        at = start
        while True:
            cut = _BETWEEN_RECORDS.search(data, at + PIECE)
            if cut is None:
                break
            try:
                piece = loads(b"{" + data[at : cut.start() + 1] + b"}")
            except ValueError:  # the cut went past the table's end: the rest is parsed below
                break
            if not isinstance(piece, dict):
                return None
            if isinstance(before_now, dict):
                _share(piece, before_now)
            records.update(piece)
            at = cut.start() + 2  # the next record's id
        head = b'{"":{'  # the table's last records, then what follows it, as one object
    rest = loads(head + data[at:])
    if not _take(raw, rest, head):
        return None
    return raw


def _share(piece: dict[str, Any], earlier: Mapping[str, Any]) -> None:
    """Put earlier's record in the place of each record of piece equal to it."""
    for key, doc in piece.items():
        old = earlier.get(key)
        # Equal is not always the same bytes (1 == 1.0): the proof then fails,
        # and one parse reads the file instead.
        if old is not None and old == doc:
            piece[key] = old


RECORDS_AT_ONCE = 1000
"""Records encoded at once for the proof: a millisecond or so each time."""


def _encodes_as(raw: dict[str, Any], data: bytes, dumps: Any) -> bool:
    """Whether orjson.dumps(raw) == data, found out a few records at a time.

    orjson's compact encoding of an object is its members' encodings joined by
    commas in braces, so it can be made and compared in pieces: no copy of the
    whole file is made, and no call holds other threads up for long.
    """
    view = memoryview(data)
    at = 0

    def next_is(expected: bytes) -> bool:
        nonlocal at
        end = at + len(expected)
        if view[at:end] != expected:
            return False
        at = end
        return True

    if not next_is(b"{"):
        return False
    for number, (name, table) in enumerate(raw.items()):
        if (number and not next_is(b",")) or not next_is(dumps(name) + b":"):
            return False
        if not isinstance(table, dict) or len(table) <= RECORDS_AT_ONCE:
            if not next_is(dumps(table)):
                return False
            continue
        records = list(table.items())
        if not next_is(b"{"):
            return False
        for first in range(0, len(records), RECORDS_AT_ONCE):
            members = dumps(dict(records[first : first + RECORDS_AT_ONCE]))[1:-1]
            if (first and not next_is(b",")) or not next_is(members):
                return False
        if not next_is(b"}"):
            return False
    return next_is(b"}") and at == len(data)


def _table_start(data: bytes, name: bytes) -> int:
    """Return where a table's records begin (after its opening brace), or -1."""
    marker = b'"' + name + b'":{'
    found = data.find(marker)
    return -1 if found < 0 else found + len(marker)


def _take(raw: dict[str, Any], part: Any, head: bytes) -> bool:
    """Add a parsed part's tables to raw, the open table's last records first."""
    if not isinstance(part, dict):
        return False
    if head:  # the records that ended the table being read, under the key ""
        if not raw:
            return False
        tail = part.pop("", None)
        if not isinstance(tail, dict):
            return False
        table = raw[next(reversed(raw))]
        if not isinstance(table, dict):
            return False
        table.update(tail)
    for table, records in part.items():
        if table in raw and records != {}:
            return False  # a table twice: leave it to the one parse
        raw[table] = records
    return True
