"""The record's journal (format v2): an append-only file of hash-chained entries, one JSON object a line.

Saving appends a transaction's lines with one write and one fsync, so its cost does not grow with the
history; other sessions follow by reading only the bytes added since they last looked. A line is
'\\n'-terminated UTF-8 JSON; a transaction of n entries is n consecutive lines, each carrying
``txn: [i, n]``, and counts only once all n lines are there. A crash can therefore leave at most one
unfinished transaction at the end of the file (a torn line, or some of its lines): it was never
acknowledged, readers never return it, and :meth:`Journal.repair_tail` removes it under the lock.

Entries are chained as the v1 audit log is (``seq``, ``prev``, ``hash``), but the hash commits to
each erasable value only through a salted digest (see :func:`seal_value`), so a value and its salt can
later be removed from a line while every hash, and so the chain, stays provable.

This module is the file layer alone: it knows nothing of tables, records or the Store.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import GENESIS_PREV, canonical
from .errors import ReadOnlyError, UnusableFileError, WriteFailedError
from .files import Folder, write_error

if TYPE_CHECKING:
    from .jsonfile import LockedFile

JOURNAL_SUFFIX = ".journal"
SALT_BYTES = 16
RESERVED = ("seq", "prev", "txn", "hash")  # filled in by append, never by the caller
UNHASHED = ("hash", "sig")  # the hash cannot cover itself, and the signature is made over the hash
_HEX64 = re.compile(r"[0-9a-f]{64}")
_WRITE_FLAGS = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_READ_CHUNK = 4 << 20
_POSITION_LOOKBACK = 1 << 20  # an entry is far smaller; a snapshot naming a position further in is wrong

Link = tuple[int, str]  # (seq, hash) of the last entry seen; (0, GENESIS_PREV) before the first
GENESIS: Link = (0, GENESIS_PREV)


class BrokenJournalError(UnusableFileError):
    """A whole line of the journal breaks the chain (edited, removed, reordered or not an entry).

    ``offset`` is where the line starts in the file and ``seq`` the sequence number it should have."""

    def __init__(self, message: str, offset: int, seq: int):
        super().__init__(message)
        self.offset = offset
        self.seq = seq

    def __reduce__(self) -> tuple[type[BrokenJournalError], tuple[str, int, int]]:
        return type(self), (str(self), self.offset, self.seq)


# -- erasable values ------------------------------------------------------------------------------
def _digest_of(value: Any, salt: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + canonical(value)).hexdigest()


def seal_value(value: Any) -> dict[str, Any]:
    """A reference to ``value`` that an entry can hold: ``{"d": digest, "v": value, "s": salt}``.

    The salt is fresh random bytes for every call, so the digest alone does not let anyone confirm a
    guessed value (a name, a date of birth), and the same value sealed twice gives different digests."""
    salt = secrets.token_hex(SALT_BYTES)
    return {"d": _digest_of(value, salt), "v": value, "s": salt}


def is_value_ref(obj: object) -> bool:
    """Is this a value reference, whole (``d``, ``v``, ``s``) or erased (``d`` alone)?"""
    if not isinstance(obj, dict) or not isinstance(obj.get("d"), str) or not _HEX64.fullmatch(obj["d"]):
        return False
    keys = obj.keys()
    return len(keys) == 1 or (len(keys) == 3 and "v" in keys and isinstance(obj.get("s"), str))


def is_erased(ref: dict[str, Any]) -> bool:
    """True once the value and its salt have been removed, leaving only the digest."""
    return "v" not in ref


def value_digest(ref: dict[str, Any]) -> str:
    """The digest ``ref`` commits to. Where the ref still holds its value, the value and salt are checked
    against it first: a value edited in place raises ValueError instead of passing for the original."""
    if not is_value_ref(ref):
        raise ValueError("not a value reference (a 'd' digest, with both or neither of 'v' and 's')")
    digest: str = ref["d"]
    if not is_erased(ref):
        try:
            actual = _digest_of(ref["v"], ref["s"])
        except (TypeError, ValueError, RecursionError):
            raise ValueError("the value or salt of this reference cannot be hashed") from None
        if actual != digest:
            raise ValueError("the value or salt of this reference does not match its digest")
    return digest


def erase(ref: dict[str, Any]) -> dict[str, str]:
    """The reference with its value and salt removed: what an erased line keeps. The entry's hash is
    unchanged by this, because it only ever covered the digest."""
    return {"d": value_digest(ref)}


def _digests_only(obj: Any) -> Any:
    """The entry as its hash sees it: every value reference reduced to its digest."""
    if isinstance(obj, dict):
        if is_value_ref(obj):
            return {"d": obj["d"]}
        return {k: _digests_only(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_digests_only(v) for v in obj]
    return obj


def _value_refs(obj: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every value reference in an entry, with a dotted path to it (for findings)."""
    if isinstance(obj, dict):
        if is_value_ref(obj):
            yield where, obj
            return
        for k, v in obj.items():
            yield from _value_refs(v, f"{where}.{k}" if where else str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _value_refs(v, f"{where}[{i}]")


def journal_entry_hash(entry: dict[str, Any]) -> str:
    """sha256 of the canonical entry without ``hash`` and ``sig``, values counted by their digests only."""
    body = {k: v for k, v in entry.items() if k not in UNHASHED}
    return hashlib.sha256(canonical(_digests_only(body))).hexdigest()


def values_match(entry: dict[str, Any]) -> bool:
    """Does every value the entry still holds match the digest its hash covers? (A value edited by hand in
    place keeps the hash right, since the hash sees digests only: this is what catches it.)"""
    try:
        for _where, ref in _value_refs(entry):
            value_digest(ref)
    except ValueError:
        return False
    return True


# -- checking entries -----------------------------------------------------------------------------
def txn_of(entry: dict[str, Any]) -> tuple[int, int] | None:
    txn = entry.get("txn")
    if (
        isinstance(txn, list)
        and len(txn) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in txn)
        and 1 <= txn[0] <= txn[1]
    ):
        return txn[0], txn[1]
    return None


def entry_problem(entry: object, link: Link, open_txn: tuple[int, int] | None) -> str | None:
    """What is wrong with ``entry`` as the one after ``link``, inside ``open_txn`` (the txn of the entry
    before, if it was not that transaction's last), or None."""
    seq, prev = link
    if not isinstance(entry, dict):
        return "is not a JSON object"
    if type(entry.get("seq")) is not int or entry["seq"] != seq + 1:
        return f"has seq {entry.get('seq')!r} where {seq + 1} was due (an entry is missing, repeated or moved)"
    if entry.get("prev") != prev:
        return "does not link to the entry before it (prev is not that entry's hash)"
    try:
        if entry.get("hash") != journal_entry_hash(entry):
            return "has a hash that does not match its contents (the entry was edited)"
    except (TypeError, ValueError, RecursionError):
        return "holds values that cannot be hashed (the entry was edited)"
    for where, ref in _value_refs(entry):
        try:
            value_digest(ref)
        except ValueError as exc:
            return f"holds a value at {where} that its hash does not cover: {exc}"
    txn = txn_of(entry)
    if txn is None:
        return f"has txn {entry.get('txn')!r}, not [position, count]"
    want_i, want_n = (open_txn[0] + 1, open_txn[1]) if open_txn else (1, None)
    if txn[0] != want_i or (want_n is not None and txn[1] != want_n):
        due = f"[{want_i}, {want_n}]" if want_n else "[1, n]"
        return f"has txn {list(txn)} where {due} was due (a transaction was cut short or interleaved)"
    return None


def damaged_line(path: Path | None, start: int, seq: int, problem: str) -> BrokenJournalError:
    """The error for the line at byte ``start`` (entry ``seq`` by its place) that breaks the journal."""
    where = "The journal" if path is None else f"The journal {path}"
    return BrokenJournalError(
        f"{where} is damaged: the line at byte {start} (entry {seq}) {problem}. It has not been changed.", start, seq
    )


def open_after(txn: tuple[int, int]) -> tuple[int, int] | None:
    return None if txn[0] == txn[1] else txn


def parses_as_entry(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


@dataclass
class _Scan:
    """Bytes read from the journal, split into what counts (whole transactions) and what does not."""

    entries: list[dict[str, Any]]
    end: int  # file offset just after the last whole transaction
    head: Link  # the last entry of the last whole transaction (or the link the scan started from)
    tail_lines: int  # whole lines after ``end`` (an unfinished transaction, or damage no one can read)
    tail_partial: int  # bytes of a last line without its '\n'


def _scan(data: bytes, base: int, link: Link) -> _Scan:
    """Read whole transactions from ``data`` (the file's bytes from offset ``base``), each entry checked
    against the one before, starting from ``link``. Raises BrokenJournalError for a whole line that breaks
    the chain, unless nothing readable follows it (then it is part of the unfinished tail: a crash can
    leave zeros or scraps before the last '\\n', and such a line was never acknowledged)."""
    lines = data.split(b"\n")
    partial = lines.pop()  # what follows the last '\n': b"" when the data ends with a whole line
    entries: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    scan = _Scan(entries, base, link, 0, len(partial))
    here, at, open_txn = link, base, None
    for index, raw in enumerate(lines):
        start, at = at, at + len(raw) + 1
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            entry = None
        problem = entry_problem(entry, here, open_txn) if entry is not None else "is not a JSON entry"
        if problem is not None:
            if entry is None and not any(parses_as_entry(r) for r in lines[index + 1 :]):
                scan.tail_lines = len(pending) + len(lines) - index
                return scan
            raise damaged_line(None, start, here[0] + 1, problem)
        assert isinstance(entry, dict)
        txn = txn_of(entry)
        assert txn is not None
        pending.append(entry)
        here, open_txn = (entry["seq"], entry["hash"]), open_after(txn)
        if open_txn is None:
            entries.extend(pending)
            pending.clear()
            scan.end, scan.head = at, here
    scan.tail_lines = len(pending)
    return scan


# -- verifying a whole journal ---------------------------------------------------------------------
@dataclass
class JournalReport:
    """What checking a journal from its first line found."""

    entries: int = 0
    head: str = ""  # "seq:hash" of the last entry of the last whole transaction
    problems: list[str] = field(default_factory=list)  # the chain is broken: the journal cannot be trusted
    erased: list[str] = field(default_factory=list)  # values removed on purpose: findings, not failures
    unfinished: str | None = None  # an unfinished transaction at the end, never acknowledged

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(entries: Iterable[dict[str, Any]], start: Link = GENESIS) -> JournalReport:
    """Check parsed entries in file order: every hash recomputed, every ``prev`` link, ``seq`` without
    gaps, transactions whole and not interleaved, every remaining value matching its digest. Stops at the
    first problem. Erased values (references without ``v``) are listed as findings; they do not fail."""
    report = JournalReport()
    link, open_txn = start, None
    for entry in entries:
        problem = entry_problem(entry, link, open_txn)
        if problem is not None:
            report.problems.append(f"entry {link[0] + 1} {problem}")
            return report
        for where, ref in _value_refs(entry):
            if is_erased(ref):
                report.erased.append(f"entry {entry['seq']}: {where} (digest {ref['d'][:12]}…)")
        txn = txn_of(entry)
        assert txn is not None
        link, open_txn = (entry["seq"], entry["hash"]), open_after(txn)
        report.entries += 1
    if open_txn is not None:
        report.problems.append(f"entry {link[0]} leaves its transaction unfinished ({open_txn[0]} of {open_txn[1]})")
    report.head = f"{link[0]}:{link[1]}"
    return report


# -- the file -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TailRepair:
    """What :meth:`Journal.repair_tail` removed: the end of a transaction a crash cut short."""

    offset: int  # where the file now ends
    removed_bytes: int
    first_seq: int  # the sequence numbers the removed lines held or were about to hold
    last_seq: int
    whole_lines: int  # complete lines removed (an unfinished transaction's first lines)
    partial_bytes: int  # bytes of a torn last line

    def __str__(self) -> str:
        return (
            f"removed {self.removed_bytes} bytes from the end of the journal: an unfinished transaction "
            f"(entries {self.first_seq}-{self.last_seq}, {self.whole_lines} whole lines and "
            f"{self.partial_bytes} bytes of a torn one) left by a save that never finished"
        )


def journal_name(record_name: str) -> str:
    """``team.json`` -> ``team.journal``: the journal sits beside its record."""
    stem = record_name.rsplit(".", 1)[0] if "." in record_name.lstrip(".") else record_name
    return stem + JOURNAL_SUFFIX


class Journal:
    """One record's journal file, reached through the record's :class:`Folder` (never through a link,
    only as a plain file with one link).

    The object remembers the end of the last whole transaction it has seen and that transaction's last
    entry, so appending and tailing cost what they add or read, never the whole file. Position it with
    :meth:`resume` (e.g. from a snapshot's journal position) or by reading from 0.

    Writing (:meth:`append`, :meth:`repair_tail`) must happen while the caller holds the record's lock
    (:meth:`LockedFile.lock`); ``holds_lock`` lets the journal check it, and :meth:`beside` wires it to a
    ``LockedFile``. Without it the caller alone keeps that promise. Reading needs no lock. One object is
    not meant to be shared between threads.
    """

    def __init__(
        self,
        folder: Folder,
        name: str,
        *,
        shared: bool = False,
        like: str | None = None,
        holds_lock: Callable[[], bool] | None = None,
        lock_still_held: Callable[[], bool] | None = None,
    ):
        self.folder = folder
        self.name = name
        self.shared = shared  # a new journal is made group read-write even outside a setgid folder
        self.like = like  # a file beside it (the record) whose group, mode and access list a new journal takes
        self._holds_lock = holds_lock
        # Checked just before the bytes are written: a lock file someone removed ("clearing a stale lock")
        # while we held it lets another session take a fresh lock and append at the same offset.
        self._lock_still_held = lock_still_held
        self._end = 0
        self._head: Link = GENESIS
        # (device, inode) of the file the position was read from: a journal replaced since (rewritten by an
        # erasure, or by hand) has other bytes at that offset, so continuing there would misread it.
        self._file: tuple[int, int] | None = None

    @classmethod
    def beside(cls, record: LockedFile) -> Journal:
        """The journal of this record (``team.json`` -> ``team.journal``), checking its lock on writes."""
        return cls(
            record.folder,
            journal_name(record.name),
            shared=record.shared,
            like=record.name,
            holds_lock=lambda: record.locked,
            lock_still_held=record.lock_is_current,
        )

    @property
    def path(self) -> Path:
        return self.folder.path / self.name

    @property
    def end(self) -> int:
        """The offset just after the last whole transaction this object has seen."""
        return self._end

    @property
    def head(self) -> Link:
        """(seq, hash) of the last entry this object has seen; (0, GENESIS_PREV) before any."""
        return self._head

    def resume(self, offset: int, seq: int, digest: str) -> None:
        """Continue from a known position: ``offset`` is the end of the transaction whose last entry is
        ``seq`` with hash ``digest`` (as a snapshot records it). The next read or append checks the link."""
        if offset < 0 or seq < 0 or (offset == 0) != (seq == 0):
            raise ValueError(f"not a journal position: offset {offset}, seq {seq}")
        self._end, self._head, self._file = offset, (seq, digest), None

    def position_problem(self, offset: int, seq: int, digest: str) -> str | None:
        """Why ``offset`` is not the end of a whole transaction whose last entry is ``seq`` with hash
        ``digest`` (as a snapshot says it is), or None. Reads only the line before ``offset``."""
        if offset == 0:
            return None if (seq, digest) == GENESIS else f"it names entry {seq} at the very start of the journal"
        fd = self.folder.open_plain(self.name)
        if fd is None:
            return "there is no journal"
        try:
            size = os.fstat(fd).st_size
            if offset > size:
                return (
                    f"the journal is {size} bytes, shorter than the byte {offset} it names: it was cut short or "
                    "replaced outside the app"
                )
            back = min(offset, _POSITION_LOOKBACK)
            data = os.pread(fd, back, offset - back)
        except OSError as exc:
            return f"the journal could not be read: {exc.strerror}"
        finally:
            os.close(fd)
        if not data.endswith(b"\n"):
            return f"byte {offset} is not the end of a line"
        start = data.rfind(b"\n", 0, len(data) - 1) + 1
        if start == 0 and back < offset:
            return f"the line before byte {offset} is longer than {_POSITION_LOOKBACK} bytes"
        try:
            entry = json.loads(data[start:-1])
        except (UnicodeDecodeError, ValueError, RecursionError):
            return f"the line before byte {offset} is not an entry"
        try:
            sound = isinstance(entry, dict) and entry.get("hash") == journal_entry_hash(entry)
        except (TypeError, ValueError, RecursionError):
            sound = False
        txn = txn_of(entry) if isinstance(entry, dict) else None
        if not sound or txn is None or txn[0] != txn[1]:
            return f"the line before byte {offset} is not the last entry of a whole transaction"
        if (entry.get("seq"), entry.get("hash")) != (seq, digest):
            found = f"{entry.get('seq')}:{str(entry.get('hash'))[:12]}…"
            return f"the entry before byte {offset} is {found}, not {seq}:{digest[:12]}…"
        return None

    def mark(self) -> tuple[int, Link, tuple[int, int] | None]:
        """Where this object is now, to :meth:`go_back` to if a read that moved it is abandoned."""
        return self._end, self._head, self._file

    def go_back(self, mark: tuple[int, Link, tuple[int, int] | None]) -> None:
        self._end, self._head, self._file = mark

    # -- reading ---------------------------------------------------------------------------------
    def read_from(self, offset: int, after: Link | None = None) -> tuple[list[dict[str, Any]], int]:
        """The whole transactions after byte ``offset`` and the offset just after the last of them.

        Only bytes from ``offset`` on are read. A torn last line or an unfinished last transaction is not
        returned, and the offset stops before it, so reading again from there picks it up once whole (or
        the repaired file's next transaction). Every entry returned is checked against the one before it,
        starting from ``after`` (the (seq, hash) of the entry ending just before ``offset``); without it,
        from the start of the file or from what this object last saw, which must then end at ``offset``.
        Raises BrokenJournalError naming the line and seq where the chain breaks. The object remembers
        where this read ended, for the next one and for :meth:`append`.
        """
        link = self._link_at(offset, after)
        fd = self.folder.open_plain(self.name)  # O_NOFOLLOW, a plain file with one link, or refused
        if fd is None:
            if offset:
                raise self._shrunk(offset, 0)
            self._end, self._head, self._file = 0, GENESIS, None
            return [], 0
        try:
            scan = self._scan_fd(fd, offset, os.fstat(fd).st_size, link, continuing=after is None)
        finally:
            os.close(fd)
        self._end, self._head = scan.end, scan.head
        return scan.entries, scan.end

    def verify(self) -> JournalReport:
        """Check the whole journal from its first line (see :func:`verify_chain`). An unfinished
        transaction at the end is reported, not failed: it was never acknowledged."""
        fd = self.folder.open_plain(self.name)
        if fd is None:
            return verify_chain([])
        try:
            try:
                scan = self._scan_fd(fd, 0, os.fstat(fd).st_size, GENESIS)
            except BrokenJournalError as exc:
                return JournalReport(problems=[str(exc)])
        finally:
            os.close(fd)
        report = verify_chain(scan.entries)
        if scan.tail_lines or scan.tail_partial:
            report.unfinished = (
                f"{scan.tail_lines} whole lines and {scan.tail_partial} bytes of a torn line after "
                f"entry {scan.head[0]} (a save that never finished; repair_tail removes them)"
            )
        return report

    # -- writing (under the record's lock) ---------------------------------------------------------
    def append(self, entries: list[dict[str, Any]], sign: Callable[[bytes], str] | None = None) -> list[dict[str, Any]]:
        """Append one transaction: fills ``seq``, ``prev``, ``txn`` and ``hash`` into copies of ``entries``,
        writes all their lines with one write, fsyncs, and returns the completed entries. Durable once
        this returns. Must be called under the record's lock. With ``sign``, each entry also gets ``sig``:
        ``sign`` applied to its hash (the hex text, as bytes).

        Lines other sessions appended since this object last looked are read and checked first, so the
        chain continues from the file's real end. An unfinished transaction at the end (a crashed save)
        is refused: run :meth:`repair_tail` first. If the write or the fsync fails, the file is cut back
        to its length before the call and WriteFailedError says why: no part of a failed transaction
        is left. Entries that cannot be written (not JSON, not UTF-8) raise ValueError before any I/O.
        """
        self._require_lock("append")
        if not entries:
            raise ValueError("a transaction needs at least one entry")
        for entry in entries:
            taken = [k for k in RESERVED if k in entry]
            if taken:
                raise ValueError(f"{', '.join(taken)} are filled in by the journal, not given")
            if "sig" in entry:
                raise ValueError("an entry is signed after its hash is known, not before")
        fd = self._open_for_writing()
        try:
            size = os.fstat(fd).st_size
            scan = self._scan_fd(fd, self._end, size, self._head, continuing=True)  # reads only what others added
            self._end, self._head = scan.end, scan.head
            if scan.end != size:
                raise UnusableFileError(
                    f"Not saved: {self.path} ends with an unfinished transaction (a save that crashed); "
                    "it must be repaired (repair_tail) before anything is added. Nothing was changed."
                )
            seq, prev = self._head
            done, lines = [], []
            for i, given in enumerate(entries, 1):
                entry = {**given, "seq": seq + i, "prev": prev, "txn": [i, len(entries)]}
                entry["hash"] = prev = journal_entry_hash(entry)
                if sign is not None:
                    entry["sig"] = sign(prev.encode("ascii"))
                try:
                    line = json.dumps(entry, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
                    lines.append(line.encode("utf-8") + b"\n")
                except (TypeError, ValueError, UnicodeEncodeError) as exc:
                    raise ValueError(f"entry {i} of the transaction cannot be written as JSON: {exc}") from None
                done.append(entry)
            if self._lock_still_held is not None and not self._lock_still_held():
                raise WriteFailedError(
                    f"Not saved: the lock file of {self.path.name} was removed or replaced while this save held it, "
                    "so another session may be saving at the same time. Nothing was changed; try again."
                )
            self._write_whole(fd, b"".join(lines), size)
            self._end, self._head = size + sum(map(len, lines)), (seq + len(done), prev)
            return done
        finally:
            os.close(fd)

    def repair_tail(self) -> TailRepair | None:
        """Remove an unfinished transaction a crash left at the end of the journal (a torn line, or fewer
        than all its lines), cutting the file back to the end of the last whole transaction. Returns what
        was removed, for the caller to log, or None if the journal ended cleanly. Never removes a whole
        transaction: a broken chain before the tail raises BrokenJournalError and changes nothing.
        Must be called under the record's lock (no writer can then be part way through a write)."""
        self._require_lock("repair_tail")
        if self.folder.lstat(self.name) is None:
            return None  # nothing to repair, and nothing to create
        fd = self._open_for_writing()
        try:
            size = os.fstat(fd).st_size
            scan = self._scan_fd(fd, self._end, size, self._head, continuing=True)
            self._end, self._head = scan.end, scan.head
            if scan.end == size:
                return None
            removed = TailRepair(
                offset=scan.end,
                removed_bytes=size - scan.end,
                first_seq=scan.head[0] + 1,
                last_seq=scan.head[0] + scan.tail_lines + (1 if scan.tail_partial else 0),
                whole_lines=scan.tail_lines,
                partial_bytes=scan.tail_partial,
            )
            try:
                os.ftruncate(fd, scan.end)
                os.fsync(fd)
            except OSError as exc:
                raise write_error(exc, self.folder.path / self.name, "removing an unfinished transaction") from None
            return removed
        finally:
            os.close(fd)

    # -- inside ----------------------------------------------------------------------------------
    def _require_lock(self, doing: str) -> None:
        if self._holds_lock is not None and not self._holds_lock():
            raise RuntimeError(f"Journal.{doing} must be called while holding the record's lock")

    def _link_at(self, offset: int, after: Link | None) -> Link:
        if after is not None:
            return after
        if offset == 0:
            return GENESIS
        if offset == self._end:
            return self._head
        raise ValueError(
            f"reading from byte {offset} needs the (seq, hash) of the entry before it; this journal object "
            f"has only seen up to byte {self._end}"
        )

    def _scan_fd(self, fd: int, start: int, size: int, link: Link, continuing: bool = False) -> _Scan:
        """Read bytes [start, size) of the open journal and scan them from ``link``. ``continuing``: the
        position is this object's own, so the file must be the one it was read from."""
        st = os.fstat(fd)
        if continuing and start and self._file is not None and self._file != (st.st_dev, st.st_ino):
            raise UnusableFileError(
                f"{self.path} was replaced since this session read it (rewritten by an erasure?), so its "
                "position in it no longer holds; read it again from a snapshot's position or the start."
            )
        self._file = (st.st_dev, st.st_ino)
        if size < start:
            raise self._shrunk(start, size)
        chunks, at = [], start
        try:
            while at < size:
                chunk = os.pread(fd, min(_READ_CHUNK, size - at), at)
                if not chunk:
                    break  # cut short while we read: what is there is scanned, the rest read next time
                chunks.append(chunk)
                at += len(chunk)
        except OSError as exc:
            raise UnusableFileError(f"{self.path} could not be read: {exc.strerror}.") from None
        try:
            return _scan(b"".join(chunks), start, link)
        except BrokenJournalError as exc:
            named = str(exc).replace("The journal is damaged", f"The journal {self.path} is damaged", 1)
            raise BrokenJournalError(named, exc.offset, exc.seq) from None

    def _shrunk(self, offset: int, size: int) -> UnusableFileError:
        return UnusableFileError(
            f"{self.path} is {size} bytes, shorter than the {offset} already read from it: it was cut short or "
            "replaced outside the app. It has not been changed."
        )

    def _open_for_writing(self) -> int:
        """A read-write descriptor of the journal, created (empty) if there is none, never through a link."""
        where = self.folder.path / self.name
        for _ in range(5):
            try:
                fd = os.open(self.name, _WRITE_FLAGS, dir_fd=self.folder.fd)
            except FileNotFoundError:
                self._create()  # False if someone else created it (or planted something) just now
                continue  # either way, open what is there now, and check it
            except OSError as exc:
                if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                    why = f"You cannot write {where} ({exc.strerror}); the record is read-only for you."
                    raise ReadOnlyError(why) from None
                raise self.folder.open_refusal(self.name, exc) from None
            try:
                st = os.fstat(fd)
                self.folder.must_be_plain(self.name, st)
                if st.st_mode & 0o007:
                    self._close_to_the_world(fd, st)
            except BaseException:
                os.close(fd)
                raise
            return fd
        raise UnusableFileError(f"{where} keeps changing while it is being opened; try again in a moment.")

    def _close_to_the_world(self, fd: int, st: os.stat_result) -> None:
        """A journal someone made world-readable (chmod o+r) holds the team's personal data for anyone on
        the machine: take the world's bits away before adding to it (as a rewritten record file is)."""
        try:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) & ~0o007)
        except OSError:
            pass  # not ours to change (a colleague's file): the save goes on; verify and the owner can fix it

    def _create(self) -> bool:
        """Create the journal empty, with the group, mode and access list of ``like`` (the record) if that
        exists, else a new file's mode for this folder (never world-readable). O_EXCL with O_NOFOLLOW: a
        dangling link planted under the name fails the creation instead of creating its target."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(self.name, flags, 0o600, dir_fd=self.folder.fd)
        except FileExistsError:
            return False
        except OSError as exc:
            raise write_error(exc, self.folder.path / self.name, "creating the journal") from None
        try:
            model = self.folder.lstat(self.like) if self.like else None
            if model is not None and self.like is not None:
                self.folder.fit_like(fd, self.like, model, self.shared)
            else:
                self.folder.fit_new_file(fd, self.folder.new_file_mode(self.shared))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.folder.sync()  # the new name, durably in the folder
        return True

    def _write_whole(self, fd: int, data: bytes, at: int) -> None:
        """Write ``data`` at ``at`` with one write and fsync it, or leave the file ``at`` bytes long."""
        try:
            os.lseek(fd, at, os.SEEK_SET)
            written = os.write(fd, data)
            while written < len(data):
                # A short write: the disk filled part way. Writing the rest says why (or finishes the job).
                more = os.write(fd, data[written:])
                if more <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                written += more
            os.fsync(fd)
        except OSError as exc:
            self._cut_back(fd, at, exc)
            raise write_error(exc, self.folder.path / self.name, "appending to the journal") from None

    def _cut_back(self, fd: int, at: int, cause: OSError) -> None:
        try:
            os.ftruncate(fd, at)
            os.fsync(fd)
        except OSError:
            raise WriteFailedError(
                f"Not saved: {cause.strerror or cause} while appending to {self.path}, and the part written "
                "could not be removed. It is an unfinished transaction: never read as saved, and removed by "
                "the next save's repair."
            ) from None
