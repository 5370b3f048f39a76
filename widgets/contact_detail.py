"""The whole of one contact point: what the table cuts short, and who logged it."""

from __future__ import annotations

from rich.text import Text

from ictui.kinds.contact_point import ContactPoint
from ictui.text import for_display, one_line
from ictui.widgets.record_detail import RecordDetail


def no_point_yet(add: str) -> str:
    """Return the hint for a team file without a single contact point; add: the key that adds."""
    return f"No contact points yet. Press {add} to log the first one."


def describe(point: ContactPoint, partner: str) -> Text:
    """Return a contact point in full, as text that is never read as markup."""
    text = Text()
    text.append(f"{point.verdict.symbol} {point.verdict.label}", style="bold")
    text.append(f" · {one_line(partner)} · {point.direction.label} · ")
    text.append(point.date.strftime("%a %d %b %Y"))
    text.append("\n")
    text.append(for_display(point.why))
    logged = point.created_at.astimezone().strftime("%d %b %H:%M")
    author = point.created_by
    who = one_line(author.display) + (f" ({author.account})" if author.name else "")
    text.append(f"\nlogged by {who}, {logged}", style="dim")
    if point.rev > 1:
        changed = point.updated_at.astimezone().strftime("%d %b %H:%M")
        text.append(f"; changed by {one_line(point.updated_by.display)}, {changed}", style="dim")
    return text


class ContactDetail(RecordDetail[ContactPoint]):
    """Shows the highlighted contact point in full."""

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(RecordDetail.hint, no_point_yet("a"))  # until the screen says its key

    def describe(self, record: ContactPoint) -> Text:
        """Return the contact point in full, with its partner's name."""
        return describe(record, self.names.get(record.partner_id, ""))
