"""Who is writing: the OS account, which cannot be faked by $USER, and a display name."""

from __future__ import annotations

import os
import pwd

from ictui.kinds.record import Author
from ictui.kinds.schema import check_author
from ictui.text import WEB_MARK

NAME_VARIABLE = "ICTUI_NAME"
"""Environment variable that sets the display name when --user is not given."""


def os_account() -> str:
    """Return the login name of the effective user, or uid<N> where the account has no name."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # containers often run as a uid with no passwd entry
        return f"uid{uid}"


def current_author(display_name: str | None = None) -> Author:
    """Return the author to record: this OS account, with the given or configured display name.

    Raises InvalidInput if the name is not one an author may have.
    """
    name = display_name if display_name is not None else os.environ.get(NAME_VARIABLE)
    return check_author(os_account(), name)


def web_author(display_name: str | None) -> Author:
    """Return the author for someone in the browser: the serving account, their name marked (web).

    Before they have given a name, the name is the mark alone, so that nothing done
    through the browser ever passes for the serving account's own work.
    Raises InvalidInput if the marked name is not one an author may have.
    """
    name = (display_name or "").strip()
    return check_author(os_account(), f"{name}{WEB_MARK}".strip())
