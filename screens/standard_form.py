"""The form that writes down a standard or a partnering rule with a partner, or changes one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.kinds.partner import Partner
from ictui.kinds.standard import Standard
from ictui.kinds.target import TARGET_EXAMPLES, read_target, target_hint
from ictui.kinds.vocab import Cadence, Side
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import RecordForm
from ictui.screens.team_app import team_app
from ictui.services import compare as comparing
from ictui.services.compare import FieldChange
from ictui.services.partners import partner_names, partner_news
from ictui.services.standards import (
    DRAFT_FIELDS,
    Saved,
    SaveStandard,
    StandardDraft,
    check_standard,
)
from ictui.text import fold_case
from ictui.widgets.keys_in_order import InOrderInput, NextOnEnterInput
from ictui.widgets.toggle import TwoWayToggle

LABELS = {
    "partner": "Partner",
    "side": "Whose",
    "standard": "Standard",
    "measure": "Counts",
    "target": "Target",
    "measured_how": "Measured",
    "cadence": "Checked",
    "owner": "Owner",
    "agreed_with": "Agreed with",
}
"""The form's fields, in order, as the form and the conflict dialog name them."""

PLACEHOLDERS = {
    "partner": "who it is agreed with",
    "standard": "in one sentence: Payroll queries answered within 2 working days",
    "measure": "what is counted: working days from query to answer",
    "target": TARGET_EXAMPLES,
    "measured_how": "how and where: the helpdesk report",
    "owner": "who on our side sees to it",
    "agreed_with": "names on the partner's side",
}
SIDES = (("we promise", Side.OURS), ("they promise", Side.THEIRS))
CADENCES = tuple((cadence.value, cadence) for cadence in Cadence)


class StandardForm(RecordForm[Standard, StandardDraft]):
    """Write down a standard (our promise) or a partnering rule (theirs), with its measure.

    Dismissed with the standard as saved, or None when nothing was.
    """

    CSS_PATH = "standard_form.tcss"
    AUTO_FOCUS = ""
    ENTER_SUBMITS = True
    FIELDS: ClassVar[tuple[str, ...]] = tuple(LABELS)
    DRAFT_OF = "standard"
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "A standard is what the team promises a partner; a partnering rule what the partner "
        "promises the team so it can serve them. Write it in one sentence, then say how you "
        "will know it is kept: what is counted, and a target that can be checked (a number "
        "with a comparison and a unit, a time, a date, or yes: and what is done). "
        "Checked says how often: each week, month or quarter gets a check-in. "
        "{field.next} or Tab moves on; Enter in the last field saves. "
        "{form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self,
        standard: Standard | None,
        partners: list[Partner],
        *,
        chained: bool = False,
        side: Side = Side.OURS,
    ) -> None:
        super().__init__(standard, chained=chained)
        self.partners = sorted((p.name for p in partners), key=str.casefold)
        self._known = {fold_case(p.name) for p in partners}
        self._side = side

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        standard = self.record
        draft = self.draft_of(standard) if standard else StandardDraft("", "", side=self._side)
        with Vertical(id="dialog"):
            if standard is None:
                title = "Write down a standard or a partnering rule"
            else:
                title = f"Change {standard.side.label} {standard.id}"
            yield Label(title, id="title")
            for name, label in LABELS.items():
                with Horizontal(classes="row"):
                    yield Label(label, classes="name")
                    if name == "side":
                        yield TwoWayToggle(SIDES, draft.side, id=name)
                    elif name == "cadence":
                        yield TwoWayToggle(CADENCES, draft.cadence, id=name)
                    else:
                        options: dict[str, Any] = {
                            "placeholder": PLACEHOLDERS[name],
                            "id": name,
                            "compact": True,
                        }
                        if name == "partner":
                            options["suggester"] = SuggestFromList(
                                self.partners, case_sensitive=False
                            )
                        last = name == self.FIELDS[-1]
                        value = str(getattr(draft, name))
                        yield (InOrderInput if last else NextOnEnterInput)(value, **options)
                yield Static("", id=f"{name}-problem", classes="problem", markup=False)
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    @on(Input.Submitted, "#agreed_with")
    def _enter_in_the_last_field(self) -> None:
        self.action_save()

    @on(Input.Changed, "#partner")
    def _follow_partner(self, event: Input.Changed) -> None:
        name = event.value.strip()
        is_new = bool(name) and fold_case(name) not in self._known
        self._hint("partner", self.unknown_partner_hint(name) if is_new else "")

    @on(Input.Changed, "#target")
    def _follow_target(self, event: Input.Changed) -> None:
        target = read_target(event.value)
        if target is not None:
            self._hint("target", f"Checked as {target}: a check-in gives {target.asks_for}.")
        else:
            self._hint("target", target_hint(event.value))

    @on(TwoWayToggle.Toggled, "#cadence")
    def _follow_cadence(self, event: TwoWayToggle.Toggled) -> None:
        """Say what a new cadence does to the check-ins made so far (they stay as they were)."""
        before, now = (self.record.cadence if self.record else None), event.value
        hint = ""
        if before is not None and isinstance(now, Cadence) and now is not before:
            hint = (
                f"Its {before.value} check-ins stay; each counts for the {now.period_name} "
                f"its {before.period_name} ended in, so how it stands starts nearly afresh."
            )
        self._hint("cadence", hint)

    def _hint(self, field: str, hint: str) -> None:
        problem = self.query_one(f"#{field}-problem", Static)
        if not problem.has_class("-shown") or problem.has_class("hint"):
            problem.update(hint)
            problem.remove_class("-typed")
            problem.set_class(bool(hint), "hint", "-shown")

    # -- the draft, as RecordForm asks for it ------------------------------------------------

    def draft(self) -> StandardDraft:
        """Return what the form holds now; what the form does not show is kept as it was."""
        kept = self.draft_of(self.record) if self.record else StandardDraft("", "")
        typed: dict[str, Any] = {
            name: self.query_one(f"#{name}", Input).value
            for name in LABELS
            if name not in ("side", "cadence")
        }
        return replace(
            kept,
            **typed,
            side=self.query_one("#side", TwoWayToggle).value,
            cadence=self.query_one("#cadence", TwoWayToggle).value,
        )

    def show_draft(self, draft: StandardDraft) -> None:
        """Put a draft into the fields."""
        for name in LABELS:
            if name in ("side", "cadence"):
                self.query_one(f"#{name}", TwoWayToggle).value = getattr(draft, name)
            else:
                self.query_one(f"#{name}", Input).value = str(getattr(draft, name))

    def draft_of(self, record: Standard) -> StandardDraft:
        """Return a standard as the form holds it: its partner by name."""
        snapshot = team_app(self).snapshot
        names = partner_names(snapshot) if snapshot else {}
        values = {name: getattr(record, name) for name in DRAFT_FIELDS}
        return StandardDraft(names.get(record.partner_id, ""), **values)

    def check(self, draft: StandardDraft) -> StandardDraft:
        """Check every field without touching the team file; return the draft to write."""
        check_standard(draft)
        return draft

    def write_for(self, draft: StandardDraft, *, restore: bool) -> SaveStandard:
        """Return the write that adds the standard, or changes the one being edited."""
        standard = self.record
        if standard is None:
            return SaveStandard(draft)
        return SaveStandard(draft, standard.id, standard.rev, restore, chained=self.chained)

    def comparison(self, theirs: Standard, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return both versions, field by field, the partner by name."""
        now = asdict(self.draft_of(theirs))
        return comparing.compare(LABELS, now, changes, their_deleted=theirs.deleted)

    def saved(self, result: Saved) -> Standard:
        """Say when a new partner was added for the standard; return the standard."""
        if result.new_partner is not None:
            self.notify(partner_news(result.new_partner), markup=False, timeout=3)
        return result.standard
