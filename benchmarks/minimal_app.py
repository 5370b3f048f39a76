"""The baseline for benchmarks/startup.py: the least a Textual app can do to show a team file.

Header + DataTable + Footer; reads the team file with json and shows the same
rows as ictui's default view (the last two weeks, newest first), in the same
columns. Run: python benchmarks/minimal_app.py TEAM_FILE [--with-kinds]

--with-kinds checks each row it shows as ictui does, with ictui's record kinds
and the pydantic-core validator built from them (and makes the author, as
ictui does before its first frame): the floor of a first frame whose rows are
checked.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class MinimalApp(App[None]):
    """Header, a table of contact points, footer."""

    BINDINGS: ClassVar = [("q", "quit", "Quit")]

    def __init__(self, path: Path, validate: Callable[[int, dict[str, Any]], object]) -> None:
        super().__init__()
        self.path = path
        self.validate = validate

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
        for day, key, p in rows:
            self.validate(key, p)
            who = p["created_by"].get("name") or p["created_by"]["account"]
            table.add_row(day, names[p["partner_id"]], p["direction"], p["verdict"], p["why"], who)


def kinds_validator() -> Callable[[int, dict[str, Any]], object]:
    """Import ictui's kinds and store, make the author: return a row's check."""
    from ictui.kinds.contact_point import ContactPoint
    from ictui.kinds.schema import schema_of
    from ictui.teamfile.identity import current_author
    from ictui.teamfile.store import Store  # noqa: F401 - imported by ictui before its first frame

    current_author()
    schema = schema_of(ContactPoint)
    return lambda key, doc: schema.read(str(key), doc)


if __name__ == "__main__":
    validators = {"--with-kinds": kinds_validator}
    choice = validators.get(sys.argv[2]) if sys.argv[2:] else None
    validate = choice() if choice else lambda key, doc: None
    MinimalApp(Path(sys.argv[1]), validate).run()
