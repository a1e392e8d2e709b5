"""The spans figures are measured over: a report's month, ISO week or quarter, the one before it, and
equal windows of weeks. Pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.periods import (
    Window,
    last_full_month,
    parse_report_period,
    per_month,
    weeks_before,
)


@pytest.mark.parametrize(
    ("text", "first", "last", "previous"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-10"),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "2025-12"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028-01"),  # a leap year's February
        # ISO 8601 weeks start on Monday; week 1 holds the year's first Thursday, so it can start in December.
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29), "2026-W47"),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4), "2025-W52"),
        ("2021-W01", date(2021, 1, 4), date(2021, 1, 10), "2020-W53"),  # 2020 had 53 ISO weeks
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026-Q3"),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4"),  # typed in lower case
    ],
)
def test_a_period_and_the_one_before_it(text, first, last, previous):
    window = parse_report_period(text)
    assert (window.first, window.last) == (first, last)
    assert window.previous().name == previous
    assert window.previous().last.toordinal() == first.toordinal() - 1  # back to back, no gap


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2026-13", "is not a period"),
        ("2026-Q5", "is not a period"),
        ("2026-W54", "2026 has no week 54"),
        ("2025-W53", "2025 has no week 53"),
        ("2101-01", "from 1900 to 2100"),
        ("", "is not a period"),
        ("november", "is not a period"),
    ],
)
def test_a_period_that_does_not_exist_is_refused_in_words(text, said):
    with pytest.raises(ValueError, match=said):
        parse_report_period(text)


def test_weeks_before_end_the_day_before_and_are_whole_weeks():
    window = weeks_before(date(2026, 11, 24), 8)
    assert window == Window(date(2026, 9, 29), date(2026, 11, 23))
    assert window.days == 56


def test_the_last_full_month_is_the_one_that_has_ended():
    assert last_full_month(date(2026, 11, 24)).name == "2026-10"
    assert last_full_month(date(2026, 1, 1)).name == "2025-12"


def test_counts_are_put_on_one_monthly_scale():
    """Eight weeks hold 56 days: 4 complaints in them are about 2.2 a month, not 2."""
    assert per_month(4, weeks_before(date(2026, 11, 24), 8)) == pytest.approx(2.17, abs=0.01)
    assert per_month(3, parse_report_period("2026-11")) == pytest.approx(3.04, abs=0.01)


def test_a_window_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends on or after"):
        Window(date(2026, 2, 1), date(2026, 1, 31))
