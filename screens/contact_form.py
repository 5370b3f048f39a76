"""The form to log a contact point or change one, with problems shown beside each field."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from ictui.errors import Conflict, IctuiError, InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.screens.help import DIALOG_HELP
from ictui.screens.type_ahead import CANCEL, SAVE, TypedAhead, put_late
from ictui.services.contacts import (
    CheckedDraft,
    ContactDraft,
    Saved,
    changes_between,
    check_draft,
    compare,
    draft_of,
    partner_names,
    read_date,
    save_contact_point,
)
from ictui.teamfile.store import Store
from ictui.text import fold_case
from ictui.widgets.footer import KeyFooter
from ictui.widgets.keys_in_order import InOrderTextArea, NextOnEnterInput
from ictui.widgets.toggle import TwoWayToggle
from ictui.widgets.verdict import VerdictToggle

if TYPE_CHECKING:
    from ictui.app import IctuiApp

FIELDS = ("partner", "direction", "verdict", "date", "why")


class ContactForm(ModalScreen[ContactPoint | None]):
    """Log a contact point: who with, which way, how it went, when, and why.

    Dismissed with the contact point as saved, or None when nothing was.
    """

    CSS_PATH = "contact_form.tcss"
    AUTO_FOCUS = ""  # on_mount picks the field: the partner to add, the reason to edit
    HELP = (
        "Type the partner's name (known names complete with →; a new name adds a partner). "
        "Tab, or Enter in a one-line field, moves to the next field. "
        "Space switches the verdict. The date takes YYYY-MM-DD, today or yesterday. "
        "Ctrl+S saves; Escape closes without saving."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        DIALOG_HELP,
    ]

    def __init__(self, point: ContactPoint | None, partners: list[Partner]) -> None:
        super().__init__()
        self.point = point
        """The contact point being changed, at the revision the change starts from; None to add."""
        self.partners = sorted((p.name for p in partners), key=str.casefold)
        self._known = {fold_case(p.name): p for p in partners}
        self._saving = False
        self._discarding = False  # Escape was pressed once with changes: a second one discards
        self._result_when_on_top: tuple[ContactPoint | None] | None = None
        """The result to close with once the form is on top again (help or a dialog covers it)."""
        self._way_chosen = point is not None  # a person's own choice of way is never overridden
        self._typed_ahead = TypedAhead()
        self._up = False
        """Whether the fields are in and the keys typed ahead played: until then, keys are kept.

        Not Textual's is_mounted, which turns true only after on_mount, where
        a Ctrl+S or Escape typed ahead is acted on.
        """
        self._started_from = ContactDraft("", "", Direction.PROVIDED, Verdict.SUCCESS, "")
        """The record as it was when editing began: what "your changes" are measured against."""

    @property
    def ictui(self) -> IctuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        point = self.point
        names = partner_names(self.ictui.snapshot) if self.ictui.snapshot else {}
        partner = names.get(point.partner_id, "") if point else ""
        direction = point.direction if point else Direction.PROVIDED
        day = point.date if point else self.ictui.today()
        with Vertical(id="dialog"):
            title = f"Edit contact point {point.id}" if point else "Log a contact point"
            yield Label(title, id="title")
            with Horizontal(classes="row"):
                yield Label("Partner", classes="name")
                yield NextOnEnterInput(
                    partner,
                    placeholder="who it was with",
                    suggester=SuggestFromList(self.partners, case_sensitive=False),
                    id="partner",
                    compact=True,
                )
            yield Static("", id="partner-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Way", classes="name")
                yield TwoWayToggle(
                    tuple((d.label, d) for d in Direction),  # type: ignore[arg-type]
                    direction,
                    id="direction",
                )
            yield Static("", id="direction-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Verdict", classes="name")
                yield VerdictToggle(point.verdict if point else Verdict.SUCCESS, id="verdict")
            yield Static("", id="verdict-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Date", classes="name")
                yield NextOnEnterInput(
                    day.isoformat(), placeholder="YYYY-MM-DD", id="date", compact=True
                )
            yield Static("", id="date-problem", classes="problem", markup=False)
            with Horizontal(classes="row", id="why-row"):
                yield Label("Why", classes="name")
                yield InOrderTextArea(point.why if point else "", id="why", compact=True)
            yield Static("", id="why-problem", classes="problem", markup=False)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KeyFooter(compact=True)  # this form's keys, not those of the screen beneath

    def on_mount(self) -> None:
        """Start in the partner field when adding, in the reason when editing.

        Keys typed before the form was up are played into it now, in order:
        characters into the field they reach, Tab (and Enter in a one-line
        field) to the next field, Space or Enter on a switch; a Ctrl+S or an
        Escape among them acts last, on what they made.
        """
        self._started_from = self.draft()
        why = self.query_one("#why", TextArea)
        why.move_cursor(why.document.end)  # to add to the reason, the usual edit
        fields = [self.query_one(f"#{name}") for name in FIELDS]
        start = FIELDS.index("why" if self.point else "partner")
        focus, ending = self._typed_ahead.play(fields, start)
        self._up = True
        self.set_focus(focus)  # at once: more keys may be on their way
        if ending == SAVE:
            self.action_save()
        elif ending == CANCEL:
            self.action_cancel()

    def type_ahead(self, key: str, character: str | None) -> None:
        """Take a key typed before the form was ready, for where the person meant it.

        A fast typist (or a paste) gets ahead of the form opening: until a field
        has focus, their keys reach the app instead of a field. A character or
        Tab that still arrives that way once the form is up goes to the field
        with focus, where the keys before it left off.
        """
        if not self._up:
            self._typed_ahead.keep(key, character)  # on_mount plays them in
        else:
            put_late(self, key, character)

    @on(TwoWayToggle.Toggled, "#direction")
    def _way_chosen_by_hand(self) -> None:
        self._way_chosen = True

    @on(Input.Changed, "#partner")
    def _follow_partner(self, event: Input.Changed) -> None:
        name = event.value.strip()
        known = self._known.get(fold_case(name))
        if known is not None and not self._way_chosen:
            way = self.query_one("#direction", TwoWayToggle)
            way.value = (
                Direction.RECEIVED
                if known.relationship is Relationship.PROVIDER
                else Direction.PROVIDED
            )
        is_new = bool(name) and known is None
        hint = "A new partner: it will be added." if is_new else ""
        offered = self._offered_partner(event.value) if is_new else None
        if offered is not None:
            # A name half typed is more often a known partner than a new one.
            hint = f"A new partner, or press → for “{offered}”."
        problem = self.query_one("#partner-problem", Static)
        problem.update(hint)
        problem.set_class(is_new, "hint", "-shown")

    def _offered_partner(self, typed: str) -> str | None:
        """Return the known partner the field offers to complete typed to, as its suggester does."""
        start = typed.casefold()
        return next((name for name in self.partners if name.casefold().startswith(start)), None)

    def draft(self) -> ContactDraft:
        """Return what the form holds now."""
        return ContactDraft(
            partner=self.query_one("#partner", Input).value,
            date=read_date(self.query_one("#date", Input).value, self.ictui.today()),
            direction=self.query_one("#direction", TwoWayToggle).value,
            verdict=self.query_one(VerdictToggle).verdict,
            why=self.query_one("#why", TextArea).text,
        )

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Show each problem beside its field, and move to the first one."""
        by_field: dict[str, list[str]] = {}
        for field, message in problems:
            name = field if field in FIELDS else "form"
            by_field.setdefault(name, []).append(message)
        for name in (*FIELDS, "form"):
            widget = self.query_one(f"#{name}-problem", Static)
            messages = by_field.get(name, [])
            widget.remove_class("hint")
            widget.update("; ".join(f"✗ {m}" for m in messages))
            widget.set_class(bool(messages), "-shown")
        first = next((name for name in FIELDS if name in by_field), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    def action_save(self) -> None:
        """Check the form, then save it; the form stays open until the save is done."""
        if not self._up:  # typed ahead of the form: saved once the keys before it are in
            self._typed_ahead.keep(SAVE, None)
            return
        if self._saving or self._covered():
            return
        try:
            draft = check_draft(self.draft(), self.ictui.today())
        except InvalidInput as error:
            self.show_problems(error.problems)
            return
        self.show_problems([])
        rev = self.point.rev if self.point else 0
        self._save(draft, rev)

    def _save(self, draft: ContactDraft | CheckedDraft, rev: int, *, restore: bool = False) -> None:
        record_id = self.point.id if self.point else None
        self._set_saving(True)

        def write(store: Store) -> Saved:
            return save_contact_point(
                store, draft, record_id=record_id, expected_rev=rev, restore=restore
            )

        self.ictui.write("save the contact point", write, done=self._saved,
                         conflict=self._conflict, failed=self._failed)  # fmt: skip

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        button = self.query_one("#save", Button)
        button.disabled = saving
        button.label = "Saving…" if saving else "Save"

    def _saved(self, saved: Saved) -> None:
        if saved.new_partner is not None:
            self.notify(f"Added partner {saved.new_partner.name}.", markup=False, timeout=3)
        self._close(saved.point)

    def _close(self, result: ContactPoint | None) -> None:
        """Close with this result now if the form is on top, else when it is again.

        A save ends in a thread while the person may have opened the help over
        the form; Textual's dismiss closes whichever screen is on top.
        """
        if self.is_active:
            self.dismiss(result)
        elif self in self.app.screen_stack:
            self._result_when_on_top = (result,)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Close, if a save ended while something covered the form."""
        if self._result_when_on_top is not None:
            (result,) = self._result_when_on_top
            self._result_when_on_top = None
            self.dismiss(result)

    def _covered(self) -> bool:
        """Whether a dialog is over the form, such as the conflict it is waiting on.

        Keys typed just before the dialog opened can still reach the form's fields
        and be played there; a save or a cancel then would act behind the dialog
        (a second conflict dialog, or Textual closing the dialog instead of the form).
        """
        return self.app.screen is not self

    def _still_saving(self) -> bool:
        """Whether a save is under way; if so, say the form closes when it is done."""
        if self._saving:
            self.notify("Saving… the form closes when it is saved.", timeout=2)
        return self._saving

    def _failed(self, error: IctuiError) -> None:
        self._set_saving(False)
        if isinstance(error, InvalidInput):
            self.show_problems(error.problems)
        else:
            self.show_problems([("form", str(error))])

    def _conflict(self, conflict: Conflict) -> None:
        from ictui.screens.conflict import ConflictScreen

        self._set_saving(False)
        theirs = conflict.current
        assert isinstance(theirs, ContactPoint) and self.point is not None
        names = partner_names(self.ictui.snapshot) if self.ictui.snapshot else {}
        their_partner = names.get(theirs.partner_id, "")
        changes = changes_between(self._started_from, self.draft())
        fields = compare(theirs, their_partner, changes)

        def chosen(keep_mine: bool | None) -> None:
            if keep_mine is None:
                return  # back to the form, with everything typed still there
            if not keep_mine:
                self._close(None)
                return
            # Yours, over theirs: only what you changed replaces what they saved.
            merged = replace(draft_of(theirs, their_partner), **changes)
            self.point = theirs
            self._started_from = draft_of(theirs, their_partner)
            self._save(merged, theirs.rev, restore=theirs.deleted)

        self.app.push_screen(ConflictScreen(conflict, fields), chosen)

    def has_unsaved_changes(self) -> bool:
        """Whether anything was changed since the form opened and not saved yet."""
        if not self._up or self._saving:  # a save under way is as good as saved
            return False
        return bool(changes_between(self._started_from, self.draft()))

    def action_cancel(self) -> None:
        """Close the form without saving; with something changed, only on a second Escape."""
        if not self._up:  # typed ahead of the form: acted on once the keys before it are in
            self._typed_ahead.keep(CANCEL, None)
            return
        if self._still_saving() or self._covered():
            return
        if self.has_unsaved_changes() and not self._discarding:
            self._discarding = True
            self.notify(
                "Press Escape again to throw away what you changed, or Ctrl+S to save it.",
                title="Not saved yet",
                severity="warning",
                timeout=4,
            )
            self.set_timer(4, self._keep_typing)
            return
        self.dismiss(None)

    def _keep_typing(self) -> None:
        self._discarding = False

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        if not self._still_saving():
            self.dismiss(None)  # an explicit choice: nothing to confirm
