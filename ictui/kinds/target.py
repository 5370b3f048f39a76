"""A standard's target, read from how people write it, so that a check-in can be judged.

Four shapes can be checked:

- a number with a comparison and a unit: ``≤ 2 working days``, ``>= 95 %``,
  ``at most 3 tickets``;
- a time of day: ``by 09:00``, ``before 17:30``, ``after 8:00``;
- a date: ``by 2026-12-31``;
- a yes/no criterion: ``yes: the payroll file is published``.

Anything else is free text: kept as written, as a note, but not a target that
anyone can check ("better communication": how will you know?). So is a
percentage outside 0 to 100 (``≥ 150 %``): no measure can give it.

A value measured against a number is a number, in the target's unit when it
says none. In another unit it is converted where that is exact (90 minutes
against hours, 2 weeks against days) and refused otherwise (3 hours against
working days: how long is a working day?), never judged as if the unit were
not there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COMPARISONS = {
    "≤": "≤",
    "<=": "≤",
    "=<": "≤",
    "at most": "≤",
    "within": "≤",
    "no more than": "≤",
    "<": "<",
    "under": "<",
    "below": "<",
    "less than": "<",
    "fewer than": "<",
    "≥": "≥",
    ">=": "≥",
    "=>": "≥",
    "at least": "≥",
    "no less than": "≥",
    ">": ">",
    "over": ">",
    "above": ">",
    "more than": ">",
    "=": "=",
    "==": "=",
    "exactly": "=",
}
"""Each way of writing a comparison, and the sign it is shown with."""

_WORDS = "|".join(sorted((re.escape(w) for w in COMPARISONS), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?P<op>{_WORDS})\s*(?P<number>[-+]?\d+(?:[.,]\d+)?)\s*(?P<unit>.*)", re.IGNORECASE
)
_TIME = re.compile(r"(?P<op>by|before|after)\s+(\d{1,2}):(\d{2})", re.I)
_DATE = re.compile(r"(?P<op>by|before|on or before)\s+(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_YES_NO = re.compile(r"(?:yes/no|yes|y/n)\s*[:—–-]\s*(?P<criterion>\S.*)", re.IGNORECASE)
_TRUE = {"yes", "y", "true", "met", "done", "1"}
_FALSE = {"no", "n", "false", "not met", "missed", "0"}
UNIT_MAX = 40
"""Longest unit after a number, in characters: longer is a sentence, not a unit."""
_MEASURED = re.compile(r"(?P<number>[-+]?\d+(?:[.,]\d+)?)\s*(?P<unit>.*)")
PERCENT_RANGE = "a percentage runs from 0 to 100"
"""Why a percentage below 0 or above 100 is refused, for messages."""
_LENGTHS = frozenset({"time", "days", "working days"})
"""Kinds of unit that measure a length of time, which nothing measured is below 0 of."""
LENGTH_RANGE = "a length of time is never below 0"
"""Why a length of time below 0 is refused, for messages."""
_UNITS = {
    "s": ("time", 1),
    "sec": ("time", 1),
    "second": ("time", 1),
    "min": ("time", 60),
    "minute": ("time", 60),
    "h": ("time", 3600),
    "hr": ("time", 3600),
    "hour": ("time", 3600),
    "day": ("days", 1),
    "calendar day": ("days", 1),
    "week": ("days", 7),
    "calendar week": ("days", 7),
    "working day": ("working days", 1),
    "work day": ("working days", 1),
    "workday": ("working days", 1),
    "business day": ("working days", 1),
    "%": ("%", 1),
    "percent": ("%", 1),
    "per cent": ("%", 1),
}
"""Units that convert exactly into each other: their kind, and their size in its smallest.

Hours and days are of different kinds on purpose: a day in a service standard is
as often a working day (of 7.5 or 8 hours?) as 24 hours.
"""


def _unit_key(unit: str) -> str:
    """Return a unit as units are compared: "Working  Days" and "working day" are one."""
    key = " ".join(unit.casefold().split())
    if key in _UNITS or not key.endswith("s") or len(key) < 2:
        return key
    return key[:-1]


def _sizes(measured: str, target: str) -> tuple[int, int] | None:
    """Return what one of each unit is worth in a common one; None when they do not convert."""
    if measured == target:
        return (1, 1)
    one, other = _UNITS.get(measured), _UNITS.get(target)
    if one is None or other is None or one[0] != other[0]:
        return None
    return (one[1], other[1])


def _plural(unit: str) -> str:
    """Return a unit written in the singular ("working day") as "a number of" wants it."""
    if len(unit) > 2 and unit[-1:].isalpha() and not unit.endswith("s"):
        return unit + "s"
    return unit


def _is_percent(unit: str) -> bool:
    return _UNITS.get(_unit_key(unit), ("", 0))[0] == "%"


def _out_of_range(number: Decimal, unit: str) -> str:
    """Say why no measure gives this number in this unit (150 %, -2 days); "" if one may."""
    kind = _UNITS.get(_unit_key(unit), ("", 0))[0]
    if kind == "%" and not 0 <= number <= 100:
        return PERCENT_RANGE
    if kind in _LENGTHS and number < 0:
        return LENGTH_RANGE
    return ""


@dataclass(frozen=True, slots=True)
class Target:
    """A target that a measured value can be judged against."""

    shape: str
    """"number", "time", "date" or "yes/no"."""
    sign: str
    """The comparison: ≤ < ≥ > = for a number; by, before, after for a time or a date."""
    value: str
    """The number, time or date as written canonically; the criterion for a yes/no."""
    unit: str = ""

    def __str__(self) -> str:
        if self.shape == "number":
            unit = self.unit
            return f"{self.sign} {self.value}" + (f" {unit}" if unit else "")
        if self.shape == "yes/no":
            return f"yes: {self.value}"
        return f"{self.sign} {self.value}"

    @property
    def is_percent(self) -> bool:
        """Whether the target is a percentage: ``≥ 95 %``."""
        return self.shape == "number" and _is_percent(self.unit)

    @property
    def asks_for(self) -> str:
        """What a measured value must look like, for hints and messages."""
        if self.shape == "number":
            if self.is_percent:
                return "a percentage"
            return "a number" + (f" of {_plural(self.unit)}" if self.unit else "")
        if self.shape == "time":
            return "a time of day, HH:MM"
        if self.shape == "date":
            return "a date, YYYY-MM-DD"
        return "yes or no"

    def judge(self, measured: str) -> bool | None:
        """Whether a measured value meets the target; None if it cannot be read as one."""
        measured = measured.strip()
        if self.shape == "number":
            read = self._measured(measured)
            if not isinstance(read, tuple):
                return None
            number, goal = read
            return _compare(number, self.sign, goal)
        if self.shape == "time":
            found = re.fullmatch(r"(\d{1,2}):(\d{2})", measured)
            if found is None or int(found[1]) > 23 or int(found[2]) > 59:
                return None
            return _by(f"{int(found[1]):02d}:{found[2]}", self.sign, self.value)
        if self.shape == "date":
            try:
                day = dt.date.fromisoformat(measured)
            except ValueError:
                return None
            return _by(day.isoformat(), self.sign, self.value)
        word = measured.casefold()
        return True if word in _TRUE else False if word in _FALSE else None

    def in_its_unit(self, measured: str) -> str:
        """Return a measured number with its unit, as kept and shown: "96" → "96 %".

        A bare number takes the target's unit, and a number with one is spaced as the
        target is ("1.5h" → "1.5 h"); one of a unit ictui knows is one, not ones ("1 day").
        A value this target cannot judge stays as written.
        """
        text = measured.strip()
        found = _MEASURED.fullmatch(text)
        if self.shape != "number" or found is None or not isinstance(self._measured(text), tuple):
            return measured
        unit = " ".join(found["unit"].split()) or self.unit
        one = _unit_key(unit)
        if found["number"].lstrip("+") == "1" and one in _UNITS and unit.endswith("s"):
            unit = unit[: len(one)]  # "1 working day", not "1 working days"
        return f"{found['number']} {unit}".rstrip()

    def value_problem(self, measured: str) -> str:
        """Say why a measured number is refused against this target, or "" when it is not.

        Refused: a number in a unit that does not convert to the target's, a
        percentage below 0 or above 100, or a length of time below 0. Not refused:
        a value judged, or one that is no number at all (kept as written when the
        result is said).
        """
        read = self._measured(measured.strip()) if self.shape == "number" else None
        return read if isinstance(read, str) else ""

    def _measured(self, measured: str) -> tuple[Decimal, Decimal] | str | None:
        """Read a measured number: itself and the target, to compare in one unit.

        A text saying why when it is in a unit of its own or no percentage; None
        when it is no number at all, or a number followed by a sentence.
        """
        found = _MEASURED.fullmatch(measured)
        number = _number(found["number"]) if found else None
        if found is None or number is None:
            return None
        unit = found["unit"]
        if len(unit) > UNIT_MAX or re.search(r"\d", unit):
            return None  # a sentence, not a unit
        shown = f"“{' '.join(measured.split())[:40]}”"
        if unit and self.unit:
            sizes = _sizes(_unit_key(unit), _unit_key(self.unit))
            if sizes is None:
                if self.is_percent:
                    return f"{shown} is not a percentage, as the target {self} is: give one"
                return (
                    f"{shown} is not in {self.unit}, the unit of the target {self}: "
                    f"give {self.asks_for}"
                )
        else:
            sizes = (1, 1)
        out_of_range = _out_of_range(number, unit or self.unit)
        if out_of_range == PERCENT_RANGE:
            return f"{shown} is no percentage: {PERCENT_RANGE}"
        if out_of_range:
            return f"{shown} is a length of time, which is never below 0"
        goal = Decimal(self.value)
        if sizes[0] == sizes[1]:
            return number, goal
        return number * sizes[0], goal * sizes[1]


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _compare(number: Decimal, sign: str, target: Decimal) -> bool:
    return {
        "≤": number <= target,
        "<": number < target,
        "≥": number >= target,
        ">": number > target,
        "=": number == target,
    }[sign]


def _by(measured: str, sign: str, target: str) -> bool:
    # HH:MM and YYYY-MM-DD compare as text in the order of time.
    if sign == "after":
        return measured > target
    if sign == "before":
        return measured < target
    return measured <= target


def read_target(text: str) -> Target | None:
    """Return the target a text writes, or None when it is free text that cannot be checked."""
    text = " ".join(text.split())
    found = _NUMBER.fullmatch(text)
    if found is not None:
        number = _number(found["number"])
        unit = found["unit"].strip()
        if number is not None and len(unit) <= UNIT_MAX and not re.search(r"\d", unit):
            if _out_of_range(number, unit):
                return None  # no measure can give it: see range_problem
            sign = COMPARISONS[found["op"].casefold()]
            # Plain digits as typed: str() would write 0.0000001 as 1E-7, which does not read
            # back, and normalize() rounds to 28 digits.
            whole = number.to_integral_value()
            shown = format(whole if number == whole else number, "f")
            return Target("number", sign, shown, unit)
        return None
    found = _TIME.fullmatch(text)
    if found is not None:
        hours, minutes = int(found[2]), int(found[3])
        if hours > 23 or minutes > 59:
            return None
        return Target("time", found["op"].casefold(), f"{hours:02d}:{minutes:02d}")
    found = _DATE.fullmatch(text)
    if found is not None:
        try:
            day = dt.date.fromisoformat(found[2])
        except ValueError:
            return None
        sign = "before" if found["op"].casefold() == "before" else "by"
        return Target("date", sign, day.isoformat())
    found = _YES_NO.fullmatch(text)
    if found is not None:
        return Target("yes/no", "yes", found["criterion"])
    return None


def range_problem(text: str) -> str:
    """Say why no measure can meet a target (``≥ 150 %``, ``≤ -2 days``), or "" if one may."""
    found = _NUMBER.fullmatch(" ".join(text.split()))
    number = _number(found["number"]) if found is not None else None
    if found is None or number is None:
        return ""
    return _out_of_range(number, found["unit"].strip())


def _no_such_moment(text: str) -> str:
    """Say why a time or a date written as a target names none (``by 24:00``), or ""."""
    found = _TIME.fullmatch(text)
    if found is not None and (int(found[2]) > 23 or int(found[3]) > 59):
        return f"{found[2]}:{found[3]} is no time of day (00:00 to 23:59)"
    found = _DATE.fullmatch(text)
    if found is not None:
        try:
            dt.date.fromisoformat(found[2])
        except ValueError:
            return f"{found[2]} is no day on the calendar"
    return ""


def target_hint(text: str) -> str:
    """Say what is wrong with a target that cannot be checked, or "" when it can (or is empty)."""
    text = " ".join(text.split())
    if not text or read_target(text) is not None:
        return ""
    out_of_range = range_problem(text) or _no_such_moment(text)
    if out_of_range:
        return f"“{text[:40]}” cannot be checked: {out_of_range}"
    return (
        f"“{text[:40]}” cannot be checked: say how you will know, such as "
        "≤ 2 working days, ≥ 95 %, by 09:00, by 2026-12-31 or yes: <what is done>"
    )


TARGET_EXAMPLES = "≤ 2 working days, ≥ 95 %, by 09:00, by 2026-12-31, yes: <what is done>"
"""The shapes of a target that can be checked, for placeholders and help."""
