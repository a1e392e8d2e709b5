"""Unusable files are refused and left alone; permissions; voiding; clocks; stale saves."""

from __future__ import annotations

import json
import os
import stat

import pytest

from supervisor_tui.storage import (
    Actor,
    ConflictError,
    NotFoundError,
    Store,
    StoreError,
    UnusableFileError,
    VoidedError,
    verify_record,
)


@pytest.mark.parametrize(
    "content",
    [
        b"this is not json",
        b'{"_default": {}}',
        b"[1, 2, 3]",
        b'{"meta": {"1": {"format": "something-else"}}}',
    ],
)
def test_unusable_file_is_refused_and_unchanged(store_path, content):
    """A file that is not a record (and has no journal beside it) is never taken over."""
    store_path.write_bytes(content)
    before = (store_path.read_bytes(), os.stat(store_path).st_mtime_ns)
    with pytest.raises(UnusableFileError) as caught:
        Store(str(store_path))
    assert str(store_path) in str(caught.value) and "not been changed" in str(caught.value)
    assert (store_path.read_bytes(), os.stat(store_path).st_mtime_ns) == before


def test_a_snapshot_cut_in_half_is_rebuilt_from_the_journal(store_path):
    """The snapshot is the records as of a journal position, nothing more: cut in half (a disk error, a
    careless copy), the record is read from the journal alone, says why, and a writer writes it again."""
    Store(str(store_path)).create("members", "M", {"name": "Sam"})
    whole = store_path.read_bytes()
    store_path.write_bytes(whole[: len(whole) // 2])
    store = Store(str(store_path))
    assert "not valid JSON" in (store.snapshot_problem or "") or "damaged" in (store.snapshot_problem or "")
    assert [m["name"] for m in store.records("members")] == ["Sam"]
    assert json.loads(store_path.read_bytes())["members"]["1"]["name"] == "Sam"  # written again, whole
    assert verify_record(store_path).ok


def test_existing_mode_is_kept_but_never_world_readable(store_path):
    store = Store(str(store_path))
    journal = store.journal.path
    for path in (store_path, journal):
        os.chmod(path, 0o640)
    store.create("members", "M", {"name": "Sam"})
    store.checkpoint()
    assert [stat.S_IMODE(os.stat(p).st_mode) for p in (store_path, journal)] == [0o640, 0o640]
    for path in (store_path, journal):
        os.chmod(path, 0o664)
    store.create("members", "M", {"name": "Aisha"})  # a save appends to the journal: its world bits go
    assert stat.S_IMODE(os.stat(journal).st_mode) == 0o660
    store.checkpoint()  # a checkpoint rewrites the snapshot: so do its
    assert stat.S_IMODE(os.stat(store_path).st_mode) == 0o660


@pytest.mark.skipif(os.geteuid() == 0, reason="root bypasses file permissions")
def test_file_the_user_cannot_write_is_read_only(store_path):
    Store(str(store_path)).create("members", "M", {"name": "Sam"})
    os.chmod(store_path, 0o440)
    os.chmod(store_path.parent, 0o550)
    try:
        store = Store(str(store_path))
        assert store.read_only
        with pytest.raises(StoreError, match="read-only"):
            store.create("members", "M", {"name": "Aisha"})
    finally:
        os.chmod(store_path.parent, 0o750)


def test_stale_save_is_refused_naming_who_and_writes_nothing(store_path):
    mine = Store(str(store_path))
    rec = mine.create("members", "M", {"name": "Sam", "hours": 37.5})
    theirs = Store(str(store_path), actor=Actor("alice", 1001, "10.0.0.7:50122"))
    theirs.update("members", rec["id"], {"hours": 30}, 1)
    head = Store(str(store_path)).head
    with pytest.raises(ConflictError) as caught:
        mine.update("members", rec["id"], {"name": "Sam Patel"}, 1)
    assert "alice" in str(caught.value) and caught.value.fields == ["hours"]
    assert caught.value.current["hours"] == 30
    assert Store(str(store_path)).head == head


def test_voided_records_stay_readable_and_frozen(store_path):
    store = Store(str(store_path))
    rec = store.create("members", "M", {"name": "Typo"})
    with pytest.raises(StoreError, match="reason"):
        store.void("members", rec["id"], "  ", 1)
    store.void("members", rec["id"], "entered by mistake", 1)
    assert store.records("members") == []
    assert store.records("members", include_voided=True)[0]["void_reason"] == "entered by mistake"
    assert store.get("members", rec["id"])["voided"] is True
    with pytest.raises(VoidedError):
        store.update("members", rec["id"], {"name": "x"}, 2)
    with pytest.raises(NotFoundError):
        store.get("members", "M-0099")
    assert verify_record(store_path).ok


def test_unchanged_update_writes_nothing(store_path):
    store = Store(str(store_path))
    rec = store.create("members", "M", {"name": "Sam"})
    head = store.head
    assert store.update("members", rec["id"], {"name": "Sam"}, 1)["version"] == 1
    assert store.head == head


def test_transaction_that_fails_writes_nothing(store_path):
    store = Store(str(store_path))
    head = store.head
    with pytest.raises(RuntimeError):
        with store.transaction() as txn:
            txn.create("members", "M", {"name": "one"})
            raise RuntimeError("half way")
    assert Store(str(store_path)).head == head and Store(str(store_path)).records("members") == []
    assert store.records("members") == []
