"""Drafts of forms left unsaved when the app had to leave: kept, found, discarded, never a crash."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ictui.user.drafts import Draft, discard, draft_path, drafts_for, keep


def a_draft(team_file: str = "/srv/team/team.json", **changes: object) -> Draft:
    values: dict[str, object] = {
        "team_file": team_file,
        "form": "contact point",
        "record_id": None,
        "place": "contacts",
        "fields": {"partner": "Payroll", "why": "two\nlines [bold]"},
        "rev": None,
        "kept_at": "2026-11-20T10:30:00+00:00",
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def test_a_kept_draft_is_found_again_for_its_team_file_only(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    mine = a_draft()
    keep(folder, mine)
    keep(folder, a_draft("/srv/other/team.json"))
    assert drafts_for(folder, mine.team_file) == [mine]


def test_a_draft_file_is_its_owners_alone_and_replaced_atomically(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    path = keep(folder, a_draft())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    newer = a_draft(fields={"partner": "Legal"})
    assert keep(folder, newer) == path  # one per team file, form and record
    assert drafts_for(folder, newer.team_file) == [newer]
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def test_drafts_are_keyed_by_form_and_record(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    new = a_draft()
    editing = a_draft(record_id=12, rev=3)
    plan = a_draft(form="interview plan", place="interviews")
    for draft in (new, editing, plan):
        keep(folder, draft)
    assert len({draft_path(folder, *d.key) for d in (new, editing, plan)}) == 3
    assert {d.key for d in drafts_for(folder, new.team_file)} == {new.key, editing.key, plan.key}
    discard(folder, editing)
    assert editing not in drafts_for(folder, new.team_file)
    discard(folder, editing)  # already gone: no matter


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b"\xff\xfe",
        json.dumps({"team_file": "/srv/team/team.json"}).encode(),
        json.dumps(
            {
                "team_file": "/srv/team/team.json",
                "form": "contact point",
                "record_id": "12",
                "place": "contacts",
                "fields": {},
                "kept_at": "",
            }
        ).encode(),
        json.dumps(
            {
                "team_file": "/srv/team/team.json",
                "form": "contact point",
                "record_id": None,
                "place": "contacts",
                "fields": {"why": 3},
                "kept_at": "",
            }
        ).encode(),
    ],
    ids=["empty", "broken", "list", "bytes", "half", "id as text", "field not text"],
)
def test_a_broken_draft_file_is_passed_over(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "drafts"
    good = a_draft()
    keep(folder, good)
    (folder / ("0" * 32 + ".json")).write_bytes(content)
    assert drafts_for(folder, good.team_file) == [good]


def test_odd_things_in_the_folder_are_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    good = a_draft()
    keep(folder, good)
    (folder / "a-folder.json").mkdir()
    os.symlink(draft_path(folder, *good.key), folder / "link.json")
    os.mkfifo(folder / "fifo.json")
    assert drafts_for(folder, good.team_file) == [good]
    assert drafts_for(tmp_path / "missing", good.team_file) == []


def test_a_draft_with_a_lone_surrogate_is_kept_and_found_again(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    odd = a_draft(fields={"partner": "Payroll", "why": "pasted \ud800 half an emoji"})
    keep(folder, odd)  # such text can be pasted into a form: keeping it must not fail
    assert drafts_for(folder, odd.team_file) == [odd]
