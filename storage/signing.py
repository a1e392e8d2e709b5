"""Who wrote an entry, provably: each login signs the entries it writes with its own Ed25519 key.

The hash chain proves nothing was changed after the fact, but anyone who can write the record (every
member of the team's group) can append a correctly hashed entry under a colleague's name. A signature
made with a key only that login can read closes the gap, provided a reader can tell which key is
really that login's. Two things establish that:

- **The private key** lives in the user's own config folder (``keys/ed25519``, 0600 in a 0700 folder,
  owned by the user), made on first use. A key file anyone else could read or write is refused: it
  may have been copied, so a new one must be made.
- **The public key is published** beside the record (``team.keys/<login>.pub`` for ``team.json``) in
  a file *owned by that login's uid*. Only that user (or root) can make a file owned by their uid, and
  in the keys folder, which is sticky, only they can replace or remove it. A key written under
  alice's name by bob is a file owned by bob: ``published_key`` says so.

Entries are signed over their hash (the hex text), so a signature covers exactly what the chain does
and survives the erasure of a value (which keeps the hash). Ed25519 comes from ``cryptography``;
nothing here implements any cryptography itself.
"""

from __future__ import annotations

import base64
import binascii
import errno
import functools
import hashlib
import os
import pwd
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from platformdirs import user_config_dir

from .errors import UnusableFileError, WriteFailedError
from .files import write_error

KEY_FILE = "ed25519"
ALGORITHM = "ed25519"
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC
_LOGIN = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._-]{0,63}")  # what a published key's file may be named after


class SigningKeyError(UnusableFileError):
    """A key file that cannot be used: its message says why and what to do."""


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key, as its 32 raw bytes in base64 (how the record and key files hold it)."""

    text: str

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("not a public key (base64 expected)") from None
        if len(raw) != 32:
            raise ValueError("not an Ed25519 public key (32 bytes expected)")
        return cls(text)

    @property
    def fingerprint(self) -> str:
        """'SHA256:…' as OpenSSH prints a key's fingerprint: short enough to read out and compare."""
        digest = hashlib.sha256(base64.b64decode(self.text)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    @functools.cached_property
    def _key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.text))

    def verifies(self, data: bytes, signature: str) -> bool:
        """Whether ``signature`` (base64) is this key's signature of ``data``."""
        try:
            raw = base64.b64decode(signature, validate=True)
            self._key.verify(raw, data)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


class SigningKey:
    """The user's own private key: signs, and knows its public half."""

    def __init__(self, private: Ed25519PrivateKey):
        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = PublicKey(base64.b64encode(raw).decode())

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self._private.sign(data)).decode()

    def __repr__(self) -> str:  # never the private key, in a log or a traceback
        return f"SigningKey({self.public.fingerprint})"


def default_keys_folder() -> Path:
    """Where a user's signing key lives unless told otherwise: ``keys`` in their own config folder
    (``$XDG_CONFIG_HOME/supervisor-tui/keys``, usually ``~/.config/supervisor-tui/keys``)."""
    return Path(user_config_dir("supervisor-tui")) / "keys"


def own_key(folder: Path | None = None) -> SigningKey:
    """The user's signing key, kept in ``folder`` (their own config folder's ``keys``), made on first use.

    Refused, with what to do, if the folder or the file could be read or changed by anyone else, or is
    not the user's own: a private key that may have been copied proves nothing."""
    folder = folder or default_keys_folder()
    _own_private_folder(folder)
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return _make_key(folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SigningKeyError(
                f"{path} is a symbolic link; your signing key must be a plain file. Remove it."
            ) from None
        raise SigningKeyError(f"Your signing key {path} cannot be read: {exc.strerror}.") from None
    try:
        st = os.fstat(fd)
        problem = _private_file_problem(st)
        if problem:
            raise SigningKeyError(
                f"Your signing key {path} {problem}; remove it, and a new one is made the next time you start."
            )
        data = os.read(fd, 4096)
    finally:
        os.close(fd)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise SigningKeyError(
            f"Your signing key {path} is damaged; remove it, and a new one is made next time."
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key; remove it, and a new one is made next time.")
    return SigningKey(key)


def _own_private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder, follow_symlinks=False)
    except OSError as exc:
        raise SigningKeyError(f"The folder for your signing key, {folder}, cannot be made: {exc.strerror}.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise SigningKeyError(f"{folder} must be a folder of your own (it is a link or a file).")
    if st.st_uid != os.geteuid():
        raise SigningKeyError(f"{folder} belongs to someone else; your signing key must be in a folder of your own.")
    if st.st_mode & 0o077:
        raise SigningKeyError(f"{folder} can be opened by other users; run: chmod 700 {folder}")


def _private_file_problem(st: os.stat_result) -> str | None:
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        return "is not a plain file"
    if st.st_uid != os.geteuid():
        return "belongs to someone else"
    if st.st_mode & 0o077:
        return "could be read or changed by other users, so it may have been copied"
    return None


def _make_key(folder: Path) -> SigningKey:
    """A new key, written whole under a temporary name and linked into place: two sessions starting at
    once end up with the same key (the second link fails and it reads the first one's)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = folder / f".{KEY_FILE}-{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, folder / KEY_FILE)
        except FileExistsError:
            return own_key(folder)
    except OSError as exc:
        raise write_error(exc, folder / KEY_FILE, "making your signing key") from None
    finally:
        tmp.unlink(missing_ok=True)
    return SigningKey(private)


# -- publishing ----------------------------------------------------------------------------------
def keys_folder(record: Path) -> Path:
    """Where public keys are published for the record at ``record``: team.json -> team.keys/."""
    return record.with_name(f"{record.stem}.keys")


@dataclass(frozen=True)
class Published:
    """What the published key file of a login holds: the key, or why there is none that counts."""

    key: PublicKey | None
    problem: str | None = None


def publish(record: Path, login: str, key: PublicKey) -> Path:
    """Publish the user's public key beside ``record``, in a file they own (``team.keys/<login>.pub``).

    The keys folder is made on first use: sticky, so no one can remove or replace a colleague's key
    file, and group-writable (and setgid) only where the record's folder is a setgid team folder."""
    if not _LOGIN.fullmatch(login):
        raise SigningKeyError(f"The login {login!r} cannot name a key file.")
    folder = keys_folder(record)
    parent = os.stat(folder.parent)
    shared = bool(parent.st_mode & stat.S_ISGID)
    try:
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o3770 if shared else 0o1750)
    except FileExistsError:
        pass
    except OSError as exc:
        raise write_error(exc, folder, "publishing your public key") from None
    st = os.stat(folder, follow_symlinks=False)
    if not stat.S_ISDIR(st.st_mode):
        raise SigningKeyError(
            f"{folder} must be a folder (it is a link or a file); ask whoever looks after the record."
        )
    line = f"{ALGORITHM} {key.text} {login}\n".encode()
    target, tmp = folder / f"{login}.pub", folder / f".{login}.pub-{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o640)
        try:
            os.fchmod(fd, 0o640)  # readable by the team whatever the umask; never by the world
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.EPERM, errno.EACCES) and (folder / f"{login}.pub").exists():
            raise WriteFailedError(
                f"{target} exists and is not yours, so your key cannot be published under {login!r}; "
                "ask whoever looks after the record to remove it."
            ) from None
        raise write_error(exc, target, "publishing your public key") from None
    return target


def published_key(record: Path, login: str) -> Published:
    """The public key published for ``login`` beside ``record``, if the file is really that login's:
    owned by the login's uid, a single plain file, and not writable by anyone else."""
    if not _LOGIN.fullmatch(login):
        return Published(None, f"{login!r} cannot name a key file")
    path = keys_folder(record) / f"{login}.pub"
    try:
        uid = pwd.getpwnam(login).pw_uid
    except KeyError:
        return Published(None, f"there is no login {login!r} on this machine to own {path}")
    try:
        if not stat.S_ISDIR(os.stat(path.parent, follow_symlinks=False).st_mode):
            return Published(None, f"{path.parent} is not a folder (a link is not followed)")
    except FileNotFoundError:
        return Published(None, f"{login} has published no key ({path} is missing)")
    except OSError as exc:
        return Published(None, f"{path.parent} cannot be read: {exc.strerror}")
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return Published(None, f"{login} has published no key ({path} is missing)")
    except OSError as exc:
        return Published(None, f"{path} cannot be read: {exc.strerror}")
    try:
        st = os.fstat(fd)
        data = os.read(fd, 4096)
    finally:
        os.close(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        return Published(None, f"{path} is not a plain file")
    if st.st_uid != uid:
        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = f"uid {st.st_uid}"
        return Published(None, f"{path} belongs to {owner}, not {login}: someone else wrote a key under {login}'s name")
    if st.st_mode & 0o022:
        return Published(None, f"{path} can be changed by others than {login}")
    fields = data.decode("ascii", "replace").split()
    if len(fields) < 2 or fields[0] != ALGORITHM:
        return Published(None, f"{path} does not hold an {ALGORITHM} key")
    try:
        return Published(PublicKey.parse(fields[1]))
    except ValueError as exc:
        return Published(None, f"{path}: {exc}")
