"""The form that plans an interview with a partner, or changes when and with whom it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.errors import InvalidInput
from ictui.kinds.interview import Interview
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import InterviewStatus
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import NEW_PARTNER, RecordForm
from ictui.screens.team_app import team_app
from ictui.services import compare as comparing
from ictui.services.compare import FieldChange
from ictui.services.contacts import read_date
from ictui.services.interviews import PlanDraft, Planned, SavePlan, check_plan
from ictui.services.partners import partner_names, partner_news
from ictui.text import fold_case
from ictui.widgets.keys_in_order import InOrderInput, NextOnEnterInput

LABELS = {
    "partner": "Partner",
    "planned_on": "Date",
    "planned_time": "Time",
    "minutes": "Minutes",
    "interviewers": "Interviewers",
}
"""The plan's fields, in order, as the form and the conflict dialog name them."""


class PlanForm(RecordForm[Interview, PlanDraft]):
    """Plan an interview: with whom, when, for how long, and who asks the questions.

    Dismissed with the interview as saved, or None when nothing was.
    """

    CSS_PATH = "plan_form.tcss"
    AUTO_FOCUS = ""
    ENTER_SUBMITS = True
    FIELDS: ClassVar[tuple[str, ...]] = tuple(LABELS)
    DRAFT_OF = "interview plan"
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "Type the partner's name (known names complete with →; a new name adds a partner). "
        "{field.next} or Tab moves to the next field; Enter in the last one saves. "
        "The date takes YYYY-MM-DD, or the word today or tomorrow; the time HH:MM. "
        "The worksheet's questions and the checklist come with the interview. "
        "{form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self, interview: Interview | None, partners: list[Partner], *, chained: bool = False
    ) -> None:
        super().__init__(interview, chained=chained)
        self.partners = sorted((p.name for p in partners), key=str.casefold)
        self._known = {fold_case(p.name) for p in partners}

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        interview = self.record
        app = team_app(self)
        draft = (
            self.draft_of(interview)
            if interview
            # As on the command line: the one planning it asks the questions, unless changed.
            else PlanDraft(
                "", app.today() + dt.timedelta(days=1), interviewers=app.store.author.display
            )
        )
        placeholders = {
            "partner": "who you will talk with",
            "planned_on": "YYYY-MM-DD",
            "planned_time": "HH:MM",
            "minutes": "how long, e.g. 45",
            "interviewers": "who asks the questions",
        }
        with Vertical(id="dialog"):
            title = (
                f"Change the plan of interview {interview.id}" if interview else "Plan an interview"
            )
            yield Label(title, id="title")
            for name, label in LABELS.items():
                with Horizontal(classes="row"):
                    yield Label(label, classes="name")
                    options: dict[str, Any] = {
                        "placeholder": placeholders[name],
                        "id": name,
                        "compact": True,
                    }
                    if name == "partner":
                        options["suggester"] = SuggestFromList(self.partners, case_sensitive=False)
                    # Minutes: neither type="integer" (it dropped the point of "7.5" and
                    # kept 75) nor a max_length (it cut 100000 to 1000): what is typed is
                    # what is judged, and refused by name when saved.
                    value = _shown(getattr(draft, name))
                    last = name == self.FIELDS[-1]
                    yield (InOrderInput if last else NextOnEnterInput)(value, **options)
                yield Static("", id=f"{name}-problem", classes="problem", markup=False)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    @on(Input.Submitted, "#interviewers")
    def _enter_in_the_last_field(self) -> None:
        self.action_save()

    @on(Input.Changed, "#partner")
    def _follow_partner(self, event: Input.Changed) -> None:
        name = event.value.strip()
        is_new = bool(name) and fold_case(name) not in self._known
        hint = self.unknown_partner_hint(name) if is_new else ""
        start = event.value.casefold()
        offered = next((n for n in self.partners if n.casefold().startswith(start)), None)
        if hint == NEW_PARTNER and offered is not None:
            # A name half typed is more often a known partner than a new one.
            hint = f"A new partner, or press → for “{offered}”."
        self._hint("partner", hint)

    @on(Input.Changed, "#planned_on")
    def _follow_day(self, event: Input.Changed) -> None:
        today = team_app(self).today()
        day = read_date(event.value, today)
        held = self.record is not None and self.record.status is not InterviewStatus.PLANNED
        passed = isinstance(day, dt.date) and day < today and not held  # held: a day gone by
        hint = (
            f"{day:%A %-d %B %Y} has passed. Held already? Save the plan, then mark it Held."
            if passed
            else ""
        )
        self._hint("planned_on", hint)

    def _hint(self, name: str, hint: str) -> None:
        """Say hint under a field (empty: none), unless a problem with its value is said there."""
        problem = self.query_one(f"#{name}-problem", Static)
        if not problem.has_class("-shown") or problem.has_class("hint"):
            problem.update(hint)
            problem.set_class(bool(hint), "hint", "-shown")

    # -- the draft, as RecordForm asks for it ------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def draft(self) -> PlanDraft:
        """Return what the form holds now."""
        minutes = self._value("minutes").strip()
        return PlanDraft(
            partner=self._value("partner"),
            planned_on=read_date(self._value("planned_on"), team_app(self).today()),
            planned_time=self._value("planned_time").strip(),
            # Anything typed reaches the check, to be refused by name: -5 is no length.
            minutes=int(minutes) if minutes.lstrip("+-").isdigit() else (minutes or None),
            interviewers=self._value("interviewers"),
        )

    def show_draft(self, draft: PlanDraft) -> None:
        """Put a draft into the fields."""
        for name in LABELS:
            self.query_one(f"#{name}", Input).value = _shown(getattr(draft, name))

    def draft_of(self, record: Interview) -> PlanDraft:
        """Return an interview's plan as the form holds it: its partner by name."""
        snapshot = team_app(self).snapshot
        names = partner_names(snapshot) if snapshot else {}
        return PlanDraft(
            names.get(record.partner_id, ""),
            record.planned_on,
            record.planned_time,
            record.minutes,
            record.interviewers,
        )

    def check(self, draft: PlanDraft) -> PlanDraft:
        """Check every field without touching the team file; return the draft to write."""
        try:
            check_plan(
                draft.partner,
                draft.planned_on,
                draft.planned_time,
                draft.interviewers,
                minutes=draft.minutes,
            )
        except InvalidInput as error:
            # The form takes words for a day too: its refusal says so, as its help does.
            words = ", or the word today or tomorrow"
            problems = [
                (name, message + words if message.endswith("written YYYY-MM-DD") else message)
                for name, message in error.problems
            ]
            raise InvalidInput(error.label, problems) from None
        return draft

    def write_for(self, draft: PlanDraft, *, restore: bool) -> SavePlan:
        """Return the write that plans the interview, or changes the plan being edited."""
        interview = self.record
        if interview is None:
            return SavePlan(draft)
        return SavePlan(draft, interview.id, interview.rev, restore, chained=self.chained)

    def comparison(self, theirs: Interview, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return both versions, field by field, the partner by name."""
        now = asdict(self.draft_of(theirs))
        return comparing.compare(LABELS, now, changes, their_deleted=theirs.deleted)

    def saved(self, result: Planned) -> Interview:
        """Say when a new partner was added for the interview; return the interview."""
        if result.new_partner is not None:
            self.notify(partner_news(result.new_partner), markup=False, timeout=3)
        return result.interview


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
