"""The record's write lock: exclusive, fair, and never fooled by a swapped or linked lock file.

The lock itself is ``flock`` on ``<record>.lock`` (it outlives any writer that crashes: the kernel
drops it with the process). Waiting writers are served in turn: each takes a numbered ticket and
holds an open-file-description lock on that byte of the lock file while it waits, so a writer knows
its turn has come when no lower ticket is still held, and a waiter that dies leaves the queue by
itself. Without a queue, a session saving in a loop can keep winning the race while others time out
with the lock free most of the time.

After taking the lock the writer checks the lock file is still the one on disk under that name:
someone "clearing a stale lock" by deleting it would otherwise let a second writer in beside us.

A person waiting in the app can stop waiting (``stop_waiting_when``): the wish is checked between
attempts, only until the lock is taken, so a stopped save has written nothing and a save that took the
lock first runs to its end. Nothing in between is possible.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pwd
import stat
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import LockCancelledError, LockTimeoutError
from .files import Folder

QUEUE_BYTE = 0  # an OFD lock here guards the ticket counter for a moment
COUNTER_AT = 64  # 8 bytes: the last ticket handed out (the write token lives in bytes 0-63)
_FLOCK_FMT = "hh4xqqi4x"  # Linux struct flock: type, whence, start, len, pid (pid 0 for OFD locks)
_OFD = hasattr(fcntl, "F_OFD_SETLK")


@dataclass(frozen=True)
class Holder:
    pid: int
    login: str

    def __str__(self) -> str:
        return f"{self.login} (pid {self.pid})"


def _ofd(fd: int, cmd: int, kind: int, start: int, length: int) -> tuple[int, int, int]:
    """One OFD byte-range lock call; returns (type, start, length) for F_OFD_GETLK."""
    raw = fcntl.fcntl(fd, cmd, struct.pack(_FLOCK_FMT, kind, os.SEEK_SET, start, length, 0))
    got = struct.unpack(_FLOCK_FMT, raw)
    return got[0], got[2], got[3]


def _try_ofd(fd: int, start: int) -> bool:
    try:
        _ofd(fd, fcntl.F_OFD_SETLK, fcntl.F_WRLCK, start, 1)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise


def _ofd_unlock(fd: int, start: int) -> None:
    _ofd(fd, fcntl.F_OFD_SETLK, fcntl.F_UNLCK, start, 1)


def _tickets_ahead(fd: int, ticket: int) -> int:
    """How many waiters hold a ticket below ours (each still waiting or just taking the lock)."""
    ahead, start = 0, 1
    while start < ticket:
        kind, at, _ = _ofd(fd, fcntl.F_OFD_GETLK, fcntl.F_WRLCK, start, ticket - start)
        if kind == fcntl.F_UNLCK:
            break
        ahead += 1
        start = at + 1
    return ahead


def lock_holders(fd: int) -> list[Holder]:
    """Who holds the flock on this file now, from /proc/locks (empty where that is not readable)."""
    return _holders_of(os.fstat(fd))


def _holders_of(st: os.stat_result) -> list[Holder]:
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    found = []
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == wanted and parts[4].isdigit():
                    pid = int(parts[4])
                    found.append(Holder(pid, _login_of(pid)))
    except OSError:
        pass
    return found


def _login_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Uid:"):
                    return pwd.getpwuid(int(line.split()[1])).pw_name
    except (OSError, KeyError, ValueError):
        pass
    return "another session"


_waiting = threading.local()  # what each thread's current wait should give up on (see stop_waiting_when)


@contextmanager
def stop_waiting_when(stop: Callable[[], bool]) -> Iterator[None]:
    """While this block runs, a wait for the lock on this thread gives up as soon as ``stop()`` is true,
    raising LockCancelledError before anything is written.

    ``stop`` is asked before every attempt to take the lock and never after it is taken: the save
    then runs to its end. So a stopped save has written nothing, and one that got the lock first has
    written everything; the caller learns which from whether it raised.
    """
    previous = getattr(_waiting, "stop", None)
    _waiting.stop = stop
    try:
        yield
    finally:
        _waiting.stop = previous


def _give_up_if_stopped(seen: dict[int, Holder]) -> None:
    stop = getattr(_waiting, "stop", None)
    if stop is not None and stop():
        behind = f" behind {', '.join(str(h) for h in list(seen.values())[:4])}" if seen else ""
        raise LockCancelledError(f"you stopped waiting for the lock{behind}. Nothing was changed.")


class RecordLock:
    """Take and release the exclusive lock on one record's lock file."""

    def __init__(self, folder: Folder, name: str):
        self.folder, self.name = folder, name
        self.fd: int | None = None

    def acquire(self, timeout: float, mode_if_new: int) -> int:
        started = time.monotonic()
        deadline = started + timeout
        seen: dict[int, Holder] = {}
        while True:
            fd = self.folder.open_lock(self.name, mode_if_new)
            try:
                if not self._wait_turn(fd, deadline, seen):
                    raise LockTimeoutError(self._timeout_message(time.monotonic() - started, seen))
            except BaseException:
                os.close(fd)
                raise
            if self.folder.is_current(self.name, fd):
                self.fd = fd
                return fd
            # The lock file was removed or replaced while we waited: a lock on it guards nothing.
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def holders(self) -> list[Holder]:
        """Who holds the lock right now (for 'waiting for alice' messages). Never waits, and never
        opens or creates the lock file: a reader with no write access may ask too."""
        st = self.folder.lstat(self.name)
        return _holders_of(st) if st is not None and stat.S_ISREG(st.st_mode) else []

    # -- waiting in turn -------------------------------------------------------------------------
    def _wait_turn(self, fd: int, deadline: float, seen: dict[int, Holder]) -> bool:
        ticket = self._take_ticket(fd, deadline, seen) if _OFD else 0
        if ticket < 0:
            return False
        try:
            delay = 0.001
            while True:
                _give_up_if_stopped(seen)
                if ticket == 0 or _tickets_ahead(fd, ticket) == 0:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        return True
                    except BlockingIOError:
                        pass
                if time.monotonic() > deadline:
                    return False
                for holder in lock_holders(fd):
                    seen.setdefault(holder.pid, holder)
                time.sleep(delay)
                delay = min(delay * 2, 0.02)
        finally:
            if ticket > 0:
                _ofd_unlock(fd, ticket)

    def _take_ticket(self, fd: int, deadline: float, seen: dict[int, Holder]) -> int:
        """The next number in the queue, held as a lock on that byte; -1 if the deadline passed."""
        while not _try_ofd(fd, QUEUE_BYTE):
            _give_up_if_stopped(seen)
            if time.monotonic() > deadline:
                return -1
            time.sleep(0.0005)
        try:
            raw = os.pread(fd, 8, COUNTER_AT)
            last = struct.unpack("<Q", raw)[0] if len(raw) == 8 else 0
            ticket = last + 1 if last + 1 < 2**62 else 1
            os.pwrite(fd, struct.pack("<Q", ticket), COUNTER_AT)
            if not _try_ofd(fd, ticket):  # only a waiter from before a wrap could hold it
                return 0
            return ticket
        finally:
            _ofd_unlock(fd, QUEUE_BYTE)

    def _timeout_message(self, waited: float, seen: dict[int, Holder]) -> str:
        where = self.folder.path / self.name.removesuffix(".lock")
        if not seen:
            who = "other sessions saving"
        elif len(seen) == 1:
            who = f"{next(iter(seen.values()))}, saving"
        else:
            who = "sessions saving in turn: " + ", ".join(str(h) for h in list(seen.values())[:4])
        return (
            f"Not saved: waited {waited:.0f}s for the lock on {where.name} behind {who}. "
            "Nothing was changed; try again in a moment."
        )
