"""The team file's format: a TinyDB JSON database with a schema version, and reading it.

Writing is the store's alone (``ictui.teamfile.store``). Nothing here validates
records: the tables and the schema version come from the registry of kinds.

Layout, as plain TinyDB writes it, so that ``tinydb.TinyDB(path)`` and ``json``
read it::

    {"meta": {"1": {"schema_version": 2, "last_ids": {"partners": 7}}},
     "partners": {"1": {...}, "2": {...}},
     "contact_points": {"1": {..., "rev": 2, "history": [{"rev": 1, ...}]}}}

Every table is an object whose keys are whole-number ids. ``last_ids`` remembers
the highest id each table ever gave out, so an id is never reused even if a
record is purged by hand. A record's ``history`` holds its earlier versions
(see ``ictui.teamfile.history``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import stat
from pathlib import Path
from typing import Any, NamedTuple

from ictui import collector
from ictui.errors import TeamFileError, TeamFileMissing
from ictui.kinds import registry
from ictui.kinds.schema import RECORD_SPECS, jsonable, schema_of
from ictui.teamfile import compact, steps

META_TABLE = "meta"
META_ID = "1"

Raw = dict[str, dict[str, Any]]
"""A team file as parsed JSON: table name -> record id (a string) -> record.

A record is a dict; as the open app reads the file (in_steps), a long
table's records are held as their JSON bytes instead (see compact).
"""


def current_version() -> int:
    """Return the schema version this ictui writes, and the newest it reads.

    It is the newest version that added a record kind or a field (see
    ``Record.SINCE`` and ``ictui.kinds.fields.Since``).
    """
    return registry.schema_version()


def real_path(path: str | os.PathLike[str]) -> Path:
    """Return where a team file really is: writes go through a symbolic link, not over it."""
    return Path(os.path.realpath(Path(path).expanduser()))


def kind_of_file(st: os.stat_result) -> str:
    """Name what kind of file a stat describes, for messages: "a named pipe (FIFO)"."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def refuse_special(path: Path, st: os.stat_result) -> None:
    """Raise TeamFileError unless st is of a regular file: a team file is never anything else."""
    if stat.S_ISDIR(st.st_mode):
        raise TeamFileError(path, "is a folder, not a team file")
    if not stat.S_ISREG(st.st_mode):
        raise TeamFileError(
            path,
            f"is {kind_of_file(st)}, not a regular file; a team file is a plain file. "
            "Move it away and restore the team file; nothing was read or written",
        )


def read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """Return a team file's bytes and what stat said of that same open file.

    Anything but a regular file is refused before it is opened: opening a FIFO
    waits for a writer, reading a device may never end, and either would hang
    whoever holds the lock meanwhile.
    """
    try:
        refuse_special(path, os.stat(path))
        # O_NONBLOCK: should a FIFO be swapped in after the stat, opening it must not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            st = os.fstat(fd)
            refuse_special(path, st)
            return file.read(), st
    except FileNotFoundError:
        raise TeamFileMissing(path) from None
    except IsADirectoryError:
        raise TeamFileError(path, "is a folder, not a team file") from None
    except OSError as error:
        raise TeamFileError(path, f"cannot be read: {error.strerror}") from None


def utc_now() -> dt.datetime:
    """Return the current time in UTC, to the second: the store's default clock."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso_time(moment: dt.datetime) -> str:
    """Return a moment as the team file writes it: UTC, ISO 8601, with a Z."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which JSON does not allow")


def _finite(text: str) -> float:
    """Read a JSON number with a fraction or exponent; refuse one no float holds (1e400)."""
    value = float(text)
    if not math.isfinite(value):
        # Read as infinity, it would be written back as null: the number lost, silently.
        raise ValueError(f"holds the number {text[:40]}, too large for any JSON reader")
    return value


def _describe(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


class _DuplicateKey(ValueError):
    """One JSON object names a key twice; json would silently keep only the last."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


class _Pairs(list[tuple[str, Any]]):
    """An object's members in file order, duplicates kept: to say where a duplicate is."""


def _where_twice(text: str, key: str) -> str:
    """Say where the first duplicated key is: a table, a record id, a field, or deeper."""
    top = json.loads(text, object_pairs_hook=_Pairs)
    names = [name for name, _ in top]
    if len(set(names)) != len(names):
        return f"table {key!r} twice at the top level"
    for name, table in top:
        if not isinstance(table, _Pairs):
            continue
        ids = [record_id for record_id, _ in table]
        if len(set(ids)) != len(ids):
            return f"record id {key!r} twice in table {name!r}"
        for record_id, record in table:
            if isinstance(record, _Pairs) and len({k for k, _ in record}) != len(record):
                return f"key {key!r} twice in record {record_id} of table {name!r}"
    return f"key {key!r} twice in one object"


TOO_DEEP = (
    "is nested too deeply to be a team file (lists or objects inside one another "
    "about a thousand levels deep or more); it may have been damaged. "
    "Restore it from a backup or move it away"
)


def decode(
    data: bytes,
    path: Path,
    *,
    strict: bool = False,
    in_steps: bool = False,
    earlier: compact.Held | None = None,
) -> Raw:
    """Parse and check a team file's bytes, or raise TeamFileError naming the file.

    See decode_exact, which also says whether the records are the file's exactly.
    """
    return decode_exact(data, path, strict=strict, in_steps=in_steps, earlier=earlier)[0]


def decode_exact(
    data: bytes,
    path: Path,
    *,
    strict: bool = False,
    in_steps: bool = False,
    earlier: compact.Held | None = None,
) -> tuple[Raw, bool]:
    """Parse and check a team file's bytes, or raise TeamFileError naming the file.

    Return the records and whether they are exactly what a strict reading
    gives (always when strict; when read in steps, by the steps' proof).

    strict: also refuse a key named twice in one object, which plain JSON
    readers resolve by silently dropping the first (a whole table of records,
    say), and a number orjson cannot hold exactly. It is for writes and
    `ictui check`, not for the first frame of the app.

    orjson parses (several times faster than json); whatever it refuses or
    may have read otherwise than json would (see _exact) is parsed again by
    json, whose messages say what is wrong and where. in_steps: read as the
    open app does, a long file in pieces, never holding other threads up for
    long (see steps), and the long tables' records held as bytes (see
    compact); earlier, the file as read before, gives its own records where
    they are unchanged.
    """
    if not data or data.isspace():  # isspace: no 40 MB copy, as strip() would make
        raise TeamFileError(
            path, "is empty; it may have been cut short. Restore it from a backup or move it away"
        )
    raw = None
    exact = strict
    # In steps even when strict: its proof (encoding back to the very bytes) is what
    # strict asks for, no key named twice and no number rounded.
    if in_steps and len(data) > 4 * steps.PIECE:
        raw = steps.parse_in_steps(data, earlier)
        exact = exact or raw is not None
        if raw is None and not strict:
            raw = _in_steps_rewritten(data, earlier)
    if raw is None:
        raw = _fast_parse(data, strict=strict)
    if raw is None:
        raw = _json_parse(data, path, strict=strict)
    if in_steps and isinstance(raw, dict):  # the file read in one go: held as bytes too
        compact.compact_tables(raw, earlier)
    check_shape(raw, path)
    tables: Raw = raw  # the shape just checked
    return tables, exact


def _in_steps_rewritten(data: bytes, earlier: compact.Held | None) -> Any | None:
    """Parse a long file not written as ictui writes it, as if it were; None where json must decide.

    Such a file (spaced, as TinyDB and json write) cannot be cut into pieces,
    so it is parsed in one go. Its records, held as bytes while the decoded
    file is still alive, would each be made between objects about to be
    freed, and the freed memory would stay with the process (7.3x the file
    at 100k with all time shown, not 4.5x). Encoded as ictui writes and let
    go at once, the decoded file is freed whole, then read in steps.
    """
    import orjson

    raw = _fast_parse(data, strict=False)
    if raw is None:
        return None
    try:
        with collector.paused():
            rewritten = orjson.dumps(raw)
    except orjson.JSONEncodeError:  # too deep for orjson's encoder: read in one go
        return raw
    del raw
    return steps.parse_in_steps(rewritten, earlier)


def _fast_parse(data: bytes, *, strict: bool) -> Any | None:
    """Parse with orjson, the garbage collector paused; None where json must decide."""
    import orjson  # here: a reading of the file needs it, `ictui --help` does not

    # Parsing makes millions of objects, none of them garbage: a collection
    # among them only walks them (about a fifth of the parse at 100k records).
    try:
        with collector.paused():
            raw = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None  # invalid, too deep, a lone surrogate, a huge number: json says which
    if strict and not _exact(raw, data):
        return None
    return raw


def _exact(raw: Any, data: bytes) -> bool:
    """Whether raw is all that data holds: no key dropped as a duplicate, no number rounded.

    orjson keeps the last of a key named twice and reads an integer beyond
    64 bits as a float, silently. Both change what the file says; writing raw
    back encodes it as data exactly only if neither happened. Every ictui
    write makes that encoding, so this holds for all but a file written
    otherwise (by hand, TinyDB, the json fallback), which json then parses.
    Encoding back costs a fifth of the parse at 100k records, where counting
    keys in Python costs more than the parse and json's duplicate check 2.5 times it.
    """
    import orjson

    try:
        return orjson.dumps(raw) == data
    except orjson.JSONEncodeError:  # too deep for orjson's encoder: let json judge
        return False


def _json_parse(data: bytes, path: Path, *, strict: bool) -> Any:
    """Parse with json, or raise TeamFileError saying what is wrong and where."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TeamFileError(
            path,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
        ) from None
    hook = _unique_keys if strict else None
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite, object_pairs_hook=hook
        )
    except RecursionError:
        # json's C parser recurses once per level: a hand-made file can exhaust the stack.
        raise TeamFileError(path, TOO_DEEP) from None
    except _DuplicateKey as error:
        raise TeamFileError(
            path,
            f"has {_where_twice(text, error.key)}: a JSON reader keeps only the last one and "
            "loses the first. Merge them by hand; the file was not changed",
        ) from None
    except json.JSONDecodeError as error:
        # Some of json's messages end in "at" already ("Unterminated string starting at").
        what = error.msg.removesuffix(" at")
        raise TeamFileError(
            path, f"is not valid JSON: {what} at line {error.lineno}, column {error.colno}"
        ) from None
    except ValueError as error:
        if "digits" in str(error):  # Python's limit on the length of a number read as text
            raise TeamFileError(
                path, "holds a number thousands of digits long; no team file does"
            ) from None
        # NaN / Infinity, refused by _refuse_constant
        raise TeamFileError(path, f"is not valid JSON: it {error}") from None


MAX_ID = 2**53 - 1
"""The highest record id: every JSON reader (JavaScript's numbers too) holds it exactly."""

_SAFE_DIGITS = len(str(MAX_ID)) - 1


def _shown(key: str) -> str:
    """Return a key short enough for a message: a hand-made one can be thousands long."""
    return key if len(key) <= 40 else f"{key[:20]}…"


_HELD = (dict, bytes)
"""What a record is held as: decoded, or as its JSON bytes (see compact)."""


def check_shape(raw: Any, path: Path) -> None:
    """Raise TeamFileError unless raw has TinyDB's shape: objects of id -> object."""
    if not isinstance(raw, dict):
        raise TeamFileError(
            path,
            f"is not an ictui team file: its JSON is {_describe(raw)} at the top level, "
            "where a team file has an object of tables",
        )
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise TeamFileError(
                path, f"table {name!r} is {_describe(table)}, not an object of records"
            )
        # This runs on every write, over every record: test in bulk, explain one by one.
        keys = "".join(table)
        ids_ok = "" not in table and keys.isascii() and (keys.isdigit() or not keys)
        # Up to 15 digits is always below MAX_ID; longer ids are rare, and checked one by one.
        ids_ok = ids_ok and max(map(len, table), default=0) <= _SAFE_DIGITS
        # bytes: a record held as its JSON (see compact), made only of a dict read here.
        if ids_ok and all(type(record) in _HELD for record in table.values()):
            continue
        for key, record in table.items():
            if not (key.isascii() and key.isdigit()):
                raise TeamFileError(
                    path,
                    f"table {name!r} has a record id {_shown(key)!r}; ids must be whole numbers",
                )
            if len(key) > _SAFE_DIGITS and (len(key) > _SAFE_DIGITS + 1 or int(key) > MAX_ID):
                raise TeamFileError(
                    path,
                    f"table {name!r} has a record id {_shown(key)} ({len(key)} digits); "
                    f"ids must be at most {MAX_ID}",
                )
            if type(record) not in _HELD:
                raise TeamFileError(
                    path, f"record {key} of table {name!r} is {_describe(record)}, not an object"
                )


def schema_version(raw: Raw, path: Path) -> int:
    """Return the file's schema version; refuse files from a newer ictui or of another app."""
    meta = raw.get(META_TABLE, {}).get(META_ID)
    if meta is None:
        known = registry.tables()
        foreign = sorted(name for name, table in raw.items() if table and name not in known)
        if foreign:
            raise TeamFileError(
                path,
                "is not an ictui team file: it has tables ictui does not keep "
                f"({', '.join(map(repr, foreign))}) and no ictui schema version",
            )
        return 0  # records written by plain TinyDB before ictui kept a schema version
    version = meta.get("schema_version")
    if type(version) is not int or version < 1:
        raise TeamFileError(path, f"has an unreadable schema version: {version!r}")
    newest = current_version()
    if version > newest:
        raise TeamFileError(
            path,
            f"was written by a newer ictui (schema version {version}; this ictui reads up to "
            f"{newest}). Upgrade ictui to open it; the file was not changed",
        )
    return version


def new_team() -> Raw:
    """Return the contents of an empty team file at the current schema version."""
    raw: Raw = {META_TABLE: {META_ID: {"schema_version": current_version(), "last_ids": {}}}}
    for table in registry.tables():
        raw[table] = {}
    return raw


def _v0_to_v1(raw: Raw, now: str) -> Raw:
    """Give records written by plain TinyDB a revision and authorship; add the meta table."""
    unknown = {"account": "unknown"}
    for table in ("partners", "contact_points"):  # the tables of schema version 1
        for record in raw.setdefault(table, {}).values():
            record.setdefault("rev", 1)
            record.setdefault("created_by", unknown)
            record.setdefault("created_at", now)
            record.setdefault("updated_by", record["created_by"])
            record.setdefault("updated_at", record["created_at"])
            record.setdefault("deleted", False)
    raw[META_TABLE] = {META_ID: {"schema_version": 1, "last_ids": {}}}
    return raw


MIGRATIONS = {0: _v0_to_v1}
"""Steps written by hand, by the schema version they lift a file from.

Most versions need none: a kind or a field added in version N is given its
table, and its default on every record, by ``_add_what_came_in`` from the
registry (a field of every record included). A step is for what a default
cannot do: a value computed from others, or a field added inside a nested
value (an answer's new part).

Version 2 (``registry.HISTORY_SINCE``) gave every record a history of its
earlier versions (``ictui.teamfile.history``). It needs no step: a record
without a ``history`` has kept no earlier version yet, and keeps them from
its next revision on, once the file is lifted to version 2 (after a backup).
"""


def _add_what_came_in(raw: Raw, version: int) -> None:
    """Give a file the tables of kinds, and the defaults of fields, added in version.

    Version 1 is where the first kinds and fields came in: nothing to add.
    """
    if version == 1:
        return
    every_record = [spec for spec in RECORD_SPECS if spec.since == version]
    for kind in registry.KINDS:
        if version == kind.SINCE:
            raw.setdefault(kind.TABLE, {})
        own = [spec for spec in schema_of(kind).fields if spec.since == version]
        added = [*own, *every_record]
        if not added:
            continue
        defaults = jsonable({spec.name: spec.default for spec in added})
        for record in raw.setdefault(kind.TABLE, {}).values():
            for name, default in defaults.items():
                record.setdefault(name, default)


def migrate(raw: Raw, version: int, now: str) -> Raw:
    """Return raw lifted from version to the current one; now stamps records that lack a time."""
    newest = current_version()
    while version < newest:
        step = MIGRATIONS.get(version)
        if step is not None:
            raw = step(raw, now)
        version += 1
        _add_what_came_in(raw, version)
    meta(raw)["schema_version"] = newest
    return raw


def digest(data: bytes) -> bytes:
    """Return the hash of a team file's bytes: equal hashes, the same file.

    SHA-256: 37 MB in about 35 ms, Python's lock let go meanwhile.
    """
    import hashlib

    return hashlib.sha256(data).digest()


class Loaded(NamedTuple):
    """A team file as loaded: its records, the schema version it was written with, and
    whether the records are exactly the file's (read strictly, not lifted from an older
    schema): a write may then start from them while the file stays unchanged."""

    raw: Raw
    version: int
    exact: bool


def load(
    data: bytes,
    path: Path,
    now: dt.datetime,
    *,
    strict: bool = False,
    in_steps: bool = False,
    earlier: compact.Held | None = None,
) -> Loaded:
    """Check a team file's bytes and lift an older one to the current schema, in memory.

    Raise TeamFileError naming path if it cannot be used. now stamps migrated
    records; strict refuses duplicated keys too, in_steps parses a long file
    in pieces, earlier's unchanged records kept (see decode).
    """
    raw, exact = decode_exact(data, path, strict=strict, in_steps=in_steps, earlier=earlier)
    version = schema_version(raw, path)
    if version < current_version():
        # Migrations change records in place: decoded first where held as bytes.
        raw = migrate(compact.decoded_tables(raw), version, iso_time(now))
        exact = False
    return Loaded(raw, version, exact)


def _bad_last_id(value: Any) -> str | None:
    """Say what is wrong with a table's remembered last id, or None if it is sound."""
    if type(value) is not int:
        if type(value) is float:
            return "not a whole number"
        return _describe(value)
    if value < 0:
        return "negative"
    if value > MAX_ID:
        return "too large"
    return None


def bookkeeping_problems(raw: Raw) -> list[str]:
    """Return what is wrong in the meta record that a write relies on, for check and writes.

    Only a current-version file's meta record (after load) is checked: the
    last id each table gave out, which a write counts on from.
    """
    last_ids = raw.get(META_TABLE, {}).get(META_ID, {}).get("last_ids", {})
    if not isinstance(last_ids, dict):
        return [
            f"meta's last_ids is {_describe(last_ids)}, "
            "not an object of the last id each table gave out"
        ]
    found = []
    for table, value in last_ids.items():
        wrong = _bad_last_id(value)
        if wrong is not None:
            found.append(
                f"meta's last id of table {_shown(table)!r} is {wrong}; "
                f"it must be a whole number from 0 to {MAX_ID}"
            )
    return found


def meta(raw: Raw) -> dict[str, Any]:
    """Return the meta record of a current-version team file."""
    record: dict[str, Any] = raw[META_TABLE][META_ID]  # a short table: never held as bytes
    return record


def highest_id(raw: Raw, table: str) -> int:
    """Return the highest id table is known to have given out.

    That is the remembered last id, when there is one (it is kept by every ictui
    write); a file without it, from plain TinyDB or a migration, is scanned.
    """
    remembered = meta(raw).get("last_ids", {}).get(table)
    if type(remembered) is int:  # not a bool; bookkeeping_problems refused the rest
        return remembered
    return max(map(int, raw.get(table, {})), default=0)


def remember_id(raw: Raw, table: str, record_id: int) -> None:
    """Record that table gave out record_id, so that it is never given out again."""
    meta(raw).setdefault("last_ids", {})[table] = record_id


def encode(raw: Raw) -> bytes:
    """Return the bytes of a team file: compact JSON in UTF-8, as orjson writes it.

    What orjson refuses (a lone surrogate, which UTF-8 cannot hold; an integer
    beyond 64 bits) json writes instead, in ASCII with escapes as TinyDB does:
    either way plain JSON that json and TinyDB read. Data parsed from JSON
    cannot refer to itself, so json's circularity check is skipped. Records
    held as bytes (see compact) are orjson's encoding already: written as they are.
    """
    import orjson

    try:
        return orjson.dumps(raw, default=compact.as_written)
    except orjson.JSONEncodeError:
        decoded = compact.decoded_tables(raw)
        return json.dumps(decoded, separators=(",", ":"), check_circular=False).encode("ascii")
