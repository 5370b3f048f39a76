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
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Lane:
    """A re-entrant lock that hands turns over in the order they were asked for."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._holder: int | None = None
        self._depth = 0  # re-entrant: a listing may ask for a check inside its turn
        self._asked: deque[int] = deque()  # the threads waiting, in order

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the lane while the block runs: other heavy work waits for it to end."""
        me = threading.get_ident()
        with self._changed:
            if self._holder == me:
                self._depth += 1
            else:
                self._wait_in_line(me)
                self._depth = 1
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
            depth, self._holder = self._depth, None
            self._changed.notify_all()
            self._wait_in_line(me)
            self._depth = depth

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


LANE = Lane()
"""The app's one lane."""

turn = LANE.turn
give_way = LANE.give_way
