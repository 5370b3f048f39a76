"""The footer's line, kept empty until the screen's first frame with rows is up.

Textual's footer builds its keys as soon as the screen's bindings settle,
which at start-up is three builds in a row before the first frame with rows:
about 40 ms that held the rows back. A screen that draws something heavy
first yields a FooterSlot instead: it keeps the footer's line (so nothing moves)
and becomes Textual's own Footer when the screen releases it, or when the hold
is over. Public APIs only: mount, remove and refresh_bindings, and
Footer.bindings_changed (public, not in the guide), overridden to skip
building keys that would be the same.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

PALETTE_FROM = 100
"""Columns from which the footer shows the palette's key too (below, the screen's keys fit)."""


class FittedFooter(Footer):
    """Textual's footer, leaving out the palette's key when the screen's own keys need the room.

    The help says how to open the palette; a key cut in half helps no one. Where
    the screen's keys alone do not fit, the grouped ones (the screens' digits) go,
    then, from the last, each key that would still be cut off (the help lists them).
    """

    DEFAULT_CSS = """
    FittedFooter.-narrow KeyGroup, FittedFooter.-narrow FooterLabel, FittedFooter .-cut {
        display: none;
    }
    """

    _narrow_at: int | None = None
    """The width at which the grouped keys were hidden, if they are."""
    _keys_built: tuple[object, ...] | None = None
    """What the keys were last built from: the screen's bindings, each enabled or not."""
    _fitted = False
    """Whether the keys built last were fitted to the width since (see _fit)."""
    _measured_narrow = False
    """Whether the keys built last, found too wide, were measured again with every key in."""

    @property
    def settled(self) -> bool:
        """Whether the keys shown are the screen's bindings now, fitted to the width.

        For a picture of the screen: between a rebuild and its fitting a frame
        may show the grouped keys that the fitting then hides.
        """
        return (
            self._fitted
            and self._keys_built is not None
            and self._keys_from(self.screen) == self._keys_built
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Build the keys anew, unless they would be the very same.

        A screen says its bindings changed whenever a key may have changed
        what works (each arrow key in a table, say), and Textual's footer
        then builds every key again: about 25 ms, most of such a key's cost
        where the keys depend on the row.
        """
        if (
            screen is self.screen
            and self.is_attached
            and screen.app.app_focus
            and self._keys_built is not None
            and self._keys_from(screen) == self._keys_built
        ):
            return
        super().bindings_changed(screen)

    def _keys_from(self, screen: Screen[Any]) -> tuple[object, ...]:
        return tuple(
            (binding, enabled, tooltip, self.app.get_key_display(binding))
            for _, binding, enabled, tooltip in screen.active_bindings.values()
        )

    def on_resize(self, event: events.Resize) -> None:
        """Show the palette's key only where there is room; fit the screen's keys."""
        palette = event.size.width >= PALETTE_FROM
        if palette != self.show_command_palette:
            self.show_command_palette = palette
            self.refresh(recompose=True)  # else only the next change of bindings would
        self._fit()

    def watch_virtual_size(self) -> None:
        """Fit the screen's keys once they are laid out (their width is known then)."""
        self._fit()

    def _fit(self) -> None:
        width = self.size.width
        if self._narrow_at is not None and width > self._narrow_at:
            self._show_groups()  # wider now: measured again with every key in
        elif self._narrow_at is not None and not self._measured_narrow:
            # Narrowed once since the keys were built, maybe on the size of the keys
            # before them (the layout comes after): measured again, once, with
            # every key in, so that keys that fit are never left out for good.
            self._measured_narrow = True
            self._fitted = False
            self._show_groups()
            self.call_after_refresh(self._fit)  # laid out again (its size may call it sooner)
            return
        elif self._narrow_at is None and self.virtual_size.width > width > 0:
            # The grouped keys (the screens' digits, also in the help) go first.
            self._narrow_at = width
            self.add_class("-narrow")
        if self._narrow_at is not None:
            self.call_after_refresh(self._cut_to_fit)  # once laid out without the groups
        self._fitted = True

    def _cut_to_fit(self) -> None:
        """Leave out each key from the first that shows cut off at the right edge, and the rest.

        A key left out stays out until the footer is wider (see _show_groups).
        """
        if self._narrow_at is None:
            return
        edge = self.content_region.right
        cut = False
        for key in self.children:
            shown = key.region.width > 0
            cut = cut or key.has_class("-cut") or (shown and key.region.right > edge)
            key.set_class(cut, "-cut")

    async def recompose(self) -> None:
        """Build the keys anew (the bindings changed), measured again with every key in."""
        if not self.is_attached:
            return  # closed with its screen before the rebuild came round (as Textual's does)
        self._show_groups()
        self._fitted = self._measured_narrow = False
        keys = self._keys_from(self.screen)
        await super().recompose()
        # Remembered once built (Textual's footer builds none before it first
        # hears of the bindings): what a later change is compared with.
        self._keys_built = keys if self.children else None
        # Once laid out: a layout that only scrolls sets the width without telling its watcher.
        self.call_after_refresh(self._fit)

    def _show_groups(self) -> None:
        self._narrow_at = None
        self.remove_class("-narrow")
        for key in self.children:
            key.remove_class("-cut")


class FooterSlot(Static):
    """The footer's place, until release() (or the end of the hold) puts the footer there."""

    DEFAULT_CSS = """
    FooterSlot {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    """

    def __init__(self, *, hold: float, compact: bool = False) -> None:
        """hold: seconds after which the footer comes anyway (a terminal too small to draw)."""
        super().__init__()
        self._hold = hold
        self._compact = compact
        self._released = False

    def on_mount(self) -> None:
        """Let the footer come anyway once the hold is over."""
        self.set_timer(self._hold, self.release)

    def release(self) -> None:
        """Put Textual's footer here, with the screen's keys, once."""
        parent = self.parent
        if self._released or not isinstance(parent, Widget):
            return
        self._released = True
        footer = FittedFooter(compact=self._compact)
        parent.mount(footer, after=self)
        self.remove()
        # A footer builds its keys when the bindings change: tell it they did.
        self.call_after_refresh(self.screen.refresh_bindings)
