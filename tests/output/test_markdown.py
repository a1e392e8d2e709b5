"""output.md_text / md_line / md_table: typed text adds no structure to a Markdown export."""

from __future__ import annotations

import random

import pytest
from markdown_it import MarkdownIt

from supervisor_tui.output import md_line, md_table, md_text, visible

from .hostile import HOSTILE

MD = MarkdownIt("commonmark").enable("table")
# As GitHub and most viewers read it: tables, strikethrough, and bare addresses made links (linkify).
GFM = MarkdownIt("gfm-like")
# What typed text may produce: text and the line breaks it had, nothing else.
INLINE_OK = {"text", "softbreak", "hardbreak"}


def inline_children(markdown: str) -> list:
    return [child for token in MD.parse(markdown) if token.type == "inline" for child in token.children or []]


def rendered_text(markdown: str) -> str:
    """The words a reader sees, line breaks as newlines."""
    return "".join("\n" if child.type.endswith("break") else child.content for child in inline_children(markdown))


def block_types(markdown: str) -> list[str]:
    return [token.type for token in MD.parse(markdown) if token.type != "inline"]


CASES = [
    ("# Heading", "an ATX heading"),
    ("Sam\n===", "a setext heading under a line"),
    ("Sam\n---", "setext, '-'"),
    ("> quoted", "a block quote"),
    ("- item", "a bullet"),
    ("+ item", "a '+' bullet"),
    ("* item", "a '*' bullet"),
    ("1. first", "an ordered list"),
    ("1) first", "an ordered list with ')'"),
    ("---", "a thematic break"),
    ("* * *", "a spaced thematic break"),
    ("___", "an underscore thematic break"),
    ("    indented code", "an indented code block"),
    ("\tcode", "a tab-indented code block"),
    ("```\nfenced\n```", "a fenced code block"),
    ("~~~\nfenced\n~~~", "a tilde fence"),
    ("`code`", "inline code"),
    ("<script>alert(1)</script>", "raw HTML"),
    ("<div>\nblock\n</div>", "an HTML block"),
    ("<!-- comment -->", "an HTML comment hiding what follows"),
    ("<http://x>", "an autolink"),
    ("![img](http://x/y.png)", "an image: a tracking pixel"),
    ("[link](http://x)", "a link"),
    ("[link][ref]\n\n[ref]: http://x", "a reference link and its definition"),
    ("*em* _em_ **strong**", "emphasis"),
    ("&#x202e;evil &amp;", "entities: &#x202e; would decode to a bidi override"),
    ("a | b", "a table cell break"),
    ("\\[x](y)", "a backslash that would cancel our escape"),
    ("para\n\n# after a blank line", "a new block"),
    ("\u202eevil\u200d", "bidi and zero-width characters"),
    ("\x1b[31mred", "an ANSI escape"),
]


@pytest.mark.parametrize("value, why", CASES)
def test_paragraph_text_is_one_paragraph_of_text(value, why):
    markdown = md_text(value)
    assert block_types(markdown) in ([], ["paragraph_open", "paragraph_close"]), why
    assert {child.type for child in inline_children(markdown)} <= INLINE_OK, why
    # Every character is still there for the reader (blank lines and leading indentation aside).
    lines = [visible(line, multiline=True).lstrip(" \t") for line in value.splitlines()]
    assert rendered_text(markdown) == "\n".join(line for line in lines if line.strip()), why


@pytest.mark.parametrize("value, why", CASES)
def test_a_list_item_stays_one_item_and_a_heading_one_heading(value, why):
    item = MD.parse("- " + md_text(value) + "\n\nAfter.")
    assert [t.type for t in item if t.type.endswith("_open")] == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "paragraph_open",
    ], why
    heading = MD.parse("## " + md_line(value))
    assert [t.type for t in heading if t.type != "inline"] in (["heading_open", "heading_close"],), why
    assert {child.type for child in inline_children("## " + md_line(value))} <= {"text"}, why


@pytest.mark.parametrize("value, why", CASES)
def test_a_table_cell_stays_one_cell_of_one_row(value, why):
    markdown = "\n".join(md_table(["who", "what"], [[value, "x"], ["next", value]]))
    tokens = MD.parse(markdown)
    assert sum(t.type == "tr_open" for t in tokens) == 3, why  # the header and exactly two rows
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    assert len(cells) == 6, why
    assert {child.type for child in inline_children(markdown)} <= {"text"}, why


def test_our_own_readable_text_stays_readable():
    """Only what could mean something is escaped: numbers, times and prose read as they are."""
    assert md_text("-20") == "-20" and md_text("1.5 hours") == "1.5 hours"
    assert md_line("22:00-06:00 tills (late); O'Brien: 80%") == "22:00-06:00 tills (late); O'Brien: 80%"


def test_line_breaks_stay_inside_their_block_as_hard_breaks():
    """A blank line in 'their view' cannot end the paragraph and start one that reads as the pack's own."""
    assert md_text("I agree\n\nFinal result: completed") == "I agree\\\nFinal result: completed"
    assert md_line("Smith | Jones\nLtd") == "Smith \\| Jones Ltd"


def test_hostile_strings_and_random_mixtures_add_nothing():
    """Every hostile string, and thousands of random mixtures of Markdown's special characters,
    render as text only (a seeded search, the same every run)."""
    rng = random.Random(10)
    alphabet = list("#>-+*=_`~<>![]()&|\\:;.123 \t\nabc") + ["http://x", "<b>", "&#x41;", "    ", "\n\n"]
    samples = HOSTILE + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(1000)]
    for value in samples:
        for markdown in (
            md_text(value),
            "- " + md_text(value),
            "# " + md_line(value),
            "\n".join(md_table(["a"], [[value]])),
        ):
            types = {child.type for child in inline_children(markdown)}
            assert types <= INLINE_OK, (value, markdown, types)
            blocks = set(block_types(markdown))
            assert not blocks & {"html_block", "code_block", "fence", "blockquote_open", "hr", "ordered_list_open"}, (
                value,
                markdown,
            )
            assert sum(t == "heading_open" for t in block_types(markdown)) == markdown.startswith("# "), (
                value,
                markdown,
            )


BARE_ADDRESSES = [
    ("see http://evil.example/x now", "a bare URL: GFM links it"),
    ("HTTPS://EVIL.EXAMPLE", "in capitals"),
    ("ftp://evil.example/f", "another scheme GFM links"),
    ("www.evil.example", "www. with no scheme: GFM links it"),
    ("evil.example/pixel.png", "a bare domain: markdown-it's linkify links it"),
    ("//evil.example", "a protocol-relative address"),
    ("![img](http://x/y.png)", "an image's address, once its brackets are escaped, is still bare"),
    ("[link](https://x.example)", "a link's address, likewise"),
    ("<https://x.example>", "an autolink's address, likewise"),
    ("пример.рф/путь", "an address in another script"),
]


@pytest.mark.parametrize("value, why", BARE_ADDRESSES)
def test_a_bare_address_is_no_link_where_gfm_reads_the_pack(value, why):
    """A pack opened on GitHub or in an editor's preview must not carry a link from data (a tracking
    pixel, a phishing page): the words are there, the link is not."""
    for markdown in (md_text(value), "- " + md_text(value), "## " + md_line(value), *md_table(["a"], [[value]])):
        html = GFM.render(markdown)
        assert "<a " not in html and "<img" not in html, (why, markdown, html)
    assert rendered_text(md_text(value)) == value, why


def test_our_own_prose_keeps_its_numbers_and_initials():
    assert md_text("1.5 hours, Mr J. Smith, 07700 900123") == "1.5 hours, Mr J. Smith, 07700 900123"


def test_random_mixtures_of_address_parts_never_make_a_link():
    rng = random.Random(14)
    alphabet = ["http", "://", "www", ".", "com", "x", "/", ":", "@", "\\", "[", "]", "(", ")", " ", "<", ">", "é"]
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        if "@" in value:
            continue  # an e-mail address stays a mailto link in cmark-gfm whatever is escaped (see output.py)
        html = GFM.render(md_text(value))
        assert "<a " not in html and "<img" not in html, (value, md_text(value), html)
