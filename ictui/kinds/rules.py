"""The rules a record's values follow: plain functions that pydantic-core calls.

Each rule raises ``PydanticCustomError`` with a message written for people.
Kinds name them through the markers of ``ictui.kinds.fields``, and
``ictui.kinds.schema`` puts them into the validators. ``format_errors`` turns
the errors into "field: what is wrong" pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from ictui.kinds.vocab import Need

NAME_MAX = 80
"""Longest partner or display name, in characters."""
ACCOUNT_MAX = 64
"""Longest OS account name, in characters."""
SHORT_TEXT_MAX = 120
"""Longest short free-text value (a segment)."""
LONG_TEXT_MAX = 4000
"""Longest free-text value (a reason, a note): a few paragraphs."""
EARLIEST_DATE = dt.date(2000, 1, 1)
"""Dates before this are taken for typing mistakes."""


def cleaned(cleaner: Callable[[str], str]) -> Callable[[Any], Any]:
    """Return a rule that cleans a text value before it is checked, leaving other values be."""

    def clean(value: Any) -> Any:
        return cleaner(value) if isinstance(value, str) else value

    return clean


def _too_long(value: str, maximum: int) -> PydanticCustomError:
    return PydanticCustomError(
        "too_long",
        "is too long: {length} characters (at most {maximum})",
        {"length": len(value), "maximum": maximum},
    )


def length_problem(value: str, maximum: int) -> str:
    """Say that a text is too long for a field of maximum characters, as the store does; ""."""
    return _too_long(value, maximum).message() if len(value) > maximum else ""


def length_within(minimum: int, maximum: int) -> Callable[[str], str]:
    """Return a rule that a text holds minimum..maximum characters (0: optional)."""

    def check(value: str) -> str:
        if len(value) < minimum:
            raise PydanticCustomError("required", "is required")
        if len(value) > maximum:
            raise _too_long(value, maximum)
        return value

    return check


NO_NAMES = "names no one: write the names between commas"
"""Said of a list of names typed as commas and spaces alone."""


def tidy_names(value: str) -> tuple[str, str]:
    """Return a list of names tidied ("Ann,, Bob " -> "Ann, Bob"), and its problem or "".

    Checked where people type names (who interviews, who agreed); a file's
    records are read as they are.
    """
    names = [name.strip() for name in value.split(",") if name.strip()]
    return ", ".join(names), NO_NAMES if value.strip() and not names else ""


def none_if_empty(value: str | None) -> str | None:
    """Return None for an empty text: an optional value left blank is not set."""
    return value or None


def not_too_early(value: dt.date) -> dt.date:
    """Check that a date is not so far back that it must be a typing mistake."""
    if value < EARLIEST_DATE:
        raise PydanticCustomError(
            "too_early", "{date} is too far in the past", {"date": value.isoformat()}
        )
    return value


def not_in_the_future(value: dt.date, today: dt.date) -> dt.date:
    """Check that a new contact point has happened; one day of slack for time zones."""
    # A teammate east of us may already be on tomorrow.
    if value > today + dt.timedelta(days=1):
        raise PydanticCustomError(
            "future",
            "{date} is in the future; log a contact point once it has happened",
            {"date": value.isoformat()},
        )
    return value


def needs_in_order(value: tuple[Need, ...]) -> tuple[Need, ...]:
    """Keep a partner's needs once each, in the order Need lists them.

    Stored this way, the same set of needs always writes the same bytes.
    """
    order = list(Need)
    return tuple(sorted(set(value), key=order.index))


def looks_like_iso_date(value: object) -> bool:
    """Whether value has the shape YYYY-MM-DD, whatever the numbers say."""
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def format_errors(errors: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Return (field, message) pairs for validation errors, in words for people.

    errors: what ``errors()`` of a pydantic or pydantic-core ValidationError gives.
    """
    problems: list[tuple[str, str]] = []
    for item in errors:
        field = ".".join(str(part) for part in item["loc"]) or "record"
        kind = item["type"]
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a field of this record"
        elif kind in ("model_type", "dict_type"):
            message = "must be a JSON object"
        elif kind in ("enum", "literal_error"):
            message = f"must be {item.get('ctx', {}).get('expected', 'one of the listed values')}"
        elif kind.startswith("date_") and looks_like_iso_date(item.get("input")):
            message = f"is not a real day: {item['input']}"
        elif kind.startswith("date_"):
            message = "must be a date written YYYY-MM-DD"
        elif kind in ("int_parsing", "int_from_float", "int_type"):
            message = "must be a whole number"  # not "a valid integer, unable to parse string"
        elif item["msg"].startswith("Input should "):
            # pydantic-core's own wording, put as the other messages are: "rev must be ..."
            message = "must " + item["msg"].removeprefix("Input should ")
        else:
            message = item["msg"]
        problems.append((field, message))
    return problems
