"""Helpers for driving the app in tests: a fixed demo team, and waiting for the app to catch up."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer

from ictui.app import IctuiApp
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import Author, Record
from ictui.outputs.demo import write_demo
from ictui.screens.contact_form import ContactForm
from ictui.teamfile.store import Store
from ictui.widgets.contact_table import ContactTable
from ictui.widgets.record_table import RecordTable

from .conftest import ALICE, BOB, TODAY, fixed_clock

ALL_TIME = ("f", "enter", "down", "down", "down", "down", "enter")
"""The keys that show all time: f focuses the period, enter opens it, down to "All time"."""


_DEMO_FILES: dict[int, tuple[bytes, int]] = {}
"""Each demo team written so far in this process (its bytes and mode), by its size."""


def demo_store(
    folder: Path, *, contacts: int = 40, author: Author = ALICE, **options: object
) -> Store:
    """Return a store on a demo team written for the fixed day, with the fixed clock.

    The demo is the same bytes for the same size (fixed day, clock and seed), so
    each size is written once per process and copied after: writing one costs
    ~0.2 s, and most app tests start from one.
    """
    store = Store(folder / "team.json", author=author, clock=fixed_clock, **options)  # type: ignore[arg-type]
    if store.exists():
        return store
    written = _DEMO_FILES.get(contacts)
    if written is None:
        write_demo(store, TODAY, contacts)
        _DEMO_FILES[contacts] = (store.path.read_bytes(), store.path.stat().st_mode)
    else:
        data, mode = written
        store.path.write_bytes(data)
        store.path.chmod(mode)  # as a new team file is made: the team may write it
    return store


class RecordingApp(IctuiApp):
    """The app, keeping every notification it shows, so tests can read them."""

    def __init__(self, store: Store, *, preferences_path: Path | None = None) -> None:
        super().__init__(
            store, demo_path=store.path.with_name("demo.json"), preferences_path=preferences_path
        )
        self.said: list[tuple[str, str]] = []

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        """Show a notification and remember it."""
        self.said.append((message, title))
        super().notify(message, title=title, **options)

    def was_told(self, words: str) -> bool:
        """Whether a notification so far had these words in its message or its title."""
        return any(words in message or words in title for message, title in self.said)


def make_app(store: Store) -> RecordingApp:
    """Return the app on a store, with its demo file beside the team file."""
    return RecordingApp(store)


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10) -> None:
    """Let the app run until condition holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {condition.__doc__ or condition}")
        await pilot.pause(0.02)
    await pilot.pause()


async def started(pilot: Pilot[None]) -> RecordingApp:
    """Wait until the app has read the team file and shows it, filter choices and all."""
    app = pilot.app
    assert isinstance(app, RecordingApp), "open the app with make_app() or RecordingApp()"
    await until(
        pilot,
        lambda: (
            app.snapshot is not None
            and any(s.query(ContactTable) for s in app.screen_stack)
            and table(app).row_count > 0
            # The choices follow the first frame with rows.
            and any(s.query("#period") for s in app.screen_stack)
        ),
    )
    return app


async def open_form(pilot: Pilot[None], *keys: str) -> ContactForm:
    """Press keys that open the contact form (a, e) and wait until it is up and has focus."""
    app = pilot.app
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(app.screen, ContactForm) and app.screen.focused)
    return app.screen  # type: ignore[return-value]


def cursor_id(app: IctuiApp) -> int:
    """Return the id of the contact point under the table's cursor; fail if there is none."""
    record_id = table(app).selected_id
    assert record_id is not None, "no contact point is under the cursor"
    return record_id


def table(app: App[Any]) -> ContactTable:
    """Return the contact table, also while a dialog is open over it."""
    for screen in reversed(app.screen_stack):
        found: list[ContactTable] = list(screen.query(ContactTable))
        if found:
            return found[0]
    raise AssertionError("no contact table on any screen")


def shown_ids(app: IctuiApp) -> list[int]:
    """Return the ids of the contact points in the table, top to bottom."""
    return [record.id for record in table(app).listing.records]


def row_shown(shown: RecordTable[Any], record_id: int) -> dict[str, str]:
    """Return what a record's row in a table shows, by column key."""
    row = shown.row_of(record_id)
    assert row is not None, f"record {record_id} is not in the table"
    return shown.row_text(row)


def cell(app: IctuiApp, record_id: int, column: str) -> str:
    """Return the plain text of one cell of the contact table."""
    return row_shown(table(app), record_id)[column]


def deleted_by_bob(store: Store, kind: type[Record], record_id: int) -> None:
    """Delete a record as a colleague does, at the revision they read: Bob's own store."""
    bob = Store(store.path, author=BOB, clock=fixed_clock)
    current = bob.read().get(kind, record_id)
    assert current is not None
    bob.delete(kind, record_id, current.rev)


def stored(store: Store, record_id: int) -> ContactPoint:
    """Return a contact point as the team file holds it now."""
    point = store.read().get(ContactPoint, record_id)
    assert point is not None
    return point


async def settle(seconds: float = 0.05) -> None:
    """Give background threads a moment."""
    await asyncio.sleep(seconds)


def footer_keys(app: IctuiApp) -> str:
    """Return the keys the footer of the screen on top offers, as a person reads them."""
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.children)


def text_of(widget: Widget) -> str:
    """Return what a widget shows, as plain text lines (what a person reads)."""
    return "\n".join(widget.render_line(y).text.rstrip() for y in range(widget.size.height))


def words_of(widget: Widget) -> str:
    """Return what a widget shows as one line of words: where it wraps depends on the width.

    For messages that name a file, whose folder's length moves the line breaks.
    """
    return " ".join(text_of(widget).split())


async def asked_on_deleting(pilot: Pilot[None]) -> str:
    """Press d on a record screen and return the question it asks, in words (fails if none)."""
    from ictui.screens.ask import AskScreen

    app = pilot.app
    await pilot.press("d")
    await until(pilot, lambda: isinstance(app.screen, AskScreen))
    return words_of(app.screen.query_one("#said Static"))


async def kept_on_enter(pilot: Pilot[None], screen: type[Any]) -> None:
    """Press Enter on a question about deleting (it starts on Keep) and wait to be back."""
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, screen))


def type_at_once(app: App[None], text: str, *keys: str) -> None:
    """Send text, then keys, in one burst: as a paste, a fast typist or a slow link does.

    Pilot.press waits for the app after every key, which hides what happens
    when keys arrive faster than screens open and fields take focus.
    """
    for character in text:
        app.post_message(events.Key("space" if character == " " else character, character))
    for key in keys:
        app.post_message(events.Key(key, None))


# -- a busy team file ----------------------------------------------------------------------------

HOLD = """
import sys
from ictui.teamfile.store import Store
from ictui.kinds.record import Author
store = Store(sys.argv[1], author=Author(account="carol"))
with store.transaction():
    print("locked", flush=True)
    sys.stdin.readline()
"""


@contextmanager
def lock_held(store: Store) -> Iterator[subprocess.Popen[str]]:
    """Hold the team file's lock in another process (carol's) until a line is written to it."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store.path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as holder:  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            yield holder
        finally:
            holder.kill()


def let_go(holder: subprocess.Popen[str]) -> None:
    """Carol finishes her write: the lock is free."""
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
