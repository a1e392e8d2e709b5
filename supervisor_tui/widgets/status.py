"""The status line: who you are, which file, whether you can write, and the audit head."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from ..output import visible

if TYPE_CHECKING:
    from ..services import Store


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def show(self, store: Store) -> None:
        actor = store.actor
        who = actor.login + (f" via {actor.ssh}" if actor.ssh else "")
        mode = Text(" READ-ONLY ", style="bold reverse") if store.read_only else Text("read-write")
        seq, _ = store.head
        # The path goes last: on a narrow terminal it is what gets cut.
        self.update(
            Text.assemble(
                ("you: ", "dim"),
                (visible(who), "bold"),
                "  ",
                mode,
                ("  entries: ", "dim"),
                str(seq),
                ("  file: ", "dim"),
                visible(str(store.path)),
                no_wrap=True,
                overflow="ellipsis",
            )
        )
