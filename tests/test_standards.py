"""Standards and partnering rules (issue 19): periods, targets, standing, and check-ins.

Periods and targets are plain sums, tested directly and with hypothesis. How a
standard stands is tested on records read the way the store reads them back;
check-ins are written through a real store on a real team file, once by
several OS processes at the same time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import operator
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from ictui.errors import Conflict, IctuiError, InvalidInput
from ictui.kinds.period import (
    Period,
    in_cadence,
    last_completed,
    period_of,
    period_text,
    read_period,
    recent,
)
from ictui.kinds.record import R
from ictui.kinds.schema import schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import COMPARISONS, Target, read_target, target_hint
from ictui.kinds.vocab import Cadence, CheckInResult, StandardStatus
from ictui.services.history import history_of
from ictui.services.standards import (
    Agree,
    CheckInDraft,
    Retire,
    SaveCheckIn,
    Saved,
    SaveStandard,
    StandardDraft,
    not_over,
    standards_listing,
    standing_of,
)
from ictui.teamfile.fileformat import iso_time
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run

from .conftest import BOB, HOSTILE, NOW, TODAY, checked

WEEKLY, MONTHLY, QUARTERLY = Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY
MET, NOT_MET, NOT_MEASURED = CheckInResult.MET, CheckInResult.NOT_MET, CheckInResult.NOT_MEASURED
AGREED, PROPOSED, RETIRED = StandardStatus.AGREED, StandardStatus.PROPOSED, StandardStatus.RETIRED

DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
CADENCES = st.sampled_from(list(Cadence))


def problem_fields(error: InvalidInput) -> list[str]:
    return [name for name, _ in error.problems]


# -- periods --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(DAYS, CADENCES)
@example(dt.date(2000, 1, 1), WEEKLY)  # a Saturday in ISO week 1999-W52
@example(dt.date(2026, 12, 31), WEEKLY)  # 2026 has 53 ISO weeks
@example(dt.date(2024, 2, 29), MONTHLY)
@example(dt.date(2100, 2, 28), MONTHLY)  # 2100 is not a leap year
def test_a_day_falls_in_one_period_which_reads_back_as_written(
    day: dt.date, cadence: Cadence
) -> None:
    period = period_of(day, cadence)
    assert period.first_day <= day <= period.last_day
    assert period_of(period.first_day, cadence) == period
    assert period_of(period.last_day, cadence) == period
    if period.year >= 2000:
        assert read_period(str(period)) == period
        assert period_text(str(period)) == str(period)
        assert read_period(f"  {str(period).lower()}  ") == period
    else:  # only the days of 2000 that belong to ISO week 1999-W52
        assert (cadence, str(period)) == (WEEKLY, "1999-W52")
        assert read_period(str(period)) is None


@settings(max_examples=100, deadline=None)
@given(DAYS, CADENCES)
def test_consecutive_periods_tile_the_calendar(start: dt.date, cadence: Cadence) -> None:
    period = period_of(start, cadence)
    for _ in range(30):
        after = period.following()
        assert after > period
        assert after.first_day == period.last_day + dt.timedelta(days=1)  # no gap, no overlap
        assert after.preceding() == period
        assert period.preceding().following() == period
        length = (period.last_day - period.first_day).days + 1
        first = period.first_day
        if cadence is WEEKLY:
            assert (first.weekday(), length) == (0, 7)  # Monday to Sunday
        elif cadence is MONTHLY:
            assert first.day == 1
            assert length == calendar.monthrange(first.year, first.month)[1]
        else:
            assert first.day == 1 and first.month in (1, 4, 7, 10)
            assert period.last_day == period_of(first, MONTHLY).following().following().last_day
        period = after


def has_53_iso_weeks(year: int) -> bool:
    """Whether a year has 53 ISO weeks: it starts on a Thursday, or is leap and on a Wednesday."""
    starts = dt.date(year, 1, 1).weekday()
    return starts == 3 or (calendar.isleap(year) and starts == 2)


@pytest.mark.parametrize("year", range(2000, 2101))
def test_week_53_exists_only_in_years_that_have_it(year: int) -> None:
    week_53 = read_period(f"{year}-W53")
    assert (week_53 is not None) == has_53_iso_weeks(year)
    assert read_period(f"{year}-W52") is not None
    assert read_period(f"{year}-W54") is None
    last = week_53 or Period(WEEKLY, year, 52)
    assert last.following() == Period(WEEKLY, year + 1, 1)
    assert last.last_day.weekday() == 6


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29)),  # divisible by 400: leap
        ("2100-02", dt.date(2100, 2, 1), dt.date(2100, 2, 28)),  # divisible by 100: not
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-04", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
        ("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22)),
        ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),
    ],
)
def test_a_period_starts_and_ends_on_the_right_days(
    written: str, first: dt.date, last: dt.date
) -> None:
    period = read_period(written)
    assert period is not None
    assert (period.first_day, period.last_day) == (first, last)


def test_a_period_in_words() -> None:
    assert Period(WEEKLY, 2026, 47).describe() == "week 47 of 2026 (from 16 Nov)"
    assert Period(MONTHLY, 2026, 11).describe() == "November 2026"
    assert Period(QUARTERLY, 2026, 4).describe() == "Q4 2026"


@settings(max_examples=150, deadline=None)
@given(DAYS, CADENCES, st.integers(1, 14))
@example(dt.date(2026, 1, 1), WEEKLY, 3)  # ISO week 2026-W01 began in 2025
@example(dt.date(2027, 1, 4), WEEKLY, 2)  # the Monday after week 2026-W53
@example(dt.date(2026, 3, 1), MONTHLY, 1)
def test_the_last_completed_period_ends_before_today(
    today: dt.date, cadence: Cadence, count: int
) -> None:
    last = last_completed(today, cadence)
    assert last.last_day < today
    current = last.following()
    assert current.first_day <= today <= current.last_day
    assert current == period_of(today, cadence)
    periods = recent(today, cadence, count)
    assert len(periods) == count
    assert periods[-1] == last
    assert all(a.following() == b for a, b in itertools.pairwise(periods))


@settings(max_examples=100, deadline=None)
@given(DAYS, CADENCES, CADENCES)
def test_a_period_of_another_cadence_counts_where_it_ends(
    day: dt.date, old: Cadence, new: Cadence
) -> None:
    period = period_of(day, old)
    counted = in_cadence(period, new)
    assert counted.cadence is new
    assert counted.first_day <= period.last_day <= counted.last_day
    if old is new:
        assert counted is period


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2026-W47", Period(WEEKLY, 2026, 47)),
        (" 2026-w47\n", Period(WEEKLY, 2026, 47)),
        ("2026-11", Period(MONTHLY, 2026, 11)),
        ("2026-q4", Period(QUARTERLY, 2026, 4)),
        ("2000-01", Period(MONTHLY, 2000, 1)),
        ("9998-Q4", Period(QUARTERLY, 9998, 4)),
    ],
)
def test_periods_are_read_in_any_case_and_written_one_way(written: str, period: Period) -> None:
    assert read_period(written) == period
    assert period_text(written) == str(period)


@pytest.mark.parametrize(
    "written",
    [
        "2026-W54",
        "2025-W53",  # 2025 has 52 ISO weeks (2026 has 53)
        "2026-W00",
        "2026-W4",
        "2026-W470",
        "2026-00",
        "2026-13",
        "2026-1",
        "2026-Q0",
        "2026-Q5",
        "2026-Q04",
        "1999-01",
        "1999-W52",
        "9999-01",
        "26-11",
        "2026/11",
        "2026-11-01",
        "November 2026",
        "2026 W47",
        "2026-11 ",  # fine: spaces around are dropped, so this one is read
        "",
        "   ",
        "garbage",
        "2026-11; drop table",
        "2026-11\x00",
        "\x1b[2J2026-11",
        *HOSTILE,
    ],
)
def test_periods_that_are_none_are_refused_with_a_clear_message(written: str) -> None:
    if written == "2026-11 ":
        assert period_text(written) == "2026-11"
        return
    assert read_period(written) is None
    with pytest.raises(PydanticCustomError) as refused:
        period_text(written)
    assert refused.value.type == "period"
    assert "2026-W47, 2026-11 or 2026-Q4" in refused.value.message()


@pytest.mark.parametrize("value", [None, 202611, b"2026-11", ["2026-11"]])
def test_a_period_that_is_not_text_is_refused(value: Any) -> None:
    with pytest.raises(PydanticCustomError):
        period_text(value)


# -- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shape", "sign", "value", "unit", "shown"),
    [
        ("≤ 2 working days", "number", "≤", "2", "working days", "≤ 2 working days"),
        ("<= 2 working days", "number", "≤", "2", "working days", "≤ 2 working days"),
        ("=< 2 working days", "number", "≤", "2", "working days", "≤ 2 working days"),
        ("at most 3 tickets", "number", "≤", "3", "tickets", "≤ 3 tickets"),
        ("At  Most   3 tickets", "number", "≤", "3", "tickets", "≤ 3 tickets"),
        ("within 2 working days", "number", "≤", "2", "working days", "≤ 2 working days"),
        ("no more than 5", "number", "≤", "5", "", "≤ 5"),
        ("< 5 errors", "number", "<", "5", "errors", "< 5 errors"),
        ("under 4 hours", "number", "<", "4", "hours", "< 4 hours"),
        ("≥ 95 %", "number", "≥", "95", "%", "≥ 95 %"),
        (">= 95%", "number", "≥", "95", "%", "≥ 95 %"),
        ("=>95 %", "number", "≥", "95", "%", "≥ 95 %"),
        ("at least 95 %", "number", "≥", "95", "%", "≥ 95 %"),
        ("more than 0 visits", "number", ">", "0", "visits", "> 0 visits"),
        ("> 0", "number", ">", "0", "", "> 0"),
        ("= 0 complaints", "number", "=", "0", "complaints", "= 0 complaints"),
        ("exactly 1 report", "number", "=", "1", "report", "= 1 report"),
        ("≤ 2,5 days", "number", "≤", "2.5", "days", "≤ 2.5 days"),
        ("≤ 2.5 days", "number", "≤", "2.5", "days", "≤ 2.5 days"),
        ("≤ 2.0 days", "number", "≤", "2", "days", "≤ 2 days"),
        ("≥ 99,9 %", "number", "≥", "99.9", "%", "≥ 99.9 %"),
        ("≤ 0,0000001 s", "number", "≤", "0.0000001", "s", "≤ 0.0000001 s"),
        ("≥ -3 °C", "number", "≥", "-3", "°C", "≥ -3 °C"),
        ("by 9:00", "time", "by", "09:00", "", "by 09:00"),
        ("by 09:00", "time", "by", "09:00", "", "by 09:00"),
        ("before 17:30", "time", "before", "17:30", "", "before 17:30"),
        ("After 8:00", "time", "after", "08:00", "", "after 08:00"),
        ("by 2026-12-31", "date", "by", "2026-12-31", "", "by 2026-12-31"),
        ("on or before 2026-12-31", "date", "by", "2026-12-31", "", "by 2026-12-31"),
        ("before 2027-01-01", "date", "before", "2027-01-01", "", "before 2027-01-01"),
        ("by 2024-02-29", "date", "by", "2024-02-29", "", "by 2024-02-29"),
        (
            "yes: the payroll file is published",
            "yes/no",
            "yes",
            "the payroll file is published",
            "",
            "yes: the payroll file is published",
        ),
        ("Yes/No - file sent", "yes/no", "yes", "file sent", "", "yes: file sent"),
        ("y/n: file sent", "yes/no", "yes", "file sent", "", "yes: file sent"),
    ],
)
def test_targets_that_can_be_checked_are_read_and_shown_one_way(
    written: str, shape: str, sign: str, value: str, unit: str, shown: str
) -> None:
    target = read_target(written)
    assert target == Target(shape, sign, value, unit)
    assert str(target) == shown
    assert read_target(shown) == target  # shown as it reads back
    assert target_hint(written) == ""


@pytest.mark.parametrize(
    "written",
    [
        "better communication",
        "2 working days",  # a number, but with no comparison
        "fast",
        "≤ two days",
        "we answer 90 of 100 calls within 2 days",
        "within 2 days, 95 % of the time",
        "≤ 2 days and 3 hours",
        "at most 3 tickets that stay open for more than a week without any answer",
        "≤ 2.5.1 days",
        "≤",
        "by next Friday",
        "yes:",
        "yes",
        *HOSTILE,
    ],
)
def test_free_text_is_no_target_and_gets_a_hint_naming_it(written: str) -> None:
    assert read_target(written) is None
    hint = target_hint(written)
    assert hint.startswith(f"“{' '.join(written.split())[:40]}” cannot be checked")
    assert "≤ 2 working days" in hint  # it says what would do


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("by 25:00", "25:00 is no time of day (00:00 to 23:59)"),
        ("by 9:60", "9:60 is no time of day (00:00 to 23:59)"),
        ("by 2026-02-30", "2026-02-30 is no day on the calendar"),
        ("before 2026-13-01", "2026-13-01 is no day on the calendar"),
    ],
)
def test_a_time_or_date_that_names_none_is_said_to(written: str, why: str) -> None:
    # Found by trying: "by 2026-02-30" got the hint that suggests "by 2026-12-31".
    assert read_target(written) is None
    assert target_hint(written) == f"“{written}” cannot be checked: {why}"


@pytest.mark.parametrize("written", ["", "   ", "\n"])
def test_no_target_gets_no_hint(written: str) -> None:
    assert read_target(written) is None
    assert target_hint(written) == ""


@pytest.mark.parametrize(
    ("target", "measured", "verdict"),
    [
        ("≤ 2 working days", "2", True),
        ("≤ 2 working days", "2.01", False),
        ("≤ 2 working days", "2,01", False),
        ("≤ 2 working days", "1,99", True),
        ("≤ 2 working days", "2 working days", True),
        ("≤ 2 working days", " 0 ", True),
        ("≥ -3 °C", "-3", True),  # below 0 where the unit is no length of time
        ("< 2", "2", False),
        ("< 2", "1.999", True),
        ("≥ 95 %", "95", True),
        ("≥ 95 %", "95%", True),
        ("≥ 95 %", "95 %", True),
        ("≥ 95 %", "94.99 %", False),
        ("> 0 visits", "0", False),
        ("> 0 visits", "0.001", True),
        ("= 0 complaints", "0", True),
        ("= 0 complaints", "0,00", True),
        ("= 0 complaints", "1", False),
        ("≤ 2,5 days", "2.5", True),
        ("≤ 2,5 days", "2.51", False),
        ("by 09:00", "09:00", True),
        ("by 09:00", "9:00", True),
        ("by 09:00", "8:59", True),
        ("by 09:00", "09:01", False),
        ("before 17:30", "17:29", True),
        ("before 17:30", "17:30", False),
        ("after 8:00", "08:00", False),
        ("after 8:00", "08:01", True),
        ("by 2026-12-31", "2026-12-31", True),
        ("by 2026-12-31", "2027-01-01", False),
        ("by 2026-12-31", "2026-01-31", True),
        ("before 2026-12-31", "2026-12-31", False),
        ("before 2026-12-31", "2026-12-30", True),
        ("yes: file published", "yes", True),
        ("yes: file published", "Met", True),
        ("yes: file published", " Done ", True),
        ("yes: file published", "no", False),
        ("yes: file published", "not met", False),
    ],
)
def test_a_measured_value_is_judged_right_at_the_boundaries(
    target: str, measured: str, verdict: bool
) -> None:
    read = read_target(target)
    assert read is not None
    assert read.judge(measured) is verdict


@pytest.mark.parametrize(
    ("target", "measured"),
    [
        ("≤ 2 working days", ""),
        ("≤ 2 working days", "   "),
        ("≤ 2 working days", "two"),
        ("≤ 2 working days", "n/a"),
        ("≤ 2 working days", "NaN"),
        ("≤ 2 working days", "Infinity"),
        ("≤ 2 working days", "-inf"),
        ("≤ 2 working days", "≈2"),
        ("≥ 95 %", "%95"),
        ("by 09:00", ""),
        ("by 09:00", "9"),
        ("by 09:00", "9.00"),
        ("by 09:00", "24:00"),
        ("by 09:00", "09:60"),
        ("by 09:00", "nine"),
        ("by 2026-12-31", "31/12/2026"),
        ("by 2026-12-31", "2026-02-30"),
        ("by 2026-12-31", ""),
        ("yes: file published", "maybe"),
        ("yes: file published", ""),
        ("yes: file published", "2"),
    ],
)
def test_a_value_that_cannot_be_read_is_not_judged(target: str, measured: str) -> None:
    read = read_target(target)
    assert read is not None
    assert read.judge(measured) is None


@pytest.mark.parametrize(
    ("target", "measured", "verdict"),
    [
        ("≤ 2 hours", "90 minutes", True),
        ("≤ 2 hours", "121 min", False),
        ("≤ 2 hours", "7200 s", True),
        ("< 30 minutes", "0.5 h", False),
        ("≥ 4 weeks", "27 days", False),
        ("≥ 4 weeks", "28 Days", True),
        ("≤ 2 working days", "1 working day", True),
        ("≤ 2 working days", "3 Business  Days", False),
        ("≤ 3 tickets", "3 ticket", True),
        ("≥ 95 %", "96 percent", True),
    ],
)
def test_a_value_in_a_unit_that_converts_exactly_is_judged_converted(
    target: str, measured: str, verdict: bool
) -> None:
    read = read_target(target)
    assert read is not None
    assert read.value_problem(measured) == ""
    assert read.judge(measured) is verdict


@pytest.mark.parametrize(
    ("target", "measured", "says"),
    [
        (
            "≤ 2 working days",
            "3 hours",
            "“3 hours” is not in working days, the unit of the target ≤ 2 working days: "
            "give a number of working days",
        ),
        ("≤ 2 working days", "1 hour", "give a number of working days"),
        ("≤ 2 working days", "1 day", "is not in working days"),  # a day is not a working day
        ("≤ 2 days", "3 hours", "is not in days"),  # 24 hours or a working day's 8?
        ("≤ 2 working days", "30 %", "give a number of working days"),
        ("≤ 3 tickets", "2 bugs", "is not in tickets"),
        ("≤ 1 working day", "3 hours", "give a number of working days"),  # said as a number
        ("≤ 5 %", "3 hours", "is not a percentage"),
        ("≥ 95 %", "3 hours", "“3 hours” is not a percentage, as the target ≥ 95 % is"),
        ("≥ 95 %", "150", "“150” is no percentage: a percentage runs from 0 to 100"),
        ("≥ 95 %", "100.5 %", "is no percentage"),
        ("≥ 95 %", "-1%", "is no percentage"),
        ("≤ 5", "150 %", "is no percentage"),
        ("≤ 2 working days", "-3", "“-3” is a length of time, which is never below 0"),
        ("≤ 2 working days", "-1 working day", "is a length of time"),
        ("≤ 4 hours", "-90 minutes", "is a length of time"),
        ("≤ 2 days", "-0.5 weeks", "is a length of time"),
        ("≤ 5", "-2 days", "is a length of time"),  # a unit said is taken at its word
    ],
)
def test_a_value_in_a_unit_the_target_cannot_take_is_refused_and_not_judged(
    target: str, measured: str, says: str
) -> None:
    read = read_target(target)
    assert read is not None
    assert read.judge(measured) is None
    assert says in read.value_problem(measured)


@pytest.mark.parametrize(
    ("target", "measured"),
    [
        ("≤ 2 working days", "2"),
        ("≥ 95 %", "0"),
        ("≥ 95 %", "100 %"),
        ("≤ 5", "3 hours"),  # a target with no unit says nothing to refuse
        ("≤ 2 working days", "soon"),  # no number: kept as a note when the result is said
        ("≤ 2 working days", "2 days 3 hours"),
        ("by 09:00", "3 hours"),
        ("≤ 2 working days", "0"),
        ("≥ -5 points", "-7"),  # a unit that is no length of time may be below 0
        ("≤ 3", "-1"),
    ],
)
def test_a_value_in_the_targets_unit_or_no_number_at_all_is_not_refused(
    target: str, measured: str
) -> None:
    read = read_target(target)
    assert read is not None
    assert read.value_problem(measured) == ""


@pytest.mark.parametrize("written", ["≥ 150 %", "≤ 100.1%", "at least 101 percent", "> -5 %"])
def test_a_percentage_target_outside_0_to_100_is_no_target_and_says_why(written: str) -> None:
    assert read_target(written) is None
    hint = target_hint(written)
    assert hint.startswith(f"“{written}” cannot be checked")
    assert hint.endswith("a percentage runs from 0 to 100")


@pytest.mark.parametrize("written", ["≤ -5 days", "< -1 working day", "at most -30 minutes"])
def test_a_target_of_a_length_of_time_below_0_is_no_target_and_says_why(written: str) -> None:
    # Found by trying: "<= -5 days" was taken, and every value measured was then refused.
    assert read_target(written) is None
    assert target_hint(written).endswith("cannot be checked: a length of time is never below 0")


@pytest.mark.parametrize(
    "written", ["≥ 0 %", "≤ 100 %", "≥ 99,9 %", "≤ 150 tickets", "≥ -5 points", "≤ 0 days"]
)
def test_a_percentage_target_within_0_to_100_is_a_target(written: str) -> None:
    assert read_target(written) is not None


SIGNS = {"≤": operator.le, "<": operator.lt, "≥": operator.ge, ">": operator.gt, "=": operator.eq}
NUMBERS = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False)


def written(number: Decimal, comma: bool) -> str:
    text = format(number, "f")
    return text.replace(".", ",") if comma else text


@settings(max_examples=200, deadline=None)
@given(
    word=st.sampled_from(sorted(COMPARISONS)),
    goal=NUMBERS,
    measured=NUMBERS,
    unit=st.sampled_from(["", "%", "working days", "tickets"]),
    comma=st.booleans(),
    suffix=st.sampled_from(["", "%", " %", " days"]),
)
@example(word="≤", goal=Decimal(2), measured=Decimal(2), unit="", comma=False, suffix="")
@example(word="≤", goal=Decimal(2), measured=Decimal("2.01"), unit="", comma=False, suffix="")
@example(word="<", goal=Decimal("1E-7"), measured=Decimal(0), unit="s", comma=True, suffix="")
@example(word="=", goal=Decimal("2.50"), measured=Decimal("2.5"), unit="", comma=False, suffix="")
@example(word="≥", goal=Decimal(95), measured=Decimal("95.5"), unit="%", comma=True, suffix=" %")
@example(word="≥", goal=Decimal(95), measured=Decimal(101), unit="%", comma=False, suffix="")
@example(
    word="≤", goal=Decimal(2), measured=Decimal(1), unit="working days", comma=False, suffix="%"
)
@example(  # 100.0000000007 % once taken modulo 101: over a hundred
    word="<",
    goal=Decimal("125340.0000000007"),
    measured=Decimal(0),
    unit="%",
    comma=False,
    suffix="",
)
def test_judging_a_number_agrees_with_comparing_decimals(
    word: str, goal: Decimal, measured: Decimal, unit: str, comma: bool, suffix: str
) -> None:
    if unit == "%":
        goal = min(abs(goal) % 101, Decimal(100))  # a percentage target runs from 0 to 100
    elif unit == "working days":
        goal = abs(goal)  # a length of time is never below 0
    target = read_target(f"{word} {written(goal, comma)} {unit}")
    assert target is not None
    sign = COMPARISONS[word]
    assert (target.shape, target.sign, target.unit) == ("number", sign, unit)
    assert Decimal(target.value) == goal
    assert read_target(str(target)) == target  # what is shown reads back as the same target
    said_unit = suffix.strip()
    if said_unit and unit and said_unit != unit:
        expected = None  # days are not working days, tickets or %: never judged as if they were
    elif (said_unit or unit) == "%" and not 0 <= measured <= 100:
        expected = None  # no percentage
    elif measured < 0 and (said_unit or unit) in ("s", "days", "working days"):
        expected = None  # no length of time is below 0
    else:
        expected = SIGNS[sign](measured, goal)
    value = written(measured, comma) + suffix
    assert target.judge(value) is expected
    assert (target.value_problem(value) == "") is (expected is not None)


# -- how a standard stands ---------------------------------------------------------------------


def stored(
    kind: type[R], record_id: int, *, at: dt.datetime = NOW, deleted: bool = False, **values: Any
) -> R:
    """A record as the store reads it back: values checked as input, then read as stored."""
    doc = checked(kind, **values).as_stored()
    person = {"account": "alice", "name": "Alice Adams"}
    stamp = iso_time(at)
    doc.update(rev=1, created_by=person, created_at=stamp, updated_by=person, updated_at=stamp)
    doc["deleted"] = deleted
    return schema_of(kind).read(str(record_id), doc)


def standard(**values: Any) -> Standard:
    """An agreed monthly standard with a number for its target, agreed in 2020."""
    defaults: dict[str, Any] = {
        "partner_id": 1,
        "standard": "Payroll queries answered within 2 working days",
        "target": "≤ 2 working days",
        "cadence": MONTHLY,
        "status": AGREED,
        "agreed_on": dt.date(2020, 1, 6),
    }
    return stored(Standard, 1, **(defaults | values))


def check_ins(results: Mapping[str, CheckInResult]) -> list[CheckIn]:
    """Check-ins of standard 1, one per period written, in the order given."""
    return [
        stored(
            CheckIn,
            number,
            at=NOW + dt.timedelta(seconds=number),
            standard_id=1,
            period=period,
            result=result,
        )
        for number, (period, result) in enumerate(results.items(), start=1)
    ]


LAST_12_MONTHS = [str(p) for p in recent(TODAY, MONTHLY, 12)]  # 2025-11 .. 2026-10


def test_the_last_twelve_months_are_those_before_the_current_one() -> None:
    assert (LAST_12_MONTHS[0], LAST_12_MONTHS[-1]) == ("2025-11", "2026-10")


def test_compliance_counts_exactly_the_last_twelve_completed_periods() -> None:
    results = {"2025-10": NOT_MET} | dict.fromkeys(LAST_12_MONTHS, MET) | {"2026-11": NOT_MET}
    standing = standing_of(standard(), check_ins(results), TODAY)
    assert [str(p) for p, _ in standing.periods] == LAST_12_MONTHS
    assert (standing.met, standing.missed) == (12, 0)  # 13th-oldest and current one left out
    assert standing.compliance == 1.0
    assert standing.compliance_text == "100 %"
    assert standing.due is None


def test_not_measured_is_left_out_of_compliance() -> None:
    months = LAST_12_MONTHS[-6:]
    results = dict(zip(months, [MET, NOT_MEASURED, MET, NOT_MET, NOT_MEASURED, MET], strict=True))
    standing = standing_of(standard(), check_ins(results), TODAY)
    assert (standing.met, standing.missed) == (3, 1)
    assert standing.compliance == 0.75
    assert standing.compliance_text == "75 %"


def test_compliance_is_rounded_to_a_whole_percentage() -> None:
    results = dict(zip(LAST_12_MONTHS[-3:], [MET, MET, NOT_MET], strict=True))
    standing = standing_of(standard(), check_ins(results), TODAY)
    assert standing.compliance == pytest.approx(2 / 3)
    assert standing.compliance_text == "67 %"


@pytest.mark.parametrize(
    "results",
    [{}, {"2026-10": NOT_MEASURED, "2026-09": NOT_MEASURED}, {"2026-11": MET}, {"2024-01": MET}],
    ids=["none", "only-not-measured", "only-current-period", "only-long-ago"],
)
def test_no_compliance_until_something_in_the_last_twelve_was_met_or_missed(
    results: dict[str, CheckInResult],
) -> None:
    standing = standing_of(standard(), check_ins(results), TODAY)
    assert standing.compliance is None
    assert standing.compliance_text == ""


def test_the_strip_shows_the_last_periods_oldest_first() -> None:
    results = dict(zip(LAST_12_MONTHS[-6:], [MET, NOT_MET, NOT_MEASURED, MET, MET], strict=False))
    del results[LAST_12_MONTHS[-3]]  # 2026-08: no check-in
    results[LAST_12_MONTHS[-1]] = MET
    standing = standing_of(standard(), check_ins(results), TODAY)
    assert standing.strip() == "✓✗–·✓✓"
    assert standing.strip(3) == "·✓✓"
    assert standing.strip(12) == "······✓✗–·✓✓"
    assert standing.strip(0) == ""


def test_periods_before_the_standard_was_agreed_are_left_out() -> None:
    results = {"2026-07": NOT_MET, "2026-08": MET, "2026-09": NOT_MET, "2026-10": MET}
    standing = standing_of(standard(agreed_on=dt.date(2026, 8, 31)), check_ins(results), TODAY)
    assert [str(p) for p, _ in standing.periods] == ["2026-08", "2026-09", "2026-10"]
    assert standing.strip() == "✓✗✓"
    assert standing.compliance == pytest.approx(2 / 3)


def test_a_deleted_check_in_does_not_count() -> None:
    [kept] = check_ins({"2026-09": MET})
    removed = stored(CheckIn, 2, standard_id=1, period="2026-10", result=NOT_MET, deleted=True)
    standing = standing_of(standard(), [kept, removed], TODAY)
    assert standing.strip(2) == "✓·"
    assert standing.due == Period(MONTHLY, 2026, 10)


@pytest.mark.parametrize("status", [PROPOSED, RETIRED])
def test_a_standard_that_is_not_agreed_is_never_due(status: StandardStatus) -> None:
    reason = "The partner stopped payroll" if status is RETIRED else ""
    made = standard(status=status, retired_reason=reason)
    assert standing_of(made, [], TODAY).due is None


def test_an_agreed_standard_is_due_for_the_last_completed_period_until_checked_in() -> None:
    made = standard()
    assert standing_of(made, check_ins({"2026-09": MET}), TODAY).due == Period(MONTHLY, 2026, 10)
    assert standing_of(made, check_ins({"2026-10": NOT_MEASURED}), TODAY).due is None
    # Checking in the current period early does not settle the one that is due.
    assert standing_of(made, check_ins({"2026-11": MET}), TODAY).due == Period(MONTHLY, 2026, 10)
    # On the first of the month, the month just ended is due.
    on_the_first = dt.date(2026, 12, 1)
    assert standing_of(made, check_ins({"2026-10": MET}), on_the_first).due == Period(
        MONTHLY, 2026, 11
    )


@pytest.mark.parametrize(
    ("cadence", "agreed_on", "due"),
    [
        (MONTHLY, dt.date(2026, 11, 3), None),  # agreed this month: nothing due yet
        (MONTHLY, dt.date(2026, 11, 20), None),  # agreed today
        (MONTHLY, dt.date(2026, 10, 31), Period(MONTHLY, 2026, 10)),
        (WEEKLY, dt.date(2026, 11, 16), None),  # the Monday of this week
        (WEEKLY, dt.date(2026, 11, 15), Period(WEEKLY, 2026, 46)),  # last week's Sunday
        (QUARTERLY, dt.date(2026, 10, 1), None),
        (QUARTERLY, dt.date(2026, 9, 30), Period(QUARTERLY, 2026, 3)),
    ],
)
def test_a_standard_agreed_during_the_current_period_is_not_due_yet(
    cadence: Cadence, agreed_on: dt.date, due: Period | None
) -> None:
    made = standard(cadence=cadence, agreed_on=agreed_on)
    assert standing_of(made, [], TODAY).due == due


def test_a_standard_agreed_with_no_day_counts_from_when_it_was_made() -> None:
    made = stored(
        Standard,
        1,
        at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC),
        partner_id=1,
        standard="Payroll queries answered within 2 working days",
        target="≤ 2 working days",
        status=AGREED,
    )
    assert standing_of(made, [], TODAY).due is None
    assert standing_of(made, [], dt.date(2026, 12, 1)).due == Period(MONTHLY, 2026, 11)


def test_a_standard_agreed_this_period_counts_no_check_in_older_than_twelve_periods() -> None:
    made = standard(agreed_on=dt.date(2026, 11, 3))
    standing = standing_of(made, check_ins({"2024-01": MET, "2026-10": NOT_MET}), TODAY)
    assert (standing.met, standing.missed) == (0, 1)


# A cadence changed midway: weeks of October 2026 and the month their week ended in.
WEEKS_OF_AUTUMN = {
    "2026-W39": (MET, "2026-09"),  # 21-27 Sep
    "2026-W40": (NOT_MET, "2026-10"),  # 28 Sep - 4 Oct: ends in October
    "2026-W41": (MET, "2026-10"),
    "2026-W42": (NOT_MET, "2026-10"),
    "2026-W43": (MET, "2026-10"),  # 19-25 Oct: the last week to end in October
    "2026-W44": (NOT_MET, "2026-11"),  # 26 Oct - 1 Nov: ends in November
}


def test_weekly_check_ins_count_for_the_month_their_week_ended_in() -> None:
    for week, (_, month) in WEEKS_OF_AUTUMN.items():
        period = read_period(week)
        assert period is not None
        assert str(in_cadence(period, MONTHLY)) == month


@settings(max_examples=80, deadline=None)
@given(
    cadence=CADENCES,
    today=st.dates(dt.date(2005, 1, 1), dt.date(2099, 12, 31)),
    made=st.lists(
        st.tuples(CADENCES, st.integers(-1, 16), st.sampled_from(list(CheckInResult))),
        max_size=25,
    ),
    agreed_back=st.integers(0, 14),
)
@example(  # a 13th-oldest check-in, and one of the current period
    cadence=MONTHLY,
    today=TODAY,
    made=[(MONTHLY, 12, NOT_MET), (MONTHLY, -1, NOT_MET)],
    agreed_back=14,
)
def test_standing_matches_a_recount_over_the_last_twelve_periods(
    cadence: Cadence,
    today: dt.date,
    made: list[tuple[Cadence, int, CheckInResult]],
    agreed_back: int,
) -> None:
    # Check-ins of any cadence (the standard's, or one it had before), each for the
    # period so many periods before the last completed one (-1: the current period).
    results: list[tuple[Period, CheckInResult]] = []
    for own_cadence, back, result in made:
        period = last_completed(today, own_cadence)
        for _ in range(back):
            period = period.preceding()
        if back == -1:
            period = period.following()
        results.append((period, result))
    ins = [
        stored(
            CheckIn,
            number,
            at=NOW + dt.timedelta(seconds=number),
            standard_id=1,
            period=str(period),
            result=result,
        )
        for number, (period, result) in enumerate(results, start=1)
    ]
    window = recent(today, cadence, 12)
    agreed_in = window[max(0, 11 - agreed_back)]
    made_standard = standard(cadence=cadence, agreed_on=agreed_in.first_day)
    standing = standing_of(made_standard, ins, today)

    # The recount: each check-in counts for the period its own period ended in, the one
    # made under the longest period standing (then the one written last).
    counted = [p for p in window if p >= agreed_in]
    marks, met, missed = "", 0, 0
    for period in counted:
        ending_in = [
            (own.last_day, number, result)
            for number, (own, result) in enumerate(results)
            if period.first_day <= own.last_day <= period.last_day
        ]
        stands = max(ending_in)[2] if ending_in else None
        marks += stands.symbol if stands else "·"
        met += stands is MET
        missed += stands is NOT_MET
    assert [p for p, _ in standing.periods] == counted
    assert standing.strip(12) == marks
    assert standing.strip() == marks[-6:]
    assert (standing.met, standing.missed) == (met, missed)
    assert standing.compliance == (met / (met + missed) if met + missed else None)
    assert standing.due == (window[-1] if marks[-1] == "·" else None)


# -- check-ins through the store -----------------------------------------------------------


def add_standard(store: Store, **values: Any) -> Standard:
    """Add a standard for Payroll (the store's partner) and return it as written."""
    draft: dict[str, Any] = {
        "partner": "Payroll",
        "standard": "Payroll queries answered within 2 working days",
        "target": "≤ 2 working days",
        "cadence": MONTHLY,
        "status": AGREED,
        "agreed_on": dt.date(2026, 1, 5),
    } | values
    saved: Saved = run(store, SaveStandard(StandardDraft(**draft)))
    assert saved.new_partner is None
    return saved.standard


def checking_in(store: Store, standard_id: int, **values: Any) -> Any:
    return run(store, SaveCheckIn(CheckInDraft(standard_id, **values), author=BOB))


def test_optional_references_left_empty_are_no_problem(store: Store) -> None:
    add_standard(store)  # no source interview; the store's contact point is evidence for none
    assert store.read().problems == ()


def test_a_check_in_made_while_none_was_seen_is_a_conflict_that_says_it_was_created(
    store: Store,
) -> None:
    made = add_standard(store)
    theirs = checking_in(store, made.id, result=MET, period="2026-10", value="2").check_in
    draft = CheckInDraft(made.id, NOT_MET, "2026-10", "3")
    with pytest.raises(Conflict) as clash:
        run(store, SaveCheckIn(draft, expected_rev=0))  # none there when the form opened
    assert clash.value.current == theirs
    assert clash.value.verb == "created"
    assert f"check-in {theirs.id} was created by Alice Adams at " in str(clash.value)
    assert "(revision 1; you started from none there)" in str(clash.value)
    # Once seen, a change of it is "changed".
    again = checking_in(store, made.id, result=MET, period="2026-10", value="1").check_in
    with pytest.raises(Conflict) as clash:
        run(store, SaveCheckIn(draft, expected_rev=theirs.rev))
    assert clash.value.verb == "changed" and clash.value.current == again
    # Made, then changed, while none was seen: the one named changed it; they did not make it.
    with pytest.raises(Conflict) as clash:
        run(store, SaveCheckIn(draft, expected_rev=0))
    assert clash.value.verb == "changed"


def test_a_second_check_in_for_a_period_replaces_the_first_which_stays_in_history(
    store: Store,
) -> None:
    made = add_standard(store)
    first = checking_in(store, made.id, result=NOT_MET, period="2026-10", value="3")
    assert first.replaced is None
    assert (first.check_in.rev, first.check_in.checked_by) == (1, "bob")
    again = checking_in(store, made.id, result=MET, period="2026-10", value="2", note="recounted")
    assert again.replaced == first.check_in
    assert (again.check_in.id, again.check_in.rev) == (first.check_in.id, 2)
    snapshot = store.read()
    [kept] = snapshot.all(CheckIn, include_deleted=True)
    assert (kept.period, kept.result, kept.value, kept.note) == (
        "2026-10", MET, "2 working days", "recounted"
    )  # fmt: skip
    newest, older = history_of(snapshot, CheckIn, kept.id)
    assert (newest.rev, older.rev) == (2, 1)
    assert older.values["result"] is NOT_MET and older.values["value"] == "3 working days"
    assert {c.name for c in newest.changes} == {"result", "value", "note"}
    [row] = standards_listing(snapshot, TODAY)
    assert row.standing.strip(1) == "✓"
    assert row.standing.due is None


def test_a_check_in_defaults_to_the_last_completed_period(store: Store) -> None:
    weekly = add_standard(store, cadence=WEEKLY)
    assert checking_in(store, weekly.id, result=MET).check_in.period == "2026-W46"
    quarterly = add_standard(store, cadence=QUARTERLY)
    assert checking_in(store, quarterly.id, result=MET).check_in.period == "2026-Q3"
    monthly = add_standard(store)
    checked_in = checking_in(store, monthly.id, result=MET, period=" 2026-11 ")
    assert checked_in.check_in.period == "2026-11"  # the current period may be checked early


@pytest.mark.parametrize(
    ("period", "says"),
    [
        ("2026-W44", "must be a month written like 2026-11: this standard is checked monthly"),
        ("2026-Q3", "must be a month written like 2026-11"),
        ("2026-1", "must be a month written like 2026-11"),
        ("last month", "must be a month written like 2026-11"),
        ("2026-12", "2026-12 has not begun yet"),
        ("2027-01", "2027-01 has not begun yet"),
    ],
)
def test_a_period_of_the_wrong_cadence_or_not_begun_is_refused(
    store: Store, period: str, says: str
) -> None:
    made = add_standard(store)
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, result=MET, period=period)
    [(name, message)] = refused.value.problems
    assert name == "period"
    assert says in message
    assert store.read().all(CheckIn) == []


@pytest.mark.parametrize(
    ("cadence", "period", "says"),
    [
        (MONTHLY, "1999-12", "must be 2000-01 or later"),
        (MONTHLY, "2026-13", "must be a month from 2026-01 to 2026-12: there is no month 13"),
        (MONTHLY, "2026-00", "there is no month 0"),
        (MONTHLY, "9999-01", "9999-01 has not begun yet"),
        (WEEKLY, "1999-W52", "must be 2000-W01 or later"),
        (WEEKLY, "2026-W54", "must be a week from 2026-W01 to 2026-W53: 2026 has 53 ISO weeks"),
        (WEEKLY, "2025-w53", "2025 has 52 ISO weeks"),
        (QUARTERLY, "1999-Q4", "must be 2000-Q1 or later"),
        (QUARTERLY, "2026-Q5", "must be a quarter from 2026-Q1 to 2026-Q4: there is no quarter 5"),
    ],
)
def test_a_period_written_right_but_out_of_range_is_refused_for_its_range(
    store: Store, cadence: Cadence, period: str, says: str
) -> None:
    made = add_standard(store, cadence=cadence)
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, result=MET, period=period)
    [(name, message)] = refused.value.problems
    assert name == "period" and says in message
    assert "written like" not in message  # it is written right: the range is what is wrong
    assert store.read().all(CheckIn) == []


@pytest.mark.parametrize(
    ("period", "says"),
    [
        (Period(MONTHLY, 2026, 11), "2026-11 is not over yet: it runs until 30 November 2026"),
        (Period(WEEKLY, 2026, 47), "2026-W47 is not over yet: it runs until 22 November 2026"),
        (Period(QUARTERLY, 2026, 4), "2026-Q4 is not over yet: it runs until 31 December 2026"),
        (Period(MONTHLY, 2026, 10), ""),
        (Period(WEEKLY, 2026, 46), ""),
    ],
)
def test_a_check_in_for_the_current_period_is_said_to_come_early(period: Period, says: str) -> None:
    said = not_over(period, TODAY)
    assert said.startswith(says) if says else said == ""


@pytest.mark.parametrize(
    ("target", "value", "kept"),
    [
        ("≥ 95 %", "96", "96 %"),
        ("≥ 95 %", "96%", "96 %"),
        ("≤ 2 working days", " 1 ", "1 working day"),
        ("≤ 2 working days", "1.5", "1.5 working days"),
        ("≤ 2 hours", "90minutes", "90 minutes"),
        ("at most 3 tickets", "2", "2 tickets"),
        ("≤ 2", "3", "3"),
        ("by 09:00", "08:45", "08:45"),
        ("≤ 2 working days", "about a day", "about a day"),
    ],
)
def test_a_measured_number_is_kept_with_its_unit(
    store: Store, target: str, value: str, kept: str
) -> None:
    made = add_standard(store, target=target)
    checked_in = checking_in(store, made.id, result=NOT_MEASURED, value=value, period="2026-10")
    assert checked_in.check_in.value == kept


def test_a_retired_standard_takes_no_check_ins(store: Store) -> None:
    made = add_standard(store)
    run(store, Retire(made.id, made.rev, "Payroll moved to the new provider"))
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, result=MET, period="2026-10")
    assert problem_fields(refused.value) == ["standard"]
    assert store.read().all(CheckIn) == []
    [row] = standards_listing(store.read(), TODAY)
    assert row.standing.due is None


def test_a_deleted_standard_takes_no_check_ins(store: Store) -> None:
    made = add_standard(store)
    store.delete(Standard, made.id, made.rev)
    with pytest.raises(IctuiError, match="deleted"):
        checking_in(store, made.id, result=MET, period="2026-10")


@pytest.mark.parametrize(
    ("target", "value", "result", "kept"),
    [
        ("≤ 2 working days", "2", MET, "2 working days"),
        ("≤ 2 working days", "2.5 working days", NOT_MET, "2.5 working days"),
        ("≥ 95 %", "94,9 %", NOT_MET, "94,9 %"),
        ("by 09:00", "8:45", MET, "8:45"),
        ("yes: the payroll file is published", "no", NOT_MET, "no"),
    ],
)
def test_the_result_is_judged_from_the_value_when_not_given(
    store: Store, target: str, value: str, result: CheckInResult, kept: str
) -> None:
    made = add_standard(store, target=target)
    checked_in = checking_in(store, made.id, value=value, period="2026-10").check_in
    assert (checked_in.result, checked_in.value) == (result, kept)


def test_a_result_given_stands_over_the_value(store: Store) -> None:
    made = add_standard(store)
    checked_in = checking_in(store, made.id, result=NOT_MEASURED, value="1").check_in
    assert checked_in.result is NOT_MEASURED


@pytest.mark.parametrize(
    ("target", "value", "says"),
    [
        ("≤ 2 working days", "", "or a value that reads as a number of working days"),
        ("≤ 2 working days", "quick", "or a value that reads as a number of working days"),
        ("by 09:00", "morning", "or a value that reads as a time of day"),
        ("better communication", "2", "is required: met, not met or not measured"),
    ],
)
def test_a_check_in_with_no_result_and_no_value_to_judge_is_refused(
    store: Store, target: str, value: str, says: str
) -> None:
    status = PROPOSED if read_target(target) is None else AGREED
    made = add_standard(store, target=target, status=status)
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, value=value, period="2026-10")
    [(name, message)] = refused.value.problems
    assert name == "result"
    assert says in message
    assert store.read().all(CheckIn) == []


@pytest.mark.parametrize("result", [None, MET, NOT_MEASURED])
@pytest.mark.parametrize(
    ("target", "value", "says"),
    [
        ("≤ 2 working days", "3 hours", "is not in working days"),
        ("≥ 95 %", "150", "is no percentage"),
        ("≥ 95 %", "150 %", "is no percentage"),
        ("≥ 95 %", "2 days", "is not a percentage"),
    ],
)
def test_a_check_in_value_the_target_cannot_take_is_refused_even_with_a_result(
    store: Store, target: str, value: str, says: str, result: CheckInResult | None
) -> None:
    made = add_standard(store, target=target)
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, result=result, value=value, period="2026-10")
    [(name, message)] = refused.value.problems
    assert name == "value"
    assert says in message
    assert store.read().all(CheckIn) == []


def test_a_check_in_value_in_a_unit_that_converts_is_judged_and_kept_as_written(
    store: Store,
) -> None:
    made = add_standard(store, target="≤ 2 hours")
    met = checking_in(store, made.id, value="90 minutes", period="2026-09").check_in
    missed = checking_in(store, made.id, value="121 min", period="2026-10").check_in
    assert (met.result, met.value) == (MET, "90 minutes")
    assert (missed.result, missed.value) == (NOT_MET, "121 min")


@pytest.mark.parametrize("status", [PROPOSED, AGREED])
@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("≥ 150 %", "a percentage runs from 0 to 100"),
        ("≤ -1 %", "a percentage runs from 0 to 100"),
        ("≤ -5 days", "a length of time is never below 0"),
    ],
)
def test_a_target_no_measure_can_meet_is_refused_whatever_the_status(
    store: Store, target: str, why: str, status: StandardStatus
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_standard(store, target=target, status=status)
    [(name, message)] = refused.value.problems  # said once, also when agreed
    assert name == "target"
    assert message == f"“{target}” cannot be checked: {why}"
    assert store.read().all(Standard) == []


@pytest.mark.parametrize("target", ["", "better communication", "≤ two days"])
def test_a_standard_is_not_agreed_without_a_target_that_can_be_checked(
    store: Store, target: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_standard(store, target=target)
    assert problem_fields(refused.value) == ["target"]
    proposed = add_standard(store, target=target, status=PROPOSED)
    with pytest.raises(InvalidInput) as refused:
        run(store, Agree(proposed.id, proposed.rev, TODAY, "Dana Payroll"))
    [(name, message)] = refused.value.problems
    assert name == "target"
    if target:
        assert f"“{target}” cannot be checked" in message
    assert store.read().get(Standard, proposed.id) == proposed


def test_agreeing_with_a_target_that_can_be_checked(store: Store) -> None:
    proposed = add_standard(store, target="at most 2 working days", status=PROPOSED)
    assert proposed.target == "≤ 2 working days"  # written the one way
    agreed = run(store, Agree(proposed.id, proposed.rev, TODAY, "Dana Payroll"))
    assert (agreed.status, agreed.agreed_on, agreed.agreed_with) == (AGREED, TODAY, "Dana Payroll")
    assert agreed.rev == 2


def test_a_standard_is_not_agreed_on_a_day_still_to_come(store: Store) -> None:
    proposed = add_standard(store, status=PROPOSED, agreed_on=None)
    with pytest.raises(InvalidInput) as refused:
        run(store, Agree(proposed.id, proposed.rev, dt.date(2099, 1, 1)))
    assert refused.value.problems == [
        ("agreed_on", "2099-01-01 is in the future: mark it agreed once it is")
    ]
    with pytest.raises(InvalidInput) as refused:
        add_standard(store, agreed_on=TODAY + dt.timedelta(days=2))
    assert problem_fields(refused.value) == ["agreed_on"]
    assert store.read().all(Standard) == [proposed]
    # A day's slack: a teammate east of here may be on tomorrow already.
    agreed = run(store, Agree(proposed.id, proposed.rev, TODAY + dt.timedelta(days=1)))
    assert agreed.agreed_on == TODAY + dt.timedelta(days=1)


def test_who_agreed_is_kept_as_names_and_commas_alone_are_refused(store: Store) -> None:
    # Found by trying: " , , " was kept as who agreed, and shown as such.
    proposed = add_standard(store, status=PROPOSED, agreed_on=None)
    for typed in (" , , ", ","):
        with pytest.raises(InvalidInput) as refused:
            run(store, Agree(proposed.id, proposed.rev, TODAY, typed))
        assert refused.value.problems == [
            ("agreed_with", "names no one: write the names between commas")
        ]
        with pytest.raises(InvalidInput) as refused:
            add_standard(store, agreed_with=typed)
        assert problem_fields(refused.value) == ["agreed_with"]
    agreed = run(store, Agree(proposed.id, proposed.rev, TODAY, "Dana ,, Lee "))
    assert agreed.agreed_with == "Dana, Lee"


def test_a_standard_from_an_interview_with_another_partner_is_refused(store: Store) -> None:
    # Found by trying: `--partner Payroll --interview 4` took an interview with another team.
    from ictui.services.interviews import plan_interview

    with store.transaction() as tx:
        legal = plan_interview(tx, "Legal", TODAY).interview
    with pytest.raises(InvalidInput) as refused:
        add_standard(store, interview_id=legal.id)
    assert refused.value.problems == [
        ("interview_id", f"{legal.id} was with Legal, another partner")
    ]
    made = add_standard(store, partner="Legal", interview_id=legal.id)
    assert made.interview_id == legal.id


def test_a_standard_agreed_on_a_day_to_come_before_is_still_changed(store: Store) -> None:
    made = add_standard(store)
    # Written so by an older ictui, or by hand: another change keeps it, as it keeps it.
    ahead = store.update(Standard, made.id, made.rev, agreed_on=dt.date(2027, 3, 1))
    draft = StandardDraft(
        partner="Payroll",
        standard="Payroll queries answered within 1 working day",
        target="≤ 1 working day",
        status=AGREED,
        agreed_on=dt.date(2027, 3, 1),
    )
    saved: Saved = run(store, SaveStandard(draft, ahead.id, ahead.rev))
    assert saved.standard.target == "≤ 1 working day"


@pytest.mark.parametrize(
    ("cadence", "agreed_on", "period", "first"),
    [
        (MONTHLY, dt.date(2026, 1, 5), "2001-05", "2025-01"),
        (MONTHLY, dt.date(2026, 1, 5), "2024-12", "2025-01"),
        (WEEKLY, dt.date(2026, 9, 1), "2025-W30", "2025-W35"),
        (QUARTERLY, None, "2025-Q3", "2025-Q4"),  # from when it was written down: NOW
    ],
)
def test_a_check_in_over_a_year_before_the_standard_is_refused(
    store: Store, cadence: Cadence, agreed_on: dt.date | None, period: str, first: str
) -> None:
    made = add_standard(store, cadence=cadence, agreed_on=agreed_on, status=PROPOSED)
    with pytest.raises(InvalidInput) as refused:
        checking_in(store, made.id, result=MET, period=period)
    assert refused.value.problems == [
        (
            "period",
            f"{period} is over a year before the standard was written down or agreed: "
            f"check in {first} or later",
        )
    ]
    assert store.read().all(CheckIn) == []
    # The first period of the year before is a baseline the team may check in.
    assert checking_in(store, made.id, result=MET, period=first).check_in.period == first


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_standard_is_not_retired_without_a_reason(store: Store, reason: str) -> None:
    made = add_standard(store)
    with pytest.raises(InvalidInput) as refused:
        run(store, Retire(made.id, made.rev, reason))
    assert problem_fields(refused.value) == ["retired_reason"]
    assert store.read().get(Standard, made.id) == made


def test_a_cadence_changed_midway_keeps_the_weekly_check_ins(store: Store) -> None:
    made = add_standard(store, cadence=WEEKLY, agreed_on=dt.date(2026, 9, 1))
    for week, (result, _) in WEEKS_OF_AUTUMN.items():
        checking_in(store, made.id, result=result, period=week)
    monthly = store.update(Standard, made.id, made.rev, cadence=MONTHLY)

    [row] = standards_listing(store.read(), TODAY)
    assert [(str(p), c and c.period) for p, c in row.standing.periods] == [
        ("2026-09", "2026-W39"),
        ("2026-10", "2026-W43"),  # the last week to end in October stands for it
    ]
    assert row.standing.strip() == "✓✓"
    assert row.standing.due is None
    # Week 44 ended on 1 November: it counts for November once November is over.
    [row] = standards_listing(store.read(), dt.date(2026, 12, 5))
    assert row.standing.strip() == "✓✓✗"
    assert row.standing.due is None

    with pytest.raises(InvalidInput) as refused:
        checking_in(store, monthly.id, result=MET, period="2026-W45")
    assert problem_fields(refused.value) == ["period"]
    # A check-in for the month itself, under the new cadence, stands over the weeks.
    checking_in(store, monthly.id, result=NOT_MET, period="2026-10")
    [row] = standards_listing(store.read(), TODAY)
    assert row.standing.strip() == "✓✗"
    assert len(store.read().all(CheckIn)) == 7


CHECKER = textwrap.dedent(
    """
    import datetime as dt
    import sys

    from ictui.kinds.record import Author
    from ictui.kinds.vocab import CheckInResult
    from ictui.services.standards import CheckInDraft, SaveCheckIn
    from ictui.teamfile.store import Store
    from ictui.teamfile.writes import run

    path, worker, weeks = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    now = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
    author = Author(account=f"worker{worker}")
    store = Store(path, author=author, lock_timeout=60, clock=lambda: now)
    print("ready", flush=True)
    sys.stdin.readline()
    for n, week in enumerate(weeks):
        draft = CheckInDraft(1, CheckInResult.MET, period=week, note=worker)
        run(store, SaveCheckIn(draft, author))
        shared = CheckInDraft(1, CheckInResult.NOT_MET, period="2026-W46", note=f"{worker}-{n}")
        run(store, SaveCheckIn(shared, author))
    """
)


@pytest.mark.slow
def test_processes_checking_in_at_once_lose_nothing(
    store: Store, make_store: Callable[..., Store]
) -> None:
    made = add_standard(store, cadence=WEEKLY, agreed_on=dt.date(2025, 1, 6))
    assert made.id == 1
    workers, each = 3, 12
    weeks = {
        str(worker): [f"2025-W{worker * each + n + 1:02d}" for n in range(each)]
        for worker in range(workers)
    }
    started = [
        subprocess.Popen(
            [sys.executable, "-c", CHECKER, str(store.path), worker, ",".join(own)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for worker, own in weeks.items()
    ]
    for process in started:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in started:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in started:
        process.communicate(timeout=120)
        assert process.returncode == 0

    snapshot = make_store().read()
    assert snapshot.problems == ()
    found = {c.period: c for c in snapshot.all(CheckIn, include_deleted=True)}
    assert len(found) == workers * each + 1  # one record per period, none twice
    for worker, own in weeks.items():
        assert {found[week].note for week in own} == {worker}
    shared = found.pop("2026-W46")
    assert shared.rev == workers * each  # every check-in of the shared week replaced one
    assert shared.result is NOT_MET
    assert sorted(c.id for c in snapshot.all(CheckIn)) == list(range(1, workers * each + 2))
