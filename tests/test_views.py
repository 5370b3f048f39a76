"""What the screens read agrees with the models: the same records, values and refusals."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import ValidationError as ModelError
from pydantic_core import ValidationError as CoreError

from ictui.errors import InvalidInput
from ictui.kinds.models import RECORD_TYPES, Author, ContactPoint, format_errors
from ictui.kinds.rules import format_errors as format_core_errors
from ictui.kinds.views import AuthorView, ContactPointView, PartnerView, RecordView
from ictui.teamfile.store import Store
from ictui.user.identity import current_author

from .conftest import HOSTILE
from .test_stored import GOOD, META, varied_records

VIEWS: dict[str, type[RecordView]] = {"partners": PartnerView, "contact_points": ContactPointView}


def model_reads(table: str, key: str, doc: dict[str, Any]) -> tuple[bool, Any]:
    """Read with the model: (valid, the record as a dict or the messages)."""
    try:
        return True, RECORD_TYPES[table].read(key, doc).model_dump()
    except ModelError as error:
        return False, format_errors(error)


def view_reads(table: str, key: str, doc: dict[str, Any]) -> tuple[bool, Any]:
    """Read as the screens do: (valid, the record as a dict or the messages)."""
    try:
        return True, dataclasses.asdict(VIEWS[table].read(key, doc))
    except CoreError as error:
        return False, format_core_errors(error.errors(include_url=False))


@pytest.mark.parametrize("table", sorted(GOOD))
def test_a_view_has_its_models_fields_in_the_same_order(table: str) -> None:
    view_fields = [field.name for field in dataclasses.fields(VIEWS[table])]
    model_fields = list(RECORD_TYPES[table].model_fields)
    own = len(model_fields) - len(META) - 1  # the record's own fields, then id and META's
    assert view_fields == [*model_fields[own:], *model_fields[:own]]
    assert VIEWS[table].table == RECORD_TYPES[table].table


@pytest.mark.parametrize("table", sorted(GOOD))
def test_a_good_record_reads_the_same_as_a_view(table: str) -> None:
    ok, values = view_reads(table, "5", GOOD[table])
    assert ok and values["id"] == 5
    assert (ok, values) == model_reads(table, "5", GOOD[table])


def test_a_views_needs_come_in_order_once_each_as_the_models_keep_them() -> None:
    partner = PartnerView.read("2", GOOD["partners"])
    assert [need.value for need in partner.needs] == ["information", "speed"]


@settings(max_examples=1000, deadline=None)
@given(varied_records())
def test_views_and_models_read_every_record_alike(record: tuple[str, dict[str, Any]]) -> None:
    table, doc = record
    assert view_reads(table, "12", doc) == model_reads(table, "12", doc)


def test_a_record_written_through_the_models_reads_back_as_the_same_view(store: Store) -> None:
    snapshot = store.read()
    (model,) = snapshot.all(ContactPoint)[:1]
    (view,) = snapshot.contact_points()[:1]
    assert ContactPointView.of(model) == view
    assert dataclasses.asdict(view) == model.model_dump()


def test_a_snapshot_keeps_views_and_models_apart(store: Store) -> None:
    snapshot = store.read()
    view = snapshot.get(ContactPointView, 1)
    model = snapshot.get(ContactPoint, 1)
    assert isinstance(view, ContactPointView) and isinstance(model, ContactPoint)
    # Asked again, each comes from its own kind's cache.
    assert snapshot.get(ContactPointView, 1) is view and snapshot.get(ContactPoint, 1) is model


@pytest.mark.parametrize("name", [None, "", "  Ann  ", "n" * 80, "n" * 81, "a\nb", *HOSTILE])
def test_a_display_name_is_refused_or_kept_as_the_author_model_would(name: str | None) -> None:
    try:
        expected: Any = Author(account="ann", name=name).model_dump()
    except ModelError as error:
        expected = format_errors(error)
    try:
        got: Any = dataclasses.asdict(AuthorView.checked("ann", name))
    except InvalidInput as error:
        assert error.label == "display name"
        got = error.problems
    assert got == expected


def test_the_current_author_says_which_name_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ICTUI_NAME", raising=False)
    assert current_author("  Ann Lee ").name == "Ann Lee"
    with pytest.raises(InvalidInput, match="at most 80"):
        current_author("x" * 81)
