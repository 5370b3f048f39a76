"""A form that writes one record: it stays open while it saves, and settles conflicts.

A kind's form says how its fields make a draft (``draft``, ``draft_of``), how
a draft is checked and written (``check``, ``write_for``) and how two versions
compare; this base does the rest: the save in the background with the form
open ("Saving…"), the close once the record is in the team file (after any
dialog that covers the form), a refused value marked in place, and a save that
meets someone else's change, shown side by side with "keep mine" (only the
fields you changed, over theirs) or "take theirs".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any, ClassVar, Generic, TypeVar, cast

from textual import events, on
from textual.widgets import Button

from ictui.errors import Conflict, IctuiError, InvalidInput
from ictui.kinds.partner import Partner
from ictui.kinds.record import R
from ictui.screens.form import FORM, Form
from ictui.screens.team_app import WriteDone, team_app
from ictui.services.compare import FieldChange, changes_between
from ictui.services.contacts import archived_namesake
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.writes import Write
from ictui.text import fold_case, for_display
from ictui.user.drafts import Draft

NEW_PARTNER = "A new partner: it will be added."
"""Said under a partner's name that no partner has: saving adds it."""

D = TypeVar("D")
"""A kind's draft: its fields as a person edits them."""


class RecordForm(Form[R | None], Generic[R, D]):
    """Add or change one record; dismissed with the record as saved, or None when nothing was."""

    def __init__(self, record: R | None, *, chained: bool = False) -> None:
        super().__init__()
        self.record = record
        """The record being changed, at the revision the change starts from; None to add one."""
        self.chained = chained
        """Whether that revision is one a change of ours, still being written, will leave."""
        self._saving = False
        self._result_when_on_top: tuple[R | None] | None = None
        """The result to close with once the form is on top again (help or a dialog covers it)."""
        self._started_from: D | None = None
        """The draft as it was when editing began: what "your changes" are measured against."""

    def unknown_partner_hint(self, name: str) -> str:
        """Say what saving does with a name no live partner has: keep, bring back or add one."""
        snapshot = team_app(self).snapshot
        if snapshot is None:
            return NEW_PARTNER
        record = self.record
        now_id = getattr(record, "partner_id", None)
        now = None if record is None or now_id is None else snapshot.get(Partner, now_id)
        kept = now is not None and now.deleted and fold_case(now.name) == fold_case(name)
        if record is not None and kept:
            return f"An archived partner: the {record.LABEL} stays with it."
        if archived_namesake(snapshot, name) is not None:
            return "An archived partner with no records: it will be brought back."
        return NEW_PARTNER

    # -- what a kind's form says ------------------------------------------------------------

    def draft(self) -> D:
        """Return what the form holds now."""
        raise NotImplementedError

    def draft_of(self, record: R) -> D:
        """Return a record as the form would hold it."""
        raise NotImplementedError

    def check(self, draft: D) -> Any:
        """Return the draft checked, ready to write; InvalidInput naming each bad field."""
        raise NotImplementedError

    def write_for(self, draft: Any, *, restore: bool) -> Write:
        """Return the write that saves a draft (checked or not) as self.record's next version.

        restore: the record was deleted meanwhile; bring it back with the change.
        """
        raise NotImplementedError

    NAME_FIELDS: ClassVar[frozenset[str]] = frozenset({"partner"})
    """The draft's fields that hold a name: the same name in another case is no change."""

    def changes(self, before: D, after: D) -> dict[str, Any]:
        """Return the fields of a draft (a dataclass) changed from before to after, as now.

        A name (NAME_FIELDS) in another case or spacing is no change.
        """

        def same(name: str, old: Any, new: Any) -> bool:
            if name in self.NAME_FIELDS:
                return fold_case(str(old)) == fold_case(str(new))
            return str(old) == str(new)

        return changes_between(asdict(cast(Any, before)), asdict(cast(Any, after)), same)

    def merged(self, theirs: D, changes: Mapping[str, Any]) -> D:
        """Return their version of the draft (a dataclass) with your changed fields on top."""
        merged: D = replace(cast(Any, theirs), **changes)
        return merged

    def comparison(self, theirs: R, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return each field as keeping your changes would leave it, beside how it is now."""
        raise NotImplementedError

    def show_draft(self, draft: D) -> None:
        """Put a draft into the form's fields."""
        raise NotImplementedError

    def saved(self, result: Any) -> R:
        """Take note of what the write made (a new partner to mention, say); return the record."""
        record: R = result
        return record

    # -- saving ----------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Remember what the form held when it opened: your changes are measured from it."""
        self._started_from = self.draft()

    def submit(self) -> None:
        """Check the form, then save it; the form stays open until the save is done."""
        if self._saving:
            return
        try:
            checked = self.check(self.draft())
        except InvalidInput as error:
            self.show_problems(error.problems)
            return
        self.show_problems([])
        self._save(checked, restore=False)

    def _save(self, draft: Any, *, restore: bool) -> None:
        self._set_saving(True)
        team_app(self).write(self.write_for(draft, restore=restore), asker=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        for button in self.query("#save").results(Button):
            button.disabled = saving
            button.label = "Saving…" if saving else "Save"

    def on_write_done(self, message: WriteDone) -> None:
        """Close once saved; show what was refused; ask about a conflict."""
        message.stop()
        outcome = message.outcome
        if isinstance(outcome, Written):  # still "saving" until closed: nothing more to save
            self._close(self.saved(outcome.result))
        elif isinstance(outcome, Conflicted):
            self._set_saving(False)
            self._conflict(outcome.conflict)
        elif isinstance(outcome, Refused):
            self._set_saving(False)
            self._refused(outcome.error)

    def _refused(self, error: IctuiError) -> None:
        if isinstance(error, InvalidInput):
            self.show_problems(error.problems)
        else:
            self.show_problems([(FORM, str(error))])

    def _conflict(self, conflict: Conflict) -> None:
        from ictui.screens.conflict import ConflictScreen

        theirs: R = conflict.current  # type: ignore[assignment]
        started = self._started_from if self._started_from is not None else self.draft()
        changes = self.changes(started, self.draft())
        if not changes:  # nothing of yours to keep: theirs stands, and no question to answer
            who = for_display(theirs.updated_by.display)
            did = theirs.DELETED if theirs.deleted else "changed"  # "archived", for a partner
            self.notify(
                f"{who} {did} this {theirs.LABEL} while it was open here; you had changed "
                "nothing, so it stays as they left it.",
                markup=False,
            )
            self._close(None)
            return

        def chosen(keep_mine: bool | None) -> None:
            if keep_mine is None:
                return  # back to the form, with everything typed still there
            if not keep_mine:
                self._close(None)
                return
            # Yours, over theirs: only what you changed replaces what they saved.
            merged = self.merged(self.draft_of(theirs), changes)
            self.record, self.chained = theirs, False
            self._started_from = self.draft_of(theirs)
            # What the form shows is what is saved: a save refused now and made
            # again later must not put back what they changed.
            self.show_draft(merged)
            self._save(merged, restore=theirs.deleted)

        rows = self.comparison(theirs, changes)
        self.app.push_screen(ConflictScreen(conflict, rows), chosen)

    # -- closing ---------------------------------------------------------------------------------

    def _close(self, result: R | None) -> None:
        """Close with this result now if the form is on top, else when it is again.

        A save ends in the background while the person may have opened the help
        over the form; Textual's dismiss closes whichever screen is on top.
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

    def busy(self) -> bool:
        """Whether a save is under way; if so, say the form closes when it is done."""
        if self._saving:
            self.notify("Saving… the form closes when it is saved.", timeout=2)
        return self._saving

    def has_unsaved_changes(self) -> bool:
        """Whether anything was changed since the form opened and not saved yet."""
        if not self.up or self._saving or self._started_from is None:
            return False  # a save under way is as good as saved
        return bool(self.changes(self._started_from, self.draft()))

    def draft_to_keep(self) -> Draft | None:
        """Return what to keep if the app must leave now (a dropped connection); None if nothing.

        Only typing not saved: a save under way is waited for as the app leaves.
        """
        if not self.DRAFT_OF or not self.has_unsaved_changes():
            return None
        app = team_app(self)
        record = self.record
        return Draft(
            team_file=str(app.store.path),
            form=self.DRAFT_OF,
            record_id=record.id if record is not None else None,
            place=self.app.current_mode,
            fields=self.typed_values(),
            rev=record.rev if record is not None else None,
            kept_at=app.store.clock().astimezone().isoformat(timespec="seconds"),
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        if not self.busy():
            self.dismiss(None)  # an explicit choice: nothing to confirm
