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
The proof too is made in pieces (see _encodes_as). Read against an earlier
reading, a piece whose records are all that reading's bytes exactly is not
parsed at all (see _known_piece): a colleague's write costs the pieces it
changed, and the proof.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ictui import collector
from ictui.teamfile import compact, lane

PIECE = 256 * 1024
"""Bytes parsed at once: about 700 contact points, a few milliseconds."""

LONG_TABLES = tuple(name.encode() for name in compact.LONG_TABLES)
"""The tables that grow with time; the rest are parsed in one go with the file's head."""

_BETWEEN_RECORDS = re.compile(rb'\},"\d+":\{')
"""The bytes between two records of a table: a record's end, the next one's id."""

_RECORD_ID = re.compile(rb'"(\d+)":')
"""A record's id, as it comes before the record in a table."""


def parse_in_steps(data: bytes, earlier: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Return data parsed as orjson parses it, in pieces; None where it cannot be cut so.

    The long tables' records come as their JSON bytes (see compact), each
    piece's as soon as it is parsed: the whole file is never held decoded.
    earlier: the file as read before. A record of a long table read unchanged
    is given as earlier's own bytes, so that a reload holds one copy of what
    did not change, not two.
    """
    import orjson

    # Millions of new objects, none of them garbage (see fileformat._fast_parse).
    with collector.paused():
        try:
            raw = _parse(data, orjson.loads, earlier or {})
            if raw is not None:  # the long tables' last records, read with what follows them
                compact.compact_tables(raw, earlier)
            # The proof: encoding back gives the very bytes read (a tenth of the parse).
            if raw is None or not _encodes_as(raw, data, orjson.dumps):
                return None
            return raw
        except Exception:  # whatever a strange file makes of the cuts, one parse judges it
            return None


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
        known = before_now if isinstance(before_now, dict) else {}
        at = start
        while True:
            cut = _BETWEEN_RECORDS.search(data, at + PIECE)
            if cut is None:
                break
            # A piece of records all read before, byte for byte, needs no parse.
            piece = _known_piece(data, at, cut.start() + 1, known)
            if piece is None:
                try:
                    piece = loads(b"{" + data[at : cut.start() + 1] + b"}")
                except ValueError:  # the cut went past the table's end: the rest is parsed below
                    break
                if not isinstance(piece, dict):
                    return None
                compact.compact_table(piece, known)
            records.update(piece)
            lane.breathe(lane.STRETCH)  # a piece takes milliseconds: look each time
            at = cut.start() + 2  # the next record's id
        head = b'{"":{'  # the table's last records, then what follows it, as one object
    rest = loads(head + data[at:])
    if not _take(raw, rest, head):
        return None
    return raw


RECORDS_AT_ONCE = 1000
"""Records encoded at once for the proof: a millisecond or so each time."""


def _encodes_as(raw: dict[str, Any], data: bytes, dumps: Any) -> bool:
    """Whether orjson.dumps(raw) == data, found out a few records at a time.

    orjson's compact encoding of an object is its members' encodings joined by
    commas in braces, so it can be made and compared in pieces: no copy of the
    whole file is made, and no call holds other threads up for long.
    """
    at = 0

    def next_is(expected: bytes) -> bool:
        nonlocal at
        # startswith compares in place, as memcmp does (a memoryview compares item by item).
        if not data.startswith(expected, at):
            return False
        at += len(expected)
        return True

    if not next_is(b"{"):
        return False
    for number, (name, table) in enumerate(raw.items()):
        if (number and not next_is(b",")) or not next_is(dumps(name) + b":"):
            return False
        if not isinstance(table, dict) or (
            len(table) <= RECORDS_AT_ONCE and name not in compact.LONG_TABLES
        ):
            if not next_is(dumps(table)):
                return False
            continue
        records = list(table.items())
        if not next_is(b"{"):
            return False
        for first in range(0, len(records), RECORDS_AT_ONCE):
            members = _members(records[first : first + RECORDS_AT_ONCE], dumps)
            lane.breathe(lane.STRETCH)
            if (first and not next_is(b",")) or not next_is(members):
                return False
        if not next_is(b"}"):
            return False
    return next_is(b"}") and at == len(data)


def _known_piece(
    data: bytes, start: int, end: int, known: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Return the records of data[start:end] if each is a known record's very bytes, else None.

    The bytes held of a record are orjson's encoding of an object read before:
    a piece made of them, "ID": before each and commas between, is what
    parsing it would give. (An id twice keeps one record: the proof then
    finds a record missing and refuses the whole.)
    """
    if not known:
        return None
    piece: dict[str, Any] = {}
    at = start
    while True:
        named = _RECORD_ID.match(data, at)
        if named is None:
            return None
        key = named.group(1).decode()
        held = known.get(key)
        at = named.end()
        if type(held) is not bytes or not data.startswith(held, at):
            return None
        piece[key] = held
        at += len(held)
        if at == end:
            return piece
        if at > end or not data.startswith(b",", at):
            return None
        at += 1


def _members(records: list[tuple[str, Any]], dumps: Any) -> bytes:
    """Return records encoded as the members of an object, those held as bytes as they are."""
    if not any(type(stored) is bytes for _, stored in records):
        encoded: bytes = dumps(dict(records))[1:-1]
        return encoded
    return b",".join(
        [
            dumps(key) + b":" + (stored if type(stored) is bytes else dumps(stored))
            for key, stored in records
        ]
    )


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
