"""verify catches edits to records and audit entries, gaps, outside writes, and (with --head) a cut-off end."""

from __future__ import annotations

import pytest

from supervisor_tui.storage import SafeTinyDB, Store, parse_head, verify_record

from .conftest import load, save


@pytest.fixture
def history(store_path):
    store = Store(str(store_path))
    rec = store.create("members", "M", {"name": "Sam Patel", "hours": 37.5})
    rec = store.update("members", rec["id"], {"hours": 30}, rec["version"], "flexible working")
    store.create("members", "M", {"name": "Aisha Khan", "hours": 20})
    return store


def test_untouched_file_verifies(history, store_path):
    report = verify_record(store_path)
    assert report.ok
    assert report.summary() == f"OK: 4 entries, head {history.head_text()}"


def test_edited_record_is_caught(history, store_path):
    data = load(store_path)
    data["members"]["1"]["hours"] = 40
    save(store_path, data)
    report = verify(data)
    assert not report.ok
    assert "M-0001" in report.problems[0] and "hours" in report.problems[0]


@pytest.mark.parametrize(
    "field, value", [("after", {"name": "Someone else"}), ("actor", "mallory"), ("at", "2030-01-01T00:00:00.000000Z")]
)
def test_edited_audit_entry_is_caught(history, store_path, field, value):
    data = load(store_path)
    data["audit"]["2"][field] = value
    report = verify(data)
    assert not report.ok
    assert report.problems[0].startswith("audit entry 2") and "hash" in report.problems[0]


def test_rehashed_edit_still_breaks_the_link(history, store_path):
    from supervisor_tui.storage.audit import entry_hash

    data = load(store_path)
    data["audit"]["2"]["actor"] = "mallory"
    data["audit"]["2"]["hash"] = entry_hash(data["audit"]["2"])
    report = verify(data)
    assert not report.ok and "audit entry 3" in report.problems[0] and "link" in report.problems[0]


def test_consistent_rewrite_dropping_the_last_entry_is_caught_with_head(history, store_path):
    pinned = history.head_text()
    data = load(store_path)
    del data["audit"]["4"]
    del data["members"]["2"]  # the record it created goes too: a consistent, shorter file
    assert verify(data).ok  # the chain alone cannot tell ...
    report = verify(data, parse_head(pinned))  # ... but the head printed on an export can
    assert not report.ok and "removed" in report.problems[0]


def test_gap_in_sequence_is_caught(history, store_path):
    data = load(store_path)
    data["audit"]["5"] = data["audit"].pop("4")
    report = verify(data)
    assert not report.ok and "gap" in report.problems[0]


def test_record_added_outside_the_app_is_caught(history, store_path):
    SafeTinyDB(str(store_path)).table("members").insert({"name": "Ghost"})
    report = verify_record(store_path)
    assert not report.ok and "not in the audit log" in report.problems[0]


def test_bad_head_text_is_refused():
    with pytest.raises(ValueError, match="SEQ:HASH"):
        parse_head("12-abc")
