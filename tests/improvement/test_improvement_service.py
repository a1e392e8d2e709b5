"""An improvement action through plan, do, check and act on a real record, its baseline and its review
measured from known data. No Textual."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.base import explain
from supervisor_tui.domain.briefing import Briefing
from supervisor_tui.domain.improvement import ImprovementAction
from supervisor_tui.domain.periods import Window
from supervisor_tui.services.today import OVERDUE, SOON, TODAY

from .conftest import check, complaint

PLANNED = date(2026, 11, 2)  # a Monday


@pytest.fixture
def history(rec, clock):
    """Ten delivery complaints in the eight weeks before the plan; two in the eight weeks after it started."""
    clock.to(date(2027, 2, 1))  # (so every complaint below is in the past when written)
    for n in range(10):
        complaint(rec, date(2026, 9, 8) + timedelta(days=5 * n), cause="delivery")
    complaint(rec, date(2026, 12, 1), cause="delivery")
    complaint(rec, date(2026, 12, 20), cause="delivery")
    complaint(rec, date(2026, 12, 21), cause="process")
    clock.to(PLANNED)
    return rec


def plan(rec, **extra) -> ImprovementAction:
    draft = rec.improvement.draft_from_root_cause("Delivery")
    fields = dict(
        title="Call customers when a delivery slips",
        source=draft.source,
        objective="Call every customer the day a delivery date slips, before they call us",
        owner="Sam Patel",
        measure=draft.measure,
        target=2,
        weeks=8,
        review_on=PLANNED + timedelta(weeks=9),
        agreed=True,
    )
    return rec.improvement.plan(**(fields | extra))


def briefing(rec, clock, day: date) -> Briefing:
    clock.to(day)
    return rec.shifts.save_briefing(Briefing(day=day, updates="Delivery call-backs start today"))


def test_the_baseline_is_read_from_the_record_when_planned(history):
    action = plan(history)
    assert (action.baseline.first, action.baseline.last) == (date(2026, 9, 7), date(2026, 11, 1))
    assert action.baseline.cases == 10
    assert action.baseline.figure(action.measure).text() == "5.4 a month (10 complaints)"
    assert action.stage == "plan" and action.planned_on == PLANNED
    assert history.improvement.smart_gaps(action) == []


def test_the_whole_cycle_with_before_and_after(history, clock):
    rec = history
    action = plan(rec)
    # Do: told at a briefing; the briefing lists it; a progress note.
    told = briefing(rec, clock, date(2026, 11, 3))
    action = rec.improvement.tell_at_briefing(action, told)
    assert (action.stage, action.started_on) == ("do", date(2026, 11, 3))
    assert [a.id for a in rec.improvement.for_briefing(told.saved_id)] == [action.id]
    action = rec.improvement.add_note(action, "Script agreed with the carriers' desk")
    assert action.notes[-1].text == "Script agreed with the carriers' desk"
    # Check: on the review date, the same eight weeks' length, ending the day before.
    clock.to(action.review_on)
    action = rec.improvement.review(action, "Fewer chasers; two slipped through")
    assert (action.check.first, action.check.last) == (date(2026, 11, 9), date(2027, 1, 3))
    assert action.check.cases == 2
    comparison = action.comparison()
    assert comparison.verdict == "better" and comparison.target_met is True
    assert comparison.text() == (
        "before 5.4 a month (10 complaints) · after 1.1 a month (2 complaints) · change -4.3 a month: better"
        " · target met"
    )
    # Act: adopted, with the reason; it cannot be decided again.
    clock.to(action.review_on + timedelta(days=1))
    decided, following = rec.improvement.decide(action, "adopt", "Call-backs are now the standard")
    assert (decided.stage_text(), following) == ("act: adopted", None)
    with pytest.raises(ValueError, match="cannot be decided again"):
        rec.improvement.decide(decided, "abandon", "changed my mind")
    # Each step is in the audit log with its words.
    reasons = [c.reason for c in rec.improvement.repo.history(action.saved_id)]
    assert reasons[0] == "improvement action planned" and reasons[-1] == "act: adopted: Call-backs are now the standard"
    assert any(r and r.startswith("reviewed: before 5.4 a month") for r in reasons)


def test_adjusting_starts_a_linked_cycle_with_a_fresh_baseline(history, clock):
    rec = history
    action = rec.improvement.tell_at_briefing(plan(rec), briefing(rec, clock, date(2026, 11, 3)))
    clock.to(action.review_on)
    action = rec.improvement.review(action, "")
    decided, following = rec.improvement.decide(
        action, "adjust", "Works, but the target was too easy", {"target": 1, "title": "Call-backs within the hour"}
    )
    assert decided.decision == "adjust" and following is not None
    assert (following.follows, following.stage, following.target, following.title) == (
        decided.id,
        "plan",
        1.0,
        "Call-backs within the hour",
    )
    assert following.source == action.source and following.measure == action.measure
    # Its baseline is the eight weeks before today, read now, not the first cycle's.
    assert following.baseline.last == action.review_on - timedelta(days=1)
    assert [a.id for a in rec.improvement.cycles(following)] == [action.id, following.id]
    assert [a.id for a in rec.improvement.cycles(action)] == [action.id, following.id]


def test_it_cannot_be_reviewed_before_the_team_was_told_nor_while_the_weeks_overlap(history, clock):
    rec = history
    action = plan(rec)
    clock.to(action.review_on)
    with pytest.raises(ValueError, match="tell the team at a briefing first"):
        rec.improvement.review(action, "")
    with pytest.raises(ValueError, match="review it first"):
        rec.improvement.decide(action, "adopt", "looks fine")
    action = rec.improvement.tell_at_briefing(action, briefing(rec, clock, date(2026, 11, 3)))
    clock.to(date(2026, 12, 1))
    with pytest.raises(ValueError, match="still overlap the baseline.*review on or after 28/12/2026"):
        rec.improvement.review(action, "")
    assert rec.improvement.comparison(action) is None  # no figure 'so far' while it overlaps
    clock.to(date(2026, 12, 28))
    assert rec.improvement.comparison(action).now.window == Window(date(2026, 11, 2), date(2026, 12, 27))


def test_a_briefing_before_the_plan_cannot_have_told_the_team(history, clock):
    rec = history
    earlier = briefing(rec, clock, date(2026, 10, 30))
    clock.to(PLANNED)
    action = plan(rec)
    with pytest.raises(ValueError, match="was before IA-0001 was planned"):
        rec.improvement.tell_at_briefing(action, earlier)
    told = rec.improvement.tell_at_briefing(action, briefing(rec, clock, date(2026, 11, 4)))
    with pytest.raises(ValueError, match="already linked"):
        rec.improvement.tell_at_briefing(told, rec.shifts.briefing_for(date(2026, 11, 4)))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"review_on": PLANNED + timedelta(weeks=4)}, "at least 8 weeks after planning"),
        ({"weeks": 0}, "Weeks measured"),
        ({"owner": ""}, "Owner"),
        ({"weeks": 60}, "Weeks measured"),
        ({"measure": {"kind": "category"}}, "say which category"),
        ({"source": {"kind": "suggestion"}}, "name the suggestion"),
        ({"source": {"kind": "mystery shop"}}, "say what the check found"),
        ({"source": {"kind": "kpi", "ref": "aht"}}, "'aht' is not a KPI"),
    ],
)
def test_a_plan_that_cannot_be_measured_is_refused_in_words(history, change, said):
    with pytest.raises(ValueError) as refused:
        plan(history, **change)
    error = refused.value
    words = " ".join(explain(error, ImprovementAction)) if isinstance(error, ValidationError) else str(error)
    assert said in words
    assert history.improvement.repo.all() == []


def test_an_objective_that_is_not_smart_is_named_by_the_one_to_ones_check(history):
    action = plan(history, objective="Better deliveries", target=None, agreed=False)
    gaps = history.improvement.smart_gaps(action)
    assert [g.split(":")[0] for g in gaps] == ["Specific", "Target", "Achievable"]
    assert "agree it with the team" in gaps[-1]


def test_a_target_the_baseline_already_meets_is_named(history):
    """A target already reached before the change measures nothing: the plan is nudged to aim beyond it."""
    gaps = history.improvement.smart_gaps(plan(history, target=6))  # baseline 5.4 a month, 'at most 6'
    assert gaps == [
        "Target: the baseline (5.4 a month) already meets at most 6.0 a month; aim beyond it, or measure what "
        "shows the problem."
    ]
    assert history.improvement.smart_gaps(plan(history, target=5.4)) != []  # met as shown, to the decimal
    assert history.improvement.smart_gaps(plan(history, target=5.3)) == []


def test_abandoning_before_it_started_needs_a_reason(history):
    action = plan(history)
    with pytest.raises(ValueError, match="says why"):
        history.improvement.decide(action, "abandon", "  ")
    decided, _ = history.improvement.decide(action, "abandon", "The carrier was replaced")
    assert decided.stage_text() == "act: abandoned"
    assert history.improvement.comparison(decided) is None  # no figure 'so far' for a change that stopped


def test_readings_are_kept_as_they_were_and_not_corrected_by_hand(history, clock):
    rec = history
    action = plan(rec)
    complaint(rec, date(2026, 10, 30), cause="delivery")  # logged late: the baseline read at the time stays
    assert rec.improvement.get(action.saved_id).baseline.cases == 10
    with pytest.raises(ValueError, match="measured or dated by the app"):
        rec.improvement.correct(action, "typo", baseline=action.baseline.model_copy(update={"cases": 3}))
    fixed = rec.improvement.correct(action, "owner changed", owner="Amy Stone")
    assert fixed.owner == "Amy Stone" and rec.improvement.repo.corrections(action.saved_id)[0].reason == "owner changed"


def test_reviews_due_on_today_late_first(history, clock):
    rec = history
    late = plan(rec)
    soon = plan(rec, title="Weekly carrier call", review_on=PLANNED + timedelta(weeks=10))
    clock.to(PLANNED + timedelta(weeks=10) - timedelta(days=3))
    lines = [(line.urgency, line.text) for line in rec.today.view().lines if line.part == "Improve"]
    assert lines == [
        (
            OVERDUE,
            f"{late.id} Call customers when a delivery slips: review was due Mon 04/01; "
            "not yet told to the team at a briefing",
        ),
        (SOON, f"{soon.id} Weekly carrier call: review due Mon 11/01; not yet told to the team at a briefing"),
    ]
    targets = [line.target for line in rec.today.view().lines if line.part == "Improve"]
    assert targets == [("improvement", late.saved_id), ("improvement", soon.saved_id)]
    told = rec.improvement.tell_at_briefing(late, briefing(rec, clock, clock.now.date()))
    clock.to(told.review_on + timedelta(weeks=2))
    reviewed = rec.improvement.review(told, "")
    assert [(line.urgency, line.text) for line in rec.today.view().lines if reviewed.id in line.text] == [
        (
            TODAY,
            f"{reviewed.id} Call customers when a delivery slips: reviewed {reviewed.checked_on:%d/%m}: decide to adopt, "
            "adjust or abandon",
        )
    ]


def test_the_report_says_each_action_with_its_figures(history, clock):
    rec = history
    action = rec.improvement.tell_at_briefing(plan(rec), briefing(rec, clock, date(2026, 11, 3)))
    clock.to(action.review_on)
    rec.improvement.review(action, "")
    (line,) = rec.improvement.report_lines(Window(date(2027, 1, 1), date(2027, 1, 31), "2027-01"))
    assert line.startswith(
        "IA-0001 Call customers when a delivery slips (check; owner Sam Patel; prompted by "
        "complaints with root cause 'delivery')"
    )
    assert "before 5.4 a month (10 complaints) · after 1.1 a month (2 complaints)" in line
    assert rec.improvement.report_lines(Window(date(2026, 10, 1), date(2026, 10, 31))) == []  # planned later


def test_from_a_complaint_and_a_criterion(history, clock):
    rec = history
    clock.to(date(2026, 11, 20))
    logged = complaint(rec, date(2026, 11, 18), cause="Training")
    rec.complaints.repo.update(
        logged.model_copy(update={"improvement_action": "Refresher on refunds", "lesson": "Nobody owned the refund"})
    )
    draft = rec.improvement.draft_from_complaint(logged.saved_id)
    # The handler's lesson, never the customer's words: those are erased from the complaint in time (retention).
    assert draft.source.note == "Nobody owned the refund" and "Parcel" not in draft.source.note
    assert (draft.source.kind, draft.source.ref, draft.title) == ("complaint", logged.id, "Refresher on refunds")
    assert (draft.measure.kind, draft.measure.subject) == ("root_cause", "training")
    assert rec.improvement.source_label(draft.source) == f"complaint {logged.id} (delivery)"
    open_one = complaint(rec, date(2026, 11, 19), category="Refund")
    assert rec.improvement.draft_from_complaint(open_one.saved_id).measure.kind == "category"
    check(rec, date(2026, 11, 19), greet="no")
    criterion = rec.improvement.draft_from_criterion("core-service", "greet")
    assert rec.improvement.source_label(criterion.source).startswith("checks meeting 'Greeted the customer")


def test_a_members_evidence_pack_holds_the_actions_they_suggested_or_own(history):
    """UK GDPR Art. 15: an action naming them (as its owner, or as who suggested it) is their personal data."""
    rec = history
    amy = rec.team.by_name("Amy Stone")
    suggestion = {"kind": "suggestion", "ref": amy.saved_id, "note": "Said the carriers' desk could call ahead"}
    mine = plan(rec, source=suggestion)
    theirs = plan(rec, title="Owned by Amy", owner="Amy Stone")
    plan(rec, title="Nothing to do with Amy")
    blocks = rec.evidence.person_blocks(amy.saved_id, None, None)
    text = "\n".join(t for _, t in blocks)
    assert f"{mine.id} planned 02/11/2026: Call customers when a delivery slips (suggested by them; plan)" in text
    assert f"{theirs.id} planned 02/11/2026: Owned by Amy (owned by them; plan)" in text
    assert "Nothing to do with Amy" not in text and "Said the carriers' desk could call ahead" in text
