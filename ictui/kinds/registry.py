"""Every kind of record ictui keeps, in one list: the team file's tables come from here.

Adding a kind is a class in a module of its own and one line below (see
docs/adding-a-record-kind.md). The team file's tables, its schema version and
migrations, `ictui check`, the exports, the reference checks and the tests'
parameters all read this list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefReaction, DebriefResolution
from ictui.kinds.interview import ChecklistTick, Conclusion, Interview, InterviewAnswer
from ictui.kinds.interview_template import TemplatePoint, TemplateQuestion
from ictui.kinds.partner import Partner
from ictui.kinds.record import Record
from ictui.kinds.schema import RECORD_SPECS, FieldSpec, nested_specs, schema_of
from ictui.kinds.standard import CheckIn, Standard

KINDS: list[type[Record]] = [
    Partner,
    Interview,
    InterviewAnswer,
    ChecklistTick,
    Conclusion,
    TemplateQuestion,
    TemplatePoint,
    Standard,
    CheckIn,
    ContactPoint,  # after Standard: a contact point can be evidence for one
    Debrief,  # after Interview, and Standard: an issue can name one
    DebriefPoint,
    DebriefResolution,
    DebriefReaction,
]
"""The record kinds, each with its own table; a kind comes after the kinds it refers to."""


def tables() -> tuple[str, ...]:
    """Return the team file's tables of records, in the registry's order."""
    return tuple(kind.TABLE for kind in KINDS)


def kind_for(table: str) -> type[Record]:
    """Return the kind whose records a table holds; KeyError if no kind has that table."""
    for kind in KINDS:
        if table == kind.TABLE:
            return kind
    raise KeyError(table)


def kind_named(name: str) -> type[Record]:
    """Return the kind called name on the command line ("contact-point"); KeyError if none."""
    for kind in KINDS:
        if name in (kind.kind_name(), kind.TABLE):
            return kind
    raise KeyError(name)


def labelled(error: InvalidInput) -> str:
    """Say a refusal naming each field as people see it ("Why retired", not retired_reason)."""
    kind = next((k for k in KINDS if error.label == k.LABEL), None)
    labels = {spec.name: spec.label for spec in schema_of(kind).fields} if kind else {}
    said = "; ".join(f"{labels.get(name, name)} {message}" for name, message in error.problems)
    return f"invalid {error.label}: {said}"


def every_field(kind: type[Record]) -> Iterator[FieldSpec]:
    """Yield every field a kind's records hold: its own, the store's, and those nested in them."""
    to_visit = [*schema_of(kind).fields, *RECORD_SPECS]
    while to_visit:
        spec = to_visit.pop(0)
        yield spec
        to_visit += nested_specs(spec)


HISTORY_SINCE = 2
"""The schema version that gave every record its history: its earlier versions, kept on it.

The history is the store's, one mechanism for every kind (``ictui.teamfile.history``),
and no field of any kind: a record is read, and checked, without it. It counts
for the schema version all the same, so that an ictui from before it refuses a
file that has it, rather than rewriting the file without it.
"""


def schema_version() -> int:
    """Return the schema version: the newest that added a kind, a field or the history."""
    return _newest_version(tuple(KINDS))


@cache  # every read and write asks; walking every field of every kind takes milliseconds
def _newest_version(kinds: tuple[type[Record], ...]) -> int:
    newest = max(max((kind.SINCE, *(s.since for s in every_field(kind)))) for kind in kinds)
    return max(newest, HISTORY_SINCE)


@contextmanager
def registered(*kinds: type[Any]) -> Iterator[None]:
    """Add kinds to the registry for the length of a block: for tests and tools."""
    KINDS.extend(kinds)
    try:
        yield
    finally:
        for kind in kinds:
            KINDS.remove(kind)
