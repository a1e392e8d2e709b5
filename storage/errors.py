"""Errors raised by the record store. Each carries a message a supervisor can read."""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base class: anything the store refuses to do."""


class UnusableFileError(StoreError):
    """The file is truncated, not JSON, or not a supervisor-tui record. It is never written to."""


class WriteFailedError(StoreError):
    """The operating system refused a write (disk full, permissions, a sticky folder...); nothing was changed."""


class ReadOnlyError(StoreError):
    """The file can be read but this user cannot write it."""


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
