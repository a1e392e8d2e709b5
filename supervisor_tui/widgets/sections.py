"""The section bar: every section and its key, the current one highlighted (a tab strip for keyboards)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .text import plain

Sections = list[tuple[str, str, str]]  # (mode, title, key)


class SectionBar(Static):
    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; padding: 0 1; }
    """

    # Shorter titles for a narrow terminal, so every section's key shows at 80 columns.
    SHORT = {"Data protection": "Data"}

    def show(self, sections: Sections, current: str) -> None:
        self._shown = (sections, current)
        width = (self.size.width or self.app.size.width) - 2  # the bar's padding
        self.update(bar(sections, current, width, self.SHORT))

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show(*shown)


def bar(sections: Sections, current: str, width: int, short: dict[str, str]) -> Text:
    """The widest layout that fits ``width``: ' k Title  ' with the full titles, then with the short
    ones, then tight ('k Title ', the key told apart by its style alone), so every key always shows."""
    shortened = [(mode, short.get(title, title), key) for mode, title, key in sections]
    for titles, tight in ((sections, False), (shortened, False), (shortened, True)):
        text = _laid_out(titles, current, tight)
        if text.cell_len <= width:
            return text
    return text


def _laid_out(sections: Sections, current: str, tight: bool) -> Text:
    text = Text()
    for mode, title, key in sections:
        here = mode == current
        text.append(plain(key if tight else f" {key} ", "bold reverse" if here or tight else "bold"))
        text.append(plain(f" {title} " if tight else f"{title} ", "bold reverse" if here else ""))
        if not tight:
            text.append(" ")
    return text
