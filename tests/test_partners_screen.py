"""The partner map, driven by keys as a person would: read it, add, change, archive, undo."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship
from ictui.screens.partner_form import PartnerForm
from ictui.screens.partners import PartnersScreen
from ictui.services.partner_map import PartnerDraft, SavePartner
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run
from ictui.widgets.partner_detail import PartnerDetail
from ictui.widgets.partner_table import PartnerTable

from .apptools import (
    RecordingApp,
    demo_store,
    footer_keys,
    make_app,
    row_shown,
    started,
    text_of,
    until,
)
from .conftest import BOB, fixed_clock

SIZE = (120, 36)


async def on_partners(pilot: Pilot[None]) -> PartnerTable:
    """Go to the partner map (key 5) and wait for its rows and their counts."""
    app = await started(pilot)
    await pilot.press("5")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, PartnersScreen)
            and app.screen.query_one(PartnerTable).row_count > 0
            and bool(app.screen.query_one(PartnerTable).years)
        ),
    )
    return app.screen.query_one(PartnerTable)


def names_shown(table: PartnerTable) -> list[str]:
    return [p.name for p in table.listing.records]


async def test_the_map_lists_every_live_partner_high_priority_first_with_its_year(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    partners = store.read().all(Partner)
    async with make_app(store).run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        shown = table.listing.records
        assert sorted(p.id for p in shown) == sorted(p.id for p in partners)
        ranks = ["high", "medium", "low"]
        assert [p.priority.value for p in shown] == sorted(
            (p.priority.value for p in shown), key=ranks.index
        )
        first = shown[0]
        year = table.years[first.id]
        row = row_shown(table, first.id)
        assert row["name"] == first.name
        assert (row["success"], row["improve"]) == (str(year.success), str(year.needs_improvement))
        detail = text_of(pilot.app.screen.query_one(PartnerDetail))
        assert first.name in detail and "Last 12 months" in detail
        title = str(table.border_title)
        assert title.startswith(f"{len(partners)} partners: ")
        app = pilot.app
        assert isinstance(app, RecordingApp)
        await until(pilot, lambda: app.screen.query("Footer") and "Archive" in footer_keys(app))


async def test_adding_a_partner_with_the_form_puts_it_on_the_map(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        await pilot.press(*"Treasury [b]", "enter")  # the name, then the way
        await pilot.press("right", "tab", "right", "tab", "left", "tab")  # provider, dept, high
        await pilot.press(*"Finance", "tab", *"speed, rel")
        await pilot.press("right")  # the suggestion: reliability
        await pilot.press("tab", *"Cash forecasts", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, PartnersScreen))
        made = next(p for p in store.read().all(Partner) if p.name == "Treasury [b]")
        assert (made.relationship, made.kind, made.priority, made.segment) == (
            Relationship.PROVIDER,
            PartnerKind.DEPARTMENT,
            Priority.HIGH,
            "Finance",
        )
        assert (made.needs, made.notes) == ((Need.SPEED, Need.RELIABILITY), "Cash forecasts")
        await until(pilot, lambda: table.selected_id == made.id)
        assert "Treasury [b]" in text_of(app.screen.query_one(PartnerDetail))  # literally
        assert app.was_told("Added Treasury [b] to the map.")


async def test_a_taken_name_or_an_unknown_need_is_refused_in_place_and_nothing_saved(
    store: Store,
) -> None:
    app = make_app(store)
    before = store.path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await on_partners(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        await pilot.press(*"payroll")
        form = app.screen
        await until(
            pilot, lambda: "called 'Payroll' already" in text_of(form.query_one("#name-problem"))
        )
        form.query_one("#needs", Input).value = "speed, fast"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "is taken" in text_of(form.query_one("#name-problem")))
        assert "'fast'" in text_of(form.query_one("#needs-problem"))
        assert isinstance(app.screen, PartnerForm)  # still open, nothing lost
        assert form.query_one("#needs", Input).value == "speed, fast"
    assert store.path.read_bytes() == before


async def test_changing_archiving_and_bringing_back_a_partner(store: Store) -> None:
    run(store, SavePartner(PartnerDraft("Payroll", notes="Monthly run."), 1, 1))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        payroll = store.read().get(Partner, 1)
        assert payroll is not None and table.selected_id == payroll.id
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        form = app.screen
        form.query_one("#segment", Input).value = "Finance"
        form.query_one("#needs", Input).focus()
        await pilot.pause()
        await pilot.press("tab", *" Pays on the 25th.")  # notes: added at their end
        await pilot.press("ctrl+s")
        await until(pilot, lambda: store.read().get(Partner, 1).segment == "Finance")  # type: ignore[union-attr]
        assert store.read().get(Partner, 1).notes == "Monthly run. Pays on the 25th."  # type: ignore[union-attr]
        assert app.was_told("Saved Payroll.")
        await until(pilot, lambda: row_shown(table, 1)["segment"] == "Finance")
        await pilot.press("d")
        await until(pilot, lambda: store.read().get(Partner, 1).deleted)  # type: ignore[union-attr]
        assert names_shown(table) == []
        await until(pilot, lambda: app.was_told("Archived partner Payroll. Press u to undo."))
        await pilot.press("u")
        await until(pilot, lambda: not store.read().get(Partner, 1).deleted)  # type: ignore[union-attr]
        await until(pilot, lambda: names_shown(table) == ["Payroll"])


async def test_a_colleagues_new_partner_appears_in_its_place(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        bob = Store(store.path, author=BOB, clock=fixed_clock)
        run(bob, SavePartner(PartnerDraft("Audit", priority=Priority.HIGH)))
        await until(pilot, lambda: names_shown(table) == ["Audit", "Payroll"])


async def test_enter_walks_the_form_without_changing_a_choice(store: Store) -> None:
    # Found by trying: Enter moved from the name to the way, then switched the way.
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await on_partners(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        form = app.screen
        await pilot.press(*"Audit", "enter", "enter", "enter", "enter")  # name, way, kind, priority
        assert form.focused is form.query_one("#segment")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, PartnersScreen))
        made = next(p for p in store.read().all(Partner) if p.name == "Audit")
        assert (made.relationship, made.kind, made.priority) == (
            Relationship.CUSTOMER,
            PartnerKind.TEAM,
            Priority.MEDIUM,
        )


async def test_an_archived_partners_name_brings_it_back_and_the_form_says_so(
    store: Store,
) -> None:
    payroll = store.read().get(Partner, 1)
    assert payroll is not None
    store.delete(Partner, payroll.id, payroll.rev)
    run(store, SavePartner(PartnerDraft("Legal")))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        assert names_shown(table) == ["Legal"]
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        form = app.screen
        await pilot.press(*"payroll")
        await until(
            pilot, lambda: "saving brings it back" in text_of(form.query_one("#name-problem"))
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: names_shown(table) == ["Legal", "payroll"])
        assert [p.id for p in store.read().all(Partner)] == [1, 2]  # the same Payroll, back
        assert app.was_told("Brought back archived partner payroll")


async def test_a_change_meeting_a_colleagues_archive_says_archived(store: Store) -> None:
    # Found by trying: the dialog said Tess "deleted" the partner, "In the log: no, deleted".
    from ictui.screens.conflict import ConflictScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await on_partners(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PartnerForm) and app.screen.focused)
        payroll = store.read().get(Partner, 1)
        assert payroll is not None
        Store(store.path, author=BOB, clock=fixed_clock).delete(Partner, 1, payroll.rev)
        app.screen.query_one("#segment", Input).value = "Finance"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        said = " ".join(text_of(widget) for widget in app.screen.query("Static, Label"))
        assert "archived" in said and "On the map" in said and "no, archived" in said
        assert "deleted" not in said


async def test_an_archived_partner_comes_back_from_the_palette(store: Store) -> None:
    # Found by trying: the map showed no way back for a partner a colleague archived.
    payroll = store.read().get(Partner, 1)
    assert payroll is not None
    Store(store.path, author=BOB, clock=fixed_clock).delete(Partner, 1, payroll.rev)
    run(store, SavePartner(PartnerDraft("Legal")))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await on_partners(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Unarchive partner: Legal" not in commands  # live: nothing to bring back
        commands["Unarchive partner: Payroll"].callback()
        await until(pilot, lambda: not store.read().get(Partner, 1).deleted)  # type: ignore[union-attr]
        await until(pilot, lambda: names_shown(table) == ["Legal", "Payroll"])
        await until(pilot, lambda: app.was_told("Brought back 'Payroll'"))
