"""The section bar: every section and its key, the current one highlighted (a tab strip for keyboards)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .text import plain


class SectionBar(Static):
    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, sections: list[tuple[str, str, str]], current: str) -> None:
        text = Text()
        for mode, title, key in sections:
            style = "bold reverse" if mode == current else ""
            text.append(plain(f" {key} ", "bold " + ("reverse" if mode == current else ""))).append(
                plain(f"{title} ", style)
            )
            text.append(" ")
        self.update(text)
