"""The form that puts a partner on the map, or changes its place: who, which way, what it needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from ictui.errors import InvalidInput
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import RecordForm
from ictui.services import compare as comparing
from ictui.services.compare import FieldChange
from ictui.services.partner_map import (
    NEED_WORDS,
    PartnerDraft,
    SavePartner,
    check_partner,
    name_taken,
    namesake,
)
from ictui.widgets.keys_in_order import InOrderTextArea, NextOnEnterInput
from ictui.widgets.toggle import NextOnEnterToggle, TwoWayToggle

LABELS = {
    "name": "Name",
    "relationship": "Way",
    "kind": "Kind",
    "priority": "Priority",
    "segment": "Segment",
    "needs": "Needs",
    "notes": "Notes",
}
"""The form's fields, in order, as the form and the conflict dialog name them."""

TOGGLES: dict[str, tuple[tuple[str, Any], ...]] = {
    "relationship": (
        ("we serve them", Relationship.CUSTOMER),
        ("they serve us", Relationship.PROVIDER),
        ("both", Relationship.BOTH),
    ),
    "kind": tuple((kind.value, kind) for kind in PartnerKind),
    "priority": tuple((priority.value, priority) for priority in Priority),
}
"""The fields chosen among a few options, and their options as the form shows them."""

PLACEHOLDERS = {
    "name": "a person, team or department: Treasury",
    "segment": "a group of partners with like needs: finance teams",
    "needs": NEED_WORDS,
}


class NeedSuggester(Suggester):
    """Completes the last word typed in the needs field to a need."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        """Return value with its last word completed to a need, if one starts so."""
        head, _, last = value.rpartition(",")
        word = last.strip()
        if not word:
            return None
        for need in Need:
            if need.value.startswith(word) and need.value != word:
                return f"{head}{',' if head else ''}{' ' if head else ''}{need.value}"
        return None


class PartnerForm(RecordForm[Partner, PartnerDraft]):
    """Put a partner on the map, or change its place; dismissed with it as saved, or None."""

    CSS_PATH = "partner_form.tcss"
    AUTO_FOCUS = ""
    FIELDS: ClassVar[tuple[str, ...]] = tuple(LABELS)
    NAME_FIELDS: ClassVar[frozenset[str]] = frozenset({"name"})
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "A partner is a person, team or department the team serves (a customer) or relies "
        "on (a provider), or both. Priority says how much the relationship matters now; "
        "the segment groups partners with like needs; the needs say what they count on the "
        "team for, in words from: " + NEED_WORDS + ". "
        "{field.next} or Tab moves on; {form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self, partner: Partner | None, partners: list[Partner], *, chained: bool = False
    ) -> None:
        super().__init__(partner, chained=chained)
        self.partners = partners
        self.segments = sorted({p.segment for p in partners if p.segment}, key=str.casefold)

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        partner = self.record
        draft = self.draft_of(partner) if partner else PartnerDraft("")
        with Vertical(id="dialog"):
            title = "Add a partner to the map" if partner is None else f"Change {partner.name}"
            yield Label(title, id="title", markup=False)
            for name, label in LABELS.items():
                with Horizontal(classes="row", id=f"{name}-row"):
                    yield Label(label, classes="name")
                    if name in TOGGLES:
                        yield NextOnEnterToggle(TOGGLES[name], getattr(draft, name), id=name)
                    elif name == "notes":
                        yield InOrderTextArea(draft.notes, id=name, compact=True)
                    else:
                        options: dict[str, Any] = {
                            "placeholder": PLACEHOLDERS[name],
                            "id": name,
                            "compact": True,
                        }
                        if name == "needs":
                            options["suggester"] = NeedSuggester()
                        elif name == "segment":  # the segments in use: one spelling each
                            options["suggester"] = SuggestFromList(
                                self.segments, case_sensitive=False
                            )
                        yield NextOnEnterInput(str(getattr(draft, name)), **options)
                yield Static("", id=f"{name}-problem", classes="problem", markup=False)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    @on(Input.Changed, "#name")
    def _follow_name(self, event: Input.Changed) -> None:
        """Say at once when another partner has the name typed: saving would be refused."""
        problem = self.query_one("#name-problem", Static)
        if problem.has_class("-shown") and not problem.has_class("hint"):
            return  # a refusal shown stays until the next save
        name, own = event.value.strip(), (self.record.id if self.record else None)
        live = namesake(self.partners, name, own) if name else None
        archived = namesake(self.partners, name, own, archived=True) if name else None
        hint = ""
        if live is not None:
            hint = f"Partner {live.id} is called {live.name!r} already."
        elif archived is not None:
            hint = "An archived partner has this name: saving brings it back, as given here."
        problem.update(hint)
        problem.set_class(bool(hint), "hint", "-shown")

    # -- the draft, as RecordForm asks for it ------------------------------------------------

    def draft(self) -> PartnerDraft:
        """Return what the form holds now."""

        def typed(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        def chosen(name: str) -> Any:
            return self.query_one(f"#{name}", TwoWayToggle).value

        return PartnerDraft(
            typed("name"),
            relationship=chosen("relationship"),
            kind=chosen("kind"),
            segment=typed("segment"),
            priority=chosen("priority"),
            needs=typed("needs"),
            notes=self.query_one("#notes", TextArea).text,
        )

    def show_draft(self, draft: PartnerDraft) -> None:
        """Put a draft into the fields."""
        for name in ("name", "segment", "needs"):
            self.query_one(f"#{name}", Input).value = getattr(draft, name)
        for name in TOGGLES:
            self.query_one(f"#{name}", TwoWayToggle).value = getattr(draft, name)
        self.query_one("#notes", TextArea).text = draft.notes

    def draft_of(self, record: Partner) -> PartnerDraft:
        """Return a partner as the form holds it."""
        return PartnerDraft.of(record)

    def check(self, draft: PartnerDraft) -> PartnerDraft:
        """Check every field, the name against the partners known; return the draft to write.

        The write checks the name again, under the lock: a colleague may take it meanwhile.
        """
        problems: list[tuple[str, str]] = []
        try:
            check_partner(draft)
        except InvalidInput as error:
            problems = error.problems
        own = self.record.id if self.record else None
        other = namesake(self.partners, draft.name.strip(), own) if draft.name.strip() else None
        if other is not None:
            problems = [*name_taken(other).problems, *problems]
        if problems:
            raise InvalidInput(Partner.LABEL, problems)
        return draft

    def write_for(self, draft: PartnerDraft, *, restore: bool) -> SavePartner:
        """Return the write that adds the partner, or changes the one being edited."""
        partner = self.record
        if partner is None:
            return SavePartner(draft)
        return SavePartner(draft, partner.id, partner.rev, restore, chained=self.chained)

    def comparison(self, theirs: Partner, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return both versions, field by field."""
        now = asdict(self.draft_of(theirs))
        return comparing.compare(
            LABELS,
            now,
            changes,
            their_deleted=theirs.deleted,
            state="On the map",
            gone=Partner.DELETED,
        )

    def prepare(self) -> None:
        """Start a change's notes at their end, where more is written."""
        super().prepare()
        notes = self.query_one("#notes", TextArea)
        notes.move_cursor(notes.document.end)

    def saved(self, result: Partner) -> Partner:
        """Say what was saved; return the partner as saved."""
        if self.record is None and result.rev > 1:
            said = f"Brought back archived partner {result.name}, with what you gave it."
        elif self.record is None:
            said = f"Added {result.name} to the map."
        else:
            said = f"Saved {result.name}."
        self.notify(said, markup=False, timeout=3)
        return result
