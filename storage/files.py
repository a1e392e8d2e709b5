"""Files in a shared folder, handled as if a colleague in the same group were hostile.

A team's record lives in a group-writable folder, so anyone in the group can plant names there: a
symlink called ``team.json.lock`` pointing at a colleague's private file, a directory where our temp
file would go, a FIFO instead of the record. Every file of a record is therefore reached through one
descriptor of the record's real folder (``openat``), opened with ``O_NOFOLLOW``, checked to be a plain
file, and never created anywhere else. Replacing a file keeps its group, mode and POSIX access list
(an auditor given read access by an ACL keeps it), and nothing is ever made world-readable.

OS errors become :class:`StoreError` subclasses whose messages say what to do, so no caller shows a
traceback (a traceback prints local variables, which here means personal data).
"""

from __future__ import annotations

import errno
import os
import pwd
import re
import secrets
import stat
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from .errors import MissingFileError, StoreError, UnusableFileError, WriteFailedError

ACL_XATTR = "system.posix_acl_access"
SHARED_MODE = 0o660
# The most a record (or any file read whole here) may be: years of a team's history are tens of MB;
# what is bigger was not written by us, and parsing it would take gigabytes in every session.
MAX_FILE_BYTES = 256 * 1024 * 1024
NOT_WORLD = ~0o007
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
Signature = tuple[int, int, int]  # (inode, size, mtime_ns)


def resolve_record_path(path: str | os.PathLike[str]) -> Path:
    """The real path of a record: a symlink the user gave is followed to the file it names, so the
    change lands in the team's real file (and its lock and temp files sit in the real folder).

    Only links the user can trust are followed (see :func:`follow_trusted_links`): a link a colleague
    planted in a shared folder could otherwise send the user's saves, and what they type, into
    another team's file. A dangling link is refused rather than followed: creating the record
    wherever a link points could write into someone else's home folder.

    A missing folder raises :class:`MissingFileError` (see :func:`make_record_folder`).
    """
    given = Path(path).expanduser().absolute()
    real = follow_trusted_links(given)
    try:
        if real != given and not real.exists() and os.path.islink(given):
            raise UnusableFileError(
                f"{given} is a symbolic link to {real}, which does not exist; a record is never "
                "created through a link. Give the real path instead."
            )
    except OSError as exc:
        raise UnusableFileError(f"{given} cannot be looked at: {exc.strerror}.") from None
    if not real.parent.is_dir():
        if os.path.lexists(real.parent):  # something else by that name: not "missing", nothing to create
            raise UnusableFileError(f"The folder {given.parent} does not exist.")
        raise MissingFileError(f"The folder {given.parent} does not exist.")
    return real


def make_record_folder(path: str | os.PathLike[str]) -> None:
    """Make the missing folders a record's path needs (TinyDB's ``create_dirs``), after
    :func:`resolve_record_path` said only that they are missing. They are made below the last folder
    of the path that exists, reached through trusted links only; a link to somewhere that does not
    exist is refused, as for the record itself: no folder is ever created where a link points."""
    given = Path(path).expanduser().absolute()
    last = given.parent
    while not os.path.lexists(last):
        last = last.parent
    if os.path.islink(last) and not os.path.exists(last):
        raise UnusableFileError(
            f"{last} is a symbolic link to {os.readlink(last)}, which does not exist; folders are never "
            "created through a link. Give the real path instead."
        )
    make_folders(follow_trusted_links(given).parent)


def make_folders(path: Path) -> None:
    """Create the folder ``path`` and any missing folders above it, as ``os.makedirs`` would, but
    safely in a shared place: each is made inside a descriptor of the one above, reached without
    following links, so a link planted on the way fails the call instead of being created through.

    ``path`` is a real path (see :func:`follow_trusted_links`): what exists of it holds no links.
    A new folder is never open to the world; inside a setgid team folder it is the team's, like the
    files there (group read-write-search, setgid), otherwise it gets what the user's umask allows.
    """
    existing, missing = path, list[str]()
    while not os.path.lexists(existing):
        missing.insert(0, existing.name)
        existing = existing.parent
    if ".." in missing:
        raise UnusableFileError(f"The folder {path} goes through '..' inside folders that do not exist yet.")
    fd = _open_folder(existing)
    here = existing
    try:
        for name in missing:
            here = here / name
            parent_setgid = bool(os.fstat(fd).st_mode & stat.S_ISGID)
            mode = 0o2770 if parent_setgid else 0o777 & _umask() & NOT_WORLD
            try:
                os.mkdir(name, 0o700, dir_fd=fd)
                made = True
            except FileExistsError:
                made = False  # made meanwhile by someone else: used if it is a real folder, below
            except OSError as exc:
                raise write_error(exc, here, "creating its folder") from None
            if made:
                try:
                    os.fsync(fd)  # the new folder's name, durably in the one above
                except OSError:
                    pass
            try:
                nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            except OSError as exc:
                if os.path.islink(here):
                    raise UnusableFileError(
                        f"{here} is a symbolic link (made just now by someone else?); a folder is never "
                        "created or used through a link."
                    ) from None
                raise UnusableFileError(f"The folder {here} cannot be opened: {exc.strerror}.") from None
            if made:
                try:
                    os.fchmod(nxt, mode)
                except OSError:
                    pass  # it stays private to the user (0700), which is never less safe
            os.close(fd)
            fd = nxt
    finally:
        os.close(fd)


MAX_LINKS = 40  # as the kernel allows: a loop of links is refused, never followed for ever


def follow_trusted_links(path: Path) -> Path:
    """``path`` with every symbolic link along it followed, as the kernel would, but only through
    links that belong to this user, to root, or to the owner of the folder the link sits in (the
    kernel's own rule for sticky folders, ``fs.protected_symlinks``, applied everywhere). Any other
    link is refused, naming who made it. A name that does not exist yet ends the walk."""
    resolved = Path("/")
    pending = list(path.parts[1:])
    links = 0
    while pending:
        part = pending.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            resolved = resolved.parent
            continue
        candidate = resolved / part
        try:
            st = os.lstat(candidate)
        except FileNotFoundError:
            return candidate.joinpath(*pending)
        except OSError as exc:
            raise UnusableFileError(f"{candidate} cannot be looked at: {exc.strerror}.") from None
        if not stat.S_ISLNK(st.st_mode):
            resolved = candidate
            continue
        links += 1
        if links > MAX_LINKS:
            raise UnusableFileError(f"{path} goes through too many symbolic links (a loop?).")
        _must_trust_link(candidate, st)
        target = Path(os.readlink(candidate))
        if target.is_absolute():
            resolved = Path("/")
        pending = [p for p in target.parts if p != "/"] + pending
    return resolved


def _must_trust_link(link: Path, st: os.stat_result) -> None:
    me = os.geteuid()
    if st.st_uid in (me, 0):
        return
    try:
        if os.stat(link.parent).st_uid == st.st_uid:
            return  # the folder's owner could put anything there anyway
    except OSError:
        pass
    raise UnusableFileError(
        f"{link} is a symbolic link made by {describe_owner(st)}, and links are followed only if they are "
        "yours (or root's, or the folder owner's): one planted in a shared folder could send your saves "
        "into someone else's file. Give the real path of the record instead."
    )


def describe_owner(st: os.stat_result) -> str:
    try:
        return pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        return f"uid {st.st_uid}"


def write_error(exc: OSError, what: Path, doing: str = "saving") -> WriteFailedError:
    """An OS error while writing, as a message a supervisor can act on. Nothing was written."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        why = f"the disk (or your quota) holding {what.parent} is full"
    elif code == errno.EROFS:
        why = f"{what.parent} is on a read-only file system"
    elif code in (errno.EACCES, errno.EPERM):
        why = f"permission denied in {what.parent}"
    elif code == errno.ENAMETOOLONG:
        why = f"the name {what.name} is too long for this file system"
    else:
        why = f"{exc.strerror or exc} ({what})"
    return WriteFailedError(f"Not saved: {why}; nothing was changed while {doing}.")


class Folder:
    """The record's real folder, opened once: every file in it is opened by name relative to it."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = _open_folder(path)
        self._closer = weakref.finalize(self, os.close, self.fd)
        st = os.fstat(self.fd)
        # A setgid folder owned by a group is where a team shares files: new files there are shared.
        self.shared_by_setgid = bool(st.st_mode & stat.S_ISGID)
        self.sticky = bool(st.st_mode & stat.S_ISVTX)
        self.gid = st.st_gid

    # -- looking ---------------------------------------------------------------------------------
    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError as exc:  # the folder's permissions changed under us, say
            raise UnusableFileError(f"{self.path / name} cannot be looked at: {exc.strerror}.") from None

    def can_write(self, name: str) -> bool:
        st = self.lstat(name)
        folder_ok = os.access(self.path, os.W_OK)
        if st is None:
            return folder_ok
        return folder_ok and os.access(name, os.W_OK, dir_fd=self.fd, follow_symlinks=False)

    def new_file_mode(self, shared: bool) -> int:
        """Group read-write where the file is meant to be shared (a setgid group folder, or asked for);
        otherwise what the user's umask allows. Never world-readable either way."""
        return SHARED_MODE if shared or self.shared_by_setgid else 0o666 & _umask() & NOT_WORLD

    # -- reading ---------------------------------------------------------------------------------
    def read(self, name: str, limit: int = MAX_FILE_BYTES) -> tuple[bytes, Signature | None]:
        """A whole file's bytes and the signature of exactly what was read (b'' if there is none).

        A file over ``limit`` bytes is refused unread: every session reads the whole record, and a
        gigabyte planted under its name would take several times that in memory in each of them."""
        fd = self.open_plain(name)
        if fd is None:
            return b"", None
        try:
            st = os.fstat(fd)
            if st.st_size > limit:
                raise self._too_big(name, st.st_size, limit)
            chunks, size = [], 0
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:  # it grew while we read
                    raise self._too_big(name, size, limit)
            return b"".join(chunks), (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError as exc:
            raise UnusableFileError(f"{self.path / name} could not be read: {exc.strerror}.") from None
        finally:
            os.close(fd)

    def read_start(self, name: str, size: int) -> bytes:
        """The first ``size`` bytes of a plain file (b'' if there is none), however big it is."""
        fd = self.open_plain(name)
        if fd is None:
            return b""
        try:
            return os.pread(fd, size, 0)
        except OSError as exc:
            raise UnusableFileError(f"{self.path / name} could not be read: {exc.strerror}.") from None
        finally:
            os.close(fd)

    def open_plain(self, name: str) -> int | None:
        """A read-only descriptor of ``name`` in this folder (never through a link, only a plain file
        with one name), or None if there is nothing by that name. The caller closes it."""
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self.open_refusal(name, exc) from None
        try:
            self.must_be_plain(name, os.fstat(fd))
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _too_big(self, name: str, size: int, limit: int) -> UnusableFileError:
        return UnusableFileError(
            f"{self.path / name} is {size / 1e6:,.0f} MB, more than the {limit / 1e6:,.0f} MB a record file may be, "
            "so it is not read (something other than supervisor-tui made it that big). It has not been changed."
        )

    def signature(self, name: str) -> Signature | None:
        st = self.lstat(name)
        return None if st is None else (st.st_ino, st.st_size, st.st_mtime_ns)

    def create_empty(self, name: str, shared: bool = False) -> bool:
        """Create ``name`` as an empty file if there is nothing by that name (what TinyDB's JSONStorage
        does on opening). Never opens what is there: a link or anything else already under the name
        is left alone, for the reader to refuse. True if this call created it."""
        where = self.path / name
        try:
            fd = os.open(
                name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=self.fd
            )
        except FileExistsError:
            return False
        except OSError as exc:
            raise write_error(exc, where, "creating the file") from None
        try:
            self.fit_new_file(fd, self.new_file_mode(shared))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.sync()
        return True

    # -- the lock file ---------------------------------------------------------------------------
    def open_lock(self, name: str, mode: int) -> int:
        """The lock file, opened read-write without following links; created here if missing.

        ``O_EXCL`` on creation means a dangling link planted under the lock's name makes the open
        fail instead of creating the link's target somewhere else.
        """
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        for _ in range(5):
            try:
                fd = os.open(name, flags, dir_fd=self.fd)
            except FileNotFoundError:
                try:
                    fd = os.open(name, flags | os.O_CREAT | os.O_EXCL, mode, dir_fd=self.fd)
                except FileExistsError:
                    continue  # someone created it (or planted a link) just now: look again
                except OSError as exc:
                    raise self._lock_refusal(name, exc) from None
                self.fit_new_file(fd, mode)
            except OSError as exc:
                raise self._lock_refusal(name, exc) from None
            try:
                self.must_be_plain(name, os.fstat(fd), lock=True)
            except StoreError:
                os.close(fd)
                raise
            return fd
        raise StoreError(f"The lock file {self.path / name} keeps changing; try again in a moment.")

    def is_current(self, name: str, fd: int) -> bool:
        """Is this descriptor still the file called ``name``? (Someone may have removed or replaced
        the lock file while we waited: a lock on the old file would guard nothing.)"""
        st, mine = self.lstat(name), os.fstat(fd)
        return st is not None and (st.st_ino, st.st_dev) == (mine.st_ino, mine.st_dev)

    def _lock_refusal(self, name: str, exc: OSError) -> StoreError:
        where = self.path / name
        if exc.errno == errno.ELOOP:
            return StoreError(
                f"{where} is a symbolic link. A lock file is never followed through a link "
                "(it could point at someone's private file); ask whoever made it to remove it."
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            st = self.lstat(name)
            if st is None:
                return StoreError(
                    f"You cannot create the lock file {where} (no write access to the folder), "
                    "so this record is read-only for you."
                )
            return StoreError(
                f"You cannot write the lock file {where} (owned by {describe_owner(st)}, mode "
                f"{stat.S_IMODE(st.st_mode):04o}); saving needs to read and write it. Ask its owner to run: "
                f"chmod g+rw {where}"
            )
        return write_error(exc, where, "taking the lock")

    def open_refusal(self, name: str, exc: OSError) -> StoreError:
        """Why opening ``name`` failed, as a message a supervisor can act on."""
        where = self.path / name
        if exc.errno == errno.ELOOP:
            return UnusableFileError(
                f"{where} has been replaced by a symbolic link; it is not followed. "
                "Ask whoever made it to put the record file back."
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            return UnusableFileError(f"You do not have permission to read {where}.")
        return UnusableFileError(f"{where} could not be opened: {exc.strerror}.")

    def must_be_plain(self, name: str, st: os.stat_result, lock: bool = False) -> None:
        """Raise UnusableFileError unless the opened ``name`` is a plain file with one name."""
        where = self.path / name
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a folder"
                if stat.S_ISDIR(st.st_mode)
                else "a FIFO"
                if stat.S_ISFIFO(st.st_mode)
                else "a socket"
                if stat.S_ISSOCK(st.st_mode)
                else "a device"
            )
            raise UnusableFileError(f"{where} is {kind}, not a plain file; it has not been touched.")
        if st.st_nlink != 1:
            what = "lock file" if lock else "file"
            raise UnusableFileError(
                f"The {what} {where} has {st.st_nlink} hard links; it might be someone "
                "else's file in disguise, so it is not used."
            )

    # -- replacing a file ------------------------------------------------------------------------
    def replace(
        self,
        name: str,
        chunks: Iterable[str] | Iterable[bytes],
        *,
        shared: bool = False,
        temp_prefix: str | None = None,
        before_rename: Callable[[], None] | None = None,
        encoding: str | None = "utf-8",
    ) -> Signature:
        """Atomically replace (or create) ``name`` with this text: temp file here, fsync, rename,
        fsync the folder. The old file's group, mode and access list carry over (never world bits).

        ``before_rename`` runs once the new text is safely on disk, just before it takes the name:
        the last moment to refuse (writing and syncing a big file takes a while, and a check made
        before it would leave all that time for something to change unseen). Text that ``encoding``
        cannot hold raises UnicodeEncodeError, with the temp file gone and the old file untouched.
        With ``encoding=None`` the chunks are bytes, written exactly as given.
        """
        old = self.lstat(name)
        if old is not None and not stat.S_ISREG(old.st_mode) and not stat.S_ISLNK(old.st_mode):
            self.must_be_plain(name, old)
        prefix = temp_prefix or temp_name_prefix(name)
        tmp = f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"
        target = self.path / name
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, SHARED_MODE, dir_fd=self.fd
            )
        except OSError as exc:
            raise write_error(exc, target) from None
        try:
            try:
                self.fit_like(fd, name, old, shared)
                if encoding is None:  # the chunks are bytes, written as they are
                    with os.fdopen(fd, "wb", closefd=False) as out:
                        out.writelines(cast(Iterable[bytes], chunks))
                        out.flush()
                else:
                    with os.fdopen(fd, "w", encoding=encoding, closefd=False) as fh:
                        fh.writelines(cast(Iterable[str], chunks))
                        fh.flush()
                os.fsync(fd)
                st = os.fstat(fd)
            finally:
                os.close(fd)
            if before_rename is not None:
                before_rename()
            os.replace(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError as exc:
            self._discard(tmp)
            if (
                exc.errno in (errno.EPERM, errno.EACCES)
                and self.sticky
                and old is not None
                and old.st_uid != os.geteuid()
            ):
                raise WriteFailedError(
                    f"Not saved: {self.path} is a sticky folder (mode +t) and {name} belongs to "
                    f"{describe_owner(old)}, so only they can replace it. Ask an administrator to remove the "
                    f"sticky bit (chmod -t {self.path}); nothing was changed."
                ) from None
            raise write_error(exc, target) from None
        except BaseException:
            self._discard(tmp)
            raise
        self.sync()
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def sync(self) -> None:
        try:
            os.fsync(self.fd)
        except OSError:
            pass  # some file systems cannot fsync a folder; the rename itself has happened

    def remove_orphans(self, name: str) -> None:
        """Temp files a killed writer left (we hold the lock, so no live writer has one). Only our own
        naming pattern, only plain files; anything else with a similar name is left alone."""
        pattern = re.compile(re.escape(temp_name_prefix(name)) + r"\d+-[0-9a-f]{8}")
        try:
            entries = list(os.scandir(self.fd))
        except OSError:
            return
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            try:
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.name, dir_fd=self.fd)
            except OSError:
                pass  # someone else's, in a sticky folder: harmless, our temp names never collide

    def _discard(self, tmp: str) -> None:
        try:
            os.unlink(tmp, dir_fd=self.fd)
        except OSError:
            pass

    def fit_new_file(self, fd: int, mode: int) -> None:
        """A file we just created: exactly ``mode`` (not the umask's idea), in the folder's group."""
        try:
            os.fchmod(fd, mode)
            if mode & 0o070:
                os.fchown(fd, -1, self.gid)
        except OSError:
            pass  # not a member of the folder's group: the file keeps the user's own group

    def fit_like(self, fd: int, name: str, old: os.stat_result | None, shared: bool) -> None:
        """Give the new file the old one's group, mode and access list, or a new file's mode."""
        if old is None or not stat.S_ISREG(old.st_mode):
            self.fit_new_file(fd, self.new_file_mode(shared))
            return
        try:
            os.fchown(fd, -1, old.st_gid)
        except OSError:
            pass  # not in that group; the mode still keeps others out
        acl = self._acl_of(name)
        os.fchmod(fd, stat.S_IMODE(old.st_mode) & NOT_WORLD)
        if acl is not None:
            try:
                os.setxattr(fd, ACL_XATTR, acl)
                # The ACL carries the old mode bits (world ones too): take the world bits out again.
                os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & NOT_WORLD)
            except OSError:
                pass  # a file system without ACLs here: the mode alone still applies

    def _acl_of(self, name: str) -> bytes | None:
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except OSError:
            return None
        try:
            return os.getxattr(fd, ACL_XATTR)
        except OSError:
            return None  # no ACL beyond the mode bits, or none supported
        finally:
            os.close(fd)


def _open_folder(path: Path) -> int:
    """A descriptor of the folder, reached one name at a time without following any symbolic link.

    The path was resolved just before (see :func:`resolve_record_path`), so a link met now was
    planted since, by someone swapping a folder on the way for a link to somewhere else: refused.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    if not hasattr(os, "O_PATH"):  # not Linux: the folder as the system finds it
        try:
            return os.open(path, flags)
        except OSError as exc:
            raise UnusableFileError(f"The folder {path} cannot be opened: {exc.strerror}.") from None
    step = os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC  # search access is all a step needs
    fd, here = os.open("/", step), Path("/")
    try:
        for part in path.parts[1:]:
            here = here / part
            try:
                nxt = os.open(part, step, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ENOTDIR, errno.ELOOP) and os.path.islink(here):
                    raise UnusableFileError(
                        f"The folder {path} changed while it was being opened (a part of "
                        "it is now a symbolic link, which is not followed); try again."
                    ) from None
                raise UnusableFileError(f"The folder {path} cannot be opened: {exc.strerror}.") from None
            os.close(fd)
            fd = nxt
        try:
            return os.open(".", flags, dir_fd=fd)
        except OSError as exc:
            raise UnusableFileError(f"The folder {path} cannot be opened: {exc.strerror}.") from None
    finally:
        os.close(fd)


def temp_name_prefix(name: str) -> str:
    return f".{name}.tmp-"


def _umask() -> int:
    """The complement of the process umask, read without changing it (other threads may be creating
    files). Linux reports it in /proc; elsewhere assume the common 022."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return ~int(line.split()[1], 8) & 0o777
    except (OSError, ValueError):
        pass
    return 0o755


def write_private_file(path: str | os.PathLike[str], text: str) -> None:
    """Write a file the user asked for (an export with ``-o``), atomically and never world-readable:
    an old export is never left half-written. Refused clearly for a folder or a missing folder."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise UnusableFileError(f"{target} is a folder; give a file name to write to.")
    folder = Folder(follow_trusted_links(target.parent))  # a colleague's link cannot send it elsewhere
    folder.replace(target.name, [text])
