"""The whole of one partner on the map: its place, its needs, its notes and how the year went."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from ictui.kinds.partner import Partner
from ictui.services.partner_map import KIND_LABELS, PartnerYear, needs_in_words
from ictui.text import for_display, one_line
from ictui.widgets.record_detail import RecordDetail


def describe(partner: Partner, year: PartnerYear | None) -> Text:
    """Return a partner in full, as text that is never read as markup."""
    text = Text()
    text.append(one_line(partner.name), style="bold")
    text.append(f" · {partner.relationship.label} · {KIND_LABELS[partner.kind]}")
    text.append(f" · {partner.priority.value} priority")
    if partner.segment:
        text.append(f"\nSegment: {one_line(partner.segment)}")
    needs = needs_in_words(partner.needs)
    if needs:
        text.append(f"\nNeeds: {needs}")
    else:
        text.append("\nNeeds: not said yet", style="dim")
    if partner.notes:
        text.append("\n")
        text.append(for_display(partner.notes))
    text.append("\n")
    if year is None or not year.total:
        text.append("\nNo contact points in the last 12 months.", style="dim")
    else:
        text.append(
            f"\nLast 12 months: ✓ {year.success} success, ✗ {year.needs_improvement} "
            "needs improvement"
        )
        for point in year.last_points:
            day = point.date.strftime("%d %b %Y")
            text.append(f"\n  {point.verdict.symbol} {day} ", style="dim")
            text.append(one_line(point.why))
    if year is not None and (year.interviews or year.standards):
        said = []
        if year.interviews:
            said.append(f"{year.interviews} interview{'' if year.interviews == 1 else 's'}")
        if year.standards:
            said.append(f"{year.standards} standard{'' if year.standards == 1 else 's'} in use")
        text.append(f"\n{', '.join(said)}", style="dim")
    return text


class PartnerDetail(RecordDetail[Partner]):
    """Shows the highlighted partner in full."""

    def __init__(self) -> None:
        super().__init__()
        self.years: Mapping[int, PartnerYear] = {}
        """Each partner's last twelve months, by id; set by the screen."""

    def describe(self, record: Partner) -> Text:
        """Return the partner in full, with its last twelve months."""
        return describe(record, self.years.get(record.id))
