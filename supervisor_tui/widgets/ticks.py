"""Tick boxes that say ticked or not by their glyph, not only by colour: 'X' ticked, a blank box not.

Textual draws every box with the same 'X' and tells them apart by colour alone, which a Linux console
with NO_COLOR, a monochrome terminal or a colour-blind reader does not see.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

TICKED, UNTICKED = "X", " "


class TickBox(Checkbox):
    """A Checkbox whose box holds an X when ticked and nothing when not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = TICKED if self.value else UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        super().watch_value()  # the -on class and the Changed message, as Textual's box does
        self.refresh()


class TickList(SelectionList[str]):
    """A SelectionList whose boxes hold an X for the chosen options and nothing for the others."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:  # below the last option: no box on this line
            return strip
        segments = list(strip)
        # SelectionList draws [left, inner, right, space, …prompt]: the inner one is the box's content.
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        glyph = TICKED if option.value in self.selected else UNTICKED
        segments[1] = Segment(glyph, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
