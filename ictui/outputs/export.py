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
from typing import TYPE_CHECKING, Any, TextIO

from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefReaction, DebriefResolution
from ictui.kinds.interview import ChecklistTick, Conclusion, Interview, InterviewAnswer
from ictui.kinds.record import R, Record
from ictui.kinds.schema import FieldSpec, schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.vocab import Verdict
from ictui.outputs.show import person
from ictui.services.compare import words
from ictui.services.stats import overall, tally_by_partner
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import iso_time
from ictui.text import for_display, one_line

if TYPE_CHECKING:
    from ictui.services.interviews import Worksheet

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
        if kind in PARTS:  # a part goes with the record it is part of
            whole, naming = PARTS[kind]
            kept = {record.id for record in in_order(snapshot, whole, where)}
            records = [r for r in records if getattr(r, naming) in kept]
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
    return _escape_unsafe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


# What JSON may hold raw but a terminal or an editor must not get raw: C1 controls and
# DEL, bidi embeddings, overrides and isolates, line separators, and lone surrogates
# (a file name's undecodable bytes). Outside strings JSON is ASCII, so escaping these
# as \uXXXX keeps the document valid and every value whole.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_unsafe(document: str) -> str:
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


# -- CSV ----------------------------------------------------------------------------------

# A cell that starts like this is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# A whole number is read as a number, never run: a gap of -3 stays -3.
_WHOLE_NUMBER = re.compile(r"-?\d+")


def _csv_cell(value: str) -> str:
    if value.startswith(_FORMULA_START) and _WHOLE_NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


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
        return "" if value is None else names[spec.refers].get(value, f"#{value}")
    return plain(value)


def _interview_gap(interview: Interview) -> str:
    """Theirs less ours, once both rated: -3 when they rated us 3 below our own rating."""
    if interview.self_rating is None or interview.customer_rating is None:
        return ""
    return str(interview.customer_rating - interview.self_rating)


Columns = tuple[tuple[str, Callable[[Any], str]], ...]
"""Columns computed for a kind's CSV: each one's name, and how a record gives its cell."""

COMPUTED_COLUMNS: dict[type[Record], Columns] = {
    Interview: (("gap", _interview_gap),),
}
"""Columns a kind's CSV adds after its fields, computed from them."""


def _standard_columns(snapshot: Snapshot) -> Columns:
    """The standard a check-in is for, in words: its partner, whose promise, and what it says."""
    standards = {s.id: s for s in snapshot.all(Standard, include_deleted=True)}
    partners = _names(snapshot, "partners")

    def partner(check_in: CheckIn) -> str:
        standard = standards.get(check_in.standard_id)
        return "" if standard is None else partners.get(standard.partner_id, "")

    def side(check_in: CheckIn) -> str:
        standard = standards.get(check_in.standard_id)
        return "" if standard is None else standard.side.value

    def sentence(check_in: CheckIn) -> str:
        standard = standards.get(check_in.standard_id)
        return "" if standard is None else standard.standard

    return (("partner", partner), ("side", side), ("standard_text", sentence))


RELATED_COLUMNS: dict[type[Record], Callable[[Snapshot], Columns]] = {
    CheckIn: _standard_columns,
}
"""Columns a kind's CSV adds after those computed from its fields, read from the records
it refers to (so that a row reads on its own)."""


def table_rows(snapshot: Snapshot, kind: type[R], records: Iterable[R]) -> Iterator[list[str]]:
    """Yield a header, then one row of plain cells per record: what CSV and TSV are made of."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    related = RELATED_COLUMNS.get(kind)
    computed = (*COMPUTED_COLUMNS.get(kind, ()), *(related(snapshot) if related else ()))
    yield [
        "id",
        *(_column(spec) for spec in fields),
        *(name for name, _ in computed),
        "logged_by",
        "logged_at",
        "revision",
        "logged_by_account",  # last, so that the columns before it stay where scripts find them
    ]
    for record in records:
        cells = [_cell(spec, getattr(record, spec.name), names, _plain) for spec in fields]
        cells += [value(record) for _, value in computed]
        who = record.created_by
        when, rev = iso_time(record.created_at), str(record.rev)
        yield [str(record.id), *cells, who.display, when, rev, who.account]


def write_csv(rows: Iterable[list[str]], out: TextIO) -> None:
    """Write rows as CSV as they come, each cell kept from being read as a formula.

    Cells are cleaned as for a terminal (no controls, no bidi overrides), as `list` does:
    a CSV is read on terminals and in spreadsheets, which draw them all the same.
    """
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_csv_cell(for_display(cell)) for cell in row])


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


def md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Return a Markdown table: headers as given, cells escaped already (see md_text)."""
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


def _contact_points(snapshot: Snapshot, where: Selection, today: dt.date) -> list[str]:
    """The contact points for people: a tally per partner, then the log, newest first."""
    names = _names(snapshot, "partners")
    points = in_order(snapshot, ContactPoint, where)
    tallies = sorted(
        tally_by_partner(points).items(), key=lambda item: (-item[1].total, names.get(item[0], ""))
    )
    lines = ["## By partner", ""]
    lines += md_table(
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
            f"{verdict_words(p.verdict)} · logged by {md_text(person(p.created_by))}"
        )
        lines += ["", *md_lines(p.why, "  "), ""]
    return lines


def md_start(value: str) -> str:
    """Return one-line text that Markdown shows as typed, even where it starts a block."""
    return _BLOCK_START.sub(r"\1\\\2", md_text(value))


def time_frame(interview: Interview) -> str:
    """When an interview is: "2026-12-03 at 10:00, about 45 minutes"."""
    when = interview.planned_on.isoformat()
    if interview.planned_time:
        when += f" at {interview.planned_time}"
    if interview.minutes is not None:
        when += f", about {interview.minutes} minutes"
    return when


def numbered(number: int, text: str) -> list[str]:
    """Return multi-line text as an item of a numbered list, its lines under the first."""
    marker = f"{number}. "
    pad = " " * len(marker)
    first, *rest = md_lines(text, pad)
    return [marker + first.removeprefix(pad), *rest]


def worksheet_markdown(sheet: Worksheet, level: int = 1) -> list[str]:
    """Return an interview's worksheet for people: ratings, answers, checklist, conclusions.

    level: the heading level of its title (its parts go one below).
    """
    interview = sheet.interview
    title, part = "#" * level, "#" * (level + 1)
    deleted = " (deleted)" if interview.deleted else ""
    lines = [
        f"{title} Interview with {md_text(sheet.partner)}, {interview.planned_on.isoformat()}",
        "",
        f"- **Status:** {interview.status.label}{deleted}",
        f"- **When:** {time_frame(interview)}",
    ]
    if interview.interviewers:
        lines.append(f"- **Interviewers:** {md_text(interview.interviewers)}")
    lines += [
        f"- **Ratings:** {sheet.gap.words}",
        f"- **Checklist:** {sheet.progress} ticked",
        "",
        f"{part} Questions",
        "",
    ]
    for number, answer in enumerate(sheet.answers, start=1):
        pad = " " * len(f"{number}. ")
        lines += [f"{number}. **{md_text(answer.question)}**", ""]
        lines += md_lines(answer.answer, pad) if answer.answer else [f"{pad}*(no answer yet)*"]
        lines.append("")
    lines += [f"{part} Checklist: {sheet.progress} ticked", ""]
    for step in sheet.steps:
        lines += [f"**{md_text(step.title)}**", ""]
        lines += [f"- [{'x' if t.ticked else ' '}] {md_text(t.point)}" for t in step.ticks]
        lines.append("")
    lines += [f"{part} Conclusions", ""]
    for number, conclusion in enumerate(sheet.conclusions, start=1):
        pad = " " * len(f"{number}. ")
        lines += [*numbered(number, conclusion.conclusion), ""]
        if conclusion.behaviors:
            lines += [f"{pad}*Behaviors behind it:*", "", *md_lines(conclusion.behaviors, pad)]
            lines.append("")
    if not sheet.conclusions:
        lines += ["None written down yet.", ""]
    if interview.notes:
        lines += [f"{part} Notes", "", *md_lines(interview.notes, ""), ""]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def invitation_markdown(sheet: Worksheet) -> str:
    """Return an invitation to an interview: its purpose, its time frame and the questions.

    Sent ahead, so that the partner knows what to expect and is never taken
    by surprise. Every piece of the team's text in it is escaped.
    """
    from ictui.services.interview_template import PURPOSE, RATING_ASK

    interview = sheet.interview
    day = interview.planned_on
    lines = [
        f"# Interview with {md_text(sheet.partner)}: what to expect",
        "",
        *md_lines(PURPOSE, ""),
        "",
        "## When",
        "",
        f"- **Date:** {day.strftime('%A')}, {day.isoformat()}",
        f"- **Time:** {interview.planned_time or 'to be agreed'}",
    ]
    if interview.minutes is not None:
        lines.append(f"- **Length:** about {interview.minutes} minutes")
    if interview.interviewers:
        lines.append(f"- **With:** {md_text(interview.interviewers)}")
    lines += ["", "## The questions", ""]
    lines += [f"{n}. {md_start(a.question)}" for n, a in enumerate(sheet.answers, start=1)]
    lines += ["", *md_lines(RATING_ASK, "")]
    return "\n".join(lines) + "\n"


def _interviews(snapshot: Snapshot, where: Selection, today: dt.date) -> list[str]:
    """The interviews for people: each one's worksheet, newest first."""
    from ictui.services.interviews import worksheet

    lines = ["## Interviews"]
    for interview in in_order(snapshot, Interview, where):
        lines += ["", *worksheet_markdown(worksheet(snapshot, interview.id), level=3)]
    if len(lines) == 1:
        lines += ["", "None yet."]
    return lines


def _section(snapshot: Snapshot, kind: type[Record], where: Selection) -> list[str]:
    """Any kind's live records as a table, one column per field, in words for people."""
    fields = schema_of(kind).fields
    names = {spec.refers: _names(snapshot, spec.refers) for spec in fields if spec.refers}
    rows = [
        [md_text(_cell(spec, getattr(record, spec.name), names, words)) for spec in fields]
        for record in in_order(snapshot, kind, where)
    ]
    return [f"## {kind.plural().capitalize()}", "", *md_table([s.label for s in fields], rows)]


def _standards(snapshot: Snapshot, where: Selection, today: dt.date) -> list[str]:
    """The standards and partnering rules for people: how each stands, then their check-ins."""
    from ictui.services.standards import STRIP_PERIODS, standards_listing

    rows = [row for row in standards_listing(snapshot, today) if where.keeps(row.standard)]
    lines = ["## Standards and partnering rules", ""]
    if not rows:
        return [*lines, "None yet."]
    lines += [
        f"As of {today.isoformat()}. Whose: *we* keep a standard, *they* keep a partnering "
        f"rule. Last {STRIP_PERIODS}: the last completed periods, oldest first (✓ met, ✗ not "
        "met, – not measured, · no check-in). Compliance: met ÷ (met + not met) over the "
        "last 12 completed periods. Due: the last completed period, which has no check-in.",
        "",
    ]

    def status(standard: Standard) -> str:
        reason = standard.retired_reason
        return f"{standard.status.value}: {md_text(reason)}" if reason else standard.status.value

    headers = ["ID", "Partner", "Whose", "Standard", "Target", "Cadence", "Status"]
    lines += md_table(
        [*headers, f"Last {STRIP_PERIODS}", "Compliance", "Due"],
        [
            [
                str(row.standard.id),
                md_text(row.partner),
                row.standard.side.short,
                md_text(row.standard.standard),
                md_text(row.standard.target),
                row.standard.cadence.value,
                status(row.standard),
                row.standing.strip(),
                row.standing.compliance_text,
                "" if row.standing.due is None else str(row.standing.due),
            ]
            for row in rows
        ],
    )
    check_ins = [check_in for row in rows for check_in in row.check_ins]
    lines += ["", "### Check-ins", ""]
    if not check_ins:
        return [*lines, "None yet."]
    lines += md_table(
        ["Standard", "Period", "Result", "Measured", "Checked by", "Note"],
        [
            [
                str(c.standard_id),
                c.period,
                f"{c.result.symbol} {c.result.label}",
                md_text(c.value),
                md_text(c.checked_by),
                md_text(c.note),
            ]
            for c in check_ins
        ],
    )
    return lines


def _debriefs(snapshot: Snapshot, where: Selection, today: dt.date) -> list[str]:
    """The debriefs for people: each one's recap, newest interview first."""
    from ictui.outputs.recap import recap_lines
    from ictui.services.debriefs import debriefs_listing, recap

    kept = {debrief.id for debrief in in_order(snapshot, Debrief, where)}
    lines = ["## Debriefs"]
    for row in debriefs_listing(snapshot, today):
        if row.debrief.id in kept:
            lines += ["", *recap_lines(recap(snapshot, row.debrief.id, today), level=3)]
    if len(lines) == 1:
        lines += ["", "None yet."]
    return lines


SECTIONS: dict[type[Record], Callable[[Snapshot, Selection, dt.date], list[str]]] = {
    ContactPoint: _contact_points,
    Interview: _interviews,
    Standard: _standards,
    Debrief: _debriefs,
}
"""Kinds whose Markdown says more than a table of their records: each is given the records
to hold and the day the export is made (how a standard stands depends on it)."""

PARTS: dict[type[Record], tuple[type[Record], str]] = {
    InterviewAnswer: (Interview, "interview_id"),
    ChecklistTick: (Interview, "interview_id"),
    Conclusion: (Interview, "interview_id"),
    CheckIn: (Standard, "standard_id"),
    Debrief: (Interview, "interview_id"),
    DebriefPoint: (Debrief, "debrief_id"),
    DebriefResolution: (Debrief, "debrief_id"),
    DebriefReaction: (Debrief, "debrief_id"),
}
"""Kinds whose records are parts of another's, by the field naming it: an export by period or
partner keeps the parts of the records it keeps, and Markdown shows them inside their section
(a kind with a section of its own, such as a debrief, keeps it all the same)."""


def to_markdown(
    snapshot: Snapshot, exported_at: dt.datetime, kinds: Kinds = (), where: Selection = EVERYTHING
) -> str:
    """Return a report for people: contact points first, then every other kind's records."""
    chosen = kinds or registry.KINDS
    when = exported_at.astimezone().strftime("%Y-%m-%d %H:%M")
    today = exported_at.astimezone().date()
    team = md_text(snapshot.path.stem)
    if ContactPoint in chosen:
        total = overall(in_order(snapshot, ContactPoint, where))
        lines = [
            f"# Contact points: {team}",
            "",
            f"Exported {when}: "
            f"{total.total} contact point{'' if total.total == 1 else 's'}, "
            f"{total.success} {Verdict.SUCCESS.label}, "
            f"{total.needs_improvement} {Verdict.NEEDS_IMPROVEMENT.label}.",
        ]
    else:
        lines = [
            f"# {', '.join(k.plural().capitalize() for k in chosen)}: {team}",
            "",
            f"Exported {when}.",
        ]
    shown = [
        kind
        for kind in chosen
        if kind in SECTIONS or kind not in PARTS or PARTS[kind][0] not in chosen
    ]
    # Sections first, in SECTIONS' order (contact points, as the title says), then the rest.
    placed = list(SECTIONS)
    ordered = sorted(
        shown, key=lambda kind: placed.index(kind) if kind in SECTIONS else len(placed)
    )
    for kind in ordered:
        section = SECTIONS.get(kind)
        said = section(snapshot, where, today) if section else _section(snapshot, kind, where)
        lines += ["", *said]
    return "\n".join(lines) + "\n"
