"""Sorting a listing of contact points by a column, either way; ties stay newest first."""

from __future__ import annotations

import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.outputs.demo import write_demo
from ictui.services.order import COLUMNS, NEWEST_FIRST, ROUND, Order, in_order
from ictui.services.partners import partner_names
from ictui.services.stats import newest_first
from ictui.teamfile.store import Store

from .conftest import ALICE, TODAY, fixed_clock


def _demo(folder: Path) -> tuple[list[ContactPoint], dict[int, str]]:
    store = Store(folder / "team.json", author=ALICE, clock=fixed_clock)
    write_demo(store, TODAY, 80)
    snapshot = store.read()
    return newest_first(snapshot.all(ContactPoint)), partner_names(snapshot)


POINTS, NAMES = _demo(Path(tempfile.mkdtemp()))  # read once: hypothesis runs each test often
ORDERS = [Order(column, descending) for column in COLUMNS for descending in (True, False)]


def compared_by(point: ContactPoint, column: str) -> Any:
    """What of a column's text an order compares, going up (A to Z)."""
    return {
        "date": point.date,
        "partner": NAMES[point.partner_id].casefold(),
        "direction": point.direction.value,  # we served them, then they served us
        "verdict": point.verdict is Verdict.SUCCESS,  # needs improvement, then success
        "why": point.why.casefold(),
        "by": point.created_by.display.casefold(),
    }[column]


@given(
    st.lists(st.sampled_from(POINTS), unique_by=lambda point: point.id),
    st.sampled_from(ORDERS),
)
def test_an_order_sorts_by_its_column_and_keeps_ties_newest_first(
    chosen: list[ContactPoint], order: Order
) -> None:
    listed = newest_first(chosen)
    ordered = in_order(listed, order, NAMES)
    assert sorted(p.id for p in ordered) == sorted(p.id for p in listed)  # none lost, none twice
    for earlier, later in pairwise(ordered):
        a, b = compared_by(earlier, order.column), compared_by(later, order.column)
        assert (a >= b) if order.descending else (a <= b)
        if a == b and order.column != "date":
            assert listed.index(earlier) < listed.index(later)  # a tie: newest first


def test_the_default_is_newest_first_and_oldest_first_is_its_reverse() -> None:
    assert in_order(POINTS, Order(), NAMES) == POINTS
    assert in_order(POINTS, Order("date", descending=False), NAMES) == POINTS[::-1]
    by_partner = in_order(POINTS, Order("partner", descending=False), NAMES)
    assert NAMES[by_partner[0].partner_id] == min(NAMES.values(), key=str.casefold)


def test_a_click_sorts_by_the_column_then_the_other_way() -> None:
    by_partner = NEWEST_FIRST.clicked("partner")
    assert by_partner == Order("partner", descending=False)
    assert by_partner.label == "by partner, A to Z"
    assert by_partner.clicked("partner").label == "by partner, Z to A"
    assert by_partner.clicked("date") == NEWEST_FIRST  # a date's first click: newest first
    assert NEWEST_FIRST.clicked("date").label == "oldest first"
    assert NEWEST_FIRST.clicked("verdict").label == "needs improvement first"


def test_the_sort_key_goes_round_the_common_orders_and_back() -> None:
    seen = [NEWEST_FIRST]
    for _ in ROUND:
        seen.append(seen[-1].next())
    assert [order.label for order in seen] == [
        "newest first",
        "oldest first",
        "by partner, A to Z",
        "needs improvement first",
        "newest first",
    ]
    assert Order("why", descending=True).next() == NEWEST_FIRST  # off the round: back to start


def test_an_order_by_no_column_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be sorted by 'colour'"):
        Order("colour")
