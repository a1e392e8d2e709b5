"""The small service methods the Improvement screens call: the choices they offer (what prompted an action,
the briefings that could have told the team, the actions a briefing could tell), the checks made before
anything is typed or saved (a plan's SMART gaps, a decision, a review's figure), and the quality service's
weakest criteria with their family and key. No Textual."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.briefing import Briefing

from .conftest import check, complaint

PLANNED = date(2026, 11, 2)


@pytest.fixture
def planned(rec, clock):
    """Ten delivery complaints before PLANNED, and an action planned from the root cause on it."""
    clock.to(date(2027, 2, 1))
    for n in range(10):
        complaint(rec, date(2026, 9, 8) + timedelta(days=5 * n), cause="delivery")
    clock.to(PLANNED)
    draft = rec.improvement.draft_from_root_cause("delivery")
    return rec.improvement.plan(
        title="Call when a slot slips",
        source=draft.source,
        objective="Call every customer the day a delivery slips",
        owner="Sam Patel",
        measure=draft.measure,
        target=2,
        agreed=True,
    )


def briefing(rec, clock, day: date) -> Briefing:
    clock.to(day)
    return rec.shifts.save_briefing(Briefing(day=day, updates="Call-backs"))


def test_what_can_have_prompted_an_action(rec, clock):
    clock.to(date(2026, 11, 20))
    older = complaint(rec, date(2026, 11, 2), category="refund")
    newer = complaint(rec, date(2026, 11, 18), cause="Carrier")
    choices = rec.improvement.source_choices
    assert choices("complaint")[:2] == [
        (f"{newer.id} delivery (18/11/2026)", newer.id),
        (f"{older.id} refund (02/11/2026)", older.id),
    ]  # newest first, and never the customer's name
    causes = [ref for _, ref in choices("root cause")]
    assert "carrier" in causes and causes.index("carrier") > 0  # the listed causes first, then those on record
    assert ("Greeted the customer promptly and warmly (Core service standard)", "core-service:greet") in choices(
        "criterion"
    )
    assert [ref for _, ref in choices("kpi")] == ["csat", "nps", "fcr"]
    assert choices("suggestion") == [("Amy Stone", "M-0002"), ("Sam Patel", "M-0001")]
    assert choices("mystery shop") == []
    shop = check(rec, date(2026, 11, 19), greet="no")
    rec.quality.checks.update(shop.model_copy(update={"kind": "mystery shop"}))
    assert choices("mystery shop") == [(f"{shop.id} 19/11/2026 Sam Patel", shop.id)]
    with pytest.raises(ValueError, match="'rumour' is not a source"):
        choices("rumour")


def test_the_briefings_that_could_have_told_the_team(rec, clock, planned):
    before = briefing(rec, clock, PLANNED - timedelta(days=1))
    first = briefing(rec, clock, PLANNED + timedelta(days=1))
    second = briefing(rec, clock, PLANNED + timedelta(days=2))
    service = rec.improvement
    assert [b.id for b in service.briefing_choices(planned)] == [second.id, first.id]  # newest first, none before
    told = service.tell_at_briefing(planned, first)
    assert [b.id for b in service.briefing_choices(told)] == [second.id]  # not linked twice
    assert service.told_at(told) == [(first.id, first.day)]
    assert [a.id for a in service.to_tell_at(second)] == [told.id]
    assert service.to_tell_at(first) == [] and service.to_tell_at(before) == []  # linked already; before the plan
    decided, _ = service.decide(told, "abandon", "carrier replaced")
    assert service.to_tell_at(second) == []  # a decided action is not told again


def test_a_plans_smart_gaps_are_worked_out_without_saving(rec, planned):
    service = rec.improvement
    fields = dict(
        title="Another",
        source=planned.source,
        objective="Better deliveries",
        owner="Sam Patel",
        measure=planned.measure,
    )
    gaps = service.check_plan(**fields)
    assert [g.split(":")[0] for g in gaps] == ["Specific", "Target", "Achievable"]
    assert service.check_plan(**fields | {"objective": planned.objective, "target": 2, "agreed": True}) == []
    with pytest.raises(ValidationError):
        service.check_plan(**fields | {"weeks": 0})
    assert [a.id for a in service.repo.all()] == [planned.id]  # nothing written


def test_a_decision_and_a_review_are_checked_before_anything_is_typed(rec, clock, planned):
    service = rec.improvement
    with pytest.raises(ValueError, match="review it first"):
        service.check_decision(planned, "adjust", "the target was too easy")
    assert service.check_decision(planned, "abandon", "carrier replaced").decision == "abandon"
    with pytest.raises(ValueError, match="tell the team at a briefing first"):
        service.review_figure(planned)
    told = service.tell_at_briefing(planned, briefing(rec, clock, PLANNED + timedelta(days=1)))
    clock.to(told.review_on)
    figure = service.review_figure(told)
    assert figure.window.last == told.review_on - timedelta(days=1) and figure.cases == 0
    assert service.get(told.saved_id).check is None  # only read, not kept
    assert service.history(told.saved_id)[-1].reason == "told to the team at the briefing of 03/11/2026"


def test_a_stored_objective_with_a_control_character_is_still_checked(rec, planned):
    """An objective on record (older, or edited by hand) with an ESC in it: its SMART check reads it as
    stored, rather than refusing it as typing and breaking the action's page."""
    stored = rec.store.get("improvement_actions", planned.saved_id)
    rec.store.update("improvement_actions", planned.saved_id, {"objective": "Call \x1b[2J"}, stored["version"], "x")
    action = rec.improvement.get(planned.saved_id)
    assert [g.split(":")[0] for g in rec.improvement.smart_gaps(action)] == ["Specific"]


def test_the_weakest_criteria_with_family_and_key(rec, clock):
    clock.to(date(2026, 11, 20))
    for day in (10, 11, 12):
        check(rec, date(2026, 11, day), greet="no")
    weakest = rec.quality.team_weak_criteria(date(2026, 11, 1))
    first = weakest[0]
    assert (first.family, first.key, first.subject, first.share, first.scored) == (
        "core-service",
        "greet",
        "core-service:greet",
        0.0,
        3,
    )
    assert first.text.startswith("Greeted the customer")
    # The old shape stays for its callers: (text, share, times scored), in the same order.
    assert rec.quality.team_weakest(date(2026, 11, 1)) == [(w.text, w.share, w.scored) for w in weakest]
