"""Sealed periods: closed records before a cut-off move into a read-only segment chained to the live journal.

Real files throughout, and real processes killed at each step of a seal: whatever the crash, a reader reads
every record (live or sealed) as it was, the next writer finishes the seal, and verify proves segments and
live journal as one chain.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from supervisor_tui.storage import Store, verify_record
from supervisor_tui.storage.errors import NotFoundError, ReadOnlyError, StoreError
from supervisor_tui.storage.seal import SealedError, journal_first_seq, sealed_files

from .conftest import ROOT, _env

CUT_OFF = date(2024, 1, 1)
UNTIL = datetime(2024, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def build(path: Path) -> tuple[Store, Clock, list[str]]:
    """A record with a month's shift from February 2023 to September 2024 (twelve before the cut-off), a
    member changed either side of the cut-off, and a shift from before it edited after it (so it stays live)."""
    clock = Clock(datetime(2023, 1, 1, tzinfo=UTC))
    store = Store(str(path), clock=clock, checkpoint_every=7)
    member = store.create("members", "M", {"name": "Sam"})
    shifts = []
    for month in range(20):
        clock.now += timedelta(days=30)
        shifts.append(store.create("shifts", "S", {"month": month, "member": member["id"]})["id"])
        if month == 5:
            member = store.update("members", member["id"], {"name": "Sam Patel"}, member["version"])
            store.void("shifts", shifts[3], "entered twice", 1)  # a voided record is closed too
    clock.now = datetime(2024, 9, 1, tzinfo=UTC)
    store.update("shifts", shifts[2], {"month": 2, "member": member["id"], "note": "late correction"}, 1)
    store.update("members", member["id"], {"name": "Sam R Patel"}, member["version"])
    clock.now = datetime(2024, 10, 1, tzinfo=UTC)
    return store, clock, shifts


def everything(store: Store) -> dict[str, dict]:
    """Every shift, live or sealed, by id."""
    rows = {r["id"]: r for r in store.records("shifts", include_voided=True)}
    rows.update({r["id"]: r for r in store.sealed_records("shifts")})
    return rows


@pytest.fixture
def record(tmp_path):
    path = tmp_path / "team.json"
    store, clock, shifts = build(path)
    return path, store, clock, shifts


def test_a_seal_moves_closed_records_and_the_journal_before_the_cut_off_into_a_read_only_segment(record):
    path, store, _clock, shifts = record
    before = everything(store)
    plan = store.seal(CUT_OFF, UNTIL, {"shifts": shifts[:12]}, "yearly seal")
    # Shifts whose every change is before the cut-off are sealed; the one corrected after it stays live.
    sealed_ids = {r["id"] for r in store.sealed_records("shifts")}
    assert sealed_ids == {s for s in shifts[:12] if s != shifts[2]}
    assert plan.changed_since == 1 and shifts[2] in {r["id"] for r in store.records("shifts")}
    assert everything(store) == before  # nothing lost, nothing changed
    assert everything(Store(str(path))) == before
    # Chained by hash: the live journal continues from the segment's last entry.
    segment = path.parent / "team.sealed" / "0001.journal"
    last = json.loads(segment.read_bytes().splitlines()[-1])
    first = json.loads(path.with_suffix(".journal").read_bytes().splitlines()[0])
    assert (first["seq"], first["prev"]) == (last["seq"] + 1, last["hash"])
    assert store.segments()[0].through == (last["seq"], last["hash"])
    # The segment files are read-only and never the world's; the journal lines were moved byte for byte.
    for name in ("0001.journal", "0001.json"):
        mode = stat.S_IMODE((path.parent / "team.sealed" / name).stat().st_mode)
        assert mode & 0o222 == 0 and mode & 0o007 == 0, oct(mode)
    assert not stat.S_IMODE((path.parent / "team.sealed").stat().st_mode) & 0o007
    report = verify_record(path)
    assert report.ok, report.problems
    assert any("sealed segment 1" in note for note in report.notes)
    assert sealed_files(path) == [segment, segment.with_suffix(".json")]


def test_a_sealed_record_reads_but_cannot_be_changed_and_its_number_is_never_given_again(record):
    path, store, _clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    other = Store(str(path))
    assert other.get("shifts", shifts[0])["month"] == 0
    with pytest.raises(SealedError, match=rf"{shifts[0]} is sealed \(segment 1, .*before 01/01/2024\)"):
        other.update("shifts", shifts[0], {"month": 99}, 1)
    assert isinstance(SealedError("x"), ReadOnlyError)
    with pytest.raises(NotFoundError):
        other.get("shifts", "S-0999")
    # The highest numbers are sealed too: deleting every live shift would still not reuse one.
    made = other.create("shifts", "S", {"month": 99})
    assert made["id"] == f"S-{len(shifts) + 1:04d}"


def test_history_finds_a_records_early_changes_in_the_segment(record):
    path, store, _clock, shifts = record
    member_id = store.records("members")[0]["id"]
    before = [(c["seq"], c["action"], c["changes"]) for c in store.history("members", member_id)]
    sealed_before = [(c["seq"], c["action"]) for c in store.history("shifts", shifts[0])]
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    reader = Store(str(path))
    assert [(c["seq"], c["action"], c["changes"]) for c in reader.history("members", member_id)] == before
    assert [(c["seq"], c["action"]) for c in reader.history("shifts", shifts[0])] == sealed_before


def test_a_second_seal_chains_to_the_first_and_only_the_segments_needed_are_read(record):
    path, store, clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "first")
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    store.seal(date(2024, 7, 1), datetime(2024, 7, 1, tzinfo=UTC), {"shifts": shifts}, "second")
    assert [s.number for s in store.segments()] == [1, 2]
    assert verify_record(path).ok
    one = json.loads((path.parent / "team.sealed" / "0001.journal").read_bytes().splitlines()[-1])
    two = json.loads((path.parent / "team.sealed" / "0002.journal").read_bytes().splitlines()[0])
    assert two["prev"] == one["hash"]
    reader = Store(str(path))
    os.chmod(path.parent / "team.sealed" / "0001.json", 0)  # unreadable (even to root: see below)
    (path.parent / "team.sealed" / "0001.json").rename(path.parent / "team.sealed" / "gone")
    # Records dated from the first cut-off on are only in segment 2: segment 1 is never opened for them.
    assert {r["id"] for r in reader.sealed_records("shifts", since=date(2024, 1, 1))} == {
        r["id"] for r in store.sealed.records(store.segments()[1])["shifts"].values()
    }
    with pytest.raises(StoreError, match="0001.json is missing"):
        reader.sealed_records("shifts", since=date(2023, 6, 1))


def test_a_session_open_before_the_seal_follows_it(record):
    path, store, _clock, shifts = record
    other = Store(str(path))
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    assert other.refresh()
    assert {r["id"] for r in other.records("shifts")} == {r["id"] for r in store.records("shifts")}
    other.create("shifts", "S", {"month": 100})  # its save goes on from the cut journal
    assert verify_record(path).ok


def test_nothing_to_seal_is_refused_and_changes_nothing(record):
    path, store, _clock, shifts = record
    journal = path.with_suffix(".journal").read_bytes()
    with pytest.raises(StoreError, match="nothing to seal"):
        store.seal(date(2023, 1, 15), datetime(2023, 1, 15, tzinfo=UTC), {"shifts": shifts}, "too early")
    with pytest.raises(StoreError, match="reason"):
        store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, " ")
    assert path.with_suffix(".journal").read_bytes() == journal
    assert not (path.parent / "team.sealed").exists() or not os.listdir(path.parent / "team.sealed")


def test_a_lost_snapshot_is_rebuilt_from_the_segments_and_the_live_journal(record):
    path, store, _clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts[:12]}, "yearly seal")
    before = everything(store)
    path.unlink()
    reader = Store(str(path))
    assert everything(reader) == before
    assert reader.snapshot_rebuilt and path.exists()
    assert everything(Store(str(path))) == before
    assert verify_record(path).ok


# -- tampering ------------------------------------------------------------------------------------------
def _writable(file: Path) -> Path:
    os.chmod(file, 0o640)
    return file


def test_verify_names_a_sealed_record_edited_in_its_segment(record):
    path, store, _clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    segment = _writable(path.parent / "team.sealed" / "0001.json")
    data = json.loads(segment.read_text())
    data["shifts"]["1"]["month"] = 42
    segment.write_text(json.dumps(data))
    report = verify_record(path)
    assert not report.ok and "record S-0001 of shifts differs" in report.problems[0]


def test_verify_fails_a_missing_or_edited_segment_journal(record):
    path, store, _clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    segment = _writable(path.parent / "team.sealed" / "0001.journal")
    lines = segment.read_bytes().splitlines(keepends=True)
    segment.write_bytes(b"".join(lines[:2] + [lines[2].replace(b'"actor":"', b'"actor":"x')] + lines[3:]))
    report = verify_record(path)
    assert not report.ok and "0001.journal is damaged" in report.problems[0]
    segment.unlink()
    report = verify_record(path)
    assert not report.ok and "where 1 was due" in report.problems[0]


def test_a_record_number_reused_after_a_seal_fails_verify(record, monkeypatch):
    path, store, _clock, shifts = record
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    monkeypatch.setattr(Store, "next_number", lambda self, table: 1)  # an old app that forgot the sealed numbers
    with pytest.raises(StoreError, match="a number already used by a sealed record"):
        store.create("shifts", "S", {"month": -1})  # written, then refused as the store replays it
    report = verify_record(path)
    assert not report.ok and "a number already used by a sealed record" in report.problems[0]


# -- crashes ------------------------------------------------------------------------------------------------
KILLED_SEALING = r"""
import os, sys
from datetime import UTC, date, datetime
from supervisor_tui.storage import Store
from supervisor_tui.storage.files import Folder
from supervisor_tui.storage.journal import Journal
path, where = sys.argv[1], sys.argv[2]
shifts = sys.argv[3].split(",")
die = lambda: os.kill(os.getpid(), 9)
if where == "after the segment files":
    Journal.append = lambda self, entries, sign=None: die()
elif where == "inside the seal entry's append":
    def torn(self, fd, data, at):
        os.pwrite(fd, data[: len(data) // 2], at)
        os.fsync(fd)
        die()
    Journal._write_whole = torn
elif where in ("after the seal entry", "after the journal was cut"):
    calls = []
    real = Store._write_snapshot
    def counted(self):
        calls.append(1)
        if len(calls) == (1 if where == "after the seal entry" else 2):
            die()
        real(self)
    Store._write_snapshot = counted
elif where == "as the journal is replaced":
    real_replace = os.replace
    def replace(src, dst, **kw):
        if dst.endswith("team.journal"):
            die()
        real_replace(src, dst, **kw)
    os.replace = replace
store = Store(path, clock=lambda: datetime(2024, 10, 1, tzinfo=UTC))
store.seal(date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC), {"shifts": shifts}, "yearly seal")
print("the seal was not killed")
"""


def seal_killed(path: Path, where: str, shifts: list[str]) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_SEALING, str(path), where, ",".join(shifts)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr


@pytest.mark.parametrize(
    ("where", "committed"),
    [
        ("after the segment files", False),
        ("inside the seal entry's append", False),
        ("after the seal entry", True),
        ("as the journal is replaced", True),
        ("after the journal was cut", True),
    ],
)
def test_a_seal_killed_at_each_step_loses_nothing_and_the_next_writer_finishes_or_redoes_it(record, where, committed):
    path, store, _clock, shifts = record
    before = everything(store)
    seal_killed(path, where, shifts)
    # A reader, at once: every record as it was, live or sealed; nothing written, nothing repaired.
    reader = Store(str(path), upgrade=False)
    assert everything(reader) == before
    assert bool(reader.segments()) == committed
    report = verify_record(path)
    assert report.ok, report.problems
    if not committed:
        assert any("not named by any seal entry" in w for w in report.warnings), report.warnings
        # The next seal replaces the orphan segment and goes through.
        store = Store(str(path), clock=lambda: datetime(2024, 10, 1, tzinfo=UTC))
        store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal, again")
    else:
        # The next writer finishes the seal: the live journal no longer holds the sealed lines.
        Store(str(path), clock=lambda: datetime(2024, 10, 1, tzinfo=UTC)).create("notes", "N", {"n": 1})
    segment = Store(str(path)).segments()[0]
    assert journal_first_seq(Store(str(path)).journal) == segment.through[0] + 1
    assert everything(Store(str(path))) == before
    report = verify_record(path)
    assert report.ok and not report.warnings, (report.problems, report.warnings)
    assert sorted(os.listdir(path.parent / "team.sealed")) == ["0001.journal", "0001.json"]
    assert not [n for n in os.listdir(path.parent) if ".tmp-" in n]


# -- noticed while building sealing --------------------------------------------------------------------------
@pytest.mark.xfail(
    strict=True,
    reason="Store.get finds a live row by the number in the id alone: get('notes', 'X-0001') returns N-0001 "
    "(sealed records are matched by the whole id; the live lookup predates sealing and is left as it is)",
)
def test_a_record_is_found_by_its_whole_id_not_its_number_alone(store_path):
    store = Store(str(store_path))
    store.create("notes", "N", {"n": 1})
    with pytest.raises(NotFoundError):
        store.get("notes", "X-0001")
