"""Fields that save themselves: when the person pauses, or leaves them; a clash shows below.

``AutosaveText`` takes paragraphs, ``AutosaveLine`` one line (a conclusion, a
rating). A field never writes anything: it says ``Pause`` (save this text now) and
``Settle`` (the person chose between their text and someone else's), and the
screen that owns the record writes. When someone else changed the same field,
the screen sets ``clash``: the field is marked and their text is offered
below it, with keys to keep either, while typing goes on undisturbed.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from ictui.services.autosave import Clash
from ictui.text import for_display, one_line
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput, InOrderTextArea

PAUSE = 1.0
"""Seconds without a key after which what was typed is saved."""
CLASH_LINES = 4
"""Lines of someone else's text shown under a field in a clash (the rest is counted)."""
SAY_LOCKED_AGAIN = 5.0
"""Seconds before typing into a locked field says again why it takes nothing."""
EDITING_KEYS = frozenset({"backspace", "delete", "enter"})
"""Keys that change a field's text, not being characters: a locked field says why it takes none."""


class Autosaving(Widget):
    """A field of a record, saved in the background as the person writes: the common part."""

    DEFAULT_CSS = """
    Autosaving {
        height: auto;
    }
    Autosaving.-clash > TextArea, Autosaving.-clash > Input {
        border-left: thick $error;
    }
    Autosaving > .clash {
        display: none;
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $error 15%;
    }
    Autosaving.-clash > .clash {
        display: block;
    }
    Autosaving > .labelled {
        height: 1;
    }
    Autosaving.-clash > .labelled > Input {
        border-left: thick $error;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "settle(True)", "Keep mine", id="autosave.keep_mine"),
        Binding("ctrl+t", "settle(False)", "Take theirs", id="autosave.take_theirs"),
    ]

    clash: reactive[Clash | None] = reactive(None, init=False)
    """Someone else's text for this field, when both changed it; set by the screen."""
    problem: reactive[str | None] = reactive(None, init=False)
    """Why what was typed could not be saved, until it is; set by the screen."""
    locked: reactive[str | None] = reactive(None, init=False)
    """Why this field takes no typing at all (a team file this person may only read); set by
    the screen. Typing that could never be saved is refused, not kept to be lost."""

    class Pause(Message):
        """The person paused in the field or left it: its text should be saved."""

        def __init__(self, field: Autosaving, text: str) -> None:
            self.field = field
            self.text = text
            super().__init__()

        @property
        def control(self) -> Autosaving:
            """The field."""
            return self.field

    class Settle(Message):
        """The person chose between their text and someone else's, after a clash."""

        def __init__(self, field: Autosaving, keep_mine: bool) -> None:
            self.field = field
            self.keep_mine = keep_mine
            super().__init__()

        @property
        def control(self) -> Autosaving:
            """The field."""
            return self.field

    def __init__(
        self, text: str, *, name: str, label: str = "", id: str | None = None, classes: str = ""
    ) -> None:
        """text: the field as stored; name: the record's field it edits; label: its title.

        id: the widget's id, when one screen edits several records' fields of that name.
        """
        super().__init__(name=name, id=id or name, classes=classes)
        self._initial = text
        self._timer: Timer | None = None
        self._said_locked_at = -SAY_LOCKED_AGAIN
        self.label = label

    def compose(self) -> ComposeResult:
        """The text field, and the line that offers the other text in a clash."""
        yield self.make_field(self._initial)
        yield Static("", classes="clash", markup=False)

    def make_field(self, text: str) -> Widget:
        """Return the widget that takes the text."""
        raise NotImplementedError

    @property
    def text(self) -> str:
        """What the field holds now."""
        raise NotImplementedError

    def show_text(self, text: str) -> None:
        """Show another text (someone else's, saved meanwhile)."""
        raise NotImplementedError

    def lock_field(self, locked: bool) -> None:
        """Make the widget that takes the text take none (locked), or take it again."""
        raise NotImplementedError

    def typed(self) -> None:
        """The text changed: it is saved once the person pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PAUSE, self._paused)

    def _paused(self) -> None:
        self._timer = None
        self.save_now()

    def save_now(self) -> None:
        """Ask for the text to be saved now, not after the pause."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        # Said every time: the screen knows what is saved, and tries again what was not.
        self.post_message(self.Pause(self, self.text))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the field saves it at once."""
        self.save_now()

    def watch_clash(self) -> None:
        """Mark the field and offer their text while there is a clash."""
        self._show_state()
        self.refresh_bindings()

    def watch_problem(self) -> None:
        """Say why the text is not saved yet, while it is not."""
        self._show_state()

    def watch_locked(self, locked: str | None) -> None:
        """Take no typing while locked: what could never be saved is never typed."""
        self.set_class(locked is not None, "-locked")
        self.lock_field(locked is not None)

    def on_key(self, event: events.Key) -> None:
        """Say why a locked field takes nothing, rather than ignore the keys in silence."""
        if self.locked is None or not (event.is_printable or event.key in EDITING_KEYS):
            return
        # Stopped here: a character a locked field refuses must not reach the
        # app as a key of its own ("2" would switch screens mid-sentence).
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        if now - self._said_locked_at >= SAY_LOCKED_AGAIN:
            self._said_locked_at = now
            self.notify(self.locked, title="Read-only", severity="warning", markup=False)

    def _show_state(self) -> None:
        clash, problem = self.clash, self.problem
        self.set_class(clash is not None or problem is not None, "-clash")
        line = self.query_one(".clash", Static)
        said = Text()
        if clash is not None:
            keep = say_key(self, "autosave.keep_mine")
            take = say_key(self, "autosave.take_theirs")
            # The keys first: a long text of theirs must not push them out of sight.
            said.append(f"✗ {one_line(clash.who)} changed this too. ", style="bold")
            said.append(f"{keep} keeps yours, {take} takes theirs. Theirs:\n", style="bold")
            lines = for_display(clash.theirs).splitlines() or [""]
            said.append("\n".join(lines[:CLASH_LINES]))
            if len(lines) > CLASH_LINES:
                more = len(lines) - CLASH_LINES
                said.append(f"\n… and {more} more line{'' if more == 1 else 's'}", style="dim")
        elif problem is not None:
            said.append("✗ Not saved yet: ", style="bold")
            problem = one_line(problem)
            # A field's rule says what it "is" or "must be": the field, here, is "this".
            said.append(f"this {problem}" if problem.startswith(("is ", "must ")) else problem)
            said.append("\nIt is tried again when you pause or leave the field.", style="dim")
        line.update(said)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer keep mine and take theirs only in a clash."""
        if action == "settle":
            return self.clash is not None
        return True

    def action_settle(self, keep_mine: bool) -> None:
        """Choose your text or theirs."""
        if self.clash is not None:
            self.post_message(self.Settle(self, keep_mine))


class AutosaveText(Autosaving):
    """A paragraph field of a record, saved in the background as the person writes."""

    DEFAULT_CSS = """
    AutosaveText > TextArea {
        height: 6;
    }
    """

    def make_field(self, text: str) -> Widget:
        """A text area, titled with the label."""
        area = InOrderTextArea(text, compact=True, id=f"{self.id}-text")
        area.border_title = Text(self.label)  # a label is words, never markup
        return area

    def lock_field(self, locked: bool) -> None:
        """A read-only text area: it still scrolls, and its text can be selected and copied."""
        self.area.read_only = locked

    @property
    def area(self) -> TextArea:
        """The text area inside."""
        return self.query_one(TextArea)

    @property
    def text(self) -> str:
        """What the field holds now."""
        return self.area.text

    def show_text(self, text: str) -> None:
        """Show another text (someone else's, saved meanwhile), keeping the cursor's line."""
        area = self.area
        row, column = area.cursor_location
        area.load_text(text)
        last = area.document.line_count - 1
        row = min(row, last)
        area.move_cursor((row, min(column, len(area.document.get_line(row)))))

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.typed()


class AutosaveLine(Autosaving):
    """A one-line field of a record (a conclusion, a rating), saved as the person writes.

    Enter saves at once. options: Input's own (placeholder, type).
    plain_digits: full-width digits become plain ones as they are typed, for a
    box a number or two wide (a rating), where "１０" would not fit.
    """

    def __init__(
        self,
        text: str,
        *,
        name: str,
        label: str = "",
        id: str | None = None,
        classes: str = "",
        plain_digits: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(text, name=name, label=label, id=id, classes=classes)
        self._options = options
        self._plain_digits = plain_digits

    def make_field(self, text: str) -> Widget:
        """A one-line input, after its label if it has one (a clash shows below both)."""
        field = InOrderInput(text, compact=True, id=f"{self.id}-text", **self._options)
        if not self.label:
            return field
        return Horizontal(Label(self.label, classes="label"), field, classes="labelled")

    def lock_field(self, locked: bool) -> None:
        """A disabled input: Textual's Input has no read-only mode."""
        self.input.disabled = locked

    @property
    def input(self) -> Input:
        """The input inside."""
        return self.query_one(Input)

    @property
    def text(self) -> str:
        """What the field holds now."""
        return self.input.value

    def show_text(self, text: str) -> None:
        """Show another text (someone else's, saved meanwhile)."""
        with self.input.prevent(Input.Changed):
            self.input.value = text

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._plain_digits:
            plain = unicodedata.normalize("NFKC", event.value)
            if plain != event.value:
                self.input.value = plain  # changed again, and taken then
                return
        self.typed()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter saves, and moves on to the next field, as in the app's forms."""
        event.stop()
        self.save_now()
        self.screen.focus_next()
