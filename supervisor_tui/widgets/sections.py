"""The section bar: every section and its key, the current one highlighted (a tab strip for keyboards)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .text import plain


class SectionBar(Static):
    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; padding: 0 1; }
    """

    # Shorter titles for a narrow terminal, so every section's key shows at 80 columns.
    SHORT = {"Data protection": "Data"}

    def show(self, sections: list[tuple[str, str, str]], current: str) -> None:
        self._shown = (sections, current)
        width = self.size.width or self.app.size.width
        full = sum(len(title) + 5 for _mode, title, _key in sections) + 2  # " k " + "Title " + " ", and padding
        if full > width:
            sections = [(mode, self.SHORT.get(title, title), key) for mode, title, key in sections]
        text = Text()
        for mode, title, key in sections:
            style = "bold reverse" if mode == current else ""
            text.append(plain(f" {key} ", "bold " + ("reverse" if mode == current else ""))).append(
                plain(f"{title} ", style)
            )
            text.append(" ")
        self.update(text)

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show(*shown)
