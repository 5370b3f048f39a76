"""The conflict dialog: what differs between the two versions shows before a person chooses."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from ictui.errors import Conflict
from ictui.kinds.contact_point import ContactPoint
from ictui.screens.conflict import MARK, Comparison, ConflictScreen, lines_per_value
from ictui.screens.contact_form import ContactForm
from ictui.services.compare import FieldChange, first_difference
from ictui.teamfile.store import Store

from .apptools import cursor_id, demo_store, make_app, started, stored, until
from .conftest import BOB, fixed_clock

SIZES = [(80, 24), (160, 40)]

CJK = "合作伙伴要求我们把全部中文文档重新整理一遍" * 12
"""A long reason with no spaces to break it at."""
SPACED = "伙伴 要求 我们 把 全部 中文 文档 重新 整理 一遍。" * 30
"""A long reason in Chinese words: the tester's, whose end was out of sight."""
MIXED = (
    "The partner asked for [b]help[/b] with the 中文 rollout 👩‍👩‍👧 and more. " * 8
    + "\nSecond line.\n\tThird, tabbed"
)
"""A long reason of words, wide characters, markup-like text and several lines."""


def drawn(screen: ConflictScreen) -> list[str]:
    """Return the lines of the two versions as drawn on the screen: scrolled out of view is not."""
    # The compositor's strips are what the terminal gets, dialog over form over table;
    # cropping to the versions' region leaves out the record shown behind the dialog.
    region = screen.query_one("#versions").region
    strips = screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def row_of(lines: list[str], *words: str) -> str:
    """Return the one drawn line that has all the words; fail if none has."""
    found = [line for line in lines if all(word in line for word in words)]
    assert found, f"no line shows {words}:\n" + "\n".join(lines)
    return found[0]


async def both_append(pilot: Pilot[None], store: Store, reason: str) -> ConflictScreen:
    """Give the selected contact point a reason; Alice and Bob then each add a word at its end."""
    app = await started(pilot)
    record_id = cursor_id(app)
    base = stored(store, record_id)
    store.update(ContactPoint, record_id, base.rev, why=reason)
    base = stored(store, record_id)
    await until(
        pilot, lambda: app.snapshot is not None and app.snapshot.token == store.change_token()
    )
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, ContactForm))
    app.screen.query_one("#why", TextArea).text = base.why + " ALICE"
    Store(store.path, author=BOB, clock=fixed_clock).update(
        ContactPoint, record_id, base.rev, why=base.why + " BOB"
    )
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
    assert isinstance(app.screen, ConflictScreen)
    return app.screen


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x40"])
@pytest.mark.parametrize("reason", [CJK, SPACED, MIXED], ids=["cjk", "spaced", "mixed"])
async def test_words_both_added_at_the_end_of_a_long_reason_show_side_by_side(
    tmp_path: Path, size: tuple[int, int], reason: str
) -> None:
    store = demo_store(tmp_path)
    async with make_app(store).run_test(size=size) as pilot:
        dialog = await both_append(pilot, store, reason)
        lines = drawn(dialog)
        row_of(lines, "ALICE")
        row_of(lines, "BOB")
        assert row_of(lines, "Why").count(MARK) == 2  # the start, left out in both


class Host(App[None]):
    """An app that only opens the conflict dialog, for values the team file would clean."""

    def __init__(self, record: ContactPoint, fields: list[FieldChange]) -> None:
        super().__init__()
        self.record, self.fields = record, fields

    def on_mount(self) -> None:
        """Open the dialog."""
        self.push_screen(ConflictScreen(Conflict("contact point", 1, self.record), self.fields))


def a_record(tmp_path: Path) -> ContactPoint:
    return demo_store(tmp_path).read().all(ContactPoint)[0]


def fields(yours: str, theirs: str) -> list[FieldChange]:
    return [
        FieldChange("Partner", "Legal", "Legal"),
        FieldChange("Why", yours, theirs),
        FieldChange("Evidence for standard", "", ""),
    ]


async def opened(pilot: Pilot[None]) -> ConflictScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, ConflictScreen))
    assert isinstance(pilot.app.screen, ConflictScreen)
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x40"])
async def test_a_difference_in_the_middle_of_the_longest_reason_shows(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    start, end = "word " * 400, " 中文" * 400
    app = Host(a_record(tmp_path), fields(f"{start}ALICE{end}", f"{start}BOB{end}"))
    async with app.run_test(size=size) as pilot:
        lines = drawn(await opened(pilot))
        row_of(lines, "ALICE", "BOB")
        assert row_of(lines, "Why").count(MARK) == 2  # each column says its start is left out ...
        assert sum(line.count(MARK) for line in lines) == 4  # ... and its end


async def test_a_long_reason_that_differs_at_its_start_shows_its_start(tmp_path: Path) -> None:
    app = Host(a_record(tmp_path), fields("ALICE " + "x " * 500, "BOB " + "x " * 500))
    async with app.run_test(size=(80, 24)) as pilot:
        lines = drawn(await opened(pilot))
        assert MARK not in row_of(lines, "ALICE", "BOB")
        assert sum(line.count(MARK) for line in lines) == 2  # the ends left out


async def test_short_values_show_whole(tmp_path: Path) -> None:
    app = Host(a_record(tmp_path), fields("Alice's wording", "Bob's wording"))
    async with app.run_test(size=(80, 24)) as pilot:
        lines = drawn(await opened(pilot))
        row_of(lines, "Alice's wording", "Bob's wording")
        assert not any(MARK in line for line in lines)


async def test_values_are_shown_as_typed_never_as_markup_or_terminal_commands(
    tmp_path: Path,
) -> None:
    tricky = "[bold red]not bold[/] \x1b[2J\x1b]8;;http://x\x07link \u202eevil " * 20
    app = Host(a_record(tmp_path), fields(tricky + "ALICE", tricky + "BOB"))
    async with app.run_test(size=(80, 24)) as pilot:
        lines = drawn(await opened(pilot))
        row_of(lines, "ALICE", "BOB")
        text = "\n".join(lines)
        assert "red]not bold[/]" in text  # the words of one line wrap at its space
        assert not any(c in text for c in "\x1b\x07\u202e")


async def test_a_taller_terminal_shows_more_of_a_long_reason(tmp_path: Path) -> None:
    long = "word " * 800
    app = Host(a_record(tmp_path), fields(long + "ALICE", long + "BOB"))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await opened(pilot)
        small = sum(1 for line in drawn(dialog) if "word" in line)
        await pilot.resize_terminal(160, 40)
        await until(pilot, lambda: sum(1 for ln in drawn(dialog) if "word" in ln) > small)
        row_of(drawn(dialog), "ALICE", "BOB")
        shown = dialog.query_one("#comparison", Static).content
        assert isinstance(shown, Comparison) and shown.lines == lines_per_value(40)


@pytest.mark.parametrize("width", [30, 60, 68, 80, 96, 97, 120])
@pytest.mark.parametrize(
    "start, mine, theirs",
    [
        (CJK, "甲", "乙"),
        ("🎉" * 300 + "👩\u200d👩\u200d", "👧", "👦"),
        (MIXED, " ALICE", " BOB"),
        ("e" * 30 + "\n" * 30, "ALICE", "BOB"),
    ],
    ids=["cjk", "emoji", "mixed", "lines"],
)
def test_the_comparison_fits_its_width_and_shows_the_difference(
    width: int, start: str, mine: str, theirs: str
) -> None:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(Comparison(fields(start + mine, start + theirs), 4), pad=False)
    drawn = ["".join(segment.text for segment in line) for line in lines]
    assert all(cell_len(line) <= width for line in drawn)
    # The reason's lines: from its mark to the next field's label.
    first = next(n for n, line in enumerate(drawn) if line.startswith("≠"))
    after = next(n for n in range(first + 1, len(drawn)) if drawn[n].split("│")[1].strip())
    why = [line.split("│")[2:] for line in drawn[first:after]]
    assert len(why) <= 4, "\n".join(drawn)
    assert any(mine.strip() in yours for yours, _ in why), "\n".join(drawn)
    assert any(theirs.strip() in other for _, other in why), "\n".join(drawn)


@pytest.mark.parametrize(
    "yours, theirs, at",
    [
        ("abc", "abd", 2),
        ("same", "same", 4),
        ("short", "shorter", 5),
        ("cafe", "cafe\u0301", 3),  # the accent changes the e
        ("👍", "👍🏽", 0),  # so does a skin tone
        ("a👩\u200d👧", "a👩\u200d👦", 1),  # and a family's last member
        ("x🇫🇷🇫🇷", "x🇫🇷🇫🇮", 3),  # the second flag, not the first
        ("中文 ALICE", "中文 BOB", 3),
    ],
)
def test_first_difference_is_at_the_start_of_a_character_as_people_see_one(
    yours: str, theirs: str, at: int
) -> None:
    assert first_difference(yours, theirs) == at
