"""Every key of the app by its id: what a person's keymap may move, and where each key works."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from ictui import screens, widgets


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
            elif entry.description not in known.description.split(" / "):
                # A key shared by several screens (form.save) says each of its words.
                words = f"{known.description} / {entry.description}"
                merged[entry.id] = KeyEntry(entry.id, known.keys, words)
    return sorted(merged.values(), key=lambda entry: entry.id)


def keymap_problems(keymap: Mapping[str, str], app: type[DOMNode]) -> list[str]:
    """Say what in a person's keymap cannot work: ids of no key, and keys taken twice.

    A moved key that lands on another key of the same screen (or on one of the
    app's, which work everywhere) takes it over: Textual gives it to the moved
    one, and says nothing. This says it.
    """
    owners = _owners(app)
    known = {binding.id for _, bindings in owners for binding in bindings}
    problems = [
        f'"keys" → {unknown!r} is the id of no key (`ictui keys` lists them)'
        for unknown in sorted(set(keymap) - known)
    ]
    everywhere = owners[0][1]
    said: set[tuple[str, ...]] = set()
    for _, bindings in owners:
        holders: dict[str, set[str]] = {}
        for binding in [*bindings, *everywhere]:
            for key in keymap.get(str(binding.id), binding.key).split(","):
                holders.setdefault(key.strip(), set()).add(str(binding.id))
        for key, ids in sorted(holders.items()):
            clash = tuple(sorted(ids))
            if len(ids) > 1 and ids & set(keymap) and clash not in said:
                said.add(clash)
                problems.append(f"{key!r} is given to {' and '.join(clash)}: only one can have it")
    return problems
