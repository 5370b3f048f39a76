"""One lane for the open app's heavy background work on the team file.

Reading a colleague's write, checking every record and making a long listing
each keep a thread busy for a second or more at 100,000 records. Python runs
one thread at a time: every turn of the screen's event loop lets go of the
interpreter and waits to get it back from whichever busy thread holds it, so
with three at once a key waited on each in turn (issue 22). In one lane the
screen's thread shares the interpreter with one busy thread at most, and the
work takes no longer in all: a listing after a check reuses the records it made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LANE = threading.RLock()  # re-entrant: a listing may ask for a check inside its turn


@contextmanager
def turn() -> Iterator[None]:
    """Hold the lane while the block runs: other heavy work waits for it to end."""
    with _LANE:
        yield
