"""Faults from outside: a full disk, and files damaged or edited by hand. Never a traceback, never a
half-write, never a record that breaks the app for the next person."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

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

from .conftest import load


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


def test_a_full_disk_refuses_the_save_clearly_and_leaves_the_file_whole(small_disk):
    path = small_disk / "team.json"
    store = Store(str(path))
    for i in range(20):
        store.create("notes", "N", {"n": i, "pad": "x" * 500})
    before = path.read_bytes()
    fill(small_disk, leave=4096)  # less room than a whole new copy of the file needs
    with pytest.raises(WriteFailedError, match="full") as caught:
        store.create("notes", "N", {"n": 99, "pad": "x" * 500})
    assert "nothing was changed" in str(caught.value)
    assert path.read_bytes() == before
    assert not [n for n in os.listdir(small_disk) if ".tmp-" in n]  # the half-written temp file is gone
    (small_disk / "filler").unlink()
    store.create("notes", "N", {"n": 100})  # room again: saving works, nothing was lost
    assert len(Store(str(path)).records("notes")) == 21 and verify_record(path).ok


def _with(data: dict, change) -> dict:
    change(data)
    return data


DAMAGE = [
    ("a row that is not an object", lambda d: d["notes"].update({"2": 5})),
    ("a row without an id", lambda d: d["notes"]["1"].pop("id")),
    ("an audit entry missing (a gap)", lambda d: d["audit"].pop("2")),
    ("an audit entry with no fields", lambda d: d["audit"].update({"2": {"seq": 2}})),
    ("an audit entry that is not an object", lambda d: d["audit"].update({"2": []})),
    ("metadata with a nonsense schema", lambda d: d["meta"]["1"].update({"schema": "x"})),
]


@pytest.mark.parametrize("what, damage", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_file_is_refused_clearly_and_left_alone(store_path, what, damage):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store.create("notes", "N", {"n": 2})
    store_path.write_text(json.dumps(_with(load(store_path), damage)))
    before = store_path.read_bytes()
    with pytest.raises(UnusableFileError) as caught:
        Store(str(store_path))
    assert str(store_path) in str(caught.value) and "not been changed" in str(caught.value)
    assert store_path.read_bytes() == before


@pytest.mark.parametrize("what, damage", DAMAGE[:5], ids=[d[0] for d in DAMAGE[:5]])
def test_verify_reports_damage_as_findings_instead_of_failing(store_path, what, damage):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store.create("notes", "N", {"n": 2})
    report = verify(_with(load(store_path), damage))
    assert not report.ok and report.problems


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


# -- audit entries of the wrong shape: refused at the door, never a crash deep inside a screen ----------
def _rehashed(change):
    """Change an entry and hash it again, as someone covering their tracks would: only its shape is wrong."""
    from supervisor_tui.storage.audit import entry_hash

    def damage(data):
        entry = data["audit"]["3"]
        change(entry)
        entry["hash"] = entry_hash(entry)

    return damage


ENTRY_SHAPES = [
    ("its 'after' is text", lambda e: e.update(after="x")),
    ("its 'before' is a list", lambda e: e.update(before=[1])),
    ("its reason is an object", lambda e: e.update(reason={"a": 1})),
    ("its ssh is a number", lambda e: e.update(ssh=5)),
    ("its uid is text", lambda e: e.update(uid="1000")),
    ("its time has no zone", lambda e: e.update(at="2026-11-22T10:00:00")),
    ("its time is month 13", lambda e: e.update(at="2026-13-01T10:00:00Z")),
    ("its time is year 0", lambda e: e.update(at="0000-01-01T10:00:00Z")),
]


@pytest.mark.parametrize("what, change", ENTRY_SHAPES, ids=[s[0] for s in ENTRY_SHAPES])
def test_an_entry_of_the_wrong_shape_is_refused_by_the_store_and_reported_by_verify(store_path, what, change):
    store = Store(str(store_path))
    note = store.create("notes", "N", {"n": 1})
    store.update("notes", note["id"], {"n": 2}, note["version"])
    data = _with(load(store_path), _rehashed(change))
    store_path.write_text(json.dumps(data))
    with pytest.raises(UnusableFileError, match="audit entry 3 is malformed"):
        Store(str(store_path))
    report = verify(data)  # the same entry is a finding for verify (it used to pass some of these)
    assert not report.ok and "audit entry 3" in report.problems[0]


@pytest.mark.parametrize(
    "what, text",
    [
        ("a number of 5000 digits", lambda t: t.replace('"n": 1', '"n": ' + "9" * 5000, 1)),
        ("a lone surrogate escape", lambda t: t.replace('"n": 1', '"n": "\\ud800"', 1)),
    ],
)
def test_json_python_cannot_write_back_is_refused_clearly(store_path, what, text):
    """Both parse (or nearly): the first used to raise ValueError from json.loads, the second let the file
    open and then made every later save, and verify, fail with UnicodeEncodeError."""
    Store(str(store_path)).create("notes", "N", {"n": 1})
    raw = store_path.read_text()
    assert '"n": 1' in raw
    store_path.write_text(text(raw))
    before = store_path.read_bytes()
    with pytest.raises(UnusableFileError, match="not been changed"):
        Store(str(store_path))
    assert store_path.read_bytes() == before


# -- the file going away or going bad under an open session ----------------------------------------------
def test_a_record_moved_away_while_open_is_never_replaced_by_a_headless_one(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    aside = store_path.with_name("team-backup.json")
    store_path.rename(aside)  # a colleague moves it aside (to back it up, to restore an old copy...)
    with pytest.raises(UnusableFileError, match="no longer there"):
        store.refresh()
    assert [n["n"] for n in store.records("notes")] == [1]  # what the session shows stays as it was read
    with pytest.raises(UnusableFileError, match="Nothing was saved"):
        store.create("notes", "N", {"n": 2})
    # It used to write a file with no metadata and no history, numbering from N-0001 again, that no
    # command could open.
    assert not store_path.exists()
    aside.rename(store_path)
    store.create("notes", "N", {"n": 2})
    assert [n["id"] for n in Store(str(store_path)).records("notes")] == ["N-0001", "N-0002"]
    assert verify_record(store_path).ok


def test_an_emptied_record_is_never_filled_with_a_headless_one(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store_path.write_text("")  # '> team.json' by mistake
    with pytest.raises(UnusableFileError, match="empty"):
        store.create("notes", "N", {"n": 2})
    assert store_path.read_text() == ""


def test_a_file_gone_bad_under_a_session_keeps_its_data_and_is_not_reread(store_path, monkeypatch):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    store_path.write_text('{"meta": ')  # a hand edit half saved
    for _ in range(2):
        with pytest.raises(UnusableFileError, match="not a complete JSON file"):
            store.refresh()
    reads = []
    monkeypatch.setattr(store.file, "read_bytes", lambda: reads.append(1) or (b"", None))
    with pytest.raises(UnusableFileError):
        store.refresh()
    assert reads == []  # the same bad file is not parsed again on every poll
    assert [n["n"] for n in store.records("notes")] == [1]
