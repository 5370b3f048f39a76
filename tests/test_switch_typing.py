"""Text typed at a switch changes nothing and is not lost without a word; a lone Space switches."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from ictui.screens.contact_form import ContactForm
from ictui.teamfile.store import Store
from ictui.widgets.toggle import TwoWayToggle

from .apptools import (
    cursor_id,
    demo_store,
    make_app,
    open_form,
    started,
    stored,
    type_at_once,
    until,
)

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


@pytest.fixture
def typing_never_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """However slow the machine, the keys of one test come as one burst of typing."""
    monkeypatch.setattr(TwoWayToggle, "TYPING_PAUSE", 3600.0)


def keys_of(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def to_the_way_switch(pilot, form: ContactForm) -> TwoWayToggle:  # type: ignore[no-untyped-def]
    way = form.query_one("#direction", TwoWayToggle)
    for _ in range(6):
        if form.focused is way:
            break
        await pilot.press("tab")
    assert form.focused is way
    return way


@pytest.mark.usefixtures("typing_never_pauses")
async def test_a_note_typed_at_the_way_switch_leaves_it_and_says_so(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        form = await open_form(pilot, "e")
        way = await to_the_way_switch(pilot, form)
        await pilot.press(*keys_of(" note from retro"))
        assert way.value is before.direction
        said = str(form.query_one("#direction-problem", Static).render())
        assert "not kept “ note from retro”" in said
        assert "Space" in said  # and how the switch is changed
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ContactForm))
        after = stored(store, record_id)
        assert (after.direction, after.why) == (before.direction, before.why)


@pytest.mark.usefixtures("typing_never_pauses")
async def test_a_lone_space_still_switches_and_clears_the_note(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        form = await open_form(pilot, "e")
        way = await to_the_way_switch(pilot, form)
        await pilot.press("x")
        problem = form.query_one("#direction-problem", Static)
        assert "not kept “x”" in str(problem.render())
        await pilot.press("right", "left", "space")  # a key that is not text ends the word
        assert way.value is not before.direction
        assert not problem.has_class("-shown")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: stored(store, record_id).direction is not before.direction)


async def test_after_a_pause_a_space_is_a_choice_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TwoWayToggle, "TYPING_PAUSE", -1.0)  # every key comes after a pause
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = stored(store, cursor_id(app))
        form = await open_form(pilot, "e")
        way = await to_the_way_switch(pilot, form)
        await pilot.press("o", "k", "space")
        assert way.value is not before.direction


@pytest.mark.usefixtures("typing_never_pauses")
async def test_text_typed_ahead_at_a_switch_switches_nothing(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        record_id = cursor_id(app)
        before = stored(store, record_id)
        # e opens the form in Why; Shift+Tab three times goes back to the Way switch.
        type_at_once(app, "e", "shift+tab", "shift+tab", "shift+tab")
        type_at_once(app, " fine")
        await until(pilot, lambda: isinstance(app.screen, ContactForm) and app.screen.up)
        form = app.screen
        await until(pilot, lambda: "“ fine”" in str(form.query_one("#direction-problem").render()))
        assert form.query_one("#direction", TwoWayToggle).value is before.direction


async def test_the_name_of_the_field_with_the_cursor_is_marked_as_it_moves(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await open_form(pilot, "e")
        for key in ("shift+tab", "shift+tab", "shift+tab", "tab", "tab"):
            await pilot.press(key)
            marked = list(form.query(".row.-here"))
            assert len(marked) == 1
            assert form.focused in list(marked[0].query("*"))


@pytest.mark.usefixtures("typing_never_pauses")
async def test_what_a_switch_said_goes_when_the_cursor_leaves_it(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await open_form(pilot, "e")
        await to_the_way_switch(pilot, form)
        await pilot.press("x")
        problem = form.query_one("#direction-problem", Static)
        assert problem.has_class("-shown")
        await pilot.press("tab")
        assert not problem.has_class("-shown")


@pytest.mark.usefixtures("typing_never_pauses")
async def test_a_note_typed_at_a_switch_with_nothing_chosen_leaves_nothing_chosen() -> None:
    from textual.app import App, ComposeResult

    class OneSwitch(App[None]):
        def compose(self) -> ComposeResult:
            yield TwoWayToggle((("we", "we"), ("they", "they")), None)

    app = OneSwitch()
    async with app.run_test() as pilot:
        switch = app.query_one(TwoWayToggle)
        switch.focus()
        await pilot.press(*keys_of(" ok"))  # the Space chose "we"; the letters take it back
        assert switch.value is None
        await pilot.press("escape", "space")  # a lone Space, after a key that is not text
        assert switch.value == "we"
