"""What every section screen shares: the status line, the footer, and live reload."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.sections import SectionBar
from ..widgets.status import StatusLine

if TYPE_CHECKING:
    from ..app import SupervisorApp
    from ..services import Records


class RecordsChanged(Message):
    """Another session saved: ``entries`` are the audit entries it wrote."""

    def __init__(self, entries: list[dict]):
        super().__init__()
        self.entries = entries


class RecordsLoaded(Message, bubble=False):
    """A screen's ``load()`` finished in its worker: ``data``, read at audit position ``seq``, is ready
    for ``show()``."""

    def __init__(self, data: Any, seq: int, asked: int):
        super().__init__()
        self.data, self.seq, self.asked = data, seq, asked


class RecordScreen(Screen):
    """A screen showing records: it reloads when the file changes and when it comes back to view.

    Subclasses compose ``compose_top()`` first and ``compose_chrome()`` last.

    A screen may split its redraw in two: ``load()`` reads what it shows from the services and returns
    it (no widgets touched: it runs in a thread worker after another session's save, so the reading,
    the slow part on a year-sized record, never holds up typing), and ``show(data)`` draws it on the UI
    thread. Such a screen sets ``LOADS_IN_BACKGROUND``. Others extend ``reload()`` and redraw at once.
    """

    LOADS_IN_BACKGROUND = False
    # (mark, what it means) for the marks, letters and columns the screen uses: shown in its help (F1).
    LEGEND: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self._shown_seq = -1
        self._asked = 0  # counts redraws asked for: a background load older than the last one is dropped

    @property
    def records(self) -> Records:
        return cast("SupervisorApp", self.app).records

    def legend(self) -> list[tuple[str, str]]:
        """What the screen's marks mean, for its help; a screen whose marks depend on the record
        (the rota's position letters) works them out here."""
        return list(self.LEGEND)

    def compose_top(self) -> ComposeResult:
        yield SectionBar(id="sections")

    def compose_chrome(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self._shown_seq != self.records.store.head[0]:
            self.reload_in_background()

    def on_records_changed(self, _: RecordsChanged) -> None:
        self.reload_in_background()

    def reload(self) -> None:
        """Redraw from the services now (after the person's own change, or a change of view).
        Subclasses without load()/show() extend this and call super()."""
        self._asked += 1
        self._show_chrome(self.records.store.head[0])
        if self.LOADS_IN_BACKGROUND:
            self.show(self.load())

    def reload_in_background(self) -> None:
        """Redraw after another session's save: read in a thread worker, draw when read."""
        if not self.LOADS_IN_BACKGROUND:
            self.reload()
            return
        self._asked += 1
        self._load_in_thread(self._asked)

    def load(self) -> Any:
        """What the screen shows, read from the services. Runs in a worker thread: no widgets.
        Only screens that set LOADS_IN_BACKGROUND use it, and they override both load() and show()."""
        raise NotImplementedError(f"{type(self).__name__} sets LOADS_IN_BACKGROUND but has no load()")

    def show(self, data: Any) -> None:
        """Draw what ``load()`` returned (UI thread)."""
        raise NotImplementedError(f"{type(self).__name__} sets LOADS_IN_BACKGROUND but has no show()")

    @work(thread=True, exclusive=True, group="reload")
    def _load_in_thread(self, asked: int) -> None:
        seq = self.records.store.head[0]
        self.post_message(RecordsLoaded(self.load(), seq, asked))

    def on_records_loaded(self, message: RecordsLoaded) -> None:
        if message.asked == self._asked:  # else a redraw asked for since then has drawn, or will draw, newer data
            self._show_chrome(message.seq)
            self.show(message.data)

    def void_with_reason(
        self,
        question: str,
        void: Callable[[str], Any],
        done: str,
        *,
        title: str,
        placeholder: str = "reason",
        after: Callable[[], object] | None = None,
    ) -> None:
        """The one way a record (or a batch of them) is voided from a screen: ask why, void in a worker
        (``void(reason)``), say what happened or why not, then redraw (or ``after``). Nothing is deleted:
        a voided record stays readable with its reason."""
        # Here, not at the top: the app shell imports this module before its first frame, which
        # loads neither the services nor pydantic (tests/app/test_opening.py).
        from ..services import StoreError
        from ..widgets.prompt import ReasonPrompt
        from ..widgets.saving import in_background, write

        @in_background(self)
        async def answered(reason: str | None) -> None:
            if reason is None:
                return
            try:
                await write(self, void, reason)
            except (ValueError, StoreError) as exc:  # changed or voided meanwhile, locked, read-only
                self.notify(str(exc), severity="error", title="Not voided")
                return
            self.notify(done, title=title)
            (after or self.reload)()

        self.app.push_screen(ReasonPrompt(question, placeholder), answered)

    def _show_chrome(self, seq: int) -> None:
        self._shown_seq = seq
        self.query_one(StatusLine).show(self.records.store)
        app = cast("SupervisorApp", self.app)
        self.query_one(SectionBar).show(app.SECTIONS, app.current_mode)
