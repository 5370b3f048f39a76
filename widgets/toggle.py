"""A switch between two named options, marked so that the choice reads without colour."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ictui.widgets.keys_in_order import keep_in_order


class TwoWayToggle(Widget, can_focus=True):
    """Chooses one of two options: space or enter switches, left and right pick, a click picks.

    The chosen option is marked ● and the other ○, so the choice never rests on colour.
    """

    DEFAULT_CSS = """
    TwoWayToggle {
        height: 1;
        width: auto;
        padding: 0 1;
    }
    TwoWayToggle:focus {
        background: $boost;
    }
    TwoWayToggle > .two-way-toggle--chosen {
        text-style: bold;
        color: $text;
    }
    TwoWayToggle > .two-way-toggle--other {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"two-way-toggle--chosen", "two-way-toggle--other"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "switch", "Switch", show=False, id="switch.switch"),
        Binding("left", "pick(0)", "First option", show=False, id="switch.first"),
        Binding("right", "pick(1)", "Second option", show=False, id="switch.second"),
    ]
    GAP = "   "

    value: reactive[Any] = reactive(None)
    """The option chosen now."""

    class Toggled(Message):
        """The person chose the other option."""

        def __init__(self, toggle: TwoWayToggle, value: object) -> None:
            self.toggle = toggle
            self.value = value
            super().__init__()

        @property
        def control(self) -> TwoWayToggle:
            """The toggle that changed."""
            return self.toggle

    def __init__(
        self,
        options: tuple[tuple[str, Any], tuple[str, Any]],
        value: Any,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = options
        self.set_reactive(TwoWayToggle.value, value)

    def _label(self, index: int) -> str:
        label, value = self.options[index]
        return f"{'●' if value == self.value else '○'} {label}"

    def render(self) -> Text:
        """Draw both options, the chosen one marked and bold."""
        text = Text(no_wrap=True)
        for index, (_, value) in enumerate(self.options):
            if index:
                text.append(self.GAP)
            chosen = value == self.value
            component = "two-way-toggle--chosen" if chosen else "two-way-toggle--other"
            text.append(self._label(index), style=self.get_component_rich_style(component))
        return text

    def _choose(self, index: int) -> None:
        value = self.options[index][1]
        if value != self.value:
            self.value = value
            self.post_message(self.Toggled(self, value))

    def action_switch(self) -> None:
        """Choose the other option."""
        self._choose(1 if self.value == self.options[0][1] else 0)

    def action_pick(self, index: int) -> None:
        """Choose the first (0) or second (1) option."""
        self._choose(index)

    async def on_key(self, event: events.Key) -> None:
        """Act on each key in turn, even in a burst (see keep_in_order)."""
        await keep_in_order(self, event)

    def on_click(self, event: events.Click) -> None:
        """Choose the option that was clicked."""
        boundary = 1 + len(self._label(0)) + len(self.GAP) // 2  # 1: left padding
        self._choose(0 if event.x < boundary else 1)
