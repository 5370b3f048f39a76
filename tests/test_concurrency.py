"""The store under real contention: many OS processes, and writers killed with kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ictui.errors import TeamFileBusy
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.teamfile.store import Store, _busy
from ictui.teamfile.turns import TurnTimeout

from .conftest import TODAY, checked

WORKER = str(Path(__file__).with_name("storeworker.py"))

pytestmark = pytest.mark.slow


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, WORKER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def run_all_at_once(workers: list[subprocess.Popen[str]]) -> list[str]:
    """Wait until every worker is ready, release them together, return their output."""
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * len(workers)
    return outputs


def seeded(store: Store, *, points: int = 0, why: str = "seed") -> Store:
    with store.transaction(create=True) as tx:
        partner = tx.new(Partner, name="Payroll")
        for _ in range(points):
            tx.add(
                checked(
                    ContactPoint,
                    partner_id=partner.id,
                    date=TODAY,
                    direction="provided",
                    verdict="success",
                    why=why,
                )
            )
    return store


@pytest.mark.parametrize("mode", ["add", "app-add"])
def test_eight_processes_adding_at_once_lose_nothing(
    make_store: Callable[..., Store], mode: str
) -> None:
    # app-add: as the open app writes, told the file as it last wrote it: with
    # eight at once nearly every write finds other bytes and parses them; none
    # may be missed. (That the file is then not parsed: tests/test_compact.py.)
    store = seeded(make_store())
    run_all_at_once([start(mode, str(store.path), "50") for _ in range(8)])
    snapshot = store.read()
    points = snapshot.all(ContactPoint)
    assert len(points) == 400
    assert snapshot.problems == ()
    assert sorted(p.id for p in points) == list(range(1, 401))  # no id given out twice
    json.loads(store.path.read_bytes())  # and the file is plain valid JSON


def test_eight_writers_on_a_slow_file_all_wait_their_turn(
    make_store: Callable[..., Store],
) -> None:
    # Each write of 4,000 points takes longer than the base wait of 20 ms: only a
    # wait that grows with the measured write and the queue gets everyone in
    # (with k = 0 most writers give up).
    store = seeded(make_store(), points=4000)
    env = {**os.environ, "ICTUI_LOCK_TIMEOUT": "0.02"}
    outputs = run_all_at_once([start("add", str(store.path), "3", env=env) for _ in range(8)])
    assert [output.split()[-1] for output in outputs] == ["0"] * 8  # gave up 0
    assert len(store.read().all(ContactPoint)) == 4000 + 24
    assert not list(store.path.parent.glob(".team.json.lock.wait.*"))  # the queue is empty


def test_a_waiter_killed_in_the_queue_holds_nobody_up(make_store: Callable[..., Store]) -> None:
    store = seeded(make_store())
    gone = store.path.with_name(".team.json.lock.wait.00000000000000000001.999999.abcdef")
    gone.touch()
    os.utime(gone, (time.time() - 60, time.time() - 60))  # not touched for a minute: stale
    Store(store.path, lock_timeout=0.5).add(checked(Partner, name="Legal"))
    assert not gone.exists()  # swept


def test_a_waiter_killed_just_now_or_dated_ahead_holds_nobody_up(
    make_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fresh entries a writer must not wait behind: a dead waiter of this host, a future date."""
    from ictui.teamfile import turns

    store = seeded(make_store())
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # its pid now names no process
    dead = store.path.with_name(f".team.json.lock.wait.{1:020d}.{ended.pid}.abcdef.{turns._HOST}")
    ahead = store.path.with_name(f".team.json.lock.wait.{2:020d}.1.abcdef.elsewhere")
    dead.touch()  # touched just now: only its dead pid says it is stale
    ahead.touch()
    os.utime(ahead, (time.time() + 3600, time.time() + 3600))  # a clock an hour fast
    monkeypatch.setattr(turns, "STALE_SECONDS", 30.0)  # longer than the wait allowed
    Store(store.path, lock_timeout=0.5).add(checked(Partner, name="Legal"))
    assert not dead.exists() and not ahead.exists()


def test_a_folder_that_cannot_be_listed_for_a_while_leaves_no_entries_behind(
    make_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ictui.teamfile import turns

    store = seeded(make_store())
    real_scandir = os.scandir
    failures = iter(range(6))

    def flaky_scandir(path: Any) -> Any:
        if next(failures, None) is not None:
            raise PermissionError("not now")
        return real_scandir(path)

    with store.transaction():  # held, so the next writer waits in the queue
        monkeypatch.setattr(turns.os, "scandir", flaky_scandir)
        with pytest.raises(TeamFileBusy):
            Store(store.path, lock_timeout=0.3).add(checked(Partner, name="Legal"))
        monkeypatch.undo()
    assert not list(store.path.parent.glob(".team.json.lock.wait.*"))


def test_eight_processes_compare_and_swap_one_record(make_store: Callable[..., Store]) -> None:
    store = seeded(make_store(), points=1, why="0")
    each = 12  # eight at once contend from the first round; more rounds only take longer
    outputs = run_all_at_once([start("cas", str(store.path), str(each)) for _ in range(8)])
    counter = store.read().get(ContactPoint, 1)
    assert counter is not None
    assert counter.why == str(8 * each)
    assert counter.rev == 8 * each + 1
    # Contention really happened: some updates met a conflict and retried.
    assert sum(int(out.split()[-1]) for out in outputs) > 0


def assert_sound(store: Store, at_least: int) -> int:
    """Check the file parses, has no bad records, and the lock is free; return its size."""
    json.loads(store.path.read_bytes())
    snapshot = store.read()
    assert snapshot.problems == ()
    count = len(snapshot.all(ContactPoint))
    assert count >= at_least
    with store.transaction():  # would raise TeamFileBusy if the dead writer held the lock
        pass
    return count


def test_writers_killed_at_random_moments_never_break_the_file(
    make_store: Callable[..., Store],
) -> None:
    # A larger file makes each write take longer, so kills land mid-write more often.
    store = seeded(make_store(lock_timeout=2), points=3000)
    rng = random.Random(20261120)
    count = 3000
    for _ in range(24):
        with start("forever", str(store.path)) as writer:  # closes its pipes after
            assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0, 0.25))
            writer.send_signal(signal.SIGKILL)
        count = assert_sound(store, count)
    store.add(
        checked(
            ContactPoint, partner_id=1, date=TODAY, direction="provided", verdict="success", why="x"
        )
    )
    assert not list(store.path.parent.glob(".team.json.*.tmp"))


@pytest.mark.parametrize("syscall", ["fsync", "replace", "dirsync"])
def test_a_writer_killed_inside_its_write_leaves_a_whole_file(
    syscall: str, make_store: Callable[..., Store]
) -> None:
    store = seeded(make_store(lock_timeout=2), points=10)
    before = store.path.read_bytes()
    with start("pause-at", str(store.path), syscall) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == f"inside {syscall}"
        writer.send_signal(signal.SIGKILL)
    # Before the rename the old file is whole; after it, the new one is.
    after = store.path.read_bytes()
    expected = 10 if syscall in ("fsync", "replace") else 11
    assert len(json.loads(after)["contact_points"]) == expected
    if syscall != "dirsync":
        assert after == before
        assert list(store.path.parent.glob(".team.json.*.tmp"))  # the half-written temp file
    assert_sound(store, expected)
    store.add(
        checked(
            ContactPoint, partner_id=1, date=TODAY, direction="provided", verdict="success", why="y"
        )
    )
    assert not list(store.path.parent.glob(".team.json.*.tmp"))  # swept by the next writer


def test_a_wait_over_several_holders_names_them_in_turn() -> None:
    holders = ["ann@h (pid 12)", "bob@h (pid 40)", "ann@h (pid 12)", "cy@h (pid 7)", "di@h (pid 9)"]
    message = _busy(TurnTimeout(holders, 12.4))
    assert message.startswith(
        "is busy: 4 writers in turn (ann@h (pid 12), bob@h (pid 40), cy@h (pid 7), ...) for 12s"
    )
    assert _busy(TurnTimeout(["ann@h (pid 12)"], 0.3)).startswith(
        "is busy: ann@h (pid 12) has been writing it for over 1s"
    )


def test_the_apps_write_keeps_its_place_in_the_queue_between_tries(
    make_store: Callable[..., Store],
) -> None:
    """The app tries for a short while at a time; a writer who came later never goes first."""
    import threading

    from ictui.teamfile.queue import Outcome, Retrying, WriteQueue, Written
    from ictui.teamfile.transaction import Transaction
    from ictui.teamfile.writes import Write

    from .apptools import HOLD

    store = seeded(make_store())
    app_store = Store(store.path, lock_timeout=0.2)  # as the app: short tries, said in between

    class AddPoint:
        what, creates = "log a contact point", False

        def apply(self, tx: Transaction) -> ContactPoint:
            return tx.add(checked(ContactPoint, partner_id=1, date=TODAY, direction="provided",
                                  verdict="success", why="the app's"))  # fmt: skip

    outcomes: list[Outcome] = []
    tried = threading.Event()

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if isinstance(outcome, Retrying) and outcome.attempt == 2:
            tried.set()

    entries = lambda: sorted(store.path.parent.glob(".team.json.lock.wait.*"))  # noqa: E731
    holding = [sys.executable, "-c", HOLD, str(store.path)]
    with (
        subprocess.Popen(
            holding, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        ) as holder,
        start("add", str(store.path), "1") as later,
    ):
        assert holder.stdout is not None and holder.stdin is not None
        assert later.stdout is not None and later.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        assert later.stdout.readline().strip() == "ready"
        queue = WriteQueue(lambda: app_store, tries=100)
        write: Write = AddPoint()
        queue.put(write)
        app = threading.Thread(target=queue.write_next, args=(report,))
        app.start()
        assert tried.wait(30)  # two tries timed out: the app said whom it waits for, twice
        mine = entries()
        assert len(mine) == 1  # still in the queue between tries
        later.stdin.write("go\n")  # a colleague's write, asked for now
        later.stdin.flush()
        deadline = time.monotonic() + 30
        while len(entries()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert entries()[0] == mine[0]  # the colleague queues behind the app's entry
        time.sleep(0.5)  # more of the app's tries time out meanwhile
        assert entries()[0] == mine[0]  # and the app is still first
        holder.stdin.write("\n")
        holder.stdin.flush()
        app.join(30)
        assert later.communicate(timeout=60)[0].split()[-1] == "0"
    written = [o for o in outcomes if isinstance(o, Written)]
    assert len(written) == 1
    points = sorted(store.read().all(ContactPoint), key=lambda p: p.id)
    assert [p.why for p in points][-2] == "the app's"  # first in, first written
    assert not entries()  # and everyone left the queue
