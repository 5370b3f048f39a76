"""The team file against a careless or hostile co-worker on the same host (issue 17).

Hand-edited files, odd files in the team file's place, a tampered lock file: each
is refused with a clear message and no traceback, and nothing is lost or hung.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ictui.errors import TeamFileError
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.outputs.check import check_team_file
from ictui.teamfile.store import LockLost, Store

from .conftest import checked, ictui_env, run_ictui


def log_args(team_path: Path, why: str = "hardening") -> list[str]:
    """Return the arguments of an `ictui log` of one contact point with Payroll."""
    return [
        "log", "--db", str(team_path), "--partner", "Payroll",
        "--verdict", "success", "--why", why,
    ]  # fmt: skip


def assert_refused_untouched(
    team_path: Path, store: Store, *, says: str, check_says: str | None = None
) -> None:
    """Check that check, a write in-process and `ictui log` refuse the file and leave it."""
    before = team_path.read_bytes()
    report = check_team_file(team_path)
    assert not report.ok
    assert (check_says or says) in report.summary + " ".join(report.problems)
    with pytest.raises(TeamFileError, match=says):
        store.add(checked(Partner, name="Newcomer"))
    result = run_ictui(*log_args(team_path))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert says.encode() in result.stderr
    assert team_path.read_bytes() == before


# -- 3. duplicate JSON keys ------------------------------------------------------


def test_a_table_twice_at_the_top_level_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text()
    table = json.dumps(json.loads(text)["contact_points"])
    # The same table again, first: plain json keeps the second and drops these records.
    store.path.write_text('{"contact_points":' + table + "," + text[1:])
    assert_refused_untouched(store.path, store, says="table 'contact_points' twice")


def test_a_record_id_twice_in_a_table_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text()
    raw = json.loads(text)
    record = json.dumps(raw["partners"]["1"] | {"name": "Shadowed"})
    text = text.replace('"partners":{"1":', '"partners":{"1":' + record + ',"1":', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="record id '1' twice in table 'partners'")


def test_a_field_twice_in_a_record_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text().replace('"name":"Payroll"', '"name":"Payroll","name":"P"', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="key 'name' twice")


# -- 4. deep nesting ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["top", "table", "field"])
def test_deep_nesting_is_refused_without_a_recursion_error(
    where: str, store: Store, make_store: Callable[..., Store]
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = store.path.read_text()
    if where == "top":
        text = deep
    elif where == "table":
        text = text[:-1] + ',"deep":' + deep + "}"
    else:
        text = text.replace('"name":"Payroll"', '"name":' + deep, 1)
    store.path.write_text(text)
    with pytest.raises(TeamFileError, match="nested too deeply"):
        store.read()
    assert_refused_untouched(store.path, store, says="nested too deeply")
    for command in (["list"], ["check"]):
        result = run_ictui(*command, "--db", str(store.path))
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr
        assert b"nested too deeply" in result.stderr + result.stdout


# -- 5. broken bookkeeping in meta ----------------------------------------------------

HUGE = "9" * 4300


@pytest.mark.parametrize(
    ("last_ids", "says"),
    [
        ("[]", "last_ids is a list"),
        ("null", "last_ids is null"),
        (HUGE, "last_ids is a number"),
        ('"7"', "last_ids is a string"),
        ('{"partners":[]}', "last id of table 'partners' is a list"),
        ('{"partners":null}', "last id of table 'partners' is null"),
        ('{"partners":' + HUGE + "}", "last id of table 'partners' is too large"),
        ('{"partners":-5}', "last id of table 'partners' is negative"),
        ('{"partners":"7"}', "last id of table 'partners' is a string"),
        ('{"partners":true}', "last id of table 'partners' is true or false"),
        ('{"partners":1.5}', "last id of table 'partners' is not a whole number"),
    ],
    ids=lambda value: value if len(value) < 40 else "huge",
)
def test_broken_last_ids_are_reported_by_check_and_refused_by_writes(
    last_ids: str, says: str, store: Store
) -> None:
    text = store.path.read_text()
    start = text.index('"last_ids":') + len('"last_ids":')
    end = text.index("}", start) + 1
    store.path.write_text(text[:start] + last_ids + text[end:])
    json.loads(store.path.read_text())  # still valid JSON: only the bookkeeping is broken
    assert_refused_untouched(store.path, store, says=says)


def test_a_record_id_too_large_to_count_from_is_refused(store: Store) -> None:
    text = store.path.read_text().replace('"partners":{"1":', '"partners":{"' + HUGE + '":', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="record id 999999")
    result = run_ictui("list", "--db", str(store.path))
    assert b"Traceback" not in result.stderr


# -- 2. a FIFO or another special file in the team file's place ---------------------


def run_quickly(
    *args: str, lock_timeout: float | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ictui in a child process that must finish within seconds: a hang fails the test.

    lock_timeout: seconds it waits for the lock, where the default's ten add nothing.
    """
    waits = {} if lock_timeout is None else {"ICTUI_LOCK_TIMEOUT": str(lock_timeout)}
    return subprocess.run(
        [sys.executable, "-m", "ictui", *args],
        capture_output=True,
        env=ictui_env(**waits),
        timeout=30,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def within_seconds(action: Callable[[], object], seconds: float = 10) -> BaseException | None:
    """Run action in a daemon thread; fail if it hangs, else return what it raised."""
    raised: list[BaseException | None] = [None]

    def run() -> None:
        try:
            action()
        except BaseException as error:  # handed to the test to judge
            raised[0] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung: a special file was opened and read"
    return raised[0]


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_a_special_file_as_the_team_file_is_refused_without_opening_it(
    special: str, team_path: Path, make_store: Callable[..., Store]
) -> None:
    if special == "fifo":
        os.mkfifo(team_path)
        says = "is a named pipe (FIFO), not a regular file"
    else:
        team_path.symlink_to("/dev/zero")  # endless: a read would never finish
        says = "is a device, not a regular file"
    store = make_store(path=team_path)
    for action in (store.read, lambda: store.add(checked(Partner, name="Newcomer"))):
        error = within_seconds(action)
        assert isinstance(error, TeamFileError)
        assert says in str(error)
    assert within_seconds(lambda: check_team_file(team_path)) is None
    assert not check_team_file(team_path).ok
    for command in (["list", "--db", str(team_path)], ["check", "--db", str(team_path)]):
        result = run_quickly(*command)
        assert result.returncode == 1, result
        assert b"Traceback" not in result.stderr
        assert says.encode() in result.stderr + result.stdout
    for command in (log_args(team_path),):
        result = run_quickly(*command)
        assert result.returncode == 1, result
        assert b"Traceback" not in result.stderr
        assert says.encode() in result.stderr + result.stdout
    assert not Path("/dev/zero.lock").exists()  # refused before locking: nothing made there
    assert not Path(str(team_path) + ".lock").exists()
    # Once the file is moved away, the next writer goes on: nothing was left holding the lock.
    team_path.unlink()
    assert run_quickly(*log_args(team_path)).returncode == 0


def test_a_fifo_as_the_lock_file_is_refused_clearly(store: Store) -> None:
    store.lock_path.unlink()
    os.mkfifo(store.lock_path)
    before = store.path.read_bytes()
    error = within_seconds(lambda: store.add(checked(Partner, name="Newcomer")))
    assert isinstance(error, TeamFileError)
    assert "not a regular file" in str(error)
    result = run_quickly(*log_args(store.path))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"not a regular file" in result.stderr
    assert store.path.read_bytes() == before


# -- 6. the lock file's holder note ------------------------------------------------------

HOLD_WITH_NOTE = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o664)
fcntl.flock(fd, fcntl.LOCK_EX)
note = sys.argv[2].encode("utf-8", "surrogateescape")
os.ftruncate(fd, 0)
os.pwrite(fd, note, 0)
print("locked", flush=True)
time.sleep(120)
"""

HOSTILE_NOTE = "4242 \x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202emallory@host"


def test_the_holder_note_is_cleaned_before_it_is_shown(
    store: Store, make_store: Callable[..., Store]
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WITH_NOTE, str(store.lock_path), HOSTILE_NOTE],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        impatient = make_store(lock_timeout=0.2)
        with pytest.raises(TeamFileError) as caught:
            impatient.add(checked(Partner, name="Newcomer"))
        message = str(caught.value)
        assert "mallory@host (pid 4242)" in message
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "PWNED", "52;"):
            assert bad not in message
        result = run_quickly(*log_args(store.path), lock_timeout=0.5)
        assert result.returncode == 1
        assert b"mallory@host" in result.stderr
        for raw in (b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode(), b"PWNED"):
            assert raw not in result.stderr + result.stdout
    finally:
        holder.kill()
        holder.communicate()  # reaps it and closes its pipe


# -- 7. the lock file removed mid-write ------------------------------------------------------

SLOW_WRITER = """
import datetime as dt, os, sys
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.record import Author
from ictui.kinds.schema import schema_of
from ictui.kinds.contact_point import ContactPoint
from ictui.teamfile.store import LockLost, Store

attempts = 0

def change(tx):
    global attempts
    attempts += 1
    values = {"date": dt.date(2026, 11, 20), "direction": "provided", "verdict": "success"}
    point = tx.add(schema_of(ContactPoint).check({**values, "partner_id": 1, "why": "from A"}))
    if attempts == 1:  # inside the transaction, holding the lock: wait to be let go
        print("inside", flush=True)
        sys.stdin.readline()
    return point

store = Store(sys.argv[1], author=Author(account="writer-a"), lock_timeout=30)
point = store.run(change)
print(f"id {point.id} attempts {attempts}", flush=True)
"""


def test_removing_the_lock_mid_write_loses_no_update_and_gives_no_id_twice(
    store: Store,
) -> None:
    before = {p.id for p in store.read().all(ContactPoint)}
    with subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as writer_a:
        assert writer_a.stdout is not None and writer_a.stdin is not None
        assert writer_a.stdout.readline().strip() == "inside"
        store.lock_path.unlink()  # a careless co-worker "cleans up"
        writer_b = run_quickly(*log_args(store.path, why="from B"))  # not held back now
        assert writer_b.returncode == 0, writer_b.stderr
        writer_a.stdin.write("go\n")
        writer_a.stdin.flush()
        out, _ = writer_a.communicate(timeout=60)
    assert writer_a.returncode == 0
    assert out.split()[-1] == "2"  # A noticed, and made its change again on a fresh reading
    points = store.read().all(ContactPoint)
    whys = sorted(p.why for p in points if p.id not in before)
    assert whys == ["from A", "from B"]
    assert len({p.id for p in points}) == len(points)  # no id given out twice
    assert store.lock_path.exists()


def test_a_lock_removed_while_no_one_else_wrote_still_lets_the_write_land(store: Store) -> None:
    with store.transaction() as tx:
        tx.new(Partner, name="Newcomer")
        store.lock_path.unlink()
    assert "Newcomer" in {p.name for p in store.read().all(Partner)}
    assert store.lock_path.exists()


def test_a_transaction_whose_lock_was_taken_away_while_another_wrote_writes_nothing(
    store: Store, make_store: Callable[..., Store]
) -> None:
    lost = pytest.raises(LockLost, match="was removed or replaced while writing")
    with lost, store.transaction() as tx:
        tx.new(Partner, name="Mine")
        store.lock_path.unlink()
        make_store().add(checked(Partner, name="Theirs"))
    names = {p.name for p in store.read().all(Partner)}
    assert "Theirs" in names and "Mine" not in names


# -- 8. a full disk, with no lock file yet ----------------------------------------------


@pytest.fixture
def full_folder(tmp_path: Path) -> Iterator[Path]:
    """Return a folder on a tiny file system of its own (root only), filled up by the test."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k,mode=0775", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def fill_up(folder: Path) -> None:
    """Write to folder until its file system has no room left."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while os.write(fd, b"x" * 512):
            pass
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_full_disk_with_no_lock_file_is_a_clear_message(full_folder: Path) -> None:
    team = full_folder / "team.json"
    assert run_quickly(*log_args(team, why="before")).returncode == 0
    Path(str(team) + ".lock").unlink()
    fill_up(full_folder)
    before = team.read_bytes()
    result = run_quickly(*log_args(team, why="no room"))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"No space left on device" in result.stderr
    assert team.read_bytes() == before


def test_a_holder_note_that_cannot_be_written_does_not_stop_a_write(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.lock_path.unlink()

    def no_room(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", no_room)
    store.add(checked(Partner, name="Newcomer"))  # the note is a courtesy; the write is not
    assert "Newcomer" in {p.name for p in store.read().all(Partner)}


# -- 22. the lock file as a symbolic link ------------------------------------------------


def test_a_lock_file_that_is_a_symbolic_link_is_refused_and_its_target_left(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("not yours to truncate\n")
    store.lock_path.unlink()
    store.lock_path.symlink_to(target)
    before = store.path.read_bytes()
    with pytest.raises(TeamFileError, match=r"lock file .* is a symbolic link"):
        store.add(checked(Partner, name="Newcomer"))
    result = run_quickly(*log_args(store.path))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"is a symbolic link" in result.stderr
    assert target.read_text() == "not yours to truncate\n"
    assert store.path.read_bytes() == before


# -- 20. a sticky shared folder ---------------------------------------------------------


def test_a_sticky_team_folder_is_refused_at_the_start_with_the_fix(
    tmp_path: Path, make_store: Callable[..., Store]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    team = folder / "team.json"
    store = make_store(path=team)
    with store.transaction(create=True) as tx:
        tx.new(Partner, name="Payroll")
    store.lock_path.unlink()
    before = team.read_bytes()
    folder.chmod(0o3775)  # what `chmod +t` makes of a 2775 team folder
    with pytest.raises(TeamFileError, match=re.escape(f"chmod -t {folder}")):
        store.add(checked(Partner, name="First"))
    result = run_quickly(*log_args(team))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert f"chmod -t {folder}".encode() in result.stderr
    assert sorted(folder.iterdir()) == [team]  # refused before locking: no lock file made
    assert team.read_bytes() == before
    report = check_team_file(team)
    assert not report.ok and f"chmod -t {folder}" in " ".join(report.problems)
    folder.chmod(0o2775)
    store.add(checked(Partner, name="First"))
    assert store.folder_problem() is None


# -- 9. a file the writer may only read ------------------------------------------------------


def test_a_file_no_one_may_write_is_refused_even_to_root(store: Store) -> None:
    store.path.chmod(0o444)
    before = store.path.read_bytes()
    lock_before = store.lock_path.exists()
    with pytest.raises(TeamFileError) as caught:
        store.add(checked(Partner, name="Newcomer"))
    assert "(mode -r--r--r--" in str(caught.value)  # and, root or its owner, the fix is yours:
    assert "`chmod u+w` it to write" in str(caught.value)
    assert store.write_problem() is not None and "read-only" in store.write_problem()  # type: ignore[operator]
    assert store.path.read_bytes() == before and store.lock_path.exists() == lock_before
    result = run_quickly(*log_args(store.path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert b"is read-only" in result.stderr and b"`chmod u+w` it" in result.stderr
    assert store.path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to run ictui as another account")
def test_another_account_cannot_write_a_file_it_may_only_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A group-writable folder lets anyone in it rename over the file: the file's own
    # mode (644, root's) must still stop the account "nobody".
    folder = Path("/tmp") / f"ictui-ro-{os.getpid()}-{tmp_path_factory.getbasetemp().name}"
    folder.mkdir(mode=0o777)
    try:
        folder.chmod(0o777)
        team = folder / "team.json"
        store = Store(team)
        with store.transaction(create=True) as tx:
            tx.new(Partner, name="Payroll")
        team.chmod(0o644)
        store.lock_path.unlink()
        before = team.read_bytes()
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        result = subprocess.run(
            [*nobody, sys.executable, "-m", "ictui", *log_args(team)],
            capture_output=True,
            env=ictui_env(HOME=str(folder)),
            timeout=60,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert b"is read-only for you" in result.stderr and b"owner root" in result.stderr
        assert b"ask root to `chmod g+w` it and to add you to the group" in result.stderr
        assert team.read_bytes() == before and team.stat().st_uid == 0
        assert not store.lock_path.exists()  # refused before anything was locked
        listed = subprocess.run(
            [*nobody, sys.executable, "-m", "ictui", "list", "--db", str(team)],
            capture_output=True,
            env=ictui_env(HOME=str(folder)),
            timeout=60,
            check=False,
        )
        assert listed.returncode == 0, listed.stderr  # reading stays open to it
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


# -- 15. the busy message when the last ictui writer is gone ----------------------------------


def test_a_lock_held_by_a_process_other_than_the_noted_writer_is_said_so(
    store: Store, make_store: Callable[..., Store]
) -> None:
    import socket

    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    gone = int(finished.stdout)
    note = f"{gone} ann@{socket.gethostname()}"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WITH_NOTE, str(store.lock_path), note],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        impatient = make_store(lock_timeout=0.2)
        with pytest.raises(TeamFileError) as caught:
            impatient.add(checked(Partner, name="Newcomer"))
        assert "is busy: another process has been writing it" in str(caught.value)
        assert "ann@" not in str(caught.value)
    finally:
        holder.kill()
        holder.communicate()


# -- 18. "deleted" is a JSON true or false, read one way by everyone -----------------------


def test_a_deleted_flag_that_is_no_boolean_is_one_broken_record_for_every_reader(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import ictui

    raw = json.loads(store.path.read_text())
    raw["partners"]["1"]["deleted"] = "false"
    store.path.write_text(json.dumps(raw))
    assert store.read().get(Partner, 1) is None  # left out of the screens
    code, out, err = ictui(capsys, "check", "--db", str(store.path))
    assert code != 0 and "partners 1: deleted" in out + err


def test_a_read_only_file_of_ones_own_says_to_chmod_it_not_whom_to_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ictui.teamfile import durable

    team = tmp_path / "team.json"
    team.write_text("{}")
    team.chmod(0o444)
    mine = team.stat()
    # Seen as its owner, an account that is not root (whoever runs the tests).
    monkeypatch.setattr(os, "geteuid", lambda: mine.st_uid + 1)
    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    owned = os.stat_result((mine.st_mode, 0, 0, 1, mine.st_uid + 1, mine.st_gid, 2, 0, 0, 0))
    said = durable.not_writable(team, owned)
    assert said is not None and "you own it: `chmod u+w` it to write" in said
    assert "ask " not in said
    # Another's: whom to ask, and what.
    said = durable.not_writable(team, mine)
    assert said is not None and "`chmod g+w` it and to add you to the group" in said
