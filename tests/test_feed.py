"""The change feed: readings numbered, the newest shown, the last good one kept if it breaks."""

from __future__ import annotations

from pathlib import Path

from ictui.kinds.partner import Partner
from ictui.teamfile.feed import Act, ChangeFeed
from ictui.teamfile.store import Store

from .conftest import checked
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
