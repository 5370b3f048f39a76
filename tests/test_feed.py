"""The change feed: readings numbered, the newest shown, the last good one kept if it breaks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ictui.app import POLL_SECONDS
from ictui.kinds import registry
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.teamfile.feed import Act, ChangeFeed, Reading
from ictui.teamfile.queue import Outcome, WriteQueue, Written
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction

from .apptools import demo_store, make_app, started, until
from .conftest import checked, run_ictui
from .test_hardening_store import log_args
from .test_teamfile import BROKEN


def test_a_reading_older_than_the_one_shown_is_dropped(store: Store) -> None:
    feed = ChangeFeed(lambda: store)
    first, second = feed.ask(), feed.ask()
    late = feed.read(first, None)
    assert feed.judge(feed.read(second, None)) is Act.SHOW
    assert feed.judge(late) is Act.STALE


def test_a_broken_file_keeps_the_last_good_reading_and_says_so_once(store: Store) -> None:
    feed = ChangeFeed(lambda: store)
    good = feed.read(feed.ask(), None)
    assert feed.judge(good) is Act.SHOW
    kept = store.path.read_bytes()
    store.path.write_bytes(BROKEN["truncated"][0])
    assert feed.judge(feed.read(feed.ask(), good.snapshot)) is Act.UNREADABLE
    assert feed.judge(feed.read(feed.ask(), good.snapshot)) is Act.STILL_UNREADABLE
    store.path.write_bytes(kept)
    assert feed.judge(feed.read(feed.ask(), good.snapshot)) is Act.READABLE_AGAIN


def test_a_file_broken_from_the_start_is_refused_and_not_watched(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    path.write_text("{")
    feed = ChangeFeed(lambda: Store(path))
    reading = feed.read(feed.ask(), None)
    assert reading.error is not None and feed.judge(reading) is Act.REFUSED_AT_START
    assert not feed.start_looking()  # nothing shown: nothing to keep live


def test_a_look_sees_someone_elses_write_and_only_one_look_runs(store: Store) -> None:
    feed = ChangeFeed(lambda: store)
    feed.judge(feed.read(feed.ask(), None))
    assert feed.start_looking() and not feed.start_looking()
    assert not feed.changed()
    Store(store.path).add(checked(Partner, name="Legal"))
    assert feed.start_looking() and feed.changed()
    feed.judge(feed.read(feed.ask(), None))
    assert feed.start_looking() and not feed.changed()


class HookedStore(Store):
    """A store that runs a hook as a reading starts, or once its bytes are read."""

    def __init__(self, path: Path, hook: Callable[[], None], *, after: bool = False) -> None:
        super().__init__(path)
        self.hook, self.after = hook, after

    def read(self, *, reuse: Snapshot | None = None, in_steps: bool = False) -> Snapshot:
        if not self.after:
            self.hook()
        snapshot = super().read(reuse=reuse, in_steps=in_steps)
        if self.after:
            self.hook()
        return snapshot


def test_a_look_while_a_reading_runs_does_not_read_the_same_write_again(store: Store) -> None:
    # At 100k a reading outlasts the poll: each look meanwhile read the file once more.
    looks: list[bool] = []
    hooked = HookedStore(store.path, lambda: looks.append(feed.start_looking() and feed.changed()))
    feed = ChangeFeed(lambda: hooked)
    feed.judge(feed.read(feed.ask(), None))
    Store(store.path).add(checked(Partner, name="Legal"))  # someone else's write
    assert feed.start_looking() and feed.changed()
    looks.clear()
    assert feed.judge(feed.read(feed.ask(), None)) is Act.SHOW
    assert looks == [False]  # the reading under way brings it
    assert feed.start_looking() and not feed.changed()


def test_a_write_between_the_look_and_the_bytes_is_read_once(store: Store) -> None:
    # The reading notes the file as it looks when the reading starts, then as it read it.
    def theirs() -> None:
        Store(store.path).add(checked(Partner, name="Theirs"))

    hooked = HookedStore(store.path, theirs)
    feed = ChangeFeed(lambda: hooked)
    reading = feed.read(feed.ask(), None)
    assert reading.snapshot is not None
    assert "Theirs" in {p.name for p in reading.snapshot.all(Partner)}
    assert feed.judge(reading) is Act.SHOW
    assert feed.start_looking() and not feed.changed()  # already read: not read again


def test_a_write_after_a_reading_took_its_bytes_is_still_seen(store: Store) -> None:
    def theirs() -> None:
        Store(store.path).add(checked(Partner, name="Theirs"))

    hooked = HookedStore(store.path, theirs, after=True)
    feed = ChangeFeed(lambda: hooked)
    reading = feed.read(feed.ask(), None)
    assert reading.snapshot is not None
    assert "Theirs" not in {p.name for p in reading.snapshot.all(Partner)}
    assert feed.judge(reading) is Act.SHOW
    assert feed.start_looking() and feed.changed()  # read it: it came after the bytes


# -- own writes are shown without reading the file back (issue 22, item 2) -------------


@dataclass(frozen=True)
class AddPartner:
    """A write that adds a partner, as a screen would queue it."""

    name: str
    what = "add a partner"
    creates = False

    def apply(self, tx: Transaction) -> Partner:
        return tx.add(checked(Partner, name=self.name))


class CountedStore(Store):
    """A store that counts its whole readings of the file."""

    reads = 0

    def read(self, *, reuse: Snapshot | None = None, in_steps: bool = False) -> Snapshot:
        self.reads += 1
        return super().read(reuse=reuse, in_steps=in_steps)


def shown_app(store: Store) -> tuple[ChangeFeed, WriteQueue]:
    """Return a feed showing the file, and a write queue telling it of its writes, as the app."""
    feed = ChangeFeed(lambda: store)
    assert feed.judge(feed.read(feed.ask(), None)) is Act.SHOW
    return feed, WriteQueue(lambda: store, feed=feed)


def write_one(queue: WriteQueue, name: str) -> Written:
    """Write one partner through the queue and return its outcome."""
    outcomes: list[Outcome] = []
    queue.put(AddPartner(name))
    assert queue.write_next(outcomes.append)
    [outcome] = outcomes
    assert isinstance(outcome, Written)
    return outcome


def test_own_writes_are_shown_without_reading_the_file(store: Store) -> None:
    counted = CountedStore(store.path, author=store.author)
    feed, queue = shown_app(counted)
    for name in ("Legal", "Facilities", "IT"):
        reading = write_one(queue, name).reading
        assert reading is not None and reading.snapshot is not None
        assert feed.judge(reading) is Act.SHOW
        names = {p.name for p in reading.snapshot.all(Partner)}
        assert name in names
        assert feed.start_looking() and not feed.changed()  # nothing to read back
    assert counted.reads == 1  # the first reading only: 0 per own write


def test_writes_back_to_back_start_from_the_one_before_not_yet_shown(
    store: Store, parses: list[Path]
) -> None:
    _, queue = shown_app(store)
    parses.clear()
    write_one(queue, "Legal")  # a short file read in one go: parsed again to write
    assert len(parses) == 1
    parses.clear()
    for name in ("Facilities", "IT"):  # written before the screen shows the one before
        write_one(queue, name)
    assert parses == []  # each started from the write before it
    assert {"Legal", "Facilities", "IT"} <= {p.name for p in store.read().all(Partner)}


def test_a_write_by_another_process_after_ours_is_read_once(store: Store) -> None:
    counted = CountedStore(store.path, author=store.author)
    feed, queue = shown_app(counted)
    reading = write_one(queue, "Legal").reading
    assert reading is not None
    result = run_ictui("partner", "list", "--db", str(store.path))  # reads only: no change
    assert result.returncode == 0
    result = run_ictui(*log_args(store.path, "written by another process"))
    assert result.returncode == 0, result.stderr
    assert feed.judge(reading) is Act.SHOW
    assert feed.start_looking() and feed.changed()
    again = feed.read(feed.ask(), reading.snapshot)
    assert feed.judge(again) is Act.SHOW and again.snapshot is not None
    assert {p.name for p in again.snapshot.all(Partner)} >= {"Legal", "Payroll"}
    assert len(again.snapshot.all(ContactPoint)) == 2
    assert feed.start_looking() and not feed.changed()
    assert counted.reads == 2  # the first reading, and one for the other process's write


def test_a_reading_asked_before_our_write_and_finished_after_it_hides_nothing(
    store: Store,
) -> None:
    feed, queue = shown_app(store)
    late = feed.ask()  # a reading under way while we write
    reading = write_one(queue, "Legal").reading
    assert reading is not None
    Store(store.path).add(checked(Partner, name="Theirs"))  # someone writes after us
    old = feed.read(late, None)
    assert feed.judge(reading) is Act.SHOW
    assert feed.judge(old) is Act.STALE
    # The late reading saw their write, but was older than ours: a look must still see it.
    assert feed.start_looking() and feed.changed()


def test_the_written_snapshot_is_what_a_reading_of_the_file_gives(tmp_path: Path) -> None:
    store = demo_store(tmp_path, contacts=30)
    feed = ChangeFeed(lambda: store)
    shown = feed.read(feed.ask(), None)
    assert feed.judge(shown) is Act.SHOW and shown.snapshot is not None
    queue = WriteQueue(lambda: store, feed=feed)
    reading = write_one(queue, "Legal").reading
    assert reading is not None and reading.snapshot is not None
    read = store.read()
    assert reading.snapshot.token == read.token == store.change_token()
    assert reading.snapshot.schema_version == read.schema_version
    for kind in registry.KINDS:
        assert reading.snapshot.all(kind, include_deleted=True) == read.all(
            kind, include_deleted=True
        )
    assert reading.snapshot.problems == read.problems
    # Held as a reading is: the contact points as bytes, the very ones shown before.
    before = shown.snapshot.held["contact_points"]
    after = reading.snapshot.held["contact_points"]
    assert after and all(type(held) is bytes and held is before[key] for key, held in after.items())


def partner_names(snapshot: Snapshot | None) -> set[str]:
    """Return the names of the partners a snapshot holds."""
    return set() if snapshot is None else {p.name for p in snapshot.all(Partner)}


async def test_the_app_reads_nothing_back_after_its_own_writes(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    app = make_app(store)
    reads: list[int] = []
    real = app.feed.read

    def counted(sequence: int, reuse: Snapshot | None) -> Reading:
        reads.append(sequence)
        return real(sequence, reuse)

    app.feed.read = counted  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await started(pilot)
        before = len(reads)
        for name in ("Legal", "Facilities"):
            app.write(AddPartner(name))

            def landed(name: str = name) -> bool:
                return name in partner_names(app.snapshot)

            await until(pilot, landed)
        await pilot.pause(3 * POLL_SECONDS)  # looks come and find nothing new
        assert len(reads) == before
        result = run_ictui(*log_args(store.path, "written by another process"))
        assert result.returncode == 0, result.stderr
        await until(pilot, lambda: len(reads) == before + 1)
        await pilot.pause(3 * POLL_SECONDS)
        assert len(reads) == before + 1


def test_a_look_while_our_write_lands_does_not_read_it_back(store: Store) -> None:
    feed, _ = shown_app(store)
    looks: list[bool] = []

    def landed(snapshot: Snapshot) -> None:
        # The file is replaced, and not yet noted as ours: a look now must wait.
        assert store.change_token() == snapshot.token
        looks.append(feed.start_looking() and feed.changed())

    store.run(lambda tx: tx.add(checked(Partner, name="Legal")), written=landed)
    assert looks == [False]
    assert feed.start_looking() and feed.changed()  # not noted by the feed: read it
