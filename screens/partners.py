"""The partner map: every partner, who serves whom, how much it matters, what it needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Header

from ictui import collector
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Priority, Relationship
from ictui.screens.record_screen import RecordScreen
from ictui.services.partner_map import PartnerYear, map_order, partner_year
from ictui.teamfile import lane
from ictui.teamfile.snapshot import Snapshot
from ictui.text import counted, one_line
from ictui.widgets.footer import FooterSlot
from ictui.widgets.key_names import say_action
from ictui.widgets.partner_detail import PartnerDetail
from ictui.widgets.partner_table import PartnerTable
from ictui.widgets.record_detail import DetailPanel
from ictui.widgets.record_table import Listing, RecordTable

if TYPE_CHECKING:
    from textual.screen import ModalScreen

WIDE = 150
"""From this many columns on, the details sit beside the table."""


def no_partner_yet(add: str) -> str:
    """Return the hint for a team file without a partner; add: the key that adds one."""
    return (
        f"No partners yet. Press {add} to put the first on the map: a person, team or "
        "department the team serves, or relies on. Logging a contact point adds one too."
    )


class PartnersScreen(RecordScreen[Partner]):
    """The partner map: who the team serves and relies on, how much each matters, its needs."""

    KIND = Partner
    CSS_PATH = "partners.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Every partner the team serves (a customer, →) or relies on "
        "(a provider, ←), or both (↔); high priority first. The segment groups partners "
        "with like needs, and the needs say what each counts on the team for. ✓ and ✗ "
        "count the last 12 months' contact points with each; Last is the newest. "
        "Archiving a partner takes it off the map and out of the choices; its records "
        "stay, and so does its name in them. The palette's Unarchive partner brings one back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", tooltip="Put a partner on the map", id="partners.add"),
        Binding(
            "e",
            "edit",
            "Edit",
            show=False,  # the table's Enter is in the footer
            tooltip="Change the selected partner: its way, priority, segment, needs, notes",
            id="partners.edit",
        ),
        Binding(
            "d,delete",
            "delete",
            "Archive",
            tooltip="Archive the selected partner: off the map, its records kept",
            id="partners.archive",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Bring back the last partner archived",
            id="partners.undo",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="Every earlier version of the selected partner; bring one back",
            id="partners.history",
        ),
        Binding(
            "r",
            "focus_detail",
            "Read",
            show=False,
            tooltip="Read the selected partner in full: scroll it with the arrow keys",
            id="partners.read",
        ),
        Binding("escape", "focus_table", "Table", tooltip="Back to the table", id="partners.back"),
        Binding("q", "app.quit", "Quit", show=False, id="partners.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._years: tuple[Snapshot, dict[int, PartnerYear]] | None = None
        """The last twelve months counted, and the reading they were counted from."""

    def compose(self) -> ComposeResult:
        """Lay out the table and the details."""
        yield Header()
        with Container(id="body"):
            yield DetailPanel(PartnerDetail(), id="detail")
            yield PartnerTable(id="table")
        yield FooterSlot(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Say the file is being read until it is, then show it and every change."""
        self.query_one("#table").border_title = Text(f"Reading {self.team.store.path.name}…")
        self.query_one("#detail").border_title = "In full"
        self.query_one(PartnerDetail).hint = no_partner_yet(say_action(self, "add"))
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        """Put the details beside the table when there is room, above it when not."""
        self.set_class(event.size.width >= WIDE, "-wide")
        self.fit_height(event.size.height, wide=event.size.width >= WIDE)

    # -- showing -------------------------------------------------------------------

    def listing(self, snapshot: Snapshot) -> Listing[Partner]:
        """Return the live partners: high priority first, then by name."""
        # names: none needed (a partner names itself), but given: the listing is the file's.
        return Listing(tuple(map_order(snapshot.all(Partner))), {}, self.team.today())

    def shown(self, snapshot: Snapshot, listing: Listing[Partner], summary: object) -> None:
        """Count the partners by way; give the table and the detail the year's counts.

        The partners come at once; their year reads the contact points (at
        100,000 of them, a while), counted in a thread: until it is, the
        counts of the reading before stay, and the new ones redraw the rows.
        """
        counted_year = self._years
        if counted_year is not None and counted_year[0] is snapshot:
            self.query_one(PartnerTable).years = counted_year[1]
            self.query_one(PartnerDetail).years = counted_year[1]
        else:  # once the rows are painted: the count must not hold up their frame
            self.call_after_refresh(self._count_year, snapshot, listing.today or self.team.today())
        records = listing.records
        ways = {way: sum(p.relationship is way for p in records) for way in Relationship}
        high = sum(p.priority is Priority.HIGH for p in records)
        title = counted(len(records), "partner")
        if records:
            title += (
                f": {ways[Relationship.CUSTOMER]} we serve, {ways[Relationship.PROVIDER]} "
                f"serve us, {ways[Relationship.BOTH]} both ways; {high} high priority"
            )
        self.query_one("#table").border_title = Text(title)
        if not records:
            self.query_one(PartnerDetail).hint = no_partner_yet(say_action(self, "add"))
        self._show_detail()

    @work(thread=True, exclusive=True, group="partner-year")
    def _count_year(self, snapshot: Snapshot, today: dt.date) -> None:
        # One heavy thread at a time, as the listings (see RecordScreen).
        with lane.turn(), collector.paused():
            years = partner_year(snapshot, today)
        self.app.call_from_thread(self._year_counted, snapshot, years)

    def _year_counted(self, snapshot: Snapshot, years: dict[int, PartnerYear]) -> None:
        # Counted in a thread: the screen may be gone, or a newer reading shown meanwhile.
        if snapshot is self.snapshot and self.query(PartnerTable):
            self._years = (snapshot, years)
            self.show()  # the rows drawn again, with their counts

    def _show_detail(self) -> None:
        self.query_one(DetailPanel).show(self.table.selected(), {})
        self.query_one(PartnerDetail).redraw()  # the year's counts may be new

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Offer to bring back each archived partner: the map shows only live ones."""
        from ictui.services.partner_admin import PartnerWrite

        partners = self.snapshot.all(Partner, include_deleted=True) if self.snapshot else []
        for partner in sorted(partners, key=lambda p: p.name.casefold()):
            if partner.deleted:
                yield (
                    f"Unarchive partner: {one_line(partner.name)}",
                    "back on the map, in the filters and completion",
                    partial(self.ask, PartnerWrite("unarchive", f"#{partner.id}")),
                )

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Show the highlighted partner in full."""
        if event.table.id == "table":
            self._show_detail()

    # -- what RecordScreen asks of a kind ---------------------------------------------

    def form_for(
        self, record: Partner | None, *, chained: bool = False
    ) -> ModalScreen[Partner | None]:
        """Return the partner form, which knows every partner's name."""
        from ictui.screens.partner_form import PartnerForm

        partners = self.snapshot.all(Partner, include_deleted=True) if self.snapshot else []
        return PartnerForm(record, partners, chained=chained)

    def name_of(self, record: Partner) -> str:
        """Name a partner by its name: "partner Payroll"."""
        return f"partner {one_line(record.name)}"

    def nothing_here(self) -> str:
        """Say how to put the first partner on the map."""
        return f"There is no partner here yet. Press {say_action(self, 'add')} to add one."
