"""The first frame, drawn while the record file opens: which file, and that it is being read.

It needs nothing from the record, the services or pydantic, so it is on the terminal within a few
hundred milliseconds of starting however big the file is; the first section replaces it as soon as
the file has been read (see ``SupervisorApp._open``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..widgets.sections import SectionBar
from ..widgets.text import plain

if TYPE_CHECKING:
    from ..app import SupervisorApp


class OpeningScreen(Screen):
    DEFAULT_CSS = """
    OpeningScreen #opening, OpeningScreen .note { width: auto; color: $text-muted; }
    """

    def __init__(self, what: str, going_to: str, upgrading: bool = False) -> None:
        super().__init__()
        self._what, self._going_to, self._upgrading = what, going_to, upgrading

    def compose(self) -> ComposeResult:
        yield SectionBar(id="sections")
        what = self._what or "the record"
        with Middle():
            if self._upgrading:
                with Center():
                    yield Static(plain(f"Upgrading {what} to the journal format…"), id="opening")
                with Center():
                    yield Static(plain("(once only; on years of history it takes a little while)"), classes="note")
            else:
                with Center():
                    yield Static(plain(f"Opening {what}…"), id="opening")
        yield Footer()

    def on_mount(self) -> None:
        app = cast("SupervisorApp", self.app)
        self.query_one(SectionBar).show(app.SECTIONS, self._going_to)
