"""Exports of a team file: JSON for programs, CSV for spreadsheets, Markdown for people.

Every kind of the registry is exported: JSON and Markdown hold them all (or
the one asked for), CSV one kind per file. Exports hold the records that are
not deleted. Text that people typed is written so that it stays text in the
target: quoted in CSV (and kept from being read as a spreadsheet formula),
escaped in Markdown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any

from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import R, Record
from ictui.kinds.schema import FieldSpec, schema_of
from ictui.kinds.vocab import Verdict
from ictui.services.compare import words
from ictui.services.stats import newest_first, overall, tally_by_partner
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import iso_time
from ictui.text import one_line

FORMATS = ("json", "csv", "markdown")
"""The export formats, as named on the command line."""

Kinds = Sequence[type[Record]]


def in_order(snapshot: Snapshot, kind: type[R]) -> list[R]:
    """Return a kind's live records as listings show them: newest first where they are dated."""
    records = snapshot.all(kind)
    field = kind.NEWEST_FIRST_BY
    if field is None:
        return records
    return sorted(records, key=lambda r: (getattr(r, field), r.id), reverse=True)


def public(record: Record) -> dict[str, Any]:
    """Return a record as exports give it: its own fields, then its id, revision and authors."""
    schema = schema_of(type(record))
    stored = schema.as_stored(record)
    own = {spec.name: stored[spec.name] for spec in schema.fields}
    kept = ("rev", "created_by", "created_at", "updated_by", "updated_at")
    return {**own, "id": record.id, **{name: stored[name] for name in kept}}


def to_json(snapshot: Snapshot, exported_at: dt.datetime, kinds: Kinds = ()) -> str:
    """Return the records of every kind (or of kinds) as one JSON document."""
    document: dict[str, Any] = {
        "format": "ictui-export",
        "schema_version": snapshot.schema_version,
        "exported_at": iso_time(exported_at),
        "team_file": str(snapshot.path),
    }
    for kind in kinds or registry.KINDS:
        document[kind.TABLE] = [public(record) for record in in_order(snapshot, kind)]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- CSV ----------------------------------------------------------------------------------

# A cell that starts like this is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _names(snapshot: Snapshot, table: str) -> dict[int, str]:
    """Return how records of a table are named where others point at them: name, else #id."""
    kind = registry.kind_for(table)
    return {
        r.id: str(getattr(r, "name", f"#{r.id}")) for r in snapshot.all(kind, include_deleted=True)
    }


def _column(spec: FieldSpec) -> str:
    """Return a field's column: a reference is given by the name of what it points at."""
    return spec.name.removesuffix("_id") if spec.refers else spec.name


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(_plain(item) for item in value)
    return "" if value is None else str(value)


def _cell(
    spec: FieldSpec, value: Any, names: Mapping[str, dict[int, str]], plain: Callable[[Any], str]
) -> str:
    if spec.refers is not None:
        return names[spec.refers].get(value, f"#{value}")
    return plain(value)


def to_csv(snapshot: Snapshot, kind: type[Record] = ContactPoint) -> str:
    """Return one kind's live records as CSV, one row each (newest first where dated)."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", *(_column(spec) for spec in fields), "logged_by", "logged_at", "revision"]
    )
    for record in in_order(snapshot, kind):
        cells = [
            _csv_cell(_cell(spec, getattr(record, spec.name), names, _plain)) for spec in fields
        ]
        who = _csv_cell(record.created_by.display)
        writer.writerow([record.id, *cells, who, iso_time(record.created_at), record.rev])
    return out.getvalue()


# -- Markdown --------------------------------------------------------------------------------

# Inside a table cell only these change what Markdown shows: emphasis, code,
# links, HTML and entities, strikethrough, and the cell separator.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")


def md_text(value: str) -> str:
    """Return text that Markdown shows as typed: specials escaped, kept on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(value))


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def verdict_words(verdict: Verdict) -> str:
    """Return a verdict as a mark and words, readable without colour."""
    return f"{verdict.symbol} {verdict.label}"


def _contact_points(snapshot: Snapshot) -> list[str]:
    """The contact points for people: a tally per partner, then the log, newest first."""
    names = _names(snapshot, "partners")
    points = newest_first(snapshot.all(ContactPoint))
    tallies = sorted(
        tally_by_partner(points).items(), key=lambda item: (-item[1].total, names.get(item[0], ""))
    )
    lines = ["## By partner", ""]
    lines += _md_table(
        [
            "Partner",
            Verdict.SUCCESS.label.capitalize(),
            Verdict.NEEDS_IMPROVEMENT.label.capitalize(),
        ],
        [
            [md_text(names.get(pid, f"#{pid}")), str(t.success), str(t.needs_improvement)]
            for pid, t in tallies
        ],
    )
    lines += ["", "## Log", ""]
    lines += _md_table(
        ["Date", "Partner", "Direction", "Verdict", "Why", "Logged by"],
        [
            [
                p.date.isoformat(),
                md_text(names.get(p.partner_id, f"#{p.partner_id}")),
                p.direction.label,
                verdict_words(p.verdict),
                md_text(p.why),
                md_text(p.created_by.display),
            ]
            for p in points
        ],
    )
    return lines


def _section(snapshot: Snapshot, kind: type[Record]) -> list[str]:
    """Any kind's live records as a table, one column per field, in words for people."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    rows = [
        [md_text(_cell(spec, getattr(record, spec.name), names, words)) for spec in fields]
        for record in in_order(snapshot, kind)
    ]
    return [f"## {kind.plural().capitalize()}", "", *_md_table([s.label for s in fields], rows)]


SECTIONS: dict[type[Record], Callable[[Snapshot], list[str]]] = {ContactPoint: _contact_points}
"""Kinds whose Markdown says more than a table of their records."""


def to_markdown(snapshot: Snapshot, exported_at: dt.datetime, kinds: Kinds = ()) -> str:
    """Return a report for people: contact points first, then every other kind's records."""
    chosen = kinds or registry.KINDS
    when = exported_at.astimezone().strftime("%Y-%m-%d %H:%M")
    team = md_text(snapshot.path.stem)
    if ContactPoint in chosen:
        total = overall(snapshot.all(ContactPoint))
        lines = [
            f"# Contact points: {team}",
            "",
            f"Exported {when}: "
            f"{total.total} contact points, {total.success} {Verdict.SUCCESS.label}, "
            f"{total.needs_improvement} {Verdict.NEEDS_IMPROVEMENT.label}.",
        ]
    else:
        lines = [
            f"# {', '.join(k.plural().capitalize() for k in chosen)}: {team}",
            "",
            f"Exported {when}.",
        ]
    ordered = sorted(chosen, key=lambda kind: kind not in SECTIONS)
    for kind in ordered:
        section = SECTIONS.get(kind)
        lines += ["", *(section(snapshot) if section else _section(snapshot, kind))]
    return "\n".join(lines) + "\n"
