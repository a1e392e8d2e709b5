"""Several real processes writing one file: nothing lost, no id handed out twice, chain intact."""

from __future__ import annotations

import threading

from tinydb import TinyDB

from supervisor_tui.storage import SafeJSONStorage, SafeTinyDB, Store, verify_record

from .conftest import COUNTER, WRITER, spawn

WRITERS, EACH = 4, 40


def test_many_processes_many_writes_all_land(store_path):
    Store(str(store_path))  # create the file first so every writer opens an existing record
    procs = [spawn(WRITER, store_path, f"w{i}", EACH) for i in range(WRITERS)]
    acknowledged = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acknowledged.extend(out.split())

    store = Store(str(store_path))
    notes = store.records("notes")
    assert len(notes) == WRITERS * EACH
    assert len({n["id"] for n in notes}) == WRITERS * EACH  # no id handed out twice
    assert sorted(acknowledged) == sorted(n["id"] for n in notes)
    for i in range(WRITERS):
        mine = sorted(n["n"] for n in notes if n["writer"] == f"w{i}")
        assert mine == list(range(EACH))
    assert all(n["checked"] and n["version"] == 2 for n in notes)
    report = verify_record(store_path)
    assert report.ok, report.problems
    # init and the creator's key, then each writer's key (each writes as its own login) and a create and an
    # update per write
    assert report.entries == 2 + WRITERS * (1 + EACH * 2)


def test_read_modify_write_in_a_transaction_loses_no_increment(store_path):
    store = Store(str(store_path))
    store.create("counters", "K", {"value": 0})
    procs = [spawn(COUNTER, store_path, 50) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store.refresh()
    assert store.get("counters", "K-0001")["value"] == 150
    assert verify_record(store_path).ok


def test_plain_tinydb_inserts_from_two_processes_never_share_an_id(store_path):
    script = r"""
import sys
from supervisor_tui.storage import SafeTinyDB
db = SafeTinyDB(sys.argv[1])
for i in range(60):
    db.table("plain").insert({"who": sys.argv[2], "i": i})
"""
    Store(str(store_path))
    procs = [spawn(script, store_path, tag) for tag in ("a", "b")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    rows = TinyDB(str(store_path), storage=SafeJSONStorage).table("plain").all()
    assert len(rows) == 120
    assert len({r.doc_id for r in rows}) == 120


def test_threads_in_one_process_share_the_lock_safely(store_path):
    store = Store(str(store_path))
    errors = []

    def work(tag):
        try:
            for i in range(25):
                store.create("notes", "N", {"t": tag, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in "xyz"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(Store(str(store_path)).records("notes")) == 75
    assert verify_record(store_path).ok


def test_safe_tinydb_table_has_no_stale_caches(store_path):
    Store(str(store_path))
    one, two = SafeTinyDB(str(store_path)), SafeTinyDB(str(store_path))
    assert one.table("plain").all() == []
    two.table("plain").insert({"x": 1})
    assert [dict(r) for r in one.table("plain").all()] == [{"x": 1}]  # not a cached empty result
    one.table("plain").insert({"x": 2})
    assert sorted(r.doc_id for r in two.table("plain").all()) == [1, 2]
