"""A child process that writes a team file, for the tests that need real OS processes.

Usage: python storeworker.py MODE PATH [N]
  add N    after "go" on stdin, add N contact points, one transaction each
           (with $ICTUI_LOCK_TIMEOUT set, waits as ictui log does, and prints
           "gave up N" counting those refused as busy)
  app-add N  the same as the open app writes: each write told the file as
           this process last wrote it (parsed again only if its bytes changed)
  cas N    after "go" on stdin, add 1 to contact point 1's counter N times,
           by compare-and-swap: read, update naming the revision, retry on conflict
  forever  add contact points until killed
  pause-at SYSCALL   add one contact point, stopping inside SYSCALL (fsync,
           replace or dirsync) with a line on stdout, until killed
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from ictui.errors import Conflict, TeamFileBusy
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import Author
from ictui.kinds.schema import Checked, schema_of
from ictui.teamfile.snapshot import Snapshot
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction


def fields(why: str) -> Checked[ContactPoint]:
    values = {"date": dt.date(2026, 11, 20), "direction": "provided", "verdict": "success"}
    return schema_of(ContactPoint).check({**values, "partner_id": 1, "why": why})


def pause_inside(name: str) -> None:
    real_fsync, real_replace = os.fsync, os.replace
    fsyncs = 0

    def stop() -> None:
        print(f"inside {name}", flush=True)
        time.sleep(600)

    def fsync(fd: int) -> None:
        nonlocal fsyncs
        fsyncs += 1
        # The first fsync is the temporary file's, the second the folder's.
        if (name, fsyncs) in {("fsync", 1), ("dirsync", 2)}:
            stop()
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        if name == "replace":
            stop()
        real_replace(src, dst)

    os.fsync, os.replace = fsync, replace  # type: ignore[assignment]


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 and mode != "pause-at" else 0
    timeout = None if "ICTUI_LOCK_TIMEOUT" in os.environ else 60.0
    store = Store(path, author=Author(account=f"worker{os.getpid()}"), lock_timeout=timeout)
    if mode in ("add", "app-add", "cas"):
        print("ready", flush=True)
        sys.stdin.readline()
    if mode == "add":
        gave_up = 0
        for n in range(count):
            try:
                store.add(fields(f"{os.getpid()}-{n}"))
            except TeamFileBusy as busy:
                gave_up += 1
                print(busy, file=sys.stderr)
        print(f"gave up {gave_up}", flush=True)
    elif mode == "app-add":
        known: list[Snapshot] = []
        for n in range(count):
            point = fields(f"{os.getpid()}-{n}")

            def add(tx: Transaction, point: Checked[ContactPoint] = point) -> ContactPoint:
                return tx.add(point)

            store.run(add, written=known.append, known=known[-1] if known else None)
        print("gave up 0", flush=True)
    elif mode == "cas":
        conflicts = 0
        for _ in range(count):
            while True:
                current = store.read().get(ContactPoint, 1)
                assert current is not None
                try:
                    store.update(ContactPoint, 1, current.rev, why=str(int(current.why) + 1))
                    break
                except Conflict:
                    conflicts += 1
        print(f"conflicts {conflicts}", flush=True)
    elif mode == "forever":
        print("ready", flush=True)
        n = 0
        while True:
            store.add(fields(f"forever {n}"))
            n += 1
    elif mode == "pause-at":
        pause_inside(sys.argv[3])
        store.add(fields("never lands"))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
