"""Fields that act on a burst of keys in the order it was typed.

Textual hands each key to the widget that has focus when the key arrives. A
text field types a character there and then, but its bound keys (Backspace,
arrows, Enter) and Tab act only once the key has travelled up to the app, and
by then the characters typed after them are in. Typed at a person's pace this
never shows; in a burst (a slow SSH link, a fast typist, a script) "Payrolx",
Backspace, "l" gave "Payrolx", and text typed after a Tab landed in the field
before it (Textual issue 6605). These fields act on each key in turn instead.

Tab into a one-line field selects its text, to be typed over, as Textual's
own select-on-focus does; but it is done here, at once, rather than when the
field gets round to its focus event, which in a burst may come after the
first characters typed into it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.widgets.input import Selection

MOVES = ("app.focus_next", "app.focus_previous")
"""The actions of Tab and Shift+Tab, bound on every screen: moves to the next field."""


async def keep_in_order(field: Widget, event: events.Key) -> None:
    """Act on a key that reached field now, in its turn, or pass it to the field it was for.

    A field calls this first thing from its own key handler: it runs the
    field's own key bindings, and Tab, there and then. A key that reaches the
    field after a Tab in the same burst moved focus on was typed for the field
    that has focus now, and goes there.
    """
    focused = field.screen.focused
    if focused is not field:
        if focused is not None:
            event.prevent_default()
            event.stop()
            focused.post_message(events.Key(event.key, event.character))
        return
    active = field.screen.active_bindings.get(event.key)
    if active is None or not active.enabled or active.binding.priority:
        return  # a character, or a key for the screen: as Textual does it
    if active.node is field or active.binding.action in MOVES:
        event.prevent_default()
        event.stop()
        await field.app.run_action(active.binding.action, active.node)
        if active.binding.action in MOVES:
            tabbed_into(field.screen.focused)


def tabbed_into(field: Widget | None) -> None:
    """Do to a field what Tab into it does: a one-line field's text is selected, to type over."""
    if isinstance(field, Input):
        field.selection = Selection(0, len(field.value))


# The handler is in each class's own body: Textual finds a widget's styles
# through its first base only, so the fields cannot share it as a mixin.


class InOrderInput(Input):
    """A one-line text field that takes a burst of keys in order."""

    def __init__(self, value: str | None = None, **options: Any) -> None:
        """Take Input's options; its text is selected by Tab (tabbed_into), not on focus."""
        super().__init__(value, select_on_focus=False, **options)

    async def on_key(self, event: events.Key) -> None:
        """Act on each key in turn (see keep_in_order)."""
        await keep_in_order(self, event)

    def on_paste(self, event: events.Paste) -> None:
        """Paste every line of a text of several, joined by a space: the field holds one line.

        Textual's Input keeps the first line alone: a pasted paragraph lost all but
        its first line without a word.
        """
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) < 2:
            return  # one line: as Textual pastes it
        event.prevent_default()
        event.stop()
        joined = " ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(joined)
        else:
            self.replace(joined, *self.selection)


class NextOnEnterInput(InOrderInput):
    """A one-line field of a form: Enter moves on to the next field, as Tab does.

    In a form whose last field takes several lines, Enter cannot save; doing
    nothing on it left people pressing it again. Ctrl+S saves.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", MOVES[0], "Next field", show=False, id="field.next"),
    ]


class InOrderTextArea(TextArea):
    """A text area that takes a burst of keys in order."""

    async def on_key(self, event: events.Key) -> None:
        """Act on each key in turn (see keep_in_order)."""
        await keep_in_order(self, event)

    def action_undo(self) -> None:
        """Take back the last edits; if Textual loses track of the lines, keep the text."""
        try:
            super().action_undo()
        except ValueError:
            self._follow_text()

    def action_redo(self) -> None:
        """Make the edits taken back again, as undo does."""
        try:
            super().action_redo()
        except ValueError:
            self._follow_text()

    def _follow_text(self) -> None:
        # Textual 8.2 rewraps only the lines an undone batch touched, and for a
        # long paste taken back, pasted and taken back again it miscounts them:
        # the text is undone, its wrapped lines are not, and the app crashed.
        # Loaded afresh, the text is what undo left; the undo history starts anew.
        row, column = self.cursor_location
        self.load_text(self.text)
        last = self.document.line_count - 1
        row = min(row, last)
        self.move_cursor((row, min(column, len(self.document.get_line(row)))))
