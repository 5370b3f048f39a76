"""When Python's garbage collector runs: not while lasting objects are made, nor over them.

A team file of 100,000 contact points is held as a few hundred thousand
objects (records checked, tables, verdicts), none of them garbage. Python's
collector walks every object it tracks on each full collection, holding the
interpreter: at 100,000 records a full collection took 50 to 160 ms, on
whichever thread's allocation set it off (the screen's included), about ten
times in a minute of reading, listing and writing (issue 22). So collecting
pauses while such work runs, and when it made much, everything alive is then
frozen (gc.freeze): kept out of every later collection. Frozen objects are
still freed when their last reference goes (records, tables and snapshots
hold no cycles), so a replaced snapshot's memory comes back as before. What
is frozen in a cycle stays until the app leaves (thaw): garbage in cycles
not collected yet (the screen makes some all the time) and objects in cycles
that die later (a closed dialog, say). At 100,000 records that was about
6,000 objects more than the start's own freeze left, once per session: only
a check of every record makes that much, and records checked before are
not checked again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LASTING = 50_000
"""New objects left alive by a pause, above which they are taken to be lasting and frozen.

Reading a colleague's write, or listing records checked before, leaves about
10,000 (most of them the screen's, and half of those garbage); checking
100,000 records leaves 130,000 to 160,000.
"""

_lock = threading.Lock()
_pauses = 0
_keep = False
_was_enabled = True


def pause() -> None:
    """Collect no garbage until every pause has ended (pauses nest, from any thread)."""
    global _pauses, _was_enabled
    with _lock:
        if not _pauses:
            _was_enabled = gc.isenabled()  # a caller that turned collecting off keeps it off
            gc.disable()
        _pauses += 1


def resume(*, keep: bool = False) -> None:
    """End a pause; the last one freezes what is alive if asked to, or if the pauses made much."""
    global _pauses, _keep
    with _lock:
        if not _pauses:
            raise RuntimeError("collecting garbage resumed more often than it was paused")
        _keep = _keep or keep
        _pauses -= 1
        if _pauses:
            return
        keep, _keep = _keep, False
        # Objects made while paused wait in the youngest generation: its count is them.
        if keep or gc.get_count()[0] > LASTING:
            gc.freeze()
        if _was_enabled:
            gc.enable()


@contextmanager
def paused(*, keep: bool = False) -> Iterator[None]:
    """Collect no garbage while the block runs (see pause and resume)."""
    pause()
    try:
        yield
    finally:
        resume(keep=keep)


def pausing() -> bool:
    """Whether collecting is paused now."""
    with _lock:
        return _pauses > 0


def thaw() -> None:
    """Put what was frozen back among the collected (an app leaving; tests run many in one).

    A pause still running (a worker the app left behind) freezes nothing more
    unless it made much itself.
    """
    global _keep
    with _lock:
        _keep = False
        gc.unfreeze()
