"""The app's screens, in one list: their keys, their names, and where their code is.

Each place is a screen reachable from anywhere: by its key (1, 2, …), from the
command palette, and from the help. A screen's module, and so its stylesheet
and the code of its kinds, is imported on its first visit, not at start; the
home screen is the exception, being the first thing drawn.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen


@dataclass(frozen=True)
class Place:
    """A screen of the app: its key, its id (a mode of the app), title and what it is for."""

    key: str
    id: str
    title: str
    summary: str
    module: str
    """The module that holds the screen, imported on the first visit."""
    screen: str
    """The screen's class, in that module."""

    def load(self) -> type[Screen[Any]]:
        """Return the screen's class, importing its module if this is the first visit."""
        loaded: type[Screen[Any]] = getattr(importlib.import_module(self.module), self.screen)
        return loaded

    def open(self) -> Screen[Any]:
        """Return a new screen of this place."""
        return self.load()()


PLACES: list[Place] = [
    Place(
        "1",
        "contacts",
        "Contact points",
        "The log of critical contact points with partners",
        "ictui.screens.contact_points",
        "ContactPointsScreen",
    ),
    Place(
        "2",
        "interviews",
        "Interviews",
        "Interviews with partners: plan them, fill in the worksheet during the talk",
        "ictui.screens.interviews",
        "InterviewsScreen",
    ),
    Place(
        "3",
        "standards",
        "Standards",
        "Standards and partnering rules agreed with partners: check them in, see them kept",
        "ictui.screens.standards",
        "StandardsScreen",
    ),
    Place(
        "4",
        "debriefs",
        "Debriefs",
        "Recaps of held interviews for co-workers: good news first, balanced, then held",
        "ictui.screens.debriefs",
        "DebriefsScreen",
    ),
    Place(
        "5",
        "partners",
        "Partners",
        "The partner map: who the team serves and relies on, how much each matters, its needs",
        "ictui.screens.partners",
        "PartnersScreen",
    ),
]
"""Every screen reachable from anywhere, in key order; the first is where the app opens."""

SCREENS = Binding.Group("Screens", compact=True)
"""The screens' keys, shown together in the footer."""


def home() -> Place:
    """Return the screen the app opens on."""
    return PLACES[0]


def place_named(place_id: str) -> Place:
    """Return a place by its id; KeyError if there is none."""
    for place in PLACES:
        if place.id == place_id:
            return place
    raise KeyError(place_id)


def place_bindings() -> list[BindingType]:
    """Return a key for each place; shown in the footer once there is more than one."""
    shown = len(PLACES) > 1
    return [
        Binding(
            place.key,
            f"go('{place.id}')",
            place.title,
            show=shown,
            tooltip=place.summary,
            id=f"go.{place.id}",
            group=SCREENS,
        )
        for place in PLACES
    ]


@contextmanager
def registered(*places: Place) -> Iterator[None]:
    """Add places for the length of a block: for tests and tools."""
    PLACES.extend(places)
    try:
        yield
    finally:
        for place in places:
            PLACES.remove(place)
