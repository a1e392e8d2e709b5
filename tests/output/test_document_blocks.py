"""output.document's table and chart blocks: a typed '|' or line break never adds a cell or a row to a
Markdown table, HTML cells are escaped, and a chart is HTML only (Markdown has the table beside it)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from supervisor_tui import charts
from supervisor_tui.output import Table, document

from .hostile import HOSTILE

TABLE = Table(("Name", "Figure"), tuple((value, "1") for value in HOSTILE))
CHART = charts.bar_chart("Figures", ["a", "b"], [1.0, 2.0])


def test_a_markdown_table_keeps_its_cells_whatever_they_hold():
    md = document([("h1", "Title"), ("table", TABLE), ("svg", CHART), ("p", "after")], "md")
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(HOSTILE)  # header, delimiter, one line per row: no line break got in
    assert {len(re.split(r"(?<!\\)\|", line)) for line in rows} == {4}  # two cells each, a typed | escaped
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert sum(t.type == "tr_open" for t in tokens) == 1 + len(HOSTILE)
    assert "<svg" not in md and md.endswith("\n\nafter\n")


def test_an_html_table_escapes_every_cell_and_keeps_the_chart():
    html = document([("h1", "Title"), ("table", TABLE), ("svg", CHART)], "html")
    assert html.count("<tr>") == 1 + len(HOSTILE) and "<th>Name</th>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert CHART.markup in html
