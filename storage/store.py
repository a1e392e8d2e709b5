"""The Store: named tables of records, every change an entry in the record's journal (format v2).

Records are plain dicts with an envelope the store owns: ``id`` (a human id such as ``C-0042``),
``version``, ``created_at/by``, ``updated_at/by``, ``voided`` and ``void_reason``. A save names the
version it was based on; if someone saved in between, it is refused with a :class:`ConflictError`
naming them. Records are never deleted, only voided with a reason.

A record is three files beside each other (``team.json`` here):

- ``team.journal``, the source of truth: one hash-chained, signed entry per change (see ``entries``
  and ``journal``). A save takes the lock, reads what other sessions appended since it last looked,
  checks versions, appends its transaction with one write and one fsync, and lets go: its cost does
  not grow with the history. Other sessions follow by reading only the bytes added.
- ``team.json``, a TinyDB snapshot of the current records at a known journal position (in the
  ``meta`` row), rewritten atomically every ``checkpoint_every`` entries or ``checkpoint_after_s``
  seconds under the lock. Opening reads it and replays the journal lines after it; TinyDB, ``jq`` and
  ``SafeJSONStorage`` read it as a plain TinyDB file.
- ``team.json.lock``, the write lock (see ``lock``).
- ``team.sealed/``, closed records older than a cut-off and the journal lines that made them, moved out
  of the live files into read-only segments (see ``seal``): read only when something asks for them.

A v1 file (one JSON file with its audit table) is upgraded by its first writer (see ``upgrade``); a
session that cannot write reads it as it is.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from .audit import AUDIT, FORMAT, GENESIS_PREV, META, doc_key, entry_problem, parse_stamp, utc_stamp
from .entries import (
    ENVELOPE,
    ERASE,
    KEY_PREFIX,
    KEYS_TABLE,
    Tables,
    changed_fields,
    erased_row,
    erases_sealed,
    field_changes,
    fields_of,
    line_record,
    new_entry,
    replay,
    replay_problem,
    sealed_number,
    shape_problem,
    view,
    view_v1,
)
from .erasure import Erasure, ErasureReport, erasure_problem, scrub_file, targets_of
from .errors import (
    ConflictError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    UnusableFileError,
    VoidedError,
    WriteFailedError,
)
from .files import Signature
from .identity import Actor
from .journal import BrokenJournalError, Journal, journal_entry_hash, seal_value
from .jsonfile import LockedFile, parse_bytes
from .lock import Holder
from .log import LogFilter, LogPage, LogPosition, read_page
from .seal import (
    SealedArchive,
    SealPlan,
    Segment,
    chain_journals,
    find_position,
    finish_locked,
    journal_first_seq,
    journal_first_stamp,
    read_chain,
    refuse_sealed,
    seal_locked,
    sealed_folder,
    segment_journal,
    segment_tables,
    segments_of,
)
from .seal import plan_seal as _plan_seal

SCHEMA = 2  # the record format this store writes; 1 is the single-file format it upgrades
CHECKPOINT_EVERY = 500
CHECKPOINT_AFTER_S = 60.0
RECENT_KEPT = 2000  # entries kept in memory for entries_since (older ones are read from the journal)
RawTables = dict[str, dict[str, Any]]  # as parsed, before the rows are known to be objects
__all__ = ["ENVELOPE", "SCHEMA", "Store", "Transaction", "changed_fields", "fields_of", "load_record", "read_record"]


class Signer(Protocol):
    """What signs this session's entries (``signing.SigningKey``): the login's own key."""

    @property
    def public(self) -> Any: ...  # a signing.PublicKey: .text and .fingerprint

    def sign(self, data: bytes) -> str: ...


def read_record(raw: bytes, path: Path) -> RawTables:
    """Parse a record file's bytes, refusing anything that is not a supervisor-tui record at all.

    The shape inside is not checked here: ``verify`` reads damaged records too, to say what is wrong.
    """
    data = parse_bytes(raw, path)
    meta = data.get(META, {}).get("1")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise UnusableFileError(
            f"{path} is a JSON file but not a supervisor-tui record (no '{FORMAT}' marker). It has not been changed."
        )
    schema = meta.get("schema", 0)
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise UnusableFileError(f"{path} has damaged metadata (schema {schema!r}); it has not been changed.")
    if schema > SCHEMA:
        raise UnusableFileError(
            f"{path} was written by a newer supervisor-tui (schema {schema}); upgrade before opening it."
        )
    return data


def load_record(raw: bytes, path: Path) -> Tables:
    """A record the app can work on: ours, and every table, row and (v1) audit entry of the right shape.

    A damaged file is refused with a clear message (and left alone) instead of failing somewhere
    deep inside a screen for every user; ``supervisor-tui verify`` lists what is wrong with it.
    """
    data = read_record(raw, path)
    problem = table_problem(data)
    if problem:
        raise UnusableFileError(
            f"{path} is damaged: {problem}. Run 'supervisor-tui verify' for details; the file has not been changed."
        )
    return cast(Tables, data)  # table_problem has just checked that every row the app reads is an object


def table_problem(data: RawTables) -> str | None:
    """The first thing about the file's shape the app could not work with, or None."""
    for name, rows in data.items():
        if not isinstance(rows, dict):
            return f"table {name} is not a table"
        if name in (META, AUDIT):
            continue
        for key, row in rows.items():
            if not key.isdigit() or not isinstance(row, dict):
                return f"table {name} has a row {key!r} that is not a record"
            if not isinstance(row.get("id"), str) or not isinstance(row.get("version"), int):
                return f"table {name} row {key} has no id or version"
    log = data.get(AUDIT, {})
    for seq in range(1, len(log) + 1):
        entry = log.get(str(seq))
        if not isinstance(entry, dict):
            return f"audit entry {seq} is missing (the log has a gap)"
        if entry.get("seq") != seq:
            return f"audit entry {seq} is malformed (its seq says {str(entry.get('seq'))[:20]!r})"
        problem = entry_problem(entry)
        if problem:
            return f"audit entry {seq} is malformed: {problem}"
    return None


def schema_of(data: RawTables) -> int:
    meta = data.get(META, {}).get("1", {})
    schema = meta.get("schema", 1)
    return schema if isinstance(schema, int) else 1


def snapshot_position(data: RawTables, path: Path) -> tuple[int, int, str]:
    """(offset, seq, hash) of the journal position a v2 snapshot holds the records at."""
    where = data.get(META, {}).get("1", {}).get("journal")
    if (
        not isinstance(where, dict)
        or type(where.get("offset")) is not int
        or type(where.get("seq")) is not int
        or not isinstance(where.get("hash"), str)
        or where["offset"] < 0
        or where["seq"] < 0
    ):
        raise UnusableFileError(
            f"{path} is damaged: its metadata does not say which journal position it holds. Run "
            "'supervisor-tui verify' for details; the file has not been changed."
        )
    return where["offset"], where["seq"], where["hash"]


class Store:
    def __init__(
        self,
        path: str,
        actor: Actor | None = None,
        *,
        create: bool = True,
        clock: Callable[[], datetime] | None = None,
        shared: bool = False,
        signer: Signer | None | Literal["own"] = "own",
        upgrade: bool = True,
        checkpoint_every: int = CHECKPOINT_EVERY,
        checkpoint_after_s: float = CHECKPOINT_AFTER_S,
        publish_key: bool = True,
    ):
        self.file = LockedFile(path, shared=shared)
        self.path = self.file.path
        self.journal = Journal.beside(self.file)
        self.actor = actor or Actor.from_process()
        # "own": the user's own key from their config folder, loaded (or made) at the first save, so a
        # session that only reads never needs one. None writes unsigned entries, which verify reports.
        self._signer_given = signer
        self._signer: Signer | None = None if signer == "own" else signer
        self.checkpoint_every = checkpoint_every
        self.checkpoint_after_s = checkpoint_after_s
        self._clock = clock or (lambda: datetime.now(UTC))
        self._data: Tables = {}
        self._snap_sig: Signature | None = None  # the snapshot as last read or written by this store
        self._snap_seq = 0  # the journal seq the snapshot on disk holds the records at (as far as we know)
        self._snap_written = time.monotonic()
        self._v1_log: dict[str, dict[str, Any]] | None = None  # a v1 file read as it is (read-only)
        self._recent: list[dict[str, Any]] = []  # entries read or written since the snapshot, oldest first
        self._erasures: list[dict[str, Any]] = []  # erase entries read since the snapshot (see _finish_erasures)
        self._frags: dict[tuple[str, str], tuple[Any, str]] = {}
        self._history = _HistoryIndex(self)
        self.sealed = SealedArchive(self.file)  # the sealed segments, read when something asks for them
        self._seal_checked: tuple[Any, int] | None = None  # (journal file, segments) known to be cut
        self._numbers: dict[str, int] = {}  # the next free number per table, worked out once per load
        self._mutex = threading.RLock()  # the app reloads in a worker thread while the UI thread saves
        self._refused: tuple[Any, str] | None = None  # the last unusable state seen, and why
        self.written: set[int] = set()  # seqs this Store wrote, so a screen can tell others' changes
        self.upgraded: str | None = None  # what the upgrade did, when this store upgraded a v1 file
        self.key_problem: str | None = None  # why this login's public key could not be published, if so
        self.checkpoint_problem: str | None = None  # why the last snapshot could not be written, if so
        self.snapshot_problem: str | None = None  # why the snapshot could not be used at open, if so
        self.snapshot_rebuilt = False  # whether this store wrote it again from the journal on opening
        self._key_published = signer is None or not publish_key
        self._key_unusable = False  # the own key could not be loaded for the status line (a save tries again)
        with self._mutex:
            self._load()
            if self._v1_log is not None and upgrade and self.file.writable:
                from .upgrade import upgrade_locked

                with self.file.lock():
                    self._load()
                    if self._v1_log is not None:
                        self.upgraded = upgrade_locked(self)
            if not self._data:
                if not create:
                    raise UnusableFileError(f"{self.path} does not exist or is empty.")
                with self.file.lock():
                    self._load()
                    if not self._data:
                        self._write_genesis()
            elif self._snap_seq < 0 and self.file.writable:
                # No usable snapshot (an upgrade or a first save a crash cut short, a damaged one): write it.
                try:
                    self.checkpoint()
                    self.snapshot_rebuilt = True
                except StoreError as exc:
                    self.checkpoint_problem = str(exc)

    # -- reading (no lock: the snapshot is replaced whole, the journal only grows) ---------------
    @property
    def read_only(self) -> bool:
        return self._v1_log is not None or not self.file.writable

    @property
    def data(self) -> Tables:
        """The tables as last read. Treat as read-only: it is the store's own copy. A table that
        changes is replaced by a new dict, never edited in place."""
        return self._data

    @property
    def schema(self) -> int:
        return 1 if self._v1_log is not None else SCHEMA

    def refresh(self) -> bool:
        """Follow other sessions: read what they appended to the journal since we last looked (a stat
        when nothing was). True when the records changed.

        If the record can no longer be used (damaged, swapped for a link, moved away), a StoreError
        says why and the data stays as last read; the same bad state is not read again."""
        state = self._outside_state()
        if self._refused is not None and self._refused[0] == state:
            raise UnusableFileError(self._refused[1])
        with self._mutex:
            try:
                changed = self._follow()
            except UnusableFileError as exc:
                self._refused = (state, str(exc))
                raise
            self._refused = None
            return changed

    def records(self, table: str, *, include_voided: bool = False) -> list[dict[str, Any]]:
        rows = self._data.get(table, {}).values()
        return [r for r in rows if include_voided or not r.get("voided")]

    def get(self, table: str, record_id: str) -> dict[str, Any]:
        """A record by id: a live one, or one sealed in a segment (read from it, read-only)."""
        try:
            return self._data[table][doc_key(record_id)]
        except (KeyError, ValueError, IndexError):
            pass
        found = self._sealed_row(table, record_id)
        if found is None:
            raise NotFoundError(f"There is no {record_id} in {table}.")
        return found[1]

    def live(self, table: str, record_id: str) -> dict[str, Any]:
        """A live record by id; a SealedError for one that was sealed (it can be read, not changed)."""
        try:
            return self._data[table][doc_key(record_id)]
        except (KeyError, ValueError, IndexError):
            pass
        found = self._sealed_row(table, record_id)
        if found is not None:
            raise refuse_sealed(found[0], record_id)
        raise NotFoundError(f"There is no {record_id} in {table}.")

    # -- sealed periods (see ``seal``) -------------------------------------------------------------
    def segments(self) -> list[Segment]:
        """The record's sealed segments, oldest first (none until someone seals)."""
        if self._v1_log is not None:
            return []
        return segments_of(self._data.get(META, {}).get("1", {}))

    def sealed_records(self, table: str, since: date | None = None) -> list[dict[str, Any]]:
        """The records of ``table`` sealed in segments, oldest segment first. With ``since``, only from the
        segments that can hold records dated on or after it: callers seal only records dated before the
        cut-off, so a segment whose cut-off is on or before ``since`` holds none (and is not opened)."""
        found: list[dict[str, Any]] = []
        for segment in self.segments():
            if table not in segment.tables or (since is not None and segment.before <= since.isoformat()):
                continue
            found.extend(self.sealed.records(segment).get(table, {}).values())
        return found

    def live_since(self) -> datetime | None:
        """When the live journal's first entry was made: how far back the record not yet sealed reaches."""
        return None if self._v1_log is not None else journal_first_stamp(self.journal)

    def sealed_before(self) -> date | None:
        """The latest cut-off records were sealed before (None if nothing is sealed)."""
        segments = self.segments()
        return date.fromisoformat(segments[-1].before) if segments else None

    def plan_seal(self, before: date, until: datetime, candidates: dict[str, list[str]]) -> SealPlan:
        """What :meth:`seal` would do now (see ``seal.plan_seal``), without the lock or any change."""
        with self._mutex:
            return _plan_seal(self, before, until, candidates)

    def seal(self, before: date, until: datetime, candidates: dict[str, list[str]], reason: str) -> SealPlan:
        """Seal the closed records ``candidates`` names whose every change is dated before ``until`` (the
        first moment of the cut-off day ``before``), with the journal lines before it, into a new read-only
        segment (see ``seal``). Returns what was sealed."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is read-only for you, so nothing can be sealed.")
        if not (reason or "").strip():
            raise StoreError("Sealing needs a reason: it stays in the record with the seal.")
        with self._mutex, self.file.lock():
            self._catch_up_locked()
            plan = _plan_seal(self, before, until, candidates)
            seal_locked(self, plan, reason.strip())
            return plan

    def _sealed_row(self, table: str, record_id: str) -> tuple[Segment, dict[str, Any]] | None:
        segments = self.segments()
        if not segments:
            return None
        try:
            key = doc_key(record_id)
        except (ValueError, IndexError):
            return None
        found = self.sealed.find(segments, table, key)
        return found if found is not None and found[1].get("id") == record_id else None

    def meta(self) -> dict[str, Any]:
        return self._data[META]["1"]

    @property
    def head(self) -> tuple[int, str]:
        if self._v1_log is not None:
            log = self._v1_log
            if not log:
                return 0, GENESIS_PREV
            last = log[str(len(log))]
            return last["seq"], last["hash"]
        return self.journal.head

    def head_text(self) -> str:
        seq, digest = self.head
        return f"{seq}:{digest}"

    def entries_since(self, seq: int) -> list[dict[str, Any]]:
        """The entries after ``seq``, oldest first, as the journal holds them (``seq``, ``hash``, ``table``,
        ``record``, ``action``, ``actor``...; :func:`entries.view` gives their values). Only recent entries
        are kept: asked for older ones, it gives those it has, whose first ``seq`` is then not ``seq + 1``."""
        if self._v1_log is not None:
            log = self._v1_log
            return [log[str(s)] for s in range(seq + 1, len(log) + 1)]
        recent = self._recent
        if not recent or seq >= recent[-1]["seq"]:
            return []
        first = recent[0]["seq"]
        return list(recent[max(0, seq + 1 - first) :])

    def lock_holders(self) -> list[Holder]:
        """Other processes holding this record's write lock right now, for 'waiting for alice (pid
        4242)' while a save waits its turn. Asks without waiting; empty when nobody else holds it (or
        the system does not say)."""
        return [h for h in self.file.holders() if h.pid != os.getpid()]

    def history(self, table: str, record_id: str) -> list[dict[str, Any]]:
        """Every change to one record, oldest first, as :func:`entries.view` shows it (``changes`` maps
        each changed field to its old and new value). Read from the journal through an index that is
        extended by what was appended since it was last used."""
        if self._v1_log is not None:
            log = self._v1_log
            return [
                view_v1(e)
                for s in range(1, len(log) + 1)
                if (e := log[str(s)])["record"] == record_id and e["table"] == table
            ]
        return [view(e) for e in self._entries_of(table, record_id)]

    def log_page(self, start: LogPosition | None, limit: int, keep: LogFilter | None = None) -> LogPage:
        """Every entry of the record, newest first, a page at a time (see ``log``): the live journal from its
        end, then the sealed segments' journals. ``start`` is the page before's ``next`` (None: the newest)."""
        return read_page(self, start, limit, keep)

    def v1_log(self) -> dict[str, dict[str, Any]]:
        """A v1 file's audit table as read (a file not yet upgraded), by seq; empty for a v2 record."""
        return self._v1_log or {}

    def _entries_of(self, table: str, record_id: str) -> list[dict[str, Any]]:
        """Every journal entry of one record, oldest first, from the sealed segments and the live journal."""
        return self._entries_of_many([(table, record_id)])[(table, record_id)]

    def _entries_of_many(self, records: list[tuple[str, str]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """``_entries_of`` for each (table, record) named, the sealed segments read once for them all."""
        live = {key: self._history.entries(*key) for key in records}
        segments = self.segments()
        if not segments:
            return live
        # A record whose first changes (or all of them, for a sealed record) are in the sealed segments,
        # with the seq they come before.
        earlier = {
            key: entries[0]["seq"] if entries else segments[-1].through[0] + 1
            for key, entries in live.items()
            if not entries or entries[0].get("action") != "create"
        }
        if len(earlier) == 1:  # one record: search for its lines rather than read every line
            ((key, before),) = earlier.items()
            return {**live, key: self.sealed.entries(segments, *key, before) + live[key]}
        sealed = self.sealed.entries_of_many(segments, earlier)
        return {key: sealed.get(key, []) + entries for key, entries in live.items()}

    def signing_key(self, login: str) -> str | None:
        """The public key registered in the record for ``login`` (base64), if any."""
        for row in self._data.get(KEYS_TABLE, {}).values():
            if row.get("login") == login:
                public = row.get("public")
                return public if isinstance(public, str) else None
        return None

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Several changes in one append: all land, or none do."""
        if self._v1_log is not None:
            raise ReadOnlyError(
                f"{self.path} is a record in the old single-file format, and it is read-only until someone who "
                "can write it opens it (or runs 'supervisor-tui upgrade')."
            )
        with self._mutex, self.file.lock():
            self._catch_up_locked()
            txn = Transaction(self)
            yield txn
            if txn.entries:
                self._commit(txn)

    def create(self, table: str, prefix: str, fields: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        with self.transaction() as txn:
            return txn.create(table, prefix, fields, reason)

    def update(
        self, table: str, record_id: str, fields: dict[str, Any], expected_version: int, reason: str | None = None
    ) -> dict[str, Any]:
        with self.transaction() as txn:
            return txn.update(table, record_id, fields, expected_version, reason)

    def void(self, table: str, record_id: str, reason: str, expected_version: int) -> dict[str, Any]:
        with self.transaction() as txn:
            return txn.void(table, record_id, reason, expected_version)

    def erase(
        self, erasures: list[Erasure], reason: str, *, still_allowed: Callable[[], None] | None = None
    ) -> ErasureReport:
        """Erase personal data (see ``erasure``): for each record named, every value its fields have held
        and (if asked) the reasons given for its changes go from every file of the record, and the fields
        take the stand-ins given. One erase entry per record says what went, when, by whom and why; the
        chain and every signature still verify. All the records, or none (a record that does not exist,
        or a field the store keeps, or one changed since the version the caller read, refuses the whole
        erasure before anything is written).

        ``still_allowed`` is the caller's own condition, asked under the lock once the record is read as
        it is now (another session may have placed a legal hold since the caller looked): whatever it
        raises refuses the whole erasure, with nothing written."""
        reason = (reason or "").strip()
        if not reason:
            raise StoreError("An erasure needs a reason (the request, or the retention rule): it is kept with it.")
        if not erasures:
            raise StoreError("Nothing was named to erase.")
        for item in erasures:
            problem = erasure_problem(item)
            if problem:
                raise StoreError(f"Nothing was erased: {problem}.")
        if self._v1_log is not None:
            raise ReadOnlyError(
                f"{self.path} is a record in the old single-file format: it must be upgraded before anything "
                "can be erased from it ('supervisor-tui upgrade')."
            )
        with self._mutex, self.file.lock():
            self._catch_up_locked()
            if still_allowed is not None:
                still_allowed()
            txn = Transaction(self)
            histories = self._entries_of_many([(item.table, item.record) for item in erasures])
            for item in erasures:
                key = doc_key(item.record)
                current = txn.staged.get((item.table, key)) or self._data.get(item.table, {}).get(key)
                if current is not None and current.get("id") == item.record:
                    txn.same_version(item.table, item.record, current, item.version)
                    txn.entries.append(self._erase_entry(item, reason, histories[(item.table, item.record)]))
                    _key, record = replay({item.table: {key: current}}, txn.entries[-1])
                    txn.staged[(item.table, key)] = record
                    continue
                sealed = self._sealed_row(item.table, item.record)
                if sealed is None:
                    raise NotFoundError(f"There is no {item.record} in {item.table}.")
                txn.same_version(item.table, item.record, sealed[1], item.version)
                # Sealed records are read-only, but not beyond the law: the erasure is made in the segment.
                history = histories[(item.table, item.record)]
                txn.entries.append(self._erase_entry(item, reason, history, sealed=sealed[0].number))
            # No checkpoint yet: the snapshot must not move past an erasure whose values are still in the
            # journal (a crash there would leave nothing saying the journal still holds them).
            done = self._commit(txn, checkpoint=False)
            report = ErasureReport(entries=[e for e in done if e["action"] == ERASE])
            try:
                self._finish_erasures(report)
            except StoreError as exc:
                raise WriteFailedError(
                    f"The erasure is recorded (entry {done[-1]['seq']}), but its values are not yet out of every "
                    f"file: {_without_advice(str(exc))} The next save by anyone finishes it once that is put right."
                ) from None
            return report

    def _erase_entry(
        self, item: Erasure, reason: str, history: list[dict[str, Any]], sealed: int | None = None
    ) -> dict[str, Any]:
        """The erase entry for one record (whose entries, oldest first, are ``history``): each field's old
        value named by the digest it was last set with (so the entry says which value went, without it),
        its stand-in sealed like any value."""
        last: dict[str, str] = {}
        for entry in history:
            for name, pair in entry["changes"].items():
                last[name] = pair[1]["d"]
        changes = {
            name: [{"d": last[name]} if name in last else None, seal_value(stand_in)]
            for name, stand_in in item.fields.items()
        }
        spec: dict[str, Any] = {
            "fields": sorted(item.fields),
            "reasons": item.reasons,
            "v1": any("v1_hash" in e for e in history),
        }
        if sealed is not None:
            spec["sealed"] = sealed
        return new_entry(
            table=item.table,
            record=item.record,
            action=ERASE,
            at=self.now_stamp(),
            actor=self.actor,
            reason=reason,
            changes=changes,
            erases=spec,
        )

    def checkpoint(self) -> None:
        """Write the snapshot now (under the lock), whatever the schedule says."""
        with self._mutex, self.file.lock():
            self._catch_up_locked()
            self._write_snapshot()

    # -- time ---------------------------------------------------------------------------------
    def now_stamp(self) -> str:
        """Now by this machine's clock, as stamped on entries. Never moved forward to look monotonic:
        order comes from the sequence and the chain, and a clock that is behind the last entry is made
        visible instead (see ``clock_behind`` and ``verify``'s warnings)."""
        return utc_stamp(self._clock())

    def clock_behind(self) -> float:
        """Seconds by which this machine's clock is behind the record's last entry (0 if it is not)."""
        last = self._last_stamp()
        if last is None:
            return 0.0
        return max(0.0, (last - self._clock().astimezone(UTC)).total_seconds())

    def _last_stamp(self) -> datetime | None:
        if self._v1_log is not None:
            seq, _ = self.head
            return parse_stamp(self._v1_log[str(seq)]["at"]) if seq else None
        if self._recent:
            return parse_stamp(self._recent[-1]["at"])
        position = self._data.get(META, {}).get("1", {}).get("journal")
        return parse_stamp(position.get("at")) if isinstance(position, dict) else None

    def _last_stamp_text(self) -> str | None:
        position = self._data.get(META, {}).get("1", {}).get("journal")
        return position.get("at") if isinstance(position, dict) else None

    def next_number(self, table: str) -> int:
        """The next free record number in a table: worked out once per load, not once per record."""
        if table not in self._numbers:
            highest = max((int(k) for k in self._data.get(table, {})), default=0)
            self._numbers[table] = max(highest, sealed_number(self._data, table)) + 1  # sealed numbers too
        return self._numbers[table]

    # -- internals: reading -------------------------------------------------------------------
    def _outside_state(self) -> Any:
        """What a refusal is remembered against: the journal's and the snapshot's signatures."""
        return (self.file.folder.signature(self.journal.name), self.file.signature())

    def _load(self) -> None:
        """Read the snapshot and replay the journal after it (lock-free). A snapshot replaced while we
        read (a checkpoint, or an erasure rewriting both files) is read again. A snapshot that cannot be
        used (damaged by hand, swapped for a link or a FIFO) is only a cache of the journal: the records
        are read from the journal alone, ``snapshot_problem`` says why, and the next save rewrites it."""
        mark = self.journal.mark()
        try:
            self._load_once()
        except BaseException:
            self.journal.go_back(mark)  # the records kept are those of the old position: so is the journal
            raise

    def _load_once(self) -> None:
        for attempt in range(3):
            self.snapshot_problem = None
            try:
                raw, sig = self.file.read_bytes()
                data = load_record(raw, self.path) if raw.strip() else None
                position = (
                    snapshot_position(data, self.path) if data is not None and schema_of(data) >= SCHEMA else None
                )
            except UnusableFileError as exc:
                if not self._journal_size():
                    raise
                self.snapshot_problem = _without_advice(str(exc))
                self._replay_from({}, None, (0, 0, GENESIS_PREV))
                self._snap_seq = -1
                return
            wrong = self.journal.position_problem(*position) if position is not None else None
            moved = None
            if wrong and position is not None and data is not None:
                # A seal's last step cut the journal after this snapshot was written: its entry is there,
                # further up (or a checkpoint and a seal came while we read: read the snapshot again).
                moved = find_position(self.journal, position[1], position[2])
                if moved is not None:
                    wrong = None
                    data[META]["1"]["journal"] = {**data[META]["1"]["journal"], "offset": moved}
                elif attempt < 2 and self.file.signature() != sig:
                    continue
            if wrong:
                # A readable snapshot that names what the journal does not hold: the journal was cut short or
                # replaced (or the snapshot put back from elsewhere). Rebuilding from this journal would lose
                # what the snapshot proves was saved: refuse, and let verify say which.
                raise UnusableFileError(
                    f"{self.path} and {self.journal.path} do not match ({wrong}). Run 'supervisor-tui verify' "
                    "for details; nothing has been changed."
                )
            try:
                self._load_from(data, sig)
                if moved is not None:
                    self._snap_seq = -1  # its offset is stale: the next writer writes it again
                return
            except BrokenJournalError:
                if attempt == 2 or self.file.signature() == sig:
                    raise  # not a race with a writer: the journal really is damaged

    def _load_from(self, data: RawTables | None, sig: Signature | None) -> None:
        journal_size = self._journal_size()
        if data is None:
            if not journal_size:
                self._install_loaded({}, sig, None, [])
                return
            # The snapshot was never written (a crash after the first save), or was removed or emptied
            # since: the journal has it all.
            self._replay_from({}, sig, (0, 0, GENESIS_PREV))
            self._snap_seq = -1
            self.snapshot_problem = f"{self.path} is missing or empty."
            return
        if schema_of(data) < SCHEMA:
            if journal_size:
                # An upgrade wrote the journal but not yet the snapshot (a crash), or an older app wrote
                # the v1 file after one did: the upgrade (under the lock) sorts out which.
                from .upgrade import journal_continues_v1

                if journal_continues_v1(self, data):
                    self._replay_from({}, sig, (0, 0, GENESIS_PREV))
                    self._snap_seq = -1  # no v2 snapshot yet: the next save writes one
                    return
            self._install_loaded(
                {k: v for k, v in data.items() if k != AUDIT},
                sig,
                cast(dict[str, dict[str, Any]], data.get(AUDIT, {})),
                [],
            )
            return
        offset, seq, digest = snapshot_position(data, self.path)
        self._replay_from(data, sig, (offset, seq, digest))

    def _replay_from(self, tables: Tables, sig: Signature | None, position: tuple[int, int, str]) -> None:
        offset, seq, digest = position
        self.journal.resume(offset, seq, digest)
        if seq == 0 and journal_first_seq(self.journal) > 1:
            # No snapshot, and the live journal continues sealed segments: the records are the replay of
            # them all, oldest first (slow, and only ever needed to rebuild a lost snapshot).
            entries, _end = read_chain(chain_journals(self.file, self.journal))
        else:
            entries, _end = self.journal.read_from(offset, after=(seq, digest))
        tables = {name: dict(rows) for name, rows in tables.items()}
        self._apply_into(tables, entries)
        self._install_loaded(tables, sig, None, entries)
        self._snap_seq = seq

    def _install_loaded(
        self,
        tables: Tables,
        sig: Signature | None,
        v1_log: dict[str, dict[str, Any]] | None,
        entries: list[dict[str, Any]],
    ) -> None:
        self._data, self._snap_sig, self._v1_log = tables, sig, v1_log
        self._recent = entries[-RECENT_KEPT:]
        self._erasures = [e for e in entries if e["action"] == ERASE]
        self._numbers = {}
        self._history.forget()
        self.sealed.forget()  # an erasure may have rewritten a segment: what this session read is no more
        if v1_log is None and not entries and not tables:
            self.journal.resume(0, 0, GENESIS_PREV)

    def _journal_size(self) -> int:
        st = self.file.folder.lstat(self.journal.name)
        return 0 if st is None else st.st_size

    def _apply_into(self, tables: Tables, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            problem = shape_problem(entry) or replay_problem(tables, entry)
            if problem:
                raise UnusableFileError(
                    f"{self.path} is damaged: journal entry {entry.get('seq')} ({entry.get('action')} "
                    f"{str(entry.get('record'))[:40]}) {problem}. Run 'supervisor-tui verify' for details; "
                    "nothing has been changed."
                )
            replay(tables, entry)

    def _apply(self, entries: list[dict[str, Any]]) -> None:
        """Add entries read from (or just written to) the journal to the tables: copies of the tables
        they touch, so a reader holding the old ones keeps a consistent view."""
        if not entries:
            return
        new = dict(self._data)
        touched = {str(e.get("table")) for e in entries}  # an entry without a table is refused below
        for entry in entries:
            sealed = entry.get("sealed") if entry.get("action") == "seal" else None
            if isinstance(sealed, dict) and isinstance(sealed.get("records"), dict):
                touched.update(map(str, sealed["records"]))  # a seal takes records out of these tables
        for name in touched:
            new[name] = dict(new.get(name, {}))
        self._apply_into(new, entries)
        self._data = new
        erasures = [e for e in entries if e["action"] == ERASE]
        self._erasures.extend(erasures)
        if any(erases_sealed(e) is not None for e in erasures):
            self.sealed.forget()  # a segment's records were rewritten by the erasure: read them again
        self._recent.extend(entries)
        del self._recent[:-RECENT_KEPT]
        self._numbers = {}

    def _follow(self) -> bool:
        """Read what the journal gained since we last looked; reload from the snapshot if the journal
        was replaced (an erasure rewrites it) or the record was upgraded under us."""
        if self._v1_log is not None:
            if self.file.signature() == self._snap_sig:
                return False
            self._load()
            return True
        st = self.file.folder.lstat(self.journal.name)
        if st is None:
            if self.journal.end == 0:
                return False
            raise UnusableFileError(self._gone(self.journal.path))
        known = self.journal._file  # noqa: SLF001 - the (device, inode) the journal position was read in
        if known is not None and known != (st.st_dev, st.st_ino):
            self._load()
            return True
        if st.st_size == self.journal.end:
            return False
        entries, _end = self.journal.read_from(self.journal.end)
        self._apply(entries)
        return bool(entries)

    def _catch_up_locked(self) -> None:
        """Under the lock: the record as it is now, an unfinished transaction a crash left removed. A
        snapshot swapped for a link, a folder or a FIFO is refused: someone is interfering with the record."""
        if self._v1_log is not None:
            self._load()
        self._follow()
        if self.file.signature() != self._snap_sig:
            # Another session's checkpoint (or damage): learn where the snapshot on disk stands, so the
            # checkpoint schedule is the record's, not this session's, and a bad one is written again.
            self._snap_seq = self._snapshot_on_disk()
        repaired = self.journal.repair_tail()
        if repaired is not None:
            self._follow()
        segments = self.segments()
        if segments and self._seal_checked != (self.journal._file, len(segments)):  # noqa: SLF001
            finish_locked(self)  # a seal cut short before its last step: finished now
            self._seal_checked = (self.journal._file, len(segments))  # noqa: SLF001
        if self._erasure_unfinished():
            # An erasure a crash (or a full disk) stopped before its values were out of every file: it is
            # due, and this writer finishes it before adding anything.
            try:
                self._finish_erasures()
            except StoreError as exc:
                self.checkpoint_problem = f"an erasure is unfinished: {exc}"

    def _snapshot_on_disk(self) -> int:
        """The journal seq the snapshot on disk holds the records at, or -1 if it cannot be used (a link, a
        FIFO, a hand edit, gone), so this save writes it again. Reads only its start, where the store
        writes its position (the metadata comes first), and the journal line that position names: a
        save after another session's checkpoint costs microseconds, not a parse of the whole snapshot.
        A snapshot damaged further in is found by the next open, which reads the journal instead."""
        sig = self.file.signature()
        try:
            head = self.file.folder.read_start(self.file.name, _POSITION_BYTES)
        except UnusableFileError:
            return -1
        found = _POSITION.search(head)
        if found is None:
            return -1
        offset, seq, digest = int(found[1]), int(found[2]), found[3].decode("ascii")
        if self.journal.position_problem(offset, seq, digest):
            return -1
        self._snap_sig = sig
        return seq

    def _gone(self, path: Path) -> str:
        return (
            f"{path} is no longer there, or is empty: it was moved, deleted or emptied outside the app "
            "after it was opened. Nothing was saved; put the file back (what you see is as it was read)."
        )

    # -- internals: writing -------------------------------------------------------------------
    @property
    def signer(self) -> Signer | None:
        """The key this session signs with (the user's own, loaded or made on first use); None if unsigned.
        A key that cannot be used (readable by others, damaged) raises SigningKeyError saying what to do."""
        if self._signer is None and self._signer_given == "own":
            from .signing import own_key

            self._signer = own_key()
        return self._signer

    @property
    def key_fingerprint(self) -> str | None:
        """'SHA256:…' of the key this session signs with (made on first use), or None if it signs with
        none or its key cannot be used (``key_problem`` then says why)."""
        if self._signer is None and self._key_unusable:
            return None  # asked on every status-line update: the key file is not read again each time
        try:
            signer = self.signer
        except StoreError as exc:
            self.key_problem, self._key_unusable = str(exc), True
            return None
        return None if signer is None else str(signer.public.fingerprint)

    def _sign(self) -> Callable[[bytes], str] | None:
        signer = self.signer
        return None if signer is None else signer.sign

    def _write_genesis(self) -> None:
        at = self.now_stamp()
        meta = {"format": FORMAT, "schema": SCHEMA, "created_at": at, "created_by": self.actor.login}
        entry = new_entry(
            table=META,
            record="file",
            action="init",
            at=at,
            actor=self.actor,
            reason="new record file",
            changes=field_changes(None, meta),
        )
        txn = Transaction(self)
        txn.extra.append(entry)
        self._commit(txn, force_snapshot=True)

    def _publish_key(self) -> None:
        """Publish this login's public key beside the record (once per store), so ``verify`` can tell
        the key registered under the login is really theirs. A failure does not stop the save: the
        entries are signed all the same, and ``verify`` and the status line say the key is unconfirmed."""
        if self._key_published or self.signer is None:
            return
        assert self.signer is not None
        from .signing import publish, published_key

        self._key_published = True
        try:
            if published_key(self.path, self.actor.login).key != self.signer.public:
                publish(self.path, self.actor.login, self.signer.public)
            self.key_problem = None
        except (StoreError, OSError) as exc:
            self.key_problem = str(exc)

    def _commit(self, txn: Transaction, force_snapshot: bool = False, checkpoint: bool = True) -> list[dict[str, Any]]:
        self._publish_key()
        entries = txn.journal_entries()
        done = self.journal.append(entries, sign=self._sign())
        # The in-memory records are the replay of what was written: a save and a later read agree.
        self._apply(done)
        self.written.update(e["seq"] for e in done)
        for entry in done:
            self._frags.pop((entry["table"], doc_key(entry["record"]) if entry["table"] != META else "1"), None)
        behind = self.journal.head[0] - self._snap_seq
        due = behind >= self.checkpoint_every or (behind > 0 and self._snapshot_age() >= self.checkpoint_after_s)
        if (
            self.checkpoint_problem
            and time.monotonic() - self._snap_written < self.checkpoint_after_s
            and behind < 2 * self.checkpoint_every
        ):
            due = False  # it failed a moment ago (a sticky folder, a full disk): not again on every save
        if not checkpoint or self._erasure_unfinished():
            return done
        if force_snapshot or due or (self._snap_seq < 0 and not self.checkpoint_problem):
            try:
                self._write_snapshot()
                self.checkpoint_problem = None
            except StoreError as exc:
                if force_snapshot:
                    raise
                # The save itself is in the journal, durable and acknowledged: a snapshot that cannot be
                # written now (a sticky folder where the snapshot is a colleague's, a full disk) only makes
                # opening slower. Said on the status line; the next save tries again.
                self.checkpoint_problem = str(exc)
                self._snap_written = time.monotonic()
        return done

    def _finish_erasures(self, report: ErasureReport | None = None) -> None:
        """Under the lock: take the values the erase entries since the snapshot name out of every file of the
        record: the journal's lines (and a stale journal's) rewritten with them blanked to the same length,
        the v1 file retired if they reach it, then the snapshot rewritten with the stand-ins. Safe to run
        again after a crash anywhere in it: what is already gone is not found again."""
        report = report if report is not None else ErasureReport()
        pending = [e for e in self._erasures if e["seq"] > self._snap_seq]
        targets = targets_of(pending)
        folder = self.file.folder
        self._scrub_segments(pending, targets, report)
        for name in [self.journal.name, *self._stale_journals()]:
            removed = scrub_file(
                folder,
                name,
                targets,
                shared=self.file.shared,
                still_locked=self._still_locked,
                blank_unreadable=name != self.journal.name,  # the live journal's torn tail was just repaired
            )
            if removed:
                report.values += removed
                report.files.append(str(folder.path / name))
        from .upgrade import v1_name

        for name in (self.file.name, self.journal.name, v1_name(self.file.name)):
            folder.remove_orphans(name)  # a killed writer's temp file may hold the values too
        if any(e["erases"].get("v1") for e in pending):
            report.retired = self._retire_v1()
        self._load()  # the journal was replaced: read it again (every offset still holds)
        self._write_snapshot(erasures_finished=True)
        self.checkpoint_problem = None
        report.files.append(str(self.path))

    def _scrub_segments(self, pending: list[dict[str, Any]], targets: Any, report: ErasureReport) -> None:
        """The sealed segments' share of an erasure: their journals' lines (a record's early history, or a
        sealed record's whole history) blanked like the live journal's, and each sealed record erased
        rewritten in its segment's records with its stand-ins. Both files stay read-only."""
        segments = self.segments()
        if not segments or not targets:
            return
        folder = sealed_folder(self)
        if folder is None:
            raise UnusableFileError(
                f"The sealed segments of {self.path} are missing, so nothing can be erased from them."
            )
        for segment in segments:
            name = segment_journal(segment.number)
            removed = scrub_file(folder, name, targets, shared=self.file.shared, still_locked=self._still_locked)
            if removed:
                report.values += removed
                report.files.append(str(folder.path / name))
        for number in sorted({n for e in pending if (n := erases_sealed(e)) is not None}):
            name = segment_tables(number)
            raw, sig = folder.read(name)
            data = parse_bytes(raw, folder.path / name)
            changed = False
            for entry in pending:
                if erases_sealed(entry) != number:
                    continue
                rows = data.get(entry["table"], {})
                key = doc_key(entry["record"])
                if key in rows:
                    new = erased_row(rows[key], entry)
                    changed = changed or new != rows[key]
                    rows[key] = new
            if changed:
                folder.replace(
                    name,
                    [json.dumps(data, ensure_ascii=False)],
                    shared=self.file.shared,
                    before_rename=self._still_locked,
                )
                report.files.append(str(folder.path / name))
        self.sealed.forget()

    def _stale_journals(self) -> list[str]:
        pattern = re.compile(re.escape(self.journal.name) + r"\.stale-\d+")
        try:
            return sorted(e.name for e in os.scandir(self.file.folder.fd) if pattern.fullmatch(e.name))
        except OSError:
            return []

    def _retire_v1(self) -> str | None:
        """Remove the v1 file kept since the upgrade: its whole-record copies hold the erased values and
        cannot be edited without breaking its chain. Its hashes stay provable through the converted entries."""
        from .upgrade import v1_name

        name = v1_name(self.file.name)
        if self.file.folder.lstat(name) is None:
            return None
        try:
            os.unlink(name, dir_fd=self.file.folder.fd)
        except OSError as exc:
            raise WriteFailedError(
                f"The values were erased from the journal and the snapshot, but the old v1 file {name} could not "
                f"be removed ({exc.strerror}); ask its owner or an administrator to remove it."
            ) from None
        self.file.folder.sync()
        return str(self.file.folder.path / name)

    def _still_locked(self) -> None:
        if not self.file.lock_is_current():
            raise WriteFailedError(
                f"Not erased from {self.journal.path}: the lock file was removed or replaced while the erasure held "
                "it, so another session may be saving. The erasure is recorded; the next save finishes it."
            )

    def _snapshot_age(self) -> float:
        """Seconds since the snapshot on disk was written, by whichever session (its modification time)."""
        st = self.file.folder.lstat(self.file.name)
        if st is None:
            return float("inf")
        # The file system's time against the machine's: a file's age, not a stamp on the record.
        return time.time() - st.st_mtime

    def _erasure_unfinished(self) -> bool:
        """Is an erasure in the journal whose values may still be in its files? (Then the snapshot must not
        move past it: where it stands is what tells the next writer the erasure is still to finish.)"""
        return any(e["seq"] > self._snap_seq for e in self._erasures)

    def _write_snapshot(self, *, erasures_finished: bool = False) -> None:
        """Replace the snapshot with the records as they are at the journal's end (under the lock)."""
        if not erasures_finished and self._erasure_unfinished():
            raise WriteFailedError(
                "The snapshot was not written: an erasure is not yet finished (its values may still be in the "
                "journal); the next save finishes it first."
            )
        seq, digest = self.journal.head
        meta = {**self._data.get(META, {}).get("1", {})}
        at = self._recent[-1]["at"] if self._recent else self._last_stamp_text()
        meta["journal"] = {"offset": self.journal.end, "seq": seq, "hash": digest, "at": at}
        # The metadata first: a session learns where a snapshot stands from its first bytes.
        tables = {META: {"1": meta}, **{name: rows for name, rows in self._data.items() if name != META}}
        self._frags.pop((META, "1"), None)
        current = self.file.signature()
        self._snap_sig, _token = self.file.replace_with(self._serialise(tables), current, check=True)
        self._data = tables
        self._snap_seq = seq
        self._snap_written = time.monotonic()

    def _serialise(self, data: Tables) -> list[str]:
        """JSON text of the whole snapshot, reusing each unchanged record's text from the last write."""
        dumps, frags = json.dumps, self._frags
        parts = ["{"]
        for t_index, (table, rows) in enumerate(data.items()):
            parts.append(("," if t_index else "") + dumps(table, ensure_ascii=False) + ":{")
            items = []
            for key, row in rows.items():
                cached = frags.get((table, key))
                if cached is not None and cached[0] is row:
                    text = cached[1]
                else:
                    text = dumps(row, ensure_ascii=False)
                frags[(table, key)] = (row, text)
                items.append(f'"{key}":{text}')
            parts.append(",".join(items))
            parts.append("}")
        parts.append("}")
        return parts


class Transaction:
    """Changes staged under the lock; the store appends them to the journal as one transaction."""

    def __init__(self, store: Store):
        self.store = store
        self.staged: dict[tuple[str, str], dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] = []  # entries for the records staged, in order
        self.extra: list[dict[str, Any]] = []  # entries the store adds itself (the file's set-up)
        self._next: dict[str, int] = {}

    def current(self, table: str, record_id: str) -> dict[str, Any]:
        key = doc_key(record_id)
        staged = self.staged.get((table, key))
        return staged if staged is not None else self.store.live(table, record_id)

    def create(self, table: str, prefix: str, fields: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        if table in (AUDIT, META, KEYS_TABLE):
            raise StoreError(f"{table} is written by the store itself")
        return self._create(table, prefix, fields, reason)

    def _create(self, table: str, prefix: str, fields: dict[str, Any], reason: str | None) -> dict[str, Any]:
        number = self._next.get(table) or self.store.next_number(table)
        self._next[table] = number + 1
        record_id = f"{prefix}-{number:04d}"
        entry = self._entry(table, record_id, "create", reason, field_changes(None, fields_of(fields)))
        return self._stage(table, None, entry)

    def update(
        self, table: str, record_id: str, fields: dict[str, Any], expected_version: int, reason: str | None = None
    ) -> dict[str, Any]:
        before = self._checked(table, record_id, expected_version)
        changes = field_changes(before, fields_of(fields))
        if not changes:
            return before
        return self._stage(table, before, self._entry(table, record_id, "update", reason, changes))

    def void(self, table: str, record_id: str, reason: str, expected_version: int) -> dict[str, Any]:
        if not (reason or "").strip():
            raise StoreError("Voiding needs a reason: the record stays readable with it.")
        before = self._checked(table, record_id, expected_version)
        return self._stage(table, before, self._entry(table, record_id, "void", reason.strip(), {}))

    def _checked(self, table: str, record_id: str, expected_version: int) -> dict[str, Any]:
        current = self.current(table, record_id)
        if current.get("voided"):
            raise VoidedError(
                f"{record_id} was voided by {current['updated_by']} ({current['void_reason']}); "
                "it can be read but not changed."
            )
        self.same_version(table, record_id, current, expected_version)
        return current

    def same_version(self, table: str, record_id: str, current: dict[str, Any], expected_version: int | None) -> None:
        """A ConflictError naming who changed the record and which fields, unless ``current`` is still at
        ``expected_version`` (None: the caller named none)."""
        if expected_version is not None and current["version"] != expected_version:
            history = self.store.history(table, record_id)
            # The fields changed since the version the caller read: every change after it, by name.
            # The k-th change of a record made its version k: what came after the caller's version, by field.
            fields = sorted({name for change in history[max(expected_version, 0) :] for name in change["changes"]})
            last = history[-1] if history else {"actor": current["updated_by"], "ssh": None}
            # Several supervisors may share one login: the SSH client tells them apart.
            who = f"{last['actor']} (from {last['ssh']})" if last.get("ssh") else last["actor"]
            raise ConflictError(table, record_id, expected_version, current, who, current["updated_at"], fields)

    def _entry(
        self, table: str, record_id: str, action: str, reason: str | None, changes: dict[str, list[Any]]
    ) -> dict[str, Any]:
        return new_entry(
            table=table,
            record=record_id,
            action=action,
            at=self.store.now_stamp(),
            actor=self.store.actor,
            reason=reason,
            changes=changes,
        )

    def _stage(self, table: str, before: dict[str, Any] | None, entry: dict[str, Any]) -> dict[str, Any]:
        key = doc_key(entry["record"])
        rows: Tables = {table: {key: before} if before is not None else {}}
        _key, record = replay(rows, entry)  # the record exactly as replaying the entry will rebuild it
        self.entries.append(entry)
        self.staged[(table, key)] = record
        return record

    def journal_entries(self) -> list[dict[str, Any]]:
        """The transaction's entries, led by the registration of this login's key if the record does
        not have it yet (so every entry after it can be checked against a key the record holds)."""
        return self.extra + self._key_entries() + self.entries

    def _key_entries(self) -> list[dict[str, Any]]:
        signer, store = self.store.signer, self.store
        if signer is None:
            return []
        login = store.actor.login
        fields = {"login": login, "public": signer.public.text, "fingerprint": signer.public.fingerprint}
        rows = store.data.get(KEYS_TABLE, {})
        mine = next((row for row in rows.values() if row.get("login") == login), None)
        if mine is not None and mine.get("public") == fields["public"]:
            return []
        reason = "signing key registered" if mine is None else "signing key replaced"
        first = self.entries[:1]
        if mine is None:
            number = store.next_number(KEYS_TABLE)
            record_id, before = f"{KEY_PREFIX}-{number:04d}", None
        else:
            record_id, before = mine["id"], mine
        action = "create" if before is None else "update"
        entry = self._entry(KEYS_TABLE, record_id, action, reason, field_changes(before, fields))
        if first:
            # Stamped as the change it comes before, so the journal's times never seem to go backwards.
            entry["at"] = first[0]["at"]
        return [entry]


_ADVICE = re.compile(
    r"\s*(Run 'supervisor-tui verify' for details; )?(the file|it) has not been changed\.", re.IGNORECASE
)


def _without_advice(message: str) -> str:
    """A refusal's message without 'it has not been changed' advice: said of a snapshot the store is
    about to rebuild from the journal, that would not stay true."""
    return _ADVICE.sub("", message).rstrip(". ") + "."


_POSITION_BYTES = 4096
_POSITION = re.compile(rb'"journal": \{"offset": (\d+), "seq": (\d+), "hash": "([0-9a-f]{64})"')


class _HistoryIndex:
    """Where each record's entries are in the journal: (table, record) -> [(offset, length)].

    Built on first use by reading the journal once (most lines are found by their first bytes, which
    the store always writes as ``{"table":…,"record":…``; any other line is parsed), then extended by
    what was appended since. Forgotten when the journal is replaced or another file is loaded."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._lines: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._to = 0
        self._file: tuple[int, int] | None = None

    def forget(self) -> None:
        with self._lock:
            self._lines, self._to, self._file = {}, 0, None

    def entries(self, table: str, record_id: str) -> list[dict[str, Any]]:
        journal = self.store.journal
        with self._lock:
            fd = journal.folder.open_plain(journal.name)
            if fd is None:
                return []
            try:
                st = os.fstat(fd)
                if self._file != (st.st_dev, st.st_ino):
                    self._lines, self._to, self._file = {}, 0, (st.st_dev, st.st_ino)
                end = min(journal.end, st.st_size)
                if end > self._to:
                    self._index(fd, self._to, end)
                found = []
                for offset, length in self._lines.get((table, record_id), []):
                    entry = _parse_line(os.pread(fd, length, offset))
                    if entry is not None and entry.get("record") == record_id and entry.get("table") == table:
                        found.append(entry)
                return found
            finally:
                os.close(fd)

    def _index(self, fd: int, start: int, end: int) -> None:
        data = os.pread(fd, end - start, start)
        at = start
        lines = self._lines
        for raw in data.split(b"\n")[:-1]:  # the index only ever reaches the end of a whole transaction
            length = len(raw) + 1
            key = line_record(raw)
            if key is None:
                entry = _parse_line(raw)
                key = (str(entry.get("table")), str(entry.get("record"))) if entry is not None else ("", "")
            lines.setdefault(key, []).append((at, length))
            at += length
        self._to = at


def _parse_line(raw: bytes) -> dict[str, Any] | None:
    """One journal line as an entry, if it is one whose hash matches its contents."""
    try:
        entry = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict):
        return None
    try:
        return entry if entry.get("hash") == journal_entry_hash(entry) else None
    except (TypeError, ValueError, RecursionError):
        return None
