"""Checking stored records with pydantic-core alone: the quick validator of `ictui check`.

`ictui check` runs from scripts and hooks, so it should start in a fraction of
the time an import of Textual takes; importing pydantic's model machinery alone
takes about half of it. This module states, in pydantic-core's schema, what the
stored models of ``ictui.kinds.models`` accept: the same fields, in the same order,
with the same rules from ``ictui.kinds.rules`` and the same words from ``ictui.kinds.vocab``.
``tests/test_stored.py`` holds the two to the same verdicts and messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic_core import CoreSchema, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from ictui.kinds import rules
from ictui.kinds.vocab import Direction, Need, PartnerKind, Priority, Relationship, Verdict
from ictui.text import clean_multiline, clean_single_line


@dataclass(frozen=True)
class RecordProblem:
    """A record in the team file that is not valid, found while reading it."""

    table: str
    record_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} {self.record_id}: {self.message}"


def dangling_partners(
    points: Iterable[tuple[int, int]], partner_ids: set[int]
) -> list[RecordProblem]:
    """Return a problem for each (contact point id, partner id) naming no stored partner."""
    return [
        RecordProblem(
            "contact_points",
            str(point_id),
            f"partner_id names partner {partner_id}, which does not exist",
        )
        for point_id, partner_id in points
        if partner_id not in partner_ids
    ]


def _text(cleaner: Callable[[str], str], minimum: int, maximum: int) -> CoreSchema:
    checked = cs.no_info_before_validator_function(rules.cleaned(cleaner), cs.str_schema())
    return cs.no_info_after_validator_function(rules.length_within(minimum, maximum), checked)


def _words(vocabulary: type[StrEnum]) -> CoreSchema:
    return cs.enum_schema(vocabulary, list(vocabulary.__members__.values()), sub_type="str")


def _field(schema: CoreSchema, *default: Any) -> cs.TypedDictField:
    if default:
        return cs.typed_dict_field(cs.with_default_schema(schema, default=default[0]))
    return cs.typed_dict_field(schema)


def _author() -> CoreSchema:
    return cs.typed_dict_schema(
        {
            "account": _field(_text(clean_single_line, 1, rules.ACCOUNT_MAX)),
            "name": _field(
                cs.no_info_after_validator_function(
                    rules.optional_name,
                    cs.no_info_before_validator_function(
                        rules.cleaned(clean_single_line), cs.nullable_schema(cs.str_schema())
                    ),
                ),
                None,
            ),
        },
        extra_behavior="ignore",
    )


def _record(fields: dict[str, cs.TypedDictField]) -> CoreSchema:
    """A stored record: its own fields first, then what the store keeps on every record."""
    author = _author()
    moment = cs.datetime_schema(tz_constraint="aware")
    return cs.typed_dict_schema(
        {
            **fields,
            "id": _field(cs.int_schema(ge=1)),
            "rev": _field(cs.int_schema(ge=1)),
            "created_by": _field(author),
            "created_at": _field(moment),
            "updated_by": _field(author),
            "updated_at": _field(moment),
            "deleted": _field(cs.bool_schema(), False),
        },
        extra_behavior="ignore",
    )


def _partner() -> CoreSchema:
    return _record(
        {
            "name": _field(_text(clean_single_line, 1, rules.NAME_MAX)),
            "relationship": _field(_words(Relationship), Relationship.CUSTOMER),
            "kind": _field(_words(PartnerKind), PartnerKind.TEAM),
            "segment": _field(_text(clean_single_line, 0, rules.SHORT_TEXT_MAX), ""),
            "priority": _field(_words(Priority), Priority.MEDIUM),
            "needs": _field(
                cs.no_info_after_validator_function(
                    rules.needs_in_order,
                    cs.tuple_schema([_words(Need)], variadic_item_index=0),
                ),
                (),
            ),
            "notes": _field(_text(clean_multiline, 0, rules.LONG_TEXT_MAX), ""),
        }
    )


def _contact_point() -> CoreSchema:
    return _record(
        {
            "partner_id": _field(cs.int_schema(ge=1)),
            "date": _field(
                cs.no_info_after_validator_function(rules.not_too_early, cs.date_schema())
            ),
            "direction": _field(_words(Direction)),
            "verdict": _field(_words(Verdict)),
            "why": _field(_text(clean_multiline, 1, rules.LONG_TEXT_MAX)),
        }
    )


SCHEMAS: dict[str, Callable[[], CoreSchema]] = {
    "partners": _partner,
    "contact_points": _contact_point,
}
"""For each table of records, how to build its stored records' schema."""


class StoredRecords:
    """Checks the records of a team file as the store's models would, one table at a time."""

    def __init__(self) -> None:
        self._validators: dict[str, SchemaValidator] = {}

    def _validator(self, name: str, schema: Callable[[], CoreSchema]) -> SchemaValidator:
        validator = self._validators.get(name)
        if validator is None:  # built on first use: a kind never asked for costs nothing
            validator = self._validators[name] = SchemaValidator(schema())
        return validator

    def validate(self, table: str, record_id: str, doc: dict[str, Any]) -> dict[str, Any]:
        """Return the record as its model would hold it; raise ValidationError if not valid."""
        validator = self._validator(table, SCHEMAS[table])
        record: dict[str, Any] = validator.validate_python({**doc, "id": int(record_id)})
        return record

    def validate_author(self, values: dict[str, Any]) -> dict[str, Any]:
        """Return an author as the Author model would hold it; ValidationError if not valid."""
        author: dict[str, Any] = self._validator("author", _author).validate_python(values)
        return author

    @staticmethod
    def problem_of(table: str, record_id: str, error: ValidationError) -> RecordProblem:
        """Return a stored record's validation error as a problem, in words for people."""
        pairs = rules.format_errors(error.errors(include_url=False))
        return RecordProblem(table, record_id, "; ".join(f"{f} {m}" for f, m in pairs))
