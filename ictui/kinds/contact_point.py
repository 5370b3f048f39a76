"""Contact points: the critical moments with a partner, and whether each went well."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from ictui.kinds import rules
from ictui.kinds.fields import Day, InputCheck, Label, Reason, Refers, Since
from ictui.kinds.record import Record
from ictui.kinds.vocab import Direction, Verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPoint(Record):
    """One critical moment with a partner, and whether it went well."""

    TABLE: ClassVar[str] = "contact_points"
    LABEL: ClassVar[str] = "contact point"
    NEWEST_FIRST_BY: ClassVar[str | None] = "date"

    partner_id: Annotated[int, Refers("partners"), Label("Partner")]
    date: Annotated[Day, InputCheck(rules.not_in_the_future), Label("Date")]
    direction: Annotated[Direction, Label("Direction")]
    verdict: Annotated[Verdict, Label("Verdict")]
    why: Annotated[Reason, Label("Why")]
    standard_id: Annotated[
        int | None, Refers("standards"), Label("Evidence for standard"), Since(5)
    ] = None
