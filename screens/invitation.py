"""An invitation to a planned interview, so the partner knows what to expect: to a file or copied.

Copying goes through the terminal (OSC 52), which reaches the person's own
machine over SSH too; no terminal says whether it took it, so the message
says only that it was sent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.kinds.interview import Interview
from ictui.screens.help import DIALOG_HELP
from ictui.screens.team_app import team_app
from ictui.services.interviews import worksheet
from ictui.teamfile.snapshot import Snapshot
from ictui.text import one_line
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput


def file_name(partner: str, interview: Interview) -> str:
    """Return a file name for an invitation: "invitation-payroll-2026-12-03.md"."""
    slug = re.sub(r"[^a-z0-9]+", "-", partner.casefold()).strip("-")[:40] or "partner"
    return f"invitation-{slug}-{interview.planned_on.isoformat()}.md"


def check_target(path: Path, role: str | None) -> str | None:
    """Say why an invitation cannot be written to path, if it cannot; role: a team file's."""
    if role is not None:
        return f"{path} is {role}: choose another file"
    if path.is_dir():
        return f"{path} is a folder: add a file name"
    if path.exists() and not path.is_file():
        return f"{path} is not a regular file: choose another"
    if not path.parent.is_dir():
        return f"there is no folder {path.parent}"
    return None


class InvitationScreen(ModalScreen[None]):
    """Shows an interview's invitation in Markdown; writes it to a file or copies it."""

    CSS_PATH = "invitation.tcss"
    HELP = (
        "The invitation says why you are meeting, when and for how long, and which "
        "questions you will ask, so that nobody is taken by surprise. {invite.save} writes "
        "it to the file named (replacing one there); {invite.copy} copies it through the "
        "terminal to your own machine's clipboard (over SSH too; inside tmux it needs "
        "`set -s set-clipboard on`)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save to file", id="invite.save"),
        Binding("ctrl+y", "copy", "Copy", id="invite.copy"),
        Binding("escape", "dismiss(None)", "Close", id="invite.close"),
        DIALOG_HELP,
    ]

    def __init__(self, snapshot: Snapshot, interview: Interview) -> None:
        from ictui.outputs.export import invitation_markdown

        super().__init__()
        sheet = worksheet(snapshot, interview.id)
        self.markdown = invitation_markdown(sheet)
        self.default_name = file_name(sheet.partner, interview)
        self.partner = sheet.partner
        self._replace: Path | None = None  # a file there already, that a second save replaces

    def compose(self) -> ComposeResult:
        """The invitation as it will be sent, where to write it, and the choices."""
        with Vertical(id="dialog"):
            yield Label(Text(f"Invitation to {one_line(self.partner)}"), id="title")
            with VerticalScroll(id="preview"):
                yield Static(Text(self.markdown))
            with Horizontal(id="file"):
                yield Label("File", classes="name")
                yield InOrderInput(self.default_name, id="path", compact=True)
            yield Static("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                save = say_key(self, "invite.save", short=True)
                copy = say_key(self, "invite.copy", short=True)
                yield Button(f"Save to file ({save})", variant="primary", id="save", compact=True)
                yield Button(f"Copy ({copy})", id="copy", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start in the file name, ready to be changed or saved."""
        self.set_focus(self.query_one("#path"))

    @on(Input.Changed, "#path")
    def _retyped(self) -> None:
        self._replace = None
        self.query_one("#problem", Static).update("")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Write the invitation to the file named, in one piece."""
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self._problem("Name a file to write the invitation to.")
            return
        path = Path(typed).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        problem = check_target(path, team_app(self).store.role_of(path))
        if problem is not None:
            self._problem(problem)
            return
        if path.exists() and path != self._replace:
            self._replace = path
            again = say_key(self, "invite.save")
            self._problem(f"{path} is there already: {again} again replaces it.")
            return
        self._write(path)

    @work(thread=True, exclusive=True, group="invitation")
    def _write(self, path: Path) -> None:
        from ictui.teamfile.durable import replace_file

        try:
            like = path.stat() if path.exists() else None
            replace_file(path, self.markdown.encode("utf-8"), like=like, shared=False)
        except OSError as error:
            self.app.call_from_thread(self._problem, f"Cannot write {path}: {error.strerror}")
            return
        self.app.call_from_thread(self._written, path)

    def _written(self, path: Path) -> None:
        self.notify(f"Invitation written to {path}.", markup=False, timeout=6)
        self.dismiss(None)

    def _problem(self, said: str) -> None:
        self.query_one("#problem", Static).update(f"✗ {said}")

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        """Copy the invitation through the terminal to the person's own clipboard."""
        self.app.copy_to_clipboard(self.markdown)
        self.notify(
            "Invitation sent to your terminal's clipboard. Nothing confirms that it arrived: "
            "if pasting gives nothing, save it to a file instead (inside tmux, copying needs "
            "`set -s set-clipboard on`).",
            markup=False,
            timeout=8,
        )
        self.dismiss(None)
