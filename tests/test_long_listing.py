"""A long listing is made in a thread: the screen shows the same rows, tally and changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Verdict
from ictui.screens.contact_points import ContactPointsScreen
from ictui.services.partners import partner_names
from ictui.services.stats import newest_first, tally_by_partner
from ictui.teamfile import lane
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.widgets.contact_detail import ContactDetail
from ictui.widgets.filter_bar import ANY
from ictui.widgets.record_table import Listing
from ictui.widgets.tally import TallyTable

from .apptools import (
    ALL_TIME,
    cursor_id,
    demo_store,
    let_go,
    lock_held,
    make_app,
    shown_ids,
    started,
    until,
)
from .conftest import BOB, TODAY, checked, fixed_clock

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    # Every listing counts as long: each one is made in a thread.
    monkeypatch.setattr(ContactPointsScreen, "LISTED_IN_A_THREAD", 0)
    return demo_store(tmp_path, contacts=120)


def listing_now(app) -> bool:  # type: ignore[no-untyped-def]
    """Whether a listing is being made in a thread."""
    return any(w.group == "listing" and not w.is_finished for w in app.workers)


def tallied(app) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    return {
        t.partner_id: (t.success, t.needs_improvement)
        for t in app.screen.query_one(TallyTable).tallies
    }


async def test_all_time_filters_and_the_tally_come_from_the_thread(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        two_weeks = len(shown_ids(app))
        await pilot.press(*ALL_TIME)
        everything = store.read().all(ContactPoint)
        assert len(everything) > two_weeks
        await until(pilot, lambda: len(shown_ids(app)) == len(everything) and not listing_now(app))
        expected = {
            pid: (t.success, t.needs_improvement) for pid, t in tally_by_partner(everything).items()
        }
        assert tallied(app) == expected
        assert (
            str(app.screen.query_one("#table").border_title) == f"{len(everything)} contact points"
        )
        # The newest filter wins, whichever listing finishes first.
        app.screen.query_one("#verdict", Select).value = Verdict.NEEDS_IMPROVEMENT.value
        app.screen.query_one("#verdict", Select).value = Verdict.SUCCESS.value
        success = sorted(p.id for p in everything if p.verdict is Verdict.SUCCESS)
        await until(pilot, lambda: sorted(shown_ids(app)) == success)
        await until(pilot, lambda: not listing_now(app))
        assert app.screen.query_one("#table").border_subtitle is None  # "listing…" is gone
        assert sorted(shown_ids(app)) == success


async def test_a_delete_leaves_at_once_and_a_colleagues_write_comes_in(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = []
    listing = ContactPointsScreen.listing

    def counted(screen: ContactPointsScreen, snapshot: Snapshot) -> Listing[ContactPoint]:
        listings.append(snapshot)
        return listing(screen, snapshot)

    monkeypatch.setattr(ContactPointsScreen, "listing", counted)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        first = cursor_id(app)
        with lock_held(store) as holder:  # the delete waits to be written
            made = len(listings)
            await pilot.press("delete")
            # Gone at once: the listing made in the thread is used again, not made
            # anew (at 100,000 contact points that takes a second).
            assert first not in shown_ids(app)
            assert len(listings) == made
            let_go(holder)
        await until(pilot, lambda: store.read().get(ContactPoint, first).deleted)  # type: ignore[union-attr]
        await until(pilot, lambda: app.was_told("Deleted"))
        assert first not in shown_ids(app)
        stored = store.read().get(ContactPoint, cursor_id(app))
        assert stored is not None
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        colleague.update(ContactPoint, stored.id, stored.rev, why="Bob's words, from his terminal")
        await until(
            pilot, lambda: "Bob's words" in str(app.screen.query_one(ContactDetail).render())
        )
        assert first not in shown_ids(app)


async def test_a_search_cleared_or_filter_chosen_again_shows_its_listing_without_making_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    listing = ContactPointsScreen.listing

    def counted(screen: ContactPointsScreen, snapshot: Snapshot) -> Listing[ContactPoint]:
        made.append(screen.filters)
        return listing(screen, snapshot)

    monkeypatch.setattr(ContactPointsScreen, "listing", counted)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        await pilot.press(*ALL_TIME)
        everything = sorted(p.id for p in store.read().all(ContactPoint))
        await until(pilot, lambda: sorted(shown_ids(app)) == everything and not listing_now(app))
        verdict = screen.query_one("#verdict", Select)
        verdict.value = Verdict.SUCCESS.value
        success = sorted(
            p.id for p in store.read().all(ContactPoint) if p.verdict is Verdict.SUCCESS
        )
        await until(pilot, lambda: sorted(shown_ids(app)) == success and not listing_now(app))
        # Each listing made once (100,000 contact points: a second each), then shown again at once.
        before = len(made)
        for value, expected in ((ANY, everything), (Verdict.SUCCESS.value, success)):
            verdict.value = value
            await until(pilot, lambda: screen.listing_shown and not listing_now(app))
            assert sorted(shown_ids(app)) == expected
        assert len(made) == before
        # A colleague's write is a new reading: the listing shown is patched by what
        # it changed; the others kept are of the old reading, and made anew.
        stored = next(p for p in store.read().all(ContactPoint) if p.verdict is Verdict.SUCCESS)
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        colleague.update(ContactPoint, stored.id, stored.rev, verdict=Verdict.NEEDS_IMPROVEMENT)
        success = [i for i in success if i != stored.id]
        await until(pilot, lambda: sorted(shown_ids(app)) == success and not listing_now(app))
        assert len(made) == before
        verdict.value = ANY
        await until(pilot, lambda: sorted(shown_ids(app)) == everything and not listing_now(app))
        assert len(made) == before + 1  # made anew for the new reading


async def test_a_write_patches_the_listing_and_tally_as_a_fresh_listing_would_show_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Snapshot] = []
    listing = ContactPointsScreen.listing

    def counted(screen: ContactPointsScreen, snapshot: Snapshot) -> Listing[ContactPoint]:
        made.append(snapshot)
        return listing(screen, snapshot)

    def fresh() -> tuple[list[int], dict[int, tuple[int, int]]]:
        points = newest_first(store.read().all(ContactPoint))
        tallies = tally_by_partner(points)
        return [p.id for p in points], {
            pid: (t.success, t.needs_improvement) for pid, t in tallies.items()
        }

    def shown() -> tuple[list[int], dict[int, tuple[int, int]]]:
        return shown_ids(app), tallied(app)

    monkeypatch.setattr(ContactPointsScreen, "listing", counted)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press(*ALL_TIME)
        await until(pilot, lambda: shown() == fresh() and not listing_now(app))
        before = len(made)
        # Our own write, a colleague's new point and a colleague's delete: patched.
        point = cursor_id(app)
        was = store.read().get(ContactPoint, point).verdict  # type: ignore[union-attr]
        app.screen.table.focus()  # type: ignore[attr-defined]
        await pilot.press("v")
        await until(pilot, lambda: store.read().get(ContactPoint, point).verdict is not was)  # type: ignore[union-attr]
        await until(pilot, lambda: shown() == fresh() and not app.writing)
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        oldest = store.read().all(ContactPoint)[0]
        new = colleague.add(
            checked(
                ContactPoint,
                partner_id=oldest.partner_id,
                date=str(TODAY),
                direction=oldest.direction,
                verdict=oldest.verdict.toggled(),  # the tally changes
                why="Bob logged it",
            )
        )
        colleague.delete(ContactPoint, oldest.id, oldest.rev)
        await until(pilot, lambda: new.id in shown_ids(app) and oldest.id not in shown_ids(app))
        await until(pilot, lambda: shown() == fresh() and not listing_now(app))
        assert len(made) == before
        # A partner renamed: the names in the listing change, so it is made anew.
        partner = store.read().all(Partner)[0]
        colleague.update(Partner, partner.id, partner.rev, name="Renamed by Bob")
        names = app.screen.query_one(TallyTable)
        await until(pilot, lambda: any(t.name == "Renamed by Bob" for t in names.tallies))
        await until(pilot, lambda: shown() == fresh() and not listing_now(app))
        assert len(made) == before + 1


# -- found by review ----------------------------------------------------------------------------


@pytest.fixture
def slow_listing(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Hold each listing made in a thread until let go; count how many are made at once."""
    state: dict[str, Any] = {"gate": threading.Event(), "now": 0, "most": 0, "pause": 0.0}
    state["gate"].set()
    listing = ContactPointsScreen.listing
    lock = threading.Lock()

    def held(screen: ContactPointsScreen, snapshot: Snapshot) -> Listing[ContactPoint]:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            state["gate"].wait(10)
            time.sleep(state["pause"])  # the work of a long listing, standing in
            return listing(screen, snapshot)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(ContactPointsScreen, "listing", held)
    return state


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> Callable[..., bool]:
    """First screens of 3 rows; the app checks no record after start (as at 100,000, at
    first). Return the check, to make it by hand."""
    check_every_record = Snapshot.check_every_record
    monkeypatch.setattr(ContactPointsScreen, "FIRST_SCREEN", 3)
    monkeypatch.setattr(Snapshot, "check_every_record", lambda *_, **__: False)
    return check_every_record


async def test_all_time_shows_its_newest_rows_before_the_listing_is_done(
    store: Store, slow_listing: dict[str, Any], unchecked: Callable[..., bool]
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        assert len(shown_ids(app)) > 3  # the two weeks: more than a first screen
        everything = newest_first(store.read().all(ContactPoint))
        slow_listing["gate"].clear()  # the whole listing waits: its first screen does not
        await pilot.press(*ALL_TIME)
        newest = [p.id for p in everything[:3]]
        await until(pilot, lambda: shown_ids(app) == newest)
        assert str(screen.table.border_title) == "Newest 3 contact points, counting…"
        assert screen.table.border_subtitle == "listing…"
        assert screen.query_one("#tally").border_title == "Tally: All time, counting…"
        assert screen.query_one(TallyTable).tallies == ()  # not the two weeks' counts
        assert cursor_id(app) == newest[0]
        screen.table.focus()
        await pilot.press("down", "down")  # the rows shown answer keys meanwhile
        assert cursor_id(app) == newest[2]
        kept = cursor_id(app)
        slow_listing["gate"].set()
        await until(pilot, lambda: len(shown_ids(app)) == len(everything) and not listing_now(app))
        assert shown_ids(app) == [p.id for p in everything]
        assert cursor_id(app) == kept  # the cursor stays on its record
        assert str(screen.table.border_title) == f"{len(everything)} contact points"
        assert screen.table.border_subtitle is None
        assert screen.query_one("#tally").border_title == "Tally: All time"


async def test_heavy_work_is_held_off_while_a_listing_is_drawn_and_let_go_once_drawn(
    store: Store,
    slow_listing: dict[str, Any],
    unchecked: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(lane, "screen_drawing", lambda: said.append("drawing"))
    monkeypatch.setattr(lane, "screen_drawn", lambda: said.append("drawn"))
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: not listing_now(app))
        await pilot.pause()
        said.clear()
        everything = store.read().all(ContactPoint)
        slow_listing["gate"].clear()
        await pilot.press(*ALL_TIME)
        await until(pilot, lambda: said == ["drawing", "drawn"])  # its first screen, drawn
        slow_listing["gate"].set()
        await until(pilot, lambda: len(shown_ids(app)) == len(everything) and not listing_now(app))
        await until(pilot, lambda: said == ["drawing", "drawn"] * 2)  # and all of it, drawn


async def test_no_first_screen_where_the_listing_is_quick(
    store: Store, unchecked: Callable[..., bool]
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        snapshot = app.snapshot
        assert snapshot is not None and snapshot.unchecked(ContactPoint) > 60
        # A period with a start: its listing checks only its own days.
        assert screen.first_screen(snapshot) is None
        screen.filters = replace(screen.filters, period="all")
        assert screen.first_screen(snapshot) is not None
        # Every point checked already (as the app does after start): only sorting is left.
        unchecked(snapshot, between=lambda: True)
        assert snapshot.unchecked(ContactPoint) == 0
        assert screen.first_screen(snapshot) is None


async def test_undo_while_the_listing_is_made_goes_back_to_the_record(
    store: Store, slow_listing: dict[str, Any]
) -> None:
    slow_listing["pause"] = 0.3  # each listing takes about as long as at 100,000
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("down", "down")
        deleted = cursor_id(app)
        await pilot.press("d")
        await until(pilot, lambda: app.was_told("Deleted"))
        await until(pilot, lambda: deleted not in shown_ids(app) and not listing_now(app))
        await pilot.press("down", "down")
        await pilot.press("u")
        await until(pilot, lambda: deleted in shown_ids(app) and not listing_now(app))
        await until(pilot, lambda: cursor_id(app) == deleted)
        assert not app.was_told("hide it")


async def test_filters_changed_and_back_while_listing_show_their_own_rows(
    store: Store, slow_listing: dict[str, Any]
) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        first = screen.filters
        verdict = app.screen.query_one("#verdict", Select)
        slow_listing["gate"].clear()
        for value in (Verdict.SUCCESS, Verdict.NEEDS_IMPROVEMENT, Verdict.SUCCESS):
            verdict.value = value.value
            await pilot.pause()
        slow_listing["gate"].set()
        success = {p.id for p in store.read().all(ContactPoint) if p.verdict is Verdict.SUCCESS}
        await until(pilot, lambda: not listing_now(app) and screen.listing_shown)
        assert set(shown_ids(app)) == success & set(shown_ids(app)) and shown_ids(app)
        assert screen.table.border_subtitle is None
        verdict.value = ANY  # back to every verdict: the listing made for it at the start
        await until(pilot, lambda: screen.listing_shown and screen.filters == first)
        await until(pilot, lambda: not listing_now(app))
        assert screen.table.border_subtitle is None
        assert slow_listing["most"] == 1  # one listing at a time, the newest asked after it


async def test_reading_checking_and_listing_take_turns(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each a second or more at 100,000 records: at once, every key waited on each.
    state = {"now": 0, "most": 0, "done": 0}
    lock = threading.Lock()

    def one_of_many(work: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            try:
                time.sleep(0.05)  # the work of a long file, standing in
                return work(*args, **kwargs)
            finally:
                with lock:
                    state["now"] -= 1
                    state["done"] += 1

        return counted

    def read_anew(app) -> bool:  # type: ignore[no-untyped-def]
        shown = app.snapshot.get(ContactPoint, stored.id)
        return shown is not None and shown.why == "Bob's words, meanwhile"

    def checking_now(app) -> bool:  # type: ignore[no-untyped-def]
        return any(w.group == "check" and not w.is_finished for w in app.workers)

    stored = store.read().all(ContactPoint)[0]
    monkeypatch.setattr(Store, "read", one_of_many(Store.read))
    monkeypatch.setattr(ContactPointsScreen, "listing", one_of_many(ContactPointsScreen.listing))
    problems = vars(Snapshot)["problems"]  # the property itself, not its value
    monkeypatch.setattr(Snapshot, "problems", property(one_of_many(problems.fget)))
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        before = state["done"]
        await pilot.press(*ALL_TIME)
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        colleague.update(ContactPoint, stored.id, stored.rev, why="Bob's words, meanwhile")
        await until(pilot, lambda: stored.id in shown_ids(app) and read_anew(app))
        await until(pilot, lambda: not listing_now(app) and not checking_now(app))
        assert state["done"] - before >= 3  # a reading, a check and a listing at least
    assert state["most"] == 1


async def test_the_apps_writes_parse_the_file_only_after_a_colleagues(
    tmp_path: Path, parses: list[Path]
) -> None:
    # Long enough to be read in pieces, whose proof lets a write start from the
    # reading shown: at 100,000 points, parsing under the lock held the keys.
    store = demo_store(tmp_path, contacts=3000)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        point = cursor_id(app)

        def verdict() -> Verdict:
            # As written: the app shows its write from what it wrote, not read back.
            stored = app.snapshot.get(ContactPoint, point)  # type: ignore[union-attr]
            assert stored is not None
            return stored.verdict

        screen = app.screen
        assert isinstance(screen, ContactPointsScreen)
        parses.clear()
        for _ in range(2):
            before = verdict()
            screen.table.focus()
            await pilot.press("v")
            await until(pilot, lambda: verdict() is not before)  # noqa: B023 (awaited here)
            await until(pilot, lambda: not app.writing)
        assert parses == []  # neither write parsed the file: each knew it
        # Two at once (the second may start before the first is shown): neither parses.
        first, second = shown_ids(app)[:2]
        assert cursor_id(app) == first == point
        verdicts = {p.id: p.verdict for p in store.read().all(ContactPoint)}
        parses.clear()  # that reading, the test's own
        await pilot.press("v", "down", "v")

        def both_switched() -> bool:
            shown = app.snapshot
            return shown is not None and all(
                shown.get(ContactPoint, i).verdict is not verdicts[i]  # type: ignore[union-attr]
                for i in (first, second)
            )

        await until(pilot, lambda: both_switched() and not app.writing)
        assert parses == []
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        colleague.run(lambda tx: tx.new(Partner, name="Bob's partner"))
        parses.clear()  # the colleague's own write parses, as any write told nothing does
        await until(
            pilot,
            lambda: "Bob's partner" in partner_names(app.snapshot).values(),  # type: ignore[arg-type]
        )
        assert len(parses) == 1  # the app read the colleague's write
        before = verdict()
        await pilot.press("up", "v")
        await until(pilot, lambda: verdict() is not before)
        await until(pilot, lambda: not app.writing)
        assert len(parses) == 1  # and the write after it started from that reading
    now = store.read()
    assert "Bob's partner" in [p.name for p in now.all(Partner)]
    assert now.get(ContactPoint, point).verdict is verdict()  # type: ignore[union-attr]
