"""What every record carries: its id, revision and authorship, and who an author is.

A record kind is a frozen dataclass that subclasses Record and declares its own
fields once, each ``Annotated`` with the markers of ``ictui.kinds.fields``::

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Partner(Record):
        TABLE: ClassVar[str] = "partners"
        LABEL: ClassVar[str] = "partner"
        name: Annotated[Name, Label("Name")]

The same class is what screens, listings and exports read; the validators
that check stored records and people's input are built from it by
``ictui.kinds.schema``. Records are made by reading the team file, never by
hand: a record's values are only as good as the check that made them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, TypeVar

from ictui.kinds.fields import AccountName, DisplayName, Whole

RecordRule = Callable[[Mapping[str, Any]], Iterable[tuple[str, str]]]
"""A rule over a whole record a person entered: returns (field, problem) pairs, none if fine."""


@dataclass(frozen=True, slots=True)
class Author:
    """Who did something: the OS account, always, and a display name when one was set."""

    account: AccountName
    name: DisplayName = None

    @property
    def display(self) -> str:
        """Return the name to show: the display name, else the account."""
        return self.name or self.account


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """The id, revision and authorship that the store keeps on every record of every kind."""

    TABLE: ClassVar[str]
    """The team file's table of this kind: its name in the file, never changed once released."""
    LABEL: ClassVar[str]
    """The kind's name in messages, in the singular: "contact point"."""
    PLURAL: ClassVar[str] = ""
    """The kind's name for many records; LABEL + "s" when left empty."""
    SINCE: ClassVar[int] = 1
    """The schema version of the team file that added this kind."""
    RULES: ClassVar[tuple[RecordRule, ...]] = ()
    """Rules over several fields at once, run on what people enter once each field is valid."""
    NEWEST_FIRST_BY: ClassVar[str | None] = None
    """A date field that listings and exports put newest first by; None: in the order made."""
    ONE_LIVE_PER: ClassVar[str | None] = None
    """A reference field no two live records share (one debrief per interview); None: any."""
    DELETED: ClassVar[str] = "deleted"
    """What a deleted record of this kind is called: "archived", for a partner."""

    id: Annotated[int, Whole(minimum=1)]
    rev: Annotated[int, Whole(minimum=1)]
    created_by: Author
    created_at: dt.datetime
    updated_by: Author
    updated_at: dt.datetime
    deleted: bool = False

    @classmethod
    def plural(cls) -> str:
        """Return the kind's name for many records."""
        return cls.PLURAL or f"{cls.LABEL}s"

    @classmethod
    def kind_name(cls) -> str:
        """Return the kind's name on the command line: "contact-point"."""
        return cls.LABEL.replace(" ", "-")


R = TypeVar("R", bound=Record)
"""Any record kind, where a function hands back the kind it was given."""
