"""What screens need of the app, and how the outcome of a write comes back to them.

Screens never import the app: they ask the app they run in for the team file
as last read, the clock and the write queue through ``TeamApp``, and hear
what became of their writes as a ``WriteDone`` message.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.dom import DOMNode
from textual.message import Message

from ictui.errors import IctuiError
from ictui.kinds.record import Record
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.text import one_line

if TYPE_CHECKING:
    from textual.screen import Screen

    from ictui.teamfile.queue import Outcome
    from ictui.teamfile.writes import Write

SAY_SAVING_AFTER = 0.5
"""Seconds a wait for the saves on their way (going back, quitting) lasts before it says so."""


class TeamApp(Protocol):
    """The app as screens use it."""

    @property
    def store(self) -> Store:
        """The team file."""
        ...

    @property
    def web(self) -> bool:
        """Whether the app is at the browser door, run as the serving account for everyone."""
        ...

    @property
    def keymap(self) -> dict[str, str]:
        """The person's own keys, by the id of what they do."""
        ...

    @property
    def read_only(self) -> bool:
        """Whether this person may only read the team file (found at the start)."""
        ...

    @property
    def snapshot(self) -> Snapshot | None:
        """The team file as last read, None until it has been."""
        ...

    def today(self) -> dt.date:
        """Today's date where the person is, by the store's clock."""
        ...

    def write(self, write: Write, asker: DOMNode | None = None) -> None:
        """Queue a write; what becomes of it comes back to asker as WriteDone."""
        ...

    def reload(self) -> None:
        """Read the team file again, in the background."""
        ...

    def report_failure(self, what: str, error: IctuiError) -> None:
        """Say that a change could not be written, and why."""
        ...

    def first_rows_shown(self) -> None:
        """Start what waits for the first frame with rows."""
        ...


def team_app(node: DOMNode) -> TeamApp:
    """Return the app a screen or widget runs in, as a TeamApp."""
    return cast(TeamApp, node.app)


def deleted_words(record: Record, typing: str) -> str:
    """Say who deleted a record open here and when, what becomes of typing, and the way back.

    typing: what becomes of what is typed meanwhile, as a sentence that ends
    with "brought back".
    """
    who = one_line(record.updated_by.display)
    at = record.updated_at.astimezone().strftime("%H:%M")
    return (
        f"Deleted by {who} at {at}. {typing} (the one who deleted it can press u on "
        f"the list; anyone, `ictui {record.LABEL} restore {record.id}`)."
    )


class SaysInHeader:
    """Mixed into a screen whose header says what it shows, after what the app's header says.

    The app's says who is at the keyboard and whether the file is live, read-only
    or waiting for a colleague's write: a screen's own header line would hide that.
    """

    _in_header = ""
    _header_followed = False

    def say_in_header(self, what: str) -> None:
        """Show what (an interview's partner and state, say) after the app's header line."""
        screen = cast("Screen[Any]", self)
        self._in_header = what
        if not self._header_followed:
            self._header_followed = True
            screen.watch(screen.app, "sub_title", self._set_header, init=False)
        self._set_header()

    def _set_header(self) -> None:
        screen = cast("Screen[Any]", self)
        screen.sub_title = f"{screen.app.sub_title} · {self._in_header}"

    def read_only_in_header(self) -> str:
        """ " · read-only", to go after what the header says, unless the app's says it already."""
        return "" if "read-only" in cast("Screen[Any]", self).app.sub_title else " · read-only"


class WriteDone(Message):
    """What became of a write that this screen or dialog asked for."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        super().__init__()
