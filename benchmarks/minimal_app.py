"""The baseline for benchmarks/startup.py: the least a Textual app can do to show a team file.

Header + DataTable + Footer; reads the team file with json and shows the same
rows as ictui's default view (the last two weeks, newest first), in the same
columns. Run: python benchmarks/minimal_app.py TEAM_FILE
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class MinimalApp(App[None]):
    """Header, a table of contact points, footer."""

    BINDINGS: ClassVar = [("q", "quit", "Quit")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        """Lay out the three widgets."""
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Read the file and fill the table."""
        data = json.loads(self.path.read_bytes())
        names = {int(k): v["name"] for k, v in data["partners"].items()}
        since = (dt.date.today() - dt.timedelta(days=13)).isoformat()
        rows = sorted(
            (
                (p["date"], int(k), p)
                for k, p in data["contact_points"].items()
                if p["date"] >= since and not p.get("deleted")
            ),
            reverse=True,
        )
        table = self.query_one(DataTable)
        table.add_columns("Date", "Partner", "Way", "Verdict", "Why", "By")
        for day, _, p in rows:
            who = p["created_by"].get("name") or p["created_by"]["account"]
            table.add_row(day, names[p["partner_id"]], p["direction"], p["verdict"], p["why"], who)


if __name__ == "__main__":
    MinimalApp(Path(sys.argv[1])).run()
