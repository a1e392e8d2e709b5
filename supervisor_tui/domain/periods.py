"""Spans of days that figures are measured over: a report's month, ISO week or quarter, and the equal
windows an improvement action compares (its baseline, then the same length again at its review).

Pure rules. A window is whole days, first to last inclusive, on the team's calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .dates import EARLIEST, LATEST
from .quality import parse_period as parse_kpi_period
from .quality import period_start as kpi_period_start

DAYS_PER_MONTH = 365.25 / 12  # an average month, to put counts over windows of any length on one scale

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Window:
    """The days from ``first`` to ``last``, both included."""

    first: date
    last: date
    name: str = ""  # '2026-11', '2026-W48', '2026-Q4' for a report's period; blank for a span of days

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a window ends on or after it starts ({self.first} to {self.last})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def overlaps(self, other: Window) -> bool:
        return self.first <= other.last and other.first <= self.last

    def shown(self) -> str:
        """'1 Nov 2026 to 30 Nov 2026', with the period's name before it where it has one."""
        span = f"{self.first.day} {self.first:%b %Y} to {self.last.day} {self.last:%b %Y}"
        return f"{self.name} ({span})" if self.name else span

    def previous(self) -> Window:
        """The period before this one: the month, week or quarter before, or the same number of days."""
        if self.name:
            return period_before(self.name)
        return Window(self.first - timedelta(days=self.days), self.first - timedelta(days=1))


def weeks_before(day: date, weeks: int) -> Window:
    """The ``weeks`` whole weeks that end the day before ``day``: what was measured up to it."""
    return Window(day - timedelta(weeks=weeks), day - timedelta(days=1))


def parse_report_period(text: str) -> Window:
    """'2026-11' (a month), '2026-W48' (an ISO week) or '2026-Q4' (a quarter), from 1900 to 2100."""
    raw = (text or "").strip().upper()
    match = _MONTH.match(raw) or _WEEK.match(raw) or _QUARTER.match(raw)
    if not match:
        raise ValueError(
            f"{text!r} is not a period; write a month as 2026-11, a week as 2026-W48 or a quarter as 2026-Q4"
        )
    if not EARLIEST.year <= int(match[1]) <= LATEST.year:
        raise ValueError(f"{text!r}: the year must be from {EARLIEST.year} to {LATEST.year}; check it")
    return period_window(raw)


def period_window(name: str) -> Window:
    """The days of a named period (already in the form parse_report_period checks)."""
    match = _QUARTER.match(name)
    if match:
        first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return Window(first, first + relativedelta(months=3, days=-1), name)
    if _WEEK.match(name):
        try:
            first = kpi_period_start(parse_kpi_period(name))
        except ValueError:
            raise ValueError(f"{name!r}: {name[:4]} has no week {int(name[6:])}") from None
        return Window(first, first + timedelta(days=6), name)
    first = kpi_period_start(name)
    return Window(first, first + relativedelta(months=1, days=-1), name)


def period_before(name: str) -> Window:
    """The period of the same kind just before a named one (2026-01 -> 2025-12, 2026-W01 -> 2025-W53)."""
    window = period_window(name)
    if _QUARTER.match(name):
        first = window.first - relativedelta(months=3)
        return period_window(f"{first.year}-Q{(first.month - 1) // 3 + 1}")
    if _WEEK.match(name):
        year, week, _ = (window.first - timedelta(days=7)).isocalendar()
        return period_window(f"{year}-W{week:02d}")
    first = window.first - relativedelta(months=1)
    return period_window(f"{first:%Y-%m}")


def last_full_month(today: date) -> Window:
    """The last calendar month that has ended: what a monthly report covers by default."""
    first = today.replace(day=1) - relativedelta(months=1)
    return period_window(f"{first:%Y-%m}")


def kpi_window(period: str) -> Window:
    """The days a KPI record's period ('2026-11' or '2026-W48') covers."""
    return period_window(parse_kpi_period(period))


def per_month(count: int, window: Window) -> float:
    """A count over a window as a rate per average month, so windows of different lengths compare."""
    return count * DAYS_PER_MONTH / window.days
