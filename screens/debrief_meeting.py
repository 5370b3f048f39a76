"""Meeting mode: a debrief's recap full screen, one section at a time, and co-workers' reactions.

The workshop's advice is not to rush: the lead shows how the interview was
set up, the opening question and the first reactions, and lets co-workers
react before the specifics. So the recap comes a section at a time, and a
reaction (who said it, or anonymous) is noted without leaving the meeting.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Markdown, Static

from ictui.errors import InvalidInput, RecordNotFound
from ictui.kinds.registry import labelled
from ictui.outputs.recap import recap_markdown
from ictui.screens.record_editor import why_read_only
from ictui.screens.team_app import SaysInHeader, WriteDone, team_app
from ictui.services.debriefs import AddReaction, recap
from ictui.teamfile.queue import Refused, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.text import one_line
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput


def sections_of(markdown: str) -> list[tuple[str, str]]:
    """Split a recap into its sections, each with its title; the first keeps the recap's title.

    People's text is escaped in a recap, so only its own headings start a line with "## ".
    """
    sections: list[tuple[str, list[str]]] = []
    head: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            sections.append((line.removeprefix("## "), [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            head.append(line)
    if not sections:
        return [("Recap", markdown)]
    title, first = sections[0]
    sections[0] = (title, [*head, *first])
    return [(title, "\n".join(lines).strip() + "\n") for title, lines in sections]


class MeetingScreen(SaysInHeader, Screen[None]):
    """A debrief's recap for the meeting: a section at a time; reactions noted as they come."""

    CSS_PATH = "debrief_meeting.tcss"
    HELP = (
        "Show the recap to your co-workers a section at a time, and let them react before "
        "you go on: {meeting.next} and {meeting.previous} move between sections. "
        "{meeting.react} notes what someone said, and who (leave it empty for anonymous); "
        "it goes into the recap's reactions at once."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the builder", id="meeting.back"),
        Binding(
            "n,right,space",
            "move(1)",
            "Next",
            key_display="→",
            tooltip="The next section",
            id="meeting.next",
        ),
        Binding(
            "p,left",
            "move(-1)",
            "Previous",
            key_display="←",
            tooltip="The section before",
            id="meeting.previous",
        ),
        Binding(
            "a",
            "react",
            "Reaction",
            tooltip="Note what a co-worker said, and who said it",
            id="meeting.react",
        ),
    ]

    def __init__(self, debrief_id: int) -> None:
        super().__init__()
        self.debrief_id = debrief_id
        self.sections: list[tuple[str, str]] = []
        self.at = 0
        """The section shown, from 0."""
        self._partner = ""
        self._adding: str | None = None

    def compose(self) -> ComposeResult:
        """The section shown, where it is in the recap, and the line for a reaction."""
        yield Header()
        with Vertical(id="meeting"):
            yield Static(id="where")
            with VerticalScroll(id="page"):
                yield Markdown(id="section")
            with Vertical(id="react"):
                yield Label("What did they say? Enter, then who said it (empty: anonymous).")
                with Horizontal():
                    yield InOrderInput(placeholder="their reaction", id="reaction", compact=True)
                    yield InOrderInput(placeholder="who (empty: anonymous)", id="who", compact=True)
                yield Static("", id="react-problem", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Show the recap as read, and again as it changes."""
        self.watch(self.app, "snapshot", self._read, init=True)
        self.set_focus(self.query_one("#page"))

    def _read(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        try:
            read = recap(snapshot, self.debrief_id, team_app(self).today())
        except RecordNotFound:
            return
        self._partner = read.partner
        sections = sections_of(recap_markdown(read))
        if sections == self.sections:
            return
        self.sections = sections
        self.at = min(self.at, len(sections) - 1)
        self._show()

    def _show(self) -> None:
        if not self.sections:
            return
        title, markdown = self.sections[self.at]
        where = Text()
        where.append(f"{self.at + 1} of {len(self.sections)}: ", style="bold")
        where.append(title, style="bold")
        if self.at + 1 < len(self.sections):
            where.append(f" · next: {self.sections[self.at + 1][0]}", style="dim")
        where.append("  Don't rush: let them react before you go on.", style="italic dim")
        self.query_one("#where", Static).update(where)
        self.query_one("#section", Markdown).update(markdown)
        self.say_in_header(f"Meeting · {one_line(self._partner)}")

    def action_move(self, step: int) -> None:
        """Show the next section (1) or the one before (-1)."""
        wanted = max(0, min(self.at + step, len(self.sections) - 1))
        if wanted != self.at:
            self.at = wanted
            self.query_one("#page").scroll_home(animate=False)
            self._show()

    def action_react(self) -> None:
        """Open the line for a co-worker's reaction, unless it could not be saved."""
        read_only = why_read_only(team_app(self))
        if read_only is not None:  # said now, not after the reaction is typed
            self.notify(
                f"No reaction can be noted: {read_only}",
                title="Read-only",
                severity="warning",
                markup=False,
            )
            return
        self.add_class("-reacting")
        self.set_focus(self.query_one("#reaction"))

    def action_back(self) -> None:
        """Close the reaction's line, or go back to the builder."""
        if self.has_class("-reacting"):
            # Escape drops the reaction: the next one starts empty, who included.
            self.remove_class("-reacting")
            for field in self.query("#reaction, #who").results(Input):
                field.value = ""
            self._say_problem("")
            self.set_focus(self.query_one("#page"))
            return
        self.dismiss()

    @on(Input.Submitted, "#reaction")
    def _said(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():  # who said nothing? the next words are the reaction
            self._say_problem("Type what they said first, then Enter.")
            return
        self.set_focus(self.query_one("#who"))

    @on(Input.Submitted, "#who")
    def _who(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#reaction", Input).value.strip()
        if not text:
            self.set_focus(self.query_one("#reaction"))
            return
        if text == self._adding:
            return
        self._adding = text
        who = self.query_one("#who", Input).value.strip()
        team_app(self).write(AddReaction(self.debrief_id, text, who), asker=self)

    def on_write_done(self, message: WriteDone) -> None:
        """A reaction noted: clear the line, and show it in the reactions."""
        message.stop()
        outcome = message.outcome
        self._adding = None
        if isinstance(outcome, Written):
            self.query_one("#reaction", Input).value = ""
            self.query_one("#who", Input).value = ""
            who = one_line(outcome.result.said_by) or "anonymous"
            again = say_key(self, "meeting.react")
            self.notify(f"Reaction noted ({who}). {again} notes another.", markup=False)
            self.remove_class("-reacting")
            self.set_focus(self.query_one("#page"))
            team_app(self).reload()
        elif isinstance(outcome, Refused) and isinstance(outcome.error, InvalidInput):
            # Said under the line, where it was typed: a notice would cover it.
            self._say_problem(labelled(outcome.error))
            field = "#who" if {f for f, _ in outcome.error.problems} == {"said_by"} else "#reaction"
            self.set_focus(self.query_one(field))
        elif isinstance(outcome, Refused):
            team_app(self).report_failure(outcome.write.what, outcome.error)

    def _say_problem(self, problem: str) -> None:
        line = self.query_one("#react-problem", Static)
        line.update(problem)
        line.set_class(bool(problem), "-shown")

    @on(Input.Changed, "#reaction, #who")
    def _typed(self) -> None:
        self._say_problem("")  # what was refused is being changed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Move and react only from the page: in the reaction's line, keys are typed."""
        if action in ("move", "react"):
            return not isinstance(self.focused, Input)
        return True
