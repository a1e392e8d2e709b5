"""The v1 Store, vendored for the benchmarks: the single-file record the v2 journal replaces, so bench_v2 can
measure today's store (as of commit 63ea56c) on the same data in the same run. Not used by the app.

Taken verbatim from ``git show 63ea56c:storage/store.py`` (the store that rewrites and fsyncs the whole JSON
file, audit table included, on every save); only its imports are changed, to the storage modules it used,
which are unchanged since (audit, errors, files, identity, jsonfile, lock). ``convert_from_v2`` at the end is
ours: it writes the v1 file the v1 store would have written for a v2 record's history (see its docstring).

Records are plain dicts with an envelope the store owns: ``id`` (a human id such as ``C-0042``),
``version``, ``created_at/by``, ``updated_at/by``, ``voided`` and ``void_reason``. A save names the
version it was based on; if someone saved in between, it is refused with a :class:`ConflictError`
naming them. Records are never deleted, only voided with a reason.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from supervisor_tui.storage.audit import (
    AUDIT,
    FORMAT,
    GENESIS_PREV,
    META,
    SCHEMA,
    doc_key,
    entry_problem,
    make_entry,
    parse_stamp,
    utc_stamp,
)
from supervisor_tui.storage.errors import ConflictError, NotFoundError, StoreError, UnusableFileError, VoidedError
from supervisor_tui.storage.files import Signature
from supervisor_tui.storage.identity import Actor
from supervisor_tui.storage.jsonfile import LockedFile, parse_bytes
from supervisor_tui.storage.lock import Holder

ENVELOPE = ("id", "version", "created_at", "created_by", "updated_at", "updated_by", "voided", "void_reason")
Row = dict[str, Any]  # one record, audit entry or metadata, as JSON
Tables = dict[str, dict[str, Row]]  # table name -> TinyDB document key -> row
RawTables = dict[str, dict[str, Any]]  # as parsed, before the rows are known to be objects


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
    """A record the app can work on: ours, and every table, row and audit entry of the right shape.

    A damaged file is refused with a clear message (and left alone) instead of failing somewhere
    deep inside a screen for every user; ``supervisor-tui verify`` lists what is wrong with it.
    """
    data = read_record(raw, path)
    problem = shape_problem(data)
    if problem:
        raise UnusableFileError(
            f"{path} is damaged: {problem}. Run 'supervisor-tui verify' for details; the file has not been changed."
        )
    return cast(Tables, data)  # shape_problem has just checked that every row the app reads is an object


def shape_problem(data: RawTables) -> str | None:
    """The first thing about the file's shape the app could not work with, or None."""
    for name, rows in data.items():
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


def fields_of(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the store's envelope: the part a caller edits."""
    return {k: v for k, v in record.items() if k not in ENVELOPE}


def changed_fields(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[str]:
    a, b = fields_of(a or {}), fields_of(b or {})
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


class Store:
    def __init__(
        self,
        path: str,
        actor: Actor | None = None,
        *,
        create: bool = True,
        clock: Callable[[], datetime] | None = None,
        shared: bool = False,
    ):
        self.file = LockedFile(path, shared=shared)
        self.path = self.file.path
        self.actor = actor or Actor.from_process()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._data: Tables = {}
        self._sig: Signature | None = None
        self._token: str | None = None
        self._frags: dict[tuple[str, str], tuple[Any, str]] = {}
        # (entries indexed, the last one's hash, (table, record) -> seqs): extended as the log grows
        self._history_index: tuple[int, str, dict[tuple[str, str], list[int]]] = (0, "", {})
        self._history_lock = threading.Lock()
        self._numbers: dict[str, int] = {}  # the next free number per table, worked out once per load
        self._mutex = threading.RLock()  # the app reloads in a worker thread while the UI thread saves
        self._refused: tuple[Signature | None, str] | None = None  # the last unusable file seen, and why
        self.written: set[int] = set()  # audit seqs this Store wrote, so a screen can tell others' changes
        self._reload()
        if not self._data:
            if not create:
                raise UnusableFileError(f"{self.path} does not exist or is empty.")
            with self.file.lock():
                self._load_fresh_locked(new_file=True)
                if not self._data:
                    self._write_genesis()

    # -- reading (no lock: the file is always replaced whole) --------------------------------
    @property
    def read_only(self) -> bool:
        return not self.file.writable

    @property
    def data(self) -> Tables:
        """The tables as last read. Treat as read-only: it is the store's own copy."""
        return self._data

    def refresh(self) -> bool:
        """Reload if another session changed the file. True when it did.

        If the file can no longer be used (damaged, swapped for a link or a FIFO, moved away), a
        StoreError says why and the data stays as last read; the same bad file is not read again."""
        sig = self.file.signature()
        if sig == self._sig:
            return False
        if self._refused is not None and self._refused[0] == sig:
            raise UnusableFileError(self._refused[1])
        with self._mutex:
            try:
                changed = self._reload()
            except UnusableFileError as exc:
                self._refused = (sig, str(exc))
                raise
            self._refused = None
            return changed

    def records(self, table: str, *, include_voided: bool = False) -> list[dict[str, Any]]:
        rows = self._data.get(table, {}).values()
        return [r for r in rows if include_voided or not r.get("voided")]

    def get(self, table: str, record_id: str) -> dict[str, Any]:
        try:
            return self._data[table][doc_key(record_id)]
        except (KeyError, ValueError, IndexError):
            raise NotFoundError(f"There is no {record_id} in {table}.") from None

    def meta(self) -> dict[str, Any]:
        return self._data[META]["1"]

    @property
    def head(self) -> tuple[int, str]:
        log = self._data.get(AUDIT, {})
        if not log:
            return 0, GENESIS_PREV
        last = log[str(len(log))]
        return last["seq"], last["hash"]

    def head_text(self) -> str:
        seq, digest = self.head
        return f"{seq}:{digest}"

    def entries_since(self, seq: int) -> list[dict[str, Any]]:
        log = self._data.get(AUDIT, {})
        return [log[str(s)] for s in range(seq + 1, len(log) + 1)]

    def lock_holders(self) -> list[Holder]:
        """Other processes holding this record's write lock right now, for 'waiting for alice (pid
        4242)' while a save waits its turn. Asks without waiting; empty when nobody else holds it (or
        the system does not say)."""
        return [h for h in self.file.holders() if h.pid != os.getpid()]

    def history(self, table: str, record_id: str) -> list[dict[str, Any]]:
        """Every audit entry for one record, oldest first.

        The index behind it is extended by the entries added since it was last used (a save, ours
        or another session's, costs its own entries), and rebuilt only when the log no longer goes
        on from where it was (another file)."""
        log = self._data.get(AUDIT, {})
        with self._history_lock:
            count, digest, index = self._history_index
            if count > len(log) or (count and log[str(count)]["hash"] != digest):
                count, index = 0, {}
            for seq in range(count + 1, len(log) + 1):
                entry = log[str(seq)]
                index.setdefault((entry["table"], entry["record"]), []).append(seq)
            if log:
                self._history_index = (len(log), log[str(len(log))]["hash"], index)
            seqs = list(index.get((table, record_id), []))
        return [log[str(s)] for s in seqs]

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Several changes in one atomic write: all land, or none do."""
        with self._mutex, self.file.lock():
            self._load_fresh_locked()
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

    # -- internals ----------------------------------------------------------------------------
    def _reload(self) -> bool:
        """Read the whole file (lock-free) and check it is ours. True if the data changed."""
        token = self.file.read_token_unlocked()
        raw, sig = self.file.read_bytes()
        if sig is not None and sig == self._sig:
            return False
        data = self._parse(raw)
        if not data and self._data:
            raise UnusableFileError(self._gone())
        self._data, self._sig, self._token = data, sig, token
        self._numbers = {}
        return True

    def _load_fresh_locked(self, new_file: bool = False) -> None:
        """The file as it is now, under the lock. Only a store being created may find it missing or
        empty: a save would otherwise write a record with no metadata and no history (numbering
        restarted at 1) that nothing could open again."""
        token = self.file.read_token()
        if self._sig is not None and self.file.signature() == self._sig and token == self._token:
            return
        raw, sig = self.file.read_bytes()
        data = self._parse(raw)
        if not data and not new_file:
            raise UnusableFileError(self._gone())
        self._data, self._sig, self._token = data, sig, token
        self._numbers = {}

    def _gone(self) -> str:
        return (
            f"{self.path} is no longer there, or is empty: it was moved, deleted or emptied outside the app "
            "after it was opened. Nothing was saved; put the file back (what you see is as it was read)."
        )

    def _parse(self, raw: bytes) -> Tables:
        if not raw.strip():
            return {}
        return load_record(raw, self.path)

    def now_stamp(self) -> str:
        """Now by this machine's clock, as stamped on audit entries. Never moved forward to look
        monotonic: order comes from the sequence and the chain, and a clock that is behind the last
        entry is made visible instead (see ``clock_behind`` and ``verify``'s warnings)."""
        return utc_stamp(self._clock())

    def clock_behind(self) -> float:
        """Seconds by which this machine's clock is behind the record's last entry (0 if it is not)."""
        seq, _ = self.head
        if not seq:
            return 0.0
        last = parse_stamp(self._data[AUDIT][str(seq)]["at"])
        if last is None:
            return 0.0
        return max(0.0, (last - self._clock().astimezone(UTC)).total_seconds())

    def next_number(self, table: str) -> int:
        """The next free record number in a table: worked out once per load, not once per record."""
        if table not in self._numbers:
            self._numbers[table] = max((int(k) for k in self._data.get(table, {})), default=0) + 1
        return self._numbers[table]

    def _write_genesis(self) -> None:
        at = utc_stamp(self._clock())
        meta = {"format": FORMAT, "schema": SCHEMA, "created_at": at, "created_by": self.actor.login}
        entry = make_entry(
            seq=1,
            at=at,
            actor=self.actor.login,
            uid=self.actor.uid,
            ssh=self.actor.ssh,
            action="init",
            table=META,
            record="file",
            before=None,
            after=meta,
            reason="new record file",
            prev=GENESIS_PREV,
        )
        self._install({META: {"1": meta}, AUDIT: {"1": entry}}, {(META, "1"), (AUDIT, "1")})

    def _commit(self, txn: Transaction) -> None:
        new = {name: dict(rows) if name in txn.touched_tables else rows for name, rows in self._data.items()}
        for (table, key), record in txn.staged.items():
            new.setdefault(table, {})[key] = record
        log = new.setdefault(AUDIT, {})
        for entry in txn.entries:
            log[str(entry["seq"])] = entry
        self._install(new, set(txn.staged) | {(AUDIT, str(e["seq"])) for e in txn.entries})

    def _install(self, new: Tables, changed: set[tuple[str, str]]) -> None:
        for key in changed:
            self._frags.pop(key, None)
        sig, token = self.file.replace_with(self._serialise(new), self._sig, check=True)
        self._data, self._sig, self._token = new, sig, token
        self._numbers = {}
        self.written.update(int(key) for table, key in changed if table == AUDIT)

    def _serialise(self, data: Tables) -> list[str]:
        """JSON text of the whole file, reusing each unchanged record's text from the last write."""
        dumps, frags = json.dumps, self._frags
        parts = ["{"]
        for t_index, (table, rows) in enumerate(data.items()):
            parts.append(("," if t_index else "") + dumps(table, ensure_ascii=False) + ":{")
            items = []
            for key, row in rows.items():
                cached = frags.get((table, key))
                if cached is not None and (cached[0] is row or cached[0] == row):
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
    """Changes staged under the lock; the store writes them with their audit entries at the end."""

    def __init__(self, store: Store):
        self.store = store
        self.staged: dict[tuple[str, str], dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] = []
        self.touched_tables: set[str] = set()
        self._seq, self._prev = store.head
        self._next: dict[str, int] = {}

    def current(self, table: str, record_id: str) -> dict[str, Any]:
        key = doc_key(record_id)
        staged = self.staged.get((table, key))
        return staged if staged is not None else self.store.get(table, record_id)

    def create(self, table: str, prefix: str, fields: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        if table in (AUDIT, META):
            raise StoreError(f"{table} is written by the store itself")
        number = self._next.get(table) or self.store.next_number(table)
        self._next[table] = number + 1
        record_id = f"{prefix}-{number:04d}"
        at = self._stamp()
        record = {
            **fields_of(fields),
            "id": record_id,
            "version": 1,
            "created_at": at,
            "created_by": self.store.actor.login,
            "updated_at": at,
            "updated_by": self.store.actor.login,
            "voided": False,
            "void_reason": None,
        }
        self._stage(table, record, "create", None, reason, at)
        return record

    def update(
        self, table: str, record_id: str, fields: dict[str, Any], expected_version: int, reason: str | None = None
    ) -> dict[str, Any]:
        before = self._checked(table, record_id, expected_version)
        after = {**before, **fields_of(fields)}
        if after == before:
            return before
        at = self._stamp()
        after.update(version=before["version"] + 1, updated_at=at, updated_by=self.store.actor.login)
        self._stage(table, after, "update", before, reason, at)
        return after

    def void(self, table: str, record_id: str, reason: str, expected_version: int) -> dict[str, Any]:
        if not (reason or "").strip():
            raise StoreError("Voiding needs a reason: the record stays readable with it.")
        before = self._checked(table, record_id, expected_version)
        at = self._stamp()
        after = {
            **before,
            "voided": True,
            "void_reason": reason.strip(),
            "version": before["version"] + 1,
            "updated_at": at,
            "updated_by": self.store.actor.login,
        }
        self._stage(table, after, "void", before, reason.strip(), at)
        return after

    def _checked(self, table: str, record_id: str, expected_version: int) -> dict[str, Any]:
        current = self.current(table, record_id)
        if current.get("voided"):
            raise VoidedError(
                f"{record_id} was voided by {current['updated_by']} ({current['void_reason']}); "
                "it can be read but not changed."
            )
        if current["version"] != expected_version:
            history = self.store.history(table, record_id)
            base = next(
                (e["before"] for e in history if e["before"] and e["before"].get("version") == expected_version), None
            )
            last = history[-1]
            # Several supervisors may share one login: the SSH client tells them apart.
            who = f"{last['actor']} (from {last['ssh']})" if last.get("ssh") else last["actor"]
            raise ConflictError(
                table, record_id, expected_version, current, who, current["updated_at"], changed_fields(base, current)
            )
        return current

    def _stamp(self) -> str:
        return self.store.now_stamp()

    def _stage(
        self,
        table: str,
        record: dict[str, Any],
        action: str,
        before: dict[str, Any] | None,
        reason: str | None,
        at: str,
    ) -> None:
        actor = self.store.actor
        self._seq += 1
        entry = make_entry(
            seq=self._seq,
            at=at,
            actor=actor.login,
            uid=actor.uid,
            ssh=actor.ssh,
            action=action,
            table=table,
            record=record["id"],
            before=before,
            after=record,
            reason=reason,
            prev=self._prev,
        )
        self._prev = entry["hash"]
        self.entries.append(entry)
        self.staged[(table, doc_key(record["id"]))] = record
        self.touched_tables.update((table, AUDIT))


# -- ours: the same history as a v1 file ----------------------------------------------------------------------
def convert_from_v2(v2_path: str | os.PathLike[str], v1_path: str | os.PathLike[str]) -> int:
    """Write at ``v1_path`` the v1 file that the v1 store would have written for the v2 record at ``v2_path``:
    its journal replayed entry by entry, each one a v1 audit entry with whole before and after copies (the
    record as the v1 store stamps it), hash-chained, tables in the order they were first written. The
    ``signing_keys`` table and its entries are v2's own and are left out (v1 had no signatures), so the v1
    ``seq`` runs without them. Returns the number of v1 entries. The result passes v1 ``verify``."""
    from supervisor_tui.storage.entries import KEYS_TABLE, reason_of, replay
    from supervisor_tui.storage.journal import Journal
    from supervisor_tui.storage.jsonfile import LockedFile as _File

    journal = Journal.beside(_File(v2_path))
    entries, _end = journal.read_from(0)
    tables: Tables = {}
    out: dict[str, dict[str, Any]] = {META: {}, AUDIT: {}}
    seq, prev = 0, GENESIS_PREV
    for entry in entries:
        if entry["table"] == KEYS_TABLE or entry["action"] == "upgrade":
            continue
        table = entry["table"]
        key = "1" if table == META else doc_key(entry["record"])
        before = tables.get(table, {}).get(key)
        _key, after = replay(tables, entry)
        if entry["action"] == "init":
            after = {**after, "schema": SCHEMA}  # the v1 format's marker
            tables[META]["1"] = after
        seq += 1
        v1 = make_entry(
            seq=seq,
            at=entry["at"],
            actor=entry["actor"],
            uid=entry["uid"],
            ssh=entry["ssh"],
            action=entry["action"],
            table=table,
            record=entry["record"],
            before=dict(before) if before is not None else None,
            after=dict(after),
            reason=reason_of(entry),
            prev=prev,
        )
        prev = v1["hash"]
        out[AUDIT][str(seq)] = v1
        out.setdefault(table, {})[key] = after
    with open(v1_path, "x", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    return seq
