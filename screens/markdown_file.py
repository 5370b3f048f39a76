"""A Markdown document for someone else: written to a file in one piece, or copied.

Shared by the interview's invitation and the debrief's recap. The file is
written atomically; the team file and its lock are refused, as are folders
and what is not a regular file; a file there already is replaced only by a
second save. Copying goes through the terminal (OSC 52), which reaches the
person's own machine over SSH too; no terminal says whether it took it, so
the message says only that it was sent.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.screens.ask import give_way
from ictui.screens.team_app import team_app
from ictui.text import one_line
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput


def slug(name: str) -> str:
    """Return a name fit for a file name: "Sales Operations" -> "sales-operations"."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "partner"


def check_target(path: Path, role: str | None) -> str | None:
    """Say why a document cannot be written to path, if it cannot; role: a team file's."""
    if role is not None:
        return f"{path} is {role}: choose another file"
    if path.is_dir():
        return f"{path} is a folder: add a file name"
    if path.exists() and not path.is_file():
        return f"{path} is not a regular file: choose another"
    if not path.parent.is_dir():
        return f"there is no folder {path.parent}"
    return None


def copy_words(what: str) -> str:
    """Return what is said once a document is sent to the terminal's clipboard."""
    return (
        f"{what} sent to your terminal's clipboard. Nothing confirms that it arrived: "
        "if pasting gives nothing, save it to a file instead (inside tmux, copying needs "
        "`set -s set-clipboard on`)."
    )


def copy_to_clipboard(node: Any, markdown: str, what: str) -> None:
    """Send a document to the person's own clipboard through the terminal, and say so."""
    node.app.copy_to_clipboard(markdown)
    node.notify(copy_words(what), markup=False, timeout=8)


PREVIEW_MOST = 14
"""The most lines the document's preview takes; more scroll."""


class MarkdownFileScreen(ModalScreen[None]):
    """Shows a Markdown document; writes it to the file named, or copies it.

    A kind of document binds the keys, with ids of its own, to the actions
    save, copy and dismiss; SAVE and COPY name the ids of the first two.
    """

    CSS_PATH = "markdown_file.tcss"
    SAVE: ClassVar[str]
    """The id of the binding that saves."""
    COPY: ClassVar[str]
    """The id of the binding that copies."""

    def __init__(self, title: str, markdown: str, default_name: str, what: str) -> None:
        """title: the dialog's; what: the document, as messages name it ("Invitation")."""
        super().__init__()
        self.heading = title
        self.markdown = markdown
        self.default_name = default_name
        self.what = what
        self._replace: Path | None = None  # a file there already, that a second save replaces

    def compose(self) -> ComposeResult:
        """The document as it will be sent, where to write it, and the choices."""
        with Vertical(id="dialog"):
            yield Label(Text(one_line(self.heading)), id="title")
            with VerticalScroll(id="preview"):
                yield Static(Text(self.markdown))
            with Horizontal(id="file"):
                yield Label("File", classes="name")
                yield InOrderInput(self.default_name, id="path", compact=True)
            yield Static("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                save = say_key(self, self.SAVE, short=True)
                copy = say_key(self, self.COPY, short=True)
                yield Button(f"Save to file ({save})", variant="primary", id="save", compact=True)
                yield Button(f"Copy ({copy})", id="copy", compact=True)
        yield Footer(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the file's line, what is said of it and the buttons in view: the preview scrolls."""
        give_way(self.query_one("#preview"), event.size.height, PREVIEW_MOST, around=12)

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
        """Write the document to the file named, in one piece."""
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self._problem(f"Name a file to write the {self.what.lower()} to.")
            return
        if team_app(self).web:
            self._download(typed)
            return
        # abspath, not resolve: "../x" is shown as the folder it lands in, while a
        # symlink the person named stays the name they chose.
        path = Path(os.path.abspath(Path(typed).expanduser()))
        problem = check_target(path, team_app(self).store.role_of(path))
        if problem is not None:
            self._problem(problem)
            return
        if path.exists() and path != self._replace:
            self._replace = path
            again = say_key(self, self.SAVE)
            self._problem(f"{path} is there already: {again} again replaces it.")
            return
        self._write(path)

    @work(thread=True, exclusive=True, group="markdown-file")
    def _write(self, path: Path) -> None:
        from ictui.teamfile.durable import replace_file

        try:
            like = path.stat() if path.exists() else None
            replace_file(path, self.markdown.encode("utf-8"), like=like, shared=False)
        except OSError as error:
            self.app.call_from_thread(self._problem, f"Cannot write {path}: {error.strerror}")
            return
        self.app.call_from_thread(self._written, path)

    def _download(self, typed: str) -> None:
        """At the browser door, hand the document to the browser: never write the host's files.

        The app runs there as the serving account for everyone at the door; a
        file named by them would be written with that account's rights.
        """
        name = Path(typed).name or self.default_name
        document = io.StringIO(self.markdown)
        self.app.deliver_text(document, save_filename=name, mime_type="text/markdown")
        self.notify(
            f"{self.what} sent to your browser as {one_line(name)}.", markup=False, timeout=6
        )
        self.dismiss(None)

    def _written(self, path: Path) -> None:
        self.notify(f"{self.what} written to {one_line(str(path))}.", markup=False, timeout=6)
        self.dismiss(None)

    def _problem(self, said: str) -> None:
        self.query_one("#problem", Static).update(f"✗ {one_line(said)}")

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        """Copy the document through the terminal to the person's own clipboard."""
        copy_to_clipboard(self, self.markdown, self.what)
        self.dismiss(None)
