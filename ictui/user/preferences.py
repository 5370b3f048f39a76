"""A person's own preferences (the theme): kept in their config folder, never in the team file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ictui.teamfile.durable import replace_file


@dataclass(frozen=True)
class Preferences:
    """What one person chose for themselves; None means the app's default."""

    theme: str | None = None


def load_preferences(path: Path) -> Preferences:
    """Return the preferences saved at path, with defaults for whatever is missing or unreadable.

    Preferences are a convenience: a broken file never stops the app, and it is
    left as it is until the person next changes a preference.
    """
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return Preferences()
    theme = raw.get("theme") if isinstance(raw, dict) else None
    return Preferences(theme=theme if isinstance(theme, str) else None)


def save_preferences(path: Path, preferences: Preferences) -> None:
    """Write preferences atomically, making their folder if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(asdict(preferences), indent=2).encode("utf-8") + b"\n"
    replace_file(path, data, shared=False)
