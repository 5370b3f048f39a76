"""`ictui check`: is a team file sound, and if not, what exactly is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ictui.durable import temp_files
from ictui.errors import TeamFileError
from ictui.models import Author, ContactPoint, Partner
from ictui.store import Store
from ictui.teamfile import SCHEMA_VERSION


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checking a team file: a one-line summary and each problem found."""

    ok: bool
    summary: str
    problems: list[str] = field(default_factory=list)


def _count(records: list[Partner] | list[ContactPoint], noun: str) -> str:
    deleted = sum(r.deleted for r in records)
    live = len(records) - deleted
    text = f"{live} {noun}{'' if live == 1 else 's'}"
    return f"{text} ({deleted} deleted)" if deleted else text


def check_team_file(path: Path) -> CheckReport:
    """Read a team file as the app would and report everything that is not right with it."""
    # A fixed author: checking never writes, so who is asking does not matter.
    store = Store(path, author=Author(account="check"))
    try:
        snapshot = store.read()
    except TeamFileError as error:
        return CheckReport(False, f"{error}; nothing was changed")
    partners = snapshot.all(Partner, include_deleted=True)
    points = snapshot.all(ContactPoint, include_deleted=True)
    counts = f"{_count(partners, 'partner')}, {_count(points, 'contact point')}"
    notes = []
    if snapshot.schema_version < SCHEMA_VERSION:
        notes.append(
            f"schema {snapshot.schema_version}: upgraded to {SCHEMA_VERSION} on the next write, "
            "after a backup"
        )
    leftovers = len(temp_files(store.path))
    if leftovers:
        notes.append(
            f"{leftovers} temporary file(s) of an interrupted write, removed on the next write"
        )
    tail = "".join(f"; {note}" for note in notes)
    if snapshot.problems:
        problems = [str(problem) for problem in snapshot.problems]
        return CheckReport(
            False, f"{store.path}: {len(problems)} invalid record(s) among {counts}{tail}", problems
        )
    version = snapshot.schema_version
    return CheckReport(True, f"{store.path}: ok, schema {version}, {counts}{tail}")
