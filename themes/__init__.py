"""Themes as data files: each ``*.toml`` here is checked and turned into a Textual theme.

Only this loader imports Textual's Theme class; the files themselves are plain data so a team can
add one without touching code. A file is checked against Textual's own ``Theme`` fields and colour
parser, so a colour the terminal could not draw is refused here with the file's name, not at the
first redraw. (No pydantic model: the app picks its theme before its first frame, and building one
would cost more than everything else that frame needs.)
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "shopfloor"
COLOURS = (
    "primary", "secondary", "accent", "warning", "error", "success",
    "foreground", "background", "surface", "panel", "boost",
)  # fmt: skip
SWITCHES = ("dark", "ansi")
NAME = re.compile(r"[a-z0-9-]+")


class ThemeFileError(ValueError):
    pass


def theme_problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with one theme file's settings, in words; [] if it can be used."""
    from textual.color import Color, ColorParseError

    problems = [f"unknown setting {key!r}" for key in data if key not in (*COLOURS, *SWITCHES, "name", "variables")]
    name = data.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        problems.append("name must be lower-case letters, digits and dashes")
    if "primary" not in data:
        problems.append("primary colour is missing")
    for key in COLOURS:
        value = data.get(key)
        if value is None:
            continue
        try:
            if not isinstance(value, str):
                raise ColorParseError(f"{value!r} is not text")
            Color.parse(value)
        except ColorParseError:
            problems.append(f"{key} {value!r} is not a colour")
    problems += [f"{key} must be true or false" for key in SWITCHES if not isinstance(data.get(key, False), bool)]
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        problems.append("variables must be a table of names and text values")
    return problems


@cache
def load_themes() -> tuple[Theme, ...]:
    import tomllib

    from textual.theme import Theme

    themes = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ThemeFileError(f"theme file {entry.name} is not valid TOML: {exc}") from None
        problems = theme_problems(data)
        if problems:
            raise ThemeFileError(f"theme file {entry.name} is not valid: {'; '.join(problems)}")
        themes.append(Theme(**data))
    return tuple(themes)
