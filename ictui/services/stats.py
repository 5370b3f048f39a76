"""Tallies of contact points: how each partner relationship is going."""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ictui.kinds.vocab import Direction, Verdict
from ictui.teamfile.lane import breathing


class Point(Protocol):
    """A contact point as tallies and filters read it: a view or a model of one."""

    @property
    def id(self) -> int:
        """The contact point's id: among one day, a later one was logged later."""
        ...

    @property
    def partner_id(self) -> int:
        """The partner it was with."""
        ...

    @property
    def date(self) -> dt.date:
        """The day it happened."""
        ...

    @property
    def direction(self) -> Direction:
        """Which way the service went."""
        ...

    @property
    def verdict(self) -> Verdict:
        """Whether it went well."""
        ...


P = TypeVar("P", bound=Point)


class Reasoned(Point, Protocol):
    """A contact point with its reason, as a search reads it."""

    @property
    def why(self) -> str:
        """Why it went as it did."""
        ...


RP = TypeVar("RP", bound=Reasoned)


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

    def matches(self, point: Point) -> bool:
        """Return whether a contact point passes every condition that is set."""
        return (
            (self.since is None or point.date >= self.since)
            and (self.until is None or point.date <= self.until)
            and (self.partner_id is None or point.partner_id == self.partner_id)
            and (self.verdict is None or point.verdict is self.verdict)
            and (self.direction is None or point.direction is self.direction)
        )


def newest_first(points: Iterable[P]) -> list[P]:
    """Return contact points by date, newest first; among one day, the last logged first."""
    return sorted(points, key=lambda p: (p.date, p.id), reverse=True)


def _newest_first_key(point: Point) -> tuple[int, int]:
    # Ascending, as bisect wants: the newest date and, among one day, the highest id first.
    return -point.date.toordinal(), -point.id


def patched(
    listed: Sequence[P], changed: Collection[int], fresh: Iterable[P]
) -> tuple[list[P], list[P]]:
    """Return a newest-first listing with the points of changed ids taken out and fresh put in.

    Also the points taken out. What `newest_first` would give for the
    listing's points less the changed plus fresh, without sorting them all.
    """
    kept: list[P] = []
    gone: list[P] = []
    for point in breathing(listed):
        (gone if point.id in changed else kept).append(point)
    for point in fresh:
        insort(kept, point, key=_newest_first_key)
    return kept, gone


def select(points: Iterable[P], where: PointFilter) -> list[P]:
    """Return the contact points that match, newest first."""
    return newest_first(p for p in breathing(points) if where.matches(p))


def matching(points: Iterable[RP], names: Mapping[int, str], text: str) -> list[RP]:
    """Return the points whose reason and partner's name hold every word of text, in any case."""
    words = text.casefold().split()
    if not words:
        return list(points)
    folded = {pid: name.casefold() for pid, name in names.items()}
    return [
        p
        for p in breathing(points)
        if all(w in folded.get(p.partner_id, "") or w in p.why.casefold() for w in words)
    ]


def tally_by_partner(points: Iterable[Point]) -> dict[int, Tally]:
    """Return each partner's tally of verdicts, for the points given, in order of first seen."""
    # Counted in a Counter, not a Tally a point: at 100,000 points, 30 ms, not 285.
    counts = Counter(
        (point.partner_id, point.verdict is Verdict.SUCCESS) for point in breathing(points)
    )
    tallies: dict[int, Tally] = {}
    for partner_id, _ in counts:
        if partner_id not in tallies:
            tallies[partner_id] = Tally(counts[partner_id, True], counts[partner_id, False])
    return tallies


def patched_tallies(
    tallies: Mapping[int, Tally], gone: Iterable[Point], fresh: Iterable[Point]
) -> dict[int, Tally]:
    """Return tallies by partner with the gone points' verdicts taken off and fresh ones counted.

    A partner left with no point has no tally, as with `tally_by_partner`.
    """
    counts = {pid: [t.success, t.needs_improvement] for pid, t in tallies.items()}
    for points, step in ((gone, -1), (fresh, 1)):
        for point in points:
            counted = counts.setdefault(point.partner_id, [0, 0])
            counted[point.verdict is not Verdict.SUCCESS] += step
    return {
        pid: Tally(success, other) for pid, (success, other) in counts.items() if success or other
    }


def overall(points: Iterable[Point]) -> Tally:
    """Return one tally of all the points given."""
    counts = Counter(point.verdict is Verdict.SUCCESS for point in points)
    return Tally(counts[True], counts[False])


@dataclass(frozen=True)
class Period:
    """A choice of dates to look at: the last N days up to today, all of them, or a range."""

    key: str
    label: str
    days: int | None = None

    def bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """Return (since, until) for this period as seen on today; None is open-ended."""
        if self.days is None:
            return None, None
        return today - dt.timedelta(days=self.days - 1), None


PERIODS = (
    Period("2w", "Last 2 weeks", 14),
    Period("4w", "Last 4 weeks", 28),
    Period("3m", "Last 3 months", 91),
    Period("1y", "Last 12 months", 365),
    Period("all", "All time"),
)
"""The periods offered, the workshop's "past two weeks" first and by default."""
DEFAULT_PERIOD = PERIODS[0]


def period_named(key: str) -> Period:
    """Return the period with this key; KeyError if there is none."""
    for period in PERIODS:
        if period.key == key:
            return period
    raise KeyError(key)


def _day(day: dt.date, *, year: bool = True) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


RANGE_NAME_MAX = 23
"""The longest a range's name may be: four-digit years both sides, "28 Dec 1925–13 Jan 2027"."""

NEAR_YEARS = 30
"""How far from today's year a two-digit year may be: well under 50, so it reads as one year."""


def _two_digit_years_read_right(since: dt.date, until: dt.date, today: dt.date) -> bool:
    """Whether "'yy" on both sides is read back as the years meant, in the right order."""
    # A reader takes '26 for the year ending in 26 nearest to now: right only near now.
    near = all(abs(day.year - today.year) <= NEAR_YEARS for day in (since, until))
    # '25–'26 and '99–'00 read forwards; '95–'05 looks as though it ran backwards.
    forwards = since.year % 100 <= until.year % 100 or until.year == since.year + 1
    return near and forwards


def name_range(since: dt.date | None, until: dt.date | None, today: dt.date | None = None) -> str:
    """Return a date range as briefly as it reads clearly, such as "1–7 Nov 2026"."""
    if since is None and until is None:
        return "All time"
    if until is None:
        return f"Since {_day(since)}"  # type: ignore[arg-type]
    if since is None:
        return f"Until {_day(until)}"
    if since.year != until.year:
        # The filter bar does not pass the team's day: the clock's tells near years
        # from far ones as well.
        if _two_digit_years_read_right(since, until, today or dt.date.today()):
            # Shortest where it cannot be misread: "28 Dec '25–13 Jan '26".
            return f"{_day(since, year=False)} '{since:%y}–{_day(until, year=False)} '{until:%y}"
        return f"{_day(since)}–{_day(until)}"
    if since.month != until.month:
        return f"{_day(since, year=False)} – {_day(until)}"
    if since.day != until.day:
        return f"{since.day}–{_day(until)}"
    return _day(until)


def describe_range(since: dt.date | None, until: dt.date | None) -> str:
    """Return a date range in words, such as "2026-11-01 – 2026-11-14"."""
    if since is None and until is None:
        return "All time"
    start = since.isoformat() if since else "the start"
    end = until.isoformat() if until else "today"
    return f"{start} – {end}"
