"""Keys typed before a dialog is up, kept in order and played into its fields once it is.

A fast typist, a paste or a slow SSH link gets ahead of a dialog opening: until
one of its fields has focus, the keys reach the app instead of a field, and
Tab has no field to move from. The app hands them to the dialog (see
``ictui.app.TakesTypeAhead``); the dialog keeps them here and plays them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from ictui.widgets.keys_in_order import NextOnEnterInput, tabbed_into
from ictui.widgets.toggle import TwoWayToggle

SAVE = "ctrl+s"
"""The key that saves a dialog: played last, once the keys before it are in."""
CANCEL = "escape"
"""The key that cancels a dialog: played last too, so that it sees what came before."""


def put(field: Widget, character: str) -> None:
    """Type one character into a field as a key would: text fields take it, a switch its way."""
    if isinstance(field, Input):
        if field.selection.is_empty:
            field.insert_text_at_cursor(character)
        else:
            field.replace(character, *field.selection)
    elif isinstance(field, TextArea):
        field.move_cursor(field.document.end)
        field.insert(character)
    elif isinstance(field, TwoWayToggle):
        field.type_character(character)


def put_late(dialog: Screen[Any], key: str, character: str | None) -> None:
    """Act on a key that came round by the app once the dialog is up, for its focused field.

    Such a key was typed before focus moved on; in turn with the characters
    around it, Tab moves on and a character goes where the keys before it left off.
    """
    if key in ("tab", "shift+tab"):
        dialog.focus_next() if key == "tab" else dialog.focus_previous()
        tabbed_into(dialog.focused)
    elif character is not None and dialog.focused is not None:
        put(dialog.focused, character)


class TypedAhead:
    """The keys typed before a dialog was up, in the order they came."""

    def __init__(self) -> None:
        self._keys: list[tuple[str, str | None]] = []

    def keep(self, key: str, character: str | None) -> None:
        """Keep a key until the dialog can take it."""
        self._keys.append((key, character))

    def play(self, fields: Sequence[Widget], start: int) -> tuple[Widget, str | None]:
        """Play the kept keys into fields, from fields[start]; forget them.

        Returns the field the keys left off in, which should get focus, and
        the last of SAVE or CANCEL among them, for the dialog to act on; None
        if there was neither.
        """
        at, ending = start, None
        for key, character in self._keys:
            if key in ("tab", "shift+tab"):
                at = min(at + 1, len(fields) - 1) if key == "tab" else max(at - 1, 0)
                tabbed_into(fields[at])
            elif key in (SAVE, CANCEL):
                ending = key
            elif key == "enter":  # as Enter does live in the field it reaches
                if isinstance(fields[at], NextOnEnterInput):
                    at = min(at + 1, len(fields) - 1)
                    tabbed_into(fields[at])
                elif isinstance(fields[at], TextArea):
                    put(fields[at], "\n")
                elif isinstance(toggle := fields[at], TwoWayToggle):
                    toggle.action_switch()
            elif character is not None:
                put(fields[at], character)
        self._keys.clear()
        return fields[at], ending
