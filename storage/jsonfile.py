"""The JSON file on disk: locking, atomic replacement, permissions, and a TinyDB storage.

TinyDB's own JSONStorage rewrites the file in place (seek, write, truncate) with no lock, so two
processes can interleave and a crash can leave half a file. Here every write goes to a temp file in
the same directory, is fsynced, replaces the old file atomically and the directory is fsynced; an
exclusive flock on a sidecar ``<file>.lock`` (never replaced, so its inode is stable) is held across
the whole read-modify-write. Readers need no lock: they always see a whole old or whole new file.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .errors import LockTimeoutError, ReadOnlyError, StaleWriteError, UnusableFileError

NEW_FILE_MODE = 0o660
LOCK_TIMEOUT_S = 15.0
TMP_MARK = ".tmp-"

Signature = tuple[int, int, int]  # (inode, size, mtime_ns)


def file_signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _tmp_prefix(path: Path) -> str:
    return f".{path.name}{TMP_MARK}"


def _open_private(path: Path, flags: int, like: os.stat_result | None) -> int:
    """Open (creating) a file readable only by owner and group, in the directory's group.

    With ``like`` it copies that file's mode and group, so replacing a file keeps its permissions.
    """
    fd = os.open(path, flags, NEW_FILE_MODE)
    mode = stat.S_IMODE(like.st_mode) if like else NEW_FILE_MODE
    gid = like.st_gid if like else os.stat(path.parent).st_gid
    try:
        os.fchmod(fd, mode & ~0o007)  # never world-readable, whatever the umask or old mode
        os.fchown(fd, -1, gid)
    except PermissionError:
        pass  # not a member of that group: the file keeps the user's own group
    return fd


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parse_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse the file's bytes, refusing anything that is not a whole JSON object of tables."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnusableFileError(
            f"{path} is not a complete JSON file ({exc.msg if hasattr(exc, 'msg') else exc}); "
            "it may be truncated or damaged. It has not been changed."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise UnusableFileError(f"{path} is JSON but not a TinyDB file of tables. It has not been changed.")
    return data


class LockedFile:
    """One JSON file plus its sidecar lock: the primitives the store and the TinyDB storage share."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path).absolute()
        self.lock_file = lock_path(self.path)
        self._lock_fd: int | None = None
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
                    self._release()

    def _acquire(self, timeout: float) -> None:
        if not self.writable:
            raise ReadOnlyError(f"You do not have write access to {self.path}, so it is read-only for you.")
        fd = _open_private(self.lock_file, os.O_RDWR | os.O_CREAT, None) if not self.lock_file.exists() \
            else os.open(self.lock_file, os.O_RDWR)
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeoutError(
                        f"Another session has held the lock on {self.path.name} for over {timeout:.0f}s; "
                        "nothing was saved. Try again in a moment."
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        self._lock_fd = fd
        self._remove_orphans()

    def _release(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _remove_orphans(self) -> None:
        """Temp files left by a writer that died: safe to remove, since we hold the lock."""
        prefix = _tmp_prefix(self.path)
        for entry in os.scandir(self.path.parent):
            if entry.name.startswith(prefix):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass

    # -- the write token --------------------------------------------------------------------
    # Each write leaves a random token in the lock file. Inside the lock, a matching token plus a
    # matching (inode, size, mtime) proves our cached parse is the file on disk, even if the
    # filesystem reused an inode within one timestamp tick.
    def read_token(self) -> str:
        assert self._lock_fd is not None
        return os.pread(self._lock_fd, 256, 0).decode("ascii", "replace")

    def read_token_unlocked(self) -> str:
        """The token as it is now, without the lock: a torn read only causes a harmless re-read."""
        try:
            with open(self.lock_file, "rb") as fh:
                return fh.read(256).decode("ascii", "replace")
        except FileNotFoundError:
            return ""

    def _write_token(self, token: str) -> None:
        assert self._lock_fd is not None
        os.ftruncate(self._lock_fd, 0)
        os.pwrite(self._lock_fd, token.encode("ascii"), 0)

    # -- reading and writing ----------------------------------------------------------------
    def read_bytes(self) -> tuple[bytes, Signature | None]:
        """The file's bytes and the signature of exactly that file (b'' if there is none)."""
        try:
            with open(self.path, "rb") as fh:
                st = os.fstat(fh.fileno())
                return fh.read(), (st.st_ino, st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            return b"", None

    def replace_with(self, chunks: list[str] | str) -> tuple[Signature, str]:
        """Atomically replace the file with this text. Must hold the lock.

        Returns the new file's signature and the token now in the lock file.
        """
        if not self.locked:
            raise RuntimeError("replace_with needs the lock")
        try:
            old = os.stat(self.path)
        except FileNotFoundError:
            old = None
        tmp = self.path.with_name(f"{_tmp_prefix(self.path)}{os.getpid()}-{secrets.token_hex(4)}")
        fd = _open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, old)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                if isinstance(chunks, str):
                    fh.write(chunks)
                else:
                    fh.writelines(chunks)
                fh.flush()
                os.fsync(fh.fileno())
                st = os.fstat(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        _fsync_dir(self.path.parent)
        token = secrets.token_hex(8)
        self._write_token(token)
        return (st.st_ino, st.st_size, st.st_mtime_ns), token

    @property
    def writable(self) -> bool:
        if self.path.exists():
            return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        return os.access(self.path.parent, os.W_OK)


class SafeJSONStorage(Storage):
    """A TinyDB storage that is safe for several processes: ``TinyDB(path, storage=SafeJSONStorage)``.

    ``read()`` parses the file fresh each time (it returns a private copy TinyDB may mutate).
    ``write()`` replaces the file atomically under the lock; outside ``locked()`` it refuses to
    write over a file that changed since this process last read it, instead of losing that change.
    Use :class:`SafeTinyDB` to have every TinyDB operation run inside the lock.
    """

    def __init__(self, path: str, **_: Any):
        super().__init__()
        self.file = LockedFile(path)
        self._last_read: Signature | None = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self.file.lock():
            yield

    def read(self) -> dict[str, dict[str, Any]] | None:
        raw, sig = self.file.read_bytes()
        self._last_read = sig
        if not raw:
            return None
        return parse_bytes(raw, self.file.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        inside_locked_block = self.file.locked  # then the read was under the same lock: nothing to check
        with self.file.lock():
            on_disk = file_signature(self.file.path)
            if not inside_locked_block and on_disk is not None and on_disk != self._last_read:
                raise StaleWriteError(
                    f"{self.file.path.name} changed on disk since it was read; the write was refused "
                    "so that change is not lost. Read again and retry."
                )
            sig, _ = self.file.replace_with(json.dumps(data, ensure_ascii=False))
            self._last_read = sig

    def close(self) -> None:
        pass


class FreshTable(Table):
    """A TinyDB table with no per-process caches: ids and queries always come from the file."""

    default_query_cache_capacity = 0

    def _get_next_id(self) -> int:
        self._next_id = None
        return super()._get_next_id()

    def _read_table(self) -> dict[str, Any]:
        self._query_cache.clear()
        return super()._read_table()


def _locked(method_name: str):
    def method(self: "LockedTable", *args: Any, **kwargs: Any) -> Any:
        with self._storage.locked():
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
    default_storage_class = SafeJSONStorage
