"""Sorting the contact points: the sort key's round, a heading clicked, a colleague's write."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.screens.contact_points import ContactPointsScreen
from ictui.services.partners import partner_names
from ictui.services.stats import newest_first
from ictui.teamfile.store import Store
from ictui.widgets.contact_table import ContactTable

from .apptools import ALL_TIME, cursor_id, demo_store, make_app, shown_ids, started, table, until
from .conftest import BOB, TODAY, checked, fixed_clock

SIZE = (100, 30)


def title(app: object) -> str:
    return str(table(app).border_title)  # type: ignore[arg-type]


def heading(app: object) -> str:
    return table(app).render_line(0).text  # type: ignore[arg-type]


def partners_shown(app: object, store: Store) -> list[str]:
    names = partner_names(store.read())
    return [names[point.partner_id] for point in table(app).listing.records]  # type: ignore[arg-type]


async def test_the_sort_key_goes_round_the_orders_keeping_the_cursor_and_the_file(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    before = store.path.read_bytes()
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        newest = shown_ids(app)
        assert "Date ▼" in heading(app)
        await pilot.press("down", "down")
        kept = cursor_id(app)

        await pilot.press("S")
        await until(pilot, lambda: shown_ids(app) == newest[::-1])
        assert title(app).endswith(", oldest first")
        assert "Date ▲" in heading(app)
        assert cursor_id(app) == kept  # the same contact point, on its new row
        assert app.was_told("Sorted oldest first.")

        await pilot.press("S")
        await until(pilot, lambda: title(app).endswith(", by partner, A to Z"))
        shown = partners_shown(app, store)
        assert shown == sorted(shown, key=str.casefold)
        assert "Partner ▲" in heading(app) and "Date ▼" not in heading(app)

        await pilot.press("S")
        await until(pilot, lambda: title(app).endswith(", needs improvement first"))
        verdicts = [p.verdict for p in table(app).listing.records]
        assert verdicts == sorted(verdicts, key=lambda v: v is Verdict.SUCCESS)
        assert verdicts[0] is Verdict.NEEDS_IMPROVEMENT

        await pilot.press("S")
        await until(pilot, lambda: shown_ids(app) == newest)
        assert title(app) == f"{len(newest)} contact points"
    assert store.path.read_bytes() == before  # sorting writes nothing


async def test_a_click_on_a_heading_sorts_by_it_and_a_second_the_other_way(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        columns = table(app).columns
        partner_at = sum(c.width + 2 for c in columns[: [c.key for c in columns].index("partner")])
        assert await pilot.click(ContactTable, offset=(partner_at + 3, 1))  # inside the border
        await until(pilot, lambda: title(app).endswith(", by partner, A to Z"))
        assert partners_shown(app, store) == sorted(partners_shown(app, store), key=str.casefold)
        assert await pilot.click(ContactTable, offset=(partner_at + 3, 1))  # inside the border
        await until(pilot, lambda: title(app).endswith(", by partner, Z to A"))
        shown = partners_shown(app, store)
        assert shown == sorted(shown, key=str.casefold, reverse=True)
        assert "Partner ▼" in heading(app)
        # The date's heading: newest first again, as at the start.
        assert await pilot.click(ContactTable, offset=(3, 1))
        await until(pilot, lambda: title(app) == f"{len(shown)} contact points")
        assert (
            shown_ids(app)
            == [p.id for p in newest_first(store.read().all(ContactPoint))][: len(shown)]
        )


@pytest.mark.parametrize("in_a_thread", [False, True], ids=["short", "long"])
async def test_a_colleagues_point_comes_in_at_its_place_in_the_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_a_thread: bool
) -> None:
    if in_a_thread:  # every listing counts as long: made in a thread, patched after a write
        monkeypatch.setattr(ContactPointsScreen, "LISTED_IN_A_THREAD", 0)
    store = demo_store(tmp_path, contacts=120)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await pilot.press(*ALL_TIME, "escape", "S", "S")
        await until(pilot, lambda: title(app).endswith(", by partner, A to Z"))
        names = partner_names(store.read())
        by_name = sorted(names, key=lambda pid: names[pid].casefold())
        middle = by_name[len(by_name) // 2]
        colleague = Store(store.path, author=BOB, clock=fixed_clock)
        new = colleague.add(
            checked(
                ContactPoint,
                partner_id=middle,
                date=str(TODAY),
                direction="provided",
                verdict="success",
                why="Bob logged it",
            )
        )
        await until(pilot, lambda: new.id in shown_ids(app))
        live = [p for p in store.read().all(ContactPoint) if not p.deleted]
        await until(pilot, lambda: len(shown_ids(app)) == len(live))
        shown = partners_shown(app, store)
        assert shown == sorted(shown, key=str.casefold)
        # After the partners before its own, and first of its partner's: the newest.
        before = sum(name.casefold() < names[middle].casefold() for name in shown)
        assert shown_ids(app).index(new.id) == before > 0
        await pilot.press("S")  # needs improvement first: the new success among the successes
        await until(pilot, lambda: title(app).endswith(", needs improvement first"))
        records = table(app).listing.records
        successes = [p.id for p in records if p.verdict is Verdict.SUCCESS]
        assert successes[0] == new.id
        assert all(p.verdict is Verdict.NEEDS_IMPROVEMENT for p in records[: -len(successes)])
