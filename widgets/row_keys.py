"""Keys shared by the app's row tables."""

from __future__ import annotations

from textual.binding import Binding, BindingType

ROW_JUMPS: list[BindingType] = [
    # DataTable's own home/end scroll sideways, which a table that fits never needs.
    Binding("home", "scroll_top", "First row", show=False, id="table.first_row"),
    Binding("end", "scroll_bottom", "Last row", show=False, id="table.last_row"),
]
"""Home and End go to the first and the last row."""
