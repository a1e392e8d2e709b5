"""Theme files are data a team may add: each is checked against Textual's own Theme fields and colour
parser when the app starts, and a bad one is named with what is wrong, not drawn half-way."""

from __future__ import annotations

import pytest

from supervisor_tui.themes import DEFAULT_THEME, load_themes, theme_problems


def test_the_packaged_themes_are_valid_and_include_the_default():
    names = [theme.name for theme in load_themes()]
    assert DEFAULT_THEME in names and len(names) == len(set(names))


GOOD = {"name": "night-shift", "primary": "#4C9AFF"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"primary": "sort of blue"}, "primary 'sort of blue' is not a colour"),
        ({"background": 12}, "background 12 is not a colour"),
        ({"name": "Night Shift"}, "name must be lower-case letters, digits and dashes"),
        ({"name": None}, "name must be lower-case letters, digits and dashes"),
        ({"colour": "red"}, "unknown setting 'colour'"),  # a misspelt key would otherwise be ignored
        ({"dark": "yes"}, "dark must be true or false"),
        ({"variables": {"footer-key-foreground": 3}}, "variables must be a table of names and text values"),
    ],
)
def test_a_bad_theme_file_is_refused_with_the_reason(change, problem):
    assert problem in theme_problems({**GOOD, **change})


def test_a_theme_without_a_primary_colour_is_refused():
    assert theme_problems({"name": "x"}) == ["primary colour is missing"]


def test_a_good_theme_has_no_problems():
    assert theme_problems({**GOOD, "dark": False, "variables": {"footer-key-foreground": "#F2B84B"}}) == []
