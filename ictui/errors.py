"""The errors the core raises, each worded for the person who has to act on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ictui.kinds.record import Record


class IctuiError(Exception):
    """Base of every expected error: its message is shown as it is, with no traceback."""


class TeamFileError(IctuiError):
    """The team file cannot be used: missing, unreadable, broken, or from a newer ictui."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class TeamFileMissing(TeamFileError):
    """There is no team file at the path."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "no team file here")


class TeamFileBusy(TeamFileError):
    """Another writer held the team file's lock for longer than we were willing to wait."""


class InvalidInput(IctuiError):
    """A value a person gave was refused; says which field and why."""

    def __init__(self, label: str, problems: list[tuple[str, str]]) -> None:
        self.label = label
        self.problems = problems
        detail = "; ".join(f"{field} {message}" for field, message in problems)
        super().__init__(f"invalid {label}: {detail}")


class RecordNotFound(IctuiError):
    """No record has that id."""

    def __init__(self, label: str, record_id: int) -> None:
        self.label = label
        self.record_id = record_id
        super().__init__(f"there is no {label} with id {record_id}")


class Conflict(IctuiError):
    """Someone else changed the record since it was read; holds their version."""

    def __init__(self, label: str, expected_rev: int, current: Record) -> None:
        self.label = label
        self.expected_rev = expected_rev
        self.current = current
        who = current.updated_by.display
        when = current.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        started = f"revision {expected_rev}" if expected_rev else "none there"
        super().__init__(
            f"{label} {current.id} was {self.verb} by {who} at {when} "
            f"(revision {current.rev}; you started from {started})"
        )

    @property
    def verb(self) -> str:
        """Say what the other person did: deleted, changed, or created one where none was."""
        if self.current.deleted:
            return self.current.DELETED  # "archived", for a partner
        # Revision 0 is "none there when you began": a check-in for the same period.
        # Changed since it was made, the one named made the last change, not the record.
        return "created" if self.expected_rev == 0 and self.current.rev == 1 else "changed"
