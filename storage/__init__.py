"""The auditable record: a multi-process-safe TinyDB file with a hash-chained audit log. No Textual."""

from .audit import VerifyReport, parse_head, verify
from .errors import (ConflictError, LockTimeoutError, NotFoundError, ReadOnlyError, StaleWriteError,
                     StoreError, UnusableFileError, VoidedError)
from .identity import Actor
from .jsonfile import SafeJSONStorage, SafeTinyDB
from .store import Store, Transaction, changed_fields, fields_of, load_record

__all__ = [
    "Actor", "ConflictError", "LockTimeoutError", "NotFoundError", "ReadOnlyError", "SafeJSONStorage",
    "SafeTinyDB", "StaleWriteError", "Store", "StoreError", "Transaction", "UnusableFileError",
    "VerifyReport", "VoidedError", "changed_fields", "fields_of", "load_record", "parse_head", "verify",
]
