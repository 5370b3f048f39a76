"""The footer of keys, rebuilt once per burst of binding changes, and after the first frame."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, rebuilt once however many binding changes arrive together.

    Textual's footer rebuilds itself for every change (a focus change, a screen
    pushed, an action enabled), and holds back every repaint while it does: at
    start-up three changes in a row kept the first frame off the screen for
    about 40 ms. One rebuild after the burst shows the same keys.

    With a hold, the first build also waits for release() (or the hold's end), so
    that a screen can put what matters on screen first, as Textual's own footer
    does when nothing delays the first frame.
    """

    def __init__(self, *, hold: float = 0, **kwargs: object) -> None:
        """hold: seconds the first build may wait for release(), so the screen draws first."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rebuild_due = False
        self._hold = hold
        self._held: Screen | None = None  # the screen whose keys wait for release()

    def on_mount(self) -> None:
        """Let a held first build go ahead anyway once the hold is over."""
        if self._hold:
            self.set_timer(self._hold, self.release)

    def release(self) -> None:
        """Build the keys now if they were held back; from now on, rebuild as they change."""
        self._hold = 0
        if self._held is not None:
            screen, self._held = self._held, None
            # In the footer's own turn: its keys bind to it, not to the caller.
            self.call_later(self.bindings_changed, screen)

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild after the next refresh, unless a rebuild is already due or held back."""
        if self._hold:
            self._held = screen
            return
        if self._rebuild_due:
            return
        self._rebuild_due = True
        super().bindings_changed(screen)
        # Queued after the rebuild (if one was queued): from then on, a change needs another.
        self.call_after_refresh(self._rebuilt)

    def _rebuilt(self) -> None:
        self._rebuild_due = False
