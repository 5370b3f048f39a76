"""The `ictui` command: the full-screen app, and subcommands for scripts.

The subcommands never import Textual, so they start fast; the app is imported
only when it is run. Errors go to stderr with the file they concern, and the
exit status says what kind they were: 1 for data (a broken file, a refused
value, a conflict), 2 for usage (a wrong flag, a malformed argument).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from ictui import __version__
from ictui.errors import IctuiError, InvalidInput
from ictui.kinds import registry
from ictui.user.paths import DB_VARIABLE, demo_team_path, preferences_path, resolve_team_path

if TYPE_CHECKING:
    from ictui.kinds.record import Record
    from ictui.teamfile.snapshot import Snapshot
    from ictui.teamfile.store import Store

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

# How each field is named on the command line, for error messages.
FLAG_FOR_FIELD = {
    "partner": "--partner",
    "partner_id": "--partner",
    "name": "--partner",
    "date": "--date",
    "direction": "--direction",
    "verdict": "--verdict",
    "why": "--why",
}


class UsageError(IctuiError):
    """A command was given arguments that do not fit together."""


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages quote arguments cleaned like everything ictui prints."""

    def error(self, message: str) -> NoReturn:
        from ictui.text import for_display

        super().error(for_display(message))


# -- argument types -------------------------------------------------------------


def parse_date(value: str, today: dt.date | None = None) -> dt.date:
    """Return the date a person wrote: YYYY-MM-DD, "today" or "yesterday"."""
    from ictui.kinds.rules import looks_like_iso_date
    from ictui.services.contacts import read_date

    day = read_date(value, today or dt.date.today())
    if isinstance(day, str) and looks_like_iso_date(value.strip()):
        raise argparse.ArgumentTypeError(f"{value!r} is not a real day")
    if isinstance(day, str):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it YYYY-MM-DD (or today, yesterday)"
        )
    return day


def _count(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


# -- the parser -------------------------------------------------------------------


DATE_HELP = "YYYY-MM-DD, or the word today or yesterday"


def _record_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an id (a whole number)") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not an id (ids start at 1)")
    return number


def _common(*, demo: bool = True, user: bool = True) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    if demo:
        common.add_argument(
            "--demo",
            action="store_true",
            default=argparse.SUPPRESS,
            help="use the demo team file instead (made on first use)",
        )
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"team file to use (default: ${DB_VARIABLE}, else the user data folder)",
    )
    if user:
        common.add_argument(
            "--user",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help="display name recorded beside your OS account (default: $ICTUI_NAME)",
        )
    else:  # a command that writes nothing records no name: $ICTUI_NAME is not its business
        common.set_defaults(records_no_name=True)
    return common


def _point_fields(parser: argparse.ArgumentParser, *, new: bool) -> None:
    """Add the flags of a contact point's fields: required to log one, optional to edit one."""
    parser.add_argument("--partner", required=new, metavar="NAME", help="who the contact was with")
    parser.add_argument(
        "--verdict", required=new, choices=["success", "needs-improvement"], help="how it went"
    )
    parser.add_argument("--why", required=new, metavar="TEXT", help="the reason (- reads stdin)")
    parser.add_argument(
        "--direction",
        choices=["provided", "received"],
        default="provided" if new else None,
        help="provided: we served them; received: they served us"
        + (" (default: provided)" if new else ""),
    )
    parser.add_argument(
        "--date",
        type=parse_date,
        metavar="DATE",
        help=DATE_HELP + ("; default: today" if new else ""),
    )


def _filters(parser: argparse.ArgumentParser) -> None:
    """Add the flags that choose contact points by date and partner."""
    parser.add_argument(
        "--since", type=parse_date, metavar="DATE", help=f"on or after DATE ({DATE_HELP})"
    )
    parser.add_argument("--until", type=parse_date, metavar="DATE", help="on or before DATE")
    parser.add_argument("--partner", metavar="NAME", help="only this partner (any case)")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every ictui command."""
    common = _common()
    reading = _common(user=False)  # commands that write nothing record no name
    parser = _Parser(
        prog="ictui",
        description="Look after your internal customers, as a team, in the terminal.",
        epilog="Run `ictui` alone to open the app; `ictui COMMAND -h` for a command's help.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ictui {__version__}")
    parser.add_argument(
        "--web",
        action="store_true",
        help="ask the person's name first and mark it (web): what `ictui serve` runs",
    )
    parser.set_defaults(parser=parser, handler=cmd_app)
    # Subcommands are _Parser too (their errors are cleaned); typed plainly for parents=[...].
    sub = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(title="commands", metavar="COMMAND"),
    )

    log = sub.add_parser(
        "log",
        parents=[common],
        help="log a contact point and print its id",
        description="Log a critical contact point with a partner. "
        "A partner name not seen before creates that partner.",
    )
    _point_fields(log, new=True)
    log.set_defaults(parser=log, handler=cmd_log)

    listing = sub.add_parser(
        "list",
        parents=[reading],
        help="print contact points, newest first",
        description="Print the contact points that match, newest first. On a terminal they "
        "are a table fitted to its width; piped or redirected, one per line, tab-separated "
        "(the columns of `ictui export --format csv`), so that nothing is ever cut.",
    )
    _filters(listing)
    listing.add_argument("--verdict", choices=["success", "needs-improvement"])
    listing.add_argument("--direction", choices=["provided", "received"])
    listing.add_argument(
        "--format",
        choices=["table", "tsv", "csv"],
        help="table on a terminal, else tsv: one record per line, tabs and line breaks as \\t, \\n",
    )
    listing.set_defaults(parser=listing, handler=cmd_list)

    export = sub.add_parser(
        "export",
        parents=[reading],
        help="write the team's records as JSON, CSV or Markdown",
        description="Write the team's records: JSON and Markdown hold every kind, "
        "CSV one kind (contact points unless --kind says otherwise).",
    )
    export.add_argument("--format", required=True, choices=["json", "csv", "markdown"])
    export.add_argument(
        "--kind",
        choices=[kind.kind_name() for kind in registry.KINDS],
        help="only this kind of record (for csv, the default is contact-point)",
    )
    export.add_argument("--output", metavar="FILE", help="write to FILE (default: stdout)")
    _filters(export)
    export.set_defaults(parser=export, handler=cmd_export)

    check = sub.add_parser(
        "check",
        parents=[reading],
        help="validate the team file",
        description="Read the team file and say whether it is sound: its format, every "
        "record, and what records point at. Nothing is changed; exit status 1 if it is not.",
    )
    check.set_defaults(parser=check, handler=cmd_check)

    show = sub.add_parser(
        "show",
        parents=[reading],
        help="print one contact point in full",
        description="Print a contact point by its id (as `ictui log` and `ictui list` give "
        "it): every field, the whole reason, and who logged and last changed it. "
        "With --history, every revision kept instead (the last 20 before the current one), "
        "newest first: who made it, when, and what it changed.",
    )
    show.add_argument("id", type=_record_id, metavar="ID")
    show.add_argument(
        "--history",
        action="store_true",
        help="print its revisions, newest first: who, when, what changed from what to what",
    )
    show.set_defaults(parser=show, handler=cmd_show)

    edit = sub.add_parser(
        "edit",
        parents=[common],
        help="change fields of a contact point",
        description="Change the fields given of a contact point; the rest stay. "
        "A partner name not seen before creates that partner.",
    )
    edit.add_argument("id", type=_record_id, metavar="ID")
    _point_fields(edit, new=False)
    edit.set_defaults(parser=edit, handler=cmd_edit)

    delete = sub.add_parser(
        "delete",
        parents=[common],
        help="delete a contact point (restore brings it back)",
        description="Delete a contact point. It stays in the team file, marked deleted, "
        "and `ictui restore ID` brings it back.",
    )
    delete.add_argument("id", type=_record_id, metavar="ID")
    delete.set_defaults(parser=delete, handler=cmd_delete)

    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="bring back a deleted contact point, or an earlier version of one",
        description="Bring back a contact point that was deleted, as it was. With --version N, "
        "bring back the fields of its revision N (see `ictui show ID --history`) as a new "
        "revision, which the history keeps too, so that it can be undone the same way.",
    )
    restore.add_argument("id", type=_record_id, metavar="ID")
    restore.add_argument(
        "--version",
        type=_record_id,
        metavar="N",
        help="the revision whose fields to bring back (a deleted one is brought back too)",
    )
    restore.set_defaults(parser=restore, handler=cmd_restore)

    keys = sub.add_parser(
        "keys",
        help="list the app's keys by id, to move them in your preferences",
        description="List every key of the app with its id, its keys (yours, where your "
        "preferences move it) and what it does. To move an action to other keys, add "
        '"keys": {"ID": "KEYS"} to your preferences file, such as '
        '{"keys": {"form.save": "f2,ctrl+s"}}.',
    )
    keys.set_defaults(parser=keys, handler=cmd_keys)

    demo = sub.add_parser(
        "demo",
        parents=[_common(demo=False)],
        help="write a sample team file to try ictui with",
        description="Write a realistic sample team: partners both ways and contact points "
        "over recent weeks. Never overwrites an existing file.",
    )
    demo.add_argument("path", nargs="?", metavar="PATH", help="default: --db, else the demo file")
    demo.add_argument(
        "--contacts",
        type=_count,
        default=None,
        metavar="N",
        help="how many contact points (default: 60)",
    )
    demo.set_defaults(parser=demo, handler=cmd_demo)

    from ictui.outputs.partner_cli import add_partner_commands

    add_partner_commands(sub, common, reading)
    from ictui.outputs.interview_cli import add_interview_commands

    add_interview_commands(sub, common, reading)
    from ictui.outputs.standard_cli import add_standard_commands

    add_standard_commands(sub, common, reading)
    from ictui.outputs.debrief_cli import add_debrief_commands

    add_debrief_commands(sub, common, reading)
    from ictui.outputs.serve import add_serve_command

    add_serve_command(sub, reading)
    return parser


# -- helpers -------------------------------------------------------------------------


def _team_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "db", None)
    if given == "":  # `--db "$UNSET"`: never the default file in its place
        raise UsageError("argument --db: it is empty; name a team file, or leave --db out")
    if getattr(args, "demo", False):
        if given:
            raise UsageError("--demo and --db both name a team file; give one of them")
        return demo_team_path()
    return resolve_team_path(given)


def _name_source(error: InvalidInput, user: str | None) -> InvalidInput:
    """Return error, saying where the name came from: the flag or the environment."""
    from ictui.teamfile.identity import NAME_VARIABLE

    source = "--user" if user is not None else NAME_VARIABLE
    return InvalidInput(error.label, [(source, m) for _, m in error.problems])


def _store(args: argparse.Namespace, path: Path | None = None) -> Store:
    from ictui.teamfile.identity import current_author
    from ictui.teamfile.store import Store

    user = getattr(args, "user", None)
    try:
        author = current_author(user)
    except InvalidInput as error:
        if getattr(args, "records_no_name", False):
            from ictui.kinds.record import Author
            from ictui.teamfile.identity import os_account

            author = Author(account=os_account())  # reading only: no name is recorded
        else:
            raise _name_source(error, user) from None
    store = Store(path or _team_path(args), author=author)
    if getattr(args, "demo", False) and not store.exists():
        from ictui.outputs.demo import write_demo

        write_demo(store, dt.date.today())
        _say(f"made a demo team file at {store.path}")
    return store


def command(words: str, db: Path | None) -> str:
    """Return an ictui command for a hint, with the team file in force: ictui check --db X."""
    line = f"ictui {words}"
    return f"{line} --db {shlex.quote(str(db))}" if db is not None else line


def _given_db(args: argparse.Namespace) -> Path | None:
    """Return the team file a command was given (--db, or --demo's), if it was given one."""
    if getattr(args, "db", None) or getattr(args, "demo", False):
        return _team_path(args)
    return None


def output_target(args: argparse.Namespace, store: Store, what: str) -> Path | None:
    """Return the file --output names (None: stdout, also for -); never the team file's own.

    A folder is refused here, before anything is read or written.
    """
    if args.output is None or args.output == "-":
        return None
    target = Path(args.output).expanduser()
    role = store.role_of(target)
    if role is not None:
        raise UsageError(f"argument --output: {target} is {role}; write {what} elsewhere")
    if target.is_dir():
        raise UsageError(f"argument --output: {target} is a folder; name a file (or - for stdout)")
    return target


def deliver(text: str, target: Path | None, what: str) -> bool:
    """Write text to stdout, or to target; return whether it went anywhere but stdout.

    A regular file (or a new one) is replaced in one piece, through any links to it.
    Anything else, a device, a FIFO, /dev/stdout, is written into by opening it,
    never replaced: the node stays, and whoever reads it gets the text.
    """
    if target is None or _is_stdout(target):
        sys.stdout.write(text)
        return False
    import stat

    from ictui.teamfile.durable import replace_file

    data = text.encode("utf-8")
    try:
        try:
            like: os.stat_result | None = target.stat()
        except FileNotFoundError:
            like = None
        if like is not None and stat.S_ISDIR(like.st_mode):
            raise IctuiError(f"{target} is a folder; cannot write {what} there")
        if like is None or stat.S_ISREG(like.st_mode):
            replace_file(Path(os.path.realpath(target)), data, like=like)
        else:
            _write_into(target, data, fifo=stat.S_ISFIFO(like.st_mode), what=what)
    except OSError as error:
        raise IctuiError(f"{target}: cannot write {what} ({error.strerror})") from None
    return True


def _is_stdout(target: Path) -> bool:
    """Return whether target is this process's stdout (/dev/stdout, /proc/self/fd/1, ...)."""
    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), target.stat())
    except (OSError, ValueError, AttributeError):  # no stdout, or one with no file behind it
        return False


def _write_into(target: Path, data: bytes, *, fifo: bool, what: str) -> None:
    """Write data into a file that is not a regular one, by opening it."""
    import fcntl

    flags = os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC
    try:  # without a reader, opening a FIFO would wait for one forever
        fd = os.open(target, flags | (os.O_NONBLOCK if fifo else 0))
    except OSError as error:
        if fifo and error.errno == errno.ENXIO:
            raise IctuiError(
                f"{target} is a FIFO and nothing is reading from it; {what} was not written"
            ) from None
        raise
    with os.fdopen(fd, "wb") as file:
        if fifo:
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        file.write(data)


MIN_WIDTH, MAX_WIDTH, FALLBACK_WIDTH = 20, 400, 100
"""The narrowest and widest a table is drawn, and its width when none is known."""


def terminal_width() -> int:
    """Return the width to draw tables at: $COLUMNS if it is one, else the terminal's, else 100.

    A COLUMNS that is empty, not a whole number or not above 0 is left aside, and
    whatever is found is kept between MIN_WIDTH and MAX_WIDTH: a width of 99,999,999
    would print hundreds of megabytes of blanks.
    """
    given = os.environ.get("COLUMNS", "").strip()
    width = 0
    if given.isdecimal():  # digits only: not even a sign; a huge one is at least the most
        width = int(given) if len(given) < 10 else MAX_WIDTH
    if width <= 0:
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            width = 0
    if width <= 0:
        width = FALLBACK_WIDTH
    return max(MIN_WIDTH, min(width, MAX_WIDTH))


def say_unread(snapshot: Snapshot) -> None:
    """Say on stderr how many records break the team file's rules, and the check that lists them."""
    from ictui.text import breaking

    if snapshot.problems:
        hint = command("check", snapshot.path)
        count = breaking(len(snapshot.problems))
        _say(f"{count} the team file's rules; `{hint}` says which and why")


def _read_why(value: str) -> str:
    """Return the reason given, or read from stdin for -, never more than could be kept.

    The limit counts characters once cleaned (line ends, trailing blanks, control
    sequences go), so stdin may bring up to twice the limit; beyond that, reading
    stops and the reason is refused, however much more is waiting.
    """
    if value != "-":
        return value
    from ictui.kinds.contact_point import ContactPoint
    from ictui.kinds.rules import LONG_TEXT_MAX

    most = 2 * LONG_TEXT_MAX
    text = sys.stdin.read(most + 1)
    if len(text) > most:
        said = f"is too long: more than {most} characters on stdin (at most {LONG_TEXT_MAX})"
        raise InvalidInput(ContactPoint.LABEL, [("why", said)])
    return text


def _say(message: str) -> None:
    """Print a message on stderr: the one way the command line speaks, cleaned like records.

    Messages quote paths, names and notes read from the command line, the environment
    and the disk; none of them may reach a terminal as an escape sequence.
    """
    from ictui.text import for_display

    print(f"ictui: {for_display(message)}", file=sys.stderr)


# -- commands --------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace) -> int:
    """Log one contact point, creating its partner if the name is new."""
    from ictui.services.contacts import ContactDraft, log_contact_point
    from ictui.services.partners import taken_as

    store = _store(args)
    draft = ContactDraft(
        partner=args.partner,
        date=args.date or dt.date.today(),
        direction=args.direction,
        verdict=args.verdict,
        why=_read_why(args.why),
    )
    new_file = not store.exists()
    with store.transaction(create=True) as tx:
        saved = log_contact_point(tx, draft)
    if new_file:  # a mistyped --db must not go unnoticed
        _say(f"started a new team file at {store.path}")
    if saved.new_partner is not None:
        partner = saved.new_partner
        _say(f"{taken_as(partner)} {partner.name!r} (id {partner.id}) in {store.path}")
    print(saved.point.id)
    return EXIT_OK


def _partner_id(names: dict[int, str], wanted: str) -> int:
    from ictui.text import fold_case, one_line

    key = fold_case(wanted)
    for partner_id, name in names.items():
        if fold_case(name) == key:
            return partner_id
    known = ", ".join(sorted(one_line(n) for n in names.values())) or "none yet"
    raise IctuiError(f"no partner is named {one_line(wanted)!r} (known partners: {known})")


def _selection(args: argparse.Namespace, names: dict[int, str]) -> dict[str, Any]:
    """Return the filters that the date and partner flags ask for."""
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}: nothing is between")
    partner = _partner_id(names, args.partner) if args.partner else None
    return {"since": args.since, "until": args.until, "partner_id": partner}


def cmd_list(args: argparse.Namespace) -> int:
    """Print the contact points that match the filters."""
    from ictui.kinds.contact_point import ContactPoint
    from ictui.kinds.vocab import Direction, Verdict
    from ictui.outputs import listing
    from ictui.services.partners import partner_names
    from ictui.services.stats import PointFilter, select

    snapshot = _store(args).read()
    names = partner_names(snapshot)
    where = PointFilter(
        **_selection(args, names),
        verdict=Verdict(args.verdict) if args.verdict else None,
        direction=Direction(args.direction) if args.direction else None,
    )
    points = select(snapshot.all(ContactPoint), where)
    terminal = sys.stdout.isatty()
    form = args.format or ("table" if terminal else "tsv")
    if form == "table":
        listing.print_table(points, names, sys.stdout, width=terminal_width())
    else:
        listing.write_lines(snapshot, points, sys.stdout, form)
    say_unread(snapshot)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write an export of the team file to stdout or a file."""
    from ictui.outputs import export
    from ictui.services.partners import partner_names

    store = _store(args)
    target = output_target(args, store, "the export")
    snapshot = store.read()
    where = export.Selection(**_selection(args, partner_names(snapshot)))
    kind = registry.kind_named(args.kind) if args.kind else None
    kinds = [kind] if kind is not None else []
    if args.format == "csv":
        text = export.to_csv(snapshot, kind, where)
    elif args.format == "json":
        text = export.to_json(snapshot, store.clock(), kinds, where)
    else:
        text = export.to_markdown(snapshot, store.clock(), kinds, where)
    if deliver(text, target, "the export"):
        _say(f"wrote {args.format} export of {store.path} to {target}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """Print one contact point in full."""
    from ictui.errors import RecordNotFound
    from ictui.kinds.contact_point import ContactPoint
    from ictui.outputs.show import describe, reference_names

    snapshot = _store(args).read()
    point = snapshot.get(ContactPoint, args.id)
    if point is None:
        raise RecordNotFound(ContactPoint.LABEL, args.id)
    names = reference_names(snapshot)
    if args.history:
        return _show_history(snapshot, args, names)
    print("\n".join(describe(point, names)))
    if point.deleted:
        _say(
            f"it is deleted; bring it back with `{command(f'restore {args.id}', _given_db(args))}`"
        )
    return EXIT_OK


def _show_history(snapshot: Snapshot, args: argparse.Namespace, names: dict[str, Any]) -> int:
    """Print a contact point's revisions, newest first, and say if older ones are unreadable."""
    from ictui.kinds.contact_point import ContactPoint
    from ictui.outputs.show import describe_history
    from ictui.services.history import read_versions

    versions, problem = read_versions(snapshot, ContactPoint, args.id)
    print("\n".join(describe_history(ContactPoint, args.id, versions, names)))
    if problem is not None:
        check = command("check", _given_db(args))
        _say(f"older revisions cannot be read ({problem}); `{check}` lists what is wrong")
    return EXIT_OK


_POINT_FLAGS = ("partner", "date", "direction", "verdict", "why")


def cmd_edit(args: argparse.Namespace) -> int:
    """Change the fields given of one contact point, in one locked read-and-write."""
    from dataclasses import replace

    from ictui.kinds.contact_point import ContactPoint
    from ictui.kinds.partner import Partner
    from ictui.services.contacts import SaveContactPoint, changes_between, draft_of
    from ictui.services.partners import taken_as

    given = {name: getattr(args, name) for name in _POINT_FLAGS if getattr(args, name) is not None}
    if not given:
        raise UsageError("say what to change: " + ", ".join(f"--{f}" for f in _POINT_FLAGS))
    if "why" in given:
        given["why"] = _read_why(given["why"])
    store = _store(args)
    with store.transaction() as tx:
        point = tx.get(ContactPoint, args.id)
        if point.deleted:
            restore = command(f"restore {args.id}", _given_db(args))
            raise IctuiError(
                f"contact point {args.id} is deleted; bring it back first: `{restore}`"
            )
        before = draft_of(point, tx.get(Partner, point.partner_id).name)
        after = replace(before, **given)
        changed = changes_between(before, after)
        saved = SaveContactPoint(after, args.id, point.rev).apply(tx)
    if saved.new_partner is not None:
        partner = saved.new_partner
        _say(f"{taken_as(partner)} {partner.name!r} (id {partner.id}) in {store.path}")
    if saved.archived_partner is not None:
        left = saved.archived_partner
        back = command(f"partner unarchive {shlex.quote(f'#{left.id}')}", _given_db(args))
        _say(f"archived partner {left.name!r}: no record names it now (`{back}` brings it back)")
    if changed:
        _say(f"changed {', '.join(changed)} of contact point {args.id} in {store.path}")
    else:
        _say(f"contact point {args.id} already said that; nothing was written")
    return EXIT_OK


def _delete_or_restore(args: argparse.Namespace, *, delete: bool) -> int:
    from ictui.kinds.contact_point import ContactPoint
    from ictui.kinds.partner import Partner
    from ictui.text import one_line

    store = _store(args)
    with store.transaction() as tx:
        point = tx.get(ContactPoint, args.id)
        partner = one_line(tx.get(Partner, point.partner_id).name)
        what = f"contact point {args.id} ({partner}, {point.date})"
        if point.deleted == delete:
            state = "deleted already" if delete else "not deleted: there is nothing to restore"
            _say(f"{what} is {state}; nothing was written")
            return EXIT_OK
        if delete:
            tx.delete(ContactPoint, args.id, point.rev)
        else:
            tx.restore(ContactPoint, args.id, point.rev)
    if delete:
        undo = command(f"restore {args.id}", _given_db(args))
        _say(f"deleted {what}; bring it back with `{undo}`")
    else:
        _say(f"brought back {what}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    """Mark one contact point deleted, saying how to bring it back."""
    return _delete_or_restore(args, delete=True)


def cmd_restore(args: argparse.Namespace) -> int:
    """Bring back one deleted contact point, or the fields of one of its revisions."""
    if args.version is None:
        return _delete_or_restore(args, delete=False)
    from ictui.kinds.contact_point import ContactPoint
    from ictui.services.history import bring_back

    store = _store(args)
    with store.transaction() as tx:
        before = tx.get(ContactPoint, args.id)
        after = bring_back(tx, ContactPoint, args.id, args.version, before.rev)
    what = f"contact point {args.id}"
    if after.rev == before.rev:
        _say(f"{what} is as revision {args.version} already; nothing was written")
        return EXIT_OK
    done = f"brought back revision {args.version} of {what} as revision {after.rev}"
    if before.deleted:
        _say(f"{done} (it was deleted: that is undone too)")
        return EXIT_OK
    undo = command(f"restore {args.id} --version {before.rev}", _given_db(args))
    _say(f"{done}; undo with `{undo}`")
    return EXIT_OK


def add_restore_verb(
    verbs: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    kind: type[Record],
) -> None:
    """Add `ictui <kind> restore ID`, which brings back a deleted record of the kind.

    The app's undo lasts as long as the session that deleted it; this, for anyone, later.
    """
    label = kind.LABEL
    restore = verbs.add_parser(
        "restore",
        parents=[common],
        help=f"bring back a deleted {label}",
        description=f"Bring back a {label} that was deleted (in the app, or by anyone), as "
        "it was: a delete only marks it in the team file.",
    )
    restore.add_argument("id", type=_record_id, metavar="ID")
    restore.set_defaults(parser=restore, handler=cmd_restore_record, restored_kind=kind)


def cmd_restore_record(args: argparse.Namespace) -> int:
    """Bring back one deleted record of the kind its command names."""
    kind: type[Record] = args.restored_kind
    store = _store(args)
    with store.transaction() as tx:
        record = tx.get(kind, args.id)
        if not record.deleted:
            _say(f"{kind.LABEL} {args.id} is not deleted: there is nothing to restore")
            return EXIT_OK
        tx.restore(kind, args.id, record.rev)
    _say(f"brought back {kind.LABEL} {args.id}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the team file and say in one line whether it is sound."""
    from ictui.outputs.check import check_team_file

    # Only the path: the check reads the file as it is, and needs no author.
    path = _team_path(args)
    if getattr(args, "demo", False) and not path.exists():
        path = _store(args).path  # makes the demo team first
    report = check_team_file(path)
    from ictui.text import for_display

    for problem in report.problems:
        print(f"  {for_display(problem)}", file=sys.stderr)
    print(for_display(report.summary), file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_DATA


def cmd_keys(args: argparse.Namespace) -> int:
    """Print every key of the app by id, with the keys in force."""
    from ictui.app import keys_of_the_app
    from ictui.user.preferences import load_preferences

    path = preferences_path()
    preferences = load_preferences(path)
    for problem in preferences.problems:
        _say(problem)
    entries, problems, left_out = keys_of_the_app(preferences.keys)
    for problem in problems:
        _say(problem)
    from ictui.text import one_line

    moved = {i: one_line(keys) for i, keys in preferences.keys.items() if i not in left_out}
    width = max(len(entry.id) for entry in entries)
    for entry in entries:
        keys = moved.get(entry.id, entry.keys)
        mark = "*" if entry.id in moved else " "
        print(f"{entry.id:<{width}}  {mark}{keys:<16}  {entry.description}")
    shown = one_line(str(path))  # from $XDG_CONFIG_HOME: cleaned as any path in a message
    print(f"\n* moved by your preferences ({shown})" if moved else f"\nyours: {shown}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Write the demo team to a new file."""
    from ictui.outputs.demo import DEFAULT_CONTACTS, DEMO_COUNTS, write_demo

    given = getattr(args, "db", None)
    if args.path == "":
        raise UsageError("PATH is empty; name the demo file, or leave PATH out")
    if given == "":
        _team_path(args)  # refuses it
    if args.path and given and Path(args.path).expanduser() != Path(given).expanduser():
        raise UsageError("give the demo file's path once: as PATH or as --db, not both")
    target = Path(args.path or given or demo_team_path()).expanduser()
    store = _store(args, target)
    count = DEFAULT_CONTACTS if args.contacts is None else args.contacts
    counts: dict[str, Any] = {n: getattr(args, n, None) for n in DEMO_COUNTS}  # flags given
    records = write_demo(store, dt.date.today(), count, **counts)
    print(store.path)
    _say(f"wrote a demo team ({records} records); open it with: ictui --db {store.path}")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    """Open the full-screen app."""
    # Textual reads keys from stdin and draws on stderr; without a terminal there
    # it would write escape codes into a pipe or file and wait for keys forever.
    # TEXTUAL_DRIVER is set by hosts that bring their own, such as `textual serve`.
    screen = sys.__stderr__
    terminal = sys.stdin.isatty() and screen is not None and screen.isatty()
    if not terminal and not os.environ.get("TEXTUAL_DRIVER"):
        raise UsageError(
            "the app needs a terminal for its keys (stdin) and screen (stderr); "
            f"from a script, use `{command('list', _given_db(args))}`, "
            f"`{command('log', _given_db(args))}` or `{command('export', _given_db(args))}`"
        )
    store = _store(args)
    from ictui.user.remote import calm_environment

    calm_environment()  # before Textual is imported: it reads some settings only then
    from ictui.app import APP_LOCK_TIMEOUT, IctuiApp

    store.lock_timeout = APP_LOCK_TIMEOUT  # the app retries and says so, never freezes
    web = getattr(args, "web", False)
    if web:  # the browser door: the serving account, and nobody's name until one is given
        from ictui.teamfile.identity import web_author

        store.author = web_author(None)
    from ictui.user.drafts import drafts_folder
    from ictui.user.paths import data_folder

    # At the browser door the data folder is the serving account's, shared by everyone there.
    drafts = None if web else drafts_folder(data_folder())
    app = IctuiApp(
        store,
        demo_path=demo_team_path(),
        preferences_path=preferences_path(),
        web=web,
        drafts_folder=drafts,
    )
    app.run()
    return app.return_code or EXIT_OK


# -- entry point ------------------------------------------------------------------------------


def _explain(error: InvalidInput) -> str:
    parts = [f"{FLAG_FOR_FIELD.get(field, field)} {message}" for field, message in error.problems]
    return f"invalid {error.label}: " + "; ".join(parts) + "; nothing was written"


def main(argv: list[str] | None = None) -> int:
    """Run the ictui command line and return its exit status."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Said with the command's own usage, which lists the flags it takes (argparse
        # would show the top level's: `ictui [-h] ... COMMAND`).
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as error:
        # The command's own usage, not the top level's: it says which flags it takes.
        args.parser.error(str(error))
    except InvalidInput as error:
        _say(_explain(error))
    except IctuiError as error:
        _say(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`ictui list | head`): not an error worth a traceback.
        _silence_stdout()
    return EXIT_DATA


def _silence_stdout() -> NoReturn:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
