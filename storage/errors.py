"""Errors raised by the record store. Each carries a message a supervisor can read."""

from __future__ import annotations

import json
from typing import Any


class StoreError(Exception):
    """Base class: anything the store refuses to do."""


class UnusableFileError(StoreError):
    """The file is truncated, not JSON, or not a supervisor-tui record. It is never written to."""


class MissingFileError(UnusableFileError, FileNotFoundError):
    """A record's folder does not exist, or a file opened only to read is not there. Also a
    FileNotFoundError, as ``open()`` and TinyDB's own JSONStorage raise, so code written for them
    still catches it."""


class NotJSONError(UnusableFileError, json.JSONDecodeError):
    """A file given to :class:`SafeJSONStorage` that is not JSON in its encoding. Also a
    ``json.JSONDecodeError``, as TinyDB's JSONStorage raises; it keeps where the parse stopped but
    not the file's text (a record's text is personal data)."""

    def __init__(self, message: str, cause: json.JSONDecodeError | None = None):
        Exception.__init__(self, message)
        self.msg = cause.msg if cause else message
        self.doc = ""
        self.pos = cause.pos if cause else 0
        self.lineno = cause.lineno if cause else 1
        self.colno = cause.colno if cause else 1

    def __reduce__(self) -> tuple[type[NotJSONError], tuple[str]]:
        return type(self), (str(self),)


class WriteFailedError(StoreError):
    """The operating system refused a write (disk full, permissions, a sticky folder...); nothing was changed."""


class ReadOnlyError(StoreError):
    """The file can be read but this user cannot write it."""


class ReadOnlyFileError(ReadOnlyError, PermissionError):
    """A write through a :class:`SafeJSONStorage` opened with ``access_mode='r'``, or on a file this
    user cannot write. Also a PermissionError (an ``IOError``), as TinyDB's JSONStorage raises."""


class LockTimeoutError(StoreError):
    """Another session held the write lock for too long."""


class LockCancelledError(StoreError):
    """The person stopped waiting for the write lock before their save began: nothing was written."""


class StaleWriteError(StoreError):
    """A plain-TinyDB write based on data that changed on disk since it was read."""


class NotFoundError(StoreError):
    """No record with that id in that table."""


class DamagedRecordError(StoreError):
    """A stored record that no longer reads as its kind (edited outside the app, or an old poison value)."""


class VoidedError(StoreError):
    """The record is voided: it stays readable but cannot be changed."""


class ConflictError(StoreError):
    """A save based on a version that someone else has since replaced.

    Carries the record as it is now and who changed it, so a screen can show what changed
    and let the user re-apply their edit on top.
    """

    def __init__(
        self,
        table: str,
        record_id: str,
        expected: int,
        current: dict[str, Any],
        changed_by: str,
        changed_at: str,
        fields: list[str],
    ):
        self.table = table
        self.record_id = record_id
        self.expected = expected
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.fields = fields
        what = ", ".join(fields) if fields else "no visible fields"
        super().__init__(
            f"{record_id} was changed by {changed_by} at {changed_at} "
            f"(now version {current.get('version')}, you edited version {expected}; "
            f"they changed: {what})"
        )
