"""The audit chain: every change is an entry hashed over canonical JSON and linked to the one before.

``verify`` recomputes every hash and link and replays the log to rebuild the records, so an edit to a
record, an edit to an entry, or a gap is caught. A chain alone cannot stop someone rewriting the whole
file; the head ``seq:hash`` printed on exports and given to ``verify --head`` pins it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

AUDIT = "audit"
META = "meta"
FORMAT = "supervisor-tui"
SCHEMA = 1
GENESIS_PREV = "0" * 64
ACTIONS = ("init", "create", "update", "void")


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def utc_stamp(moment: datetime) -> str:
    """A moment as stored: UTC, to the microsecond. The moment is always given (the store passes its
    own clock's reading), so nothing here reads the machine's time behind the caller's back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


def parse_stamp(text: object) -> datetime | None:
    """An audit time stamp ('2026-11-22T15:43:01.123456Z', as ``utc_stamp`` writes) as an aware UTC
    datetime, or None if it is not one (no zone, another zone, month 13, year 0, not text)."""
    if not isinstance(text, str) or not _STAMP.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        return None


_ENTRY_TEXT = ("at", "actor", "action", "table", "record", "prev", "hash")
_ENTRY_MAYBE_TEXT = ("ssh", "reason")
_ENTRY_MAYBE_RECORD = ("before", "after")


def entry_problem(entry: dict[str, Any]) -> str | None:
    """What about one audit entry's shape the app could not work with (screens show its time, list
    the fields it changed and name who made it), or None. Whether it is *true* is verify's job."""
    if not all(isinstance(entry.get(k), str) for k in _ENTRY_TEXT):
        return "a field that should be text is missing or is not text"
    if not all(entry.get(k) is None or isinstance(entry[k], str) for k in _ENTRY_MAYBE_TEXT):
        return "its ssh or reason is not text"
    if not all(entry.get(k) is None or isinstance(entry[k], dict) for k in _ENTRY_MAYBE_RECORD):
        return "its record before or after the change is not an object"
    if not isinstance(entry.get("uid"), int) or isinstance(entry.get("uid"), bool):
        return "its uid is not a number"
    if parse_stamp(entry["at"]) is None:
        return f"its time {entry['at'][:40]!r} is not a UTC time stamp"
    return None


def doc_key(record_id: str) -> str:
    """TinyDB document key for a human id: ``C-0042`` is stored as document ``42``."""
    return str(int(record_id.rsplit("-", 1)[1]))


def make_entry(
    *,
    seq: int,
    at: str,
    actor: str,
    uid: int,
    ssh: str | None,
    action: str,
    table: str,
    record: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
    prev: str,
) -> dict[str, Any]:
    entry = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "uid": uid,
        "ssh": ssh,
        "action": action,
        "table": table,
        "record": record,
        "before": before,
        "after": after,
        "reason": reason,
        "prev": prev,
    }
    entry["hash"] = entry_hash(entry)
    return entry


@dataclass
class VerifyReport:
    entries: int = 0
    head: str = ""
    problems: list[str] = field(default_factory=list)  # tampering or damage: the record cannot be trusted
    warnings: list[str] = field(default_factory=list)  # honest oddities, e.g. a clock that was wrong

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"OK: {self.entries} entries, head {self.head}"
        return f"FAILED: {self.problems[0]}"


def parse_head(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise ValueError(f"--head must look like SEQ:HASH (e.g. 42:3f9a…, 64 hex digits), not {text!r}")
    return int(seq), digest.lower()


def verify(data: dict[str, dict[str, Any]], head: tuple[int, str] | None = None) -> VerifyReport:
    """Check the chain and replay it against the tables. Stops at the first broken entry."""
    report = VerifyReport()
    log = data.get(AUDIT)
    if not isinstance(log, dict) or not log:
        report.problems.append("there is no audit log in this file")
        return report

    replayed: dict[str, dict[str, Any]] = {}  # table -> key -> the record as the log left it
    prev_hash, prev_at = GENESIS_PREV, ""
    for seq in range(1, len(log) + 1):
        entry = log.get(str(seq))
        where = f"audit entry {seq}"
        if not isinstance(entry, dict):
            report.problems.append(f"{where} is missing (the sequence has a gap)")
            return report
        problem = _entry_problem(entry, seq, prev_hash, replayed)
        if problem:
            report.problems.append(f"{where} ({entry.get('action')} {entry.get('record')}): {problem}")
            return report
        if entry["at"] < prev_at:
            # Not tampering (the chain holds): a machine's clock was behind. Order is the sequence's.
            report.warnings.append(
                f"{where} by {entry.get('actor')} is dated {entry['at']}, before entry "
                f"{seq - 1} ({prev_at}): a clock was wrong when it was written"
            )
        table = replayed.setdefault(entry["table"], {})
        table[doc_key(entry["record"]) if entry["table"] != META else "1"] = entry["after"]
        prev_hash, prev_at = entry["hash"], entry["at"]
        report.entries = seq

    report.head = f"{report.entries}:{prev_hash}"
    if head is not None:
        seq, digest = head
        pinned = log.get(str(seq))
        if pinned is None:
            report.problems.append(f"the pinned head {seq}:{digest[:12]}… is not in the log: entries were removed")
            return report
        if pinned.get("hash") != digest:
            report.problems.append(
                f"audit entry {seq} no longer has the pinned hash {digest[:12]}…: the log was rewritten"
            )
            return report

    actual = {name: t for name, t in data.items() if name != AUDIT and isinstance(t, dict) and t}
    for name in sorted(set(actual) | set(replayed)):
        want, have = replayed.get(name, {}), actual.get(name, {})
        for key in sorted(set(want) | set(have), key=lambda k: (len(k), k)):
            if key not in have:
                report.problems.append(
                    f"table {name}: record {_label(want[key], key)} is in the log but missing from the table"
                )
            elif key not in want:
                report.problems.append(
                    f"table {name}: record {_label(have[key], key)} is not in the audit log (added outside the app)"
                )
            elif canonical(have[key]) != canonical(want[key]):
                mine, logged = have[key], want[key]
                fields = (
                    sorted(k for k in set(mine) | set(logged) if mine.get(k) != logged.get(k))
                    if isinstance(mine, dict) and isinstance(logged, dict)
                    else ["the whole record"]
                )
                report.problems.append(
                    f"table {name}: record {_label(have[key], key)} differs from the audit log in "
                    f"{', '.join(fields)} (edited outside the app)"
                )
            if report.problems:
                return report
    return report


def _label(record: Any, key: str) -> str:
    return record.get("id", key) if isinstance(record, dict) else key


def _entry_problem(entry: dict[str, Any], seq: int, prev_hash: str, replayed: dict[str, dict[str, Any]]) -> str | None:
    if entry.get("seq") != seq:
        return f"its seq says {entry.get('seq')!r}"
    try:
        if entry.get("hash") != entry_hash(entry):
            return "its hash does not match its contents (the entry was edited)"
    except (TypeError, ValueError, RecursionError):
        return "it holds values that cannot be hashed (the entry was edited)"
    if entry.get("prev") != prev_hash:
        return "it does not link to the entry before it"
    shape = entry_problem(entry)
    if shape:
        return shape
    action, table = entry["action"], entry["table"]  # both text: entry_problem checked the shape
    if action not in ACTIONS:
        return f"unknown action {action!r}"
    if (action == "init") != (seq == 1):
        return "only the first entry may initialise the file"
    if action == "init":
        return None if table == META else "the first entry must create the file's metadata"
    try:
        key = doc_key(entry.get("record", ""))
    except (ValueError, IndexError):
        return f"record id {entry.get('record')!r} is malformed"
    current = replayed.get(table, {}).get(key)
    if action == "create" and current is not None:
        return "it creates a record that already exists"
    if action != "create" and current is None:
        return "it changes a record that was never created"
    if action != "create" and canonical(entry.get("before")) != canonical(current):
        return "its 'before' does not match the record as the log left it"
    return None
