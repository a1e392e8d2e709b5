"""Numbers as people type them into a form or a CSV cell: whole or decimal, always within a range.

The model behind the field has its own limits (break 0-180 minutes, pass mark 0-100%); these readers
stop what no field could take (10**30, NaN, '1e400', superscript digits) before it goes any further,
and say what to type instead.
"""

from __future__ import annotations

import math
import re
from typing import TypeVar

# No count the app asks for (minutes, weeks, people, days, reviews) comes near this.
MOST_TYPED = 100_000
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def whole_number(text: str, low: int = 0, high: int | None = None) -> int:
    """A whole number from ``low`` to ``high`` ('30'); anything else is a ValueError saying so.

    Without ``high`` the field's model says the exact limit; only a number no field could take is
    refused here."""
    raw = (text or "").strip()
    if not _WHOLE.fullmatch(raw):
        raise ValueError(f"enter a whole number, e.g. {max(low, min(30, high if high is not None else 30))}")
    return _within(int(raw) if len(raw) <= 12 else 10**12, low, high, raw)


def decimal_number(text: str, low: float, high: float | None = None) -> float:
    """A plain decimal ('37.5', '-20') from ``low`` to ``high``; no exponents, NaN or infinity."""
    raw = (text or "").strip()
    if not _DECIMAL.fullmatch(raw) or len(raw) > 20:
        raise ValueError("enter a number, e.g. 37.5")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("enter a number, e.g. 37.5")
    return _within(value, low, high, raw)


_Number = TypeVar("_Number", int, float)


def _within(value: _Number, low: float, high: float | None, typed: str) -> _Number:
    if high is None:
        if value > MOST_TYPED:
            raise ValueError(f"{_shortened(typed)} is far too big; check it")
        if value < low:
            raise ValueError(f"enter at least {low:g}")
        return value
    if not low <= value <= high:
        raise ValueError(f"enter {low:g} to {high:g}")
    return value


def _shortened(typed: str) -> str:
    """A long run of digits, cut to what a message can show."""
    return typed if len(typed) <= 15 else typed[:12] + "…"
