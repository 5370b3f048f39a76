"""Random keys and clicks, as a cat on the keyboard or a person in a hurry: nothing may break.

Meanwhile a colleague changes the same team file from another store: verdicts,
reasons, deletes, restores and new points land under whatever is open, so
live refreshes and conflicts meet the random keys. A second mix keeps the
colleague on the point under the app's cursor, with keys that open, save and
leave forms, so that the two keep meeting in the conflict dialog. Each run is
seeded, so a failure names the seed that reproduces it. CI plays a few seeds; for a longer
search set ICTUI_RANDOM_RUNS (e.g. 200) and run this file.
After the keys, the app must still be running and answering, and the team file
must still be a valid team file that `ictui check` passes.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.outputs.check import check_team_file
from ictui.screens.contact_points import ContactPointsScreen
from ictui.teamfile.store import Store

from .apptools import demo_store, make_app, started, table, type_at_once, until
from .conftest import BOB, TODAY, checked, fixed_clock

RUNS = int(os.environ.get("ICTUI_RANDOM_RUNS", "2"))  # more seeds: ICTUI_RANDOM_RUNS
STEPS = int(os.environ.get("ICTUI_RANDOM_STEPS", "80"))
SIZES = ((80, 24), (120, 40), (60, 20), (100, 30))

# The app's own keys come often, so that dialogs open and close; typing and
# moving come in between. q and ctrl+q are left out: they would end the run.
APP_KEYS = ("a", "e", "v", "d", "u", "f", "t", "x", "ctrl+s", "f1", "question_mark", "ctrl+p")
MOVES = ("tab", "shift+tab", "enter", "escape", "space", "up", "down", "left", "right")
MORE_MOVES = ("pageup", "pagedown", "home", "end", "backspace", "delete", "ctrl+z")
TEXT = "abcxyz019 -./[]🎉\u202e"


def _one_key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(APP_KEYS)
    if roll < 0.75:
        return rng.choice(MOVES)
    if roll < 0.85:
        return rng.choice(MORE_MOVES)
    character = rng.choice(TEXT)
    return {" ": "space", ".": "full_stop", "-": "minus", "/": "slash"}.get(character, character)


@dataclass(frozen=True)
class Mix:
    """How often each kind of step comes, as shares of all steps (the rest are single keys)."""

    colleague: float  # the colleague writes
    aimed: float  # ... and writes the point under the app's cursor, of those writes
    clicks: float
    bursts: float
    edits: float  # a key that opens, saves or leaves a form or dialog


ANYTHING = Mix(colleague=0.05, aimed=0.0, clicks=0.07, bursts=0.08, edits=0.0)
"""A cat on the keyboard: every key, clicks and bursts; the colleague writes now and then."""
EDITING = Mix(colleague=0.25, aimed=0.9, clicks=0.02, bursts=0.13, edits=0.35)
"""Two people on the same few points: most of the colleague's writes meet an open form."""
EDIT_KEYS = ("e", "e", "ctrl+s", "ctrl+s", "enter", "escape", "m", "t", "v", "d", "u", "down")


def _colleague_writes(other: Store, rng: random.Random, aim: int | None = None) -> None:
    """Change the team file as another person would, while the app has it open.

    aim: the contact point to change, if it is there; else one at random.
    """
    points = other.read().all(ContactPoint, include_deleted=True)
    point = next((p for p in points if p.id == aim), None) or rng.choice(points)
    roll = rng.random()
    if roll < 0.3:
        other.add(
            checked(
                ContactPoint,
                partner_id=point.partner_id,
                date=TODAY,
                direction=point.direction,
                verdict=point.verdict,
                why="Logged by a colleague meanwhile",
            )
        )
    elif point.deleted:
        other.restore(ContactPoint, point.id, point.rev)
    elif roll < 0.5:
        other.delete(ContactPoint, point.id, point.rev)
    elif roll < 0.75:
        flipped = next(v for v in Verdict if v != point.verdict)
        other.update(ContactPoint, point.id, point.rev, verdict=flipped)
    else:
        other.update(ContactPoint, point.id, point.rev, why=point.why + " (colleague)")


async def _play(
    pilot: Pilot[None], rng: random.Random, steps: int, other: Store, mix: Mix = ANYTHING
) -> int:
    """Press, click and burst at random; return how many steps ran before the app ended."""
    app = pilot.app
    width, height = app.size
    for step in range(steps):
        if not app.is_running:
            return step
        roll = rng.random()
        if roll < mix.colleague:
            aim = table(app).selected_id if mix.aimed and rng.random() < mix.aimed else None
            _colleague_writes(other, rng, aim)
        elif (roll := roll - mix.colleague) < mix.clicks:
            # Anywhere but the footer, whose Quit key would end the run.
            await pilot.click(offset=(rng.randrange(width), rng.randrange(height - 1)))
        elif (roll := roll - mix.clicks) < mix.bursts:
            words = "".join(rng.choice(TEXT) for _ in range(rng.randrange(1, 12)))
            keys = [rng.choice((*MOVES, "ctrl+s")) for _ in range(rng.randrange(0, 4))]
            type_at_once(app, words, *keys)
            await pilot.pause()
        elif roll - mix.bursts < mix.edits:
            await pilot.press(rng.choice(EDIT_KEYS))
        else:
            await pilot.press(_one_key(rng))
    return steps


async def _play_and_check(tmp_path: Path, seed: int, contacts: int, mix: Mix) -> None:
    """Play STEPS random steps on a demo team; the app must answer and the file stay valid."""
    rng = random.Random(seed)
    store = demo_store(tmp_path, contacts=contacts)
    app = make_app(store)
    size = SIZES[seed % len(SIZES)]
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        other = Store(store.path, author=BOB, clock=fixed_clock)
        played = await _play(pilot, rng, STEPS, other, mix)
        if app.is_running:
            # Close whatever is open: the contact table must come back and answer.
            for _ in range(6):
                if isinstance(app.screen, ContactPointsScreen):
                    break
                await pilot.press("escape")
                await pilot.pause(0.05)
            if not isinstance(app.screen, ContactPointsScreen):
                # A form with typing asks before it closes; leave without saving.
                await pilot.press("escape", "escape")
            await until(pilot, lambda: isinstance(app.screen, ContactPointsScreen))
            # Quiet first: a write or read still coming in keeps the cursor on its
            # record as rows move, which would move it off the top after Home.
            await until(pilot, lambda: not app.writing)
            await until(pilot, lambda: app.snapshot and app.snapshot.token == store.change_token())
            await pilot.pause(0.1)
            table(app).focus()
            await pilot.press("home")
            await until(pilot, lambda: table(app).cursor_row == 0 or table(app).row_count == 0)
    assert played > 0, f"seed {seed}: the app ended before any key"
    report = check_team_file(store.path)
    assert report.ok, f"seed {seed}: {report.summary} {report.problems}"


@pytest.mark.parametrize("seed", range(RUNS))
async def test_random_keys_and_clicks_break_nothing(tmp_path: Path, seed: int) -> None:
    await _play_and_check(tmp_path, seed, contacts=30, mix=ANYTHING)


@pytest.mark.parametrize("seed", range(1000, 1000 + RUNS))
async def test_editing_what_a_colleague_is_changing_breaks_nothing(
    tmp_path: Path, seed: int
) -> None:
    # Few points, so that forms, conflicts and reloads keep meeting.
    await _play_and_check(tmp_path, seed, contacts=20, mix=EDITING)
