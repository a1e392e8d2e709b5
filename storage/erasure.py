"""Erasure: taking values out of every file of a record while its chain still proves every entry.

Each value an entry holds is sealed as ``{"d": digest, "v": value, "s": salt}`` and the entry's hash
covers only the digest (see ``journal``), so a value and its salt can be removed from a line, leaving
``{"d": digest}``, without touching the hash, the signature or the link to the next entry. This is the
approach of Amazon QLDB's revision redaction. The per-value salt means the digest left behind cannot
be used to confirm a guessed value (a name, a date of birth).

An erasure is itself an entry (``action: "erase"``), appended and signed like any change, naming the
record, the fields whose every earlier value goes, whether the reasons given for its earlier changes go
too, the reason for the erasure (UK GDPR Art. 17 request, or the retention schedule: Art. 5(1)(e)) and
who did it and when. It sets the fields to the stand-ins the caller gives (the anonymised facts a
report still needs). It is the commit point: once it is in the journal, the values are due to go, and a
writer that finds one whose files were not yet rewritten (a crash part way) finishes the job.

The files are then rewritten under the lock:

- the journal (and a stale journal an interrupted upgrade set aside): each line that held an erased
  value is written again with the value and salt removed and **padded with spaces to its old length**,
  so every offset in the file (the snapshot's position, the history index) still holds, and the file is
  replaced atomically (temp file, fsync, rename), keeping its group, mode and access list;
- the snapshot, by a checkpoint: it holds the stand-ins;
- the v1 file kept since the upgrade, whose whole-record copies cannot be edited without breaking its
  own chain: it is retired (removed) when the erasure reaches entries converted from it, and the erase
  entry says so, so ``verify`` reports it instead of calling it missing. Its hashes stay provable: each
  converted entry carries its v1 hash inside the v2 chain.

The padding shows how many bytes were removed from a line, not what they were.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .audit import META, canonical
from .entries import ENVELOPE, ERASE, KEYS_TABLE, erases_of, line_record, reason_of
from .errors import StoreError
from .files import Folder
from .journal import erase, is_erased, is_value_ref

_CHUNK = 4 << 20


@dataclass(frozen=True)
class Erasure:
    """What to erase from one record: every value its ``fields`` have held (each then holds the stand-in
    given here: the anonymised fact that is kept, or None), and with ``reasons`` the reasons given for
    its changes (a void's reason may name the person).

    ``version`` is the version the caller read the record at, if it worked the stand-ins out from it:
    the stand-ins of a list (a complaint's history) are that list made anonymous, so a record changed
    since (a step added, a complaint reopened) must not be erased with them. It is refused instead,
    naming who changed it, as a stale save is."""

    table: str
    record: str
    fields: Mapping[str, Any]
    reasons: bool = False
    version: int | None = None


@dataclass
class ErasureReport:
    """What an erasure did, for the screen or the command that asked for it."""

    entries: list[dict[str, Any]] = field(default_factory=list)  # the erase entries written
    values: int = 0  # values (and reasons) removed from the journal's lines
    files: list[str] = field(default_factory=list)  # the files rewritten
    retired: str | None = None  # the v1 file removed, if the erasure reached it


def erasure_problem(item: Erasure) -> str | None:
    """Why this erasure cannot be asked for, or None. (Whether the record exists is the store's to say.)"""
    if item.table in (META, KEYS_TABLE, "audit"):
        return f"{item.table} is kept by the store itself and holds no one's personal data to erase"
    if not item.fields and not item.reasons:
        return f"nothing was named to erase from {item.record}"
    kept = sorted(set(item.fields) & set(ENVELOPE))
    if kept:
        return f"{', '.join(kept)} belong to the record's envelope (who and when), which the audit trail keeps"
    for name in item.fields:
        if not isinstance(name, str) or not name:
            return f"{name!r} is not a field name"
    return None


# -- rewriting journal lines --------------------------------------------------------------------------
# (table, record) -> each erasure of it: (fields, whether reasons, its seq: entries from it on keep their values)
Targets = dict[tuple[str, str], list[tuple[frozenset[str], bool, int]]]


def targets_of(entries: Iterable[dict[str, Any]]) -> Targets:
    """What the erase entries among ``entries`` take out, per record: each erasure's fields, whether the
    reasons go, and its seq (what came after it was written after it, and stays)."""
    targets: Targets = {}
    for entry in entries:
        spec = erases_of(entry)
        if spec is not None:
            targets.setdefault((entry["table"], entry["record"]), []).append((spec[0], spec[1], entry["seq"]))
    return targets


def scrub_entry(entry: dict[str, Any], fields: frozenset[str], reasons: bool) -> int:
    """Remove (in place) the values of ``fields``, and with ``reasons`` the reason, from one entry;
    returns how many values were removed."""
    removed = 0
    for name, pair in (entry.get("changes") or {}).items():
        if name not in fields or not isinstance(pair, list):
            continue
        for i, ref in enumerate(pair):
            if is_value_ref(ref) and not is_erased(ref):
                pair[i] = erase(ref)
                removed += 1
    reason = entry.get("reason")
    # An earlier erasure's own reason stays: why data was erased is the accountability record (Art. 5(2)).
    if reasons and entry.get("action") != ERASE and isinstance(reason, dict) and is_value_ref(reason):
        if not is_erased(reason):
            entry["reason"] = erase(reason)
            removed += 1
    return removed


def scrub_line(raw: bytes, targets: Targets) -> tuple[bytes, int]:
    """One journal line (without its newline) with the targets' values removed and padded with spaces to
    its old length: (the line, values removed). A line of another record comes back as it was."""
    if not targets:
        return raw, 0
    key = line_record(raw)
    if key is not None and key not in targets:
        return raw, 0
    try:
        entry = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return raw, 0  # not an entry (a torn line the next save removes): nothing of ours to find in it
    if not isinstance(entry, dict):
        return raw, 0
    specs = targets.get((entry.get("table"), entry.get("record")))  # type: ignore[arg-type]
    seq = entry.get("seq")
    if specs is None or not isinstance(seq, int):
        return raw, 0
    removed = sum(scrub_entry(entry, fields, reasons) for fields, reasons, before in specs if seq < before)
    if not removed:
        return raw, 0
    line = json.dumps(entry, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(line) > len(raw):
        # Only a line not written by the store (edited by hand, in another layout) can grow.
        raise StoreError(
            f"Nothing was erased: journal entry {seq} is not laid out as the store writes it, so its values "
            "cannot be removed in place. Run 'supervisor-tui verify'."
        )
    return line + b" " * (len(raw) - len(line)), removed


def scrub_file(
    folder: Folder, name: str, targets: Targets, *, shared: bool, still_locked: Any, blank_unreadable: bool = False
) -> int:
    """Rewrite the journal-format file ``name`` with the targets' values removed (same length, every line
    where it was), atomically, if any value is there to remove; returns how many were removed.

    With ``blank_unreadable`` (a stale journal an interrupted upgrade set aside), a line that is not an
    entry (the torn end of a save that was never acknowledged) is blanked too: what it holds cannot be
    told apart, so it cannot be left holding an erased value."""
    fd = folder.open_plain(name)
    if fd is None:
        return 0
    try:
        size = os.fstat(fd).st_size
        data = _read_all(fd, size)
    finally:
        os.close(fd)
    removed = 0
    lines = data.split(b"\n")
    for i, raw in enumerate(lines):
        new, count = scrub_line(raw, targets)
        if count:
            lines[i], removed = new, removed + count
        elif blank_unreadable and raw.strip() and not _is_entry(raw):
            lines[i], removed = b" " * len(raw), removed + 1
    if removed:
        text = b"\n".join(lines)
        pieces = (text[at : at + _CHUNK] for at in range(0, len(text), _CHUNK))
        folder.replace(name, pieces, shared=shared, before_rename=still_locked, encoding=None)
    return removed


def _is_entry(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _read_all(fd: int, size: int) -> bytes:
    chunks, at = [], 0
    while at < size:
        chunk = os.pread(fd, min(_CHUNK, size - at), at)
        if not chunk:
            break
        chunks.append(chunk)
        at += len(chunk)
    return b"".join(chunks)


# -- what verify says ---------------------------------------------------------------------------------
class ErasureAudit:
    """What ``verify`` reports about erasures, fed every entry in order: each erasure (what, when, by
    whom and why), and as a problem any value taken out of a line that no later erase entry of its
    record names: removed outside the app, so the record no longer holds what it said it did."""

    def __init__(self) -> None:
        self._gaps: list[tuple[int, str, str, str]] = []  # (seq, table, record, field or "reason")
        self._erasures: list[dict[str, Any]] = []
        self._by_record: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # (table, record, field) whose value, as replay now has it, was erased: a copy (a snapshot written
        # before the erasure finished) may still hold it, and replay cannot say what it was.
        self.erased_now: set[tuple[str, str, str]] = set()

    @property
    def records(self) -> set[tuple[str, str]]:
        """The records some of whose values were erased (their state cannot be compared with copies)."""
        return {(table, record) for _seq, table, record, _name in self._gaps} | {
            (e["table"], e["record"]) for e in self._erasures
        }

    def see(self, entry: dict[str, Any]) -> None:
        own = erases_of(entry)
        if own is not None:
            self._erasures.append(entry)
            self._by_record.setdefault((entry["table"], entry["record"]), []).append(entry)
        table, record = entry["table"], entry["record"]
        erased_now = self.erased_now
        for name, (old, new) in entry["changes"].items():
            gone = is_erased(new)
            # an erasure names the old value by its digest alone: that is not a gap
            if gone or (old is not None and is_erased(old) and not (own is not None and name in own[0])):
                self._gaps.append((entry["seq"], table, record, name))
            if gone:
                erased_now.add((table, record, name))
            elif erased_now:  # (once per value of a long journal: no tuple made while nothing is erased)
                erased_now.discard((table, record, name))
        if entry.get("reason") is not None and is_erased(entry["reason"]):
            self._gaps.append((entry["seq"], table, record, "reason"))
            if entry["action"] == "void":
                self.erased_now.add((table, record, "void_reason"))
        if own is not None and own[1]:
            self.erased_now.discard((table, record, "void_reason"))  # the erasure's replay says "reason erased"

    def unexplained(self, rows: Iterable[tuple[str, str, str, dict[str, Any]]]) -> list[str]:
        """For each sealed row that differed from the journal's copy at its seal (``seal.Unsettled``), a
        problem unless every differing field holds the stand-in the last erasure of it gave."""
        found = []
        for where, table, label, fields in rows:
            given: dict[str, Any] = {}
            for entry in self._by_record.get((table, label), []):
                spec = erases_of(entry)
                for name in spec[0] if spec else ():
                    pair = entry["changes"].get(name)
                    if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], dict) and "v" in pair[1]:
                        given[name] = pair[1]["v"]
            if any(name not in given or canonical(given[name]) != canonical(value) for name, value in fields.items()):
                found.append(f"{where}: record {label} of {table} differs from what the journal gives (edited)")
        return found

    def problems(self) -> list[str]:
        found = []
        for seq, table, record, name in self._gaps:
            if self._covering(seq, table, record, name) is None:
                what = "the reason" if name == "reason" else f"the value of {name}"
                found.append(
                    f"journal entry {seq} ({record}): {what} was removed, but no later erase entry of {record} "
                    "says so: it was taken out outside the app"
                )
        return found

    def findings(self) -> list[str]:
        """One line per erasure, with how many values it took out of the lines before it."""
        counts = {e["seq"]: 0 for e in self._erasures}
        for seq, table, record, name in self._gaps:
            covering = self._covering(seq, table, record, name)
            if covering is not None:
                counts[covering["seq"]] += 1
        lines = []
        for e in self._erasures:
            fields, reasons = erases_of(e) or (frozenset(), False)
            what = ", ".join(sorted(fields)) + (" and the reasons for its changes" if reasons else "")
            by = f"{e['actor']} (from {e['ssh']})" if e.get("ssh") else e["actor"]
            retired = "; the v1 file was retired" if e["erases"].get("v1") else ""
            lines.append(
                f"entry {e['seq']} erased from {e['record']} ({e['table']}) {what}, on {e['at'][:10]} by {by}: "
                f"{reason_of(e) or '(no reason readable)'} [{counts[e['seq']]} values taken out of earlier entries"
                f"{retired}]"
            )
        return lines

    @property
    def retired_v1(self) -> dict[str, Any] | None:
        """The erasure that retired the v1 file, if one did."""
        return next((e for e in self._erasures if e["erases"].get("v1")), None)

    def _covering(self, seq: int, table: str, record: str, name: str) -> dict[str, Any] | None:
        for e in self._by_record.get((table, record), ()):
            if e["seq"] > seq:
                fields, reasons = erases_of(e) or (frozenset(), False)
                if name in fields or (name == "reason" and reasons):
                    return e
        return None
