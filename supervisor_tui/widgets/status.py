"""The status line: who you are and the key you sign with, whether you can write, the audit head, which file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from ..output import visible

MIN_PATH = 24  # columns the file's path gets before the rest of the line gives way

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


@dataclass(frozen=True)
class Status:
    """What the status line says, before it is fitted to the width it has."""

    who: str  # the login, and the SSH client it came from
    login: str
    fingerprint: str  # 'SHA256:…', or '' when the signing key cannot be used
    read_only: bool
    entries: int
    path: str  # the record file, as a shell would show it

    @classmethod
    def of(cls, store: Store) -> Status:
        actor = store.actor
        who = actor.login + (f" via {actor.ssh}" if actor.ssh else "")
        return cls(
            who, actor.login, store.key_fingerprint or "", store.read_only, store.head[0], short_path(store.path)
        )


def fit_status(status: Status, width: int) -> Text:
    """The status line in ``width`` columns. The file is always named: the other parts get shorter
    first (the key's fingerprint, then 'entries', then the SSH client, then all but read-only), then
    the path loses its start ('…/share/supervisor-tui/team.json'), never the file's own name."""
    path, name = visible(status.path), visible(Path(status.path).name)
    heads = _heads(status)
    head = next((h for h in heads if width - h.cell_len >= min(len(path), max(len(name), MIN_PATH))), heads[-1])
    room = width - head.cell_len
    if len(path) > room:
        path = "…" + path[-max(room - 1, len(name)) :]
    return Text.assemble(head, path, no_wrap=True, overflow="ellipsis")


def _heads(status: Status) -> list[Text]:
    """What goes before the path, longest first."""
    fingerprint = status.fingerprint.removeprefix("SHA256:")
    mode = Text(" READ-ONLY ", style="bold reverse") if status.read_only else Text("read-write")
    # The start of the key's fingerprint: enough to compare with 'supervisor-tui verify' or a colleague's.
    long_key = (status.fingerprint[:15] + "…", "") if fingerprint else ("unusable", "bold reverse")
    short_key = (fingerprint[:8], "") if fingerprint else ("unusable", "bold reverse")
    heads = [
        Text.assemble(
            ("you: ", "dim"),
            (visible(who), "bold"),
            ("  key: ", "dim"),
            key,
            "  ",
            mode,
            "  ",
            entries,
            ("  file: ", "dim"),
        )
        for who, key, entries in (
            (status.who, long_key, f"entries: {status.entries}"),
            (status.who, short_key, f"entries: {status.entries}"),
            (status.who, short_key, f"#{status.entries}"),
            (status.login, short_key, f"#{status.entries}"),
        )
    ]
    return [*heads, Text.assemble(*((mode, " ") if status.read_only else ()), ("file: ", "dim"))]


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._status: Status | None = None

    def show(self, store: Store) -> None:
        self._status = Status.of(store)
        self.refresh()

    def render(self) -> Text:
        """Fitted to the width it has now (a narrower window keeps the file's name in view)."""
        return Text("") if self._status is None else fit_status(self._status, self.content_size.width)
