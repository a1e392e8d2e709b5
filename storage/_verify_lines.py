"""The per-line half of ``verify`` for a journal: what can be proved of one line without the lines
before it, done in worker processes over byte ranges of the journal (see :mod:`storage.verify`).

For each line a worker parses the JSON, recomputes the entry's hash and every value's salted digest,
looks for a key given twice in one object, asks :func:`storage.entries.shape_problem`, and checks the
signature against the key the author most probably had (the main process works out the key each
entry really needs, and checks again itself where that guess was wrong). It sends back a few values a
line, never the parsed entries. The main process parses every line itself and does the sequential
checks (seq, links, transactions, replay, the key timeline).

Everything here is a *fast proof* of what :func:`storage.journal.entry_problem` and friends check:
where a line is not in the shape written by the app, or any fast check fails, the line is reported as
not proved and the main process asks the original functions, so every finding and its wording comes
from them. A fast "yes" must therefore always imply the original "yes"; the tests hold the two to it.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import gc
import json
import os
import re
import signal
from collections.abc import Callable
from hashlib import sha256
from json.encoder import encode_basestring as _encode_str
from typing import Any

from .entries import shape_problem
from .jsonfile import count_keys, duplicate_keys, writes_no_key_twice
from .signing import PublicKey

# The canonical form (storage.audit.canonical) without json.dumps' cost of building an encoder on every
# call: json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) is exactly
# JSONEncoder(<these arguments, the rest at their defaults>).encode(obj), and an encoder keeps no state
# between calls. tests/storage/test_verify_parallel.py holds the two to the same bytes on awkward values.
_CANON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
# What that encoder's encode() runs for a dict, made once: the C encoder JSONEncoder.iterencode builds on
# every call, with the same arguments, bar the check for circular references (an entry parsed from JSON
# has none). None where the C accelerator is missing.
_C_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_ENCODE_DICT = _C_ENCODER(None, _CANON.default, _encode_str, None, ":", ",", True, False, True) if _C_ENCODER else None
_HEX64 = re.compile(r"[0-9a-f]{64}").fullmatch
_SCALARS = (str, int, float, bool, type(None))

KeyPlan = dict[str, list[tuple[int, str]]]  # login -> (from the end of which seq, public key), in order
# One line's result: (proved, duplicated key, shape problem, key guessed for the signature, it verifies)
LineResult = tuple[bool, str | None, str | None, str | None, bool]
_PR_SET_PDEATHSIG = 1
SHAPE_UNKNOWN = "\0"  # shape_problem raised here: the main process asks it again, where it raised before

_data: list[bytes] = []  # the journal's files, as the main process read them
_plan: KeyPlan = {}


def canonical(obj: Any) -> bytes:
    """Byte for byte :func:`storage.audit.canonical`, faster."""
    return _CANON.encode(obj).encode("utf-8")


def canonical_dict(obj: dict[str, Any]) -> bytes:
    """:func:`canonical` of a dict without cycles (one parsed from JSON), without building an encoder."""
    if _ENCODE_DICT is None:
        return canonical(obj)
    return "".join(_ENCODE_DICT(obj, 0)).encode("utf-8")


def set_up(data: list[bytes], plan: KeyPlan, parent: int) -> None:
    """A worker's initializer: the journal files' bytes and the key guesses, once (inherited, not copied,
    where the worker is forked), and the process it works for, whose death it does not outlive."""
    global _data, _plan
    _data, _plan = data, plan
    _end_with(parent)


def _end_with(parent: int) -> None:
    """Have the kernel end this worker when ``parent`` ends (Linux): a verify killed (kill -9, the OOM killer)
    would otherwise leave its workers waiting for work forever, each holding a copy of the journal."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(0)


def check_range(part: int, start: int, end: int) -> list[LineResult]:
    """Check the whole lines of bytes ``start`` to ``end`` of file ``part`` (``end`` just after a '\\n')."""
    enabled = gc.isenabled()
    gc.disable()  # nothing here makes cycles; collecting while parsing megabytes only costs time
    try:
        return check_lines(_data[part][start:end].split(b"\n")[:-1], _plan)
    finally:
        if enabled:
            gc.enable()


def check_lines(lines: list[bytes], plan: KeyPlan) -> list[LineResult]:
    out: list[LineResult] = []
    for raw in lines:
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            out.append((False, None, None, None, False))
            continue
        out.append(check_entry(raw, entry, plan))
    return out


def check_entry(raw: bytes, entry: Any, plan: KeyPlan) -> LineResult:
    keys = _proved_keys(entry)
    if keys is None:
        return (False, None, None, None, False)
    twice = None if writes_no_key_twice(raw, keys) else first_duplicate_key(raw)
    try:
        shape = shape_problem(entry)
    except Exception:  # noqa: BLE001 - asked again in the main process, which fails as it always did
        shape = SHAPE_UNKNOWN
    key, good = _check_signature(entry, plan)
    return (True, twice, shape, key, good)


def _proved_keys(entry: Any) -> int | None:
    """The number of keys in the entry's objects if every check of one line (its hash, every value
    against its digest, the types of seq and txn) is proved for it, else None (not proved: it may still
    be sound, in a shape the app never writes; the original checks decide)."""
    if type(entry) is not dict or "d" in entry or type(entry.get("seq")) is not int:
        return None
    txn = entry.get("txn")
    if (
        type(txn) is not list
        or len(txn) != 2
        or type(txn[0]) is not int
        or type(txn[1]) is not int
        or not 1 <= txn[0] <= txn[1]
    ):
        return None
    try:
        keys = len(entry)
        body: dict[str, Any] = {}
        for name, value in entry.items():
            if name == "changes":
                if type(value) is not dict:
                    return None
                keys += len(value)
                changes: dict[str, Any] = {}
                for field, pair in value.items():
                    if type(pair) is not list or len(pair) != 2:
                        return None
                    old, new = pair
                    if old is None:
                        old_keys = 0
                    else:
                        old_keys = _proved_ref(old)
                        if not old_keys:
                            return None
                        old = {"d": old["d"]}
                    new_keys = _proved_ref(new)
                    if not new_keys:
                        return None
                    keys += old_keys + new_keys
                    changes[field] = [old, {"d": new["d"]}]
                body[name] = changes
            elif name == "reason" and value is not None:
                found = _proved_ref(value)
                if not found:
                    return None
                keys += found
                body[name] = {"d": value["d"]}
            elif isinstance(value, _SCALARS):
                if name != "hash" and name != "sig":
                    body[name] = value
            elif _flat(value):  # a list of scalars (txn)
                if name != "hash" and name != "sig":
                    body[name] = value
            elif type(value) is dict and "d" not in value and all(map(_flat, value.values())):
                # e.g. an erasure's "erases": {"fields": [...], "reasons": bool}, hashed as it stands
                keys += len(value)
                if name != "hash" and name != "sig":
                    body[name] = value
            else:
                return None
        if entry.get("hash") != sha256(canonical_dict(body)).hexdigest():
            return None
    except (TypeError, ValueError, RecursionError):
        return None
    return keys


def _proved_ref(ref: Any) -> int:
    """The number of keys in a value reference (counting those inside its value) if it is one
    (:func:`storage.journal.is_value_ref`) and, holding its value, that value matches its digest
    (:func:`storage.journal.value_digest`); else 0. May raise what hashing a value raises."""
    if type(ref) is not dict:
        return 0
    n = len(ref)
    if n == 1:
        digest = ref.get("d")
        return 1 if type(digest) is str and _HEX64(digest) else 0
    salt = ref.get("s")
    if n != 3 or "v" not in ref or type(salt) is not str:
        return 0
    value = ref["v"]
    # equal to a sha256 hexdigest, "d" is 64 lowercase hex digits: a reference, as is_value_ref has it
    if sha256(bytes.fromhex(salt) + _canonical_value(value)).hexdigest() != ref.get("d"):
        return 0
    kind = type(value)
    return 3 + count_keys(value) if kind is dict or kind is list else 3


def _canonical_value(value: Any) -> bytes:
    """:func:`canonical`, with the values a journal holds most often done without the encoder's call."""
    kind = type(value)
    if kind is str:
        return _encode_str(value).encode("utf-8")  # what JSONEncoder.encode returns for a str
    if value is None:
        return b"null"
    if value is True:
        return b"true"
    if value is False:
        return b"false"
    return _CANON.encode(value).encode("utf-8")


def _flat(value: Any) -> bool:
    """A scalar, or a list of scalars: what the hash and the digests see as it stands."""
    return isinstance(value, _SCALARS) or (type(value) is list and all(isinstance(v, _SCALARS) for v in value))


def first_duplicate_key(raw: bytes) -> str | None:
    """The first key given twice in one object of the JSON line ``raw``, or None."""
    twice = duplicate_keys(raw)
    return twice[0] if twice else None


def _check_signature(entry: dict[str, Any], plan: KeyPlan) -> tuple[str | None, bool]:
    signer = entry.get("signer") or entry.get("actor")
    sig = entry.get("sig")
    if not isinstance(signer, str) or not isinstance(sig, str):
        return None, False
    txn = entry["txn"]
    key = guess_key(plan, signer, entry["seq"] + txn[1] - txn[0])
    if not key:
        return None, False
    return key, verifies(key, entry["hash"], sig)


def guess_key(plan: KeyPlan, login: str, txn_end: int) -> str | None:
    """The key ``login`` most probably had at the end of the transaction ending at ``txn_end``."""
    found = None
    for since, key in plan.get(login, ()):
        if since > txn_end:
            break
        found = key
    return found


def verifies(key: str, digest: str, sig: str) -> bool:
    """:meth:`PublicKey.verifies` of the entry hash ``digest``, libsodium first where it is installed.

    libsodium accepts a strict subset of the signatures OpenSSL does (the same equation on the same
    decoded point, plus refusals of non-canonical encodings and small-order points), so a signature it
    accepts is one OpenSSL accepts; one it refuses is asked of OpenSSL, whose answer is the finding."""
    data = digest.encode("ascii")
    if _sodium_open is not None:
        try:
            raw_key = base64.b64decode(key, validate=True)
            raw_sig = base64.b64decode(sig, validate=True)
        except (binascii.Error, ValueError):
            pass
        else:
            if len(raw_key) == 32 and len(raw_sig) == 64:
                try:
                    _sodium_open(raw_sig + data, raw_key)
                    return True
                except Exception:  # noqa: BLE001 - refused, or an error: OpenSSL decides
                    pass
    try:
        return PublicKey.parse(key).verifies(data, sig)
    except ValueError:
        return False


def _sodium() -> Callable[[bytes, bytes], bytes] | None:
    """PyNaCl's libsodium Ed25519 check (``crypto_sign_open``), about twice as fast as OpenSSL's here (see
    :func:`verifies`); None without PyNaCl (a dependency, but the checks stand without it)."""
    try:
        from nacl.bindings import crypto_sign_open
    except ImportError:  # pragma: no cover
        return None
    return crypto_sign_open


_sodium_open = _sodium()


__all__ = ["canonical", "check_lines", "check_range", "first_duplicate_key", "guess_key", "set_up", "verifies"]
