"""Every entry of a record, newest first, a page at a time (storage.log): on real files, across chunk
edges, across a sealed segment, and when a seal was cut short and both files hold the moved lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from supervisor_tui.storage import Store
from supervisor_tui.storage import log as log_module
from supervisor_tui.storage.jsonfile import LockedFile
from supervisor_tui.storage.log import LogFilter, StalePositionError
from supervisor_tui.storage.seal import sealed_folder_name, segment_journal

from .test_seal import Clock
from .v1files import team_history


def every_seq(store: Store, limit: int, keep: LogFilter | None = None) -> list[int]:
    """Every entry's seq, page by page of ``limit``."""
    seqs: list[int] = []
    page = store.log_page(None, limit, keep)
    seqs += [e["seq"] for e in page.entries]
    while page.next is not None:
        page = store.log_page(page.next, limit, keep)
        seqs += [e["seq"] for e in page.entries]
    return seqs


def build(path, count: int = 30) -> tuple[Store, Clock]:
    clock = Clock(datetime(2023, 1, 1, tzinfo=UTC))
    store = Store(str(path), clock=clock, checkpoint_every=7)
    member = store.create("members", "M", {"name": "Sam", "notes": "x" * 3000})  # longer than a small chunk
    for n in range(count):
        clock.now += timedelta(days=30)
        store.create("shifts", "S", {"n": n, "member_id": member["id"]}, reason="rota")
    store.update("members", member["id"], {"name": "Sam Patel"}, member["version"], reason="married")
    return store, clock


@pytest.mark.parametrize("limit", [1, 7, 1000])
@pytest.mark.parametrize("chunk", [64, 1 << 18])
def test_every_entry_once_newest_first_whatever_the_page_and_chunk(db_path, monkeypatch, limit, chunk):
    """A page can end anywhere, and a line can be longer than the chunk read: no entry is lost or repeated."""
    monkeypatch.setattr(log_module, "_CHUNK", chunk)
    store, _clock = build(db_path)
    head = store.head[0]
    assert every_seq(store, limit) == list(range(head, 0, -1))


def test_the_first_page_reads_only_the_end_of_the_journal(db_path):
    store, _clock = build(db_path)
    page = store.log_page(None, 3)
    assert [e["action"] for e in page.entries][0] == "update" and page.entries[0]["record"] == "M-0001"
    assert page.scanned == 3 and page.next is not None


def test_filters_by_record_table_login_and_time(db_path):
    store, clock = build(db_path, count=5)
    other = Store(str(db_path), clock=clock)
    other.actor = type(store.actor)(login="alice", uid=1001)
    clock.now += timedelta(days=1)
    alice_made = other.create("shifts", "S", {"n": 99})
    store.refresh()  # the list reads what this session has read of the journal: the app polls for more
    member_entries = every_seq(store, 2, LogFilter(records=frozenset({("members", "M-0001")})))
    assert [e["seq"] for e in store.history("members", "M-0001")] == member_entries[::-1]
    assert every_seq(store, 5, LogFilter(records=frozenset({(None, "S-0003")}))) == [
        store.history("shifts", "S-0003")[0]["seq"]
    ]
    by_alice = store.log_page(None, 50, LogFilter(actors=frozenset({"alice"}))).entries
    # her first save also registered her signing key: that is hers too
    assert {e["record"] for e in by_alice} >= {alice_made["id"]} and {e["actor"] for e in by_alice} == {"alice"}
    shifts = store.log_page(None, 50, LogFilter(tables=frozenset({"shifts"}))).entries
    assert len(shifts) == 6 and {e["table"] for e in shifts} == {"shifts"}
    # 2023-03-02 and 2023-04-01: the shifts made on or after 1 March and before 2 April
    window = LogFilter(since="2023-03-01T00:00:00.000000Z", until="2023-04-02T00:00:00.000000Z")
    found = store.log_page(None, 50, window).entries
    assert [e["at"][:10] for e in found] == ["2023-04-01", "2023-03-02"]


def test_a_line_edited_by_hand_is_counted_not_listed(db_path):
    store, _clock = build(db_path, count=3)
    journal = db_path.with_suffix(".journal")
    lines = journal.read_bytes().split(b"\n")
    edited = next(i for i, line in enumerate(lines) if b'"rota"' in line)
    lines[edited] = lines[edited].replace(
        b'"rota"', b'"ROTA"'
    )  # a reason changed in place: its digest no longer matches
    journal.write_bytes(b"\n".join(lines))
    page = store.log_page(None, 100)
    assert page.unreadable == 1 and len(page.entries) == store.head[0] - 1


def test_sealed_entries_are_listed_after_the_live_ones(db_path):
    store, clock = build(db_path)
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    shifts = [r["id"] for r in store.records("shifts")][:10]
    plan = store.seal(date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC), {"shifts": shifts}, "closed")
    assert plan.count
    head = store.head[0]
    assert every_seq(store, 9) == list(range(head, 0, -1))  # the live journal, then the segment's
    sealed = shifts[0]
    assert [e["record"] for e in store.log_page(None, 10, LogFilter(records=frozenset({(None, sealed)}))).entries] == [
        sealed
    ]


def test_a_seal_cut_short_lists_each_entry_once(db_path, monkeypatch):
    """A seal that crashed before its last step leaves the moved lines in the live journal as well as in the
    segment. A reader who cannot write (so cannot finish the seal) still lists every entry once."""
    store, clock = build(db_path)
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    shifts = [r["id"] for r in store.records("shifts")][:10]
    store.seal(date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC), {"shifts": shifts}, "closed")
    head = store.head[0]
    segment = db_path.parent / sealed_folder_name(db_path.name) / segment_journal(1)
    journal = db_path.with_suffix(".journal")
    journal.write_bytes(segment.read_bytes() + journal.read_bytes())  # as it was before the seal's last step
    monkeypatch.setattr(LockedFile, "writable", property(lambda self: False))
    reader = Store(str(db_path), create=False, signer=None)
    assert reader.read_only
    assert every_seq(reader, 8) == list(range(head, 0, -1))


def test_a_position_in_a_journal_since_rewritten_is_refused(db_path):
    """An erasure or a seal replaces the journal: a page position taken before points into the old file."""
    store, clock = build(db_path)
    page = store.log_page(None, 5)
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    shifts = [r["id"] for r in store.records("shifts")][:10]
    store.seal(date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC), {"shifts": shifts}, "closed")
    with pytest.raises(StalePositionError, match="read again from the newest"):
        store.log_page(page.next, 5)


def test_a_record_not_yet_upgraded_lists_its_v1_audit_table(tmp_path):
    """Read by someone who cannot upgrade it (so read as it is): the old audit table, newest first, filtered."""
    path = tmp_path / "team.json"
    team_history().save(path)
    store = Store(str(path), upgrade=False)
    assert store.schema == 1
    every = every_seq(store, 4)
    assert every == list(range(store.head[0], 0, -1))
    by_bob = store.log_page(None, 50, LogFilter(actors=frozenset({"bob"}))).entries
    assert [e["record"] for e in by_bob] == ["C-0001", "M-0001", "M-0002"]
