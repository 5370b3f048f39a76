"""The names of keys as they are now, for messages: the person may have moved them (their keymap).

A message that says "press u to undo" must name the key that undoes: these
find a binding's first key by its id, with the person's own keys applied
(ictui's app keeps them in its ``keymap``: binding ids to the keys chosen), and
write it as the app's words do ("Ctrl+S", "Escape", "u").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode

_NAMED = {"escape": "Escape", "enter": "Enter", "tab": "Tab", "space": "Space"}
_SHORT = {"escape": "esc"}


def _declared(node: DOMNode) -> Iterator[Binding]:
    """Yield the bindings declared by the node's classes, its widgets' and its app's."""
    owners = [type(node), *(type(child) for child in node.walk_children()), type(node.app)]
    seen: set[type] = set()
    for owner in owners:
        for base in owner.__mro__:
            if base in seen:
                continue
            seen.add(base)
            for binding in base.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    yield binding


def key_for(node: DOMNode, binding_id: str) -> str:
    """Return the first key in force of the binding with this id (a key's name: "ctrl+s")."""
    keymap: dict[str, str] = getattr(node.app, "keymap", {})
    keys = keymap.get(binding_id)
    if keys is None:
        found = next((b for b in _declared(node) if b.id == binding_id), None)
        if found is None:
            raise LookupError(f"no key has the id {binding_id!r} here")
        keys = found.key
    return keys.split(",")[0].strip()


def key_words(key: str, *, short: bool = False) -> str:
    """Return a key's name as messages write it: Ctrl+S, Escape, F2, u (short: ctrl+s, esc)."""
    if short:
        return _SHORT.get(key, key)
    *modifiers, base = key.split("+")
    if len(base) == 1:
        named = base.upper() if modifiers else base
    else:
        named = _NAMED.get(base, base.upper() if base[0] == "f" and base[1:].isdigit() else base)
    return "+".join([*(m.capitalize() for m in modifiers), named])


def say_key(node: DOMNode, binding_id: str, *, short: bool = False) -> str:
    """Return the key in force of a binding, as messages write it."""
    return key_words(key_for(node, binding_id), short=short)


def say_key_on(node: DOMNode, screen: type[DOMNode], binding_id: str) -> str:
    """Return the key in force of a binding of another screen, as messages write it.

    Looked up in the person's keymap first, then in that screen's own bindings.
    """
    keys = getattr(node.app, "keymap", {}).get(binding_id)
    if keys is None:
        declared = (b for b in screen.BINDINGS if isinstance(b, Binding))
        keys = next(b.key for b in declared if b.id == binding_id)
    return key_words(keys.split(",")[0].strip())


def say_action(node: DOMNode, action: str, *, short: bool = False) -> str:
    """Return the key in force of the node's binding of an action ("undo"), as messages write it."""
    found = next((b for b in _declared(node) if b.action == action and b.id), None)
    if found is None or found.id is None:
        raise LookupError(f"no key of {action!r} here")
    return say_key(node, found.id, short=short)


def with_keys(node: DOMNode, text: str) -> str:
    """Return text with each {binding.id} in it replaced by the key in force ("{form.save}")."""
    return re.sub(r"\{([a-z_]+\.[a-z_]+)\}", lambda found: say_key(node, found[1]), text)
