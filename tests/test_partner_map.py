"""The partner map's rules: needs read from words, one live partner per name, the year counted."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.errors import InvalidInput
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship
from ictui.services.partner_map import (
    PartnerDraft,
    SavePartner,
    check_partner,
    map_order,
    partner_year,
    read_needs,
)
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run

from .conftest import TODAY, checked


@given(st.lists(st.sampled_from(list(Need))), st.sampled_from([", ", ",", " ", " ; "]))
def test_needs_typed_in_any_order_and_case_are_kept_once_in_needs_order(
    needs: list[Need], joined: str
) -> None:
    text = joined.join(need.value.upper() if i % 2 else need.value for i, need in enumerate(needs))
    read, unknown = read_needs(text)
    assert unknown == []
    assert read == tuple(need for need in Need if need in needs)


def test_a_word_that_is_no_need_is_refused_naming_the_choices() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_partner(PartnerDraft("Payroll", needs="speed, fast, [b]cheap"))
    [(field, message)] = refused.value.problems
    assert field == "needs"
    assert "'fast', '[b]cheap'" in message
    assert "information, advice, speed, reliability, quality, availability" in message


def test_a_name_the_command_line_would_read_as_an_id_is_refused() -> None:
    # Found by trying: a partner named "#5" made `ictui partner edit '#5'` change it, not 5.
    with pytest.raises(InvalidInput) as refused:
        check_partner(PartnerDraft(" #5 "))
    assert refused.value.problems == [
        ("name", "'#5' is how the command line names a partner by id")
    ]
    assert check_partner(PartnerDraft("Team #5")).values["name"] == "Team #5"


def test_a_blank_name_and_a_bad_need_are_both_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_partner(PartnerDraft("   ", needs="soon"))
    assert [field for field, _ in refused.value.problems] == ["name", "needs"]


def test_adding_and_changing_a_partner_writes_every_field(store: Store) -> None:
    draft = PartnerDraft(
        "Treasury",
        Relationship.PROVIDER,
        PartnerKind.DEPARTMENT,
        "Finance",
        Priority.HIGH,
        "reliability speed",
        "Cash forecasts\nweekly",
    )
    made = run(store, SavePartner(draft))
    stored = store.read().get(Partner, made.id)
    assert stored is not None
    assert PartnerDraft.of(stored) == PartnerDraft(
        "Treasury",
        Relationship.PROVIDER,
        PartnerKind.DEPARTMENT,
        "Finance",
        Priority.HIGH,
        "speed, reliability",  # in Need's order
        "Cash forecasts\nweekly",
    )
    changed = run(store, SavePartner(PartnerDraft("Treasury", needs=""), made.id, made.rev))
    assert (changed.needs, changed.priority, changed.rev) == ((), Priority.MEDIUM, 2)


def test_a_name_another_live_partner_has_is_refused_and_nothing_is_written(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        run(store, SavePartner(PartnerDraft("ＰＡＹＲＯＬＬ")))  # prints as Payroll
    assert refused.value.problems == [("name", "is taken: partner 1 is called 'Payroll'")]
    assert store.path.read_bytes() == before
    # A partner keeps its own name in another case.
    payroll = store.read().get(Partner, 1)
    assert payroll is not None
    renamed = run(store, SavePartner(PartnerDraft("PAYROLL"), payroll.id, payroll.rev))
    assert renamed.name == "PAYROLL"


def test_adding_an_archived_partners_name_brings_it_back_with_what_was_given(
    store: Store,
) -> None:
    payroll = store.read().get(Partner, 1)
    assert payroll is not None
    store.delete(Partner, payroll.id, payroll.rev)
    back = run(store, SavePartner(PartnerDraft("payroll", priority=Priority.HIGH)))
    assert (back.id, back.deleted, back.name, back.priority) == (1, False, "payroll", Priority.HIGH)
    assert [p.id for p in store.read().all(Partner, include_deleted=True)] == [1]  # no double


def test_the_year_counts_live_points_of_the_last_twelve_months_and_the_newest(
    store: Store,
) -> None:
    def log(day: dt.date, verdict: str) -> None:
        store.add(
            checked(
                ContactPoint,
                partner_id=1,
                date=day,
                direction="provided",
                verdict=verdict,
                why=f"on {day}",
            )
        )

    log(TODAY - dt.timedelta(days=10), "needs-improvement")
    log(TODAY - dt.timedelta(days=400), "success")  # over a year ago: not counted
    log(TODAY - dt.timedelta(days=3), "success")
    gone = store.read().all(ContactPoint)[-1]
    store.delete(ContactPoint, gone.id, gone.rev)  # deleted: not counted
    year = partner_year(store.read(), TODAY)[1]
    assert (year.success, year.needs_improvement) == (1, 1)  # the conftest's, and the one above
    assert year.last_contact == TODAY
    assert [p.date for p in year.last_points] == [TODAY, TODAY - dt.timedelta(days=10)]


def test_the_map_lists_high_priority_first_then_by_name(store: Store) -> None:
    for name, priority in (
        ("legal", Priority.LOW),
        ("Sales", Priority.HIGH),
        ("audit", Priority.HIGH),
    ):
        run(store, SavePartner(PartnerDraft(name, priority=priority)))
    listed = [p.name for p in map_order(store.read().all(Partner))]
    assert listed == ["audit", "Sales", "Payroll", "legal"]  # Payroll: medium, the default
