"""A screen that edits one record whose paragraphs save themselves (interviews, debriefs).

A kind's editor composes AutosaveText fields (named after the record's
fields) among whatever else it shows; this base writes each field when its
writer pauses, keeps it merged field by field with other people's changes,
and offers both texts when two people changed the same field.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic

from textual.screen import Screen

from ictui.kinds.record import R
from ictui.screens.team_app import TeamApp, WriteDone, team_app
from ictui.services.autosave import AutosavedField
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.writes import Change, Write
from ictui.widgets.autosave_text import AutosaveText


class RecordEditor(Screen[None], Generic[R]):
    """One record, edited in place: its AutosaveText fields are written as the person goes."""

    KIND: ClassVar[type[Any]]
    """The kind of record edited."""

    def __init__(self, record: R) -> None:
        super().__init__()
        self.record = record
        """The record as last read."""
        self._fields: dict[str, AutosavedField[R]] = {}

    @property
    def team(self) -> TeamApp:
        """The app, as screens use it."""
        return team_app(self)

    def on_mount(self) -> None:
        """Follow each field, and each new reading of the team file."""
        for widget in self.query(AutosaveText):
            name = str(widget.name)
            self._fields[name] = AutosavedField(self.KIND, self.record, name)
        self.watch(self.app, "snapshot", self._read, init=False)

    def _widget(self, name: str) -> AutosaveText:
        return self.query_one(f"#{name}", AutosaveText)

    def _ask(self, write: Write | None) -> None:
        if write is not None:
            self.team.write(write, asker=self)

    def on_autosave_text_pause(self, message: AutosaveText.Pause) -> None:
        """Save a field its writer paused in or left."""
        self._ask(self._fields[str(message.field.name)].save(message.text))

    def on_autosave_text_settle(self, message: AutosaveText.Settle) -> None:
        """Settle a clash: write yours over theirs, or show theirs."""
        field = self._fields[str(message.field.name)]
        widget = message.field
        if message.keep_mine:
            self._ask(field.keep_mine(widget.text))
        else:
            widget.show_text(field.take_theirs())
        widget.clash = field.clash

    def on_write_done(self, message: WriteDone) -> None:
        """Follow what became of a field's write."""
        message.stop()
        outcome = message.outcome
        write = outcome.write
        if not isinstance(write, Change):
            return
        for name in write.changes:
            field, widget = self._fields[name], self._widget(name)
            if isinstance(outcome, Written):
                self.record = outcome.result
                field.written(outcome.result)
                widget.problem = None
                self._ask(field.save(widget.text))  # typed on while it was saved
            elif isinstance(outcome, Conflicted):
                self._ask(field.conflicted(outcome.conflict.current, widget.text))  # type: ignore[arg-type]
            elif isinstance(outcome, Refused):
                field.refused()  # the text stays, marked, and is tried again at the next pause
                widget.problem = str(outcome.error)
            widget.clash = field.clash

    def flush_edits(self) -> None:
        """Save now whatever a field holds that is not saved: the person is leaving."""
        for name, field in self._fields.items():
            self._ask(field.save(self._widget(name).text))

    def has_unsaved_changes(self) -> bool:
        """Whether a field holds text the file will not have (a clash, or a write refused)."""
        return any(
            field.unsaved(self._widget(name).text) or self._widget(name).problem is not None
            for name, field in self._fields.items()
        )

    def on_screen_suspend(self) -> None:
        """Leaving, or covered by another screen: what was typed is saved now, not after a pause.

        The write goes through the app's queue, which outlives the screen.
        """
        self.flush_edits()

    def _read(self, snapshot: Snapshot | None) -> None:
        """Show other people's changes of fields this person has not changed."""
        if snapshot is None:
            return
        stored = snapshot.get(self.KIND, self.record.id)
        if stored is None:
            return
        for name, field in self._fields.items():
            widget = self._widget(name)
            replacement = field.read(stored, widget.text)
            if replacement is not None:
                widget.show_text(replacement)
            widget.clash = field.clash
        self.record = stored
