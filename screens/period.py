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

from ictui.contacts import read_date
from ictui.widgets.footer import KeyFooter
from ictui.widgets.keys_in_order import InOrderInput, tabbed_into

DateRange = tuple[dt.date | None, dt.date | None]


class PeriodScreen(ModalScreen[DateRange | None]):
    """Choose the first and last day to show; either may be left open."""

    CSS_PATH = "period.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "apply", "Show"),
    ]

    def __init__(self, since: dt.date | None, until: dt.date | None) -> None:
        super().__init__()
        self.since = since
        self.until = until

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
        """Start in the first date, selected so that typing replaces it."""
        since = self.query_one("#since", Input)
        self.set_focus(since)
        tabbed_into(since)

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

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
