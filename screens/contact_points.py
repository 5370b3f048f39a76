"""The contact-point log: the team's critical moments with partners, and how each went."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Header

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.screens.record_screen import RecordScreen
from ictui.services.order import NEWEST_FIRST, Order, in_order
from ictui.services.partners import partner_names
from ictui.services.stats import (
    Tally,
    matching,
    patched,
    patched_tallies,
    select,
    tally_by_partner,
)
from ictui.teamfile.snapshot import Changes, Snapshot
from ictui.text import counted, one_line
from ictui.widgets.contact_detail import ContactDetail, no_point_yet
from ictui.widgets.contact_table import ContactTable, Listing
from ictui.widgets.filter_bar import CUSTOM, FilterBar, Filters, filters_showing
from ictui.widgets.footer import FooterSlot
from ictui.widgets.key_names import say_action
from ictui.widgets.record_detail import DetailPanel
from ictui.widgets.record_table import RecordTable
from ictui.widgets.tally import TallyRow, TallyTable

if TYPE_CHECKING:
    from textual.widgets import Input

    from ictui.widgets.search_bar import SearchLine

# What changes the file (the form, the Textual widgets it brings, the writes)
# is imported where it is used: the app loads it in the background after the
# first frame.

WIDE = 150
"""From this many columns on, the tally and details sit beside the table."""
WIDE_COLUMN = 48
"""The least width of that column (the stylesheet's): wider for long names, up to a third."""
TALL = 36
"""From this many lines on, the tally above the table shows more partners."""


class ContactPointsScreen(RecordScreen[ContactPoint]):
    """Log critical contact points with partners: success or needs improvement, and why."""

    KIND = ContactPoint
    ROW_ACTIONS = RecordScreen.ROW_ACTIONS | {"toggle_verdict"}
    CSS_PATH = "contact_points.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Each row is a critical contact point: a moment with an internal customer or "
        "provider that went well (✓ success) or needs improvement (✗), and why. "
        "The tally counts each partner's verdicts for the period shown; pick a partner "
        "there to see only theirs. Changes made by others appear within a second."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", tooltip="Log a new contact point", id="contacts.add"),
        # The footer shows the table's Enter for editing; e is in the help.
        Binding(
            "e",
            "edit",
            "Edit",
            show=False,
            tooltip="Edit the selected contact point",
            id="contacts.edit",
        ),
        Binding(
            "v",
            "toggle_verdict",
            "Verdict",
            tooltip="Switch success / needs improvement",
            id="contacts.verdict",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            tooltip="Delete the selected contact point",
            id="contacts.delete",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Bring back the last deleted contact point",
            id="contacts.undo",
        ),
        Binding(
            "f",
            "focus_filters",
            "Filter",
            tooltip="Choose period, partner, verdict, way",
            id="contacts.filter",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,  # the detail's footer shows it; the table's footer is full at 80
            tooltip="Every earlier version of the selected contact point; bring one back",
            id="contacts.history",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            show=False,  # in the help and the palette: the footer is full at 80 columns
            key_display="/",
            tooltip="Search reasons and partner names as you type",
            id="contacts.search",
        ),
        Binding(
            "t",
            "focus_tally",
            "Tally",
            show=False,  # the footer is full at 80 columns; Tab gets there too
            tooltip="Pick a partner from the tally",
            id="contacts.tally",
        ),
        Binding(
            "x",
            "clear_filters",
            "Clear",
            tooltip="Clear the filters: every partner, verdict and way of the last 2 weeks",
            id="contacts.clear_filters",
        ),
        Binding(
            "r",
            "focus_detail",
            "Read",
            show=False,
            tooltip="Read the selected point in full: scroll it with the arrow keys",
            id="contacts.read",
        ),
        Binding(
            "s",
            "show_saved",
            "Show it",
            tooltip="Widen the filters to show the contact point just saved",
            id="contacts.show_saved",
        ),
        Binding(
            "S",
            "sort",
            "Sort",
            tooltip="Sort by: newest, oldest, partner, needs improvement first "
            "(or click a column's heading)",
            id="contacts.sort",
        ),
        Binding("escape", "focus_table", "Table", tooltip="Back to the table", id="contacts.back"),
        Binding(
            "q",
            "app.quit",
            "Quit",
            show=False,  # in the help; the footer needs the room for the screens' keys at 80
            id="contacts.quit",
        ),
    ]

    filters: var[Filters] = var(Filters, bindings=True)
    """What the filter bar has chosen; the footer offers to clear it when it is not the default."""

    order: var[Order] = var(NEWEST_FIRST, init=False)
    """How the contact points are sorted: by a column's heading, or the sort key."""

    def compose(self) -> ComposeResult:
        """Lay out filters, tally and details, and the table."""
        yield Header()
        yield FilterBar(id="filters")
        with Container(id="body"):
            with Container(id="overview"):
                yield TallyTable(id="tally")
                # A long reason scrolls: with the wheel, or with the keys once
                # r (or Tab) gives the detail focus.
                yield DetailPanel(ContactDetail(), id="detail")
            yield ContactTable(id="table")
        # The keys follow the first frame with rows, so that they never delay it.
        yield FooterSlot(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Say the file is being read until it is, then show it and every change."""
        # A large file or a slow disk takes a moment: say why the table is empty.
        self.query_one("#table").border_title = Text(f"Reading {self.team.store.path.name}…")
        self.query_one("#detail").border_title = "In full"
        self.table.sorted_by = (self.order.column, self.order.descending)
        super().on_mount()

    _tally_widths: tuple[int | None, int | None] | None = None
    """The widths last given to the tally and its column (see _fit_tally)."""

    def on_resize(self, event: events.Resize) -> None:
        """Put the tally beside the table when there is room, above it when not.

        The table keeps at least 100 columns beside it, so reasons stay readable.
        """
        self.set_class(event.size.width >= WIDE, "-wide")
        self.set_class(event.size.height >= TALL, "-tall")
        self.fit_height(event.size.height, wide=event.size.width >= WIDE)
        self._fit_tally()

    def _fit_tally(self) -> None:
        """Give the tally what its names need: at most half the width above, a third beside."""
        tally, overview = self.query_one(TallyTable), self.query_one("#overview")
        wanted = tally.wanted_width()
        widths: tuple[int | None, int | None]  # the tally's and its column's; None: as styled
        if self.has_class("-wide"):
            # The column on the right sets the tally's width, detail included; the
            # reasons in the table need the room more than a third.
            widest = self.size.width // 3
            widths = (None, max(WIDE_COLUMN, min(wanted + 1, widest)))  # + its border
        else:  # the column takes the whole width, as the stylesheet says
            widths = (max(30, min(wanted, self.size.width // 2)), None)
        # Set only when new: Textual lays the screen out at every width set to None,
        # which each listing shown did (every write, at 100,000 contact points).
        if widths != self._tally_widths:
            self._tally_widths = widths
            tally.styles.width, overview.styles.width = widths

    # -- showing -------------------------------------------------------------------

    LISTED_IN_A_THREAD = 20_000  # see RecordScreen: this listing only reads the filters

    def listing(self, snapshot: Snapshot) -> Listing[ContactPoint]:
        """Return the contact points the filters let through, in the order chosen."""
        # Read once: in a thread, the filters may change while the listing is made.
        filters, order, today = self.filters, self.order, self.team.today()
        where = filters.point_filter(today)
        points = select(snapshot.between(ContactPoint, "date", where.since, where.until), where)
        names = partner_names(snapshot)
        if filters.text:
            points = matching(points, names, filters.text)
        return Listing(tuple(in_order(points, order, names)), names, today)

    FIRST_SCREEN = 200
    """Rows in a listing's first screen: more than a tall terminal shows, a few pages' worth."""

    def first_screen(self, snapshot: Snapshot) -> Listing[ContactPoint] | None:
        """The newest points, when the period has no start and many points are not checked yet.

        A period with a start checks only its own days (see Snapshot.between), quickly.
        """
        # Filters that let few through would check most of the file to fill a screen.
        most = 20 * self.FIRST_SCREEN
        filters, today = self.filters, self.team.today()
        where = filters.point_filter(today)
        if where.since is not None or snapshot.unchecked(ContactPoint) <= most:
            return None  # checked already (the app checks every record after start): quick
        if self.order != NEWEST_FIRST:
            return None  # the first of another order may be anywhere in the file
        names = partner_names(snapshot)
        text = filters.text

        def keep(point: ContactPoint) -> bool:
            return where.matches(point) and (not text or bool(matching([point], names, text)))

        points = snapshot.newest(
            ContactPoint, "date", where.until, self.FIRST_SCREEN, keep, most_checked=most
        )
        return None if points is None else Listing(tuple(points), names, today)

    def first_screen_shown(self, listing: Listing[ContactPoint]) -> None:
        """Title the table with what it shows so far: the newest, the rest being counted."""
        self.query_one("#table").border_title = Text(
            f"Newest {len(listing.records)} contact points, counting…"
        )
        self.query_one(TallyTable).tallies = ()  # the last period's counts would mislead
        self.query_one("#tally").border_title = f"Tally: {self.filters.period_label()}, counting…"
        self._show_detail()

    def listing_key(self) -> object:
        """The filters, order and day: a listing made for them holds until the file changes."""
        return (self.filters, self.order, self.team.today())

    def summary(self, snapshot: Snapshot, listing: Listing[ContactPoint]) -> tuple[TallyRow, ...]:
        """Return the tally of the points listed, busiest partner first."""
        return _tally_rows(tally_by_partner(listing.records), listing.names or {})

    PATCHED_AT_MOST = 1_000
    """More contact points changed at once than this (an import, say): listed afresh."""

    def listing_since(
        self,
        snapshot: Snapshot,
        earlier: Listing[ContactPoint],
        summary: tuple[TallyRow, ...],
        changes: Changes,
    ) -> tuple[Listing[ContactPoint], tuple[TallyRow, ...]] | None:
        """Patch the listing and tally by the contact points changed since; afresh if partners did.

        Listing all time afresh at 100,000 points after each write filters,
        sorts and tallies every one (about 160 ms of Python's lock on a quiet
        machine); the one point a write changes takes well under a millisecond.
        """
        keys = changes.get(ContactPoint.TABLE, frozenset())
        if Partner.TABLE in changes or len(keys) > self.PATCHED_AT_MOST:
            return None  # names in the listing and the tally, the search: afresh
        if self.order != NEWEST_FIRST:
            return None  # patched in the newest-first order only
        filters, today = self.filters, self.team.today()
        where = filters.point_filter(today)
        names = earlier.names or {}
        fresh = [
            point
            for point in snapshot.records_at(ContactPoint, sorted(keys, key=int))
            if not point.deleted and where.matches(point)
        ]
        if filters.text:
            fresh = matching(fresh, names, filters.text)
        points, gone = patched(earlier.records, {int(key) for key in keys}, fresh)
        tallies = {row.partner_id: Tally(row.success, row.needs_improvement) for row in summary}
        rows = _tally_rows(patched_tallies(tallies, gone, fresh), names)
        return Listing(tuple(points), earlier.names, earlier.today), rows

    def shown(
        self, snapshot: Snapshot, listing: Listing[ContactPoint], summary: tuple[TallyRow, ...]
    ) -> None:
        """Show the filters' partners, the tally, the counts and the selected point in full."""
        points = listing.records
        self.query_one(FilterBar).partners = {p.id: p.name for p in snapshot.all(Partner)}
        self.query_one(TallyTable).tallies = summary
        self.query_one("#tally").border_title = f"Tally: {self.filters.period_label()}"
        self._fit_tally()
        count = len(points)
        title = counted(count, "contact point")
        if self.filters.text:
            title += f" with “{one_line(self.filters.text)}”"
        if self.order != NEWEST_FIRST:
            title += f", {self.order.label}"
        self.query_one("#table").border_title = Text(title)  # typed text: never markup
        if not points:
            self.query_one(ContactDetail).hint = self._why_empty(snapshot)
        self._show_detail()

    def _why_empty(self, snapshot: Snapshot) -> str:
        """Say why the table is empty: no contact point at all, or the filters."""
        if not snapshot.holds_any(ContactPoint):
            return no_point_yet(say_action(self, "add"))
        if self.filters == Filters():
            period = self.filters.period_label().lower()
            further = say_action(self, "focus_filters")
            return f"No contact points in the {period}. Press {further} to look further back."
        clear, change = say_action(self, "clear_filters"), say_action(self, "focus_filters")
        if self.filters.text:
            searched = one_line(self.filters.text)
            return (
                f"No contact points with “{searched}” here. Change the search, or press "
                f"Escape in it to clear it ({clear}, from the table, clears it and the filters)."
            )
        return (
            f"No contact points match these filters. Press {clear} to clear them, "
            f"or {change} to change them."
        )

    def _show_detail(self) -> None:
        names = partner_names(self.snapshot) if self.snapshot else {}
        self.query_one(DetailPanel).show(self.table.selected(), names)

    def on_record_table_drawn(self) -> None:
        """Add the filter choices once the table is on screen (RecordScreen adds the keys)."""
        self.query_one(FilterBar).add_choices()
        # Made now, hidden, not when / is pressed: keys typed right after / would
        # reach the screen while the line mounts, and be lost.
        self.call_after_refresh(self._search_line)

    def on_record_table_heading_clicked(self, event: RecordTable.HeadingClicked) -> None:
        """Sort by the column clicked; a second click on it sorts the other way."""
        if event.table.id == "table":
            self.order = self.order.clicked(event.column)

    def action_sort(self) -> None:
        """Sort by the next of the common orders: newest, oldest, partner, needs improvement."""
        self.order = self.order.next()
        self.notify(f"Sorted {self.order.label}.", timeout=2, markup=False)

    def watch_order(self, order: Order) -> None:
        """Mark the column sorted by, and list in the new order."""
        self.table.sorted_by = (order.column, order.descending)
        self.show()

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Show the highlighted contact point in full."""
        if event.table.id == "table":
            self._show_detail()

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        """Show the contact points the new filters let through; a search in force stays."""
        self.filters = replace(event.filters, text=self.filters.text)
        self.show()

    def on_filter_bar_range_wanted(self, event: FilterBar.RangeWanted) -> None:
        """Ask for the dates of a custom period."""
        from ictui.screens.period import DateRange, PeriodScreen

        def chosen(result: DateRange | None) -> None:
            if result is None:  # cancelled: show the period that was there before
                self.query_one(FilterBar).filters = self.filters
                return
            since, until = result
            self.filters = replace(self.filters, period=CUSTOM, since=since, until=until)
            self.query_one(FilterBar).filters = self.filters
            self.show()

        self.app.push_screen(PeriodScreen(self.filters.since, self.filters.until), chosen)

    def on_tally_table_partner_chosen(self, event: TallyTable.PartnerChosen) -> None:
        """Show only the chosen partner's contact points."""
        self.filters = replace(self.filters, partner_id=event.partner_id)
        self.query_one(FilterBar).filters = self.filters
        self.show()
        self.set_focus(self.table)

    # -- what RecordScreen asks of a kind ---------------------------------------------

    def form_for(
        self, record: ContactPoint | None, *, chained: bool = False
    ) -> ModalScreen[ContactPoint | None]:
        """Return the contact form, with the partners it offers."""
        from ictui.screens.contact_form import ContactForm
        from ictui.services.standards import standards_to_cite

        snapshot = self.snapshot
        partners = snapshot.all(Partner) if snapshot else []
        cited = record.standard_id if record else None
        standards = standards_to_cite(snapshot, cited) if snapshot else {}
        return ContactForm(record, partners, chained=chained, standards=standards)

    def _partner_of(self, point: ContactPoint) -> str:
        return partner_names(self.snapshot).get(point.partner_id, "") if self.snapshot else ""

    def name_of(self, record: ContactPoint) -> str:
        """Name a contact point by its partner: "the contact point with Payroll"."""
        return f"the contact point with {self._partner_of(record)}"

    def nothing_here(self) -> str:
        """Say why no contact point is under the cursor: none logged yet, or filters hide them."""
        if self.snapshot is None:
            return no_point_yet(say_action(self, "add"))
        return self._why_empty(self.snapshot)

    def labels(self) -> dict[str, str]:
        """The conflict dialog's fields: the partner by name."""
        from ictui.services.contacts import draft_labels

        return draft_labels()

    def draft_of(self, record: ContactPoint) -> dict[str, Any]:
        """A contact point as the conflict dialog shows it: the partner by name."""
        from ictui.services.contacts import draft_of

        return draft_of(record, self._partner_of(record)).values()

    def names_of_references(self) -> dict[str, dict[int, str]]:
        """Partners by name, for a history that changed one."""
        return {"partners": partner_names(self.snapshot)} if self.snapshot else {}

    def draft_changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """A change as the conflict dialog names it: the partner by name."""
        named = dict(changes)
        if "partner_id" in named and self.snapshot is not None:
            named["partner"] = partner_names(self.snapshot).get(named.pop("partner_id"), "")
        return named

    # -- actions -------------------------------------------------------------------------
    # Moves of focus by key use set_focus, which moves it at once: Widget.focus()
    # waits for the keys already queued, so a quick Enter after f would still go
    # to the table and open the edit form.

    def action_toggle_verdict(self) -> None:
        """Switch the selected contact point between success and needs improvement."""
        point = self.selected()
        if point is None:
            return
        verdict = point.verdict.toggled()
        write = self.pending.change(point, "switch the verdict", {"verdict": verdict})
        self.table.show_now(replace(point, verdict=verdict))
        # Written once the new verdict is on screen: the write's work would slow the paint.
        self.call_after_refresh(self.ask, write)

    def reveal(self, record: ContactPoint) -> bool:
        """Widen the filters just enough to hold a contact point: the period, then the rest."""
        self.filters = filters_showing(self.filters, record, self.team.today())
        self.query_one(FilterBar).filters = self.filters
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what works where the focus is: no way to the part that has it already."""
        focused = self.focused
        if action == "clear_filters":
            return self.filters != Filters()  # shown only when there is something to clear
        if action == "focus_tally":
            return not isinstance(focused, TallyTable)
        if action == "focus_filters":
            return focused is None or focused.parent is not self.query_one(FilterBar)
        if action == "search":
            return focused is None or focused.id != "search"
        return super().check_action(action, parameters)

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Offer each partner in the palette: show only theirs, rename, merge, archive."""
        partners = sorted(self.query_one(FilterBar).partners.items(), key=lambda i: i[1])
        for pid, name in partners:
            shown = one_line(name)
            yield (
                f"Show partner: {shown}",
                "only their contact points",
                partial(self.show_partner, pid),
            )
            yield (
                f"Rename partner: {shown}…",
                "a new name, everywhere it is used",
                partial(self.ask_partner, "rename", pid),
            )
            yield (
                f"Merge partner: {shown} into…",
                "move all their records to another partner, then archive this one",
                partial(self.ask_partner, "merge", pid),
            )
            yield (
                f"Archive partner: {shown}",
                "leave out of filters and completion; records keep the name",
                partial(self.change_partner, "archive", pid),
            )
        yield from self._archived_partners()

    def _archived_partners(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        if self.snapshot is None:
            return
        archived = [p for p in self.snapshot.all(Partner, include_deleted=True) if p.deleted]
        for archived_partner in sorted(archived, key=lambda p: p.name.casefold()):
            yield (
                f"Unarchive partner: {one_line(archived_partner.name)}",
                "back in the filters and completion",
                partial(self.change_partner, "unarchive", archived_partner.id),
            )

    def change_partner(self, action: str, partner_id: int, other: str = "") -> None:
        """Rename, merge or archive a partner, in the background; the result is said."""
        from ictui.services.partner_admin import PartnerWrite

        self.ask(PartnerWrite(action, f"#{partner_id}", other))

    def ask_partner(self, action: str, partner_id: int) -> None:
        """Ask for the new name (rename) or the partner to merge into, then change it."""
        from ictui.screens.ask_name import AskName

        partners = self.query_one(FilterBar).partners
        name = one_line(partners.get(partner_id, f"#{partner_id}"))
        others = sorted(n for pid, n in partners.items() if pid != partner_id)
        if action == "rename":
            title, value = f"Rename {name}", name
            explain = "Its contact points follow the new name."
        else:
            title, value = f"Merge {name} into…", ""
            explain = (
                f"Every record of {name} moves to the partner named here, in one write; "
                f"{name} is then archived."
            )

        def answered(other: str | None) -> None:
            if other is not None:
                self.change_partner(action, partner_id, other)

        known_only = action == "merge"
        self.app.push_screen(
            AskName(title, explain, value, others, known_only=known_only), answered
        )

    def show_partner(self, partner_id: int) -> None:
        """Show only one partner's contact points, over the period in use."""
        name = one_line(self.query_one(FilterBar).partners.get(partner_id, f"#{partner_id}"))
        clear = say_action(self, "clear_filters")
        self.notify(
            f"Showing only {name}'s contact points; {clear} shows everyone's.",
            timeout=3,
            markup=False,
        )
        self.filters = replace(self.filters, partner_id=partner_id)
        self.query_one(FilterBar).filters = self.filters
        self.show()
        self.set_focus(self.table)

    def _search_line(self) -> SearchLine:
        """Return the search line, made (hidden) if it is not there yet."""
        from ictui.widgets.search_bar import SearchLine

        lines = self.query(SearchLine)
        if lines:
            return lines.first()
        line = SearchLine(placeholder="reasons and partners", id="search-line")
        line.display = False
        self.query_one("#body").mount(line)
        return line

    def action_search(self) -> None:
        """Open the search line and give it the keys."""
        line = self._search_line()
        line.display = True
        self.set_focus(line.bar)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the table to what is typed in the search, as it is typed."""
        if event.input.id == "search" and event.value != self.filters.text:
            self.filters = replace(self.filters, text=event.value)
            self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search: back to the table, the search still in force."""
        if event.input.id == "search":
            self.set_focus(self.table)

    def on_search_bar_closed(self) -> None:
        """Escape in the search: everything again, and back to the table."""
        for line in self.query("#search-line"):
            line.display = False
        self.set_focus(self.table)

    def action_focus_filters(self) -> None:
        """Move to the filter bar."""
        self.query_one(FilterBar).focus_first()

    def action_focus_tally(self) -> None:
        """Move to the tally, to pick a partner."""
        self.query_one(TallyTable).focus_now()

    def action_clear_filters(self) -> None:
        """Show every partner, verdict and direction of the last two weeks, with no search."""
        from textual.widgets import Input

        self.filters = Filters()
        for bar in self.query("#search").results(Input):
            with self.prevent(Input.Changed):
                bar.value = ""
        for line in self.query("#search-line"):
            line.display = False
        self.query_one(FilterBar).filters = self.filters
        self.show()


def _tally_rows(tallies: Mapping[int, Tally], names: Mapping[int, str]) -> tuple[TallyRow, ...]:
    """Return each partner's tally as a row, busiest partner first, then by name."""
    ordered = sorted(
        tallies.items(),
        key=lambda item: (-item[1].total, names.get(item[0], "").casefold(), item[0]),
    )
    return tuple(
        TallyRow(pid, names.get(pid, f"#{pid}"), t.success, t.needs_improvement)
        for pid, t in ordered
    )
