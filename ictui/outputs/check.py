"""`ictui check`: is a team file sound, and if not, what exactly is wrong with it.

It reads the file as the store does and checks every record of every kind
the registry knows, and every version its history keeps, with pydantic-core
alone, so that a check from a script or a hook starts quickly. A broken
history is a problem of its own: its record is still read as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ictui.errors import TeamFileError
from ictui.kinds import registry
from ictui.kinds.record import Record
from ictui.teamfile import fileformat
from ictui.teamfile.durable import sticky_folder_problem, temp_files
from ictui.teamfile.snapshot import Snapshot


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checking a team file: a one-line summary and each problem found."""

    ok: bool
    summary: str
    problems: list[str] = field(default_factory=list)


def _count(snapshot: Snapshot, kind: type[Record]) -> str:
    live, deleted = snapshot.counts(kind)
    text = f"{live} {kind.LABEL if live == 1 else kind.plural()}"
    return f"{text} ({deleted} deleted)" if deleted else text


def check_team_file(path: Path) -> CheckReport:
    """Read a team file as the app would and report everything that is not right with it."""
    path = fileformat.real_path(path)
    try:
        data, st = fileformat.read_bytes(path)
        raw, version, _ = fileformat.load(data, path, fileformat.utc_now(), strict=True)
    except TeamFileError as error:
        return CheckReport(False, f"{error}; nothing was changed")
    token = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    snapshot = Snapshot(path, token, version, raw)
    problems = snapshot.problems
    broken_history = snapshot.history_problems
    bookkeeping = fileformat.bookkeeping_problems(raw)
    sticky = sticky_folder_problem(path, path.with_name(path.name + ".lock"))
    if sticky is not None:
        bookkeeping.append(sticky.removesuffix("; nothing was written"))
    counts = ", ".join(_count(snapshot, kind) for kind in registry.KINDS)
    notes = []
    newest = fileformat.current_version()
    if version < newest:
        notes.append(f"schema {version}: upgraded to {newest} on the next write, after a backup")
    leftovers = len(temp_files(path))
    if leftovers:
        notes.append(
            f"{leftovers} temporary file(s) of an interrupted write, removed on the next write"
        )
    tail = "".join(f"; {note}" for note in notes)
    if problems or broken_history or bookkeeping:
        found = [f"{len(problems)} invalid record(s)"] if problems else []
        if broken_history:
            found.append(f"{len(broken_history)} record(s) whose history cannot be read in full")
        if bookkeeping:
            # Writes refuse the file until it is mended: say so first.
            found.insert(0, "what every write refuses")
        return CheckReport(
            False,
            f"{path}: {' and '.join(found)} among {counts}{tail}",
            [*bookkeeping, *(str(problem) for problem in (*problems, *broken_history))],
        )
    return CheckReport(True, f"{path}: ok, schema {version}, {counts}{tail}")
