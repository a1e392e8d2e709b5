"""The JSON file on disk: locking, atomic replacement, permissions, and a TinyDB storage.

TinyDB's own JSONStorage rewrites the file in place (seek, write, truncate) with no lock, so two
processes can interleave and a crash can leave half a file. Here every write goes to a temp file in
the same directory, is fsynced, replaces the old file atomically and the directory is fsynced; an
exclusive flock on a sidecar ``<file>.lock`` (never replaced, so its inode is stable) is held across
the whole read-modify-write. Readers need no lock: they always see a whole old or whole new file.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import secrets
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .errors import (
    MissingFileError,
    NotJSONError,
    ReadOnlyError,
    ReadOnlyFileError,
    StaleWriteError,
    StoreError,
    UnusableFileError,
    WriteFailedError,
)
from .files import Folder, Signature, make_record_folder, resolve_record_path
from .lock import Holder, RecordLock

LOCK_TIMEOUT_S = 15.0
TOKEN_BYTES = 16  # the write token at the start of the lock file (the lock queue's counter follows it)


def file_signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _holds_nothing(sig: Signature | None) -> bool:
    """No file, or an empty one: what a new record's first save may replace, whichever it finds."""
    return sig is None or sig[1] == 0


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def parse_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse the file's bytes, refusing anything that is not a whole JSON object of tables."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnusableFileError(
            f"{path} is not a complete JSON file ({exc.msg if hasattr(exc, 'msg') else exc}); "
            "it may be truncated or damaged. It has not been changed."
        ) from None
    except RecursionError:
        raise UnusableFileError(f"{path} nests JSON too deeply to be a record; it has not been changed.") from None
    except ValueError:  # a number of thousands of digits, which Python will not read
        raise UnusableFileError(
            f"{path} holds a number far too long to be a record's; it has not been changed."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise UnusableFileError(f"{path} is JSON but not a TinyDB file of tables. It has not been changed.")
    if _SURROGATE_ESCAPE.search(raw) and not _writable_text(data):
        # '\ud800' alone is valid JSON but no character: every later save (and verify) would fail on it.
        raise UnusableFileError(
            f"{path} holds text that is not valid Unicode (a lone \\ud8xx escape); it was "
            "edited outside the app. It has not been changed."
        )
    return data


def _writable_text(data: Any) -> bool:
    """Can this data be written back as UTF-8? (Only escapes in the file can make it not so.)"""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def duplicate_keys(raw: bytes, parsed: Any = None) -> list[str]:
    """Keys the file gives twice in one object. Python (and jq) keep the last value, other readers the
    first, so an auditor's tool could see a different record from ours: our writer never does this.
    ``parsed`` is ``raw`` as json.loads read it, where the caller has it: then a clean file is usually
    proved clean by counting (see :func:`writes_no_key_twice`) instead of parsing it again, slowly."""
    if parsed is not None and writes_no_key_twice(raw, count_keys(parsed)):
        return []
    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                found.append(key)
            seen.add(key)
        return dict(items)

    try:
        json.loads(raw, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return []  # not readable at all: the ordinary parse says why
    return found


def writes_no_key_twice(raw: bytes, keys: int) -> bool:
    """True only if no object in the JSON text ``raw`` gives a key twice, ``keys`` being how many keys
    parsing it kept (:func:`count_keys`). JSON allows whitespace between a key and its colon; with none
    there (no space or newline before a colon, and no tab or CR at all: inside a string those are always
    escaped, so they can only be such whitespace), every key written is followed by '":', so the text
    writes at most as many keys as it has '":' (a string may hold more). The two being equal, parsing
    dropped none. False says only: look closer."""
    return raw.count(b'":') == keys and b" :" not in raw and b"\n:" not in raw and b"\t" not in raw and b"\r" not in raw


def count_keys(value: Any) -> int:
    """The number of keys in every object of a parsed JSON value."""
    if type(value) is dict:
        return len(value) + sum(count_keys(v) for v in value.values() if type(v) is dict or type(v) is list)
    if type(value) is list:
        return sum(count_keys(v) for v in value if type(v) is dict or type(v) is list)
    return 0


class LockedFile:
    """One JSON file plus its sidecar lock: the primitives the store and the TinyDB storage share.

    ``path`` may be a symlink to the real file: it is followed once, here, so the lock and the
    temp files sit beside the real file and the save lands in it (see ``files.resolve_record_path``).
    With ``create_dirs`` a missing folder is made (see ``files.make_folders``); otherwise it is refused.
    """

    def __init__(self, path: str | os.PathLike[str], *, shared: bool = False, create_dirs: bool = False):
        try:
            self.path = resolve_record_path(path)
        except MissingFileError:  # only ever a missing folder: links are checked before
            if not create_dirs:
                raise
            make_record_folder(path)
            self.path = resolve_record_path(path)
        self.folder = Folder(self.path.parent)
        self.name = self.path.name
        self.lock_file = lock_path(self.path)
        self.shared = shared  # a new file is made group read-write even outside a setgid folder
        self._lock = RecordLock(self.folder, self.lock_file.name)
        self._depth = 0
        self._thread_lock = threading.RLock()  # flock is per open file, not per thread

    # -- the lock ---------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._depth > 0

    @contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the exclusive inter-process write lock (re-entrant within this process)."""
        with self._thread_lock:
            if self._depth == 0:
                self._acquire(timeout)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._lock.release()

    def _acquire(self, timeout: float) -> None:
        if not self.writable:
            raise ReadOnlyError(f"You do not have write access to {self.path}, so it is read-only for you.")
        # The lock file is shared exactly as the record is (or will be): group members must open it.
        record = self.folder.lstat(self.name)
        mode = stat.S_IMODE(record.st_mode) & 0o660 if record else self.folder.new_file_mode(self.shared)
        self._lock.acquire(timeout, mode | 0o600)
        self.folder.remove_orphans(self.name)

    def lock_is_current(self) -> bool:
        """Is the lock we hold still the lock file (not removed or replaced by someone meanwhile)?"""
        return self._lock.fd is not None and self.folder.is_current(self.lock_file.name, self._lock.fd)

    def holders(self) -> list[Holder]:
        """Who holds the write lock now (login and pid), for messages while waiting."""
        return self._lock.holders()

    # -- the write token --------------------------------------------------------------------
    # Each write leaves a random token in the lock file. Inside the lock, a matching token plus a
    # matching (inode, size, mtime) proves our cached parse is the file on disk, even if the
    # filesystem reused an inode within one timestamp tick.
    def read_token(self) -> str:
        assert self._lock.fd is not None
        return os.pread(self._lock.fd, TOKEN_BYTES, 0).decode("ascii", "replace")

    def read_token_unlocked(self) -> str:
        """The token as it is now, without the lock: a torn read only causes a harmless re-read."""
        try:
            raw = self.folder.read_start(self.lock_file.name, TOKEN_BYTES)  # never the whole of a planted giant
        except StoreError:
            return ""  # an odd lock file is for writers to refuse; readers just read the record again
        return raw.decode("ascii", "replace")

    def _write_token(self, token: str) -> None:
        assert self._lock.fd is not None
        os.pwrite(self._lock.fd, token.encode("ascii")[:TOKEN_BYTES].ljust(TOKEN_BYTES), 0)

    # -- reading and writing ----------------------------------------------------------------
    def read_bytes(self) -> tuple[bytes, Signature | None]:
        """The file's bytes and the signature of exactly that file (b'' if there is none)."""
        return self.folder.read(self.name)

    def signature(self) -> Signature | None:
        return self.folder.signature(self.name)

    def replace_with(
        self, chunks: list[str] | str, expected: Signature | None = None, check: bool = False, encoding: str = "utf-8"
    ) -> tuple[Signature, str]:
        """Atomically replace the file with this text. Must hold the lock.

        With ``check``, first make sure our lock is still the lock file and the file is still the one
        read under it (``expected``): if someone deleted the lock file while we held it ("clearing a
        stale lock"), a second writer may have saved meanwhile, and replacing the file would erase that.
        Returns the new file's signature and the token now in the lock file.
        """
        if not self.locked:
            raise RuntimeError("replace_with needs the lock")
        # Checked once the new text is on disk, just before the rename: the narrowest window there is.
        last_check = (lambda: self._check_still_ours(expected)) if check else None
        sig = self.folder.replace(
            self.name,
            [chunks] if isinstance(chunks, str) else chunks,
            shared=self.shared,
            before_rename=last_check,
            encoding=encoding,
        )
        token = secrets.token_hex(TOKEN_BYTES // 2)
        self._write_token(token)
        return sig, token

    def create_empty(self) -> bool:
        """Create the file empty if nothing has that name yet; True if this call did. Needs no lock:
        creating a file only where there is none cannot replace anything, and an empty file holds
        nothing a writer could lose by replacing it (see ``_check_still_ours``)."""
        return self.folder.create_empty(self.name, self.shared)

    def _check_still_ours(self, expected: Signature | None) -> None:
        if self._lock.fd is None or not self.folder.is_current(self.lock_file.name, self._lock.fd):
            raise WriteFailedError(
                f"Not saved: the lock file {self.lock_file} was removed or replaced while this save held it, "
                "so another session may be saving at the same time. Nothing was changed; try again."
            )
        now = self.signature()
        if now != expected and not (_holds_nothing(now) and _holds_nothing(expected)):
            raise WriteFailedError(
                f"Not saved: {self.path.name} was replaced by another writer while this save held the lock "
                "(was the lock file removed?). Nothing was changed; try again."
            )

    @property
    def writable(self) -> bool:
        return self.folder.can_write(self.name)


READ_ONLY_MODES = ("r", "rb")
READ_WRITE_MODES = ("r+", "rb+")
_SURROGATE_ESCAPE_TEXT = re.compile(r"\\u[dD][89a-fA-F]")


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class SafeJSONStorage(Storage):
    """A TinyDB storage that is safe for several processes: ``TinyDB(path, storage=SafeJSONStorage)``.

    ``read()`` parses the file fresh each time (it returns a private copy TinyDB may mutate).
    ``write()`` replaces the file atomically under the lock; outside ``locked()`` it refuses to
    write over a file that another writer changed since this storage last read it (its bytes, not
    just its time stamp, differ), instead of losing that change. A storage that has not read yet
    writes what it is given, as TinyDB's ``drop_tables`` means it to. Use :class:`SafeTinyDB` to have
    every TinyDB operation run inside the lock.

    It takes TinyDB's ``JSONStorage`` arguments, so ``TinyDB(path, storage=SafeJSONStorage, ...)``
    means what it means there:

    - ``create_dirs``: missing folders are made, one at a time and never through a link.
    - ``encoding``: the file's encoding (UTF-8 if not given). With an encoding outside Unicode,
      characters it lacks are written as JSON escapes unless ``ensure_ascii=False`` is given.
    - ``access_mode``: ``'r+'`` (the default) reads and saves, and creates an empty file as
      JSONStorage does; ``'r'`` only reads: a missing file raises FileNotFoundError and a write
      PermissionError (both also :class:`StoreError`). The modes that write in place are refused
      with ValueError: ``'w'`` would empty the file on opening and ``'a'`` append a second document
      to it, and this storage only ever replaces the whole file.
    - other keywords go to ``json.dumps`` on every write (``indent``, ``sort_keys``,
      ``separators``, ``ensure_ascii``...); ones it does not take are refused on opening.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        create_dirs: bool = False,
        encoding: str | None = None,
        access_mode: str = "r+",
        **kwargs: Any,
    ):
        super().__init__()
        if access_mode not in READ_ONLY_MODES + READ_WRITE_MODES:
            raise ValueError(
                f"access_mode {access_mode!r} is refused: SafeJSONStorage never writes the file in place "
                "('w' would empty it on opening, 'a' would append a second document to it). "
                "Use 'r+' to read and save, or 'r' to only read."
            )
        self.access_mode = access_mode
        self.read_only = access_mode in READ_ONLY_MODES
        self.encoding = codecs.lookup(encoding).name if encoding else "utf-8"
        self.kwargs: dict[str, Any] = {"ensure_ascii": not self.encoding.startswith("utf"), **kwargs}
        try:
            json.dumps({}, **self.kwargs)
        except TypeError as exc:
            raise TypeError(
                f"SafeJSONStorage hands its other keywords to json.dumps, which refused them: {exc}"
            ) from None
        self._decode = encoding is not None  # else the bytes go to json as they are: UTF-8, -16 or -32
        self.tables_only = False  # SafeTinyDB reads only files whose every value is a table
        self.file = LockedFile(path, create_dirs=create_dirs and not self.read_only)
        self._seen = False  # read or written by this storage at least once
        self._last_read: Signature | None = None
        self._last_digest = _digest(b"")
        if self.file.signature() is None:
            if self.read_only:
                raise MissingFileError(
                    f"{self.file.path} does not exist, and it was opened only to read "
                    f"(access_mode={access_mode!r}), so it is not created."
                )
            self._create()

    def _create(self) -> None:
        """An empty file, made on opening as JSONStorage does (without the lock, so no lock file is
        left beside a file that was only opened)."""
        if not self.file.writable:
            raise ReadOnlyFileError(
                f"{self.file.path} does not exist, and you cannot create it: you do not have write access to "
                f"{self.file.folder.path}. Open it with access_mode='r' to only read an existing file."
            )
        self.file.create_empty()

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        if self.read_only:
            raise ReadOnlyFileError(
                f"Not saved: {self.file.path} was opened only to read (access_mode={self.access_mode!r}); "
                "nothing was written."
            )
        if not self.file.locked and not self.file.writable:
            raise ReadOnlyFileError(f"You do not have write access to {self.file.path}, so it is read-only for you.")
        with self.file.lock():
            yield

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock across several reads and writes (one read-modify-write)."""
        with self._write_lock():
            yield

    def read(self) -> dict[str, dict[str, Any]] | None:
        raw, sig = self.file.read_bytes()
        self._seen, self._last_read, self._last_digest = True, sig, _digest(raw)
        if not raw:
            return None
        return self._parse(raw)

    def _parse(self, raw: bytes) -> dict[str, dict[str, Any]]:
        path = self.file.path
        try:
            text = raw.decode(self.encoding) if self._decode else raw
            data = json.loads(text)
        except UnicodeDecodeError as exc:
            raise NotJSONError(
                f"{path} is not {self.encoding} text ({exc.reason}); it may be damaged, or in another encoding. "
                "It has not been changed."
            ) from None
        except json.JSONDecodeError as exc:
            raise NotJSONError(
                f"{path} is not a complete JSON file ({exc.msg}); it may be truncated or damaged, or in "
                "another encoding. It has not been changed.",
                exc,
            ) from None
        except RecursionError:
            raise UnusableFileError(f"{path} nests JSON too deeply to be a record; it has not been changed.") from None
        except ValueError:  # a number of thousands of digits, which Python will not read
            raise UnusableFileError(
                f"{path} holds a number far too long to be a record's; it has not been changed."
            ) from None
        if not isinstance(data, dict) or (self.tables_only and not all(isinstance(t, dict) for t in data.values())):
            raise UnusableFileError(f"{path} is JSON but not a TinyDB file of tables. It has not been changed.")
        escapes = _SURROGATE_ESCAPE_TEXT.search(text) if isinstance(text, str) else _SURROGATE_ESCAPE.search(text)
        if escapes and not self.kwargs["ensure_ascii"] and not _writable_text(data):
            raise UnusableFileError(
                f"{path} holds text that is not valid Unicode (a lone \\ud8xx escape); it was "
                "edited outside the app. It has not been changed."
            )
        # The top level is an object, as TinyDB reads it; each table's shape is TinyDB's to use.
        return cast(dict[str, dict[str, Any]], data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        text = json.dumps(data, **self.kwargs)  # a value JSON cannot hold fails here, before anything is touched
        inside_locked_block = self.file.locked  # then the read was under the same lock: nothing to check
        try:
            with self._write_lock():
                if not inside_locked_block:
                    self._refuse_if_changed()
                sig, _ = self.file.replace_with(text, encoding=self.encoding)
        except UnicodeEncodeError as exc:
            raise WriteFailedError(
                f"Not saved: {self.file.path.name} is kept in {self.encoding}, which cannot hold a character "
                f"of this data ({exc.reason}); nothing was changed. Open it with ensure_ascii=True or a "
                "Unicode encoding."
            ) from None
        self._seen, self._last_read = True, sig
        self._last_digest = _digest(text.encode(self.encoding))

    def _refuse_if_changed(self) -> None:
        """Refuse to write if another writer changed the file since this storage last read it.

        Only a change that replacing the file would lose counts: a file touched or rewritten with the
        same bytes, or one that is now empty or gone, loses nothing. Must hold the lock.
        """
        now = self.file.signature()
        if not self._seen or now == self._last_read or _holds_nothing(now):
            return
        raw, _ = self.file.read_bytes()
        if _digest(raw) == self._last_digest:
            return
        raise StaleWriteError(
            f"{self.file.path.name} changed on disk since it was read; the write was refused "
            "so that change is not lost. Read again and retry."
        )

    def close(self) -> None:
        """Nothing to close: no descriptor of the file is kept between reads and writes (each write
        puts a new file in place, so a kept one would go on reading the old file)."""


class FreshTable(Table):
    """A TinyDB table with no per-process caches: ids and queries always come from the file."""

    default_query_cache_capacity = 0

    def _get_next_id(self) -> int:
        self._next_id = None
        # TinyDB leaves its private id allocator unannotated; it returns the int it allocates.
        next_id: int = super()._get_next_id()  # type: ignore[no-untyped-call]
        return next_id

    def _read_table(self) -> dict[str, Any]:
        self._query_cache.clear()
        return super()._read_table()


def _locked(method_name: str) -> Callable[..., Any]:
    def method(self: LockedTable, *args: Any, **kwargs: Any) -> Any:
        storage = self._storage
        if not isinstance(storage, SafeJSONStorage):
            raise TypeError(f"a LockedTable needs SafeJSONStorage to lock, not {type(storage).__name__}")
        with storage.locked():
            return getattr(FreshTable, method_name)(self, *args, **kwargs)

    method.__name__ = method_name
    return method


class LockedTable(FreshTable):
    """Each write runs its whole read-modify-write (id allocation included) inside the lock."""

    insert = _locked("insert")
    insert_multiple = _locked("insert_multiple")
    update = _locked("update")
    update_multiple = _locked("update_multiple")
    upsert = _locked("upsert")
    remove = _locked("remove")
    truncate = _locked("truncate")


class SafeTinyDB(TinyDB):
    """Plain TinyDB on :class:`SafeJSONStorage` with lock-held writes and no stale caches."""

    table_class = LockedTable

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # TinyDB types its default_storage_class as JSONStorage; any Storage is what it accepts here.
        kwargs.setdefault("storage", SafeJSONStorage)
        super().__init__(*args, **kwargs)
        if isinstance(self.storage, SafeJSONStorage):
            self.storage.tables_only = True  # a file whose values are not all tables is refused, clearly
