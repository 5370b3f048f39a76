"""Two members of a team, each over real OpenSSH in their own terminal, on one team file.

The README's promise, end to end: a host with a Unix group for the team, a setgid
folder holding the team file, members who log in with their keys and run ictui
in a terminal (tmux here), each seeing the other's changes, each change
recorded under the account that made it (issue 21, item 2); and a connection
that drops mid-form loses nothing saved, holds no lock, and keeps the typing as
a draft offered at the next login (item 3).
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import secrets
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.teamfile.history import read_history
from ictui.teamfile.store import Store

from .debian import ensure
from .sshhost import PACKAGES, Member, SshHost, Terminal, pids_of, terminals, wait_for

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


def open_terminal(
    make: Callable[[str, list[str]], Terminal], host: SshHost, member: Member, *args: str
) -> Terminal:
    """Open a tmux terminal of its own in which member logs in and runs `ictui ARGS`."""
    name = f"ictui-ssh-{member.name}-{secrets.token_hex(2)}"
    return make(name, [*host.ssh_args(member, tty=True), host.ictui_command(*args)])


def lock_is_free(team_file: Path) -> bool:
    """Whether nobody holds the team file's lock: taken and let go at once, never waited on."""
    try:  # read-only, never made: a lock file root made would shut the members out
        fd = os.open(team_file.with_name(team_file.name + ".lock"), os.O_RDONLY)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # lets the lock go, if it was taken
    return True


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


@pytest.mark.timeout(300)
def test_a_dropped_connection_keeps_saved_work_and_the_typing_as_a_draft(
    host: SshHost, team_file: Path
) -> None:
    one, two = host.members
    saved, typed = f"ssh{secrets.token_hex(3)}", f"draft{secrets.token_hex(3)}"
    with terminals() as make:
        first = open_terminal(make, host, one, "--db", str(team_file))
        first.wait_for_text("v Verdict")
        # One contact point saved, then a second one typed and never saved.
        first.send("a")
        first.wait_for_text("Log a contact point")
        first.type("Payroll")
        first.send("Tab", "Tab", "Tab", "Tab")
        first.type(f"{saved} was saved before the drop")
        first.send("C-s")
        wait_for("the first contact point in the file", lambda: contact_with(team_file, saved))
        wait_for("the form to close", lambda: "Log a contact point" not in first.screen())
        first.send("a")
        first.wait_for_text("Log a contact point")
        first.type("Payroll")
        first.send("Tab", "Tab", "Tab", "Tab")
        first.type(f"{typed} typed, never saved")
        first.wait_for_text(typed)  # in the form: the app has every key

        # The connection drops: the ssh client dies, the host's side gets SIGHUP.
        os.kill(first.pane_pid(), signal.SIGKILL)
        wait_for("the session's processes to end", lambda: not pids_of(one.uid))

    # The saved change is in the file, the typing is not, and nobody holds the lock.
    point = contact_with(team_file, saved)
    assert point is not None and point.created_by.account == one.name
    assert contact_with(team_file, typed) is None
    assert typed not in team_file.read_text()
    assert lock_is_free(team_file)
    host.ssh(
        two,
        host.ictui_command(
            "--db", str(team_file), "edit", str(point.id), "--verdict", "needs-improvement"
        ),
    )
    assert contact_with(team_file, saved).rev == 2  # type: ignore[union-attr]

    # The typing was kept in member one's own data folder, for them alone.
    home = Path(pwd.getpwnam(one.name).pw_dir)
    kept = [p for p in home.rglob("*.json") if typed in p.read_text(errors="replace")]
    assert len(kept) == 1, kept
    assert kept[0].stat().st_uid == one.uid
    assert stat.S_IMODE(kept[0].stat().st_mode) & 0o077 == 0
    assert not any(typed in p.read_text(errors="replace") for p in host.team.iterdir())

    # Logging in again, member one is offered the draft, and gets the typing back.
    with terminals() as make:
        again = open_terminal(make, host, one, "--db", str(team_file))
        again.wait_for_text("A draft of a contact point")
        again.send("r")
        screen = again.wait_for_text(typed)
        assert "Log a contact point" in screen
