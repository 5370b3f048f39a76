"""Search on the contact screen: / narrows the table as one types; palette: a partner."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Label

from ictui.kinds.contact_point import ContactPoint
from ictui.services.partners import partner_names
from ictui.services.stats import matching
from ictui.teamfile.store import Store
from ictui.widgets.filter_bar import FilterBar

from .apptools import (
    cursor_id,
    demo_store,
    footer_keys,
    make_app,
    shown_ids,
    started,
    text_of,
    until,
)

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def table_title(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#table").border_title)


async def test_slash_narrows_as_one_types_and_escape_brings_all_back(store: Store) -> None:
    snapshot = store.read()
    names = partner_names(snapshot)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        everything = shown_ids(app)
        await pilot.press("slash", *"approver")
        await until(pilot, lambda: "with “approver”" in table_title(app))
        line = app.screen.query_one("#search-line")
        # What the line is for is said, left of what is typed, with the placeholder gone.
        label, bar = line.query_one(Label), line.query_one(Input)
        assert str(label.render()) == "Search" and label.region.right <= bar.region.x
        assert text_of(bar).strip() == "approver"
        found = shown_ids(app)
        assert found and set(found) < set(everything)
        for record_id in found:
            point = snapshot.get(ContactPoint, record_id)
            assert point is not None and "approver" in point.why.lower()
        await pilot.press("space", *"procurement")  # a word of the partner's name narrows too
        await until(pilot, lambda: "“approver procurement”" in table_title(app))
        assert all(names[snapshot.get(ContactPoint, i).partner_id] == "Procurement"  # type: ignore[union-attr]
                   for i in shown_ids(app))  # fmt: skip
        await pilot.press("escape")
        await until(pilot, lambda: shown_ids(app) == everything)
        assert app.screen.focused is app.screen.query_one("#table")
        assert not line.display


async def test_enter_keeps_the_search_and_x_clears_it(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        everything = shown_ids(app)
        await pilot.press("slash", *"approver", "enter")
        await until(pilot, lambda: app.screen.focused is app.screen.query_one("#table"))
        narrowed = shown_ids(app)
        assert narrowed != everything
        await pilot.press("d")  # keys act on the table again, on what the search found
        await until(pilot, lambda: len(shown_ids(app)) == len(narrowed) - 1)
        assert "x Clear" in footer_keys(app)
        await pilot.press("x")
        await until(pilot, lambda: "with" not in table_title(app))
        assert len(shown_ids(app)) == len(everything) - 1


async def test_a_filter_changed_during_a_search_keeps_the_search(store: Store) -> None:
    # Found trying it in a terminal: the period changed, the search line still
    # said "approver", and the table showed every contact point again.
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("slash", *"approver", "enter")
        await until(pilot, lambda: "with “approver”" in table_title(app))
        bar = app.screen.query_one(FilterBar)
        bar.post_message(FilterBar.Changed(replace(bar.filters, period="all")))
        await until(pilot, lambda: app.screen.filters.period == "all")  # type: ignore[attr-defined]
        await until(pilot, lambda: "with “approver”" in table_title(app))
        snapshot = store.read()
        found = shown_ids(app)
        assert found and all("approver" in snapshot.get(ContactPoint, i).why.lower() for i in found)  # type: ignore[union-attr]


async def test_searched_text_is_shown_literally(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("slash", *"[bold]x")
        await until(pilot, lambda: "[bold]x" in table_title(app))
        assert shown_ids(app) == []


async def test_the_palette_jumps_to_a_partner(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: app.screen.query_one(FilterBar).partners)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        legal = next(pid for pid, name in partner_names(store.read()).items() if name == "Legal")
        commands["Show partner: Legal"].callback()
        await until(pilot, lambda: shown_ids(app) and all(
            store.read().get(ContactPoint, i).partner_id == legal for i in shown_ids(app)  # type: ignore[union-attr]
        ))  # fmt: skip
        assert cursor_id(app) in shown_ids(app)


@given(
    whys=st.lists(st.text("ab cÉé", max_size=12), max_size=8),
    text=st.text("ab cÉé", max_size=6),
)
def test_a_search_finds_exactly_the_points_holding_every_word(whys: list[str], text: str) -> None:
    from types import SimpleNamespace

    points = [SimpleNamespace(partner_id=1, why=why) for why in whys]
    found = matching(points, {1: "Payroll"}, text)
    words = text.casefold().split()
    expected = [p for p in points if all(w in p.why.casefold() or w in "payroll" for w in words)]
    assert found == expected


async def test_a_search_that_finds_nothing_says_so(store: Store) -> None:
    from ictui.widgets.contact_detail import ContactDetail

    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("slash", *"zzqx")
        detail = app.screen.query_one(ContactDetail)
        await until(pilot, lambda: "No contact points with “zzqx”" in detail.hint)
        assert "Escape" in detail.hint


async def test_a_search_written_as_markup_is_said_literally_when_nothing_matches(
    store: Store,
) -> None:
    # Found by reading the notices: "[/]" searched for ended the app when a key needed a row.
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press("slash", *"[/]zz", "enter")
        await until(pilot, lambda: not shown_ids(app))
        await pilot.press("e")  # nothing to edit: said so, naming the search
        await until(pilot, lambda: app.was_told("No contact points with “[/]zz” here"))
        assert app.is_running
