"""The form that checks a standard in for one period: met, not met or not measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.kinds.period import EXAMPLES
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import read_target
from ictui.kinds.vocab import CheckInResult
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import RecordForm
from ictui.services.compare import FieldChange
from ictui.services.standards import CheckedIn, CheckInDraft, SaveCheckIn
from ictui.text import one_line
from ictui.widgets.keys_in_order import InOrderInput, NextOnEnterInput
from ictui.widgets.toggle import TwoWayToggle

LABELS = {
    "period": "Period",
    "result": "Result",
    "value": "Measured",
    "note": "Note",
    "checked_by": "Checked by",
}
"""The form's fields, in order."""
RESULTS = tuple((f"{r.symbol} {r.label}", r) for r in CheckInResult)


class CheckInForm(RecordForm[CheckIn, CheckInDraft]):
    """Check one standard in for a period; a check-in already there for it is replaced.

    Dismissed with the check-in as saved, or None when nothing was.
    """

    CSS_PATH = "check_in_form.tcss"
    AUTO_FOCUS = ""
    ENTER_SUBMITS = True
    FIELDS: ClassVar[tuple[str, ...]] = tuple(LABELS)
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "Say whether the standard was kept in the period: met, not met, or not measured. "
        "The measured value, where there is one, is judged against the target as you type "
        "and sets the result (you can still change it). A second check-in for the same "
        "period replaces the first; the first stays in its history. "
        "{form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self, standard: Standard, period: str, checked_by: str, earlier: CheckIn | None
    ) -> None:
        super().__init__(None)
        self.standard = standard
        self.start = CheckInDraft(
            standard.id,
            earlier.result if earlier else CheckInResult.MET,
            period,
            earlier.value if earlier else "",
            earlier.note if earlier else "",
            checked_by,
        )
        self._result_chosen = earlier is not None  # a result said by a person is not overruled
        self.earlier = earlier

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        standard = self.standard
        target = read_target(standard.target)
        with Vertical(id="dialog"):
            yield Label(f"Check in {self.start.period}", id="title")
            yield Static(one_line(standard.standard), id="standard", markup=False)
            said = f"Target: {target}" if target else "No target that can be checked yet"
            yield Static(f"{said} · checked {standard.cadence.value}", id="target", markup=False)
            placeholders = {
                "period": EXAMPLES[standard.cadence],
                "value": target.asks_for if target else "what was measured, if anything",
                "note": "what explains it, if anything",
                "checked_by": "who checked",
            }
            for name, label in LABELS.items():
                with Horizontal(classes="row"):
                    yield Label(label, classes="name")
                    if name == "result":
                        yield TwoWayToggle(RESULTS, self.start.result, id=name)
                    else:
                        field = InOrderInput if name == self.FIELDS[-1] else NextOnEnterInput
                        yield field(
                            str(getattr(self.start, name)),
                            placeholder=placeholders[name],
                            id=name,
                            compact=True,
                        )
                yield Static("", id=f"{name}-problem", classes="problem", markup=False)
            if self.earlier is not None:
                yield Static(
                    f"{self.earlier.period} has a check-in ({self.earlier.result.label}): "
                    "saving replaces it.",
                    id="replacing",
                    markup=False,
                )
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def start_field(self) -> int:
        """Start in the measured value when the target can judge it, else in the result."""
        return self.FIELDS.index("value" if read_target(self.standard.target) else "result")

    @on(Input.Submitted, "#checked_by")
    def _enter_in_the_last_field(self) -> None:
        self.action_save()

    @on(TwoWayToggle.Toggled, "#result")
    def _result_said(self) -> None:
        self._result_chosen = True

    @on(Input.Changed, "#value")
    def _judge_value(self, event: Input.Changed) -> None:
        target = read_target(self.standard.target)
        verdict = target.judge(event.value) if target and event.value.strip() else None
        hint = ""
        if verdict is not None:
            hint = f"{'Meets' if verdict else 'Misses'} the target, {target}."
            if not self._result_chosen:
                toggle = self.query_one("#result", TwoWayToggle)
                toggle.value = CheckInResult.MET if verdict else CheckInResult.NOT_MET
        elif target is not None and event.value.strip():
            hint = f"Not read as {target.asks_for}: say the result yourself."
        problem = self.query_one("#value-problem", Static)
        if not problem.has_class("-shown") or problem.has_class("hint"):
            problem.update(hint)
            problem.set_class(bool(hint), "hint", "-shown")

    # -- the draft, as RecordForm asks for it ------------------------------------------------

    def draft(self) -> CheckInDraft:
        """Return what the form holds now."""
        return CheckInDraft(
            self.standard.id,
            self.query_one("#result", TwoWayToggle).value,
            self.query_one("#period", Input).value,
            self.query_one("#value", Input).value,
            self.query_one("#note", Input).value,
            self.query_one("#checked_by", Input).value,
        )

    def show_draft(self, draft: CheckInDraft) -> None:
        """Put a draft into the fields."""
        self.query_one("#result", TwoWayToggle).value = draft.result
        for name in ("period", "value", "note", "checked_by"):
            self.query_one(f"#{name}", Input).value = str(getattr(draft, name))

    def draft_of(self, record: CheckIn) -> CheckInDraft:
        """Return a check-in as the form holds it."""
        return CheckInDraft(
            record.standard_id,
            record.result,
            record.period,
            record.value,
            record.note,
            record.checked_by,
        )

    def check(self, draft: CheckInDraft) -> CheckInDraft:
        """Leave the checks to the write, which knows the standard as the team file has it."""
        return draft

    def write_for(self, draft: CheckInDraft, *, restore: bool) -> SaveCheckIn:
        """Return the write that checks the standard in."""
        return SaveCheckIn(draft)

    def changes(self, before: CheckInDraft, after: CheckInDraft) -> dict[str, Any]:
        """Return the fields changed."""
        old, new = asdict(before), asdict(after)
        return {name: value for name, value in new.items() if old[name] != value}

    def merged(self, theirs: CheckInDraft, changes: Mapping[str, Any]) -> CheckInDraft:
        """Return their version with your changed fields on top."""
        return replace(theirs, **changes)

    def comparison(self, theirs: CheckIn, changes: Mapping[str, Any]) -> list[FieldChange]:
        """A check-in replaces the one for its period: it never meets a conflict."""
        return []

    def saved(self, result: CheckedIn) -> CheckIn:
        """Say what was checked in, and what it replaced."""
        check_in = result.check_in
        said = f"Checked in {result.period.describe()}: {check_in.result.label}"
        if result.replaced is not None:
            said += f" (was {result.replaced.result.label})"
        self.notify(said + ".", markup=False, timeout=4)
        return check_in
