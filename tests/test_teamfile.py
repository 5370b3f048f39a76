"""The team file's format: what is refused, how old files are lifted, how ids are kept."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tinydb import TinyDB

from ictui.errors import TeamFileError
from ictui.teamfile import fileformat

PATH = Path("/teams/ops.json")

BROKEN = {
    "empty": (b"", "is empty"),
    "blank": (b"  \n", "is empty"),
    "truncated": (
        b'{"meta": {"1": {"schema_version": 1}}, "partners": {"1": {"na',
        "not valid JSON",
    ),
    "trailing data": (b'{"meta": {"1": {"schema_version": 1}}} {}', "Extra data"),
    "cut in a string": (
        b'{"_default": {}, "contact',
        "not valid JSON: Unterminated string starting at line 1, column 18",
    ),
    "bad UTF-8": (
        b'{"partners": {"1": {"name": "\xff\xfe"}}}',
        "not UTF-8 text (byte 0xff at offset 29)",
    ),
    "NaN": (b'{"meta": {"1": {"schema_version": NaN}}}', "NaN"),
    "Infinity": (b'{"x": {"1": {"v": -Infinity}}}', "-Infinity"),
    # Read as infinity, it would be written back as null: the number lost.
    "a number beyond any float": (b'{"x": {"1": {"v": 1e400}}}', "1e400, too large"),
    "top-level list": (b"[1, 2, 3]", "not an ictui team file: its JSON is a list at the top"),
    "table is a list": (b'{"partners": []}', "table 'partners' is a list"),
    "non-numeric id": (b'{"partners": {"abc": {}}}', "ids must be whole numbers"),
    "record is a string": (
        b'{"partners": {"1": "Payroll"}}',
        "record 1 of table 'partners' is a string",
    ),
    "newer schema": (b'{"meta": {"1": {"schema_version": 99}}}', "newer ictui (schema version 99"),
    "bad schema version": (
        b'{"meta": {"1": {"schema_version": "one"}}}',
        "unreadable schema version",
    ),
    "another app's TinyDB": (
        b'{"_default": {"1": {"song": "x"}}}',
        "not an ictui team file: it has tables ictui does not keep ('_default')",
    ),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_files_are_refused_with_a_reason_and_the_path(kind: str) -> None:
    data, reason = BROKEN[kind]
    with pytest.raises(TeamFileError) as caught:
        fileformat.schema_version(fileformat.decode(data, PATH), PATH)
    assert reason in str(caught.value)
    assert str(PATH) in str(caught.value)


def test_a_plain_tinydb_file_of_ictui_records_is_schema_zero() -> None:
    raw = fileformat.decode(b'{"_default": {}, "partners": {"1": {"name": "Payroll"}}}', PATH)
    assert fileformat.schema_version(raw, PATH) == 0


def test_migration_gives_old_records_revisions_and_authors() -> None:
    raw = fileformat.decode(b'{"partners": {"3": {"name": "Payroll"}}}', PATH)
    lifted = fileformat.migrate(raw, 0, "2026-11-20T10:30:00Z")
    assert fileformat.schema_version(lifted, PATH) == fileformat.current_version()
    record = lifted["partners"]["3"]
    assert record["rev"] == 1
    assert record["created_by"] == {"account": "unknown"}
    assert record["updated_at"] == "2026-11-20T10:30:00Z"
    assert record["deleted"] is False


def test_the_highest_id_is_remembered_even_after_a_purge() -> None:
    raw = fileformat.new_team()
    del raw["meta"]["1"]["last_ids"]
    raw["partners"] = {"1": {}, "5": {}}
    assert fileformat.highest_id(raw, "partners") == 5  # no memory yet: scanned
    fileformat.remember_id(raw, "partners", 6)
    raw["partners"].clear()  # purged by hand
    assert fileformat.highest_id(raw, "partners") == 6


def test_encoded_files_are_plain_json_that_json_and_tinydb_read(tmp_path: Path) -> None:
    raw = fileformat.new_team()
    raw["partners"]["1"] = {"name": "Zoë 🎉", "why": 'a "quote", \\ and \n\t\u0007'}
    data = fileformat.encode(raw)
    assert json.loads(data) == raw
    path = tmp_path / "team.json"
    path.write_bytes(data)
    with TinyDB(path, encoding="utf-8") as db:
        assert db.table("partners").get(doc_id=1) == raw["partners"]["1"]
    assert fileformat.decode(data, PATH, strict=True) == raw


@pytest.mark.parametrize(
    "value",
    ["lone \ud800 surrogate", "\udfff", 2**64, -(2**63) - 1, 10**40],
    ids=["surrogate in text", "surrogate alone", "2**64", "below int64", "10**40"],
)
def test_what_orjson_refuses_is_written_by_json_and_read_back_exactly(value: object) -> None:
    raw = fileformat.new_team()
    raw["partners"]["1"] = {"name": "Payroll", "why": value}
    data = fileformat.encode(raw)
    assert data.isascii()  # json's escapes: no UTF-8 could hold a lone surrogate
    assert json.loads(data) == raw
    decoded = fileformat.decode(data, PATH, strict=True)
    assert decoded == raw
    assert type(decoded["partners"]["1"]["why"]) is type(value)  # not rounded to a float


def test_a_huge_number_in_an_orjson_file_is_read_exactly_by_writes() -> None:
    # Hand-put into a file orjson wrote: orjson alone would read it as a float.
    huge = b'"last_ids":{},"n":123456789012345678901234'
    data = fileformat.encode(fileformat.new_team()).replace(b'"last_ids":{}', huge, 1)
    assert fileformat.decode(data, PATH, strict=True)["meta"]["1"]["n"] == 123456789012345678901234


@pytest.mark.parametrize("where", ["table", "record", "field", "deep"])
def test_a_key_twice_is_refused_by_strict_reads_of_an_orjson_file(where: str) -> None:
    raw = fileformat.new_team()
    raw["partners"]["1"] = {"name": "Payroll", "by": {"account": "ann"}}
    data = fileformat.encode(raw)
    twice = {
        "table": (b'"partners":{', b'"partners":{},"partners":{'),
        "record": (b'"1":{"name"', b'"1":{},"1":{"name"'),
        "field": (b'"name":"Payroll"', b'"name":"P","name":"Payroll"'),
        "deep": (b'"account":"ann"', b'"account":"bob","account":"ann"'),
    }[where]
    doubled = data.replace(*twice, 1)
    assert doubled != data
    assert fileformat.decode(doubled, PATH) == raw  # as every plain JSON reader: the last wins
    with pytest.raises(TeamFileError, match="twice"):
        fileformat.decode(doubled, PATH, strict=True)


@pytest.mark.parametrize("collecting", [True, False])
def test_parsing_leaves_the_garbage_collector_as_it_found_it(collecting: bool) -> None:
    data = fileformat.encode(fileformat.new_team())
    was = gc.isenabled()
    try:
        if collecting:
            gc.enable()
        else:
            gc.disable()
        fileformat.decode(data, PATH)
        with pytest.raises(TeamFileError):
            fileformat.decode(b"{broken", PATH)
        assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()


@given(st.dictionaries(st.text(), st.text() | st.integers() | st.none(), max_size=5))
def test_any_record_content_round_trips_through_the_file(record: dict[str, object]) -> None:
    raw = fileformat.new_team()
    raw["partners"]["1"] = record
    assert fileformat.decode(fileformat.encode(raw), PATH, strict=True) == raw


@given(
    st.dictionaries(st.text(), st.text() | st.integers(-(2**63), 2**63 - 1) | st.none(), max_size=5)
)
def test_record_content_within_64_bits_round_trips_through_a_quick_read(
    record: dict[str, object],
) -> None:
    raw = fileformat.new_team()
    raw["partners"]["1"] = record
    assert fileformat.decode(fileformat.encode(raw), PATH) == raw
