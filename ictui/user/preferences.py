"""A person's own preferences: their theme and their keys, in their config folder, never shared.

The file is JSON that a person may edit by hand::

    {"theme": "nord", "keys": {"form.save": "f2,ctrl+s", "contacts.verdict": "w"}}

``keys`` moves an action to other keys, by the id each key has (``ictui keys``
lists them), for a terminal that eats a key (ctrl+s stops some terminals,
tmux may take ctrl+p). A broken or odd file never stops the app: what can be
read is used, what cannot is said, and the file is only ever rewritten to
change the theme, keeping everything else in it.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ictui.teamfile.durable import replace_file

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED_KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Preferences:
    """What one person chose for themselves; None or empty means the app's default."""

    theme: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    """Keys by the id of what they do: "form.save" -> "f2,ctrl+s"."""
    problems: tuple[str, ...] = ()
    """What in the file could not be used, in words for the person who wrote it."""


def key_problem(keys: str) -> str | None:
    """Say what is wrong with a list of keys ("f2,ctrl+s"), or None if each is a key's name."""
    names = [name.strip() for name in keys.split(",")]
    if not any(names):
        return "names no key"
    for name in names:
        *modifiers, key = name.split("+")
        unknown = [m for m in modifiers if m not in _MODIFIERS]
        if not name or unknown or not key:
            return f"{name!r} is not a key (write keys as ctrl+s, f2, w, question_mark)"
        if len(key) > 1 and not _NAMED_KEY.fullmatch(key):
            return f"{name!r} is not a key (write keys as ctrl+s, f2, w, question_mark)"
    return None


def _keys(raw: object) -> tuple[dict[str, str], list[str]]:
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, ['"keys" must be an object of "id": "keys", such as {"form.save": "f2"}']
    keys: dict[str, str] = {}
    problems = []
    for binding_id, value in raw.items():
        if not isinstance(value, str):
            problems.append(f'"keys" → {binding_id!r} must be a text of keys, such as "f2"')
            continue
        problem = key_problem(value)
        if problem:
            problems.append(f'"keys" → {binding_id!r}: {problem}')
        else:
            keys[binding_id] = ",".join(name.strip() for name in value.split(","))
    return keys, problems


def _read(path: Path) -> tuple[dict[str, Any] | None, str]:
    """Return the file's object (None if it has none), and what is wrong with it if anything."""
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None, ""
    except OSError as error:
        return None, f"{path} cannot be read ({error.strerror})"
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return None, f"{path} is not valid JSON ({error.msg} at {where})"
    except ValueError:
        return None, f"{path} is not valid JSON"
    if not isinstance(raw, dict):
        return None, f"{path} holds no JSON object"
    return raw, ""


def load_preferences(path: Path) -> Preferences:
    """Return the preferences saved at path, with defaults for whatever is missing or unreadable.

    Preferences are a convenience: a broken file never stops the app, and it is
    left as it is until the person next changes a preference.
    """
    if not path.exists():
        return Preferences()
    raw, problem = _read(path)
    if raw is None:
        return Preferences(problems=(f"{problem}; it was not used",))
    theme = raw.get("theme")
    keys, problems = _keys(raw.get("keys"))
    return Preferences(
        theme=theme if isinstance(theme, str) else None,
        keys=keys,
        problems=tuple(problems),
    )


def remember_theme(path: Path, theme: str) -> None:
    """Write the theme into the preferences file, keeping everything else in it.

    A file that cannot be read is never written over (it may hold the person's
    keys, one comma away from valid): OSError says why.
    """
    raw, problem = _read(path)
    if problem:
        raise OSError(errno.EINVAL, f"{problem}; fix it, and the theme is kept next time")
    raw = raw or {}
    raw["theme"] = theme
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(raw, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    replace_file(path, data, shared=False)
