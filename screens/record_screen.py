"""A screen of one kind's records: a table, a form to add and edit, delete and undo, live.

A kind's screen composes its widgets (a RecordTable with id ``table`` at the
least), says which records to show (``listing``) and which form edits them
(``form_for``). This base keeps the screen live: it shows each new reading of
the team file, shows a change or a delete at once while it is written in the
background (``Pending``), takes it back if the file refuses it, asks about a
conflict with someone else's change, puts the cursor on a record just saved,
and offers undo for what was deleted here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList

from ictui import collector
from ictui.errors import Conflict
from ictui.kinds.record import R
from ictui.kinds.schema import schema_of
from ictui.screens.team_app import TeamApp, WriteDone, team_app
from ictui.services.pending import Pending
from ictui.teamfile import lane
from ictui.teamfile.snapshot import Changes, Snapshot
from ictui.widgets.footer import FooterSlot
from ictui.widgets.key_names import say_action
from ictui.widgets.record_detail import DetailPanel
from ictui.widgets.record_table import Listing, RecordTable

if TYPE_CHECKING:
    from ictui.screens.record_editor import RecordEditor
    from ictui.teamfile.writes import Write
    from ictui.user.drafts import Draft

# What writes needs (the writes, their outcomes, the conflict dialog) is
# imported where it is used: the first frame needs none of it.


SHORT = 20
"""Below this many lines, what a record screen shows above its table takes fewer: rows first."""
TINY = 13
"""Below this many lines, a narrow record screen shows its table alone: nothing fits above."""


class RecordScreen(Screen[None], Generic[R]):
    """One kind's records, live: shown as the team file is read, changed in the background."""

    KIND: ClassVar[type[Any]]
    """The kind of record the screen shows."""
    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset({"edit", "delete"})
    """Actions on the row under the table's cursor: they work, and are offered, only
    while the table has focus. Anywhere else (the tally, a filter) Delete would act
    on a row the person is not looking at."""
    RECORD_ACTIONS: ClassVar[frozenset[str]] = frozenset({"add", "undo"})
    """The screen's other actions on its records: not while a list (a filter's
    choices) is open, where keys choose in the list."""

    # The actions are here (add, edit, delete, undo); a kind's screen binds them
    # to keys in the order its footer shows them, with words of its own.

    LISTED_IN_A_THREAD: ClassVar[int | None] = None
    """From this many records of the kind in the file on, they are listed in a thread.

    None: always in place. A screen whose ``listing`` and ``summary`` only
    read the file and the screen's immutable settings (given by
    ``listing_key``) may set a number: listing all time at 100,000 contact
    points (checking, filtering and tallying every one) held the keys for a
    second on the app's thread; in a thread of its own, keys are answered in
    between (Python hands its lock over every 5 ms). Below it, listing in
    place puts the rows in the same frame as what asked for them.
    """

    class Listed(Message):
        """A listing made in a thread is ready to show."""

        def __init__(self, asked: int, snapshot: Snapshot, key: object, given: Any, summary: Any):
            super().__init__()
            self.asked = asked
            self.snapshot = snapshot
            self.key = key
            self.given = given
            self.summary = summary

    class Started(Message):
        """The first screen of a listing made in a thread: shown until the whole one comes."""

        def __init__(self, asked: int, given: Any):
            super().__init__()
            self.asked = asked
            self.given = given

    def __init__(self) -> None:
        super().__init__()
        self.pending: Pending[R] = Pending(self.KIND)
        self._listings_asked = 0  # numbers each listing: only the newest asked is shown
        # The last few listings made in a thread from one reading, by what each was made for:
        # a search cleared, or a period chosen again, shows one at once (100,000 points: no wait).
        self._thread_listed: tuple[Snapshot | None, dict[object, tuple[Listing[R], Any]]] = (
            None,
            {},
        )
        self._listing_in_thread = False  # one listing thread at a time
        self._list_again = False  # asked for while one was under way: the newest follows it
        self._to_select: R | None = None  # just saved: selected once read back
        self._shown_for: object = None  # the settings (listing_key) of the listing shown
        self._said_of_it = "Saved"  # what was done to it, for saying why it is not in view
        self._out_of_view: R | None = None  # saved, but the filters hide it: reveal() shows it

    # -- what a kind's screen says ----------------------------------------------------------

    def listing(self, snapshot: Snapshot) -> Listing[R]:
        """Return the records to show from a reading of the team file, as the file holds them."""
        raise NotImplementedError

    def first_screen(self, snapshot: Snapshot) -> Listing[R] | None:
        """Return the listing's first rows when they come much sooner than all of it, else None.

        Made in the listing's thread, before the listing: the table shows them
        (the rest to come) until the listing is done. Never shown in place of it.
        """
        return None

    def first_screen_shown(self, listing: Listing[R]) -> None:
        """Say that the table shows a listing's first rows, the rest and the counts to come."""

    def listing_since(
        self, snapshot: Snapshot, earlier: Listing[R], summary: Any, changes: Changes
    ) -> tuple[Listing[R], Any] | None:
        """Return the listing and summary of snapshot, made from those of the reading before.

        changes: the records that differ between the two readings. Called in
        the listing's thread, with the same settings (``listing_key``), for a
        screen that lists in a thread: patching a long listing by the few
        records a write changed is quicker than listing afresh. None: list afresh.
        """
        return None

    def listing_key(self) -> object:
        """Return what, besides the file, the listing depends on; None if not known.

        A listing made in a thread is used again while this and the file stay
        the same: a delete shown before it is written needs no new listing.
        """
        return None

    def summary(self, snapshot: Snapshot, listing: Listing[R]) -> Any:
        """Return what goes with the records and takes counting (a tally), for ``shown``.

        Made with the listing, in a thread when the listing is.
        """
        return None

    def shown(self, snapshot: Snapshot, listing: Listing[R], summary: Any) -> None:
        """Show what goes with the records (a tally, details): the table is done."""

    def names_of_references(self) -> dict[str, dict[int, str]]:
        """Return, for each table this kind refers to, its records' names by id (for history)."""
        return {}

    def reveal(self, record: R) -> bool:
        """Widen what the screen shows so that it holds record; False if it cannot."""
        return False

    def form_for(self, record: R | None, *, chained: bool = False) -> ModalScreen[R | None]:
        """Return the form that adds a record (None) or changes one.

        chained: the record's revision is one that a change of ours, still being
        written, will leave (the form's write must say so).
        """
        raise NotImplementedError

    def draft_of(self, record: R) -> dict[str, Any]:
        """Return a record's fields as people read them, for the conflict dialog."""
        return schema_of(self.KIND).own_values(record)

    def labels(self) -> dict[str, str]:
        """Return the conflict dialog's fields: name -> label, in order."""
        return {spec.name: spec.label for spec in schema_of(self.KIND).fields}

    def nothing_here(self) -> str:
        """Say what to do when an action needs a record and there is none."""
        return (
            f"There is no {self.KIND.LABEL} here yet. Press {say_action(self, 'add')} to add one."
        )

    def name_of(self, record: R) -> str:
        """Name a record in a message: "the contact point with Payroll"."""
        return f"the {self.KIND.LABEL} {record.id}"

    # -- the app and the table ---------------------------------------------------------------

    @property
    def team(self) -> TeamApp:
        """The app, as screens use it."""
        return team_app(self)

    @property
    def snapshot(self) -> Snapshot | None:
        """The team file as last read."""
        return self.team.snapshot

    @property
    def table(self) -> RecordTable[R]:
        """The table of records."""
        table: RecordTable[R] = self.query_one("#table", RecordTable)
        return table

    def fit_height(self, height: int, *, wide: bool) -> None:
        """Give the table its rows first on a short terminal, and all of it on a tiny one.

        Beside the table (wide) the details take no lines from it, so they stay.
        """
        self.set_class(height < SHORT, "-short")
        self.set_class(height < TINY and not wide, "-tiny")

    def on_mount(self) -> None:
        """Show the team file as soon as it is read, and again after every change."""
        self.watch(self.app, "snapshot", self.show, init=True)

    def show(self, snapshot: Snapshot | None = None) -> None:
        """Show the team file as last read (or as given), with what is asked here on top."""
        snapshot = snapshot or self.snapshot
        if snapshot is None:
            return
        self.pending.caught_up(snapshot)
        self._listings_asked += 1
        most = self.LISTED_IN_A_THREAD
        if most is None or snapshot.stored(self.KIND) < most:
            given = self.listing(snapshot)
            self._show_listing(snapshot, given, self.summary(snapshot, given))
            return
        key = self.listing_key()
        made_from, listings = self._thread_listed
        if made_from is snapshot and key in listings:
            self._show_listing(snapshot, *listings[key])
            return
        # Until it comes, the rows shown are the last listing's: say that more is coming.
        self.table.border_subtitle = "listing…"
        if self._listing_in_thread:
            self._list_again = True  # listings in parallel would only slow each other
            return
        self._list_in_thread(self._listings_asked, snapshot, key)

    def _list_in_thread(self, asked: int, snapshot: Snapshot, key: object) -> None:
        """List the records in a thread; the table shows the last listing meanwhile."""
        self._listing_in_thread = True

        def listing() -> None:
            # One heavy thread at a time: the keys wait on fewer. A listing may check
            # many records, to last (see collector).
            with lane.turn(), collector.paused():
                made = self._patched(snapshot, key)
                if made is None:
                    first = self.first_screen(snapshot)
                    if first is not None:
                        self.post_message(self.Started(asked, first))
                    given = self.listing(snapshot)
                    made = given, self.summary(snapshot, given)
            self.post_message(self.Listed(asked, snapshot, key, *made))

        self.run_worker(listing, thread=True, group="listing", exit_on_error=True)

    def _patched(self, snapshot: Snapshot, key: object) -> tuple[Listing[R], Any] | None:
        """The listing made for key from the reading before this one, patched; None if none."""
        made_from, listings = self._thread_listed
        made = listings.get(key)  # the app's thread may change listings: asked once
        changes = snapshot.changes_since(made_from) if made_from is not None else None
        if made is None or changes is None or key != self.listing_key():
            return None
        return self.listing_since(snapshot, *made, changes)

    def on_record_screen_started(self, message: Started) -> None:
        """Show a listing's first rows while the rest is made, if it is still the one asked."""
        message.stop()
        if message.asked != self._listings_asked or not self._listing_in_thread:
            return  # asked again since, or already done: its first rows are old news
        listing = message.given
        self._drawing()
        self._put(Listing(self.pending.shown(listing.records), listing.names, listing.today))
        self.first_screen_shown(listing)

    def on_record_screen_listed(self, message: Listed) -> None:
        """Show a listing made in a thread if it is still what is asked; list again if asked."""
        message.stop()
        self._listing_in_thread = False
        # Made from the settings as they were when asked: kept only if they still are
        # (they may have changed and changed back while it was made).
        current = message.snapshot is self.snapshot and message.key == self.listing_key()
        if current:
            self._keep_listing(message.snapshot, message.key, message.given, message.summary)
        if message.asked == self._listings_asked or current:
            self._show_listing(message.snapshot, message.given, message.summary)
        if self._list_again:
            self._list_again = False
            self.show()  # the newest reading and settings, or the listing just made
        elif self.listing_shown:
            self.table.border_subtitle = None  # what is shown is what was asked last

    LISTINGS_KEPT = 4
    """Listings made in a thread kept for the reading they were made from (see show)."""

    def _keep_listing(
        self, snapshot: Snapshot, key: object, given: Listing[R], summary: Any
    ) -> None:
        made_from, listings = self._thread_listed
        if made_from is not snapshot:
            listings = {}  # a new reading: the old listings are of another file
            self._thread_listed = (snapshot, listings)
        listings.pop(key, None)  # the newest last: the oldest goes first
        listings[key] = (given, summary)
        while len(listings) > self.LISTINGS_KEPT:
            del listings[next(iter(listings))]

    @property
    def listing_shown(self) -> bool:
        """Whether the table shows a listing of the newest reading and settings asked for."""
        return not self._listing_in_thread and not self._list_again

    def _show_listing(self, snapshot: Snapshot, given: Listing[R], summary: Any) -> None:
        """Show a listing of the file, with what is asked here on top, and what goes with it."""
        if self.listing_shown:
            self.table.border_subtitle = None
        self._drawing()
        listing = Listing(self.pending.shown(given.records), given.names, given.today)
        self._put(listing)
        self._shown_for = self.listing_key()
        self._select_saved(snapshot, listing)
        self.shown(snapshot, listing, summary)

    def _put(self, listing: Listing[R]) -> None:
        """Give the table a listing; under new settings that leave the cursor's record out, top.

        A colleague's change keeps the cursor on its row (a deleted record's
        neighbour); new filters make a new list, read from its newest.
        """
        kept = self.table.selected_id
        self.table.listing = listing
        new_settings = self.listing_key() != self._shown_for
        if new_settings and kept is not None and self.table.selected_id != kept:
            self.table.move_cursor(0)

    def _drawing(self) -> None:
        """Hold background work off while a new listing is drawn: the whole screen, mostly."""
        lane.screen_drawing()
        self.call_after_refresh(lane.screen_drawn)

    def _select_saved(self, snapshot: Snapshot, listing: Listing[R]) -> None:
        """Put the cursor on the record just saved, or say why it is not in the table."""
        wanted = self._to_select
        if wanted is None or not self.listing_shown:
            return  # a listing on its way from a thread: it is judged against that one
        stored = snapshot.get(self.KIND, wanted.id)
        if stored is None or stored.rev < wanted.rev:
            return  # not read back yet: the reload after the write brings it
        self._to_select = None
        if any(record.id == wanted.id for record in listing.records):
            self.table.select_record(wanted.id)
        elif not stored.deleted and not self.pending.is_hidden(wanted.id):
            self._out_of_view = stored
            self.refresh_bindings()
            show = say_action(self, "show_saved")
            self.notify(
                f"{self._said_of_it}, but the filters in use hide it. Press {show} to show it.",
                title="Not shown",
                timeout=8,
                markup=False,
            )

    def selected(self) -> R | None:
        """Return the record under the cursor as it will be once what is queued is written."""
        record = self.table.selected()
        if record is None:
            self.notify(self.nothing_here(), timeout=3, markup=False)  # may quote a search
            return None
        # Written here and not read back yet: a change made now starts from what was written.
        return self.pending.latest(record)

    def on_record_table_drawn(self) -> None:
        """Add the keys once the table is first drawn from the team file (after a kind's own)."""
        for slot in self.query(FooterSlot):
            slot.release()
        self.team.first_rows_shown()

    def on_record_table_row_selected(self, event: RecordTable.RowSelected) -> None:
        """Enter (or a click) on a row edits it."""
        if event.table.id == "table":
            self.action_edit()

    # -- writing ---------------------------------------------------------------------------

    def ask(self, write: Write) -> None:
        """Queue a write; what becomes of it comes back here."""
        self.team.write(write, asker=self)

    def on_write_done(self, message: WriteDone) -> None:
        """Keep what was written; take back and say what was refused; ask about a conflict."""
        from ictui.teamfile.queue import Conflicted, Refused, Written

        message.stop()
        outcome = message.outcome
        said = getattr(outcome.write, "said", None)
        if said is not None:  # not a write of this screen's records: it says what it did
            if isinstance(outcome, Written):
                self.notify(said(outcome.result), markup=False)
            elif isinstance(outcome, Refused):
                self.team.report_failure(outcome.write.what, outcome.error)
            elif isinstance(outcome, Conflicted) and hasattr(outcome.write, "again"):
                # A write that means the same on any revision (marking held) goes again.
                self.ask(outcome.write.again(outcome.conflict.current))
            return
        if isinstance(outcome, Written):
            self.pending.written(outcome.write, outcome.result)
            self.written(outcome.write, outcome.result)
        elif isinstance(outcome, Conflicted):
            self.pending.conflicted(outcome.write)
            self.team.reload()
            self.resolve(outcome.write, outcome.conflict)
        elif isinstance(outcome, Refused):
            self.pending.refused(outcome.write)
            self.refresh_bindings()
            self.show()
            self.team.report_failure(outcome.write.what, outcome.error)

    def written(self, write: Write, record: R) -> None:
        """Say what was done, where it is worth saying."""
        from ictui.services.history import BringBack
        from ictui.teamfile.writes import Delete, Restore

        if isinstance(write, Delete) and self.pending.undoable[-1:] == [(record.id, record.rev)]:
            self.refresh_bindings()
            undo = say_action(self, "undo")
            gone = self.KIND.DELETED.capitalize()  # "Archived", for a partner
            self.notify(f"{gone} {self.name_of(record)}. Press {undo} to undo.", markup=False)
        elif isinstance(write, BringBack):
            self.notify(
                f"Brought back revision {write.rev}, as revision {record.rev}.",
                timeout=4,
                markup=False,
            )
        elif isinstance(write, Restore) and not write.changes:
            self.notify(f"Brought the {self.KIND.LABEL} back.", timeout=3, markup=False)
            # The cursor goes to it, once it is read back (or says how to see it).
            self._to_select, self._said_of_it, self._out_of_view = record, "Brought back", None
            if self.snapshot is not None:
                self._select_saved(self.snapshot, self.table.listing)

    def resolve(self, write: Write, conflict: Conflict) -> None:
        """Show both versions of a record changed meanwhile, and apply the person's choice."""
        from ictui.screens.conflict import ConflictScreen
        from ictui.services import compare
        from ictui.teamfile.writes import Change, Delete, Restore

        theirs: R = conflict.current  # type: ignore[assignment]
        if isinstance(write, Restore) and not write.changes:
            who = theirs.updated_by.display
            when = theirs.updated_at.astimezone().strftime("%H:%M")
            what = "deleted it again" if theirs.deleted else "already brought it back"
            self.notify(
                f"Nothing to undo: {who} {what} at {when}.",
                title="Not undone",
                severity="warning",
                markup=False,
            )
            return
        deleting = isinstance(write, Delete)
        changes: Mapping[str, Any] = getattr(write, "changes", {})

        def chosen(keep_mine: bool | None) -> None:
            if not keep_mine:
                return
            if deleting:
                self.ask(Delete(self.KIND, theirs.id, theirs.rev))
            elif theirs.deleted:
                self.ask(Restore(self.KIND, theirs.id, theirs.rev, changes, "restore and change"))
            else:
                self.ask(Change(self.KIND, theirs.id, theirs.rev, changes, "keep your change"))

        rows = compare.compare(
            self.labels(),
            self.draft_of(theirs),
            self.draft_changes(changes),
            their_deleted=theirs.deleted,
            deleting=deleting,
        )
        self.app.push_screen(ConflictScreen(conflict, rows), chosen)

    def draft_changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Return a write's changes as the conflict dialog names the fields."""
        return dict(changes)

    # -- actions ---------------------------------------------------------------------------

    def action_add(self) -> None:
        """Open the form for a new record."""
        if not self.said_read_only():
            self.app.push_screen(self.form_for(None), self._saved)

    def action_edit(self) -> None:
        """Open the form on the selected record, at the revision a change must start from."""
        from dataclasses import replace

        record = self.selected()
        if record is not None and not self.said_read_only():
            editing = replace(record, rev=self.pending.expected_rev(record))
            chained = self.pending.chained(record)
            self.app.push_screen(self.form_for(editing, chained=chained), self._saved)

    def said_read_only(self) -> bool:
        """Say so, and return True, when the team file may only be read: a form would be typed
        into for nothing. Asked afresh each time: the file may have been made writable."""
        from ictui.screens.record_editor import why_read_only

        why = why_read_only(self.team)
        if why is None:
            return False
        self.notify(
            f"Nothing can be added or changed: {why}",
            title="Read-only",
            severity="warning",
            markup=False,
        )
        return True

    def _saved(self, record: R | None) -> None:
        self._to_select, self._said_of_it, self._out_of_view = record, "Saved", None
        if record is not None:
            self.pending.remember(record)
            if self.snapshot is not None:
                self._select_saved(self.snapshot, self.table.listing)

    def reopen_form(self, draft: Draft, done: Callable[[], None]) -> str | None:
        """Open the form a draft was typed in again, with what was typed; say why not if it cannot.

        done: called once the form closes, saved or not: the draft is spent.
        """
        from dataclasses import replace

        from ictui.screens.form import Form  # here: text fields are not in the first frame

        record: R | None = None
        if draft.record_id is not None:
            stored = self.snapshot.get(self.KIND, draft.record_id) if self.snapshot else None
            if stored is None:
                return f"the {self.KIND.LABEL} {draft.record_id} is not in the team file"
            editor = self.editor_of(stored)
            if editor is not None and draft.form == editor.DRAFT_OF:
                from ictui.screens.record_editor import why_read_only

                if why_read_only(self.team) is not None:
                    return "the team file is read-only: nothing in it could be saved"
                editor.reopen(draft)
                # Spent once every text is back in; else kept for the next start.
                self.app.push_screen(editor, lambda _: done() if editor.draft_spent else None)
                return None
            # From the revision it was typed on: a change saved since meets it as a conflict.
            record = replace(stored, rev=draft.rev if draft.rev is not None else stored.rev)
        form = self.form_for(record)
        if not isinstance(form, Form) or draft.form != form.DRAFT_OF:
            return f"this screen has no form for a {draft.form}"
        form.reopen(draft)

        def closed(saved: R | None) -> None:
            done()
            self._saved(saved)

        self.app.push_screen(form, closed)
        return None

    def editor_of(self, record: R) -> RecordEditor[R] | None:
        """Return the screen that edits a record in place (a worksheet), if the kind has one."""
        return None

    def why_not(self, action: str, record: R) -> str:
        """Say why an action of this screen does nothing for this record; "" if that is not why.

        A key offered only for some records (mark held, for a planned
        interview) is left out of the footer for the others; pressed there, it
        says why instead of nothing.
        """
        return ""

    def on_key(self, event: events.Key) -> None:
        """Say why a key of this screen does nothing for the row under the cursor, if it is that."""
        if self.focused is not self.table:
            return
        record = self.table.selected()
        # A binding its check turns off is left out of active_bindings: look in the screen's own.
        for binding in type(self).BINDINGS:
            if not isinstance(binding, Binding):
                continue
            keys = self.team.keymap.get(binding.id or "", binding.key)
            if event.key not in (key.strip() for key in keys.split(",")):
                continue
            if self.check_action(binding.action, ()):
                return  # it does something: the binding acts
            if binding.action == "undo":
                why = f"Nothing to undo: {event.key} brings back a {self.KIND.LABEL} deleted here."
            else:
                why = self.why_not(binding.action, record) if record is not None else ""
            if why:
                self.notify(why, timeout=4, markup=False)
                return

    def ask_before_deleting(self, record: R) -> str | None:
        """Return what deleting record would take away, to ask first; None: delete at once.

        A kind's screen asks for records that hold much (a held interview, say):
        u brings one back only in this session.
        """
        return None

    def action_delete(self) -> None:
        """Delete the selected record (u brings it back); it leaves the table at once."""
        record = self.selected()
        if record is None:
            return
        takes = self.ask_before_deleting(record)
        if takes is None or self.team.read_only:  # no question before a refusal
            self._delete(record)
            return
        from rich.text import Text

        from ictui.screens.ask import AskScreen

        undo = say_action(self, "undo")
        restore = f"ictui {self.KIND.LABEL} restore {record.id}"
        said = Text(f"{takes}\n\n{undo} brings it back in this session; later, `{restore}`.")

        def answered(delete: bool | None) -> None:
            if delete and self.is_current:
                self._delete(record)

        title = f"Delete {self.name_of(record)}?"
        self.app.push_screen(AskScreen(title, said, "Delete", "Keep", start_on_no=True), answered)

    def _delete(self, record: R) -> None:
        write = self.pending.delete(record)
        self.show()
        self.refresh_bindings()  # u works at once, before the delete is written
        self.ask(write)

    def action_undo(self) -> None:
        """Bring back the last record deleted here."""
        write = self.pending.undo()
        if write is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.refresh_bindings()
        if write.chained:  # its delete is still on its way: the row comes back at once
            self.show()
        self.ask(write)

    def action_history(self) -> None:
        """Show the selected record's versions; bring back the one chosen, as a new revision."""
        from ictui.errors import RecordNotFound
        from ictui.screens.history import HistoryScreen
        from ictui.services.history import BringBack, read_versions

        record = self.selected()
        if record is None or self.snapshot is None:
            return
        try:
            versions, problem = read_versions(self.snapshot, self.KIND, record.id)
        except RecordNotFound:
            self.notify("It is not in the team file as read yet: try again in a moment.")
            return

        def chosen(rev: int | None) -> None:
            version = next((v for v in versions if v.rev == rev), None)
            if version is not None:
                expected = self.pending.expected_rev(record)
                self.ask(BringBack(self.KIND, record.id, version.rev, expected, version.values))

        title = f"History of {self.name_of(record)}"
        screen = HistoryScreen(title, versions, problem, self.KIND, self.names_of_references())
        self.app.push_screen(screen, chosen)

    def action_show_saved(self) -> None:
        """Widen the filters to show the record just saved that they hid, and go to it."""
        record, self._out_of_view = self._out_of_view, None
        self.refresh_bindings()
        if record is not None and self.reveal(record):
            self._to_select = record
            self.set_focus(self.table)
            self.show()

    def action_focus_table(self) -> None:
        """Go back to the table."""
        self.set_focus(self.table)

    def action_focus_detail(self) -> None:
        """Move to the record in full, to scroll it with the keys."""
        for panel in self.query(DetailPanel).results():
            self.set_focus(panel)
            return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the record actions only on the table, and undo only when there is something.

        Moving to the table or the detail is offered only from elsewhere.
        """
        if action == "show_saved":
            return self._out_of_view is not None  # only while a record saved here is hidden
        focused = self.focused
        if action == "focus_table":
            return focused is not None and focused is not self.table
        if action == "focus_detail":
            return not isinstance(focused, DetailPanel)
        if action == "history":  # of the record under the cursor, from the table or its detail
            return focused is None or focused.id in ("table", "detail")
        if action in self.ROW_ACTIONS and focused not in (None, *self.query("#table")):
            return False
        if action in self.ROW_ACTIONS | self.RECORD_ACTIONS and isinstance(focused, OptionList):
            return False
        if action == "undo":
            return self.pending.can_undo  # shown in the footer only when there is something
        return True
