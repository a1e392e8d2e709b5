"""Faults from outside: a full disk, and files damaged or edited by hand. Never a traceback, never a
half-write, never a record that breaks the app for the next person."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from storage import DamagedRecordError, Store, StoreError, UnusableFileError, WriteFailedError, verify
from supervisor_tui.services import Records

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
    assert len(Store(str(path)).records("notes")) == 21 and verify(load(path)).ok


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
    from supervisor_tui.domain.people import Member
    from datetime import date

    records.team.add(Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5,
                            date_of_birth=date(1990, 4, 3)))
    # Written past the domain's checks (an old version's import, or an edit outside the app).
    records.store.create("members", "M", {"name": "Ghost", "job_title": "Advisor", "contract_hours": 900,
                                          "date_of_birth": "1990-01-01"})
    fresh = Records.open(str(db_path))
    assert [m.name for m in fresh.team.members()] == ["Sam Patel"]  # the list still works for everyone
    damaged = fresh.damaged(read_all=True)
    assert list(damaged) == ["M-0002"] and "Contract hours" in damaged["M-0002"]
    with pytest.raises(DamagedRecordError, match="M-0002"):
        fresh.team.get("M-0002")
    assert isinstance(DamagedRecordError("x"), StoreError)  # every screen already says "Not saved/Not done"
