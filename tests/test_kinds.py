"""Every kind of the registry, checked from its one declaration: no kind is listed by hand here.

Values are drawn from each field's own declaration (its type, limits and
choices), so a new kind or field is covered the moment it is registered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import ValidationError

from ictui.errors import InvalidInput
from ictui.kinds import registry
from ictui.kinds.fields import Check, InputCheck, Label, Refers, Text, Whole
from ictui.kinds.record import Record
from ictui.kinds.schema import (
    MISSING,
    RECORD_SPECS,
    FieldSpec,
    field_specs,
    jsonable,
    schema_of,
)
from ictui.teamfile import fileformat

from .conftest import HOSTILE, TODAY

KINDS = list(registry.KINDS)
META = {
    "rev": 2,
    "created_by": {"account": "alice", "name": "Alice Adams"},
    "created_at": "2026-11-20T09:00:00Z",
    "updated_by": {"account": "bob"},
    "updated_at": "2026-11-20T10:00:00+01:00",
    "deleted": False,
}
ODD: st.SearchStrategy[object] = st.sampled_from(
    [None, "", "   ", "x" * 5000, "\x1b[2J", *HOSTILE, 0, -1, 2.5, "7", True, [], ["speed"],
     {}, "2026-02-30", "1999-12-31", "maybe", "success", "provided", "partner"]
)  # fmt: skip
"""Values that are wrong for most fields and right for some."""


def value_of(annotation: Any, markers: tuple[object, ...]) -> st.SearchStrategy[Any]:
    """Return values that a field so declared may hold (text may still need cleaning)."""
    inner = getattr(annotation, "__metadata__", None)
    if inner is not None:
        return value_of(get_args(annotation)[0], (*markers, *inner))
    origin = get_origin(annotation)
    if origin is tuple:
        return st.lists(value_of(get_args(annotation)[0], ()), max_size=4).map(tuple)
    args = get_args(annotation)
    if type(None) in args:
        other = next(arg for arg in args if arg is not type(None))
        return st.none() | value_of(other, markers)
    text = next((m for m in markers if isinstance(m, Text)), None)
    if annotation is str and text is not None:
        size = st.text(min_size=text.minimum, max_size=min(text.maximum, 200))
        return size.filter(lambda s: len(s.strip()) >= text.minimum)
    if annotation is int:
        whole = next((m for m in markers if isinstance(m, Whole)), Whole())
        low = 1 if any(isinstance(m, Refers) for m in markers) else whole.minimum
        return st.integers(min_value=low, max_value=whole.maximum)
    if annotation is bool:
        return st.booleans()
    if annotation is dt.date:
        return st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from(list(annotation))
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        fields = {spec.name: value_of(spec.type, spec.markers) for spec in field_specs(annotation)}
        return st.fixed_dictionaries(fields)
    raise AssertionError(f"no values for {annotation!r}: teach value_of this type")


def own_values(kind: type[Record]) -> st.SearchStrategy[dict[str, Any]]:
    """Return values for every own field of a kind, each within its declaration."""
    fields = schema_of(kind).fields
    return st.fixed_dictionaries({spec.name: value_of(spec.type, spec.markers) for spec in fields})


def stored(values: dict[str, Any]) -> dict[str, Any]:
    """Return checked values with the store's fields, as JSON holds them."""
    document: dict[str, Any] = json.loads(json.dumps({**values, **META}, default=str))
    return document


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.TABLE)
def test_every_field_is_declared_whole(kind: type[Record]) -> None:
    schema = schema_of(kind)
    assert schema.fields, "a kind holds at least one field of its own"
    for spec in schema.fields:
        assert spec.label and spec.label[0].isupper(), spec.name
        if spec.refers is not None:
            target = registry.kind_for(spec.refers)
            assert KINDS.index(target) < KINDS.index(kind), "refer only to kinds listed before"
    assert kind.TABLE not in (fileformat.META_TABLE, "") and kind.LABEL.lower() == kind.LABEL
    schema.prepare()  # both validators build


def test_tables_and_names_are_unique() -> None:
    assert len({kind.TABLE for kind in KINDS}) == len(KINDS)
    assert len({kind.kind_name() for kind in KINDS}) == len(KINDS)
    assert registry.tables() == tuple(kind.TABLE for kind in KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.TABLE)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_what_input_accepts_is_stored_and_read_back_the_same(
    kind: type[Record], data: st.DataObject
) -> None:
    schema = schema_of(kind)
    try:
        checked = schema.check(data.draw(own_values(kind)))
    except InvalidInput as error:
        # Only text can fail a declaration's own limits: blank once cleaned, say.
        texts = {spec.name for spec in schema.fields if spec.text is not None}
        assert {field.split(".")[0] for field, _ in error.problems} <= texts
        return
    record = schema.read("7", stored(checked.as_stored()))
    assert schema.own_values(record) == dict(checked.values)
    assert schema.check(checked.values).values == checked.values  # cleaning is done once
    written = schema.as_stored(record)
    assert {spec.name: written[spec.name] for spec in schema.fields} == checked.as_stored()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.TABLE)
# 150 for each of fifteen kinds: 2,250 records a run (300 cost 35 s of the suite's ten minutes).
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_stored_and_input_checks_agree_on_a_kinds_own_fields(
    kind: type[Record], data: st.DataObject
) -> None:
    # Input refuses unknown fields and applies clock rules; apart from that, a
    # record is stored valid exactly when its fields are valid input, with the
    # same messages.
    schema = schema_of(kind)
    values = data.draw(own_values(kind))
    for name in data.draw(st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True)):
        values[name] = data.draw(ODD | st.just(MISSING))
    values = {name: value for name, value in values.items() if value is not MISSING}
    try:
        as_input: Any = dict(schema.check(values).values)
    except InvalidInput as error:
        as_input = error.problems
    try:
        as_stored: Any = schema.own_values(schema.read("3", {**values, **META}))
    except ValidationError as error:
        from ictui.kinds.rules import format_errors

        as_stored = format_errors(error.errors(include_url=False))
    ruled = []
    if isinstance(as_stored, dict):
        ruled = [problem for rule in kind.RULES for problem in rule(as_stored)]
    if ruled:  # rules over several fields judge what people enter; a stored record is read as is
        assert as_input == ruled
        return
    assert as_stored == as_input


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.TABLE)
def test_a_missing_required_field_and_an_unknown_one_are_named(kind: type[Record]) -> None:
    schema = schema_of(kind)
    required = [spec.name for spec in schema.fields if spec.required]
    with pytest.raises(InvalidInput) as refused:
        schema.check({"no_such_field": 1})
    problems = dict(refused.value.problems)
    assert problems.pop("no_such_field") == "is not a field of this record"
    assert problems == dict.fromkeys(required, "is required")


def type_name(annotation: Any) -> str:
    """Return a type as people write it, with an enumeration's values: "Verdict(success|...)"."""
    inner, markers = getattr(annotation, "__origin__", annotation), ()
    if get_origin(annotation) is Annotated:
        inner, markers = get_args(annotation)[0], annotation.__metadata__
        return type_name(inner) + "".join(f" {marker_name(m)}" for m in markers)
    args = get_args(annotation)
    if get_origin(annotation) is tuple:
        return f"tuple[{type_name(args[0])}, ...]"
    if args:
        return " | ".join(type_name(arg) for arg in args)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return f"{annotation.__name__}({'|'.join(str(m.value) for m in annotation)})"
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        inside = ", ".join(describe(spec) for spec in field_specs(annotation))
        return f"{annotation.__name__}{{{inside}}}"
    return getattr(annotation, "__name__", repr(annotation))


def marker_name(marker: object) -> str:
    """Return what a marker says of the values a field takes (labels say nothing of them)."""
    if isinstance(marker, Check | InputCheck):
        return f"{type(marker).__name__}({marker.rule.__name__})"
    return "" if isinstance(marker, Label) else repr(marker)


def describe(spec: FieldSpec) -> str:
    """Return a field as the schema history records it: name, type, rules, default if any."""
    rules = "".join(f" {name}" for name in map(marker_name, spec.markers) if name)
    default = "" if spec.required else f" = {json.dumps(jsonable({'d': spec.default})['d'])}"
    return f"{spec.name}: {type_name(spec.type)}{rules}{default}"


def schema_now() -> dict[str, list[str]]:
    """Return every kind's fields as the history records them, and those of every record."""
    now = {kind.TABLE: [describe(spec) for spec in schema_of(kind).fields] for kind in KINDS}
    return {**now, "(every record)": [describe(spec) for spec in RECORD_SPECS]}


SCHEMA_HISTORY = Path(__file__).with_name("schema_history.json")


def test_the_schema_version_moves_with_the_kinds_and_fields() -> None:
    # A new kind or field must raise the team file's schema version (with
    # Since or SINCE), so that an older ictui refuses a file it would
    # otherwise rewrite without the new fields. The history holds, for each
    # version, the kinds and fields it has; a version once released never changes.
    history = json.loads(SCHEMA_HISTORY.read_text())
    version = str(fileformat.current_version())
    now = schema_now()
    assert version in history, (
        f"schema version {version} is new: add it to {SCHEMA_HISTORY.name}: "
        + json.dumps({version: now}, indent=2)
    )
    assert history[version] == now, (
        "the kinds or fields changed without a new schema version: mark what is new "
        "with Since(N) (or the kind's SINCE = N), N one above the current version"
    )
