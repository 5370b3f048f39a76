"""Two versions of one record side by side, for the person who must choose between them.

Used when a save meets someone else's newer change: keeping yours applies only
the fields you changed, over their version, so what they changed and you did
not is kept either way. Works on drafts: a record's fields as a person edits
them, keyed by field name (a reference by the name of what it points at).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

STATE = "In the log"
"""The row that says whether the record stays or is deleted."""


@dataclass(frozen=True)
class FieldChange:
    """One field: as keeping your change would leave it, and as it is now."""

    label: str
    yours: str
    theirs: str

    @property
    def differs(self) -> bool:
        """Return whether keeping your change would change this field."""
        return self.yours != self.theirs


def words(value: Any) -> str:
    """Return a field's value as people read it: a verdict's mark and words, a day as ISO."""
    if isinstance(value, Enum):
        label = getattr(value, "label", str(value.value))
        symbol = getattr(value, "symbol", "")
        return f"{symbol} {label}" if symbol else label
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(words(item) for item in value)
    return "" if value is None else str(value)


def changes_between(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    same: Callable[[str, Any, Any], bool] | None = None,
) -> dict[str, Any]:
    """Return the fields a person changed from before to after, with their new values.

    same: says whether two values of a field are the same to people (a name in
    another case, say); by default, values are the same when they read the same.
    """
    changed = {}
    for name, new in after.items():
        old = before.get(name)
        alike = same(name, old, new) if same else str(old) == str(new)
        if not alike:
            changed[name] = new
    return changed


def compare(
    labels: Mapping[str, str],
    theirs: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    their_deleted: bool,
    deleting: bool = False,
) -> list[FieldChange]:
    """Return each field (labels: name -> label, in order) as keeping your changes would leave it.

    A delete on either side matters more than any field: then the state comes
    first, where a long text cannot push it out of sight.
    """
    kept = {**theirs, **changes}
    rows = [
        FieldChange(label, words(kept[name]), words(theirs[name])) for name, label in labels.items()
    ]
    state = {True: "no, deleted", False: "yes"}
    rows.append(
        FieldChange(STATE, state[deleting or (their_deleted and not changes)], state[their_deleted])
    )
    return sorted(rows, key=lambda row: not (row.label == STATE and row.differs))
