"""An interview's worksheet, open during the talk: answers, ratings, conclusions and the checklist.

Everything typed saves itself a moment after the person pauses (the kit's
RecordEditor), each answer, rating and conclusion on its own record, so two
people filling in one interview never undo each other's work. Ticks are
written at once. The checklist sits beside the worksheet from WIDE columns
on, below it in a narrower terminal.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Static

from ictui.errors import RecordNotFound
from ictui.kinds.interview import RATING_HIGH, RATING_LOW, ChecklistTick, Conclusion, Interview
from ictui.kinds.vocab import InterviewStatus
from ictui.screens.record_editor import REFUSED, RecordEditor, Unsaved
from ictui.screens.team_app import SaysInHeader, WriteDone, deleted_words
from ictui.services.interviews import AddConclusion, Gap, Worksheet, tick, worksheet
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.writes import Change
from ictui.text import one_line
from ictui.widgets.autosave_text import AutosaveLine, AutosaveText, Autosaving
from ictui.widgets.checklist import Checklist
from ictui.widgets.footer import FittedFooter
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput, tabbed_into

WIDE = 120
"""From this many columns on, the checklist sits beside the worksheet."""


def read_rating(text: str) -> int | None:
    """Return a rating as typed (empty: none yet); ValueError saying why if it is off the scale."""
    typed = text.strip()
    if not typed:
        return None
    if not typed.lstrip("-").isdigit():
        raise ValueError(f"a rating is a whole number from {RATING_LOW} to {RATING_HIGH}")
    value = int(typed)
    if not RATING_LOW <= value <= RATING_HIGH:
        raise ValueError(
            f"{value} is off the scale: a rating is from {RATING_LOW} (low) to {RATING_HIGH} (high)"
        )
    return value


def _rating_text(value: int | None) -> str:
    return "" if value is None else str(value)


class ConclusionRow(Vertical):
    """One of the partner's conclusions, and the behaviors that led to it, edited in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "screen.remove_conclusion",
            "Remove",
            tooltip="Remove this conclusion and its behaviors",
            id="worksheet.remove_conclusion",
        ),
    ]

    def __init__(self, conclusion: Conclusion) -> None:
        super().__init__(id=f"conclusion-row-{conclusion.id}", classes="conclusion")
        self.conclusion = conclusion

    def compose(self) -> ComposeResult:
        """The conclusion on one line, the behaviors below."""
        record = self.conclusion
        yield AutosaveLine(
            record.conclusion,
            name="conclusion",
            id=f"conclusion-{record.id}",
            placeholder="their conclusion, in their words",
        )
        yield Label("Behaviors behind it: what exactly happened?", classes="behaviors-label")
        yield AutosaveText(record.behaviors, name="behaviors", id=f"behaviors-{record.id}")


class WorksheetScreen(SaysInHeader, RecordEditor[Interview]):
    """Fill in an interview during the talk: every field saves itself; tick the checklist."""

    KIND = Interview
    DRAFT_OF = "interview worksheet"
    PLACE = "interviews"
    ADD_LINES = "#new-conclusion"
    SAVING_SAID = "Saving your notes: the worksheet closes once they are in."
    CSS_PATH = "worksheet.tcss"
    AUTO_FOCUS = ""
    HELP = (
        "Type the partner's answers as they talk: each field saves itself a moment after "
        "you pause, and when you leave it. Give your own rating of the service before the "
        "talk and theirs at its end, from 1 (low) to 10 (high). Note each conclusion of "
        "theirs with the specific behaviors behind it. Tick the checklist as you go "
        "({worksheet.checklist} gets there; Space or Enter ticks). Tab and Shift+Tab move "
        "between fields. If a colleague changes the same field, both texts are shown and "
        "you choose. On a team file you may only read, the worksheet is shown and takes no "
        "typing."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the interviews", id="worksheet.back"),
        Binding(
            "ctrl+l",
            "checklist",
            "Checklist",
            tooltip="Go to the checklist, or back to the worksheet",
            id="worksheet.checklist",
        ),
        Binding(
            "ctrl+n",
            "new_conclusion",
            "Conclusion",
            tooltip="Note a new conclusion of theirs",
            id="worksheet.conclusion",
        ),
        Binding(
            "ctrl+g",
            "mark_held",
            "Held",
            tooltip="Mark the interview held",
            id="worksheet.held",
        ),
    ]

    def __init__(self, interview: Interview) -> None:
        super().__init__(interview)
        self._ticking: dict[int, bool] = {}  # ticks asked for, until read back
        self._sheet: Worksheet | None = None
        self._focus_new: int | None = None  # a conclusion just added: its behaviors get the keys
        self._mounting: set[int] = set()  # conclusions whose rows are being added
        self._adding: str | None = None  # a conclusion on its way to the file
        self._said_deleted = False  # someone deleted the interview, and the person was told
        self._before_checklist: Widget | None = None  # where ctrl+l from the checklist goes

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The worksheet, and the checklist beside or below it."""
        sheet = self._read_sheet()
        interview = sheet.interview if sheet else self.record
        # Set before the parts are made: set at the first resize, it restyled every one
        # of them (a quarter of a second of a debrief's opening).
        self.set_class(self.app.size.width >= WIDE, "-wide")
        yield Header()
        # Above the body, not in it: seen however far down the worksheet is scrolled.
        yield Static(id="read-only", classes="problem", markup=False)
        with Container(id="body"):
            with Vertical(id="sheet"):
                yield Static(id="about", markup=False)
                yield AutosaveLine(
                    _rating_text(interview.self_rating),
                    name="self_rating",
                    label="Our rating of our service, before the talk:",
                    placeholder="1–10",
                    plain_digits=True,
                    classes="rating",
                )
                yield AutosaveLine(
                    _rating_text(interview.customer_rating),
                    name="customer_rating",
                    label="Their rating of our service, at the end:",
                    placeholder="1–10",
                    plain_digits=True,
                    classes="rating",
                )
                yield Static(id="gap")
                for number, answer in enumerate(sheet.answers if sheet else (), start=1):
                    yield Static(Text(f"{number}. {one_line(answer.question)}"), classes="question")
                    yield AutosaveText(
                        answer.answer, name="answer", id=f"answer-{answer.id}", classes="answer"
                    )
                yield Static("Their conclusions, and the behaviors behind each", classes="part")
                with Vertical(id="conclusions"):
                    for conclusion in sheet.conclusions if sheet else ():
                        yield ConclusionRow(conclusion)
                yield InOrderInput(
                    placeholder="Add a conclusion of theirs (“you're slow to answer”), then Enter",
                    id="new-conclusion",
                    compact=True,
                )
                yield Static("Notes", classes="part")
                yield AutosaveText(interview.notes, name="notes")
            yield Checklist(id="checklist")
        yield FittedFooter(compact=True)

    def _read_sheet(self) -> Worksheet | None:
        snapshot = self.team.snapshot
        if snapshot is None:
            return None
        try:
            return worksheet(snapshot, self.record.id)
        except RecordNotFound:  # gone from the file as read: shown as it was
            return None

    def on_mount(self) -> None:
        """Follow every field of the worksheet, each on its own record, and show the rest."""
        # Asked before following the fields: each is locked as it is followed.
        self._read_only = self._why_read_only()
        sheet = self._read_sheet()
        self.follow(self._rating("self_rating"), Interview, self.record, "self_rating", read_rating)
        self.follow(
            self._rating("customer_rating"), Interview, self.record, "customer_rating", read_rating
        )
        for number, answer in enumerate(sheet.answers if sheet else (), start=1):
            widget = self.query_one(f"#answer-{answer.id}", AutosaveText)
            self.follow(widget, type(answer), answer, "answer", called=f"Answer {number}")
        for conclusion in sheet.conclusions if sheet else ():
            self._follow_conclusion(conclusion)
        super().on_mount()
        self._sheet = sheet
        self._show_sheet()
        self._show_read_only()
        locked = self._read_only is not None  # the ratings are disabled: no focus there
        first = self.query(".rating Input") if sheet and not sheet.answered and not locked else None
        answers = self.query("#sheet AutosaveText TextArea")
        target = first.first() if first else (answers.first() if answers else None)
        if target is not None:
            self.set_focus(target)
            tabbed_into(target)  # a rating given when planned is typed over, not added to
        # From the top, the partner and the ratings in view, not only the field with the cursor.
        self.call_after_refresh(self.query_one("#sheet").scroll_home, animate=False)

    def _rating(self, name: str) -> AutosaveLine:
        return self.query_one(f"#{name}", AutosaveLine)

    def _follow_conclusion(self, conclusion: Conclusion) -> None:
        line = self.query_one(f"#conclusion-{conclusion.id}", AutosaveLine)
        self.follow(line, Conclusion, conclusion, "conclusion")
        text = self.query_one(f"#behaviors-{conclusion.id}", AutosaveText)
        self.follow(text, Conclusion, conclusion, "behaviors")

    def on_resize(self, event: events.Resize) -> None:
        """Put the checklist beside the worksheet when there is room, below it when not."""
        self.set_class(event.size.width >= WIDE, "-wide")

    # -- showing -----------------------------------------------------------------------

    def read(self, snapshot: Snapshot) -> None:
        """Show a new reading: the status, the checklist, conclusions added or gone."""
        sheet = self._read_sheet()
        if sheet is None:
            return
        self._sheet = sheet
        for tick_id, wanted in list(self._ticking.items()):
            stored = next((t for t in sheet.ticks if t.id == tick_id), None)
            if stored is None or stored.ticked == wanted:
                del self._ticking[tick_id]
        self._sync_conclusions(sheet)
        self._show_sheet()

    def _sync_conclusions(self, sheet: Worksheet) -> None:
        """Add the rows of conclusions someone added, remove those of conclusions deleted."""
        box = self.query_one("#conclusions", Vertical)
        shown = {row.conclusion.id: row for row in box.query(ConclusionRow)}
        wanted = {c.id for c in sheet.conclusions}
        snapshot = self.team.snapshot
        for conclusion_id, row in shown.items():
            if conclusion_id not in wanted:
                gone = snapshot.get(Conclusion, conclusion_id) if snapshot is not None else None
                keep_on = self.query_one("#new-conclusion", Input)
                self.leave_removed_row(row, gone, "conclusion", keep_on)
                for field in row.query(Autosaving):
                    self.forget(field)
                row.remove()
        for conclusion in sheet.conclusions:
            if conclusion.id not in shown:
                self.call_next(self._add_row, conclusion)

    async def _add_row(self, conclusion: Conclusion) -> None:
        """Show a conclusion added (here or by someone else), its fields saving themselves."""
        if conclusion.id in self._mounting or self.query(f"#conclusion-row-{conclusion.id}"):
            return
        self._mounting.add(conclusion.id)
        row = ConclusionRow(conclusion)
        try:
            await self.query_one("#conclusions", Vertical).mount(row)
        finally:
            self._mounting.discard(conclusion.id)
        if not row.is_attached:
            # The sheet closed meanwhile: going back waits for a conclusion to be
            # added, and the reading that brings its row may come as the sheet goes.
            return
        self._follow_conclusion(conclusion)
        if self._focus_new == conclusion.id:
            self._focus_new = None
            behaviors = self.query_one(f"#behaviors-{conclusion.id}", AutosaveText)
            self.set_focus(behaviors.area)
            behaviors.scroll_visible(animate=False)

    def _show_sheet(self) -> None:
        sheet = self._sheet
        interview = sheet.interview if sheet else self.record
        partner = sheet.partner if sheet else f"#{interview.partner_id}"
        about = Text()
        about.append(f"Interview with {one_line(partner)}", style="bold")
        when = interview.planned_on.strftime("%a %d %b %Y")
        if interview.planned_time:
            when += f", {interview.planned_time}"
        about.append(f" · {when} · ")
        about.append(interview.status.label, style="bold reverse")
        if interview.interviewers:
            about.append(f" · {one_line(interview.interviewers)}")
        if interview.deleted:
            gone = deleted_words(
                interview, "What you type is still kept with it, should it be brought back"
            )
            about.append("\n✗ ", style="bold")
            about.append(gone, style="bold")
            if not self._said_deleted:
                self._said_deleted = True
                self.notify(gone, title="Interview deleted", severity="warning", markup=False)
        elif self._said_deleted:  # brought back: what was typed meanwhile is saved now
            self._said_deleted = False
            self.save_refused_again()
        self.query_one("#about", Static).update(about)
        self._show_gap()
        self._show_checklist()
        read_only = self.read_only_in_header() if self._read_only is not None else ""
        self.say_in_header(f"{interview.status.label} · {partner}{read_only}")
        self.refresh_bindings()  # Held is offered only while the interview is planned

    def _typed_rating(self, name: str, stored: int | None) -> int | None:
        """The rating as typed, while it can be saved; else the one in the team file."""
        field = self._rating(name)
        if field.clash is not None:
            return stored  # not saved while the clash stands: the file's is the one in force
        try:
            return read_rating(field.text)
        except ValueError:
            return stored

    def _show_gap(self) -> None:
        """Say the gap plainly, and question a customer rating given before any answer."""
        interview = self.record
        gap = Gap(
            self._typed_rating("self_rating", interview.self_rating),
            self._typed_rating("customer_rating", interview.customer_rating),
        )
        said = Text()
        said.append("Ratings: ", style="bold")
        said.append(gap.words)
        answered = any(field.text.strip() for field in self.query(".answer").results(AutosaveText))
        if gap.theirs is not None and not answered:
            said.append(
                "\n? No answer is written down yet: their rating usually comes at the end, "
                "once they have answered. It is kept all the same.",
                style="italic",
            )
        self.query_one("#gap", Static).update(said)

    def _show_checklist(self) -> None:
        sheet = self._sheet
        checklist = self.query_one(Checklist)
        if sheet is None:
            return
        checklist.show_steps(sheet.steps, self._ticking)
        checklist.border_title = f"Checklist {checklist.done}/{len(sheet.ticks)}"

    def field_saved(self, write: Any) -> None:
        """A rating came back: say the gap again; going back goes on once all are in."""
        self._show_gap_later()
        self._leave_when_saved()

    @on(AutosaveLine.Pause)
    def _rating_typed(self, message: AutosaveLine.Pause) -> None:
        # The gap follows the rating as typed, before it is saved.
        self.call_after_refresh(self._show_gap_later)

    def _show_gap_later(self) -> None:
        # Asked for by a pause or a save, which may come as the sheet closes
        # (going back to the list right after typing): its parts go first.
        with contextlib.suppress(NoMatches):
            self._show_gap()

    # -- the checklist -----------------------------------------------------------------

    def on_checklist_ticked(self, message: Checklist.Ticked) -> None:
        """Tick or untick a point: shown at once, written in the background."""
        sheet = self._sheet
        point = next((t for t in sheet.ticks if t.id == message.tick_id), None) if sheet else None
        if point is None or self._refused_read_only():
            return
        self._ticking[point.id] = message.ticked
        self._show_checklist()
        self._ask(tick(point, message.ticked))

    def other_write_done(self, message: WriteDone) -> None:
        """Follow ticks, new conclusions and marking held."""
        outcome = message.outcome
        write = outcome.write
        if isinstance(write, Change) and write.kind is ChecklistTick:
            self._tick_done(outcome)
        elif isinstance(write, AddConclusion):
            self._adding = None
            if isinstance(outcome, Written):
                new = self.query_one("#new-conclusion", Input)
                if new.value.strip() == write.conclusion.strip():
                    new.value = ""
                    if self.focused is new:  # still there: its behaviors are next
                        self._focus_new = outcome.result.id
                self.team.reload()
            elif isinstance(outcome, Refused):
                self.team.report_failure(write.what, outcome.error)
        elif isinstance(outcome, Written) and getattr(write, "kind", None) is Conclusion:
            self.team.reload()  # the row goes once the file is read again
        elif isinstance(outcome, Conflicted) and getattr(write, "kind", None) is Conclusion:
            # Removed over a colleague's change it never showed: kept, and said so.
            theirs = outcome.conflict.current
            who = one_line(theirs.updated_by.display)
            gone = "removed it already" if theirs.deleted else "changed it meanwhile"
            key = say_key(self, "worksheet.remove_conclusion")
            again = "" if theirs.deleted else f" {key} in it removes it as it is now."
            self.notify(
                f"Not removed: {who} {gone}.{again}",
                title="Conclusion",
                severity="warning",
                timeout=8,
                markup=False,
            )
            self.team.reload()
        elif isinstance(outcome, Written) and hasattr(write, "said"):
            self.notify(write.said(outcome.result), markup=False)
        elif isinstance(outcome, Conflicted) and hasattr(write, "again"):
            self._ask(write.again(outcome.conflict.current))
        elif isinstance(outcome, Refused):
            self.team.report_failure(write.what, outcome.error)
        self._leave_when_saved()  # a new conclusion on its way held going back

    def _tick_done(self, outcome: Any) -> None:
        write = outcome.write
        wanted = self._ticking.get(write.record_id)
        if isinstance(outcome, Conflicted):
            current = cast(ChecklistTick, outcome.conflict.current)
            if wanted is not None and current.ticked != wanted and not current.deleted:
                self._ask(tick(current, wanted))  # a tick means the same on any revision
                return
        elif isinstance(outcome, Refused):
            self.team.report_failure(write.what, outcome.error)
        if not isinstance(outcome, Written):
            self._ticking.pop(write.record_id, None)
            self._show_checklist()

    # -- actions -----------------------------------------------------------------------

    @on(Input.Submitted, "#new-conclusion")
    def _conclusion_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._add_typed_conclusion()

    def _add_typed_conclusion(self) -> None:
        """Add the conclusion typed in the line for a new one, once (Enter, leaving, going)."""
        line = self.query_one("#new-conclusion", Input)
        text = line.value.strip()
        if text and text != self._adding:
            self._adding = text
            self._ask(AddConclusion(self.record.id, text))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the line for a new conclusion adds what it holds: nothing typed is lost."""
        if event.widget.id == "new-conclusion":
            self._add_typed_conclusion()

    def flush_edits(self) -> None:
        """Save every field now, and add a conclusion typed and not entered yet."""
        super().flush_edits()
        if self.is_mounted:
            self._add_typed_conclusion()

    def adding(self) -> bool:
        """Whether a new conclusion is on its way to the team file."""
        return self._adding is not None

    def unsaved_adds(self, refused: str) -> list[Unsaved]:
        """Name the new conclusion, when its line still holds it (it was refused)."""
        line = self.query_one("#new-conclusion", Input)
        if self._adding is not None or not line.value.strip():
            return []
        return [Unsaved("the new conclusion", refused or "not added", REFUSED)]

    def field_name(self, widget: Autosaving) -> str:
        """Name a field as the person reads it: "answer 3", "their rating"."""
        key = str(widget.id)
        if key.startswith("answer-"):
            answers = self._sheet.answers if self._sheet else ()
            number = next((n for n, a in enumerate(answers, start=1) if f"answer-{a.id}" == key), 0)
            return f"answer {number}"
        if key.startswith(("conclusion-", "behaviors-")):
            return "a conclusion" if key.startswith("conclusion-") else "a conclusion's behaviors"
        return {"self_rating": "our rating", "customer_rating": "their rating"}.get(key, key)

    def action_checklist(self) -> None:
        """Go to the checklist, or from it back to the first answer."""
        checklist = self.query_one(Checklist)
        if self.focused is checklist:
            back = self._before_checklist
            answers = self.query("#sheet AutosaveText TextArea")
            if back is None or not back.is_attached:
                back = answers.first() if answers else None
            if back is not None:
                self.set_focus(back)
                back.scroll_visible(animate=False)
            return
        self._before_checklist = self.focused
        self.set_focus(checklist)
        checklist.scroll_visible(animate=False)

    def action_new_conclusion(self) -> None:
        """Go to the line that adds a conclusion."""
        if self._refused_read_only():
            return
        line = self.query_one("#new-conclusion", Input)
        self.set_focus(line)
        line.scroll_visible(animate=False)

    def action_remove_conclusion(self) -> None:
        """Remove the conclusion the cursor is in, after asking (its history keeps it)."""
        from ictui.screens.ask import AskScreen
        from ictui.teamfile.writes import Delete

        focused = self.focused
        row = next(
            (a for a in (focused.ancestors if focused else []) if isinstance(a, ConclusionRow)),
            None,
        )
        if row is None or self._sheet is None or self._refused_read_only():
            return
        current = next((c for c in self._sheet.conclusions if c.id == row.conclusion.id), None)
        if current is None:
            return
        said = Text(one_line(current.conclusion), style="bold")

        def answered(remove: bool | None) -> None:
            if remove:
                self.removing(Conclusion, current.id)
                self._ask(Delete(Conclusion, current.id, current.rev, "remove the conclusion"))

        self.app.push_screen(
            AskScreen("Remove this conclusion and its behaviors?", said, "Remove", "Keep"),
            answered,
        )

    def action_mark_held(self) -> None:
        """Mark the interview held; with points unticked, say which and ask first."""
        from ictui.screens.interviews import ask_to_mark_held

        snapshot = self.team.snapshot
        if snapshot is None or self._refused_read_only():
            return
        self.flush_edits()
        unsaved = [field for field in self.query(Autosaving) if field.problem is not None]
        if unsaved:  # held, the worksheet is what the debrief starts from: put it right first
            first = unsaved[0]
            self.notify(
                f"Not marked held: {self.field_name(first)} is not saved yet (why is said "
                "under it). "
                "Put it right, or clear it, then mark the interview held.",
                severity="warning",
                timeout=8,
                markup=False,
            )
            first.query_one("Input, TextArea").focus()
            return
        ask_to_mark_held(self, snapshot, self.record, self._ask)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Held only while the interview is planned."""
        if action == "mark_held":
            return self.record.status is InterviewStatus.PLANNED
        return True

    def palette_commands(self) -> Any:
        """Offer the worksheet's actions in the palette."""
        yield ("Go to the checklist", "tick the guideline points", self.action_checklist)
        yield ("Add a conclusion", "one of theirs, with the behaviors", self.action_new_conclusion)
        if self.record.status is InterviewStatus.PLANNED:
            yield ("Mark the interview held", "after the talk", self.action_mark_held)
