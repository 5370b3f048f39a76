"""Every key of the app by its id: what a person's keymap may move, and where each key works."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import KEY_ALIASES, Keys

from ictui import screens, widgets
from ictui.screens.form import Form


@dataclass(frozen=True)
class KeyEntry:
    """One key of the app: its id, its keys by default, and what it does."""

    id: str
    keys: str
    description: str


def _entries(bindings: Iterable[BindingType]) -> list[KeyEntry]:
    found = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.id:
            what = binding.description + (f": {binding.tooltip}" if binding.tooltip else "")
            found.append(KeyEntry(binding.id, binding.key, what))
    return found


def _owners(app: type[DOMNode]) -> list[tuple[type[DOMNode], list[Binding]]]:
    """Return every class of the app that has keys of its own, with those keys.

    Imports every screen and widget module to read their keys: for `ictui keys`
    and the check of a person's keymap, never for the first frame.
    """
    found: list[tuple[type[DOMNode], list[Binding]]] = [(app, _bindings(app.BINDINGS))]
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, owner in inspect.getmembers(module, inspect.isclass):
                if owner.__module__ == module.__name__ and issubclass(owner, DOMNode):
                    found.append((owner, _bindings(owner.__dict__.get("BINDINGS", []))))
    return found


def _bindings(declared: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in declared if isinstance(binding, Binding) and binding.id]


def every_key(app: type[DOMNode]) -> list[KeyEntry]:
    """Return every key of the app that has an id, one line an id, in the order of the ids."""
    merged: dict[str, KeyEntry] = {}
    for _, bindings in _owners(app):
        for entry in _entries(bindings):
            known = merged.get(entry.id)
            if known is None:
                merged[entry.id] = entry
                continue
            # An id shared by several screens (form.save) says each of its words;
            # one with several bindings (app.help: ? and f1) lists each key.
            words = known.description.split(" / ")
            keys = known.keys.split(",")
            more_words = [w for w in [entry.description] if w not in words]
            more_keys = [k for k in entry.keys.split(",") if k not in keys]
            merged[entry.id] = KeyEntry(
                entry.id, ",".join(keys + more_keys), " / ".join(words + more_words)
            )
    return sorted(merged.values(), key=lambda entry: entry.id)


def key_name_problem(name: str) -> str | None:
    """Say why a key's name is not one a terminal sends to Textual, or None if it is."""
    *modifiers, base = name.split("+")
    if not base or any(m not in _MODIFIERS for m in modifiers):
        return f"{name!r} is not a key"
    if not modifiers and len(base) == 1 and base.isprintable():
        return None  # a character, as typed: ?, w, W
    if base in _KEY_NAMES:
        return None
    return f"{name!r} is not a key (keys are written like ctrl+s, f2, w, question_mark)"


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_KEY_NAMES = (
    {key.value.split("+")[-1] for key in Keys}
    | set(KEY_ALIASES)
    | {"space", "enter", "tab", "backspace", "escape", "delete", "insert"}
    | set(string.ascii_lowercase + string.digits)
    | {
        unicodedata.name(character).lower().replace(" ", "_").replace("-", "_")
        for character in string.punctuation
    }
)
"""The names of the keys Textual knows, without their modifiers."""


def _same_action(one: Binding, other: Binding) -> bool:
    """Whether two keys do the same (dialog.help and app.help both open the help)."""
    return one.action.removeprefix("app.") == other.action.removeprefix("app.")


def keymap_problems(keymap: Mapping[str, str], app: type[DOMNode]) -> tuple[list[str], set[str]]:
    """Say what in a person's keymap cannot work, and which of its ids to leave out.

    Left out: an id of no key, a key Textual does not know, a character in a
    dialog of text fields (it is typed there), and a key given to an action
    that another action of the same screen (or one of the app's, which work
    everywhere) already has: Textual would give it to the moved one, silently
    taking it from the other. Keys that share a key by default are left as
    they are.
    """
    owners = _owners(app)
    known = {binding.id for _, bindings in owners for binding in bindings}
    problems: list[str] = []
    dropped: set[str] = set()
    for unknown in sorted(set(keymap) - known):
        problems.append(f'"keys" → {unknown!r} is the id of no key (`ictui keys` lists them)')
        dropped.add(unknown)
    for binding_id, keys in sorted(keymap.items()):
        for name in keys.split(","):
            problem = key_name_problem(name.strip())
            if problem and binding_id not in dropped:
                problems.append(f'"keys" → {binding_id!r}: {problem}; left out')
                dropped.add(binding_id)
    everywhere = owners[0][1]
    defaults: dict[str, set[str]] = {}  # an id's keys by default, over all its bindings
    for _, bindings in owners:
        for binding in bindings:
            default_keys = {key.strip() for key in binding.key.split(",")}
            defaults.setdefault(str(binding.id), set()).update(default_keys)
    for owner, bindings in owners:
        typed_in = issubclass(owner, Form)  # characters go into its fields
        holders: dict[str, list[Binding]] = {}
        for binding in [*bindings, *everywhere]:
            for key in keymap.get(str(binding.id), binding.key).split(","):
                holders.setdefault(key.strip(), []).append(binding)
        for key, holding in sorted(holders.items()):
            # Moved onto this key by the person (a key it had by default is no news).
            moved = [
                b
                for b in holding
                if b.id in keymap and b.id not in dropped and key not in defaults[str(b.id)]
            ]
            own = [binding for binding in moved if binding in bindings]
            if typed_in and len(key) == 1 and own:
                for binding in own:
                    problems.append(
                        f"{key!r} for {binding.id} would be typed into the fields of a form; "
                        "left out"
                    )
                    dropped.add(str(binding.id))
                continue
            for binding in moved:
                # Bindings of one id move together (one key, two actions chosen by the row).
                others = [
                    b
                    for b in holding
                    if b.id != binding.id and b is not binding and not _same_action(b, binding)
                ]
                if others and binding.id not in dropped:
                    taken = " and ".join(sorted({str(b.id or b.action) for b in others}))
                    problems.append(
                        f"{key!r} is already {taken}'s key; {binding.id} keeps its own key"
                    )
                    dropped.add(str(binding.id))
    return problems, dropped
