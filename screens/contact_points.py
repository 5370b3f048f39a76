"""The contact-point log: the team's critical moments with partners, and how each went."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header

from ictui.errors import Conflict, IctuiError
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Verdict
from ictui.services.contacts import partner_names
from ictui.services.stats import select, tally_by_partner
from ictui.teamfile.store import Snapshot
from ictui.teamfile.writes import Change, Delete, Restore, run
from ictui.widgets.contact_detail import NO_POINT_YET, ContactDetail
from ictui.widgets.contact_table import ContactTable, Listing
from ictui.widgets.filter_bar import CUSTOM, FilterBar, Filters
from ictui.widgets.footer import KeyFooter
from ictui.widgets.tally import TallyRow, TallyTable

if TYPE_CHECKING:
    from ictui.app import IctuiApp

# What changes the file (the form, and the Textual widgets it brings) is
# imported where it is used, once the app has loaded it in the background
# after the first frame.

WIDE = 150
"""From this many columns on, the tally and details sit beside the table."""
TALL = 36
"""From this many lines on, the tally above the table shows more partners."""


class ContactPointsScreen(Screen[None]):
    """Log critical contact points with partners: success or needs improvement, and why."""

    CSS_PATH = "contact_points.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Each row is a critical contact point: a moment with an internal customer or "
        "provider that went well (✓ success) or needs improvement (✗), and why. "
        "The tally counts each partner's verdicts for the period shown; pick a partner "
        "there to see only theirs. Changes made by others appear within a second."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", tooltip="Log a new contact point"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected contact point"),
        Binding("v", "toggle_verdict", "Verdict", tooltip="Switch success / needs improvement"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the selected contact point"),
        Binding("u", "undo", "Undo", tooltip="Bring back the last deleted contact point"),
        Binding("f", "focus_filters", "Filter", tooltip="Choose period, partner, verdict, way"),
        Binding("t", "focus_tally", "Tally", show=False, tooltip="Pick a partner from the tally"),
        Binding("x", "clear_filters", "Clear filters", show=False, tooltip="Show the last 2 weeks"),
        Binding("escape", "focus_table", "Back to the table", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self._expected_revs: dict[int, int] = {}
        self._deleted: list[tuple[int, int]] = []  # (id, revision after delete), newest last
        self._pending_verdicts: dict[int, Verdict] = {}  # shown before the file confirms them
        self._pending_deletes: set[int] = set()  # hidden before the file confirms them
        self._to_select: ContactPoint | None = None  # just saved: selected once read back
        self._written: dict[int, ContactPoint] = {}  # written here, newer than the file as read

    @property
    def ictui(self) -> IctuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Lay out filters, tally and details, and the table."""
        yield Header()
        yield FilterBar(id="filters")
        with Container(id="body"):
            with Container(id="overview"):
                yield TallyTable(id="tally")
                # Scrolls with the mouse wheel when a long reason does not fit; no
                # tab stop, since e or Enter shows the whole reason in the form.
                with VerticalScroll(id="detail", can_focus=False):
                    yield ContactDetail()
            yield ContactTable(id="table")
        # Its keys follow the first frame with rows, as Textual's own footer's do.
        yield KeyFooter(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Show the team file as soon as it is read, and again after every change."""
        # Until then, say why the table is empty: a large file or a slow disk takes a moment.
        self.query_one("#table").border_title = f"Reading {self.ictui.store.path.name}…"
        self.watch(self.app, "snapshot", self._show, init=True)

    def on_resize(self, event: events.Resize) -> None:
        """Put the tally beside the table when there is room, above it when not.

        The table keeps at least 100 columns beside it, so reasons stay readable.
        """
        self.set_class(event.size.width >= WIDE, "-wide")
        self.set_class(event.size.height >= TALL, "-tall")

    # -- showing -------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot | None:
        """The team file as last read."""
        return self.ictui.snapshot

    def _show(self, snapshot: Snapshot | None = None) -> None:
        snapshot = snapshot or self.snapshot
        if snapshot is None:
            return
        today = self.ictui.today()
        names = partner_names(snapshot)
        where = self.filters.point_filter(today)
        self._written = {
            point_id: written
            for point_id, written in self._written.items()
            if (stored := snapshot.get(ContactPoint, point_id)) is not None
            and stored.rev < written.rev
        }
        self._pending_deletes = {
            point_id
            for point_id in self._pending_deletes
            if (stored := snapshot.get(ContactPoint, point_id)) is not None and not stored.deleted
        }
        points = [
            replace(p, verdict=self._pending_verdicts[p.id])
            if p.id in self._pending_verdicts
            else p
            for p in select(snapshot.between(ContactPoint, "date", where.since, where.until), where)
            if p.id not in self._pending_deletes
        ]
        self.query_one(ContactTable).listing = Listing(tuple(points), names, today)
        self._select_saved(snapshot, points)
        live = {p.id: p.name for p in snapshot.all(Partner)}
        self.query_one(FilterBar).partners = live
        tallies = sorted(
            tally_by_partner(points).items(),
            key=lambda item: (-item[1].total, names.get(item[0], "").casefold()),
        )
        self.query_one(TallyTable).tallies = tuple(
            TallyRow(pid, names.get(pid, f"#{pid}"), t.success, t.needs_improvement)
            for pid, t in tallies
        )
        self.query_one("#tally").border_title = f"Tally: {self.filters.period_label()}"
        count = len(points)
        self.query_one("#table").border_title = f"{count} contact point{'' if count == 1 else 's'}"
        if not points:
            self.query_one(ContactDetail).hint = self._why_empty(snapshot)
        self._show_detail()

    def _why_empty(self, snapshot: Snapshot) -> str:
        """Say why the table is empty: no contact point at all, or the filters."""
        if not snapshot.holds_any(ContactPoint):
            return NO_POINT_YET
        if self.filters == Filters():
            period = self.filters.period_label().lower()
            return f"No contact points in the {period}. Press f to look further back."
        return "No contact points match these filters. Press x to clear them, or f to change them."

    def _select_saved(self, snapshot: Snapshot, points: list[ContactPoint]) -> None:
        """Put the cursor on the point just saved, or say why it is not in the table."""
        wanted = self._to_select
        if wanted is None:
            return
        stored = snapshot.get(ContactPoint, wanted.id)
        if stored is None or stored.rev < wanted.rev:
            return  # not read back yet: the reload after the write brings it
        self._to_select = None
        if any(point.id == wanted.id for point in points):
            self.query_one(ContactTable).select_point(wanted.id)
        elif not stored.deleted and wanted.id not in self._pending_deletes:
            self.notify("Saved, but the filters in use hide it.", title="Not shown", timeout=5)

    def _show_detail(self) -> None:
        detail = self.query_one(ContactDetail)
        point = self.query_one(ContactTable).selected()
        names = partner_names(self.snapshot) if self.snapshot else {}
        if (point and point.id) != (detail.point and detail.point.id):
            self.query_one("#detail").scroll_home(animate=False)  # a new point reads from the top
        detail.partner = names.get(point.partner_id, "") if point else ""
        detail.point = point

    def on_contact_table_drawn(self) -> None:
        """Add the keys and the filter choices once the table is on screen."""
        self.query_one(KeyFooter).release()
        self.query_one(FilterBar).add_choices()
        self.ictui.first_rows_shown()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the highlighted contact point in full."""
        if event.data_table.id == "table":
            self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row edits it."""
        if event.data_table.id == "table":
            self.action_edit()

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        """Show the contact points the new filters let through."""
        self.filters = event.filters
        self._show()

    def on_filter_bar_range_wanted(self, event: FilterBar.RangeWanted) -> None:
        """Ask for the dates of a custom period."""
        from ictui.screens.period import PeriodScreen

        def chosen(result: tuple | None) -> None:
            if result is None:  # cancelled: show the period that was there before
                self.query_one(FilterBar).filters = self.filters
                return
            since, until = result
            self.filters = replace(self.filters, period=CUSTOM, since=since, until=until)
            self.query_one(FilterBar).filters = self.filters
            self._show()

        self.app.push_screen(PeriodScreen(self.filters.since, self.filters.until), chosen)

    def on_tally_table_partner_chosen(self, event: TallyTable.PartnerChosen) -> None:
        """Show only the chosen partner's contact points."""
        self.filters = replace(self.filters, partner_id=event.partner_id)
        self.query_one(FilterBar).filters = self.filters
        self._show()
        self.set_focus(self.query_one(ContactTable))

    # -- actions -------------------------------------------------------------------------
    # Moves of focus by key use set_focus, which moves it at once: Widget.focus()
    # waits for the keys already queued, so a quick Enter after f would still go
    # to the table and open the edit form.

    def _selected(self) -> ContactPoint | None:
        point = self.query_one(ContactTable).selected()
        if point is None:
            self.notify("There is no contact point here yet. Press a to log one.", timeout=3)
            return None
        written = self._written.get(point.id)
        if written is not None and written.rev > point.rev:
            # Written here and not read back yet: a change made now (edit, switch,
            # delete) starts from what was written, not from the row as it was.
            verdict = self._pending_verdicts.get(point.id, written.verdict)
            point = replace(written, verdict=verdict)
        return point

    def _remember(self, record: ContactPoint) -> None:
        """Keep a record this screen wrote until the file is read back with it."""
        written = record
        known = self._written.get(written.id)
        if known is None or known.rev < written.rev:
            self._written[written.id] = written

    def expected_rev(self, point: ContactPoint) -> int:
        """Return the revision the next change of point should name.

        Several changes of one record may be queued before the team file is read
        again; each names the revision the one before it will leave.
        """
        return max(point.rev, self._expected_revs.get(point.id, 0))

    def _queued(self, point_id: int, rev: int) -> None:
        self._expected_revs[point_id] = rev + 1

    def _forget(self, point_id: int) -> None:
        self._expected_revs.pop(point_id, None)
        self._pending_verdicts.pop(point_id, None)
        self._pending_deletes.discard(point_id)

    def action_add(self) -> None:
        """Open the form for a new contact point."""
        from ictui.screens.contact_form import ContactForm

        self.app.push_screen(ContactForm(None, self._partners()), self._saved)

    def action_edit(self) -> None:
        """Open the form on the selected contact point."""
        from ictui.screens.contact_form import ContactForm

        point = self._selected()
        if point is not None:
            editing = replace(point, rev=self.expected_rev(point))
            self.app.push_screen(ContactForm(editing, self._partners()), self._saved)

    def _saved(self, point: ContactPoint | None) -> None:
        self._to_select = point
        if point is not None:
            self._remember(point)
        if point is not None and self.snapshot is not None:
            self._select_saved(self.snapshot, list(self.query_one(ContactTable).listing.points))

    def _partners(self) -> list[Partner]:
        return self.snapshot.all(Partner) if self.snapshot else []

    def _partner_of(self, point: ContactPoint) -> str:
        return partner_names(self.snapshot).get(point.partner_id, "") if self.snapshot else ""

    def action_toggle_verdict(self) -> None:
        """Switch the selected contact point between success and needs improvement."""
        point = self._selected()
        if point is None:
            return
        verdict = self._pending_verdicts.get(point.id, point.verdict).toggled()
        self._pending_verdicts[point.id] = verdict
        self.query_one(ContactTable).show_verdict(point.id, verdict)
        # Written once the new verdict is on screen: the write's work would slow the paint.
        self.call_after_refresh(self._change, point, "switch the verdict", verdict=verdict)

    def _change(self, point: ContactPoint, what: str, **changes: object) -> None:

        rev = self.expected_rev(point)
        self._queued(point.id, rev)

        def written(done: ContactPoint) -> None:
            self._remember(done)
            if self._expected_revs.get(point.id) == done.rev:  # nothing more is queued
                self._forget(point.id)

        self.ictui.write(
            what,
            lambda store: run(store, Change(ContactPoint, point.id, rev, changes)),
            done=written,
            conflict=partial(self._resolve, changes, False),
            failed=partial(self._not_written, point.id, what),
        )

    def _not_written(self, point_id: int, what: str, error: IctuiError) -> None:
        """Take back what was shown ahead of a change the file refused, and say why."""
        self._forget(point_id)
        self._show()
        self.ictui.report_failure(what, error)

    def _resolve(self, changes: dict[str, object], deleting: bool, conflict: Conflict) -> None:
        """Show both versions of a record changed meanwhile and apply the person's choice."""
        from ictui.screens.conflict import ConflictScreen
        from ictui.services import contacts

        theirs = conflict.current
        assert isinstance(theirs, ContactPoint)
        self._forget(theirs.id)
        self.ictui.reload()

        def chosen(keep_mine: bool | None) -> None:
            if not keep_mine:
                return
            point_id, rev = theirs.id, theirs.rev
            if deleting:
                self.ictui.write(
                    "delete", lambda store: run(store, Delete(ContactPoint, point_id, rev))
                )
            elif theirs.deleted:
                self.ictui.write(
                    "restore and change",
                    lambda store: run(store, Restore(ContactPoint, point_id, rev, changes)),
                )
            else:
                self.ictui.write(
                    "keep your change",
                    lambda store: run(store, Change(ContactPoint, point_id, rev, changes)),
                )

        fields = contacts.compare(theirs, self._partner_of(theirs), changes, deleting=deleting)
        self.app.push_screen(ConflictScreen(conflict, fields), chosen)

    def action_delete(self) -> None:
        """Delete the selected contact point; u brings it back."""

        point = self._selected()
        if point is None:
            return
        rev = self.expected_rev(point)
        self._queued(point.id, rev)
        partner = self._partner_of(point)
        self._pending_deletes.add(point.id)  # gone from the table at once; back if refused
        self._show()

        def deleted(done: ContactPoint) -> None:
            self._deleted.append((done.id, done.rev))
            self.refresh_bindings()
            self.notify(f"Deleted the contact point with {partner}. Press u to undo.", markup=False)

        self.ictui.write(
            "delete",
            lambda store: run(store, Delete(ContactPoint, point.id, rev)),
            done=deleted,
            conflict=partial(self._resolve, {}, True),
            failed=partial(self._not_written, point.id, "delete"),
        )

    def action_undo(self) -> None:
        """Bring back the last contact point deleted here."""

        if not self._deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        point_id, rev = self._deleted.pop()
        self.refresh_bindings()

        def brought_back(done: ContactPoint) -> None:
            self._remember(done)
            self.notify("Brought the contact point back.", timeout=3)

        def not_written(error: IctuiError) -> None:
            self._deleted.append((point_id, rev))  # so that u can try again
            self.refresh_bindings()
            self.ictui.report_failure("undo the delete", error)

        self.ictui.write(
            "undo the delete",
            lambda store: run(store, Restore(ContactPoint, point_id, rev)),
            done=brought_back,
            conflict=lambda c: self.notify(
                f"Could not undo: {c}", severity="warning", markup=False
            ),
            failed=not_written,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer undo only when there is something to undo."""
        if action == "undo":
            return bool(self._deleted)  # shown in the footer only when there is something
        return True

    def action_focus_filters(self) -> None:
        """Move to the filter bar."""
        self.query_one(FilterBar).focus_first()

    def action_focus_tally(self) -> None:
        """Move to the tally, to pick a partner."""
        self.query_one(TallyTable).focus_now()

    def action_focus_table(self) -> None:
        """Go back to the table."""
        self.set_focus(self.query_one(ContactTable))

    def action_clear_filters(self) -> None:
        """Show every partner, verdict and direction of the last two weeks."""
        self.filters = Filters()
        self.query_one(FilterBar).filters = self.filters
        self._show()
