"""The status line: who you are and the key you sign with, whether you can write, the audit head, which file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from ..output import visible

if TYPE_CHECKING:
    from ..services import Store


def short_path(path: str | os.PathLike[str]) -> str:
    """The file as a shell would show it: relative to the working folder when it is inside it, else
    with ~ for the home folder, else whole (so an 80-column line shows the part that tells files apart)."""
    full = Path(path)
    try:
        return str(full.relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the working folder is gone
        pass
    try:
        return "~/" + str(full.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # elsewhere, or no home folder
        return str(full)


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def show(self, store: Store) -> None:
        actor = store.actor
        who = actor.login + (f" via {actor.ssh}" if actor.ssh else "")
        mode = Text(" READ-ONLY ", style="bold reverse") if store.read_only else Text("read-write")
        seq, _ = store.head
        fingerprint = store.key_fingerprint
        # The start of the key's fingerprint: enough to compare with 'supervisor-tui verify' or a colleague's.
        key = (fingerprint[:15] + "…", "") if fingerprint else ("unusable", "bold reverse")
        # The path goes last: on a narrow terminal it is what gets cut.
        self.update(
            Text.assemble(
                ("you: ", "dim"),
                (visible(who), "bold"),
                ("  key: ", "dim"),
                key,
                "  ",
                mode,
                ("  entries: ", "dim"),
                str(seq),
                ("  file: ", "dim"),
                visible(short_path(store.path)),
                no_wrap=True,
                overflow="ellipsis",
            )
        )
