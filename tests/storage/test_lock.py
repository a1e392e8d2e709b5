"""The write lock: served in turn, never fooled by a lock file removed mid-save, honest when it waits."""

from __future__ import annotations

import json
import time

import pytest

from supervisor_tui.storage import LockTimeoutError, Store, StoreError, verify
from supervisor_tui.storage.jsonfile import LockedFile

from .conftest import load, spawn

SLOW_SAVE = r"""
import json, sys, time
from supervisor_tui.storage import Store, StoreError
store = Store(sys.argv[1])
try:
    with store.transaction() as txn:
        txn.create("notes", "N", {"by": "first"})
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    print(json.dumps({"ok": True}), flush=True)
except StoreError as exc:
    print(json.dumps({"ok": False, "message": str(exc)}), flush=True)
"""

WAITER = r"""
import sys, time
from supervisor_tui.storage.jsonfile import LockedFile
file = LockedFile(sys.argv[1])
print("waiting", flush=True)
with file.lock(timeout=20):
    print(time.monotonic(), flush=True)  # CLOCK_MONOTONIC: one clock for every process on the machine
    time.sleep(0.2)
"""

HOLDER = r"""
import sys, time
from supervisor_tui.storage.jsonfile import LockedFile
with LockedFile(sys.argv[1]).lock():
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _wait_for(proc, word: str) -> None:
    line = proc.stdout.readline()
    assert word in line, (line, proc.stderr.read() if proc.poll() is not None else "")


def test_the_save_that_has_waited_longest_goes_first(store_path):
    """A newcomer must not overtake a save that was already waiting (a long waiter used to check the
    lock less and less often, so fresh arrivals kept getting in first)."""
    Store(str(store_path))
    for _ in range(6):
        holder = spawn(HOLDER, store_path, 0.7)
        _wait_for(holder, "holding")
        early = spawn(WAITER, store_path)
        _wait_for(early, "waiting")
        time.sleep(0.45)  # the early one has waited long; now a newcomer arrives just before the release
        late = spawn(WAITER, store_path)
        _wait_for(late, "waiting")
        # readline, not communicate(): the line may already sit in the pipe's read buffer
        got_early, got_late = float(early.stdout.readline()), float(late.stdout.readline())
        for proc in (early, late, holder):
            proc.communicate(timeout=30)
        assert got_early < got_late


def test_clearing_the_lock_mid_save_never_loses_the_second_save(store_path):
    Store(str(store_path))
    first = spawn(SLOW_SAVE, store_path, 1.5)
    _wait_for(first, "holding")
    store_path.with_name(store_path.name + ".lock").unlink()  # a colleague "clears a stale lock"
    second = Store(str(store_path))
    second.create("notes", "N", {"by": "second"})  # gets a fresh lock file straight away
    outcome = json.loads(first.communicate(timeout=30)[0].splitlines()[-1])
    assert not outcome["ok"] and "lock file" in outcome["message"] and "Nothing was changed" in outcome["message"]
    assert [n["by"] for n in Store(str(store_path)).records("notes")] == ["second"]  # not erased by the first
    assert verify(load(store_path)).ok


def test_waiting_too_long_names_who_holds_the_lock(store_path):
    Store(str(store_path))
    holder = spawn(HOLDER, store_path, 3)
    _wait_for(holder, "holding")
    with pytest.raises(LockTimeoutError) as caught:
        with LockedFile(store_path).lock(timeout=0.4):
            pass
    holder.communicate(timeout=30)
    message = str(caught.value)
    assert f"pid {holder.pid}" in message and "Nothing was changed" in message


class CountingRows(dict):
    """A table that counts how often all of it is read."""

    scans = 0

    def __iter__(self):
        CountingRows.scans += 1
        return super().__iter__()


def test_creating_many_records_in_one_transaction_reads_the_table_once(store_path):
    store = Store(str(store_path))
    store.create("members", "M", {"name": "first"})
    store._data["members"] = CountingRows(store._data["members"])
    CountingRows.scans = 0
    with store.transaction() as txn:
        ids = [txn.create("members", "M", {"name": f"p{i}"})["id"] for i in range(300)]
    assert ids[0] == "M-0002" and ids[-1] == "M-0301"
    assert CountingRows.scans <= 2  # it used to rescan every id for each new record: 12,000 rows took 25 s


def test_a_lock_file_removed_while_the_save_is_being_written_never_erases_the_other_save(store_path, monkeypatch):
    """Writing and syncing a big file takes a while. If the lock file is 'cleared' in that time and
    another session saves, the first must notice before its rename, not only before it starts writing."""
    first = Store(str(store_path))
    first.create("notes", "N", {"by": "first", "n": 0})
    second = Store(str(store_path))
    serialise = first._serialise

    def interrupted(data):
        for i, part in enumerate(serialise(data)):
            if i == 3:  # part-way through writing the temp file
                store_path.with_name(store_path.name + ".lock").unlink()  # a colleague "clears a stale lock"
                second.create("notes", "N", {"by": "second"})  # takes a fresh lock file and saves
            yield part

    monkeypatch.setattr(first, "_serialise", interrupted)
    with pytest.raises(StoreError, match="lock file .* was removed or replaced"):
        first.create("notes", "N", {"by": "first", "n": 1})
    assert [n["by"] for n in Store(str(store_path)).records("notes")] == ["first", "second"]
    assert verify(load(store_path)).ok
