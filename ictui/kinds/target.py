"""A standard's target, read from how people write it, so that a check-in can be judged.

Four shapes can be checked:

- a number with a comparison and a unit: ``≤ 2 working days``, ``>= 95 %``,
  ``at most 3 tickets``;
- a time of day: ``by 09:00``, ``before 17:30``, ``after 8:00``;
- a date: ``by 2026-12-31``;
- a yes/no criterion: ``yes: the payroll file is published``.

Anything else is free text: kept as written, as a note, but not a target that
anyone can check ("better communication": how will you know?).
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
    def asks_for(self) -> str:
        """What a measured value must look like, for hints and messages."""
        if self.shape == "number":
            if self.unit == "%":
                return "a percentage"
            return "a number" + (f" of {self.unit}" if self.unit else "")
        if self.shape == "time":
            return "a time of day, HH:MM"
        if self.shape == "date":
            return "a date, YYYY-MM-DD"
        return "yes or no"

    def judge(self, measured: str) -> bool | None:
        """Whether a measured value meets the target; None if it cannot be read as one."""
        measured = measured.strip()
        if self.shape == "number":
            number = _number(measured.split()[0].rstrip("%") if measured else "")
            if number is None:
                return None
            return _compare(number, self.sign, Decimal(self.value))
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


def target_hint(text: str) -> str:
    """Say what is wrong with a target that cannot be checked, or "" when it can (or is empty)."""
    text = " ".join(text.split())
    if not text or read_target(text) is not None:
        return ""
    return (
        f"“{text[:40]}” cannot be checked: say how you will know, such as "
        "≤ 2 working days, ≥ 95 %, by 09:00, by 2026-12-31 or yes: <what is done>"
    )


TARGET_EXAMPLES = "≤ 2 working days, ≥ 95 %, by 09:00, by 2026-12-31, yes: <what is done>"
"""The shapes of a target that can be checked, for placeholders and help."""
