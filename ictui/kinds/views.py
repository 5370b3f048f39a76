"""Stored records as screens and listings read them: checked by ``ictui.kinds.stored``, then frozen.

The models of ``ictui.kinds.models`` decide what may be written. Reading for display
needs only what they would hold, and importing pydantic's model machinery takes
about a third of the app's time to its first frame. So what is read is checked
by the quick validator (pydantic-core alone, held to the models' verdicts and
values by ``tests/test_stored.py`` and ``tests/test_views.py``) and kept in
these plain records, which have the models' attribute names. The models load
once the first frame is up, for the forms and the writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self

from pydantic_core import ValidationError

from ictui.errors import InvalidInput
from ictui.kinds.rules import format_errors
from ictui.kinds.stored import StoredRecords
from ictui.kinds.vocab import Direction, Need, PartnerKind, Priority, Relationship, Verdict

_CHECK = StoredRecords()
"""The one quick validator of this process; it builds each table's check on first use."""


class Someone(Protocol):
    """Who did something, as any record or the store holds it: an account and maybe a name."""

    @property
    def account(self) -> str:
        """The OS account."""
        ...

    @property
    def name(self) -> str | None:
        """The display name, if one was set."""
        ...


class Dumpable(Protocol):
    """A stored record of the models, which can say what the team file holds for it."""

    @property
    def id(self) -> int:
        """The record's id."""
        ...

    def model_dump(self, *, mode: str) -> dict[str, Any]:
        """The record as stored."""
        ...


@dataclass(frozen=True, slots=True)
class AuthorView:
    """Who did something: the OS account, always, and a display name when one was set."""

    account: str
    name: str | None = None

    @classmethod
    def checked(cls, account: str, name: str | None) -> AuthorView:
        """Return this author if the Author model would take it; InvalidInput if not."""
        try:
            values = _CHECK.validate_author({"account": account, "name": name})
        except ValidationError as error:
            problems = format_errors(error.errors(include_url=False))
            raise InvalidInput("display name", problems) from None
        return cls(**values)

    @property
    def display(self) -> str:
        """Return the name to show: the display name, else the account."""
        return self.name or self.account


def _authored(values: dict[str, Any]) -> dict[str, Any]:
    values["created_by"] = AuthorView(**values["created_by"])
    values["updated_by"] = AuthorView(**values["updated_by"])
    return values


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordView:
    """The id, revision and authorship the store keeps on every record."""

    table: ClassVar[str]
    """The TinyDB table that holds records of this kind."""

    id: int
    rev: int
    created_by: AuthorView
    created_at: dt.datetime
    updated_by: AuthorView
    updated_at: dt.datetime
    deleted: bool

    @classmethod
    def read(cls, key: str, doc: dict[str, Any]) -> Self:
        """Return the record stored under key; pydantic_core.ValidationError if not valid."""
        return cls(**_authored(_CHECK.validate(cls.table, key, doc)))

    @classmethod
    def of(cls, record: Dumpable) -> Self:
        """Return a record of the models, as read back from the team file."""
        return cls.read(str(record.id), record.model_dump(mode="json"))


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerView(RecordView):
    """An internal customer or provider, as stored."""

    table: ClassVar[str] = "partners"

    # No defaults here: a view is made from a checked record, which has every field.
    name: str
    relationship: Relationship
    kind: PartnerKind
    segment: str
    priority: Priority
    needs: tuple[Need, ...]
    notes: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPointView(RecordView):
    """One critical moment with a partner and whether it went well, as stored."""

    table: ClassVar[str] = "contact_points"

    partner_id: int
    date: dt.date
    direction: Direction
    verdict: Verdict
    why: str
