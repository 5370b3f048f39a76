"""Partners renamed, merged and archived from the command palette, as the CLI does them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.outputs.cli import main
from ictui.screens.ask_name import AskName
from ictui.teamfile.store import Store
from ictui.widgets.filter_bar import FilterBar

from .apptools import demo_store, make_app, open_form, started, table, until
from .conftest import TODAY

SIZE = (100, 30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """The demo team, with a typo partner: Payrol, beside Payroll."""
    team = demo_store(tmp_path)
    code = main(["log", "--db", str(team.path), "--partner", "Payrol", "--verdict", "success",
                 "--why", "Typo partner", "--date", TODAY.isoformat()])  # fmt: skip
    assert code == 0
    return team


def partner(store: Store, name: str, *, deleted: bool = False) -> Partner | None:
    return next(
        (p for p in store.read().all(Partner, include_deleted=True)
         if p.name == name and p.deleted == deleted),
        None,
    )  # fmt: skip


async def run_command(pilot, title: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await until(pilot, lambda: app.screen.query_one(FilterBar).partners)
    commands = {c.title: c for c in app.get_system_commands(app.screen)}
    result = commands[title].callback()
    if result is not None:
        await result


async def test_merge_moves_the_typo_partners_points_and_archives_it(store: Store) -> None:
    typo = partner(store, "Payrol")
    assert typo is not None
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await run_command(pilot, "Merge partner: Payrol into…")
        await until(pilot, lambda: isinstance(app.screen, AskName))
        await pilot.press(*"payr", "enter")  # Enter takes the name suggested: Payroll
        await until(pilot, lambda: app.was_told("Merged 'Payrol' into 'Payroll'"))
    payroll = partner(store, "Payroll")
    assert payroll is not None and partner(store, "Payrol") is None
    moved = [p for p in store.read().all(ContactPoint) if p.why == "Typo partner"]
    assert [p.partner_id for p in moved] == [payroll.id]


async def test_rename_and_a_rename_onto_a_taken_name_is_refused(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await run_command(pilot, "Rename partner: Payrol…")
        await until(pilot, lambda: isinstance(app.screen, AskName))
        assert app.screen.query_one(Input).value == "Payrol"
        await pilot.press("end", "l", "enter")
        problem = app.screen.query_one("#problem", Static)
        await until(pilot, lambda: "merge them instead" in str(problem.render()))
        assert isinstance(app.screen, AskName)  # still open, with what was typed
        assert app.screen.query_one(Input).value == "Payroll"
        assert partner(store, "Payrol") is not None  # Payroll is taken: nothing changed
        app.screen.query_one(Input).value = "Payroll (contractors)"
        await pilot.press("enter")
        await until(pilot, lambda: app.was_told("Renamed 'Payrol' to 'Payroll (contractors)'"))
        await until(pilot, lambda: "Payroll (contractors)" in
                    app.screen.query_one(FilterBar).partners.values())  # fmt: skip


async def test_archive_leaves_the_partner_out_of_the_filters(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await run_command(pilot, "Archive partner: Payrol")
        await until(pilot, lambda: app.was_told("Archived 'Payrol'"))
        await until(
            pilot, lambda: "Payrol" not in app.screen.query_one(FilterBar).partners.values()
        )
    assert partner(store, "Payrol", deleted=True) is not None


async def test_an_archived_partner_comes_back_from_the_palette(store: Store) -> None:
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await run_command(pilot, "Archive partner: Payrol")
        await until(
            pilot, lambda: "Payrol" not in app.screen.query_one(FilterBar).partners.values()
        )
        await until(pilot, lambda: app.snapshot is not None and any(
            p.deleted for p in app.snapshot.all(Partner, include_deleted=True)
        ))  # fmt: skip
        await run_command(pilot, "Unarchive partner: Payrol")
        await until(pilot, lambda: "Payrol" in app.screen.query_one(FilterBar).partners.values())
        assert app.was_told("Brought back 'Payrol'")


async def test_editing_a_point_of_an_archived_partner_keeps_it_and_says_so(store: Store) -> None:
    typo = partner(store, "Payrol")
    assert typo is not None
    point = next(p for p in store.read().all(ContactPoint) if p.partner_id == typo.id)
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        await run_command(pilot, "Archive partner: Payrol")
        await until(pilot, lambda: app.snapshot is not None and app.snapshot.get(
            Partner, typo.id).deleted)  # type: ignore[union-attr]  # fmt: skip
        table(app).select_record(point.id)
        form = await open_form(pilot, "e")
        hint = form.query_one("#partner-problem", Static)
        await until(pilot, lambda: "archived partner" in str(hint.render()))
        assert "new partner" not in str(hint.render()).lower()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, type(form)))
    kept = store.read().get(ContactPoint, point.id)
    assert kept is not None and kept.partner_id == typo.id
    assert [
        p.id for p in store.read().all(Partner, include_deleted=True) if p.name == "Payrol"
    ] == [typo.id]


async def test_a_typo_partner_put_right_then_typed_again_is_brought_back(store: Store) -> None:
    typo = partner(store, "Payrol")
    assert typo is not None
    point = next(p for p in store.read().all(ContactPoint) if p.partner_id == typo.id)
    code = main(["edit", str(point.id), "--db", str(store.path), "--partner", "Payroll"])
    assert code == 0 and partner(store, "Payrol", deleted=True) is not None
    async with make_app(store).run_test(size=SIZE) as pilot:
        app = await started(pilot)
        form = await open_form(pilot, "a")
        await pilot.press(*"Payrol")
        hint = form.query_one("#partner-problem", Static)
        assert str(hint.render()) == "An archived partner with no records: it will be brought back."
        form.query_one("#why", TextArea).text = "Typed again"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, type(form)))
        assert app.was_told("Brought back archived partner Payrol: it had no records.")
    back = partner(store, "Payrol")
    assert back is not None and back.id == typo.id
