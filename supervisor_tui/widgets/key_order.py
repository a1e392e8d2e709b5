"""Keys are handled one at a time, in the order they were typed, each by whatever the key before it
left on screen.

Textual's app hands every key to the focused widget as soon as it reads it, and a key's bindings run
only when it has bubbled back up to the app. In a burst (a fast typist, a paste, a slow moment over
SSH) the keys behind ``e`` are therefore handed to the list *before* ``e`` has opened the edit form:
issue 12 found ``e Tab …`` typed over SSH on a year-sized record going to the list in 16 of 16 tries.
(Textualize/textual#6605 is the same race inside one field.)

Here the app holds each key until the one before it has been dealt with, and, if that key opened or
closed a screen, until that screen is up and has its focus; then it hands on the next. A key has been
dealt with when it comes back up to the app and the app's bindings have run, or, if a widget used it on
the way, when a marker posted behind it has made the same trip. A key whose trip is cut short (its
widget removed under it) holds the others back for at most ``TURN_LIMIT`` seconds.

A screen pushed later by a worker (after reading the file) is not covered: keys typed before it is up
go to the screen that was showing, as they would for any app.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.timer import Timer


class KeyDealtWith(Message, bubble=True):
    """Posted behind a key to the widget that took it: reaching the app, it says the key's trip is over."""

    def __init__(self, key: events.Event) -> None:
        super().__init__()
        self.key = key


class KeysInTurn:
    """A mixin for the App (before ``App`` in its bases)."""

    TURN_LIMIT = 0.5  # seconds a key may hold the next one back if its trip is cut short

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._in_turn: events.Event | None = None
        self._turn_screen: Screen | None = None
        self._turn_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._waiting.append(event)
            if self._in_turn is None:
                await self._next_turn()
            return
        await super().on_event(event)  # type: ignore[misc]  # App.on_event
        if event is self._in_turn:  # back up at the app, and its bindings have run
            self._end_turn(event)

    def on_key_dealt_with(self, message: KeyDealtWith) -> None:
        self._end_turn(message.key)

    async def _next_turn(self) -> None:
        app = cast("App", self)
        while self._waiting and self._in_turn is None:
            event = self._waiting.popleft()
            self._in_turn, self._turn_screen = event, app.screen
            self._turn_timer = app.set_timer(self.TURN_LIMIT, partial(self._end_turn, event))
            await super().on_event(event)  # type: ignore[misc]  # priority bindings, else to the focused widget
            if self._in_turn is event:
                (app.focused or app.screen).post_message(KeyDealtWith(event))

    def _end_turn(self, event: events.Event) -> None:
        if event is not self._in_turn:
            return  # a turn that has already ended (its marker, or its time limit, came second)
        if self._turn_timer is not None:
            self._turn_timer.stop()
        self._in_turn = None
        app = cast("App", self)
        if app.screen is not self._turn_screen:
            # The key opened or closed a screen: the next one waits until that screen has been composed,
            # mounted and has put its focus where it wants it.
            app.screen.call_after_refresh(self._resume)
        else:
            app.call_next(self._resume)

    async def _resume(self) -> None:
        if self._in_turn is None:
            await self._next_turn()
