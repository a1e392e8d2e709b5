"""output.visible: what people typed never reaches a terminal as an instruction."""

from __future__ import annotations

import pytest

from supervisor_tui.output import glyphs, shorten, visible


@pytest.mark.parametrize(
    "raw, shown, why",
    [
        (
            "\x1b[2J\x1b[31mRED",
            "\\x1b[2J\\x1b[31mRED",
            "ESC starts ANSI sequences: clear screen, colours, cursor moves",
        ),
        ("ding\x07", "ding\\x07", "BEL rings the terminal"),
        ("a\x00b", "a\\x00b", "NUL can end the string for C code reading the output"),
        ("back\x08\x08", "back\\x08\\x08", "backspace hides what came before"),
        ("del\x7f", "del\\x7f", "DEL is a control character"),
        ("c1 \x9b31m", "c1 \\x9b31m", "C1 CSI is ESC [ on terminals that read 8-bit controls"),
        ("\x85next", "\\x85next", "C1 NEL is a line break on some terminals"),
        ("\u202eevil", "\\u202eevil", "right-to-left override reverses what follows"),
        ("\u2066iso\u2069", "\\u2066iso\\u2069", "bidi isolates reorder text (Trojan Source)"),
        ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d", "the other bidi embeddings and overrides"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c", "bidi marks: invisible, but they reorder"),
        (
            "Zero\u200dWidth\u200bJoin\u200c",
            "Zero\\u200dWidth\\u200bJoin\\u200c",
            "zero-width characters: look-alike names",
        ),
        ("word\u2060joiner\ufeff", "word\\u2060joiner\\ufeff", "word joiner and BOM: invisible format characters"),
        ("soft\u00adhyphen", "soft\\xadhyphen", "soft hyphen (Cf): invisible in most places"),
        ("tag\U000e0041", "tag\\U000e0041", "tag characters (Cf) beyond the BMP: invisible"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029", "Unicode line and paragraph separators break lines"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate", "a lone surrogate would make printing itself fail"),
    ],
)
def test_hidden_characters_become_visible_escapes(raw, shown, why):
    assert visible(raw) == shown, why
    assert visible(raw, multiline=True) == shown, why


@pytest.mark.parametrize(
    "text",
    [
        "Sam Patel",
        "Zoë O'Brien-Łukasz",
        "李小龙",
        "Ana 👍",
        "[bold]Zoe[/]",
        "C:\\temp\\x1b",
        "50% off & <more>",
        "\u00a0non-breaking",
        "",
    ],
)
def test_ordinary_text_is_left_exactly_as_typed(text):
    """Letters of any script, markup-looking text and backslashes are not terminal instructions."""
    assert visible(text) == text


def test_one_line_by_default_so_data_cannot_start_a_line_of_its_own():
    """A verify finding or a 'check rota' line is one line: a newline or tab in data is shown."""
    assert visible("M-0001\nOK: 12 entries") == "M-0001\\x0aOK: 12 entries"
    assert visible("a\tb") == "a\\x09b"


def test_multiline_keeps_layout_but_not_a_carriage_return_on_its_own():
    """Exports keep their line breaks and tabs; a Windows CRLF is an ordinary line break; a bare CR
    would print over the start of its line, so it is shown."""
    assert visible("one\ntwo\tcols", multiline=True) == "one\ntwo\tcols"
    assert visible("one\r\ntwo", multiline=True) == "one\ntwo"
    assert visible("FAILED: x\rOK: fine", multiline=True) == "FAILED: x\\x0dOK: fine"


def test_a_failed_line_cannot_be_printed_over():
    line = visible("FAILED: audit entry 7 (update M-0001\r\x1b[2KOK: 300 entries): its hash does not match")
    assert "\r" not in line and "\x1b" not in line and line.startswith("FAILED: ")


def test_none_and_other_objects_are_shown_as_text():
    assert visible(None) == "" and visible(42) == "42"


def test_shorten_cuts_with_an_ellipsis():
    assert shorten("Samantha Patel", 8) == "Samanth…" and shorten("Sam", 8) == "Sam" and shorten("Sam", 0) == "…"


def test_glyphs_keep_the_length_for_text_being_edited():
    """An Input's cursor moves over the real characters: one glyph for each hidden one, tabs kept."""
    assert glyphs("\x1b[2J\x07\x7f\tok") == "\u241b[2J\u2407\u2421\tok"  # ␛[2J␇␡, tab, ok
    assert glyphs("\u202eevil\u200d\x9b") == "\ufffdevil\ufffd\ufffd"
    assert glyphs("Zoë [b]") == "Zoë [b]" and glyphs(None) == ""
    assert all(len(glyphs(c)) == 1 for c in "\x00\x1b\r\n\x85\u2028\u202e\ufeff")


def test_shorten_cuts_what_is_shown_so_a_cut_always_ends_in_an_ellipsis():
    """Table columns are cut to a width: a name whose ESC became '\\x1b' after it was shortened came out
    longer than the column and was cut again by the table, with no ellipsis to say so."""
    from supervisor_tui.output import shorten

    assert shorten("\x1b[2J\x1b[31mRED", 14) == "\\x1b[2J\\x1b[3…"
    assert shorten("Zero\u200dWidth\u200bJoin", 14) == "Zero\\u200dWid…"
    assert shorten("Sam Patel", 14) == "Sam Patel" and shorten("[bold red]", 14) == "[bold red]"
    for width in range(1, 30):
        assert len(shorten("\u202eevil\x1b[2J name", width)) <= width
