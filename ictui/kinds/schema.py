"""From a kind's one declaration to its validators: one for stored records, one for input.

Why a builder over plain dataclasses. A kind's fields, limits, defaults,
labels, references and rules are written once, in its dataclass (see
``ictui.kinds.record``). Two other ways were weighed and refused:

- generating pydantic-core's schema from pydantic models and committing it:
  such a schema embeds classes and closures, so it cannot be written out;
- deriving the schema from pydantic models at run time: that imports
  pydantic's model machinery, about a third of the app's time to its first
  frame, before a single row could be checked.

A dataclass costs nothing to read, and this builder turns its ``Annotated``
markers into pydantic-core schemas, so pydantic stays the validation engine
with no model class in between. Each kind gets two validators, built on first
use:

- **stored**: what the team file may hold. The kind's own fields, then what
  the store keeps on every record; keys it does not know are ignored (a newer
  ictui's extras never break an older reading); clock rules are off, so a
  record written in one time zone stays readable in another.
- **input**: what a person may enter. The kind's own fields only; an unknown
  field is refused; clock rules apply to the given day; then the kind's rules
  over several fields (``Record.RULES``).

A check of input gives a ``Checked``: values a transaction writes as they are,
so that one save validates its fields once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache, cached_property
from typing import (
    Annotated,
    Any,
    Generic,
    Literal,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from pydantic_core import CoreSchema, SchemaValidator, ValidationError, to_jsonable_python
from pydantic_core import core_schema as cs

from ictui.errors import InvalidInput
from ictui.kinds import rules
from ictui.kinds.fields import Check, InputCheck, Label, Refers, Since, Text, Whole
from ictui.kinds.record import Author, R, Record
from ictui.text import clean_multiline, clean_single_line

M = TypeVar("M")

MISSING: Any = dataclasses.MISSING
"""The default of a field that has none: a value must be given."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind as declared: its type, markers and default."""

    name: str
    type: Any
    """The declared type, without its markers."""
    markers: tuple[object, ...]
    default: Any
    """The value when none is given, or MISSING when the field is required."""

    def marker(self, marker_type: type[M]) -> M | None:
        """Return the field's marker of this type, if it has one."""
        return next((m for m in self.markers if isinstance(m, marker_type)), None)

    @property
    def label(self) -> str:
        """How people see the field named."""
        label = self.marker(Label)
        return label.text if label else self.name.replace("_", " ").capitalize()

    @property
    def required(self) -> bool:
        """Whether a value must be given."""
        return self.default is MISSING

    @property
    def refers(self) -> str | None:
        """The table this field's id points into, if it is a reference."""
        refers = self.marker(Refers)
        return refers.table if refers else None

    @property
    def since(self) -> int:
        """The schema version that added the field."""
        since = self.marker(Since)
        return since.version if since else 1

    @property
    def text(self) -> Text | None:
        """How a text field is cleaned and how long it may be; None if not text."""
        return self.marker(Text)


@dataclass(frozen=True)
class Checked(Generic[R]):
    """Values of one kind that passed its input rules: what a transaction writes as they are.

    Made by ``check``; a Checked made any other way skips the rules, as
    pydantic's ``model_construct`` does, and is for no one to make.
    """

    kind: type[R]
    values: Mapping[str, Any]
    whole: bool = True
    """Whether every field was given (none filled in with its default)."""

    def with_reference(self, field: str, record_id: int) -> Checked[R]:
        """Return these values pointing at a record the transaction found or made.

        The kind's rules over several fields are run again with the new id.
        """
        if schema_of(self.kind).field(field).refers is None or record_id < 1:
            raise ValueError(f"{field}={record_id} is not a reference of a {self.kind.LABEL}")
        values = {**self.values, field: record_id}
        problems = [problem for rule in self.kind.RULES for problem in rule(values)]
        if problems:
            raise InvalidInput(self.kind.LABEL, problems)
        return Checked(self.kind, values, self.whole)

    def as_stored(self) -> dict[str, Any]:
        """Return the values as the team file holds them: JSON, fields in their declared order."""
        return jsonable(dict(self.values))


def jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return checked values as JSON holds them: days and moments ISO, words as their values."""
    converted: dict[str, Any] = to_jsonable_python(dict(values))
    return converted


# -- the builder ------------------------------------------------------------------------


def _split(annotation: Any) -> tuple[Any, tuple[object, ...]]:
    """Return a type and its markers, from Annotated[type, marker, ...] (nested ones flattened)."""
    if get_origin(annotation) is Annotated:
        return get_args(annotation)[0], tuple(annotation.__metadata__)
    return annotation, ()


def _text_schema(text: Text) -> CoreSchema:
    cleaner = clean_multiline if text.multiline else clean_single_line
    cleaned = cs.no_info_before_validator_function(rules.cleaned(cleaner), cs.str_schema())
    return cs.no_info_after_validator_function(
        rules.length_within(text.minimum, text.maximum), cleaned
    )


def _clock_rule(rule: Callable[[Any, dt.date], Any]) -> Callable[[Any, Any], Any]:
    def check(value: Any, info: cs.ValidationInfo) -> Any:
        context = info.context or {}
        today, only = context.get("today"), context.get("clock_on")
        if today is None or (only is not None and info.field_name not in only):
            return value  # not new, or a field kept as it was: its day may be ahead of ours
        return rule(value, today)

    return check


class _Builder:
    """Makes pydantic-core schemas from declared types, for stored records or for input."""

    def __init__(self, *, for_input: bool) -> None:
        self.for_input = for_input

    def value(self, annotation: Any, markers: tuple[object, ...] = ()) -> CoreSchema:
        """Return the schema of a value of this type, with its markers' rules around it.

        For "X | None", every marker applies to X: None is let through as it is,
        and a rule never sees it.
        """
        kind, own = _split(annotation)
        markers = (*markers, *own)
        if get_origin(kind) in (Union, types.UnionType):
            others = [arg for arg in get_args(kind) if arg is not type(None)]
            if len(others) != 1 or len(get_args(kind)) != 2:
                raise TypeError(f"{kind}: only 'X | None' unions are supported")
            return cs.nullable_schema(self.value(others[0], markers))
        schema = self._type(kind, markers)
        for marker in markers:
            if isinstance(marker, Check):
                schema = cs.no_info_after_validator_function(marker.rule, schema)
            elif isinstance(marker, InputCheck) and self.for_input:
                schema = cs.with_info_after_validator_function(_clock_rule(marker.rule), schema)
        return schema

    def _type(self, kind: Any, markers: tuple[object, ...]) -> CoreSchema:
        origin = get_origin(kind)
        if origin is tuple:
            item, *rest = get_args(kind)
            if rest != [Ellipsis]:
                raise TypeError(f"{kind}: write tuples of any length, tuple[X, ...]")
            return cs.tuple_schema([self.value(item)], variadic_item_index=0)
        if kind is str:
            text = next((m for m in markers if isinstance(m, Text)), None)
            if text is None:  # people's text is always cleaned and bounded
                raise TypeError("a text field needs a Text(minimum, maximum) marker")
            return _text_schema(text)
        if kind is bool:
            # Strict: "false" or 0 in a hand-edited file is no boolean. Read laxly, a
            # string "false" was live to one reader and deleted to another.
            return cs.bool_schema(strict=True)
        if kind is int:
            whole = next((m for m in markers if isinstance(m, Whole)), None)
            if whole is None and any(isinstance(m, Refers) for m in markers):
                whole = Whole(minimum=1)  # ids start at 1
            if whole is None:
                return cs.int_schema()
            return cs.int_schema(ge=whole.minimum, le=whole.maximum)
        if kind is dt.datetime:
            return cs.datetime_schema(tz_constraint="aware")
        if kind is dt.date:
            return cs.date_schema()
        if isinstance(kind, type) and issubclass(kind, Enum):
            return cs.enum_schema(kind, list(kind.__members__.values()), sub_type="str")
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return self.structure(kind)
        raise TypeError(f"{kind!r}: ictui has no rule for values of this type")

    def fields(self, specs: tuple[FieldSpec, ...]) -> dict[str, cs.TypedDictField]:
        """Return typed-dict fields for specs, in their order, with their defaults."""
        fields = {}
        for spec in specs:
            schema = self.value(spec.type, spec.markers)
            if not spec.required:
                schema = cs.with_default_schema(schema, default=spec.default)
            fields[spec.name] = cs.typed_dict_field(schema)
        return fields

    def structure(self, kind: type[Any]) -> CoreSchema:
        """Return the schema of a dataclass inside a record (an author, say): made once checked."""
        specs = field_specs(kind)
        extra: Literal["forbid", "ignore"] = "forbid" if self.for_input else "ignore"
        checked = cs.typed_dict_schema(self.fields(specs), extra_behavior=extra)
        made = cs.no_info_after_validator_function(lambda values: kind(**values), checked)
        params = getattr(kind, "__dataclass_params__", None)
        if self.for_input or params is None or not params.frozen:
            return made
        return cs.no_info_wrap_validator_function(_remembering(kind), made)


_REMEMBERED: dict[type[Any], dict[tuple[Any, ...], Any]] = {}
"""Per frozen kind, what each stored value was read as (one for every field of that kind)."""

REMEMBER_AT_MOST = 4096
"""Stored values remembered per kind: more than a team has people."""


def _remembering(kind: type[Any]) -> Callable[[Any, cs.ValidatorFunctionWrapHandler], Any]:
    """Return a reader of a frozen kind's stored values that reads each distinct one once.

    Every record holds two authors, nearly always among a team's few dozen
    people: read once, they are checked once and shared, 9.6 MB less and a
    tenth quicker to check at 100,000 contact points.
    """
    seen = _REMEMBERED.setdefault(kind, {})

    def read(value: Any, handler: cs.ValidatorFunctionWrapHandler) -> Any:
        if type(value) is not dict:
            return handler(value)
        try:
            # The types too: 1 == 1.0 == True, but only one of them may be valid.
            key = tuple((name, type(item), item) for name, item in value.items())
            known = seen.get(key)
        except TypeError:  # a value that cannot be a key (a list, say): read afresh
            return handler(value)
        if known is None:
            known = handler(value)  # a value refused is never remembered
            if len(seen) < REMEMBER_AT_MOST:
                seen[key] = known
        return known

    return read


_FIELD_SPECS: dict[type[Any], tuple[FieldSpec, ...]] = {}
"""Each dataclass's fields, read once: reading type hints takes a millisecond, and they stay."""


def field_specs(kind: type[Any]) -> tuple[FieldSpec, ...]:
    """Return the fields a dataclass declares, in order, with their markers."""
    specs = _FIELD_SPECS.get(kind)
    if specs is None:
        specs = _FIELD_SPECS[kind] = _read_field_specs(kind)
    return specs


def _read_field_specs(kind: type[Any]) -> tuple[FieldSpec, ...]:
    hints = get_type_hints(kind, include_extras=True)
    specs = []
    for field in dataclasses.fields(kind):
        kind_of, markers = _split(hints[field.name])
        default = field.default
        if default is MISSING and callable(field.default_factory):
            default = field.default_factory()
        specs.append(FieldSpec(field.name, kind_of, markers, default))
    return tuple(specs)


def nested_specs(spec: FieldSpec) -> tuple[FieldSpec, ...]:
    """Return the fields of the dataclass a field holds (directly, in a tuple, or maybe None)."""
    inner = spec.type
    for _ in range(3):  # X | None, tuple[X, ...], Annotated[X, ...], in any nesting
        inner, _markers = _split(inner)
        args = [arg for arg in get_args(inner) if arg not in (type(None), Ellipsis)]
        if get_origin(inner) in (Union, types.UnionType, tuple) and args:
            inner = args[0]
    if isinstance(inner, type) and dataclasses.is_dataclass(inner):
        return field_specs(inner)
    return ()


RECORD_SPECS = field_specs(Record)
"""What the store keeps on every record: after a kind's own fields, in the file."""
_RECORD_NAMES = {spec.name for spec in RECORD_SPECS}


class KindSchema(Generic[R]):
    """One kind's fields and its two validators, each built on first use."""

    def __init__(self, kind: type[R]) -> None:
        self.kind = kind
        self.fields = tuple(s for s in field_specs(kind) if s.name not in _RECORD_NAMES)
        """The kind's own fields, in their declared order."""
        for spec in self.fields:
            if spec.since > max(1, kind.SINCE) and spec.required:
                # Records written before the field existed get its default when migrated.
                raise TypeError(f"{kind.__name__}.{spec.name} came in later: give it a default")
        self._by_name = {spec.name: spec for spec in self.fields}

    def field(self, name: str) -> FieldSpec:
        """Return one of the kind's own fields; KeyError if it has none by that name."""
        return self._by_name[name]

    @property
    def references(self) -> dict[str, str]:
        """The fields that hold another record's id, with the table each points into."""
        return {spec.name: spec.refers for spec in self.fields if spec.refers is not None}

    @cached_property
    def _stored(self) -> SchemaValidator:
        # Made straight into the kind, not a dict passed to it: a frozen
        # dataclass's own __init__ sets each field through object.__setattr__,
        # a fifth of a record's check (issue 22: every record is checked after start).
        builder = _Builder(for_input=False)
        fields = builder.fields(self.fields) | builder.fields(RECORD_SPECS)
        args = [
            cs.dataclass_field(name, field["schema"], kw_only=True)
            for name, field in fields.items()
        ]
        made = cs.dataclass_args_schema(self.kind.__name__, args, extra_behavior="ignore")
        params = self.kind.__dataclass_params__  # type: ignore[attr-defined]
        return SchemaValidator(
            cs.dataclass_schema(
                self.kind,
                made,
                list(fields),
                slots="__slots__" in vars(self.kind),
                frozen=params.frozen,
            )
        )

    @cached_property
    def _input(self) -> SchemaValidator:
        fields = _Builder(for_input=True).fields(self.fields)
        return SchemaValidator(cs.typed_dict_schema(fields, extra_behavior="forbid"))

    def prepare(self) -> None:
        """Build both validators now, so that the first read or write of the kind need not wait."""
        _ = self._stored, self._input

    def read(self, key: str, doc: Mapping[str, Any]) -> R:
        """Return the record stored under key; pydantic_core.ValidationError if not valid."""
        record: R = self._stored.validate_python({**doc, "id": int(key)})
        return record

    def check(
        self,
        values: Mapping[str, Any],
        today: dt.date | None = None,
        *,
        clock_on: Collection[str] | None = None,
    ) -> Checked[R]:
        """Check what a person entered; InvalidInput saying which field and why if refused.

        today: turns on the rules about the clock; None when the values are not new.
        clock_on: the fields they apply to (those changed), when not all: a day
        someone in a time zone ahead of ours wrote stays as it was, unrefused.
        """
        context: dict[str, Any] | None = {"today": today} if today is not None else None
        if context is not None and clock_on is not None:
            context["clock_on"] = frozenset(clock_on)
        try:
            checked: dict[str, Any] = self._input.validate_python(dict(values), context=context)
        except ValidationError as error:
            problems = rules.format_errors(error.errors(include_url=False))
            raise InvalidInput(self.kind.LABEL, problems) from None
        problems = [problem for rule in self.kind.RULES for problem in rule(checked)]
        if problems:
            raise InvalidInput(self.kind.LABEL, problems)
        whole = all(spec.name in values for spec in self.fields)
        return Checked(self.kind, checked, whole)

    def own_values(self, record: R) -> dict[str, Any]:
        """Return a record's own fields (what people enter), by name."""
        return {spec.name: getattr(record, spec.name) for spec in self.fields}

    def as_stored(self, record: R) -> dict[str, Any]:
        """Return a record as the team file holds it under its id (JSON; the id is the key)."""
        names = [spec.name for spec in (*self.fields, *RECORD_SPECS) if spec.name != "id"]
        return jsonable({name: getattr(record, name) for name in names})


_SCHEMAS: dict[type[Record], KindSchema[Any]] = {}


def schema_of(kind: type[R]) -> KindSchema[R]:
    """Return the schema of a record kind, made on first use and kept."""
    schema = _SCHEMAS.get(kind)
    if schema is None:
        schema = _SCHEMAS[kind] = KindSchema(kind)
    return schema


def problems_of(error: ValidationError) -> str:
    """Return a stored record's validation error in words for people, one clause per field."""
    pairs = rules.format_errors(error.errors(include_url=False))
    return "; ".join(f"{field} {message}" for field, message in pairs)


@cache
def _author_validator() -> SchemaValidator:
    return SchemaValidator(_Builder(for_input=False).structure(Author))


def check_author(account: str, name: str | None) -> Author:
    """Return the author to record, or InvalidInput if the account or display name is not one."""
    try:
        author: Author = _author_validator().validate_python({"account": account, "name": name})
    except ValidationError as error:
        problems = rules.format_errors(error.errors(include_url=False))
        raise InvalidInput("display name", problems) from None
    return author
