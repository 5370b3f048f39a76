"""One standard in full, beside the table: its measure, its check-ins and its evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.reactive import reactive

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.standard import Standard
from ictui.kinds.target import read_target, target_hint
from ictui.kinds.vocab import StandardStatus
from ictui.services.standards import COMPLIANCE_PERIODS, StandardRow, value_shown
from ictui.text import for_display, one_line
from ictui.widgets.record_detail import RecordDetail

CHECK_INS_SHOWN = 12
"""How many of a standard's check-ins the detail lists, newest first."""


def no_standard_yet(add: str) -> str:
    """Return the hint for a team file without a standard; add: the key that adds one."""
    return (
        f"No standards yet. Press {add} to write one down with a partner: what you promise, "
        "how you will know it is kept, and how often you check. Partnering rules, what the "
        "partner promises you, are written the same way."
    )


class StandardDetail(RecordDetail[Standard]):
    """Shows the highlighted standard in full."""

    # always_update: a new reading brings new ones; comparing them costs more than drawing.
    rows: reactive[Mapping[int, StandardRow]] = reactive(dict, repaint=False, always_update=True)
    """How each standard stands, with its check-ins, by id; set by the screen."""
    evidence: reactive[Mapping[int, Sequence[ContactPoint]]] = reactive(
        dict, repaint=False, always_update=True
    )
    """The contact points tied to each standard, newest first, by id."""

    def watch_rows(self) -> None:
        """Draw how the standard shown stands now."""
        self.redraw()

    def watch_evidence(self) -> None:
        """Draw the standard shown's evidence now."""
        self.redraw()

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(RecordDetail.hint, no_standard_yet("a"))  # until the screen says

    def describe(self, record: Standard) -> Text:
        """Return the standard in full, as text that is never read as markup."""
        row = self.rows.get(record.id)
        text = Text()
        partner = row.partner if row else self.names.get(record.partner_id, "")
        text.append(one_line(partner), style="bold")
        text.append(f" · {record.side.label} · {record.status.value}")
        if record.status is StandardStatus.AGREED and record.agreed_on:
            text.append(f" on {record.agreed_on.isoformat()}")
        text.append("\n")
        text.append(for_display(record.standard), style="bold")
        target = read_target(record.target)
        text.append("\nTarget: ")
        if target is not None:
            text.append(str(target))
        elif record.target:
            text.append(one_line(record.target))
            text.append(f"\n  {target_hint(record.target)}", style="italic")
        else:
            text.append("none yet: say how you will know it is kept", style="italic")
        if record.measure:
            text.append(f"\nCounts: {one_line(record.measure)}")
        if record.measured_how:
            text.append(f"\nMeasured: {one_line(record.measured_how)}")
        text.append(f"\nChecked {record.cadence.value}")
        if record.owner:
            text.append(f" · owner {one_line(record.owner)}")
        if record.agreed_with:
            text.append(f"\nAgreed with {one_line(record.agreed_with)}")
        if record.interview_id is not None:
            text.append(f"\nSet in interview {record.interview_id}")
        if record.status is StandardStatus.RETIRED:
            text.append("\nRetired: ", style="bold")
            text.append(for_display(record.retired_reason))
        if row is not None:
            self._standing(text, row)
        evidence = self.evidence.get(record.id, ())
        if evidence:
            text.append(f"\n\nEvidence ({len(evidence)} contact points)", style="bold")
            for point in evidence[:CHECK_INS_SHOWN]:
                text.append(f"\n{point.verdict.symbol} {point.date.isoformat()} ")
                text.append(one_line(point.why)[:80])
        return text

    def _standing(self, text: Text, row: StandardRow) -> None:
        standing = row.standing
        if standing.due is not None:
            text.append(f"\nDue: a check-in for {standing.due.describe()}", style="bold")
        if standing.periods and standing.worth_showing(row.standard):
            rate = standing.compliance_text or "nothing met or missed yet"
            marks = standing.strip(COMPLIANCE_PERIODS)
            text.append(f"\nLast {len(standing.periods)}, oldest first: {marks}\nKept: {rate}")
        if not row.check_ins:
            return
        text.append("\n\nCheck-ins", style="bold")
        for check_in in row.check_ins[:CHECK_INS_SHOWN]:
            who = check_in.checked_by or check_in.updated_by.display
            text.append(f"\n{check_in.result.symbol} {check_in.period} {check_in.result.label}")
            if check_in.value:
                text.append(f" ({one_line(value_shown(row.standard, check_in))})")
            text.append(f" · {one_line(who)}", style="dim")
            if check_in.note:
                text.append(f"\n    {one_line(check_in.note)[:120]}", style="italic")
        if len(row.check_ins) > CHECK_INS_SHOWN:
            text.append(f"\n… and {len(row.check_ins) - CHECK_INS_SHOWN} earlier", style="dim")
