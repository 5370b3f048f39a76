"""The markers a record kind puts on its fields, and the field types every kind shares.

A kind is a frozen dataclass (see ``ictui.kinds.record``) whose fields are
``Annotated`` with these markers: a text field says how it is cleaned and how
long it may be, a number its bounds, a reference which table it points into,
and any field its label and its own rules. ``ictui.kinds.schema`` reads them
and builds the validators; nothing else restates them.

The markers are NamedTuples rather than dataclasses: they are made at import,
before the first frame, and a NamedTuple costs a fifth of a dataclass to define.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from ictui.kinds import rules
from ictui.kinds.rules import ACCOUNT_MAX, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX


class Text(NamedTuple):
    """A text field: control sequences removed, trimmed, and minimum..maximum characters long.

    minimum 0 makes the field optional (empty is allowed); multiline keeps line
    breaks, where a one-line value has its spaces collapsed.
    """

    minimum: int
    maximum: int
    multiline: bool = False


class Whole(NamedTuple):
    """A whole number within bounds (None: no bound on that side)."""

    minimum: int | None = None
    maximum: int | None = None


class Refers(NamedTuple):
    """The id of a record in another table, which must exist and not be deleted when written."""

    table: str


class Label(NamedTuple):
    """How the field is named to people: in forms, exports and the conflict dialog."""

    text: str


class Check(NamedTuple):
    """A rule of the field's own, run on every value once its type is right.

    The rule returns the value (it may tidy it) or raises PydanticCustomError.
    """

    rule: Callable[[Any], Any]


class InputCheck(NamedTuple):
    """A rule about the clock, run only on what a person enters, given today's date.

    Stored records skip it, so a record written in one time zone stays readable
    in another.
    """

    rule: Callable[[Any, dt.date], Any]


class Since(NamedTuple):
    """The schema version of the team file that added this field (1 unless later).

    A field added after the first version needs a default: the migration to
    its version gives every existing record that default.
    """

    version: int


Name = Annotated[str, Text(1, NAME_MAX)]
"""A required one-line name, such as a partner's."""
ShortText = Annotated[str, Text(0, SHORT_TEXT_MAX)]
"""An optional one-line value, such as a segment."""
LongText = Annotated[str, Text(0, LONG_TEXT_MAX, multiline=True)]
"""Optional free text over several lines, such as notes."""
Reason = Annotated[str, Text(1, LONG_TEXT_MAX, multiline=True)]
"""Required free text over several lines, such as the why of a contact point."""
AccountName = Annotated[str, Text(1, ACCOUNT_MAX)]
"""The OS account someone works under."""
DisplayName = Annotated[str | None, Text(0, NAME_MAX), Check(rules.none_if_empty)]
"""A name to show instead of the account, if one was set; empty means none."""
Day = Annotated[dt.date, Check(rules.not_too_early)]
"""A calendar day that is not so far back that it must be a typing mistake."""
