"""Keys shared by the app's row tables."""

from __future__ import annotations

from textual.binding import Binding, BindingType

ROW_JUMPS: list[BindingType] = [
    # DataTable's own home/end scroll sideways, which a table that fits never needs.
    # Ctrl as well: what spreadsheets and editors use to go to the very top or end.
    Binding("home,ctrl+home", "scroll_top", "First row", show=False, id="table.first_row"),
    Binding("end,ctrl+end", "scroll_bottom", "Last row", show=False, id="table.last_row"),
]
"""Home and End (or with Ctrl) go to the first and the last row."""
