"""The whole of one contact point: what the table cuts short, and who logged it."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ictui.kinds.contact_point import ContactPoint
from ictui.text import for_display, one_line

NO_POINT_YET = "No contact points yet. Press a to log the first one."
"""The hint for a team file without a single contact point."""


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


class ContactDetail(Static):
    """Shows the highlighted contact point in full."""

    # layout=True: a longer or shorter text changes the height, which the
    # scrolling detail around it needs to know.
    point: reactive[ContactPoint | None] = reactive(None, layout=True)
    """The contact point to show, set by the screen."""
    partner: reactive[str] = reactive("", layout=True)
    """The name of its partner."""
    hint: reactive[str] = reactive(NO_POINT_YET, layout=True)
    """What to say when no contact point is selected: why the table is empty."""

    def render(self) -> Text:
        """Draw the contact point, or the hint when there is none."""
        if self.point is None:
            return Text(self.hint, style="dim")
        return describe(self.point, self.partner)
