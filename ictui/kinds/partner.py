"""Partners: the internal customers and providers a team works with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from ictui.kinds import rules
from ictui.kinds.fields import Check, Label, LongText, Name, ShortText
from ictui.kinds.record import Record
from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship


@dataclass(frozen=True, slots=True, kw_only=True)
class Partner(Record):
    """An internal customer or provider: a person, team or department."""

    TABLE: ClassVar[str] = "partners"
    LABEL: ClassVar[str] = "partner"
    DELETED: ClassVar[str] = "archived"

    name: Annotated[Name, Label("Name")]
    relationship: Annotated[Relationship, Label("Relationship")] = Relationship.CUSTOMER
    kind: Annotated[PartnerKind, Label("Kind")] = PartnerKind.TEAM
    segment: Annotated[ShortText, Label("Segment")] = ""
    priority: Annotated[Priority, Label("Priority")] = Priority.MEDIUM
    # Kept once each, in Need's order: the same set of needs always writes the same bytes.
    needs: Annotated[tuple[Need, ...], Check(rules.needs_in_order), Label("Needs")] = ()
    notes: Annotated[LongText, Label("Notes")] = ""
