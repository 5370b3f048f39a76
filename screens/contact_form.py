"""The form to log a contact point or change one, with problems shown beside each field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import NEW_PARTNER, RecordForm
from ictui.screens.team_app import team_app
from ictui.services.compare import FieldChange
from ictui.services.contacts import (
    CheckedDraft,
    ContactDraft,
    SaveContactPoint,
    Saved,
    changes_between,
    check_draft,
    compare,
    draft_of,
    read_date,
)
from ictui.services.partners import partner_names, partner_news
from ictui.text import fold_case, one_line
from ictui.widgets.keys_in_order import InOrderTextArea, NextOnEnterInput
from ictui.widgets.toggle import TwoWayToggle
from ictui.widgets.verdict import VerdictToggle


class ContactForm(RecordForm[ContactPoint, ContactDraft]):
    """Log a contact point: who with, which way, how it went, when, and why.

    Dismissed with the contact point as saved, or None when nothing was.
    """

    CSS_PATH = "contact_form.tcss"
    AUTO_FOCUS = ""  # the form picks the field: the partner to add, the reason to edit
    FIELDS: ClassVar[tuple[str, ...]] = (
        "partner",
        "direction",
        "verdict",
        "date",
        "why",
        "standard",  # last: optional, and after the reason that typists go straight on to
    )
    DRAFT_OF = "contact point"
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "Type the partner's name (known names complete with →; a new name adds a partner). "
        "Tab, or {field.next} in a one-line field, moves to the next field. "
        "{switch.switch} switches the verdict. The date takes YYYY-MM-DD, or the word today or "
        "yesterday. "
        "Evidence ties the contact point to a standard it shows kept or missed: its number, "
        "or its words completed with →; leave it empty for none. "
        "{form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self,
        point: ContactPoint | None,
        partners: list[Partner],
        *,
        chained: bool = False,
        standards: Mapping[int, str] | None = None,
    ) -> None:
        super().__init__(point, chained=chained)
        self.partners = sorted((p.name for p in partners), key=str.casefold)
        self._known = {fold_case(p.name): p for p in partners}
        self._way_chosen = point is not None  # a person's own choice of way is never overridden
        self.standards = dict(standards or {})
        """The standards a contact point may be evidence for: "Queries answered… (#3)" by id."""

    @property
    def point(self) -> ContactPoint | None:
        """The contact point being changed, at the revision the change starts from; None to add."""
        return self.record

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        point = self.point
        app = team_app(self)
        names = partner_names(app.snapshot) if app.snapshot else {}
        partner = names.get(point.partner_id, "") if point else ""
        direction = point.direction if point else Direction.PROVIDED
        day = point.date if point else app.today()
        with Vertical(id="dialog"):
            title = f"Edit contact point {point.id}" if point else "Log a contact point"
            yield Label(title, id="title")
            with Horizontal(classes="row"):
                yield Label("Partner", classes="name")
                yield NextOnEnterInput(
                    partner,
                    placeholder="who it was with",
                    suggester=SuggestFromList(self.partners, case_sensitive=False),
                    id="partner",
                    compact=True,
                )
            yield Static("", id="partner-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Way", classes="name")
                yield TwoWayToggle(
                    tuple((d.label, d) for d in Direction),
                    direction,
                    id="direction",
                )
            yield Static("", id="direction-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Verdict", classes="name")
                yield VerdictToggle(point.verdict if point else Verdict.SUCCESS, id="verdict")
            yield Static("", id="verdict-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Date", classes="name")
                yield NextOnEnterInput(
                    day.isoformat(), placeholder="YYYY-MM-DD", id="date", compact=True
                )
            yield Static("", id="date-problem", classes="problem", markup=False)
            with Horizontal(classes="row", id="why-row"):
                yield Label("Why", classes="name")
                yield InOrderTextArea(point.why if point else "", id="why", compact=True)
            yield Static("", id="why-problem", classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Label("Evidence", classes="name")
                cited = point.standard_id if point else None
                yield NextOnEnterInput(
                    self.standards.get(cited, f"#{cited}") if cited else "",
                    placeholder="for a standard: its number or words (→ completes), or empty",
                    suggester=SuggestFromList(self.standards.values(), case_sensitive=False),
                    id="standard",
                    compact=True,
                )
            yield Static("", id="standard-problem", classes="problem", markup=False)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)  # this form's keys, not those of the screen beneath

    def put_typed_values(self, values: Mapping[str, str]) -> None:
        """Put a draft's texts back; its way, as it was, is not followed from the partner again."""
        super().put_typed_values(values)
        self._way_chosen = True

    def start_field(self) -> int:
        """Start in the partner field when adding, in the reason when editing."""
        return self.FIELDS.index("why" if self.point else "partner")

    def prepare(self) -> None:
        """Put the cursor at the end of the reason, to add to it: the usual edit."""
        super().prepare()
        why = self.query_one("#why", TextArea)
        why.move_cursor(why.document.end)

    @on(TwoWayToggle.Toggled, "#direction")
    def _way_chosen_by_hand(self) -> None:
        self._way_chosen = True

    @on(Input.Changed, "#partner")
    def _follow_partner(self, event: Input.Changed) -> None:
        name = event.value.strip()
        known = self._known.get(fold_case(name))
        hint = ""
        if known is not None and not self._way_chosen:
            way = self.query_one("#direction", TwoWayToggle)
            usual = (
                Direction.RECEIVED
                if known.relationship is Relationship.PROVIDER
                else Direction.PROVIDED
            )
            if way.value is not usual:  # said, so that a quick typist sees the switch move
                way.value = usual
                hint = f"Way set to “{usual.label}”, as usual with {one_line(known.name)}."
        if known is None and name:
            hint = self.unknown_partner_hint(name)
            offered = self._offered_partner(event.value) if hint == NEW_PARTNER else None
            if offered is not None:
                # A name half typed is more often a known partner than a new one.
                hint = f"A new partner, or press → for “{offered}”."
        problem = self.query_one("#partner-problem", Static)
        problem.update(hint)
        problem.set_class(bool(hint), "hint", "-shown")

    def _offered_partner(self, typed: str) -> str | None:
        """Return the known partner the field offers to complete typed to, as its suggester does."""
        start = typed.casefold()
        return next((name for name in self.partners if name.casefold().startswith(start)), None)

    # -- the draft, as RecordForm asks for it ------------------------------------------------

    def draft(self) -> ContactDraft:
        """Return what the form holds now."""
        return ContactDraft(
            partner=self.query_one("#partner", Input).value,
            date=read_date(self.query_one("#date", Input).value, team_app(self).today()),
            direction=self.query_one("#direction", TwoWayToggle).value,
            verdict=self.query_one(VerdictToggle).verdict,
            why=self.query_one("#why", TextArea).text,
            standard=self._cited(),
        )

    def _cited(self) -> int | None:
        """Return the id of the standard the evidence field names; None if empty or unknown."""
        typed = self.query_one("#standard", Input).value.strip()
        if not typed:
            return None
        numbered = re.fullmatch(r"(?:.*\(#(\d+)\)|#?(\d+))", typed)
        if numbered is not None:
            return int(numbered[1] or numbered[2])  # checked to exist when written
        key = fold_case(typed)
        named = (i for i, shown in self.standards.items() if fold_case(shown) == key)
        sentence = (
            i for i, shown in self.standards.items() if fold_case(shown.rpartition(" (#")[0]) == key
        )
        return next(named, next(sentence, None))

    def show_draft(self, draft: ContactDraft) -> None:
        """Put a draft into the fields: the partner by name, the date as written."""
        self.query_one("#partner", Input).value = draft.partner
        self.query_one("#direction", TwoWayToggle).value = draft.direction
        self.query_one(VerdictToggle).value = draft.verdict
        day = draft.date
        self.query_one("#date", Input).value = day if isinstance(day, str) else day.isoformat()
        self.query_one("#why", TextArea).text = draft.why
        cited = draft.standard
        standard = self.query_one("#standard", Input)
        standard.value = self.standards.get(cited, f"#{cited}") if cited else ""

    def draft_of(self, record: ContactPoint) -> ContactDraft:
        """Return a contact point as the form holds it: its partner by name."""
        snapshot = team_app(self).snapshot
        names = partner_names(snapshot) if snapshot else {}
        return draft_of(record, names.get(record.partner_id, ""))

    def check(self, draft: ContactDraft) -> CheckedDraft:
        """Check every field (the partner by name) without touching the team file."""
        kept_day = self.point.date if self.point is not None else None
        typed = self.query_one("#standard", Input).value.strip()
        if typed and draft.standard is None:
            raise InvalidInput(
                ContactPoint.LABEL,
                [
                    (
                        "standard",
                        f"no standard reads “{typed}”: complete it with →, or empty it",
                    )
                ],
            )
        return check_draft(draft, team_app(self).today(), kept_day=kept_day)

    def write_for(self, draft: ContactDraft | CheckedDraft, *, restore: bool) -> SaveContactPoint:
        """Return the write that logs the contact point, or changes the one being edited."""
        point = self.point
        if point is None:
            return SaveContactPoint(draft)
        return SaveContactPoint(draft, point.id, point.rev, restore, chained=self.chained)

    def changes(self, before: ContactDraft, after: ContactDraft) -> dict[str, Any]:
        """Return the fields changed (the partner's name in any case is no change)."""
        return changes_between(before, after)

    def comparison(self, theirs: ContactPoint, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return both versions, field by field, the partner by name."""
        return compare(theirs, self.draft_of(theirs).partner, dict(changes))

    def saved(self, result: Saved) -> ContactPoint:
        """Say when a new partner was added for the contact point; return the point."""
        if result.new_partner is not None:
            self.notify(partner_news(result.new_partner), markup=False, timeout=3)
        if result.archived_partner is not None:
            name = one_line(result.archived_partner.name)
            self.notify(
                f"Archived partner {name}: no record names it now. The palette's Unarchive "
                "partner brings it back.",
                markup=False,
                timeout=6,
            )
        return result.point
