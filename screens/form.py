"""A dialog of fields: keys typed before it is up land where meant, problems show in place.

Every form of the app is one: the contact form, the period dialog, and the
forms of the kinds to come. A form names its fields in tab order (``FIELDS``:
each field's id, with a ``#<id>-problem`` line below it, and ``#form-problem``
for what belongs to no one field) and says what saving means (``submit``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from ictui.screens.help import DIALOG_HELP
from ictui.screens.type_ahead import CANCEL, SAVE, TypedAhead, put_late
from ictui.widgets.key_names import say_key
from ictui.widgets.toggle import TwoWayToggle

if TYPE_CHECKING:
    from ictui.user.drafts import Draft

T = TypeVar("T")

FORM = "form"
"""The problem line of what belongs to no one field."""
DISCARD_WAIT = 4.0
"""Seconds within which a second Escape throws away what was changed in a form."""

SAVE_KEYS: list[BindingType] = [
    Binding("ctrl+s", "save", "Save", id="form.save"),
    Binding("escape", "cancel", "Cancel", id="form.cancel"),
    DIALOG_HELP,
]
"""A form's keys, in the usual order: save, cancel, help."""


class Form(ModalScreen[T]):
    """Fields in tab order, keys typed ahead played into them, problems marked beside them."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    """The ids of the form's fields, in tab order."""
    ENTER_SUBMITS: ClassVar[bool] = False
    """Whether Enter typed before the form is up means save (a form of one-line fields)."""
    DRAFT_OF: ClassVar[str] = ""
    """What the form writes, in words ("contact point"): typing left unsaved when the app
    must leave (a dropped connection) is kept as a draft of it; empty: never kept."""
    # The actions are here (save, cancel); a form binds them to keys in the
    # order its footer shows them, with its own words (SAVE_KEYS, say).

    def __init__(self) -> None:
        super().__init__()
        self._typed_ahead = TypedAhead()
        self._up = False
        """Whether the fields are in and the keys typed ahead played: until then, keys are kept.

        Not Textual's is_mounted, which turns true only after on_mount, where
        a save or a cancel typed ahead is acted on.
        """
        self._discarding = False  # Escape was pressed once with changes: a second one discards
        self.bring_back: Mapping[str, str] = {}
        """Field texts to put back as the form opens (a draft kept when the app last left)."""
        self.reopened_from: Draft | None = None
        """The draft this form was opened again on: spent once the form is saved or given up."""

    # -- what a form says -------------------------------------------------------------------

    def start_field(self) -> int:
        """Return the index in FIELDS of the field the form opens in."""
        return 0

    def prepare(self) -> None:
        """Make the fields ready before the keys typed ahead are played into them."""

    def submit(self) -> None:
        """Check the fields and act on them: save, or answer with them."""
        raise NotImplementedError

    def has_unsaved_changes(self) -> bool:
        """Whether closing now would throw away what was typed."""
        return False

    def busy(self) -> bool:
        """Whether the form cannot close now (saving, say); a form that is says why."""
        return False

    def typed_values(self) -> dict[str, str]:
        """Return each field's text as it stands (a switch: its option's value), for a draft."""
        values: dict[str, str] = {}
        for name in self.FIELDS:
            for widget in self.query(f"#{name}"):
                if isinstance(widget, Input):
                    values[name] = widget.value
                elif isinstance(widget, TextArea):
                    values[name] = widget.text
                elif isinstance(widget, TwoWayToggle):
                    values[name] = str(widget.value)
        return values

    def put_typed_values(self, values: Mapping[str, str]) -> None:
        """Put field texts back (from typed_values); a switch's only if it is still an option."""
        for name in self.FIELDS:
            if name not in values:
                continue
            text = values[name]
            for widget in self.query(f"#{name}"):
                if isinstance(widget, Input):
                    widget.value = text
                elif isinstance(widget, TextArea):
                    widget.text = text
                elif isinstance(widget, TwoWayToggle):
                    chosen = [value for _, value in widget.options if str(value) == text]
                    if chosen:
                        widget.value = chosen[0]

    def reopen(self, draft: Draft) -> None:
        """Open on a draft kept when the app last left: its texts go back into the fields."""
        self.reopened_from = draft
        self.bring_back = draft.fields

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def up(self) -> bool:
        """Whether the form is ready for keys (the keys typed ahead are in)."""
        return self._up

    def on_mount(self) -> None:
        """Play the keys typed before the form was up into its fields, in order.

        Characters go into the field they reach, Tab (and Enter in a one-line
        field) to the next field, Space or Enter to a switch; a save or a
        cancel among them acts last, on what they made.
        """
        self.prepare()
        if self.bring_back:  # after prepare: what was typed counts as not saved yet
            self.put_typed_values(self.bring_back)
        fields = [self.query_one(f"#{name}") for name in self.FIELDS]
        focus, ending = self._typed_ahead.play(fields, self.start_field())
        self._up = True
        self.set_focus(focus)  # at once: more keys may be on their way
        if ending == SAVE:
            self.action_save()
        elif ending == CANCEL:
            self.action_cancel()

    def type_ahead(self, key: str, character: str | None) -> None:
        """Take a key typed before the form was ready, for where the person meant it.

        A fast typist (or a paste) gets ahead of a form opening: until a field
        has focus, their keys reach the app instead of a field. A character or
        Tab that still arrives that way once the form is up goes to the field
        with focus, where the keys before it left off.
        """
        if not self._up:
            meant = SAVE if self.ENTER_SUBMITS and key == "enter" else key
            self._typed_ahead.keep(meant, character)
        else:
            put_late(self, key, character)

    def covered(self) -> bool:
        """Whether a dialog is over the form, such as the help or a conflict it waits on.

        Keys typed just before the dialog opened can still reach the form's
        fields; a save or a cancel then would act behind the dialog.
        """
        return self.app.screen is not self

    def action_save(self) -> None:
        """Save (or answer with) what the form holds, once it is up."""
        if not self._up:  # typed ahead: acted on once the keys before it are in
            self._typed_ahead.keep(SAVE, None)
            return
        if not self.covered():
            self.submit()

    def action_cancel(self) -> None:
        """Close without saving; with something changed, only on a second Escape."""
        if not self._up:  # typed ahead: acted on in its turn, as the other keys are
            self._typed_ahead.keep(CANCEL, None)
            return
        if self.covered() or self.busy():
            return
        if self.has_unsaved_changes() and not self._discarding:
            self._discarding = True
            said = (
                f"Not saved yet: press {say_key(self, 'form.cancel')} again to throw away what "
                f"you changed, or {say_key(self, 'form.save')} to save it."
            )
            # In the form, not a notice: a notice outlived the form when it was saved.
            line = next(iter(self.query(f"#{FORM}-problem").results(Static)), None)
            if line is None:
                self.notify(said, severity="warning", timeout=DISCARD_WAIT, markup=False)
            else:
                line.update(said)
                line.remove_class("hint")
                line.add_class("-shown", "-discard")
            self.set_timer(DISCARD_WAIT, self._keep_typing)
            return
        self.dismiss(None)

    def _keep_typing(self) -> None:
        self._discarding = False
        for line in self.query(f"#{FORM}-problem.-discard").results(Static):
            line.update("")
            line.remove_class("-shown", "-discard")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _retyped(self, event: Input.Changed | TextArea.Changed) -> None:
        """A field changed: the refusal under it no longer says anything true."""
        field = event.control.id
        if field not in self.FIELDS:
            return
        for line in self.query(f"#{field}-problem").results(Static):
            if line.has_class("-shown") and not line.has_class("hint"):
                line.update("")
                line.remove_class("-shown")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the row of the field with the cursor, for its name to be drawn reversed.

        A class set here, not the :focus-within pseudo-class: Textual restyles
        the focused widget's ancestors, not their other children, so the
        name kept the look of the field the form opened in.
        """
        for row in self.query(".row.-here"):
            row.remove_class("-here")
        for ancestor in event.widget.ancestors:
            if ancestor.has_class("row"):
                ancestor.add_class("-here")
                break

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a switch: what it said about text typed at it is done with."""
        if isinstance(event.widget, TwoWayToggle):
            self._forget_typed(event.widget.id)

    def _forget_typed(self, field: str | None) -> None:
        # Only what was said of typed text: a switch's own hint (a cadence changed) stays.
        for line in self.query(f"#{field}-problem").results(Static):
            if line.has_class("-typed"):
                line.update("")
                line.remove_class("hint", "-shown", "-typed")

    @on(TwoWayToggle.Typed)
    def _typed_at_switch(self, event: TwoWayToggle.Typed) -> None:
        """Text typed at a switch went nowhere: say so beside it, with the text, to type again."""
        field = event.control.id
        if field not in self.FIELDS or not self.query(f"#{field}-problem"):
            return
        text = event.text if len(event.text) <= 60 else "…" + event.text[-59:]
        line = self.query_one(f"#{field}-problem", Static)
        line.update(
            f"This is a switch, it takes no text: not kept “{text}”. "
            f"{say_key(self, 'switch.switch')} or ←/→ change it; Tab goes on to the next field."
        )
        line.add_class("hint", "-shown", "-typed")

    @on(TwoWayToggle.Toggled)
    def _switched(self, event: TwoWayToggle.Toggled) -> None:
        """A switch was changed on purpose: what it said about typed text is old news."""
        self._forget_typed(event.control.id)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Show each problem beside its field (the rest on the form's line); go to the first."""
        lines = [name for name in (*self.FIELDS, FORM) if self.query(f"#{name}-problem")]
        by_line: dict[str, list[str]] = {}
        for field, message in problems:
            if field not in lines and field != FORM:
                # Said on the form's line, away from any field: it names what it is about.
                message = f"{field.replace('_', ' ').capitalize()} {message}"
            by_line.setdefault(field if field in lines else FORM, []).append(message)
        for name in lines:
            line = self.query_one(f"#{name}-problem", Static)
            messages = by_line.get(name, [])
            if not messages and line.has_class("hint"):
                continue  # what is said of a value still holds ("not over yet")
            line.remove_class("hint", "-discard")
            line.update("; ".join(f"✗ {m}" for m in messages))
            line.set_class(bool(messages), "-shown")
        first = next((name for name in self.FIELDS if name in by_line), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
