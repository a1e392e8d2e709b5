"""Events are not in the future and not before what they follow. The team clock's today reaches the
rules through the validation context; a stored record read back (no context) skips the relative ones."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from supervisor_tui.domain.base import explain
from supervisor_tui.domain.briefing import Briefing
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.one_to_ones import Action, ImprovementPlan, Meeting, Objective
from supervisor_tui.domain.quality import Kpi, QualityCheck
from supervisor_tui.domain.rota import Leave, Shift

TODAY = date(2026, 11, 22)
NEXT_WEEK = TODAY + timedelta(days=7)
CONTEXT = {"today": TODAY}

COMPLAINT = dict(received_at="2026-11-16T10:00:00Z", customer_name="Mrs J Smith", category="delivery", summary="Late")
CHECK = dict(member_id="M-0001", date=date(2026, 11, 16), standard_id="ST-0001")
MEETING = dict(member_id="M-0001", held_on=date(2026, 11, 16))
PLAN = dict(
    member_id="M-0001",
    started_on=date(2026, 11, 2),
    issues=[{"text": "Late", "evidence": ["Q-0001"]}],
    targets="On time",
    support="Buddy",
    reviews=[{"due": date(2026, 11, 16)}],
)
BRIEFING = dict(day=date(2026, 11, 16), targets="Queue under 3 minutes")
ACTION = dict(member_id="M-0001", what="Read the policy", due=date(2026, 11, 30))


def refusal(model: type[BaseModel], data: dict, context: dict | None = CONTEXT) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context=context)
    return "; ".join(explain(caught.value, model))


@pytest.mark.parametrize(
    "model, data, says, why",
    [
        (
            Complaint,
            {**COMPLAINT, "received_at": "2026-12-22T10:00:00Z"},
            "Received: 22/12/2026 is in the future",
            "a complaint received next month",
        ),
        (
            Complaint,
            {**COMPLAINT, "acknowledged_on": date(2026, 11, 15)},
            "Acknowledged on: 15/11/2026 is before the complaint was received (16/11/2026)",
            "acknowledged before receipt",
        ),
        (
            Complaint,
            {**COMPLAINT, "acknowledged_on": date(2026, 11, 18), "responded_on": date(2026, 11, 17)},
            "Responded on: 17/11/2026 is before it was acknowledged",
            "a response before the acknowledgement",
        ),
        (
            Complaint,
            {**COMPLAINT, "reopened_on": date(2026, 11, 1)},
            "Reopened on: 01/11/2026 is before",
            "reopened before it came in",
        ),
        (
            Complaint,
            {**COMPLAINT, "pauses": [{"start": "2026-11-01", "end": None}]},
            "Waiting on the customer",
            "waiting on the customer before they complained",
        ),
        (
            Complaint,
            {**COMPLAINT, "pauses": [{"start": "2026-11-18", "end": "2026-11-17"}]},
            "ends (17/11/2026) before",
            "a wait that ends before it starts",
        ),
        (
            Complaint,
            {**COMPLAINT, "responded_on": date(2026, 11, 18), "follow_up_on": date(2026, 11, 17)},
            "Follow up on: 17/11/2026 is before the response",
            "a follow-up planned before the response",
        ),
        (
            Complaint,
            {**COMPLAINT, "purchase_date": NEXT_WEEK},
            "Bought or delivered: 29/11/2026 is in the future",
            "goods bought next week",
        ),
        (
            Complaint,
            {**COMPLAINT, "purchase_date": date(2026, 11, 10), "refund_agreed_on": date(2026, 11, 9)},
            "Refund agreed on: 09/11/2026 is before the goods were bought or delivered",
            "a refund before the purchase",
        ),
        (
            Complaint,
            {**COMPLAINT, "purchase_date": date(2026, 11, 10), "refund_agreed_on": NEXT_WEEK},
            "Refund agreed on: 29/11/2026 is in the future",
            "a refund agreed next week",
        ),
        (QualityCheck, {**CHECK, "date": NEXT_WEEK}, "Date: 29/11/2026 is in the future", "a check dated next week"),
        (
            QualityCheck,
            {**CHECK, "discussed_on": date(2026, 11, 15)},
            "Discussed on: 15/11/2026 is before the check",
            "discussed before the interaction happened",
        ),
        (
            QualityCheck,
            {**CHECK, "discussed_on": NEXT_WEEK},
            "Discussed on: 29/11/2026 is in the future",
            "discussed next week",
        ),
        (
            Kpi,
            dict(member_id="M-0001", period="2026-12", csat=90),
            "Period: 2026-12 has not started yet",
            "next month's figures cannot be measured yet",
        ),
        (
            Meeting,
            {**MEETING, "held_on": NEXT_WEEK},
            "Held on: 29/11/2026 is in the future",
            "a meeting held next week",
        ),
        (
            Meeting,
            {**MEETING, "acknowledged_on": date(2026, 11, 15)},
            "Read on: 15/11/2026 is before the meeting",
            "a note read on before the meeting",
        ),
        (
            Meeting,
            {**MEETING, "acknowledged_on": NEXT_WEEK},
            "Read on: 29/11/2026 is in the future",
            "a note read next week",
        ),
        (
            Action,
            {**ACTION, "status": "done", "done_on": NEXT_WEEK},
            "Done on: 29/11/2026 is in the future",
            "an action done next week",
        ),
        (
            ImprovementPlan,
            {**PLAN, "started_on": NEXT_WEEK, "reviews": [{"due": NEXT_WEEK}]},
            "Started: 29/11/2026 is in the future",
            "a plan that has not started",
        ),
        (
            ImprovementPlan,
            {**PLAN, "reviews": [{"due": date(2026, 11, 1)}]},
            "Review milestones: 01/11/2026 is before the plan started",
            "a review due before the plan starts",
        ),
        (
            ImprovementPlan,
            {**PLAN, "reviews": [{"due": date(2026, 11, 16), "held_on": date(2026, 11, 1)}]},
            "Held on: 01/11/2026 is before the plan started",
            "a plan review held before the plan starts",
        ),
        (
            ImprovementPlan,
            {**PLAN, "reviews": [{"due": date(2026, 11, 16), "held_on": NEXT_WEEK}]},
            "Held on: 29/11/2026 is in the future",
            "a review held next week",
        ),
        (
            Briefing,
            {**BRIEFING, "day": NEXT_WEEK},
            "Date: 29/11/2026 is in the future",
            "attendance ticked for a briefing not yet given",
        ),
        (
            Briefing,
            {**BRIEFING, "caught_up": {"M-0001": date(2026, 11, 15)}},
            "Caught up: 15/11/2026 is before the briefing",
            "caught up on a briefing before it was given",
        ),
        (
            Leave,
            dict(member_id="M-0001", first_day=date(2026, 11, 20), last_day=date(2026, 11, 19)),
            "To: the last day cannot be before the first",
            "leave ending before it starts",
        ),
    ],
)
def test_events_in_the_future_or_before_what_they_follow_are_refused(model, data, says, why):
    assert says in refusal(model, data), why


@pytest.mark.parametrize(
    "model, data, why",
    [
        (
            Shift,
            dict(member_id="M-0001", day=NEXT_WEEK, start=time(9), end=time(17), position="tills"),
            "a rota is planned ahead",
        ),
        (Leave, dict(member_id="M-0001", first_day=NEXT_WEEK, last_day=NEXT_WEEK), "leave is booked ahead"),
        (Action, {**ACTION, "due": NEXT_WEEK}, "an action is due later"),
        (
            Objective,
            dict(member_id="M-0001", text="Answer in three rings", due=NEXT_WEEK),
            "an objective's date is a plan",
        ),
        (
            Complaint,
            {**COMPLAINT, "responded_on": date(2026, 11, 18), "follow_up_on": NEXT_WEEK},
            "a follow-up is planned ahead",
        ),
        (ImprovementPlan, {**PLAN, "reviews": [{"due": NEXT_WEEK}]}, "review milestones are planned ahead"),
        (Complaint, {**COMPLAINT, "received_at": "2026-11-22T23:30:00Z"}, "late on today, London time"),
    ],
)
def test_plans_may_be_ahead_of_today(model, data, why):
    assert model.model_validate(data, context=CONTEXT), why


@pytest.mark.parametrize(
    "model, data",
    [
        (Complaint, {**COMPLAINT, "received_at": "2026-12-22T10:00:00Z"}),
        (QualityCheck, {**CHECK, "date": NEXT_WEEK}),
        (Meeting, {**MEETING, "held_on": NEXT_WEEK}),
    ],
)
def test_reading_a_stored_record_skips_the_rules_about_today(model, data):
    """A record was checked against the clock when written; reading it later (no context) must not
    depend on whichever clock reads it."""
    assert model.model_validate(data)
    assert refusal(model, data)


def test_the_order_of_events_holds_without_a_clock_too():
    """Before-what-it-follows needs no clock, so a stored record cannot hold it either."""
    assert "before the meeting" in refusal(Meeting, {**MEETING, "acknowledged_on": date(2026, 11, 15)}, None)
