"""The team file against a careless or hostile co-worker on the same host (issue 17).

Hand-edited files, odd files in the team file's place, a tampered lock file: each
is refused with a clear message and no traceback, and nothing is lost or hung.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ictui.errors import TeamFileError
from ictui.kinds.partner import Partner
from ictui.outputs.check import check_team_file
from ictui.teamfile.store import Store

from .conftest import checked, run_ictui


def log_args(team_path: Path, why: str = "hardening") -> list[str]:
    """Return the arguments of an `ictui log` of one contact point with Payroll."""
    return [
        "log", "--db", str(team_path), "--partner", "Payroll",
        "--verdict", "success", "--why", why,
    ]  # fmt: skip


def assert_refused_untouched(
    team_path: Path, store: Store, *, says: str, check_says: str | None = None
) -> None:
    """Check that check, a write in-process and `ictui log` refuse the file and leave it."""
    before = team_path.read_bytes()
    report = check_team_file(team_path)
    assert not report.ok
    assert (check_says or says) in report.summary + " ".join(report.problems)
    with pytest.raises(TeamFileError, match=says):
        store.add(checked(Partner, name="Newcomer"))
    result = run_ictui(*log_args(team_path))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert says.encode() in result.stderr
    assert team_path.read_bytes() == before


# -- 3. duplicate JSON keys ------------------------------------------------------


def test_a_table_twice_at_the_top_level_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text()
    table = json.dumps(json.loads(text)["contact_points"])
    # The same table again, first: plain json keeps the second and drops these records.
    store.path.write_text('{"contact_points":' + table + "," + text[1:])
    assert_refused_untouched(store.path, store, says="table 'contact_points' twice")


def test_a_record_id_twice_in_a_table_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text()
    raw = json.loads(text)
    record = json.dumps(raw["partners"]["1"] | {"name": "Shadowed"})
    text = text.replace('"partners":{"1":', '"partners":{"1":' + record + ',"1":', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="record id '1' twice in table 'partners'")


def test_a_field_twice_in_a_record_is_refused_naming_it(store: Store) -> None:
    text = store.path.read_text().replace('"name":"Payroll"', '"name":"Payroll","name":"P"', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="key 'name' twice")


# -- 4. deep nesting ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["top", "table", "field"])
def test_deep_nesting_is_refused_without_a_recursion_error(
    where: str, store: Store, make_store: Callable[..., Store]
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = store.path.read_text()
    if where == "top":
        text = deep
    elif where == "table":
        text = text[:-1] + ',"deep":' + deep + "}"
    else:
        text = text.replace('"name":"Payroll"', '"name":' + deep, 1)
    store.path.write_text(text)
    with pytest.raises(TeamFileError, match="nested too deeply"):
        store.read()
    assert_refused_untouched(store.path, store, says="nested too deeply")
    for command in (["list"], ["check"]):
        result = run_ictui(*command, "--db", str(store.path))
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr
        assert b"nested too deeply" in result.stderr + result.stdout


# -- 5. broken bookkeeping in meta ----------------------------------------------------

HUGE = "9" * 4300


@pytest.mark.parametrize(
    ("last_ids", "says"),
    [
        ("[]", "last_ids is a list"),
        ("null", "last_ids is null"),
        (HUGE, "last_ids is a number"),
        ('"7"', "last_ids is a string"),
        ('{"partners":[]}', "last id of table 'partners' is a list"),
        ('{"partners":null}', "last id of table 'partners' is null"),
        ('{"partners":' + HUGE + "}", "last id of table 'partners' is too large"),
        ('{"partners":-5}', "last id of table 'partners' is negative"),
        ('{"partners":"7"}', "last id of table 'partners' is a string"),
        ('{"partners":true}', "last id of table 'partners' is true or false"),
        ('{"partners":1.5}', "last id of table 'partners' is not a whole number"),
    ],
    ids=lambda value: value if len(value) < 40 else "huge",
)
def test_broken_last_ids_are_reported_by_check_and_refused_by_writes(
    last_ids: str, says: str, store: Store
) -> None:
    text = store.path.read_text()
    start = text.index('"last_ids":') + len('"last_ids":')
    end = text.index("}", start) + 1
    store.path.write_text(text[:start] + last_ids + text[end:])
    json.loads(store.path.read_text())  # still valid JSON: only the bookkeeping is broken
    assert_refused_untouched(store.path, store, says=says)


def test_a_record_id_too_large_to_count_from_is_refused(store: Store) -> None:
    text = store.path.read_text().replace('"partners":{"1":', '"partners":{"' + HUGE + '":', 1)
    store.path.write_text(text)
    assert_refused_untouched(store.path, store, says="record id 999999")
    result = run_ictui("list", "--db", str(store.path))
    assert b"Traceback" not in result.stderr
