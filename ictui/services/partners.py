"""Partners as the other records name them."""

from __future__ import annotations

from ictui.kinds.partner import Partner
from ictui.teamfile.snapshot import Snapshot


def partner_names(snapshot: Snapshot) -> dict[int, str]:
    """Return every partner's name by id, deleted ones included (old records name them)."""
    return {p.id: p.name for p in snapshot.all(Partner, include_deleted=True)}
