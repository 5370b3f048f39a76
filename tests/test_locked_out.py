"""Members who cannot write now: a read-only file, a lock someone holds long (issue 21, item 4).

Every change key on every screen of a read-only file says why nothing
changed and leaves the file as it was; a change that waits on someone
else's lock says whose, keeps the screen answering keys, and lands once the
lock is let go, or, if it never is, stays in its form with the reason.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.interview import Interview
from ictui.kinds.vocab import InterviewStatus
from ictui.screens.ask import AskScreen
from ictui.screens.ask_name import AskName
from ictui.screens.contact_form import ContactForm
from ictui.screens.contact_points import ContactPointsScreen
from ictui.screens.debrief_builder import DebriefBuilderScreen
from ictui.screens.debriefs import DebriefsScreen
from ictui.screens.interviews import InterviewsScreen
from ictui.screens.worksheet import WorksheetScreen
from ictui.widgets.debrief_table import DebriefTable
from ictui.widgets.interview_table import InterviewTable

from .apptools import (
    RecordingApp,
    cursor_id,
    demo_store,
    let_go,
    lock_held,
    make_app,
    open_form,
    started,
    stored,
    until,
)

SIZE = (100, 30)


async def test_a_held_lock_says_whose_keeps_the_screen_live_and_the_change_lands(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path, lock_timeout=0.2)
    with lock_held(store) as holder:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            switched = cursor_id(app)
            before = stored(store, switched).verdict
            await pilot.press("v")
            await until(pilot, lambda: app.was_told("waiting for carol…"))
            assert "waiting for carol…" in app.sub_title
            await pilot.press("down")  # the screen answers keys while the write waits
            await until(pilot, lambda: cursor_id(app) != switched)
            let_go(holder)
            await until(pilot, lambda: stored(store, switched).verdict is before.toggled())
            await until(pilot, lambda: "waiting" not in app.sub_title)


async def test_a_change_that_never_gets_the_lock_stays_in_its_form(tmp_path: Path) -> None:
    store = demo_store(tmp_path, lock_timeout=0.1)
    with lock_held(store) as holder:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            form = await open_form(pilot, "a")
            await pilot.press(*"Legal", "tab", "tab", "tab", "tab", *"kept while carol writes")
            await pilot.press("ctrl+s")
            problem = form.query_one("#form-problem", Static)
            await until(pilot, lambda: "busy" in str(problem.render()), timeout=40)
            assert "carol" in str(problem.render())
            assert app.screen is form  # still open, with everything typed
            assert form.query_one("#why", TextArea).text == "kept while carol writes"
            let_go(holder)
            await pilot.press("ctrl+s")  # tried again, by hand
            await until(pilot, lambda: not isinstance(app.screen, ContactForm))
    assert any(p.why == "kept while carol writes" for p in store.read().all(ContactPoint))


# -- a file this person may only read --------------------------------------------------------

# (screen key, keys that change something there): each must say why nothing changed.
CHANGE_KEYS = [
    ("1", ["v"]),
    ("1", ["d"]),
    ("1", ["a"]),  # a form is not opened, to be typed into for nothing
    ("1", ["e"]),
    ("2", ["a"]),
    ("2", ["d"]),
    ("3", ["c", "ctrl+s"]),
    ("3", ["x", *"no longer needed", "enter"]),
    ("3", ["d"]),
    ("4", ["d"]),
]


def says_read_only(app: RecordingApp, told: int) -> bool:
    """Whether a notice since the told-th, or a problem line on the screen, says read-only.

    A field that saves as one types says it in place, under the field (its .clash line).
    """
    lines = app.screen.query(".problem, .clash").results(Static)
    problems = [str(line.render()) for line in lines]
    said = [message for message, _ in app.said[told:]]
    return any("read-only" in text for text in said + problems)


# In two parts, each its own app: one test of both was the suite's longest (30 s).
@pytest.mark.parametrize("part", ["keys", "typing"])
async def test_every_change_on_a_read_only_file_says_why_and_changes_nothing(
    tmp_path: Path, part: str
) -> None:
    store = demo_store(tmp_path)
    store.path.chmod(0o444)  # no one may write it: refused to root too
    before = store.path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for place, keys in CHANGE_KEYS if part == "keys" else []:
            told = len(app.said)
            await pilot.press(place)
            await pilot.pause()
            await pilot.press(*keys)

            explained = partial(says_read_only, app, told)
            explained.__doc__ = f"why {keys} on screen {place} changed nothing"
            await until(pilot, explained)
            while len(app.screen_stack) > 1:  # back to the screen, the form thrown away
                await pilot.press("escape")
                await pilot.pause()
        for typing in TYPING if part == "typing" else []:  # saved as one types; partner admin
            told = len(app.said)
            await typing(pilot)
            explained = partial(says_read_only, app, told)
            explained.__doc__ = f"why {typing.__doc__} changed nothing"
            await until(pilot, explained)
            while len(app.screen_stack) > 1:  # back, leaving what was typed unsaved
                await pilot.press("escape")
                await pilot.pause()
                if isinstance(app.screen, AskScreen):  # "Leave with fields not saved?"
                    await pilot.press("y")
                    await pilot.pause()
    assert store.path.read_bytes() == before


async def type_in_the_worksheet(pilot: Pilot[None]) -> None:
    """typing an answer in the held interview's worksheet"""
    app = pilot.app
    await pilot.press("2")
    await until(pilot, lambda: isinstance(app.screen, InterviewsScreen))
    held = app.screen.query_one(InterviewTable)
    await until(pilot, lambda: held.row_count > 0)
    interviews = pilot.app.snapshot.all(Interview)  # type: ignore[attr-defined]
    held.select_record(next(i.id for i in interviews if i.status is InterviewStatus.HELD))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, WorksheetScreen) and app.screen.focused)
    answer = app.screen.query(TextArea).first()
    answer.focus()
    await pilot.press(*" and more, said later")


async def type_in_the_debrief(pilot: Pilot[None]) -> None:
    """typing in the debrief builder"""
    app = pilot.app
    await pilot.press("4")
    await until(pilot, lambda: isinstance(app.screen, DebriefsScreen))
    await until(pilot, lambda: app.screen.query_one(DebriefTable).row_count > 0)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, DebriefBuilderScreen) and app.screen.focused)
    app.screen.query_one("#probing").query_one(TextArea).focus()
    await pilot.press(*"Mostly about trust.")


async def rename_a_partner(pilot: Pilot[None]) -> None:
    """renaming a partner from the palette"""
    await partner_command(pilot, "Rename partner: Payroll…", "end", *" (ops)", "enter")


async def merge_a_partner(pilot: Pilot[None]) -> None:
    """merging a partner into another from the palette"""
    await partner_command(pilot, "Merge partner: Payroll into…", *"Legal", "enter")


async def partner_command(pilot: Pilot[None], title: str, *keys: str) -> None:
    """Run a partner admin command of the palette on the contact points, answering with keys."""
    app = pilot.app
    await pilot.press("1")
    await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
    commands = {c.title: c for c in app.get_system_commands(app.screen)}
    done = commands[title].callback()
    if done is not None:
        await done
    await until(pilot, lambda: isinstance(app.screen, AskName) and app.screen.is_active)
    await pilot.press(*keys)


TYPING = [type_in_the_worksheet, type_in_the_debrief, rename_a_partner, merge_a_partner]
"""What changes the file on screens that are no record screen's keys: each must say why not."""
