"""Scoring rules as pure functions: weights, N/A, critical items, pass marks, versions, calibration."""

from __future__ import annotations

import pytest

from supervisor_tui.domain.quality import (NA, Criterion, Kpi, ScoreError, Scale, Standard, balance_prompt,
                                           calibrate, next_edition, parse_period, read_score, recurring_weak,
                                           score_check, sparkline, weakest_criteria)
from supervisor_tui.domain.standards_pack import default_standards

STD = Standard(family="mini", name="Mini", pass_mark=75, criteria=[
    Criterion(key="greet", section="Open", text="Greeted", weight=1),
    Criterion(key="accurate", section="Core", text="Accurate", weight=2, scale=Scale.points, max_points=4),
    Criterion(key="id_check", section="DPA", text="ID checked", weight=2, critical=True),
    Criterion(key="adapt", section="Equality", text="Adapted", weight=1),
])


@pytest.mark.parametrize("case, scores, overall, passed", [
    ("all top marks", {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": "yes"}, 100.0, True),
    ("weights count", {"greet": "no", "accurate": 4, "id_check": "yes", "adapt": "yes"}, 83.3, True),
    ("points are a share of the top", {"greet": "yes", "accurate": 2, "id_check": "yes", "adapt": "yes"}, 83.3, True),
    ("N/A leaves the denominator", {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": NA}, 100.0, True),
    ("below the pass mark", {"greet": "no", "accurate": 1, "id_check": "yes", "adapt": "no"}, 41.7, False),  # 2.5 of 6
    ("critical fail fails a high score", {"greet": "yes", "accurate": 4, "id_check": "no", "adapt": "yes"}, 66.7, False),  # 4 of 6
    ("everything N/A", {"greet": NA, "accurate": NA, "id_check": NA, "adapt": NA}, None, False),
])
def test_score_check(case, scores, overall, passed):
    result = score_check(STD, scores)
    assert (result.overall, result.passed) == (overall, passed), case


def test_critical_failure_says_why_and_unscored_items_block_a_pass():
    result = score_check(STD, {"greet": "yes", "accurate": 4, "id_check": "no", "adapt": "yes"})
    assert result.critical_failures == ["ID checked"] and "critical" in result.why(STD.pass_mark)
    unfinished = score_check(STD, {"greet": "yes"})
    assert not unfinished.passed and unfinished.missing == ["accurate", "id_check", "adapt"]
    assert "not finished" in unfinished.why(STD.pass_mark)


@pytest.mark.parametrize("criterion, raw, stored", [
    (STD.criteria[0], "y", "yes"), (STD.criteria[0], "No", "no"), (STD.criteria[0], "x", NA),
    (STD.criteria[0], "n/a", NA), (STD.criteria[1], "3", 3), (STD.criteria[1], 0, 0),
])
def test_read_score(criterion, raw, stored):
    assert read_score(criterion, raw) == stored


@pytest.mark.parametrize("criterion, raw, says", [
    (STD.criteria[0], "maybe", "yes, no or N/A"), (STD.criteria[1], "5", "0 to 4"),
    (Criterion(key="k", section="s", text="Must", allow_na=False), "na", "not allowed"),
])
def test_read_score_refuses(criterion, raw, says):
    with pytest.raises(ScoreError, match=says):
        read_score(criterion, raw)


def test_editing_a_used_standard_makes_a_new_edition_and_old_results_still_recompute():
    scores = {"greet": "yes", "accurate": 2, "id_check": "yes", "adapt": "no"}
    before = score_check(STD, scores).overall
    stored = STD.model_copy(update={"id": "Q-0001", "version": 1})
    unused = next_edition(stored, {"pass_mark": 70}, used=False)
    assert unused.edition == 1 and unused.id == "Q-0001"
    newer = next_edition(stored, {"criteria": [c.model_copy(update={"weight": 5}) if c.key == "greet" else c
                                               for c in STD.criteria]}, used=True)
    assert newer.edition == 2 and newer.id is None and newer.family == "mini"
    assert score_check(stored, scores).overall == before  # the old edition is untouched
    assert score_check(newer, scores).overall != before


def test_repeated_criterion_keys_are_refused():
    with pytest.raises(ValueError, match="repeated: greet"):
        Standard(family="x", name="X", criteria=[STD.criteria[0], STD.criteria[0]])


def test_balance_prompt():
    assert "What went well" in balance_prompt("", "Forgot to check ID")
    assert balance_prompt("Warm greeting", "Forgot to check ID") is None
    assert "at least one" in balance_prompt("", "")


def test_calibration_agreement_and_spread():
    scorers = [
        {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": "yes"},
        {"greet": "yes", "accurate": 2, "id_check": "yes", "adapt": "no"},
        {"greet": "yes", "accurate": 3, "id_check": "yes", "adapt": "yes"},
    ]
    rows, overall_spread = calibrate(STD, scorers)
    by_key = {r.key: r for r in rows}
    assert by_key["greet"].agreement == 1.0 and by_key["greet"].spread == 0.0
    assert by_key["accurate"].agreement == pytest.approx(1 / 3, abs=0.001) and by_key["accurate"].spread == 0.5
    assert by_key["adapt"].agreement == pytest.approx(2 / 3, abs=0.001)
    assert rows[0].key == "accurate"  # least agreement first: what to discuss
    assert overall_spread == pytest.approx(100 - 66.7, abs=0.1)  # 100% vs 4 of 6


def test_trends_weakest_first_and_recurring():
    history = [(STD, {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": "no"}),
               (STD, {"greet": "yes", "accurate": 1, "id_check": "yes", "adapt": "no"}),
               (STD, {"greet": "no", "accurate": 4, "id_check": "yes", "adapt": NA})]
    assert weakest_criteria(history)[0][0] == "Adapted"
    assert recurring_weak(history) == ["Adapted"]
    assert sparkline([0, 50, 100, None]) == "▁▅█·"


def test_default_pack_is_from_the_curriculum():
    core, complaints = default_standards()
    assert {c.section for c in core.criteria} >= {"SERVQUAL", "Data protection", "Equality Act", "Greeting and close"}
    assert len(core.criteria) == 12 and any(c.critical for c in core.criteria)
    assert {"hear", "empathise", "apologise", "act"} <= {c.key for c in complaints.criteria}
    perfect = {c.key: (c.max_points if c.scale == Scale.points else "yes") for c in core.criteria}
    assert score_check(core, perfect).overall == 100.0


@pytest.mark.parametrize("text, ok", [("2026-11", True), ("2026-W48", True), ("2026-w01", True), ("2026-13", False),
                                      ("2026-W54", False), ("2025-W53", False), ("Nov 2026", False)])
def test_periods(text, ok):
    if ok:
        assert parse_period(text) == text.upper()
    else:
        with pytest.raises(ValueError):
            parse_period(text)


def test_kpi_needs_a_figure_in_range():
    assert Kpi(member_id="M-0001", period="2026-11", csat=86.5).csat == 86.5
    with pytest.raises(ValueError, match="at least one"):
        Kpi(member_id="M-0001", period="2026-11")
    with pytest.raises(ValueError):
        Kpi(member_id="M-0001", period="2026-11", nps=140)
