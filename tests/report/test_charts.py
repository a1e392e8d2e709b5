"""The report's charts (supervisor_tui.charts) are inert SVG that prints: parsed as XML, they hold no
script, no event attribute, no link or outside reference and no foreignObject; every label people typed is
escaped; each is an image with a title, of a fixed size, black and grey on white."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from supervisor_tui import charts
from supervisor_tui.output import visible

from ..output.hostile import HOSTILE

SHAPES = {"svg", "title", "rect", "text", "line", "polyline", "circle"}
COLOURS = {"#000", "#999", "#555", "#fff", "none"}


def every_chart(labels: list[str]) -> list[str]:
    values = [float(10 * i) for i in range(len(labels))]
    return [
        charts.bar_chart("Met " + labels[0], labels, values).markup,
        charts.paired_bars(labels[1], labels, values, [None, *values[1:]]).markup,
        charts.paired_bars("NPS", labels, [-40.0] * len(labels), values, low=-100, high=100).markup,
        charts.sparkline(labels[2], [1.0, None, 3.0, 2.0, None, 5.0]).markup,
        charts.sparkline("Nothing", []).markup,
    ]


@pytest.mark.parametrize("index", range(5))
def test_a_chart_is_an_inert_image_whatever_its_labels_say(index):
    markup = every_chart(HOSTILE)[index]
    root = ET.fromstring(markup)  # well-formed: a typed '<' or '&' cannot break out
    assert root.tag == "svg" and root.get("role") == "img"
    assert root.get("width") and root.get("height")  # a fixed size
    assert next(iter(root)).tag == "title"
    for element in root.iter():
        assert element.tag in SHAPES, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and "href" not in name.lower() and name != "src"
            assert "url(" not in value and "javascript" not in value.lower()
            if name in ("fill", "stroke"):
                assert value in COLOURS  # black and grey on white: it prints
    text = "".join(root.itertext())
    assert "<script" not in markup.lower() and "foreignobject" not in markup.lower()
    assert "\x1b" not in text and "\u202e" not in text  # hidden characters are shown, as everywhere


def test_labels_are_shown_as_typed_and_cut_with_an_ellipsis():
    root = ET.fromstring(charts.bar_chart("Categories", ["<b>refund</b> & co", "x" * 60], [3.0, 1.0]).markup)
    shown = [t.text for t in root.iter("text")]
    assert "<b>refund</b> & co" in shown
    assert any(s and s.startswith("xxx") and s.endswith("…") and len(s) == charts.LABEL_CHARS for s in shown)
    assert visible("\x1b[2J") in "".join(every_chart(["\x1b[2J", "b", "c"])[0])


def test_every_figure_is_written_beside_its_bar():
    root = ET.fromstring(charts.paired_bars("KPIs", ["CSAT", "FCR"], [86.0, None], [84.0, 70.0]).markup)
    shown = [t.text for t in root.iter("text")]
    assert "86% / 84%" in shown and "— / 70%" in shown
