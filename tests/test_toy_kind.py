"""A kind declared here and registered in one line gets all a kind gets, with no other edit.

Validation, storage with revisions, soft delete, conflicts, the schema version
and its migration, `ictui check` and the exports all come from the registry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar

import pytest

from ictui.errors import Conflict, InvalidInput
from ictui.kinds import registry
from ictui.kinds.fields import (
    Day,
    InputCheck,
    Label,
    LongText,
    Name,
    Refers,
    ShortText,
    Since,
    Whole,
)
from ictui.kinds.record import Record
from ictui.kinds.rules import not_in_the_future
from ictui.kinds.schema import schema_of
from ictui.outputs.cli import main
from ictui.teamfile import fileformat
from ictui.teamfile.store import Store

from .conftest import TODAY, checked

BEFORE_TOYS = registry.schema_version()
"""The schema version of the kinds ictui has: the toy kind comes in the version after it."""


class Colour(StrEnum):
    """The colours a toy comes in."""

    RED = "red"
    BLUE = "blue"


def red_needs_a_note(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A rule over two fields: a red toy says why in its note."""
    if values["colour"] is Colour.RED and not values["note"]:
        return [("note", "is required for a red toy")]
    return []


@dataclass(frozen=True, slots=True, kw_only=True)
class Toy(Record):
    """A kind made up for this test."""

    TABLE: ClassVar[str] = "toys"
    LABEL: ClassVar[str] = "toy"
    SINCE: ClassVar[int] = BEFORE_TOYS + 1
    RULES = (red_needs_a_note,)

    name: Annotated[Name, Label("Name")]
    partner_id: Annotated[int, Refers("partners"), Label("Owner")]
    count: Annotated[int, Whole(0, 10), Label("Count")] = 0
    colour: Annotated[Colour, Label("Colour")] = Colour.BLUE
    note: Annotated[LongText, Label("Note")] = ""
    rating: Annotated[int | None, Whole(1, 5), Label("Rating")] = None
    bought: Annotated[Day | None, InputCheck(not_in_the_future), Label("Bought")] = None
    tags: Annotated[tuple[Colour, ...], Label("Tags")] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToyWithSize(Toy):
    """The toy kind, a version later: a field added, with the default older toys get."""

    size: Annotated[ShortText, Since(BEFORE_TOYS + 2), Label("Size")] = "medium"


@pytest.fixture
def toys() -> Iterator[None]:
    """Register the toy kind for one test: the one line a new kind adds to the registry."""
    with registry.registered(Toy):
        yield


@pytest.fixture
def old_file(store: Store) -> Path:
    """A team file written before the toy kind existed: no toys table."""
    assert fileformat.current_version() == BEFORE_TOYS
    return store.path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_older_file_is_lifted_to_the_toys_version_after_a_backup(
    old_file: Path, store: Store, toys: None
) -> None:
    assert fileformat.current_version() == BEFORE_TOYS + 1
    before = old_file.read_bytes()
    store.add(checked(Toy, name="Kite", partner_id=1))
    raw = json.loads(old_file.read_text())
    assert raw["meta"]["1"]["schema_version"] == BEFORE_TOYS + 1 and list(raw["toys"]) == ["1"]
    (backup,) = old_file.parent.glob(f"team.json.schema{BEFORE_TOYS}-*.bak")
    assert backup.read_bytes() == before


def test_an_ictui_without_toys_refuses_the_newer_file_untouched(
    old_file: Path, store: Store
) -> None:
    with registry.registered(Toy):
        store.add(checked(Toy, name="Kite", partner_id=1))
    after = old_file.read_bytes()
    code = main(["check", "--db", str(old_file)])
    assert code == 1 and old_file.read_bytes() == after


def test_toys_are_checked_by_their_fields_and_their_rule(toys: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        schema_of(Toy).check({"name": " ", "partner_id": 0, "count": 11, "colour": "green"})
    assert dict(refused.value.problems) == {
        "name": "is required",
        "partner_id": "must be greater than or equal to 1",
        "count": "must be less than or equal to 10",
        "colour": "must be 'red' or 'blue'",
    }
    with pytest.raises(InvalidInput, match="note is required for a red toy"):
        schema_of(Toy).check({"name": "Kite", "partner_id": 1, "colour": "red"})


def test_toys_are_stored_with_revisions_conflicts_and_soft_delete(
    store: Store, make_store: Any, toys: None
) -> None:
    toy = store.add(checked(Toy, name="  Kite ", partner_id=1, count=3))
    assert (toy.id, toy.rev, toy.name) == (1, 1, "Kite")
    with pytest.raises(InvalidInput, match="partner_id names partner 9, which does not exist"):
        store.add(checked(Toy, name="Ball", partner_id=9))
    changed = store.update(Toy, 1, 1, count=4)
    assert changed.rev == 2 and store.read().get(Toy, 1) == changed
    with pytest.raises(Conflict) as stale:
        make_store().update(Toy, 1, 1, count=5)
    assert stale.value.current == changed
    store.delete(Toy, 1, 2)
    assert store.read().all(Toy) == [] and store.read().get(Toy, 1).deleted  # type: ignore[union-attr]
    store.restore(Toy, 1, 3)
    assert [t.count for t in store.read().all(Toy)] == [4]


def test_check_counts_toys_and_names_broken_ones(
    capsys: pytest.CaptureFixture[str], store: Store, toys: None
) -> None:
    store.add(checked(Toy, name="Kite", partner_id=1))
    store.add(checked(Toy, name="Ball", partner_id=1))
    raw = json.loads(store.path.read_text())
    raw["toys"]["2"]["count"] = 99
    raw["toys"]["1"]["partner_id"] = 42
    store.path.write_text(json.dumps(raw))
    code, _, err = cli(capsys, "check", "--db", str(store.path))
    assert code == 1
    assert "toys 2: count must be less than or equal to 10" in err
    assert "toys 1: partner_id names partner 42, which does not exist" in err
    assert "1 toy" in err  # the valid one counted


def test_toys_are_exported_in_every_format(
    capsys: pytest.CaptureFixture[str], store: Store, toys: None
) -> None:
    store.add(checked(Toy, name="Kite", partner_id=1, colour="red", note="=1+1 for fun"))
    db = str(store.path)
    _, out, _ = cli(capsys, "export", "--db", db, "--format", "csv", "--kind", "toy")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["name"], row["partner"], row["colour"]) == ("Kite", "Payroll", "red")
    assert row["note"] == "'=1+1 for fun"  # kept from being run as a formula
    _, out, _ = cli(capsys, "export", "--db", db, "--format", "json")
    assert [toy["name"] for toy in json.loads(out)["toys"]] == ["Kite"]
    _, out, _ = cli(capsys, "export", "--db", db, "--format", "markdown")
    assert "## Toys" in out and "| Kite | Payroll | 0 | red | =1+1 for fun |" in out


def test_optional_values_take_none_and_keep_their_rules(toys: None) -> None:
    schema = schema_of(Toy)
    plain = schema.check({"name": "Kite", "partner_id": 1})
    assert (plain.values["rating"], plain.values["bought"], plain.values["tags"]) == (
        None,
        None,
        (),
    )
    with pytest.raises(InvalidInput) as refused:
        schema.check({"name": "Kite", "partner_id": 1, "rating": 9, "bought": "2099-01-01"}, TODAY)
    problems = dict(refused.value.problems)
    assert problems["rating"] == "must be less than or equal to 5"
    assert "in the future" in problems["bought"]
    kept = schema.check({"name": "Kite", "partner_id": 1, "rating": 4, "tags": ["red"]})
    assert (kept.values["rating"], kept.values["tags"]) == (4, (Colour.RED,))


def test_a_field_added_later_is_migrated_with_its_default(store: Store) -> None:
    with registry.registered(Toy):
        store.add(checked(Toy, name="Kite", partner_id=1))
    with registry.registered(ToyWithSize):
        assert fileformat.current_version() == BEFORE_TOYS + 2
        (toy,) = store.read().all(ToyWithSize)
        assert toy.size == "medium"  # given at reading, before any write
        store.update(ToyWithSize, toy.id, toy.rev, count=2)
        raw = json.loads(store.path.read_text())
        version = raw["meta"]["1"]["schema_version"]
        assert raw["toys"]["1"]["size"] == "medium" and version == BEFORE_TOYS + 2


def test_a_change_given_as_a_checked_must_be_whole(store: Store, toys: None) -> None:
    toy = store.add(checked(Toy, name="Kite", partner_id=1, count=3, note="keep me"))
    partial = schema_of(Toy).check({"name": "Kite", "partner_id": 1})  # count, note defaulted
    with pytest.raises(ValueError, match="whole"), store.transaction() as tx:
        tx.update(Toy, toy.id, toy.rev, partial)
    assert store.read().get(Toy, toy.id) == toy
