"""A switch between two named options, marked so that the choice reads without colour."""

from __future__ import annotations

from time import monotonic
from typing import Any, ClassVar, Final

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ictui.widgets.keys_in_order import keep_in_order

_NO_SPACE: Final = object()
"""What a toggle remembers to undo when its last key was not a Space that switched it."""


class TwoWayToggle(Widget, can_focus=True):
    """Chooses one of two (or a few) options: space or enter moves on, ← → step, a click picks.

    The chosen option is marked ● and the others ○, so the choice never rests on colour.
    Text typed at it is not a choice: a Space among letters leaves it as it was,
    and the letters are handed on (``Typed``) for the form to say they were not kept.
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
    TwoWayToggle:focus > .two-way-toggle--chosen {
        text-style: bold reverse;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"two-way-toggle--chosen", "two-way-toggle--other"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "switch", "Switch", show=False, id="switch.switch"),
        Binding("left", "step(-1)", "Option to the left", show=False, id="switch.first"),
        Binding("right", "step(1)", "Option to the right", show=False, id="switch.second"),
    ]
    GAP = "   "
    TYPING_PAUSE = 0.8
    """Seconds without a key after which a Space is a choice again, not part of a word."""

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

    class Typed(Message):
        """Text was typed at the toggle, which takes none: text is all of it so far."""

        def __init__(self, toggle: TwoWayToggle, text: str) -> None:
            self.toggle = toggle
            self.text = text
            super().__init__()

        @property
        def control(self) -> TwoWayToggle:
            """The toggle typed at."""
            return self.toggle

    def __init__(
        self,
        options: tuple[tuple[str, Any], ...],
        value: Any,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = options
        self.set_reactive(TwoWayToggle.value, value)
        self._typed = ""  # the text typed at the toggle in this burst
        # The value a Space just switched from, if it was the last key: None is a value
        # too (a toggle started with nothing chosen), so "no Space to undo" is its own.
        self._before_space: Any = _NO_SPACE
        self._last_key_at = 0.0

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

    def _index(self) -> int:
        values = [value for _, value in self.options]
        return values.index(self.value) if self.value in values else 0

    def _chosen(self) -> bool:
        return any(value == self.value for _, value in self.options)

    def action_switch(self) -> None:
        """Choose the next option (the first after the last): of two, the other one.

        With none chosen yet (a toggle started empty), the first.
        """
        self._choose((self._index() + 1) % len(self.options) if self._chosen() else 0)

    def action_pick(self, index: int) -> None:
        """Choose the option at index (0 first)."""
        self._choose(index)

    def action_step(self, by: int) -> None:
        """Choose the option by places to the right (left if negative), stopping at the ends.

        With none chosen yet, the first going right and the last going left.
        """
        if not self._chosen():
            self._choose(0 if by > 0 else len(self.options) - 1)
            return
        self._choose(min(max(self._index() + by, 0), len(self.options) - 1))

    def type_character(self, character: str) -> None:
        """Take a character typed at the toggle: a lone Space switches, text switches nothing.

        A Space just before a letter is undone, and Spaces among letters are
        kept with them: " note from retro" typed here by mistake must not
        leave the toggle switched. What was typed goes up in a Typed message.
        """
        now = monotonic()
        if now - self._last_key_at > self.TYPING_PAUSE:
            self._forget_typing()
        self._last_key_at = now
        if character == " " and not self._typed:
            self._before_space = self.value
            self.action_switch()
            return
        if self._before_space is not _NO_SPACE:
            if self._before_space != self.value:
                self.value = self._before_space
                self.post_message(self.Toggled(self, self.value))
            self._before_space = _NO_SPACE
            self._typed = " "
        self._typed += character
        self.post_message(self.Typed(self, self._typed))

    def _forget_typing(self) -> None:
        self._typed = ""
        self._before_space = _NO_SPACE

    async def on_key(self, event: events.Key) -> None:
        """Act on each key in turn, even in a burst (see keep_in_order); take text apart."""
        if self.screen.focused is self and event.is_printable and event.character:
            event.prevent_default()
            event.stop()
            self.type_character(event.character)
            return
        self._forget_typing()
        await keep_in_order(self, event)

    def on_blur(self) -> None:
        """Leaving the toggle ends what was typed at it."""
        self._forget_typing()

    def on_click(self, event: events.Click) -> None:
        """Choose the option that was clicked."""
        self._forget_typing()
        end = 1  # the left padding
        for index in range(len(self.options) - 1):
            end += len(self._label(index))
            if event.x < end + len(self.GAP) // 2:  # up to the middle of the gap after it
                self._choose(index)
                return
            end += len(self.GAP)
        self._choose(len(self.options) - 1)


class NextOnEnterToggle(TwoWayToggle):
    """A toggle in a form whose Enter moves to the next field, as its text fields' does.

    Space and the arrows choose; Enter never changes the choice, so a person
    walking through the form with Enter leaves each choice as it was.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.focus_next", "Next field", show=False, id="field.next"),
        Binding("space", "switch", "Switch", show=False, id="switch.switch"),
    ]
