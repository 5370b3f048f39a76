"""`ictui debrief ...`: start, list, show and hold the debriefs of held interviews.

Only the arguments and the printing are here; what each command does to the
team file is in ``ictui.services.debriefs``, and the Markdown is written by
``ictui.outputs.recap``. Like the rest of the command line, nothing here
imports Textual, and the services load only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ictui.services.debriefs import DebriefRow, Recap


def add_debrief_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui debrief` and its verbs, `ictui export --debrief` and `ictui demo --debriefs`."""
    from ictui.outputs.cli import DATE_HELP, _record_id, parse_date

    debrief = sub.add_parser(
        "debrief",
        help="recap a held interview for co-workers: start one pre-filled, list, show, hold",
        description="Debriefs: the recap of a held interview that its interviewer gives "
        "co-workers, good news first: how the interview was set up, the opening question, "
        "their first reactions, what probing revealed, results, issues, resolutions, the "
        "standards agreed, and the co-workers' reactions.",
        epilog="`ictui debrief COMMAND -h` for a command's help.",
    )
    debrief.set_defaults(parser=debrief, handler=_no_verb)
    verbs = debrief.add_subparsers(title="commands", metavar="COMMAND")

    start = verbs.add_parser(
        "start",
        parents=[common],
        help="start the debrief of a held interview, pre-filled from it; print its id",
        description="Start the debrief of a held interview and print its id. It is pre-filled "
        "from the interview, to edit rather than retype: how it was set up (partner, date, "
        "both ratings and the gap), the opening question and its answer, the other answers "
        "as what probing revealed, the partner's conclusions (with the behaviors behind "
        "them) as issues, and the guideline's unticked points as a caution. An interview "
        "has one debrief: a second start names the first.",
    )
    start.add_argument(
        "interview", type=_record_id, metavar="INTERVIEW_ID", help="as `ictui interview list` gives"
    )
    start.set_defaults(parser=start, handler=cmd_debrief_start)

    listing = verbs.add_parser(
        "list",
        parents=[reading],
        help="print the debriefs: drafts first, then those held",
        description="Print the debriefs, drafts first, then those held, newest interview "
        "first; each with its interview's partner and day, its status, how many results, "
        "issues, resolutions and standards it has, and how many pieces of advice the "
        "balance check gives. On a terminal a table; piped or redirected, tab-separated.",
    )
    listing.add_argument("--format", choices=["table", "tsv"], help="table on a terminal, else tsv")
    listing.set_defaults(parser=listing, handler=cmd_debrief_list)

    show = verbs.add_parser(
        "show",
        parents=[reading],
        help="print a debrief's recap as Markdown (and the balance check's advice on stderr)",
        description="Print a debrief's recap as Markdown, to hand to the team. The balance "
        "check's advice (an issue with neither resolution nor standard, no good news, more "
        "issues than anything else) goes to stderr: it is for you, not for the file.",
    )
    show.add_argument("id", type=_record_id, metavar="ID", help="as `ictui debrief list` gives")
    show.add_argument(
        "--output",
        metavar="FILE",
        help="write it to FILE (replaced whole, never half-written; default: stdout)",
    )
    show.set_defaults(parser=show, handler=cmd_debrief_show)

    hold = verbs.add_parser(
        "hold",
        parents=[common],
        help="mark a debrief held with the co-workers, and its interview debriefed",
        description="Mark a debrief held on a day (today unless --on says otherwise), and its "
        "interview debriefed. Holding it again changes the day.",
    )
    hold.add_argument("id", type=_record_id, metavar="ID", help="as `ictui debrief list` gives")
    hold.add_argument("--on", type=parse_date, metavar="DATE", help=f"{DATE_HELP}; default: today")
    hold.set_defaults(parser=hold, handler=cmd_debrief_hold)

    export = sub.choices.get("export")
    if export is not None:
        export.add_argument(
            "--debrief",
            type=_record_id,
            metavar="ID",
            help="only this debrief's recap (with --format markdown), as `ictui debrief show`",
        )
        exporting = export.get_default("handler")

        def export_or_recap(args: argparse.Namespace) -> int:
            if args.debrief is None:
                return int(exporting(args))
            return _export_recap(args)

        export.set_defaults(handler=export_or_recap)

    from ictui.kinds.debrief import Debrief
    from ictui.outputs.cli import add_restore_verb

    add_restore_verb(verbs, common, Debrief)

    demo = sub.choices.get("demo")
    if demo is not None:
        demo.add_argument(
            "--debriefs",
            type=_whole,
            default=None,
            metavar="N",
            help="how many held interviews get a debrief (default: 1, the demo's held one; "
            "more for benchmarks, at most one per interview held)",
        )


# -- helpers ---------------------------------------------------------------------------------------


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def _no_verb(args: argparse.Namespace) -> int:
    from ictui.outputs.cli import UsageError

    raise UsageError("say what to do: start, list, show or hold")


def _advise(recap: Recap) -> None:
    """Say the balance check's advice on stderr: for the lead, never in the recap itself."""
    from ictui.outputs.cli import _say

    balance = recap.balance
    for advice in balance.advice:
        _say(f"advice: {advice.text}")


# -- commands ------------------------------------------------------------------------------------


def cmd_debrief_start(args: argparse.Namespace) -> int:
    """Start the debrief of a held interview, pre-filled from it; print its id."""
    from ictui.errors import IctuiError
    from ictui.outputs.cli import EXIT_OK, _given_db, _say, _store, command
    from ictui.services.debriefs import DebriefExists, start_debrief

    store = _store(args)
    try:
        with store.transaction() as tx:
            started = start_debrief(tx, args.interview)
    except DebriefExists as error:
        show = command(f"debrief show {error.debrief_id}", _given_db(args))
        raise IctuiError(f"{error}; nothing was written. See it with `{show}`") from None
    points = len(started.points)
    _say(
        f"started debrief {started.debrief.id} of interview {args.interview}, pre-filled with "
        f"{points} point{'s' if points != 1 else ''} from it"
    )
    print(started.debrief.id)
    return EXIT_OK


HEADERS = ("ID", "Interview", "Partner", "Status", "Results", "Issues", "Resolutions",
           "Standards", "Advice")  # fmt: skip


def _cells(row: DebriefRow) -> list[str]:
    from ictui.text import one_line

    debrief, balance = row.debrief, row.balance
    status = f"held {debrief.held_on.isoformat()}" if debrief.held_on else "draft"
    return [
        str(debrief.id),
        row.interview.planned_on.isoformat(),
        one_line(row.partner),
        status,
        str(balance.results),
        str(balance.issues),
        str(balance.resolutions),
        str(balance.standards),
        str(len(balance.advice)),
    ]


def cmd_debrief_list(args: argparse.Namespace) -> int:
    """Print the debriefs: a table on a terminal, tab-separated lines otherwise."""
    from rich.table import Table
    from rich.text import Text

    from ictui.kinds.debrief import Debrief
    from ictui.outputs.cli import EXIT_OK, _say, _store, say_unread, terminal_width
    from ictui.outputs.export import write_tsv
    from ictui.outputs.listing import _Console
    from ictui.services.debriefs import debriefs_listing

    snapshot = _store(args).read()
    rows = debriefs_listing(snapshot)
    form = args.format or ("table" if sys.stdout.isatty() else "tsv")
    cells = [_cells(row) for row in rows]
    if form == "tsv":
        write_tsv([list(HEADERS), *cells], sys.stdout)
    else:
        # markup/emoji/highlight off: nothing a person typed is read as Rich markup.
        console = _Console(
            file=sys.stdout, width=terminal_width(), markup=False, emoji=False, highlight=False
        )
        table = Table(box=None, padding=(0, 1), pad_edge=False)
        for header in HEADERS:
            numbers = header not in ("Interview", "Partner", "Status")
            table.add_column(header, justify="right" if numbers else "left", overflow="fold")
        for shown in cells:
            table.add_row(*(Text(cell) for cell in shown))
        console.print(table)
    if not snapshot.holds_any(Debrief):
        _say(
            f"no debriefs in {snapshot.path} yet; `ictui debrief start INTERVIEW_ID` starts "
            "one from a held interview"
        )
    say_unread(snapshot)
    return EXIT_OK


def _read_recap(args: argparse.Namespace, what: str) -> int:
    """Print (or write to --output) a debrief's recap as Markdown; advice on stderr."""
    from ictui.outputs.cli import EXIT_OK, _say, _store, deliver, output_target
    from ictui.outputs.recap import recap_markdown
    from ictui.services.debriefs import recap

    store = _store(args)
    target = output_target(args, store, what)
    snapshot = store.read()
    read = recap(snapshot, args.id)
    if deliver(recap_markdown(read), target, what):
        _say(f"wrote the recap of debrief {args.id} to {target}")
    if read.debrief.deleted:
        _say(f"debrief {args.id} is deleted")
    _advise(read)
    return EXIT_OK


def cmd_debrief_show(args: argparse.Namespace) -> int:
    """Print a debrief's recap as Markdown."""
    return _read_recap(args, "the recap")


def _export_recap(args: argparse.Namespace) -> int:
    """`ictui export --format markdown --debrief ID`: the recap, as `debrief show` prints it."""
    from ictui.outputs.cli import UsageError

    if args.format != "markdown":
        raise UsageError("--debrief exports a recap as Markdown: give --format markdown")
    if args.kind or args.since or args.until or args.partner:
        raise UsageError(
            "--debrief exports one recap: leave out --kind, --since, --until, --partner"
        )
    args.id = args.debrief
    return _read_recap(args, "the export")


def cmd_debrief_hold(args: argparse.Namespace) -> int:
    """Mark a debrief held on a day, and its interview debriefed."""
    import datetime as dt

    from ictui.kinds.debrief import Debrief
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.debriefs import hold_debrief

    store = _store(args)
    with store.transaction() as tx:
        current = tx.get(Debrief, args.id)
        day: dt.date = args.on or tx.today  # the store's day, as every clock rule's
        held = hold_debrief(tx, args.id, current.rev, day)
    interview = held.interview
    if current.held_on == day:
        _say(f"debrief {args.id} is held on {day.isoformat()} already; nothing was written")
        return EXIT_OK
    was = f" (it was held on {current.held_on.isoformat()})" if current.held_on else ""
    _say(
        f"debrief {args.id} held on {day.isoformat()}{was}; interview {interview.id} is "
        f"{interview.status.label}"
    )
    return EXIT_OK
