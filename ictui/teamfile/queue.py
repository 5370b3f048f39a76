"""Changes waiting to be written, written one at a time in the order asked, by one thread.

The app never waits on the disk: a screen puts a write here and goes on, and
the queue's thread writes each in turn, trying again while another writer
holds the lock. What became of each write comes back as an outcome (written,
conflicted, refused), addressed to whoever asked, for them to act on in their
own thread. Nothing here knows of Textual: the app runs ``serve`` in a worker
thread and turns outcomes into messages.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ictui.errors import Conflict, IctuiError, TeamFileBusy, TeamFileError
from ictui.teamfile.feed import ChangeFeed, Reading
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.turns import Place
from ictui.teamfile.writes import Write, run

BUSY_TRIES = 4
"""How many times a write is tried while another writer holds the lock."""


@dataclass(frozen=True)
class Outcome:
    """What became of a write, for whoever asked for it."""

    write: Write
    asker: object
    """Who asked: the outcome goes back to them (a screen, say); None for no one."""


@dataclass(frozen=True)
class Written(Outcome):
    """The write is in the team file; result is what it made (the record as saved)."""

    result: Any
    reading: Reading | None = None
    """The file as this write left it, for the feed's app to show unread (None: unchanged)."""


@dataclass(frozen=True)
class Conflicted(Outcome):
    """Someone changed the record since it was read: nothing was written."""

    conflict: Conflict


@dataclass(frozen=True)
class Refused(Outcome):
    """The write could not be made (a value refused, the file broken or busy too long)."""

    error: IctuiError


@dataclass(frozen=True)
class Retrying(Outcome):
    """Another writer holds the lock: this write is tried again in a moment."""

    attempt: int


@dataclass(frozen=True)
class _Job:
    write: Write
    asker: object


class WriteQueue:
    """Writes of the team file in the order they were asked for, each in a transaction."""

    def __init__(
        self,
        store: Callable[[], Store],
        *,
        tries: int = BUSY_TRIES,
        pause: Callable[[int], float] = lambda attempt: 0.5 * attempt,
        feed: ChangeFeed | None = None,
        create: bool = False,
    ) -> None:
        """store: gives the store to write to now (the app may switch files at start).

        tries: how often a write meets a busy file before it is refused;
        pause: seconds to wait after a given attempt met a busy file;
        feed: told of each write as it lands, so that the file is not read back;
        create: whether a write may start the team file. The app makes its file
        before it writes: a write finding none (deleted meanwhile) is refused,
        not given a new, nearly empty file that the old one would replace.
        """
        self._store = store
        self._feed = feed
        self._create = create
        self._tries = tries
        self._pause = pause
        self._jobs: queue.Queue[_Job] = queue.Queue()

    def put(self, write: Write, asker: object = None) -> None:
        """Queue a write; its outcome goes to asker."""
        self._jobs.put(_Job(write, asker))

    @property
    def pending(self) -> bool:
        """Whether a write is queued or being written (counted until its outcome is told)."""
        return self._jobs.unfinished_tasks > 0

    def write_next(self, report: Callable[[Outcome], None], timeout: float = 0.1) -> bool:
        """Write the next queued change, telling report each outcome; False if none came."""
        try:
            job = self._jobs.get(timeout=timeout)
        except queue.Empty:
            return False
        try:
            for outcome in self._attempts(job):
                report(outcome)
        finally:
            self._jobs.task_done()
        return True

    def serve(self, report: Callable[[Outcome], None], stopped: Callable[[], bool]) -> None:
        """Write changes as they come until stopped says so: the body of the writing thread."""
        while not stopped():
            self.write_next(report)

    def _attempts(self, job: _Job) -> Iterator[Outcome]:
        """Yield what becomes of a job: a Retrying for each busy try, then how it ended."""
        feed = self._feed
        left: list[Reading] = []  # the file as the write left it, if it wrote

        def wrote(snapshot: Snapshot) -> None:
            if feed is not None:  # noted under the lock, before any look can read it
                left.append(feed.wrote(snapshot))

        place = Place()  # in the lock's queue, kept between tries: no going to the back
        try:
            yield from self._tries_of(job, wrote, left, place)
        finally:
            place.leave()

    def _tries_of(
        self, job: _Job, wrote: Callable[[Snapshot], None], left: list[Reading], place: Place
    ) -> Iterator[Outcome]:
        feed = self._feed
        for attempt in range(1, self._tries + 1):
            try:
                known = feed.newest if feed is not None else None
                result = run(self._store(), job.write, wrote, place, known, create=self._create)
            except TeamFileBusy as error:
                if attempt == self._tries:
                    yield Refused(job.write, job.asker, error)
                    return
                yield Retrying(job.write, job.asker, attempt)
                if place.path is None:  # not in the queue: wait apart, then come again
                    time.sleep(self._pause(attempt))
                else:  # the pause is spent waiting in the queue, trying when first
                    place.extra = self._pause(attempt)
            except Conflict as conflict:
                yield Conflicted(job.write, job.asker, conflict)
                return
            except IctuiError as error:
                yield Refused(job.write, job.asker, error)
                return
            except OSError as error:
                failed = TeamFileError(self._store().path, f"could not be written: {error}")
                yield Refused(job.write, job.asker, failed)
                return
            except Exception as error:
                unexpected = IctuiError(f"an unexpected error ({error!r}); nothing was written")
                yield Refused(job.write, job.asker, unexpected)
                return
            else:
                reading = left[-1] if left else None
                if feed is not None and reading is not None:
                    feed.carry_checks(reading)  # after the lock: it compares every record
                yield Written(job.write, job.asker, result, reading)
                return
