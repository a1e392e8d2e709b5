"""Redraw once after a burst of keys, not once per key.

A redraw that reads the record (the week's rota, a slot's ranked candidates) costs a few hundred
milliseconds on a year-sized file; run on every key, a burst of typing or of ']' queues that many
redraws on the UI thread, and the keys after them wait. ``poke`` on each key restarts a short timer;
the redraw runs once the keys stop. Anything that reads what the redraw draws calls ``flush`` first.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

waiting: weakref.WeakSet[Debounce] = weakref.WeakSet()  # the ones with a redraw to come (tests wait for these)


class Debounce:
    def __init__(self, node: DOMNode, delay: float, redraw: Callable[[], object]):
        self.node, self.delay, self.redraw = node, delay, redraw
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def poke(self) -> None:
        """A key that changes what is drawn: redraw once the keys stop."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.node.set_timer(self.delay, self.flush)
        waiting.add(self)

    def flush(self) -> bool:
        """Redraw now if one is due (True if it was)."""
        if self._timer is None:
            return False
        self._timer.stop()
        self._timer = None
        waiting.discard(self)
        self.redraw()
        return True
