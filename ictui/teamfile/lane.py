"""One lane for the open app's heavy background work on the team file.

Reading a colleague's write, checking every record and making a long listing
each keep a thread busy for a second or more at 100,000 records. Python runs
one thread at a time: every turn of the screen's event loop lets go of the
interpreter and waits to get it back from whichever busy thread holds it, so
with three at once a key waited on each in turn (issue 22). In one lane the
screen's thread shares the interpreter with one busy thread at most, and the
work takes no longer in all: a listing after a check reuses the records it made.

Turns are taken in the order asked. Work nobody waits for (the check of every
record) gives way now and then, so that a listing someone asked for does not
wait behind it.

The screen's thread goes first, too. Python hands the interpreter over
between two busy threads every few milliseconds, so a layout of the whole
screen that costs it 40 ms of its own took 80 or more while a turn ran: most
of the slow keys left at 100,000 records (issue 22). Work in a turn says how
far it got as it goes (``breathe``: a record checked, a piece of the file
parsed; ``breathing``: each record of a long loop). Every so often it
compares its own CPU time with the whole process's: when the process used
more, someone else ran (the screen, in practice), and the turn sleeps a
millisecond at a time for as long as they keep busy, so that what the screen
started ends first. While the screen is idle the work runs at full speed;
outside a turn (the screen's thread, the command line) nothing changes.

That alone still shares the interpreter half and half once the work's own
stretch comes round, and the largest redraws (a listing of 100,000 records
arriving: 40-70 ms of the screen's own time) took twice that. The screen says
when one is coming (``screen_drawing``) and when it is done
(``screen_drawn``); meanwhile work nobody waits for (a turn taken as
background: the check of every record, the usual neighbour of a listing
arriving) sleeps at its next look, for at most a quarter of a second. Work
someone waits for (a listing's rest after its first screen, a reading) goes
on: held too, it came later by the length of each redraw.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

STRETCH = 50
"""Work done between two looks at the clocks: 50 records checked take about a millisecond."""

NOTICED = 0.0005
"""CPU seconds the rest of the process used in a stretch from which the turn makes room."""

PAUSE = 0.001
"""Seconds a turn sleeps at a time while the screen's thread keeps busy."""

MOST_ROOM = 0.005
"""The longest a turn makes room at once, then it does a stretch whatever the screen does.

Python's own hand-over interval: a screen kept busy for long (a held key,
a test polling) still leaves the work a stretch every few milliseconds, a
tenth of a core or so, and a listing ends.
"""

HOLD_MOST = 0.25
"""The longest the screen holds the work off at once: a redraw that never ends stops nothing."""


class Lane:
    """A re-entrant lock that hands turns over in the order they were asked for."""

    def __init__(
        self,
        *,
        own_cpu: Callable[[], float] = time.thread_time,
        all_cpu: Callable[[], float] = time.process_time,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """own_cpu, all_cpu, sleep, clock: the thread's CPU time, the process's, sleeping, now."""
        self._changed = threading.Condition()
        self._holder: int | None = None
        self._depth = 0  # re-entrant: a listing may ask for a check inside its turn
        self._asked: deque[int] = deque()  # the threads waiting, in order
        self._own_cpu, self._all_cpu, self._sleep = own_cpu, all_cpu, sleep
        self._clock = clock
        self._drawing_until = 0.0  # set by the screen's thread, read by the holder's
        self._background = False  # whether the holder's work is waited for by nobody
        # The holder's own: the clocks when it last looked, and the work done since.
        self._looked: tuple[float, float] | None = None
        self._work = 0

    @contextmanager
    def turn(self, *, background: bool = False) -> Iterator[None]:
        """Hold the lane while the block runs: other heavy work waits for it to end.

        background: nobody waits for this work; it stands back while the screen draws.
        """
        me = threading.get_ident()
        with self._changed:
            if self._holder == me:
                self._depth += 1  # within a turn, the outer one says what it is
            else:
                self._wait_in_line(me)
                self._depth = 1
                self._background = background
        try:
            yield
        finally:
            with self._changed:
                if self._holder == me:  # not if waiting again in give_way failed
                    self._depth -= 1
                    if not self._depth:
                        self._holder = None
                        self._changed.notify_all()

    def give_way(self) -> None:
        """Within a turn: let whoever asked for the lane meanwhile have it first, then go on."""
        me = threading.get_ident()
        with self._changed:
            if self._holder != me or not self._asked:
                return
            depth, background, self._holder = self._depth, self._background, None
            self._changed.notify_all()
            self._wait_in_line(me)
            self._depth, self._background = depth, background  # as before the turn lent

    def breathe(self, work: int = 1) -> None:
        """Within a turn, as work is done: make room for the screen's thread if it ran meanwhile.

        work: how much was done since the last call, in records checked (a
        piece of a file parsed may say STRETCH: look now). Outside a turn (the
        screen's own thread, the command line) it does nothing.
        """
        # Only the holder's thread may find itself here, and only it changes
        # the state below while it holds the lane: no lock needed.
        if self._holder != threading.get_ident():
            return
        self._work += work
        if self._work < STRETCH:
            return
        self._work = 0
        if self._drawing_until and self._background:
            while self._clock() < self._drawing_until:
                self._sleep(PAUSE)
            self._looked = None  # the screen's drawing is not to be made room for again
        own, everyone = self._own_cpu(), self._all_cpu()
        if self._looked is not None:
            others = (everyone - self._looked[1]) - (own - self._looked[0])
            waited = 0.0
            # While the rest of the process keeps busy, the turn keeps sleeping:
            # the screen ends what it started, then the work goes on at full speed.
            while others >= NOTICED and waited < MOST_ROOM:
                self._sleep(PAUSE)
                waited += PAUSE
                before, everyone = everyone, self._all_cpu()
                others = everyone - before  # asleep: every CPU second was someone else's
            own = self._own_cpu()
        self._looked = (own, everyone)

    def screen_drawing(self) -> None:
        """From the screen's thread: a large redraw is coming, background work waits for it."""
        self._drawing_until = self._clock() + HOLD_MOST

    def screen_drawn(self) -> None:
        """From the screen's thread: the redraw is on screen, background work goes on."""
        self._drawing_until = 0.0

    def breathing(self, items: Iterable[T]) -> Iterator[T]:
        """Yield the items, breathing after each: a long loop over records, in a turn or not."""
        if self._holder != threading.get_ident():
            yield from items  # the screen's thread, the command line: as fast as a plain loop
            return
        for item in items:
            self.breathe()
            yield item

    def waiting(self) -> int:
        """Return how many threads wait for the lane now."""
        with self._changed:
            return len(self._asked)

    def _wait_in_line(self, me: int) -> None:
        # Called holding the condition's lock.
        self._asked.append(me)
        try:
            self._changed.wait_for(lambda: self._holder is None and self._asked[0] == me)
        except BaseException:  # interrupted: out of the line, or everyone behind waits forever
            self._asked.remove(me)
            self._changed.notify_all()
            raise
        self._asked.popleft()
        self._holder = me
        self._looked, self._work = None, 0  # the wait is not the screen running


LANE = Lane()
"""The app's one lane."""

turn = LANE.turn
give_way = LANE.give_way
breathe = LANE.breathe
breathing = LANE.breathing
screen_drawing = LANE.screen_drawing
screen_drawn = LANE.screen_drawn
