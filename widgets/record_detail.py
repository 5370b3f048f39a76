"""One record in full, beside its table: what a row cuts short, scrolled when it is long."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ictui.kinds.record import R


class RecordDetail(Static, Generic[R]):
    """Shows one record in full, or a hint when there is none; a kind's detail says how."""

    # At least as tall as its panel: then moving between records that fit changes
    # no height, and so lays nothing out (beside the table, nor does the tally jump).
    DEFAULT_CSS = """
    RecordDetail {
        height: auto;
        min-height: 100%;
    }
    """

    # Drawn again by redraw, which lays the screen out again only when the
    # text's height changed: a layout draws every widget on the screen again,
    # which was a large part of what each arrow key in a table cost.
    record: reactive[Any] = reactive(None, repaint=False)
    """The record to show, set by the screen."""
    names: reactive[Mapping[int, str]] = reactive(dict, repaint=False)
    """The names of the records it points at (partners, say), by id."""
    hint: reactive[str] = reactive("", repaint=False)
    """What to say when no record is selected: why the table is empty, say."""

    def watch_record(self) -> None:
        """Draw the record given."""
        self.redraw()

    def watch_names(self) -> None:
        """Draw the names given."""
        self.redraw()

    def watch_hint(self) -> None:
        """Draw the hint given."""
        self.redraw()

    def redraw(self) -> None:
        """Draw again (what is shown changed); lay the screen out only if the height did."""
        self.refresh()
        width = self.content_size.width
        if not width:
            self.refresh(layout=True)
            return
        # Against the height laid out now, not one measured before: a resize or
        # a scrollbar coming or going changes the width without a redraw.
        height = self.get_content_height(self.size, self.app.size, width)
        panel = self.parent
        if isinstance(panel, Widget):  # a short record fills its panel (min-height: 100%)
            height = max(height, panel.scrollable_content_region.height)
        if height != self.content_size.height:
            self.refresh(layout=True)  # the scrolling panel around it needs to know

    def describe(self, record: R) -> Text:
        """Return the record in full, as text that is never read as markup."""
        raise NotImplementedError

    def render(self) -> Text:
        """Draw the record, or the hint when there is none."""
        if self.record is None:
            return Text(self.hint, style="dim")
        return self.describe(self.record)


class DetailPanel(VerticalScroll):
    """A detail in a scrolling panel that starts each new record from the top."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The screen's own history key, offered here in the footer where there is room.
        Binding("h", "screen.history", "History", tooltip="Earlier versions", id="detail.history"),
    ]

    def __init__(self, detail: RecordDetail[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detail = detail

    def compose(self) -> ComposeResult:
        """Hold the detail."""
        yield self.detail

    def show(self, record: Any, names: Mapping[int, str]) -> None:
        """Show a record (None for none), from the top if it is another one than before."""
        shown = self.detail.record
        if (record and record.id) != (shown and shown.id):
            self.scroll_home(animate=False)
        self.detail.names = names
        self.detail.record = record
