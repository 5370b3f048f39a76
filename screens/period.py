"""Ask for a range of dates to look at."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.screens.form import FORM, Form
from ictui.screens.help import DIALOG_HELP
from ictui.screens.team_app import team_app
from ictui.services.contacts import read_date
from ictui.widgets.key_names import say_key
from ictui.widgets.keys_in_order import InOrderInput, tabbed_into

DateRange = tuple[dt.date | None, dt.date | None]


class PeriodScreen(Form[DateRange | None]):
    """Choose the first and last day to show; either may be left open."""

    CSS_PATH = "period.tcss"
    FIELDS: ClassVar[tuple[str, ...]] = ("since", "until")
    ENTER_SUBMITS: ClassVar[bool] = True  # Enter in either date shows the range, as Ctrl+S does
    HELP = (
        "Show only the contact points from the first day to the last, both included. "
        "Leave a date blank for no limit on that side. Dates take YYYY-MM-DD, today or "
        "yesterday. Enter or {form.save} shows them; {form.cancel} goes back to the period "
        "there was."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Show", id="form.save"),
        DIALOG_HELP,
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
            yield Static("", id="form-problem", markup=False)
            with Horizontal(id="buttons"):
                show = say_key(self, "form.save", short=True)
                cancel = say_key(self, "form.cancel", short=True)
                yield Button(f"Show ({show})", variant="primary", id="apply", compact=True)
                yield Button(f"Cancel ({cancel})", id="cancel", compact=True)
        yield Footer(compact=True)  # this dialog's keys, not those of the screen beneath

    def prepare(self) -> None:
        """Start in the first date, selected so that typing replaces it."""
        tabbed_into(self.query_one("#since", Input))

    @staticmethod
    def _text(day: dt.date | None) -> str:
        return day.isoformat() if day else ""

    def _day(self, field: str) -> dt.date | None:
        value = self.query_one(f"#{field}", Input).value
        if not value.strip():
            return None
        day = read_date(value, team_app(self).today())
        if isinstance(day, str):
            raise ValueError(f"{value.strip()!r} is not a date; write it YYYY-MM-DD")
        return day

    def submit(self) -> None:
        """Answer with the range, or say what is wrong with it."""
        try:
            since, until = self._day("since"), self._day("until")
        except ValueError as error:
            self.show_problems([(FORM, str(error))])
            return
        if since and until and since > until:
            self.show_problems([(FORM, "the first day is after the last")])
            return
        self.dismiss((since, until))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
