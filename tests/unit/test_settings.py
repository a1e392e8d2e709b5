"""The user's own settings: private to them, ignored (with a reason) if anyone else could write them, and
read through a typed model that still reads every file an earlier version wrote."""

from __future__ import annotations

import json
import os
import stat

from supervisor_tui import locations, preferences
from supervisor_tui.preferences import UserSettings


def test_settings_are_written_for_the_user_alone():
    preferences.save_settings(UserSettings(theme="daylight"))
    path = locations.settings_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert preferences.load_settings() == UserSettings(theme="daylight") and locations.settings_problem() is None
    assert json.loads(path.read_text()) == {"theme": "daylight"}  # only what was chosen, as before


def test_settings_others_could_change_are_ignored_and_the_reason_given():
    preferences.save_settings(UserSettings(keymap={"team.add": "n"}))
    os.chmod(locations.settings_path(), 0o666)  # anyone could remap this user's keys
    assert preferences.load_settings() == UserSettings()
    assert "chmod 600" in locations.settings_problem()
    preferences.save_settings(UserSettings(theme="daylight"))  # saving again repairs it
    assert stat.S_IMODE(os.stat(locations.settings_path()).st_mode) == 0o600
    assert locations.settings_problem() is None


def write_settings(text: str) -> None:
    path = locations.settings_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, 0o600)


def test_a_file_an_earlier_version_wrote_reads_unchanged_and_keeps_what_this_one_does_not_know():
    write_settings('{\n  "theme": "high-contrast",\n  "keymap": {\n    "team.add": "n"\n  },\n  "later": [1]\n}')
    assert preferences.load_settings() == UserSettings(theme="high-contrast", keymap={"team.add": "n"})
    preferences.save_settings(UserSettings(theme="daylight"))
    assert json.loads(locations.settings_path().read_text()) == {
        "theme": "daylight",
        "keymap": {"team.add": "n"},
        "later": [1],
    }


def test_a_wrong_part_is_left_out_and_the_rest_still_counts():
    write_settings(json.dumps({"theme": "daylight", "keymap": ["team.add", "n"]}))
    assert preferences.load_settings() == UserSettings(theme="daylight")
    write_settings(json.dumps({"theme": {"name": "daylight"}, "keymap": {"team.add": 5}}))
    assert preferences.load_settings() == UserSettings(keymap={"team.add": "5"})  # a digit key, as before
    for text in ("[]", "not json", '{"theme": '):
        write_settings(text)
        assert preferences.load_settings() == UserSettings()


def test_a_full_disk_leaves_no_half_written_settings_file(tmp_path, monkeypatch):
    import shutil
    import subprocess

    import pytest

    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(disk))
        preferences.save_settings(UserSettings(theme="daylight"))
        stats = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize))
        # ~100 KB: no room
        preferences.save_settings(UserSettings(keymap={f"binding.{i}": "x" * 40 for i in range(2000)}))
        folder = locations.settings_path().parent
        assert sorted(os.listdir(folder)) == ["settings.json"]  # no '.settings-xxxx' left to pile up
        assert preferences.load_settings() == UserSettings(theme="daylight")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
