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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TextIO

from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import R, Record
from ictui.kinds.schema import FieldSpec, schema_of
from ictui.kinds.vocab import Verdict
from ictui.services.compare import words
from ictui.services.stats import overall, tally_by_partner
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import iso_time
from ictui.text import for_display, one_line

FORMATS = ("json", "csv", "markdown")
"""The export formats, as named on the command line."""

Kinds = Sequence[type[Record]]


@dataclass(frozen=True)
class Selection:
    """Which records an export holds: dated ones within a period, those of one partner."""

    since: dt.date | None = None
    until: dt.date | None = None
    partner_id: int | None = None

    def keeps(self, record: Record) -> bool:
        """Return whether a record is in: a condition a kind has no field for does not apply."""
        kind = type(record)
        if self.partner_id is not None:
            if kind.TABLE == "partners":
                if record.id != self.partner_id:
                    return False
            else:
                for spec in schema_of(kind).fields:
                    if spec.refers == "partners" and getattr(record, spec.name) != self.partner_id:
                        return False
        dated = kind.NEWEST_FIRST_BY
        if dated is not None and (self.since or self.until):
            day = getattr(record, dated)
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        return True


EVERYTHING = Selection()


def in_order(snapshot: Snapshot, kind: type[R], where: Selection = EVERYTHING) -> list[R]:
    """Return a kind's live records as listings show them: newest first where they are dated."""
    records = snapshot.all(kind)
    if where != EVERYTHING:
        records = [record for record in records if where.keeps(record)]
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


def to_json(
    snapshot: Snapshot, exported_at: dt.datetime, kinds: Kinds = (), where: Selection = EVERYTHING
) -> str:
    """Return the records of every kind (or of kinds) as one JSON document."""
    document: dict[str, Any] = {
        "format": "ictui-export",
        "schema_version": snapshot.schema_version,
        "exported_at": iso_time(exported_at),
        "team_file": str(snapshot.path),
    }
    for kind in kinds or registry.KINDS:
        document[kind.TABLE] = [public(record) for record in in_order(snapshot, kind, where)]
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


def table_rows(snapshot: Snapshot, kind: type[R], records: Iterable[R]) -> Iterator[list[str]]:
    """Yield a header, then one row of plain cells per record: what CSV and TSV are made of."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    yield ["id", *(_column(spec) for spec in fields), "logged_by", "logged_at", "revision"]
    for record in records:
        cells = [_cell(spec, getattr(record, spec.name), names, _plain) for spec in fields]
        who = record.created_by.display
        yield [str(record.id), *cells, who, iso_time(record.created_at), str(record.rev)]


def write_csv(rows: Iterable[list[str]], out: TextIO) -> None:
    """Write rows as CSV as they come, each cell kept from being read as a formula."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(value: str) -> str:
    """Return a cell for tab-separated text: one line, tab and line breaks written as \\t, \\n."""
    return _csv_cell(for_display(value)).translate(_TSV_ESCAPES)


def write_tsv(rows: Iterable[list[str]], out: TextIO) -> None:
    """Write rows as tab-separated lines as they come: one record per line, never cut."""
    for row in rows:
        out.write("\t".join(tsv_cell(cell) for cell in row) + "\n")


def to_csv(
    snapshot: Snapshot, kind: type[Record] | None = None, where: Selection = EVERYTHING
) -> str:
    """Return one kind's live records (contact points if none) as CSV, newest first if dated."""
    kind = kind or ContactPoint
    out = io.StringIO()
    write_csv(table_rows(snapshot, kind, in_order(snapshot, kind, where)), out)
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


# At the start of a line these begin a heading, quote, list or rule instead of text.
_BLOCK_START = re.compile(r"^(\d*)([#>+=.)-])")


def _md_line(line: str) -> str:
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", line.strip())
    return _BLOCK_START.sub(r"\1\\\2", escaped)


def md_lines(value: str, indent: str) -> list[str]:
    """Return multi-line text as Markdown that keeps its line breaks, each line escaped.

    Two spaces end a line that the next one continues (a hard break, invisible
    in the raw text); a blank line between paragraphs stays one.
    """
    lines = [_md_line(line) for line in for_display(value).split("\n")]
    out: list[str] = []
    for index, line in enumerate(lines):
        follows = index + 1 < len(lines) and lines[index + 1] != ""
        out.append(f"{indent}{line}  " if line and follows else (f"{indent}{line}" if line else ""))
    return out


def _contact_points(snapshot: Snapshot, where: Selection) -> list[str]:
    """The contact points for people: a tally per partner, then the log, newest first."""
    names = _names(snapshot, "partners")
    points = in_order(snapshot, ContactPoint, where)
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
    # A list, not a table: a reason keeps its line breaks inside its item.
    for p in points:
        partner = md_text(names.get(p.partner_id, f"#{p.partner_id}"))
        lines.append(
            f"- **{p.date.isoformat()}** · {partner} · {p.direction.label} · "
            f"{verdict_words(p.verdict)} · logged by {md_text(p.created_by.display)}"
        )
        lines += ["", *md_lines(p.why, "  "), ""]
    return lines


def _section(snapshot: Snapshot, kind: type[Record], where: Selection) -> list[str]:
    """Any kind's live records as a table, one column per field, in words for people."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    rows = [
        [md_text(_cell(spec, getattr(record, spec.name), names, words)) for spec in fields]
        for record in in_order(snapshot, kind, where)
    ]
    return [f"## {kind.plural().capitalize()}", "", *_md_table([s.label for s in fields], rows)]


SECTIONS: dict[type[Record], Callable[[Snapshot, Selection], list[str]]] = {
    ContactPoint: _contact_points
}
"""Kinds whose Markdown says more than a table of their records."""


def to_markdown(
    snapshot: Snapshot, exported_at: dt.datetime, kinds: Kinds = (), where: Selection = EVERYTHING
) -> str:
    """Return a report for people: contact points first, then every other kind's records."""
    chosen = kinds or registry.KINDS
    when = exported_at.astimezone().strftime("%Y-%m-%d %H:%M")
    team = md_text(snapshot.path.stem)
    if ContactPoint in chosen:
        total = overall(in_order(snapshot, ContactPoint, where))
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
        lines += ["", *(section(snapshot, where) if section else _section(snapshot, kind, where))]
    return "\n".join(lines) + "\n"
