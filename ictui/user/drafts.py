"""Drafts: what a person had typed in a form when the app had to leave (a dropped connection).

When an SSH session drops, the app gets SIGHUP and leaves; a form open then
holds typing that was never saved. It is kept here, in the person's own data
folder (never in the shared team file, which others read), one small JSON file
per team file, form and record, readable by its owner alone. The next start on
that team file offers it back. A draft file that cannot be read is passed
over: a draft is a convenience, and must never stop the app.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER_NAME = "drafts"
"""The drafts' folder, inside the person's ictui data folder."""
MOST_BYTES = 1_000_000
"""A draft file larger than this is not one ictui wrote: it is passed over unread."""
_SUFFIX = ".json"


@dataclass(frozen=True)
class Draft:
    """What one form held: which team file, which form, which record, and each field's text."""

    team_file: str
    """The team file's path (its real path, as the store names it)."""
    form: str
    """The form's kind in words, as people read it: "contact point"."""
    record_id: int | None
    """The record being changed; None for a new one."""
    place: str
    """The app's screen the form was opened from (its id: "contacts")."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """Each field's id, with what it held, as text."""
    rev: int | None = None
    """The record's revision the change started from: a save from it meets any change since."""
    kept_at: str = ""
    """When it was kept (ISO 8601, with the offset), to say it when offering it back."""
    on_record: str = ""
    """What record_id names when it is the record the form was opened on, not the one it
    changes ("standard": a check-in of standard 3); empty: the record changed."""

    @property
    def key(self) -> tuple[str, str, int | None]:
        """What tells drafts apart: one per team file, form and record."""
        return (self.team_file, self.form, self.record_id)


def drafts_folder(data_folder: Path) -> Path:
    """Return the drafts' folder inside a person's ictui data folder."""
    return data_folder / FOLDER_NAME


def draft_path(folder: Path, team_file: str, form: str, record_id: int | None) -> Path:
    """Return the file that keeps the draft of this team file, form and record."""
    # A digest, not the path itself: a team file's path may be long or hold any character.
    name = json.dumps([team_file, form, record_id], ensure_ascii=False)
    return folder / (hashlib.sha256(name.encode()).hexdigest()[:32] + _SUFFIX)


def keep(folder: Path, draft: Draft) -> Path:
    """Write a draft, replacing any of the same key, atomically and for its owner alone (0600)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = draft_path(folder, *draft.key)
    data = json.dumps(
        {
            "team_file": draft.team_file,
            "form": draft.form,
            "record_id": draft.record_id,
            "place": draft.place,
            "fields": dict(draft.fields),
            "rev": draft.rev,
            "kept_at": draft.kept_at,
            "on_record": draft.on_record,
        },
        ensure_ascii=True,  # a lone surrogate pasted into a form is kept, escaped, not refused
        indent=1,
    ).encode()
    # mkstemp makes the file 0600 whatever the umask: typed text is nobody else's business.
    fd, temp = tempfile.mkstemp(prefix=".draft.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path


def _read(path: Path) -> Draft | None:
    """Return the draft a file holds; None if it holds none ictui could have written."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MOST_BYTES:
            return None
        raw: Any = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    fields = raw.get("fields")
    record_id, rev = raw.get("record_id"), raw.get("rev")
    texts = ("team_file", "form", "place", "kept_at")
    on_record = raw.get("on_record", "")  # absent from drafts kept before it was
    if (
        not all(isinstance(raw.get(name), str) for name in texts)
        or not isinstance(on_record, str)
        or not isinstance(fields, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
        or not (
            record_id is None or (isinstance(record_id, int) and not isinstance(record_id, bool))
        )
        or not (rev is None or (isinstance(rev, int) and not isinstance(rev, bool)))
    ):
        return None
    return Draft(
        team_file=raw["team_file"],
        form=raw["form"],
        record_id=record_id,
        place=raw["place"],
        fields=fields,
        rev=rev,
        kept_at=raw["kept_at"],
        on_record=on_record,
    )


def drafts_for(folder: Path, team_file: str) -> list[Draft]:
    """Return the drafts kept for a team file, oldest first; files that are no draft are skipped."""
    try:
        paths = sorted(folder.glob("*" + _SUFFIX))
    except OSError:
        return []
    found = [d for d in map(_read, paths) if d is not None and d.team_file == team_file]
    return sorted(found, key=lambda d: d.kept_at)


def discard(folder: Path, draft: Draft) -> None:
    """Remove a draft (saved, or thrown away); one already gone is no matter."""
    with contextlib.suppress(FileNotFoundError):
        draft_path(folder, *draft.key).unlink()
