"""Record v2: saves append to the journal, other sessions follow by reading only what was added, the
snapshot is written at checkpoints, and a crash at any point inside a save or a checkpoint loses
nothing acknowledged and leaves nothing half-done. Real files, real processes, real SIGKILLs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from supervisor_tui.storage import Store, verify_record
from supervisor_tui.storage.journal import Journal

from .conftest import ROOT, _env, journal_entries


def test_another_sessions_save_is_read_from_where_this_one_stopped(store_path, monkeypatch):
    """Following another session costs what it added, not the history: refresh reads the journal from
    the offset this session had reached, and nothing before it."""
    mine = Store(str(store_path))
    for i in range(50):
        mine.create("notes", "N", {"n": i})
    theirs = Store(str(store_path))
    reached = theirs.journal.end
    mine.create("notes", "N", {"n": "new"})
    starts: list[int] = []
    scan = Journal._scan_fd

    def spy(self, fd, start, size, link, continuing=False):
        starts.append(start)
        return scan(self, fd, start, size, link, continuing)

    monkeypatch.setattr(Journal, "_scan_fd", spy)
    assert theirs.refresh()
    assert starts == [reached]  # one read, from where it had stopped
    assert theirs.get("notes", "N-0051")["n"] == "new"
    assert not theirs.refresh()  # nothing new: a stat, no read
    assert starts == [reached]


def test_a_checkpoint_writes_the_snapshot_at_a_journal_position_and_opening_replays_after_it(store_path):
    store = Store(str(store_path), checkpoint_every=5)
    for i in range(12):
        store.create("notes", "N", {"n": i})
    snapshot = json.loads(store_path.read_bytes())
    position = snapshot["meta"]["1"]["journal"]
    assert position["seq"] < store.head[0]  # the last few saves are in the journal only
    assert len(snapshot["notes"]) < 12
    again = Store(str(store_path))
    assert again.data["notes"] == store.data["notes"] and again.head == store.head
    assert verify_record(store_path).ok


def test_entries_store_what_changed_not_whole_copies(store_path):
    store = Store(str(store_path))
    record = store.create("members", "M", {"name": "Sam", "hours": 30, "notes": "x" * 500})
    store.update("members", record["id"], {**record, "hours": 32}, record["version"])
    last = journal_entries(store_path)[-1]
    assert set(last["changes"]) == {"hours"}  # not the 500-character note again
    assert [last["changes"]["hours"][0]["v"], last["changes"]["hours"][1]["v"]] == [30, 32]
    assert last["changes"]["hours"][0]["s"] != last["changes"]["hours"][1]["s"]  # each value its own salt


CRASH_IN_APPEND = r"""
import os, signal, sys
from supervisor_tui.storage import Store
store = Store(sys.argv[1])
real_write = os.write
def half_then_die(fd, data):
    if len(data) > 1000:  # the transaction's lines, not the lock's token
        real_write(fd, data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return real_write(fd, data)
os.write = half_then_die
with store.transaction() as txn:
    for i in range(5):
        txn.create("notes", "N", {"n": "never acknowledged", "pad": "x" * 300})
print("acknowledged", flush=True)
"""

CRASH_IN_CHECKPOINT = r"""
import os, signal, sys
from supervisor_tui.storage import Store
from supervisor_tui.storage.files import Folder
store = Store(sys.argv[1])
real_replace = os.replace
def die_before_rename(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = die_before_rename
store.create("notes", "N", {"n": "acknowledged before the checkpoint"})
print("acknowledged", flush=True)
store.checkpoint()
"""


def _run_until_killed(script: str, path) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=ROOT, env=_env()
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return proc.stdout


def test_a_save_killed_half_way_through_its_append_is_never_read_and_is_removed_by_the_next_save(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": "kept"})
    size_before = store.journal.path.stat().st_size
    assert "acknowledged" not in _run_until_killed(CRASH_IN_APPEND, store_path)
    assert store.journal.path.stat().st_size > size_before  # half a transaction really is on disk
    reader = Store(str(store_path))
    assert [n["n"] for n in reader.records("notes")] == ["kept"]  # the torn transaction is not read
    report = verify_record(store_path)
    assert report.ok and "never finished" in report.warnings[0]
    store.create("notes", "N", {"n": "after"})  # the next save removes it under the lock, then appends
    assert [n["n"] for n in Store(str(store_path)).records("notes")] == ["kept", "after"]
    report = verify_record(store_path)
    assert report.ok and not report.warnings


def test_a_checkpoint_killed_before_its_rename_loses_nothing_and_leaves_no_temp_file(store_path):
    Store(str(store_path)).create("notes", "N", {"n": "first"})
    snapshot_before = store_path.read_bytes()
    assert "acknowledged" in _run_until_killed(CRASH_IN_CHECKPOINT, store_path)
    assert store_path.read_bytes() == snapshot_before  # the old snapshot, whole
    store = Store(str(store_path))  # the journal has the acknowledged save
    assert [n["n"] for n in store.records("notes")] == ["first", "acknowledged before the checkpoint"]
    store.checkpoint()  # taking the lock clears the killed writer's temp file
    assert sorted(p.name for p in store_path.parent.iterdir()) == [
        "record.journal",
        "record.json",
        "record.json.lock",
        "record.keys",
    ]
    assert verify_record(store_path).ok


def test_a_missing_snapshot_is_rebuilt_from_the_journal(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store_path.unlink()
    again = Store(str(store_path))
    assert again.snapshot_problem and [n["n"] for n in again.records("notes")] == [1]
    assert store_path.exists() and verify_record(store_path).ok


@pytest.mark.parametrize("kept", [0, 1])
def test_replay_rebuilds_exactly_what_the_saves_returned(store_path, kept):
    """What a save hands back and what any later reader rebuilds from the journal are the same records,
    envelope included (version, who and when), voids and reasons too."""
    store = Store(str(store_path), checkpoint_every=1 if kept else 10_000)
    a = store.create("members", "M", {"name": "Sam", "tags": ["a", "b"], "nested": {"k": [1, {"x": None}]}})
    b = store.update("members", a["id"], {"name": "Sam P", "tags": []}, a["version"], reason="typo")
    c = store.void("members", a["id"], "left the team", b["version"])
    assert Store(str(store_path)).get("members", a["id"]) == c
    assert c["version"] == 3 and c["void_reason"] == "left the team" and c["voided"]


def test_the_journal_and_snapshot_are_never_world_readable_even_with_a_permissive_umask(store_path):
    old = os.umask(0)
    try:
        store = Store(str(store_path))
        store.create("notes", "N", {"n": 1})
    finally:
        os.umask(old)
    for path in (store_path, store.journal.path):
        assert path.stat().st_mode & 0o007 == 0, path


def test_a_checkpoint_is_due_by_the_snapshot_on_disk_not_by_each_sessions_own_count(store_path):
    """Ten sessions each counting their own saves rewrote the snapshot ten times as often as needed,
    holding the lock for each rewrite: the schedule is the record's (where the snapshot on disk stands)."""
    a = Store(str(store_path), checkpoint_every=5)
    b = Store(str(store_path), checkpoint_every=5)
    for i in range(6):
        a.create("notes", "N", {"n": i})
    written_by_a = store_path.stat().st_mtime_ns, store_path.stat().st_ino
    b.create("notes", "N", {"n": "b"})  # one entry past a's checkpoint: not due
    assert (store_path.stat().st_mtime_ns, store_path.stat().st_ino) == written_by_a
    for i in range(4):
        b.create("notes", "N", {"n": f"b{i}"})  # now five past it: due
    assert store_path.stat().st_ino != written_by_a[1]
    assert b.head[0] - json.loads(store_path.read_bytes())["meta"]["1"]["journal"]["seq"] < 5
