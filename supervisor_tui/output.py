"""What people typed, printed safely: the one place every printer goes through.

Names, notes, reasons and summaries come from people (and from old or tampered records), and each
place they are printed reads some characters as instructions. This module says, once per kind of
printer, how typed text is made inert there:

- **terminal** (:func:`visible`): control characters (C0, DEL, C1), bidi controls, zero-width and
  other format characters, and the Unicode line/paragraph separators become visible escapes such
  as ``\\x1b`` and ``\\u202e``. Data can then never move the cursor, clear the screen, recolour,
  reorder or hide text, or print over a line (``\\r``) or forge a new one (``\\n``).
- **CSV** (:func:`csv_text`, :func:`csv_value`): a cell a spreadsheet would run as a formula gets
  a leading apostrophe (OWASP CSV injection); our own reader takes it off again, so an export
  imports back exactly.
- **Markdown** (:func:`md_text`, :func:`md_line`, :func:`md_table`): data can add no headings,
  lists, quotes, code, HTML, images, links (bare addresses a GFM reader would link included) or
  table cells.
- **HTML** (:func:`html_text`): data is escaped for text and attribute values alike.
- **documents** (:func:`document`): an evidence pack or the manager's report as Markdown or HTML, its
  structure from block kinds alone, every block's text (and every table cell) escaped whole; charts
  (:class:`Svg`, made by ``charts``) in HTML only.

The TUI's Textual-side helpers (literal ``Text``/``Content``, tables and selects that never read
markup, inputs that show a stored value's hidden characters as :func:`glyphs`) live in
``widgets/text.py`` and call this module. No Textual here: the CLI uses it and must start without
Textual.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

# -- terminal ----------------------------------------------------------------------------------
# Control (Cc), format (Cf: bidi controls, zero-width space/joiners, word joiner, BOM, soft
# hyphen...), line and paragraph separators (Zl, Zp) and lone surrogates (Cs, which would make
# printing itself fail). Other non-printable categories (spaces, private use, unassigned) are shown.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_NEWLINE = re.compile(r"\r?\n")


def _escape_hidden(text: str, keep: str) -> str:
    if text.isprintable():  # most lines of a multi-line export: nothing to look at character by character
        return text
    return "".join(
        _escape_char(char) if char not in keep and unicodedata.category(char) in _HIDDEN_CATEGORIES else char
        for char in text
    )


def visible(value: object, *, multiline: bool = False) -> str:
    """``value`` as text that is safe to print on a terminal and shows everything it contains.

    One line by default: a newline or tab in the data shows as ``\\x0a``/``\\x09``, so data cannot
    start a line of its own (a forged "OK" under a FAILED line). ``multiline`` keeps line breaks
    (a Windows CRLF as a plain newline) and tabs, for text that is several lines by nature: an
    export, a note shown as a paragraph. A CR on its own is still shown, as it would print over.
    """
    text = "" if value is None else str(value)
    if text.isprintable():  # the common case: nothing to do (printable excludes every category above)
        return text
    if multiline:
        return "\n".join(_escape_hidden(line, keep="\t") for line in _NEWLINE.split(text))
    return _escape_hidden(text, keep="")


def visible_lines(lines: Iterable[object]) -> str:
    """Several lines of ours as one text, each line made :func:`visible` on its own: a line break or CR
    inside one (a hold's reason typed over two lines) shows as ``\\x0a``, so the text has exactly the
    lines we wrote and data cannot add one that reads as ours ("This cannot be undone. Erase?")."""
    return "\n".join(visible(line) for line in lines)


def glyphs(value: object) -> str:
    """``value`` with each hidden character shown as one visible glyph (a control picture such as
    ``␛`` for C0 controls and DEL, ``�`` for the rest), tabs kept.

    For text being edited: the cursor moves over the real characters, so the shown text must keep
    their count, which an escape such as ``\\x1b`` would not. The value itself is never changed.
    """
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(
        _glyph(char) if char != "\t" and unicodedata.category(char) in _HIDDEN_CATEGORIES else char for char in text
    )


def _glyph(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def shorten(value: str, width: int) -> str:
    """``value`` as :func:`visible` shows it, at most ``width`` characters, with an ellipsis when something
    was cut. Cut after the hidden characters are made visible (an ESC shows as four, ``\\x1b``): cut before,
    a name of 14 came out as 20 and the column cut it again, with no ellipsis to say so."""
    text = visible(value)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


# -- CSV ---------------------------------------------------------------------------------------
# OWASP: a cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets
# (=HYPERLINK(...) phones home, +cmd|' /C calc'!A0 runs a program through DDE).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"
# A plain number such as an NPS of -20 is a number to a spreadsheet too, never a formula: left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(value: object) -> str:
    """One CSV cell, neutralised: a formula-like value gets a leading apostrophe.

    A value that really starts with an apostrophe gets one too, so the reader can always tell
    our guard from the data (``'Quoted`` is written ``''Quoted``) and :func:`csv_value` undoes
    exactly what was added.
    """
    text = "" if value is None else str(value)
    if text.startswith(_GUARD) or (text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)):
        return _GUARD + text
    return text


def csv_value(cell: str) -> str:
    """The stored value behind a cell :func:`csv_cell` wrote: its guard apostrophe taken off.

    Only an apostrophe followed by a formula character or another apostrophe is a guard; any
    other leading apostrophe (``'tis``, from a file we did not write) is data and stays.
    """
    if cell.startswith(_GUARD) and cell[1:2] and (cell[1] == _GUARD or cell[1] in _FORMULA_START):
        return cell[1:]
    return cell


def _csv_field(cell: str) -> str:
    """RFC 4180 quoting. Done here rather than by ``csv.writer``: with a "\\n" line end, csv.writer
    leaves a carriage return unquoted, and a typed CR then splits the row for every reader."""
    if any(char in cell for char in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(columns: list[str], rows: Iterable[Mapping[str, object]]) -> str:
    """Every CSV export: a header of our column names, then each row's cells neutralised."""
    lines = [",".join(_csv_field(column) for column in columns)]
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:  # a row with a column the header does not have is a programming error, never dropped
            raise ValueError(f"row has columns not in the header: {', '.join(sorted(unknown))}")
        lines.append(",".join(_csv_field(csv_cell(row.get(column, ""))) for column in columns))
    return "\n".join(lines) + "\n"


# -- Markdown ----------------------------------------------------------------------------------
# Backslash-escaping ASCII punctuation is always valid CommonMark and takes its meaning away.
# These have a meaning anywhere in a line: code, emphasis, links and images, HTML and autolinks,
# entities (&#x202e; would decode to a bidi override), table cells, strikethrough, and the
# common extensions (math, footnotes, attributes).
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>!&|~#{}$^])")
# These mean something only at the start of a line (CommonMark's own definitions): a bullet
# ('-' or '+' then a space or the end), a setext underline or thematic break ('---', '==='), an
# ordered list ('1.' or '1)' then a space or the end). '-20' or '1.5 hours' mean nothing and stay.
_MD_LINE_START = re.compile(r"[-+](?=[ \t]|$)|[-=]+[ \t]*$|[0-9]{1,9}(?=[.)](?:[ \t]|$))")
# GFM (GitHub, GitLab, most viewers) and markdown-it's linkify make links of bare addresses too:
# 'http://x', 'www.x.com', 'x.com/y'. Escaping the ':' before '//' and a '.' between a word character
# and a letter breaks each of them ('e.g.' reads 'e\\.g.' in the source, the same on the page). An
# e-mail address stays a link in cmark-gfm, which reads it after escapes are undone; it can only open a
# mail client, never load anything.
_MD_AUTOLINK = re.compile(r":(?=//)|(?<=\w)\.(?=[^\W\d_])")


def _md_line(line: str) -> str:
    # Leading spaces or a tab would make an indented code block: the text keeps its words only.
    line = _MD_AUTOLINK.sub(r"\\\g<0>", _MD_ANYWHERE.sub(r"\\\1", line.lstrip(" \t")))
    start = _MD_LINE_START.match(line)
    if start is None:
        return line
    at = start.end() if line[0].isdigit() else 0  # before the list number's '.' or ')', else the mark
    return line[:at] + "\\" + line[at:]


def _md_lines(value: object) -> list[str]:
    """The non-blank lines of ``value`` (any line break counts), each made inert, with control and
    invisible characters shown."""
    text = "" if value is None else str(value)
    lines = (_md_line(visible(line, multiline=True)) for line in text.splitlines())
    return [line for line in lines if line.strip()]


def md_text(value: object) -> str:
    """Paragraph or list-item text. Its lines stay lines (hard breaks) inside the one block: a
    blank line cannot end the block and start a paragraph that looks like the document's own."""
    return "\\\n".join(_md_lines(value))


def md_line(value: object) -> str:
    """Text for one line only, a heading or a table cell: line breaks become spaces, so a typed
    ``|`` or line break cannot split a table row."""
    return " ".join(_md_lines(value))


def md_table(columns: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    """A GFM table's lines: the header, the delimiter row, then one line per row, every cell escaped."""
    lines = ["| " + " | ".join(md_line(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_line(value) for value in row) + " |" for row in rows]
    return lines


# -- HTML --------------------------------------------------------------------------------------
def html_text(value: object, *, breaks: bool = False) -> str:
    """Text for an HTML page, safe in element content and in quoted attribute values alike.

    Control and invisible characters are shown as in the terminal, so a bidi override cannot
    reorder what a reader of the page sees. ``breaks`` keeps the text's line breaks as ``<br>``.
    """
    text = html.escape(visible(value, multiline=True), quote=True)
    return text.replace("\n", "<br>\n") if breaks else text


# -- documents ---------------------------------------------------------------------------------
TextKind = Literal["h1", "h2", "h3", "p", "li"]


@dataclass(frozen=True)
class Table:
    """A table block: our column names and rows of cells, any of which may hold what people typed."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Svg:
    """A chart block, drawn by ``supervisor_tui.charts`` (the one place that makes one: every label in it
    is escaped there). Shown in HTML only: a Markdown document gives the figures as a table beside it."""

    markup: str


Block = tuple[TextKind, str]  # (kind, text); a document's first block is its title
# What a document may hold: text blocks, tables, and (in HTML) charts.
DocumentBlock = Block | tuple[Literal["table"], Table] | tuple[Literal["svg"], Svg]
_MD_MARKS: dict[str, str] = {"h1": "# ", "h2": "## ", "h3": "### ", "li": "- ", "p": ""}
_STYLE = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;color:#000;background:#fff}ul{margin:0}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #777;padding:.15em .4em;"
    "text-align:left;vertical-align:top}svg{display:block;margin:.5em 0}"
    "@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid}table,svg{break-inside:avoid}}"
)


def document(blocks: Sequence[DocumentBlock], fmt: str) -> str:
    """A document (an evidence pack, the manager's report) as Markdown (``md``) or HTML (``html``).

    Its structure comes only from the block kinds: every block's text, ours and what people typed
    alike, is escaped whole, so a "their view" cannot add a heading, a list, a link or a paragraph
    that reads as part of the document. A table's cells are escaped one by one (a typed ``|`` or line
    break cannot add a cell or a row); a chart is left out of Markdown, which has its table instead."""
    if fmt == "md":
        return _md_document(blocks)
    body = "\n".join(_html_block(block) for block in blocks)
    title = html_text(blocks[0][1])
    return (
        f'<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _md_document(blocks: Sequence[DocumentBlock]) -> str:
    lines: list[str] = []
    previous = ""
    for kind, value in blocks:
        if kind == "svg":
            continue
        if lines and not (kind == "li" and previous == "li"):  # a blank line ends each block
            lines.append("")
        previous = kind
        if isinstance(value, Table):
            lines += md_table(list(value.header), value.rows)
        elif isinstance(value, str):
            lines.append(_MD_MARKS[kind] + (md_line(value) if kind.startswith("h") else md_text(value)))
    return "\n".join(lines) + "\n"


def _html_block(block: DocumentBlock) -> str:
    kind, value = block
    if isinstance(value, Svg):
        return value.markup
    if isinstance(value, Table):
        head = "".join(f"<th>{html_text(cell)}</th>" for cell in value.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html_text(cell, breaks=True)}</td>" for cell in row) + "</tr>\n"
            for row in value.rows
        )
        return f"<table>\n<tr>{head}</tr>\n{rows}</table>"
    if kind == "li":
        return f"<ul><li>{html_text(value, breaks=True)}</li></ul>"
    return f"<{kind}>{html_text(value, breaks=kind == 'p')}</{kind}>"
