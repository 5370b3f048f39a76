"""A real OpenSSH server on 127.0.0.1 with Unix accounts of one team, and tmux terminals.

For the end-to-end tests over SSH (tests/test_ssh.py): everything made here is
made fresh for one run (unique names, a private folder, a free port) and taken
away by `close()`, however the test ended. Needs root (useradd, sshd).
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"
SSH = "/usr/bin/ssh"
SSH_KEYGEN = "/usr/bin/ssh-keygen"
PACKAGES = {SSHD: "openssh-server", SSH: "openssh-client", SSH_KEYGEN: "openssh-client"}
"""The programs these tests run, by the Debian package that brings each."""

UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
"""A UTF-8 locale that every Debian has (glibc's built-in C.UTF-8)."""


def wait_for(
    what: str,
    done: Callable[[], object],
    timeout: float = 60,
    *,
    explain: Callable[[], str] | None = None,
) -> object:
    """Poll done() until it returns something true, and return that; fail after timeout.

    The timeout is generous on purpose: it is a deadline on a busy machine, not a claim.
    explain: what to add to the failure (a terminal's screen, say).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = done()
        if result:
            return result
        if time.monotonic() > deadline:
            said = f"\n{explain()}" if explain is not None else ""
            raise AssertionError(f"waited {timeout:g}s for {what}{said}")
        time.sleep(0.1)


def run(
    *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command, raising with its output if it fails."""
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pids_of(uid: int) -> list[int]:
    """Return the processes running as uid (real or effective)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        for line in status.splitlines():
            if line.startswith("Uid:"):
                if str(uid) in line.split()[1:3]:
                    pids.append(int(entry.name))
                break
    return pids


@dataclass
class Member:
    """One Unix account of the team: its name, uid and the private key it logs in with."""

    name: str
    uid: int
    key: Path


class SshHost:
    """An sshd of its own, a group with members, their keys, and a setgid team folder.

    Build it with `SshHost.start(members=2)`; `close()` undoes everything, each
    step on its own, so that one failing never leaves the rest behind.
    """

    def __init__(self, root: Path, tag: str) -> None:
        self.root = root
        self.tag = tag
        self.group = f"ict{tag}"
        self.gid: int | None = None
        self.members: list[Member] = []
        self.port = 0
        self.sshd: subprocess.Popen[bytes] | None = None
        self.sshd_log = root / "sshd" / "sshd.log"
        self.team = root / "team"
        self.ictui: list[str] = []
        """The command that runs ictui as a member, found by `find_ictui`."""

    # -- building ------------------------------------------------------------------------

    @classmethod
    def start(cls, members: int = 2) -> SshHost:
        """Make the group, the accounts, the team folder and sshd; undo it all if one fails."""
        root = Path(tempfile.mkdtemp(prefix="ictui-ssh-"))
        root.chmod(0o755)  # the members read their keys' folder and reach the team folder
        host = cls(root, secrets.token_hex(3))
        try:
            host._make_accounts(members)
            host._make_team_folder()
            host._start_sshd()
            host.find_ictui()
        except BaseException:
            host.close()
            raise
        return host

    def _make_accounts(self, count: int) -> None:
        run("groupadd", self.group)
        self.gid = grp.getgrnam(self.group).gr_gid
        keys = self.root / "keys"
        keys.mkdir(mode=0o700)
        authorized = self.root / "authorized"
        authorized.mkdir(mode=0o755)
        for letter in "abcdefgh"[:count]:
            name = f"{self.group}{letter}"
            run("useradd", "--create-home", "--gid", self.group, "--shell", "/bin/sh", name)
            uid = pwd.getpwnam(name).pw_uid
            key = keys / name
            self.members.append(Member(name, uid, key))
            # Without PAM, sshd refuses an account locked with "!": "*" allows keys only.
            run("usermod", "--password", "*", name)
            run(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key))
            pub = authorized / name
            shutil.copyfile(key.with_suffix(".pub"), pub)
            pub.chmod(0o644)

    def _make_team_folder(self) -> None:
        assert self.gid is not None
        self.team.mkdir()
        os.chown(self.team, 0, self.gid)
        self.team.chmod(0o2770)  # setgid: every file made in it belongs to the team's group

    def _start_sshd(self) -> None:
        folder = self.root / "sshd"
        folder.mkdir(mode=0o700)
        host_key = folder / "host_ed25519"
        run(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(host_key))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
        for _attempt in range(3):  # another process may take the free port first
            self.port = _free_port()
            config = folder / "sshd_config"
            config.write_text(
                "\n".join(
                    [
                        f"Port {self.port}",
                        "ListenAddress 127.0.0.1",
                        f"HostKey {host_key}",
                        f"PidFile {folder / 'sshd.pid'}",
                        "UsePAM no",
                        "StrictModes no",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PubkeyAuthentication yes",
                        f"AuthorizedKeysFile {self.root / 'authorized' / '%u'}",
                        f"AllowUsers {' '.join(m.name for m in self.members)}",
                        "PermitRootLogin no",
                        "PrintMotd no",
                        "PrintLastLog no",
                        "X11Forwarding no",
                        "AllowTcpForwarding no",
                        "LogLevel VERBOSE",
                        "",
                    ]
                )
            )
            run(SSHD, "-t", "-f", str(config))
            with self.sshd_log.open("ab") as log:
                self.sshd = subprocess.Popen(
                    [SSHD, "-D", "-e", "-f", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            self._wait_until_listening()
            if self.sshd.poll() is None:
                return
            self.sshd.wait()
            self.sshd = None
        raise RuntimeError(f"sshd did not start:\n{self.log()}")

    def _wait_until_listening(self) -> None:
        sshd = self.sshd
        assert sshd is not None
        listening = f"Server listening on 127.0.0.1 port {self.port}"
        wait_for("sshd to listen", lambda: listening in self.log() or sshd.poll() is not None, 30)

    def log(self) -> str:
        """Return what sshd said so far."""
        try:
            return self.sshd_log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # -- ictui as a member runs it ---------------------------------------------------------

    def find_ictui(self) -> None:
        """Find how a member runs this checkout's ictui, or raise RuntimeError saying why not.

        First the virtual environment's own `ictui`. Its interpreter may sit where
        other accounts cannot go (a Python built under /root, mode 700): then the
        system's Python of the same version, with the environment's packages added.
        Nothing is made readable that was not.
        """
        venv_ictui = str(Path(sys.prefix) / "bin" / "ictui")
        tried = []
        done = self.ssh(self.members[0], shlex.join([venv_ictui, "--version"]), check=False)
        if done.returncode == 0:
            self.ictui = [venv_ictui]
            return
        tried.append(f"{venv_ictui}: {done.stderr.strip() or done.returncode}")
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        site = sysconfig.get_paths()["purelib"]
        launcher = self.root / "bin" / "ictui"
        launcher.parent.mkdir(mode=0o755)
        for folder in ("/usr/bin", "/usr/local/bin"):
            python = Path(folder) / version
            if not python.exists():
                continue
            # -I -S: none of the system's own packages, only the environment's (and its .pth).
            launcher.write_text(
                f"#!{python} -IS\n"
                "import site, sys\n"
                f"site.addsitedir({site!r})\n"
                "from ictui.outputs.cli import main\n"
                "sys.exit(main())\n"
            )
            launcher.chmod(0o755)
            done = self.ssh(self.members[0], shlex.join([str(launcher), "--version"]), check=False)
            if done.returncode == 0:
                self.ictui = [str(launcher)]
                return
            tried.append(f"{python}: {done.stderr.strip() or done.returncode}")
        raise RuntimeError(
            "the other accounts cannot run this checkout's ictui (is every folder above "
            "the virtual environment and its interpreter searchable by others?): "
            + "; ".join(tried)
        )

    def ictui_command(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Return the shell command that runs `ictui ARGS` on the host, in a UTF-8 locale."""
        assignments = [f"{k}={v}" for k, v in (UTF8 | (env or {})).items()]
        return shlex.join(["env", *assignments, *self.ictui, *args])

    # -- connecting --------------------------------------------------------------------------

    def ssh_args(self, member: Member, *, tty: bool = False) -> list[str]:
        """Return the ssh command line that logs member in (without the remote command)."""
        return [
            SSH,
            "-F", "/dev/null",  # none of root's own settings
            *(["-tt"] if tty else ["-T"]),
            "-i", str(member.key),
            "-p", str(self.port),
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR",
            f"{member.name}@127.0.0.1",
        ]  # fmt: skip

    def ssh(
        self, member: Member, command: str, *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run command on the host as member, without a terminal; return what it did."""
        done = subprocess.run(
            [*self.ssh_args(member), command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"as {member.name}: {command} failed ({done.returncode}): {done.stderr}\n"
                f"sshd said:\n{self.log()[-2000:]}"
            )
        return done

    # -- taking it all away ----------------------------------------------------------------

    def close(self) -> None:
        """Stop every process of the members and sshd, remove the accounts, group and files."""
        steps = [self._end_members_processes, self._stop_sshd, self._remove_accounts]
        problems = []
        for step in steps:
            try:
                step()
            except Exception as error:  # each step is tried whatever the others did
                problems.append(f"{step.__name__}: {error}")
        shutil.rmtree(self.root, ignore_errors=True)
        if problems:
            raise RuntimeError("cleaning up the SSH host: " + "; ".join(problems))

    def _end_members_processes(self) -> None:
        uids = [member.uid for member in self.members]

        def left() -> list[int]:
            return [pid for uid in uids for pid in pids_of(uid)]

        # Their sessions end with their ssh clients; whatever is left is ended here.
        with contextlib.suppress(AssertionError):
            wait_for("the members' processes to end", lambda: not left(), 10)
        for pid in left():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        wait_for("the members' processes to be killed", lambda: not left())

    def _stop_sshd(self) -> None:
        if self.sshd is None:
            return
        if self.sshd.poll() is None:
            self.sshd.terminate()
            try:
                self.sshd.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.sshd.kill()
                self.sshd.wait()
        self.sshd = None

    def _remove_accounts(self) -> None:
        problems = []
        for member in self.members:
            done = subprocess.run(
                ["userdel", "--remove", member.name],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            # 12: the mail spool it was asked to remove was never made.
            if done.returncode not in (0, 12):
                problems.append(f"userdel {member.name}: {done.stderr.strip()}")
        if self.gid is not None:
            done = subprocess.run(
                ["groupdel", self.group], capture_output=True, text=True, timeout=60, check=False
            )
            if done.returncode != 0:
                problems.append(f"groupdel {self.group}: {done.stderr.strip()}")
        if problems:
            raise RuntimeError("; ".join(problems))


class Terminal:
    """A tmux server of its own (socket name), 100x30, with one window running a command."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.socket = name
        self.socket_path: Path | None = None
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "ICTUI_"))}
        env |= UTF8 | {"TERM": "xterm-256color"}
        self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "main",
            shlex.join(command), ";", "set-option", "-g", "remain-on-exit", "on",
            env=env,
        )  # fmt: skip
        self.socket_path = Path(self._tmux("display-message", "-p", "#{socket_path}").strip())

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        return run("tmux", "-u", "-L", self.socket, *args, env=env).stdout

    def send(self, *keys: str) -> None:
        """Press keys by tmux's names: "a", "Tab", "C-s", "Enter"."""
        self._tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        """Type text literally."""
        self._tmux("send-keys", "-t", "main", "-l", text)

    def screen(self) -> str:
        """Return what the terminal shows now."""
        return self._tmux("capture-pane", "-p", "-t", "main")

    def wait_for_text(self, text: str, timeout: float = 60) -> str:
        """Wait until text shows; return the screen then."""
        screens = [""]

        def shown() -> bool:
            screens[0] = self.screen()
            return text in screens[0]

        wait_for(f"{text!r} on the screen", shown, timeout, explain=lambda: screens[0])
        return screens[0]

    def pane_pid(self) -> int:
        """Return the pid of the command the window runs (the ssh client)."""
        return int(self._tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip())

    def exited(self) -> bool:
        """Whether the window's command has ended."""
        return self._tmux("display-message", "-p", "-t", "main", "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        """Kill this tmux server and what runs in it."""
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30, check=False
        )
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)  # tmux leaves it behind


@contextlib.contextmanager
def terminals() -> Iterator[Callable[[str, list[str]], Terminal]]:
    """Yield a maker of terminals, each closed when the block ends, however it ends."""
    made: list[Terminal] = []

    def make(name: str, command: list[str]) -> Terminal:
        terminal = Terminal(name, command)
        made.append(terminal)
        return terminal

    try:
        yield make
    finally:
        for terminal in made:
            terminal.close()
