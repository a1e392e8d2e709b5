"""Correcting and voiding a quality check (issue 15): re-scored by the same rules, with why, both versions
kept in the history; corrections that would make it invalid are refused, saying why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.quality import QualityCheck, Scale, ScoreError
from supervisor_tui.services import ConflictError, Records, StoreError

TEAM = """name,job_title,contract_hours,date_of_birth,skills
Sam Patel,Advisor,37.5,19/03/1992,phones:expert
Aisha Khan,Advisor,37.5,04/05/1999,phones:competent
"""


@pytest.fixture
def team(records: Records) -> Records:
    records.team.import_csv(TEAM)
    records.quality.load_default_pack()
    return records


@pytest.fixture
def check(team: Records) -> QualityCheck:
    """Sam's perfect check on the core standard, yesterday: a pass at 100%."""
    core = next(s for s in team.quality.current_standards() if s.family == "core-service")
    scores = {c.key: (c.max_points if c.scale == Scale.points else "yes") for c in core.criteria}
    return team.quality.save_check(
        QualityCheck(
            member_id=team.team.by_name("Sam Patel").saved_id,
            date=team.clock.today() - timedelta(days=1),
            standard_id=core.saved_id,
            scores=scores,
            strengths="Warm",
        )
    )


def test_a_corrected_score_is_scored_again_and_both_versions_are_in_the_history(team, check):
    # 'id_check' is critical: a no fails the check whatever the rest says
    wrong = check.model_copy(update={"scores": {**check.scores, "id_check": "n"}})
    corrected = team.quality.correct_check(wrong, "  scored the wrong call's identity check  ")
    assert corrected.scores["id_check"] == "no" and corrected.passed is False
    assert corrected.overall is not None and corrected.overall < check.overall
    assert team.quality.shown(corrected).endswith("crit")
    (change,) = team.quality.corrections(check.saved_id)
    assert change.reason == "scored the wrong call's identity check"
    assert change.changes["overall"] == (check.overall, corrected.overall)
    assert change.changes["passed"] == (True, False)
    assert change.changes["scores"][0]["id_check"] == "yes" and change.changes["scores"][1]["id_check"] == "no"


def test_a_correction_needs_a_reason(team, check):
    with pytest.raises(ValueError, match="Why the change"):
        team.quality.correct_check(check.model_copy(update={"strengths": "Calm"}), "   ")
    assert team.quality.check(check.saved_id).strengths == "Warm"


@pytest.mark.parametrize(
    "change, says",
    [
        ({"scores": {"greet": "maybe"}}, "score yes, no or N/A"),  # not a score the criterion takes
        ({"scores": {"made_up": "yes"}}, "made_up are not criteria of Core service standard"),
        ({"scores": {"greet": "yes"}}, "every criterion needs a score"),  # the rest left unscored
        ({"member_id": "M-0002"}, "keeps the person and the standard"),  # moved to Aisha: void and score again
    ],
)
def test_a_correction_that_would_make_the_check_invalid_is_refused(team, check, change, says):
    head = team.store.head
    with pytest.raises((ValueError, ScoreError), match=says):
        team.quality.correct_check(check.model_copy(update=change), "fix")
    assert team.store.head == head


def test_a_correction_dated_in_the_future_is_refused(team, check):
    with pytest.raises(ValidationError, match="in the future"):
        team.quality.correct_check(check.model_copy(update={"date": team.clock.today() + timedelta(days=2)}), "date")


def test_a_correction_over_someone_elses_newer_version_is_a_conflict(team, other_records, check):
    other_records.store.refresh()  # as the app does when another session saves
    other_records.quality.correct_check(
        other_records.quality.check(check.saved_id).model_copy(update={"strengths": "Clear"}), "typo"
    )
    team.store.refresh()
    with pytest.raises(ConflictError):
        team.quality.correct_check(check.model_copy(update={"strengths": "Calm"}), "mine")


def test_a_voided_check_leaves_the_lists_stays_on_record_and_cannot_be_corrected(team, check):
    sam = team.team.by_name("Sam Patel")
    team.quality.void_check(check.saved_id, "scored the wrong person")
    assert team.quality.checks_for(sam.saved_id) == []
    assert team.quality.check(check.saved_id).void_reason == "scored the wrong person"
    assert team.quality.member_summary(sam.saved_id, team.clock.today())["count"] == 0
    with pytest.raises(StoreError, match="voided"):
        team.quality.correct_check(check.model_copy(update={"strengths": "Calm"}), "too late")
