"""Periods a standard is checked over: ISO calendar weeks, months and quarters.

A period is written ``2026-W47``, ``2026-11`` or ``2026-Q4``, by the
standard's cadence. These are plain calendar sums with no clock behind them:
every function is given the day it works from.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from ictui.kinds.vocab import Cadence

_WRITTEN = {
    Cadence.WEEKLY: re.compile(r"(\d{4})-W(\d{2})"),
    Cadence.MONTHLY: re.compile(r"(\d{4})-(\d{2})"),
    Cadence.QUARTERLY: re.compile(r"(\d{4})-Q(\d)"),
}
EXAMPLES = {Cadence.WEEKLY: "2026-W47", Cadence.MONTHLY: "2026-11", Cadence.QUARTERLY: "2026-Q4"}
"""A period of each cadence as written, for messages."""
FIRST_YEAR, LAST_YEAR = 2000, 9998
"""The years a period may fall in: earlier ones are typing mistakes, later ones cannot end."""


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One ISO week, month or quarter: its year and its number within the year."""

    cadence: Cadence
    year: int
    number: int

    def __str__(self) -> str:
        if self.cadence is Cadence.WEEKLY:
            return f"{self.year}-W{self.number:02d}"
        if self.cadence is Cadence.MONTHLY:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        """Return the period's first day (a Monday for a week)."""
        if self.cadence is Cadence.WEEKLY:
            return dt.date.fromisocalendar(self.year, self.number, 1)
        month = self.number if self.cadence is Cadence.MONTHLY else 3 * self.number - 2
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        """Return the period's last day (a Sunday for a week)."""
        return _last_day(self)

    def following(self) -> Period:
        """Return the period after this one."""
        if self.cadence is Cadence.WEEKLY:
            return period_of(self.first_day + dt.timedelta(days=7), self.cadence)
        per_year = 12 if self.cadence is Cadence.MONTHLY else 4
        if self.number == per_year:
            return Period(self.cadence, self.year + 1, 1)
        return Period(self.cadence, self.year, self.number + 1)

    def preceding(self) -> Period:
        """Return the period before this one."""
        return _preceding(self)

    def describe(self) -> str:
        """Return the period in words: "week 47 of 2026", "November 2026", "Q4 2026"."""
        if self.cadence is Cadence.WEEKLY:
            start = self.first_day
            return f"week {self.number} of {self.year} (from {start.day} {start:%b})"
        if self.cadence is Cadence.MONTHLY:
            return f"{self.first_day:%B} {self.year}"
        return f"Q{self.number} {self.year}"


@functools.lru_cache(maxsize=4096)
def _last_day(period: Period) -> dt.date:
    # Cached: a standard's listing asks it of every check-in, of a few hundred periods.
    return period.following().first_day - dt.timedelta(days=1)


@functools.lru_cache(maxsize=4096)
def _preceding(period: Period) -> Period:
    return period_of(period.first_day - dt.timedelta(days=1), period.cadence)


def period_of(day: dt.date, cadence: Cadence) -> Period:
    """Return the period of a cadence that a day falls in."""
    if cadence is Cadence.WEEKLY:
        year, week, _ = day.isocalendar()
        return Period(cadence, year, week)
    if cadence is Cadence.MONTHLY:
        return Period(cadence, day.year, day.month)
    return Period(cadence, day.year, (day.month - 1) // 3 + 1)


def last_completed(today: dt.date, cadence: Cadence) -> Period:
    """Return the latest period of a cadence that has ended before today."""
    return period_of(today, cadence).preceding()


def recent(today: dt.date, cadence: Cadence, count: int) -> list[Period]:
    """Return the last count completed periods of a cadence, oldest first."""
    periods = [last_completed(today, cadence)]
    while len(periods) < count:
        periods.append(periods[-1].preceding())
    return periods[::-1]


@functools.lru_cache(maxsize=4096)
def read_period(text: str) -> Period | None:
    """Return the period a text writes (any cadence), or None if it writes none.

    Cached: every check-in of every standard is read on each listing, and they
    name a few hundred periods between them.
    """
    text = text.strip().upper()
    for cadence, pattern in _WRITTEN.items():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        year, number = int(found[1]), int(found[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return Period(cadence, year, number) if 1 <= number <= _per_year(cadence, year) else None
    return None


def _per_year(cadence: Cadence, year: int) -> int:
    """Return how many periods of a cadence a year has."""
    if cadence is Cadence.WEEKLY:
        return dt.date(year, 12, 28).isocalendar().week  # 28 December is in the last week
    return 12 if cadence is Cadence.MONTHLY else 4


def period_problem(written: str, cadence: Cadence) -> str:
    """Say why a text is no period of a cadence: its writing, or, written so, its range.

    Text of the cadence's shape that reads as no period is out of range (a
    year before 2000, month 13, week 54), and is said to be, not mis-written.
    """
    found = _WRITTEN[cadence].fullmatch(written.strip().upper())
    if found is None:
        return (
            f"must be a {cadence.period_name} written like {EXAMPLES[cadence]}: "
            f"this standard is checked {cadence.value}"
        )
    year, number = int(found[1]), int(found[2])
    if year < FIRST_YEAR:
        return f"must be {Period(cadence, FIRST_YEAR, 1)} or later"
    if year > LAST_YEAR:
        return f"{written.strip()} has not begun yet"
    last = _per_year(cadence, year)
    if cadence is Cadence.WEEKLY:
        return f"must be a week from {year}-W01 to {year}-W{last}: {year} has {last} ISO weeks"
    if cadence is Cadence.MONTHLY:
        return f"must be a month from {year}-01 to {year}-12: there is no month {number}"
    return f"must be a quarter from {year}-Q1 to {year}-Q4: there is no quarter {number}"


def in_cadence(period: Period, cadence: Cadence) -> Period:
    """Return the period of another cadence that a period's last day falls in.

    A standard whose cadence changed keeps its earlier check-ins: each counts
    for the new cadence's period that its own period ended in.
    """
    if period.cadence is cadence:
        return period
    return period_of(period.last_day, cadence)


def period_text(value: str) -> str:
    """Check a period written 2026-W47, 2026-11 or 2026-Q4; return it as written canonically."""
    period = read_period(value) if isinstance(value, str) else None
    if period is None:
        raise PydanticCustomError(
            "period",
            "must be a week, month or quarter written 2026-W47, 2026-11 or 2026-Q4",
        )
    return str(period)
