"""Exports of a team file: JSON for programs, CSV for spreadsheets, Markdown for people.

Exports hold the records that are not deleted. Text that people typed is
written so that it stays text in the target: quoted in CSV (and kept from being
read as a spreadsheet formula), escaped in Markdown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable

from ictui.kinds.models import ContactPoint, Partner, Record
from ictui.kinds.vocab import Verdict
from ictui.services.stats import newest_first, overall, tally_by_partner
from ictui.teamfile.store import Snapshot, iso_time
from ictui.text import one_line

FORMATS = ("json", "csv", "markdown")
"""The export formats, as named on the command line."""


def _public(record: Record) -> dict[str, object]:
    return record.model_dump(mode="json", exclude={"deleted"})


def to_json(snapshot: Snapshot, exported_at: dt.datetime) -> str:
    """Return every partner and contact point as one JSON document."""
    document = {
        "format": "ictui-export",
        "schema_version": snapshot.schema_version,
        "exported_at": iso_time(exported_at),
        "team_file": str(snapshot.path),
        # Through the models: what they dump is what the team file holds.
        "partners": [_public(p) for p in snapshot.all(Partner)],
        "contact_points": [_public(c) for c in newest_first(snapshot.all(ContactPoint))],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# A cell that starts like this is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


CSV_COLUMNS = (
    "id",
    "date",
    "partner",
    "direction",
    "verdict",
    "why",
    "logged_by",
    "logged_at",
    "revision",
)
"""The columns of the CSV export, one row per contact point."""


def to_csv(snapshot: Snapshot, exported_at: dt.datetime) -> str:
    """Return the contact points as CSV, newest first, one row each."""
    names = snapshot.partner_names()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for point in newest_first(snapshot.contact_points()):
        writer.writerow(
            [
                point.id,
                point.date.isoformat(),
                _csv_cell(names.get(point.partner_id, f"#{point.partner_id}")),
                point.direction.value,
                point.verdict.value,
                _csv_cell(point.why),
                _csv_cell(point.created_by.display),
                iso_time(point.created_at),
                point.rev,
            ]
        )
    return out.getvalue()


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


def to_markdown(snapshot: Snapshot, exported_at: dt.datetime) -> str:
    """Return a report for people: a tally per partner, then the log, newest first."""
    names = snapshot.partner_names()
    points = newest_first(snapshot.contact_points())
    total = overall(points)
    title = md_text(snapshot.path.stem)
    lines = [
        f"# Contact points: {title}",
        "",
        f"Exported {exported_at.astimezone().strftime('%Y-%m-%d %H:%M')}: "
        f"{total.total} contact points, {total.success} {Verdict.SUCCESS.label}, "
        f"{total.needs_improvement} {Verdict.NEEDS_IMPROVEMENT.label}.",
        "",
        "## By partner",
        "",
    ]
    tallies = sorted(
        tally_by_partner(points).items(), key=lambda item: (-item[1].total, names.get(item[0], ""))
    )
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
    return "\n".join(lines) + "\n"


EXPORTERS: dict[str, Callable[[Snapshot, dt.datetime], str]] = {
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
}
"""The function that writes each export format."""
