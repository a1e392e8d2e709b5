"""What every section screen shares: the status line, the footer, and live reload."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

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


class RecordScreen(Screen):
    """A screen showing records: it reloads when the file changes and when it comes back to view.

    Subclasses compose ``compose_top()`` first and ``compose_chrome()`` last.
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown_seq = -1

    @property
    def records(self) -> Records:
        return cast("SupervisorApp", self.app).records

    def compose_top(self) -> ComposeResult:
        yield SectionBar(id="sections")

    def compose_chrome(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self._shown_seq != self.records.store.head[0]:
            self.reload()

    def on_records_changed(self, _: RecordsChanged) -> None:
        self.reload()

    def reload(self) -> None:
        """Redraw from the services. Subclasses extend this and call super()."""
        self._shown_seq = self.records.store.head[0]
        self.query_one(StatusLine).show(self.records.store)
        app = cast("SupervisorApp", self.app)
        self.query_one(SectionBar).show(app.SECTIONS, app.current_mode)
