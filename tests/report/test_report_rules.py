"""The report's arithmetic and words (domain.report): rates with their counts, changes that say when they
rest on too few cases to be a trend, the periods it steps through, and when a one-to-one is due. No
Textual, no record."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.measures import MIN_CASES, Figure, Measure
from supervisor_tui.domain.periods import Window, period_window
from supervisor_tui.domain.report import (
    FEW,
    change_words,
    count_change,
    figure_change,
    in_progress,
    last_full_period,
    one_to_one_due,
    overdue_at_end,
    period_after,
    period_containing,
    period_kind,
    rate_text,
    target_words,
)

OCT = period_window("2026-10")


def figure(kind: str, value: float | None, cases: int, window: Window = OCT) -> Figure:
    return Figure(Measure(kind=kind), window, value, cases)


def test_a_rate_says_the_count_behind_it_and_never_divides_by_zero():
    assert rate_text(11, 12, "check") == "92% (11 of 12 checks)"
    assert rate_text(1, 1, "person", "people") == "100% (1 of 1 person)"
    assert rate_text(0, 0, "person", "people") == "— (0 people)"


@pytest.mark.parametrize(
    "now, before, cases, lower, expected",
    [
        (86.0, 82.0, (12, 12), False, "↑ +4 points: better"),
        (82.0, 86.0, (12, 12), False, "↓ -4 points: worse"),
        (81.0, 80.0, (12, 12), False, "↑ +1 point: better"),
        (80.4, 79.6, (12, 12), False, "→ no change"),  # both read 80%: compared as shown
        (3.0, 5.0, (12, 12), True, "↓ -2 points: better"),  # lower is better (late acknowledgements)
        (90.0, 60.0, (MIN_CASES - 1, 12), False, f"↑ +30 points: {FEW}"),  # four checks are an anecdote
        (None, 60.0, (0, 12), False, "no figure to compare"),
        (None, None, (0, 0), False, "nothing measured"),
    ],
)
def test_a_change_is_better_or_worse_only_on_enough_cases(now, before, cases, lower, expected):
    assert change_words(now, before, cases, lower_is_better=lower) == expected


@pytest.mark.parametrize(
    "now, before, expected",
    [
        (12, 4, "↑ +8 complaints: worse"),
        (3, 9, "↓ -6 complaints: better"),
        (6, 3, f"↑ +3 complaints: {FEW}"),  # 9 between the two periods: under twice MIN_CASES
        (1, 0, f"↑ +1 complaint: {FEW}"),
        (0, 0, "→ none in either period"),
    ],
)
def test_counts_of_events_are_read_together(now, before, expected):
    assert count_change(now, before, "complaint") == expected


def test_a_measured_quantity_is_not_a_count_of_cases():
    assert count_change(3, 1, "day", events=False) == "↑ +2 days: worse"


def test_figures_are_judged_as_an_improvement_action_is():
    assert figure_change(figure("csat", 86, 12), figure("csat", 82, 12)) == "↑ +4 points: better"
    assert figure_change(figure("nps", 30, 12), figure("nps", 34, 12)) == "↓ -4: worse"  # NPS has no unit
    assert figure_change(figure("quality", 90, 3), figure("quality", 80, 2)) == f"↑ +10 points: {FEW}"
    assert figure_change(figure("quality", None, 0), figure("quality", 80, 6)) == "no figure to compare"


def test_a_target_is_met_missed_or_not_set():
    assert target_words(85, True, "at least 85%") == "at least 85%: met"
    assert target_words(85, False, "at least 85%") == "at least 85%: not met"
    assert target_words(85, None, "at least 85%") == "at least 85%: not measured"
    assert target_words(None, None, "") == "no target set"


@pytest.mark.parametrize(
    "name, kind, after",
    [
        ("2026-12", "month", "2027-01"),
        ("2026-W53", "week", "2027-W01"),  # 2026 has 53 ISO weeks
        ("2026-Q4", "quarter", "2027-Q1"),
    ],
)
def test_periods_step_forward_over_the_year_end(name, kind, after):
    window = period_window(name)
    assert period_kind(window) == kind
    assert period_after(window) == period_window(after)
    assert period_after(window).previous() == window


def test_the_period_a_day_falls_in_and_the_last_full_one():
    day = date(2026, 11, 22)  # a Sunday: the last day of ISO week 47
    assert period_containing("week", day).name == "2026-W47"
    assert period_containing("quarter", day).name == "2026-Q4"
    assert last_full_period("month", day).name == "2026-10"
    assert last_full_period("week", day).name == "2026-W46"
    assert last_full_period("quarter", day).name == "2026-Q3"
    assert in_progress(period_window("2026-11"), day) and not in_progress(OCT, day)


def test_a_one_to_one_falls_due_a_month_after_the_last():
    assert one_to_one_due(date(2026, 9, 15), None, OCT)  # due 16 Oct
    assert not one_to_one_due(date(2026, 10, 2), None, OCT)  # not due until November
    assert one_to_one_due(None, date(2026, 9, 1), OCT)  # never had one: a month after starting
    assert one_to_one_due(None, None, OCT)
    assert overdue_at_end(date(2026, 9, 29), None, OCT)  # 32 days before the end
    assert not overdue_at_end(date(2026, 10, 30), None, OCT)
