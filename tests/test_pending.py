"""What a screen asked to write and the file does not show yet, against a real team file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ictui.errors import Conflict
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.vocab import PartnerKind
from ictui.services.pending import Pending
from ictui.teamfile.store import Store
from ictui.teamfile.writes import run

from .apptools import demo_store
from .conftest import BOB


def point(store: Store) -> ContactPoint:
    found = store.read().get(ContactPoint, 1)
    assert found is not None
    return found


def test_two_changes_queued_name_the_revisions_they_leave(store: Store) -> None:
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    first = pending.change(point(store), "switch", {"verdict": "needs-improvement"})
    second = pending.change(point(store), "switch", {"verdict": "success"})
    assert (first.expected_rev, second.expected_rev) == (1, 2)
    assert (first.chained, second.chained) == (False, True)
    pending.written(first, run(store, first))
    pending.written(second, run(store, second))
    assert point(store).rev == 3


def test_a_change_chained_on_ours_conflicts_if_someone_else_made_that_revision(
    store: Store, make_store: Callable[..., Store]
) -> None:
    # Our first change failed (Bob was quicker); the second, queued behind it,
    # names the revision ours would have left, which Bob's now has.
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    ours = pending.change(point(store), "switch", {"verdict": "needs-improvement"})
    behind = pending.change(point(store), "edit", {"why": "Mine"})
    make_store(BOB).update(ContactPoint, 1, 1, why="Bob's")
    with pytest.raises(Conflict):
        run(store, ours)
    with pytest.raises(Conflict):
        run(store, behind)
    assert point(store).why == "Bob's"


def test_a_change_that_changes_nothing_leaves_the_next_one_right(store: Store) -> None:
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    same = pending.change(point(store), "edit", {"why": point(store).why}, ahead=False)
    pending.written(same, run(store, same))  # no new revision
    after = pending.change(point(store), "edit", {"why": "Changed"})
    assert after.expected_rev == 1
    assert run(store, after).why == "Changed"


def test_a_delete_of_what_was_deleted_already_offers_no_undo(
    store: Store, make_store: Callable[..., Store]
) -> None:
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    delete = pending.delete(point(store))
    gone = make_store(BOB).delete(ContactPoint, 1, 1)
    pending.conflicted(delete)  # as the screen hears of it
    # Bob deleted it first; keeping ours deletes it again at his revision: nothing new.
    again = pending.delete(gone)
    pending.written(again, run(store, again))
    assert pending.undo() is None
    assert delete.expected_rev == 1


def test_the_kind_of_a_partner_can_be_given_by_name(store: Store) -> None:
    with store.transaction() as tx:
        made = tx.new(Partner, name="Legal", kind="person")
    changed = store.update(Partner, made.id, made.rev, kind=PartnerKind.DEPARTMENT)
    assert (made.kind, changed.kind) == (PartnerKind.PERSON, PartnerKind.DEPARTMENT)


def test_a_listing_shows_changes_ahead_and_leaves_out_deletes_until_written(
    tmp_path: Path,
) -> None:
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    records = tuple(demo_store(tmp_path).read().all(ContactPoint))[:4]
    assert pending.shown(records) == records  # nothing ahead: the listing as read
    first, second = records[0], records[1]
    pending.change(first, "switch", {"verdict": first.verdict.toggled()})
    pending.delete(second)
    shown = pending.shown(records)
    assert [r.id for r in shown] == [first.id, *(r.id for r in records[2:])]
    assert shown[0].verdict is first.verdict.toggled() and shown[1:] == records[2:]


def test_undo_pressed_before_the_delete_is_written_brings_it_back_after_it(
    store: Store,
) -> None:
    # Found by trying: "d u" typed fast left the record deleted, with no word.
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    record = point(store)
    delete = pending.delete(record)
    assert pending.can_undo and pending.is_hidden(record.id)
    undo = pending.undo()
    assert undo is not None and (undo.expected_rev, undo.chained) == (2, True)
    assert not pending.is_hidden(record.id) and not pending.can_undo
    pending.written(delete, run(store, delete))
    assert pending.undoable == []  # undone already: u does not bring it back twice
    pending.written(undo, run(store, undo))
    assert (point(store).deleted, point(store).rev) == (False, 3)
    assert pending.undo() is None


def test_deletes_and_undos_typed_fast_act_in_the_order_typed(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    first, second, third = store.read().all(ContactPoint)[:3]
    writes = [pending.delete(first), pending.undo(), pending.delete(second)]
    writes += [pending.undo(), pending.delete(third)]
    for write in writes:
        assert write is not None
        pending.written(write, run(store, write))
    read = store.read()
    assert [read.get(ContactPoint, r.id).deleted for r in (first, second, third)] == [  # type: ignore[union-attr]
        False, False, True,
    ]  # fmt: skip
    undo = pending.undo()  # the one delete left
    assert undo is not None and undo.record_id == third.id and not undo.chained


def test_an_early_undo_of_a_delete_refused_is_not_offered_again(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    pending: Pending[ContactPoint] = Pending(ContactPoint)
    record = store.read().all(ContactPoint)[0]
    delete = pending.delete(record)
    undo = pending.undo()
    assert undo is not None
    pending.refused(delete)  # a read-only file, say
    pending.refused(undo)
    assert not pending.can_undo and pending.undo() is None
