"""Filtering, ordering and tallying contact points, and the periods offered."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.schema import schema_of
from ictui.kinds.vocab import Direction, Verdict
from ictui.services.stats import (
    DEFAULT_PERIOD,
    PERIODS,
    RANGE_NAME_MAX,
    PointFilter,
    describe_range,
    name_range,
    overall,
    patched,
    patched_tallies,
    period_named,
    select,
    tally_by_partner,
)

from .conftest import TODAY


def point(
    record_id: int, day: dt.date, partner_id: int, verdict: Verdict, direction: Direction
) -> ContactPoint:
    """Return a stored contact point with these fields."""
    return schema_of(ContactPoint).read(
        str(record_id),
        {
            "rev": 1,
            "partner_id": partner_id,
            "date": day,
            "direction": direction,
            "verdict": verdict,
            "why": "because",
            "created_by": {"account": "alice"},
            "created_at": "2026-11-20T09:00:00Z",
            "updated_by": {"account": "alice"},
            "updated_at": "2026-11-20T09:00:00Z",
        },
    )


days = st.dates(min_value=dt.date(2025, 1, 1), max_value=TODAY)
points = st.lists(
    st.tuples(days, st.integers(1, 4), st.sampled_from(Verdict), st.sampled_from(Direction)),
    max_size=40,
).map(lambda rows: [point(i + 1, *row) for i, row in enumerate(rows)])
filters = st.builds(
    PointFilter,
    since=st.none() | days,
    until=st.none() | days,
    partner_id=st.none() | st.integers(1, 4),
    verdict=st.none() | st.sampled_from(Verdict),
    direction=st.none() | st.sampled_from(Direction),
)


@given(points, filters)
def test_select_keeps_exactly_the_matching_points_newest_first(
    contact_points: list[ContactPoint], where: PointFilter
) -> None:
    chosen = select(contact_points, where)
    expected = {
        p.id
        for p in contact_points
        if (where.since is None or p.date >= where.since)
        and (where.until is None or p.date <= where.until)
        and where.partner_id in (None, p.partner_id)
        and where.verdict in (None, p.verdict)
        and where.direction in (None, p.direction)
    }
    assert {p.id for p in chosen} == expected
    keys = [(p.date, p.id) for p in chosen]
    assert keys == sorted(keys, reverse=True)


@given(points)
def test_tallies_add_up_to_the_whole(contact_points: list[ContactPoint]) -> None:
    tallies = tally_by_partner(contact_points)
    whole = overall(contact_points)
    assert whole.total == len(contact_points)
    assert list(tallies) == list(dict.fromkeys(p.partner_id for p in contact_points))
    assert sum(t.success for t in tallies.values()) == whole.success
    assert sum(t.needs_improvement for t in tallies.values()) == whole.needs_improvement
    for partner_id, tally in tallies.items():
        theirs = [p for p in contact_points if p.partner_id == partner_id]
        assert tally.success == sum(p.verdict is Verdict.SUCCESS for p in theirs)


@given(points, st.data(), filters)
def test_a_listing_patched_by_the_points_changed_is_the_listing_made_afresh(
    before: list[ContactPoint], data: st.DataObject, where: PointFilter
) -> None:
    # A write changes some points (a new version of the same id), removes some, adds some.
    rows = st.tuples(days, st.integers(1, 4), st.sampled_from(Verdict), st.sampled_from(Direction))
    ids = [p.id for p in before]
    changed = data.draw(st.sets(st.sampled_from(ids) if ids else st.nothing()))
    removed = data.draw(st.sets(st.sampled_from(sorted(changed)) if changed else st.nothing()))
    added = data.draw(st.integers(0, 3))
    after = {p.id: p for p in before}
    for record_id in changed - removed:
        after[record_id] = point(record_id, *data.draw(rows))
    for record_id in removed:
        del after[record_id]
    for record_id in range(len(ids) + 1, len(ids) + 1 + added):
        after[record_id] = point(record_id, *data.draw(rows))
        changed.add(record_id)
    fresh = [after[i] for i in changed if i in after and where.matches(after[i])]

    listed = select(before, where)
    points, gone = patched(listed, changed, fresh)
    assert points == select(after.values(), where)
    assert sorted(p.id for p in gone) == sorted(p.id for p in listed if p.id in changed)
    tallies = patched_tallies(tally_by_partner(listed), gone, fresh)
    assert dict(sorted(tallies.items())) == dict(sorted(tally_by_partner(points).items()))


def test_the_default_period_is_the_last_two_weeks_including_today() -> None:
    since, until = DEFAULT_PERIOD.bounds(TODAY)
    assert since is not None and (TODAY - since).days == 13 and until is None
    assert period_named("all").bounds(TODAY) == (None, None)
    assert len({p.key for p in PERIODS}) == len(PERIODS)
    with pytest.raises(KeyError):
        period_named("nope")


def test_ranges_are_described_in_words() -> None:
    assert describe_range(None, None) == "All time"
    assert describe_range(dt.date(2026, 11, 1), None) == "2026-11-01 – today"
    assert describe_range(None, dt.date(2026, 11, 7)) == "the start – 2026-11-07"


@pytest.mark.parametrize(
    ("since", "until", "name"),
    [
        (None, None, "All time"),
        ("2026-11-01", "2026-11-07", "1–7 Nov 2026"),
        ("2026-10-01", "2026-11-07", "1 Oct – 7 Nov 2026"),
        ("2025-12-01", "2026-01-07", "1 Dec '25–7 Jan '26"),
        ("2025-12-28", "2026-01-13", "28 Dec '25–13 Jan '26"),
        ("2026-11-07", "2026-11-07", "7 Nov 2026"),
        ("2026-11-01", None, "Since 1 Nov 2026"),
        (None, "2026-11-07", "Until 7 Nov 2026"),
    ],
)
def test_a_range_is_named_briefly(since: str | None, until: str | None, name: str) -> None:
    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    assert name_range(day(since), day(until)) == name


@given(st.dates(), st.dates())
def test_a_range_name_always_says_both_days_and_years_and_fits_the_choice(
    a: dt.date, b: dt.date
) -> None:
    since, until = min(a, b), max(a, b)
    name = name_range(since, until)
    assert str(until.day) in name and str(since.day) in name
    if since.year == until.year:
        assert str(until.year) in name
    else:  # two digits where they cannot be misread, else four (tests/test_period_label.py)
        short = f"'{since:%y}" in name and f"'{until:%y}" in name
        assert short or (str(since.year) in name and str(until.year) in name)
    assert len(name) <= RANGE_NAME_MAX
