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
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .audit import AUDIT, META, VerifyReport, canonical
from .audit import verify as verify_v1
from .entries import KEYS_TABLE, Tables, replay, replay_problem, shape_problem
from .erasure import ErasureAudit
from .errors import UnusableFileError
from .journal import BrokenJournalError, Journal, is_erased
from .jsonfile import LockedFile
from .seal import SealedChain, chain_journals, orphan_warnings, read_chain, segment_problem
from .signing import PublicKey, published_key
from .store import SCHEMA, read_record, schema_of, snapshot_position
from .upgrade import journal_upgrades, v1_name

PARALLEL_FROM = 4000  # signatures checked in worker processes from this many entries on
SigJob = tuple[int, str, str, str, str]  # (seq, login, public key, hash, signature)


@dataclass
class RecordReport(VerifyReport):
    """What ``verify`` found in a record, beyond the v1 report: erasures and notes for an auditor."""

    erased: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signed: int = 0


def journal_files(file: LockedFile, journal: Journal) -> SealedChain:
    """The journal files to walk, oldest first, as one chain: the sealed segments', then the live journal."""
    return chain_journals(file, journal)


def verify_record(path: str | os.PathLike[str], head: tuple[int, str] | None = None) -> VerifyReport:
    """Verify the record at ``path`` (v1 or v2). Raises UnusableFileError only for a file that is not a
    record at all (not ours, not JSON, a link); everything wrong *inside* a record is in the report."""
    file = LockedFile(path)
    journal = Journal.beside(file)
    has_journal = bool((file.folder.lstat(journal.name) or os.stat_result((0,) * 10)).st_size)
    unreadable = None
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
        return verify_v1(data, head)
    verifier = _Verifier(file, journal, data, head)
    if unreadable is not None:
        verifier.report.problems.append(f"the snapshot cannot be read: {unreadable}")
        verifier.unreadable = True
    return verifier.run()


class _Verifier:
    def __init__(
        self, file: LockedFile, journal: Journal, snapshot: dict[str, Any] | None, head: tuple[int, str] | None
    ):
        self.file, self.journal, self.snapshot, self.head = file, journal, snapshot, head
        self.report = RecordReport()
        self.tables: Tables = {}
        self.keys: dict[str, str] = {}  # login -> the public key registered for it now
        self.key_by: dict[str, str] = {}  # login -> who registered its key now
        self.jobs: list[SigJob] = []
        self.converted: list[dict[str, Any]] = []  # (seq, v1_hash, record state) of entries converted from v1
        self.upgrade: dict[str, Any] | None = None
        self.erasures = ErasureAudit()  # what was erased, and any value taken out without an erasure saying so
        self.unreadable = False  # the snapshot could not be parsed (already reported): prove the journal alone

    def problem(self, text: str) -> RecordReport:
        self.report.problems.append(text)
        return self.report

    def run(self) -> RecordReport:
        report = self.report
        chain = journal_files(self.file, self.journal)
        try:
            entries, end = read_chain(chain)
        except BrokenJournalError as exc:
            return self.problem(str(exc))
        sealed_from: tuple[int, str] = (0, "0" * 64)  # where the next sealed segment's journal starts
        size = (self.file.folder.lstat(self.journal.name) or os.stat_result((0,) * 10)).st_size
        if size > end:
            report.warnings.append(
                f"the journal ends with {size - end} bytes of a save that never finished (never acknowledged; "
                "the next save removes them)"
            )
        position = self._snapshot_position()
        if position is None and report.problems and not self.unreadable:
            return report
        snap_seq = position[1] if position else -1
        if snap_seq == 0:
            self._compare_snapshot()
        txn: list[dict[str, Any]] = []
        prev_at = ""
        for entry in entries:
            seq = entry["seq"]
            problem = shape_problem(entry) or replay_problem(self.tables, entry)
            if problem:
                return self.problem(
                    f"journal entry {seq} ({entry.get('action')} {str(entry.get('record'))[:40]}): {problem}"
                )
            if entry["at"] < prev_at:
                report.warnings.append(
                    f"journal entry {seq} by {entry['actor']} is dated {entry['at']}, before entry {seq - 1} "
                    f"({prev_at}): a clock was wrong when it was written"
                )
            prev_at = entry["at"]
            self.erasures.see(entry)
            if not self._check_author(entry):
                return report
            if entry["action"] == "seal":
                problem = segment_problem(chain, entry, self.tables, sealed_from, self.erasures.erased_now)
                if problem:
                    return self.problem(f"journal entry {seq} (seal): {problem}")
                sealed_from = (entry["sealed"]["through"][0], entry["sealed"]["through"][1])
                report.notes.append(
                    f"entry {seq}: {entry['actor']} sealed segment {entry['sealed']['segment']} (records from before "
                    f"{entry['sealed']['before']}, entries up to {sealed_from[0]}); it proves out"
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
            txn.append(entry)
            if entry["txn"][0] == entry["txn"][1]:
                if not self._end_of_transaction(txn):
                    return report
                txn = []
            if seq == snap_seq:
                self._compare_snapshot()
                if report.problems:
                    return report
            report.entries += 1
        if position is not None and snap_seq > (entries[-1]["seq"] if entries else 0):
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
        report.warnings.extend(orphan_warnings(chain, len(self.tables.get(META, {}).get("1", {}).get("sealed") or [])))
        last = entries[-1] if entries else None
        report.head = f"{last['seq']}:{last['hash']}" if last else ""
        report.problems.extend(self.erasures.problems())
        report.erased.extend(self.erasures.findings())
        self._check_signatures()
        if report.problems:
            return report
        self._check_published_keys()
        self._check_v1()
        if report.problems:
            return report
        self._check_head(entries)
        return report

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
                elif canonical(row) != canonical(expected):
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
        jobs = self.jobs
        if len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            workers = min(os.cpu_count() or 1, 8)
            size = -(-len(jobs) // (workers * 4))
            chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
            with ProcessPoolExecutor(workers) as pool:
                bad = [seq for found in pool.map(_bad_signatures, chunks) for seq in found]
        else:
            bad = _bad_signatures(jobs)
        self.report.signed = len(jobs) - len(bad)
        if bad:
            by_seq = {job[0]: job for job in jobs}
            first = by_seq[min(bad)]
            self.problem(
                f"journal entry {first[0]}'s signature does not match the key registered for {first[1]} "
                f"({len(bad)} entr{'y' if len(bad) == 1 else 'ies'} in all): written by someone without "
                f"{first[1]}'s key"
            )

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
            if canonical(state) != canonical(after):
                report.problems.append(
                    f"journal entry {item['seq']} does not give {item['record']} as v1 entry {item['seq']} left it"
                )
                return
        report.notes.append(f"the v1 file {name} verifies ({v1_report.entries} entries, head {v1_report.head})")

    def _check_head(self, entries: list[dict[str, Any]]) -> None:
        if self.head is None:
            return
        seq, digest = self.head
        first = entries[0]["seq"] if entries else 1
        pinned = entries[seq - first] if entries and first <= seq <= entries[-1]["seq"] else None
        if pinned is None:
            self.report.problems.append(
                f"the pinned head {seq}:{digest[:12]}… is not in the journal: entries were removed"
            )
        elif digest not in (pinned["hash"], pinned.get("v1_hash")):
            self.report.problems.append(
                f"journal entry {seq} no longer has the pinned hash {digest[:12]}…: the record was rewritten"
            )


def _label(record: Any, key: str) -> str:
    return record.get("id", key) if isinstance(record, dict) else key


def _bad_signatures(jobs: Iterable[SigJob]) -> list[int]:
    """The seqs whose signature does not verify (run in worker processes for a big journal)."""
    keys: dict[str, PublicKey] = {}
    bad = []
    for seq, _login, public, digest, sig in jobs:
        key = keys.get(public)
        if key is None:
            key = keys[public] = PublicKey(public)
        if not key.verifies(digest.encode("ascii"), sig):
            bad.append(seq)
    return bad


__all__ = ["RecordReport", "verify_record"]
