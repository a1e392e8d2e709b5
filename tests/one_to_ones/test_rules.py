"""One-to-one rules as pure functions: SMART, promptness, feedback structure, carry-forward, acknowledgement."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from supervisor_tui.domain.one_to_ones import (
    Action,
    FeedbackItem,
    ImprovementPlan,
    Meeting,
    Objective,
    PlanIssue,
    Review,
    acknowledge,
    acknowledgement_state,
    agenda_for,
    balance_prompt,
    carried_forward,
    feedback_prompts,
    promptness,
    smart_gaps,
)

TODAY = date(2026, 11, 22)
SMART = dict(
    member_id="M-0001",
    text="Resolve more phone queries on the first call",
    measure="FCR from the phone system",
    target="80% first-contact resolution",
    due=date(2027, 2, 28),
    outcome_link="FCR KPI",
    agreed_with_member=True,
)


@pytest.mark.parametrize(
    "change, missing",
    [
        ({}, []),
        ({"measure": ""}, ["Measurable"]),
        ({"target": "better"}, ["Target"]),
        ({"due": None}, ["Time-bound"]),
        ({"due": date(2026, 11, 1)}, ["Time-bound"]),
        ({"outcome_link": ""}, ["Relevant"]),
        ({"agreed_with_member": False}, ["Achievable"]),
        ({"text": "Be better"}, ["Specific"]),
    ],
)
def test_smart_check_says_which_part_is_missing(change, missing):
    gaps = smart_gaps(Objective(**{**SMART, **change}), TODAY)
    assert [g.split(":")[0] for g in gaps] == missing


@pytest.mark.parametrize(
    "held, written, days, late",
    [
        (date(2026, 11, 20), datetime(2026, 11, 20, 16, tzinfo=UTC), 0, False),  # same day
        (date(2026, 11, 20), datetime(2026, 11, 24, 9, tzinfo=UTC), 2, False),  # Fri -> Tue
        (date(2026, 11, 20), datetime(2026, 11, 25, 9, tzinfo=UTC), 3, True),  # Fri -> Wed
        (date(2026, 12, 24), datetime(2026, 12, 29, 9, tzinfo=UTC), 1, False),  # over Christmas
        (date(2026, 12, 23), datetime(2026, 12, 30, 9, tzinfo=UTC), 3, True),
    ],
)
def test_promptness_counts_working_days(held, written, days, late):
    assert promptness(held, written.date(), "ENG") == (days, late)


def test_feedback_prompts_for_missing_parts_and_personality():
    sbi = FeedbackItem(
        framework="SBI",
        kind="development",
        parts={"situation": "Tuesday's 10:15 call", "behaviour": "He was rude and lazy"},
    )
    prompts = feedback_prompts(sbi)
    assert any(p.startswith("Add the impact part") for p in prompts)
    assert any("'lazy' describes the person" in p or "'rude' describes the person" in p for p in prompts)
    boost = FeedbackItem(
        framework="boost", parts={k: "x" for k in ("balanced", "observed", "objective", "specific", "timely")}
    )
    assert boost.framework == "BOOST" and feedback_prompts(boost) == []
    assert "Only development points" in balance_prompt([sbi])
    assert balance_prompt([sbi, FeedbackItem(kind="strength", parts={"behaviour": "calm"})]) is None


def test_open_actions_carry_forward_until_done_or_dropped_with_a_reason():
    actions = [
        Action(member_id="M-0001", what="Shadow Priya on complaints", due=date(2026, 11, 1)),
        Action(member_id="M-0001", what="Book data protection refresher", owner="supervisor", due=date(2026, 12, 1)),
        Action(
            member_id="M-0001", what="Done already", due=date(2026, 10, 1), status="done", done_on=date(2026, 10, 2)
        ),
        Action(member_id="M-0002", what="Someone else's", due=date(2026, 11, 1)),
    ]
    open_ones = carried_forward(actions, "M-0001")
    assert [a.what for a in open_ones] == ["Shadow Priya on complaints", "Book data protection refresher"]
    assert open_ones[0].overdue(TODAY) and not open_ones[1].overdue(TODAY)
    with pytest.raises(ValueError, match="only dropped with a reason"):
        Action(member_id="M-0001", what="x", due=TODAY, status="dropped")


def test_an_edit_after_acknowledgement_needs_acknowledging_again():
    meeting = Meeting(member_id="M-0001", held_on=TODAY, notes="Discussed queue times")
    assert acknowledgement_state(meeting) == "not yet acknowledged"
    acked = acknowledge(meeting, TODAY, agreed=True)
    assert acknowledgement_state(acked).startswith("read and agreed")
    edited = acked.model_copy(update={"notes": "Discussed queue times and breaks"})
    assert "needs acknowledging again" in acknowledgement_state(edited)
    with pytest.raises(ValueError, match="own words"):
        Meeting(member_id="M-0001", held_on=TODAY, agreed=False)
    disagreed = acknowledge(meeting, TODAY, agreed=False, disagreement="The queue was not my fault")
    assert "with disagreement" in acknowledgement_state(disagreed)


def test_improvement_plan_needs_evidence_and_lists_reviews_due():
    with pytest.raises(ValueError, match="link evidence"):
        ImprovementPlan(
            member_id="M-0001",
            started_on=TODAY,
            issues=[PlanIssue(text="Poor calls")],
            targets="x",
            support="y",
            reviews=[Review(due=TODAY)],
        )
    plan = ImprovementPlan(
        member_id="M-0001",
        started_on=date(2026, 10, 1),
        issues=[PlanIssue(text="Overshared a customer's address", evidence=["Q-0042"])],
        targets="No data protection fails in 8 checks",
        support="Refresher; buddy",
        reviews=[
            Review(due=date(2026, 10, 15), held_on=date(2026, 10, 15), outcome="on track"),
            Review(due=date(2026, 11, 15)),
            Review(due=date(2026, 12, 15)),
        ],
    )
    assert [r.due for r in plan.reviews_due(TODAY)] == [date(2026, 11, 15)]


def test_agenda_brings_open_items_first():
    actions = [Action(member_id="M-0001", what="Shadow Priya", due=date(2026, 11, 1))]
    objectives = [
        Objective(
            **SMART,
        ).model_copy(update={"due": date(2026, 12, 10)})
    ]
    # Each check now carries its standard's pass mark (and whether a critical item failed): the agenda
    # shows the score through show_score, which needs the mark not to round a 79.96 up to "80".
    items = agenda_for(
        "M-0001",
        actions,
        objectives,
        [{"id": "Q-0009", "date": "2026-11-03", "overall": 71.4, "passed": False, "pass_mark": 80}],
        [{"id": "C-0004", "stage": "investigating", "summary": "Late delivery"}],
        TODAY,
    )
    assert items[0].startswith("Action (member, due 01/11 — overdue)")
    assert any(i.startswith("Objective due 10/12/2026") for i in items)
    assert "Quality check Q-0009 on 2026-11-03: 71% not a pass" in items
    assert "Complaint C-0004 (investigating): Late delivery" in items


@pytest.mark.parametrize(
    "check, line, why",
    [
        ({"overall": 79.96, "passed": False, "pass_mark": 80}, "79.96% not a pass", "never '80% not a pass'"),
        ({"overall": 80.0, "passed": True, "pass_mark": 80}, "80% pass", "exactly the mark passes"),
        (
            {"overall": 95.0, "passed": False, "pass_mark": 80, "critical": True},
            "95% crit not a pass",
            "a critical fail is marked where the score is shown",
        ),
        ({"overall": None, "passed": False, "pass_mark": 80}, "Q-0001 on 03/11/2026", "all N/A: no score to show"),
    ],
)
def test_agenda_scores_never_contradict_their_result(check, line, why):
    items = agenda_for("M-0001", [], [], [{"id": "Q-0001", "date": "03/11/2026", **check}], [], TODAY)
    assert items == [
        f"Quality check Q-0001 on 03/11/2026: {line}" if check["overall"] is not None else f"Quality check {line}"
    ], why
