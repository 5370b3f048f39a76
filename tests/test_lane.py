"""The lane heavy background work takes turns in: one at a time, in order, the check giving way."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ictui.kinds import registry
from ictui.teamfile import lane as lane_module
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
    # On from where it stopped: the 1,500 left, asked once between, and on to the end.
    assert len(asked) == 1
    assert all(not snapshot.unchecked(kind) for kind in registry.KINDS)


class Clocks:
    """The turn's CPU clock and the process's, moved by hand, and the sleeps asked for."""

    def __init__(self) -> None:
        self.own = 0.0
        self.everyone = 0.0
        self.slept: list[float] = []
        self.busy_while_asleep = 0  # how many of the next sleeps the screen keeps busy through
        self.now = 0.0
        self.on_sleep: Callable[[], None] = lambda: None  # the screen, as the turn sleeps

    def work(self, seconds: float, others: float = 0.0) -> None:
        """The turn works so long, while others in the process use so much CPU beside it."""
        self.own += seconds
        self.everyone += seconds + others

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        self.on_sleep()
        if self.busy_while_asleep:
            self.busy_while_asleep -= 1
            self.everyone += seconds

    def lane(self) -> Lane:
        return Lane(
            own_cpu=lambda: self.own,
            all_cpu=lambda: self.everyone,
            sleep=self.sleep,
            clock=lambda: self.now,
        )


def stretch(lane: Lane, clocks: Clocks, others: float = 0.0) -> None:
    """A stretch of work in a turn: records checked, one by one, saying so."""
    for _ in range(lane_module.STRETCH):
        clocks.work(0.00002, others / lane_module.STRETCH)
        lane.breathe()


def test_a_turn_alone_in_the_process_never_sleeps() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    with lane.turn():
        for _ in range(20):
            stretch(lane, clocks)
    assert clocks.slept == []


def test_a_turn_sleeps_while_the_screen_keeps_busy() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    with lane.turn():
        stretch(lane, clocks)  # the first look only notes the clocks
        clocks.busy_while_asleep = 3
        stretch(lane, clocks, others=0.005)  # a frame drawn meanwhile, and 3 ms more after
        assert clocks.slept == [lane_module.PAUSE] * 4  # the last one found the screen idle
        stretch(lane, clocks)  # idle since: on at full speed
        assert len(clocks.slept) == 4
        clocks.busy_while_asleep = 1000
        stretch(lane, clocks, others=0.005)  # busy for ever: the room made is bounded
        room = round(lane_module.MOST_ROOM / lane_module.PAUSE)
        assert len(clocks.slept) - 4 == pytest.approx(room, abs=1)
        made = len(clocks.slept)
        stretch(lane, clocks, others=lane_module.NOTICED / 2)  # a little: not noticed
        assert len(clocks.slept) == made


def test_outside_a_turn_breathing_does_nothing() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    for _ in range(3):  # the screen's thread, or the command line: never slowed
        stretch(lane, clocks, others=0.01)
    assert clocks.slept == []
    with lane.turn():
        pass
    stretch(lane, clocks, others=0.01)  # after the turn: its own thread, but not in a turn
    assert clocks.slept == []


def test_others_running_before_a_turn_are_not_taken_for_the_screen_now() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    with lane.turn():
        stretch(lane, clocks)
    clocks.everyone += 1.0  # out of the lane a while (waiting for it, say), others ran
    with lane.turn():
        stretch(lane, clocks)  # looks afresh
        stretch(lane, clocks)
    assert clocks.slept == []


def test_a_large_piece_of_work_looks_at_once() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    with lane.turn():
        lane.breathe(lane_module.STRETCH)  # a piece of a file parsed
        clocks.work(0.002, others=0.004)
        lane.breathe(lane_module.STRETCH)
    assert clocks.slept == [lane_module.PAUSE]


def test_a_long_loop_over_records_breathes_in_a_turn_only() -> None:
    clocks = Clocks()
    lane = clocks.lane()

    def loop() -> list[int]:
        seen = []
        for item in lane.breathing(range(4 * lane_module.STRETCH)):
            clocks.work(0.000001, others=0.0001)  # the screen busy beside the loop
            seen.append(item)
        return seen

    assert loop() == list(range(4 * lane_module.STRETCH))  # outside a turn: a plain loop
    assert clocks.slept == []
    with lane.turn():
        assert loop() == list(range(4 * lane_module.STRETCH))  # every item, in order
    assert clocks.slept  # and room made for the screen on the way


def test_background_work_waits_while_the_screen_draws_a_listing_until_it_is_drawn() -> None:
    clocks = Clocks()
    lane = clocks.lane()

    def screen() -> None:  # drawn after ten of the turn's sleeps, busy all along
        clocks.everyone += lane_module.PAUSE
        if len(clocks.slept) == 10:
            lane.screen_drawn()

    clocks.on_sleep = screen
    with lane.turn(background=True):  # the check of every record
        stretch(lane, clocks)
        lane.screen_drawing()
        stretch(lane, clocks)
        assert clocks.slept == [lane_module.PAUSE] * 10
        stretch(lane, clocks)  # the drawing's CPU is not made room for a second time
        assert len(clocks.slept) == 10


def test_a_drawing_never_said_done_holds_work_off_for_a_bounded_time() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    with lane.turn(background=True):
        lane.screen_drawing()
        stretch(lane, clocks)
        assert sum(clocks.slept) == pytest.approx(lane_module.HOLD_MOST, abs=lane_module.PAUSE)
        made = len(clocks.slept)
        stretch(lane, clocks)  # and then not again
        assert len(clocks.slept) == made


def test_a_drawing_holds_off_neither_work_someone_waits_for_nor_work_outside_a_turn() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    lane.screen_drawing()
    stretch(lane, clocks)  # the screen's own thread, the command line
    with lane.turn():  # a listing, a reading
        stretch(lane, clocks)
        with lane.turn(background=True):  # inside it: the outer turn says what it is
            stretch(lane, clocks)
    assert clocks.slept == []
    with lane.turn(background=True):
        stretch(lane, clocks)
    assert clocks.slept  # background again: it waits


def test_background_work_is_background_still_after_giving_way_to_a_listing() -> None:
    clocks = Clocks()
    lane = clocks.lane()
    waiting = threading.Event()

    def listing() -> None:
        waiting.set()
        with lane.turn():  # someone waits for this one: never held
            pass

    with lane.turn(background=True):
        lister = threading.Thread(target=listing)
        lister.start()
        waiting.wait(5)
        deadline = time.monotonic() + 5
        while not lane.waiting() and time.monotonic() < deadline:
            time.sleep(0.001)
        lane.give_way()  # the listing runs, then the check goes on
        lister.join(5)
        lane.screen_drawing()
        lane.breathe(lane_module.STRETCH)
    assert clocks.slept  # it stood back for the drawing, as background work does
