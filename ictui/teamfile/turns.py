"""Waiting for the team file's lock in turn: first come, first written.

filelock retries a non-blocking flock every few milliseconds, so whoever
retries at the right moment gets the lock: with eight writers at 100k records
some waited past the timeout while others went twice. Here a writer that finds
the lock taken, or others waiting, leaves a small entry file beside the lock,
named by when it came; only the oldest live entry tries the lock, so writers
get it in the order they came. A writer that finds the lock free and nobody
waiting takes it at once and leaves no file.

An entry is live while its process touches it; one left by a killed process
goes stale and is passed over and swept. flock alone decides who writes: the
entries only order the tries, so a writer that does not know of them (an older
ictui) still writes safely, only out of turn.

How long to wait grows with the queue: a writer gives up only when the queue
has not moved for max(base, k × the last measured write × its place in the
queue); while it moves, nobody gives up.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import FileLock

POLL_SECONDS = 0.02
"""How often the others in the queue look whether they are first yet."""
FIRST_POLL_SECONDS = 0.004
"""How often the first in the queue tries the lock: a free lock idles no longer than this.

A non-blocking flock is one cheap system call, and only one waiter makes it."""
FIRST_POLL_FOR = 1.0
"""Seconds the first in the queue tries that often; then it tries as often as the others look.

A holder that takes longer is slow (a big file, a stuck process): the lock
idling 20 ms more after it costs little, and a wait of many seconds (the app
waits in the queue between its tries) then costs next to no CPU."""
TOUCH_SECONDS = 1.0
"""How often a waiter shows it is alive by touching its entry."""
STALE_SECONDS = 10.0
"""An entry not touched for this long belongs to a waiter that is gone."""
SLOWER_THAN_USUAL = 4.0
"""k: how many times the last measured write a writer may hold the lock, per place in the queue."""

_MARK = ".wait."


@dataclass
class Pace:
    """What the lock's note says: who holds it now, and how long the last write took."""

    holder: str
    last_write: float | None = None


@dataclass
class TurnTimeout(Exception):
    """The queue did not move for too long: nothing was written."""

    holders: list[str] = field(default_factory=list)
    """Who held the lock while we waited, in turn, each once."""
    waited: float = 0.0
    """Seconds waited."""


@dataclass
class Place:
    """A writer's entry in the queue, kept between tries that gave up waiting.

    The app tries a write for a few seconds at a time, to say who it waits for
    between tries; keeping its entry, it stays where it came instead of going
    to the back each time. It leaves once written, refused, or done trying.
    """

    path: Path | None = None
    extra: float = 0.0
    """Seconds the next try waits beyond the base: the pause it spends in the queue."""
    first_since: float | None = None
    """When it came first in the queue (time.monotonic), if it is: polls slow down after."""

    def leave(self) -> None:
        """Take the entry out of the queue, if there is one."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None


def _prefix(lock_path: Path) -> str:
    return f".{lock_path.name}{_MARK}"


_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:64] or "host"
"""This machine, as entry names say it: a waiter's pid means something only on its host."""


def _gone(name: str) -> bool:
    """Whether an entry names a process of this host that has ended (killed while waiting)."""
    parts = name.rsplit(".", 3)  # ...<time>.<pid>.<random>.<host>
    if len(parts) != 4 or parts[3] != _HOST or not parts[1].isdigit():
        return False  # another machine's, or an older ictui's: left to go stale
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # someone else's process, alive
    return False


def _entries(lock_path: Path) -> list[Path] | None:
    """Return the live entries of the queue, oldest first, sweeping stale ones; None if unseen."""
    prefix = _prefix(lock_path)
    live = []
    now = time.time()
    try:
        scan = os.scandir(lock_path.parent)
    except OSError:
        return None
    with scan as found:
        for entry in found:
            if not entry.name.startswith(prefix):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue  # only our own plain files count; anything else is ignored
            # Untouched for long, dated ahead of the clock (never to go stale), or its
            # waiter here killed: nobody is waiting behind that entry.
            if abs(now - st.st_mtime) > STALE_SECONDS or _gone(entry.name):
                with contextlib.suppress(OSError):  # someone else's, in a sticky folder
                    os.unlink(entry.path)
                continue
            live.append(Path(entry.path))
    return sorted(live, key=lambda path: path.name)


def _join(lock_path: Path) -> Path | None:
    """Leave an entry in the queue, named by the time we came; None if the folder refuses."""
    stamp = f"{time.time_ns():020d}.{os.getpid()}.{os.urandom(3).hex()}.{_HOST}"
    name = f"{_prefix(lock_path)}{stamp}"
    path = lock_path.with_name(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        os.close(os.open(path, flags, 0o644))
    except OSError:
        return None  # then we try the lock out of turn, as before the queue
    return path


def take_in_turn(
    lock: FileLock,
    lock_path: Path,
    base: float,
    pace: Callable[[], Pace],
    place: Place | None = None,
) -> None:
    """Take lock in turn; raise TurnTimeout if the queue stops moving for too long.

    base: seconds to wait at least; pace: reads the lock's note (who, and how
    long the last write took). place: where an earlier try left us in the
    queue, kept there on a TurnTimeout (see Place); None: leave each time.
    Errors of the lock itself (a FIFO, a symbolic link, a full disk) come out
    as filelock raises them.
    """
    from filelock import Timeout

    kept = place.path if place is not None else None
    if kept is None and not _entries(lock_path):
        try:
            lock.acquire(timeout=0)
            return
        except Timeout:
            pass
    started = time.monotonic()
    mine = kept if kept is not None else _join(lock_path)
    if kept is not None:
        with contextlib.suppress(OSError):
            os.utime(kept)  # alive: it waited through the pause between tries
    keep = False
    holders: list[str] = []
    touched = started
    ahead_before: int | None = None
    deadline = started + base + (place.extra if place is not None else 0.0)
    ahead = 0
    looked: float | None = None
    first_since = place.first_since if place is not None else None  # when we came first
    try:
        while True:
            now = time.monotonic()
            # The first in line tries the lock often, and looks at the queue and the note
            # as seldom as the others do: a wait of many seconds costs next to no CPU.
            looking = looked is None or now - looked >= POLL_SECONDS
            if looking:
                looked = now
                queue = _entries(lock_path)
                if queue is not None and mine is not None and mine not in queue:
                    # Swept as stale after a long stop: come again, at the back.
                    with contextlib.suppress(OSError):
                        os.unlink(mine)
                    mine = _join(lock_path)
                    queue = _entries(lock_path)
                # A folder that cannot be listed for now: try the lock out of turn meanwhile.
                ahead = queue.index(mine) if queue is not None and mine in queue else 0
            if ahead == 0:
                try:
                    lock.acquire(timeout=0)
                    return
                except Timeout:
                    pass
            if looking:
                seen = pace()
                # The queue moved if we moved up or the lock changed hands: wait longer then.
                moved = ahead_before is None or ahead < ahead_before
                if not holders or holders[-1] != seen.holder:
                    holders.append(seen.holder)
                    moved = True
                ahead_before = ahead
                if moved:
                    usual = SLOWER_THAN_USUAL * (seen.last_write or 0.0) * (ahead + 1)
                    deadline = max(deadline, now + max(base, usual))
                if now >= deadline:
                    keep = place is not None and mine is not None
                    raise TurnTimeout(holders, now - started)
                if mine is not None and now - touched > TOUCH_SECONDS:
                    with contextlib.suppress(OSError):
                        os.utime(mine)
                    touched = now
            if ahead != 0:
                first_since = None
            elif first_since is None:
                first_since = now
            quick = ahead == 0 and now - (first_since or now) < FIRST_POLL_FOR
            time.sleep(FIRST_POLL_SECONDS if quick else POLL_SECONDS)
    finally:
        if place is not None:
            place.path = mine if keep else None
            place.first_since = first_since if keep else None
        if mine is not None and not keep:
            with contextlib.suppress(OSError):
                os.unlink(mine)
