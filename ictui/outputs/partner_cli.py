"""`ictui partner ...`: list, rename, merge and archive partners from the command line.

Only the arguments and the printing are here; what each command does to the
team file is in ``ictui.services.partner_admin``. Like the rest of the command
line, nothing here imports Textual, and the services load only when a command
runs.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from ictui.errors import IctuiError, InvalidInput

if TYPE_CHECKING:
    from ictui.kinds.record import Record
    from ictui.services.partner_admin import NameTaken, PartnerEntry
    from ictui.teamfile.store import Store
    from ictui.teamfile.transaction import Transaction

NAME_HELP = "a partner's name, in any case (or #ID, the id `ictui partner list` shows)"

ARCHIVE_MEANS = (
    "Archiving is the team file's soft delete of the partner: it is no longer "
    "offered in the app's partner filter, the form's completion or `ictui partner list`, "
    "and `ictui log` no longer finds it by its name: logging that name again starts a "
    "new partner of that name (and so, for now, does saving an edit of one of its "
    "contact points; `ictui partner merge '#NEW' '#OLD'` puts such records back). "
    "Every record that names it keeps it and still shows its name. "
    "`ictui partner unarchive NAME` brings it back, and `ictui partner list --all` "
    "shows archived partners."
)


def add_partner_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui partner` and its verbs to the command line's subcommands."""
    partner = sub.add_parser(
        "partner",
        help="list, add, edit, rename, merge and archive partners",
        description="Keep the team's list of partners tidy: list them, rename one, merge "
        "a duplicate (a typo, say) into the right one, or archive one that is no longer "
        "worked with. Names are matched in any case, spaces collapsed, as `ictui log` "
        "matches them; #ID names a partner by its id.",
        epilog="`ictui partner COMMAND -h` for a command's help.",
    )
    partner.set_defaults(parser=partner, handler=_no_verb)
    verbs = partner.add_subparsers(title="commands", metavar="COMMAND")

    listing = verbs.add_parser(
        "list",
        parents=[reading],
        help="print the partners with how many contact points each has",
        description="Print each partner: id, name, relationship, how many contact points, "
        "interviews and standards (not deleted) name it, whether it is archived, and its "
        "place on the map: priority, kind, segment, needs. Archived partners are left "
        "out unless --all is given. On a terminal a table; piped or redirected, one "
        "partner per line, tab-separated.",
    )
    listing.add_argument("--all", action="store_true", help="archived partners too")
    listing.add_argument(
        "--format",
        choices=["table", "tsv"],
        help="table on a terminal, else tsv (a header line, then one partner per line)",
    )
    listing.set_defaults(parser=listing, handler=cmd_partner_list)

    place = _place_options()
    add = verbs.add_parser(
        "add",
        parents=[common, place],
        help="put a partner on the map: which way, priority, segment, needs",
        description="Add a partner: a person, team or department the team serves (a "
        "customer), relies on (a provider), or both. A name another live partner has, in "
        "any case or spacing, is refused; an archived partner's name brings that partner "
        "back, with what is given. What is not given takes its default: a customer "
        "team of medium priority, with no segment, needs or notes.",
    )
    add.add_argument("name", metavar="NAME", help="the partner's name")
    add.set_defaults(parser=add, handler=cmd_partner_add)

    edit = verbs.add_parser(
        "edit",
        parents=[common, place],
        help="change a partner's place on the map",
        description="Change what is given of a partner's place: which way, kind, "
        "priority, segment, needs, notes; the rest stays. To rename one, use "
        "`ictui partner rename`.",
    )
    edit.add_argument("name", metavar="NAME", help=NAME_HELP)
    edit.set_defaults(parser=edit, handler=cmd_partner_edit)

    rename = verbs.add_parser(
        "rename",
        parents=[common],
        help="give a partner a new name",
        description="Give a partner a new name. Its records follow it, since they refer "
        "to it by id. A name another partner has already is refused: to make two "
        "partners one, use `ictui partner merge`.",
    )
    rename.add_argument("old", metavar="OLD", help=NAME_HELP)
    rename.add_argument("new", metavar="NEW", help="the new name")
    rename.set_defaults(parser=rename, handler=cmd_partner_rename)

    merge = verbs.add_parser(
        "merge",
        parents=[common],
        help="move every record of one partner to another, then delete the first",
        description="Merge FROM into INTO: every record that refers to FROM (contact "
        "points, deleted ones included) is moved to INTO, then FROM is deleted (kept in "
        "the team file, marked deleted, like any deleted record). All of it is one "
        "write: if any record cannot be moved, nothing changes. INTO keeps its own "
        "details (relationship, segment, needs, notes); FROM's are not copied. An "
        "archived INTO stays archived.",
    )
    merge.add_argument("source", metavar="FROM", help=NAME_HELP)
    merge.add_argument("target", metavar="INTO", help="the partner that stays (name or #ID)")
    merge.set_defaults(parser=merge, handler=cmd_partner_merge)

    archive = verbs.add_parser(
        "archive",
        parents=[common],
        help="stop offering a partner in filters and completion",
        description=ARCHIVE_MEANS,
    )
    archive.add_argument("name", metavar="NAME", help=NAME_HELP)
    archive.set_defaults(parser=archive, handler=cmd_partner_archive)

    unarchive = verbs.add_parser(
        "unarchive",
        parents=[common],
        help="bring back an archived partner",
        description="Bring back an archived partner, as it was: offered again in "
        "filters and completion, and found by `ictui log`. Refused if a live partner "
        "has its name meanwhile; merge the two instead.",
    )
    unarchive.add_argument("name", metavar="NAME", help=NAME_HELP)
    unarchive.set_defaults(parser=unarchive, handler=cmd_partner_unarchive)


# -- helpers ---------------------------------------------------------------------------------

PLACE_FIELDS = ("relationship", "kind", "priority", "segment", "needs", "notes")
"""A partner's place on the map, as `partner add` and `partner edit` take it."""


def _place_options() -> argparse.ArgumentParser:
    """Return the options that say a partner's place on the map (for add and edit)."""
    from ictui.kinds.vocab import Need, PartnerKind, Priority, Relationship

    place = argparse.ArgumentParser(add_help=False)
    place.add_argument(
        "--way",
        dest="relationship",
        choices=[r.value for r in Relationship],
        help="customer: the team serves them; provider: they serve the team; or both",
    )
    place.add_argument("--kind", choices=[k.value for k in PartnerKind], help="what it is")
    place.add_argument(
        "--priority",
        choices=[p.value for p in Priority],
        help="how much the relationship matters now",
    )
    place.add_argument("--segment", metavar="TEXT", help="a group of partners with like needs")
    place.add_argument(
        "--needs",
        metavar="WORDS",
        help="what they count on the team for, by commas or spaces, from: "
        + ", ".join(need.value for need in Need)
        + " ('' for none)",
    )
    place.add_argument("--notes", metavar="TEXT", help="anything worth knowing about them")
    return place


PLACE_FLAGS = {"name": "NAME", "relationship": "--way"} | {
    name: f"--{name}" for name in PLACE_FIELDS[1:]
}
"""How add and edit name each field in a refusal: as it was given."""


def _refused(error: InvalidInput) -> IctuiError:
    """Say a refused partner as add and edit were given it: NAME, --way, --needs."""
    parts = [f"{PLACE_FLAGS.get(field, field)} {message}" for field, message in error.problems]
    return IctuiError(f"invalid partner: {'; '.join(parts)}; nothing was written")


def _given(args: argparse.Namespace) -> dict[str, Any]:
    """Return the place options given, the chosen ones as the words of the domain."""
    from ictui.kinds.vocab import PartnerKind, Priority, Relationship

    words: dict[str, Any] = {"relationship": Relationship, "kind": PartnerKind}
    words["priority"] = Priority
    given = {name: getattr(args, name) for name in PLACE_FIELDS}
    return {
        name: words[name](value) if name in words else value
        for name, value in given.items()
        if value is not None
    }


def _no_verb(args: argparse.Namespace) -> int:
    from ictui.outputs.cli import UsageError

    raise UsageError("say what to do: list, add, edit, rename, merge, archive or unarchive")


def _shown(name: str) -> str:
    from ictui.text import one_line

    return repr(one_line(name))


def _hint(args: argparse.Namespace, *words: str) -> str:
    """Return a command to suggest, with its names quoted and the team file in force."""
    from ictui.outputs.cli import _given_db, command
    from ictui.text import one_line

    line = " ".join(shlex.quote(one_line(word)) for word in words)
    return f"`{command(f'partner {line}', _given_db(args))}`"


def _by_id(partner_id: int) -> str:
    return f"#{partner_id}"


def _ids_need_a_hash(store: Store, **names: str) -> None:
    """Refuse a bare number that names no partner but is a partner's id, saying to write #ID.

    `ictui delete 1` takes an id, so a script may write `partner archive 1`:
    a write should not guess which was meant, but the refusal says what to type.
    names: each name given, by the role its messages name it with (NAME, FROM...).
    """
    from ictui.kinds.partner import Partner
    from ictui.services.partner_admin import find_partner_named

    bare = {role: name for role, name in names.items() if name.strip().isdigit()}
    if not bare:
        return  # the usual case: no read before the write's own
    snapshot = store.read()
    for role, name in bare.items():
        try:
            find_partner_named(snapshot, name, role=role)
        except IctuiError as error:
            partner = snapshot.get(Partner, int(name))
            if partner is None:
                raise
            raise IctuiError(
                f"{error}; to name {_shown(partner.name)} (partner {partner.id}) by its id, "
                f"write {_by_id(partner.id)}"
            ) from None


def _taken(error: NameTaken) -> str:
    return f"{error}; nothing was written"


def _records(counts: dict[type[Record], int], *, deleted: bool = False) -> str:
    """Say how many records of each kind, leaving out kinds it has none of: "3 contact points"."""
    parts = []
    for kind, count in counts.items():
        if not count:
            continue
        noun = kind.LABEL if count == 1 else kind.plural()
        parts.append(f"{count} {'deleted ' if deleted else ''}{noun}")
    return ", ".join(parts)


def _verb(verb: str, counts: dict[type[Record], int]) -> str:
    """Return a verb to follow the counts: "keeps" after one record, "keep" after more."""
    return f"{verb}s" if sum(counts.values()) == 1 else verb


def _unreadable(store: Store, name: str) -> None:
    """Say if some records break the file's rules: any of them that named a partner still do."""
    from ictui.outputs.cli import _say, command
    from ictui.text import breaking

    problems = store.read().problems
    if problems:
        hint = command("check", store.path)
        _say(
            f"{breaking(len(problems))} the team file's rules, so any of them that name "
            f"{_shown(name)} still do; see `{hint}`"
        )


# -- commands ----------------------------------------------------------------------------------


def _cells(entry: PartnerEntry, *, table: bool) -> list[str]:
    from ictui.services.partner_map import needs_in_words
    from ictui.text import one_line

    partner = entry.partner
    relationship = partner.relationship.label if table else partner.relationship.value
    return [
        str(partner.id),
        one_line(partner.name),
        relationship,
        *(str(count) for count in entry.uses.values()),
        "archived" if entry.archived else "live",
        partner.priority.value,
        partner.kind.value,
        one_line(partner.segment),
        needs_in_words(partner.needs),
    ]


def cmd_partner_list(args: argparse.Namespace) -> int:
    """Print the partners, with their counts of live records, by name."""
    from rich.cells import cell_len

    from ictui.outputs.cli import EXIT_OK, _given_db, _say, _store, command, say_unread
    from ictui.services.partner_admin import partner_entries, referring_kinds

    store = _store(args)
    snapshot = store.read()
    entries = partner_entries(snapshot, include_archived=True)
    shown = [e for e in entries if args.all or not e.archived]
    table = (args.format or ("table" if sys.stdout.isatty() else "tsv")) == "table"
    kinds = referring_kinds()
    if table:
        headers = ["ID", "Name", "Relationship", *(k.plural().capitalize() for k in kinds)]
        headers += ["State", "Priority", "Kind", "Segment", "Needs"]
    else:
        headers = ["id", "name", "relationship", *(k.TABLE for k in kinds), "state"]
        headers += ["priority", "kind", "segment", "needs"]  # after the rest: scripts keep theirs
    rows = [headers, *(_cells(e, table=table) for e in shown)]
    if table:
        numeric = {0, *range(3, 3 + len(kinds))}
        widths = [max(cell_len(row[i]) for row in rows) for i in range(len(headers))]
        for row in rows:
            cells = [
                " " * (w - cell_len(c)) + c if i in numeric else c + " " * (w - cell_len(c))
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())
    else:
        for row in rows:
            print("\t".join(row))
    hidden = len(entries) - len(shown)
    if not entries:
        _say(f"no partners in {snapshot.path} yet; `ictui log --partner NAME ...` adds one")
    elif hidden:
        also = command("partner list --all", _given_db(args))
        _say(f"{hidden} archived partner(s) not shown; `{also}` shows them too")
    say_unread(snapshot)
    return EXIT_OK


def cmd_partner_add(args: argparse.Namespace) -> int:
    """Add a partner with its place on the map."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.partner_map import PartnerDraft, SavePartner
    from ictui.teamfile.writes import run

    store = _store(args)
    draft = PartnerDraft(args.name, **_given(args))
    try:
        partner = run(store, SavePartner(draft))
    except InvalidInput as error:
        raise _refused(error) from None
    # An archived partner of that name is brought back, not doubled (see SavePartner).
    did = "brought back archived partner" if partner.rev > 1 else "added"
    _say(
        f"{did} {_shown(partner.name)} (partner {partner.id}) in {store.path}: "
        f"{partner.relationship.label}, {partner.priority.value} priority"
    )
    return EXIT_OK


def cmd_partner_edit(args: argparse.Namespace) -> int:
    """Change what is given of a partner's place on the map; the rest stays."""
    from dataclasses import replace

    from ictui.outputs.cli import EXIT_OK, UsageError, _say, _store
    from ictui.services.partner_admin import find_partner_named
    from ictui.services.partner_map import PartnerDraft, SavePartner

    given = _given(args)
    if not given:
        raise UsageError(
            "say what to change: --way, --kind, --priority, --segment, --needs or --notes"
        )
    store = _store(args)
    _ids_need_a_hash(store, NAME=args.name)

    def edit(tx: Transaction) -> tuple[Any, Any]:
        partner = find_partner_named(tx, args.name)
        draft = replace(PartnerDraft.of(partner), **given)
        if draft == PartnerDraft.of(partner):
            return partner, partner
        return partner, SavePartner(draft, partner.id, partner.rev).apply(tx)

    try:
        before, after = store.run(edit)
    except InvalidInput as error:
        raise _refused(error) from None
    changed = [name for name in PLACE_FIELDS if getattr(before, name) != getattr(after, name)]
    if not changed:
        _say(f"{_shown(after.name)} (partner {after.id}) is so already; nothing was written")
        return EXIT_OK
    words = ", ".join("way" if name == "relationship" else name for name in changed)
    _say(f"changed {_shown(after.name)} (partner {after.id}) in {store.path}: {words}")
    return EXIT_OK


def cmd_partner_rename(args: argparse.Namespace) -> int:
    """Give a partner a new name, refusing one another live partner has."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.partner_admin import NameTaken, partner_entries, rename_partner

    store = _store(args)
    _ids_need_a_hash(store, OLD=args.old)
    try:

        def rename(tx: Transaction) -> tuple[Any, Any]:
            done = rename_partner(tx, args.old, args.new)
            uses = next(e.uses for e in partner_entries(tx) if e.partner.id == done.partner.id)
            return done, uses

        done, counts = store.run(rename)
    except NameTaken as error:
        merge = _hint(args, "merge", args.old, error.other.name)
        raise IctuiError(f"{_taken(error)}; to make them one partner, use {merge}") from None
    partner = done.partner
    if not done.changed:
        _say(f"partner {partner.id} is named {_shown(partner.name)} already; nothing was written")
        return EXIT_OK
    before = done.before.name if done.before is not None else args.old
    follow = _records(counts)
    _say(
        f"renamed {_shown(before)} to {_shown(partner.name)} (partner {partner.id}) in "
        f"{store.path}"
        + (f"; its {follow} {_verb('follow', counts)}" if any(counts.values()) else "")
    )
    return EXIT_OK


def cmd_partner_merge(args: argparse.Namespace) -> int:
    """Move every record of FROM to INTO and delete FROM, in one write."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.partner_admin import merge_partners

    store = _store(args)
    _ids_need_a_hash(store, FROM=args.source, INTO=args.target)
    merged = store.run(lambda tx: merge_partners(tx, args.source, args.target))
    source, target = merged.source, merged.target
    if not merged.moved and not merged.moved_deleted and source.deleted:
        _say(
            f"{_shown(source.name)} (partner {source.id}) is archived and no records refer "
            "to it; nothing was written"
        )
        return EXIT_OK
    moved = _records(merged.moved) or "no records"
    deleted = _records(merged.moved_deleted, deleted=True)
    gone = "stays archived" if source.deleted else "is deleted (listed as archived)"
    still = f"; {_shown(target.name)} stays archived" if target.deleted else ""
    _say(
        f"merged {_shown(source.name)} (partner {source.id}) into {_shown(target.name)} "
        f"(partner {target.id}) in {store.path}: {moved} moved"
        + (f" (and {deleted})" if deleted else "")
        + f"; {_shown(source.name)} {gone}{still}"
    )
    _unreadable(store, source.name)
    return EXIT_OK


def cmd_partner_archive(args: argparse.Namespace) -> int:
    """Archive a partner: the store's soft delete, undone by unarchive."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.partner_admin import archive_partner, partner_entries

    store = _store(args)
    _ids_need_a_hash(store, NAME=args.name)

    def archive(tx: Transaction) -> tuple[Any, Any]:
        done = archive_partner(tx, args.name)
        entries = partner_entries(tx, include_archived=True)
        return done, next(e for e in entries if e.partner.id == done.partner.id)

    done, entry = store.run(archive)
    partner = done.partner
    back = _hint(args, "unarchive", partner.name)
    if not done.changed:
        _say(
            f"{_shown(partner.name)} (partner {partner.id}) is archived already; "
            f"nothing was written; {back} brings it back"
        )
        return EXIT_OK
    kept = _records(entry.uses)
    _say(
        f"archived {_shown(partner.name)} (partner {partner.id}) in {store.path}: no longer "
        "offered in filters or completion"
        + (f"; its {kept} {_verb('keep', entry.uses)} its name" if any(entry.uses.values()) else "")
        + f"; {back} brings it back"
    )
    return EXIT_OK


def cmd_partner_unarchive(args: argparse.Namespace) -> int:
    """Bring back an archived partner."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.partner_admin import NameTaken, unarchive_partner

    store = _store(args)
    _ids_need_a_hash(store, NAME=args.name)
    try:
        done = store.run(lambda tx: unarchive_partner(tx, args.name))
    except NameTaken as error:
        merge = _hint(args, "merge", _by_id(error.partner.id), _by_id(error.other.id))
        raise IctuiError(
            f"{_taken(error)}; to move its records to partner {error.other.id}, use {merge}"
        ) from None
    partner = done.partner
    if not done.changed:
        _say(f"{_shown(partner.name)} (partner {partner.id}) is not archived; nothing was written")
        return EXIT_OK
    _say(f"brought back {_shown(partner.name)} (partner {partner.id}) in {store.path}")
    return EXIT_OK
