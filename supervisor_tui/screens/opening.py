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
    OpeningScreen #opening { width: auto; color: $text-muted; }
    """

    def __init__(self, what: str, going_to: str) -> None:
        super().__init__()
        self._what, self._going_to = what, going_to

    def compose(self) -> ComposeResult:
        yield SectionBar(id="sections")
        with Middle(), Center():
            yield Static(plain(f"Opening {self._what}…" if self._what else "Opening the record…"), id="opening")
        yield Footer()

    def on_mount(self) -> None:
        app = cast("SupervisorApp", self.app)
        self.query_one(SectionBar).show(app.SECTIONS, self._going_to)
