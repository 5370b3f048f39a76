"""The footer of keys: its line kept for the first frame, then Textual's footer in it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Label

from ictui.widgets.footer import FittedFooter, FooterSlot

from .apptools import until


class FooterApp(App[None]):
    """A label and a footer that may hold its keys back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "bell", "Add")]

    def __init__(self, hold: float) -> None:
        super().__init__()
        self.hold = hold

    def compose(self) -> ComposeResult:
        """The label, and the footer's slot below it."""
        yield Label("first frame")
        yield FooterSlot(hold=self.hold)


def keys_shown(app: App[None]) -> list[str]:
    """Return the descriptions the footer shows (none while its slot holds the line)."""
    footers = app.query(Footer)
    return [str(getattr(key, "description", "")) for f in footers for key in f.children]


async def test_the_slot_keeps_the_footers_line_so_nothing_moves() -> None:
    app = FooterApp(hold=30)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        slot = app.query_one(FooterSlot)
        line = slot.region
        assert (line.y, line.height) == (9, 1)
        slot.release()
        await until(pilot, lambda: "Add" in keys_shown(app))
        assert app.query_one(Footer).region == line and not app.query(FooterSlot)


async def test_a_held_footer_shows_its_keys_when_released() -> None:
    app = FooterApp(hold=30)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        app.query_one(FooterSlot).release()
        await until(pilot, lambda: "Add" in keys_shown(app))
        await pilot.pause()
        assert keys_shown(app).count("Add") == 1


async def test_a_held_footer_shows_its_keys_once_the_hold_is_over() -> None:
    app = FooterApp(hold=3.0)  # nothing releases it; long enough for a loaded machine
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert keys_shown(app) == []
        await until(pilot, lambda: "Add" in keys_shown(app))


WORDS = ("Open", "Add", "Verdict", "Delete", "Filter", "Help")
GROUP = Binding.Group("Screens", compact=True)


class NarrowApp(App[None]):
    """Six keys of the screen's own and four grouped ones, as the app's screens have."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"say('{word}')", word) for key, word in zip("abcdef", WORDS, strict=True)),
        *(Binding(str(n), f"say('{n}')", f"Screen {n}", group=GROUP) for n in range(1, 5)),
    ]

    few = False
    """Whether three of the screen's own keys are hidden (as a focus change may)."""

    def action_say(self, word: str) -> None:
        """Ring for any key: only the footer is looked at."""
        self.bell()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide three keys when few are wanted."""
        return not (self.few and action == "say" and parameters[0] in WORDS[2:5])

    def compose(self) -> ComposeResult:
        """The label, and the fitted footer."""
        yield Label("keys below")
        yield FittedFooter(compact=True)


def shown(footer: FittedFooter) -> list[str]:
    """Return the kinds of the footer's parts on show, in order."""
    return [
        "palette" if part.has_class("-command-palette") else type(part).__name__
        for part in footer.children
        if part.display
    ]


async def test_where_the_keys_do_not_fit_the_grouped_ones_go_first() -> None:
    app = NarrowApp()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = app.query_one(FittedFooter)
        await until(pilot, lambda: "KeyGroup" in shown(footer) and "palette" in shown(footer))
        assert footer.virtual_size.width <= footer.size.width
        await pilot.resize_terminal(60, 10)
        await until(pilot, lambda: "KeyGroup" not in shown(footer))
        # The screen's own keys all fit (once laid out: the width lags a refresh).
        await until(pilot, lambda: footer.virtual_size.width <= footer.size.width)
        assert shown(footer) == ["FooterKey"] * len(WORDS)  # no palette key cut in half
        await pilot.resize_terminal(100, 10)
        await until(pilot, lambda: "KeyGroup" in shown(footer))


async def test_where_even_the_screens_own_keys_do_not_fit_none_shows_cut_in_half() -> None:
    # Found by trying: at 60 columns the recap builder's footer ended in "^g Hel".
    app = NarrowApp()
    async with app.run_test(size=(34, 10)) as pilot:
        footer = app.query_one(FittedFooter)
        await until(pilot, lambda: "KeyGroup" not in shown(footer))
        await until(pilot, lambda: footer.virtual_size.width <= footer.size.width)
        kept = shown(footer)
        assert kept == ["FooterKey"] * len(kept) and 0 < len(kept) < len(WORDS)
        edge = footer.content_region.right
        assert all(key.region.right <= edge for key in footer.children if key.display)
        await pilot.resize_terminal(100, 10)
        await until(pilot, lambda: shown(footer).count("FooterKey") == len(WORDS))
        await until(pilot, lambda: "KeyGroup" in shown(footer))


async def test_the_grouped_keys_come_back_when_fewer_keys_leave_room() -> None:
    app = NarrowApp()
    async with app.run_test(size=(60, 10)) as pilot:
        footer = app.query_one(FittedFooter)
        await until(pilot, lambda: shown(footer).count("FooterKey") == len(WORDS))
        await until(pilot, lambda: "KeyGroup" not in shown(footer))
        app.few = True
        app.refresh_bindings()  # the footer is built anew, at the same width
        await until(pilot, lambda: shown(footer).count("FooterKey") == len(WORDS) - 3)
        await until(pilot, lambda: "KeyGroup" in shown(footer))
        assert footer.virtual_size.width <= footer.size.width


async def test_the_keys_are_built_again_only_when_they_change() -> None:
    app = NarrowApp()
    async with app.run_test(size=(120, 10)) as pilot:
        footer = app.query_one(FittedFooter)
        await until(pilot, lambda: "Verdict" in keys_shown(app))
        built = list(footer.children)
        app.screen.refresh_bindings()  # as an arrow key in a table does: nothing changed
        await pilot.pause()
        await pilot.pause()
        assert list(footer.children) == built  # the very same keys, not built again
        app.few = True
        app.screen.refresh_bindings()
        await until(pilot, lambda: "Verdict" not in keys_shown(app))
        app.few = False
        app.screen.refresh_bindings()
        await until(pilot, lambda: "Verdict" in keys_shown(app))


async def test_a_rebuild_due_after_the_footer_is_gone_does_nothing() -> None:
    app = NarrowApp()
    async with app.run_test(size=(120, 10)) as pilot:
        footer = app.query_one(FittedFooter)
        await until(pilot, lambda: "Verdict" in keys_shown(app))
        await footer.remove()  # its screen closed, say, with the rebuild still to come
        await footer.recompose()
        assert not footer.is_attached
