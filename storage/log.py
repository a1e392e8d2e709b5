"""Every entry of a record, newest first, a page at a time: what a whole-file audit log reads.

A record's history is its sealed segments' journals, oldest first, then the live journal (see ``seal``).
Newest first is therefore the live journal read from its end backwards, then each segment's journal from
its end, newest segment first. Files are read backwards in chunks, so the first page of a five-year record
costs what one page costs, and a filter is tried on each line's first bytes (table, record, action, time,
login: the store always writes them first, see ``entries``) before the line is parsed.

A page ends at a :class:`LogPosition`, and the next page starts there. A position names the file it is in
(device and inode): an erasure or a seal replaces the journal and segment files, so a position taken before
is refused (:class:`StalePositionError`) and the reader starts again from the newest entry.

Sealing moves the journal's first lines into a segment byte for byte; a seal cut short before its last step
leaves them in the live journal too. Each entry is listed once: a segment's entries are listed only below
the live journal's first ``seq``.

Lines whose hash, or a value whose digest, does not match what they say (edited by hand) are counted, never
listed as changes:
``supervisor-tui verify`` says what is wrong with them.

No Textual, no domain.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import StoreError, UnusableFileError
from .journal import journal_entry_hash, values_match
from .seal import journal_first_seq, segment_journal

if TYPE_CHECKING:
    from .store import Store

LIVE = 0  # LogPosition.source of the live journal; a segment's is its number; a v1 file's audit table is V1
V1 = -1
_CHUNK = 1 << 18
# The first five keys of every line the store writes, in the order ``entries.new_entry`` puts them.
_STR = rb'"((?:[^"\\]|\\.)*)"'
_HEAD = re.compile(
    rb'\{"table":' + _STR + rb',"record":' + _STR + rb',"action":' + _STR + rb',"at":' + _STR + rb',"actor":' + _STR
)


class StalePositionError(StoreError):
    """The file a page position was taken in has been replaced (an erasure or a seal): read from the newest again."""


@dataclass(frozen=True)
class LogFilter:
    """Which entries to list; every part given must match (None: any).

    ``records`` holds (table, record id) pairs; a table of None matches that id in any table. ``since`` and
    ``until`` are UTC stamps as entries hold them ('2026-11-24T09:30:00.000000Z'): at or after ``since``,
    before ``until``."""

    records: frozenset[tuple[str | None, str]] | None = None
    tables: frozenset[str] | None = None
    actors: frozenset[str] | None = None
    since: str | None = None
    until: str | None = None

    def keeps(self, table: object, record: object, at: object, actor: object) -> bool:
        if self.tables is not None and table not in self.tables:
            return False
        if self.actors is not None and actor not in self.actors:
            return False
        if self.records is not None and (table, record) not in self.records and (None, record) not in self.records:
            return False
        if self.since is not None and not (isinstance(at, str) and at >= self.since):
            return False
        return self.until is None or (isinstance(at, str) and at < self.until)


@dataclass(frozen=True)
class LogPosition:
    """Where a page stopped: the entries before byte ``offset`` of ``source`` (LIVE, a segment's number, or
    V1 with ``offset`` an index into the v1 audit table) come next. ``file`` is the (device, inode) the
    offset is in; ``below``: only entries with a smaller seq are listed from the segments."""

    source: int
    offset: int
    file: tuple[int, int]
    below: int


@dataclass
class LogPage:
    """Up to a page of entries, newest first, as the journal holds them (``entries.entry_view`` shows them)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    next: LogPosition | None = None  # None: the record's first entry has been read
    scanned: int = 0  # lines looked at for this page
    unreadable: int = 0  # lines whose hash does not match their contents (edited): not listed


def read_page(store: Store, start: LogPosition | None, limit: int, keep: LogFilter | None = None) -> LogPage:
    """The next ``limit`` entries ``keep`` lets through, newest first, from ``start`` (None: the newest)."""
    page = LogPage()
    keep = keep or LogFilter()
    if store.schema == 1:
        return _v1_page(store, start, limit, keep, page)
    sources = _sources(store)
    if start is None:
        if not sources:
            return page
        first = journal_first_seq(store.journal)
        start = LogPosition(LIVE, store.journal.end, (0, 0), first or 1 << 62)
    for index, (source, name, folder) in enumerate(sources):
        if source != start.source:
            continue
        fd = folder.open_plain(name)
        if fd is None:
            raise UnusableFileError(f"{folder.path / name} is missing: the record's history cannot be read from it.")
        try:
            st = os.fstat(fd)
            identity = (st.st_dev, st.st_ino)
            if start.file != (0, 0) and start.file != identity:
                raise StalePositionError(
                    f"{folder.path / name} was replaced (by an erasure or a seal) since the list was read; "
                    "it is read again from the newest change."
                )
            end = min(start.offset, st.st_size)
            for raw, line_start in _lines_back(fd, end):
                page.scanned += 1
                entry = _kept(raw, keep, page)
                if (
                    entry is not None
                    and source != LIVE
                    and type(entry.get("seq")) is int
                    and entry["seq"] >= start.below
                ):
                    entry = None  # also in the live journal (a seal cut short): listed from there
                if entry is not None:
                    page.entries.append(entry)
                if len(page.entries) >= limit:
                    if line_start > 0:
                        page.next = LogPosition(source, line_start, identity, start.below)
                    elif index + 1 < len(sources):
                        page.next = LogPosition(sources[index + 1][0], 1 << 62, (0, 0), start.below)
                    return page
        finally:
            os.close(fd)
        if index + 1 < len(sources):
            start = LogPosition(sources[index + 1][0], 1 << 62, (0, 0), start.below)
    return page


def _sources(store: Store) -> list[tuple[int, str, Any]]:
    """(source, file name, folder) of every journal file of the record, newest first."""
    found: list[tuple[int, str, Any]] = [(LIVE, store.journal.name, store.journal.folder)]
    segments = store.segments()
    if segments:
        folder = store.sealed.folder()
        if folder is None:
            raise UnusableFileError(
                f"The sealed segments of {store.path} are missing: the history before "
                f"{segments[-1].before} cannot be read. Run 'supervisor-tui verify' for details."
            )
        found += [(s.number, segment_journal(s.number), folder) for s in reversed(segments)]
    return found


def _lines_back(fd: int, end: int) -> Iterator[tuple[bytes, int]]:
    """The lines of the file before byte ``end``, last first, each with the offset it starts at. Reads a
    chunk at a time from the end (a chunk grows only for a line longer than itself)."""
    size = _CHUNK
    while end > 0:
        start = max(0, end - size)
        try:
            data = os.pread(fd, end - start, start)
        except OSError as exc:
            raise UnusableFileError(f"A journal of the record could not be read: {exc.strerror}.") from None
        cut = 0
        if start > 0:
            newline = data.find(b"\n")
            if newline < 0 or newline == len(data) - 1:
                size *= 2  # one line longer than the chunk: read more of it
                continue
            cut = newline + 1  # what comes before belongs to a line that starts in the chunk before
        lines = data[cut:].split(b"\n")
        if not lines[-1]:
            lines.pop()  # the data ends with a whole line
        starts, at = [], start + cut
        for raw in lines:
            starts.append(at)
            at += len(raw) + 1
        yield from zip(reversed(lines), reversed(starts), strict=True)
        end, size = start + cut, _CHUNK


def _kept(raw: bytes, keep: LogFilter, page: LogPage) -> dict[str, Any] | None:
    """The entry on line ``raw`` if the filter keeps it and its hash matches it (else counted unreadable)."""
    head = _HEAD.match(raw)
    if head is not None:
        try:
            table, record, _action, at, actor = (json.loads(b'"' + part + b'"') for part in head.groups())
        except ValueError:
            head = None
        else:
            if not keep.keeps(table, record, at, actor):
                return None
    try:
        entry = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        page.unreadable += bool(raw.strip())
        return None
    if not isinstance(entry, dict):
        page.unreadable += 1
        return None
    try:
        sound = entry.get("hash") == journal_entry_hash(entry) and values_match(entry)
    except (TypeError, ValueError, RecursionError):
        sound = False
    if not sound:
        page.unreadable += 1
        return None
    if head is None and not keep.keeps(entry.get("table"), entry.get("record"), entry.get("at"), entry.get("actor")):
        return None
    return entry


def _v1_page(store: Store, start: LogPosition | None, limit: int, keep: LogFilter, page: LogPage) -> LogPage:
    """A record still in the single-file format (read-only until upgraded): its audit table, newest first."""
    log = store.v1_log()
    index = len(log) if start is None else min(start.offset, len(log))
    while index > 0:
        index -= 1
        entry = log[str(index + 1)]
        page.scanned += 1
        if keep.keeps(entry.get("table"), entry.get("record"), entry.get("at"), entry.get("actor")):
            page.entries.append(entry)
        if len(page.entries) >= limit:
            if index > 0:
                page.next = LogPosition(V1, index, (0, 0), 0)
            return page
    return page
