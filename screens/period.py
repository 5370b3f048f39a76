"""Ask for a range of dates to look at."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ictui.screens.help import DIALOG_HELP
from ictui.screens.type_ahead import CANCEL, SAVE, TypedAhead, put_late
from ictui.services.contacts import read_date
from ictui.widgets.footer import KeyFooter
from ictui.widgets.keys_in_order import InOrderInput, tabbed_into

DateRange = tuple[dt.date | None, dt.date | None]


class PeriodScreen(ModalScreen[DateRange | None]):
    """Choose the first and last day to show; either may be left open."""

    CSS_PATH = "period.tcss"
    HELP = (
        "Show only the contact points from the first day to the last, both included. "
        "Leave a date blank for no limit on that side. Dates take YYYY-MM-DD, today or "
        "yesterday. Enter or Ctrl+S shows them; Escape goes back to the period there was."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Show"),
        DIALOG_HELP,
    ]

    def __init__(self, since: dt.date | None, until: dt.date | None) -> None:
        super().__init__()
        self.since = since
        self.until = until
        self._typed_ahead = TypedAhead()
        self._up = False
        """Whether the fields are in and the keys typed ahead played: until then, keys are kept."""

    def compose(self) -> ComposeResult:
        """Lay out the two dates."""
        with Vertical(id="dialog"):
            yield Label("Show contact points from … to …", id="title")
            with Grid(id="fields"):
                yield Label("From")
                yield InOrderInput(
                    self._text(self.since),
                    placeholder="YYYY-MM-DD or blank",
                    id="since",
                    compact=True,
                )
                yield Label("To")
                yield InOrderInput(
                    self._text(self.until),
                    placeholder="YYYY-MM-DD or blank",
                    id="until",
                    compact=True,
                )
            yield Static("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Show (ctrl+s)", variant="primary", id="apply", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield KeyFooter(compact=True)  # this dialog's keys, not those of the screen beneath

    def on_mount(self) -> None:
        """Start in the first date, selected so that typing replaces it.

        Keys typed while the dialog opened are played in now, in order (see
        ContactForm.on_mount); Enter, Ctrl+S or Escape among them acts last.
        """
        since, until = self.query_one("#since", Input), self.query_one("#until", Input)
        tabbed_into(since)
        focus, ending = self._typed_ahead.play([since, until], 0)
        self._up = True
        self.set_focus(focus)  # at once: more keys may be on their way
        if ending == SAVE:
            self.action_apply()
        elif ending == CANCEL:
            self.action_cancel()

    def type_ahead(self, key: str, character: str | None) -> None:
        """Take a key typed before the dialog was ready (see ContactForm.type_ahead)."""
        if not self._up:
            # Enter in either date shows the range, as Ctrl+S does.
            self._typed_ahead.keep(SAVE if key == "enter" else key, character)
        else:
            put_late(self, key, character)

    @staticmethod
    def _text(day: dt.date | None) -> str:
        return day.isoformat() if day else ""

    def _day(self, field: str) -> dt.date | None:
        value = self.query_one(f"#{field}", Input).value
        if not value.strip():
            return None
        day = read_date(value, self.app.today())  # type: ignore[attr-defined]
        if isinstance(day, str):
            raise ValueError(f"{value.strip()!r} is not a date; write it YYYY-MM-DD")
        return day

    def action_apply(self) -> None:
        """Answer with the range, or say what is wrong with it."""
        if not self._up:  # typed ahead: acted on once the dates before it are in
            self._typed_ahead.keep(SAVE, None)
            return
        problem = self.query_one("#problem", Static)
        try:
            since, until = self._day("since"), self._day("until")
        except ValueError as error:
            problem.update(f"✗ {error}")
            return
        if since and until and since > until:
            problem.update("✗ the first day is after the last")
            return
        self.dismiss((since, until))

    def action_cancel(self) -> None:
        """Close without changing the period shown."""
        if not self._up:  # typed ahead: acted on in its turn, as the other keys are
            self._typed_ahead.keep(CANCEL, None)
            return
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
