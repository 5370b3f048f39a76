"""Tallies of contact points: how each partner relationship is going."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ictui.models import ContactPoint, Direction, Verdict


@dataclass(frozen=True)
class Tally:
    """Successes and needs-improvement verdicts counted together."""

    success: int = 0
    needs_improvement: int = 0

    @property
    def total(self) -> int:
        """Return how many contact points were counted."""
        return self.success + self.needs_improvement

    def plus(self, verdict: Verdict) -> Tally:
        """Return this tally with one more verdict counted."""
        if verdict is Verdict.SUCCESS:
            return Tally(self.success + 1, self.needs_improvement)
        return Tally(self.success, self.needs_improvement + 1)


@dataclass(frozen=True)
class PointFilter:
    """Which contact points to show: a period, a partner, a verdict, a direction."""

    since: dt.date | None = None
    until: dt.date | None = None
    partner_id: int | None = None
    verdict: Verdict | None = None
    direction: Direction | None = None

    def matches(self, point: ContactPoint) -> bool:
        """Return whether a contact point passes every condition that is set."""
        return (
            (self.since is None or point.date >= self.since)
            and (self.until is None or point.date <= self.until)
            and (self.partner_id is None or point.partner_id == self.partner_id)
            and (self.verdict is None or point.verdict is self.verdict)
            and (self.direction is None or point.direction is self.direction)
        )


def newest_first(points: Iterable[ContactPoint]) -> list[ContactPoint]:
    """Return contact points by date, newest first; among one day, the last logged first."""
    return sorted(points, key=lambda p: (p.date, p.id), reverse=True)


def select(points: Iterable[ContactPoint], where: PointFilter) -> list[ContactPoint]:
    """Return the contact points that match, newest first."""
    return newest_first(p for p in points if where.matches(p))


def tally_by_partner(points: Iterable[ContactPoint]) -> dict[int, Tally]:
    """Return each partner's tally of verdicts, for the points given."""
    tallies: dict[int, Tally] = {}
    for point in points:
        tallies[point.partner_id] = tallies.get(point.partner_id, Tally()).plus(point.verdict)
    return tallies


def overall(points: Iterable[ContactPoint]) -> Tally:
    """Return one tally of all the points given."""
    total = Tally()
    for point in points:
        total = total.plus(point.verdict)
    return total
