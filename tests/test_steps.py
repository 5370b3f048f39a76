"""Parsing a long team file in pieces gives what one parse gives, or nothing at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictui.errors import TeamFileError
from ictui.kinds.contact_point import ContactPoint
from ictui.outputs.demo import write_demo
from ictui.teamfile import compact, fileformat, steps
from ictui.teamfile.store import Store

from .conftest import ALICE, TODAY, fixed_clock


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Cut pieces of 2 KB, and count the parses made."""
    monkeypatch.setattr(steps, "PIECE", 2048)
    monkeypatch.setattr(steps, "RECORDS_AT_ONCE", 7)  # the proof in pieces too
    sizes: list[int] = []
    loads = orjson.loads

    def counted(data: bytes) -> Any:
        sizes.append(len(data))
        return loads(data)

    monkeypatch.setattr(orjson, "loads", counted)
    return sizes


def demo_bytes(folder: Path, contacts: int) -> bytes:
    store = Store(folder / "team.json", author=ALICE, clock=fixed_clock)
    write_demo(store, TODAY, contacts)
    return store.path.read_bytes()


def test_a_team_file_is_parsed_in_small_pieces_as_in_one(
    tmp_path: Path, small_pieces: list[int]
) -> None:
    data = demo_bytes(tmp_path, 400)
    whole = json.loads(data)
    parsed = steps.parse_in_steps(data)
    assert parsed is not None and compact.decoded_tables(parsed) == whole
    assert list(parsed) == list(whole)  # the tables in the file's order, for writing back
    assert list(parsed["contact_points"]) == list(whole["contact_points"])
    # The long tables' records held as their own bytes in the file, the rest decoded.
    points = parsed["contact_points"]
    assert all(type(stored) is bytes and stored in data for stored in points.values())
    assert all(type(stored) is dict for stored in parsed["partners"].values())
    # Many pieces of about the size asked (the short tables go in one): no parse of it all.
    assert len(small_pieces) > len(data) // 4096
    assert sorted(small_pieces)[len(small_pieces) // 2] < 2048 + 1024
    assert max(small_pieces) < len(data) // 4


def test_a_file_not_written_as_ictui_writes_is_parsed_whole_then_read_in_pieces(
    tmp_path: Path, small_pieces: list[int]
) -> None:
    data = demo_bytes(tmp_path, 50)
    spaced = json.dumps(json.loads(data), indent=1).encode()
    assert steps.parse_in_steps(spaced) is None  # spaced: it cannot be cut
    small_pieces.clear()
    read, exact = fileformat.decode_exact(spaced, tmp_path, in_steps=True)
    assert compact.decoded_tables(read) == json.loads(data)
    assert list(read) == list(json.loads(data))
    assert all(type(stored) is bytes for stored in read["contact_points"].values())
    # One parse of it all, then ictui's own encoding of it read in pieces: the
    # records are not made while the whole decoded file is alive (see fileformat).
    assert small_pieces[0] == len(spaced)
    pieces = [size for size in small_pieces[1:] if 1024 < size < 2048 + 1024]
    assert len(pieces) > len(data) // 4096
    assert not exact  # a write reads it again, strictly


def test_a_spaced_file_too_deep_to_encode_back_is_read_in_one_parse(
    tmp_path: Path, small_pieces: list[int]
) -> None:
    whole = json.loads(demo_bytes(tmp_path, 50))
    deep: list[Any] = []
    for _ in range(300):  # orjson reads 1,024 levels but writes only 254
        deep = [deep]
    whole["contact_points"]["1"]["extra"] = deep
    spaced = json.dumps(whole, indent=1).encode()
    read = fileformat.decode(spaced, tmp_path, in_steps=True)
    assert compact.decoded_tables(read) == whole


def test_a_broken_file_is_refused_as_it_is_without_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(steps, "PIECE", 1024)
    data = demo_bytes(tmp_path, 200)
    cut = data[: len(data) * 2 // 3]
    with pytest.raises(TeamFileError) as in_one:
        fileformat.decode(cut, tmp_path)
    with pytest.raises(TeamFileError) as in_pieces:
        fileformat.decode(cut, tmp_path, in_steps=True)
    assert str(in_pieces.value) == str(in_one.value)


# Records that try to look like the bytes between records: ids and braces in text,
# nested objects with numbers for keys, tables before, between and after the long ones.
texts = st.text(
    alphabet=st.sampled_from(["}", "{", ",", '"', ":", "1", "a", "\\", " "]), max_size=12
)
nested = st.recursive(
    st.none() | st.integers(-5, 5) | texts,
    lambda inner: (
        st.dictionaries(st.sampled_from(["1", "2", "x"]), inner, max_size=3)
        | st.lists(inner, max_size=3)
    ),
    max_leaves=6,
)
records = st.dictionaries(
    st.integers(1, 400).map(str), st.dictionaries(st.sampled_from(["why", "h", "rev"]), nested)
)
tables = st.lists(
    st.tuples(st.sampled_from(["meta", "contact_points", "check_ins", "partners", ""]), records),
    max_size=5,
)


@given(tables)
def test_pieces_give_one_parse_or_nothing(chosen: list[tuple[str, dict[str, Any]]]) -> None:
    data = orjson.dumps(dict(chosen))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "PIECE", 16)  # a cut after every record or so
        patch.setattr(steps, "RECORDS_AT_ONCE", 2)
        parsed = steps.parse_in_steps(data)
    assert parsed is None or (
        compact.decoded_tables(parsed) == orjson.loads(data)
        and list(parsed) == list(orjson.loads(data))
    )


@settings(max_examples=50)  # each example reads its file three times
@given(tables, tables)
def test_pieces_read_against_an_earlier_reading_give_one_parse_or_nothing(
    chosen: list[tuple[str, dict[str, Any]]], before: list[tuple[str, dict[str, Any]]]
) -> None:
    data = orjson.dumps(dict(chosen))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "PIECE", 16)
        patch.setattr(steps, "RECORDS_AT_ONCE", 2)
        # Earlier: another file, some of its records the same as this one's, or this one.
        earlier = steps.parse_in_steps(orjson.dumps(dict(before + chosen[:1])))
        again = steps.parse_in_steps(data)
        for known in (earlier, again):
            parsed = steps.parse_in_steps(data, known)
            assert parsed is None or (
                compact.decoded_tables(parsed) == orjson.loads(data)
                and list(parsed) == list(orjson.loads(data))
            )
        # Read against a reading of the very same bytes: it is read, and each record
        # held as bytes is that reading's own.
        if again is not None:
            parsed = steps.parse_in_steps(data, again)
            assert parsed is not None
            for name in compact.LONG_TABLES:
                for key, held in parsed.get(name, {}).items():
                    assert held is again[name][key]


@given(
    st.lists(
        st.tuples(st.sampled_from(["contact_points", "check_ins", "meta"]), records),
        min_size=1,
        max_size=3,
    )
)
def test_plain_records_are_always_cut(chosen: list[tuple[str, dict[str, Any]]]) -> None:
    raw = {name: {key: {"why": str(doc)} for key, doc in table.items()} for name, table in chosen}
    if not {"contact_points", "check_ins"} & raw.keys():
        return
    data = orjson.dumps(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "PIECE", 16)
        patch.setattr(steps, "RECORDS_AT_ONCE", 2)
        parsed = steps.parse_in_steps(data)
        assert parsed is not None and compact.decoded_tables(parsed) == raw


def test_a_long_table_named_twice_around_a_number_is_left_to_one_parse() -> None:
    # Found by review: the cut records went into whatever the table's name held last.
    long = b'"' + b"a" * (steps.PIECE * 5) + b'"'
    data = b'{"contact_points":5,"x":3,"contact_points":{"1":{"a":' + long + b"}}}"
    assert steps.parse_in_steps(data) is None
    with pytest.raises(TeamFileError) as in_one:
        fileformat.decode(data, Path("team.json"))
    with pytest.raises(TeamFileError) as in_pieces:
        fileformat.decode(data, Path("team.json"), in_steps=True)
    assert str(in_pieces.value) == str(in_one.value)


def test_records_read_unchanged_are_the_earlier_readings_own(
    tmp_path: Path, small_pieces: list[int]
) -> None:
    store = Store(tmp_path / "team.json", author=ALICE, clock=fixed_clock)
    write_demo(store, TODAY, 400)
    earlier = store.read(in_steps=True)  # as the app reads: the long tables held as bytes
    edited = earlier.all(ContactPoint)[10]
    store.update(ContactPoint, edited.id, edited.rev, why="Edited by a colleague")
    data = store.path.read_bytes()
    parses_before = len(small_pieces)
    later = steps.parse_in_steps(data, earlier.held)
    # A piece whose records are all the earlier reading's very bytes needs no parse:
    # parsed are the head, the edited record's piece, and each long table's last
    # piece (tried, found to run past the table's end) and tail.
    parsed = small_pieces[parses_before:]
    assert len(parsed) <= 6 and sum(parsed) < len(data) // 4
    assert later is not None and compact.decoded_tables(later) == json.loads(data)
    before, now = earlier.held["contact_points"], later["contact_points"]
    shared = {key for key, doc in now.items() if doc is before.get(key)}
    edited_now = compact.record(now[str(edited.id)])
    assert str(edited.id) not in shared and edited_now["why"] == "Edited by a colleague"
    # All but the edited one, the last few read with what follows them included.
    assert len(shared) == len(now) - 1
    # The app's reload does the same, and keeps the checks made of the records kept.
    reloaded = store.read(reuse=earlier, in_steps=True)
    assert reloaded.held["contact_points"][next(iter(shared))] is before[next(iter(shared))]
    assert reloaded.get(ContactPoint, edited.id).why == "Edited by a colleague"  # type: ignore[union-attr]


def test_a_record_equal_but_written_otherwise_is_not_taken_for_the_earlier_one(
    tmp_path: Path, small_pieces: list[int]
) -> None:
    data = demo_bytes(tmp_path, 400)
    earlier = steps.parse_in_steps(data)
    assert earlier is not None
    points = earlier["contact_points"]
    first = next(iter(points))
    written = compact.record(points[first])
    written["rev"] = float(written["rev"])  # 1.0 == 1, but not the bytes of the file
    points[first] = orjson.dumps(written)
    later = steps.parse_in_steps(data, earlier)
    assert later is not None
    # The file's own bytes (rev 1), not the earlier 1.0, which would be written back so.
    assert later["contact_points"][first] is not points[first]
    assert compact.record(later["contact_points"][first])["rev"] == 1
    assert later["contact_points"][first] in data
