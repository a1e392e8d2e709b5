"""Scoring rules as pure functions: weights, N/A, critical items, pass marks, versions, calibration."""

from __future__ import annotations

import pytest

from supervisor_tui.domain.quality import (
    NA,
    Criterion,
    Kpi,
    Scale,
    ScoreError,
    Standard,
    balance_prompt,
    calibrate,
    next_edition,
    parse_period,
    read_score,
    recurring_weak,
    score_check,
    show_score,
    sparkline,
    weakest_criteria,
)
from supervisor_tui.domain.standards_pack import default_standards

STD = Standard(
    family="mini",
    name="Mini",
    pass_mark=75,
    criteria=[
        Criterion(key="greet", section="Open", text="Greeted", weight=1),
        Criterion(key="accurate", section="Core", text="Accurate", weight=2, scale=Scale.points, max_points=4),
        Criterion(key="id_check", section="DPA", text="ID checked", weight=2, critical=True),
        Criterion(key="adapt", section="Equality", text="Adapted", weight=1),
    ],
)


@pytest.mark.parametrize(
    "case, scores, overall, passed",
    [
        ("all top marks", {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": "yes"}, 100.0, True),
        ("weights count", {"greet": "no", "accurate": 4, "id_check": "yes", "adapt": "yes"}, 83.3, True),
        (
            "points are a share of the top",
            {"greet": "yes", "accurate": 2, "id_check": "yes", "adapt": "yes"},
            83.3,
            True,
        ),
        ("N/A leaves the denominator", {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": NA}, 100.0, True),
        (
            "below the pass mark",
            {"greet": "no", "accurate": 1, "id_check": "yes", "adapt": "no"},
            41.7,
            False,
        ),  # 2.5 of 6
        (
            "critical fail fails a high score",
            {"greet": "yes", "accurate": 4, "id_check": "no", "adapt": "yes"},
            66.7,
            False,
        ),  # 4 of 6
        ("everything N/A", {"greet": NA, "accurate": NA, "id_check": NA, "adapt": NA}, None, False),
    ],
)
def test_score_check(case, scores, overall, passed):
    """The overall is kept to 10 decimal places now (83.3333333333, not 83.3): these cases used to
    compare with a figure rounded to one decimal, which is what let 79.96% pass an 80% mark."""
    result = score_check(STD, scores)
    assert (result.overall, result.passed) == (pytest.approx(overall, abs=0.05) if overall else overall, passed), case


def test_critical_failure_says_why_and_unscored_items_block_a_pass():
    result = score_check(STD, {"greet": "yes", "accurate": 4, "id_check": "no", "adapt": "yes"})
    assert result.critical_failures == ["ID checked"] and "critical" in result.why(STD.pass_mark)
    unfinished = score_check(STD, {"greet": "yes"})
    assert not unfinished.passed and unfinished.missing == ["accurate", "id_check", "adapt"]
    assert "not finished" in unfinished.why(STD.pass_mark)


@pytest.mark.parametrize(
    "criterion, raw, stored",
    [
        (STD.criteria[0], "y", "yes"),
        (STD.criteria[0], "No", "no"),
        (STD.criteria[0], "x", NA),
        (STD.criteria[0], "n/a", NA),
        (STD.criteria[1], "3", 3),
        (STD.criteria[1], 0, 0),
    ],
)
def test_read_score(criterion, raw, stored):
    assert read_score(criterion, raw) == stored


@pytest.mark.parametrize(
    "criterion, raw, says",
    [
        (STD.criteria[0], "maybe", "yes, no or N/A"),
        (STD.criteria[1], "5", "0 to 4"),
        (Criterion(key="k", section="s", text="Must", allow_na=False), "na", "not allowed"),
    ],
)
def test_read_score_refuses(criterion, raw, says):
    with pytest.raises(ScoreError, match=says):
        read_score(criterion, raw)


def test_editing_a_used_standard_makes_a_new_edition_and_old_results_still_recompute():
    scores = {"greet": "yes", "accurate": 2, "id_check": "yes", "adapt": "no"}
    before = score_check(STD, scores).overall
    stored = STD.model_copy(update={"id": "Q-0001", "version": 1})
    unused = next_edition(stored, {"pass_mark": 70}, used=False)
    assert unused.edition == 1 and unused.id == "Q-0001"
    newer = next_edition(
        stored,
        {"criteria": [c.model_copy(update={"weight": 5}) if c.key == "greet" else c for c in STD.criteria]},
        used=True,
    )
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
    history = [
        (STD, {"greet": "yes", "accurate": 4, "id_check": "yes", "adapt": "no"}),
        (STD, {"greet": "yes", "accurate": 1, "id_check": "yes", "adapt": "no"}),
        (STD, {"greet": "no", "accurate": 4, "id_check": "yes", "adapt": NA}),
    ]
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


@pytest.mark.parametrize(
    "text, ok",
    [
        ("2026-11", True),
        ("2026-W48", True),
        ("2026-w01", True),
        ("2026-13", False),
        ("2026-W54", False),
        ("2025-W53", False),
        ("Nov 2026", False),
    ],
)
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


def two_part(first: float, second: float, pass_mark: float = 80, critical: bool = False) -> Standard:
    """A standard of two yes/no criteria weighted so that 'yes, no' scores exactly ``first`` percent."""
    return Standard(
        family="near",
        name="Near the mark",
        pass_mark=pass_mark,
        criteria=[
            Criterion(key="a", section="S", text="A", weight=first),
            Criterion(key="b", section="S", text="B", weight=second, critical=critical),
        ],
    )


@pytest.mark.parametrize(
    "standard, scores, overall, passed, why",
    [
        (
            two_part(79.96, 20.04),
            {"a": "yes", "b": "no"},
            79.96,
            False,
            "79.96% is below 80%: compared exactly, not after rounding to 80.0",
        ),
        (two_part(79.8, 20.2), {"a": "yes", "b": "no"}, 79.8, False, "79.8% is below 80%"),
        (two_part(80, 20), {"a": "yes", "b": "no"}, 80.0, True, "exactly the pass mark passes ('at least' the mark)"),
        (
            Standard(
                family="tenths",
                name="Tenths",
                pass_mark=80,
                criteria=[
                    Criterion(key="a", section="S", text="A", weight=0.1),
                    Criterion(key="b", section="S", text="B", weight=0.7),
                    Criterion(key="c", section="S", text="C", weight=0.2),
                ],
            ),
            {"a": "yes", "b": "yes", "c": "no"},
            80.0,
            True,
            "weights as typed: 0.1 + 0.7 of 1.0 is exactly 80%, where binary floating point makes it 79.99999999999999",
        ),
        (
            two_part(79.999999999999, 20.000000000001),
            {"a": "yes", "b": "no"},
            79.9999999999,
            False,
            "kept to 10 places it would round up to 80: it is kept below the mark instead, like the exact figure",
        ),
    ],
)
def test_pass_or_fail_from_the_exact_figure(standard, scores, overall, passed, why):
    result = score_check(standard, scores)
    assert (result.overall, result.passed) == (overall, passed), why
    assert (result.overall >= standard.pass_mark) == (passed or bool(result.critical_failures)), why


@pytest.mark.parametrize(
    "overall, mark, critical, shown, why",
    [
        (83.3333333333, 80, False, "83%", "a whole number away from the mark"),
        (79.8, 80, False, "79.8%", "'80%' would contradict 'not a pass': one decimal"),
        (79.96, 80, False, "79.96%", "'80.0' would still read as a pass: two decimals"),
        (79.9999999999, 80, False, "79.99%", "two decimals still round to 80.00: cut down to its own side"),
        (80.0, 80, False, "80%", "exactly the mark is a pass and reads 80%"),
        (80.4, 80, False, "80%", "rounds down to the mark, still on the passing side"),
        (84.96, 85, False, "84.96%", "the complaint-handling standard's mark of 85% works the same"),
        (79.5, 79.5, False, "80%", "half up, and a pass mark with a decimal is compared as typed"),
        (79.4999, 79.5, False, "79%", "rounding down stays below the mark"),
        (100.0, 80, False, "100%", "top marks"),
        (95.0, 80, True, "95% crit", "a failed critical item fails the check whatever the score: marked"),
        (62.4, 80, True, "62% crit", "the example from the issue"),
        (None, 80, False, "—", "everything N/A: nothing to show"),
    ],
)
def test_show_score_never_rounds_across_the_pass_mark(overall, mark, critical, shown, why):
    assert show_score(overall, mark, critical=critical) == shown, why
    if overall is not None:
        number = float(shown.split("%")[0])
        assert (number >= mark) == (overall >= mark), why
    assert show_score(overall, mark, critical=critical, percent=False) == shown.replace("%", ""), why


def test_why_shows_the_score_through_show_score():
    near = score_check(two_part(79.96, 20.04), {"a": "yes", "b": "no"})
    assert near.why(80) == "79.96% against a pass mark of 80%: below the pass mark"
    assert near.shown(80) == "79.96%"
    crit = score_check(two_part(95, 5, critical=True), {"a": "yes", "b": "no"})
    assert crit.why(80) == "95%, but failed a critical item: B" and crit.shown(80) == "95% crit"
