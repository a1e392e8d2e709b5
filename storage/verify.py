"""Checking a whole record: ``supervisor-tui verify``.

For a v2 record (snapshot + journal) it proves, and reports the first thing that breaks:

- the journal's chain: every hash recomputed (values by their salted digests), every link, ``seq``
  without gaps, transactions whole, every value still present matching its digest;
- the replay: every entry possible where it stands (no create of a record that exists, no change to
  one never created or voided, old values that were the record's), and the snapshot's records exactly
  those the journal gives at the position the snapshot names;
- who wrote what: every entry signed with the key registered in the record for the login that made
  it (as registered by the end of the entry's transaction), each key registered by its own login, and
  each login's key the one that login published beside the record (a file only they can write);
- for a record upgraded from v1: the v1 file's own chain, and every converted entry matching it;
- ``--head SEQ:HASH``: that entry is still there with that hash (a v1 hash for an entry converted
  from v1, so heads printed before the upgrade still prove the record);
- sealed segments: their journals and the live journal as one chain (see :func:`journal_files`), and
  each segment's records exactly those its seal entry took, as the journal left them (see ``seal``).

Values erased on purpose are findings, not failures: the chain still proves around them.

How, for a long journal (``PARALLEL_FROM`` lines on): worker processes take byte ranges of the journal's
files, cut at line ends, and prove what each line proves alone (its JSON, hash and value digests, its
shape, no key given twice, its signature against the key its author most probably had: see
``_verify_lines``), sending back a few values a line. This process parses the lines too, as the workers
go, for what needs the lines before (seq, links, transactions, the replay, the key each entry really
needed, checking again itself any signature the workers checked against another). Wherever a fast proof
does not hold, the original checks (``journal``, ``entries``) decide, so every finding and its wording is
theirs, as when it all ran in one process.
"""

from __future__ import annotations

import gc
import json
import marshal
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _verify_lines as lines_check
from ._verify_lines import SHAPE_UNKNOWN, KeyPlan, LineResult, canonical, first_duplicate_key
from .audit import AUDIT, META, VerifyReport
from .audit import verify as verify_v1
from .entries import KEYS_TABLE, Tables, replay, replay_problem, shape_problem
from .erasure import ErasureAudit
from .errors import UnusableFileError
from .files import Folder
from .journal import (
    GENESIS,
    BrokenJournalError,
    Journal,
    Link,
    damaged_line,
    entry_problem,
    is_erased,
    open_after,
    parses_as_entry,
    txn_of,
)
from .jsonfile import LockedFile, duplicate_keys
from .seal import SealedChain, Unsettled, chain_journals, orphan_warnings, segment_problem
from .signing import PublicKey, published_key
from .store import SCHEMA, read_record, schema_of, snapshot_position
from .upgrade import journal_upgrades, v1_name

PARALLEL_FROM = 4000  # journal lines: from this many on, the per-line checks run in worker processes
CHUNK_BYTES = 1 << 20  # what a worker checks at a time (small enough to keep every core busy to the end)
SigJob = tuple[int, str, str, str, str]  # (seq, login, public key, hash, signature)


@dataclass
class RecordReport(VerifyReport):
    """What ``verify`` found in a record, beyond the v1 report: erasures and notes for an auditor."""

    erased: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signed: int = 0


def verify_record(path: str | os.PathLike[str], head: tuple[int, str] | None = None) -> VerifyReport:
    """Verify the record at ``path`` (v1 or v2). Raises UnusableFileError only for a file that is not a
    record at all (not ours, not JSON, a link); everything wrong *inside* a record is in the report."""
    collecting = gc.isenabled()
    gc.disable()  # a long journal is millions of small objects, none of them in a cycle: collecting is pure cost
    try:
        return _verify_record(path, head)
    finally:
        if collecting:
            gc.enable()


def _verify_record(path: str | os.PathLike[str], head: tuple[int, str] | None) -> VerifyReport:
    file = LockedFile(path)
    journal = Journal.beside(file)
    has_journal = bool((file.folder.lstat(journal.name) or os.stat_result((0,) * 10)).st_size)
    # The workers start on the journal's lines at once, while this process reads the snapshot.
    lines = _JournalLines(file, journal) if has_journal else None
    try:
        unreadable, raw = None, b""
        try:
            raw, _sig = file.read_bytes()
            data = read_record(raw, file.path) if raw.strip() else None
        except UnusableFileError as exc:
            if not has_journal:
                raise
            # The journal holds the record: prove it, and report the snapshot no one can read.
            data, unreadable = None, str(exc)
        if data is None and unreadable is None and not has_journal:
            raise UnusableFileError(f"{file.path} is empty")
        if (
            data is not None
            and schema_of(data) < SCHEMA
            and not (has_journal and journal_upgrades(file.folder, journal.name, data))
        ):
            # A v1 record (a journal beside it that is not its upgrade is not the record: the app ignores it).
            return _with_keys_given_twice(verify_v1(data, head), raw, data)
        verifier = _Verifier(file, journal, data, head, lines or _JournalLines(file, journal))
        if unreadable is not None:
            verifier.report.problems.append(f"the snapshot cannot be read: {unreadable}")
            verifier.unreadable = True
        return _with_keys_given_twice(verifier.run(), raw, data)
    finally:
        if lines is not None:
            lines.close()


def _with_keys_given_twice(report: VerifyReport, raw: bytes, data: Any) -> VerifyReport:
    """``report``, first naming a key the file gives twice in one object: we read one of its values, and
    another tool may read the other (the journal's lines are checked for the same as they are proved)."""
    twice = duplicate_keys(raw, data) if data is not None else []
    if twice:
        report.problems.insert(
            0,
            f"the file gives the key {twice[0][:40]!r} twice in one object ({len(twice)} such "
            "key(s)): readers disagree about which value counts (edited outside the app)",
        )
    return report


def journal_files(file: LockedFile, journal: Journal) -> SealedChain:
    """The journal files to walk, oldest first, as one chain: the sealed segments', then the live journal."""
    return chain_journals(file, journal)


@dataclass
class _Part:
    """One file of the journal, as read."""

    path: Path
    data: bytes
    end: int  # just after its last '\\n': what follows is a torn line (or nothing)


@dataclass
class _Chunk:
    """Bytes ``start`` to ``end`` of part ``part``: whole lines, what one worker checks at a time."""

    part: int
    start: int
    end: int


class _JournalLines:
    """The journal's files, read, and the checks of each of their lines under way: in worker processes,
    from the moment the files are read, for a long journal (here, as they are asked for, for a short one).

    Reading refused (a link planted under the journal's name, say) is raised when the lines are first
    asked for, as it was when the journal was read after the snapshot; never if they are not needed."""

    def __init__(self, file: LockedFile, journal: Journal) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.error: Exception | None = None  # raised where reading the journal would have raised it
        self.chain: SealedChain | None = None
        self.parts: list[_Part] = []
        self.chunks: list[_Chunk] = []
        self.by_part: list[range] = []  # the chunks of each part
        self.plan: KeyPlan = {}
        self.futures: list[Future[list[LineResult]]] = []
        try:
            self.chain = journal_files(file, journal)
            self.parts = [_read_part(j.folder, j.name) for j in self.chain.journals]
        except Exception as exc:  # noqa: BLE001 - raised again when the lines are asked for, if they are
            self.error = exc
            return
        for index, part in enumerate(self.parts):
            start, first = 0, len(self.chunks)
            while start < part.end:
                end = part.data.find(b"\n", min(start + CHUNK_BYTES, part.end) - 1) + 1
                self.chunks.append(_Chunk(index, start, end))
                start = end
            self.by_part.append(range(first, len(self.chunks)))
        self.plan = _key_plan(self.parts)
        cores = _cores()
        if cores < 2 or sum(part.data.count(b"\n", 0, part.end) for part in self.parts) < PARALLEL_FROM:
            return
        self.pool = ProcessPoolExecutor(
            min(cores, 8),
            mp_context=_fork_context(),
            initializer=lines_check.set_up,
            initargs=([part.data for part in self.parts], self.plan, os.getpid()),
        )
        self.futures = [self.pool.submit(lines_check.check_range, c.part, c.start, c.end) for c in self.chunks]

    def lines(self, chunk: _Chunk) -> list[bytes]:
        return self.parts[chunk.part].data[chunk.start : chunk.end].split(b"\n")[:-1]

    def results(self, index: int, lines: list[bytes]) -> list[LineResult]:
        """The checks of chunk ``index``'s lines: a worker's, or made here."""
        if self.futures:
            try:
                return self.futures[index].result()
            except BrokenProcessPool:
                pass  # a worker was killed (out of memory, say): this process checks the lines itself
        return lines_check.check_lines(lines, self.plan)

    def after(self, index: int, line: int) -> Iterator[bytes]:
        """The lines after line ``line`` of chunk ``index``, to the end of its file."""
        yield from self.lines(self.chunks[index])[line + 1 :]
        for later in range(index + 1, self.by_part[self.chunks[index].part].stop):
            yield from self.lines(self.chunks[later])

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _read_part(folder: Folder, name: str) -> _Part:
    """One file of the journal, read as Journal.read_from reads it (never through a link)."""
    path = folder.path / name
    fd = folder.open_plain(name)
    if fd is None:
        return _Part(path, b"", 0)
    try:
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0)  # at once: no second copy joining pieces, for tens of megabytes
        if 0 < len(data) < size:  # a short read: the rest piece by piece
            chunks, at = [data], len(data)
            while at < size:
                chunk = os.pread(fd, min(_READ_CHUNK, size - at), at)
                if not chunk:
                    break  # cut short while we read: what is there is checked
                chunks.append(chunk)
                at += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise UnusableFileError(f"{path} could not be read: {exc.strerror}.") from None
    finally:
        os.close(fd)
    return _Part(path, data, data.rfind(b"\n") + 1)


class _Verifier:
    def __init__(
        self,
        file: LockedFile,
        journal: Journal,
        snapshot: dict[str, Any] | None,
        head: tuple[int, str] | None,
        lines: _JournalLines,
    ):
        self.file, self.journal, self.snapshot, self.head, self.lines = file, journal, snapshot, head, lines
        self.report = RecordReport()
        self.tables: Tables = {}
        self.keys: dict[str, str] = {}  # login -> the public key registered for it now
        self.key_by: dict[str, str] = {}  # login -> who registered its key now
        self.jobs: list[SigJob] = []
        self.converted: list[dict[str, Any]] = []  # (seq, v1_hash, record state) of entries converted from v1
        self.upgrade: dict[str, Any] | None = None
        self.erasures = ErasureAudit()  # what was erased, and any value taken out without an erasure saying so
        self.unreadable = False  # the snapshot could not be parsed (already reported): prove the journal alone
        # Of the journal's whole transactions, only the last entry and the one --head names are kept: the
        # others go as soon as they are replayed (freeing them all at the end took a third of a second at 5y)
        self.last: dict[str, Any] | None = None
        self.pinned: dict[str, Any] | None = None
        self.replaying = True  # False once the replay has stopped at a finding (the chain is still proved)
        self.snap_seq = -1  # the journal entry the snapshot holds the records at
        self.txn: list[dict[str, Any]] = []  # the replay's transaction so far
        self.prev_at = ""
        self.sealed_from: Link = GENESIS  # where the next sealed segment's journal starts
        self.unsettled: list[Unsettled] = []  # sealed rows only a later erasure can explain (seal.segment_problem)
        self.guessed: dict[int, tuple[str | None, bool]] = {}  # seq -> (key its signature was checked with, ok)

    def problem(self, text: str) -> RecordReport:
        self.report.problems.append(text)
        return self.report

    def run(self) -> RecordReport:
        try:
            return self._run()
        finally:
            self.lines.close()

    def _run(self) -> RecordReport:
        report = self.report
        before = list(report.problems)
        # The snapshot's position is known before the journal is read, so the replay follows the journal
        # as its lines are proved (beside the workers proving the next ones), instead of after them all.
        position = self._snapshot_position()
        if position is None and report.problems and not self.unreadable:
            self.replaying = False
        self.snap_seq = snap_seq = position[1] if position else -1
        if self.replaying and snap_seq == 0:
            self._compare_snapshot()
        try:
            end = self._read_journal()
        except BrokenJournalError as exc:
            # A line that breaks the chain is the one finding, whatever the replay had found before it.
            self.report = RecordReport(problems=[*before, str(exc)])
            return self.report
        size = (self.file.folder.lstat(self.journal.name) or os.stat_result((0,) * 10)).st_size
        if size > end:
            report.warnings.insert(
                0,
                f"the journal ends with {size - end} bytes of a save that never finished (never acknowledged; "
                "the next save removes them)",
            )
        if not self.replaying:
            return report
        last = self.last
        if position is not None and snap_seq > (last["seq"] if last else 0):
            return self.problem(
                f"the snapshot says it holds the records at journal entry {snap_seq}, but the journal ends before "
                "it: entries were removed from the journal"
            )
        wrong = self.journal.position_problem(*position) if position is not None else None
        if wrong:
            # Checked after the chain, so an edited line is named as such rather than as a moved position.
            return self.problem(
                f"the snapshot names a journal position that is not in the journal ({wrong}): it was edited "
                "or put back from another copy"
            )
        assert self.lines.chain is not None
        sealed = len(self.tables.get(META, {}).get("1", {}).get("sealed") or [])
        report.warnings.extend(orphan_warnings(self.lines.chain, sealed))
        report.head = f"{last['seq']}:{last['hash']}" if last else ""
        report.problems.extend(self.erasures.problems())
        report.problems.extend(self.erasures.unexplained(self.unsettled))
        report.erased.extend(self.erasures.findings())
        self._check_signatures()
        if report.problems:
            return report
        self._check_published_keys()
        self._check_v1()
        if report.problems:
            return report
        self._check_head()
        return report

    # -- the journal's lines -----------------------------------------------------------------------
    def _read_journal(self) -> int:
        """Prove the journal line by line, as :meth:`Journal.read_from` does from its start, handing each
        whole transaction to the replay as soon as it is proved; the offset just after the last whole
        transaction in the live journal. Raises BrokenJournalError for the first line that breaks the
        chain, or that gives a key twice in one object (our reading of it may not be another tool's).

        The checks of one line alone (its JSON, hash, digests, shape, signature) run in worker processes
        for a long journal; this process parses each line too, for the checks that need the lines
        before it (seq, links, transactions) and for the replay."""
        lines = self.lines
        if lines.error is not None:
            raise lines.error
        # Each file is read as Journal.read_from reads it, continuing from the last entry of a whole
        # transaction in the files before it (see seal.read_chain); the live journal is the last.
        link, end = GENESIS, 0
        for part in range(len(lines.parts)):
            link, end = self._read_file(part, link)
        return end

    def _read_file(self, number: int, link: Link) -> tuple[Link, int]:
        """Prove one file of the journal from ``link``: the last entry of its whole transactions (or
        ``link``) and the offset just after them."""
        lines = self.lines
        part = lines.parts[number]
        here, open_txn, end = link, None, 0
        pending: list[tuple[dict[str, Any], LineResult]] = []
        for index in lines.by_part[number]:
            chunk = lines.chunks[index]
            raws = lines.lines(chunk)
            mine = [_parse(raw) for raw in raws]  # while the workers work
            checked = lines.results(index, raws)
            start = chunk.start
            for i, (raw, entry, result) in enumerate(zip(raws, mine, checked, strict=True)):
                if entry is None:
                    problem: str | None = "is not a JSON entry"
                elif (
                    result[0]
                    and entry["seq"] == here[0] + 1
                    and entry.get("prev") == here[1]
                    and _txn_follows(entry["txn"], open_txn)
                ):
                    problem = None  # every check of entry_problem, proved
                else:
                    problem = entry_problem(entry, here, open_txn)
                if problem is not None:
                    if entry is None and not any(parses_as_entry(r) for r in lines.after(index, i)):
                        # Nothing readable follows: the unfinished end of a save that crashed, never acknowledged.
                        return link, end
                    raise damaged_line(part.path, start, here[0] + 1, problem)
                twice = result[1] if result[0] else first_duplicate_key(raw)
                if twice is not None:
                    raise damaged_line(
                        part.path,
                        start,
                        here[0] + 1,
                        f"gives the key {twice[:40]!r} twice in one object, so readers disagree about which value "
                        "counts (edited outside the app)",
                    )
                assert isinstance(entry, dict)
                txn = txn_of(entry)
                assert txn is not None
                pending.append((entry, result))
                here, open_txn = (entry["seq"], entry["hash"]), open_after(txn)
                start += len(raw) + 1
                if open_txn is None:
                    for whole, checks in pending:
                        self._take(whole, checks)
                    pending.clear()
                    link, end = here, start
        return link, end

    def _take(self, entry: dict[str, Any], checks: LineResult) -> None:
        """The replay of one entry of a whole transaction, in journal order (until it finds something)."""
        self.last = entry
        if self.head is not None and entry["seq"] == self.head[0]:
            self.pinned = entry
        if checks[0] and checks[3] is not None:
            self.guessed[entry["seq"]] = (checks[3], checks[4])
        if not self.replaying:
            return
        report = self.report
        seq = entry["seq"]
        shape = checks[2] if checks[0] and checks[2] != SHAPE_UNKNOWN else shape_problem(entry)
        problem = shape or replay_problem(self.tables, entry)
        if problem:
            self.replaying = False
            self.problem(f"journal entry {seq} ({entry.get('action')} {str(entry.get('record'))[:40]}): {problem}")
            return
        if entry["at"] < self.prev_at:
            report.warnings.append(
                f"journal entry {seq} by {entry['actor']} is dated {entry['at']}, before entry {seq - 1} "
                f"({self.prev_at}): a clock was wrong when it was written"
            )
        self.prev_at = entry["at"]
        self.erasures.see(entry)
        if not self._check_author(entry):
            self.replaying = False
            return
        if entry["action"] == "seal":
            assert self.lines.chain is not None
            problem = segment_problem(
                self.lines.chain, entry, self.tables, self.sealed_from, self.erasures.erased_now, self.unsettled
            )
            if problem:
                self.replaying = False
                self.problem(f"journal entry {seq} (seal): {problem}")
                return
            self.sealed_from = (entry["sealed"]["through"][0], entry["sealed"]["through"][1])
            report.notes.append(
                f"entry {seq}: {entry['actor']} sealed segment {entry['sealed']['segment']} (records from before "
                f"{entry['sealed']['before']}, entries up to {self.sealed_from[0]}); it proves out"
            )
        replay(self.tables, entry)
        if "v1_hash" in entry:
            self.converted.append(
                {
                    "seq": seq,
                    "v1_hash": entry["v1_hash"],
                    "table": entry["table"],
                    "record": entry["record"],
                    "state": self._state(entry),
                }
            )
        self.txn.append(entry)
        if entry["txn"][0] == entry["txn"][1]:
            if not self._end_of_transaction(self.txn):
                self.replaying = False
                return
            self.txn = []
        if seq == self.snap_seq:
            self._compare_snapshot()
            if report.problems:
                self.replaying = False
                return
        report.entries += 1

    # -- the snapshot ------------------------------------------------------------------------------
    def _snapshot_position(self) -> tuple[int, int, str] | None:
        if self.unreadable:
            return None
        if self.snapshot is None:
            self.report.warnings.append(
                f"{self.file.path.name} is empty or missing: the records were read from the journal alone "
                "(the next save writes it again)"
            )
            return None
        if schema_of(self.snapshot) < SCHEMA:
            self.report.warnings.append(
                f"{self.file.path.name} is still in the v1 format: an upgrade was interrupted before its "
                "snapshot (the next writer to open it finishes it)"
            )
            return None
        try:
            position = snapshot_position(self.snapshot, self.file.path)
        except UnusableFileError as exc:
            self.report.problems.append(str(exc))
            return None
        return position

    def _compare_snapshot(self) -> None:
        assert self.snapshot is not None
        have = {name: rows for name, rows in self.snapshot.items() if name != AUDIT and isinstance(rows, dict)}
        want = self.tables
        for name in sorted(set(have) | set(want)):
            mine, logged = have.get(name, {}), want.get(name, {})
            for key in sorted(set(mine) | set(logged), key=lambda k: (len(k), k)):
                row, expected = mine.get(key), logged.get(key)
                if name == META and isinstance(row, dict):
                    row = {k: v for k, v in row.items() if k != "journal"}
                label = _label(row if row is not None else expected, key)
                if row is None:
                    self.report.problems.append(
                        f"table {name}: record {label} is in the journal but missing from the snapshot"
                    )
                elif expected is None:
                    self.report.problems.append(
                        f"table {name}: record {label} is not in the journal (added outside the app)"
                    )
                elif not _same(row, expected):
                    fields = (
                        sorted(k for k in set(row) | set(expected) if row.get(k) != expected.get(k))
                        if isinstance(row, dict)
                        else ["the whole record"]
                    )
                    erased = {f for f in fields if (name, label, f) in self.erasures.erased_now}
                    if erased and set(fields) == erased:
                        # Written before an erasure finished (a crash, a full disk): it still holds values the
                        # journal no longer does, and replay cannot say what they were.
                        self.report.warnings.append(
                            f"the snapshot still holds erased values of {label} ({', '.join(sorted(erased))}): an "
                            "erasure is unfinished, and the next save finishes it"
                        )
                        continue
                    self.report.problems.append(
                        f"table {name}: record {label} differs from the journal in {', '.join(fields)} "
                        "(edited outside the app)"
                    )
                if self.report.problems:
                    return

    # -- who wrote what ----------------------------------------------------------------------------
    def _check_author(self, entry: dict[str, Any]) -> bool:
        signer = entry.get("signer")
        if signer is not None and ("v1_hash" not in entry or self.upgrade is not None):
            self.problem(
                f"journal entry {entry['seq']} names {signer} as its signer, not its author {entry['actor']}: only "
                "entries converted from a v1 file may"
            )
            return False
        if entry["action"] == "upgrade":
            self.upgrade = entry
        if entry["table"] == KEYS_TABLE:
            login = self._login_of(entry)
            if login != entry["actor"]:
                self.problem(
                    f"journal entry {entry['seq']} registers a key under {login!r} but was made by "
                    f"{entry['actor']}: a key registered under a login by someone else"
                )
                return False
        return True

    def _login_of(self, entry: dict[str, Any]) -> str | None:
        change = entry["changes"].get("login")
        if change is not None and not is_erased(change[1]):
            value = change[1]["v"]
            return value if isinstance(value, str) else None
        row = self.tables.get(KEYS_TABLE, {}).get(str(int(entry["record"].rsplit("-", 1)[1])), {})
        return row.get("login")

    def _end_of_transaction(self, txn: list[dict[str, Any]]) -> bool:
        for entry in txn:
            if entry["table"] == KEYS_TABLE:
                row = self.tables[KEYS_TABLE][str(int(entry["record"].rsplit("-", 1)[1]))]
                if row.get("voided"):
                    self.keys.pop(str(row.get("login")), None)
                elif isinstance(row.get("public"), str):
                    try:
                        PublicKey.parse(row["public"])
                    except ValueError as exc:
                        self.problem(f"journal entry {entry['seq']} registers a key that is not one: {exc}")
                        return False
                    self.keys[row["login"]] = row["public"]
                    self.key_by[row["login"]] = entry["actor"]
        for entry in txn:
            signer = entry.get("signer") or entry["actor"]
            sig = entry.get("sig")
            if not isinstance(sig, str):
                self.problem(f"journal entry {entry['seq']} by {entry['actor']} is not signed")
                return False
            key = self.keys.get(signer)
            if key is None:
                self.problem(
                    f"journal entry {entry['seq']} is signed as {signer}, who has no key registered in the record"
                )
                return False
            self.jobs.append((entry["seq"], signer, key, entry["hash"], sig))
        return True

    def _check_signatures(self) -> None:
        """Every signature, checked against the key its entry needs: most were checked already, beside the
        parsing, against the key their author most probably had; those whose key was not that one now."""
        jobs = self.jobs
        bad, again = [], []
        for job in jobs:
            guessed = self.guessed.get(job[0])
            if guessed is not None and guessed[0] == job[2]:
                if not guessed[1]:
                    bad.append(job[0])
            else:
                again.append(job)
        bad += self._bad_signatures(again)
        self.report.signed = len(jobs) - len(bad)
        if bad:
            by_seq = {job[0]: job for job in jobs}
            first = by_seq[min(bad)]
            self.problem(
                f"journal entry {first[0]}'s signature does not match the key registered for {first[1]} "
                f"({len(bad)} entr{'y' if len(bad) == 1 else 'ies'} in all): written by someone without "
                f"{first[1]}'s key"
            )

    def _bad_signatures(self, jobs: list[SigJob]) -> list[int]:
        """The seqs of ``jobs`` whose signature does not verify, checked by the workers if there are many."""
        pool = self.lines.pool
        if len(jobs) >= PARALLEL_FROM and pool is not None:
            size = -(-len(jobs) // (_cores() * 4))
            try:
                return [seq for found in pool.map(_bad_signatures, _slices(jobs, size)) for seq in found]
            except BrokenProcessPool:
                pass  # a worker was killed: this process checks them all
        return _bad_signatures(jobs)

    def _check_published_keys(self) -> None:
        for login, key in sorted(self.keys.items()):
            published = published_key(self.file.path, login)
            if published.key is None:
                assert published.problem is not None
                if "someone else" in published.problem:
                    self.report.problems.append(f"the key published for {login} cannot be trusted: {published.problem}")
                else:
                    self.report.warnings.append(
                        f"{login}'s key is registered in the record but cannot be confirmed as theirs: "
                        f"{published.problem}"
                    )
            elif published.key.text != key:
                self.report.problems.append(
                    f"the key registered for {login} in the record ({PublicKey(key).fingerprint}) is not the key "
                    f"{login} published ({published.key.fingerprint}): it was registered by someone else"
                )
            else:
                self.report.notes.append(f"{login} signs with {published.key.fingerprint} (published by {login})")

    # -- v1 ----------------------------------------------------------------------------------------
    def _state(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        from .entries import row_key

        return self.tables.get(entry["table"], {}).get(row_key(entry["table"], entry["record"]))

    def _check_v1(self) -> None:
        if not self.converted:
            return
        report = self.report
        first, last = self.converted[0]["seq"], self.converted[-1]["seq"]
        signer = self.upgrade.get("actor") if self.upgrade else "?"
        when = self.upgrade.get("at") if self.upgrade else "?"
        report.notes.append(
            f"entries {first}-{last} were converted from the v1 file by {signer} on {when}: signed by {signer}, "
            "since their authors did not sign them"
        )
        name = v1_name(self.file.name)
        retired = self.erasures.retired_v1
        if retired is not None and self.file.folder.lstat(name) is None:
            report.notes.append(
                f"the v1 file {name} was retired by the erasure at entry {retired['seq']} (it held erased values in "
                "whole-record copies); the v1 hashes of the converted entries are still proved by the chain"
            )
            return
        try:
            raw, _sig = self.file.folder.read(name)
        except UnusableFileError as exc:
            report.problems.append(f"the v1 file {name}: {exc}")
            return
        if not raw:
            report.warnings.append(
                f"the v1 file {name} is gone, so the converted entries cannot be compared with it; the v1 hashes "
                "they hold are still proved by the chain"
            )
            return
        try:
            v1 = read_record(raw, self.file.folder.path / name)
        except UnusableFileError as exc:
            report.problems.append(f"the v1 file {name}: {exc}")
            return
        v1_report = verify_v1(v1)
        if not v1_report.ok:
            report.problems.append(f"the v1 file {name} does not verify: {v1_report.problems[0]}")
            return
        log = v1.get(AUDIT, {})
        if self.upgrade is not None and self.upgrade.get("v1_head") != v1_report.head:
            report.problems.append(
                f"the upgrade names the v1 head {self.upgrade.get('v1_head')}, but {name} ends at {v1_report.head}"
            )
            return
        for item in self.converted:
            old = log.get(str(item["seq"]))
            if not isinstance(old, dict) or old.get("hash") != item["v1_hash"]:
                report.problems.append(
                    f"journal entry {item['seq']} says it was converted from v1 entry {item['seq']}, which {name} "
                    "does not hold with that hash"
                )
                return
            state = item["state"]
            after = old.get("after")
            if item["table"] == META or state is None or (item["table"], item["record"]) in self.erasures.records:
                continue
            if not _same(state, after):
                report.problems.append(
                    f"journal entry {item['seq']} does not give {item['record']} as v1 entry {item['seq']} left it"
                )
                return
        report.notes.append(f"the v1 file {name} verifies ({v1_report.entries} entries, head {v1_report.head})")

    def _check_head(self) -> None:
        if self.head is None:
            return
        seq, digest = self.head
        pinned = self.pinned  # the entry of that seq, if the journal's whole transactions reach it
        if pinned is None:
            self.report.problems.append(
                f"the pinned head {seq}:{digest[:12]}… is not in the journal: entries were removed"
            )
        elif digest not in (pinned["hash"], pinned.get("v1_hash")):
            self.report.problems.append(
                f"journal entry {seq} no longer has the pinned hash {digest[:12]}…: the record was rewritten"
            )


def _same(a: Any, b: Any) -> bool:
    """``canonical(a) == canonical(b)``, answered without encoding either where they are the very same
    values: marshal's format 2 writes each value's type and exact value (a float's bits, an int whole),
    with no references between objects, so equal bytes are equal JSON; unequal bytes (keys in another
    order, say) are settled by the canonical form."""
    try:
        if marshal.dumps(a, 2) == marshal.dumps(b, 2):
            return True
    except ValueError:  # not marshallable (too deeply nested, say): the canonical form decides
        pass
    return canonical(a) == canonical(b)


def _label(record: Any, key: str) -> str:
    return record.get("id", key) if isinstance(record, dict) else key


def _bad_signatures(jobs: Iterable[SigJob]) -> list[int]:
    """The seqs whose signature does not verify (run in worker processes for many)."""
    return [seq for seq, _login, public, digest, sig in jobs if not lines_check.verifies(public, digest, sig)]


# -- reading the journal in parallel ---------------------------------------------------------------
_READ_CHUNK = 4 << 20


def _parse(raw: bytes) -> Any:
    """A journal line as Journal.read_from parses it, or None where it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _txn_follows(txn: list[int], open_txn: tuple[int, int] | None) -> bool:
    """Whether a well-formed ``txn`` is the one due after ``open_txn`` (as entry_problem has it)."""
    if open_txn is None:
        return txn[0] == 1
    return txn[0] == open_txn[0] + 1 and txn[1] == open_txn[1]


def _key_plan(parts: list[_Part]) -> KeyPlan:
    """Which key each login most probably signs with, from which entry on: read from the few lines that
    mention the keys table, for the workers to check signatures against while the replay (which knows
    the keys for certain) is still behind them. A wrong guess costs time, never a finding."""
    plan: KeyPlan = {}
    rows: dict[Any, dict[str, Any]] = {}
    needle = KEYS_TABLE.encode()
    for part in parts:
        data = part.data
        at = data.find(needle)
        while at != -1:
            start, stop = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at)
            if stop == -1:
                break
            entry = _parse(data[start:stop])
            at = data.find(needle, stop)
            if not isinstance(entry, dict) or entry.get("table") != KEYS_TABLE or not isinstance(entry.get("seq"), int):
                continue
            txn = txn_of(entry)
            row = rows.setdefault(entry.get("record"), {})
            changes = entry.get("changes")
            for name, pair in changes.items() if isinstance(changes, dict) else ():
                if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], dict) and "v" in pair[1]:
                    row[name] = pair[1]["v"]
            if entry.get("action") == "void":
                row["voided"] = True
            login, public = row.get("login"), row.get("public")
            if isinstance(login, str) and txn is not None:
                since = entry["seq"] + txn[1] - txn[0]
                key = public if isinstance(public, str) and not row.get("voided") else ""
                plan.setdefault(login, []).append((since, key))
    return plan


def _slices(items: list[SigJob], size: int) -> list[list[SigJob]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _fork_context() -> Any:
    """Workers forked where the system can: they start at once, with the journal already in memory."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


__all__ = ["RecordReport", "verify_record"]
