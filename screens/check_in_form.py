"""The form that checks a standard in for one period: met, not met or not measured."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from typing import Any, ClassVar, Final

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from ictui.errors import InvalidInput
from ictui.kinds.period import EXAMPLES, Period, period_of, read_period
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import read_target
from ictui.kinds.vocab import CheckInResult
from ictui.screens.form import SAVE_KEYS
from ictui.screens.record_form import RecordForm
from ictui.screens.team_app import team_app
from ictui.services import compare as comparing
from ictui.services.compare import FieldChange
from ictui.services.standards import CheckedIn, CheckInDraft, SaveCheckIn, not_over
from ictui.text import one_line
from ictui.user.drafts import Draft
from ictui.widgets.keys_in_order import InOrderInput, NextOnEnterInput, tabbed_into
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


_NOT_JUDGED: Final = object()
"""The form's result was not set by judging the value (see CheckInForm._judge_value)."""


class CheckInForm(RecordForm[CheckIn, CheckInDraft]):
    """Check one standard in for a period; a check-in already there for it is replaced.

    Dismissed with the check-in as saved, or None when nothing was.
    """

    CSS_PATH = "check_in_form.tcss"
    AUTO_FOCUS = ""
    ENTER_SUBMITS = True
    FIELDS: ClassVar[tuple[str, ...]] = tuple(LABELS)
    DRAFT_OF = "check-in"
    BINDINGS: ClassVar[list[BindingType]] = SAVE_KEYS
    HELP = (
        "Say whether the standard was kept in the period: met, not met, or not measured. "
        "None is chosen until you say it or a measured value does: the value, where there "
        "is one, is judged against the target as you type and sets the result (you can "
        "still change it). A period not over yet can be checked in early; the form says so. "
        "A second check-in for the same period replaces the first; the first stays in its "
        "history. "
        "{form.save} saves; {form.cancel} closes without saving."
    )

    def __init__(
        self,
        standard: Standard,
        period: str,
        checked_by: str,
        earlier_for: Callable[[str], CheckIn | None],
    ) -> None:
        """earlier_for: the check-in already there for a period (as written), if any."""
        earlier = earlier_for(period)
        super().__init__(earlier)  # the record replaced: seen at its revision, or a conflict
        self.standard = standard
        self.earlier_for = earlier_for
        self.start = self._draft_for(period, earlier, checked_by)
        self._result_chosen = False  # a result said by a person is not overruled
        # The result before the value judged it, put back when the value can no longer be
        # judged ("12" met, "120" no percentage); _NOT_JUDGED while the value set none.
        self._before_judging: Any = _NOT_JUDGED
        self._prefilled = self.start.value  # the value as it came, not typed

    def _draft_for(self, period: str, earlier: CheckIn | None, checked_by: str) -> CheckInDraft:
        return CheckInDraft(
            self.standard.id,
            # None: a result no one said is not put in their mouth.
            earlier.result if earlier else None,
            period,
            earlier.value if earlier else "",
            earlier.note if earlier else "",
            checked_by,
        )

    def compose(self) -> ComposeResult:
        """Lay out the fields, each with a line for its problem."""
        standard = self.standard
        target = read_target(standard.target)
        with Vertical(id="dialog"):
            yield Label(f"Check in {self.start.period}", id="title", markup=False)
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
            replacing = self._replacing(self.record)
            yield Static(
                replacing, id="replacing", markup=False, classes="" if replacing else "-empty"
            )
            yield Static("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def prepare(self) -> None:
        """Say if the period the form opens on is not over yet; select a value there already.

        A value that came with the period's check-in is typed over, as a field
        tabbed into is: typed after, it read "96 %97".
        """
        super().prepare()
        period = read_period(self.start.period)
        if period is not None and period.cadence is self.standard.cadence:
            self._say_if_early(period)
        if self.start.value and self.FIELDS[self.start_field()] == "value":
            tabbed_into(self.query_one("#value", Input))

    def start_field(self) -> int:
        """Start in the measured value when the target can judge it, else in the result."""
        return self.FIELDS.index("value" if read_target(self.standard.target) else "result")

    @on(Input.Submitted, "#checked_by")
    def _enter_in_the_last_field(self) -> None:
        self.action_save()

    @staticmethod
    def _replacing(earlier: CheckIn | None) -> str:
        if earlier is None:
            return ""
        return f"{earlier.period} has a check-in ({earlier.result.label}): saving replaces it."

    @on(TwoWayToggle.Toggled, "#result")
    def _result_said(self) -> None:
        self._result_chosen = True

    @on(Input.Changed, "#period")
    def _follow_period(self, event: Input.Changed) -> None:
        """Another period: say what is there for it, and bring its values if none were typed."""
        period = read_period(event.value)
        if period is None or period.cadence is not self.standard.cadence:
            return  # refused, in its words, on saving
        self._say_if_early(period)
        written = str(period)
        self.query_one("#title", Label).update(f"Check in {written}")
        earlier = self.earlier_for(written)
        if (earlier and earlier.id) == (self.record and self.record.id):
            return
        self.record = earlier
        replacing = self.query_one("#replacing", Static)
        replacing.update(self._replacing(earlier))
        replacing.set_class(earlier is None, "-empty")  # no blank line where there is nothing
        value = self.query_one("#value", Input)
        if value.value == self._prefilled:  # nothing typed over what came with the period
            fresh = self._draft_for(written, earlier, self.query_one("#checked_by", Input).value)
            self._prefilled = fresh.value
            value.value = fresh.value
            self.query_one("#note", Input).value = fresh.note
            if not self._result_chosen:
                self.query_one("#result", TwoWayToggle).value = fresh.result
                self._before_judging = _NOT_JUDGED

    def _say_if_early(self, period: Period) -> None:
        """Say under the period that it is not over yet, if so; what was said of it is old."""
        today = team_app(self).today()
        begun = period <= period_of(today, period.cadence)
        early = not_over(period, today) if begun else ""
        line = self.query_one("#period-problem", Static)
        # One not begun yet keeps the problem said on saving, and is refused again on saving.
        if begun or line.has_class("hint"):
            line.update(early)
            line.set_class(bool(early), "hint", "-shown")

    @on(Input.Changed, "#value")
    def _judge_value(self, event: Input.Changed) -> None:
        target = read_target(self.standard.target)
        verdict = target.judge(event.value) if target and event.value.strip() else None
        # Typed over the value that came with the period, unreadable: the result that came
        # with the old value follows from nothing now, and is not put in anyone's mouth.
        unread = (
            verdict is None
            and target is not None
            and bool(event.value.strip())
            and event.value != self._prefilled
        )
        hint = ""
        toggle = self.query_one("#result", TwoWayToggle)
        if verdict is not None:
            hint = f"{'Meets' if verdict else 'Misses'} the target, {target}."
        if not self._result_chosen and (verdict is not None or unread):
            if self._before_judging is _NOT_JUDGED:
                self._before_judging = toggle.value
            if verdict is None:
                toggle.value = None
            else:
                toggle.value = CheckInResult.MET if verdict else CheckInResult.NOT_MET
        elif not self._result_chosen and self._before_judging is not _NOT_JUDGED:
            toggle.value = self._before_judging  # judged from what was typed so far: no more
            self._before_judging = _NOT_JUDGED
        if verdict is None and target is not None and event.value.strip():
            # A number in a unit of its own is refused on saving, whatever the result.
            hint = target.value_problem(event.value) or (
                f"Not read as {target.asks_for}: say the result yourself."
            )
        problem = self.query_one("#value-problem", Static)
        if not problem.has_class("-shown") or problem.has_class("hint"):
            problem.update(hint)
            problem.set_class(bool(hint), "hint", "-shown")

    # -- a draft kept when the app must leave ------------------------------------------------

    def draft_to_keep(self) -> Draft | None:
        """Return the typing to keep, on its standard: the check-in may not exist yet."""
        draft = super().draft_to_keep()
        if draft is None:
            return None
        # The revision of the period's check-in seen: one saved since meets the draft as a conflict.
        seen = self.record.rev if self.record is not None else None
        return replace(draft, record_id=self.standard.id, on_record="standard", rev=seen)

    def put_typed_values(self, values: Mapping[str, str]) -> None:
        """Put a draft's texts back; a result unlike its value's verdict was a person's."""
        super().put_typed_values(values)
        target = read_target(self.standard.target)
        value = self.query_one("#value", Input).value.strip()
        verdict = target.judge(value) if target and value else None
        result = self.query_one("#result", TwoWayToggle).value
        if verdict is not None and result is not (
            CheckInResult.MET if verdict else CheckInResult.NOT_MET
        ):
            self._result_chosen = True  # the value's verdict must not overrule it again

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
        """Refuse a value the target cannot judge with no result said; the write checks the rest.

        A number in a unit the target cannot take is refused even with the result said.
        """
        target = read_target(self.standard.target)
        value = draft.value.strip()
        problem = target.value_problem(value) if target else ""
        if problem:
            raise InvalidInput(CheckIn.LABEL, [("value", problem)])
        # A value that came with the period's check-in came with its result, said then.
        said = self._result_chosen or (draft.value == self._prefilled and draft.result is not None)
        if target and value and target.judge(value) is None and not said:
            raise InvalidInput(
                CheckIn.LABEL,
                [("result", f"say it: “{value[:40]}” does not read as {target.asks_for}")],
            )
        return draft

    def write_for(self, draft: CheckInDraft, *, restore: bool) -> SaveCheckIn:
        """Return the write that checks the standard in, over the check-in seen (if any)."""
        seen = self.record.rev if self.record is not None else 0
        return SaveCheckIn(draft, expected_rev=seen)

    def changes(self, before: CheckInDraft, after: CheckInDraft) -> dict[str, Any]:
        """Return the fields changed; who checked, and the note, go with a result or value changed.

        A measurement kept over a colleague's is the person's who made it: with
        only the fields typed over, "Keep mine" wrote her value as checked by him.
        """
        old, new = asdict(before), asdict(after)
        changed = {name: value for name, value in new.items() if old[name] != value}
        if "result" in changed or "value" in changed:
            # Who measured it and the note that explains it go with the measurement.
            changed["checked_by"] = new["checked_by"]
            changed["note"] = new["note"]
        return changed

    def comparison(self, theirs: CheckIn, changes: Mapping[str, Any]) -> list[FieldChange]:
        """Return the check-in someone else saved for the period beside yours, field by field."""
        now = asdict(self.draft_of(theirs))
        return comparing.compare(LABELS, now, changes, their_deleted=theirs.deleted)

    def saved(self, result: CheckedIn) -> CheckIn:
        """Say what was checked in, and what it replaced."""
        check_in = result.check_in
        early = ", not over yet" if not_over(result.period, team_app(self).today()) else ""
        said = f"Checked in {result.period.describe()}{early}: {check_in.result.label}"
        if result.replaced is not None:
            said += f" (was {result.replaced.result.label})"
        self.notify(said + ".", markup=False, timeout=4)
        return check_in
