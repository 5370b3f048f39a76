"""What a valid record is: partners, contact points, and the fields every record carries.

Each record kind has two models. The *fields* model (``PartnerFields``) is what a
person fills in; the *record* model (``Partner``) adds the id, revision and
authorship that the store keeps. Validation messages are written for people:
``format_errors`` turns a ``ValidationError`` into "field: what is wrong" lines.

Rules that depend on the clock (a contact point may not be in the future) apply
only to new input: pass ``context=input_context(today)`` when validating what a
person typed, and nothing when reading the team file, so that a record written
in one time zone stays readable in another.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, TypeVar

# ictui uses no pydantic plugins; looking for them scans every installed
# package at the first validation. An explicit setting still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ictui.errors import InvalidInput
from ictui.text import clean_multiline, clean_single_line

# -- limits -----------------------------------------------------------------

NAME_MAX = 80
"""Longest partner or display name, in characters."""
SHORT_TEXT_MAX = 120
"""Longest short free-text value (a segment)."""
LONG_TEXT_MAX = 4000
"""Longest free-text value (a reason, a note): a few paragraphs."""
EARLIEST_DATE = dt.date(2000, 1, 1)
"""Dates before this are taken for typing mistakes."""


def input_context(today: dt.date) -> dict[str, Any]:
    """Return the validation context for new input, which enables the clock rules."""
    return {"today": today}


# -- text types ---------------------------------------------------------------


def _clean(cleaner: Any) -> Any:
    def check(value: Any) -> Any:
        return cleaner(value) if isinstance(value, str) else value

    return BeforeValidator(check)


def _length(minimum: int, maximum: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) < minimum:
            raise PydanticCustomError("required", "is required")
        if len(value) > maximum:
            raise PydanticCustomError(
                "too_long",
                "is too long: {length} characters (at most {maximum})",
                {"length": len(value), "maximum": maximum},
            )
        return value

    return AfterValidator(check)


Name = Annotated[str, _clean(clean_single_line), _length(1, NAME_MAX)]
"""A required one-line name, such as a partner's."""
ShortText = Annotated[str, _clean(clean_single_line), _length(0, SHORT_TEXT_MAX)]
"""An optional one-line value, such as a segment."""
LongText = Annotated[str, _clean(clean_multiline), _length(0, LONG_TEXT_MAX)]
"""Optional free text over several lines, such as notes."""
Reason = Annotated[str, _clean(clean_multiline), _length(1, LONG_TEXT_MAX)]
"""Required free text over several lines, such as the why of a contact point."""


# -- vocabularies ---------------------------------------------------------------


class Verdict(StrEnum):
    """How a contact point went."""

    SUCCESS = "success"
    NEEDS_IMPROVEMENT = "needs-improvement"

    @property
    def label(self) -> str:
        """Return the verdict as words, readable without colour."""
        return "success" if self is Verdict.SUCCESS else "needs improvement"

    @property
    def symbol(self) -> str:
        """Return a mark that tells the verdicts apart without colour."""
        return "✓" if self is Verdict.SUCCESS else "✗"

    def toggled(self) -> Verdict:
        """Return the other verdict."""
        return Verdict.NEEDS_IMPROVEMENT if self is Verdict.SUCCESS else Verdict.SUCCESS


class Direction(StrEnum):
    """Which way the service went in a contact point."""

    PROVIDED = "provided"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        """Return the direction as words."""
        return "we served them" if self is Direction.PROVIDED else "they served us"


class Relationship(StrEnum):
    """Which way a partner's relationship with the team runs."""

    CUSTOMER = "customer"
    PROVIDER = "provider"
    BOTH = "both"

    @property
    def label(self) -> str:
        """Return the relationship as words."""
        return {
            Relationship.CUSTOMER: "we serve them",
            Relationship.PROVIDER: "they serve us",
            Relationship.BOTH: "both ways",
        }[self]

    @classmethod
    def for_direction(cls, direction: Direction) -> Relationship:
        """Return the relationship implied by a first contact point in this direction."""
        return cls.CUSTOMER if direction is Direction.PROVIDED else cls.PROVIDER


class PartnerKind(StrEnum):
    """What sort of partner this is."""

    PERSON = "person"
    TEAM = "team"
    DEPARTMENT = "department"


class Priority(StrEnum):
    """How much the relationship matters to the team now."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Need(StrEnum):
    """What a segment of internal customers needs from the team."""

    INFORMATION = "information"
    ADVICE = "advice"
    SPEED = "speed"
    RELIABILITY = "reliability"
    QUALITY = "quality"
    AVAILABILITY = "availability"


# Every model builds its validator on first use, not at import: a command
# pays only for the kinds it touches, which keeps `ictui check` quick to start.

# -- authorship and record metadata -------------------------------------------------


class Author(BaseModel):
    """Who did something: the OS account, always, and a display name when one was set."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    account: Annotated[str, _clean(clean_single_line), _length(1, 64)]
    name: Annotated[str | None, _clean(clean_single_line)] = None

    @field_validator("name")
    @classmethod
    def _empty_name_is_none(cls, value: str | None) -> str | None:
        if value is not None and len(value) > NAME_MAX:
            raise PydanticCustomError(
                "too_long",
                "is too long: {length} characters (at most {maximum})",
                {"length": len(value), "maximum": NAME_MAX},
            )
        return value or None

    @property
    def display(self) -> str:
        """Return the name to show: the display name, else the account."""
        return self.name or self.account


class RecordMeta(BaseModel):
    """The id, revision and authorship that the store keeps on every record."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    id: int = Field(ge=1)
    rev: int = Field(ge=1)
    created_by: Author
    created_at: AwareDatetime
    updated_by: Author
    updated_at: AwareDatetime
    deleted: bool = False


class Fields(BaseModel):
    """Base of the models for what a person fills in; names its table in the team file."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    table: ClassVar[str]
    """The TinyDB table that holds records of this kind."""
    label: ClassVar[str]
    """The kind's name in messages: "partner", "contact point"."""
    references: ClassVar[dict[str, type[Fields]]] = {}
    """Fields that hold the id of a record of another kind, which must exist."""


# -- partners ---------------------------------------------------------------------------


class PartnerFields(Fields):
    """An internal customer or provider: a person, team or department."""

    table: ClassVar[str] = "partners"
    label: ClassVar[str] = "partner"

    name: Name
    relationship: Relationship = Relationship.CUSTOMER
    kind: PartnerKind = PartnerKind.TEAM
    segment: ShortText = ""
    priority: Priority = Priority.MEDIUM
    needs: tuple[Need, ...] = ()
    notes: LongText = ""

    @field_validator("needs")
    @classmethod
    def _needs_in_order(cls, value: tuple[Need, ...]) -> tuple[Need, ...]:
        # Stored sorted and once each, so the same set always writes the same bytes.
        order = list(Need)
        return tuple(sorted(set(value), key=order.index))


class Partner(RecordMeta, PartnerFields):
    """A partner as stored."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    fields_model: ClassVar[type[Fields]] = PartnerFields


# -- contact points ------------------------------------------------------------------------


class ContactPointFields(Fields):
    """One critical moment with a partner, and whether it went well."""

    table: ClassVar[str] = "contact_points"
    label: ClassVar[str] = "contact point"
    references: ClassVar[dict[str, type[Fields]]] = {"partner_id": PartnerFields}

    partner_id: int = Field(ge=1)
    date: dt.date
    direction: Direction
    verdict: Verdict
    why: Reason

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        if value < EARLIEST_DATE:
            raise PydanticCustomError(
                "too_early", "{date} is too far in the past", {"date": value.isoformat()}
            )
        today = (info.context or {}).get("today")
        # One day of slack: a teammate east of us may already be on tomorrow.
        if today is not None and value > today + dt.timedelta(days=1):
            raise PydanticCustomError(
                "future",
                "{date} is in the future; log a contact point once it has happened",
                {"date": value.isoformat()},
            )
        return value


class ContactPoint(RecordMeta, ContactPointFields):
    """A contact point as stored."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    fields_model: ClassVar[type[Fields]] = ContactPointFields


# -- registry ----------------------------------------------------------------------------------

Record = Partner | ContactPoint
"""Any stored record."""

RECORD_TYPES: dict[str, type[Record]] = {
    "partners": Partner,
    "contact_points": ContactPoint,
}
"""The record model for each table the store knows."""


def fields_of(record: Record) -> dict[str, Any]:
    """Return the user-editable fields of a record as a plain dict."""
    return {name: getattr(record, name) for name in record.fields_model.model_fields}


# -- input -----------------------------------------------------------------------------

F = TypeVar("F", bound=Fields)


def parse_fields(fields_type: type[F], values: dict[str, Any], today: dt.date | None) -> F:
    """Validate what a person entered; raise InvalidInput saying which field and why.

    today: enables the rules about the clock; None when re-reading stored values.
    """
    try:
        context = input_context(today) if today is not None else None
        return fields_type.model_validate(values, context=context)
    except ValidationError as error:
        raise InvalidInput(fields_type.label, format_errors(error)) from None


# -- messages ------------------------------------------------------------------------------


def looks_like_iso_date(value: object) -> bool:
    """Whether value has the shape YYYY-MM-DD, whatever the numbers say."""
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def format_errors(error: ValidationError) -> list[tuple[str, str]]:
    """Return (field, message) pairs for a validation error, in words for people."""
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "record"
        kind = item["type"]
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a field of this record"
        elif kind in ("enum", "literal_error"):
            message = f"must be {item.get('ctx', {}).get('expected', 'one of the listed values')}"
        elif kind.startswith("date_") and looks_like_iso_date(item.get("input")):
            message = f"is not a real day: {item['input']}"
        elif kind.startswith("date_"):
            message = "must be a date written YYYY-MM-DD"
        else:
            message = item["msg"]
        problems.append((field, message))
    return problems
