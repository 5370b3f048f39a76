"""The filters over the contact points: period, partner, verdict and direction."""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Select

from ictui.kinds.vocab import Direction, Verdict
from ictui.services.stats import (
    DEFAULT_PERIOD,
    PERIODS,
    PointFilter,
    describe_range,
    name_range,
    period_named,
)
from ictui.text import one_line

if TYPE_CHECKING:
    from ictui.kinds.contact_point import ContactPoint

CUSTOM = "custom"
"""The period option that asks for a range of dates."""
IN_USE = "range"
"""The period option that is the range of dates in use, named by its dates."""
ANY = "any"
"""The option meaning "no filter" in the partner, verdict and direction choices."""


@dataclass(frozen=True)
class Filters:
    """What the person chose in the filter bar."""

    period: str = DEFAULT_PERIOD.key
    since: dt.date | None = None
    until: dt.date | None = None
    partner_id: int | None = None
    verdict: Verdict | None = None
    direction: Direction | None = None
    text: str = ""
    """Words searched for in reasons and partner names (any case); empty: no search."""

    def point_filter(self, today: dt.date) -> PointFilter:
        """Return the filter these choices mean on the given day."""
        if self.period == CUSTOM:
            since, until = self.since, self.until
        else:
            since, until = period_named(self.period).bounds(today)
        return PointFilter(since, until, self.partner_id, self.verdict, self.direction)

    def period_label(self) -> str:
        """Return the period in words."""
        if self.period == CUSTOM:
            return describe_range(self.since, self.until)
        return period_named(self.period).label


def filters_showing(filters: Filters, point: ContactPoint, today: dt.date) -> Filters:
    """Return filters widened just enough to let a contact point through.

    The period becomes the shortest one offered that reaches back to its date
    (a range, if it lies ahead); a partner, verdict or way that leaves it out is
    cleared; the rest stay as chosen.
    """
    where = filters.point_filter(today)
    if where.partner_id not in (None, point.partner_id):
        filters = replace(filters, partner_id=None)
    if where.verdict not in (None, point.verdict):
        filters = replace(filters, verdict=None)
    if where.direction not in (None, point.direction):
        filters = replace(filters, direction=None)
    since, until = where.since, where.until
    if (since is None or point.date >= since) and (until is None or point.date <= until):
        return filters
    if point.date > today:
        start = min(since or point.date, today)
        return replace(filters, period=CUSTOM, since=start, until=point.date)
    for period in PERIODS:
        begins, _ = period.bounds(today)
        if begins is None or point.date >= begins:
            return replace(filters, period=period.key, since=None, until=None)
    return replace(filters, period=PERIODS[-1].key, since=None, until=None)


class FilterBar(Horizontal):
    """Four compact choices in one line; says what changed with a message."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        width: 1fr;
    }
    FilterBar > Select {
        width: 1fr;
        margin-right: 1;
    }
    FilterBar > #partner { min-width: 16; }
    /* The list may be wider than its choice: a partner's name on one line. */
    FilterBar > Select > SelectOverlay { width: auto; min-width: 100%; max-width: 40; }
    """

    filters: reactive[Filters] = reactive(Filters, init=False, always_update=True)
    """The choices shown; the screen sets it, e.g. after a custom range is picked."""
    partners: reactive[dict[int, str]] = reactive(dict, init=False, always_update=True)
    """The partners to offer, by id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._offered: tuple[tuple[int, str], ...] | None = None
        self._ready = False
        self._adding = False
        self._added = asyncio.Event()
        self._settled = False  # the app is closing: no choices are added any more
        self._focus_when_ready = False
        self._labels: dict[str, dict[str, str]] = {}  # each choice's options' labels, by value

    class Changed(Message):
        """The person changed a filter."""

        def __init__(self, filters: Filters) -> None:
            self.filters = filters
            super().__init__()

    class RangeWanted(Message):
        """The person chose "Custom range…": the screen should ask for the dates."""

    _mounted: ClassVar[weakref.WeakSet[FilterBar]] = weakref.WeakSet()

    def on_mount(self) -> None:
        """Add the choices in half a second anyway: a terminal too small to show the table."""
        FilterBar._mounted.add(self)
        self.set_timer(0.5, self.add_choices)

    def on_unmount(self) -> None:
        """Gone: nothing to settle before the app closes."""
        FilterBar._mounted.discard(self)

    @classmethod
    def mounted(cls) -> list[FilterBar]:
        """Return the filter bars mounted now, on any screen of any mode."""
        return list(cls._mounted)

    def add_choices(self) -> None:
        """Add the four choices, once: the screen calls this when its table is drawn.

        Four Selects take about a tenth of a second to mount, and the table
        matters first; the bar keeps its line meanwhile, so nothing moves.
        """
        if not self._adding and not self._settled:
            self._adding = True
            self.call_after_refresh(self._add_choices)

    async def _add_choices(self) -> None:
        try:
            if self._settled:
                return
            await self.mount_all(self._choices())
        finally:
            self._added.set()
        if not self.children:  # the bar is being removed: the app is closing
            return
        self._ready = True
        self.watch_partners(self.partners)
        self.watch_filters(self.filters)
        if self._focus_when_ready:
            self.focus_first()

    async def settle(self) -> None:
        """Add no choices from now on (the app is closing); return once any on their way are in.

        A Select closed while it mounts fails in Textual, so leaving waits for this.
        """
        self._settled = True
        if self._adding:
            await self._added.wait()

    def focus_first(self) -> None:
        """Move to the first choice, once there is one."""
        if self._ready:
            # At once, not after the keys already queued: see ContactPointsScreen.
            self.screen.set_focus(self.query_one("#period", Select))
        else:
            self._focus_when_ready = True
            self.add_choices()

    @staticmethod
    def _periods(filters: Filters) -> list[tuple[str | Text, str]]:
        """The period options: the ranges by name, the range in use if any, and a new range.

        The range in use is an option of its own, so that choosing "Custom range…"
        again is a change, which opens the dates to change them.
        """
        options: list[tuple[str | Text, str]] = [(p.label, p.key) for p in PERIODS]
        if filters.period == CUSTOM:
            name = Text(name_range(filters.since, filters.until), no_wrap=True, overflow="ellipsis")
            options.append((name, IN_USE))
        return [*options, ("Custom range…", CUSTOM)]

    def _offer(
        self, select_id: str, options: list[tuple[str | Text, str]]
    ) -> list[tuple[str | Text, str]]:
        """Remember the options' labels, to fit the choice to the one shown."""
        self._labels[select_id] = {value: str(label) for label, value in options}
        return options

    def _fit(self) -> None:
        """Give period, verdict and way the width of what they show; the partner the rest.

        A choice sized for its longest option would cut the partner's name
        at 80 columns; one sized for what it shows leaves the most for it.
        """
        for select in self.query(Select):
            if select.id == "partner" or select.id is None:
                continue
            label = self._labels.get(select.id, {}).get(str(select.value), "")
            select.styles.width = cell_len(label) + 4  # the arrow and a cell each side

    def _choices(self) -> ComposeResult:
        yield Select(
            self._offer("period", self._periods(self.filters)),
            value=IN_USE if self.filters.period == CUSTOM else self.filters.period,
            allow_blank=False,
            compact=True,
            id="period",
        )
        yield Select(
            [("All partners", ANY)], value=ANY, allow_blank=False, compact=True, id="partner"
        )
        verdicts: list[tuple[str | Text, str]] = [("All verdicts", ANY)]
        verdicts += [(f"{v.symbol} {v.label}", v.value) for v in Verdict]
        verdicts = self._offer("verdict", verdicts)
        yield Select(verdicts, value=ANY, allow_blank=False, compact=True, id="verdict")
        ways: list[tuple[str | Text, str]] = [("Both ways", ANY)]
        ways = self._offer("direction", ways + [(d.label, d.value) for d in Direction])
        yield Select(ways, value=ANY, allow_blank=False, compact=True, id="direction")

    def watch_partners(self, partners: dict[int, str]) -> None:
        """Offer the current partners, keeping the one chosen if it is still there."""
        if not self._ready:
            return
        select: Select[str] = self.query_one("#partner", Select)
        options = sorted(partners.items(), key=lambda item: item[1].casefold())
        offered = tuple(options)
        if offered == self._offered:
            return
        self._offered = offered
        chosen = self.filters.partner_id
        # Setting options and value posts Select.Changed; they are not the person's choice.
        with self.prevent(Select.Changed):
            select.set_options(
                [("All partners", ANY)]
                + [(Text(one_line(name)), str(pid)) for pid, name in options]
            )
            select.value = str(chosen) if chosen in partners else ANY
        if chosen is not None and chosen not in partners:
            new = replace(self.filters, partner_id=None)
            self.set_reactive(FilterBar.filters, new)
            self.post_message(self.Changed(new))

    def watch_filters(self, filters: Filters) -> None:
        """Show the given choices."""
        if not self._ready:
            return
        period = self.query_one("#period", Select)
        with self.prevent(Select.Changed):
            # Set afresh every time, so that a cancelled "Custom range…" shows what is in use.
            period.set_options(self._offer("period", self._periods(filters)))
            period.value = IN_USE if filters.period == CUSTOM else filters.period
            partner = str(filters.partner_id) if filters.partner_id is not None else ANY
            if filters.partner_id is not None and filters.partner_id not in self.partners:
                partner = ANY
            self.query_one("#partner", Select).value = partner
            verdict = filters.verdict.value if filters.verdict else ANY
            self.query_one("#verdict", Select).value = verdict
            direction = filters.direction.value if filters.direction else ANY
            self.query_one("#direction", Select).value = direction
        self._fit()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Turn a changed choice into new filters."""
        event.stop()
        value = str(event.value)
        chosen = None if value == ANY else value
        current = self.filters
        if event.select.id == "period":
            if value == CUSTOM:
                self.post_message(self.RangeWanted())
                return
            if value == IN_USE:
                return
            new = replace(current, period=value, since=None, until=None)
        elif event.select.id == "partner":
            new = replace(current, partner_id=int(chosen) if chosen else None)
        elif event.select.id == "verdict":
            new = replace(current, verdict=Verdict(chosen) if chosen else None)
        else:
            new = replace(current, direction=Direction(chosen) if chosen else None)
        self._fit()
        if new != current:
            self.set_reactive(FilterBar.filters, new)
            self.post_message(self.Changed(new))
