"""What `ictui list` prints: a table fitted to the terminal, or one record per line for scripts.

Nothing is ever cut. Piped or redirected, each contact point is one line
(tab-separated, or CSV), written as it goes. On a terminal the columns fit
the width: the reason wraps and gives way first, then the verdict, partner
and author wrap too; a terminal too narrow for columns gets one block per
record. Widths come from the first rows only, so printing starts at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, JustifyMethod, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Verdict
from ictui.outputs.export import table_rows, write_csv, write_tsv
from ictui.outputs.show import person
from ictui.services.stats import Tally
from ictui.teamfile.snapshot import Snapshot
from ictui.text import for_display, one_line

FORMATS = ("table", "tsv", "csv")
"""How `ictui list` writes: a table for people, tab-separated or CSV lines for programs."""

SAMPLE = 500
"""How many rows the table's column widths are measured on."""

CHUNK = 200
"""Rows printed per table: each is printed once laid out, so output starts at once."""

GAP = 2
"""Blank cells between two columns."""


def _longest_word(values: Iterable[str]) -> int:
    return max((cell_len(word) for value in values for word in value.split()), default=1)


def _cells(point: ContactPoint, names: dict[int, str]) -> list[str]:
    return [
        str(point.id),
        point.date.isoformat(),
        one_line(names.get(point.partner_id, f"#{point.partner_id}")),
        point.direction.short,
        f"{point.verdict.symbol} {point.verdict.label}",
        for_display(point.why),
        person(point.created_by),
    ]


HEADERS = ("ID", "Date", "Partner", "Way", "Verdict", "Why", "By")
WHY = HEADERS.index("Why")
# Which columns give way when the terminal is narrow, in turn: what each may wrap to.
GIVES_WAY = ("By", "Partner", "Verdict")
WHY_ROOMY, WHY_LEAST = 30, 16


def fit(rows: Sequence[list[str]], width: int) -> list[int] | None:
    """Return the width of each column for a table this wide, or None if columns cannot fit.

    The reason takes what is left; below a roomy width, the author, then the
    partner, then the verdict wrap to make room, never below their longest word.
    """
    columns = list(zip(HEADERS, *rows, strict=False)) if rows else [(h,) for h in HEADERS]
    natural = [max(cell_len(cell) for cell in column) for column in columns]
    natural[HEADERS.index("Partner")] = min(natural[HEADERS.index("Partner")], 32)
    natural[HEADERS.index("By")] = min(natural[HEADERS.index("By")], 20)
    least = [
        min(n, max(cell_len(c[0]), _longest_word(c[1:]), 8))
        for n, c in zip(natural, columns, strict=True)
    ]
    widths = natural.copy()
    gaps = GAP * (len(HEADERS) - 1)

    def room() -> int:
        return width - gaps - sum(w for i, w in enumerate(widths) if i != WHY)

    for name in GIVES_WAY:
        if room() >= WHY_ROOMY:
            break
        index = HEADERS.index(name)
        narrower = max(least[index], widths[index] - (WHY_ROOMY - room()))
        # A verdict is read whole or as mark and words on two lines, never cut mid-way.
        widths[index] = least[index] if name == "Verdict" else narrower
    for name in ("Partner", "By"):  # what the verdict gave beyond the need goes back
        index = HEADERS.index(name)
        widths[index] = min(natural[index], widths[index] + max(0, room() - WHY_ROOMY))
    if room() < WHY_LEAST:
        return None
    widths[WHY] = room()
    return widths


def _table(widths: list[int], *, header: bool) -> Table:
    # One cell of padding each side, none at the edges: GAP cells between columns.
    table = Table(box=None, padding=(0, GAP // 2), pad_edge=False, show_header=header)
    for name, size in zip(HEADERS, widths, strict=True):
        justify: JustifyMethod = "right" if name == "ID" else "left"
        table.add_column(name, width=size, justify=justify, overflow="fold", header_style="bold")
    return table


def _styled(index: int, cell: str) -> Text:
    text = Text(cell)
    if HEADERS[index] == "Verdict":
        text.stylize("green" if cell.startswith(Verdict.SUCCESS.symbol) else "yellow")
    return text


class _Console(Console):
    """Rich's console, leaving a reader that went away (`| head`) to the command line.

    Rich exits with status 1 there; ictui treats it as the end of the output.
    """

    def on_broken_pipe(self) -> None:
        """Say the reader went away, as a plain write to a closed pipe does."""
        raise BrokenPipeError

    def put(self, shown: RenderableType) -> None:
        """Print; to a file or a pipe, without the spaces that pad each line to the width.

        A table's cells are padded to their column's width: on a terminal that
        is nothing, in a file every line would end in spaces.
        """
        if self.is_terminal:
            self.print(shown)
            return
        with self.capture() as captured:
            self.print(shown)
        self.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def print_table(
    points: Iterable[ContactPoint], names: dict[int, str], out: TextIO, *, width: int
) -> Tally:
    """Print contact points as a table fitted to width, rows as they come; return their tally."""
    # markup/emoji/highlight off: nothing a person typed is read as Rich markup.
    console = _Console(
        file=out, width=width, markup=False, emoji=False, highlight=False, soft_wrap=False
    )
    stream = iter(points)
    first = list(islice(stream, SAMPLE))
    widths = fit([_cells(p, names) for p in first], width)
    total = Tally()
    batch: list[ContactPoint] = []
    printed_header = False
    for point in (*first, *stream):
        total = total.plus(point.verdict)
        batch.append(point)
        if len(batch) == CHUNK:
            _print_batch(console, batch, names, widths, header=not printed_header)
            printed_header, batch = True, []
    if batch:
        _print_batch(console, batch, names, widths, header=not printed_header)
    console.put(Text(_summary(total)))
    return total


def _print_batch(
    console: _Console,
    points: list[ContactPoint],
    names: dict[int, str],
    widths: list[int] | None,
    *,
    header: bool,
) -> None:
    if widths is None:  # too narrow for columns: one block per record
        for point in points:
            cells = _cells(point, names)
            console.put(Text(f"{cells[0]}  {cells[1]}  {cells[4]}  {cells[3]}"))
            for line in (f"{cells[2]} · {cells[6]}", cells[5]):
                console.put(Padding(Text(line, overflow="fold"), (0, 0, 0, 2)))
        return
    table = _table(widths, header=header)
    for point in points:
        table.add_row(*(_styled(i, cell) for i, cell in enumerate(_cells(point, names))))
    console.put(table)


def _summary(total: Tally) -> str:
    return (
        f"{total.total} contact point{'s' if total.total != 1 else ''}: "
        f"{total.success} {Verdict.SUCCESS.symbol} {Verdict.SUCCESS.label}, "
        f"{total.needs_improvement} {Verdict.NEEDS_IMPROVEMENT.symbol} "
        f"{Verdict.NEEDS_IMPROVEMENT.label}"
    )


def write_lines(snapshot: Snapshot, points: Iterable[ContactPoint], out: TextIO, form: str) -> None:
    """Write contact points one per line, as export's CSV columns: tab-separated or CSV."""
    rows = table_rows(snapshot, ContactPoint, points)
    (write_csv if form == "csv" else write_tsv)(rows, out)
