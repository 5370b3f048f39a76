"""Whether this session reaches its person over a network link (SSH), for calmer defaults.

Over a slow link every frame is a round trip: an animation, a blinking cursor
or smooth scrolling sends screen updates that nobody asked for, and each one
delays the keys behind it. The app draws only what changes there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
"""Set by OpenSSH's server in the session it starts."""


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    """Return whether the session came in over SSH (as OpenSSH's server says in the environment)."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in SSH_VARIABLES)


def calm_environment(environ: MutableMapping[str, str] | None = None) -> None:
    """Turn off, before Textual is imported, what it reads once: smooth (pixel) scrolling.

    Only over SSH, and never against a choice the person made in the environment.
    """
    env = os.environ if environ is None else environ
    if over_ssh(env):
        env.setdefault("TEXTUAL_SMOOTH_SCROLL", "0")
