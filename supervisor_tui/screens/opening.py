"""The first frame, drawn while the record file opens: which file, and that it is being read.

It needs nothing from the record, the services or pydantic, so it is on the terminal within a few
hundred milliseconds of starting however big the file is; the first section replaces it as soon as
the file has been read (see ``SupervisorApp._open``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
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
    OpeningScreen #no-file { width: 76; max-width: 100%; height: auto; padding: 1 2; border: round $warning; }
    """
    BINDINGS = [
        Binding(
            "n",
            "start_new",
            "New record here",
            id="opening.new",
            tooltip="Start a new, empty record at the place named, for you alone",
        ),
    ]

    def __init__(self, what: str, going_to: str, upgrading: bool = False, *, new_file: Path | None = None) -> None:
        super().__init__()
        self._what, self._going_to, self._upgrading = what, going_to, upgrading
        self._new_file = new_file  # no file was named and there is none here: asked before it is made

    def compose(self) -> ComposeResult:
        yield SectionBar(id="sections")
        what = self._what or "the record"
        with Middle():
            if self._new_file is not None:
                with Center():
                    yield Static(self._no_file_text(self._new_file), id="no-file")
            elif self._upgrading:
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

    @staticmethod
    def _no_file_text(path: Path) -> Text:
        return Text.assemble(
            ("No record file yet", "bold"),
            "\n\nNo file was named (--db, or $SUPERVISOR_TUI_DB), and there is none at\n",
            plain(str(path), "bold"),
            "\n\nIs your team's record kept elsewhere? Quit (ctrl+q) and open it:\n",
            ("  supervisor-tui --db /path/to/team.json", "bold"),
            "\nTo try the app on made-up data: ",
            ("supervisor-tui --demo", "bold"),
            "\n\nPress ",
            ("n", "bold reverse"),
            " to start a new, empty record there, for you alone.",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._new_file is not None if action == "start_new" else True

    def action_start_new(self) -> None:
        """Open the default file as a new record: say so, as for any other file being opened."""
        self._new_file = None
        self.query_one("#no-file", Static).update(plain(f"Opening {self._what or 'the record'}…"))
        self.refresh_bindings()
        cast("SupervisorApp", self.app).start_new_file()
