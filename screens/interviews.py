"""Interviews with partners: planned first, then the newest held; each opens as a worksheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Header

from ictui.kinds.interview import Interview
from ictui.kinds.vocab import InterviewStatus
from ictui.screens.record_screen import RecordScreen
from ictui.screens.team_app import WriteDone, team_app
from ictui.services.interviews import (
    filled,
    interviews_listing,
    parts_ready,
    prepare_parts,
    written_on,
)
from ictui.services.partners import partner_names
from ictui.teamfile.snapshot import Snapshot
from ictui.text import counted, one_line
from ictui.widgets.footer import FooterSlot
from ictui.widgets.interview_detail import InterviewDetail, Progress, no_interview_yet
from ictui.widgets.interview_table import InterviewTable
from ictui.widgets.key_names import say_action
from ictui.widgets.record_detail import DetailPanel
from ictui.widgets.record_table import Listing, RecordTable

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from ictui.screens.worksheet import WorksheetScreen

WIDE = 150
"""From this many columns on, the details sit beside the table."""


DEBRIEF_TIP = "Recap the selected held interview for co-workers: pre-filled from it"
"""What the Debrief key does, said in the footer's tooltip and by `ictui keys`."""


class InterviewsScreen(RecordScreen[Interview]):
    """Plan interviews with partners, open one as a worksheet during the talk, find it again."""

    KIND = Interview
    ROW_ACTIONS = RecordScreen.ROW_ACTIONS | {"open", "mark_held", "invite", "debrief"}
    CSS_PATH = "interviews.tcss"
    AUTO_FOCUS = "#table"
    HELP = (
        "Each row is an interview with a partner about the team's service: planned ones "
        "first, soonest first, then those held, newest first. Ours is your rating of the "
        "service before the talk, theirs the partner's at its end (1 to 10), and the gap "
        "is theirs less ours. Open one during the talk to type the answers, tick the "
        "checklist and note their conclusions: everything saves itself."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a", "add", "Plan", tooltip="Plan an interview with a partner", id="interviews.add"
        ),
        Binding(
            "o",
            "open",
            "Open",
            show=False,  # the table's Enter is in the footer
            tooltip="Open the worksheet of the selected interview",
            id="interviews.open",
        ),
        Binding(
            "e",
            "edit",
            "Details",
            tooltip="Change the partner, date, time or interviewers",
            id="interviews.edit",
        ),
        Binding(
            "m",
            "mark_held",
            "Held",
            tooltip="Mark the selected interview held",
            id="interviews.held",
        ),
        Binding(
            "i",
            "invite",
            "Invite",
            tooltip="Write an invitation: purpose, time frame and the questions",
            id="interviews.invite",
        ),
        Binding("b", "debrief", "Debrief", tooltip=DEBRIEF_TIP, id="interviews.debrief"),
        # The same key on a planned interview, unshown: it says why there is no debrief yet.
        # Same id: a keymap that moves Debrief moves this with it.
        Binding(
            "b",
            "debrief_not_yet",
            "Debrief",
            tooltip=DEBRIEF_TIP,
            show=False,
            id="interviews.debrief",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            tooltip="Delete the selected interview",
            id="interviews.delete",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Bring back the last deleted interview",
            id="interviews.undo",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="Every earlier version of the selected interview; bring one back",
            id="interviews.history",
        ),
        Binding(
            "r",
            "focus_detail",
            "Read",
            show=False,
            tooltip="Read the selected interview's details: scroll them with the arrow keys",
            id="interviews.read",
        ),
        Binding(
            "escape", "focus_table", "Table", tooltip="Back to the table", id="interviews.back"
        ),
        Binding(
            "q",
            "app.quit",
            "Quit",
            show=False,  # in the help; the footer needs the room for the screens' keys at 80
            id="interviews.quit",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debrief_to_open: int | None = None  # started or found: opened once read

    def compose(self) -> ComposeResult:
        """Lay out the table and the details."""
        yield Header()
        with Container(id="body"):
            yield DetailPanel(InterviewDetail(), id="detail")
            yield InterviewTable(id="table")
        yield FooterSlot(compact=True, hold=0.5)

    def on_mount(self) -> None:
        """Say the file is being read until it is, then show it and every change."""
        self.query_one("#table").border_title = Text(f"Reading {self.team.store.path.name}…")
        self.query_one("#detail").border_title = "In brief"
        self.query_one(InterviewDetail).hint = no_interview_yet(say_action(self, "add"))
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        """Put the details beside the table when there is room, above it when not."""
        self.set_class(event.size.width >= WIDE, "-wide")
        self.fit_height(event.size.height, wide=event.size.width >= WIDE)

    # -- showing -------------------------------------------------------------------

    def listing(self, snapshot: Snapshot) -> Listing[Interview]:
        """Return the interviews: planned ones first, soonest first, then the newest held."""
        rows = interviews_listing(snapshot)
        details: dict[int, Progress] = {}
        checklists: dict[int, str] = {}
        trends: dict[int, str] = {}
        ready = parts_ready(snapshot)
        if not ready:  # the rows first; how far each got once its parts are checked
            self._prepare_parts(snapshot)
        for row in rows:
            trend = trends[row.interview.id] = row.trend
            if not ready:
                continue
            made = filled(snapshot, row.interview.id)
            checklists[row.interview.id] = str(made.checklist) if made.checklist.total else ""
            details[row.interview.id] = Progress(
                made.answered, made.questions, str(made.checklist), made.conclusions, trend
            )
        table = self.query_one(InterviewTable)
        table.checklists, table.trends = checklists, trends
        self.query_one(InterviewDetail).progress = details
        records = tuple(row.interview for row in rows)
        return Listing(records, partner_names(snapshot), self.team.today())

    @work(thread=True, exclusive=True, group="interview-parts")
    def _prepare_parts(self, snapshot: Snapshot) -> None:
        prepare_parts(snapshot)
        self.app.call_from_thread(self._parts_ready, snapshot)

    def _parts_ready(self, snapshot: Snapshot) -> None:
        # Checked in a thread: the app may be closing meanwhile, its table already gone
        # (a full CI run saw NoMatches at a test's teardown).
        if snapshot is self.snapshot and self.query(InterviewTable):
            self.show()

    def shown(self, snapshot: Snapshot, listing: Listing[Interview], summary: object) -> None:
        """Count what is planned and held, and show the selected interview in brief."""
        self._open_started(snapshot)
        records = listing.records
        planned = sum(i.status is InterviewStatus.PLANNED for i in records)
        count = len(records)
        title = counted(count, "interview")
        if planned:
            title += f", {planned} planned"
        self.query_one("#table").border_title = Text(title)
        if not records:
            self.query_one(InterviewDetail).hint = no_interview_yet(say_action(self, "add"))
        self._show_detail()

    def _show_detail(self) -> None:
        names = partner_names(self.snapshot) if self.snapshot else {}
        self.query_one(DetailPanel).show(self.table.selected(), names)
        self.query_one(InterviewDetail).redraw()  # how far it got may be new

    def on_record_table_row_highlighted(self, event: RecordTable.RowHighlighted) -> None:
        """Show the highlighted interview in brief, and the keys that work on it."""
        if event.table.id == "table":
            self._show_detail()
            self.refresh_bindings()  # Invite only for a planned one, Held not for a held one

    def on_record_table_row_selected(self, event: RecordTable.RowSelected) -> None:
        """Enter (or a click) on a row opens its worksheet (not the form, as on other screens)."""
        if event.table.id == "table":
            event.prevent_default()  # RecordScreen's own handler would open the form as well
            self.action_open()

    # -- what RecordScreen asks of a kind ---------------------------------------------

    def form_for(
        self, record: Interview | None, *, chained: bool = False
    ) -> ModalScreen[Interview | None]:
        """Return the form that plans an interview, or changes one's details."""
        from ictui.kinds.partner import Partner
        from ictui.screens.plan_form import PlanForm

        partners = self.snapshot.all(Partner) if self.snapshot else []
        return PlanForm(record, partners, chained=chained)

    def _partner_of(self, interview: Interview) -> str:
        if self.snapshot is None:
            return ""
        return partner_names(self.snapshot).get(interview.partner_id, "")

    def name_of(self, record: Interview) -> str:
        """Name an interview by its partner and day: "the interview with Payroll on 3 Dec"."""
        day = record.planned_on.strftime("%d %b").lstrip("0")
        return f"the interview with {one_line(self._partner_of(record))} on {day}"

    def ask_before_deleting(self, record: Interview) -> str | None:
        """Ask before deleting an interview held, or one with its worksheet begun: that goes too."""
        if record.status is InterviewStatus.PLANNED:
            if self.snapshot is None or self.snapshot.get(Interview, record.id) is None:
                return None  # not read back yet: nothing can be written on it
            written = written_on(record, filled(self.snapshot, record.id))
            if not written:
                return None
            return f"It is planned, and its worksheet has {written}: they go with it."
        debriefed = " and debriefed" if record.status is InterviewStatus.DEBRIEFED else ""
        return (
            f"It was held{debriefed}: its ratings, answers, checklist and conclusions go "
            "from every list with it (a debrief of it stays, recapping a deleted interview)."
        )

    def why_not(self, action: str, record: Interview) -> str:
        """Say why marking held or inviting does nothing for an interview held already."""
        if action == "mark_held":
            return f"It is {record.status.label} already."
        if action == "invite":
            return f"It is {record.status.label} already: an invitation is for one still planned."
        return ""

    def nothing_here(self) -> str:
        """Say how to plan the first interview."""
        return f"There is no interview here yet. Press {say_action(self, 'add')} to plan one."

    def names_of_references(self) -> dict[str, dict[int, str]]:
        """Partners by name, for a history that changed one."""
        return {"partners": partner_names(self.snapshot)} if self.snapshot else {}

    def draft_of(self, record: Interview) -> dict[str, Any]:
        """An interview as the conflict dialog shows it: the partner by name."""
        values = super().draft_of(record)
        values["partner_id"] = self._partner_of(record)
        return values

    # -- actions -------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the selected interview's worksheet."""
        interview = self.selected()
        if interview is not None:
            self.app.push_screen(self.editor_of(interview))

    def editor_of(self, record: Interview) -> WorksheetScreen:
        """Return the interview's worksheet."""
        from ictui.screens.worksheet import WorksheetScreen

        return WorksheetScreen(record)

    def action_mark_held(self) -> None:
        """Mark the selected interview held; with points unticked, say which and ask first."""
        interview = self.selected()
        if interview is not None and self.snapshot is not None:
            ask_to_mark_held(self, self.snapshot, interview, self.ask)

    def action_invite(self) -> None:
        """Write the selected interview's invitation to a file or the clipboard."""
        from ictui.screens.invitation import InvitationScreen

        interview = self.selected()
        if interview is not None and self.snapshot is not None:
            self.app.push_screen(InvitationScreen(self.snapshot, interview))

    def action_debrief(self) -> None:
        """Open the selected held interview's debrief, starting it pre-filled if it has none."""
        from ictui.services.debriefs import StartDebrief, debrief_of

        interview = self.selected()
        if interview is None or self.snapshot is None:
            return
        if interview.status is InterviewStatus.PLANNED:
            self.action_debrief_not_yet()
            return
        existing = debrief_of(self.snapshot, interview.id)
        if existing is not None:
            self._open_debrief(existing.id)
        else:
            self.ask(StartDebrief(interview.id))

    def action_debrief_not_yet(self) -> None:
        """Say that a debrief recaps a held interview, and how to mark this one held."""
        held = say_action(self, "mark_held")
        self.notify(f"A debrief recaps a held interview: press {held} once it has been.", timeout=4)

    def _open_debrief(self, debrief_id: int) -> None:
        """Open a debrief in the builder once the team file as read has it."""
        self._debrief_to_open = debrief_id
        if self.snapshot is not None:
            self._open_started(self.snapshot)

    def _open_started(self, snapshot: Snapshot) -> None:
        from ictui.kinds.debrief import Debrief
        from ictui.screens.debriefs import open_builder

        wanted = self._debrief_to_open
        debrief = snapshot.get(Debrief, wanted) if wanted is not None else None
        if debrief is None or self.app.screen is not self:
            return
        self._debrief_to_open = None
        open_builder(self, debrief)

    def on_write_done(self, message: WriteDone) -> None:
        """Open a debrief just started, or the one the interview had already."""
        from ictui.services.debriefs import DebriefExists, StartDebrief
        from ictui.teamfile.queue import Refused, Written

        outcome = message.outcome
        if not isinstance(outcome.write, StartDebrief):
            return  # RecordScreen's handler, called after this one, follows it
        message.stop()
        message.prevent_default()  # not a write of an interview: RecordScreen's is not called
        if isinstance(outcome, Written):
            self._open_debrief(outcome.result.debrief.id)
            self.team.reload()
        elif isinstance(outcome, Refused) and isinstance(outcome.error, DebriefExists):
            self._open_debrief(outcome.error.debrief_id)
        elif isinstance(outcome, Refused):
            self.team.report_failure(outcome.write.what, outcome.error)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what works where the focus is, and for the interview under the cursor."""
        allowed = super().check_action(action, parameters)
        if not allowed or action not in ("mark_held", "invite", "debrief", "debrief_not_yet"):
            return allowed
        record = self.table.selected()
        if record is None:
            return action != "debrief_not_yet"  # says there is nothing here, when pressed
        planned = record.status is InterviewStatus.PLANNED
        return not planned if action == "debrief" else planned  # held already: nothing to do

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Offer to plan an interview with each partner, and to open each planned one."""
        if self.snapshot is None:
            return
        for row in interviews_listing(self.snapshot):
            interview = row.interview
            if interview.status is InterviewStatus.PLANNED:
                yield (
                    f"Open interview: {one_line(row.partner)}, {interview.planned_on.isoformat()}",
                    "its worksheet, to fill in during the talk",
                    partial(self._open, interview.id),
                )

    def _open(self, interview_id: int) -> None:
        self.table.select_record(interview_id)
        self.action_open()


def ask_to_mark_held(
    screen: Any, snapshot: Snapshot, interview: Interview, ask: Callable[[Any], None]
) -> None:
    """Mark an interview held: at once when its checklist is all ticked, else after asking.

    The question lists the points left; it never blocks: some are done after the talk.
    """
    from ictui.screens.ask import AskScreen
    from ictui.services.interviews import MarkHeld, worksheet

    if interview.status is InterviewStatus.HELD:
        screen.notify("It is marked held already.", timeout=3)
        return
    sheet = worksheet(snapshot, interview.id)
    write = MarkHeld(interview.id, interview.rev)
    left = sheet.unticked
    early = interview.planned_on > team_app(screen).today()
    if not left and not early:
        ask(write)
        return
    said = Text()
    if early:
        said.append(
            f"It is planned for {interview.planned_on:%a %d %b %Y}: marked held now, "
            "it is dated today, with no time.\n" + ("\n" if left else "")
        )
    if left:
        total = sheet.progress.total
        said.append(f"{len(left)} of {total} points of the checklist are unticked:\n")
    for step in sheet.steps:
        points = [point for point in step.ticks if not point.ticked]
        if points:
            said.append(f"{one_line(step.title)}\n", style="bold")
        for point in points:
            said.append(f"  ☐ {one_line(point.point)}\n")
    if left:
        said.append(
            "\nSome are done after the talk (the debrief, say); you can tick them later.",
            style="dim",
        )

    def answered(yes: bool | None) -> None:
        if yes:
            ask(write)

    screen.app.push_screen(
        AskScreen("Mark the interview held?", said, "Mark held", "Not yet"), answered
    )
