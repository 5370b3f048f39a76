"""The browser door, `ictui serve`: its warnings, and a person logging a contact point in Chromium.

The browser test runs the real command and Debian's headless Chromium, driven by
Playwright. Every request to anything but the loopback address is aborted and
recorded, so the page is proven to load nothing from outside. The terminal is
drawn on a canvas: the test reads the app's output from the websocket only to
know when a screen is up, and checks what the keys did in the team file itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ictui.kinds.record import Author
from ictui.outputs.serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    from_own_page,
    is_loopback,
    own_origins,
    tunnel_command,
)
from ictui.teamfile.identity import os_account, web_author

from .conftest import ictui_env, run_ictui
from .debian import ensure

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DEADLINE = 90.0
"""Seconds to wait for anything the app does: generous, for a busy 2-core machine."""
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")


def free_port() -> int:
    """Return a port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    condition: Callable[[], object],
    what: str,
    deadline: float = DEADLINE,
    pause: Callable[[], object] = lambda: time.sleep(0.1),
) -> Any:
    """Poll condition until it is true and return it; fail naming what never came.

    pause: how to wait between polls; with a page open, the page's own wait, during
    which Playwright's sync API delivers its events (websocket frames).
    """
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if value := condition():
            return value
        pause()
    pytest.fail(f"waited {deadline:.0f}s for {what}")


# -- the command line -----------------------------------------------------------------


def test_help_says_there_is_no_authentication_and_shows_the_tunnel() -> None:
    done = run_ictui("serve", "--help")
    out = " ".join(done.stdout.decode().split())
    assert done.returncode == 0
    assert "NO AUTHENTICATION" in out
    assert f"ssh -L {DEFAULT_PORT}:127.0.0.1:{DEFAULT_PORT} you@" in out
    assert "default: 127.0.0.1" in out
    assert DEFAULT_HOST == "127.0.0.1" and is_loopback(DEFAULT_HOST)


def test_a_port_in_use_is_refused_by_name(tmp_path: Path) -> None:
    team = tmp_path / "team.json"
    assert run_ictui("demo", str(team), "--contacts", "3").returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_ictui("serve", "--db", str(team), "--port", str(port))
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr.decode()


def test_a_host_other_machines_reach_gets_a_loud_warning(tmp_path: Path) -> None:
    team = tmp_path / "team.json"
    assert run_ictui("demo", str(team), "--contacts", "3").returncode == 0
    with socket.socket() as taken:  # taken, so that the door warns and stops, serving nothing
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_ictui("serve", "--db", str(team), "--host", "0.0.0.0", "--port", str(port))
    said = " ".join(done.stderr.decode().split())
    assert said.startswith("WARNING: --host 0.0.0.0 is reachable from other machines")
    assert "NO AUTHENTICATION" in said
    assert f"port {port} on 0.0.0.0 is in use" in said


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--host", "no-such-host.invalid"), "argument --host: cannot use"),
        (("--host", "192.0.2.1"), "is not an address of this machine"),
        (("--port", "0"), "is not a port"),
    ],
)
def test_a_bad_host_or_port_is_refused(tmp_path: Path, args: tuple[str, ...], problem: str) -> None:
    team = tmp_path / "team.json"
    assert run_ictui("demo", str(team), "--contacts", "3").returncode == 0
    done = run_ictui("serve", "--db", str(team), *args)
    assert done.returncode in (1, 2)
    assert problem in done.stderr.decode()


def test_a_missing_team_file_is_refused_before_serving(tmp_path: Path) -> None:
    done = run_ictui("serve", "--db", str(tmp_path / "none.json"), "--port", str(free_port()))
    assert done.returncode == 1
    assert "no team file at" in done.stderr.decode()


def test_another_host_than_loopback_is_not_taken_for_loopback() -> None:
    assert is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0")  # every address: what it warns about
    assert "you@" in tunnel_command(8123) and "8123:127.0.0.1:8123" in tunnel_command(8123)


# -- the name question, in the app the door runs ---------------------------------------------


def explained(screen: Any) -> str:
    """Return what the name question says above the field."""
    return str(screen.query_one("#explain").render())


async def test_the_app_at_the_door_asks_a_name_until_one_can_be_recorded(tmp_path: Path) -> None:
    from textual.widgets import Input

    from ictui.app import IctuiApp
    from ictui.screens.ask_name import AskName

    from .apptools import demo_store, until

    store = demo_store(tmp_path, contacts=3)
    store.author = web_author(None)  # as `ictui --web` starts it
    app = IctuiApp(store, web=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AskName))
        first = app.screen
        await pilot.press("escape")  # nothing behind it to go back to: asked again
        await until(pilot, lambda: isinstance(app.screen, AskName) and app.screen is not first)
        assert "needed" in explained(app.screen)
        app.screen.query_one("#name", Input).value = "x" * 78  # with " (web)", over 80
        await pilot.press("enter")
        await until(pilot, lambda: "cannot be recorded" in explained(app.screen))
        assert store.author == Author(account=os_account(), name="(web)")
        await pilot.press(*"Ana", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AskName))
        assert store.author == Author(account=os_account(), name="Ana (web)")
        assert app.sub_title == f"Ana ({os_account()}, web)"


async def test_at_the_door_a_recap_goes_to_the_browser_never_to_a_file_of_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files at the door would be written as the serving account: ~/.ssh, ~/.bashrc..."""
    from textual.widgets import Input

    from ictui.app import IctuiApp
    from ictui.screens.ask_name import AskName
    from ictui.screens.debrief_builder import RecapFileScreen

    from .apptools import demo_store, until

    store = demo_store(tmp_path, contacts=3)
    store.author = web_author(None)
    app = IctuiApp(store, web=True)
    delivered: list[tuple[str, str | None]] = []

    def deliver_text(document: Any, **options: Any) -> None:
        delivered.append((document.read(), options.get("save_filename")))

    monkeypatch.setattr(app, "deliver_text", deliver_text)
    target = tmp_path / "home" / ".bashrc"
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AskName))
        await pilot.press(*"Ana", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AskName))
        await pilot.press("4")
        await until(pilot, lambda: type(app.screen).__name__ == "DebriefsScreen")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "DebriefBuilderScreen")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecapFileScreen))
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: delivered)
    assert not target.exists() and not target.parent.exists()
    ((text, name),) = delivered
    assert name == ".bashrc"  # the name alone: where it goes is the browser's choice
    assert text.startswith("# Debrief: interview with Sales Operations")


# -- the door, running ------------------------------------------------------------------


class Door:
    """A running `ictui serve`, its output in a file."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, url: str) -> None:
        self.process = process
        self.log = log
        self.url = url

    def output(self) -> str:
        """Return what it printed so far."""
        return self.log.read_text(errors="replace")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Return a small demo team file."""
    path = tmp_path / "team.json"
    done = run_ictui("demo", str(path), "--contacts", "5")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def door(tmp_path: Path, team: Path) -> Iterator[Door]:
    """Start `ictui serve` on a free loopback port; stop it and every app it started afterwards."""
    port = free_port()
    log = tmp_path / "serve.log"
    home = tmp_path / "home"  # the serving account's own preferences and drafts, not the tester's
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ictui", "serve", "--db", str(team), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=ictui_env(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data")),
            start_new_session=True,  # its own group: the apps it starts go with it
        )
    running = Door(process, log, f"http://127.0.0.1:{port}/")
    try:
        wait_for(lambda: _listening(port) or process.poll() is not None, "the door to listen")
        assert process.poll() is None, running.output()
        yield running
    finally:
        _stop(process)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the door as Ctrl+C would, then make sure nothing of its group is left."""
    group = process.pid  # start_new_session: the group's id is the door's own pid
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)  # apps a browser tab left running, if any
    process.wait(timeout=30)


def test_the_door_says_at_start_it_has_no_authentication(door: Door) -> None:
    said = wait_for(lambda: "NO AUTHENTICATION" in door.output() and door.output(), "the notice")
    port = urlsplit(door.url).port
    assert f"ssh -L {port}:127.0.0.1:{port} you@" in said
    assert door.url in said
    assert "WARNING" not in said  # loopback: no warning that it is reachable from elsewhere


def handshake(door: Door, headers: dict[str, str]) -> int:
    """Open the door's websocket with these headers; return the HTTP status it answers."""
    import http.client

    port = urlsplit(door.url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "GET",
            "/ws?width=80&height=24",
            headers={
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                **headers,
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_the_doors_own_page_may_drive_the_app(door: Door) -> None:
    """Another site open in the same browser, or one renamed to 127.0.0.1, is turned away."""
    port = urlsplit(door.url).port
    own = f"127.0.0.1:{port}"
    assert handshake(door, {"Host": own, "Origin": "https://evil.example"}) == 403
    assert (
        handshake(door, {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"})
        == 403
    )
    assert handshake(door, {"Host": own, "Origin": f"http://{own}"}) == 101  # its own page


def test_the_door_knows_its_own_origins() -> None:
    origins = own_origins("https://ictui.example.org", 8000)
    assert from_own_page("https://ictui.example.org", "ictui.example.org", origins)
    assert from_own_page("http://localhost:8000", "localhost:8000", origins)  # a tunnel
    assert from_own_page(None, "127.0.0.1:8000", origins)  # no browser: no Origin sent
    assert not from_own_page("https://evil.example", "127.0.0.1:8000", origins)
    assert not from_own_page("http://127.0.0.1:8000", "rebound.example:8000", origins)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Return Debian's headless Chromium, driven by Playwright; closed afterwards."""
    reason = ensure({CHROMIUM: "chromium"})
    if reason is not None:
        pytest.skip(reason)
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Screen:
    """What the app has sent to the browser, as text without escape sequences."""

    def __init__(self) -> None:
        self.received: list[str] = []

    def take(self, payload: str | bytes) -> None:
        """Keep one websocket frame of the app's output."""
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.received.append(text)

    def shows(self, words: str) -> bool:
        """Return whether the app has drawn these words (in one run of text) since it started."""
        return words in ANSI.sub("", "".join(self.received))

    def clear(self) -> None:
        """Forget what was drawn, so that shows() sees only what comes next."""
        self.received.clear()


@pytest.mark.timeout(300)
def test_a_person_logs_a_contact_point_in_the_browser(
    door: Door, team: Path, chromium: Any
) -> None:
    outside: list[str] = []
    page = chromium.new_page(viewport={"width": 1200, "height": 800})

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    screen = Screen()

    def on_socket(ws: Any) -> None:
        ws.on("framereceived", screen.take)

    page.on("websocket", on_socket)
    with page.expect_websocket(timeout=DEADLINE * 1000) as opened:
        page.goto(door.url)
    assert urlsplit(opened.value.url).hostname in LOCAL_HOSTS
    page.wait_for_selector("body.-first-byte", timeout=DEADLINE * 1000)  # the app's first bytes
    page.wait_for_selector("#terminal .xterm canvas", state="attached", timeout=DEADLINE * 1000)

    def seen(words: str, what: str) -> None:
        wait_for(lambda: screen.shows(words), what, pause=lambda: page.wait_for_timeout(100))

    seen("Who are you?", "the display-name question")
    page.focus("#terminal .xterm-helper-textarea")
    page.keyboard.type("Ana Web")
    page.keyboard.press("Enter")
    seen(f"Ana Web ({os_account()}, web)", "the header to name Ana")

    screen.clear()
    page.keyboard.press("a")
    seen("Log a contact point", "the contact form")
    page.keyboard.type("Browser Team")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press(" ")  # the verdict: needs improvement
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Logged through the browser door")
    page.keyboard.press("Control+s")

    def logged() -> dict[str, Any] | None:
        try:
            points = json.loads(team.read_text())["contact_points"].values()
        except (OSError, ValueError):  # mid-replace reads are retried
            return None
        return next((p for p in points if p["why"] == "Logged through the browser door"), None)

    point = wait_for(logged, "the contact point in the team file")
    assert point["verdict"] == "needs-improvement"  # the space switched it
    assert point["created_by"] == {"account": os_account(), "name": "Ana Web (web)"}
    partners = json.loads(team.read_text())["partners"].values()
    assert any(p["name"] == "Browser Team" for p in partners)
    assert outside == [], f"the page asked for things outside: {outside}"
    assert json.loads(team.read_text())["meta"]  # the file still parses whole
