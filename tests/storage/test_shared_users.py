"""Two real supervisors (separate uids in one group) on one record in a shared folder.

These run real processes as real users: the kernel, not the test, decides what each may open.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess

import pytest

from supervisor_tui.storage import Store, verify_record

from .conftest import TEAM_GROUP, as_user


def test_colleagues_share_a_record_made_in_the_group_folder_whatever_their_umask(team_folder):
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record, umask="077")["ok"]  # a strict umask: the folder still shares it
    assert as_user("suptui-bob", record)["ok"]
    team_gid = grp.getgrnam(TEAM_GROUP).gr_gid
    for path in (record, team_folder / "team.json.lock"):
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o660, team_gid), path
    assert [n["by"] for n in Store(str(record)).records("notes")] == ["suptui-alice", "suptui-bob"]
    assert verify_record(record).ok


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o620])
def test_a_lock_file_the_user_cannot_use_gives_a_clear_message_whose_advice_works(team_folder, mode):
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record)["ok"]
    lock = team_folder / "team.json.lock"
    os.chmod(lock, mode)  # as if alice's own tools had made it without group access
    before = record.read_bytes()
    result = as_user("suptui-bob", record)
    assert not result["ok"]
    assert "cannot write the lock file" in result["message"] and record.read_bytes() == before
    # The advice is what fixes it: a lock is opened for reading and writing (0620 after 'g+w' would not do).
    advice = result["message"].rsplit("Ask its owner to run: ", 1)[1].split()
    assert advice[0] == "chmod" and advice[-1] == str(lock)
    subprocess.run(["runuser", "-u", "suptui-alice", "--", *advice], check=True)
    assert as_user("suptui-bob", record)["ok"]


def test_a_sticky_folder_says_why_a_colleagues_file_cannot_be_replaced(team_folder):
    """In a sticky folder bob may add to the journal alice made (it is the group's to write), but not
    replace her snapshot: a save still works, and a checkpoint says why it cannot be written."""
    os.chmod(team_folder, 0o3770)  # setgid and sticky: only a file's owner may replace it
    record = team_folder / "team.json"
    assert as_user("suptui-alice", record)["ok"]
    before = record.read_bytes()
    assert as_user("suptui-bob", record)["ok"]
    result = as_user("suptui-bob", record, action="save and checkpoint")
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
    assert as_user("suptui-bob", record, action="save and checkpoint")["ok"]  # bob's own snapshot: his to replace


def test_a_link_bob_plants_in_the_team_folder_never_sends_alices_saves_into_her_private_file(team_folder):
    """bob cannot read alice's private record, but a link in the shared folder could make alice write the
    team's notes into it (or into another team's file she can write and bob's team cannot see)."""
    private = team_folder.parent / "alice-private"
    private.mkdir(mode=0o700)
    alice = int(subprocess.run(["id", "-u", "suptui-alice"], capture_output=True, text=True, check=True).stdout)
    os.chown(private, alice, -1)
    mine = private / "mine.json"
    assert as_user("suptui-alice", mine)["ok"]
    before = mine.read_bytes()
    record = team_folder / "team.json"
    subprocess.run(["runuser", "-u", "suptui-bob", "--", "ln", "-s", str(mine), str(record)], check=True)
    result = as_user("suptui-alice", record)
    assert not result["ok"] and result["kind"] == "UnusableFileError"
    assert "made by suptui-bob" in result["message"] and "real path" in result["message"]
    assert mine.read_bytes() == before


def test_a_colleague_erasing_keeps_the_journal_the_teams_and_saving_goes_on(team_folder):
    """Bob erases a note Alice saved: the journal is replaced by Bob's rewrite, and must keep the group,
    the group's write bit and no world bits, or Alice could no longer save (or anyone could read it)."""
    import grp
    import stat

    from supervisor_tui.storage import verify_record

    record = team_folder / "team.json"
    assert as_user("suptui-alice", record, "save a private note")["ok"]
    journal = record.with_name("team.journal")
    before = journal.stat()
    result = as_user("suptui-bob", record, "erase private notes", umask="077")
    assert result["ok"], result
    after = journal.stat()
    assert after.st_ino != before.st_ino and after.st_size > before.st_size
    assert grp.getgrgid(after.st_gid).gr_name == "suptui-team"
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode) and not after.st_mode & 0o007
    assert b"PRIVATE-suptui-alice" not in b"".join(p.read_bytes() for p in team_folder.rglob("*") if p.is_file())
    assert as_user("suptui-alice", record)["ok"]  # Alice saves on, into Bob's rewrite
    report = verify_record(record)
    assert report.ok, report.problems
    assert report.erased and "by suptui-bob" in report.erased[0]
