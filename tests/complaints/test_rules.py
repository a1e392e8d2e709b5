"""Complaint rules: stages, escalation, deadline maths over bank holidays and pauses, FCA, CRA."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.complaints import (Pause, Policy, StageError, check_escalation, check_move, cra_guidance,
                                              deadline_clocks, missing_steps, summary_resolution_eligible, urgency)

FRI_BEFORE_XMAS = date(2026, 12, 18)
THU_BEFORE_AUG_BH = date(2026, 8, 27)  # Monday 31 August 2026 is the summer bank holiday


@pytest.mark.parametrize("current, target, ok", [
    ("received", "acknowledged", True), ("received", "investigating", False),  # no skipping acknowledgement
    ("received", "resolved", False), ("acknowledged", "investigating", True), ("investigating", "resolved", True),
    ("resolved", "followed up", True), ("followed up", "closed", True), ("closed", "resolved", False),
])
def test_stage_order(current, target, ok):
    if ok:
        check_move(current, target, outcome="refund")
    else:
        with pytest.raises(StageError):
            check_move(current, target, outcome="refund")


def test_closing_needs_an_outcome_and_reopening_a_reason():
    with pytest.raises(StageError, match="outcome"):
        check_move("followed up", "closed")
    with pytest.raises(StageError, match="reason"):
        check_move("closed", "investigating")
    check_move("closed", "investigating", reason="customer says the repair failed again")
    with pytest.raises(StageError, match="Next is 'acknowledged'"):
        check_move("received", "investigating")


def test_escalation_needs_a_reason_and_a_real_move():
    assert check_escalation(0, 2, "customer asked for the manager") == "escalated"
    assert check_escalation(2, 1, "handed back with a plan") == "de-escalated"
    for current, target, reason, says in [(1, 1, "x", "already"), (0, 1, " ", "reason"), (0, 9, "x", "0 to 4")]:
        with pytest.raises(ValueError, match=says):
            check_escalation(current, target, reason)


def test_checklist():
    assert missing_steps({"heard": True, "apologised": True}) == ["Empathised", "Took action", "Followed up"]


@pytest.mark.parametrize("received, ack_due, final_due", [
    (date(2026, 11, 23), date(2026, 11, 25), date(2026, 12, 14)),      # an ordinary Monday
    (FRI_BEFORE_XMAS, date(2026, 12, 22), date(2027, 1, 13)),          # over Christmas, Boxing Day substitute, New Year
    (THU_BEFORE_AUG_BH, date(2026, 9, 1), date(2026, 9, 18)),          # before the August bank-holiday weekend
])
def test_business_day_deadlines(received, ack_due, final_due):
    ack, final = deadline_clocks(received, Policy(), received, acknowledged_on=None, responded_on=None)
    assert (ack.due, final.due) == (ack_due, final_due)


def test_fca_eight_weeks_and_summary_resolution():
    ack, final = deadline_clocks(date(2026, 11, 23), Policy(fca=True), date(2026, 11, 23),
                                 acknowledged_on=None, responded_on=None)
    assert final.due == date(2027, 1, 18)
    assert summary_resolution_eligible(FRI_BEFORE_XMAS, date(2026, 12, 23))       # Mon 21, Tue 22, Wed 23
    assert not summary_resolution_eligible(FRI_BEFORE_XMAS, date(2026, 12, 24))
    assert summary_resolution_eligible(THU_BEFORE_AUG_BH, date(2026, 9, 2))       # Fri, Tue, Wed
    assert not summary_resolution_eligible(THU_BEFORE_AUG_BH, None)


def test_clock_states_and_urgency_order():
    received = date(2026, 11, 2)
    kwargs = dict(acknowledged_on=date(2026, 11, 3), responded_on=None)
    running = deadline_clocks(received, Policy(), date(2026, 11, 5), **kwargs)
    at_risk = deadline_clocks(received, Policy(), date(2026, 11, 20), **kwargs)
    breached = deadline_clocks(received, Policy(), date(2026, 11, 25), **kwargs)
    assert [c.status for c in running] == ["met", "running"]
    assert at_risk[1].status == "at risk" and breached[1].status == "breached"
    assert sorted([running, breached, at_risk], key=urgency) == [breached, at_risk, running]
    late = deadline_clocks(received, Policy(), date(2026, 11, 25), acknowledged_on=date(2026, 11, 9), responded_on=None)
    assert late[0].status == "met late"


def test_waiting_on_the_customer_pauses_the_clock():
    received = date(2026, 11, 2)
    paused = deadline_clocks(received, Policy(), date(2026, 11, 25), acknowledged_on=date(2026, 11, 3),
                             responded_on=None, pauses=[Pause(date(2026, 11, 10))])
    assert paused[1].status == "paused" and paused[1].due == date(2026, 12, 8)  # 23 Nov + 15 days waiting
    resumed = deadline_clocks(received, Policy(), date(2026, 11, 25), acknowledged_on=date(2026, 11, 3),
                              responded_on=None, pauses=[Pause(date(2026, 11, 10), date(2026, 11, 17))])
    assert resumed[1].due == date(2026, 11, 30) and resumed[1].status == "running"  # 23 Nov + 7 days


@pytest.mark.parametrize("bought, today, repairs, refund, expect", [
    (date(2026, 11, 1), date(2026, 11, 20), 0, None, ["short-term right to reject applies", "presumed"]),
    (date(2026, 9, 1), date(2026, 11, 20), 0, None, ["has passed", "presumed"]),
    (date(2026, 1, 10), date(2026, 11, 20), 1, None, ["has passed", "may need to show", "price reduction"]),
    (date(2026, 11, 1), date(2026, 11, 20), 0, date(2026, 11, 1), ["overdue"]),
    (date(2026, 11, 1), date(2026, 11, 20), 0, date(2026, 11, 18), ["due by 02/12/2026"]),
])
def test_consumer_rights_act_windows(bought, today, repairs, refund, expect):
    text = " ".join(cra_guidance(bought, today, repairs, refund))
    assert all(e in text for e in expect) and "not legal advice" in text
