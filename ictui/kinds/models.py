"""What a valid record is: partners, contact points, and the fields every record carries.

Each record kind has two models. The *fields* model (``PartnerFields``) is what a
person fills in; the *record* model (``Partner``) adds the id, revision and
authorship that the store keeps. The rules each value follows are in
``ictui.kinds.rules``, shared with ``ictui.kinds.stored``, the quick validator behind
``ictui check``. Validation messages are written for people: ``format_errors``
turns a ``ValidationError`` into "field: what is wrong" lines.

Rules that depend on the clock (a contact point may not be in the future) apply
only to new input: pass ``context=input_context(today)`` when validating what a
person typed, and nothing when reading the team file, so that a record written
in one time zone stays readable in another.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Self, TypeVar

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

from ictui.errors import InvalidInput
from ictui.kinds import rules
from ictui.kinds.rules import ACCOUNT_MAX, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX
from ictui.kinds.vocab import Direction, Need, PartnerKind, Priority, Relationship, Verdict
from ictui.text import clean_multiline, clean_single_line


def input_context(today: dt.date) -> dict[str, Any]:
    """Return the validation context for new input, which enables the clock rules."""
    return {"today": today}


# -- text types: the rules of ictui.kinds.rules, as pydantic annotations -------------------------


def _cleaned(cleaner: Callable[[str], str]) -> BeforeValidator:
    return BeforeValidator(rules.cleaned(cleaner))


def _within(minimum: int, maximum: int) -> AfterValidator:
    return AfterValidator(rules.length_within(minimum, maximum))


Name = Annotated[str, _cleaned(clean_single_line), _within(1, NAME_MAX)]
"""A required one-line name, such as a partner's."""
ShortText = Annotated[str, _cleaned(clean_single_line), _within(0, SHORT_TEXT_MAX)]
"""An optional one-line value, such as a segment."""
LongText = Annotated[str, _cleaned(clean_multiline), _within(0, LONG_TEXT_MAX)]
"""Optional free text over several lines, such as notes."""
Reason = Annotated[str, _cleaned(clean_multiline), _within(1, LONG_TEXT_MAX)]
"""Required free text over several lines, such as the why of a contact point."""
AccountName = Annotated[str, _cleaned(clean_single_line), _within(1, ACCOUNT_MAX)]
"""The OS account someone works under."""
DisplayName = Annotated[
    str | None, _cleaned(clean_single_line), AfterValidator(rules.optional_name)
]
"""A name to show instead of the account, if one was set; empty means none."""


# Every model builds its validator on first use, not at import: a command
# pays only for the kinds it touches, which keeps `ictui check` quick to start.

# -- authorship and record metadata -------------------------------------------------


class Author(BaseModel):
    """Who did something: the OS account, always, and a display name when one was set."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    account: AccountName
    name: DisplayName = None

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

    @classmethod
    def read(cls, key: str, doc: dict[str, Any]) -> Self:
        """Return the record stored under key in its table; ValidationError if not valid."""
        return cls.model_validate({**doc, "id": int(key)})


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
        return rules.needs_in_order(value)


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
        rules.not_too_early(value)
        today = (info.context or {}).get("today")
        return value if today is None else rules.not_in_the_future(value, today)


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


def prepare() -> None:
    """Build every model's validator now, so that the first form or write need not wait."""
    for model in (*RECORD_TYPES.values(), PartnerFields, ContactPointFields):
        model.model_rebuild(force=True)


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


def format_errors(error: ValidationError) -> list[tuple[str, str]]:
    """Return (field, message) pairs for a validation error, in words for people."""
    return rules.format_errors(error.errors(include_url=False))
