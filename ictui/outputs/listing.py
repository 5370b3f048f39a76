"""The contact-point table that `ictui list` prints (Rich, no Textual)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.vocab import Direction, Verdict
from ictui.services.stats import overall
from ictui.text import for_display, one_line

DIRECTION_MARKS = {Direction.PROVIDED: "→ them", Direction.RECEIVED: "← us"}
"""Short direction labels: the arrow shows which way the service went."""


def print_points(
    points: list[ContactPoint], partner_names: dict[int, str], out: TextIO, *, width: int | None
) -> None:
    """Print contact points as a table, with user text shown literally, and a one-line total."""
    # markup/emoji/highlight off: nothing a person typed is read as Rich markup.
    console = Console(file=out, width=width, markup=False, emoji=False, highlight=False)
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Partner", max_width=24)
    table.add_column("Way", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Why", ratio=1, min_width=20)
    table.add_column("By", max_width=14)
    for point in points:
        verdict = point.verdict
        style = "green" if verdict is Verdict.SUCCESS else "yellow"
        table.add_row(
            str(point.id),
            point.date.isoformat(),
            Text(one_line(partner_names.get(point.partner_id, f"#{point.partner_id}"))),
            DIRECTION_MARKS[point.direction],
            Text(f"{verdict.symbol} {verdict.label}", style=style),
            Text(for_display(point.why)),
            Text(one_line(point.created_by.display)),
        )
    if points:
        console.print(table)
    total = overall(points)
    console.print(
        Text(
            f"{total.total} contact point{'s' if total.total != 1 else ''}: "
            f"{total.success} {Verdict.SUCCESS.symbol} {Verdict.SUCCESS.label}, "
            f"{total.needs_improvement} {Verdict.NEEDS_IMPROVEMENT.symbol} "
            f"{Verdict.NEEDS_IMPROVEMENT.label}"
        )
    )
