"""One record in full, as `ictui show ID` prints it: every field by its label, and who did what.

With `--history`, its versions instead, newest first, each in words: who made
it, when, and what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from ictui.kinds.record import Author, Record
from ictui.kinds.schema import schema_of
from ictui.services.compare import words
from ictui.text import for_display, one_line, person_words

if TYPE_CHECKING:
    from ictui.services.history import FieldChange, Version
    from ictui.teamfile.snapshot import Snapshot


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _who(record: Record, changed: bool) -> str:
    return person(record.updated_by if changed else record.created_by)


def person(author: Author) -> str:
    """Return how outputs name a person, on one line: "Bob (ann)", "ann", "Ana (svc, web)"."""
    return person_words(author.account, author.display)


def reference_names(snapshot: Snapshot) -> dict[str, dict[int, str]]:
    """Return how `show` names the partners and standards that records refer to, by id.

    A standard by its id and its sentence ("#3 “Queries answered in 2 days”"):
    a partner's standards may read alike, and the id is what `ictui standard show` takes.
    """
    from ictui.kinds.standard import Side, Standard
    from ictui.services.partners import partner_names

    standards = {}
    for standard in snapshot.all(Standard, include_deleted=True):
        notes = [] if standard.side is Side.OURS else [standard.side.label]
        notes += ["deleted"] if standard.deleted else []
        after = f" ({', '.join(notes)})" if notes else ""
        standards[standard.id] = f"#{standard.id} “{one_line(standard.standard)}”{after}"
    return {"partners": partner_names(snapshot), "standards": standards}


def _reference(value: int | None, refers: str, names: dict[str, dict[int, str]]) -> str:
    """Return a reference by its record's name, or "#ID" when that is not known."""
    if value is None:
        return "(none)"  # an optional reference left unset
    return names.get(refers, {}).get(value, f"#{value}")


def describe(
    record: Record, names: dict[str, dict[int, str]], *, show_unset: bool = False
) -> list[str]:
    """Return a record's lines: a title, each field under its label, then its history in brief.

    names: for each table that a field refers to, its records' names by id.
    Multi-line text keeps its lines, indented under the label. An optional
    reference left unset (a contact point tied to no standard) has no line,
    unless show_unset: then it says "(none)".
    """
    kind = type(record)
    fields = schema_of(kind).fields
    title = f"{kind.LABEL.capitalize()} {record.id}, revision {record.rev}"
    lines = [title + (" (deleted)" if record.deleted else "")]
    labels = [*(spec.label for spec in fields), "Logged", "Changed"]
    pad = max(len(label) for label in labels) + 2
    for spec in fields:
        value = getattr(record, spec.name)
        if spec.refers is not None:
            if value is None and not show_unset:
                continue
            text = _reference(value, spec.refers, names)
        else:
            text = words(value)
        first, *rest = for_display(text).split("\n") or [""]
        lines.append(f"{spec.label:<{pad}}{first}")
        lines += [f"{'':<{pad}}{line}" if line else "" for line in rest]
    lines.append(f"{'Logged':<{pad}}{_when(record.created_at)} by {_who(record, False)}")
    if record.rev > 1:
        what = "Deleted" if record.deleted else "Changed"
        lines.append(f"{what:<{pad}}{_when(record.updated_at)} by {_who(record, True)}")
    return lines


def _value(value: Any, refers: str | None, names: dict[str, dict[int, str]]) -> str:
    """Return a value in a history line: on one line, text in quotes, a reference by name."""
    if refers is not None:
        return one_line(_reference(value, refers, names))
    text = one_line(words(value))
    typed = isinstance(value, str) and not isinstance(value, Enum)  # words are not quoted
    return f"“{text}”" if typed else text or "(none)"


def _change(kind: type[Record], change: FieldChange, names: dict[str, dict[int, str]]) -> str:
    refers = schema_of(kind).field(change.name).refers
    old, new = (_value(v, refers, names) for v in (change.old, change.new))
    return f"{change.label.lower()} {old} → {new}"


_DONE = {
    "created": "logged",
    "deleted": "deleted",
    "restored": "brought back",
    "changed": "saved unchanged",
    "unknown": "what it changed is no longer kept",
}


def describe_history(
    kind: type[Record],
    record_id: int,
    versions: Sequence[Version],
    names: dict[str, dict[int, str]],
) -> list[str]:
    """Return a record's versions in words, newest first, one line each.

    "revision 3, 2026-11-30 14:02 by Li Chen (li): verdict ✓ success → ✗ needs
    improvement; why “…” → “…”". Text is kept whole, on one line.
    names: for each table that a field refers to, its records' names by id.
    """
    lines = [f"{kind.LABEL.capitalize()} {record_id}, {len(versions)} revision(s), newest first"]
    for version in versions:
        now = " (now)" if version.current else ""
        head = f"revision {version.rev}{now}, {_when(version.when)} by {person(version.who)}"
        parts = [_change(kind, change, names) for change in version.changes]
        if version.what in ("deleted", "restored") or not parts:
            parts.insert(0, _DONE[version.what])
        lines.append(f"{head}: {'; '.join(parts)}")
    return lines
