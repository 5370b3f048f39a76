"""`ictui interview ...`: list, show, plan and invite to interviews from the command line.

Only the arguments and the printing are here; what each command does to the
team file is in ``ictui.services.interviews``, and the Markdown is written by
``ictui.outputs.export``. Like the rest of the command line, nothing here
imports Textual, and the services load only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ictui.errors import IctuiError, InvalidInput
    from ictui.outputs.template_file import FileProblem
    from ictui.services.interview_template import Changes, InForce
    from ictui.services.interviews import InterviewRow

FLAG_FOR_FIELD = {
    "partner": "--partner",
    "partner_id": "--partner",
    "planned_on": "--date",
    "planned_time": "--time",
    "minutes": "--minutes",
    "interviewers": "--interviewers",
    "self_rating": "--self-rating",
    "notes": "--notes",
}
"""How each field of an interview is named on the command line, for messages."""

DAY_HELP = "YYYY-MM-DD, or the word today or tomorrow"


def add_interview_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui interview` and its verbs to the command line's subcommands."""
    from ictui.outputs.cli import _record_id

    interview = sub.add_parser(
        "interview",
        help="plan interviews with partners, list them, show one, write an invitation; "
        "the team's interview template",
        description="Interviews with partners about the team's service: the worksheet's "
        "questions (the team's own template, or the seven that ship with ictui), both "
        "ratings (yours before the talk, theirs at its end) and the "
        "guideline checklist. Plan one here; fill it in during the talk in the app.",
        epilog="`ictui interview COMMAND -h` for a command's help.",
    )
    interview.set_defaults(parser=interview, handler=_no_verb)
    verbs = interview.add_subparsers(title="commands", metavar="COMMAND")

    listing = verbs.add_parser(
        "list",
        parents=[reading],
        help="print the interviews: planned first, then the newest held",
        description="Print the interviews: the planned ones first, soonest first, then "
        "those held, newest first; each with its partner, date, status, both ratings and "
        "the gap between them, and how that partner's rating and gap moved over earlier "
        "interviews. On a terminal a table; piped or redirected, one interview per line, "
        "tab-separated, with the columns of `ictui export --format csv --kind interview` "
        "(gap: their rating less yours).",
    )
    listing.add_argument("--partner", metavar="NAME", help="only this partner's (any case)")
    listing.add_argument(
        "--format",
        choices=["table", "tsv"],
        help="table on a terminal, else tsv: one interview per line, tabs and line "
        "breaks as \\t, \\n",
    )
    listing.set_defaults(parser=listing, handler=cmd_interview_list)

    show = verbs.add_parser(
        "show",
        parents=[reading],
        help="print an interview's worksheet as Markdown",
        description="Print an interview's worksheet as Markdown: when and with whom, both "
        "ratings and the gap, every question with its answer, the checklist ([x] ticked, "
        "[ ] not), and the partner's conclusions with the behaviors behind each.",
    )
    show.add_argument("id", type=_record_id, metavar="ID", help="as `ictui interview list` gives")
    show.set_defaults(parser=show, handler=cmd_interview_show)

    plan = verbs.add_parser(
        "plan",
        parents=[common],
        help="plan an interview with a partner and print its id",
        description="Plan an interview with a partner: it gets the worksheet's questions and "
        "the guideline checklist, as worded today, to fill in during the talk. A partner "
        "name not seen before adds that partner (an internal customer).",
    )
    plan.add_argument("--partner", required=True, metavar="NAME", help="who to interview")
    plan.add_argument("--date", required=True, type=_day, metavar="DATE", help=DAY_HELP)
    plan.add_argument("--time", default="", metavar="HH:MM", help="the time agreed, if any")
    plan.add_argument(
        "--minutes", type=_whole, metavar="N", help="how long it will take, for the invitation"
    )
    plan.add_argument(
        "--interviewers",
        metavar="NAMES",
        help="who will hold it (default: you, by your display name)",
    )
    plan.add_argument(
        "--self-rating",
        type=_whole,
        metavar="N",
        help="your own rating of your service to them, 1 (low) to 10 (high), before the talk",
    )
    plan.add_argument("--notes", default="", metavar="TEXT", help="anything to keep with it")
    plan.set_defaults(parser=plan, handler=cmd_interview_plan)

    invite = verbs.add_parser(
        "invite",
        parents=[reading],
        help="write an invitation to an interview, in Markdown",
        description="Write an invitation to a planned interview, in Markdown, so that the "
        "partner knows what to expect: why you would like to talk, when and for how long, "
        "and the questions you will ask.",
    )
    invite.add_argument("id", type=_record_id, metavar="ID", help="as `ictui interview list` gives")
    invite.add_argument(
        "--output",
        metavar="FILE",
        help="write it to FILE (replaced whole, never half-written; default: stdout)",
    )
    invite.set_defaults(parser=invite, handler=cmd_interview_invite)

    template = verbs.add_parser(
        "template",
        parents=[common],
        help="print the interview template in force, or store the team's own",
        description="Print the interview template in force: the worksheet's questions and the "
        "guideline checklist, each with its stable id, as TOML to edit and store again "
        "with --set. It says whether it is the team's own or the defaults that ship with "
        "ictui. An interview copies the template in force when it is planned and keeps that "
        "wording: a new template changes only the interviews planned after it.",
        epilog="Ids are stable: keep a question's or point's id when you reword it, give a new "
        "one a new id, and never give an id that named a question to a step or a point. "
        "Removing a question leaves it out of new interviews only.",
    )
    choice = template.add_mutually_exclusive_group()
    choice.add_argument(
        "--set",
        metavar="FILE",
        help="store the template in FILE (as printed, edited; - reads stdin) as the team's "
        "own, in one write; a template with a problem is refused, each problem by its line",
    )
    choice.add_argument(
        "--reset",
        action="store_true",
        help="go back to the defaults that ship with ictui, for interviews planned from now on",
    )
    template.set_defaults(parser=template, handler=cmd_interview_template)

    from ictui.kinds.interview import Interview
    from ictui.outputs.cli import add_restore_verb

    add_restore_verb(verbs, common, Interview)

    demo = sub.choices.get("demo")
    if demo is not None:
        demo.add_argument(
            "--interviews",
            type=_whole,
            default=None,
            metavar="N",
            help="how many interviews (default: 2, one held and one planned; more are "
            "made up over the last three years, for benchmarks)",
        )


# -- argument types ------------------------------------------------------------------------------


def _day(value: str) -> dt.date:
    """Return the day of an interview: YYYY-MM-DD, today or tomorrow (or yesterday)."""
    from ictui.outputs.cli import parse_date

    today = dt.date.today()
    if value.strip().lower() == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        return parse_date(value, today)
    except argparse.ArgumentTypeError as error:
        if "not a real day" in str(error):
            raise
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it YYYY-MM-DD (or today, tomorrow)"
        ) from None


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


# -- helpers ---------------------------------------------------------------------------------------


def _no_verb(args: argparse.Namespace) -> int:
    from ictui.outputs.cli import UsageError

    raise UsageError("say what to do: list, show, plan, invite or template")


def _flags(error: InvalidInput) -> InvalidInput:
    """Return a refusal with each field named by its flag, as the person typed it."""
    from ictui.errors import InvalidInput

    problems = [(FLAG_FOR_FIELD.get(field, field), message) for field, message in error.problems]
    return InvalidInput(error.label, problems)


def _readable(value: str) -> str:
    from ictui.text import one_line

    return repr(one_line(value))


# -- commands ---------------------------------------------------------------------------------


def _table_cells(row: InterviewRow) -> list[str]:
    from ictui.text import one_line

    interview = row.interview
    when = interview.planned_on.isoformat()
    if interview.planned_time:
        when += f" {interview.planned_time}"
    ours, theirs = interview.self_rating, interview.customer_rating
    return [
        str(interview.id),
        when,
        one_line(row.partner),
        interview.status.label,
        "" if ours is None else str(ours),
        "" if theirs is None else str(theirs),
        row.gap.short,
        row.trend,
    ]


HEADERS = ("ID", "Date", "Partner", "Status", "Ours", "They", "Gap", "Trend")
NUMBERS = {"ID", "Ours", "They", "Gap"}
CHUNK = 200
"""Rows printed per table: each is printed once laid out, so output starts at once."""


TREND_LEAST = 16
"""The narrowest the trend may wrap to before the table gives way to one block per interview."""


def _widths(rows: list[list[str]], width: int) -> list[int] | None:
    """Return the columns' widths, wrapping partner, date and trend to fit; None if none fits."""
    from rich.cells import cell_len

    widths = [max(cell_len(cell) for cell in column) for column in zip(HEADERS, *rows, strict=True)]
    partner, trend = HEADERS.index("Partner"), HEADERS.index("Trend")
    widths[partner] = min(widths[partner], 28)
    gaps = 2 * (len(HEADERS) - 1)

    def room() -> int:
        return width - gaps - sum(w for i, w in enumerate(widths) if i != trend)

    if room() < TREND_LEAST:  # the partner gives way first, down to its longest word
        words = (cell_len(word) for row in rows for word in row[partner].split())
        least = min(widths[partner], max(10, min(max(words, default=10), 16)))
        widths[partner] = max(least, widths[partner] - (TREND_LEAST - room()))
    date = HEADERS.index("Date")
    if room() < TREND_LEAST:  # then the time goes under the date
        widths[date] = min(widths[date], len("YYYY-MM-DD"))
    if room() < min(widths[trend], TREND_LEAST):
        return None
    widths[trend] = min(widths[trend], room())
    return widths


def _print_table(rows: list[InterviewRow], width: int) -> None:
    """Print the rows as a table fitted to width, in turns, and the count by status.

    A terminal too narrow for the columns gets one block per interview instead.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from ictui.kinds.vocab import InterviewStatus
    from ictui.outputs.listing import _Console

    # markup/emoji/highlight off: nothing a person typed is read as Rich markup. A reader
    # that goes away (`| head`) ends the output quietly, as for `ictui list`.
    console = _Console(file=sys.stdout, width=width, markup=False, emoji=False, highlight=False)
    cells = [_table_cells(row) for row in rows]
    widths = _widths(cells, width)
    if widths is None:
        for row, cell in zip(rows, cells, strict=True):
            console.print(Text(f"{cell[0]}  {cell[1]}  {cell[3]}", overflow="fold"))
            lines = [f"{cell[2]} · {row.gap.words}", *([row.trend] if row.trend else [])]
            for line in lines:
                console.print(Padding(Text(line, overflow="fold"), (0, 0, 0, 2)))
    for start in range(0, len(cells) if widths is not None else 0, CHUNK):
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_header=start == 0)
        for header, size in zip(HEADERS, widths or [], strict=True):
            table.add_column(
                header,
                width=size,
                justify="right" if header in NUMBERS else "left",
                overflow="fold",
                header_style="bold",
            )
        for shown in cells[start : start + CHUNK]:
            table.add_row(*(Text(cell) for cell in shown))
        console.print(table)
    counts = dict.fromkeys(InterviewStatus, 0)
    for item in rows:
        counts[item.interview.status] += 1
    said = ", ".join(f"{n} {status.label}" for status, n in counts.items() if n)
    total = len(rows)
    console.print(Text(f"{total} interview{'s' if total != 1 else ''}: {said or 'none'}"))


def cmd_interview_list(args: argparse.Namespace) -> int:
    """Print the interviews: a table on a terminal, tab-separated lines otherwise."""

    from ictui.kinds.interview import Interview
    from ictui.outputs.cli import EXIT_OK, _partner_id, _say, _store, say_unread, terminal_width
    from ictui.outputs.export import table_rows, write_tsv
    from ictui.services.interviews import interviews_listing
    from ictui.services.partners import partner_names

    snapshot = _store(args).read()
    partner = _partner_id(partner_names(snapshot), args.partner) if args.partner else None
    rows = interviews_listing(snapshot, partner)
    form = args.format or ("table" if sys.stdout.isatty() else "tsv")
    if form == "tsv":
        write_tsv(table_rows(snapshot, Interview, (row.interview for row in rows)), sys.stdout)
    else:
        _print_table(rows, terminal_width())
    if not snapshot.holds_any(Interview):
        _say(
            f"no interviews in {snapshot.path} yet; "
            "`ictui interview plan --partner NAME --date DATE` plans one"
        )
    say_unread(snapshot)
    return EXIT_OK


def cmd_interview_show(args: argparse.Namespace) -> int:
    """Print one interview's worksheet as Markdown."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.outputs.export import worksheet_markdown
    from ictui.services.interviews import worksheet

    snapshot = _store(args).read()
    sheet = worksheet(snapshot, args.id)
    print("\n".join(worksheet_markdown(sheet)))
    if sheet.interview.deleted:
        _say(f"interview {args.id} is deleted")
    return EXIT_OK


def cmd_interview_plan(args: argparse.Namespace) -> int:
    """Plan an interview, making its partner if the name is new; print its id."""
    from ictui.errors import InvalidInput
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.interviews import plan_interview
    from ictui.services.partners import taken_as

    store = _store(args)
    interviewers = args.interviewers
    if interviewers is None:
        interviewers = store.author.display
    new_file = not store.exists()
    try:
        planned = store.run(
            lambda tx: plan_interview(
                tx,
                args.partner,
                args.date,
                args.time,
                interviewers,
                args.self_rating,
                minutes=args.minutes,
                notes=args.notes,
            ),
            create=True,
        )
    except InvalidInput as error:
        raise _flags(error) from None
    if new_file:  # a mistyped --db must not go unnoticed
        _say(f"started a new team file at {store.path}")
    if planned.new_partner is not None:
        partner = planned.new_partner
        _say(f"{taken_as(partner)} {_readable(partner.name)} (id {partner.id}) in {store.path}")
    day = planned.interview.planned_on
    if day < store.clock().astimezone().date():  # as the app's plan form says, beside the day
        _say(
            f"{day:%A %-d %B %Y} has passed: planned all the same; if it was held, "
            "mark it held in the app (the interviews screen)"
        )
    print(planned.interview.id)
    return EXIT_OK


def cmd_interview_invite(args: argparse.Namespace) -> int:
    """Write the invitation to an interview, to stdout or to a file."""

    from ictui.kinds.vocab import InterviewStatus
    from ictui.outputs.cli import EXIT_OK, _say, _store, deliver, output_target
    from ictui.outputs.export import invitation_markdown
    from ictui.services.interviews import worksheet

    store = _store(args)
    target = output_target(args, store, "the invitation")
    sheet = worksheet(store.read(), args.id)
    status = sheet.interview.status
    if sheet.interview.deleted:
        _say(f"interview {args.id} is deleted; here is its invitation all the same")
    elif status is not InterviewStatus.PLANNED:
        _say(f"interview {args.id} is {status.label} already; here is its invitation all the same")
    if deliver(invitation_markdown(sheet), target, "the invitation"):
        _say(
            f"wrote the invitation to interview {args.id} ({_readable(sheet.partner)}) to {target}"
        )
    return EXIT_OK


# -- the template -----------------------------------------------------------------------------


def _template_header(now: InForce, path: Path, db: Path | None) -> list[str]:
    """Return what the printed template says of itself, as comment lines."""
    from ictui.outputs.cli import command
    from ictui.outputs.show import person
    from ictui.text import one_line

    if now.team:
        who = person(now.changed_by) if now.changed_by else "someone"
        when = now.changed_at.astimezone().strftime("%Y-%m-%d %H:%M") if now.changed_at else "?"
        whose = [
            f"the team's own, last changed by {one_line(who)} on {when}.",
            f"`{command('interview template --reset', db)}` goes back to the defaults.",
        ]
    else:
        whose = ["the defaults that ship with ictui: the team has not stored its own."]
    return [
        f"The interview template in force in {one_line(str(path))}:",
        *whose,
        "",
        "Edit it, then store it as the team's template for the interviews planned from then on:",
        f"  {command('interview template --set FILE', db)}",
        "Questions are asked in the order written here; each [[step]] of the checklist is",
        "followed by its [[step.point]] tables. Ids are stable: keep an id when you reword its",
        "question or point, and give a new one a new id (lower-case letters, digits and _,",
        "starting with a letter). Interviews planned before keep the wording they copied.",
    ]


def _refused(name: str, problems: Iterable[FileProblem]) -> IctuiError:
    """Return the refusal of a template file: each problem on a line, with its line in the file."""
    from ictui.errors import IctuiError

    # What concerns the whole file first, then the rest in the order of its lines.
    ordered = sorted(problems, key=lambda p: (p.line is not None, p.line or 0))
    said = [f"  {name} line {p.line}: {p.message}" if p.line else f"  {name}: {p.message}"
            for p in ordered]  # fmt: skip
    return IctuiError(
        f"the template in {name} was refused; nothing was written:\n" + "\n".join(said)
    )


TEMPLATE_MOST_BYTES = 1_000_000
"""The largest template file read: many times any real one; /dev/zero is refused, not read."""


def _template_text(source: str) -> tuple[str, str]:
    """Return the text of the file --set names (- for stdin), and how to name it in messages.

    Never more than TEMPLATE_MOST_BYTES is read, from a file or from stdin.
    """
    from pathlib import Path

    from ictui.errors import IctuiError
    from ictui.outputs.cli import UsageError

    most = TEMPLATE_MOST_BYTES
    too_big = f"is larger than {most:,} bytes: not a template; nothing was written"
    if source == "-":
        text = sys.stdin.read(most + 1)
        if len(text.encode("utf-8", "surrogateescape")) > most:
            raise IctuiError(f"the template on stdin {too_big}")
        return text, "stdin"
    path = Path(source).expanduser()
    try:
        with path.open("rb") as file:
            data = file.read(most + 1)
    except OSError as error:
        raise UsageError(f"argument --set: cannot read {source}: {error.strerror}") from None
    if len(data) > most:
        raise IctuiError(f"{source} {too_big}")
    try:
        return data.decode("utf-8"), source
    except UnicodeDecodeError as error:
        raise IctuiError(
            f"{source} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); nothing was written"
        ) from None


def _changes(what: str, changes: Changes) -> list[str]:
    said = []
    for verb, ids in (
        ("added", changes.added),
        ("reworded", changes.reworded),
        ("moved", changes.moved),
        ("removed", changes.removed),
    ):
        if ids:
            said.append(f"{verb} {what}{'s' if len(ids) > 1 else ''} {', '.join(ids)}")
    return said


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def _set_template(args: argparse.Namespace) -> int:
    """Store the template in the --set file as the team's own, in one write."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.outputs.template_file import TemplateFileRefused, located, read_template
    from ictui.services.interview_template import TemplateRefused, set_template

    text, name = _template_text(args.set)
    try:
        form, lines = read_template(text)
    except TemplateFileRefused as error:
        raise _refused(name, error.problems) from None
    store = _store(args)
    new_file = not store.exists()
    try:
        saved = store.run(lambda tx: set_template(tx, form), create=True)
    except TemplateRefused as error:
        raise _refused(name, located(error.problems, lines)) from None
    if new_file:  # a mistyped --db must not go unnoticed
        _say(f"started a new team file at {store.path}")
    if not saved.changed:
        _say(f"the team's template in {store.path} says that already; nothing was written")
        return EXIT_OK
    stored = saved.template
    points = sum(len(step.points) for step in stored.checklist)
    done = [
        f"stored the team's interview template in {store.path}: "
        f"{_count(len(stored.questions), 'question')}, {_count(points, 'checklist point')} "
        f"in {_count(len(stored.checklist), 'step')}"
    ]
    if saved.was_team:
        done += _changes("question", saved.questions) + _changes("point", saved.points)
    else:
        done.append("in force instead of the defaults")
    _say("; ".join(done))
    _say("interviews planned before keep the wording they were planned with")
    return EXIT_OK


def _reset_template(args: argparse.Namespace) -> int:
    """Put the team's template aside: the defaults are in force again."""
    from ictui.outputs.cli import EXIT_OK, _say, _store
    from ictui.services.interview_template import reset_template

    store = _store(args)
    before = store.run(reset_template)
    if not before.team:
        _say(f"{store.path} has no template of its own: the defaults are in force already; "
             "nothing was written")  # fmt: skip
        return EXIT_OK
    _say(
        f"the defaults are in force again in {store.path} for the interviews planned from now "
        "on; interviews planned before keep the wording they were planned with"
    )
    return EXIT_OK


def cmd_interview_template(args: argparse.Namespace) -> int:
    """Print the template in force as TOML, or store the team's own (--set), or reset it."""
    if args.set is not None:
        return _set_template(args)
    if args.reset:
        return _reset_template(args)
    from functools import partial

    from ictui.errors import TeamFileMissing
    from ictui.outputs.cli import EXIT_OK, _given_db, _say, _store, say_unread
    from ictui.outputs.template_file import template_toml
    from ictui.services.interview_template import InForce, defaults, in_force

    store = _store(args)
    header = partial(_template_header, path=store.path, db=_given_db(args))
    try:
        snapshot = store.read()
    except TeamFileMissing:
        # Nothing stored yet: the defaults are in force, and --set starts the file.
        now = InForce(defaults(), team=False)
        sys.stdout.write(template_toml(now.template, header(now)))
        _say(f"no team file at {store.path} yet: these are the defaults")
        return EXIT_OK
    now = in_force(snapshot)
    sys.stdout.write(template_toml(now.template, header(now)))
    say_unread(snapshot)
    return EXIT_OK
