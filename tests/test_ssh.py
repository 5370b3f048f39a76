"""Two members of a team, each over real OpenSSH in their own terminal, on one team file.

The README's promise, end to end: a host with a Unix group for the team, a setgid
folder holding the team file, members who log in with their keys and run ictui
in a terminal (tmux here), each seeing the other's changes, each change
recorded under the account that made it (issue 21).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.teamfile.history import read_history
from ictui.teamfile.store import Store

from .debian import ensure
from .sshhost import PACKAGES, SshHost, terminals, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def host() -> Iterator[SshHost]:
    """An sshd on 127.0.0.1 with two members of one group and a team file in their folder."""
    if os.geteuid() != 0:
        pytest.skip("needs root: it adds Unix accounts and runs sshd")
    reason = ensure(PACKAGES)
    if reason is not None:
        pytest.skip(reason)
    try:
        made = SshHost.start(members=2)
    except RuntimeError as error:
        if "cannot run this checkout's ictui" in str(error):
            pytest.skip(str(error))
        raise
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def team_file(host: SshHost) -> Path:
    """A demo team file in the team's setgid folder, made by member one over SSH."""
    path = host.team / f"team-{secrets.token_hex(3)}.json"
    host.ssh(host.members[0], host.ictui_command("demo", "--contacts", "20", str(path)))
    return path


def contact_with(path: Path, words: str) -> ContactPoint | None:
    """Return the contact point whose reason holds words, as the file has it now."""
    found = [p for p in Store(path).read().all(ContactPoint) if words in p.why]
    assert len(found) <= 1
    return found[0] if found else None


def row_with(screen: str, words: str) -> str:
    """Return the table's row that shows words (its Way column has an arrow), or ""."""
    rows = (line for line in screen.splitlines() if words in line and "→" in line)
    return next(rows, "")


@pytest.mark.timeout(300)
def test_two_members_over_ssh_see_and_change_each_others_work(
    host: SshHost, team_file: Path
) -> None:
    one, two = host.members
    token = f"ssh{secrets.token_hex(3)}"
    why = f"{token} reached over a real SSH login"
    with terminals() as terminal:
        # Each in their own terminal; the second gives a display name by the environment.
        first = terminal(
            f"ictui-ssh-{one.name}",
            [*host.ssh_args(one, tty=True),
             host.ictui_command("--db", str(team_file), "--user", "Ann Remote")],
        )  # fmt: skip
        second = terminal(
            f"ictui-ssh-{two.name}",
            [*host.ssh_args(two, tty=True),
             host.ictui_command("--db", str(team_file), env={"ICTUI_NAME": "Bo Remote"})],
        )  # fmt: skip
        # Each title names the person: the display name, and the account beside it.
        first.wait_for_text(f"Ann Remote ({one.name})")
        second.wait_for_text(f"Bo Remote ({two.name})")
        for member in (first, second):
            member.wait_for_text("v Verdict")  # the footer's keys: the table has the focus

        # Member one logs a contact point with the keyboard: a, the fields, ctrl+s.
        first.send("a")
        first.wait_for_text("Log a contact point")
        first.type("Payroll")
        first.send("Tab", "Tab", "Tab", "Tab")  # way, verdict, date, why
        first.type(why)
        first.send("C-s")
        logged = wait_for(
            "the contact point in the file",
            lambda: contact_with(team_file, token),
            explain=first.screen,
        )
        assert isinstance(logged, ContactPoint)
        assert logged.verdict is Verdict.SUCCESS

        # It shows on member two's screen, which changes its verdict back.
        second.wait_for_text(token)
        second.send("/")
        second.wait_for_text("Search reasons")
        second.type(token)
        second.wait_for_text("1 contact point")  # only that row
        second.send("Enter")  # back to the table, the search in force
        second.wait_for_text("v Verdict")
        second.send("v")
        wait_for(
            "the verdict switched in the file",
            lambda: contact_with(team_file, token).rev == 2,  # type: ignore[union-attr]
            explain=second.screen,
        )
        # Member one's screen follows: the row now says needs improvement.
        wait_for(
            "the change on member one's screen",
            lambda: "✗ improve" in row_with(first.screen(), token),
            explain=first.screen,
        )

        for member in (first, second):
            member.send("q")
        for member in (first, second):
            wait_for("the app to quit and the session to end", member.exited)

    # The file parses, and keeps the team's group and its group-write bit.
    data = json.loads(team_file.read_text())
    assert "contact_points" in data
    st = team_file.stat()
    assert st.st_gid == host.gid
    assert st.st_mode & stat.S_IWGRP
    assert st.st_uid == two.uid  # the last write replaced the file as member two

    # Each change is recorded under the account that made it, with its display name.
    point = contact_with(team_file, token)
    assert point is not None
    assert point.verdict is Verdict.NEEDS_IMPROVEMENT
    assert (point.created_by.account, point.created_by.name) == (one.name, "Ann Remote")
    assert (point.updated_by.account, point.updated_by.name) == (two.name, "Bo Remote")
    doc = data["contact_points"][str(point.id)]
    versions = read_history(ContactPoint, str(point.id), doc).versions
    assert [(v.rev, v.updated_by.account) for v in versions] == [(2, two.name), (1, one.name)]
    assert versions[1].values["verdict"] is Verdict.SUCCESS
