"""An invitation to a planned interview, so the partner knows what to expect: to a file or copied.

Copying goes through the terminal (OSC 52), which reaches the person's own
machine over SSH too; no terminal says whether it took it, so the message
says only that it was sent.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from ictui.kinds.interview import Interview
from ictui.screens.help import DIALOG_HELP
from ictui.screens.markdown_file import MarkdownFileScreen, check_target, slug
from ictui.services.interviews import worksheet
from ictui.teamfile.snapshot import Snapshot

__all__ = ["InvitationScreen", "check_target", "file_name"]


def file_name(partner: str, interview: Interview) -> str:
    """Return a file name for an invitation: "invitation-payroll-2026-12-03.md"."""
    return f"invitation-{slug(partner)}-{interview.planned_on.isoformat()}.md"


class InvitationScreen(MarkdownFileScreen):
    """Shows an interview's invitation in Markdown; writes it to a file or copies it."""

    SAVE = "invite.save"
    COPY = "invite.copy"
    HELP = (
        "The invitation says why you are meeting, when and for how long, and which "
        "questions you will ask, so that nobody is taken by surprise. {invite.save} writes "
        "it to the file named (replacing one there); {invite.copy} copies it through the "
        "terminal to your own machine's clipboard (over SSH too; inside tmux it needs "
        "`set -s set-clipboard on`)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save to file", id="invite.save"),
        Binding("ctrl+b", "copy", "Copy", id="invite.copy"),  # as the recap's dialog
        Binding("escape", "dismiss(None)", "Close", id="invite.close"),
        DIALOG_HELP,
    ]

    def __init__(self, snapshot: Snapshot, interview: Interview) -> None:
        from ictui.outputs.export import invitation_markdown

        sheet = worksheet(snapshot, interview.id)
        super().__init__(
            f"Invitation to {sheet.partner}",
            invitation_markdown(sheet),
            file_name(sheet.partner, interview),
            "Invitation",
        )
        self.partner = sheet.partner
