"""Logging and editing contact points by partner name, for the command line and the app.

A person names the partner; the partner is found whatever the case or spacing,
or created, in the same transaction as the contact point, so two people logging
the same new partner at once still make one partner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from ictui.errors import InvalidInput, RecordNotFound
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import R, Record
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.services import compare as comparing
from ictui.services.compare import FieldChange
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction
from ictui.text import fold_case

DRAFT_FIELDS = ("partner", "date", "direction", "verdict", "why", "standard")
"""The fields of a contact point as a person edits them: the partner by name."""


@dataclass(frozen=True)
class ContactDraft:
    """A contact point as a person fills it in: the partner by name, the rest as typed."""

    partner: str
    date: dt.date | str
    direction: Direction | str
    verdict: Verdict | str
    why: str
    standard: int | None = None
    """The id of the standard the contact point is evidence for, if any."""

    def values(self) -> dict[str, Any]:
        """Return the draft's fields by name."""
        return {name: getattr(self, name) for name in DRAFT_FIELDS}


@dataclass(frozen=True)
class CheckedDraft:
    """A contact point draft that passed every rule: ready to write without a second check."""

    partner_name: str
    """The partner's name, cleaned: looked up, or made into a new partner, when written."""
    new_partner: Checked[Partner]
    """The partner to add if no partner has that name yet."""
    point: Checked[ContactPoint]
    """The contact point, its partner id still to be filled in."""


@dataclass(frozen=True)
class Saved:
    """A contact point as saved, and the partner made for it, if one was new."""

    point: ContactPoint
    new_partner: Partner | None = None
    """Added for the point, or brought back from the archive for it (partner_news says which)."""
    archived_partner: Partner | None = None
    """The partner the point named before, archived: made for it alone, it has no records now."""


STORED_DATE = "must be a date written YYYY-MM-DD"
PEOPLES_DATE = "must be a date: YYYY-MM-DD, today or yesterday"


def read_date(value: str, today: dt.date) -> dt.date | str:
    """Return the day a person typed (YYYY-MM-DD, today, yesterday, tomorrow), else the text as is.

    Text that is not a date is returned unchanged, for validation to refuse by name.
    """
    word = value.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        return value


def check_draft(
    draft: ContactDraft, today: dt.date, kept_day: dt.date | None = None
) -> CheckedDraft:
    """Check every field of a draft, without touching the team file.

    Raises InvalidInput naming each field that is wrong, as ContactDraft names
    them ("partner" for the partner's name). kept_day: the day of the contact
    point being changed; kept as it was, it is not checked against our clock
    (someone in a time zone ahead may have written their today).
    """
    problems: list[tuple[str, str]] = []
    partner: Checked[Partner] | None = None
    point: Checked[ContactPoint] | None = None
    relationship = Relationship.CUSTOMER
    if draft.direction in tuple(Direction):
        relationship = Relationship.for_direction(Direction(draft.direction))
    try:
        partner = schema_of(Partner).check(
            {"name": draft.partner, "relationship": relationship}, today
        )
    except InvalidInput as error:
        problems += [("partner", message) for _, message in error.problems]
    values = {**draft.values(), "partner_id": 1}  # any id: the partner is found when written
    del values["partner"]
    values["standard_id"] = values.pop("standard")
    try:
        clock_on = None
        if kept_day is not None and values["date"] in (kept_day, kept_day.isoformat()):
            clock_on = [name for name in values if name != "date"]
        point = schema_of(ContactPoint).check(values, today, clock_on=clock_on)
    except InvalidInput as error:
        # People may also write "today" or "yesterday" (read_date): say so where a date is wrong.
        problems += [
            (field, PEOPLES_DATE if message == STORED_DATE else message)
            for field, message in error.problems
        ]
    if problems or partner is None or point is None:
        raise InvalidInput(ContactPoint.LABEL, problems)
    return CheckedDraft(partner.values["name"], partner, point)


def find_partner(tx: Transaction, name: str) -> Partner | None:
    """Return the partner with this name (any case or spacing), if not deleted."""
    key = fold_case(name)
    return next((p for p in tx.all(Partner) if fold_case(p.name) == key), None)


def take_partner(
    tx: Transaction, new_partner: Checked[Partner], now: Partner | None = None
) -> tuple[Partner, bool]:
    """Return the partner a name finds, and whether this write added it or brought it back.

    now: the partner the record being changed names, kept while the name is
    still its own, even archived: an edit must not split a partner in two.

    An archived partner of that name that no record names (one archived as a
    typo, say) is brought back rather than given a namesake that could never
    be unarchived. One archived with records stays archived, as the team chose:
    the name starts a new partner, and `ictui partner merge` joins the two.
    """
    name = new_partner.values["name"]
    if now is not None and fold_case(now.name) == fold_case(name):
        return now, False
    found = find_partner(tx, name)
    if found is not None:
        return found, False
    unused = archived_namesake(tx, name)
    if unused is not None:
        return tx.restore(Partner, unused.id, unused.rev), True
    return tx.add(new_partner), True


class PartnersHeld(Protocol):
    """The team file as a transaction or a snapshot holds it, as far as partners go."""

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the records of one kind; deleted ones only if asked."""
        ...

    def named_elsewhere(self, kind: type[R], record_id: int, but: Record | None = None) -> bool:
        """Whether any record other than but names this one, deleted records included."""
        ...


def archived_namesake(held: PartnersHeld, name: str) -> Partner | None:
    """Return the archived partner of this name that no record names: typing it brings it back."""
    key = fold_case(name)
    for partner in reversed(held.all(Partner, include_deleted=True)):
        same = partner.deleted and fold_case(partner.name) == key
        if same and not held.named_elsewhere(Partner, partner.id):
            return partner
    return None


def _partner_for(
    tx: Transaction, draft: CheckedDraft, now: Partner | None = None
) -> tuple[Partner, bool]:
    """Return the partner a draft names (made if new); now, the one it named, if it still does."""
    return take_partner(tx, draft.new_partner, now)


def log_contact_point(tx: Transaction, draft: ContactDraft | CheckedDraft) -> Saved:
    """Add a contact point in a transaction, making its partner if the name is new."""
    checked = draft if isinstance(draft, CheckedDraft) else check_draft(draft, tx.today)
    partner, made = _partner_for(tx, checked)
    _evidence_with(tx, checked, partner)
    point = tx.add(checked.point.with_reference("partner_id", partner.id))
    return Saved(point, partner if made else None)


def _evidence_with(tx: Transaction, checked: CheckedDraft, partner: Partner) -> None:
    """Refuse evidence for a standard agreed with another partner than the contact point's."""
    from ictui.kinds.standard import Standard

    standard_id = checked.point.values.get("standard_id")
    if standard_id is None:
        return
    try:
        standard = tx.get(Standard, standard_id)
    except RecordNotFound:
        return  # said by the reference check, in its own words
    if standard.partner_id != partner.id:
        raise InvalidInput(
            ContactPoint.LABEL,
            [("standard", f"{standard_id} is a standard with another partner, not {partner.name}")],
        )


@dataclass(frozen=True)
class SaveContactPoint:
    """Log a contact point, or change one last seen at expected_rev, naming its partner."""

    draft: ContactDraft | CheckedDraft
    record_id: int | None = None
    expected_rev: int = 0
    restore: bool = False
    """The contact point was deleted meanwhile: bring it back with the change, in one write."""
    chained: bool = False
    """expected_rev is what a change of ours queued before this one will leave."""
    what: str = "save the contact point"

    @property
    def creates(self) -> bool:
        """Whether this write may start a team file that does not exist yet."""
        return self.record_id is None

    def apply(self, tx: Transaction) -> Saved:
        """Write the contact point; Conflict if it moved past expected_rev."""
        if self.record_id is None:
            return log_contact_point(tx, self.draft)
        current = tx.get(ContactPoint, self.record_id)
        checked = self.draft
        if not isinstance(checked, CheckedDraft):
            checked = check_draft(checked, tx.today, kept_day=current.date)
        rev, chained = self.expected_rev, self.chained
        if self.restore:
            rev, chained = tx.restore(ContactPoint, self.record_id, rev, chained=chained).rev, False
        before = tx.get(Partner, current.partner_id)
        partner, made = _partner_for(tx, checked, before)
        if checked.point.values.get("standard_id") != current.standard_id:
            _evidence_with(tx, checked, partner)  # a link kept as it was is not judged again
        values = checked.point.with_reference("partner_id", partner.id)
        point = tx.update(ContactPoint, self.record_id, rev, values, chained=chained)
        left = _left_unused(tx, before, current, point)
        return Saved(point, partner if made else None, left)


def _left_unused(
    tx: Transaction, before: Partner, current: ContactPoint, point: ContactPoint
) -> Partner | None:
    """Archive the partner a point no longer names, if the point's last save made it for it alone.

    A partner's name mistyped, then put right, would otherwise stay in every
    list and completion. One made otherwise, changed since (renamed, archived,
    described), or named by any other record, deleted ones included, is kept.
    """
    if before.id == point.partner_id or before.deleted or before.rev != 1:
        return None
    if before.created_at != current.updated_at or before.created_by != current.updated_by:
        return None  # not made by the save this one replaces
    if tx.named_elsewhere(Partner, before.id, but=point):
        return None
    return tx.delete(Partner, before.id, before.rev)


def save_contact_point(
    store: Store,
    draft: ContactDraft | CheckedDraft,
    *,
    record_id: int | None = None,
    expected_rev: int = 0,
    restore: bool = False,
) -> Saved:
    """Add a contact point, or change one last seen at expected_rev; Conflict if it moved on."""
    save = SaveContactPoint(draft, record_id, expected_rev, restore)
    with store.transaction(create=save.creates) as tx:
        return save.apply(tx)


# -- two versions side by side -------------------------------------------------------------


def draft_of(point: ContactPoint, partner: str) -> ContactDraft:
    """Return a contact point as a draft, to edit it or to compare with it."""
    return ContactDraft(
        partner, point.date, point.direction, point.verdict, point.why, point.standard_id
    )


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "partner":
        return fold_case(str(old)) == fold_case(str(new))
    return str(old) == str(new)


def changes_between(before: ContactDraft, after: ContactDraft) -> dict[str, Any]:
    """Return the fields a person changed, by draft field name, with their new values."""
    return comparing.changes_between(before.values(), after.values(), _same)


def draft_labels() -> dict[str, str]:
    """Return each draft field's label, in the kind's order: the partner by its name."""
    return {spec.name.removesuffix("_id"): spec.label for spec in schema_of(ContactPoint).fields}


def compare(
    theirs: ContactPoint, their_partner: str, changes: dict[str, Any], *, deleting: bool = False
) -> list[FieldChange]:
    """Return each field as keeping your changes would leave it, beside how it is now."""
    now = draft_of(theirs, their_partner).values()
    return comparing.compare(
        draft_labels(), now, changes, their_deleted=theirs.deleted, deleting=deleting
    )
