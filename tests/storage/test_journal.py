"""The v2 journal file: chained entries, erasable values, whole transactions only, crashes, a full disk,
hostile names. Real files, and real processes where another session or a crash is the point."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys

import pytest

from supervisor_tui.storage import StoreError, UnusableFileError, WriteFailedError
from supervisor_tui.storage.audit import GENESIS_PREV, canonical
from supervisor_tui.storage.journal import (
    BrokenJournalError,
    Journal,
    erase,
    is_erased,
    journal_entry_hash,
    seal_value,
    value_digest,
    verify_chain,
)
from supervisor_tui.storage.jsonfile import LockedFile

from .conftest import ROOT, _env, spawn


@pytest.fixture
def record(tmp_path) -> LockedFile:
    return LockedFile(tmp_path / "team.json")


@pytest.fixture
def journal(record) -> Journal:
    return Journal.beside(record)


def txn(*names: str, pad: int = 0) -> list[dict]:
    return [
        {"action": "update", "record": n, "changes": {"note": [None, seal_value(f"note about {n}" + "x" * pad)]}}
        for n in names
    ]


def lines_of(path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def chain_of(n_entries: int, per_txn: int = 3) -> tuple[bytes, str]:
    """A valid journal of ``n_entries`` built directly (no fsync per transaction): its bytes and head hash."""
    out, prev = [], GENESIS_PREV
    for seq in range(1, n_entries + 1):
        i = (seq - 1) % per_txn + 1
        n = min(per_txn, n_entries - (seq - i))
        entry = {"action": "create", "record": f"N-{seq:06d}", "seq": seq, "prev": prev, "txn": [i, n]}
        entry["hash"] = prev = journal_entry_hash(entry)
        out.append(json.dumps(entry, separators=(",", ":")).encode() + b"\n")
    return b"".join(out), prev


# -- the chain -------------------------------------------------------------------------------------
def test_entries_are_chained_and_each_transaction_is_one_write(record, journal, monkeypatch):
    writes: list[int] = []
    real_write = os.write

    def counting(fd, data):
        writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", counting)
    with record.lock():
        first = journal.append(txn("a", "b", "c"))
        second = journal.append(txn("d"))
    monkeypatch.undo()

    assert [e["seq"] for e in first + second] == [1, 2, 3, 4]
    assert [e["txn"] for e in first + second] == [[1, 3], [2, 3], [3, 3], [1, 1]]
    assert first[0]["prev"] == GENESIS_PREV
    for before, after in zip(first + second, (first + second)[1:], strict=False):
        assert after["prev"] == before["hash"]
    on_disk = lines_of(journal.path)
    assert on_disk == first + second  # what append returned is exactly what was written
    for entry in on_disk:
        body = {k: v for k, v in entry.items() if k != "hash"}
        for ref in (v[1] for v in body["changes"].values()):
            ref.pop("v"), ref.pop("s")  # the hash sees each value only through its digest
        assert entry["hash"] == hashlib.sha256(canonical(body)).hexdigest()
    sizes = [len(line) + 1 for line in journal.path.read_bytes().splitlines()]
    assert writes == [sum(sizes[:3]), sizes[3]]  # one write of all a transaction's lines
    assert journal.head == (4, second[0]["hash"]) and journal.end == sum(sizes)
    assert Journal.beside(record).verify().ok


def test_an_edited_or_missing_line_is_named_when_read_and_verified(record, journal):
    with record.lock():
        journal.append(txn("a", "b"))
        journal.append(txn("c"))
    lines = journal.path.read_bytes().splitlines(keepends=True)

    edited = json.loads(lines[1])
    edited["record"] = "someone else"
    journal.path.write_bytes(lines[0] + json.dumps(edited).encode() + b"\n" + lines[2])
    with pytest.raises(BrokenJournalError, match=r"entry 2\).*hash that does not match") as caught:
        Journal.beside(record).read_from(0)
    assert (caught.value.seq, caught.value.offset) == (2, len(lines[0]))
    assert "entry 2" in Journal.beside(record).verify().problems[0]

    journal.path.write_bytes(lines[0] + lines[2])  # a line taken out
    with pytest.raises(BrokenJournalError, match=r"entry 2\) has seq 3 where 2 was due"):
        Journal.beside(record).read_from(0)
    journal.path.write_bytes(lines[2])  # a whole transaction taken out
    with pytest.raises(BrokenJournalError, match="seq 3 where 1 was due"):
        Journal.beside(record).read_from(0)


# -- erasable values -------------------------------------------------------------------------------
def test_the_same_value_sealed_twice_has_different_digests_that_do_not_reveal_it():
    one, two = seal_value("Alice Smith"), seal_value("Alice Smith")
    assert one["d"] != two["d"] and one["s"] != two["s"] and len(bytes.fromhex(one["s"])) == 16
    assert one["d"] != hashlib.sha256(canonical("Alice Smith")).hexdigest()  # no guess confirms it unsalted
    assert value_digest(one) == hashlib.sha256(bytes.fromhex(one["s"]) + canonical("Alice Smith")).hexdigest()
    assert erase(one) == {"d": one["d"]} and is_erased(erase(one)) and not is_erased(one)
    with pytest.raises(ValueError, match="does not match"):
        value_digest({**one, "v": "Bob Jones"})


def test_erasing_values_keeps_the_chain_valid_and_is_reported(record, journal):
    with record.lock():
        journal.append(txn("a", "b", "c"))
        journal.append(txn("d"))
    entries = lines_of(journal.path)
    secret = entries[1]["changes"]["note"][1]["v"]
    entries[1]["changes"]["note"][1] = erase(entries[1]["changes"]["note"][1])
    erased = journal.path.with_name("erased.tmp")  # replaced whole, as an erasure will (a new inode)
    erased.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    erased.replace(journal.path)

    assert secret.encode() not in journal.path.read_bytes()
    report = Journal.beside(record).verify()
    assert report.ok, report.problems
    assert report.entries == 4 and report.erased == [
        f"entry 2: changes.note[1] (digest {entries[1]['changes']['note'][1]['d'][:12]}…)"
    ]
    assert [e["seq"] for e in Journal.beside(record).read_from(0)[0]] == [1, 2, 3, 4]
    with record.lock():
        with pytest.raises(UnusableFileError, match="was replaced"):
            journal.append(txn("e"))  # its offset is into the old file: never trusted in the new one
        again = Journal.beside(record)
        again.read_from(0)
        assert again.append(txn("e"))[0]["seq"] == 5  # appending after an erasure continues the chain

    # A value swapped in place (digest kept) is caught: the hash covers the value only through the digest.
    entries = lines_of(journal.path)
    entries[2]["changes"]["note"][1]["v"] = "not what was written"
    assert "entry 3" in verify_chain(entries).problems[0]


# -- tailing ---------------------------------------------------------------------------------------
def test_a_second_journal_object_tails_exactly_the_new_entries(record, journal):
    reader = Journal.beside(record)
    assert reader.read_from(0) == ([], 0)
    with record.lock():
        journal.append(txn("a", "b"))
    got, offset = reader.read_from(0)
    assert [e["seq"] for e in got] == [1, 2]
    with record.lock():
        journal.append(txn("c"))
        journal.append(txn("d", "e", "f"))
    got, offset = reader.read_from(offset)
    assert [e["seq"] for e in got] == [3, 4, 5, 6] and offset == os.path.getsize(journal.path)
    assert reader.read_from(offset) == ([], offset)
    assert reader.head == journal.head


TAILER = r"""
import json, sys
from pathlib import Path
from supervisor_tui.storage.files import Folder
from supervisor_tui.storage.journal import Journal
journal = Journal(Folder(Path(sys.argv[1])), sys.argv[2])
offset = 0
for _ in sys.stdin:
    entries, offset = journal.read_from(offset)
    print(json.dumps([e["seq"] for e in entries]), flush=True)
"""


def test_another_process_tails_exactly_the_new_entries(record, journal, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", TAILER, str(tmp_path), journal.name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )

    def tail() -> list[int]:
        assert proc.stdin and proc.stdout
        proc.stdin.write("\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    try:
        assert tail() == []
        with record.lock():
            journal.append(txn("a", "b", "c"))
        assert tail() == [1, 2, 3]
        assert tail() == []
        with record.lock():
            journal.append(txn("d"))
            journal.append(txn("e", "f"))
        assert tail() == [4, 5, 6]
    finally:
        proc.kill()
        proc.wait()


WRITER = r"""
import sys
from supervisor_tui.storage.jsonfile import LockedFile
from supervisor_tui.storage.journal import Journal
record = LockedFile(sys.argv[1])
journal = Journal.beside(record)
for i in range(int(sys.argv[2])):
    with record.lock():
        journal.append([{"n": i, "k": k, "pad": "x" * 30000} for k in range(3)])
"""


def test_a_reader_never_sees_part_of_a_transaction_another_process_is_writing(record, journal):
    rounds = 150
    writer = spawn(WRITER, record.path, rounds)
    seen, offset, reads, partial_seen = [], 0, 0, 0
    try:
        while True:
            done = writer.poll() is not None
            got, offset = journal.read_from(offset)  # raises if the chain or a txn grouping is broken
            reads += 1
            partial_seen += journal.path.exists() and os.path.getsize(journal.path) > offset
            if got:
                assert got[0]["txn"][0] == 1 and got[-1]["txn"][0] == got[-1]["txn"][1]  # whole transactions
                seen.extend(e["seq"] for e in got)
            if done:
                break
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert seen == list(range(1, 3 * rounds + 1))
    assert reads > 10  # it really read while the writer wrote


def test_append_picks_up_another_sessions_appends_first(record, tmp_path):
    # Two sessions' journal objects, each with its own idea of the end (another process is tested above).
    mine, theirs = Journal.beside(record), Journal.beside(record)
    with record.lock():
        mine.append(txn("a"))
        theirs.append(txn("b", "c"))
        mine.append(txn("d"))
        theirs.append(txn("e"))
    report = Journal.beside(record).verify()
    assert report.ok and report.entries == 5, report.problems


def test_writing_without_the_lock_is_refused(record, journal):
    with pytest.raises(RuntimeError, match="lock"):
        journal.append(txn("a"))
    with pytest.raises(RuntimeError, match="lock"):
        journal.repair_tail()
    assert not journal.path.exists()


def test_append_reads_only_what_others_added_never_the_whole_journal(record, journal, monkeypatch):
    data, head = chain_of(30_000)
    journal.path.write_bytes(data)
    journal.resume(len(data), 30_000, head)  # as a snapshot's journal position would give it
    read: list[int] = []
    real_pread = os.pread

    def counting(fd, size, at):
        chunk = real_pread(fd, size, at)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "pread", counting)
    with record.lock():
        assert journal.append(txn("a", "b", "c"))[0]["seq"] == 30_001
        assert sum(read) == 0
        other = Journal.beside(record)
        other.resume(len(data), 30_000, head)
        other.append(txn("d"))
        journal.append(txn("e"))  # catches up with exactly the one line the other appended
    # other read journal's 3 lines, journal read other's one line: only what was added, never the history
    assert sum(read) == sum(map(len, journal.path.read_bytes().splitlines(keepends=True)[-5:-1]))
    monkeypatch.undo()
    assert Journal.beside(record).verify().entries == 30_005


# -- crashes ---------------------------------------------------------------------------------------
TORN_WRITER = r"""
import os, sys, time
from supervisor_tui.storage.jsonfile import LockedFile
from supervisor_tui.storage.journal import Journal
path, cut = sys.argv[1], sys.argv[2]
record = LockedFile(path)
journal = Journal.beside(record)
real_write = os.write
def torn_write(fd, data):
    data = bytes(data)
    ends = [i + 1 for i, b in enumerate(data) if b == 10]
    k = {"half a line": ends[0] // 2, "two of three lines": ends[1], "two and a half lines": (ends[1] + ends[2]) // 2}[cut]
    real_write(fd, data[:k])
    print(k, flush=True)
    time.sleep(120)  # SIGKILLed here, holding the lock, with the transaction part written
os.write = torn_write
with record.lock():
    journal.append([{"n": "torn", "k": k} for k in range(3)])
"""


@pytest.mark.parametrize("cut", ["half a line", "two of three lines", "two and a half lines"])
def test_a_writer_killed_mid_transaction_leaves_nothing_anyone_reads(record, journal, cut):
    with record.lock():
        journal.append(txn("a", "b"))
        journal.append(txn("c"))
    tailer = Journal.beside(record)
    tailer.read_from(0)
    before = journal.path.read_bytes()

    child = spawn(TORN_WRITER, record.path, cut)
    assert child.stdout
    written = int(child.stdout.readline() or 0)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert written > 0 and journal.path.read_bytes()[: len(before)] == before
    assert os.path.getsize(journal.path) == len(before) + written

    fresh = Journal.beside(record)
    entries, offset = fresh.read_from(0)
    assert [e["seq"] for e in entries] == [1, 2, 3] and offset == len(before)  # the torn part never returned
    assert tailer.read_from(tailer.end) == ([], len(before))
    assert fresh.verify().unfinished is not None
    with record.lock():
        with pytest.raises(UnusableFileError, match="unfinished transaction"):
            Journal.beside(record).append(txn("refused"))  # never glued onto a torn line
        repaired = fresh.repair_tail()
        assert repaired is not None and repaired.removed_bytes == written and repaired.offset == len(before)
        whole = {"half a line": 0, "two of three lines": 2, "two and a half lines": 2}[cut]
        assert (repaired.first_seq, repaired.whole_lines) == (4, whole)
        assert repaired.last_seq == 4 + whole - (cut == "two of three lines")
        assert journal.path.read_bytes() == before
        assert fresh.repair_tail() is None
        nxt = Journal.beside(record).append(txn("d"))
    assert nxt[0]["seq"] == 4 and nxt[0]["prev"] == entries[-1]["hash"]
    assert [e["seq"] for e in tailer.read_from(tailer.end)[0]] == [4]
    report = Journal.beside(record).verify()
    assert report.ok and report.entries == 4 and report.unfinished is None


def test_repair_never_removes_a_whole_transaction(record, journal):
    with record.lock():
        journal.append(txn("a"))
        journal.append(txn("b", "c"))
    lines = journal.path.read_bytes().splitlines(keepends=True)
    damaged = lines[0] + b"\0" * 40 + b"\n" + lines[1] + lines[2]  # scraps before whole transactions
    journal.path.write_bytes(damaged)
    with record.lock(), pytest.raises(BrokenJournalError, match=r"entry 2\) is not a JSON entry"):
        Journal.beside(record).repair_tail()
    assert journal.path.read_bytes() == damaged

    journal.path.write_bytes(lines[0] + lines[1] + lines[2] + b"\0" * 40 + b"\n" + b"\0" * 10)  # scraps at the end
    with record.lock():
        repaired = Journal.beside(record).repair_tail()
    assert repaired is not None and repaired.removed_bytes == 51
    assert journal.path.read_bytes() == b"".join(lines)


# -- a full disk -----------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB file system of its own, so it can really fill up."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]).returncode:
        pytest.skip("mounting a tmpfs is not permitted here (a container without CAP_SYS_ADMIN?)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def test_a_full_disk_refuses_the_append_and_leaves_no_partial_line(small_disk, monkeypatch):
    record = LockedFile(small_disk / "team.json")
    journal = Journal.beside(record)
    with record.lock():
        journal.append(txn("a", "b"))
    before = journal.path.read_bytes()
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * free)

    results: list[int] = []
    real_write = os.write

    def recording(fd, data):
        done = real_write(fd, data)
        results.append(done)
        return done

    monkeypatch.setattr(os, "write", recording)
    with record.lock(), pytest.raises(WriteFailedError, match="full") as caught:
        journal.append(txn("c", "d", "e", pad=3000))
    monkeypatch.undo()
    assert "nothing was changed" in str(caught.value)
    assert results and 0 < results[0] < 9000  # part of the transaction really was written, then cut back
    assert journal.path.read_bytes() == before
    assert Journal.beside(record).read_from(0)[1] == len(before)

    (small_disk / "filler").unlink()
    with record.lock():
        assert journal.append(txn("c"))[0]["seq"] == 3  # room again: the chain continues from before
    assert Journal.beside(record).verify().ok


# -- hostile names ---------------------------------------------------------------------------------
def test_a_symlink_planted_in_place_of_the_journal_is_refused(record, journal, tmp_path):
    victim = tmp_path / "private.txt"
    victim.write_text("a colleague's own file\n")
    journal.path.symlink_to(victim)
    with pytest.raises(UnusableFileError, match="symbolic link"):
        Journal.beside(record).read_from(0)
    with record.lock(), pytest.raises(UnusableFileError, match="symbolic link"):
        journal.append(txn("a"))
    with record.lock(), pytest.raises(UnusableFileError, match="symbolic link"):
        journal.repair_tail()
    assert victim.read_text() == "a colleague's own file\n" and journal.path.is_symlink()

    journal.path.unlink()
    journal.path.symlink_to(tmp_path / "nowhere.txt")  # dangling: its target is never created
    with record.lock(), pytest.raises(UnusableFileError, match="symbolic link"):
        journal.append(txn("a"))
    assert not (tmp_path / "nowhere.txt").exists()


def test_a_hard_linked_journal_is_refused(record, journal, tmp_path):
    with record.lock():
        journal.append(txn("a"))
    os.link(journal.path, tmp_path / "elsewhere")
    with pytest.raises(UnusableFileError, match="hard links"):
        Journal.beside(record).read_from(0)
    with record.lock(), pytest.raises(StoreError, match="hard links"):
        journal.append(txn("b"))


def test_a_new_journal_takes_the_records_mode_and_group(record, journal):
    record.path.write_text("{}")
    os.chmod(record.path, 0o660)
    with record.lock():
        journal.append(txn("a"))
    assert oct(os.stat(journal.path).st_mode & 0o777) == oct(0o660)
    assert os.stat(journal.path).st_gid == os.stat(record.path).st_gid


def test_verify_chain_refuses_interleaved_or_unfinished_transactions():
    def chained(txns: list[list[int]]) -> list[dict]:
        out, prev = [], GENESIS_PREV
        for seq, t in enumerate(txns, 1):
            entry = {"action": "create", "seq": seq, "prev": prev, "txn": t}
            entry["hash"] = prev = journal_entry_hash(entry)
            out.append(entry)
        return out

    assert verify_chain(chained([[1, 2], [2, 2], [1, 1]])).ok
    assert "was cut short or interleaved" in verify_chain(chained([[1, 2], [1, 1]])).problems[0]
    assert "unfinished" in verify_chain(chained([[1, 1], [1, 3], [2, 3]])).problems[0]
