"""output.csv_text / csv_value: no formula runs when an export is opened, and our own export
imports back exactly."""

from __future__ import annotations

import csv
import io

import pytest

from supervisor_tui.output import csv_cell, csv_text, csv_value
from supervisor_tui.services.csvio import read_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "value, why",
    [
        ('=HYPERLINK("http://evil","x")', "OWASP: =HYPERLINK would send data to another site when clicked"),
        ("+cmd|' /C calc'!A0", "OWASP: a DDE formula runs a program"),
        ("-2+3", "'-' starts a formula when the cell is not a plain number"),
        ("@SUM(1)", "'@' starts a formula (Lotus-style) in Excel"),
        ("\t=1+1", "a leading tab is dropped by some spreadsheets, leaving a formula"),
        ("\r=1+1", "so is a leading carriage return"),
        ("-", "a lone '-' is not a number"),
        ("+44 7700 900123", "a phone number starting '+' is read as a formula"),
        ("-Sam", "a name starting with '-'"),
    ],
)
def test_formula_like_cells_get_a_leading_apostrophe(value, why):
    assert csv_cell(value) == "'" + value, why


@pytest.mark.parametrize("value", ["-20", "+3", "-2.5", "-.5", "7", "1e5", "-1E-3", "37.5"])
def test_plain_numbers_stay_numbers(value):
    """An NPS of -20 is a number to a spreadsheet, never a formula: it is written as it is."""
    assert csv_cell(value) == value
    assert csv_cell(-20) == "-20"


def test_a_value_that_really_starts_with_an_apostrophe_gets_another():
    """So the reader can tell the guard from the data: the rule has no ambiguous case."""
    assert csv_cell("'Quoted") == "''Quoted"
    assert csv_cell("''Twice") == "'''Twice"
    assert csv_cell("'-20") == "''-20"


@pytest.mark.parametrize("value", ["Sam Patel", "", "a=b", "O'Brien", "tills:expert;phones:learner", "1-2"])
def test_ordinary_cells_are_untouched(value):
    assert csv_cell(value) == value


VALUES = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\tTabbed",
    "\rReturn",
    "-20",
    "+3",
    "'Quoted",
    "''Twice",
    "'-20",
    "'=x",
    "'tis",
    "-Sam",
    "=Zoe",
    "'",
    "''",
    "-",
    "plain",
    "O'Brien",
    "a,b",
    'say "hi"',
    "two\nlines",
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_csv_value_undoes_exactly_what_csv_cell_added(value):
    assert csv_value(csv_cell(value)) == value


def test_csv_value_leaves_an_apostrophe_it_did_not_add():
    """'tis (from someone else's file) has no formula character after it: it is data."""
    assert csv_value("'tis") == "'tis" and csv_value("'") == "'" and csv_value("Sam") == "Sam"


def test_every_cell_of_the_one_writer_is_safe_and_reads_back_exactly_through_read_rows():
    """csv_text writes every export; read_rows, the reader of every import, gives each value back
    (read_rows trims cells, so values with outer spaces are not part of this promise)."""
    rows = [{"name": v, "row": str(i)} for i, v in enumerate(VALUES)]
    text = csv_text(["name", "row"], rows)
    for cells in list(csv.reader(io.StringIO(text, newline="")))[1:]:
        assert len(cells) == 2  # a CR or newline in a value never splits its row
        assert not cells[0].startswith(FORMULA_START) or cells[0] in ("-20", "+3"), cells[0]
    assert [r["name"] for _, r in read_rows(text, ["name"], ["row"])] == VALUES


def test_a_carriage_return_inside_a_value_is_quoted_so_the_row_stays_whole():
    """csv.writer with a newline line end leaves a bare CR unquoted: every reader then splits the row."""
    text = csv_text(["a", "b"], [{"a": "x\ry", "b": "z"}])
    assert text == 'a,b\n"x\ry",z\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x\ry", "z"]]


def test_the_header_is_ours_and_unguarded():
    assert csv_text(["name", "nps"], [{"name": "=x", "nps": -20}]) == "name,nps\n'=x,-20\n"
