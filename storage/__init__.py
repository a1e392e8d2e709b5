"""The auditable record: a multi-process-safe TinyDB file with a hash-chained audit log. No Textual."""

from typing import TYPE_CHECKING, Any

from .audit import VerifyReport, parse_head, verify
from .entries import changed_fields, entry_view, fields_of
from .erasure import Erasure, ErasureReport
from .errors import (
    ConflictError,
    DamagedRecordError,
    LockCancelledError,
    LockTimeoutError,
    MissingFileError,
    NotFoundError,
    NotJSONError,
    ReadOnlyError,
    ReadOnlyFileError,
    StaleWriteError,
    StoreError,
    UnusableFileError,
    VoidedError,
    WriteFailedError,
)
from .files import write_private_file
from .identity import Actor
from .jsonfile import SafeJSONStorage, SafeTinyDB
from .lock import Holder, stop_waiting_when
from .store import Store, Transaction, load_record, read_record

if TYPE_CHECKING:
    from .verify import RecordReport, verify_record


def __getattr__(name: str) -> Any:
    """``verify_record`` and ``RecordReport`` are imported when first used: verify brings in a process pool
    and signature checking that the app's first frame (and most commands) never need."""
    if name in ("verify_record", "RecordReport"):
        from importlib import import_module

        return getattr(import_module(f"{__name__}.verify"), name)  # (``verify`` here is v1's function)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Actor",
    "ConflictError",
    "DamagedRecordError",
    "Erasure",
    "ErasureReport",
    "Holder",
    "LockCancelledError",
    "LockTimeoutError",
    "MissingFileError",
    "NotFoundError",
    "NotJSONError",
    "ReadOnlyError",
    "ReadOnlyFileError",
    "SafeJSONStorage",
    "SafeTinyDB",
    "StaleWriteError",
    "Store",
    "StoreError",
    "Transaction",
    "UnusableFileError",
    "VerifyReport",
    "VoidedError",
    "WriteFailedError",
    "changed_fields",
    "entry_view",
    "fields_of",
    "load_record",
    "parse_head",
    "read_record",
    "RecordReport",
    "verify_record",
    "stop_waiting_when",
    "verify",
    "write_private_file",
]
