"""The user's own settings: private to them, and ignored (with a reason) if anyone else could write them."""

from __future__ import annotations

import os
import stat

from supervisor_tui import locations


def test_settings_are_written_for_the_user_alone():
    locations.save_setting("theme", "daylight")
    path = locations.settings_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert locations.load_settings() == {"theme": "daylight"} and locations.settings_problem() is None


def test_settings_others_could_change_are_ignored_and_the_reason_given():
    locations.save_setting("keymap", {"team.add": "n"})
    os.chmod(locations.settings_path(), 0o666)  # anyone could remap this user's keys
    assert locations.load_settings() == {}
    assert "chmod 600" in locations.settings_problem()
    locations.save_setting("theme", "daylight")  # saving again repairs it
    assert stat.S_IMODE(os.stat(locations.settings_path()).st_mode) == 0o600
    assert locations.settings_problem() is None


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
        locations.save_setting("theme", "daylight")
        stats = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize))
        locations.save_setting("keymap", {f"binding.{i}": "x" * 40 for i in range(2000)})  # ~100 KB: no room
        folder = locations.settings_path().parent
        assert sorted(os.listdir(folder)) == ["settings.json"]  # no '.settings-xxxx' left to pile up
        assert locations.load_settings() == {"theme": "daylight"}
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
