"""Help for the screen below: what it is for, and its keys as they are bound right now."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Label, Static

from ictui.screens.places import PLACES
from ictui.screens.team_app import team_app
from ictui.widgets.key_names import say_key, with_keys

_SIDEWAYS = frozenset(
    {"cursor_left", "cursor_right", "page_left", "page_right", "scroll_left", "scroll_right"}
)


def does_something(node: DOMNode, action: str) -> bool:
    """Whether a key of a widget can do anything there: no sideways moves where nothing is wide.

    A table whose cursor picks rows has no cell to move to left or right, and
    a part that fits its width has nothing to scroll to the side.
    """
    if action not in _SIDEWAYS:
        return True
    if isinstance(node, DataTable) and node.cursor_type == "row" and action.startswith("cursor"):
        return False
    return bool(getattr(node, "allow_horizontal_scroll", False))


def key_table(screen: Screen[object]) -> Table:
    """Return the keys active on a screen, read from its live bindings (never a copied list).

    Keys of the screen itself come first, then those that work everywhere, then
    those of the widget that has focus (moving around a table, say).
    """
    table = Table(show_header=False, show_edge=False, pad_edge=False, box=None)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    groups: dict[tuple[str, str], tuple[list[str], ActiveBinding]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.action.startswith("go("):
            continue  # the screens have a table of their own (places_table)
        if not does_something(active.node, binding.action):
            continue
        if binding.description:
            keys, _ = groups.setdefault((binding.action, binding.description), ([], active))
            shown = screen.app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)

    # A key of the screen that does nothing right now (undo with nothing to undo)
    # is still worth knowing about: list it, dimmed.
    for declared in type(screen).BINDINGS:
        if not isinstance(declared, Binding) or not declared.description:
            continue
        group = (declared.action, declared.description)
        if group not in groups:
            in_force = team_app(screen).keymap.get(declared.id or "", declared.key)
            keys = [
                screen.app.get_key_display(replace(declared, key=key.strip()))
                for key in in_force.split(",")
            ]
            groups[group] = (keys, ActiveBinding(screen, declared, False, declared.tooltip))

    # The screen's own keys first; those every screen inherits (tab, copy) sit with the app's.
    own = {b.action for b in type(screen).BINDINGS if isinstance(b, Binding)}

    def place(item: tuple[tuple[str, str], tuple[list[str], ActiveBinding]]) -> int:
        (action, _), (_, active) = item
        if active.node is screen and action in own:
            return 0
        return 1 if active.node in (screen, screen.app) else 2

    sections = ("On this screen", "Everywhere", "In the focused part")
    current = -1
    for (_, description), (keys, active) in sorted(groups.items(), key=place):
        section = place(((_, description), (keys, active)))
        if section != current:
            current = section
            table.add_row("", "")
            table.add_row(Text(sections[section], style="bold underline"), "")
        what = description + (f": {active.tooltip}" if active.tooltip else "")
        table.add_row(Text(", ".join(keys)), Text(what, style="" if active.enabled else "dim"))
    # The screens' keys do not reach past a dialog, nor a start screen (no team yet).
    if not isinstance(screen, ModalScreen) and not getattr(screen, "SHOWS_NO_TEAM", False):
        add_places(table, screen)
    return table


def add_places(table: Table, screen: Screen[object]) -> None:
    """Add how to get to every screen of the app: its keys in force, its name, what it is for."""
    table.add_row("", "")
    table.add_row(Text("Screens", style="bold underline"), "")
    for place in PLACES:
        action = f"go('{place.id}')"
        keys = [
            screen.app.get_key_display(active.binding)
            for active in screen.active_bindings.values()
            if active.binding.action == action
        ]
        here = " (you are here)" if type(screen).__name__ == place.screen else ""
        table.add_row(Text(", ".join(keys)), Text(f"{place.title}{here}: {place.summary}"))


DIALOG_HELP = Binding(
    "f1", "app.help", "Help", tooltip="Keys and help for this dialog", id="dialog.help"
)
"""Help from a dialog: the app's own help keys do not reach past a modal screen,
and ? is a character to type there."""


class HelpScreen(ModalScreen[None]):
    """What the screen underneath is for, and every key that works there."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss(None)", "Close help", id="help.close"),
    ]

    def __init__(self, about: Screen[object]) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        """Lay out the explanation and the key table."""
        title = (self.about.__doc__ or "").strip().splitlines()[0]
        with Vertical(id="dialog"):
            yield Static(Text(title), id="title")
            with VerticalScroll():
                help_text = with_keys(self.about, getattr(self.about, "HELP", None) or "")
                if help_text:
                    yield Static(Text(help_text), id="about")
                yield Static(key_table(self.about), id="keys")
                if not isinstance(self.about, ModalScreen):  # no palette over a dialog
                    yield Static(
                        Text(
                            f"{say_key(self.about, 'app.palette')} opens the command palette, "
                            "where every action and screen "
                            "can be found by name, and the theme can be changed (it is kept "
                            "for next time).",
                            style="dim",
                        ),
                        id="palette",
                    )
            yield Label(f"{say_key(self, 'help.close')} closes this help.", id="close")
        yield Footer(compact=True)  # the help's keys, not those of the screen beneath
