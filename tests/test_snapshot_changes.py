"""A reading that took its checks from the one before answers as a reading made afresh."""

from __future__ import annotations

import copy
import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictui.kinds.contact_point import ContactPoint
from ictui.teamfile import compact
from ictui.teamfile.snapshot import Snapshot

from .test_compact import written_team

PATH = Path("team.json")

# What a colleague's write, a script or a hand edit may do between two readings.
EDITS = (
    "switch verdict",  # valid before and after: the common write
    "break date",
    "mend",
    "add point",
    "add point naming no partner",
    "remove point",
    "point names no partner",
    "add partner",
    "rename partner",
    "remove partner",
    "as is",
)


def edited(raw: dict[str, Any], edits: list[tuple[str, int]]) -> dict[str, Any]:
    """Return a copy of raw with the edits made, each to the record its number picks."""
    raw = copy.deepcopy(raw)
    points, partners = raw["contact_points"], raw["partners"]
    original = written_team()["contact_points"]
    for edit, pick in edits:
        keys = sorted(points, key=int)
        key = keys[pick % len(keys)] if keys else None
        if edit == "switch verdict" and key:
            verdict = points[key].get("verdict")
            points[key]["verdict"] = "success" if verdict != "success" else "needs-improvement"
        elif edit == "break date" and key:
            points[key]["date"] = "x"
        elif edit == "mend" and key:
            points[key] = copy.deepcopy(original[str(1 + pick % len(original))])
        elif edit.startswith("add point"):
            doc = copy.deepcopy(original["3"])
            doc["partner_id"] = 99 if "no partner" in edit else 1
            points[str(max(map(int, points), default=0) + 1)] = doc
        elif edit == "remove point" and key:
            del points[key]
        elif edit == "point names no partner" and key:
            points[key]["partner_id"] = 98
        elif edit == "add partner":
            partners[str(max(map(int, partners), default=0) + 1)] = copy.deepcopy(
                written_team()["partners"]["1"]
            )
        elif edit == "rename partner" and partners:
            next(iter(partners.values()))["name"] = "Renamed"
        elif edit == "remove partner" and partners:
            del partners[next(iter(partners))]
    return raw


def reading(raw: dict[str, Any], as_bytes: bool) -> Snapshot:
    """A snapshot of raw as the app holds it: the long tables as bytes, or as decoded."""
    held = copy.deepcopy(raw)
    if as_bytes:
        compact.compact_tables(held)
    return Snapshot(PATH, (0, 0, 0, 0), 6, held)


edits = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 9)), max_size=4)


@settings(max_examples=200, deadline=None)
@given(edits, edits, st.booleans(), st.booleans())
def test_a_reading_after_changes_finds_the_problems_a_fresh_reading_finds(
    before: list[tuple[str, int]],
    between: list[tuple[str, int]],
    as_bytes: bool,
    first_found: bool,
) -> None:
    first = edited(written_team(), before)
    then = edited(first, between)
    earlier = reading(first, as_bytes)
    if first_found:
        assert earlier.problems == reading(first, as_bytes).problems
    else:
        earlier.all(ContactPoint)  # some checked: the problems are found afresh later
    later = reading(then, as_bytes)
    later.take_checked_from(earlier)

    fresh = reading(then, as_bytes)
    assert later.problems == fresh.problems
    for kind_table, kind in (("contact_points", ContactPoint),):
        assert later.all(kind, include_deleted=True) == fresh.all(kind, include_deleted=True)
        changed = (later.changes_since(earlier) or {}).get(kind_table, frozenset())
        differ = {
            key
            for key in first[kind_table].keys() | then[kind_table].keys()
            if first[kind_table].get(key) != then[kind_table].get(key)
        }
        assert changed == differ


def test_a_valid_change_keeps_the_earlier_problems_without_finding_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = edited(written_team(), [("point names no partner", 0), ("break date", 2)])
    earlier = reading(first, as_bytes=True)
    assert len(earlier.problems) == 2
    later = reading(edited(first, [("switch verdict", 1), ("add point", 0)]), as_bytes=True)
    later.take_checked_from(earlier)
    found_afresh: list[Snapshot] = []
    every_problem = Snapshot._every_problem

    def spy(self: Snapshot) -> Any:
        found_afresh.append(self)
        return every_problem(self)

    monkeypatch.setattr(Snapshot, "_every_problem", spy)
    assert later.problems == earlier.problems
    assert found_afresh == []
    # A change that adds a problem is found afresh, and found.
    broken = reading(edited(first, [("break date", 1)]), as_bytes=True)
    broken.take_checked_from(earlier)
    assert len(broken.problems) == 3 and found_afresh == [broken]


def test_a_reading_does_not_keep_the_one_before_it_alive() -> None:
    earlier = reading(written_team(), as_bytes=True)
    later = reading(edited(written_team(), [("switch verdict", 0)]), as_bytes=True)
    later.take_checked_from(earlier)
    assert later.changes_since(earlier) == {"contact_points": frozenset({"1"})}
    del earlier
    gc.collect()
    # Only a weak reference is kept: nothing to patch from, and nothing held.
    assert later.problems == ()
    assert later._since is not None and later._since[0]() is None


def test_a_key_not_written_as_ictui_writes_ids_gives_no_changes() -> None:
    first = written_team()
    then = copy.deepcopy(first)
    then["contact_points"]["007"] = then["contact_points"].pop("3")
    earlier, later = reading(first, as_bytes=False), reading(then, as_bytes=False)
    later.take_checked_from(earlier)
    assert later.changes_since(earlier) is None
