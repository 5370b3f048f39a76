"""One record in full, as `ictui show ID` prints it: every field by its label, and who did what."""

from __future__ import annotations

import datetime as dt

from ictui.kinds.record import Record
from ictui.kinds.schema import schema_of
from ictui.services.compare import words
from ictui.text import for_display, one_line


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _who(record: Record, changed: bool) -> str:
    author = record.updated_by if changed else record.created_by
    name = one_line(author.display)
    return name if name == author.account else f"{name} ({one_line(author.account)})"


def describe(record: Record, names: dict[str, dict[int, str]]) -> list[str]:
    """Return a record's lines: a title, each field under its label, then its history in brief.

    names: for each table that a field refers to, its records' names by id.
    Multi-line text keeps its lines, indented under the label.
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
            text = names.get(spec.refers, {}).get(value, f"#{value}")
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
