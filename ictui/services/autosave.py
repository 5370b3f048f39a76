"""One text field of a record that saves itself, merged field by field with other people's edits.

Interviews and debriefs are made of paragraphs typed while talking: there is
no Save to press. A field is written when its writer pauses or leaves it, in
the background. Two people may have the same record open: a change of one
field never undoes another person's change of another field (the write is
made again on their revision), and when both changed the same field, neither
text is lost: theirs is offered beside yours until one is chosen.

This is the field's bookkeeping, with no Textual: the screen feeds it what the
person typed, what became of each write, and each new reading of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from ictui.kinds import rules
from ictui.kinds.record import R
from ictui.kinds.schema import schema_of
from ictui.teamfile.writes import Change
from ictui.text import clean_multiline, clean_single_line


def _fitting(clean: Callable[[str], str], most: int | None) -> Callable[[str], str]:
    """Return a reading of typed text that refuses more characters than the field holds.

    Said beside the field as it is typed, not by a write refused later: a
    refused write's outcome could come after the person chose to leave it.
    """

    within = rules.length_within(0, most) if most is not None else None

    def read(text: str) -> str:
        value = clean(text)
        if within is not None:
            within(value)  # the store's own rule: "is too long: N characters (at most M)"
        return value

    return read


@dataclass(frozen=True)
class Clash:
    """Both changed the field: their value as saved, written as the field shows it, and who."""

    theirs: str
    who: str


class AutosavedField(Generic[R]):
    """One text field of one record, as this person edits it."""

    def __init__(
        self,
        kind: type[R],
        record: R,
        field: str,
        parse: Callable[[str], Any] | None = None,
        called: str = "",
    ) -> None:
        """parse: for a field that is not text (a rating), what typed text means as its value.

        It raises ValueError, saying what is wrong, for text that means nothing.
        called: the field's name in messages ("Answer 2"); its kind's label if empty.
        """
        self.kind = kind
        spec = schema_of(kind).field(field)
        self.what = f"save “{called or spec.label}”"
        """What a save of it does, for a message about one that failed."""
        self.record_id = record.id
        self.field = field
        self.base: Any = getattr(record, field)
        """The field as stored at rev: what "your change" is measured from."""
        self.rev = record.rev
        self.sent: str | None = None
        """The text of a write on its way, until its outcome comes back."""
        self.clash: Clash | None = None
        """Their text, when both changed the field: shown until one is chosen."""
        self.mine = False
        """Whether the file holds what this person last wrote in the field, unchanged since."""
        text = spec.text
        clean = clean_multiline if text is not None and text.multiline else clean_single_line
        most = text.maximum if text is not None else None
        self._parse: Callable[[str], Any] = parse or _fitting(clean, most)

    def value(self, text: str) -> Any:
        """Return what text means as the field's value; ValueError if it means nothing."""
        return self._parse(text)

    def same(self, text: str, stored: Any) -> bool:
        """Whether text, once read as the store would keep it, is what is stored."""
        try:
            return bool(self._parse(text) == stored)
        except ValueError:
            return False

    @staticmethod
    def shown(value: Any) -> str:
        """Return a stored value as the field shows it: text as it is, nothing as empty."""
        return "" if value is None else str(value)

    def unsaved(self, text: str) -> bool:
        """Whether text holds something the file does not have yet, nor a write on its way."""
        return self.clash is not None or (self.sent is None and not self.same(text, self.base))

    def save(self, text: str) -> Change[R] | None:
        """Return the write that saves text now, if it needs one and none is on its way.

        ValueError, saying why, if the text means no value of the field.
        """
        if self.same(text, self.base) or self.sent is not None or self.clash is not None:
            return None
        value = self._parse(text)
        self.sent = text
        return Change(self.kind, self.record_id, self.rev, {self.field: value}, self.what)

    def written(self, record: R) -> None:
        """Take note that a write is in the file, as record."""
        self.sent = None
        self.base = getattr(record, self.field)
        self.rev = record.rev
        self.mine = True

    def refused(self) -> None:
        """Take note that a write was refused: the text stays, to be saved again."""
        self.sent = None

    def conflicted(self, current: R, text: str) -> Change[R] | None:
        """Someone changed the record since rev; return the write that keeps text, if it may.

        If they left this field alone, text goes on top of their revision. If
        they wrote the same words, there is nothing to do. Otherwise it is a
        clash: nothing is written until the person chooses.
        """
        self.sent = None
        theirs = getattr(current, self.field)
        self.rev = current.rev
        if theirs == self.base:
            return self.save(text)
        self.base = theirs
        self.mine = False
        if not self.same(text, theirs):
            self.clash = Clash(self.shown(theirs), current.updated_by.display)
        return None

    def read(self, stored: R, text: str) -> str | None:
        """Take in a new reading of the record; return text to show instead, if any.

        When the person has nothing unsaved in the field, another person's
        change simply shows. When they do, and the other change is to this
        field, it is a clash.
        """
        if stored.rev <= self.rev or self.sent is not None:
            return None  # nothing newer, or our own write's outcome will say
        theirs = getattr(stored, self.field)
        self.rev = stored.rev
        if theirs == self.base:
            return None  # a change of other fields
        self.mine = False
        if self.same(text, self.base) or self.same(text, theirs):
            unchanged_here = self.same(text, self.base)
            self.base = theirs
            return self.shown(theirs) if unchanged_here else None
        self.base = theirs
        self.clash = Clash(self.shown(theirs), stored.updated_by.display)
        return None

    def keep_mine(self, text: str) -> Change[R] | None:
        """Settle a clash with your text: it is written over theirs."""
        self.clash = None
        return self.save(text)

    def take_theirs(self) -> str:
        """Settle a clash with their text; return it, to show."""
        theirs = self.shown(self.base)
        self.clash = None
        return theirs
