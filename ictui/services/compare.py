"""Two versions of one record side by side, for the person who must choose between them.

Used when a save meets someone else's newer change: keeping yours applies only
the fields you changed, over their version, so what they changed and you did
not is kept either way. Works on drafts: a record's fields as a person edits
them, keyed by field name (a reference by the name of what it points at).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
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


_ZWJ = "\u200d"


def _joins(text: str, at: int) -> bool:
    """Return whether the character at `at` is drawn as one with the one before it.

    Accents, variation selectors, skin tones and tags extend the character
    before; a zero-width joiner binds the next one (👩‍👧); regional indicators
    pair up into flags.
    """
    if at <= 0 or at >= len(text):
        return False
    char, before = text[at], text[at - 1]
    if unicodedata.category(char) in ("Mn", "Me", "Mc") or char == _ZWJ or before == _ZWJ:
        return True
    point = ord(char)
    if 0xFE00 <= point <= 0xFE0F or 0x1F3FB <= point <= 0x1F3FF or 0xE0020 <= point <= 0xE007F:
        return True
    if _regional(char) and _regional(before):
        indicators = 0  # the second of each pair joins the first
        while at - indicators - 1 >= 0 and _regional(text[at - indicators - 1]):
            indicators += 1
        return indicators % 2 == 1
    return False


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def character_start(text: str, at: int) -> int:
    """Return `at`, moved back to the start of the character (as people see one) it is in."""
    while _joins(text, at):
        at -= 1
    return at


def first_difference(yours: str, theirs: str) -> int:
    """Return where two texts first differ, at the start of a character as people see one.

    A change of accent or skin tone changes the whole character, so the
    difference starts where that character does. Equal texts differ at their end.
    """
    at = 0
    for mine, other in zip(yours, theirs, strict=False):
        if mine != other:
            break
        at += 1
    # What follows in either may extend the last shared character (e then e + accent).
    return min(character_start(yours, at), character_start(theirs, at))


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
    state: str = STATE,
    gone: str = "deleted",
) -> list[FieldChange]:
    """Return each field (labels: name -> label, in order) as keeping your changes would leave it.

    A delete on either side matters more than any field: then the state comes
    first, where a long text cannot push it out of sight. state: that row's
    label; gone: the kind's word for deleted ("archived", for a partner).
    """
    kept = {**theirs, **changes}
    rows = [
        FieldChange(label, words(kept[name]), words(theirs[name])) for name, label in labels.items()
    ]
    said = {True: f"no, {gone}", False: "yes"}
    rows.append(
        FieldChange(state, said[deleting or (their_deleted and not changes)], said[their_deleted])
    )
    return sorted(rows, key=lambda row: not (row.label == state and row.differs))
