"""The lane heavy background work takes turns in: one at a time, in order, the check giving way."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ictui.teamfile.lane import Lane

from .apptools import demo_store


def test_turns_are_one_at_a_time_and_in_the_order_asked() -> None:
    lane = Lane()
    order: list[int] = []
    inside = {"now": 0, "most": 0}

    def work(n: int) -> None:
        with lane.turn():
            inside["now"] += 1
            inside["most"] = max(inside["most"], inside["now"])
            with lane.turn():  # re-entrant: its own turn again
                order.append(n)
            time.sleep(0.01)  # the work, standing in
            inside["now"] -= 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    with lane.turn():  # held until all four wait, so that they really contend
        for n, thread in enumerate(threads):
            thread.start()
            deadline = time.monotonic() + 5
            while lane.waiting() < n + 1 and time.monotonic() < deadline:
                time.sleep(0.001)  # asked one after another, in this order
        assert lane.waiting() == 4
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive()
    assert inside["most"] == 1
    assert order == [0, 1, 2, 3]


def test_work_that_gives_way_lets_a_waiting_turn_go_first() -> None:
    lane = Lane()
    checking = threading.Event()
    listed = threading.Event()
    gave_way = []

    def check() -> None:
        with lane.turn():
            checking.set()
            deadline = time.monotonic() + 5
            while not listed.is_set() and time.monotonic() < deadline:
                lane.give_way()
                time.sleep(0.001)  # a batch of records checked, standing in
            gave_way.append(listed.is_set())

    def listing() -> None:
        with lane.turn():
            listed.set()

    checker = threading.Thread(target=check)
    checker.start()
    checking.wait(5)
    lister = threading.Thread(target=listing)
    lister.start()
    checker.join(10)
    lister.join(10)
    assert gave_way == [True]  # the listing ran while the check was under way


def test_giving_way_with_nobody_waiting_keeps_the_turn() -> None:
    lane = Lane()
    taken: list[bool] = []

    def other_work() -> None:
        with lane.turn():
            taken.append(True)

    with lane.turn():
        lane.give_way()  # nobody waits: nothing happens
        other = threading.Thread(target=other_work)
        other.start()
        other.join(0.1)
        assert taken == []  # the lane is still ours
    other.join(5)
    assert taken == [True]


def test_a_thread_interrupted_while_waiting_leaves_the_line() -> None:
    lane = Lane()
    came: list[str] = []

    def interrupted() -> None:
        try:
            with lane.turn():
                came.append("interrupted")
        except TimeoutError:
            came.append("gave up")

    def patient() -> None:
        with lane.turn():
            came.append("patient")

    class Interrupting(threading.Condition):
        """A condition whose waits fail in the thread named "interrupted"."""

        def wait_for(self, predicate, timeout=None):  # type: ignore[no-untyped-def]
            if threading.current_thread().name == "interrupted":
                raise TimeoutError("standing in for an interruption")
            return super().wait_for(predicate, timeout)

    lane._changed = Interrupting()  # the lane's own condition, failing on cue
    with lane.turn():
        first = threading.Thread(target=interrupted, name="interrupted")
        first.start()
        first.join(5)
        second = threading.Thread(target=patient)
        second.start()
        deadline = time.monotonic() + 5
        while lane.waiting() < 1 and time.monotonic() < deadline:
            time.sleep(0.001)
    second.join(5)
    assert came == ["gave up", "patient"]
    assert lane.waiting() == 0


def test_the_check_of_every_record_stops_when_told(tmp_path: Path) -> None:
    snapshot = demo_store(tmp_path, contacts=2500).read()
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return False

    assert not snapshot.check_every_record(between=stop, batch=1000)
    assert len(asked) == 1  # stopped at the first batch's end
    asked.clear()

    def go_on() -> bool:
        asked.append(1)
        return True

    assert snapshot.check_every_record(between=go_on, batch=1000)
    assert len(asked) >= 2  # 2,500 contact points: twice at least, and on to the end
