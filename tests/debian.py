"""Debian packages that end-to-end tests need: installed on first use when running as root.

A fresh machine (and CI) has neither an SSH server nor a browser; the tests that
need them install them from Debian's packages rather than skipping, since a test
that always skips proves nothing. Elsewhere (not root, no apt) they skip, saying why.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

APT_LOCK = Path("/tmp/ictui-tests-apt.lock")
"""Serialises installs between pytest-xdist workers: apt allows one at a time."""

_updated = False


def ensure(programs: dict[str, str]) -> str | None:
    """Make each program (absolute path -> Debian package) present; return why not, or None.

    Installs the missing packages with apt-get when running as root; otherwise
    returns the reason to skip.
    """
    missing = sorted({pkg for path, pkg in programs.items() if not Path(path).exists()})
    if not missing:
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        wanted = ", ".join(missing)
        return f"needs Debian packages {wanted} (installed only when root, with apt-get)"
    with APT_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be installing the same packages
        missing = sorted({pkg for path, pkg in programs.items() if not Path(path).exists()})
        if missing:
            problem = _install(missing)
            if problem is not None:
                return problem
    absent = [path for path in programs if not Path(path).exists()]
    return f"still missing after installing: {', '.join(absent)}" if absent else None


def _install(packages: list[str]) -> str | None:
    """apt-get install the packages (updating the index once); return the failure, or None."""
    global _updated
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = [["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]]
    if not _updated:
        steps.insert(0, ["apt-get", "update", "-q"])
    for step in steps:
        done = subprocess.run(
            step, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if done.returncode != 0:
            return f"{' '.join(step[:2])} failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        if step[1] == "update":
            _updated = True
    return None
