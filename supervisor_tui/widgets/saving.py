"""Writes off the UI thread: each save waits its turn for the record's lock in a thread worker, says
whom it is waiting for, and can be stopped with nothing half-written.

Two ways in. ``RecordForm`` runs its own save through a :class:`Save` and shows the wait inside the
form, where typing goes on meanwhile. Every other change a screen makes (void, stage moves, toggles,
copy a week) awaits :func:`write` from an async worker (``@work`` on a method, :func:`in_background`
for a callback): the screen stays live, and if the write is slow enough to notice a small window says
what it is waiting for, with Esc to stop waiting.

Stopping is the lock's business (``stop_waiting_when``): the wish is checked only until the lock is
taken. A stopped save raises ``LockCancelledError`` (a StoreError, so every screen's existing "Not
saved" path says so) and has written nothing; a save that took the lock first completes, and the
caller reports it as saved.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker, WorkerFailed, get_current_worker

from ..services.waiting import StillSavingError, lock_holders, stop_waiting_when
from .text import plain

T = TypeVar("T")
P = ParamSpec("P")

_writing: weakref.WeakSet[DOMNode] = weakref.WeakSet()  # nodes with a write in flight
NOTICE_AFTER_S = 0.4  # a write quicker than this needs no word; a slower one says what it waits for
CHECK_EVERY_S = 0.25  # how often a waiting notice asks who holds the lock


class Save:
    """One write in progress: the call, the person's wish to stop waiting, and when it began."""

    def __init__(self, call: Callable[..., Any], *args: Any):
        self._call = partial(call, *args)
        self._stop = threading.Event()
        self.started = time.monotonic()

    def run(self) -> Any:
        """Do the write (in a thread worker): it stops waiting for the lock once asked to, or once
        Textual cancels the worker because its screen went away."""
        worker = get_current_worker()
        with stop_waiting_when(lambda: self._stop.is_set() or worker.is_cancelled):
            return self._call()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def slow(self) -> bool:
        return time.monotonic() - self.started >= NOTICE_AFTER_S


class Saved(Message, bubble=False):
    """A save finished: ``result`` is what the save callback returned."""

    def __init__(self, save: Save, result: Any):
        super().__init__()
        self.save, self.result = save, result


class SaveRefused(Message, bubble=False):
    """A save raised: ``error`` is shown by whoever started it (a form under its fields)."""

    def __init__(self, save: Save, error: Exception):
        super().__init__()
        self.save, self.error = save, error


def waiting_words(node: DOMNode, save: Save) -> str:
    """What a slow save is doing now, in words: whose turn it waits for, or that it is writing."""
    if save.stopping:
        return "Stopping: if your save had already begun it will finish, otherwise nothing is changed."
    records = getattr(node.app, "records", None)
    holders = lock_holders(records.store) if records is not None else []
    if holders:
        return f"Waiting for {', '.join(holders[:3])}, who is saving to the record. Esc stops waiting."
    return "Saving…"


async def write(node: DOMNode, call: Callable[..., T], *args: Any) -> T:
    """Run one change (``call(*args)``) in a thread worker and return what it returns, or raise what it
    raised. Await it from an async worker, not from a message handler (that would hold up the node's
    other messages until the write ends). A second write from the same node while the first is in
    flight (a double Enter) is refused with StillSavingError, so no change is ever made twice."""
    if node in _writing:
        raise StillSavingError("your last change is still being saved; this one was not made. Try again in a moment.")
    _writing.add(node)
    save = Save(call, *args)
    worker: Worker[T] = node.run_worker(save.run, thread=True, group="write", exit_on_error=False)
    finished = asyncio.ensure_future(worker.wait())
    notice: WaitingForLock | None = None
    try:
        await asyncio.wait({finished}, timeout=NOTICE_AFTER_S)
        if not finished.done():
            notice = WaitingForLock(save)
            node.app.push_screen(notice)
        return await finished
    except WorkerFailed as failed:
        raise failed.error from None
    finally:
        _writing.discard(node)
        if notice is not None:
            notice.finish()


def in_background(node: DOMNode) -> Callable[[Callable[P, Awaitable[None]]], Callable[P, None]]:
    """For a callback that writes (a prompt's answer, say): run it as an async worker of ``node`` so
    that awaiting :func:`write` inside it holds up nothing else."""

    def wrap(callback: Callable[P, Awaitable[None]]) -> Callable[P, None]:
        @wraps(callback)
        def start(*args: P.args, **kwargs: P.kwargs) -> None:
            node.run_worker(callback(*args, **kwargs), group="write-flow")

        return start

    return wrap


class WaitingForLock(ModalScreen[None]):
    """Shown while a screen's change waits for the lock: for whom, and Esc to stop waiting."""

    DEFAULT_CSS = "WaitingForLock { align: center middle; }"
    BINDINGS = [
        Binding(
            "escape",
            "stop",
            "Stop waiting",
            id="waiting.stop",
            tooltip="Stop waiting for the record: nothing is changed unless the save had already begun",
        )
    ]

    def __init__(self, save: Save):
        super().__init__()
        self.save = save
        self._finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(plain(waiting_words(self, self.save)), id="waiting-words")

    def on_mount(self) -> None:
        self.set_interval(CHECK_EVERY_S, self._say_who)

    def _say_who(self) -> None:
        self.query_one("#waiting-words", Static).update(plain(waiting_words(self, self.save)))

    def action_stop(self) -> None:
        self.save.stop()
        self._say_who()

    def finish(self) -> None:
        """The write ended: close, now if on top, or as soon as whatever opened above it closes."""
        self._finished = True
        if self.is_current:
            self.dismiss()

    def on_screen_resume(self) -> None:
        if self._finished:
            self.dismiss()
