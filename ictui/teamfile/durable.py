"""Atomic, durable replacement of a whole file, for the team file and for exports.

A reader always sees either the old file or the new one, never a mix, and once
``replace_file`` returns the new contents survive a power cut: the data is
written to a temporary file in the same folder, flushed to disk, renamed over
the old file, and the folder itself is flushed so the rename sticks.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path

_TEMP_SUFFIX = ".tmp"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads
    # creating files; Linux shows it in /proc instead.
    try:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def new_file_mode() -> int:
    """Return the mode for a new shared file: as the umask allows, plus group read and write."""
    return (0o666 & ~_umask()) | 0o060


def replace_file(
    path: Path,
    data: bytes,
    *,
    like: os.stat_result | None = None,
    after_mtime_ns: int | None = None,
    shared: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> os.stat_result:
    """Replace path with data atomically and durably; return the new file's stat.

    like: the stat of the file being replaced, whose mode and group the new file keeps.
    shared: without like, whether the group may write the new file, as teammates
    must a team file; a person's own file gets what their umask allows.
    after_mtime_ns: the new file's modification time is set later than this, so a
    change is visible to stat even within one tick of a coarse file-system clock.
    before_replace: called once the new data is on disk, just before the rename;
    whatever it raises leaves path as it was (the team file checks its lock here).
    """
    import tempfile  # here: reading commands never write, so never pay for it

    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            if like is not None:
                os.fchmod(temp.fileno(), stat.S_IMODE(like.st_mode))
                if like.st_gid != os.fstat(temp.fileno()).st_gid:
                    # Keeping the group keeps teammates able to write; it only
                    # fails if we are not in that group, and then nothing helps.
                    with contextlib.suppress(PermissionError):
                        os.fchown(temp.fileno(), -1, like.st_gid)
            else:
                mode = new_file_mode() if shared else 0o666 & ~_umask()
                os.fchmod(temp.fileno(), mode)
            if after_mtime_ns is not None:
                now_ns = time.time_ns()
                os.utime(temp.fileno(), ns=(now_ns, max(now_ns, after_mtime_ns + 1)))
            os.fsync(temp.fileno())
            # The new file as others will stat it: a rename keeps inode, size and mtime.
            written = os.fstat(temp.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        raise
    sync_folder(folder)
    return written


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename or a new file in it survives a crash."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_files(path: Path) -> list[Path]:
    """Return the temporary files of path's writers that are in its folder now."""
    pattern = re.compile(re.escape(_temp_prefix(path)) + r"[a-z0-9_]{8}" + re.escape(_TEMP_SUFFIX))
    with os.scandir(path.parent) as entries:
        return [Path(entry.path) for entry in entries if pattern.fullmatch(entry.name)]


def sweep_temp_files(path: Path) -> int:
    """Remove temporary files that a writer of path left behind when it was killed.

    Only call this while holding the lock that every writer of path holds: then
    no temporary file of path can belong to a live writer.
    """
    removed = 0
    for leftover in temp_files(path):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            removed += 1
    return removed


def not_writable(path: Path, st: os.stat_result) -> str | None:
    """Say why this account may not change the team file, or None if it may.

    A write replaces the file by renaming a new one over it, which the folder's
    mode allows whatever the file's own: so the file's mode is checked here,
    before anything is locked or written. Root is refused a file no one may write.
    """
    root = os.geteuid() == 0  # root may write anything: it is refused only what no one may
    writable = bool(st.st_mode & 0o222) if root else os.access(path, os.W_OK)
    if writable:
        return None
    import grp
    import pwd

    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    mode = stat.filemode(st.st_mode)
    # No one to ask when the fix is this account's own.
    if root:  # refused only a file no one may write
        return (
            f"is read-only (mode {mode}, owner {owner}, group {group}): no one may write it, "
            "root included: `chmod u+w` it to write. Nothing was written"
        )
    if st.st_uid == os.geteuid():
        return (
            f"is read-only for you (mode {mode}, owner {owner}, group {group}): you own it: "
            "`chmod u+w` it to write. Nothing was written"
        )
    return (
        f"is read-only for you (mode {mode}, owner {owner}, group {group}): you can "
        f"read it but not change it; to write, ask {owner} to `chmod g+w` it and to add "
        f"you to the group {group}. Nothing was written"
    )


def sticky_folder_problem(path: Path, lock_path: Path) -> str | None:
    """Say why the team file's folder stops teammates writing, or None if it does not.

    In a folder with the sticky bit only a file's owner (or the folder's) may
    rename over it or take its lock, so after the first write no one else
    could ever write again. The store checks this before every write; `ictui check` reports it.
    """
    folder = path.parent
    try:
        st = os.stat(folder)
    except OSError:
        return None  # a missing folder is made, or reported, by the write itself
    if not st.st_mode & stat.S_ISVTX:
        return None
    mode = stat.S_IMODE(st.st_mode)
    # A folder the group may write is a team's folder: sticky is a mistake there.
    team_folder = bool(mode & stat.S_IWGRP) and not mode & stat.S_IWOTH
    allowed = {os.geteuid(), st.st_uid}  # who may rename over a file in it
    owners = []
    for own in (path, lock_path):
        with contextlib.suppress(OSError):
            owners.append(os.lstat(own).st_uid)
    if not team_folder and all(uid in allowed for uid in owners):
        return None  # a sticky /tmp, say, used by one account: nothing stops it
    fix = (
        f"run `chmod -t {folder}` (a shared team folder wants mode 2775)"
        if team_folder
        else "move the team file to a folder of the team's own, with mode 2775"
    )
    return (
        f"{folder} has the sticky bit (mode {mode:o}), so teammates cannot replace "
        f"one another's writes of {path.name} or take its lock: {fix}; "
        "nothing was written"
    )
