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
