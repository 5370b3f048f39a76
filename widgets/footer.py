"""The footer of keys, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, rebuilt once however many binding changes arrive together.

    Textual's footer rebuilds itself for every change (a focus change, a screen
    pushed, an action enabled), and holds back every repaint while it does: at
    start-up three changes in a row kept the first frame off the screen for
    about 40 ms. One rebuild after the burst shows the same keys.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rebuild_due = False

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild after the next refresh, unless a rebuild is already due."""
        if self._rebuild_due:
            return
        self._rebuild_due = True
        super().bindings_changed(screen)
        # Queued after the rebuild (if one was queued): from then on, a change needs another.
        self.call_after_refresh(self._rebuilt)

    def _rebuilt(self) -> None:
        self._rebuild_due = False
