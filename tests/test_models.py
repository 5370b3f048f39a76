"""What a valid partner and contact point are, and how refusals are worded."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import R
from ictui.kinds.rules import LONG_TEXT_MAX, NAME_MAX
from ictui.kinds.schema import Checked, check_author, schema_of
from ictui.kinds.vocab import Direction, Need, Relationship, Verdict

from .conftest import TODAY

GOOD_POINT: dict[str, Any] = {
    "partner_id": 1,
    "date": "2026-11-19",
    "direction": "provided",
    "verdict": "success",
    "why": "Export arrived early",
}


def parse_fields(kind: type[R], values: dict[str, Any], today: dt.date | None) -> Checked[R]:
    return schema_of(kind).check(values, today)


def refusal(kind: type[R], today: dt.date | None = TODAY, **values: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_fields(kind, values, today)
    return dict(caught.value.problems)


def test_a_contact_point_with_all_fields_is_accepted() -> None:
    point = parse_fields(ContactPoint, GOOD_POINT, TODAY)
    assert point.values["verdict"] is Verdict.SUCCESS
    assert point.values["direction"] is Direction.PROVIDED
    assert point.values["date"] == dt.date(2026, 11, 19)


def test_each_missing_field_is_named() -> None:
    problems = refusal(ContactPoint)
    assert problems == {
        "partner_id": "is required",
        "date": "is required",
        "direction": "is required",
        "verdict": "is required",
        "why": "is required",
    }


def test_wrong_values_are_refused_with_the_allowed_ones() -> None:
    problems = refusal(ContactPoint, **{**GOOD_POINT, "verdict": "great", "direction": "up"})
    assert problems["verdict"] == "must be 'success' or 'needs-improvement'"
    assert problems["direction"] == "must be 'provided' or 'received'"


def test_other_refusals_are_worded_like_the_rest() -> None:
    problems = refusal(ContactPoint, **{**GOOD_POINT, "partner_id": 0, "why": ["a list"]})
    assert problems == {
        "partner_id": "must be greater than or equal to 1",
        "why": "must be a valid string",
    }


def test_a_blank_why_is_refused_after_trimming() -> None:
    assert refusal(ContactPoint, **{**GOOD_POINT, "why": " \n\t "}) == {"why": "is required"}


def test_a_why_made_only_of_escape_sequences_is_blank() -> None:
    assert refusal(ContactPoint, **{**GOOD_POINT, "why": "\x1b[2J\x1b]0;x\x07"}) == {
        "why": "is required"
    }


def test_a_too_long_why_says_how_long_it_is_and_the_limit() -> None:
    problems = refusal(ContactPoint, **{**GOOD_POINT, "why": "x" * 100_000})
    assert problems == {"why": f"is too long: 100000 characters (at most {LONG_TEXT_MAX})"}


def test_the_longest_allowed_why_is_kept_whole() -> None:
    point = parse_fields(ContactPoint, {**GOOD_POINT, "why": "y" * LONG_TEXT_MAX}, TODAY)
    assert len(point.values["why"]) == LONG_TEXT_MAX


def test_a_future_date_is_refused_for_new_input_only() -> None:
    future = {**GOOD_POINT, "date": "2026-12-25"}
    assert "in the future" in refusal(ContactPoint, **future)["date"]
    # Reading a stored record (no clock) must not fail because of time zones.
    assert parse_fields(ContactPoint, future, None).values["date"] == dt.date(2026, 12, 25)


def test_tomorrow_is_allowed_for_teammates_ahead_of_us() -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert parse_fields(ContactPoint, {**GOOD_POINT, "date": tomorrow}, TODAY)


def test_malformed_and_ancient_dates_are_refused() -> None:
    assert refusal(ContactPoint, **{**GOOD_POINT, "date": "26-11-01"}) == {
        "date": "must be a date written YYYY-MM-DD"
    }
    assert refusal(ContactPoint, **{**GOOD_POINT, "date": "2026-02-30"}) == {
        "date": "is not a real day: 2026-02-30"
    }
    assert refusal(ContactPoint, **{**GOOD_POINT, "date": "2026-13-01"}) == {
        "date": "is not a real day: 2026-13-01"
    }
    assert (
        "too far in the past"
        in refusal(ContactPoint, **{**GOOD_POINT, "date": "1999-12-31"})["date"]
    )


def test_unknown_fields_are_refused() -> None:
    assert refusal(Partner, name="x", colour="red") == {"colour": "is not a field of this record"}


def test_partner_names_are_one_clean_line() -> None:
    partner = parse_fields(Partner, {"name": "  Pay\nroll \x1b[1m team "}, TODAY)
    assert partner.values["name"] == "Pay roll team"


def test_partner_name_limit() -> None:
    assert parse_fields(Partner, {"name": "n" * NAME_MAX}, TODAY)
    assert "too long" in refusal(Partner, name="n" * (NAME_MAX + 1))["name"]


def test_needs_are_stored_once_each_in_a_fixed_order() -> None:
    partner = parse_fields(
        Partner, {"name": "x", "needs": ["speed", "information", "speed"]}, TODAY
    )
    assert partner.values["needs"] == (Need.INFORMATION, Need.SPEED)


def test_author_keeps_the_account_beside_the_display_name() -> None:
    assert check_author("bob", "").display == "bob"
    assert check_author("bob", " Bob B ").display == "Bob B"


def test_verdict_words_do_not_rely_on_colour() -> None:
    assert Verdict.SUCCESS.symbol != Verdict.NEEDS_IMPROVEMENT.symbol
    assert Verdict.NEEDS_IMPROVEMENT.label == "needs improvement"
    assert Verdict.SUCCESS.toggled() is Verdict.NEEDS_IMPROVEMENT
    assert Relationship.for_direction(Direction.RECEIVED) is Relationship.PROVIDER


# -- properties ---------------------------------------------------------------------


@given(why=st.text(max_size=5000))
def test_any_why_is_either_stored_clean_or_refused_by_name(why: str) -> None:
    try:
        point = parse_fields(ContactPoint, {**GOOD_POINT, "why": why}, TODAY)
    except InvalidInput as error:
        assert [field for field, _ in error.problems] == ["why"]
    else:
        assert 1 <= len(point.values["why"]) <= LONG_TEXT_MAX
        assert point.values["why"] == point.values["why"].strip()
        assert "\x1b" not in point.values["why"]


@given(
    partner_id=st.integers(min_value=1, max_value=10**9),
    date=st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY),
    direction=st.sampled_from(Direction),
    verdict=st.sampled_from(Verdict),
    why=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() and s.isprintable()),
    rev=st.integers(min_value=1, max_value=10**6),
)
def test_a_stored_contact_point_reads_back_equal(
    partner_id: int, date: dt.date, direction: Direction, verdict: Verdict, why: str, rev: int
) -> None:
    fields = parse_fields(
        ContactPoint,
        {
            "partner_id": partner_id,
            "date": date,
            "direction": direction,
            "verdict": verdict,
            "why": why,
        },
        TODAY,
    )
    author = {"account": "alice", "name": "Alice"}
    stored = {
        **fields.as_stored(),
        "rev": rev,
        "created_by": author,
        "created_at": "2026-11-20T10:30:00Z",
        "updated_by": author,
        "updated_at": "2026-11-20T10:30:00Z",
        "deleted": False,
    }
    schema = schema_of(ContactPoint)
    record = schema.read("7", json.loads(json.dumps(stored)))
    assert schema.as_stored(record) == stored
    assert record.why == fields.values["why"]
