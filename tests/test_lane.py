"""The lane heavy background work takes turns in: one at a time, in order, the check giving way."""

from __future__ import annotations

import threading
import time

from ictui.teamfile.lane import Lane


def test_turns_are_one_at_a_time_and_in_the_order_asked() -> None:
    lane = Lane()
    order: list[int] = []
    inside = {"now": 0, "most": 0}
    first_in = threading.Event()

    def work(n: int) -> None:
        with lane.turn():
            inside["now"] += 1
            inside["most"] = max(inside["most"], inside["now"])
            first_in.set()
            with lane.turn():  # re-entrant: its own turn again
                order.append(n)
            time.sleep(0.01)  # the work, standing in
            inside["now"] -= 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    threads[0].start()
    first_in.wait(5)
    for thread in threads[1:]:
        thread.start()
        time.sleep(0.02)  # asked one after another (the first still holds the lane)
    for thread in threads:
        thread.join(5)
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
