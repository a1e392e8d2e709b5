"""The small service methods the screens call instead of reaching into a repository (issue 12)."""

from __future__ import annotations

from datetime import date, time

import pytest

from supervisor_tui.domain.coverage import Demand
from supervisor_tui.domain.dates import DateInputError
from supervisor_tui.domain.one_to_ones import ImprovementPlan, Objective, PlanIssue, Review
from supervisor_tui.services import Records


def test_a_shift_is_voided_at_its_current_version(demo_records: Records, db_path):
    shift = demo_records.shifts.between(date(2026, 11, 16), date(2026, 11, 22))[0]
    other = Records.open(str(db_path), create=False, clock=demo_records.clock)
    other.shifts.edit(other.shifts.shift(shift.id).model_copy(update={"note": "swapped"}))
    demo_records.store.refresh()  # as the app does when another session saves
    assert demo_records.shifts.shift(shift.id).note == "swapped"  # what a form reloads after a conflict
    demo_records.shifts.void(shift.id, "entered twice")
    assert shift.id not in {s.id for s in demo_records.shifts.between(shift.day, shift.day)}


def test_demand_is_added_and_seen(records: Records):
    assert not records.shifts.has_demand()
    records.shifts.add_demand(Demand(position="tills", weekday=0, start=time(9), end=time(17), people=2))
    assert records.shifts.has_demand()


def test_checks_on_a_standard_count_voided_ones(demo_records: Records):
    quality = demo_records.quality
    check = quality.checks_for(demo_records.team.members()[0].id)[0]
    used = quality.checks_on(check.standard_id)
    assert used >= 1 and quality.is_used(check.standard_id)
    quality.checks.void(check, "scored the wrong call")
    assert quality.checks_on(check.standard_id) == used


def test_a_notes_changes_leave_out_the_members_response(demo_records: Records):
    service = demo_records.one_to_ones
    member = next(m for m in demo_records.team.members() if service.meetings_for(m.id))
    meeting = service.meetings_for(member.id)[-1]
    before = len(service.note_changes(meeting.id))
    service.acknowledge(service.meeting(meeting.id), date(2026, 11, 21), agreed=True)
    assert len(service.note_changes(meeting.id)) == before
    corrected = service.correct_note(meeting.id, meeting.member_view, "Corrected: the call was on Tuesday", "typo")
    assert corrected.notes.startswith("Corrected") and len(service.note_changes(meeting.id)) == before + 1


def test_objectives_and_a_plan_from_start_to_close(demo_records: Records):
    service = demo_records.one_to_ones
    member = next(
        m
        for m in demo_records.team.members()
        if service.plan_for(m.id) is None and demo_records.quality.checks_for(m.id)
    )
    evidence = [demo_records.quality.checks_for(member.id)[0].id]
    objective = service.add_objective(
        Objective(member_id=member.id, text="Resolve more calls at first contact", measure="FCR", target="80%")
    )
    assert objective in service.open_objectives(member.id)
    plan = service.start_plan(
        ImprovementPlan(
            member_id=member.id,
            started_on=date(2026, 11, 22),
            issues=[PlanIssue(text="Refunds keyed wrongly", evidence=evidence)],
            targets="No refund errors for a month",
            support="Buddy on the returns desk",
            reviews=[Review(due=date(2026, 12, 6))],
        )
    )
    assert service.plan_for(member.id) == plan
    closed = service.close_plan(plan, "completed", "No errors since 1 December")
    assert closed.status == "completed" and service.plan_for(member.id) is None


def test_closed_complaints_newest_first_and_one_by_id(demo_records: Records):
    closed = demo_records.complaints.closed()
    assert closed and all(c.stage == "closed" for c in closed)
    assert [c.received_at for c in closed] == sorted((c.received_at for c in closed), reverse=True)
    assert demo_records.complaints.get(closed[0].id) == closed[0]


def test_received_is_stored_in_utc_and_never_in_the_future(demo_records: Records):
    # 22 November is GMT, so the wall clock and UTC agree
    assert demo_records.complaints.received_stamp("22/11/2026 09:30") == "2026-11-22T09:30:00.000000Z"
    with pytest.raises(DateInputError):
        demo_records.complaints.received_stamp("23/11/2026 09:30")


def test_the_sessions_login_is_the_stores_actor(records: Records, other_records: Records):
    assert other_records.login == "alice" and records.login == records.store.actor.login
