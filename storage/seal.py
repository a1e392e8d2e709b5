"""Sealed periods: closed records older than a cut-off, moved out of the live record into read-only segments.

A record's history grows for years, and so would every session's memory and every open's work if all of
it stayed in the live tables. Sealing moves what no one will change again out of the way, keeping it
provable and readable:

- ``team.sealed/0001.journal``: the journal's first lines, up to the last whole transaction dated before
  the cut-off, moved out byte for byte (so every hash and signature stands as written);
- ``team.sealed/0001.json``: a plain TinyDB file of the records sealed in it, as they finally were, with a
  ``meta`` row saying which segment it is, the entries it holds, the cut-off, who sealed it and when.

Segment N+1 continues the chain where segment N ends, and the live journal continues it after the last
segment: its first line's ``prev`` is the hash of the segment's last entry. Which records are closed is the
caller's to say (storage knows no domain); storage seals only those whose last change is in the moved
lines, and never the metadata or the signing keys.

The commit point is a ``seal`` entry appended to the live journal like any change (attributed, signed):
it names the segment, its last entry and the records it took, and replaying it takes them out of the live
tables (its changes to the metadata carry the list of segments and each table's highest record number, so
no number is ever given twice). The steps, under the record's lock, and what a crash after each leaves:

1. the segment's files are written (``NNNN.journal``, ``NNNN.json``), synced and made read-only. A crash
   here leaves an orphan segment no seal entry names: ignored by readers and ``verify`` (a warning), and
   replaced by the next seal;
2. the seal entry is appended (the commit point), then the snapshot is written at the new head. A crash
   here leaves the live journal still holding the moved lines: every reader reads the record correctly
   (the seal entry is replayed), and the next writer finishes the seal (step 3);
3. the live journal is replaced by its lines after the segment (atomically), then the snapshot is written
   again at the new offsets. A crash between the two leaves a snapshot naming an offset in the old journal:
   its entry (seq and hash) is looked up in the new one (:func:`find_position`) by readers, and the next
   writer writes the snapshot again.

Segments are read lazily and read-only (:class:`SealedArchive`): a rule or report that needs older
records asks for them, and only the segments that can hold them are opened.
"""

from __future__ import annotations

import codecs
import json
import mmap
import os
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import FORMAT, META, canonical, doc_key, parse_stamp
from .entries import (
    NEVER_SEALED,
    Tables,
    field_changes,
    line_record,
    new_entry,
    number_ranges,
    sealed_keys,
    sealed_number,
)
from .errors import ReadOnlyError, StoreError, UnusableFileError
from .files import Folder, make_folders, write_error
from .journal import GENESIS, BrokenJournalError, Journal, Link, _scan, journal_entry_hash
from .jsonfile import LockedFile, parse_bytes

if TYPE_CHECKING:
    from .store import Store

SEALED_SUFFIX = ".sealed"
READ_ONLY_MODE = 0o440
_CHUNK = 4 << 20


class SealedError(ReadOnlyError):
    """A change to a record that has been sealed: it can be read, never changed."""


# -- names ----------------------------------------------------------------------------------------
def sealed_folder_name(record_name: str) -> str:
    """``team.json`` -> ``team.sealed``: the folder of the record's sealed segments."""
    stem = record_name.rsplit(".", 1)[0] if "." in record_name.lstrip(".") else record_name
    return stem + SEALED_SUFFIX


def segment_journal(number: int) -> str:
    return f"{number:04d}.journal"


def segment_tables(number: int) -> str:
    return f"{number:04d}.json"


def sealed_files(record: str | os.PathLike[str]) -> list[Path]:
    """Every sealed file of the record at ``record``, oldest segment first, each segment's journal then its
    JSON: what an erasure must rewrite besides the live journal and snapshot. Only segments a seal entry
    named (as the snapshot's metadata lists them); an orphan a crashed seal left is not part of the record."""
    file = LockedFile(record)
    raw, _sig = file.read_bytes()
    segments = segments_of(parse_bytes(raw, file.path).get(META, {}).get("1", {})) if raw.strip() else []
    folder = file.folder.path / sealed_folder_name(file.name)
    return [folder / name for s in segments for name in (segment_journal(s.number), segment_tables(s.number))]


# -- what the metadata says ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    """One sealed segment as the record's metadata lists it."""

    number: int
    before: str  # the cut-off, YYYY-MM-DD: every entry sealed in it is dated before this day
    first_seq: int
    through: Link  # (seq, hash) of the last entry it holds
    sealed_at: str
    sealed_by: str
    tables: dict[str, list[int]]  # table -> [count, lowest number, highest number]

    def holds(self, table: str, key: str) -> bool:
        span = self.tables.get(table)
        return span is not None and span[1] <= int(key) <= span[2]

    def describe(self) -> str:
        day = date.fromisoformat(self.before)
        return f"segment {self.number}, closed records from before {day:%d/%m/%Y}"

    def as_meta(self) -> dict[str, Any]:
        return {
            "segment": self.number,
            "before": self.before,
            "first_seq": self.first_seq,
            "through": list(self.through),
            "sealed_at": self.sealed_at,
            "sealed_by": self.sealed_by,
            "tables": self.tables,
        }


def segments_of(meta: Mapping[str, Any]) -> list[Segment]:
    """The sealed segments the record's metadata row lists, oldest first (none for a record never sealed)."""
    found = []
    for item in meta.get("sealed") or []:
        try:
            found.append(
                Segment(
                    number=int(item["segment"]),
                    before=str(item["before"]),
                    first_seq=int(item["first_seq"]),
                    through=(int(item["through"][0]), str(item["through"][1])),
                    sealed_at=str(item["sealed_at"]),
                    sealed_by=str(item["sealed_by"]),
                    tables={str(t): [int(n) for n in span] for t, span in item["tables"].items()},
                )
            )
        except (KeyError, TypeError, ValueError, IndexError):
            raise UnusableFileError(
                "The record's list of sealed segments is damaged. Run 'supervisor-tui verify' for details; "
                "nothing has been changed."
            ) from None
    return found


# -- walking a journal file -------------------------------------------------------------------------
def walk(folder: Folder, name: str, link: Link | None = GENESIS) -> Iterator[tuple[dict[str, Any], int]]:
    """Every entry of the whole transactions in a journal file, checked link by link from ``link`` (None:
    from whatever the first line links to), each with the offset just after its line. Reads a chunk at a
    time, so a journal of years is never in memory whole. An unfinished transaction at the end is left out."""
    fd = folder.open_plain(name)
    if fd is None:
        return
    try:
        size, at, chunk = os.fstat(fd).st_size, 0, _CHUNK
        if link is None:
            link = first_link(os.pread(fd, min(size, 1 << 20), 0)) or GENESIS
        while at < size:
            data = os.pread(fd, min(chunk, size - at), at)
            whole = data.rfind(b"\n") + 1
            try:
                scan = _scan(data[:whole], at, link) if whole else None
            except BrokenJournalError as exc:
                named = str(exc).replace("The journal is damaged", f"The journal {folder.path / name} is damaged", 1)
                raise BrokenJournalError(named, exc.offset, exc.seq) from None
            if scan is None or scan.end == at:
                if at + len(data) >= size:
                    return  # only an unfinished transaction is left
                chunk *= 2  # a transaction longer than the chunk
                continue
            end = at
            for entry, raw in zip(scan.entries, data.split(b"\n"), strict=False):
                end += len(raw) + 1
                yield entry, end
            at, link, chunk = scan.end, scan.head, _CHUNK
    except OSError as exc:
        raise UnusableFileError(f"{folder.path / name} could not be read: {exc.strerror}.") from None
    finally:
        os.close(fd)


def first_link(data: bytes) -> Link | None:
    """(seq, hash) of the entry before a journal's first line: what that line's ``seq`` and ``prev`` say."""
    line = data.split(b"\n", 1)[0]
    try:
        entry = json.loads(line)
        return int(entry["seq"]) - 1, str(entry["prev"])
    except (ValueError, TypeError, KeyError):
        return None


def journal_first_stamp(journal: Journal) -> datetime | None:
    """When the live journal's first entry was made (None when it is empty)."""
    line = journal.folder.read_start(journal.name, 1 << 20).split(b"\n", 1)[0]
    try:
        return parse_stamp(json.loads(line).get("at"))
    except (ValueError, AttributeError):
        return None


def journal_first_seq(journal: Journal) -> int:
    """The seq of the live journal's first entry (0 when it is empty)."""
    link = first_link(journal.folder.read_start(journal.name, 1 << 20))
    return 0 if link is None else link[0] + 1


def find_position(journal: Journal, seq: int, digest: str) -> int | None:
    """The offset just after entry ``seq`` with hash ``digest`` in the journal, if it is there and ends a
    whole transaction: where a snapshot written before the journal was cut (a seal's last step) stands
    now. Found by its hash, without parsing the lines before it."""
    fd = journal.folder.open_plain(journal.name)
    if fd is None:
        return None
    try:
        size = os.fstat(fd).st_size
        if not size:
            return None
        with mmap.mmap(fd, size, prot=mmap.PROT_READ) as data:
            at = data.find(b'"hash":"' + digest.encode("ascii") + b'"')
            if at < 0:
                return None
            end = data.find(b"\n", at) + 1
    finally:
        os.close(fd)
    if end <= 0 or journal.position_problem(end, seq, digest):
        return None
    return end


# -- planning a seal ----------------------------------------------------------------------------------
@dataclass
class SealPlan:
    """What sealing before a cut-off would do, worked out from the record as it is now."""

    segment: int
    before: date
    first_seq: int  # the first entry the segment would hold
    through: Link | None  # its last entry; None when no entry is dated before the cut-off
    cut_at: int  # the offset just after that entry in the live journal
    first_at: str | None  # the time stamps of the first and last entry moved
    last_at: str | None
    records: dict[str, list[str]] = field(default_factory=dict)  # row keys sealed, by table
    staying: dict[str, int] = field(default_factory=dict)  # live records left, by table
    changed_since: int = 0  # closed records left live because they changed on or after the cut-off

    @property
    def count(self) -> int:
        return sum(map(len, self.records.values()))

    @property
    def entries(self) -> int:
        return 0 if self.through is None else self.through[0] - self.first_seq + 1


def plan_seal(store: Store, before: date, until: datetime, candidates: Mapping[str, Iterable[str]]) -> SealPlan:
    """What sealing would do: the journal's prefix up to the last whole transaction dated before ``until``
    (the cut-off's first moment, UTC), and of the records ``candidates`` names (record ids by table: the
    closed ones, as the caller judges), those whose every change is in that prefix."""
    journal = store.journal
    segments = segments_of(store.meta())
    done = segments[-1].through[0] if segments else 0
    through: Link | None = None
    cut_at, first_at, last_at, first_seq = 0, None, None, done + 1
    txn_start_at: str | None = None
    in_prefix = True
    touched: set[tuple[str, str]] = set()  # records changed on or after the cut-off
    for entry, end in walk(journal.folder, journal.name, None):
        if entry["seq"] <= done:
            continue  # lines a crashed seal left in the live journal: already in a segment
        if in_prefix:
            stamp = parse_stamp(entry.get("at"))
            if stamp is None or stamp >= until:
                in_prefix = False  # the rest of its transaction, and everything after, stays live
            else:
                txn_start_at = txn_start_at or entry["at"]
                if entry["txn"][0] == entry["txn"][1]:
                    through, cut_at = (entry["seq"], entry["hash"]), end
                    first_at, last_at = first_at or txn_start_at, entry["at"]
                    txn_start_at = None
                continue
        touched.add((entry["table"], entry["record"]))
    # An unfinished prefix transaction that ran into the cut-off stays live whole: its records too.
    plan = SealPlan(len(segments) + 1, before, first_seq, through, cut_at, first_at, last_at)
    data = store.data
    for table, ids in candidates.items():
        if table in NEVER_SEALED or through is None:
            continue
        rows = data.get(table, {})
        keys = []
        for record_id in ids:
            key = doc_key(record_id)
            if key not in rows:
                continue
            if (table, record_id) in touched:
                plan.changed_since += 1
            else:
                keys.append(key)
        if keys:
            plan.records[table] = sorted(keys, key=int)
    for table, rows in data.items():
        if table != META:
            plan.staying[table] = len(rows) - len(plan.records.get(table, ()))
    return plan


# -- sealing (under the record's lock) ----------------------------------------------------------------
def seal_locked(store: Store, plan: SealPlan, reason: str) -> None:
    """Carry out ``plan`` (made under this same lock): the segment's files, the seal entry, the cut."""
    from .store import Transaction

    if plan.through is None or not plan.count:
        raise StoreError("There is nothing to seal before that date: no closed record changed only before it.")
    folder = sealed_folder(store, create=True)
    assert folder is not None  # made if it was not there
    _remove_orphans(folder, plan.segment)
    meta = store.meta()
    at = store.now_stamp()
    segment = Segment(
        number=plan.segment,
        before=plan.before.isoformat(),
        first_seq=plan.first_seq,
        through=plan.through,
        sealed_at=at,
        sealed_by=store.actor.login,
        tables={table: [len(keys), int(keys[0]), int(keys[-1])] for table, keys in plan.records.items()},
    )
    _write_segment_journal(store, folder, segment, plan.cut_at)
    _write_segment_tables(store, folder, segment, plan.records)
    numbers = {**(meta.get("numbers") or {})}
    for table, keys in plan.records.items():
        numbers[table] = max(sealed_number(store.data, table), store.next_number(table) - 1, int(keys[-1]))
    before = {"sealed": meta.get("sealed") or [], "numbers": meta.get("numbers") or {}}
    after = {"sealed": [*before["sealed"], segment.as_meta()], "numbers": numbers}
    entry = new_entry(
        table=META,
        record="file",
        action="seal",
        at=at,
        actor=store.actor,
        reason=reason,
        changes=field_changes({k: v for k, v in before.items() if k in meta}, after),
        sealed={
            "segment": segment.number,
            "through": list(segment.through),
            "before": segment.before,
            "records": {table: number_ranges([int(k) for k in keys]) for table, keys in plan.records.items()},
        },
    )
    txn = Transaction(store)
    txn.extra.append(entry)
    store._commit(txn, force_snapshot=True)  # noqa: SLF001 - the commit point, and the snapshot after it
    finish_locked(store)


def finish_locked(store: Store) -> bool:
    """If the live journal still holds lines a seal moved into its last segment (a seal cut short after its
    seal entry), replace it with its lines after them, and write the snapshot at the new offsets. True if
    there was anything to finish. Under the record's lock, with the store caught up."""
    segments = segments_of(store.meta())
    if not segments:
        return False
    journal = store.journal
    seq, digest = segments[-1].through
    first = journal_first_seq(journal)
    if first == 0 or first > seq:
        return False
    journal.folder.remove_orphans(journal.name)  # the cut journal's temp file, if a crash left one
    cut_at = find_position(journal, seq, digest)
    if cut_at is None:
        raise UnusableFileError(
            f"{journal.path} does not hold entry {seq}, which the record says its last sealed segment ends with. "
            "Run 'supervisor-tui verify' for details; nothing has been changed."
        )
    if store._snap_seq < store.journal.head[0]:  # noqa: SLF001 - the snapshot must be past the seal entry
        store._write_snapshot()  # noqa: SLF001
    fd = journal.folder.open_plain(journal.name)
    if fd is None:
        raise UnusableFileError(f"{journal.path} vanished while a seal was being finished; nothing was changed.")
    try:
        end = journal.end
        journal.folder.replace(journal.name, _text_chunks(fd, cut_at, end), shared=store.file.shared)
    finally:
        os.close(fd)
    store._load()  # noqa: SLF001 - the snapshot's offset is the old journal's: looked up in the new one
    store._write_snapshot()  # noqa: SLF001
    return True


def sealed_folder(store: Store, create: bool = False) -> Folder | None:
    """The record's sealed-segments folder (``team.sealed``), made on first use with the record folder's
    group and permissions, never the world's."""
    parent = store.file.folder
    name = sealed_folder_name(store.file.name)
    st = parent.lstat(name)
    if st is None:
        if not create:
            return None
        make_folders(parent.path / name)
        try:
            fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent.fd)
        except OSError as exc:
            raise parent.open_refusal(name, exc) from None
        try:
            os.fchmod(fd, _folder_mode(parent, store))
        except OSError:
            pass  # made by a colleague just now: theirs to set
        finally:
            os.close(fd)
    elif not stat.S_ISDIR(st.st_mode):
        raise UnusableFileError(
            f"{parent.path / name} is not a folder (a link or a file); the record's sealed segments are never "
            "read or written through it. Ask whoever looks after the record."
        )
    return Folder(parent.path / name)


def _folder_mode(parent: Folder, store: Store) -> int:
    """The sealed folder's mode: whom the record's files let read (and write), they may list and enter
    (group bits as the journal's, with search), setgid in a setgid team folder; never the world."""
    st = parent.lstat(store.journal.name) or parent.lstat(store.file.name)
    group = stat.S_IMODE(st.st_mode) & 0o060 if st is not None else 0
    if parent.shared_by_setgid or store.file.shared:
        group = 0o060
    mode = 0o700 | group | (0o010 if group else 0)
    return mode | (stat.S_ISGID if parent.shared_by_setgid else 0)


def _remove_orphans(folder: Folder, first: int) -> None:
    """Segment files numbered ``first`` or later: left by a seal that crashed before its seal entry."""
    for entry in os.scandir(folder.fd):
        number = entry.name.split(".", 1)[0]
        if number.isdigit() and int(number) >= first and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.name, dir_fd=folder.fd)
            except OSError as exc:
                raise write_error(exc, folder.path / entry.name, "removing a sealed segment a crash left") from None
    folder.remove_orphans(segment_journal(first))
    folder.remove_orphans(segment_tables(first))


def _text_chunks(fd: int, start: int, end: int) -> Iterator[str]:
    """Bytes [start, end) of a journal as UTF-8 text, a chunk at a time (written back as the same bytes)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    at = start
    while at < end:
        data = os.pread(fd, min(_CHUNK, end - at), at)
        if not data:
            raise UnusableFileError("The journal was cut short while it was being copied; nothing was changed.")
        at += len(data)
        yield decoder.decode(data, final=at >= end)


def _write_segment_journal(store: Store, folder: Folder, segment: Segment, cut_at: int) -> None:
    journal = store.journal
    fd = journal.folder.open_plain(journal.name)
    if fd is None:
        raise UnusableFileError(f"{journal.path} vanished while it was being sealed; nothing was changed.")
    try:
        name = segment_journal(segment.number)
        folder.replace(name, _text_chunks(fd, 0, cut_at), shared=store.file.shared)
    finally:
        os.close(fd)
    _make_read_only(folder, name)


def _write_segment_tables(store: Store, folder: Folder, segment: Segment, records: dict[str, list[str]]) -> None:
    data = store.data
    meta = {
        "format": FORMAT,
        "sealed_segment": segment.as_meta(),
        "record": store.file.name,
    }
    tables: dict[str, Any] = {META: {"1": meta}}
    for table, keys in records.items():
        rows = data[table]
        tables[table] = {key: rows[key] for key in keys}
    name = segment_tables(segment.number)
    folder.replace(name, [json.dumps(tables, ensure_ascii=False)], shared=store.file.shared)
    _make_read_only(folder, name)


def _make_read_only(folder: Folder, name: str) -> None:
    fd = folder.open_plain(name)
    if fd is None:
        raise UnusableFileError(f"{folder.path / name} vanished as it was written; nothing was sealed.")
    try:
        os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & READ_ONLY_MODE)
        os.fsync(fd)
    except OSError as exc:
        raise write_error(exc, folder.path / name, "making a sealed segment read-only") from None
    finally:
        os.close(fd)


# -- reading sealed records ---------------------------------------------------------------------------
class SealedArchive:
    """A record's sealed segments, opened only when something asks for what they hold, read-only, and kept
    once read (a segment's records are what a rule or report reads again)."""

    def __init__(self, file: LockedFile):
        self.file = file
        self._lock = threading.Lock()
        # (segment, its last hash) -> (the file's inode, size and time when read, its records)
        self._tables: dict[tuple[int, str], tuple[tuple[int, int, int] | None, Tables]] = {}

    def forget(self) -> None:
        """Read the segments again when next asked (an erasure rewrote one, or the record was reloaded)."""
        with self._lock:
            self._tables.clear()

    def records(self, segment: Segment) -> Tables:
        """The records sealed in ``segment`` (its JSON file, parsed once, and again only if it was replaced:
        an erasure rewrites it)."""
        key = (segment.number, segment.through[1])
        path = self.file.folder.path / sealed_folder_name(self.file.name) / segment_tables(segment.number)
        try:
            st = os.lstat(path)
            sig: tuple[int, int, int] | None = (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            sig = None  # _read says what is wrong
        with self._lock:
            found = self._tables.get(key)
            if found is None or found[0] != sig:
                found = self._tables[key] = (sig, self._read(segment))
            return found[1]

    def find(self, segments: list[Segment], table: str, key: str) -> tuple[Segment, dict[str, Any]] | None:
        for segment in reversed(segments):
            if segment.holds(table, key):
                row = self.records(segment).get(table, {}).get(key)
                if row is not None:
                    return segment, row
        return None

    def entries(self, segments: list[Segment], table: str, record_id: str, before_seq: int) -> list[dict[str, Any]]:
        """Every entry for one record in the segments' journals with a seq before ``before_seq``, oldest
        first. Each journal is searched for the record's line start, never parsed whole."""
        needle = (
            b'{"table":'
            + json.dumps(table, ensure_ascii=False).encode()
            + b',"record":'
            + json.dumps(record_id, ensure_ascii=False).encode()
            + b","
        )
        found: list[dict[str, Any]] = []
        for data in self._journals(segments, before_seq):
            at = data.find(needle)
            while at >= 0:
                if at == 0 or data[at - 1] == ord("\n"):
                    end = data.find(b"\n", at)
                    entry = _sound_entry(data[at : end if end >= 0 else len(data)])
                    if entry is not None and entry.get("seq", before_seq) < before_seq:
                        found.append(entry)
                at = data.find(needle, at + 1)
        return found

    def entries_of_many(
        self, segments: list[Segment], wanted: dict[tuple[str, str], int]
    ) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """``entries`` for many records at once: (table, record) -> the seq its sealed entries come before.
        Each segment's journal is read once, line by line, and only the lines of a wanted record parsed (an
        erasure of a leaver's rota names hundreds of records; one search per record read every segment
        hundreds of times)."""
        found: dict[tuple[str, str], list[dict[str, Any]]] = {key: [] for key in wanted}
        if not wanted:
            return found
        for data in self._journals(segments, min(wanted.values())):
            at, size = 0, len(data)
            while at < size:
                end = data.find(b"\n", at)
                end = size if end < 0 else end
                line = data[at:end]
                at = end + 1
                key = line_record(line)
                if key is None or key not in wanted:
                    continue
                entry = _sound_entry(line)
                if entry is not None and entry.get("seq", wanted[key]) < wanted[key]:
                    found[key].append(entry)
        return found

    def _journals(self, segments: list[Segment], before_seq: int) -> Iterator[mmap.mmap]:
        """Each segment journal holding entries before ``before_seq``, mapped read-only, oldest first (closed
        once the caller moves on); a missing or empty one is passed over."""
        folder = self.folder()
        if folder is None:
            return
        for segment in segments:
            if segment.first_seq >= before_seq:
                break
            fd = folder.open_plain(segment_journal(segment.number))
            if fd is None:
                continue
            try:
                size = os.fstat(fd).st_size
                if size:
                    with mmap.mmap(fd, size, prot=mmap.PROT_READ) as data:
                        yield data
            finally:
                os.close(fd)

    def folder(self) -> Folder | None:
        """The sealed segments' folder, if there is one (never through a link)."""
        parent = self.file.folder
        name = sealed_folder_name(self.file.name)
        st = parent.lstat(name)
        if st is None or not stat.S_ISDIR(st.st_mode):
            return None
        return Folder(parent.path / name)

    def _read(self, segment: Segment) -> Tables:
        folder = self.folder()
        where = self.file.folder.path / sealed_folder_name(self.file.name) / segment_tables(segment.number)
        if folder is None:
            raise UnusableFileError(f"The sealed segment {where} is missing: its records cannot be read.")
        raw, _sig = folder.read(segment_tables(segment.number))
        if not raw:
            raise UnusableFileError(f"The sealed segment {where} is missing: its records cannot be read.")
        data = parse_bytes(raw, where)
        said = data.get(META, {}).get("1", {}).get("sealed_segment", {})
        if said.get("segment") != segment.number or said.get("through") != list(segment.through):
            raise UnusableFileError(
                f"The sealed segment {where} is not the one the record names (segment {segment.number}, ending "
                f"at entry {segment.through[0]}). Run 'supervisor-tui verify' for details."
            )
        return {name: rows for name, rows in data.items() if name != META}


def _sound_entry(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
        return entry if isinstance(entry, dict) and entry.get("hash") == journal_entry_hash(entry) else None
    except (ValueError, TypeError, RecursionError):
        return None


def refuse_sealed(segment: Segment, record_id: str) -> SealedError:
    return SealedError(f"{record_id} is sealed ({segment.describe()}): it can be read but not changed.")


# -- verify ------------------------------------------------------------------------------------------
@dataclass
class SealedChain:
    """The journal files ``verify`` walks as one chain, oldest first, and what it found about the rest."""

    journals: list[Journal]
    heads: dict[int, Link]  # segment number -> the last entry its journal holds, for segments in the chain
    folder: Folder | None
    warnings: list[str] = field(default_factory=list)


def chain_journals(file: LockedFile, journal: Journal) -> SealedChain:
    """The segments' journals, in order, then the live journal: those segments the live journal continues
    (a seal cut short before its last step leaves the moved lines in the live journal too: then only that
    one is walked, and the segments are checked against it at their seal entries)."""
    parent = file.folder
    name = sealed_folder_name(file.name)
    st = parent.lstat(name)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return SealedChain([journal], {}, None)
    folder = Folder(parent.path / name)
    numbers = sorted(
        int(entry.name.split(".")[0])
        for entry in os.scandir(folder.fd)
        if entry.name.endswith(".journal") and entry.name.split(".")[0].isdigit()
    )
    live_first = journal_first_seq(journal)
    chain, heads, seq = [], {}, 0
    for number in numbers:
        if live_first and live_first <= seq + 1:
            break  # the live journal still holds these lines
        head = _last_link(folder, segment_journal(number))
        if head is None or (live_first and head[0] >= live_first):
            break
        chain.append(Journal(folder, segment_journal(number)))
        heads[number] = head
        seq = head[0]
    return SealedChain([*chain, journal], heads, folder)


def read_chain(chain: SealedChain) -> tuple[list[dict[str, Any]], int]:
    """Every entry of the chain's journals as one chain, oldest first, and the offset just after the last
    whole transaction of the live journal (the last of them). A segment missing or out of place breaks the
    chain where it should be (BrokenJournalError)."""
    entries: list[dict[str, Any]] = []
    link, end = GENESIS, 0
    for journal in chain.journals:
        got, end = journal.read_from(0, after=link)
        if got:
            link = (got[-1]["seq"], got[-1]["hash"])
        entries.extend(got)
    return entries, end


def _last_link(folder: Folder, name: str) -> Link | None:
    fd = folder.open_plain(name)
    if fd is None:
        return None
    try:
        size = os.fstat(fd).st_size
        back = min(size, 1 << 20)
        data = os.pread(fd, back, size - back)
    finally:
        os.close(fd)
    lines = data.rstrip(b"\n").rsplit(b"\n", 1)
    try:
        entry = json.loads(lines[-1])
        return int(entry["seq"]), str(entry["hash"])
    except (ValueError, TypeError, KeyError):
        return None


# A sealed row that differs from the journal's copy in fields a later erasure may have given stand-ins:
# (the segment's name, table, record id, {field: the value the row holds}), for the caller to settle once it
# has read the erase entries after the seal (see storage.verify).
Unsettled = tuple[str, str, str, dict[str, Any]]


def segment_problem(
    chain: SealedChain,
    entry: dict[str, Any],
    tables: Tables,
    link: Link,
    erased: AbstractSet[tuple[str, str, str]] = frozenset(),
    unsettled: list[Unsettled] | None = None,
) -> str | None:
    """What is wrong with the segment a seal entry names, given the records just before the entry is
    replayed (``tables``) and the link the segment's journal must start from; None if it proves out: its
    journal ends at the entry the seal names, and its JSON holds exactly the records the seal took, as the
    journal leaves them. With ``unsettled``, a row differing in fields the journal has not erased yet is
    put there instead (an erasure after the seal gives a sealed row its stand-ins: only the entries after
    this one can say whether it did)."""
    sealed = entry["sealed"]
    number = sealed["segment"]
    where = f"sealed segment {number}"
    if chain.folder is None:
        return f"{where} is missing (there is no {SEALED_SUFFIX} folder)"
    through = (sealed["through"][0], sealed["through"][1])
    head = chain.heads.get(number)
    if head is None:
        try:
            head = link
            for line, _end in walk(chain.folder, segment_journal(number), link):
                head = (line["seq"], line["hash"])
        except UnusableFileError as exc:
            return f"{where}'s journal: {exc}"
    if head != through:
        return f"{where}'s journal ends at entry {head[0]}, not at entry {through[0]} as its seal says"
    try:
        raw, _sig = chain.folder.read(segment_tables(number))
        data = parse_bytes(raw, chain.folder.path / segment_tables(number)) if raw else None
    except UnusableFileError as exc:
        return f"{where}'s records cannot be read: {exc}"
    if data is None:
        return f"{where}'s records ({segment_tables(number)}) are missing"
    said = data.get(META, {}).get("1", {}).get("sealed_segment", {})
    if not isinstance(said, dict) or said.get("segment") != number or said.get("through") != sealed["through"]:
        return f"{where}'s records say they are another segment"
    for table, keys in sealed_keys(sealed).items():
        have = data.get(table, {})
        rows = tables.get(table, {})
        if set(have) != set(keys):
            extra = sorted(set(have) - set(keys), key=len)[:3]
            return f"{where}'s records of {table} are not the ones its seal took" + (
                f" (it also holds {', '.join(extra)})" if extra else ""
            )
        for key in keys:
            if canonical(have[key]) != canonical(rows.get(key)):
                label = have[key].get("id", key) if isinstance(have[key], dict) else key
                if _only_erased(have[key], rows.get(key), table, label, erased):
                    continue  # an erasure since gave these fields their stand-ins; the journal no longer can
                want = rows.get(key)
                if unsettled is not None and isinstance(have[key], dict) and isinstance(want, dict):
                    differ = {k for k in set(have[key]) | set(want) if have[key].get(k) != want.get(k)}
                    if all(k in have[key] for k in differ):
                        unsettled.append((where, table, label, {k: have[key][k] for k in differ}))
                        continue
                return f"{where}: record {label} of {table} differs from what the journal gives (edited)"
    stray = [t for t in data if t != META and t not in sealed["records"]]
    if stray:
        return f"{where} holds a table its seal did not take ({stray[0]})"
    return None


def _only_erased(have: Any, want: Any, table: str, label: str, erased: AbstractSet[tuple[str, str, str]]) -> bool:
    """Do two copies of a record differ only in fields whose values the journal has erased?"""
    if not isinstance(have, dict) or not isinstance(want, dict):
        return False
    differ = {k for k in set(have) | set(want) if have.get(k) != want.get(k)}
    return bool(differ) and all((table, label, k) in erased for k in differ)


def orphan_warnings(chain: SealedChain, named: int) -> list[str]:
    """Segment files numbered after the last one a seal entry names: left by a seal that crashed."""
    if chain.folder is None:
        return []
    names = sorted(
        entry.name
        for entry in os.scandir(chain.folder.fd)
        if entry.name.split(".")[0].isdigit() and int(entry.name.split(".")[0]) > named
    )
    return [
        f"{chain.folder.path.name}/{name} is not named by any seal entry (a seal that "
        "never finished); it is not part of the record, and the next seal replaces it"
        for name in names
    ]
