"""The name of a custom period: brief, and never read as other years than those meant."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.services.stats import NEAR_YEARS, RANGE_NAME_MAX, name_range

from .conftest import TODAY

MONTHS = {dt.date(2000, m, 1).strftime("%b"): m for m in range(1, 13)}
DAY = r"(\d{1,2}) ([A-Z][a-z]{2})"
YEAR = r"('\d\d|\d{1,4})"


def read_year(text: str, today: dt.date) -> int:
    """Read a year as a person would: "'26" is the year ending in 26 nearest to today."""
    if not text.startswith("'"):
        return int(text)
    century = today.year // 100
    candidates = [c * 100 + int(text[1:]) for c in (century - 1, century, century + 1)]
    return min(candidates, key=lambda year: abs(year - today.year))


def read_back(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Read a range's name back into its first and last days, as a person would."""

    def day(d: str, month: str, year: int) -> dt.date:
        return dt.date(year, MONTHS[month], int(d))

    if found := re.fullmatch(f"{DAY} {YEAR}–{DAY} {YEAR}", name):
        d1, m1, y1, d2, m2, y2 = found.groups()
        return day(d1, m1, read_year(y1, today)), day(d2, m2, read_year(y2, today))
    if found := re.fullmatch(f"{DAY} – {DAY} {YEAR}", name):
        d1, m1, d2, m2, y = found.groups()
        year = read_year(y, today)
        return day(d1, m1, year), day(d2, m2, year)
    if found := re.fullmatch(rf"(\d{{1,2}})–{DAY} {YEAR}", name):
        d1, d2, m, y = found.groups()
        year = read_year(y, today)
        return day(d1, m, year), day(d2, m, year)
    found = re.fullmatch(f"{DAY} {YEAR}", name)
    assert found, f"{name!r} is in no form a range is named in"
    d, m, y = found.groups()
    only = day(d, m, read_year(y, today))
    return only, only


@pytest.mark.parametrize(
    ("since", "until", "name"),
    [
        ("2000-01-01", "9999-12-31", "1 Jan 2000–31 Dec 9999"),  # the tester's range
        ("1950-12-28", "1951-01-03", "28 Dec 1950–3 Jan 1951"),  # '50 would read as 2050
        ("1995-06-01", "2005-06-01", "1 Jun 1995–1 Jun 2005"),  # '95–'05 looks backwards
        ("1999-12-28", "2000-01-03", "28 Dec '99–3 Jan '00"),  # the next year: reads forwards
        ("2025-12-28", "2026-01-13", "28 Dec '25–13 Jan '26"),
        ("2020-01-01", "2026-11-20", "1 Jan '20–20 Nov '26"),
        ("2026-11-01", "2026-11-07", "1–7 Nov 2026"),
    ],
)
def test_years_are_in_four_digits_where_two_could_be_misread(
    since: str, until: str, name: str
) -> None:
    day = dt.date.fromisoformat
    assert name_range(day(since), day(until), TODAY) == name


def test_without_a_day_given_the_clocks_is_taken() -> None:
    assert name_range(dt.date(2000, 1, 1), dt.date(9999, 12, 31)) == "1 Jan 2000–31 Dec 9999"


@given(
    st.dates(),
    st.dates(),
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9000, 12, 31)),
)
def test_a_range_name_reads_back_as_the_days_meant_and_fits_the_choice(
    a: dt.date, b: dt.date, today: dt.date
) -> None:
    since, until = min(a, b), max(a, b)
    name = name_range(since, until, today)
    assert read_back(name, today) == (since, until)
    assert len(name) <= RANGE_NAME_MAX
    if "'" in name:  # two-digit years only near today, and never running backwards
        assert all(abs(d.year - today.year) <= NEAR_YEARS for d in (since, until))
        assert since.year % 100 <= until.year % 100 or until.year == since.year + 1
