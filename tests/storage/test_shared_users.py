"""Two real supervisors (separate uids in one group) on one record in a shared folder.

These run real processes as real users: the kernel, not the test, decides what each may open.
"""

from __future__ import annotations

import grp
import os
import stat

from storage import Store, verify

from .conftest import TEAM_GROUP, as_user, load


def test_colleagues_share_a_record_made_in_the_group_folder_whatever_their_umask(team_folder):
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record, umask="077")["ok"]  # a strict umask: the folder still shares it
    assert as_user("suptui-bob", record)["ok"]
    team_gid = grp.getgrnam(TEAM_GROUP).gr_gid
    for path in (record, team_folder / "team.json.lock"):
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o660, team_gid), path
    assert [n["by"] for n in Store(str(record)).records("notes")] == ["suptui-alice", "suptui-bob"]
    assert verify(load(record)).ok


def test_a_lock_file_the_user_cannot_write_gives_a_clear_message(team_folder):
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record)["ok"]
    lock = team_folder / "team.json.lock"
    os.chmod(lock, 0o640)  # as if alice's own tools had made it without group write
    before = record.read_bytes()
    result = as_user("suptui-bob", record)
    assert not result["ok"]
    assert "cannot write the lock file" in result["message"] and "chmod g+w" in result["message"]
    assert record.read_bytes() == before


def test_a_sticky_folder_says_why_a_colleagues_file_cannot_be_replaced(team_folder):
    os.chmod(team_folder, 0o3770)  # setgid and sticky: only a file's owner may replace it
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record)["ok"]
    before = record.read_bytes()
    result = as_user("suptui-bob", record)
    assert not result["ok"] and result["kind"] == "WriteFailedError"
    assert "sticky" in result["message"] and "suptui-alice" in result["message"] and "chmod -t" in result["message"]
    assert record.read_bytes() == before
    assert not [n for n in os.listdir(team_folder) if ".tmp-" in n]  # bob's temp file was cleaned up


def test_a_colleagues_stray_temp_file_in_a_sticky_folder_does_not_block_a_save(team_folder):
    os.chmod(team_folder, 0o3770)
    record = team_folder / "team.json"
    assert as_user("suptui-bob", record)["ok"]
    stray = team_folder / ".team.json.tmp-999-deadbeef"  # alice's, matching our temp-name pattern
    stray.write_text("alice's")
    os.chown(stray, int(os.popen("id -u suptui-alice").read()), -1)
    assert as_user("suptui-bob", record)["ok"]  # bob cannot remove it in a sticky folder; it does not matter
    assert stray.read_text() == "alice's"
    assert len(Store(str(record)).records("notes")) == 2
