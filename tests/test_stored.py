"""The quick stored-record validator of `ictui check` agrees with the models, record for record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as ModelError
from pydantic_core import ValidationError as CoreError

from ictui.kinds.models import RECORD_TYPES, format_errors
from ictui.kinds.rules import format_errors as format_core_errors
from ictui.kinds.stored import SCHEMAS, StoredRecords
from ictui.teamfile import fileformat

from .conftest import HOSTILE

AUTHOR = {"account": "alice", "name": "Alice Adams"}
META = {
    "rev": 2,
    "created_by": AUTHOR,
    "created_at": "2026-11-20T09:00:00Z",
    "updated_by": {"account": "bob"},
    "updated_at": "2026-11-20T10:00:00+01:00",
    "deleted": False,
}
GOOD = {
    "partners": {
        **META,
        "name": "Payroll",
        "relationship": "provider",
        "kind": "department",
        "segment": "finance",
        "priority": "high",
        "needs": ["speed", "information", "speed"],
        "notes": "Two lines\nof notes",
    },
    "contact_points": {
        **META,
        "partner_id": 3,
        "date": "2026-11-19",
        "direction": "received",
        "verdict": "needs-improvement",
        "why": "Reports late",
    },
}
"""A valid stored record of each kind, to vary."""

ODD_VALUES = [
    None, "", "   ", "x", "x" * 81, "y" * 4001, "\x1b[2J", "\x00", *HOSTILE, 0, -1, 1, 2.0, 2.5,
    "7", True, False, [], ["speed"], ["soon"], {}, {"account": ""}, {"account": "a" * 65},
    {"account": "a", "name": "n" * 81}, {"account": "a", "name": ""}, {"name": "no account"},
    "2026-02-30", "1999-12-31", "2000-01-01", "26-11-19", "2026-11-19T10:00:00",
    "2026-11-19T10:00:00Z", "2026-11-19T10:00:00+05:30", "success", "needs-improvement",
    "provided", "received", "SUCCESS", "customer", "both", "person", "low", "maybe",
]  # fmt: skip
"""Values that are wrong for most fields and right for some, in every way pydantic tells apart."""

MISSING = object()


def model_verdict(table: str, record_id: str, doc: dict[str, Any]) -> tuple[bool, Any]:
    """Validate with the store's model: (valid, the record as a dict or the messages)."""
    try:
        record = RECORD_TYPES[table].model_validate({**doc, "id": int(record_id)})
    except ModelError as error:
        return False, format_errors(error)
    return True, record.model_dump()


def core_verdict(table: str, record_id: str, doc: dict[str, Any]) -> tuple[bool, Any]:
    """Validate with the quick validator: (valid, the record as a dict or the messages)."""
    try:
        record = StoredRecords().validate(table, record_id, doc)
    except CoreError as error:
        return False, format_core_errors(error.errors(include_url=False))
    return True, record


def assert_agree(table: str, record_id: str, doc: dict[str, Any]) -> None:
    model_ok, model_out = model_verdict(table, record_id, doc)
    core_ok, core_out = core_verdict(table, record_id, doc)
    assert (core_ok, core_out if not core_ok else None) == (
        model_ok,
        model_out if not model_ok else None,
    )
    if model_ok:
        assert core_out == model_out


def test_the_same_fields_in_the_same_order() -> None:
    # The order decides the order of the problems `ictui check` prints.
    for table, build in SCHEMAS.items():
        assert list(build()["fields"]) == list(RECORD_TYPES[table].model_fields)
    assert tuple(SCHEMAS) == tuple(RECORD_TYPES) == fileformat.RECORD_TABLES


@pytest.mark.parametrize("table", sorted(GOOD))
def test_a_good_record_is_good_to_both(table: str) -> None:
    assert core_verdict(table, "5", GOOD[table])[0]
    assert_agree(table, "5", GOOD[table])


@pytest.mark.parametrize("record_id", ["0", "1", "007"])
@pytest.mark.parametrize("table", sorted(GOOD))
def test_ids_from_the_file_agree(table: str, record_id: str) -> None:
    assert_agree(table, record_id, GOOD[table])


@st.composite
def varied_records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A stored record with some fields changed to odd values, dropped, or added."""
    table = draw(st.sampled_from(sorted(GOOD)))
    doc = dict(GOOD[table])
    fields = [*doc, "id", "unknown_field"]
    for name in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique=True)):
        value = draw(st.sampled_from([*ODD_VALUES, MISSING]) | st.text(max_size=30))
        if value is MISSING:
            doc.pop(name, None)
        else:
            doc[name] = value
    if "id" in doc:  # the id comes from the file's key, never from the record
        doc.pop("id")
    return table, doc


@settings(max_examples=1500, deadline=None)
@given(varied_records())
def test_the_quick_validator_agrees_with_the_models(record: tuple[str, dict[str, Any]]) -> None:
    table, doc = record
    assert_agree(table, "12", doc)


@settings(deadline=None)
@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    moment=st.datetimes(timezones=st.timezones() | st.none()).map(lambda m: m.isoformat()),
)
def test_dates_and_moments_agree(day: dt.date, moment: str) -> None:
    doc = {**GOOD["contact_points"], "date": day.isoformat(), "updated_at": moment}
    assert_agree("contact_points", "3", doc)
