"""Every measure an improvement action or the manager's report reads, worked out on known data with the
cases behind it, and how two readings compare. Storage is real; no Textual."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.measures import MIN_CASES, Figure, Measure, compare
from supervisor_tui.domain.periods import Window

from .conftest import check, complaint, kpi

OCT = Window(date(2026, 10, 1), date(2026, 10, 31), "2026-10")


def figure(rec, kind: str, subject: str = "", window: Window = OCT) -> Figure:
    return rec.measures.figure(Measure(kind=kind, subject=subject), window)


def test_complaints_a_month_by_root_cause_and_category(rec, clock):
    clock.to(date(2026, 11, 10))
    for day in (2, 9, 16):
        complaint(rec, date(2026, 10, day), cause="delivery")
    complaint(rec, date(2026, 10, 20), cause="process", category="refund")
    complaint(rec, date(2026, 10, 28))  # still being investigated: its root cause is not known yet
    complaint(rec, date(2026, 11, 2), cause="delivery")  # after the window
    complaint(rec, date(2026, 9, 30), cause="delivery")  # before it
    delivery = figure(rec, "root_cause", "Delivery")  # as typed: compared without case
    # 31 days hold 31/30.44 of an average month: 3 complaints are 2.9 a month.
    assert (round(delivery.value, 2), delivery.cases, delivery.pending) == (2.95, 3, 1)
    assert delivery.text() == "2.9 a month (3 complaints, 1 still open)"
    assert figure(rec, "category", "delivery").cases == 4  # a category is known from the start
    assert figure(rec, "complaints").cases == 5


def test_late_acknowledgements_count_only_clocks_that_have_run_out(rec, clock):
    """The share acknowledged late among complaints whose acknowledgement clock has stopped (met or
    breached); one still within its time is pending, not counted as on time."""
    clock.to(date(2026, 10, 30))
    complaint(rec, date(2026, 10, 5))
    complaint(rec, date(2026, 10, 6), late_ack=True)
    complaint(rec, date(2026, 10, 7))
    complaint(rec, date(2026, 10, 8))
    complaint(rec, date(2026, 10, 29), acked=False)  # received yesterday: its clock is still running
    late = figure(rec, "first_response")
    assert (late.value, late.cases, late.pending) == (25.0, 4, 1)


def test_quality_average_pass_rate_and_a_criterion_leave_out_calibration_scorings(rec, clock):
    clock.to(date(2026, 11, 10))
    check(rec, date(2026, 10, 5))
    check(rec, date(2026, 10, 6), greet="no")
    check(rec, date(2026, 10, 7), "Amy Stone", greet="no")
    check(rec, date(2026, 10, 8), "Amy Stone", greet="no", calibration="October calibration")  # not a check of Amy
    greet = figure(rec, "criterion", "core-service:greet")
    assert (round(greet.value, 1), greet.cases) == (33.3, 3)
    assert figure(rec, "quality_pass").cases == 3
    sam = rec.team.by_name("Sam Patel").saved_id
    assert figure(rec, "quality", sam).cases == 2
    assert figure(rec, "quality").value < 100


def test_kpis_average_the_returns_whose_period_starts_in_the_window(rec, clock):
    """A month's return counts in the window its month starts in; a week's return in the window its Monday is in."""
    clock.to(date(2026, 11, 10))
    kpi(rec, "Sam Patel", "2026-10", 80)
    kpi(rec, "Amy Stone", "2026-10", 90)
    kpi(rec, "Amy Stone", "2026-09", 50)
    kpi(rec, "Sam Patel", "2026-W44", 70)  # Monday 26 October
    team = figure(rec, "csat")
    assert (team.value, team.cases) == (80.0, 3)
    assert figure(rec, "csat", rec.team.by_name("Amy Stone").saved_id).value == 90.0
    assert figure(rec, "nps").value is None and figure(rec, "nps").cases == 0


def test_a_window_with_nothing_in_it_is_not_measured_not_zero_percent(rec):
    for kind in ("first_response", "quality", "quality_pass", "csat"):
        assert figure(rec, kind).value is None
    assert figure(rec, "complaints").value == 0.0  # no complaints is a count of nought, a real figure


def test_voided_records_do_not_count(rec, clock):
    clock.to(date(2026, 11, 10))
    kept = complaint(rec, date(2026, 10, 2), cause="delivery")
    gone = complaint(rec, date(2026, 10, 3), cause="delivery")
    rec.complaints.void(gone.saved_id, "logged twice")
    assert figure(rec, "root_cause", "delivery").cases == 1 and kept.id


M = Measure(kind="root_cause", subject="delivery")
Q = Measure(kind="quality")
W = Window(date(2026, 1, 1), date(2026, 2, 25))


@pytest.mark.parametrize(
    ("measure", "before", "after", "target", "verdict", "met"),
    [
        # Counts of events: the two counts together are the evidence (MIN_CASES * 2 between them).
        pytest.param(M, (4.0, 8), (1.0, 2), 1.5, "better", True, id="count fell, enough between them"),
        pytest.param(M, (2.0, 4), (1.0, 2), 1.5, "too few cases", True, id="6 complaints are an anecdote"),
        pytest.param(M, (2.0, 6), (3.0, 9), None, "worse", None, id="count rose, no target"),
        # Averages: each side needs MIN_CASES of its own, or one check moves it by a fifth.
        pytest.param(Q, (71.0, 9), (80.0, 6), 85, "better", False, id="better but short of target"),
        pytest.param(Q, (71.0, 9), (80.0, 4), 85, "too few cases", False, id="four checks after"),
        pytest.param(Q, (80.4, 9), (79.6, 9), None, "no change", None, id="same as shown (80% and 80%)"),
        pytest.param(Q, (None, 0), (80.0, 9), None, "not measured", None, id="nothing before"),
    ],
)
def test_two_readings_compared(measure, before, after, target, verdict, met):
    comparison = compare(Figure(measure, W, *before), Figure(measure, W, *after), target)
    assert (comparison.verdict, comparison.target_met) == (verdict, met)
    assert verdict in comparison.text()


def test_min_cases_is_the_threshold_each_side_of_an_average_needs():
    """One fewer than MIN_CASES on either side of an average is too few; MIN_CASES on both is enough."""
    enough = Figure(Q, W, 70.0, MIN_CASES)
    short = Figure(Q, W, 90.0, MIN_CASES - 1)
    assert compare(enough, short).verdict == "too few cases"
    assert compare(enough, Figure(Q, W, 90.0, MIN_CASES)).verdict == "better"


def test_a_measure_that_needs_a_subject_says_so():
    with pytest.raises(ValueError, match="say which root cause"):
        Measure(kind="root_cause")
    with pytest.raises(ValueError, match="leave it blank"):
        Measure(kind="complaints", subject="delivery")
    assert Measure(kind="root_cause", subject="x").show(2.25) == "2.2 a month"
    assert Measure(kind="nps").show(12.4) == "+12"
