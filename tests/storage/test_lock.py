"""The write lock: served in turn, never fooled by a lock file removed mid-save, honest when it waits."""

from __future__ import annotations

import json
import os
import pwd
import threading
import time

import pytest

from supervisor_tui.storage import (
    LockCancelledError,
    LockTimeoutError,
    Store,
    StoreError,
    stop_waiting_when,
    verify_record,
)
from supervisor_tui.storage.jsonfile import LockedFile

from .conftest import spawn

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
    assert verify_record(store_path).ok


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


def test_a_lock_file_removed_while_a_save_catches_up_never_lets_two_saves_append_at_once(store_path, monkeypatch):
    """If the lock file is 'cleared' while a save holds it and another session saves meanwhile, the first
    must notice before it writes its lines: both would append at the same offset, one over the other."""
    first = Store(str(store_path))
    first.create("notes", "N", {"by": "first", "n": 0})
    second = Store(str(store_path))
    opening, done = first.journal._open_for_writing, []

    def interrupted():
        if not done:
            done.append(True)
            store_path.with_name(store_path.name + ".lock").unlink()  # a colleague "clears a stale lock"
            second.create("notes", "N", {"by": "second"})  # takes a fresh lock file and appends
        return opening()

    monkeypatch.setattr(first.journal, "_open_for_writing", interrupted)
    with pytest.raises(StoreError, match="lock file .* was removed or replaced"):
        first.create("notes", "N", {"by": "first", "n": 1})
    monkeypatch.undo()
    assert sorted(n["by"] for n in Store(str(store_path)).records("notes")) == ["first", "second"]
    assert verify_record(store_path).ok


def test_a_lock_file_removed_while_the_snapshot_is_being_written_never_erases_the_other_save(store_path, monkeypatch):
    """Writing and syncing a big snapshot takes a while. If the lock file is 'cleared' in that time and
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
        first.checkpoint()
    assert [n["by"] for n in Store(str(store_path)).records("notes")] == ["first", "second"]
    assert verify_record(store_path).ok


# -- asking who holds the lock, and stopping a wait ----------------------------------------------


def test_who_holds_the_lock_is_named_without_waiting_and_never_includes_this_process(store_path):
    store = Store(str(store_path))
    assert store.lock_holders() == []
    holder = spawn(HOLDER, store_path, 1.5)
    _wait_for(holder, "holding")
    started = time.monotonic()
    (them,) = store.lock_holders()
    assert time.monotonic() - started < 0.5  # asked, not waited for
    assert them.pid == holder.pid and them.login == pwd.getpwuid(os.getuid()).pw_name
    holder.communicate(timeout=30)
    assert store.lock_holders() == []
    with store.transaction():  # our own save holding it is not someone to wait for
        assert [h.pid for h in store.file.holders()] == [os.getpid()] and store.lock_holders() == []


def test_asking_who_holds_the_lock_never_creates_the_lock_file(tmp_path):
    from supervisor_tui.storage.files import Folder
    from supervisor_tui.storage.lock import RecordLock

    assert RecordLock(Folder(tmp_path), "record.json.lock").holders() == []
    assert not (tmp_path / "record.json.lock").exists()  # a 0600 lock file here would shut the group out


def test_stopping_a_wait_gives_up_before_anything_is_written(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"by": "me"})
    before = store_path.read_bytes()
    holder = spawn(HOLDER, store_path, 3)
    _wait_for(holder, "holding")
    stop = threading.Event()
    outcome: dict = {}

    def save() -> None:
        try:
            with stop_waiting_when(stop.is_set):
                store.create("notes", "N", {"by": "me, later"})
        except StoreError as exc:
            outcome["error"] = exc

    saver = threading.Thread(target=save)
    saver.start()
    time.sleep(0.4)
    assert saver.is_alive()  # waiting its turn behind the holder
    stop.set()
    saver.join(timeout=1)
    assert not saver.is_alive()  # gave up at once, not at the holder's release or the time-out
    holder.communicate(timeout=30)
    error = outcome["error"]
    assert isinstance(error, LockCancelledError) and "Nothing was changed" in str(error)
    assert f"pid {holder.pid}" in str(error)  # whom it had been waiting for
    assert store_path.read_bytes() == before
    assert [n["by"] for n in Store(str(store_path)).records("notes")] == ["me"]
    store.create("notes", "N", {"by": "me, again"})  # the queue is not left blocked by the stopped wait
    assert verify_record(store_path).ok


def test_a_stop_asked_for_before_the_save_starts_writes_nothing(store_path):
    store = Store(str(store_path))
    before = store_path.read_bytes()
    with stop_waiting_when(lambda: True), pytest.raises(LockCancelledError):
        store.create("notes", "N", {"by": "me"})
    assert store_path.read_bytes() == before


def test_a_stop_asked_for_once_the_lock_is_taken_never_cuts_the_save_short(store_path):
    """Either nothing is written or all of it: once the lock is taken the save runs to its end."""
    store = Store(str(store_path))
    stop = threading.Event()
    with stop_waiting_when(stop.is_set):
        with store.transaction() as txn:
            txn.create("notes", "N", {"n": 1})
            stop.set()  # Esc pressed while it writes
            txn.create("notes", "N", {"n": 2})
    assert [n["n"] for n in Store(str(store_path)).records("notes")] == [1, 2]
    assert verify_record(store_path).ok


def test_stopping_one_threads_wait_leaves_another_threads_wait_alone(store_path):
    store_a, store_b = Store(str(store_path)), Store(str(store_path))
    holder = spawn(HOLDER, store_path, 1)
    _wait_for(holder, "holding")
    results: dict[str, object] = {}

    def save(name: str, store: Store, stop) -> None:
        try:
            with stop_waiting_when(stop):
                results[name] = store.create("notes", "N", {"by": name})["id"]
        except StoreError as exc:
            results[name] = exc

    threads = [
        threading.Thread(target=save, args=("stopped", store_a, lambda: True)),
        threading.Thread(target=save, args=("patient", store_b, lambda: False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    holder.communicate(timeout=30)
    assert isinstance(results["stopped"], LockCancelledError)
    assert [n["by"] for n in Store(str(store_path)).records("notes")] == ["patient"]
