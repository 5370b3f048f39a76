"""Debriefs of held interviews: drafts first, then those held; each opens in the builder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Header, Static

from ictui.errors import RecordNotFound
from ictui.kinds.debrief import Debrief
from ictui.kinds.interview import Interview
from ictui.screens.places import place_named
from ictui.screens.record_screen import RecordScreen
from ictui.screens.team_app import team_app
from ictui.services.debriefs import DebriefRow, HoldDebrief, debriefs_listing, recap, written_in
from ictui.services.partners import partner_names
from ictui.teamfile.snapshot import Snapshot
from ictui.text import counted, one_line
from ictui.widgets.debrief_table import DebriefTable
from ictui.widgets.footer import FooterSlot
from ictui.widgets.key_names import say_key, say_key_on
from ictui.widgets.record_table import Listing, RecordTable

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from ictui.screens.debrief_builder import DebriefBuilderScreen


START_KEY = "interviews.debrief"
"""The id of the interviews screen's key that starts (or opens) a held interview's debrief."""


def start_keys(screen: Any) -> tuple[str, str]:
    """Return the keys that start a debrief, as the person has them: go to the interviews, Debrief.

    The second is a key of the interviews screen, not of this one, so it is
    looked up in that screen's bindings (after the person's keymap).
    """
    go = say_key(screen, "go.interviews")
    return go, say_key_on(screen, place_named("interviews").load(), START_KEY)


def no_debrief_yet(screen: Any) -> str:
    """Say how a debrief is started: from a held interview, on the interviews screen."""
    go, start = start_keys(screen)
    return (
        "No debriefs yet. A debrief recaps a held interview for your co-workers: press "
        f"{go} for the interviews, choose a held one and press {start}; the recap comes "
        "pre-filled from its worksheet."
    )


def how_to_start(screen: Any) -> str:
    """Say in a few words how another debrief is started, for beside the count."""
    go, start = start_keys(screen)
    return f"to start one: {go}, then {start} on a held interview"


class DebriefsScreen(RecordScreen[Debrief]):
    """Every debrief: how balanced its recap is, whether it was held; open one to edit it."""

    KIND = Debrief
    ROW_ACTIONS = RecordScreen.ROW_ACTIONS | {"open", "mark_held"}
    CSS_PATH = "debriefs.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Each row is the recap of a held interview that its interviewer gives co-workers: "
        "drafts first, then those held, newest interview first. Good counts the results "
        "(good news), then the issues, resolutions and standards; Advice counts the warnings "
        "of the balance check (an issue with no resolution or standard, no good news, issues "
        "outnumbering the rest). Start one from a held interview on the interviews screen."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "o",
            "open",
            "Open",
            show=False,  # the table's Enter is in the footer
            tooltip="Open the selected debrief's recap in the builder",
            id="debriefs.open",
        ),
        Binding(
            "m",
            "mark_held",
            "Held",
            tooltip="Mark the selected debrief held today",
            id="debriefs.held",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            tooltip="Delete the selected debrief",
            id="debriefs.delete",
        ),
        Binding(
            "u", "undo", "Undo", tooltip="Bring back the last deleted debrief", id="debriefs.undo"
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="Every earlier version of the selected debrief; bring one back",
            id="debriefs.history",
        ),
        Binding("escape", "focus_table", "Table", tooltip="Back to the table", id="debriefs.back"),
        Binding("q", "app.quit", "Quit", show=False, id="debriefs.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[int, DebriefRow] = {}
        self._listed: tuple[Snapshot, list[DebriefRow]] | None = None  # the balance, once read

    def compose(self) -> ComposeResult:
        """Lay out the table, and the hint when there is nothing in it."""
        yield Header()
        with Container(id="body"):
            yield Static("", id="hint", markup=False)
            yield DebriefTable(id="table")
        yield FooterSlot(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Say the file is being read until it is, then show it and every change."""
        self.query_one("#table").border_title = Text(f"Reading {self.team.store.path.name}…")
        # RecordScreen's on_mount, called after this one, shows each reading.

    # -- showing -------------------------------------------------------------------

    def listing(self, snapshot: Snapshot) -> Listing[Debrief]:
        """Return the debriefs: drafts first, then those held, newest interview first.

        Each one's balance reads its whole recap: the rows come first, in order,
        and the balance once it is worked out in the background.
        """
        today = self.team.today()
        names = partner_names(snapshot)
        table = self.query_one(DebriefTable)
        listed = self._listed
        if listed is not None and listed[0] is snapshot:
            self._rows = {row.debrief.id: row for row in listed[1]}
            table.balances = {row.debrief.id: row.balance for row in listed[1]}
            table.interviews = {
                row.debrief.id: (row.interview.planned_on, row.partner) for row in listed[1]
            }
            records = tuple(row.debrief for row in listed[1])
        else:
            records, interviews = in_order(snapshot)
            table.interviews = {
                debrief_id: (interview.planned_on, names.get(interview.partner_id, ""))
                for debrief_id, interview in interviews.items()
            }
            self._balance_in_background(snapshot, today)
        return Listing(records, names, today)

    @property
    def balanced(self) -> bool:
        """Whether the rows show the balance of the team file as last read."""
        return self._listed is not None and self._listed[0] is self.snapshot

    @work(thread=True, exclusive=True, group="debrief-balance")
    def _balance_in_background(self, snapshot: Snapshot, today: dt.date) -> None:
        rows = debriefs_listing(snapshot, today)
        self.app.call_from_thread(self._balance_ready, snapshot, rows)

    def _balance_ready(self, snapshot: Snapshot, rows: list[DebriefRow]) -> None:
        if snapshot is self.snapshot:
            self._listed = (snapshot, rows)
            self.show()

    def shown(self, snapshot: Snapshot, listing: Listing[Debrief], summary: object) -> None:
        """Count the debriefs and the drafts; say how to start one, in full when there is none."""
        records = listing.records
        drafts = sum(d.held_on is None for d in records)
        count = len(records)
        title = counted(count, "debrief")
        if drafts:
            title += f", {drafts} draft{'' if drafts == 1 else 's'}"
        if records:
            title += f" · {how_to_start(self)}"
        self.query_one("#table").border_title = Text(title)
        hint = self.query_one("#hint", Static)
        hint.update("" if records else no_debrief_yet(self))
        hint.display = not records

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Offer the keys that work on the highlighted debrief."""
        if event.table.id == "table":
            self.refresh_bindings()

    def on_record_table_row_selected(self, event: RecordTable.RowSelected) -> None:
        """Enter (or a click) on a row opens its recap in the builder."""
        if event.table.id == "table":
            event.prevent_default()
            self.action_open()

    # -- what RecordScreen asks of a kind ---------------------------------------------

    def form_for(
        self, record: Debrief | None, *, chained: bool = False
    ) -> ModalScreen[Debrief | None]:
        """A debrief has no form: it is edited in the builder."""
        raise NotImplementedError("a debrief is edited in the builder")

    def action_edit(self) -> None:
        """Editing a debrief is opening it in the builder."""
        self.action_open()

    def ask_before_deleting(self, record: Debrief) -> str | None:
        """Ask before deleting a debrief held, or a draft with work of its own in it."""
        if record.held_on is None:
            if self.snapshot is None or self.snapshot.get(Debrief, record.id) is None:
                return None  # not read back yet: nothing can be written in it
            read = recap(self.snapshot, record.id, self.team.today())
            written = written_in(self.snapshot, read)
            if not written:
                return None  # as started from the worksheet: starting again brings it all back
            return (
                f"It is a draft with {written} that starting it again from the worksheet "
                "would not bring back."
            )
        return f"It was held with the co-workers on {record.held_on:%d %b %Y}: its recap goes."

    def name_of(self, record: Debrief) -> str:
        """Name a debrief by its interview: "the debrief of the interview with Payroll"."""
        row = self._rows.get(record.id)
        if row is None:  # not listed (yet): the interview by its number
            return f"the debrief of interview {record.interview_id}"
        return f"the debrief of the interview with {one_line(row.partner)}"

    def nothing_here(self) -> str:
        """Say how to start the first debrief."""
        return no_debrief_yet(self)

    # -- actions -------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the selected debrief's recap in the builder."""
        debrief = self.selected()
        if debrief is not None:
            open_builder(self, debrief)

    def editor_of(self, record: Debrief) -> DebriefBuilderScreen:
        """Return the debrief's builder."""
        from ictui.screens.debrief_builder import DebriefBuilderScreen

        return DebriefBuilderScreen(record)

    def action_mark_held(self) -> None:
        """Mark the selected debrief held today and its interview debriefed; unbalanced, ask."""
        debrief = self.selected()
        if debrief is not None:
            ask_to_hold(self, self.snapshot, debrief, self.ask)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what works where the focus is, and Held only for a draft."""
        allowed = super().check_action(action, parameters)
        if not allowed or action != "mark_held":
            return allowed
        record = self.table.selected()
        return record is None or record.held_on is None

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Offer to open each draft debrief."""
        for row in self._rows.values():
            if row.debrief.held_on is None:
                yield (
                    f"Open debrief: {one_line(row.partner)}, "
                    f"{row.interview.planned_on.isoformat()}",
                    "its recap, to prepare before the meeting",
                    partial(self._open, row.debrief.id),
                )

    def _open(self, debrief_id: int) -> None:
        self.table.select_record(debrief_id)
        self.action_open()


def in_order(snapshot: Snapshot) -> tuple[tuple[Debrief, ...], dict[int, Interview]]:
    """Return the live debriefs in the listing's order, and their interviews, by debrief.

    What debriefs_listing orders them by, without reading their recaps.
    """
    interviews: dict[int, Interview] = {}
    for debrief in snapshot.all(Debrief):
        interview = snapshot.get(Interview, debrief.interview_id)
        if interview is not None:
            interviews[debrief.id] = interview

    def key(debrief: Debrief) -> tuple[bool, int, int]:
        interview = interviews.get(debrief.id)
        day = interview.planned_on.toordinal() if interview else 0
        return (debrief.held_on is not None, -day, -debrief.id)

    return tuple(sorted(snapshot.all(Debrief), key=key)), interviews


def open_builder(screen: Any, debrief: Debrief) -> None:
    """Open a debrief's recap in the builder, over the screen it was asked for from."""
    from ictui.screens.debrief_builder import DebriefBuilderScreen

    screen.app.push_screen(DebriefBuilderScreen(debrief))


def ask_to_hold(
    screen: Any, snapshot: Snapshot | None, debrief: Debrief, ask: Callable[[Any], None]
) -> None:
    """Mark a debrief held today: at once when its balance check has nothing to say, else asking.

    Holding is one key, and the meeting is when the recap is given: a draft with
    no good news, or issues left unresolved, is named first. It never blocks.
    """
    from ictui.screens.ask import AskScreen

    today = team_app(screen).today()
    write = HoldDebrief(debrief.id, debrief.rev, today)
    try:
        advice = recap(snapshot, debrief.id, today).balance.advice if snapshot else ()
    except RecordNotFound:
        advice = ()  # the write says what became of it
    if not advice:
        ask(write)
        return
    said = Text(f"The balance check has {counted(len(advice), 'warning')}:\n")
    for item in advice:
        said.append(f"  ⚠ {item.text}\n")
    said.append(
        "\nA recap may be given as it is; held, it is the one the meeting heard.", style="dim"
    )

    def answered(yes: bool | None) -> None:
        if yes:
            ask(write)

    screen.app.push_screen(
        AskScreen("Mark the debrief held?", said, "Mark held", "Not yet"), answered
    )
