"""output.html_text: typed text in an HTML export is text, in element content and in attributes."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from supervisor_tui.output import html_text

from .hostile import HOSTILE


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("value", HOSTILE + ['" onmouseover="alert(1)', "' autofocus onfocus='x", "</title><script>"])
def test_typed_text_makes_no_tags_and_breaks_out_of_no_attribute(value):
    page = Collect()
    page.feed(f'<p title="{html_text(value)}">{html_text(value)}</p>')
    assert page.tags == ["p"] and [name for name, _ in page.attrs] == ["title"]
    assert "<" not in html_text(value) and ">" not in html_text(value) and '"' not in html_text(value)


def test_a_reader_sees_every_character_and_invisible_ones_are_shown():
    """A bidi override would reorder what the reader of a page sees: it is shown as \\u202e."""
    page = Collect()
    page.feed("<p>" + html_text("<b>Al|ex</b> & \u202eevil") + "</p>")
    assert page.text == "<b>Al|ex</b> & \\u202eevil"


def test_line_breaks_become_br_only_when_asked():
    assert html_text("one\ntwo", breaks=True) == "one<br>\ntwo"
    assert html_text("one\ntwo") == "one\ntwo"
