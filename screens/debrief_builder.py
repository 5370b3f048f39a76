"""A debrief's recap, built before the meeting: one section per part, the balance, a live preview.

Every paragraph and item saves itself a moment after the person pauses (the
kit's RecordEditor), each on its own record, so two people preparing one
recap never undo each other's work. Results, issues, resolutions and
reactions are added on the line under their section (Enter adds) and removed
after asking. The balance check stays in view: advice, never a block. The
preview is the Markdown the team gets, beside the editor from WIDE columns
on, a key away below that; it follows what is typed, a moment later, drawn
off the screen's own turn so that a long recap never holds the keys up.
Escape waits for the writes on their way, as the worksheet's does: a field
the team file refused keeps the person on the screen with their text, asked.
On a team file this person may only read, nothing takes typing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Markdown, Select, Static

from ictui.errors import RecordNotFound
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefReaction, DebriefResolution
from ictui.kinds.vocab import DebriefSection
from ictui.outputs.recap import TITLES, recap_markdown
from ictui.screens.help import DIALOG_HELP
from ictui.screens.markdown_file import MarkdownFileScreen, copy_to_clipboard, slug
from ictui.screens.places import place_named
from ictui.screens.record_editor import REFUSED, RecordEditor, Unsaved
from ictui.screens.team_app import SaysInHeader, WriteDone, deleted_words
from ictui.services.debriefs import (
    AddPoint,
    AddReaction,
    AddResolution,
    Recap,
    Resolve,
    recap,
)
from ictui.teamfile.queue import Conflicted, Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.writes import Delete
from ictui.text import listed, one_line
from ictui.widgets.autosave_text import AutosaveLine, AutosaveText, Autosaving
from ictui.widgets.footer import FittedFooter
from ictui.widgets.key_names import say_key_on
from ictui.widgets.keys_in_order import InOrderInput

WIDE = 120
"""From this many columns on, the preview sits beside the editor."""
PREVIEW_AFTER = 0.3
"""Seconds after the last change before the preview is drawn again."""

Part = DebriefPoint | DebriefResolution | DebriefReaction

NEW_LINES = {
    "new-result": "Add good news: what went well (“they trust the Monday report”), then Enter",
    "new-issue": "Add an issue discussed, then Enter",
    "new-resolution": "Add what will be done, then Enter; then say which issue it resolves",
    "new-reaction": "Add what a co-worker said, then Enter; then who said it",
}
"""The lines that add an item, under each section, and what they ask for."""
ADD_LINE_OF = {DebriefSection.RESULT: "new-result", DebriefSection.ISSUE: "new-issue"}
"""The line that adds a point of each section that has one (findings come from the interview)."""
FIELD_NAMES = {
    "set_up": TITLES[0].lower(),
    "caution": "caution",
    "opening_question": TITLES[1].lower(),
    "first_reactions": TITLES[2].lower(),
    "probing": TITLES[3].lower(),
    "notes": "notes",
}
"""How the question on leaving names each of the debrief's own fields."""


def recap_file_name(read: Recap) -> str:
    """Return a file name for a recap: "debrief-payroll-2026-12-03.md"."""
    return f"debrief-{slug(read.partner)}-{read.interview.planned_on.isoformat()}.md"


def balance_text(read: Recap) -> Text:
    """Return the balance check as the builder shows it: the counts, then each warning.

    Several issues with nothing done about them make one warning that names
    them by number: the same sentence five times pushed the rest out of view.
    """
    balance = read.balance
    said = Text()
    said.append("Balance: ", style="bold")
    said.append(balance.counts)
    if not balance.advice:
        said.append("\n✓ Good news first, and every issue answered.", style="italic")
    unresolved = [a for a in balance.advice if a.point_id is not None]
    if len(unresolved) > 1:
        numbers = [str(read.issue_number(a.point_id)) for a in unresolved]
        said.append(
            f"\n⚠ Issues {listed(numbers)} have no resolution or standard: say what will be "
            "done about each, or which standard answers it."
        )
    for advice in balance.advice:
        if len(unresolved) < 2 or advice.point_id is None:
            said.append(f"\n⚠ {advice.text}")
    return said


class ItemRow(Vertical):
    """One result, issue, finding, resolution or reaction of the recap, edited in place."""

    def __init__(self, part: Part, issues: list[tuple[Text, int]] | None = None) -> None:
        kind = type(part).__name__.lower()
        super().__init__(id=f"row-{kind}-{part.id}", classes="item")
        self.part = part
        self._issues = issues or []

    def compose(self) -> ComposeResult:
        """The item's text, and what goes with it (detail, the issue resolved, who said it)."""
        part = self.part
        if isinstance(part, DebriefPoint):
            if part.question:
                yield Static(Text(one_line(part.question)), classes="question")
            yield AutosaveText(part.text, name="text", id=f"point-{part.id}", classes="text")
            if part.section is not DebriefSection.FINDING:
                label = "Behind it" if part.section is DebriefSection.ISSUE else "Details"
                yield AutosaveText(
                    part.detail,
                    name="detail",
                    label=label,
                    id=f"detail-{part.id}",
                    classes="detail",
                )
        elif isinstance(part, DebriefResolution):
            yield AutosaveText(part.text, name="text", id=f"resolution-{part.id}", classes="text")
            wanted = part.resolves if any(v == part.resolves for _, v in self._issues) else None
            yield Select(
                self._issues,
                prompt="Resolves no issue in particular",
                value=Select.NULL if wanted is None else wanted,
                id=f"resolves-{part.id}",
                compact=True,
            )
        else:
            yield AutosaveText(part.text, name="text", id=f"reaction-{part.id}", classes="text")
            yield AutosaveLine(
                part.said_by,
                name="said_by",
                label="Said by (empty: anonymous):",
                id=f"said-{part.id}",
                classes="said-by",
            )


class RecapFileScreen(MarkdownFileScreen):
    """Shows a debrief's recap in Markdown; writes it to a file for the team, or copies it."""

    SAVE = "recap.save"
    COPY = "recap.copy"
    HELP = (
        "The recap as the team gets it. {recap.save} writes it to the file named (replacing "
        "one there only when pressed again); {recap.copy} copies it through the terminal to "
        "your own machine's clipboard (over SSH too; inside tmux it needs "
        "`set -s set-clipboard on`)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save to file", id="recap.save"),
        Binding("ctrl+b", "copy", "Copy", id="recap.copy"),
        Binding("escape", "dismiss(None)", "Close", id="recap.close"),
        DIALOG_HELP,
    ]


class DebriefBuilderScreen(SaysInHeader, RecordEditor[Debrief]):
    """Prepare a debrief's recap: each part saves itself, and the balance stays in view."""

    KIND = Debrief
    DRAFT_OF = "debrief recap"
    PLACE = "debriefs"
    ADD_LINES = ".new-item"
    SAVING_SAID = "Saving your recap: the builder closes once it is in."
    CSS_PATH = "debrief_builder.tcss"
    AUTO_FOCUS = ""
    HELP = (
        "Prepare the recap you give co-workers: how the interview was set up, the opening "
        "question and their first reactions, what probing revealed, then good news first: "
        "results, the issues discussed, what will be done about them, and the standards "
        "agreed (read live from the standards). Everything saves itself as you pause. Add "
        "an item on the line under its section with Enter; {debrief.remove} removes the one "
        "you are in. The balance check above is advice, never a block. {debrief.file} writes "
        "the recap to a Markdown file, {debrief.copy} copies it to your clipboard (inside "
        "tmux: `set -s set-clipboard on`), {debrief.meeting} shows it section by section "
        "for the meeting, and {debrief.held} marks it held. Escape waits for the last save: "
        "a field the team file did not take keeps you here, asked what to do, with your "
        "text. On a team file you may only read, the recap is shown and takes no typing."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to where it was opened", id="debrief.back"),
        Binding(
            "ctrl+s",
            "write_file",
            "File",
            tooltip="Write the recap to a Markdown file for the team",
            id="debrief.file",
        ),
        Binding(
            "ctrl+b",
            "copy",
            "Copy",
            tooltip="Copy the recap, as Markdown, to your clipboard through the terminal",
            id="debrief.copy",
        ),
        Binding(
            "ctrl+f",
            "flip",
            "Preview",
            tooltip="Show the preview of the recap, or the editor again",
            id="debrief.flip",
        ),
        Binding(
            "f5",
            "meeting",
            "Meeting",
            tooltip="Show the recap full screen, section by section, and note reactions",
            id="debrief.meeting",
        ),
        Binding(
            "ctrl+n",
            "new_item",
            "Add",
            tooltip="Go to the next line that adds a result, issue, resolution or reaction",
            id="debrief.add",
        ),
        Binding(
            "ctrl+r",
            "remove_item",
            "Remove",
            tooltip="Remove the item the cursor is in, after asking (its history keeps it)",
            id="debrief.remove",
        ),
        Binding(
            "ctrl+g",
            "hold",
            "Held",
            tooltip="Mark the debrief held today, and its interview debriefed",
            id="debrief.held",
        ),
    ]

    def __init__(self, debrief: Debrief) -> None:
        super().__init__(debrief)
        self._recap: Recap | None = None
        self._said_deleted = False  # someone deleted the debrief, and the person was told
        self._adding: dict[str, str] = {}  # what each new-item line is adding, until written
        self._mounting: set[str] = set()  # rows being added
        self._preview_timer: Timer | None = None
        self._preview_asked = 0  # the newest preview asked for, so an older one never shows
        self._preview_shown = ""
        self._flipped = False  # below WIDE: the preview shown instead of the editor

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The balance, the editor's sections, and the preview beside or behind them."""
        read = self._recap = self._read_recap()
        debrief = read.debrief if read else self.record
        setup, opening, first, probing, results, issues, resolutions, standards, reactions = TITLES
        # Set before the parts are made: set at the first resize, it restyled every one
        # of them (a quarter of a second of a debrief's opening).
        self.set_class(self.app.size.width >= WIDE, "-wide")
        yield Header()
        # Above the body, not in it: seen however far down the recap is scrolled.
        yield Static(id="read-only", classes="problem", markup=False)
        with Container(id="body"):
            with Vertical(id="editor"):
                yield Static(id="balance")
                with VerticalScroll(id="sheet"):
                    yield Static(id="about")
                    yield Static(setup, classes="part")
                    yield AutosaveText(debrief.set_up, name="set_up")
                    yield Static("Caution: what the interview left out", classes="label")
                    yield AutosaveText(debrief.caution, name="caution", label="Caution")
                    yield Static(opening, classes="part")
                    yield AutosaveText(debrief.opening_question, name="opening_question")
                    yield Static(first, classes="part")
                    yield AutosaveText(debrief.first_reactions, name="first_reactions")
                    yield Static(probing, classes="part")
                    yield AutosaveText(debrief.probing, name="probing")
                    with Vertical(id="findings", classes="items"):
                        for point in read.findings if read else ():
                            yield ItemRow(point)
                    yield Static(f"{results}: good news first", classes="part")
                    with Vertical(id="results", classes="items"):
                        for point in read.results if read else ():
                            yield ItemRow(point)
                    yield self._new_line("new-result")
                    yield Static(issues, classes="part")
                    with Vertical(id="issues", classes="items"):
                        for point in read.issues if read else ():
                            yield ItemRow(point)
                    yield self._new_line("new-issue")
                    yield Static(resolutions, classes="part")
                    with Vertical(id="resolutions", classes="items"):
                        options = self._issue_options(read) if read else []
                        for resolution in read.resolutions if read else ():
                            yield ItemRow(resolution, options)
                    yield self._new_line("new-resolution")
                    yield Static(f"{standards} (from the standards, as they are)", classes="part")
                    yield Static(id="standards", markup=False)
                    yield Static(reactions, classes="part")
                    with Vertical(id="reactions", classes="items"):
                        for reaction in read.reactions if read else ():
                            yield ItemRow(reaction)
                    yield self._new_line("new-reaction")
                    yield Static("Notes", classes="part")
                    yield AutosaveText(debrief.notes, name="notes")
            with VerticalScroll(id="preview"):
                yield Markdown(id="recap")
        yield FittedFooter(compact=True)

    @staticmethod
    def _new_line(line_id: str) -> Input:
        return InOrderInput(
            placeholder=NEW_LINES[line_id], id=line_id, classes="new-item", compact=True
        )

    def _read_recap(self) -> Recap | None:
        snapshot = self.team.snapshot
        if snapshot is None:
            return None
        try:
            return recap(snapshot, self.record.id, self.team.today())
        except RecordNotFound:  # gone from the file as read: shown as it was
            return None

    @staticmethod
    def _issue_options(read: Recap) -> list[tuple[Text, int]]:
        # Text: an issue's words are shown as typed; a str prompt is read as markup ("[/]").
        return [
            (Text(f"Resolves issue {n}: {one_line(issue.text)[:60]}"), issue.id)
            for n, issue in enumerate(read.issues, start=1)
        ]

    def on_mount(self) -> None:
        """Follow every item's fields, each on its own record, and show the rest."""
        # Asked before following the fields: each is locked as it is followed.
        self._read_only = self._why_read_only()
        for row in self.query(ItemRow):
            self._follow_row(row)
        # RecordEditor's on_mount, called after this one, follows the debrief's own fields.
        self._show_read_only()
        self._show_recap()
        first = self.query("#sheet AutosaveText TextArea")
        if first:
            self.set_focus(first.first())
        # From the top, the recap's partner and day in view, not only the field with the cursor.
        sheet = self.query_one("#sheet")
        self.call_after_refresh(sheet.scroll_home, animate=False)

    def _follow_row(self, row: ItemRow) -> None:
        for widget in row.query(Autosaving):
            self.follow(widget, type(row.part), row.part, str(widget.name))
        for select in row.query(Select):
            select.disabled = self._read_only is not None  # a tie to an issue is a write too

    def on_resize(self, event: events.Resize) -> None:
        """Put the preview beside the editor when there is room; behind a key when not."""
        self.set_class(event.size.width >= WIDE, "-wide")
        self.refresh_bindings()
        self._ask_preview()

    # -- showing -----------------------------------------------------------------------

    def read(self, snapshot: Snapshot) -> None:
        """Show a new reading: items added or gone, the standards, the balance, the preview."""
        read = self._read_recap()
        if read is None:
            return
        self._recap = read
        self._sync("#findings", read.findings, "#results", read.results, "#issues", read.issues)
        self._sync("#resolutions", read.resolutions, "#reactions", read.reactions)
        for select in self.query("#resolutions Select").results(Select):
            self._show_resolves(select, read)
        self._show_recap()

    def _show_resolves_read_last(self, select: Select[int]) -> None:
        if self._recap is not None:
            self._show_resolves(select, self._recap)

    def _show_resolves(self, select: Select[int], read: Recap) -> None:
        """Offer a resolution's choice the issues as read, the one it resolves chosen."""
        if not select.is_mounted:
            # Its parts are not there yet (set_options would fail): once they are.
            select.call_later(self._show_resolves_read_last, select)
            return
        resolution = next((r for r in read.resolutions if f"resolves-{r.id}" == select.id), None)
        if resolution is None:
            return
        options = self._issue_options(read)
        wanted = resolution.resolves if any(v == resolution.resolves for _, v in options) else None
        with select.prevent(Select.Changed):
            if getattr(select, "_ictui_options", None) != options:
                select.set_options(options)
                select._ictui_options = options  # type: ignore[attr-defined]
            select.value = Select.NULL if wanted is None else wanted

    def _sync(self, *pairs: Any) -> None:
        """Add the rows of items someone added, remove those of items deleted."""
        for selector, parts in zip(pairs[::2], pairs[1::2], strict=True):
            box = self.query_one(selector, Vertical)
            shown = {row.id: row for row in box.query(ItemRow)}
            wanted = {f"row-{type(p).__name__.lower()}-{p.id}": p for p in parts}
            for row_id, row in shown.items():
                if row_id not in wanted:
                    self._leave(row)
                    for field in row.query(Autosaving):
                        self.forget(field)
                    row.remove()
            for row_id, part in wanted.items():
                if row_id not in shown:
                    self.call_next(self._add_row, box, part)

    def _leave(self, row: ItemRow) -> None:
        """Take the cursor out of a row whose item is gone, to the line that adds such items."""
        part = row.part
        snapshot = self.team.snapshot
        gone = snapshot.get(type(part), part.id) if snapshot is not None else None
        if isinstance(part, DebriefPoint):
            what, line = part.section.value, ADD_LINE_OF.get(part.section)
        else:
            what = part.LABEL
            line = "new-resolution" if isinstance(part, DebriefResolution) else "new-reaction"
        keep_on = next(iter(self.query(f"#{line}").results(Input)), None) if line else None
        self.leave_removed_row(row, gone, what, keep_on)

    async def _add_row(self, box: Vertical, part: Part) -> None:
        row_id = f"row-{type(part).__name__.lower()}-{part.id}"
        if row_id in self._mounting or self.query(f"#{row_id}"):
            return
        self._mounting.add(row_id)
        try:
            issues = self._issue_options(self._recap) if self._recap else []
            row = ItemRow(part, issues if isinstance(part, DebriefResolution) else None)
            await box.mount(row)
        finally:
            self._mounting.discard(row_id)
        self._follow_row(row)

    def _show_recap(self) -> None:
        read = self._recap
        if read is None:
            return
        about = Text()
        about.append(f"Debrief of the interview with {one_line(read.partner)}", style="bold")
        about.append(f" · {read.interview.planned_on.strftime('%a %d %b %Y')} · ")
        held = read.debrief.held_on
        status = "draft" if held is None else f"held on {held.isoformat()}"
        about.append(status, style="bold reverse")
        debrief = read.debrief
        if held is not None and not debrief.deleted:
            # Held is the recap the meeting heard; a change now is a change after it.
            history = say_key_on(self, place_named("debriefs").load(), "debriefs.history")
            about.append(
                f"\nThe meeting has had this recap: what you change now is saved as a change "
                f"after it ({history} on the debriefs list shows its earlier versions).",
                style="dim",
            )
        if debrief.deleted:
            # Its paragraphs are its own fields: a deleted record takes no change.
            gone = deleted_words(debrief, "Nothing typed here is saved until it is brought back")
            about.append(f"\n✗ {gone}", style="bold")
            if not self._said_deleted:
                self._said_deleted = True
                self.notify(gone, title="Debrief deleted", severity="warning", markup=False)
        elif self._said_deleted:  # brought back: what was typed meanwhile is saved now
            self._said_deleted = False
            self.save_refused_again()
        self.query_one("#about", Static).update(about)
        read_only = self.read_only_in_header() if self._read_only is not None else ""
        self.say_in_header(f"Debrief · {one_line(read.partner)} · {status}{read_only}")
        self.query_one("#standards", Static).update(self._standards_text(read))
        self.query_one("#balance", Static).update(balance_text(read))
        self._ask_preview()
        self.refresh_bindings()

    @staticmethod
    def _standards_text(read: Recap) -> Text:
        said = Text()
        if not read.standards:
            said.append(
                "None yet: standards set in the interview, or named for an issue, show here.",
                style="dim",
            )
        for item in read.standards:
            standard, standing = item.standard, item.standing
            if said:
                said.append("\n")
            said.append(f"{standard.side.short} ", style="bold")
            said.append(one_line(standard.standard))
            said.append(f" · {standard.status.value}", style="dim")
            if standing.compliance_text:
                said.append(f" · kept {standing.compliance_text}", style="dim")
        return said

    # -- the preview -------------------------------------------------------------------

    def typed_recap(self) -> Recap | None:
        """Return the recap as read, with what is typed in its fields now (saved or not)."""
        read = self._recap
        if read is None:
            return None
        typed: dict[tuple[type[Any], int], dict[str, str]] = {}
        for key, widget in self.followed():
            field = self.field_of(key)
            typed.setdefault((field.kind, field.record_id), {})[field.field] = widget.text

        def now(record: Any) -> Any:
            changes = typed.get((type(record), record.id))
            return replace(record, **changes) if changes else record

        return replace(
            read,
            debrief=now(read.debrief),
            findings=tuple(now(p) for p in read.findings),
            results=tuple(now(p) for p in read.results),
            issues=tuple(now(p) for p in read.issues),
            resolutions=tuple(now(r) for r in read.resolutions),
            reactions=tuple(now(r) for r in read.reactions),
        )

    def _ask_preview(self) -> None:
        """Draw the preview again a moment after the last change: typing is never held up."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_AFTER, self._draw_preview)

    def _preview_visible(self) -> bool:
        return self.size.width >= WIDE or self._flipped

    def _draw_preview(self) -> None:
        self._preview_timer = None
        typed = self.typed_recap()
        if typed is None or not self._preview_visible():
            return
        self._preview_asked += 1
        self._compose_markdown(typed, self._preview_asked)

    @work(thread=True, group="recap-preview")
    def _compose_markdown(self, typed: Recap, asked: int) -> None:
        markdown = recap_markdown(typed)
        self.app.call_from_thread(self._show_preview, markdown, asked)

    def _show_preview(self, markdown: str, asked: int) -> None:
        if asked != self._preview_asked or markdown == self._preview_shown:
            return  # a newer one is on its way, or nothing changed
        self._preview_shown = markdown
        self.query_one("#recap", Markdown).update(markdown)

    @property
    def preview_markdown(self) -> str:
        """The Markdown the preview shows now."""
        return self._preview_shown

    def on_autosaving_pause(self, message: Autosaving.Pause) -> None:
        """Show a field its writer paused in or left in the preview."""
        self._ask_preview()  # RecordEditor's handler, called after this one, saves it

    # -- writing -----------------------------------------------------------------------

    def other_write_done(self, message: WriteDone) -> None:
        """Follow new items, removals, ties to issues and holding."""
        outcome = message.outcome
        write = outcome.write
        if isinstance(write, AddPoint | AddResolution | AddReaction):
            line_id = next((k for k, v in self._adding.items() if v == write.text), None)
            if line_id is not None:
                del self._adding[line_id]
            if isinstance(outcome, Written):
                if line_id is not None:
                    line = self.query_one(f"#{line_id}", Input)
                    if line.value.strip() == write.text:
                        line.value = ""
                self.team.reload()
            elif isinstance(outcome, Refused):
                self.team.report_failure(write.what, outcome.error)
        elif isinstance(write, Resolve) and isinstance(outcome, Conflicted):
            current = outcome.conflict.current  # tying means the same on any revision
            if not current.deleted:
                self._ask(replace(write, expected_rev=current.rev))
        elif isinstance(outcome, Written) and hasattr(write, "said"):
            self.notify(write.said(outcome.result), markup=False)
        elif isinstance(outcome, Written):
            self.team.reload()
        elif isinstance(outcome, Conflicted) and hasattr(write, "again"):
            self._ask(write.again(outcome.conflict.current))
        elif isinstance(outcome, Refused):
            self.team.report_failure(write.what, outcome.error)
        self._leave_when_saved()  # a new item on its way held going back

    def field_saved(self, write: Any) -> None:
        """A field's write came back: going back, if asked, goes on once all are in."""
        self._leave_when_saved()

    @on(Input.Submitted, ".new-item")
    def _new_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._add_typed(event.input)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a line for a new item adds what it holds: nothing typed is lost."""
        if isinstance(event.widget, Input) and event.widget.has_class("new-item"):
            self._add_typed(event.widget)

    def _add_typed(self, line: Input) -> None:
        """Add the item typed on a new-item line, once (Enter, leaving, going)."""
        text = line.value.strip()
        line_id = str(line.id)
        if not text or self._adding.get(line_id) == text:
            return
        self._adding[line_id] = text
        debrief_id = self.record.id
        write: AddPoint | AddResolution | AddReaction
        if line_id == "new-result":
            write = AddPoint(debrief_id, DebriefSection.RESULT, text, what="add the result")
        elif line_id == "new-issue":
            write = AddPoint(debrief_id, DebriefSection.ISSUE, text, what="add the issue")
        elif line_id == "new-resolution":
            write = AddResolution(debrief_id, text)
        else:
            write = AddReaction(debrief_id, text)
        self._ask(write)

    @on(Select.Changed)
    def _resolves_chosen(self, event: Select.Changed) -> None:
        event.stop()
        read = self._recap
        if read is None or not str(event.select.id).startswith("resolves-"):
            return
        resolution_id = int(str(event.select.id).removeprefix("resolves-"))
        resolution = next((r for r in read.resolutions if r.id == resolution_id), None)
        if resolution is None:
            return
        value = event.value
        issue = value if isinstance(value, int) else None
        if issue != resolution.resolves:
            self._ask(Resolve(resolution.id, resolution.rev, issue))

    def flush_edits(self) -> None:
        """Save every field now, and add the items typed and not entered yet."""
        super().flush_edits()
        if self.is_mounted:
            for line in self.query(".new-item").results(Input):
                self._add_typed(line)

    # -- actions -----------------------------------------------------------------------

    def adding(self) -> bool:
        """Whether a new item is on its way to the team file."""
        return bool(self._adding)

    def unsaved_adds(self, refused: str) -> list[Unsaved]:
        """Name each new item still on its line: it was refused when it was added."""
        unsaved = []
        for line in self.query(".new-item").results(Input):
            line_id = str(line.id)
            if line.value.strip() and line_id not in self._adding:
                what = line_id.removeprefix("new-")
                unsaved.append(Unsaved(f"the new {what}", refused or "not added", REFUSED))
        return unsaved

    def field_name(self, widget: Autosaving) -> str:
        """Name a field as the person reads it: "what probing revealed", "issue 2: behind it"."""
        row = next((a for a in widget.ancestors if isinstance(a, ItemRow)), None)
        if row is None:
            return FIELD_NAMES.get(str(widget.name), str(widget.name))
        part = row.part
        what = part.section.value if isinstance(part, DebriefPoint) else part.LABEL
        siblings = list(row.parent.query_children(ItemRow)) if row.parent else [row]
        item = f"{what} {siblings.index(row) + 1}"
        if widget.name == "detail":
            return f"{item}: {widget.label.lower()}"
        return f"{item}: who said it" if widget.name == "said_by" else item

    def _markdown_now(self) -> tuple[Recap, str] | None:
        self.flush_edits()
        typed = self.typed_recap()
        if typed is None:
            self.notify("The debrief is not in the team file as read yet.", timeout=3)
            return None
        unsaved = self.unsaved_fields()
        if unsaved:
            # As shown, so as typed here: say where that is not what the team file holds.
            names = ", ".join(one_line(field.name) for field in unsaved)
            self.notify(
                f"The recap has your text where the team file has other text or none yet: "
                f"{names}. Settle those first for the recap the file holds.",
                title="Not all in the team file",
                severity="warning",
                timeout=8,
                markup=False,
            )
        return typed, recap_markdown(typed)

    def action_write_file(self) -> None:
        """Write the recap, as shown, to a Markdown file named in a dialog."""
        made = self._markdown_now()
        if made is not None:
            typed, markdown = made
            title = f"Recap of the interview with {typed.partner}"
            screen = RecapFileScreen(title, markdown, recap_file_name(typed), "Recap")
            self.app.push_screen(screen)

    def action_copy(self) -> None:
        """Copy the recap, as Markdown, through the terminal to the person's own clipboard."""
        made = self._markdown_now()
        if made is not None:
            copy_to_clipboard(self, made[1], "Recap")

    def action_flip(self) -> None:
        """Show the preview instead of the editor, or the editor again (below WIDE columns)."""
        self._flipped = not self._flipped
        self.set_class(self._flipped, "-preview")
        if self._flipped:
            self.set_focus(self.query_one("#preview"))
            self._draw_preview()
        else:
            self.set_focus(self.query("#sheet AutosaveText TextArea").first())

    def action_meeting(self) -> None:
        """Show the recap full screen, section by section, for the meeting."""
        from ictui.screens.debrief_meeting import MeetingScreen

        self.flush_edits()
        self.app.push_screen(MeetingScreen(self.record.id))

    def action_new_item(self) -> None:
        """Go to the next line that adds an item (after the cursor), round to the first."""
        if self._refused_read_only():
            return
        lines: list[Widget] = list(self.query(".new-item"))
        focused = self.focused
        after = 0
        if focused is not None:
            y = focused.region.y
            after = next((n for n, line in enumerate(lines) if line.region.y > y), 0)
        if focused in lines:
            after = (lines.index(focused) + 1) % len(lines)
        line = lines[after]
        self.set_focus(line)
        line.scroll_visible(animate=False)

    def _row_in_focus(self) -> ItemRow | None:
        focused = self.focused
        return next(
            (a for a in (focused.ancestors if focused else []) if isinstance(a, ItemRow)), None
        )

    def action_remove_item(self) -> None:
        """Remove the item the cursor is in, after asking (its history keeps it)."""
        from ictui.screens.ask import AskScreen

        row = self._row_in_focus()
        read = self._recap
        if row is None or read is None or self._refused_read_only():
            return
        parts: list[Part] = [*read.findings, *read.results, *read.issues]
        parts += [*read.resolutions, *read.reactions]
        current = next(
            (
                p
                for p in parts
                if p is not None and p.id == row.part.id and type(p) is type(row.part)
            ),
            None,
        )
        if current is None:
            return
        what = current.LABEL
        if isinstance(current, DebriefPoint):
            what = current.section.value

        def answered(remove: bool | None) -> None:
            if remove and current is not None:
                self.removing(type(current), current.id)
                self._ask(Delete(type(current), current.id, current.rev, f"remove the {what}"))

        self.app.push_screen(
            AskScreen(f"Remove this {what}?", Text(one_line(current.text)), "Remove", "Keep"),
            answered,
        )

    def action_hold(self) -> None:
        """Mark the debrief held today (again: a new day), and its interview debriefed."""
        if self._refused_read_only():
            return
        from ictui.screens.debriefs import ask_to_hold

        self.flush_edits()
        ask_to_hold(self, self.team.snapshot, self.record, self._ask)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the flip where the preview is not beside the editor, Remove in an item."""
        if action == "flip":
            return self.size.width < WIDE
        if action == "remove_item":
            return self._row_in_focus() is not None
        return True

    def palette_commands(self) -> Any:
        """Offer the builder's actions in the palette."""
        yield ("Write the recap to a Markdown file", "for the team", self.action_write_file)
        yield ("Copy the recap", "as Markdown, through the terminal", self.action_copy)
        yield ("Meeting mode", "the recap section by section", self.action_meeting)
        yield ("Mark the debrief held", "today", self.action_hold)
