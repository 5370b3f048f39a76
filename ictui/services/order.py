"""The orders a listing of contact points can be sorted in: by a column, one way or the other."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict

COLUMNS = ("date", "partner", "direction", "verdict", "why", "by")
"""The contact table's columns, each of which a listing can be sorted by."""


@dataclass(frozen=True)
class Order:
    """A column to sort contact points by, and which way; newest first unless chosen."""

    column: str = "date"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"contact points cannot be sorted by {self.column!r}")

    @property
    def label(self) -> str:
        """Return the order in words: "newest first", "by partner, A to Z"."""
        if self.column == "date":
            return "newest first" if self.descending else "oldest first"
        if self.column == "verdict":
            return "successes first" if self.descending else "needs improvement first"
        if self.column == "direction":
            return "they served us first" if self.descending else "we served them first"
        words = {"partner": "partner", "why": "reason", "by": "who logged it"}[self.column]
        return f"by {words}, {'Z to A' if self.descending else 'A to Z'}"

    def clicked(self, column: str) -> Order:
        """Return the order after a click on a column's heading: that column, or reversed."""
        if column == self.column:
            return Order(column, not self.descending)
        return Order(column, descending=column == "date")  # the newest first, the rest A to Z

    def next(self) -> Order:
        """Return the order after this one in the sort key's round (the commonest four)."""
        at = ROUND.index(self) if self in ROUND else -1
        return ROUND[(at + 1) % len(ROUND)]


NEWEST_FIRST = Order()
ROUND = (NEWEST_FIRST, Order("date", False), Order("partner", False), Order("verdict", False))
"""The orders the sort key goes round: newest, oldest, by partner, needs improvement first."""


def _sort_key(column: str, names: Mapping[int, str]) -> Callable[[ContactPoint], Any]:
    """Return what a contact point is sorted by for a column (names: partners by id)."""
    if column == "partner":
        folded = {pid: name.casefold() for pid, name in names.items()}
        return lambda point: folded.get(point.partner_id, "")
    if column == "verdict":  # needs improvement first when ascending: the ones to act on
        return lambda point: point.verdict is Verdict.SUCCESS
    if column == "direction":
        return lambda point: point.direction.value
    if column == "why":
        return lambda point: point.why.casefold()
    return lambda point: point.created_by.display.casefold()


def in_order(
    newest_first: Sequence[ContactPoint], order: Order, names: Mapping[int, str]
) -> list[ContactPoint]:
    """Return contact points listed newest first in the order asked; ties stay newest first."""
    if order == NEWEST_FIRST:
        return list(newest_first)
    if order.column == "date":
        return list(reversed(newest_first))
    # Python's sort is stable both ways (reverse keeps ties in their order).
    return sorted(newest_first, key=_sort_key(order.column, names), reverse=order.descending)
