"""Keeping the list of partners tidy: listing, renaming, merging and archiving them.

A partner is named as a person types it: any case, spaces collapsed (as
``ictui log`` finds partners), or ``#ID`` for its id. Merging moves every
record of every kind that refers to a partner (the registry's references say
which) to another partner, in the transaction it is given, so that it is
written whole or not at all.

Archiving is the store's soft delete of the partner: the app's filters, the
form's completion and ``ictui log``'s lookup leave deleted partners out, while
records that name the partner still show its name. Unarchiving restores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ictui.errors import IctuiError, InvalidInput
from ictui.kinds import registry
from ictui.kinds.partner import Partner
from ictui.kinds.record import R, Record
from ictui.kinds.schema import schema_of
from ictui.teamfile.transaction import Transaction
from ictui.text import fold_case, one_line

_BY_ID = re.compile(r"#(\d+)")


class Records(Protocol):
    """What the listing reads from: a Snapshot or a Transaction."""

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        """Return the valid records of one kind; deleted ones only if asked."""
        ...


class NameTaken(IctuiError):
    """A partner cannot take a name another live partner has: merging is the way."""

    def __init__(self, partner: Partner, other: Partner, wanted: str) -> None:
        self.partner = partner
        self.other = other
        super().__init__(
            f"partner {other.id} is named {one_line(other.name)!r} already, "
            f"so {one_line(partner.name)!r} cannot be {wanted}"
        )


@dataclass(frozen=True)
class PartnerEntry:
    """A partner, and how many live records of each kind refer to it."""

    partner: Partner
    uses: dict[type[Record], int]

    @property
    def archived(self) -> bool:
        """Whether the partner is archived (soft deleted)."""
        return self.partner.deleted


@dataclass(frozen=True)
class Changed:
    """A partner as a command left it, and whether anything was written."""

    partner: Partner
    changed: bool
    before: Partner | None = None
    """The partner as it was, when it changed."""


@dataclass(frozen=True)
class Merged:
    """What a merge did: the records moved, by kind, live and deleted apart."""

    source: Partner
    target: Partner
    moved: dict[type[Record], int]
    moved_deleted: dict[type[Record], int]


def referring_fields() -> list[tuple[type[Record], str]]:
    """Return every (kind, field) of the registry that holds a partner's id."""
    return [
        (kind, name)
        for kind in registry.KINDS
        for name, table in schema_of(kind).references.items()
        if table == Partner.TABLE
    ]


def referring_kinds() -> list[type[Record]]:
    """Return the kinds whose records refer to partners: contact points, then the registry's order.

    Contact points first: the registry lists them after standards (which they can
    cite), but the log is what a partner's counts are read for first.
    """
    kinds = dict.fromkeys(kind for kind, _ in referring_fields())
    return sorted(kinds, key=lambda kind: kind.TABLE != "contact_points")


def partner_entries(records: Records, *, include_archived: bool = False) -> list[PartnerEntry]:
    """Return the partners by name, each with its count of live records of each kind."""
    partners = records.all(Partner, include_deleted=include_archived)
    uses: dict[int, dict[type[Record], int]] = {
        p.id: dict.fromkeys(referring_kinds(), 0) for p in partners
    }
    for kind, name in referring_fields():
        for record in records.all(kind):
            counts = uses.get(getattr(record, name))
            if counts is not None:
                counts[kind] += 1
    entries = [PartnerEntry(p, uses[p.id]) for p in partners]
    return sorted(entries, key=lambda e: (fold_case(e.partner.name), e.partner.id))


def _known(partners: list[Partner]) -> str:
    names = sorted(
        (one_line(p.name) + (" (archived)" if p.deleted else "") for p in partners),
        key=str.casefold,
    )
    return ", ".join(names) or "none"


def find_partner_named(
    records: Records, wanted: str, *, archived: bool | None = None, role: str = "NAME"
) -> Partner:
    """Return the partner a person named (any case, or #ID), live first; IctuiError if none.

    archived: True looks only among archived partners, False only among live
    ones, None among both.
    """
    partners = [
        p
        for p in records.all(Partner, include_deleted=archived is not False)
        if archived is None or p.deleted == archived
    ]
    key = fold_case(wanted)
    named = sorted(
        (p for p in partners if fold_case(p.name) == key), key=lambda p: (p.deleted, p.id)
    )
    if named:
        return named[0]
    by_id = _BY_ID.fullmatch(wanted.strip())
    if by_id is not None:
        found = next((p for p in partners if p.id == int(by_id.group(1))), None)
        if found is not None:
            return found
    which = {True: "archived ", False: "live ", None: ""}[archived]
    raise IctuiError(
        f"{role}: no {which}partner is named {one_line(wanted)!r} "
        f"(known {which}partners: {_known(partners)})"
    )


def _live_namesake(tx: Transaction, name: str, partner: Partner) -> Partner | None:
    key = fold_case(name)
    return next(
        (p for p in tx.all(Partner) if p.id != partner.id and fold_case(p.name) == key), None
    )


def rename_partner(tx: Transaction, old: str, new: str) -> Changed:
    """Give a live partner a new name; NameTaken if another live partner has it."""
    partner = find_partner_named(tx, old, role="OLD")
    if partner.deleted:
        raise IctuiError(
            f"partner {one_line(partner.name)!r} (id {partner.id}) is archived; unarchive it first"
        )
    try:
        name = schema_of(Partner).check({"name": new}, tx.today).values["name"]
    except InvalidInput as error:
        raise InvalidInput(Partner.LABEL, [("NEW", m) for _, m in error.problems]) from None
    other = _live_namesake(tx, name, partner)
    if other is not None:
        raise NameTaken(partner, other, f"renamed to {one_line(name)!r}")
    after = tx.update(Partner, partner.id, partner.rev, {"name": name})
    return Changed(after, after.rev != partner.rev, partner)


def _move(tx: Transaction, record: Record, name: str, target: Partner) -> None:
    """Point one record's field at target, in place; a deleted record stays deleted."""
    kind = type(record)
    try:
        if not record.deleted:
            tx.update(kind, record.id, record.rev, {name: target.id})
            return
        back = tx.restore(kind, record.id, record.rev)
        moved = tx.update(kind, record.id, back.rev, {name: target.id})
        tx.delete(kind, record.id, moved.rev)
    except InvalidInput as error:
        detail = "; ".join(f"{f} {m}" for f, m in error.problems)
        raise IctuiError(
            f"{kind.LABEL} {record.id} cannot be moved to {one_line(target.name)!r} "
            f"({detail}); fix it first"
        ) from None


def merge_partners(tx: Transaction, source_name: str, target_name: str) -> Merged:
    """Move every record that refers to source to target, then delete source, in tx.

    An archived target stays archived; an archived source stays as it is.
    """
    source = find_partner_named(tx, source_name, role="FROM")
    target = find_partner_named(tx, target_name, role="INTO")
    if source.id == target.id:
        raise IctuiError(
            f"{one_line(source_name)!r} and {one_line(target_name)!r} are the same partner "
            f"({one_line(source.name)!r}, id {source.id}); a partner cannot be merged into itself"
        )
    archived = target.deleted
    if archived:  # records may only be pointed at a live partner: it is archived again below
        target = tx.restore(Partner, target.id, target.rev)
    moved: dict[type[Record], int] = {}
    moved_deleted: dict[type[Record], int] = {}
    for kind, name in referring_fields():
        for record in tx.all(kind, include_deleted=True):
            if getattr(record, name) != source.id:
                continue
            _move(tx, record, name, target)
            counts = moved_deleted if record.deleted else moved
            counts[kind] = counts.get(kind, 0) + 1
    if not source.deleted:
        tx.delete(Partner, source.id, source.rev)
    if archived:
        target = tx.delete(Partner, target.id, target.rev)
    return Merged(source, target, moved, moved_deleted)


def archive_partner(tx: Transaction, name: str) -> Changed:
    """Archive a live partner (the store's soft delete); unchanged if archived already."""
    partner = find_partner_named(tx, name)
    if partner.deleted:
        return Changed(partner, False)
    return Changed(tx.delete(Partner, partner.id, partner.rev), True, partner)


def unarchive_partner(tx: Transaction, name: str) -> Changed:
    """Bring back an archived partner; NameTaken if a live partner has its name meanwhile."""
    try:
        partner = find_partner_named(tx, name, archived=True)
    except IctuiError:
        return Changed(find_partner_named(tx, name), False)  # live, or unknown: says which
    other = _live_namesake(tx, partner.name, partner)
    if other is not None:
        raise NameTaken(partner, other, "unarchived")
    return Changed(tx.restore(Partner, partner.id, partner.rev), True, partner)


# -- the same, as writes for the app's queue -------------------------------------------------


@dataclass(frozen=True)
class PartnerWrite:
    """Rename, merge or archive a partner, as a write the app queues; says what it did."""

    action: str
    """"rename", "merge", "archive" or "unarchive"."""
    partner: str
    """The partner acted on, by name or #id."""
    other: str = ""
    """The new name (rename) or the partner merged into (merge)."""
    creates = False

    @property
    def what(self) -> str:
        """The change in a few words, for messages."""
        return f"{self.action} the partner"

    def apply(self, tx: Transaction) -> Changed | Merged:
        """Make the change in tx."""
        if self.action == "rename":
            return rename_partner(tx, self.partner, self.other)
        if self.action == "merge":
            return merge_partners(tx, self.partner, self.other)
        if self.action == "unarchive":
            return unarchive_partner(tx, self.partner)
        return archive_partner(tx, self.partner)

    def said(self, result: Changed | Merged) -> str:
        """Return what was done, in words, for the person who asked."""
        if isinstance(result, Merged):
            moved = sum(result.moved.values()) + sum(result.moved_deleted.values())
            return (
                f"Merged {one_line(result.source.name)!r} into {one_line(result.target.name)!r}: "
                f"{moved} record{'s' if moved != 1 else ''} moved."
            )
        name = one_line(result.partner.name)
        if not result.changed:
            return f"{name!r} was like that already; nothing was written."
        if self.action == "rename" and result.before is not None:
            return f"Renamed {one_line(result.before.name)!r} to {name!r}."
        if self.action == "unarchive":
            return f"Brought back {name!r}: it is in the filters and completion again."
        return (
            f"Archived {name!r}: gone from the filters and completion; its contact points "
            f"keep the name. The palette's Unarchive partner brings it back."
        )
