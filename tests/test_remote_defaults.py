"""Over SSH the app sends only what changes: no animation, no blinking cursor, no smooth scroll."""

from __future__ import annotations

import pytest
from textual import constants
from textual.widgets import Input, TextArea

from ictui.teamfile.store import Store
from ictui.user.remote import calm_environment, over_ssh

from .apptools import make_app, open_form, started

SIZE = (80, 24)


def test_an_ssh_session_is_told_by_the_variables_sshd_sets() -> None:
    assert over_ssh({"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"})
    assert over_ssh({"SSH_TTY": "/dev/pts/3"})
    assert not over_ssh({"TERM": "xterm-256color"})
    assert not over_ssh({"SSH_CONNECTION": ""})


def test_smooth_scrolling_is_turned_off_over_ssh_unless_the_person_chose() -> None:
    env = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}
    calm_environment(env)
    assert env["TEXTUAL_SMOOTH_SCROLL"] == "0"
    chosen = {**env, "TEXTUAL_SMOOTH_SCROLL": "1"}
    calm_environment(chosen)
    assert chosen["TEXTUAL_SMOOTH_SCROLL"] == "1"
    local: dict[str, str] = {}
    calm_environment(local)
    assert local == {}


@pytest.mark.parametrize("over_ssh_now", [True, False], ids=["ssh", "local"])
async def test_over_ssh_there_is_no_animation_and_no_blinking_cursor(
    store: Store, monkeypatch: pytest.MonkeyPatch, over_ssh_now: bool
) -> None:
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TEXTUAL_ANIMATIONS"):
        monkeypatch.delenv(name, raising=False)
    if over_ssh_now:
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert (app.animation_level == "none") is over_ssh_now
        form = await open_form(pilot, "a")
        await pilot.press("tab", "tab", "tab", "tab")  # on to the reason, a text area
        await pilot.pause()
        assert isinstance(form.focused, TextArea)
        for field in (form.query_one("#partner", Input), form.query_one("#why", TextArea)):
            assert field.cursor_blink is not over_ssh_now


async def test_a_chosen_animation_level_is_kept_over_ssh(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "basic")
    app = make_app(store)
    assert app.animation_level == constants.TEXTUAL_ANIMATIONS  # Textual's own reading of it
