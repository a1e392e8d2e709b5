"""Waiting for the record's write lock, as the screens need it: who holds the lock now, and a way to
stop waiting that never leaves half a save (see storage.lock.stop_waiting_when). The UI reaches the
store only through services, so these are passed on from here."""

from __future__ import annotations

from supervisor_tui.storage import LockCancelledError, Store, StoreError, stop_waiting_when

__all__ = ["LockCancelledError", "StillSavingError", "lock_holders", "stop_waiting_when"]


class StillSavingError(StoreError):
    """A second change asked for while the screen's last one is still being saved (a double Enter):
    refused before it starts, so it is never made twice."""


def lock_holders(store: Store) -> list[str]:
    """Other sessions holding the record's write lock right now, as 'alice (pid 4242)'; asks without
    waiting, and is empty when nobody else holds it."""
    return [str(holder) for holder in store.lock_holders()]
