"""Logging and editing contact points by partner name, for the command line and the app.

A person names the partner; the partner is found whatever the case or spacing,
or created, in the same transaction as the contact point, so two people logging
the same new partner at once still make one partner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ictui.errors import InvalidInput
from ictui.kinds.models import (
    ContactPoint,
    ContactPointFields,
    Partner,
    PartnerFields,
    parse_fields,
)
from ictui.kinds.views import ContactPointView
from ictui.kinds.vocab import Direction, Relationship, Verdict
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction
from ictui.text import fold_case


@dataclass(frozen=True)
class ContactDraft:
    """A contact point as a person fills it in: the partner by name, the rest as typed."""

    partner: str
    date: dt.date | str
    direction: Direction | str
    verdict: Verdict | str
    why: str

    def values(self, partner_id: int) -> dict[str, Any]:
        """Return the fields of the contact point, for a partner id found or made."""
        return {
            "partner_id": partner_id,
            "date": self.date,
            "direction": self.direction,
            "verdict": self.verdict,
            "why": self.why,
        }


@dataclass(frozen=True)
class Saved:
    """A contact point as saved, and the partner made for it, if one was new."""

    point: ContactPoint
    new_partner: Partner | None = None


def read_date(value: str, today: dt.date) -> dt.date | str:
    """Return the day a person typed (YYYY-MM-DD, "today", "yesterday"), else the text as is.

    Text that is not a date is returned unchanged, for validation to refuse by name.
    """
    word = value.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        return value


def check_draft(draft: ContactDraft, today: dt.date) -> list[tuple[str, str]]:
    """Return every (field, problem) of a draft, without touching the team file.

    Fields are named as in ContactDraft ("partner" for the partner's name).
    """
    problems: list[tuple[str, str]] = []
    try:
        parse_fields(PartnerFields, {"name": draft.partner}, today)
    except InvalidInput as error:
        problems += [("partner", message) for _, message in error.problems]
    try:
        parse_fields(ContactPointFields, draft.values(partner_id=1), today)
    except InvalidInput as error:
        problems += error.problems
    return problems


def _check_partner_name(draft: ContactDraft) -> None:
    # Checked before the partner is looked up, so the problem is named "partner".
    try:
        parse_fields(PartnerFields, {"name": draft.partner}, None)
    except InvalidInput as error:
        problems = [("partner", message) for _, message in error.problems]
        raise InvalidInput("contact point", problems) from None


def _partner_for(tx: Transaction, draft: ContactDraft) -> tuple[Partner, bool]:
    partner = tx.find_partner(draft.partner)
    if partner is not None:
        return partner, False
    relationship = Relationship.for_direction(Direction(draft.direction))
    made = tx.new(PartnerFields, name=draft.partner, relationship=relationship)
    assert isinstance(made, Partner)
    return made, True


def log_contact_point(tx: Transaction, draft: ContactDraft) -> Saved:
    """Add a contact point in a transaction, making its partner if the name is new."""
    _check_partner_name(draft)
    partner, made = _partner_for(tx, draft)
    point = tx.new(ContactPointFields, **draft.values(partner.id))
    assert isinstance(point, ContactPoint)
    return Saved(point, partner if made else None)


def save_contact_point(
    store: Store,
    draft: ContactDraft,
    *,
    record_id: int | None = None,
    expected_rev: int = 0,
    restore: bool = False,
) -> Saved:
    """Add a contact point, or change one last seen at expected_rev; Conflict if it moved on.

    restore: the contact point was deleted meanwhile; bring it back with the change,
    in the same write.
    """
    with store.transaction(create=record_id is None) as tx:
        if record_id is None:
            return log_contact_point(tx, draft)
        _check_partner_name(draft)
        if restore:
            expected_rev = tx.restore(ContactPoint, record_id, expected_rev).rev
        partner, made = _partner_for(tx, draft)
        point = tx.update(ContactPoint, record_id, expected_rev, **draft.values(partner.id))
        return Saved(point, partner if made else None)


def change_contact_point(
    store: Store, point_id: int, expected_rev: int, changes: dict[str, Any]
) -> ContactPoint:
    """Change some fields of a contact point last seen at expected_rev; Conflict if it moved on."""
    return store.update(ContactPoint, point_id, expected_rev, **changes)


def delete_contact_point(store: Store, point_id: int, expected_rev: int) -> ContactPoint:
    """Delete a contact point last seen at expected_rev (it can be restored)."""
    return store.delete(ContactPoint, point_id, expected_rev)


def restore_contact_point(store: Store, point_id: int, expected_rev: int) -> ContactPoint:
    """Bring back a deleted contact point last seen at expected_rev."""
    return store.restore(ContactPoint, point_id, expected_rev)


def restore_and_change(
    store: Store, point_id: int, expected_rev: int, changes: dict[str, Any]
) -> ContactPoint:
    """Bring back a contact point someone deleted, with some fields changed, in one write."""
    with store.transaction() as tx:
        restored = tx.restore(ContactPoint, point_id, expected_rev)
        return tx.update(ContactPoint, point_id, restored.rev, **changes)


@dataclass(frozen=True)
class FieldChange:
    """One field of a contact point: as keeping your change would leave it, and as it is now."""

    label: str
    yours: str
    theirs: str

    @property
    def differs(self) -> bool:
        """Return whether keeping your change would change this field."""
        return self.yours != self.theirs


DRAFT_FIELDS = ("partner", "date", "direction", "verdict", "why")
"""The fields of a contact point as a person edits them."""


def draft_of(point: ContactPoint | ContactPointView, partner: str) -> ContactDraft:
    """Return a contact point as a draft, to edit it or to compare with it."""
    return ContactDraft(partner, point.date, point.direction, point.verdict, point.why)


def changes_between(before: ContactDraft, after: ContactDraft) -> dict[str, Any]:
    """Return the fields a person changed, by draft field name, with their new values."""
    changed: dict[str, Any] = {}
    for name in DRAFT_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        same = fold_case(old) == fold_case(new) if name == "partner" else str(old) == str(new)
        if not same:
            changed[name] = new
    return changed


def _words(draft: ContactDraft, deleted: bool) -> dict[str, str]:
    verdict = Verdict(draft.verdict)
    return {
        "Partner": draft.partner,
        "Date": str(draft.date),
        "Direction": Direction(draft.direction).label,
        "Verdict": f"{verdict.symbol} {verdict.label}",
        "Why": draft.why,
        "State": "deleted" if deleted else "kept",
    }


def compare(
    theirs: ContactPoint, their_partner: str, changes: dict[str, Any], *, deleting: bool = False
) -> list[FieldChange]:
    """Return each field as keeping your changes would leave it, beside how it is now.

    Keeping yours applies only the fields you changed, over their version: what
    they changed and you did not is kept either way.
    """
    now = draft_of(theirs, their_partner)
    kept = _words(replace(now, **changes), deleting or (theirs.deleted and not changes))
    current = _words(now, theirs.deleted)
    rows = [FieldChange(label, kept[label], current[label]) for label in current]
    # A delete on either side matters more than any field: then it comes first,
    # where a long reason cannot push it out of sight.
    return sorted(rows, key=lambda row: not (row.label == "State" and row.differs))
