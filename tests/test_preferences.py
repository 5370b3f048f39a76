"""A person's preferences: kept across runs, and never in the way when their file is odd."""

from __future__ import annotations

import stat
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ictui.user.preferences import Preferences, load_preferences, save_preferences


def test_saved_preferences_come_back(tmp_path: Path) -> None:
    path = tmp_path / "config" / "ictui" / "preferences.json"
    save_preferences(path, Preferences(theme="nord"))
    assert load_preferences(path) == Preferences(theme="nord")


def test_the_file_is_the_persons_own_not_the_groups(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    save_preferences(path, Preferences(theme="nord"))
    assert not stat.S_IMODE(path.stat().st_mode) & stat.S_IWGRP


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_preferences(tmp_path / "missing.json") == Preferences()
    assert load_preferences(tmp_path) == Preferences()  # a folder where the file should be


@given(st.binary(max_size=200))
def test_any_bytes_give_preferences_and_stay_untouched(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preferences.json"
        path.write_bytes(data)
        loaded = load_preferences(path)
        assert loaded.theme is None or isinstance(loaded.theme, str)
        assert path.read_bytes() == data


def test_values_of_the_wrong_kind_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    for text in ('{"theme": 3}', '["nord"]', '{"theme": null}', "null"):
        path.write_text(text)
        assert load_preferences(path) == Preferences()
