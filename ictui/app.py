"""The full-screen app: one team file, live for everyone who has it open.

The app owns the store. It reads the team file in a thread, publishes each
snapshot through the ``snapshot`` reactive for screens to show, notices other
people's writes by polling the file's change token, and runs every write in one
background thread, in order, so that a screen never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shlex
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.markup import escape as escape_markup
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.worker import get_current_worker

from ictui import collector, screens
from ictui.errors import IctuiError, InvalidInput, TeamFileError, TeamFileMissing
from ictui.screens.contact_points import ContactPointsScreen
from ictui.screens.places import PLACES, home, place_bindings
from ictui.screens.team_app import SAY_SAVING_AFTER, WriteDone
from ictui.teamfile import lane
from ictui.teamfile.feed import Act, ChangeFeed, Reading
from ictui.teamfile.store import Snapshot, Store
from ictui.text import breaking, for_display, one_line, person_words
from ictui.user.preferences import Preferences, load_preferences, remember_theme
from ictui.user.remote import over_ssh
from ictui.widgets.filter_bar import FilterBar
from ictui.widgets.key_names import say_key

if TYPE_CHECKING:
    from ictui.screens.keys import KeyEntry
    from ictui.teamfile.queue import Outcome, WriteQueue
    from ictui.teamfile.writes import Write
    from ictui.user.drafts import Draft

POLL_SECONDS = 0.5
"""How often the app looks for other people's changes."""
APP_LOCK_TIMEOUT = 2.0
"""Seconds one try waits for the lock before the app says "busy" and tries again."""


HOME = home()
"""The screen the app opens on."""

SCREENS_FOLDER = Path(screens.__file__).resolve().parent
STYLESHEETS: list[str | PurePath] = [
    Path(__file__).with_name("app.tcss"),
    (SCREENS_FOLDER / str(ContactPointsScreen.CSS_PATH)).resolve(),
]
"""The app's styles and its home screen's (beside its code), read at start."""
PLACE_STYLESHEETS = [SCREENS_FOLDER / f"{p.module.rpartition('.')[2]}.tcss" for p in PLACES]
"""The other screens' styles: read on their first visit, as their code is loaded."""
DIALOG_STYLESHEETS = [
    path
    for path in sorted(SCREENS_FOLDER.glob("*.tcss"))
    if path not in STYLESHEETS and path not in PLACE_STYLESHEETS
]
"""The dialogs' styles, read once the app is up and before any dialog opens.

A stylesheet first read when its dialog opens makes Textual parse every
stylesheet again, the widgets' own included: about 40 ms of the dialog's
first open. Reading them all at start would cost the first frame 10 ms.
"""
COLLECT_AFTER = 2.0
"""Seconds after start when garbage is collected again, if no rows were drawn by then."""
DIALOG_STYLES_AFTER = 1.0
"""Seconds after start to read the dialogs' styles: the first frame is long drawn."""
DIALOG_STYLE_GAP = 0.05
"""Seconds between reading one dialog's styles and the next's (2-5 ms each)."""


class ReadingDone(Message):
    """The team file was read (or could not be)."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        super().__init__()


@runtime_checkable
class TakesTypeAhead(Protocol):
    """A dialog that takes the keys typed while it opens: characters, and Tab between fields."""

    def type_ahead(self, key: str, character: str | None) -> None:
        """Put a key typed before the dialog was ready where the person meant it."""


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with commands of its own for the palette (a partner to jump to, say)."""

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """Yield each command: its title, what it does, and what runs it."""


@runtime_checkable
class SavesAsItGoes(Protocol):
    """A screen whose fields save themselves a moment after typing (an editor of paragraphs)."""

    def flush_edits(self) -> None:
        """Save now what is waiting for the pause."""


@runtime_checkable
class KeepsDrafts(Protocol):
    """A form whose typing, not saved, is kept as a draft when the app must leave."""

    reopened_from: Draft | None
    """The draft the form was opened again on, if it was."""

    def draft_to_keep(self) -> Draft | None:
        """Return what to keep now; None if nothing was typed since it opened."""


@runtime_checkable
class ReopensForms(Protocol):
    """A screen that can open a form again on a draft kept when the app last left."""

    def reopen_form(self, draft: Draft, done: Callable[[], None]) -> str | None:
        """Open the draft's form with what was typed; done runs once it closes; say why not."""


@runtime_checkable
class HoldsTyping(Protocol):
    """A screen where a person may have typed something not saved yet."""

    def has_unsaved_changes(self) -> bool:
        """Whether quitting now would throw away what was typed."""


LEAVE_ON = (signal.SIGTERM, signal.SIGHUP)
"""Signals on which the app leaves as quitting does: terminal restored, last change written."""
SIGNAL_WRITE_WAIT = 5.0
"""Seconds a signalled app waits for its queued writes before it exits anyway."""
LEAVE_DEADLINE = SIGNAL_WRITE_WAIT + 5.0
"""Seconds after a signal by which the process has ended, however leaving went.

Restoring a terminal that is gone (a dropped SSH connection) can block Textual's
output thread for good, leaving a process behind per dropped session. By then
the drafts are kept and the writes done or abandoned whole, and the lock goes
with the process, so ending it loses nothing.
"""

RESTORE_WAIT = 3.0
"""Seconds a signalled app gives Textual to restore the terminal once its writes are done.

Ample for a terminal that is there (a second's settling and the restore); one
that is gone blocks the restore for good, and then the process ends here rather
than at LEAVE_DEADLINE: nothing is left to lose by then.
"""

QUIT_AGAIN_WITHIN = 4.0
"""Seconds in which a second quit key confirms throwing away an unsaved form."""
QUIT_SAVE_WAIT = 5.0
"""Seconds a quit waits for the saves on their way from a screen that saves as it goes,
before it asks rather than quit on a save that may yet be refused."""
FIELD_CATCH_UP = 1.0
"""Seconds a quit waits for the focused field to take the keys typed before it."""


class IctuiApp(App[None]):
    """ictui: a team's internal customers, contact points and service, in the terminal."""

    CSS_PATH = STYLESHEETS  # absolute paths: subclasses live elsewhere
    BINDINGS: ClassVar[list[BindingType]] = [
        # Two keys, one id: the footer shows ?, the help lists both.
        Binding(
            "question_mark", "help", "Help", key_display="?", tooltip="Keys and help", id="app.help"
        ),
        Binding("f1", "help", "Help", show=False, tooltip="Keys and help", id="app.help"),
        # Textual's own quit and palette keys, given ids so that a keymap can move them.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit the app and return to the command prompt.",
            show=False,
            priority=True,
            id="app.quit",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            tooltip="Every action of this screen by name, and the screens to go to",
            id="app.palette",
        ),
        *place_bindings(),
    ]

    DEFAULT_MODE = HOME.id
    """The screen the app opens on; it fills in when the team file has been read."""

    # Not repainted by the app: each screen draws what changed. A repaint here
    # drew the whole screen again at every reading (50-70 ms at 120x40, 100k).
    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    """The team file as last read; screens watch it."""

    def __init__(
        self,
        store: Store,
        *,
        demo_path: Path | None = None,
        preferences_path: Path | None = None,
        drafts_folder: Path | None = None,
        web: bool = False,
    ) -> None:
        """Open store; preferences_path, when given, is where the person's theme is kept.

        web: the app is at the browser door (`ictui serve`), run as the serving account,
        so it first asks the person's name, recorded marked (web) beside that account.
        """
        super().__init__()
        self.store = store
        self.drafts_folder = drafts_folder
        """Where what a form held unsaved is kept if the app must leave (SIGHUP), and
        offered back from at the next start; None keeps none."""
        self.web = web
        self.read_only = False
        """Whether this person may only read the team file (said in the header from the start)."""
        self._who = ""  # who is at the keyboard, as the header says it (set on mount)
        self.demo_path = demo_path
        self.preferences_path = preferences_path
        self._preferences = Preferences()
        self.keymap: dict[str, str] = {}
        """The person's own keys, by the id of what they do (from their preferences)."""
        self.feed = ChangeFeed(lambda: self.store)
        """The readings of the team file, the newest shown."""
        self._writes: WriteQueue | None = None  # made on first use: see writes
        self._reading = False  # a reading of the file is under way
        self._read_again = False  # asked for while one was: one more follows it
        self._first_rows_shown = False
        self._start_paused = False  # collecting garbage, until the first rows are up
        self._problems_said = 0  # records found to break the rules, as last told
        self._quit_asked_at = -QUIT_AGAIN_WITHIN  # when a quit was held back for an open form
        self._quit_waiting = False  # a quit waits for a screen's saves on their way
        self._signals: list[int] = []  # the signals this app handles, while it runs
        self.over_ssh = over_ssh()
        """Whether the person is over SSH: no animation, no blinking cursor (a frame each)."""
        if self.over_ssh and not os.environ.get("TEXTUAL_ANIMATIONS"):
            self.animation_level = "none"

    # -- the clock and the title --------------------------------------------------------

    def today(self) -> dt.date:
        """Return today's date where the person is, by the store's clock."""
        return self.store.clock().astimezone().date()

    def _say_if_read_only(self) -> None:
        """Say at the start, not at the first save, that this person cannot write the file."""
        problem = self.store.write_problem()
        if problem is None:
            return
        self.read_only = True
        self.sub_title = self._who = f"{self._who} · read-only"
        self.notify(
            f"{for_display(self.store.path.name)} {for_display(problem)}.",
            title="Read-only",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def _writable_again(self) -> None:
        """A write went in: the file said read-only at the start may be written now."""
        self.read_only = False
        self._who = self._who.removesuffix(" · read-only")
        self.sub_title = self.sub_title.replace(" · read-only", "")
        self.notify("The team file can be written again.", title="Read-only no more", timeout=5)

    def _set_titles(self) -> None:
        author = self.store.author
        self.title = f"ictui · {one_line(self.store.path.name)}"
        self.sub_title = person_words(author.account, author.name)
        self._who = self.sub_title

    def _ask_web_name(self, problem: str = "") -> None:
        """Ask who is at the browser door: the account there is the serving one, not theirs."""
        from ictui.screens.ask_name import AskName

        explain = (
            "This is ictui in a browser, running as the account that serves it. Type your "
            "name: each change you make is recorded under it, marked (web)."
        )
        ask = AskName(
            "Who are you?",
            f"{problem}\n\n{explain}" if problem else explain,
            "",
            [],
            known_only=False,
            placeholder="your name",
        )
        self.push_screen(ask, self._web_name_given)

    def _web_name_given(self, name: str | None) -> None:
        from ictui.teamfile.identity import web_author

        if name is None:  # Escape: there is nothing behind this question to go back to
            self._ask_web_name("Your name is needed before you start.")
            return
        try:
            self.store.author = web_author(name)
        except InvalidInput as error:
            self._ask_web_name("That name cannot be recorded: " + error.problems[0][1] + ".")
            return
        self._set_titles()
        if self.read_only:
            self.sub_title = self._who = f"{self._who} · read-only"

    # -- start-up --------------------------------------------------------------------------

    def on_load(self) -> None:
        """Start reading the team file while the terminal and the first screen get ready."""
        # Starting makes tens of thousands of objects (widgets, styles, records)
        # that live as long as the app; a collection of garbage among them
        # mid-start cost about a tenth of the first frame. Collecting starts
        # once the first rows are up, with those objects kept out of it.
        collector.pause()
        self._start_paused = True
        self.reload()
        if self.preferences_path is not None:
            # A few bytes, read before the first frame so that it has the right colours
            # and the person's own keys.
            self._preferences = load_preferences(self.preferences_path)
            if self._preferences.theme in self.available_themes:
                self.theme = self._preferences.theme
            self.keymap = dict(self._preferences.keys)
            self.set_keymap(self.keymap)

    def get_default_screen(self) -> Screen[Any]:
        """Open on HOME as Textual opens a default screen.

        Opened as a mode of MODES instead, its first frame would wait for Textual
        to apply every style a second time (about 35 ms of the start); HOME's
        styles are among the app's own (STYLESHEETS) anyway.
        """
        return ContactPointsScreen()

    def on_mount(self) -> None:
        """Start writing and watching the team file, and remembering the theme."""
        # Now a mode like the others, so that its key and command come back to it;
        # each other screen is made, and its code loaded, on its first visit.
        self.add_mode(HOME.id, ContactPointsScreen)
        for place in PLACES:
            if place.id != HOME.id:
                self.add_mode(place.id, place.open)
        self._set_titles()
        self._say_if_read_only()
        if self.web:
            self._ask_web_name()
        self.set_interval(POLL_SECONDS, self._poll)
        self._hear_signals()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.set_timer(DIALOG_STYLES_AFTER, self._read_dialog_styles)
        self.set_timer(COLLECT_AFTER, self._collect_garbage)  # a start that shows no rows
        if self._preferences.problems:
            self._say_keymap_problems(list(self._preferences.problems))

    def first_rows_shown(self) -> None:
        """Start what waits for the first frame with rows: the models, and a check of every record.

        The first frame is drawn without pydantic's models, which take about a
        third of the time to it; they load now, before anyone opens a form.
        Checking every record of a large file takes about a tenth of a second,
        so that waits too.
        """
        if not self._first_rows_shown:
            self._first_rows_shown = True
            self._collect_garbage()
            _ = self.writes  # its thread, ready for the first change
            self._load_writing()
            if self.drafts_folder is not None:
                self._look_for_drafts(self.drafts_folder)
            if self.snapshot is not None:
                self._check_records(self.snapshot)

    def _collect_garbage(self) -> None:
        """Collect garbage again, leaving out what the start made to last (gc.freeze)."""
        if self._start_paused:
            self._start_paused = False
            collector.resume(keep=True)

    def on_unmount(self) -> None:
        """Leave the interpreter collecting as it found it (tests run many apps in one)."""
        if self._start_paused:
            self._start_paused = False
            collector.resume()
        collector.thaw()
        self._stop_hearing_signals()

    # -- signals -------------------------------------------------------------------------

    def _hear_signals(self) -> None:
        """On SIGTERM or SIGHUP (a closed SSH session), leave as quitting does.

        Python's default for either ends the process at once, with the terminal
        left in the app's modes (alternate screen, mouse reporting, raw keys)
        and a change on its way lost.
        """
        loop = asyncio.get_running_loop()
        for signum in LEAVE_ON:
            try:
                loop.add_signal_handler(signum, self._signalled, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or no such signals here: Python's defaults stay
            self._signals.append(signum)

    def _stop_hearing_signals(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed already
            loop = asyncio.get_running_loop()
            for signum in self._signals:
                loop.remove_signal_handler(signum)
        self._signals = []

    def _signalled(self, signum: int) -> None:
        """Save what waits for a pause, let the queued writes finish, restore the terminal, exit."""
        screen = self.screen
        if isinstance(screen, SavesAsItGoes):
            screen.flush_edits()
        drafts = self._typed_drafts()
        if not self.is_headless:  # a test's app shares its process with the tests
            ending = threading.Timer(LEAVE_DEADLINE, os._exit, args=(128 + signum,))
            ending.daemon = True
            ending.start()
        self.run_worker(self._leave(128 + signum, drafts), group="leave", exclusive=True)

    def _typed_drafts(self) -> list[Draft]:
        """Return what the open forms hold and nobody saved, to keep as drafts.

        Not the editors' (fields that save themselves): theirs is taken once the
        writes on their way are in (see _keep_editor_drafts).
        """
        drafts = []
        for screen in self.screen_stack:
            late = getattr(screen, "DRAFT_AFTER_WRITES", False)
            if isinstance(screen, KeepsDrafts) and not late:
                draft: Draft | None = None
                # Leaving goes on whatever a form does: the terminal is to be restored.
                with contextlib.suppress(Exception):
                    draft = screen.draft_to_keep()
                if draft is not None:
                    drafts.append(draft)
        return drafts

    async def _leave(self, return_code: int, drafts: Iterable[Draft] = ()) -> None:
        await self._keep_drafts(drafts)
        # A change shown at once is asked for once it is painted (a verdict switched):
        # callbacks run after the next frame in the order given, so once this one
        # runs, every write promised before the signal is queued.
        asked = asyncio.Event()
        self.call_after_refresh(asked.set)
        self.refresh()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asked.wait(), timeout=1)
        deadline = time.monotonic() + SIGNAL_WRITE_WAIT
        while self.writing and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self._keep_editor_drafts()
        if not self.is_headless:  # a test's app shares its process with the tests
            ending = threading.Timer(RESTORE_WAIT, os._exit, args=(return_code,))
            ending.daemon = True
            ending.start()
        await self._exit_settled(return_code)

    async def _keep_editor_drafts(self) -> None:
        """Keep what the editors' fields hold that the file did not take (refused, in a clash).

        An editor reopened on a draft and all saved since keeps none: its old
        draft is forgotten, so that it does not come back (unless some of its
        texts found no field, see RecordEditor.draft_spent).
        """
        if self.drafts_folder is None:
            return
        from ictui.user.drafts import discard

        for screen in self.screen_stack:
            if not isinstance(screen, KeepsDrafts) or not getattr(screen, "DRAFT_AFTER_WRITES", 0):
                continue
            draft: Draft | None = None
            with contextlib.suppress(Exception):  # leaving goes on whatever a screen does
                draft = screen.draft_to_keep()
            if draft is not None:
                await self._keep_drafts([draft])  # under the reopened one's name, if any
            elif screen.reopened_from is not None and getattr(screen, "draft_spent", True):
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(discard, self.drafts_folder, screen.reopened_from)

    async def _keep_drafts(self, drafts: Iterable[Draft]) -> None:
        if self.drafts_folder is not None:
            from ictui.user.drafts import keep

            for draft in drafts:
                with contextlib.suppress(OSError, ValueError):  # no one is left to tell
                    await asyncio.to_thread(keep, self.drafts_folder, draft)

    async def _exit_settled(self, return_code: int = 0) -> None:
        """Exit once no filter bar is adding choices (a second at most): see FilterBar.settle."""
        for bar in FilterBar.mounted():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bar.settle(), timeout=1)
        self.exit(return_code=return_code)

    # -- drafts kept when the app last left mid-form -----------------------------------------

    @work(thread=True, group="drafts", exit_on_error=False)
    def _look_for_drafts(self, folder: Path) -> None:
        from ictui.user.drafts import drafts_for

        drafts = drafts_for(folder, str(self.store.path))
        if drafts:
            self.call_from_thread(self._offer_drafts, drafts)

    def _offer_drafts(self, drafts: list[Draft]) -> None:
        """Offer each draft in turn: reopen its form, discard it, or keep it for later."""
        from ictui.screens.draft_offer import DISCARD, REOPEN, DraftOfferScreen

        if not drafts:
            return
        draft, rest = drafts[0], drafts[1:]

        def answered(answer: str | None) -> None:
            if answer == REOPEN:
                self.run_worker(self._reopen(draft, rest), group="reopen")
                return
            if answer == DISCARD:
                self._forget_draft(draft)
            self._offer_drafts(rest)

        kept_at = draft.kept_at.replace("T", " ")[:16]
        offer = DraftOfferScreen(draft.form, draft.record_id, kept_at, on_record=draft.on_record)
        self.push_screen(offer, answered)

    async def _reopen(self, draft: Draft, rest: list[Draft]) -> None:
        if draft.place in {place.id for place in PLACES} and draft.place != self.current_mode:
            await self.switch_mode(draft.place)
        screen = self.screen

        def done() -> None:
            self._forget_draft(draft)
            self._offer_drafts(rest)

        if isinstance(screen, ReopensForms):
            problem = screen.reopen_form(draft, done)
        else:
            problem = "this screen has no form to put it in"
        if problem is not None:
            self.notify(
                f"The draft of a {draft.form} cannot be reopened: {problem}. It is kept.",
                title="Draft not reopened",
                severity="warning",
                timeout=8,
                markup=False,
            )
            self._offer_drafts(rest)

    async def _settle_reopened_drafts(self) -> None:
        """On a quit, spend the drafts of reopened forms, unless one holds typing not asked about.

        The form on top was asked about (a second quit throws its typing away)
        or holds nothing unsaved: its draft goes. One under another screen (the
        help) was not asked about: what it holds now is kept for the next start.
        """
        if self.drafts_folder is None:
            return
        from ictui.user.drafts import discard, keep

        for screen in self.screen_stack:
            if not isinstance(screen, KeepsDrafts) or screen.reopened_from is None:
                continue
            if not getattr(screen, "draft_spent", True):
                continue  # an editor that could not put all of it back: kept for next time
            now: Draft | None = None
            if screen is not self.screen:
                with contextlib.suppress(Exception):  # quitting goes on whatever a form does
                    now = screen.draft_to_keep()
            # A draft is a convenience: never stops a quit.
            with contextlib.suppress(OSError, ValueError):
                await asyncio.to_thread(discard, self.drafts_folder, screen.reopened_from)
                if now is not None:
                    await asyncio.to_thread(keep, self.drafts_folder, now)

    @work(thread=True, group="drafts", exit_on_error=False)
    def _forget_draft(self, draft: Draft) -> None:
        from ictui.user.drafts import discard

        if self.drafts_folder is not None:
            with contextlib.suppress(OSError):
                discard(self.drafts_folder, draft)

    # Only ahead of need: if it fails, the form or write that needs it imports it again.
    @work(thread=True, group="prepare", exit_on_error=False)
    def _load_writing(self) -> None:
        # The form brings the contact points' writes, the transaction and Textual's fields.
        from ictui.kinds import registry
        from ictui.kinds.schema import schema_of
        from ictui.screens import contact_form  # noqa: F401

        for kind in registry.KINDS:
            schema_of(kind).prepare()
        if self.keymap:
            # Every screen's keys are read to check the person's keys against them.
            from ictui.screens.keys import keymap_problems

            problems, left_out = keymap_problems(self.keymap, type(self))
            if left_out:
                self.call_from_thread(self._leave_out_keys, left_out)
            if problems:
                self.call_from_thread(self._say_keymap_problems, problems)

    def _leave_out_keys(self, left_out: set[str]) -> None:
        """Give back their own keys to what the person's keymap cannot move as it says."""
        self.keymap = {i: keys for i, keys in self.keymap.items() if i not in left_out}
        self.set_keymap(self.keymap)

    def _say_keymap_problems(self, problems: list[str]) -> None:
        where = self.preferences_path or "your preferences"
        self.notify(
            "\n".join(problems),
            title=f"Keys not used from {where}",
            severity="warning",
            timeout=15,
            markup=False,
        )

    @work(thread=True, group="check", exclusive=True)
    def _check_records(self, snapshot: Snapshot) -> None:
        # Cheap after the first time: a snapshot keeps the verdicts of unchanged records.
        worker = get_current_worker()

        def go_on() -> bool:
            # Nobody waits for this: a listing or a reading asked meanwhile goes first,
            # and a newer snapshot's check (exclusive) ends this one.
            if not worker.is_cancelled:
                lane.give_way()
            return not worker.is_cancelled

        # The records checked here last as long as the file is unchanged (see collector).
        with lane.turn(background=True), collector.paused():
            if worker.is_cancelled or not snapshot.check_every_record(between=go_on):
                return
            problems = len(snapshot.problems)
        self.call_from_thread(self._say_problems, snapshot.path, problems)

    def _say_problems(self, path: Path, problems: int) -> None:
        """Tell the person when records cannot be shown as stored, whenever their count changes."""
        if path != self.store.path or problems == self._problems_said:
            return
        self._problems_said = problems
        if problems:
            self.notify(
                f"{breaking(problems)} the team file's rules in {path.name}; what cannot "
                f"be read is not shown. `ictui check --db {shlex.quote(str(path))}` says "
                "which and why.",
                title="Team file needs a look",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _read_dialog_styles(self) -> None:
        """Read and parse the next dialog's styles, then the next one's a moment later.

        One at a time, parsed alone (Textual keeps what it parsed before): all
        at once, with the app's own parsed again and the screen restyled, held
        the keys for 110 ms just after the first frame. A dialog's rules name
        its screen, so the screen on view needs no restyling.
        """
        # A dialog opened sooner has read its own; each screen still names its file.
        unread = [p for p in DIALOG_STYLESHEETS if not self.stylesheet.has_source(str(p))]
        if unread:
            self.stylesheet.read(unread[0])
            self.stylesheet.parse()
            if len(unread) > 1:
                self.set_timer(DIALOG_STYLE_GAP, self._read_dialog_styles)

    def on_key(self, event: events.Key) -> None:
        """Give a dialog the keys typed ahead of it, which no field was there to take.

        Keys typed while a dialog opens were sent to the screen beneath, and
        reach the app only after the dialog is up: without this they are lost.
        Before a field has focus the dialog keeps them, Tab included, to play
        them in once it is up; a character that comes later this way goes to
        the focused text field (one typed straight into it never gets here).
        """
        screen = self.screen
        if not isinstance(screen, TakesTypeAhead):
            return
        # Imported here: the first frame has no text area, and importing one costs it ~10 ms.
        from textual.widgets import Input, TextArea

        from ictui.widgets.toggle import TwoWayToggle

        ready = screen.focused is not None
        if event.is_printable and event.character is not None:
            # A switch takes characters too: it says that text typed at it was not kept.
            takes = not ready or isinstance(screen.focused, Input | TextArea | TwoWayToggle)
        else:
            # The dialog moves on Tab itself, in order with the characters that
            # come this way around it; until a field has focus, it keeps it,
            # and Enter too, which means what it does in the field it reaches.
            takes = event.key in ("tab", "shift+tab") or (not ready and event.key == "enter")
        if takes:
            event.prevent_default()
            event.stop()
            screen.type_ahead(event.key, event.character)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Over SSH, keep a text field's cursor still: each blink is a frame sent down the link."""
        if self.over_ssh:
            from textual.widgets import Input, TextArea  # here: not in the first frame

            if isinstance(event.widget, Input | TextArea):
                event.widget.cursor_blink = False

    def _theme_changed(self, theme: Theme) -> None:
        if self.preferences_path is not None and theme.name != self._preferences.theme:
            self._preferences = replace(self._preferences, theme=theme.name)
            self._remember_theme(self.preferences_path, theme.name)

    @work(thread=True, group="preferences", exclusive=True)
    def _remember_theme(self, path: Path, theme: str) -> None:
        try:
            remember_theme(path, theme)
        except OSError as error:
            self.call_from_thread(
                self.notify,
                f"Could not remember the theme in {path}: {error.strerror}",
                severity="warning",
                timeout=5,
                markup=False,
            )

    def _first_read_failed(self, error: TeamFileError) -> None:
        from ictui.screens.start import RefusedScreen, WelcomeScreen

        if isinstance(error, TeamFileMissing):
            demo = self.demo_path or self.store.path.with_name("demo.json")
            self.push_screen(WelcomeScreen(self.store.path, demo), self._start_with)
        else:
            self.push_screen(RefusedScreen(self.store.path, error.reason), self._start_with)

    def _start_with(self, answer: str | None) -> None:
        from ictui.screens.start import DEMO, EMPTY

        if answer == DEMO:
            self.store = Store(
                self.demo_path or self.store.path.with_name("demo.json"),
                author=self.store.author,
                lock_timeout=self.store.lock_timeout,
                clock=self.store.clock,
            )
            self._set_titles()
            self._open(make_demo=True)
        elif answer == EMPTY:
            self._open(make_demo=False)
        else:
            self.call_later(self._exit_settled)

    @work(thread=True, group="open")
    def _open(self, make_demo: bool) -> None:
        try:
            if not self.store.exists():
                if make_demo:
                    from ictui.outputs.demo import write_demo

                    write_demo(self.store, self.today())
                else:
                    with self.store.transaction(create=True):
                        pass
        except IctuiError as error:
            self.call_from_thread(
                self._first_read_failed, TeamFileError(self.store.path, str(error))
            )
            return
        self.call_from_thread(self.reload)

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the team file again, in the background: at most one reading at a time.

        Asked while a reading is under way, one more follows it, however often it
        was asked meanwhile. At 100k records a reading outlasts the poll, and each
        poll then started another: several copies parsed at once, keys waiting.
        """
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self._read(self.feed.ask())

    @work(thread=True, group="load")
    def _read(self, sequence: int) -> None:
        self.post_message(ReadingDone(self.feed.read(sequence, self.snapshot)))

    def on_reading_done(self, message: ReadingDone) -> None:
        """Show a reading, unless a newer one is shown; keep the last good one if it failed."""
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.reload()
        self._show_reading(message.reading)

    def _show_reading(self, reading: Reading) -> None:
        act = self.feed.judge(reading)
        if reading.snapshot is not None and act is not Act.STALE:
            if act is Act.READABLE_AGAIN:
                self.notify("The team file can be read again.", timeout=3)
                self.sub_title = self._who
            if self.snapshot is not None:
                self._say_if_emptied(self.snapshot, reading.snapshot)
            self.snapshot = reading.snapshot
            if self._first_rows_shown:
                self._check_records(reading.snapshot)
        elif reading.error is not None and act is Act.REFUSED_AT_START:
            self._first_read_failed(reading.error)
        elif act is Act.UNREADABLE:
            # Said for as long as it lasts, in the header: a notice goes, and the
            # screen would look live while it shows the team as last read.
            self.sub_title = f"{self._who} · NOT LIVE: the team file cannot be read"
            self.notify(
                f"{reading.error}. Showing the team as last read; nothing was changed.",
                title="Team file unreadable",
                severity="error",
                timeout=10,
                markup=False,
            )

    def _say_if_emptied(self, before: Snapshot, now: Snapshot) -> None:
        """Say so when a team file that held records holds none: emptied, or replaced."""
        from ictui.kinds import registry

        held = sum(before.stored(kind) for kind in registry.KINDS)
        if held == 0 or any(now.stored(kind) for kind in registry.KINDS):
            return
        self.notify(
            f"{for_display(str(self.store.path))} now holds no records; it held {held:,} a "
            "moment ago. Someone may have emptied or replaced it: if that was a mistake, put "
            "the file back before anyone writes to it.",
            title="Team file emptied",
            severity="warning",
            timeout=20,
            markup=False,
        )

    def _poll(self) -> None:
        if self.feed.start_looking():
            self._look_for_changes()

    @work(thread=True, group="poll")
    def _look_for_changes(self) -> None:
        if self.feed.changed():
            self.call_from_thread(self.reload)

    # -- writing ---------------------------------------------------------------------------------

    @property
    def writes(self) -> WriteQueue:
        """The changes waiting to be written, in order: made, and its thread started, on first use.

        The first frame needs no writing: the queue comes with the first rows,
        or with a write asked for before them.
        """
        if self._writes is None:
            from ictui.teamfile.queue import WriteQueue

            # Told of each write as it lands: the app shows it without reading it back.
            self._writes = WriteQueue(lambda: self.store, feed=self.feed)
            self._write_loop(self._writes)
        return self._writes

    def write(self, write: Write, asker: DOMNode | None = None) -> None:
        """Queue a change of the team file; what becomes of it comes back to asker as WriteDone.

        Writes run one at a time in the order given, in a thread of their own.
        A busy file is tried again a few times, saying so; what a write leaves is
        shown without reading the file back (a refused one reads it again). An
        outcome nobody handles comes to the app,
        which says why a write was refused.
        """
        self.writes.put(write, asker)

    @property
    def writing(self) -> bool:
        """Whether a change is queued or being written."""
        return self._writes is not None and self._writes.pending

    @work(thread=True, group="write")
    def _write_loop(self, writes: WriteQueue) -> None:
        worker = get_current_worker()

        def report(outcome: Outcome) -> None:
            from ictui.teamfile.queue import Retrying

            # Read here, in the writing thread: who holds the lock is in its file.
            holder = self.store.lock_holder() if isinstance(outcome, Retrying) else ""
            self.call_from_thread(self._deliver, outcome, holder)

        writes.serve(report, lambda: worker.is_cancelled)

    def _deliver(self, outcome: Outcome, holder: str = "") -> None:
        from ictui.teamfile.queue import Retrying, Written

        if isinstance(outcome, Retrying):
            # The account alone: "ann", not "ann@host (pid 12)"; else "another process".
            who = holder.partition("@")[0] if "@" in holder else holder or "another writer"
            self.sub_title = f"{self._who} · waiting for {who}…"
            self.notify(
                f"The team file is busy: waiting for {who}… then trying to "
                f"{outcome.write.what} again ({outcome.attempt}). Keep working meanwhile.",
                severity="warning",
                timeout=3,
                markup=False,
            )
            return
        if "waiting for" in self.sub_title:
            self.sub_title = self._who
        if isinstance(outcome, Written) and self.read_only:
            self._writable_again()
        asker = outcome.asker
        delivered = isinstance(asker, DOMNode) and asker.post_message(WriteDone(outcome))
        if not delivered:
            self.post_message(WriteDone(outcome))
        if not isinstance(outcome, Written):
            self.reload()  # refused or in conflict: the file may hold someone else's change
        elif outcome.reading is not None:
            # The file as this write left it: no reading back. Someone else's write
            # after it changes the file's token, and the next look reads that.
            self.call_later(self._show_reading, outcome.reading)

    def on_write_done(self, message: WriteDone) -> None:
        """Say why a write was refused, when the one who asked did not."""
        from ictui.teamfile.queue import Conflicted, Refused

        outcome = message.outcome
        if isinstance(outcome, Refused):
            self.report_failure(outcome.write.what, outcome.error)
        elif isinstance(outcome, Conflicted):
            self.report_failure(outcome.write.what, outcome.conflict)

    def report_failure(self, what: str, error: IctuiError) -> None:
        """Say that a change could not be written, and why."""
        from ictui.errors import InvalidInput
        from ictui.kinds.registry import labelled

        title = f"Could not {what}"
        said = labelled(error) if isinstance(error, InvalidInput) else str(error)
        self.notify(said, title=title, severity="error", timeout=8, markup=False)

    async def action_quit(self) -> None:
        """Quit once every queued change is written (waiting at most a few seconds).

        With a form open on something typed and not saved, only a second quit
        within a few seconds quits, as a second Escape closes the form. A screen
        that saves as it goes is asked only once its saves on their way are in:
        asked straight after they are queued, it would not know of one refused
        (a file turned read-only), and its text would go with the app.
        """
        screen = self.screen
        await self._focused_caught_up()
        if isinstance(screen, SavesAsItGoes):
            screen.flush_edits()  # queued now: the wait below covers it
        asked = time.monotonic() - self._quit_asked_at <= QUIT_AGAIN_WITHIN
        if isinstance(screen, HoldsTyping) and not asked:
            if isinstance(screen, SavesAsItGoes) and self.writing:
                # In a worker: the app goes on drawing (saying it saves) and taking keys.
                if not self._quit_waiting:  # a second quit meanwhile waits with the first
                    self._quit_waiting = True
                    self.run_worker(self._quit_once_saved(screen), group="quit")
                return
            if screen.has_unsaved_changes():
                self._say_not_saved(screen)
                return
        await self._quit_now()

    async def _focused_caught_up(self) -> None:
        """Wait (a second at most) until the focused widget has taken the keys sent to it.

        Quit is the app's own key, acted on as it arrives: keys typed just before
        it (a fast typist, a paste, a slow link) may still wait in the field's
        queue, and what is saved on the way out would be without them.
        """
        focused = self.screen.focused
        if focused is None:
            return
        caught_up = asyncio.Event()
        focused.call_later(caught_up.set)  # after what is queued for it already
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(caught_up.wait(), FIELD_CATCH_UP)

    async def _quit_once_saved(self, screen: Screen[Any]) -> None:
        """Quit once screen's saves on their way are in; if one is refused or late, say so."""
        try:
            settled = await self._saves_settled(screen)
        finally:
            self._quit_waiting = False
        # A screen closed meanwhile was left as the person chose (asked, if it had to).
        if isinstance(screen, HoldsTyping) and screen.is_attached:
            if not settled:
                self._say_not_saved(screen, still_saving=True)
                return
            if screen.has_unsaved_changes():
                self._say_not_saved(screen)
                return
        await self._quit_now()

    async def _saves_settled(self, screen: Screen[Any]) -> bool:
        """Wait, a few seconds at most, until no write is on its way and screen heard of each.

        Return whether it came to that: False if a write was still on its way.
        """
        start = time.monotonic()
        said = False
        while time.monotonic() - start < QUIT_SAVE_WAIT:
            if not self.writing:
                # Each outcome was posted to the screen before the queue let go of
                # it: once the screen runs this callback, it has taken them in (a
                # refusal marks its field; a conflict may write again: waited for).
                heard = asyncio.Event()
                if not screen.call_later(heard.set):
                    return True  # the screen is closing: nothing more to hear
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(heard.wait(), timeout=1)
                if not self.writing:
                    return True
            if not said and time.monotonic() - start >= SAY_SAVING_AFTER:
                said = True
                self.notify("Saving… the app quits once what you typed is in.", timeout=3)
            await asyncio.sleep(0.05)
        return False

    def _say_not_saved(self, screen: Screen[Any], *, still_saving: bool = False) -> None:
        """Hold a quit back, saying why and that a second quit throws the typing away."""
        self._quit_asked_at = time.monotonic()
        again = say_key(screen, "app.quit")
        if still_saving:
            self.notify(
                f"Still saving after {QUIT_SAVE_WAIT:g} seconds (the team file is busy). "
                f"Press {again} again to quit all the same: what is not in yet may be lost.",
                title="Not saved yet",
                severity="warning",
                timeout=QUIT_AGAIN_WITHIN,
                markup=False,  # key names in a keymap may be brackets
            )
            return
        try:
            save = f", or {say_key(screen, 'form.save')} to save it"
        except LookupError:  # a screen that saves as it goes: nothing to press
            save = ""
        self.notify(
            f"This is not saved. Press {again} again to quit and throw it away{save}.",
            title="Not saved yet",
            severity="warning",
            timeout=QUIT_AGAIN_WITHIN,
            markup=False,
        )

    async def _quit_now(self) -> None:
        """Quit: the drafts of reopened forms settled, the queued changes written (10 s at most)."""
        await self._settle_reopened_drafts()
        deadline = time.monotonic() + 10
        if self.writing:
            self.notify("Saving your last change…", timeout=2)
        while self.writing and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self._exit_settled()

    # -- navigation, help and the command palette ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep the team's screens and the palette away while a start screen asks what to open.

        Under it there is no team yet (a missing or refused file): a screen
        reached past it would show nothing and write where nobody chose to.
        """
        no_team = getattr(self.screen, "SHOWS_NO_TEAM", False)
        return not (no_team and action in ("go", "command_palette"))

    def action_go(self, place_id: str) -> None:
        """Show one of the app's screens, as it was left; from a screen opened on it, the screen.

        In a worksheet opened from the interviews, going to the interviews goes
        back to their list (the worksheet saves what was typed on the way).
        """
        if place_id != self.current_mode:
            self.switch_mode(place_id)
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def action_help(self) -> None:
        """Show help for the current screen, with its keys as they are bound."""
        from ictui.screens.help import HelpScreen

        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Offer Textual's commands, every screen, and every action of the current screen."""
        yield from super().get_system_commands(screen)
        for place in PLACES:
            key = say_key(screen, f"go.{place.id}")
            yield SystemCommand(
                f"Go to {place.title}",
                f"{place.summary}; key: {key}",
                partial(self.action_go, place.id),
            )
        yield SystemCommand("Help", "Keys and help for this screen", self.action_help)
        offered: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # A widget's hidden keys move its cursor: navigation, not something to do.
            moves_a_cursor = active.node not in (screen, self) and not binding.show
            if (
                not binding.description
                or binding.action in offered
                or binding.action.startswith(("go(", "help", "command_palette", "quit"))
                or not active.enabled
                or moves_a_cursor
            ):
                continue
            offered.add(binding.action)
            key = self.get_key_display(binding)
            # The footer's word leads, so that typing what the footer says finds it.
            title = binding.description
            if active.tooltip and active.tooltip != title:
                title = f"{title}: {active.tooltip}"
            yield SystemCommand(
                title, f"key: {key}", partial(self._run_on, screen, binding.action, active.node)
            )
        # After the screen's actions: with nothing typed yet, those come first.
        if isinstance(screen, OffersCommands):
            for title, help_text, run in screen.palette_commands():
                if getattr(run, "__name__", "").removeprefix("action_") in offered:
                    continue  # a key's action, offered above under its footer word
                # Textual's palette reads both as markup; these hold names people typed.
                yield SystemCommand(escape_markup(title), escape_markup(help_text), run)

    async def _run_on(self, screen: Screen[Any], action: str, node: DOMNode) -> None:
        """Run a screen's action chosen in the palette, unless the screen has closed meanwhile.

        The palette runs its command once it has closed, after any key already
        typed: an Escape there may have closed the form the command was for.
        """
        if screen in self.screen_stack:
            await self.run_action(action, node)


def keys_of_the_app(
    keymap: Mapping[str, str],
) -> tuple[list[KeyEntry], list[str], set[str]]:
    """Return every key a person's keymap may move, what in keymap cannot work, and its ids."""
    from ictui.screens.keys import every_key, keymap_problems

    return every_key(IctuiApp), *keymap_problems(keymap, IctuiApp)
