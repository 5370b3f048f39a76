"""The guideline checklist of an interview: its steps, and points ticked by key or mouse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ictui.services.interviews import StepTicks
from ictui.text import one_line

TICKED, UNTICKED = "☑", "☐"
"""How a point shows ticked or not: a mark, readable without colour."""


def point_prompt(wording: str, ticked: bool) -> Table:
    """Return a point as the checklist shows it: its box, and its wording wrapped beside it."""
    grid = Table.grid()
    grid.add_column(width=4, no_wrap=True)
    grid.add_column(ratio=1)
    box = Text(f"  {TICKED if ticked else UNTICKED}", style="bold" if ticked else "")
    grid.add_row(box, Text(one_line(wording), style="dim" if ticked else ""))
    return grid


class Checklist(OptionList):
    """The steps of a good interview, each with points to tick: Space, Enter or a click ticks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space", "select", "Tick", tooltip="Tick the point, or untick it", id="checklist.tick"
        ),
    ]

    class Ticked(Message):
        """The person ticked a point, or unticked it."""

        def __init__(self, checklist: Checklist, tick_id: int, ticked: bool) -> None:
            self.checklist = checklist
            self.tick_id = tick_id
            self.ticked = ticked
            super().__init__()

        @property
        def control(self) -> Checklist:
            """The checklist."""
            return self.checklist

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._ticked: dict[int, bool] = {}
        self._shape: tuple[str, ...] = ()

    def show_steps(self, steps: tuple[StepTicks, ...], overrides: Mapping[int, bool]) -> None:
        """Show the steps and their points; overrides: ticks asked for and not read back yet."""
        shape = tuple(f"{step.step_id}:{','.join(str(t.id) for t in step.ticks)}" for step in steps)
        ticked = {
            tick.id: overrides.get(tick.id, tick.ticked) for step in steps for tick in step.ticks
        }
        if shape != self._shape:
            highlighted = self.highlighted
            options: list[Option] = []
            for number, step in enumerate(steps, start=1):
                title = Text(f"{number}. {one_line(step.title)}", style="bold")
                options.append(Option(title, id=f"step-{step.step_id}", disabled=True))
                options += [
                    Option(point_prompt(t.point, ticked[t.id]), id=str(t.id)) for t in step.ticks
                ]
            self.set_options(options)
            self._shape = shape
            if highlighted is not None and highlighted < self.option_count:
                self.highlighted = highlighted
            elif self.option_count > 1:
                self.highlighted = 1
        else:
            words = {t.id: t.point for step in steps for t in step.ticks}
            for tick_id, now in ticked.items():
                if self._ticked.get(tick_id) != now:
                    self.replace_option_prompt(str(tick_id), point_prompt(words[tick_id], now))
        self._ticked = ticked

    @property
    def done(self) -> int:
        """How many points show ticked."""
        return sum(self._ticked.values())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter, Space or a click on a point: tick it, or untick it."""
        event.stop()
        option_id = event.option.id
        if option_id is None or not option_id.isdigit():
            return
        tick_id = int(option_id)
        self.post_message(self.Ticked(self, tick_id, not self._ticked.get(tick_id, False)))
