"""A typed view of one table: pydantic models in, pydantic models out, every write audited.

Reading is cached: each record is validated once per version, and a repository brings itself up to
date by reading only the records the audit log says changed since it last looked. A section
reloaded after nothing changed, or after one save, costs that save, not the whole table.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from supervisor_tui.storage import DamagedRecordError, Store, Transaction

from ..domain.base import ENVELOPE, RecordModel, explain
from ..domain.clock import Clock
from ..domain.dates import show_stamp

M = TypeVar("M", bound=RecordModel)
K = TypeVar("K", bound=Hashable)

_EMPTY: dict[str, Any] = {}  # the table a store without one reads as (one object, so 'is' compares)
CHANGES_KEPT = 4096  # changes remembered for indexes; one that falls further behind rebuilds itself
# A whole table read in a worker thread (the app checks every record in the background as it starts)
# pauses this long after each batch, so the UI thread gets the interpreter first: its first screen is
# not kept waiting behind thousands of validations.
BATCH, PAUSE_S = 32, 0.0005


@dataclass(frozen=True)
class Change:
    """One line of a record's history, ready to show."""

    seq: int
    at: str
    actor: str
    action: str
    fields: list[str]
    reason: str | None
    changes: dict[str, tuple[Any, Any]]  # field -> (old value, new value); None where erased or absent
    erased: list[str]  # fields (or "reason") whose values were erased under the retention schedule

    def when(self, tz: str) -> str:
        return show_stamp(self.at, tz)

    def summary(self) -> str:
        if self.action == "create":
            return "created"
        if self.action == "void":
            return f"voided: {self.reason}"
        if self.action == "erase":  # (the notes the erasure leaves are not personal data: not listed)
            what = ", ".join(f.replace("_", " ") for f in self.fields if f != "erased") or "reasons"
            return f"erased {what} ({self.reason})"
        what = ", ".join(f.replace("_", " ") for f in self.fields) or "no fields"
        return f"changed {what}" + (f" ({self.reason})" if self.reason else "")


def as_stored(models: list[M], records: list[dict]) -> list[M]:
    """The models just written, with the envelope the store gave them (id, version, who and when).

    They were checked on the way in and the store changed nothing else, so they are not validated
    again: a 20,000-row import would otherwise check every row twice."""
    envelope = list(ENVELOPE)
    return [
        model.model_copy(update={key: record[key] for key in envelope})
        for model, record in zip(models, records, strict=True)
    ]


def record_number(record_id: str | None) -> int:
    """The number in a record id ('S-0012' -> 12): the order records were made in, and in the table."""
    return int((record_id or "0").rsplit("-", 1)[-1])


class Repository(Generic[M]):
    """One table as validated models.

    The models handed out are shared by every caller (they are frozen: edit with ``model_copy``),
    so the lists are cheap; the lists themselves are new each time and safe to sort or change.
    """

    def __init__(self, store: Store, table: str, prefix: str, model: type[M], clock: Clock):
        self.store, self.table, self.prefix, self.model, self.clock = store, table, prefix, model, clock
        # Stored records that no longer read as their kind (edited outside the app, or a value an old
        # version let in): set aside with the reason, so one bad row never breaks a section for everyone.
        self.damaged: dict[str, str] = {}
        self._lock = threading.RLock()  # the app reads in worker threads too (see SupervisorApp)
        # The table as last read: id -> (version, model, or None if it cannot be read), in table order.
        self._rows: dict[str, tuple[int, M | None]] = {}
        self._seen_table: object = None  # the store's table object those rows were read from
        self._seen_head: tuple[int, str] | None = None  # the audit head they were read at
        self._loose: dict[str, tuple[int, M]] = {}  # just written by this repository, not yet synced
        self._lists: dict[bool, list[M]] = {}  # all(), without and with voided, until the rows change
        # Changes for indexes built on this table (see Grouped): (generation, before, after).
        self._generation = 0  # moves on whenever a readable record changes
        self._changes: deque[tuple[int, M | None, M | None]] = deque()
        self._changes_from = 0  # generations before this one are no longer in _changes
        # sealed records as models, once read, with the row each was read from (see _sealed_model)
        self._sealed: dict[str, tuple[dict[str, Any], M]] = {}

    # -- reading --------------------------------------------------------------------------------
    def all(self, include_voided: bool = False) -> list[M]:
        with self._lock:
            self._sync()
            cached = self._lists.get(include_voided)
            if cached is None:
                cached = [m for _, m in self._rows.values() if m is not None and (include_voided or not m.voided)]
                self._lists[include_voided] = cached
            return list(cached)

    def with_sealed(self, since: date | None, include_voided: bool = False) -> list[M]:
        """:meth:`all`, and the records sealed in segments that can hold any dated on or after ``since``
        (None: from the start). Records are sealed only once dated before a cut-off, so a period that
        starts after the last cut-off opens no segment and costs what :meth:`all` does."""
        sealed = self.store.sealed_records(self.table, since) if self.store.segments() else []
        return self.all(include_voided) + [
            m for m in map(self._sealed_model, sealed) if m is not None and (include_voided or not m.voided)
        ]

    def sealed_before(self) -> date | None:
        """The latest cut-off before which closed records were sealed (None if none ever were)."""
        return self.store.sealed_before()

    def _sealed_model(self, record: dict[str, Any]) -> M | None:
        with self._lock:
            source, model = self._sealed.get(record["id"], (None, None))
            # A sealed row changes only by an erasure, which the store reads back as a new row.
            if model is None or source is not record:
                try:
                    model = self._validated(record)
                except DamagedRecordError:
                    return None
                self._sealed[record["id"]] = (record, model)
            return model

    def forget_sealed(self) -> None:
        """Drop the sealed records read so far (after an erasure changed some of them)."""
        with self._lock:
            self._sealed.clear()

    def generation(self) -> int:
        """A number that moves on whenever a record of the table changes: what a result worked out
        from the table can be kept against."""
        with self._lock:
            self._sync()
            return self._generation

    def get(self, record_id: str) -> M:
        record = self.store.get(self.table, record_id)
        with self._lock:
            self._sync()
            known = self._rows.get(record_id)
            if known is not None and known[0] == record["version"] and known[1] is not None:
                return known[1]
            return self._validated(record)  # damaged (so it says why), or the file moved on meanwhile

    def changes_since(self, generation: int) -> tuple[int, bool, list[tuple[M | None, M | None]]]:
        """For an index built on this table: (the generation now, whether to start again, changes).

        The changes are (before, after) models since ``generation``, oldest first; a model is None
        where there was no readable record. When they are no longer all remembered, 'start again'
        is True and the changes are every readable record as (None, model)."""
        with self._lock:
            self._sync()
            if generation < self._changes_from:
                return self._generation, True, [(None, m) for _, m in self._rows.values() if m is not None]
            since = []
            for g, before, after in reversed(self._changes):  # the newest are at the end: read only those
                if g <= generation:
                    break
                since.append((before, after))
            return self._generation, False, since[::-1]

    # -- keeping up with the store --------------------------------------------------------------
    def _sync(self) -> None:
        """Bring the rows up to date with the store: nothing to do if our table is the one we read
        (the store replaces a table whole when it changes, never edits it in place); else read the
        records the audit log names since our last look. If the log does not go on from where we
        were (another file put in place), every record is read again, none trusted by its version."""
        for _ in range(3):
            data = self.store.data
            table = data.get(self.table) or _EMPTY
            if table is self._seen_table:
                return
            head = self.store.head
            changed = self._changed_since_seen(head)
            if self.store.data is not data:
                continue  # reloaded while we looked (the app polls in a worker): look again
            if changed is None:
                self._read_every(table, trust_versions=self._seen_head is None)
            elif not self._read_some(table, changed):
                self._read_every(table, trust_versions=True)
            self._seen_table, self._seen_head = table, head
            return
        # The file kept changing under us: read the table we hold whole, and start afresh next time.
        self._read_every(table, trust_versions=False)
        self._seen_table, self._seen_head = table, None

    def _changed_since_seen(self, head: tuple[int, str]) -> set[str] | None:
        """Ids in this table the audit log changed since we last read, or None to read everything."""
        if self._seen_head is None or head[0] < self._seen_head[0]:
            return None
        seq, digest = self._seen_head
        entries = self.store.entries_since(seq - 1)
        if not entries or entries[0]["hash"] != digest:
            return None  # not the history we read: another or rewritten file
        return {e["record"] for e in entries[1:] if e["table"] == self.table}

    def _read_some(self, table: dict[str, Any], ids: set[str]) -> bool:
        """Read just ``ids``; False (nothing read) if the table holds other changes too, such as a
        row added outside the app, so everything must be read."""
        records = []
        for record_id in sorted(ids, key=record_number):
            record = table.get(str(record_number(record_id)))
            if record is None or record.get("id") != record_id:
                return False
            records.append(record)
        if len(table) != len(self._rows) + sum(record["id"] not in self._rows for record in records):
            return False
        self._note([self._put(record) for record in records])
        return True

    def _read_every(self, table: dict[str, Any], *, trust_versions: bool) -> None:
        """Read the whole table. A record still at the version read before keeps its model when
        ``trust_versions`` (the same history); otherwise it is read again, and keeps its old model
        object only if it reads the same."""
        old, self._rows = self._rows, {}
        self._loose.clear()  # a model written here may be of what is now another file
        changes = []
        in_background = threading.current_thread() is not threading.main_thread()
        for count, record in enumerate(table.values(), 1):
            if in_background and count % BATCH == 0:
                time.sleep(PAUSE_S)
            known = old.pop(record["id"], None)
            if trust_versions and known is not None and known[0] == record["version"]:
                self._rows[record["id"]] = known
                continue
            self._rows[record["id"]] = known or (0, None)  # so _put sees what it replaces
            before, after = self._put(record)
            if before is not None and after is not None and before == after:
                self._rows[record["id"]] = (record["version"], before)  # read the same: keep the object
            else:
                changes.append((before, after))
        for record_id, (_, model) in old.items():  # gone from the file (another file put in place)
            self.damaged.pop(record_id, None)
            changes.append((model, None))
        self._note(changes)

    def _put(self, record: dict[str, Any]) -> tuple[M | None, M | None]:
        """Read one record into the rows; (the model it replaces, its model)."""
        record_id, version = record["id"], record["version"]
        before = self._rows.get(record_id, (0, None))[1]
        loose = self._loose.pop(record_id, None)
        try:
            model = loose[1] if loose is not None and loose[0] == version else self._validated(record)
        except DamagedRecordError:
            model = None
        self._rows[record_id] = (version, model)
        return before, model

    def _note(self, changes: list[tuple[M | None, M | None]]) -> None:
        changes = [(before, after) for before, after in changes if before is not after]
        if not changes:
            return
        self._generation += 1
        self._lists.clear()
        self._changes.extend((self._generation, before, after) for before, after in changes)
        while len(self._changes) > CHANGES_KEPT:
            self._changes_from = self._changes.popleft()[0]

    def _validated(self, record: dict[str, Any]) -> M:
        try:
            model = self.model.model_validate(record, context={"stored": True})
        except ValidationError as exc:
            reason = "; ".join(explain(exc, self.model))
            self.damaged[record["id"]] = reason
            raise DamagedRecordError(
                f"{record['id']} cannot be read ({reason}). It is kept as it was written; "
                "'supervisor-tui verify' checks whether it was changed outside the app."
            ) from None
        self.damaged.pop(record["id"], None)
        return model

    def _stored(self, record: dict[str, Any], txn: Transaction | None) -> M:
        """The model of a record this repository just wrote. Outside a caller's transaction it is in
        the file now, so the next read takes it as it is; inside one it may yet be rolled back."""
        with self._lock:
            model = self._validated(record)
            if txn is None:
                self._loose[record["id"]] = (record["version"], model)
            return model

    # -- writing --------------------------------------------------------------------------------
    # Each write may be part of a caller's transaction (``txn``): several records, one atomic write.
    def create(self, item: M, reason: str | None = None, txn: Transaction | None = None) -> M:
        fields = self.checked(item).fields()
        record = (
            txn.create(self.table, self.prefix, fields, reason)
            if txn
            else self.store.create(self.table, self.prefix, fields, reason)
        )
        return self._stored(record, txn)

    def update(self, item: M, reason: str | None = None, txn: Transaction | None = None) -> M:
        """Save ``item`` over the version it was read at; a ConflictError if someone saved since."""
        assert item.id, "update needs a stored record"
        fields = self.checked(item).fields()
        record = (
            txn.update(self.table, item.id, fields, item.version, reason)
            if txn
            else self.store.update(self.table, item.id, fields, item.version, reason)
        )
        return self._stored(record, txn)

    def correct(self, item: M, reason: str, txn: Transaction | None = None) -> M:
        """Save a correction of ``item`` over the version it was read at. A correction says why: the
        reason is kept in the history with each changed field's old and new value (ValueError if blank)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("Why the change: say why; it is kept in the history with the old and new values")
        return self.update(item, reason, txn)

    def corrections(self, record_id: str) -> list[Change]:
        """The changes made to a record after it was created, oldest first (corrections, moves...)."""
        return [change for change in self.history(record_id) if change.action == "update"]

    def void(self, item: M, reason: str, txn: Transaction | None = None) -> M:
        assert item.id, "void needs a stored record"
        record = (
            txn.void(self.table, item.id, reason, item.version)
            if txn
            else self.store.void(self.table, item.id, reason, item.version)
        )
        return self._stored(record, txn)

    def checked(self, item: M) -> M:
        """Validate again before writing: ``model_copy(update=...)`` skips validation, the record must
        not. Rules that need today (an event cannot be in the future) read it from the context."""
        return self.model.model_validate(item.model_dump(warnings=False), context=self.context())

    def context(self) -> dict:
        """What validators may need beyond the record itself: the team clock's today."""
        return {"today": self.clock.today()}

    def history(self, record_id: str) -> list[Change]:
        return [
            Change(
                e["seq"],
                e["at"],
                e["actor"],
                e["action"],
                sorted(e["changes"]) if e["action"] in ("update", "erase") else [],
                e["reason"],
                e["changes"],
                e["erased"],
            )
            for e in self.store.history(self.table, record_id)
        ]


class Grouped(Generic[M, K]):
    """A repository's live records grouped by a key (shifts by day), each group in ``order``.

    Kept in step with the repository's changes rather than rebuilt, so a save costs its own records.
    Callers get new lists; the groups themselves stay inside."""

    def __init__(self, repo: Repository[M], key: Callable[[M], K], order: Callable[[M], Any]):
        self.repo, self.key, self.order = repo, key, order
        self._groups: dict[K, list[M]] = {}
        self._generation = -1
        self._lock = threading.Lock()

    def select(self, keys: Callable[[list[K]], list[K]]) -> list[M]:
        """The records of the groups ``keys`` picks from the keys there are, group by group."""
        with self._lock:
            groups = self._current()
            return [m for k in keys(list(groups)) for m in groups.get(k, ())]

    def _current(self) -> dict[K, list[M]]:
        generation, again, changes = self.repo.changes_since(self._generation)
        if again:
            self._groups = {}
        for before, after in changes:
            if before is not None and not before.voided:
                self._remove(before)
            if after is not None and not after.voided:
                self._add(after)
        self._generation = generation
        return self._groups

    def _remove(self, model: M) -> None:
        group = self._groups.get(self.key(model), [])
        for i, other in enumerate(group):
            if other is model:
                del group[i]
                break
        if not group:
            self._groups.pop(self.key(model), None)

    def _add(self, model: M) -> None:
        group = self._groups.setdefault(self.key(model), [])
        group.append(model)
        if len(group) > 1 and self.order(group[-2]) > self.order(model):
            group.sort(key=self.order)
