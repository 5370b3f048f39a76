"""Paragraphs that save themselves, merged field by field with a colleague's edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.screens.record_editor import RecordEditor
from ictui.services.autosave import AutosavedField
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run
from ictui.widgets import autosave_text
from ictui.widgets.autosave_text import AutosaveText

from .apptools import demo_store, make_app, started, text_of, until
from .conftest import BOB, fixed_clock


def point(store: Store, record_id: int = 1) -> ContactPoint:
    found = store.read().get(ContactPoint, record_id)
    assert found is not None
    return found


# -- the field's bookkeeping -------------------------------------------------------------


def test_a_field_is_saved_once_and_again_only_when_changed(store: Store) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    assert field.save(point(store).why) is None  # nothing changed
    write = field.save("First draft")
    assert write is not None and field.save("Second draft") is None  # one write at a time
    field.written(run(store, write))
    assert (field.base, field.rev) == ("First draft", 2)
    write = field.save("Second draft")
    assert write is not None and run(store, write).why == "Second draft"


def test_a_colleagues_change_of_another_field_is_kept(
    store: Store, make_store: Callable[..., Store]
) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    write = field.save("Mine")
    assert write is not None
    theirs = make_store(BOB).update(ContactPoint, 1, 1, verdict=Verdict.NEEDS_IMPROVEMENT)
    again = field.conflicted(theirs, "Mine")
    assert again is not None and again.expected_rev == theirs.rev
    saved = run(store, again)
    assert (saved.why, saved.verdict) == ("Mine", Verdict.NEEDS_IMPROVEMENT)


def test_both_changing_one_field_is_a_clash_settled_either_way(
    store: Store, make_store: Callable[..., Store]
) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    assert field.save("Mine") is not None
    theirs = make_store(BOB).update(ContactPoint, 1, 1, why="Theirs")
    assert field.conflicted(theirs, "Mine") is None
    assert field.clash is not None and field.clash.theirs == "Theirs"
    assert field.clash.who == "bob"
    assert field.save("Mine, more") is None  # nothing is written during a clash
    write = field.keep_mine("Mine, more")
    assert write is not None and run(store, write).why == "Mine, more"


def test_taking_theirs_ends_the_clash_with_their_text(
    store: Store, make_store: Callable[..., Store]
) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    make_store(BOB).update(ContactPoint, 1, 1, why="Theirs")
    assert field.read(point(store), "Mine, unsaved") is None
    assert field.clash is not None
    assert field.take_theirs() == "Theirs" and field.clash is None
    assert field.save("Theirs") is None  # the same as stored: nothing to write


def test_a_reading_shows_their_text_where_nothing_is_unsaved(
    store: Store, make_store: Callable[..., Store]
) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    original = point(store).why
    make_store(BOB).update(ContactPoint, 1, 1, why="Theirs")
    assert field.read(point(store), original) == "Theirs"
    assert field.clash is None and field.base == "Theirs"


def test_a_field_knows_while_the_file_holds_what_this_person_wrote(
    store: Store, make_store: Callable[..., Store]
) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    assert not field.mine  # as the record came
    write = field.save("Mine")
    assert write is not None
    field.written(run(store, write))
    assert field.mine
    make_store(BOB).update(ContactPoint, 1, 2, verdict=Verdict.NEEDS_IMPROVEMENT)
    assert field.read(point(store), "Mine") is None and field.mine  # another field changed
    make_store(BOB).update(ContactPoint, 1, 3, why="Over yours")
    assert field.read(point(store), "Mine") == "Over yours" and not field.mine


# -- in the app --------------------------------------------------------------------------


class WhyEditor(RecordEditor[ContactPoint]):
    """The why of one contact point, saving itself: an editor of the kit, as a test sees it."""

    KIND: ClassVar[type[ContactPoint]] = ContactPoint

    def compose(self) -> ComposeResult:
        """One paragraph field and the footer."""
        yield AutosaveText(self.record.why, name="why", label="Why")
        yield Footer()


async def open_editor(pilot: Pilot[None], record: ContactPoint) -> WhyEditor:
    """Open the editor on a record, with the cursor at the end of its why."""
    editor = WhyEditor(record)
    await pilot.app.push_screen(editor)
    await until(pilot, lambda: editor.query("#why-text"))
    editor.query_one("#why-text").focus()
    await pilot.press("end")
    return editor


async def test_typing_saves_itself_and_a_clash_is_offered_without_a_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = demo_store(tmp_path)
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        first = point(store)
        editor = await open_editor(pilot, first)
        await pilot.press(*" Noted.")
        # Saved in the background after a pause, with nothing pressed to save.
        await until(pilot, lambda: point(store).why.endswith("Noted."))
        # Bob switches the verdict while Alice goes on typing: both are kept.
        now = point(store)
        bob.update(ContactPoint, first.id, now.rev, verdict=now.verdict.toggled())
        await pilot.press(*" More.")
        await until(pilot, lambda: point(store).why.endswith("More."))
        assert point(store).verdict is now.verdict.toggled()
        # Bob rewrites the same paragraph while Alice is typing: both texts are offered.
        now = point(store)
        # Unsaved when Bob's change lands, however slow the machine.
        monkeypatch.setattr(autosave_text, "PAUSE", 3600.0)
        await pilot.press(*" Again.")
        bob.update(ContactPoint, first.id, now.rev, why="Bob's own words")
        field = editor.query_one(AutosaveText)
        await until(pilot, lambda: field.clash is not None, timeout=10)
        assert isinstance(app.screen, WhyEditor)  # no dialog over the typing
        assert "changed this too" in str(field.query_one(".clash").render())
        assert point(store).why == "Bob's own words"  # nothing overwritten meanwhile
        await pilot.press("ctrl+o")  # keep mine
        await until(pilot, lambda: point(store).why.endswith("Again."))
        assert field.clash is None


def test_text_saved_as_the_store_cleans_it_is_not_written_again(store: Store) -> None:
    field = AutosavedField(ContactPoint, point(store), "why")
    write = field.save("Noted.  \n\n")
    assert write is not None
    field.written(run(store, write))
    assert field.base == "Noted."
    assert field.save("Noted.  \n\n") is None  # the same, once cleaned: no second write
    assert not field.unsaved("Noted.  \n\n")


async def test_leaving_the_editor_or_quitting_saves_what_was_typed_at_once(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await open_editor(pilot, point(store))
        await pilot.press(*" Left at once.")
        app.pop_screen()  # well inside the pause: nothing saved yet
        await until(pilot, lambda: point(store).why.endswith("Left at once."))
        await open_editor(pilot, point(store))
        await pilot.press(*" Then quit.", "ctrl+q")
        await until(pilot, lambda: point(store).why.endswith("Then quit."))


async def test_a_refused_save_is_marked_and_tried_again(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        first = point(store)
        editor = await open_editor(pilot, first)
        deleted = bob.delete(ContactPoint, first.id, first.rev)
        await pilot.press(*" Typed meanwhile.")
        field = editor.query_one(AutosaveText)
        await until(pilot, lambda: field.problem is not None)
        assert field.problem is not None and "deleted" in field.problem
        assert "Not saved yet" in text_of(field.query_one(".clash"))
        bob.restore(ContactPoint, first.id, deleted.rev)
        await pilot.press("!")  # the next pause tries again
        await until(pilot, lambda: point(store).why.endswith("Typed meanwhile.!"))
        await until(pilot, lambda: field.problem is None)


async def test_a_locked_field_takes_no_typing_says_why_and_unlocks(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        first = point(store)
        editor = await open_editor(pilot, first)
        field = editor.query_one(AutosaveText)
        field.locked = "the team file is read-only for you."
        told = len(app.said)
        await pilot.press(*"Lost?", "enter", "1")  # "1" is a character, not the place key
        assert field.text == first.why and isinstance(app.screen, WhyEditor)
        said = [message for message, _ in app.said[told:]]
        assert said == ["the team file is read-only for you."]  # once, not at every key
        field.locked = None
        await pilot.press(*" Kept.")
        await until(pilot, lambda: point(store).why.endswith("Kept."))
