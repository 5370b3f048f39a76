"""A screen that edits records in place, their fields saving themselves (interviews, debriefs).

A kind's editor composes Autosaving fields among whatever else it shows and
says which record and field each one edits (``follow``; a field named after
a field of the editor's own record is followed without being asked). This
base writes each field when its writer pauses, keeps it merged field by field
with other people's changes, and offers both texts when two people changed
the same field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from ictui.kinds.record import R, Record
from ictui.screens.team_app import SAY_SAVING_AFTER, TeamApp, WriteDone, team_app
from ictui.services.autosave import AutosavedField, Clash
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.writes import Change, Write
from ictui.text import counted, for_display, one_line
from ictui.user.drafts import Draft
from ictui.widgets.autosave_text import Autosaving
from ictui.widgets.key_names import say_key

CLASH, VALUE, REFUSED = "clash", "value", "refused"
"""Why a field's text is not in the team file: a colleague changed it too, it means no value
(a rating off the scale), or its write was refused (a read-only file, a lock held too long)."""
BASE = "@base"
"""After a field's key in a draft: the text it held when the draft's text was typed over it."""
ADDING = "+"
"""Before a line's id in a draft: the words on a line that adds a part, not entered yet."""
READ_ONLY = "the team file is read-only"
"""Why a field is not saved, said per field when the file may only be read (once, below)."""


def why_read_only(team: TeamApp) -> str | None:
    """Say why nothing could be saved to the team's file (it is read-only), or None."""
    problem = team.store.write_problem()
    if problem is None:
        return None
    # Said by the store for a write refused; here nothing has been tried.
    problem = problem.removesuffix(". Nothing was written").rstrip(".")
    return f"{for_display(team.store.path.name)} {for_display(problem)}."


@dataclass(frozen=True)
class Unsaved:
    """A field whose text the team file does not have: its name, why, and the cause."""

    name: str
    why: str
    cause: str


class RecordEditor(Screen[None], Generic[R]):
    """A record, and parts of it kept as records of their own, edited in place as people type.

    On a team file this person may only read, every field is locked from the
    start (a ``#read-only`` Static says why); going back (``action_back``)
    waits for the writes on their way and stays, asking, while the file lacks
    something typed: text is never thrown away unasked.
    """

    KIND: ClassVar[type[Any]]
    """The kind of record edited."""
    DRAFT_OF: ClassVar[str] = ""
    """What a draft of it is called ("interview worksheet"); empty: it keeps none."""
    DRAFT_AFTER_WRITES: ClassVar[bool] = True
    """Its draft is taken once the writes on their way are in: a field saves itself."""
    PLACE: ClassVar[str] = ""
    """The screen its drafts are reopened from ("debriefs"), wherever it was opened."""
    ADD_LINES: ClassVar[str] = ""
    """A selector of the lines that add a part (a conclusion, an item): hidden when read-only."""
    SAVING_SAID: ClassVar[str] = "Saving: this closes once all is in."
    """What going back says while it waits for the last writes."""

    def __init__(self, record: R) -> None:
        super().__init__()
        self.record = record
        """The record as last read."""
        self._fields: dict[str, AutosavedField[Any]] = {}
        self._widgets: dict[str, Autosaving] = {}
        self._read_only: str | None = None  # why this person may not write the team file
        self._leaving = False  # Escape was pressed: going once the writes on their way are in
        self._removing: set[tuple[str, int]] = set()  # parts this person asked to remove
        self.reopened_from: Draft | None = None
        """The draft this editor was opened again on, if it was: put in once it is up."""
        self._to_put: Draft | None = None
        self.draft_spent = True
        """Whether every text of the draft reopened went back in: if not, it is kept."""

    @property
    def team(self) -> TeamApp:
        """The app, as screens use it."""
        return team_app(self)

    def on_mount(self) -> None:
        """Follow each field, and each new reading of the team file."""
        for widget in self.query(Autosaving):
            if str(widget.id) not in self._fields:
                self.follow(widget, self.KIND, self.record, str(widget.name))
        self.watch(self.app, "snapshot", self._read, init=False)
        if self._to_put is not None:
            draft, self._to_put = self._to_put, None
            self._put_draft(draft)

    # -- drafts: what the team file did not take when the app had to leave --------------------

    def reopen(self, draft: Draft) -> None:
        """Open on a draft kept when the app last left: its texts go back in once it is up."""
        self.reopened_from = self._to_put = draft

    def draft_to_keep(self) -> Draft | None:
        """Return the texts the team file does not have (refused, in a clash, on the way).

        Taken as the app leaves on a signal, once the writes on their way are in
        or the wait for them is over; None if every field is saved. Each text goes
        with the one it was typed over ("KEY@base"), so that a text changed since
        is not overwritten; one in a clash goes without: it reopens as a clash.
        """
        if not self.DRAFT_OF:
            return None
        fields: dict[str, str] = {}
        for key, widget in self.followed():
            field = self.field_of(key)
            if self.is_unsaved(key) or field.sent is not None:
                fields[key] = widget.text
                if field.clash is None:  # in a clash, base is already theirs
                    fields[f"{key}{BASE}"] = field.shown(field.base)
        for line in self._add_lines():
            if line.id and line.value.strip():
                fields[f"{ADDING}{line.id}"] = line.value
        if not fields:
            return None
        store = self.team.store
        return Draft(
            team_file=str(store.path),
            form=self.DRAFT_OF,
            record_id=self.record.id,
            place=self.PLACE or self.app.current_mode,
            fields=fields,
            kept_at=store.clock().astimezone().isoformat(timespec="seconds"),
        )

    def _put_draft(self, draft: Draft) -> None:
        """Put a draft's texts back: saved as typing is, or offered beside a text changed since.

        A text that finds no field (its part removed since) leaves the draft kept,
        and says so: it is spent only once every text is back.
        """
        missing = []
        lines = {f"{ADDING}{line.id}": line for line in self._add_lines()}
        for key, text in draft.fields.items():
            if key.endswith(BASE):
                continue
            if key.startswith(ADDING):
                line = lines.get(key)
                if line is None or not line.display:  # gone, or hidden: the file is read-only
                    missing.append(key)
                elif text not in line.value:
                    line.value = " ".join(filter(None, (line.value.strip(), text)))
                continue
            widget = self._widgets.get(key)
            if widget is None or widget.locked is not None:
                missing.append(key)
                continue
            field = self.field_of(key)
            now = field.shown(field.base)
            if text == now:
                continue
            widget.show_text(text)
            typed_over = draft.fields.get(f"{key}{BASE}")
            if typed_over != now:  # changed since, or in a clash then: both shown, to choose
                who = self._last_changed_by(field.kind, field.record_id)
                field.clash = Clash(now, who)
                widget.clash = field.clash
            else:
                widget.typed()
        self.draft_spent = not missing
        if missing:
            self.notify(
                f"{counted(len(missing), 'text')} of the draft found no field (a part removed "
                "since): the draft is kept, and offered again at the next start.",
                title="Draft reopened in part",
                severity="warning",
                timeout=10,
            )
            return
        self.notify(
            "What was not saved when the app last left is back in its fields.",
            title="Draft reopened",
            timeout=6,
        )

    def _last_changed_by(self, kind: type[Record], record_id: int) -> str:
        snapshot = self.team.snapshot
        record = snapshot.get(kind, record_id) if snapshot is not None else None
        return record.updated_by.display if record is not None else "someone"

    def follow(
        self,
        widget: Autosaving,
        kind: type[Any],
        record: Record,
        field: str,
        parse: Callable[[str], Any] | None = None,
        called: str = "",
    ) -> None:
        """Save what is typed into widget as field of record (of kind), and show others' changes.

        parse: what typed text means, for a field that is not text (see AutosavedField);
        called: its name in messages, when its label is not enough ("Answer 2").
        Locked from the start when the team file may only be read.
        """
        self._fields[str(widget.id)] = AutosavedField(kind, record, field, parse, called)
        self._widgets[str(widget.id)] = widget
        if self._read_only is not None:
            widget.locked = self._read_only  # typing that could never be saved is refused

    def removing(self, kind: type[Record], record_id: int) -> None:
        """Note that this person asked to remove a part: its row going is no news to them."""
        self._removing.add((kind.TABLE, record_id))

    def leave_removed_row(
        self, row: Widget, gone: Record | None, what: str, keep_on: Input | None
    ) -> None:
        """Before the row of a removed part goes: take the cursor out of it, keeping the words.

        Textual gives the focus of a field that goes to the next one, and typing went on
        into it: into another paragraph, saved there. The cursor goes to keep_on (the
        line that adds such parts) instead. Removed by someone else, the words of the
        field the cursor was in go on that line (Enter adds them again), and it is said.
        """
        ours = gone is not None and (gone.TABLE, gone.id) in self._removing
        focused = self.focused
        if focused is None or row not in focused.ancestors:
            return
        words = ""
        if isinstance(focused, Input):
            words = focused.value
        elif isinstance(focused, TextArea):
            words = focused.text
        kept = False
        if keep_on is not None:
            if not ours and words.strip():
                # After anything already on the line: neither is lost.
                keep_on.value = " ".join(filter(None, (keep_on.value.strip(), one_line(words))))
                keep_on.cursor_position = len(keep_on.value)  # typing goes on after the words
                kept = True
            self.set_focus(keep_on)
        else:
            self.set_focus(None)
        if ours:
            return
        who = one_line(gone.updated_by.display) if gone is not None else "Someone"
        said = f"{who} removed the {what} you were writing in."
        if kept:
            said += " Your words are on the line that adds one: Enter adds them again."
        self.notify(said, title="Removed", severity="warning", timeout=10, markup=False)

    def save_refused_again(self) -> None:
        """Try again, now, every field whose save was refused (its record is back, say).

        Otherwise each waits for the next pause in it, and says "Not saved yet" meanwhile.
        """
        for key, widget in list(self._widgets.items()):
            if widget.problem is not None and widget.clash is None:
                widget.problem = None
                self._save(key, widget.text)

    def forget(self, widget: Autosaving) -> None:
        """Stop following a field (its record is gone)."""
        self._fields.pop(str(widget.id), None)
        self._widgets.pop(str(widget.id), None)

    def _ask(self, write: Write | None) -> None:
        if write is not None:
            self.team.write(write, asker=self)

    def _save(self, key: str, text: str) -> None:
        """Save a field's text, or say in place why it means nothing."""
        field, widget = self._fields[key], self._widgets[key]
        try:
            self._ask(field.save(text))
        except ValueError as error:
            widget.problem = str(error)

    def on_autosaving_pause(self, message: Autosaving.Pause) -> None:
        """Save a field its writer paused in or left."""
        key = str(message.field.id)
        if key in self._fields:
            message.field.problem = None
            self._save(key, message.text)

    def on_autosaving_settle(self, message: Autosaving.Settle) -> None:
        """Settle a clash: write yours over theirs, or show theirs."""
        key = str(message.field.id)
        field = self._fields.get(key)
        if field is None:
            return
        widget = message.field
        if message.keep_mine:
            field.clash = None
            self._save(key, widget.text)
        else:
            widget.show_text(field.take_theirs())
        widget.clash = field.clash

    def _keys_of(self, write: Change[Any]) -> list[str]:
        return [
            key
            for key, field in self._fields.items()
            if field.kind is write.kind
            and field.record_id == write.record_id
            and field.field in write.changes
        ]

    def on_write_done(self, message: WriteDone) -> None:
        """Follow what became of a field's write; a kind's editor hears of its other writes."""
        message.stop()
        outcome = message.outcome
        write = outcome.write
        keys = self._keys_of(write) if isinstance(write, Change) else []
        if not keys:
            self.other_write_done(message)
            return
        for key in keys:
            field, widget = self._fields[key], self._widgets[key]
            if isinstance(outcome, Written):
                if field.kind is self.KIND and field.record_id == self.record.id:
                    self.record = outcome.result
                field.written(outcome.result)
                widget.problem = None
                self._save(key, widget.text)  # typed on while it was saved
            elif isinstance(outcome, Conflicted):
                try:
                    self._ask(field.conflicted(outcome.conflict.current, widget.text))
                except ValueError as error:
                    widget.problem = str(error)
            elif isinstance(outcome, Refused):
                field.refused()  # the text stays, marked, and is tried again at the next pause
                widget.problem = str(outcome.error)
            widget.clash = field.clash
        self.field_saved(write)

    def other_write_done(self, message: WriteDone) -> None:
        """Hear what became of a write that is not a field's (a tick, a new part)."""

    def field_saved(self, write: Write) -> None:
        """A field's write came back (written or not): show what depends on it."""

    def flush_edits(self) -> None:
        """Save now whatever a field holds that is not saved: the person is leaving."""
        for key, widget in self._widgets.items():
            self._save(key, widget.text)

    def field_of(self, key: str) -> AutosavedField[Any]:
        """Return what a followed field saves: its kind, record and field."""
        return self._fields[key]

    def followed(self) -> list[tuple[str, Autosaving]]:
        """Return each field followed, by its key."""
        return list(self._widgets.items())

    def is_unsaved(self, key: str) -> bool:
        """Whether a field holds text the file will not have (a clash, or a write refused)."""
        widget = self._widgets[key]
        return self._fields[key].unsaved(widget.text) or widget.problem is not None

    def has_unsaved_changes(self) -> bool:
        """Whether a field, or a line adding a part, holds text the file will not have."""
        return bool(self.unsaved_fields())

    # -- a team file that may only be read -------------------------------------------------

    def _why_read_only(self) -> str | None:
        """Say why nothing typed here could be saved (the team file is read-only), or None."""
        return why_read_only(self.team)

    def _add_lines(self) -> list[Input]:
        """Return the lines that add a part (a conclusion, an item), if the editor has any."""
        return list(self.query(self.ADD_LINES).results(Input)) if self.ADD_LINES else []

    def _show_read_only(self) -> None:
        """Say at the top why nothing takes typing; hide the lines that only add."""
        note = self.query_one("#read-only", Static)
        note.display = self._read_only is not None
        for line in self.query(self.ADD_LINES) if self.ADD_LINES else ():
            line.display = self._read_only is None
        if self._read_only is not None:
            note.update(f"✗ Read-only: nothing here can be changed. {self._read_only}")

    def _refused_read_only(self) -> bool:
        """Whether the team file may only be read: if so, say why nothing is done."""
        if self._read_only is None:
            return False
        self.notify(
            f"Nothing can be changed here: {self._read_only}",
            title="Read-only",
            severity="warning",
            markup=False,
        )
        return True

    # -- going back ------------------------------------------------------------------------

    def action_back(self) -> None:
        """Go back once all typed is in the team file; what is not is asked about.

        Closing as soon as the writes are queued would leave a write refused after
        (a file turned read-only, a lock held too long) with no field to keep its
        text: the editor waits for what becomes of them, usually a moment.
        """
        self.flush_edits()
        if not self._saving():
            self._leave_or_ask()
        elif not self._leaving:
            self._leaving = True
            self.set_timer(SAY_SAVING_AFTER, self._say_saving)

    def adding(self) -> bool:
        """Whether a new part (a conclusion, an item) is on its way to the team file."""
        return False

    def _saving(self) -> bool:
        """Whether a field's text, or a new part, is on its way to the team file."""
        return self.adding() or any(
            self.field_of(key).sent is not None for key, _ in self.followed()
        )

    def _say_saving(self) -> None:
        if self._leaving:
            self.notify(self.SAVING_SAID, timeout=3, markup=False)

    def _leave_when_saved(self) -> None:
        """Go back, as Escape asked, once nothing is on its way; ask if something was refused."""
        if not self._leaving or self._saving():
            return
        self._leaving = False
        if not self.unsaved_fields():
            self.flush_edits()  # typed on while the writes were on their way
            if self._saving():
                self._leaving = True
                return
        self._leave_or_ask()

    def _leave_or_ask(self) -> None:
        """Go back if the team file has everything typed; if not, ask, saying what to do."""
        if self.app.screen is not self:
            return  # gone elsewhere meanwhile (a dialog, another place): the text stays here
        unsaved = self.unsaved_fields()
        if not unsaved:
            self.dismiss()
            return
        from ictui.screens.ask import AskScreen

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss()

        self.app.push_screen(
            AskScreen(
                "Leave with fields not saved?",
                self._why_unsaved(unsaved),
                "Leave",
                "Stay",
                start_on_no=True,
            ),
            answered,
        )

    def _why_unsaved(self, unsaved: list[Unsaved]) -> Text:
        """Say which fields the team file does not have, why, and what to do: advice by cause."""
        said = Text("Not in the team file yet:\n")
        for field in unsaved:
            said.append(f"  • {field.name}", style="bold")
            said.append(f": {field.why}\n")
        causes = {field.cause for field in unsaved}
        advice = []
        if CLASH in causes:
            keep = say_key(self, "autosave.keep_mine")
            take = say_key(self, "autosave.take_theirs")
            advice.append(
                f"Where a colleague changed a field too, {keep} beside it keeps your text "
                f"over theirs, {take} takes theirs."
            )
        if VALUE in causes:
            advice.append("Correct what is said beside the field: it is saved once it is right.")
        read_only = self._why_read_only()
        if REFUSED in causes and read_only is not None:
            # Turned read-only since the editor opened: trying again cannot help.
            advice.append(
                f"The team file is now read-only for you: {read_only} Your text cannot be "
                "saved until it may be written again: stay, and copy it elsewhere (select it "
                "and press ctrl+c), or ask for write access; it is tried again when you leave "
                "the field or press Escape."
            )
        elif REFUSED in causes:
            advice.append(
                "Stay: each is tried again when you pause in the field or leave it, and "
                "when you press Escape."
            )
        said.append("\n" + " ".join(advice) + " ", style="dim")
        said.append("Leaving throws your text of these fields away.", style="bold")
        return said

    def unsaved_fields(self) -> list[Unsaved]:
        """Name each field, or line adding a part, whose text the team file will not have."""
        refused = READ_ONLY if self._why_read_only() else ""
        unsaved = []
        for key, widget in self.followed():
            if not self.is_unsaved(key):
                continue
            field = self.field_of(key)
            name = self.field_name(widget)
            if field.clash is not None:
                unsaved.append(Unsaved(name, f"{one_line(field.clash.who)} changed it too", CLASH))
                continue
            try:
                field.value(widget.text)
            except ValueError as error:  # refused before any write: the text means no value
                unsaved.append(Unsaved(name, one_line(str(error)), VALUE))
                continue
            # A file read-only for this person is said once, below the list, not per field.
            why = refused or one_line(widget.problem or "") or "not saved"
            unsaved.append(Unsaved(name, why, REFUSED))
        return unsaved + (self.unsaved_adds(refused) if self.is_mounted else [])

    def unsaved_adds(self, refused: str) -> list[Unsaved]:
        """Name each line adding a part whose text was refused (refused: why, if read-only)."""
        return []

    def field_name(self, widget: Autosaving) -> str:
        """Name a field as the person reads it, for the question before leaving."""
        return str(widget.name)

    def on_screen_suspend(self) -> None:
        """Leaving, or covered by another screen: what was typed is saved now, not after a pause.

        The write goes through the app's queue, which outlives the screen.
        """
        self.flush_edits()

    def _read(self, snapshot: Snapshot | None) -> None:
        """Show other people's changes of fields this person has not changed."""
        if snapshot is None:
            return
        for key, field in self._fields.items():
            stored = snapshot.get(field.kind, field.record_id)
            if stored is None:
                continue
            widget = self._widgets[key]
            written_by_me = field.mine
            replacement = field.read(stored, widget.text)
            if replacement is not None:
                widget.show_text(replacement)
                who, name = one_line(stored.updated_by.display), self.field_name(widget)
                if self.focused is not None and widget in self.focused.ancestors_with_self:
                    # Typing on, the person's next keys would land in text they never saw.
                    said = f"{who} changed {name} while your cursor was in it"
                elif written_by_me:
                    # Chosen over theirs in a clash, say: what they wrote must not just vanish.
                    said = f"{who} wrote over what you wrote in {name}"
                else:
                    said = ""
                if said:
                    self.notify(
                        f"{said}: it shows their text now.",
                        title="Changed by a colleague",
                        timeout=8,
                        markup=False,
                    )
            widget.clash = field.clash
        mine = snapshot.get(self.KIND, self.record.id)
        if mine is not None:
            self.record = mine
        self.read(snapshot)

    def read(self, snapshot: Snapshot) -> None:
        """Show what else a new reading of the team file changed (a kind's editor's part)."""
