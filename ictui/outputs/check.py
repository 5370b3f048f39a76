"""`ictui check`: is a team file sound, and if not, what exactly is wrong with it.

It reads the file as the store does and checks every record as the store's
models would, with ``ictui.kinds.stored``: pydantic-core alone, so that a check from a
script or a hook starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import ValidationError

from ictui.errors import TeamFileError
from ictui.kinds.stored import RecordProblem, StoredRecords, dangling_partners
from ictui.teamfile import fileformat
from ictui.teamfile.durable import temp_files


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checking a team file: a one-line summary and each problem found."""

    ok: bool
    summary: str
    problems: list[str] = field(default_factory=list)


def _count(live: int, deleted: int, noun: str) -> str:
    text = f"{live} {noun}{'' if live == 1 else 's'}"
    return f"{text} ({deleted} deleted)" if deleted else text


def check_team_file(path: Path) -> CheckReport:
    """Read a team file as the app would and report everything that is not right with it."""
    path = fileformat.real_path(path)
    try:
        data, _ = fileformat.read_bytes(path)
        raw, version = fileformat.load(data, path, fileformat.utc_now())
    except TeamFileError as error:
        return CheckReport(False, f"{error}; nothing was changed")
    stored = StoredRecords()
    problems: list[RecordProblem] = []
    valid: dict[str, list[dict[str, Any]]] = {}
    for table in fileformat.RECORD_TABLES:
        valid[table] = []
        for key, doc in raw.get(table, {}).items():
            try:
                valid[table].append(stored.validate(table, key, doc))
            except ValidationError as error:
                problems.append(stored.problem_of(table, key, error))
    partner_ids = {partner["id"] for partner in valid["partners"]}
    points = ((point["id"], point["partner_id"]) for point in valid["contact_points"])
    problems += dangling_partners(points, partner_ids)
    counts = ", ".join(
        _count(
            sum(not record["deleted"] for record in valid[table]),
            sum(record["deleted"] for record in valid[table]),
            noun,
        )
        for table, noun in (("partners", "partner"), ("contact_points", "contact point"))
    )
    notes = []
    if version < fileformat.SCHEMA_VERSION:
        notes.append(
            f"schema {version}: upgraded to {fileformat.SCHEMA_VERSION} on the next write, "
            "after a backup"
        )
    leftovers = len(temp_files(path))
    if leftovers:
        notes.append(
            f"{leftovers} temporary file(s) of an interrupted write, removed on the next write"
        )
    tail = "".join(f"; {note}" for note in notes)
    if problems:
        return CheckReport(
            False,
            f"{path}: {len(problems)} invalid record(s) among {counts}{tail}",
            [str(problem) for problem in problems],
        )
    return CheckReport(True, f"{path}: ok, schema {version}, {counts}{tail}")
