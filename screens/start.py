"""The screens shown instead of the team when its file is missing or cannot be used."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from ictui.user.paths import DB_VARIABLE

DEMO, EMPTY, QUIT = "demo", "empty", "quit"
"""The answers: open the demo team, start an empty team file, or quit."""


class _Choice(Screen[str]):
    """A message and buttons, one per way forward."""

    SHOWS_NO_TEAM: ClassVar[bool] = True
    """Read by the app: the team's screens and the palette wait until a way forward is chosen."""

    CSS_PATH = "start.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "choose('quit')", "Quit", id="start.quit")
    ]

    def message(self) -> list[Static]:
        """Return what to say."""
        raise NotImplementedError

    def buttons(self) -> list[Button]:
        """Return the ways forward."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        """Lay out the message and the choices, centred."""
        with Center(), Vertical(id="card"):
            yield from self.message()
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        """Start on the first choice."""
        self.query(Button).first().focus()

    def action_choose(self, answer: str) -> None:
        """Answer with a way forward."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.name:
            self.dismiss(event.button.name)


class WelcomeScreen(_Choice):
    """No team file yet: open the demo team, or start an empty team file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "choose('demo')", "Demo team", id="start.demo"),
        Binding("n", "choose('empty')", "New team file", id="start.new"),
        Binding("q,escape", "choose('quit')", "Quit", id="start.quit"),
    ]

    def __init__(self, path: Path, demo_path: Path) -> None:
        super().__init__()
        self.path = path
        self.demo_path = demo_path

    def message(self) -> list[Static]:
        """Say that there is no team file, where it was looked for, and where each choice leads."""
        return [
            Label("Welcome to ictui", id="title"),
            Static(
                Text(
                    "ictui keeps your team's contact points, interviews, debriefs and "
                    "standards with internal customers in one shared file.\n\n"
                    f"There is no team file yet at\n  {self.path}\n\n"
                    f"The demo team, to look around in, is at\n  {self.demo_path}"
                )
            ),
            Static(
                Text(
                    "To share a team file, put it where the team can write (a folder of "
                    "your team's group on a shared host) and open it with\n"
                    "  ictui --db PATH\n"
                    f"or set {DB_VARIABLE}=PATH for everyone.",
                ),
                id="share",
            ),
        ]

    def buttons(self) -> list[Button]:
        """Offer the demo, an empty file, or quitting."""
        return [
            Button("Open the demo team (d)", name=DEMO, variant="primary", compact=True),
            Button("Start an empty team file (n)", name=EMPTY, compact=True),
            Button("Quit (q)", name=QUIT, compact=True),
        ]


class RefusedScreen(_Choice):
    """The team file cannot be used; nothing was written to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "choose('demo')", "Demo team", id="start.demo"),
        Binding("q,escape", "choose('quit')", "Quit", id="start.quit"),
    ]

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason

    def message(self) -> list[Static]:
        """Say which file, and why it cannot be opened."""
        return [
            Label("This team file cannot be opened", id="title"),
            Static(Text(f"{self.path}\n\n{self._reason()}"), id="reason"),
        ]

    def _reason(self) -> str:
        reason = self.reason.rstrip(".")
        if "not changed" in reason:
            return f"{reason}."
        return f"{reason}.\n\nictui has not changed it."

    def buttons(self) -> list[Button]:
        """Offer the demo team, or quitting."""
        return [
            Button("Open the demo team instead (d)", name=DEMO, compact=True),
            Button("Quit (q)", name=QUIT, variant="primary", compact=True),
        ]
