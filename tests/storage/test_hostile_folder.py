"""The shared folder is hostile territory: links, stray names and odd files planted by a group member.

Each test plants something a colleague in the same group could plant, then saves, and checks that
nothing outside the record's own folder was touched and the user got a clear message, not a traceback.
"""

from __future__ import annotations

import os
import stat
import struct

import pytest

from supervisor_tui.storage import Store, StoreError, UnusableFileError, verify_record
from supervisor_tui.storage.files import ACL_XATTR


def _snapshot(path):
    return path.read_bytes(), os.stat(path).st_mtime_ns


@pytest.fixture
def victim(tmp_path):
    """A colleague's private file outside the team folder (their shell start-up file)."""
    home = tmp_path / "home-of-alice"
    home.mkdir()
    private = home / ".profile"
    private.write_text("export SECRET=1\n")
    os.chmod(private, 0o600)
    return private


@pytest.fixture
def team(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    return folder / "team.json"


def test_lock_file_linked_to_a_private_file_is_refused_and_the_file_untouched(team, victim):
    store = Store(str(team))
    lock = team.with_name("team.json.lock")
    lock.unlink()
    lock.symlink_to(victim)  # the attack: the next save would truncate or write the colleague's file
    before = _snapshot(victim)
    with pytest.raises(StoreError, match="symbolic link"):
        store.create("notes", "N", {"n": 1})
    assert _snapshot(victim) == before
    assert lock.is_symlink()  # left for whoever planted it to explain; never followed


def test_dangling_lock_link_never_creates_its_target(team, victim):
    target = victim.with_name(".bashrc")  # does not exist yet: creating it would run code as alice
    lock = team.with_name("team.json.lock")
    lock.symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        Store(str(team))  # a new record must take the lock to write its first entry
    assert not target.exists() and not os.path.lexists(team)


@pytest.mark.parametrize("plant", ["folder", "fifo", "hard link"])
def test_a_lock_file_that_is_not_a_plain_file_of_its_own_is_refused(team, victim, plant):
    store = Store(str(team))
    lock = team.with_name("team.json.lock")
    lock.unlink()
    if plant == "folder":
        lock.mkdir()
    elif plant == "fifo":
        os.mkfifo(lock)
    else:
        os.link(victim, lock)  # the same file as alice's, under the lock's name
    with pytest.raises(StoreError) as caught:
        store.create("notes", "N", {"n": 1})
    assert "Traceback" not in str(caught.value) and str(lock.parent) in str(caught.value)
    assert victim.read_text() == "export SECRET=1\n"


def test_a_record_reached_through_a_link_is_saved_in_the_real_file(tmp_path, team):
    Store(str(team)).create("notes", "N", {"n": 1})
    home = tmp_path / "home"
    home.mkdir()
    link = home / "team.json"
    link.symlink_to(team)
    store = Store(str(link))
    assert store.path == team
    store.create("notes", "N", {"n": 2})
    assert link.is_symlink() and os.readlink(link) == str(team)  # the link is kept, not replaced
    assert [n["n"] for n in Store(str(team)).records("notes")] == [1, 2]  # the team sees the change
    assert sorted(os.listdir(home)) == ["team.json"]  # no lock or temp file next to the link


def test_a_dangling_record_link_is_refused_and_nothing_is_created(tmp_path, victim):
    link = tmp_path / "team.json"
    target = victim.with_name("records.json")
    link.symlink_to(target)
    with pytest.raises(UnusableFileError, match="does not exist"):
        Store(str(link))
    assert not target.exists()


def test_a_record_swapped_for_a_link_after_opening_is_not_followed(team, victim):
    """A link planted over the snapshot is replaced by the snapshot (rename never follows a link); the
    file it points to is never written. A link planted over the journal refuses the save."""
    store = Store(str(team))
    store.create("notes", "N", {"n": 1})
    team.unlink()
    team.symlink_to(victim)
    before = _snapshot(victim)
    store.create("notes", "N", {"n": 2})
    assert _snapshot(victim) == before and team.is_file() and not team.is_symlink()
    journal = store.journal.path
    journal.unlink()
    journal.symlink_to(victim)
    with pytest.raises(UnusableFileError, match="symbolic link"):
        store.create("notes", "N", {"n": 3})
    assert _snapshot(victim) == before


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_record_path_that_is_a_folder_or_fifo_is_refused_without_waiting(team, kind):
    if kind == "folder":
        team.mkdir()
    else:
        os.mkfifo(team)  # reading a FIFO would wait for a writer for ever
    with pytest.raises(UnusableFileError, match="not a plain file"):
        Store(str(team))


def test_stray_names_beside_the_file_never_block_a_save(team, victim):
    store = Store(str(team))
    prefix = ".team.json.tmp-"
    (team.parent / f"{prefix}123-deadbeef").mkdir()  # a folder named like our temp file
    (team.parent / f"{prefix}123-deadbeef" / "keep").write_text("x")
    (team.parent / f"{prefix}x").write_text("someone's notes")  # similar name, not our pattern
    (team.parent / f"{prefix}456-cafef00d").symlink_to(victim)  # a link named like our temp file
    store.create("notes", "N", {"n": 1})
    store.create("notes", "N", {"n": 2})
    assert (team.parent / f"{prefix}123-deadbeef" / "keep").read_text() == "x"
    assert (team.parent / f"{prefix}x").read_text() == "someone's notes"
    assert victim.read_text() == "export SECRET=1\n"
    assert verify_record(team).ok


# -- modes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask, mode", [(0o022, 0o640), (0o077, 0o600), (0o007, 0o660), (0o000, 0o660)])
def test_a_new_file_in_a_private_folder_follows_the_umask_but_is_never_world_readable(team, umask, mode):
    old = os.umask(umask)
    try:
        Store(str(team))
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(team).st_mode) == mode


def test_a_new_file_in_a_setgid_group_folder_is_shared_with_that_group(team):
    group = 100  # 'users': any group other than root's own shows the folder's group is taken
    os.chown(team.parent, -1, group)
    os.chmod(team.parent, 0o2770)
    old = os.umask(0o077)  # even a strict umask: the folder says this is shared
    try:
        Store(str(team)).create("notes", "N", {"n": 1})
    finally:
        os.umask(old)
    for path in (team, team.with_name("team.json.lock")):
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o660, group), path


def test_the_shared_option_makes_a_new_file_group_read_write(team):
    old = os.umask(0o077)
    try:
        Store(str(team), shared=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(team).st_mode) == 0o660


def _acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX access ACL as the kernel stores it (what setfacl writes): version 2, then entries."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, perm, ident) for tag, perm, ident in entries)


def test_a_save_keeps_the_files_group_mode_and_access_list(team):
    store = Store(str(team))
    os.chown(team, -1, 100)
    os.chmod(team, 0o640)
    anyone = 0xFFFFFFFF
    # user::rw-, user:nobody:r-- (an auditor), group::r--, mask::r--, other::---
    acl = _acl((0x01, 6, anyone), (0x02, 4, 65534), (0x04, 4, anyone), (0x10, 4, anyone), (0x20, 0, anyone))
    try:
        os.setxattr(team, ACL_XATTR, acl)
    except OSError:
        pytest.skip("this file system has no POSIX ACLs")
    store.create("notes", "N", {"n": 1})
    st = os.stat(team)
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o640, 100)
    assert os.getxattr(team, ACL_XATTR) == acl  # the auditor can still read it


def test_an_access_list_never_makes_a_saved_file_world_readable(team):
    store = Store(str(team))
    anyone = 0xFFFFFFFF
    acl = _acl((0x01, 6, anyone), (0x02, 4, 65534), (0x04, 4, anyone), (0x10, 4, anyone), (0x20, 4, anyone))
    try:
        os.setxattr(team, ACL_XATTR, acl)
        os.setxattr(store.journal.path, ACL_XATTR, acl)
    except OSError:
        pytest.skip("this file system has no POSIX ACLs")
    store.create("notes", "N", {"n": 1})  # appends to the journal
    assert stat.S_IMODE(os.stat(store.journal.path).st_mode) & 0o007 == 0
    store.checkpoint()  # rewrites the snapshot
    assert stat.S_IMODE(os.stat(team).st_mode) & 0o007 == 0


# -- links someone else made, and folders swapped on the way ------------------------------------------
def test_a_record_link_someone_else_made_is_not_followed(tmp_path, team):
    """A colleague's link in a shared folder could send this user's saves (and what they type) into a
    file only this user can write: another team's record, or their own private one."""
    Store(str(team)).create("notes", "N", {"n": 1})
    elsewhere = tmp_path / "other-team"
    elsewhere.mkdir()
    theirs = elsewhere / "records.json"
    Store(str(theirs)).create("notes", "N", {"n": "other team's"})
    before = _snapshot(theirs)
    team.unlink()
    team.symlink_to(theirs)
    os.lchown(team, 54321, -1)  # made by a colleague (any uid but ours, root's or the folder owner's)
    with pytest.raises(UnusableFileError, match="made by uid 54321") as caught:
        Store(str(team))
    assert "real path" in str(caught.value)
    assert _snapshot(theirs) == before


def test_a_link_made_by_the_folders_owner_or_by_the_user_is_followed(tmp_path, team):
    Store(str(team)).create("notes", "N", {"n": 1})
    home = tmp_path / "home-of-sam"
    home.mkdir()
    os.chown(home, 54321, -1)
    link = home / "team.json"
    link.symlink_to(team)
    os.lchown(link, 54321, -1)  # sam's own link in sam's own folder: sam could put anything there
    assert Store(str(link)).path == team


def test_a_folder_swapped_for_a_link_after_the_path_was_resolved_is_not_followed(tmp_path, monkeypatch, victim):
    """The path is resolved, then the folder opened: a part of it swapped for a link in between (a
    race a colleague can win with inotify) must not take the save elsewhere."""
    from supervisor_tui.storage import jsonfile
    from supervisor_tui.storage.files import resolve_record_path

    shared = tmp_path / "shared"
    (shared / "team").mkdir(parents=True)
    record = shared / "team" / "team.json"
    Store(str(record)).create("notes", "N", {"n": 1})

    def resolve_then_swap(path):
        real = resolve_record_path(path)
        (shared / "team").rename(shared / "team-old")
        (shared / "team").symlink_to(victim.parent)  # now 'team' leads into alice's home
        return real

    monkeypatch.setattr(jsonfile, "resolve_record_path", resolve_then_swap)
    before = sorted(os.listdir(victim.parent))
    with pytest.raises(UnusableFileError, match="symbolic link"):
        Store(str(record))
    assert sorted(os.listdir(victim.parent)) == before


# -- sizes a colleague could plant to exhaust everyone's memory ------------------------------------------
def _peak_bytes_while(action) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_giant_lock_file_is_never_read_whole(team):
    store = Store(str(team))
    store.create("notes", "N", {"n": 1})
    lock = team.with_name("team.json.lock")
    with open(lock, "r+b") as fh:
        fh.truncate(600 * 1024 * 1024)  # sparse: costs no disk, but reading it costs 600 MB in each session
    other = Store(str(team))
    other.create("notes", "N", {"n": 2})  # changes the file, so the first store reloads (and reads the token)
    assert _peak_bytes_while(store.refresh) < 50 * 1024 * 1024
    assert len(store.records("notes")) == 2


def test_a_record_file_too_big_to_be_ours_is_refused_unread(team):
    with open(team, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: a gigabyte of JSON took 8 GB and two minutes per session
    peak = []

    def open_it():
        with pytest.raises(UnusableFileError, match="MB") as caught:
            Store(str(team))
        peak.append(str(caught.value))

    assert _peak_bytes_while(open_it) < 50 * 1024 * 1024
    assert "not been changed" in peak[0] and os.path.getsize(team) == 300 * 1024 * 1024
