"""A person's preferences: kept across runs, and never in the way when their file is odd."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.user.preferences import Preferences, key_problem, load_preferences, remember_theme


def test_a_theme_remembered_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ictui" / "preferences.json"
    remember_theme(path, "nord")
    assert load_preferences(path) == Preferences(theme="nord")


def test_remembering_a_theme_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    mine = {"theme": "nord", "keys": {"form.save": "f2", "typo.d": "not a key!"}, "note": "mine"}
    path.write_text(json.dumps(mine))
    remember_theme(path, "gruvbox")
    assert json.loads(path.read_text()) == {**mine, "theme": "gruvbox"}


def test_the_file_is_the_persons_own_not_the_groups(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    remember_theme(path, "nord")
    assert not stat.S_IMODE(path.stat().st_mode) & stat.S_IWGRP


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_preferences(tmp_path / "missing.json") == Preferences()
    folder = load_preferences(tmp_path)  # a folder where the file should be
    assert (folder.theme, folder.keys) == (None, {}) and folder.problems


@given(st.binary(max_size=200))
def test_any_bytes_give_preferences_and_stay_untouched(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preferences.json"
        path.write_bytes(data)
        loaded = load_preferences(path)
        assert loaded.theme is None or isinstance(loaded.theme, str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.keys.items())
        assert path.read_bytes() == data


def test_values_of_the_wrong_kind_are_ignored_and_said(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    for text in ('{"theme": 3}', '{"theme": null}', '{"keys": null}'):
        path.write_text(text)
        assert load_preferences(path) == Preferences()
    for text in ('["nord"]', "null", '{"keys": ["f2"]}', '{"keys": {"form.save": 2}}'):
        path.write_text(text)
        loaded = load_preferences(path)
        assert (loaded.theme, loaded.keys) == (None, {}) and loaded.problems, text


def test_keys_are_read_by_id_and_bad_ones_are_said_where(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    keys = {"form.save": " f2 , ctrl+s ", "contacts.verdict": "w", "contacts.add": "ctrl+"}
    path.write_text(json.dumps({"keys": keys}))
    loaded = load_preferences(path)
    assert loaded.keys == {"form.save": "f2,ctrl+s", "contacts.verdict": "w"}
    (problem,) = loaded.problems
    assert "'contacts.add'" in problem and "'ctrl+' is not a key" in problem


@pytest.mark.parametrize(
    "keys", ["f2", "ctrl+s", "w", "?", "question_mark", "ctrl+shift+left", "f2,ctrl+s", "9"]
)
def test_the_names_of_keys_are_taken(keys: str) -> None:
    assert key_problem(keys) is None


@pytest.mark.parametrize("keys", ["", " , ", "ctrl+", "cmd+s", "Ctrl+S", "f 2", "ctrl++"])
def test_what_names_no_key_is_said(keys: str) -> None:
    assert key_problem(keys) is not None


def test_a_theme_is_never_written_over_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    typo = '{"keys": {"form.save": "f2",}}'  # one comma too many
    path.write_text(typo)
    loaded = load_preferences(path)
    assert "not valid JSON" in loaded.problems[0] and "line 1" in loaded.problems[0]
    with pytest.raises(OSError, match="not valid JSON"):
        remember_theme(path, "nord")
    assert path.read_text() == typo
