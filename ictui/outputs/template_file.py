"""The interview template as a file that people edit: TOML, written by ictui and read back.

`ictui interview template` prints the template in force in this form and
`--set FILE` reads it back, so that a team edits its template in any editor::

    [[question]]
    id = "needs"
    wording = "What do you need from us to do your job well?"

    [[step]]
    id = "prepare"
    title = "Prepare"

    [[step.point]]
    id = "prepare_time"
    wording = "Agree a time that suits you both"

Questions are asked in the order written; each ``[[step]]`` of the checklist
is followed by its ``[[step.point]]`` tables. Reading is tomllib's; writing is
by hand, as the form is this small. What is wrong is said by line: tomllib
says where the syntax breaks, and the template's own problems (an id that is
not one, a wording left empty) are found on the line of the key at fault.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ictui.errors import IctuiError
from ictui.services.interview_template import (
    WHOLE,
    Place,
    Point,
    Question,
    Step,
    Template,
    TemplateProblem,
)

QUESTION_KEYS = ("id", "wording")
STEP_KEYS = ("id", "title", "point")
POINT_KEYS = ("id", "wording")


# -- writing ---------------------------------------------------------------------------------------

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: str) -> str:
    """Return text as a TOML basic string that reads back the same, safe to show on a terminal.

    Whatever a terminal could take for a command, or draw out of order (control
    characters, bidi overrides), is written as an escape instead.
    """
    out = ['"']
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif 0xD800 <= ord(char) < 0xE000:
            out.append("\\ufffd")  # TOML cannot hold a lone surrogate; cleaned text has none
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def template_toml(template: Template, header: Sequence[str] = ()) -> str:
    """Return a template in the form people edit and `--set` reads, under header's comments."""
    lines = [f"# {line}".rstrip() for line in header]
    for question in template.questions:
        lines += ["", "[[question]]", f"id = {toml_string(question.id)}"]
        lines.append(f"wording = {toml_string(question.wording)}")
    for step in template.checklist:
        lines += ["", "[[step]]", f"id = {toml_string(step.id)}"]
        lines.append(f"title = {toml_string(step.title)}")
        for point in step.points:
            lines += ["", "[[step.point]]", f"id = {toml_string(point.id)}"]
            lines.append(f"wording = {toml_string(point.wording)}")
    if lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) + "\n"


# -- where things are in a file --------------------------------------------------------------------

_ARRAY_HEADER = re.compile(r"\s*\[\[([^\[\]]*)\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(r"\s*\[([^\[\]]*)\]\s*(?:#.*)?$")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*[=.]")

Spot = tuple[str, int, int, str]
"""A part of a template and one of its keys, as a Place holds them: part, number, step, key."""


@dataclass
class Lines:
    """Where the parts of a template, and their keys, are in the file it was read from.

    Found by a light scan of the lines, not by the TOML parser (tomllib says
    where syntax breaks, not where a value was): it holds for templates
    written as ictui prints them, and says nothing rather than something
    wrong when a file is laid out otherwise.
    """

    spots: dict[Spot, int] = field(default_factory=dict)
    top: dict[str, int] = field(default_factory=dict)
    """The lines of the file's top-level keys and tables, by name."""

    def of(self, place: Place) -> int | None:
        """Return the line a place is on (its key's, else its part's), or None if unknown."""
        if not place.part:
            return None
        spot = (place.part, place.number, place.step, place.key)
        return self.spots.get(spot) or self.spots.get((*spot[:3], ""))


def _toggles_multiline(line: str) -> bool:
    """Whether a line opens or closes a multi-line string, whose lines are not keys or tables."""
    return (line.count('"""') + line.count("'''")) % 2 == 1


def find_lines(text: str, template: Template) -> Lines:
    """Return where template's parts are in text, the file it was read from."""
    lines = Lines()
    questions = steps = 0
    points: dict[int, int] = {}
    here: Spot | None = None
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if inside:
            inside = not _toggles_multiline(line)
            continue
        inside = _toggles_multiline(line)
        header = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
        if header is not None:
            name = re.sub(r"\s+", "", header[1])
            if name == "question" and header.re is _ARRAY_HEADER:
                questions += 1
                here = ("question", questions, 0, "")
            elif name == "step" and header.re is _ARRAY_HEADER:
                steps += 1
                points[steps] = 0
                here = ("step", steps, 0, "")
            elif name == "step.point" and header.re is _ARRAY_HEADER and steps:
                points[steps] += 1
                here = ("point", points[steps], steps, "")
            else:
                lines.top.setdefault(name.split(".")[0].strip("\"'"), number)
                here = None
                continue
            lines.spots.setdefault(here, number)
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        if here is None:
            lines.top.setdefault(key[1], number)
        else:
            lines.spots.setdefault((*here[:3], key[1]), number)
    shape = (len(template.questions), [len(step.points) for step in template.checklist])
    if (questions, [points[n] for n in range(1, steps + 1)]) != shape:
        return Lines()  # laid out some other way: better no line than a wrong one
    return lines


# -- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    """Something wrong in a template file, and the line it is on (None: the file as a whole)."""

    line: int | None
    message: str


class TemplateFileRefused(IctuiError):
    """A template file was refused: each problem with its line."""

    def __init__(self, problems: Iterable[FileProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def located(problems: Iterable[TemplateProblem], lines: Lines) -> list[FileProblem]:
    """Return a template's problems, each with the line it is on in the file."""
    return [FileProblem(lines.of(p.place), str(p)) for p in problems]


_TOML_WHERE = re.compile(r"(.*) \(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"(.*) \(at end of document\)$")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time" if not isinstance(value, str) else "text"


class _Reader:
    """Turns a parsed TOML document into a template, noting what does not fit where it is."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.problems: list[tuple[Place, str]] = []

    def tables(self, document: dict[str, Any], key: str, place: Place) -> list[dict[str, Any]]:
        """Return the tables under key (none if absent), noting it if they are something else."""
        value = document.get(key, [])
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            return value
        header = "[[step.point]]" if key == "point" else f"[[{key}]]"
        self.problems.append(
            (place.at(key), f"{key} must be written as {header} tables, not {_kind_of(value)}")
        )
        return []

    def text(self, table: dict[str, Any], key: str, place: Place) -> str:
        """Return a table's text under key ("" if absent: the template's check says so)."""
        value = table.get(key, "")
        if isinstance(value, str):
            return value
        self.problems.append(
            (place.at(key), f"{key} must be text in quotes, not {_kind_of(value)}")
        )
        return ""

    def only(self, table: dict[str, Any], keys: Sequence[str], place: Place) -> None:
        """Note each key of table that is not one of keys."""
        for key in table:
            if key not in keys:
                what = f"a {place.part}" if place.part else "a template"
                said = f"{key} is not part of {what}: it holds {_HOLDS[place.part]}"
                self.problems.append((place.at(key), said))


_HOLDS = {
    "": "[[question]] and [[step]] tables",
    "question": "id and wording",
    "step": "id, title and its [[step.point]] tables",
    "point": "id and wording",
}
"""What each part of a template holds, for messages."""


def read_template(text: str) -> tuple[Template, Lines]:
    """Return the template a file holds, and where its parts are; refuse what is no template.

    TemplateFileRefused names each problem of syntax or shape, with its line;
    the template itself (its ids, its wording) is checked when it is stored.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        said = str(error)
        where = _TOML_WHERE.match(said)
        if where is not None:
            problem = FileProblem(int(where[2]), f"is not TOML: {where[1]} (column {where[3]})")
        else:
            end = _TOML_END.match(said)
            problem = FileProblem(None, f"is not TOML: {end[1] if end else said} (at its end)")
        raise TemplateFileRefused([problem]) from None
    reader = _Reader(Lines())
    reader.only(document, ("question", "step"), WHOLE)
    questions = []
    for number, table in enumerate(reader.tables(document, "question", WHOLE), start=1):
        place = Place("question", number)
        reader.only(table, QUESTION_KEYS, place)
        questions.append(
            Question(reader.text(table, "id", place), reader.text(table, "wording", place))
        )
    steps = []
    for number, table in enumerate(reader.tables(document, "step", WHOLE), start=1):
        place = Place("step", number)
        reader.only(table, STEP_KEYS, place)
        points = []
        for index, point in enumerate(reader.tables(table, "point", place), start=1):
            at = Place("point", index, number)
            reader.only(point, POINT_KEYS, at)
            points.append(Point(reader.text(point, "id", at), reader.text(point, "wording", at)))
        steps.append(
            Step(reader.text(table, "id", place), reader.text(table, "title", place), tuple(points))
        )
    template = Template(tuple(questions), tuple(steps))
    lines = find_lines(text, template)
    if reader.problems:
        raise TemplateFileRefused(list(_file_problems(reader.problems, lines)))
    return template, lines


def _file_problems(problems: Iterable[tuple[Place, str]], lines: Lines) -> Iterator[FileProblem]:
    for place, message in problems:
        if place.part:
            yield FileProblem(lines.of(place), f"{place}: {message}")
        else:  # a key at the top of the file
            yield FileProblem(lines.top.get(place.key), message)
