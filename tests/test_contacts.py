"""Logging and editing contact points by partner name, and comparing two versions of one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.errors import Conflict, InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.schema import schema_of
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.services.contacts import (
    ContactDraft,
    changes_between,
    check_draft,
    compare,
    draft_of,
    read_date,
    save_contact_point,
)
from ictui.services.interviews import PlanDraft, SavePlan, plan_interview
from ictui.services.partners import partner_news
from ictui.services.standards import SaveStandard, StandardDraft
from ictui.teamfile.store import Store

from .apptools import stored
from .conftest import BOB, NOW, TODAY


def draft(partner: str = "Payroll", **changes: object) -> ContactDraft:
    """Return a valid draft, with some fields changed."""
    values: dict[str, object] = {
        "date": TODAY,
        "direction": Direction.PROVIDED,
        "verdict": Verdict.SUCCESS,
        "why": "On time",
    }
    return ContactDraft(partner, **(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("today", TODAY),
        (" Yesterday ", TODAY - dt.timedelta(days=1)),
        ("2026-11-02", dt.date(2026, 11, 2)),
    ],
)
def test_read_date_understands_days(typed: str, day: dt.date) -> None:
    assert read_date(typed, TODAY) == day


@given(st.text())
def test_read_date_never_fails_and_keeps_what_it_cannot_read(typed: str) -> None:
    result = read_date(typed, TODAY)
    assert isinstance(result, dt.date) or result == typed


def problems(bad: ContactDraft) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as refused:
        check_draft(bad, TODAY)
    return refused.value.problems


def test_check_draft_names_each_bad_field() -> None:
    bad = draft("  ", date="2026-13-40", why="")
    assert {field for field, _ in problems(bad)} == {"partner", "date", "why"}
    checked = check_draft(draft(" Pay  roll "), TODAY)
    assert checked.partner_name == "Pay roll" and checked.point.values["why"] == "On time"


def test_check_draft_refuses_a_day_in_the_future_allowing_for_time_zones() -> None:
    tomorrow = draft(date=TODAY + dt.timedelta(days=1))  # already today somewhere east
    assert check_draft(tomorrow, TODAY).point.values["date"] == tomorrow.date
    assert [field for field, _ in problems(draft(date=TODAY + dt.timedelta(days=2)))] == ["date"]


def test_a_new_partner_is_made_once_whatever_the_case(store: Store) -> None:
    first = save_contact_point(store, draft("Facilities", direction=Direction.RECEIVED))
    assert first.new_partner is not None
    assert first.new_partner.relationship is Relationship.PROVIDER
    second = save_contact_point(store, draft("  FACILITIES "))
    assert second.new_partner is None
    assert second.point.partner_id == first.point.partner_id
    names = [p.name for p in store.read().all(Partner)]
    assert names.count("Facilities") == 1


def live_partners(store: Store) -> list[str]:
    return sorted(p.name for p in store.read().all(Partner))


def test_a_mistyped_partner_put_right_is_archived_with_nothing_lost(store: Store) -> None:
    # Found by trying: "Payrol" put right stayed in every list and completion, with no records.
    typo = save_contact_point(store, draft("Payrol"))
    assert typo.new_partner is not None and live_partners(store) == ["Payrol", "Payroll"]
    point = typo.point
    right = save_contact_point(store, draft("Payroll"), record_id=point.id, expected_rev=point.rev)
    assert right.archived_partner is not None and right.archived_partner.name == "Payrol"
    assert live_partners(store) == ["Payroll"]
    archived = store.read().get(Partner, typo.new_partner.id)
    assert archived is not None and archived.deleted  # kept, to be brought back
    # The same when the typo came with an edit, and put right by the next one.
    again = save_contact_point(
        store, draft("Payrl"), record_id=point.id, expected_rev=right.point.rev
    )
    assert again.new_partner is not None
    back = save_contact_point(
        store, draft("payroll"), record_id=point.id, expected_rev=again.point.rev
    )
    assert back.archived_partner is not None
    assert back.archived_partner.id == again.new_partner.id
    assert live_partners(store) == ["Payroll"] and store.read().problems == ()


def test_a_name_typed_again_brings_back_its_archived_partner_that_nothing_names(
    store: Store,
) -> None:
    # Found by trying: "Payrol" archived as a typo, then typed again, made a second
    # "Payrol", and the first could never be unarchived (its name was taken).
    typo = save_contact_point(store, draft("Payrol"))
    assert typo.new_partner is not None
    point = typo.point
    save_contact_point(store, draft("Payroll"), record_id=point.id, expected_rev=point.rev)
    again = save_contact_point(store, draft(" payrol "))
    assert again.new_partner is not None and again.new_partner.id == typo.new_partner.id
    assert again.point.partner_id == typo.new_partner.id
    assert partner_news(again.new_partner) == (
        "Brought back archived partner Payrol: it had no records."
    )
    everyone = [p.name for p in store.read().all(Partner, include_deleted=True)]
    assert everyone.count("Payrol") == 1 and live_partners(store) == ["Payrol", "Payroll"]


def test_a_partner_archived_with_records_stays_so_and_edits_never_split_it(store: Store) -> None:
    legal = save_contact_point(store, draft("Legal")).new_partner
    assert legal is not None
    plan = PlanDraft("Legal", TODAY, "10:00")
    interview = store.run(SavePlan(plan).apply, create=False).interview
    rule = StandardDraft("Legal", "Contracts reviewed within a week")
    standard = store.run(SaveStandard(rule).apply, create=False).standard
    archived = store.delete(Partner, legal.id, legal.rev)
    # The team archived it on purpose: a new point of that name starts a new partner,
    namesake = save_contact_point(store, draft("Legal")).new_partner
    assert namesake is not None and namesake.id != legal.id
    assert partner_news(namesake) == "Added partner Legal."
    store.delete(Partner, namesake.id, namesake.rev)
    # while a change to an interview or a standard that names it keeps it, archived.
    moved = replace(plan, planned_time="11:00")
    planned = store.run(SavePlan(moved, interview.id, interview.rev).apply, create=False)
    assert planned.interview.partner_id == legal.id and planned.new_partner is None
    reworded = replace(rule, standard="Contracts reviewed within five working days")
    saved = store.run(SaveStandard(reworded, standard.id, standard.rev).apply, create=False)
    assert saved.standard.partner_id == legal.id and saved.new_partner is None
    assert store.read().get(Partner, legal.id) == archived


def test_a_partner_left_without_this_point_is_kept_if_anything_else_made_or_names_it(
    store: Store, make_store: Callable[..., Store]
) -> None:
    def moved_away(point: ContactPoint) -> object:
        saved = save_contact_point(
            store, draft("Payroll"), record_id=point.id, expected_rev=point.rev
        )
        return saved.archived_partner

    # Named by another record, even a deleted one.
    first = save_contact_point(store, draft("Facilities")).point
    other = save_contact_point(store, draft("Facilities")).point
    store.delete(ContactPoint, other.id, other.rev)
    assert moved_away(first) is None
    # Named by a record of another kind: an interview planned with them.
    met = save_contact_point(store, draft("Canteen")).point
    store.run(lambda tx: plan_interview(tx, "Canteen", TODAY), create=False)
    assert moved_away(met) is None
    # Changed since it was made: renamed, described.
    named = save_contact_point(store, draft("Legal")).point
    legal = store.read().get(Partner, named.partner_id)
    assert legal is not None
    store.update(Partner, legal.id, legal.rev, segment="Head office")
    assert moved_away(named) is None
    # Not made by the save the edit replaces: the point was changed after.
    late = save_contact_point(store, draft("Security")).point
    later = Store(store.path, author=BOB, clock=lambda: NOW + dt.timedelta(hours=1))
    late = later.update(ContactPoint, late.id, late.rev, why="Recounted")
    assert moved_away(late) is None
    assert live_partners(store) == ["Canteen", "Facilities", "Legal", "Payroll", "Security"]


def test_a_bad_partner_name_is_refused_under_its_own_name(store: Store) -> None:
    with pytest.raises(InvalidInput) as caught:
        save_contact_point(store, draft(""))
    assert [field for field, _ in caught.value.problems] == ["partner"]
    assert len(store.read().all(Partner)) == 1


def test_keeping_mine_over_a_delete_restores_and_changes_in_one_write(
    store: Store, make_store: Callable[..., Store]
) -> None:
    point = store.read().all(ContactPoint)[0]
    deleted = make_store(BOB).delete(ContactPoint, point.id, point.rev)
    refused = draft("", why="Mine")  # a bad partner name: neither the restore nor the change
    with pytest.raises(InvalidInput):
        save_contact_point(
            store, refused, record_id=point.id, expected_rev=deleted.rev, restore=True
        )
    assert stored(store, point.id).deleted
    saved = save_contact_point(
        store, draft(why="Mine"), record_id=point.id, expected_rev=deleted.rev, restore=True
    )
    after = stored(store, point.id)
    assert not after.deleted and after.why == "Mine" and after.rev == deleted.rev + 2
    assert saved.point == after


def test_editing_a_stale_version_is_a_conflict(
    store: Store, make_store: Callable[..., Store]
) -> None:
    point = store.read().all(ContactPoint)[0]
    make_store(BOB).update(ContactPoint, point.id, point.rev, why="Bob's words")
    with pytest.raises(Conflict):
        save_contact_point(store, draft(why="Mine"), record_id=point.id, expected_rev=point.rev)
    assert stored(store, point.id).why == "Bob's words"


def test_changes_between_ignores_the_case_of_partner_names() -> None:
    before = draft("Payroll")
    after = draft("payroll", why="Late", verdict=Verdict.NEEDS_IMPROVEMENT)
    assert changes_between(before, after) == {"why": "Late", "verdict": Verdict.NEEDS_IMPROVEMENT}
    assert changes_between(before, before) == {}


def test_keeping_mine_keeps_what_they_changed_and_i_did_not(store: Store, tmp_path: Path) -> None:
    mine_before = store.read().all(ContactPoint)[0]
    theirs = replace(mine_before, verdict=Verdict.NEEDS_IMPROVEMENT, rev=2)
    rows = {row.label: row for row in compare(theirs, "Payroll", {"why": "Mine"})}
    assert rows["Why"].yours == "Mine" and rows["Why"].theirs == mine_before.why
    assert rows["Why"].differs
    # They changed the verdict, I did not: keeping mine keeps theirs.
    assert rows["Verdict"].yours == rows["Verdict"].theirs == "✗ needs improvement"
    assert not rows["Verdict"].differs


def test_deleting_over_their_change_shows_the_state() -> None:
    point = schema_of(ContactPoint).read(
        "3",
        {
            "rev": 2,
            "partner_id": 1,
            "date": TODAY,
            "direction": "provided",
            "verdict": "success",
            "why": "x",
            "created_by": {"account": "bob"},
            "created_at": "2026-11-20T09:00:00Z",
            "updated_by": {"account": "bob"},
            "updated_at": "2026-11-20T09:00:00Z",
        },
    )
    rows = compare(point, "Payroll", {}, deleting=True)
    assert (rows[0].label, rows[0].yours, rows[0].theirs) == ("In the log", "no, deleted", "yes")
    same = compare(point, "Payroll", {})
    assert [row.label for row in same if row.differs] == []
    order = ["Partner", "Date", "Direction", "Verdict", "Why", "Evidence for standard"]
    order.append("In the log")
    assert [row.label for row in same] == order  # nothing deleted: the fields' own order


def test_draft_of_round_trips_through_changes_between(store: Store) -> None:
    point = store.read().all(ContactPoint)[0]
    assert changes_between(draft_of(point, "Payroll"), draft_of(point, "PAYROLL")) == {}


@pytest.mark.parametrize("typed", ["last week", "30/11/2026", "2026-13-01x"])
def test_a_wrong_date_says_every_way_to_write_one(typed: str) -> None:
    draft = ContactDraft("Payroll", typed, Direction.PROVIDED, Verdict.SUCCESS, "ok")
    with pytest.raises(InvalidInput) as refused:
        check_draft(draft, TODAY)
    assert ("date", "must be a date: YYYY-MM-DD, today or yesterday") in refused.value.problems


def test_a_change_of_other_fields_keeps_a_day_ahead_of_our_clock(
    make_store: Callable[..., Store],
) -> None:
    """Someone a time zone ahead logged 'their today': our change of its verdict stands."""
    ahead = TODAY + dt.timedelta(days=2)
    later = Store(
        make_store().path, author=BOB, clock=lambda: dt.datetime.combine(ahead, dt.time(9), dt.UTC)
    )
    with later.transaction(create=True) as tx:
        partner = tx.new(Partner, name="Payroll")
        point = tx.new(
            ContactPoint, partner_id=partner.id, date=ahead, direction="provided",
            verdict="success", why="Logged in a time zone ahead",
        )  # fmt: skip
    ours = make_store()
    with ours.transaction() as tx:
        changed = tx.update(ContactPoint, point.id, point.rev, {"verdict": "needs-improvement"})
    assert (changed.date, changed.verdict) == (ahead, Verdict.NEEDS_IMPROVEMENT)
    with pytest.raises(InvalidInput, match="future"), ours.transaction() as tx:
        tx.update(ContactPoint, point.id, changed.rev, {"date": ahead + dt.timedelta(days=1)})


def test_an_edit_keeping_a_day_ahead_of_our_clock_is_saved(
    make_store: Callable[..., Store],
) -> None:
    ahead = TODAY + dt.timedelta(days=1)
    later = Store(
        make_store().path, author=BOB, clock=lambda: dt.datetime.combine(ahead, dt.time(9), dt.UTC)
    )
    saved = save_contact_point(
        later, ContactDraft("Payroll", ahead, Direction.PROVIDED, Verdict.SUCCESS, "Ahead")
    )
    ours = make_store()
    edit = ContactDraft("Payroll", ahead, Direction.PROVIDED, Verdict.SUCCESS, "Reworded")
    again = save_contact_point(ours, edit, record_id=saved.point.id, expected_rev=1)
    assert (again.point.date, again.point.why) == (ahead, "Reworded")
    with pytest.raises(InvalidInput, match="future"):
        moved = replace(edit, date=ahead + dt.timedelta(days=1))
        save_contact_point(ours, moved, record_id=saved.point.id, expected_rev=2)
