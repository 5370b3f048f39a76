"""`ictui standard ...`: list, add, check in, show, agree and retire standards from a shell.

A standard is the team's promise to a partner (side ours); a partnering rule
is the partner's promise to the team (side theirs, `--rule`). Both are
checked in per period, so a monthly job or a script can feed check-ins.

Only the arguments and the printing are here; what each command does to the
team file is in ``ictui.services.standards``. Like the rest of the command
line, nothing here imports Textual, and the services load only when a command
runs. Every write goes through ``Store.run``, which makes it again from a
fresh reading should the lock be taken away meanwhile, so a check-in is never
lost when several scripts check in at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ictui.errors import InvalidInput
    from ictui.kinds.standard import CheckIn, Standard
    from ictui.services.standards import CheckedIn, StandardRow
    from ictui.teamfile.snapshot import Snapshot
    from ictui.teamfile.store import Store
    from ictui.teamfile.transaction import Transaction

FLAG_FOR_FIELD = {
    "partner": "--partner",
    "partner_id": "--partner",
    "side": "--rule",
    "standard": "--standard",
    "measure": "--measure",
    "target": "--target",
    "measured_how": "--how",
    "cadence": "--cadence",
    "owner": "--owner",
    "agreed_with": "--agreed-with",
    "agreed_on": "--agreed-on",
    "interview_id": "--interview",
    "status": "--agreed",
    "retired_reason": "--reason",
}
"""How each field of a standard is named on the command line, for messages."""

CHECK_IN_FLAGS = {
    "period": "--period",
    "value": "--value",
    "note": "--note",
    "checked_by": "--by",
    "result": "--met, --not-met or --not-measured",
}
"""How each field of a check-in is named on the command line, for messages."""

RESULTS = ("met", "not-met", "not-measured")
"""The results a check-in says, each one a flag of its own."""

CADENCES = ("weekly", "monthly", "quarterly")


def add_standard_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui standard` and its verbs to the command line's subcommands."""
    from ictui.kinds.period import EXAMPLES
    from ictui.kinds.target import TARGET_EXAMPLES
    from ictui.kinds.vocab import Cadence
    from ictui.outputs.cli import DATE_HELP, _record_id, parse_date

    standard = sub.add_parser(
        "standard",
        help="standards agreed with partners and their partnering rules: list them, add one, "
        "check one in, show, agree or retire one",
        description="Standards are the team's promises to a partner, with a measure and a "
        "target that says whether each one is met; partnering rules are the partner's "
        "promises to the team. Both are checked in once per week, month or quarter: met, "
        "not met or not measured. A check-in is due when the last completed period has none.",
        epilog="`ictui standard COMMAND -h` for a command's help.",
    )
    standard.set_defaults(parser=standard, handler=_no_verb)
    verbs = standard.add_subparsers(title="commands", metavar="COMMAND")

    listing = verbs.add_parser(
        "list",
        parents=[reading],
        help="print the standards and partnering rules, and how each one stands",
        description="Print the standards and partnering rules, grouped by partner: whose "
        "promise it is (we or they), the standard, its target and cadence, its status, "
        "its last 6 periods (✓ met, ✗ not met, – not measured, · no check-in; oldest "
        "first), its compliance (met ÷ (met + not met) over the last 12 completed "
        "periods) and the period whose check-in is due. On a terminal a table; piped or "
        "redirected, one standard per line, tab-separated, with a header line.",
    )
    listing.add_argument(
        "--due", action="store_true", help="only the standards with a check-in due"
    )
    listing.add_argument("--partner", metavar="NAME", help="only this partner's (any case)")
    listing.add_argument(
        "--format",
        choices=["table", "tsv", "csv"],
        help="table on a terminal, else tsv: one standard per line, tabs and line breaks "
        "as \\t, \\n",
    )
    listing.set_defaults(parser=listing, handler=cmd_standard_list)

    add = verbs.add_parser(
        "add",
        parents=[common],
        help="add a standard (or, with --rule, a partnering rule) and print its id",
        description="Add a standard: the team's promise to a partner, with a target that a "
        "check-in can be judged against. With --rule, a partnering rule instead: what the "
        "partner does so that the team can serve them. A partner name not seen before adds "
        "that partner. It is proposed until agreed with the partner (--agreed, or later "
        "`ictui standard agree ID`).",
    )
    add.add_argument("--partner", required=True, metavar="NAME", help="who it is agreed with")
    add.add_argument(
        "--standard",
        required=True,
        metavar="TEXT",
        help='the promise in one sentence: "Payroll queries answered within 2 working days"',
    )
    add.add_argument(
        "--target",
        required=True,
        metavar="T",
        help=f"how you will know it is met, such as {TARGET_EXAMPLES.replace('%', '%%')}",
    )
    add.add_argument(
        "--cadence", required=True, choices=CADENCES, help="how often it is checked in"
    )
    add.add_argument("--owner", default="", metavar="NAME", help="who looks after it on our side")
    add.add_argument("--measure", default="", metavar="TEXT", help="what is counted")
    add.add_argument("--how", default="", metavar="TEXT", help="how and where it is measured")
    add.add_argument(
        "--rule",
        action="store_true",
        help="a partnering rule: the partner's promise to the team, not ours to them",
    )
    add.add_argument(
        "--agreed", action="store_true", help="agreed with the partner already (else: proposed)"
    )
    add.add_argument(
        "--agreed-with", metavar="NAMES", help="with --agreed: who agreed it on the partner's side"
    )
    add.add_argument(
        "--agreed-on",
        type=parse_date,
        metavar="DATE",
        help=f"with --agreed: the day it was agreed ({DATE_HELP}; default: today)",
    )
    add.add_argument(
        "--interview", type=_record_id, metavar="ID", help="the interview it came from, if any"
    )
    add.set_defaults(parser=add, handler=cmd_standard_add)

    checkin = verbs.add_parser(
        "checkin",
        aliases=["check-in"],
        parents=[common],
        help="check a standard in for a period: met, not met or not measured",
        description="Check a standard in for one period: met, not met or not measured, with "
        "the value measured where there is one. Given only --value, the value is judged "
        "against the standard's target. The period is the last completed one unless "
        f"--period says otherwise ({', '.join(EXAMPLES.values())}, by the standard's "
        "cadence). Checking in again for the same period replaces the check-in; the "
        "earlier one stays in its history. Prints what was written.",
    )
    checkin.add_argument("id", type=_record_id, metavar="ID", help="as `ictui standard list` gives")
    result = checkin.add_mutually_exclusive_group()
    for name in RESULTS:
        result.add_argument(
            f"--{name}",
            dest="result",
            action="store_const",
            const=name,
            help=f"it was {name.replace('-', ' ')} in the period",
        )
    checkin.add_argument(
        "--value", default="", metavar="V", help="what was measured: 1.5, 97 %%, 08:45, yes"
    )
    checkin.add_argument(
        "--period",
        default="",
        metavar="P",
        help=f"{EXAMPLES[Cadence.WEEKLY]}, {EXAMPLES[Cadence.MONTHLY]} or "
        f"{EXAMPLES[Cadence.QUARTERLY]}, by the standard's cadence "
        "(default: the last completed period)",
    )
    checkin.add_argument("--note", default="", metavar="TEXT", help="anything to keep with it")
    checkin.add_argument(
        "--by", default="", metavar="NAME", help="who checked (default: you, by your display name)"
    )
    checkin.set_defaults(parser=checkin, handler=cmd_standard_checkin)

    show = verbs.add_parser(
        "show",
        parents=[reading],
        help="print a standard in full, with its check-ins and evidence",
        description="Print a standard or partnering rule: every field, how it stands (its "
        "last periods, compliance and what is due), its check-ins newest first, and the "
        "contact points tied to it as evidence.",
    )
    show.add_argument("id", type=_record_id, metavar="ID", help="as `ictui standard list` gives")
    show.set_defaults(parser=show, handler=cmd_standard_show)

    agree = verbs.add_parser(
        "agree",
        parents=[common],
        help="mark a standard agreed with its partner",
        description="Mark a standard (or partnering rule) agreed with its partner, from which "
        "day its check-ins are due. Refused while its target cannot be checked.",
    )
    agree.add_argument("id", type=_record_id, metavar="ID", help="as `ictui standard list` gives")
    agree.add_argument("--agreed-with", metavar="NAMES", help="who agreed it on the partner's side")
    agree.add_argument(
        "--agreed-on",
        type=parse_date,
        metavar="DATE",
        help=f"the day it was agreed ({DATE_HELP}; default: today)",
    )
    agree.set_defaults(parser=agree, handler=cmd_standard_agree)

    retire = verbs.add_parser(
        "retire",
        parents=[common],
        help="retire a standard, saying why",
        description="Retire a standard (or partnering rule) that is no longer kept, saying "
        "why. It is checked in no more, and nothing is due for it; its check-ins stay.",
    )
    retire.add_argument("id", type=_record_id, metavar="ID", help="as `ictui standard list` gives")
    retire.add_argument("--reason", required=True, metavar="TEXT", help="why it is retired")
    retire.set_defaults(parser=retire, handler=cmd_standard_retire)

    from ictui.kinds.standard import Standard
    from ictui.outputs.cli import add_restore_verb

    add_restore_verb(verbs, common, Standard)

    demo = sub.choices.get("demo")
    if demo is not None:
        demo.add_argument(
            "--standards",
            type=_whole,
            default=None,
            metavar="N",
            help="how many standards and partnering rules, each with a year of check-ins "
            "(default: the demo's 12; more are made up, for benchmarks)",
        )


# -- argument types ------------------------------------------------------------------------------


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


# -- helpers ---------------------------------------------------------------------------------


def _no_verb(args: argparse.Namespace) -> int:
    from ictui.outputs.cli import UsageError

    raise UsageError("say what to do: list, add, checkin, show, agree or retire")


def _flags(error: InvalidInput, flags: dict[str, str]) -> InvalidInput:
    """Return a refusal with each field named by its flag, as the person typed it."""
    from ictui.errors import InvalidInput

    problems = [(flags.get(field, field), message) for field, message in error.problems]
    return InvalidInput(error.label, problems)


def _today(store: Store) -> dt.date:
    """Return the day it is for the team file's clock, as its transactions see it."""
    return store.clock().astimezone().date()


def _quoted(value: str) -> str:
    from ictui.text import one_line

    return f"“{one_line(value)}”"


def _what(standard: Standard, partner: str) -> str:
    """Name a standard in a message: standard 3 (Payroll: “Queries answered in 2 days”)."""
    from ictui.text import one_line

    return (
        f"{standard.side.label} {standard.id} ({one_line(partner)}: {_quoted(standard.standard)})"
    )


def _partner_name(tx: Transaction, standard: Standard) -> str:
    from ictui.kinds.partner import Partner

    return tx.get(Partner, standard.partner_id).name


# -- list -----------------------------------------------------------------------------------------

HEADERS = (
    "ID", "Partner", "Whose", "Standard", "Target", "Cadence", "Status", "Last 6", "Kept", "Due",
)  # fmt: skip
COLUMNS = (
    "id", "partner", "whose", "standard", "target", "cadence", "status", "last_6",
    "compliance_percent", "due",
)  # fmt: skip
"""The columns of the tab-separated and CSV listing, for scripts."""
STANDARD = HEADERS.index("Standard")
GIVES_WAY = (("Target", 12), ("Partner", 12))
"""The text columns that wrap, in turn, to leave the standard room: down to their longest
word, and not below these widths."""
STANDARD_ROOMY, STANDARD_LEAST = 30, 16
SAMPLE = 500
"""How many rows the table's column widths are measured on."""
CHUNK = 200
"""Rows printed per table: each is printed once laid out, so output starts at once."""


def _cells(row: StandardRow) -> list[str]:
    """Return a standard's cells for the table and for scripts, cleaned to one line each."""
    from ictui.text import one_line

    standard, standing = row.standard, row.standing
    return [
        str(standard.id),
        one_line(row.partner),
        standard.side.short,
        one_line(standard.standard),
        one_line(standard.target),
        standard.cadence.value,
        standard.status.value,
        standing.strip(),
        standing.compliance_text,
        "" if standing.due is None else str(standing.due),
    ]


def _script_rows(rows: list[StandardRow]) -> Iterator[list[str]]:
    """Yield the header, then one row per standard, as it is reached."""
    yield list(COLUMNS)
    for row in rows:
        cells = _cells(row)
        rate = row.standing.compliance
        cells[COLUMNS.index("compliance_percent")] = "" if rate is None else str(round(rate * 100))
        yield cells


def _fit(rows: list[list[str]], width: int) -> list[int] | None:
    """Return each column's width for a table this wide, or None if the columns cannot fit.

    The standard takes what is left; the target, then the partner, wrap to
    leave it room.
    """
    from rich.cells import cell_len

    columns = list(zip(HEADERS, *rows, strict=True))
    widths = [max(cell_len(cell) for cell in column) for column in columns]
    for name, most in (("Partner", 20), ("Target", 20)):
        index = HEADERS.index(name)
        widths[index] = min(widths[index], most)
    gaps = 2 * (len(HEADERS) - 1)

    def room() -> int:
        return width - gaps - sum(w for i, w in enumerate(widths) if i != STANDARD)

    for name, narrowest in GIVES_WAY:
        if room() >= STANDARD_ROOMY:
            break
        index = HEADERS.index(name)
        words = (cell_len(word) for cell in columns[index][1:] for word in cell.split())
        least = min(widths[index], max(narrowest, max(words, default=1)))
        widths[index] = max(least, widths[index] - (STANDARD_ROOMY - room()))
    if room() < STANDARD_LEAST:
        return None
    widths[STANDARD] = min(room(), max(widths[STANDARD], STANDARD_LEAST))
    return widths


def _summary(rows: list[StandardRow]) -> str:
    """Say what the listing held: how many of each side and status, and how many are due."""
    from ictui.kinds.vocab import Side, StandardStatus
    from ictui.services.standards import due_count

    total = len(rows)
    ours = sum(row.standard.side is Side.OURS for row in rows)
    sides = [
        f"{ours} standard{'' if ours == 1 else 's'}",
        f"{total - ours} partnering rule{'' if total - ours == 1 else 's'}",
    ]
    statuses = [
        f"{count} {status.value}"
        for status in StandardStatus
        if (count := sum(row.standard.status is status for row in rows))
    ]
    said = f"{', '.join(sides)}: {', '.join(statuses)}" if total else "none"
    return f"{said}; {due_count(rows)} due"


def _print_table(rows: list[StandardRow], width: int) -> None:
    """Print the rows as a table fitted to width, in turns, then a summary line.

    A terminal too narrow for the columns gets one block per standard instead.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from ictui.outputs.listing import _Console

    # markup/emoji/highlight off: nothing a person typed is read as Rich markup. A reader
    # that goes away (`| head`) ends the output quietly, as for `ictui list`.
    console = _Console(file=sys.stdout, width=width, markup=False, emoji=False, highlight=False)
    widths = _fit([_cells(row) for row in rows[:SAMPLE]], width)
    for start in range(0, len(rows), CHUNK):
        cells = [_cells(row) for row in rows[start : start + CHUNK]]
        if widths is None:
            for cell in cells:
                due = f" · due {cell[9]}" if cell[9] else ""
                kept = f" · {cell[8]} kept" if cell[8] else ""
                head = f"{cell[0]}  {cell[1]} · {cell[2]} · {cell[6]} · {cell[5]}"
                strip = f" · {cell[7]}" if cell[7] else ""
                line = f"{head}{strip}{kept}{due}"
                console.print(Text(line, overflow="fold"))
                for line in (cell[3], f"target {cell[4]}" if cell[4] else ""):
                    if line:
                        console.print(
                            Padding(Text(line, overflow="fold"), (0, 0, 0, 2), expand=False)
                        )
            continue
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_header=start == 0)
        for header, size in zip(HEADERS, widths, strict=True):
            table.add_column(
                header,
                width=size,
                justify="right" if header in ("ID", "Kept") else "left",
                overflow="fold",
                header_style="bold",
            )
        for shown in cells:
            table.add_row(*(Text(cell) for cell in shown))
        console.print(table)
    console.print(Text(_summary(rows)))


def cmd_standard_list(args: argparse.Namespace) -> int:
    """Print the standards and how each stands: a table on a terminal, lines otherwise."""
    from ictui.kinds.standard import Standard
    from ictui.outputs.cli import EXIT_OK, _partner_id, _say, _store, say_unread, terminal_width
    from ictui.outputs.export import write_csv, write_tsv
    from ictui.services.partners import partner_names
    from ictui.services.standards import standards_listing

    store = _store(args)
    snapshot = store.read()
    rows = standards_listing(snapshot, _today(store))
    if args.partner:
        partner = _partner_id(partner_names(snapshot), args.partner)
        rows = [row for row in rows if row.standard.partner_id == partner]
    if args.due:
        rows = [row for row in rows if row.standing.due is not None]
    form = args.format or ("table" if sys.stdout.isatty() else "tsv")
    if form == "table":
        _print_table(rows, terminal_width())
    else:
        (write_csv if form == "csv" else write_tsv)(_script_rows(rows), sys.stdout)
    if not snapshot.holds_any(Standard):
        _say(
            f"no standards in {snapshot.path} yet; `ictui standard add --partner NAME "
            "--standard TEXT --target T --cadence monthly` adds one"
        )
    elif args.due and not rows:
        _say("nothing is due: every agreed standard is checked in for its last completed period")
    say_unread(snapshot)
    return EXIT_OK


# -- add ------------------------------------------------------------------------------------------


def cmd_standard_add(args: argparse.Namespace) -> int:
    """Add a standard or partnering rule, making its partner if the name is new; print its id."""
    from ictui.errors import InvalidInput
    from ictui.kinds.target import TARGET_EXAMPLES, target_hint
    from ictui.kinds.vocab import Cadence, Side, StandardStatus
    from ictui.outputs.cli import EXIT_OK, UsageError, _say, _store
    from ictui.services.partners import taken_as
    from ictui.services.standards import SaveStandard, StandardDraft

    if not args.agreed:
        pairs = (("--agreed-with", args.agreed_with), ("--agreed-on", args.agreed_on))
        given = [flag for flag, value in pairs if value is not None]
        if given:
            goes, them = ("go", "them") if len(given) > 1 else ("goes", "it")
            raise UsageError(
                f"{' and '.join(given)} {goes} with --agreed: add it, or leave {them} out"
            )
    # A script's standard is one it will check in: a target nobody can check is refused
    # here, even for a proposed standard (the app keeps it as a note, with this hint).
    hint = target_hint(args.target)
    if not args.target.strip():
        hint = f"is required: say how you will know it is met, such as {TARGET_EXAMPLES}"
    if hint:
        raise InvalidInput("standard", [("--target", hint)])
    store = _store(args)
    draft = StandardDraft(
        partner=args.partner,
        standard=args.standard,
        side=Side.THEIRS if args.rule else Side.OURS,
        measure=args.measure,
        target=args.target,
        measured_how=args.how,
        cadence=Cadence(args.cadence),
        owner=args.owner,
        agreed_with=args.agreed_with or "",
        agreed_on=(args.agreed_on or _today(store)) if args.agreed else None,
        status=StandardStatus.AGREED if args.agreed else StandardStatus.PROPOSED,
        interview_id=args.interview,
    )
    new_file = not store.exists()
    try:
        saved = store.run(SaveStandard(draft).apply, create=True)
    except InvalidInput as error:
        raise _flags(error, FLAG_FOR_FIELD) from None
    if new_file:  # a mistyped --db must not go unnoticed
        _say(f"started a new team file at {store.path}")
    if saved.new_partner is not None:
        partner = saved.new_partner
        _say(f"{taken_as(partner)} {_quoted(partner.name)} (id {partner.id}) in {store.path}")
    print(saved.standard.id)
    return EXIT_OK


# -- check in -------------------------------------------------------------------------------------


def _refuse_unjudged(standard: Standard, result: str | None, value: str) -> None:
    """Refuse a check-in that says no result and gives no value the target can judge.

    The service refuses it too; this says so in the command line's words.
    """
    from ictui.errors import InvalidInput
    from ictui.kinds.standard import CheckIn
    from ictui.kinds.target import read_target

    if result is not None:
        return
    target = read_target(standard.target)
    flags = CHECK_IN_FLAGS["result"]
    if not value.strip():
        judge = f", or --value with {target.asks_for} to judge against {target}" if target else ""
        raise InvalidInput(CheckIn.LABEL, [(flags, f"is required{judge}")])
    if target is None:
        said = (
            f"cannot be judged: the target {_quoted(standard.target)} is not one a value is "
            f"checked against; say {flags}"
        )
        raise InvalidInput(CheckIn.LABEL, [("--value", said)])
    if target.value_problem(value):
        return  # in a unit of its own, or no percentage: the service says so, whatever the result
    if target.judge(value) is None:
        said = (
            f"{_quoted(value)} cannot be judged against {target}: give {target.asks_for}, "
            f"or say {flags}"
        )
        raise InvalidInput(CheckIn.LABEL, [("--value", said)])


def _written(done: CheckedIn, judged_against: str = "") -> str:
    """Say what a check-in wrote: "standard 3, 2026-11: met, measured 1.5 (replaced not met)".

    judged_against: the target the value was judged against, when no result was said.
    """
    from ictui.text import one_line

    def said(check_in: CheckIn) -> str:
        value = f", measured {one_line(check_in.value)}" if check_in.value else ""
        return f"{check_in.result.label}{value}"

    line = f"standard {done.check_in.standard_id}, {done.period}: {said(done.check_in)}"
    if judged_against:
        line += f", judged against {one_line(judged_against)}"
    if done.replaced is not None:
        line += f" (replaced {said(done.replaced)})"
    return line


def cmd_standard_checkin(args: argparse.Namespace) -> int:
    """Check a standard in for one period, replacing the check-in for that period if any."""
    from ictui.errors import InvalidInput
    from ictui.kinds.standard import Standard
    from ictui.kinds.vocab import CheckInResult, StandardStatus
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.standards import CheckInDraft, check_in, not_over

    store = _store(args)
    draft = CheckInDraft(
        standard_id=args.id,
        result=CheckInResult(args.result) if args.result else None,
        period=args.period,
        value=args.value,
        note=args.note,
        checked_by=args.by,
    )

    def write(tx: Transaction) -> tuple[CheckedIn, str, dt.date]:
        standard = tx.get(Standard, args.id)
        if not standard.deleted and standard.status is not StandardStatus.RETIRED:
            _refuse_unjudged(standard, args.result, args.value)  # else the service says why not
        return check_in(tx, draft, store.author), standard.target, tx.today

    try:
        done, target, today = store.run(write)
    except InvalidInput as error:
        raise _flags(error, CHECK_IN_FLAGS) from None
    print(_written(done, "" if args.result else target))
    if early := not_over(done.period, today):  # as the app's form says: written, but early
        _say(early)
    if against := _against_the_value(target, args.result, args.value):
        _say(against)
    return EXIT_OK


def _against_the_value(target: str, result: str | None, value: str) -> str:
    """Say when the result said goes against what the target makes of the value; else "".

    It is kept (a person may know better, a value measured another way), but not in silence:
    a met that the value misses counts as met in every compliance after.
    """
    from ictui.kinds.target import read_target
    from ictui.kinds.vocab import CheckInResult

    read = read_target(target)
    verdict = read.judge(value) if read is not None and value.strip() else None
    if verdict is None or result not in (CheckInResult.MET.value, CheckInResult.NOT_MET.value):
        return ""
    if verdict == (result == CheckInResult.MET.value):
        return ""
    judged = "meets" if verdict else "misses"
    said = CheckInResult(result).label
    return f"{value.strip()} {judged} the target ({read}); kept as {said}, as you said"


# -- show -----------------------------------------------------------------------------------------


def _last(count: int, period: str) -> str:
    """Say "last month" or "last 6 months"."""
    return f"last {period}" if count == 1 else f"last {count} {period}s"


def _show_lines(snapshot: Snapshot, standard: Standard, today: dt.date) -> list[str]:
    """Return a standard in full: its fields, how it stands, its check-ins and its evidence."""
    from ictui.kinds.vocab import StandardStatus
    from ictui.outputs.show import describe, person
    from ictui.services.partners import partner_names
    from ictui.services.standards import (
        STRIP_PERIODS,
        check_ins_by_standard,
        evidence,
        standing_of,
        value_shown,
    )
    from ictui.text import for_display, one_line

    names = {"partners": partner_names(snapshot)}
    # Every field of a standard has its line, "From interview (none)" too.
    lines = describe(standard, names, show_unset=True)
    lines[0] += f": {standard.side.label}, {standard.side.short} keep it"
    check_ins = check_ins_by_standard(snapshot).get(standard.id, [])
    standing = standing_of(standard, check_ins, today)
    period = standard.cadence.period_name
    lines += ["", f"How it stands on {today.isoformat()}:"]
    if standing.periods:
        shown = standing.periods[-STRIP_PERIODS:]
        lines.append(
            f"  {_last(len(shown), period)}, oldest first ({shown[0][0]} to {shown[-1][0]}): "
            f"{standing.strip()}   (✓ met, ✗ not met, – not measured, · no check-in)"
        )
    elif standard.status is StandardStatus.PROPOSED:
        lines.append("  proposed: no check-in is due until it is agreed")
    else:
        lines.append(f"  no {period} has ended since it was agreed")
    if standing.compliance_text:
        over = _last(len(standing.periods), period)
        lines.append(
            f"  compliance {standing.compliance_text} over the {over}: "
            f"{standing.met} met, {standing.missed} not met"
        )
    if standing.due is not None:
        lines.append(f"  due: {standing.due} ({standing.due.describe()}) has no check-in")
    newest = sorted(check_ins, key=lambda c: (c.period, c.id), reverse=True)
    lines += ["", f"Check-ins, newest first: {len(newest)}"]
    for c in newest:
        value = f"  measured {one_line(value_shown(standard, c))}" if c.value else ""
        by = f"  by {one_line(c.checked_by)}" if c.checked_by else f"  by {person(c.created_by)}"
        lines.append(f"  {c.period:<8}  {c.result.symbol} {c.result.label:<12}{value}{by}")
        lines += [f"      {line}" for line in for_display(c.note).split("\n") if c.note and line]
    tied = evidence(snapshot, standard.id)
    lines += ["", f"Evidence, contact points tied to it: {len(tied)}"]
    for point in tied:
        lines.append(
            f"  {point.id}  {point.date.isoformat()}  {point.verdict.symbol} "
            f"{point.verdict.label}  {one_line(point.why)}"
        )
    return lines


def cmd_standard_show(args: argparse.Namespace) -> int:
    """Print one standard in full, with its check-ins newest first and its evidence."""
    from ictui.errors import RecordNotFound
    from ictui.kinds.standard import Standard
    from ictui.outputs.cli import EXIT_OK, _say, _store, say_unread

    store = _store(args)
    snapshot = store.read()
    standard = snapshot.get(Standard, args.id)
    if standard is None:
        raise RecordNotFound(Standard.LABEL, args.id)
    print("\n".join(_show_lines(snapshot, standard, _today(store))))
    if standard.deleted:
        _say(f"standard {args.id} is deleted")
    say_unread(snapshot)
    return EXIT_OK


# -- agree and retire ---------------------------------------------------------------------------


def cmd_standard_agree(args: argparse.Namespace) -> int:
    """Mark a standard agreed with its partner, on a day and with whom."""
    from ictui.errors import IctuiError, InvalidInput
    from ictui.kinds.standard import Standard
    from ictui.kinds.vocab import StandardStatus
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.standards import Agree

    store = _store(args)
    day = args.agreed_on or _today(store)

    def write(tx: Transaction) -> tuple[Standard, Standard | None, str]:
        before = tx.get(Standard, args.id)
        if before.deleted:
            raise IctuiError(f"standard {args.id} is deleted; nothing was written")
        partner = _partner_name(tx, before)
        unchanged = (
            before.status is StandardStatus.AGREED
            and args.agreed_on in (None, before.agreed_on)
            and args.agreed_with in (None, before.agreed_with)
        )
        if unchanged:
            return before, None, partner
        return before, Agree(args.id, before.rev, day, args.agreed_with).apply(tx), partner

    try:
        before, after, partner = store.run(write)
    except InvalidInput as error:
        # Agree sets no target: a target that cannot be checked is the standard's own.
        flags = {"target": "its target", "agreed_with": "--agreed-with", "agreed_on": "--agreed-on"}
        raise _flags(error, flags) from None
    if after is None:
        _say(f"{_what(before, partner)} is agreed already; nothing was written")
        return EXIT_OK
    with_whom = f" with {_quoted(after.agreed_with)}" if after.agreed_with else ""
    was = f"; it was {before.status.value}" if before.status is not StandardStatus.PROPOSED else ""
    _say(f"agreed {_what(after, partner)} on {day.isoformat()}{with_whom}{was}")
    return EXIT_OK


def cmd_standard_retire(args: argparse.Namespace) -> int:
    """Retire a standard, saying why; its check-ins stay."""
    from ictui.errors import IctuiError, InvalidInput
    from ictui.kinds.standard import Standard
    from ictui.kinds.vocab import StandardStatus
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.standards import Retire, check_ins_by_standard

    store = _store(args)

    def write(tx: Transaction) -> tuple[Standard, Standard | None, str, int]:
        before = tx.get(Standard, args.id)
        if before.deleted:
            raise IctuiError(f"standard {args.id} is deleted; nothing was written")
        partner = _partner_name(tx, before)
        kept = len(check_ins_by_standard(tx).get(args.id, []))
        retired = before.status is StandardStatus.RETIRED
        if retired and before.retired_reason == args.reason.strip():
            return before, None, partner, kept
        return before, Retire(args.id, before.rev, args.reason).apply(tx), partner, kept

    try:
        before, after, partner, kept = store.run(write)
    except InvalidInput as error:
        raise _flags(error, FLAG_FOR_FIELD) from None
    if after is None:
        _say(f"{_what(before, partner)} is retired already, for that reason; nothing was written")
        return EXIT_OK
    _say(
        f"retired {_what(after, partner)}: {_quoted(after.retired_reason)}; "
        f"its {kept} check-in{' stays' if kept == 1 else 's stay'}"
    )
    return EXIT_OK
