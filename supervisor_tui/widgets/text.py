"""The TUI side of ``supervisor_tui.output``: what people typed, on screen exactly as typed.

Textual reads a plain ``str`` as content markup almost everywhere (a DataTable cell, a Select
option, a palette hit and its help, a toast, ``Static.update``), so a name such as ``Sam [/b]
Jones`` raises and ``[link=...]`` becomes a link. Text from data is therefore always built here as
a literal ``Text`` or ``Content``, with its control and invisible characters made visible by
``output.visible``. Tables and selects that show data are the literal subclasses below, which
turn every ``str`` they are given into literal text, so a new column or option cannot forget.
Inputs and text areas that hold a stored value for editing show its hidden characters as one
glyph each (``output.glyphs``): Textual would otherwise send an ESC in an old record straight to
the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, overload

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Input, Select, TextArea

from ..output import glyphs, visible

_Cell = TypeVar("_Cell")


def plain(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich Text that renders the value literally: '[bold]' stays '[bold]', ESC shows as \\x1b."""
    return Text(visible(value, multiline=multiline), style=style)


def literal(value: object, *, multiline: bool = False) -> Content:
    """A Textual Content that renders the value literally (for APIs that take Content, such as
    the command palette's hits and help)."""
    return Content(visible(value, multiline=multiline))


@overload
def _literal_cell(cell: str) -> Text: ...
@overload
def _literal_cell(cell: _Cell) -> _Cell: ...
def _literal_cell(cell: object) -> object:
    return plain(cell) if isinstance(cell, str) else cell


class LiteralTable(DataTable):
    """A DataTable whose ``str`` cells, column labels and row labels are text, never markup (a
    plain DataTable parses every ``str`` cell with Rich markup). ``add_rows`` and ``add_columns``
    go through these too."""

    def add_column(self, label: Any, *args: Any, **kwargs: Any):
        return super().add_column(_literal_cell(label), *args, **kwargs)

    def add_row(self, *cells: Any, label: Any = None, **kwargs: Any):
        return super().add_row(*(_literal_cell(cell) for cell in cells), label=_literal_cell(label), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, _literal_cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, _literal_cell(value), **kwargs)


def literal_options(options: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Select options with every ``str`` label as literal text (Text keeps type-to-search working)."""
    return [(_literal_cell(label), value) for label, value in options]


class LiteralSelect(Select):
    """A Select whose ``str`` option labels are text, never markup: a person named ``Sam [/b] Jones``
    in a person list would otherwise stop the form from opening."""

    def __init__(self, options: Iterable[tuple[Any, Any]], **kwargs: Any):
        super().__init__(literal_options(options), **kwargs)

    def set_options(self, options: Iterable[tuple[Any, Any]]) -> None:
        super().set_options(literal_options(options))


class _ShowHidden(Highlighter):
    """Shows an Input's control and invisible characters as glyphs, one for one, so the cursor
    still lines up. (Rich has already dropped BEL, BS, VT, FF and CR from the Text it is given.)"""

    def highlight(self, text: Text) -> None:
        shown = glyphs(text.plain)
        if shown != text.plain:
            text.plain = shown


class LiteralInput(Input):
    """An Input for a stored value: what it shows can never be a terminal instruction; the value is
    kept exactly as it is."""

    def __init__(
        self, value: str | None = None, placeholder: str = "", highlighter: Highlighter | None = None, **kwargs: Any
    ):
        super().__init__(value, placeholder, highlighter=highlighter or _ShowHidden(), **kwargs)


class LiteralTextArea(TextArea):
    """A TextArea for a stored value: each line is shown with its hidden characters as glyphs (the
    documented ``get_line`` hook), the document itself unchanged."""

    def get_line(self, line_index: int) -> Text:
        return Text(glyphs(self.document.get_line(line_index)), end="", no_wrap=True)
