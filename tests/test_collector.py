"""Collecting garbage: paused while lasting objects are made, and kept off them after (issue 22)."""

from __future__ import annotations

import datetime as dt
import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui import collector
from ictui.kinds.contact_point import ContactPoint
from ictui.outputs.demo import write_demo
from ictui.teamfile.store import Store


class Lasting:
    """An object the collector tracks, as a checked record is."""

    def __init__(self, n: int) -> None:
        self.n = n


@pytest.fixture(autouse=True)
def collecting_as_before() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    assert not collector.pausing()  # every pause ended
    gc.unfreeze()
    if not was:
        gc.disable()


def test_pauses_nest_across_threads_and_collecting_resumes_after_the_last() -> None:
    first_paused, let_go = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            first_paused.set()
            let_go.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert first_paused.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause still holds
    let_go.set()
    thread.join(5)
    assert gc.isenabled()


def test_collecting_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_resuming_more_often_than_paused_is_refused_and_changes_nothing() -> None:
    with pytest.raises(RuntimeError):
        collector.resume()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_still_ends_the_pause() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("a broken file, say")
    assert gc.isenabled()


def test_many_objects_left_alive_by_a_pause_are_kept_out_of_later_collections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collector, "LASTING", 5_000)
    frozen = gc.get_freeze_count()
    with collector.paused():
        kept = [Lasting(n) for n in range(10_000)]
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_a_few_objects_are_left_to_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "LASTING", 5_000)
    frozen = gc.get_freeze_count()
    with collector.paused():
        kept = [Lasting(n) for n in range(100)]
    assert kept and gc.get_freeze_count() == frozen


def test_asked_to_keep_a_pause_keeps_even_a_few() -> None:
    frozen = gc.get_freeze_count()
    collector.pause()
    kept = [Lasting(n) for n in range(100)]
    collector.resume(keep=True)
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_a_nested_pause_asked_to_keep_is_kept_when_the_outer_one_ends() -> None:
    frozen = gc.get_freeze_count()
    with collector.paused():
        with collector.paused(keep=True):
            kept = [Lasting(n) for n in range(100)]
        assert gc.get_freeze_count() == frozen  # not yet: the outer pause may make more
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_a_snapshot_made_and_kept_in_a_pause_is_freed_once_let_go(tmp_path: Path) -> None:
    # Frozen objects are out of collections: a snapshot in a cycle would stay for good.
    store = Store(tmp_path / "team.json")
    write_demo(store, dt.date(2026, 12, 1), 300)
    with collector.paused(keep=True):
        snapshot = store.read(in_steps=True)
        assert snapshot.check_every_record(between=lambda: True)
        assert len(snapshot.all(ContactPoint)) == 300
    gone = weakref.ref(snapshot)
    del snapshot
    assert gone() is None
