"""Where ictui keeps things when no path is given: team files and preferences."""

from __future__ import annotations

import os
from pathlib import Path

DB_VARIABLE = "ICTUI_DB"
"""Environment variable naming the team file when --db is not given."""


def data_folder() -> Path:
    """Return this user's ictui data folder (it may not exist yet)."""
    import platformdirs  # here, not at the top: most commands are given a path

    return platformdirs.user_data_path("ictui", appauthor=False)


def default_team_path() -> Path:
    """Return the team file used when neither --db nor $ICTUI_DB names one."""
    return data_folder() / "team.json"


def demo_team_path() -> Path:
    """Return where the ready-made demo team file lives."""
    return data_folder() / "demo.json"


def resolve_team_path(given: str | None) -> Path:
    """Return the team file to use: the given path, else $ICTUI_DB, else the default."""
    if given:
        return Path(given).expanduser()
    from_env = os.environ.get(DB_VARIABLE)
    if from_env:
        return Path(from_env).expanduser()
    return default_team_path()


def preferences_path() -> Path:
    """Return the file of this user's own preferences (it may not exist yet)."""
    import platformdirs

    return platformdirs.user_config_path("ictui", appauthor=False) / "preferences.json"
