"""Themes as data files: each ``*.toml`` here is validated and turned into a Textual theme.

Only this loader imports Textual's Theme class; the files themselves are plain data so a team can
add one without touching code. The TOML parser and the pydantic model that checks a file load with
the first call, not with this module: importing the app pays only for what its first screen uses.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "shopfloor"


class ThemeFileError(ValueError):
    pass


@cache
def theme_file_model() -> Any:
    """The shape of a theme file (a pydantic model, built once, on first use)."""
    from pydantic import BaseModel, ConfigDict, Field

    class ThemeFile(BaseModel):
        model_config = ConfigDict(extra="forbid")

        name: str = Field(pattern=r"^[a-z0-9-]+$")
        primary: str
        secondary: str | None = None
        accent: str | None = None
        warning: str | None = None
        error: str | None = None
        success: str | None = None
        foreground: str | None = None
        background: str | None = None
        surface: str | None = None
        panel: str | None = None
        boost: str | None = None
        dark: bool = True
        ansi: bool = False
        variables: dict[str, str] = Field(default_factory=dict)

    return ThemeFile


def load_themes() -> list[Theme]:
    import tomllib

    from pydantic import ValidationError
    from textual.theme import Theme

    themes = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            spec = theme_file_model().model_validate(tomllib.loads(entry.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, ValidationError) as exc:
            raise ThemeFileError(f"theme file {entry.name} is not valid: {exc}") from None
        themes.append(Theme(**spec.model_dump()))
    return themes
