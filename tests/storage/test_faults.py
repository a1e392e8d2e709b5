"""Faults from outside: a full disk, and a record's files (the snapshot team.json and the journal
team.journal) damaged or edited by hand. Never a traceback, never a half-write, never a record that
breaks the app for the next person, and never a save reported one way and done the other."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from supervisor_tui.services import Records
from supervisor_tui.storage import (
    DamagedRecordError,
    Store,
    StoreError,
    UnusableFileError,
    WriteFailedError,
    verify_record,
)
from supervisor_tui.storage.journal import seal_value

from ..conftest import record_files
from .conftest import load, save
from .test_tamper import journal_of, line_text, read_lines, rechain, write_lines


def files_of(path: Path) -> list[bytes | None]:
    """The bytes of every file of the record (None where there is none), to prove they were left alone."""
    return [p.read_bytes() if p.exists() else None for p in record_files(path)]


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB file system of its own, so it can really fill up."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def fill(disk, leave: int) -> None:
    """Take all but ``leave`` bytes of the disk."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with open(disk / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


def test_a_full_disk_refuses_the_save_clearly_and_leaves_the_record_whole(small_disk):
    path = small_disk / "team.json"
    store = Store(str(path))
    for i in range(20):
        store.create("notes", "N", {"n": i, "pad": "x" * 500})
    before = files_of(path)
    fill(small_disk, leave=0)  # not even a page for the journal line
    with pytest.raises(WriteFailedError, match="full") as caught:
        store.create("notes", "N", {"n": 99, "pad": "x" * 5000})
    assert "nothing was changed" in str(caught.value)
    assert files_of(path) == before  # no part of the line is left in the journal
    assert not [n for n in os.listdir(small_disk) if ".tmp-" in n]
    (small_disk / "filler").unlink()
    store.create("notes", "N", {"n": 100})  # room again: saving works, nothing was lost
    assert [n["n"] for n in Store(str(path)).records("notes")] == [*range(20), 100]
    assert verify_record(path).ok


def test_a_full_disk_at_a_checkpoint_never_reports_a_durable_save_as_not_saved(small_disk):
    """Told 'Not saved', a supervisor types the record again: it would be there twice. The save is in the
    journal; only the snapshot (a cache of it) waits for room."""
    path = small_disk / "team.json"
    store = Store(str(path), checkpoint_every=1)  # every save also rewrites the snapshot
    for i in range(20):
        store.create("notes", "N", {"n": i, "pad": "x" * 1000})
    snapshot = path.read_bytes()
    fill(small_disk, leave=8192)  # room for a journal line, not for a new ~25 KB snapshot
    store.create("notes", "N", {"n": 99})  # no WriteFailedError: the save is durable
    assert "full" in (store.checkpoint_problem or "") and path.read_bytes() == snapshot
    assert not [n for n in os.listdir(small_disk) if ".tmp-" in n]
    assert 99 in [n["n"] for n in Store(str(path), checkpoint_every=10**6).records("notes")]
    (small_disk / "filler").unlink()
    store.create("notes", "N", {"n": 100})  # room again: the snapshot catches up
    assert store.checkpoint_problem is None
    assert load(path)["meta"]["1"]["journal"]["seq"] == store.head[0]
    assert verify_record(path).ok


# -- damaged files ----------------------------------------------------------------------------------------
# The journal is the record; the snapshot is a cache of it at a known position. A damaged journal line is
# refused at the door and left alone (the next save must not build on it); a damaged snapshot is read past:
# the records come from the journal, the session says why, and a writer puts a sound snapshot back.
@pytest.fixture
def damaged_record(store_path):
    """1 init, 2 key, 3-4 N-0001/N-0002, snapshot at 4; then 5-6 N-0003/N-0004 in the journal only."""
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store.create("notes", "N", {"n": 2})
    store.checkpoint()
    store.create("notes", "N", {"n": 3})
    store.create("notes", "N", {"n": 4})
    return store_path


def _snapshot(change):
    def damage(path):
        data = load(path)
        change(data)
        save(path, data)

    return damage


def _snapshot_text(old: str, new: str):
    def damage(path):
        text = path.read_text()
        assert text.count(old) == 1, text
        path.write_text(text.replace(old, new))

    return damage


def _journal_line(seq: int, text: bytes):
    def damage(path):
        lines = journal_of(path).read_bytes().splitlines(keepends=True)
        lines[seq - 1] = text + b"\n"
        journal_of(path).write_bytes(b"".join(lines))

    return damage


def _drop_line(seq: int):
    def damage(path):
        entries = read_lines(path)
        write_lines(path, entries[: seq - 1] + entries[seq:])

    return damage


# name: (damage, what the session's snapshot_problem says about it)
SNAPSHOT_DAMAGE = {
    "a row that is not an object": (_snapshot(lambda d: d["notes"].update({"2": 5})), "row '2' that is not a record"),
    "a row without an id": (_snapshot(lambda d: d["notes"]["1"].pop("id")), "row 1 has no id or version"),
    "metadata without its journal position": (
        _snapshot(lambda d: d["meta"]["1"].pop("journal")),
        "does not say which journal position it holds",
    ),
    # Not a TinyDB record file at all any more:
    "metadata with a nonsense schema": (
        _snapshot(lambda d: d["meta"]["1"].update({"schema": "x"})),
        "damaged metadata (schema 'x')",
    ),
    "a table that is not a table": (_snapshot(lambda d: d.update({"notes": [1, 2]})), "not a TinyDB file of tables"),
    "half a file (a hand edit half saved)": (lambda p: p.write_text('{"meta": '), "not a complete JSON file"),
    "a number of 5000 digits": (_snapshot_text('"n": 1', '"n": ' + "9" * 5000), "a number far too long"),
    "a lone surrogate escape": (_snapshot_text('"n": 1', '"n": "\\ud800"'), "text that is not valid Unicode"),
    "emptied ('> team.json' by mistake)": (lambda p: p.write_text(""), "is missing or empty"),
}
UNREADABLE = [name for name in SNAPSHOT_DAMAGE if list(SNAPSHOT_DAMAGE).index(name) >= 3 and "emptied" not in name]
JOURNAL_DAMAGE = {
    "a journal line missing (a gap)": _drop_line(5),
    "a journal line with no fields": _journal_line(5, b'{"seq": 5}'),
    "a journal line that is not an object": _journal_line(5, b"[]"),
    "a journal line that is not JSON": _journal_line(5, b"not json at all"),
    "a journal line nested 100000 deep": _journal_line(5, b"[" * 100_000 + b"]" * 100_000),
}


@pytest.mark.parametrize("what", JOURNAL_DAMAGE)
def test_a_damaged_journal_is_refused_clearly_and_left_alone(damaged_record, what):
    JOURNAL_DAMAGE[what](damaged_record)
    before = files_of(damaged_record)
    with pytest.raises(UnusableFileError) as caught:
        Store(str(damaged_record))
    message = str(caught.value)
    journal = journal_of(damaged_record)
    assert message.startswith(f"The journal {journal} is damaged: the line at byte ") and "(entry 5)" in message, (
        message
    )
    assert message.endswith("It has not been changed.")
    assert files_of(damaged_record) == before


@pytest.mark.parametrize("what", JOURNAL_DAMAGE)
def test_the_refusal_of_a_damaged_journal_names_the_file(damaged_record, what):
    JOURNAL_DAMAGE[what](damaged_record)
    with pytest.raises(UnusableFileError) as caught:
        Store(str(damaged_record))
    assert str(journal_of(damaged_record)) in str(caught.value)


@pytest.mark.parametrize("what", JOURNAL_DAMAGE)
def test_verify_reports_a_damaged_journal_as_a_finding(damaged_record, what):
    JOURNAL_DAMAGE[what](damaged_record)
    report = verify_record(damaged_record)
    assert not report.ok
    assert report.problems[0].startswith(f"The journal {journal_of(damaged_record)} is damaged: the line at byte ")
    assert "(entry 5)" in report.problems[0]


@pytest.mark.parametrize("what", SNAPSHOT_DAMAGE)
def test_a_damaged_snapshot_is_read_past_the_journal_gives_every_record_and_is_kept_whole(damaged_record, what):
    damage, says = SNAPSHOT_DAMAGE[what]
    damage(damaged_record)
    journal = journal_of(damaged_record).read_bytes()
    store = Store(str(damaged_record))
    assert [n["n"] for n in store.records("notes")] == [1, 2, 3, 4]  # nothing lost: the journal has it all
    assert str(damaged_record) in (store.snapshot_problem or "") and says in store.snapshot_problem
    assert journal_of(damaged_record).read_bytes() == journal
    store.create("notes", "N", {"n": 5})
    assert journal_of(damaged_record).read_bytes().startswith(journal)
    assert load(damaged_record)["meta"]["1"]["journal"]["seq"] >= 6  # a sound snapshot again, from the journal
    fresh = Store(str(damaged_record))
    assert fresh.snapshot_problem is None and [n["n"] for n in fresh.records("notes")] == [1, 2, 3, 4, 5]
    assert verify_record(damaged_record).ok


@pytest.mark.parametrize("what", [n for n in SNAPSHOT_DAMAGE if n not in UNREADABLE and "emptied" not in n])
def test_verify_reports_a_snapshot_edited_outside_the_app_before_anyone_rebuilds_it(damaged_record, what):
    SNAPSHOT_DAMAGE[what][0](damaged_record)
    report = verify_record(damaged_record)
    assert not report.ok
    assert report.problems[0].startswith(("table notes: record ", f"{damaged_record} is damaged: its metadata"))


@pytest.mark.parametrize("what", UNREADABLE)
def test_verify_proves_the_journal_of_a_record_whose_snapshot_it_cannot_read(damaged_record, what):
    SNAPSHOT_DAMAGE[what][0](damaged_record)
    report = verify_record(damaged_record)
    assert report.entries == 6  # the journal was checked
    assert any(damaged_record.name in text for text in report.problems + report.warnings)


def test_the_notice_about_a_damaged_snapshot_says_what_was_done_with_it(damaged_record):
    from supervisor_tui.services import Records

    SNAPSHOT_DAMAGE["a row without an id"][0](damaged_record)
    damaged = damaged_record.read_bytes()
    records = Records.open(str(damaged_record))
    rewritten = damaged_record.read_bytes() != damaged
    said = " ".join(message for _title, message in records.record_notices())
    assert "row 1 has no id or version" in said
    if rewritten:
        assert "has not been changed" not in said and "the next save writes" not in said, said


def test_deeply_nested_json_is_refused_not_a_recursion_traceback(store_path):
    store_path.write_bytes(b'{"meta": {"1": ' + b"[" * 200_000 + b"]" * 200_000 + b"}}")
    with pytest.raises(UnusableFileError, match="nests"):
        Store(str(store_path))


def test_a_record_that_no_longer_reads_as_its_kind_is_set_aside_and_named(db_path):
    records = Records.open(str(db_path))
    from datetime import date

    from supervisor_tui.domain.people import Member

    records.team.add(Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3)))
    # Written past the domain's checks (an old version's import, or an edit outside the app).
    records.store.create(
        "members", "M", {"name": "Ghost", "job_title": "Advisor", "contract_hours": 900, "date_of_birth": "1990-01-01"}
    )
    fresh = Records.open(str(db_path))
    assert [m.name for m in fresh.team.members()] == ["Sam Patel"]  # the list still works for everyone
    damaged = fresh.damaged(read_all=True)
    assert list(damaged) == ["M-0002"] and "Contract hours" in damaged["M-0002"]
    with pytest.raises(DamagedRecordError, match="M-0002"):
        fresh.team.get("M-0002")
    assert isinstance(DamagedRecordError("x"), StoreError)  # every screen already says "Not saved/Not done"


# -- journal entries of the wrong shape: refused at the door, never a crash deep inside a screen ----------
@pytest.fixture
def two_entries(store_path):
    """1 init, 2 key (snapshot at 2), 3 N-0001 made with n=1, 4 N-0001 changed to n=2."""
    store = Store(str(store_path))
    note = store.create("notes", "N", {"n": 1})
    store.update("notes", note["id"], {"n": 2}, note["version"])
    return store_path


def _changes(value):
    return lambda e: e.update(changes=value)


# (what, which entry, the change, what the Store and verify say). Each entry is hashed again and every
# later link rewritten, as someone covering their tracks would: only its shape (or its sense) is wrong.
ENTRY_SHAPES = [
    ("its uid is text", 3, lambda e: e.update(uid="1000"), "its uid is not a number"),
    ("its time has no zone", 3, lambda e: e.update(at="2026-11-22T10:00:00"), "is not a UTC time stamp"),
    ("its time is month 13", 3, lambda e: e.update(at="2026-13-01T10:00:00.000000Z"), "is not a UTC time stamp"),
    ("its time is year 0", 3, lambda e: e.update(at="0000-01-01T10:00:00.000000Z"), "is not a UTC time stamp"),
    ("its ssh is a number", 3, lambda e: e.update(ssh=5), "its ssh is not text"),
    ("its reason is an object", 3, lambda e: e.update(reason={"a": 1}), "its reason is not a sealed text"),
    ("its reason is a sealed number", 3, lambda e: e.update(reason=seal_value(5)), "its reason is not a sealed text"),
    ("its changes are a list", 3, _changes([]), "its changes are not an object"),
    ("a change is not [old, new]", 3, _changes({"n": [seal_value(1)]}), "its change to 'n' is not [old, new]"),
    ("a change is a bare value", 3, _changes({"n": [None, 1]}), "its change to 'n' is not [old, new]"),
    (
        "it sets the version itself",
        3,
        _changes({"n": [None, seal_value(1)], "version": [None, seal_value(9)]}),
        "it changes version, which only the store sets",
    ),
    ("its action does not exist", 3, lambda e: e.update(action="delete"), "its action 'delete' is unknown"),
    (
        "it makes a record that exists",
        4,
        lambda e: e.update(action="create"),
        "it creates a record that already exists",
    ),
    (
        "it changes a record never made",
        4,
        lambda e: e.update(record="N-0009"),
        "it changes a record that was never created",
    ),
    (
        "its old value is not the record's",
        4,
        lambda e: e["changes"]["n"].__setitem__(0, seal_value(7)),
        "its old value of n is not the value the record had",
    ),
]


@pytest.mark.parametrize("what, seq, change, finding", ENTRY_SHAPES, ids=[s[0] for s in ENTRY_SHAPES])
def test_an_entry_of_the_wrong_shape_is_refused_by_the_store_and_reported_by_verify(
    two_entries, what, seq, change, finding
):
    entries = read_lines(two_entries)
    change(entries[seq - 1])
    write_lines(two_entries, rechain(entries, seq - 1))
    before = files_of(two_entries)
    with pytest.raises(UnusableFileError, match=f"journal entry {seq} ") as caught:
        Store(str(two_entries))
    assert finding in str(caught.value) and str(two_entries) in str(caught.value)
    assert files_of(two_entries) == before
    report = verify_record(two_entries)  # the same entry is a finding for verify, never a traceback
    assert not report.ok
    assert report.problems[0].startswith(f"journal entry {seq} (") and finding in report.problems[0]


# (In the snapshot they are read past like any damage to it: see SNAPSHOT_DAMAGE above.)
RAW = [
    ("a number of 5000 digits", "9" * 5000),
    ("a lone surrogate escape", '"\\ud800"'),
]


@pytest.mark.parametrize("what, raw", RAW, ids=[r[0] for r in RAW])
def test_json_python_cannot_write_back_in_a_journal_line_is_refused_clearly(store_path, what, raw):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 424242})
    store.create("notes", "N", {"n": 2})  # a whole line after it: the damaged one is not a torn end
    journal = journal_of(store_path)
    text = journal.read_text()
    assert text.count('"v":424242') == 1
    journal.write_text(text.replace('"v":424242', f'"v":{raw}'))
    before = files_of(store_path)
    with pytest.raises(UnusableFileError, match="not been changed") as caught:
        Store(str(store_path))
    assert "entry 3" in str(caught.value)
    assert files_of(store_path) == before
    report = verify_record(store_path)
    assert not report.ok and "entry 3" in report.problems[0]


# -- the files going away or going bad under an open session -------------------------------------------
def test_a_record_moved_away_while_open_is_never_replaced_by_a_headless_one(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    aside = [p.with_name("backup-" + p.name) for p in record_files(store_path)]
    for path, moved in zip(record_files(store_path), aside, strict=True):
        path.rename(moved)  # a colleague moves the record aside (to back it up, to restore an old copy...)
    with pytest.raises(UnusableFileError, match="no longer there"):
        store.refresh()
    assert [n["n"] for n in store.records("notes")] == [1]  # what the session shows stays as it was read
    with pytest.raises(UnusableFileError, match="Nothing was saved"):
        store.create("notes", "N", {"n": 2})
    # A new journal from seq 1, numbering from N-0001 again, would be a record no one could trust.
    assert not any(p.exists() for p in record_files(store_path))
    for path, moved in zip(record_files(store_path), aside, strict=True):
        moved.rename(path)
    store.create("notes", "N", {"n": 2})
    assert [n["id"] for n in Store(str(store_path)).records("notes")] == ["N-0001", "N-0002"]
    assert verify_record(store_path).ok


def test_an_emptied_journal_is_never_filled_with_a_headless_one(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    journal_of(store_path).write_text("")  # '> team.journal' by mistake
    with pytest.raises(UnusableFileError, match="cut short or replaced") as caught:
        store.create("notes", "N", {"n": 2})
    assert str(journal_of(store_path)) in str(caught.value)
    assert journal_of(store_path).read_text() == ""
    with pytest.raises(UnusableFileError, match="cut short or replaced"):
        Store(str(store_path))  # nor by the next session to open it


def test_a_journal_gone_bad_under_a_session_keeps_its_data_and_is_not_reread(store_path, monkeypatch):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    journal = journal_of(store_path)
    journal.write_bytes(journal.read_bytes()[:100])  # cut short by hand, mid-line
    with pytest.raises(UnusableFileError, match="cut short"):
        store.refresh()
    reads = []
    monkeypatch.setattr(store.journal, "read_from", lambda *a, **k: reads.append(1) or ([], 0))
    monkeypatch.setattr(store.file, "read_bytes", lambda: reads.append(1) or (b"", None))
    for _ in range(2):
        with pytest.raises(UnusableFileError, match="cut short"):
            store.refresh()
    assert reads == []  # the same bad journal is not read again on every poll
    assert [n["n"] for n in store.records("notes")] == [1]


def test_a_torn_last_line_is_not_damage(store_path):
    """A save that crashed part way leaves a torn line: never acknowledged, so not a fault to refuse."""
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    journal = journal_of(store_path)
    whole = journal.read_bytes()
    torn = line_text(read_lines(store_path)[-1])[:-40]  # a line's start, without its end or its newline
    journal.write_bytes(whole + torn)
    assert [n["n"] for n in Store(str(store_path)).records("notes")] == [1]
    report = verify_record(store_path)
    assert report.ok and any("never finished" in w for w in report.warnings), report.warnings
    Store(str(store_path)).create("notes", "N", {"n": 2})  # the next save removes it first
    assert journal.read_bytes().startswith(whole) and verify_record(store_path).ok
