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
from typing import Any, ClassVar, Generic

from textual.screen import Screen

from ictui.kinds.record import R, Record
from ictui.screens.team_app import TeamApp, WriteDone, team_app
from ictui.services.autosave import AutosavedField
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.writes import Change, Write
from ictui.widgets.autosave_text import Autosaving


class RecordEditor(Screen[None], Generic[R]):
    """A record, and parts of it kept as records of their own, edited in place as people type."""

    KIND: ClassVar[type[Any]]
    """The kind of record edited."""

    def __init__(self, record: R) -> None:
        super().__init__()
        self.record = record
        """The record as last read."""
        self._fields: dict[str, AutosavedField[Any]] = {}
        self._widgets: dict[str, Autosaving] = {}

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

    def follow(
        self,
        widget: Autosaving,
        kind: type[Any],
        record: Record,
        field: str,
        parse: Callable[[str], Any] | None = None,
    ) -> None:
        """Save what is typed into widget as field of record (of kind), and show others' changes.

        parse: what typed text means, for a field that is not text (see AutosavedField).
        """
        self._fields[str(widget.id)] = AutosavedField(kind, record, field, parse)
        self._widgets[str(widget.id)] = widget

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
        """Whether a field holds text the file will not have (a clash, or a write refused)."""
        return any(self.is_unsaved(key) for key in self._fields)

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
            replacement = field.read(stored, widget.text)
            if replacement is not None:
                widget.show_text(replacement)
            widget.clash = field.clash
        mine = snapshot.get(self.KIND, self.record.id)
        if mine is not None:
            self.record = mine
        self.read(snapshot)

    def read(self, snapshot: Snapshot) -> None:
        """Show what else a new reading of the team file changed (a kind's editor's part)."""
