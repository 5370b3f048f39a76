"""Partners as the other records name them."""

from __future__ import annotations

from ictui.kinds.partner import Partner
from ictui.teamfile.snapshot import Snapshot


def partner_names(snapshot: Snapshot) -> dict[int, str]:
    """Return every partner's name by id, deleted ones included (old records name them)."""
    return {p.id: p.name for p in snapshot.all(Partner, include_deleted=True)}


def taken_as(partner: Partner) -> str:
    """Say how a write came to name a partner it added or brought back: "new partner", or not."""
    return "new partner" if partner.rev == 1 else "brought back archived partner"


def partner_news(partner: Partner) -> str:
    """Tell a person, in a sentence, of a partner their save added or brought back."""
    if partner.rev == 1:
        return f"Added partner {partner.name}."
    return f"Brought back archived partner {partner.name}: it had no records."
