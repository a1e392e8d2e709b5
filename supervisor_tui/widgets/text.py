"""Show what people typed exactly as typed: never as Rich markup, never as terminal control codes."""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_WITH_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(value: object, *, multiline: bool = False) -> str:
    """Control characters (an ESC starting a colour code, a bell) become visible ``\\x1b`` text."""
    pattern = _CONTROL if multiline else _CONTROL_WITH_NEWLINES
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", "" if value is None else str(value))


def plain(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Text that renders the value literally: '[bold]' stays '[bold]'."""
    return Text(visible(value, multiline=multiline), style=style)


def shorten(value: str, width: int) -> str:
    return value if len(value) <= width else value[: max(width - 1, 0)] + "…"
