"""Records in the old single-file format (v1), for the upgrade tests.

The v1 Store no longer exists in the tree, so this writes what it wrote: one JSON file holding the
tables, the ``meta`` row (schema 1) and the ``audit`` table, every change an entry built with
``storage.audit.make_entry`` (whole before and after copies, hash-chained), with the envelope the v1
Store kept (``version``, ``created_at/by``, ``updated_at/by``, ``voided``, ``void_reason``). Times are
given, not read from a clock, so a test can say exactly what history it built.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from supervisor_tui.storage.audit import AUDIT, FORMAT, GENESIS_PREV, META, doc_key, make_entry, utc_stamp
from supervisor_tui.storage.identity import Actor

ALICE = Actor("alice", 1001, "10.0.0.7:50122")
BOB = Actor("bob", 1002)
CAROL = Actor("carol", 1003, "10.0.0.9:41000")


class V1Record:
    """A v1 record being written, in memory; :meth:`save` writes it as the v1 Store did."""

    def __init__(self, actor: Actor = ALICE, start: datetime = datetime(2025, 3, 1, 9, tzinfo=UTC)):
        self.moment = start
        at = self._tick()
        meta = {"format": FORMAT, "schema": 1, "created_at": at, "created_by": actor.login}
        self.data: dict[str, dict[str, Any]] = {META: {"1": meta}, AUDIT: {}}
        self._log("init", META, "file", None, meta, "new record file", actor, at)

    @classmethod
    def load(cls, path: Path) -> V1Record:
        """Go on writing a v1 file (as an old copy of the app still running somewhere would)."""
        record = cls.__new__(cls)
        record.data = json.loads(path.read_text(encoding="utf-8"))
        last = record.data[AUDIT][str(len(record.data[AUDIT]))]
        record.moment = datetime.fromisoformat(last["at"][:-1] + "+00:00")
        return record

    # -- changes ------------------------------------------------------------------------------------
    def create(self, table: str, prefix: str, fields: dict[str, Any], actor: Actor = ALICE) -> dict[str, Any]:
        rows = self.data.setdefault(table, {})
        number = max((int(k) for k in rows), default=0) + 1
        at = self._tick()
        record = {
            **fields,
            "id": f"{prefix}-{number:04d}",
            "version": 1,
            "created_at": at,
            "created_by": actor.login,
            "updated_at": at,
            "updated_by": actor.login,
            "voided": False,
            "void_reason": None,
        }
        rows[str(number)] = record
        self._log("create", table, record["id"], None, record, None, actor, at)
        return record

    def update(
        self, table: str, record_id: str, fields: dict[str, Any], actor: Actor = ALICE, reason: str | None = None
    ) -> dict[str, Any]:
        before = self.data[table][doc_key(record_id)]
        at = self._tick()
        after = {**before, **fields, "version": before["version"] + 1, "updated_at": at, "updated_by": actor.login}
        self.data[table][doc_key(record_id)] = after
        self._log("update", table, record_id, before, after, reason, actor, at)
        return after

    def void(self, table: str, record_id: str, reason: str, actor: Actor = ALICE) -> dict[str, Any]:
        before = self.data[table][doc_key(record_id)]
        at = self._tick()
        after = {
            **before,
            "voided": True,
            "void_reason": reason,
            "version": before["version"] + 1,
            "updated_at": at,
            "updated_by": actor.login,
        }
        self.data[table][doc_key(record_id)] = after
        self._log("void", table, record_id, before, after, reason, actor, at)
        return after

    # -- reading and writing ----------------------------------------------------------------------
    @property
    def head(self) -> str:
        last = self.data[AUDIT][str(len(self.data[AUDIT]))]
        return f"{last['seq']}:{last['hash']}"

    def tables(self) -> dict[str, dict[str, Any]]:
        """The team's records (every table but the metadata and the audit log)."""
        return {name: rows for name, rows in self.data.items() if name not in (META, AUDIT)}

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")
        return path

    def _tick(self) -> str:
        self.moment += timedelta(minutes=7)
        return utc_stamp(self.moment)

    def _log(
        self,
        action: str,
        table: str,
        record: str,
        before: dict[str, Any] | None,
        after: dict[str, Any],
        reason: str | None,
        actor: Actor,
        at: str,
    ) -> None:
        log = self.data[AUDIT]
        seq = len(log) + 1
        prev = log[str(seq - 1)]["hash"] if seq > 1 else GENESIS_PREV
        log[str(seq)] = make_entry(
            seq=seq,
            at=at,
            actor=actor.login,
            uid=actor.uid,
            ssh=actor.ssh,
            action=action,
            table=table,
            record=record,
            before=_copy(before),
            after=_copy(after),
            reason=reason,
            prev=prev,
        )


def _copy(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy the entry keeps of its own, as the v1 file on disk does: editing a table row later (as a test
    tampering with the file does) must not edit the entry too."""
    return None if record is None else json.loads(json.dumps(record))


def team_history() -> V1Record:
    """A year-old v1 record with a history: creates, updates with reasons, voids, three people at work."""
    v1 = V1Record(ALICE)
    sam = v1.create("members", "M", {"name": "Sam Patel", "contract_hours": 37.5, "skills": {"tills": "expert"}})
    aisha = v1.create("members", "M", {"name": "Aisha Khan", "contract_hours": 20}, actor=BOB)
    temp = v1.create("members", "M", {"name": "Temp Worker", "contract_hours": 8}, actor=CAROL)
    sam = v1.update("members", sam["id"], {"contract_hours": 30}, actor=BOB, reason="flexible working request")
    v1.update("members", sam["id"], {"skills": {"tills": "expert", "phones": "learner"}})
    v1.void("members", temp["id"], "entered twice by mistake", actor=CAROL)
    complaint = v1.create("complaints", "C", {"member": aisha["id"], "summary": "Late to open", "stage": "open"}, BOB)
    v1.update("complaints", complaint["id"], {"stage": "closed", "outcome": "apology"}, actor=ALICE)
    v1.update("members", aisha["id"], {"name": "Aisha Khan-Jones"}, actor=CAROL, reason="name change by deed poll")
    return v1
