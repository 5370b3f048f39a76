"""The switch between success and needs improvement."""

from __future__ import annotations

from ictui.kinds.vocab import Verdict
from ictui.widgets.toggle import TwoWayToggle


class VerdictToggle(TwoWayToggle):
    """Chooses a contact point's verdict: ● ✓ success   ○ ✗ needs improvement."""

    def __init__(self, verdict: Verdict = Verdict.SUCCESS, *, id: str | None = None) -> None:
        options = tuple((f"{v.symbol} {v.label}", v) for v in Verdict)
        super().__init__(options, verdict, id=id)

    @property
    def verdict(self) -> Verdict:
        """The verdict chosen now."""
        return Verdict(self.value)
