"""Which records name a record, read from the team file as held."""

from __future__ import annotations

from ictui.kinds import registry
from ictui.kinds.record import Record
from ictui.kinds.schema import schema_of
from ictui.teamfile import compact
from ictui.teamfile.compact import Held


def named_elsewhere(
    held: Held, kind: type[Record], record_id: int, but: Record | None = None
) -> bool:
    """Whether any record other than but names this one, deleted records included."""
    for other in registry.KINDS:
        fields = [f for f, table in schema_of(other).references.items() if table == kind.TABLE]
        if not fields:
            continue
        for key, stored in held.get(other.TABLE, {}).items():
            if but is not None and other is type(but) and key == str(but.id):
                continue
            doc = compact.record(stored)
            if any(doc.get(field) == record_id for field in fields):
                return True
    return False
