"""Members who cannot write now: a read-only file, a lock someone holds long (issue 21, item 4).

Every change key on every screen of a read-only file says why nothing
changed and leaves the file as it was; a change that waits on someone
else's lock says whose, keeps the screen answering keys, and lands once the
lock is let go, or, if it never is, stays in its form with the reason.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual.widgets import Static, TextArea

from ictui.kinds.contact_point import ContactPoint
from ictui.screens.contact_form import ContactForm

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
    ("1", ["a", *"Legal", "tab", "tab", "tab", "tab", *"refused", "ctrl+s"]),
    ("1", ["e", *" more", "ctrl+s"]),
    ("2", ["a", *"Payroll", "ctrl+s"]),
    ("2", ["d"]),
    ("3", ["c", "ctrl+s"]),
    ("3", ["x", *"no longer needed", "enter"]),
    ("3", ["d"]),
    ("4", ["d"]),
]


def says_read_only(app: RecordingApp, told: int) -> bool:
    """Whether a notice since the told-th, or a problem line on the dialog, says read-only."""
    problems = [str(line.render()) for line in app.screen.query(".problem").results(Static)]
    said = [message for message, _ in app.said[told:]]
    return any("read-only" in text for text in said + problems)


async def test_every_change_on_a_read_only_file_says_why_and_changes_nothing(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    store.path.chmod(0o444)  # no one may write it: refused to root too
    before = store.path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for place, keys in CHANGE_KEYS:
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
    assert store.path.read_bytes() == before
