"""Standards and partnering rules, grouped by partner: how each is kept, and what is due."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Header

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.schema import schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import read_target
from ictui.kinds.vocab import Side, StandardStatus
from ictui.screens.record_screen import RecordScreen
from ictui.services.partners import partner_names
from ictui.services.standards import (
    Agree,
    Retire,
    StandardRow,
    due_count,
    find_check_in,
    standards_listing,
)
from ictui.teamfile.snapshot import Snapshot
from ictui.text import counted, one_line
from ictui.widgets.footer import FooterSlot
from ictui.widgets.key_names import say_action
from ictui.widgets.record_detail import DetailPanel
from ictui.widgets.record_table import Listing, RecordTable
from ictui.widgets.standard_detail import StandardDetail, no_standard_yet
from ictui.widgets.standard_table import SCROLLBAR, StandardTable
from ictui.widgets.standard_table import WIDE as WIDE_TABLE

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from ictui.screens.check_in_form import CheckInForm
    from ictui.user.drafts import Draft

DETAIL_WIDTH = 52
"""The width of the details beside the table, their border in it (the stylesheet's)."""
WIDE = WIDE_TABLE + SCROLLBAR + DETAIL_WIDTH
"""From this many columns on, the details sit beside the table.

Only where the table beside them still has all its columns: a wider window
must never show fewer columns than a narrower one (the details go above).
"""


def _longest(field: str) -> int | None:
    """Return how many characters a standard's text field holds."""
    text = schema_of(Standard).field(field).text
    return text.maximum if text is not None else None


class StandardsScreen(RecordScreen[Standard]):
    """Standards agreed with partners and their partnering rules: check them in, see them kept."""

    KIND = Standard
    ROW_ACTIONS = RecordScreen.ROW_ACTIONS | {"check_in", "agree", "retire"}
    RECORD_ACTIONS = RecordScreen.RECORD_ACTIONS | {"due_only", "show_all"}
    CSS_PATH = "standards.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Each row is a promise agreed with a partner, grouped by partner: a standard (we "
        "promise) or a partnering rule (they promise). Each is checked once a week, month or "
        "quarter: Last 6 shows the latest periods, oldest first (✓ met, ✗ not met, – not "
        "measured, · no check-in), Kept is met ÷ (met + not met) over the last 12, and Due "
        "names a finished period with no check-in yet. The screen opens on the first one due."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", tooltip="Write down a standard or a rule", id="standards.add"),
        Binding(
            "c",
            "check_in",
            "Check in",
            tooltip="Say whether the selected standard was kept in a period",
            id="standards.check_in",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            show=False,  # the table's Enter is in the footer
            tooltip="Change the selected standard",
            id="standards.edit",
        ),
        Binding(
            "g",
            "agree",
            "Agree",
            tooltip="Mark the selected standard agreed with the partner",
            id="standards.agree",
        ),
        Binding(
            "x",
            "retire",
            "Retire",
            tooltip="Retire the selected standard, saying why",
            id="standards.retire",
        ),
        Binding(
            "f",
            "due_only",
            "Due only",
            tooltip="Show only the standards with a check-in due",
            id="standards.due_only",
        ),
        Binding(
            "f",  # the same key, saying what it does while only those due are shown
            "show_all",
            "Show all",
            tooltip="Show every standard again",
            id="standards.show_all",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            show=False,
            tooltip="Delete the selected standard",
            id="standards.delete",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Bring back the last deleted standard",
            id="standards.undo",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="Every earlier version of the selected standard; bring one back",
            id="standards.history",
        ),
        Binding(
            "r",
            "focus_detail",
            "Read",
            show=False,
            tooltip="Read the selected standard's check-ins: scroll them with the arrow keys",
            id="standards.read",
        ),
        Binding(
            "s",
            "show_saved",
            "Show it",
            tooltip="Show the standard just saved",
            id="standards.show_saved",
        ),
        Binding("escape", "focus_table", "Table", tooltip="Back to the table", id="standards.back"),
        Binding("q", "app.quit", "Quit", show=False, id="standards.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.due_only = False
        """Whether only the standards with a check-in due are shown."""
        self._rows: dict[int, StandardRow] = {}
        self._opened_on_due = False
        self._evidence: tuple[Snapshot, dict[int, list[ContactPoint]]] | None = None

    def compose(self) -> ComposeResult:
        """Lay out the table and the details."""
        yield Header()
        with Container(id="body"):
            yield DetailPanel(StandardDetail(), id="detail")
            yield StandardTable(id="table")
        yield FooterSlot(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Say the file is being read until it is, then show it and every change."""
        self.query_one("#table").border_title = Text(f"Reading {self.team.store.path.name}…")
        self.query_one("#detail").border_title = "In full"
        self.query_one(StandardDetail).hint = no_standard_yet(say_action(self, "add"))
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        """Put the details beside the table when there is room, above it when not."""
        self.set_class(event.size.width >= WIDE, "-wide")
        self.fit_height(event.size.height, wide=event.size.width >= WIDE)

    # -- showing -------------------------------------------------------------------

    def listing(self, snapshot: Snapshot) -> Listing[Standard]:
        """Return the standards grouped by partner; only those due, when asked."""
        rows = standards_listing(snapshot, self.team.today())
        self._rows = {row.standard.id: row for row in rows}
        if self.due_only:
            rows = [row for row in rows if row.standing.due is not None]
        first: set[int] = set()
        previous = None
        for row in rows:
            if row.standard.partner_id != previous:
                first.add(row.standard.id)
                previous = row.standard.partner_id
        table = self.query_one(StandardTable)
        table.standings, table.first_of_partner = self._rows, frozenset(first)
        self.query_one(StandardDetail).rows = self._rows
        records = tuple(row.standard for row in rows)
        return Listing(records, partner_names(snapshot), self.team.today())

    def shown(self, snapshot: Snapshot, listing: Listing[Standard], summary: object) -> None:
        """Count the standards and what is due, and show the selected one in full."""
        rows = list(self._rows.values())
        count, due = len(rows), due_count(rows)
        title = counted(count, "standard")
        if self.due_only:
            title = f"{len(listing.records)} of {title}: those with a check-in due"
        elif due:
            title += f", {due} check-in{'' if due == 1 else 's'} due"
        self.query_one("#table").border_title = Text(title)
        if not listing.records:
            hint = no_standard_yet(say_action(self, "add"))
            if self.due_only and rows:
                hint = "Nothing is due: every agreed standard has its last period checked in."
            self.query_one(StandardDetail).hint = hint
        self._show_detail()
        self.refresh_bindings()  # the selected standard may have been agreed or retired

    def _evidence_in(self, snapshot: Snapshot) -> dict[int, list[ContactPoint]]:
        """Return the contact points tied to each standard, newest first: once per reading."""
        if self._evidence is None or self._evidence[0] is not snapshot:
            found: dict[int, list[ContactPoint]] = {}
            for point in snapshot.all(ContactPoint):
                if point.standard_id is not None:
                    found.setdefault(point.standard_id, []).append(point)
            for points in found.values():
                points.sort(key=lambda p: (p.date, p.id), reverse=True)
            self._evidence = (snapshot, found)
        return self._evidence[1]

    def _show_detail(self) -> None:
        snapshot = self.snapshot
        detail = self.query_one(StandardDetail)
        if snapshot is not None:
            evidence = self._evidence_in(snapshot)
            if detail.evidence is not evidence:  # one per reading: drawn again when new
                detail.evidence = evidence
        names = partner_names(snapshot) if snapshot else {}
        # Drawn again by what changed (the record, the names, the evidence, the rows).
        self.query_one(DetailPanel).show(self.table.selected(), names)

    def on_record_table_drawn(self) -> None:
        """Open on the first standard due once the table is on screen (RecordScreen adds keys)."""
        if not self._opened_on_due:
            self._opened_on_due = True
            due = next((r for r in self.table.listing.records if self._is_due(r)), None)
            if due is not None:
                self.table.select_record(due.id)

    def _is_due(self, standard: Standard) -> bool:
        row = self._rows.get(standard.id)
        return row is not None and row.standing.due is not None

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Show the highlighted standard in full, and the keys that work on it."""
        if event.table.id == "table":
            self._show_detail()
            self.refresh_bindings()

    # -- what RecordScreen asks of a kind ---------------------------------------------

    def form_for(
        self, record: Standard | None, *, chained: bool = False, side: Side = Side.OURS
    ) -> ModalScreen[Standard | None]:
        """Return the form that writes down a standard, or changes one."""
        from ictui.kinds.partner import Partner
        from ictui.screens.standard_form import StandardForm

        partners = self.snapshot.all(Partner) if self.snapshot else []
        return StandardForm(record, partners, chained=chained, side=side)

    def _partner_of(self, standard: Standard) -> str:
        if self.snapshot is None:
            return ""
        return partner_names(self.snapshot).get(standard.partner_id, "")

    def name_of(self, record: Standard) -> str:
        """Name a standard by its partner: "the standard with Payroll"."""
        return f"the {record.side.label} with {one_line(self._partner_of(record))}"

    def nothing_here(self) -> str:
        """Say how to write down the first standard."""
        add = say_action(self, "add")
        if self.due_only:
            return f"Nothing is due. Press {say_action(self, 'show_all')} to show every standard."
        return f"There is no standard here yet. Press {add} to write one down."

    def names_of_references(self) -> dict[str, dict[int, str]]:
        """Partners by name, for a history that changed one."""
        return {"partners": partner_names(self.snapshot)} if self.snapshot else {}

    def draft_of(self, record: Standard) -> dict[str, Any]:
        """A standard as the conflict dialog shows it: the partner by name."""
        values = super().draft_of(record)
        values["partner_id"] = self._partner_of(record)
        return values

    # -- actions -------------------------------------------------------------------------

    def action_check_in(self) -> None:
        """Check the selected standard in: for the period due, else the last one finished."""
        standard = self.selected()
        if standard is None or self.snapshot is None:
            return
        if standard.status is StandardStatus.RETIRED:
            self.notify("It is retired: it is checked no more.", timeout=3)
            return
        self.app.push_screen(self._check_in_form(standard), self._checked_in)

    def _check_in_form(self, standard: Standard, period: str = "") -> CheckInForm:
        """Return the form that checks a standard in: for period, else the one due or last."""
        from ictui.kinds.period import last_completed, read_period
        from ictui.screens.check_in_form import CheckInForm

        assert self.snapshot is not None  # a standard was found in it
        if not period:
            row = self._rows.get(standard.id)
            due = row.standing.due if row else None
            period = str(due or last_completed(self.team.today(), standard.cadence))
        snapshot = self.snapshot

        def earlier_for(written: str) -> CheckIn | None:
            found = read_period(written)
            return find_check_in(snapshot, standard.id, found) if found else None

        who = self.team.store.author.display
        return CheckInForm(standard, period, who, earlier_for)

    def reopen_form(self, draft: Draft, done: Callable[[], None]) -> str | None:
        """Open a draft's form again; a check-in's on its standard, if it can still be checked."""
        from dataclasses import replace

        from ictui.screens.check_in_form import CheckInForm

        if draft.form != CheckInForm.DRAFT_OF:
            return super().reopen_form(draft, done)
        found = self.snapshot.get(Standard, draft.record_id or 0) if self.snapshot else None
        if found is None:
            return f"the standard {draft.record_id} is not in the team file"
        side = found.side.label
        if found.deleted:
            return f"the {side} {found.id} was deleted since"
        if found.status is StandardStatus.RETIRED:
            return f"the {side} {found.id} was retired since: it is checked no more"
        form = self._check_in_form(found, draft.fields.get("period", ""))
        if form.record is not None and draft.rev is not None:
            # From the revision it was typed on: a check-in saved since meets it as a conflict.
            form.record = replace(form.record, rev=draft.rev)
        form.reopen(draft)

        def closed(check_in: CheckIn | None) -> None:
            done()
            self._checked_in(check_in)

        self.app.push_screen(form, closed)
        return None

    def _checked_in(self, check_in: CheckIn | None) -> None:
        if check_in is not None:
            self.team.reload()

    def action_agree(self) -> None:
        """Mark the selected standard agreed today, asking with whom."""
        from ictui.screens.ask_line import AgreeScreen

        standard = self.selected()
        if standard is None:
            return
        if standard.status is StandardStatus.AGREED:
            self.notify("It is agreed already.", timeout=3)
            return
        if read_target(standard.target) is None:
            edit = say_action(self, "edit")
            self.notify(
                "Agree it once its target can be checked: a number with a comparison, a time, "
                f"a date, or yes: and what is done. Press {edit} to give it one.",
                title="Not agreed",
                severity="warning",
                markup=False,
            )
            return
        today = self.team.today()

        def answered(names: str | None) -> None:
            if names is not None:
                self.ask(Agree(standard.id, standard.rev, today, names))

        said = f"Agreed today, {today.isoformat()}. Who agreed it on the partner's side?"
        asking = AgreeScreen(
            f"Agree: {one_line(standard.standard)[:50]}",
            said,
            value=standard.agreed_with,
            placeholder="names on the partner's side",
            most=_longest("agreed_with"),
        )
        self.app.push_screen(asking, answered)

    def action_retire(self) -> None:
        """Retire the selected standard, asking why."""
        from ictui.screens.ask_line import RetireScreen

        standard = self.selected()
        if standard is None:
            return
        if standard.status is StandardStatus.RETIRED:
            self.notify("It is retired already.", timeout=3)
            return

        def answered(reason: str | None) -> None:
            if reason:
                self.ask(Retire(standard.id, standard.rev, reason))

        asking = RetireScreen(
            f"Retire: {one_line(standard.standard)[:50]}",
            "Its check-ins stay, to be read; it is checked no more. Why retire it?",
            placeholder="replaced by a new standard, say",
            required="Say why it is retired: the team will ask.",
            most=_longest("retired_reason"),
        )
        self.app.push_screen(asking, answered)

    def reveal(self, record: Standard) -> bool:
        """Show every standard again, so that one saved and not due is in view."""
        if self.due_only:
            self.due_only = False
            self.refresh_bindings()
        return True

    def why_not(self, action: str, record: Standard) -> str:
        """Say why checking in, agreeing or retiring does nothing for this standard."""
        if record.status is StandardStatus.RETIRED and action in ("check_in", "retire", "agree"):
            return (
                f"It is retired ({one_line(record.retired_reason)[:60]}): it is checked no "
                "more. To agree it anew, write it down again."
            )
        if action == "agree" and record.status is StandardStatus.AGREED:
            return "It is agreed already."
        return ""

    def action_due_only(self) -> None:
        """Show only the standards with a check-in due."""
        self.due_only = True
        self.show()
        self.refresh_bindings()

    def action_show_all(self) -> None:
        """Show every standard again, after only those due."""
        self.due_only = False
        self.show()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what works where the focus is, and for the standard under the cursor."""
        if action in ("due_only", "show_all") and self.due_only != (action == "show_all"):
            return False  # f says what it does now
        allowed = super().check_action(action, parameters)
        if not allowed or action not in ("check_in", "agree", "retire"):
            return allowed
        record = self.table.selected()
        if record is None:
            return True  # says there is nothing here, when pressed
        if action == "agree":
            return record.status is StandardStatus.PROPOSED
        return record.status is not StandardStatus.RETIRED

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Offer to check in each standard that is due."""
        rows: Sequence[StandardRow] = list(self._rows.values())
        for row in rows:
            if row.standing.due is not None:
                yield (
                    f"Check in: {one_line(row.partner)}, {one_line(row.standard.standard)[:40]}",
                    f"due for {row.standing.due.describe()}",
                    partial(self._check_in, row.standard.id),
                )

    def _check_in(self, standard_id: int) -> None:
        self.table.select_record(standard_id)
        self.action_check_in()
