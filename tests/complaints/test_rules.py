"""Complaint rules: stages, escalation, deadline maths over bank holidays and pauses, FCA, CRA."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.complaints import (
    Goods,
    Pause,
    Policy,
    StageError,
    check_escalation,
    check_move,
    cra_guidance,
    deadline_clocks,
    follow_up_status,
    missing_steps,
    paused_days,
    summary_resolution_eligible,
    urgency,
)

FRI_BEFORE_XMAS = date(2026, 12, 18)
THU_BEFORE_AUG_BH = date(2026, 8, 27)  # Monday 31 August 2026 is the summer bank holiday
FRI_BEFORE_AUG_BH, TUE_AFTER_AUG_BH = date(2026, 8, 28), date(2026, 9, 1)
MON_2_NOV = date(2026, 11, 2)  # a Monday: 15 business days later is Monday 23 November, 8 weeks is 28 December


@pytest.mark.parametrize(
    "current, target, ok",
    [
        ("received", "acknowledged", True),
        ("received", "investigating", False),  # no skipping acknowledgement
        ("received", "resolved", False),
        ("acknowledged", "investigating", True),
        ("investigating", "resolved", True),
        ("resolved", "followed up", True),
        ("followed up", "closed", True),
        ("closed", "resolved", False),
    ],
)
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


@pytest.mark.parametrize(
    "received, ack_due, final_due",
    [
        (date(2026, 11, 23), date(2026, 11, 25), date(2026, 12, 14)),  # an ordinary Monday
        (FRI_BEFORE_XMAS, date(2026, 12, 22), date(2027, 1, 13)),  # over Christmas, Boxing Day substitute, New Year
        (THU_BEFORE_AUG_BH, date(2026, 9, 1), date(2026, 9, 18)),  # before the August bank-holiday weekend
    ],
)
def test_business_day_deadlines(received, ack_due, final_due):
    ack, final = deadline_clocks(received, Policy(), received, region="ENG", acknowledged_on=None, responded_on=None)
    assert (ack.due, final.due) == (ack_due, final_due)


def test_fca_eight_weeks_and_summary_resolution():
    ack, final = deadline_clocks(
        date(2026, 11, 23), Policy(fca=True), date(2026, 11, 23), region="ENG", acknowledged_on=None, responded_on=None
    )
    assert final.due == date(2027, 1, 18)
    assert summary_resolution_eligible(FRI_BEFORE_XMAS, date(2026, 12, 23), "ENG")  # Mon 21, Tue 22, Wed 23
    assert not summary_resolution_eligible(FRI_BEFORE_XMAS, date(2026, 12, 24), "ENG")
    assert summary_resolution_eligible(THU_BEFORE_AUG_BH, date(2026, 9, 2), "ENG")  # Fri, Tue, Wed
    assert not summary_resolution_eligible(THU_BEFORE_AUG_BH, None, "ENG")


def test_clock_states_and_urgency_order():
    received = date(2026, 11, 2)
    kwargs = dict(region="ENG", acknowledged_on=date(2026, 11, 3), responded_on=None)
    running = deadline_clocks(received, Policy(), date(2026, 11, 5), **kwargs)
    at_risk = deadline_clocks(received, Policy(), date(2026, 11, 20), **kwargs)
    breached = deadline_clocks(received, Policy(), date(2026, 11, 25), **kwargs)
    assert [c.status for c in running] == ["met", "running"]
    assert at_risk[1].status == "at risk" and breached[1].status == "breached"
    assert sorted([running, breached, at_risk], key=urgency) == [breached, at_risk, running]
    late = deadline_clocks(
        received, Policy(), date(2026, 11, 25), region="ENG", acknowledged_on=date(2026, 11, 9), responded_on=None
    )
    assert late[0].status == "met late"


def test_waiting_on_the_customer_pauses_the_clock():
    received = date(2026, 11, 2)
    paused = deadline_clocks(
        received,
        Policy(),
        date(2026, 11, 25),
        region="ENG",
        acknowledged_on=date(2026, 11, 3),
        responded_on=None,
        pauses=[Pause(start=date(2026, 11, 10))],
    )
    assert paused[1].status == "paused" and paused[1].due == date(2026, 12, 8)  # 23 Nov + 15 days waiting
    resumed = deadline_clocks(
        received,
        Policy(),
        date(2026, 11, 25),
        region="ENG",
        acknowledged_on=date(2026, 11, 3),
        responded_on=None,
        pauses=[Pause(start=date(2026, 11, 10), end=date(2026, 11, 17))],
    )
    assert resumed[1].due == date(2026, 11, 30) and resumed[1].status == "running"  # 23 Nov + 7 days


@pytest.mark.parametrize(
    "bought, today, repairs, refund, expect",
    [
        (date(2026, 11, 1), date(2026, 11, 20), 0, None, ["short-term right to reject (s.22): open", "presumed"]),
        (date(2026, 9, 1), date(2026, 11, 20), 0, None, ["(s.22): ended", "presumed"]),
        (date(2026, 1, 10), date(2026, 11, 20), 1, None, ["(s.22): ended", "may need to show", "price reduction"]),
        (date(2026, 11, 1), date(2026, 11, 20), 0, date(2026, 11, 1), ["overdue"]),
        # Was "due by 02/12/2026" (agreement day + 14): wrong in law. s.20(15) gives 14 days *beginning with*
        # the day the trader agrees, so the agreement day is day 1 and the last day is 01/12/2026.
        (date(2026, 11, 1), date(2026, 11, 20), 0, date(2026, 11, 18), ["by 01/12/2026 at the latest"]),
    ],
)
def test_consumer_rights_act_windows(bought, today, repairs, refund, expect):
    """An older record's single 'bought or delivered' date stands for ownership and delivery both."""
    goods = Goods(ownership=bought, delivery=bought, failed_before=repairs, refund_agreed_on=refund)
    text = " ".join(cra_guidance(goods, today))
    assert all(e in text for e in expect) and "not legal advice" in text


@pytest.mark.parametrize(
    "pauses, until, region, days",
    [
        (
            [Pause(start=date(2026, 11, 20), end=date(2026, 11, 23))],
            date(2026, 11, 30),
            "ENG",
            1,
        ),  # Fri to Mon: the Friday only
        (
            [Pause(start=date(2026, 11, 20), end=date(2026, 11, 23))],
            date(2026, 11, 30),
            None,
            3,
        ),  # calendar: Fri, Sat, Sun
        (
            [Pause(start=FRI_BEFORE_AUG_BH, end=TUE_AFTER_AUG_BH)],
            date(2026, 9, 30),
            "ENG",
            1,
        ),  # Mon 31 Aug is a bank holiday
        ([Pause(start=FRI_BEFORE_AUG_BH, end=TUE_AFTER_AUG_BH)], date(2026, 9, 30), None, 4),
        ([Pause(start=FRI_BEFORE_AUG_BH, end=TUE_AFTER_AUG_BH)], date(2026, 9, 30), "SCT", 2),  # ...but not in Scotland
        (
            [Pause(start=date(2026, 11, 27), end=date(2026, 12, 1))],
            date(2026, 12, 31),
            "SCT",
            1,
        ),  # St Andrew's Day, Mon 30 Nov
        ([Pause(start=date(2026, 11, 27), end=date(2026, 12, 1))], date(2026, 12, 31), "ENG", 2),
        (
            [Pause(start=date(2026, 11, 21), end=date(2026, 11, 23))],
            date(2026, 11, 30),
            "ENG",
            0,
        ),  # a weekend costs nothing
        (
            [
                Pause(start=date(2026, 11, 13), end=date(2026, 11, 16)),
                Pause(start=date(2026, 11, 18), end=date(2026, 11, 20)),
            ],
            date(2026, 11, 30),
            "ENG",
            3,
        ),  # pauses add up: 1 + 2
        ([Pause(start=date(2026, 11, 16))], date(2026, 11, 20), "ENG", 4),  # still open: Mon-Thu, to until
        ([Pause(start=date(2026, 11, 16))], date(2026, 11, 20), None, 4),
        ([Pause(start=date(2026, 11, 16), end=date(2026, 11, 30))], date(2026, 11, 18), "ENG", 2),  # cut off at until
        ([Pause(start=date(2026, 11, 20))], date(2026, 11, 18), "ENG", 0),  # starts after until
        ([Pause(start=date(2026, 11, 20))], date(2026, 11, 18), None, 0),
        (
            [Pause(start=date(2026, 11, 18), end=date(2026, 11, 18))],
            date(2026, 11, 30),
            "ENG",
            0,
        ),  # paused and resumed the same day
    ],
)
def test_paused_days_cover_start_to_end_in_business_or_calendar_days(pauses, until, region, days):
    """A pause covers [start, end) (an open one up to ``until``); with a region only business days count."""
    assert paused_days(pauses, until, region) == days


@pytest.mark.parametrize(
    "received, policy, pauses, today, responded, final_due, status",
    [
        # Business-day policy: a Fri-Mon pause moves the due date by 1 business day (Tue 24), not 3 (Thu 26).
        (
            MON_2_NOV,
            Policy(),
            [Pause(start=date(2026, 11, 13), end=date(2026, 11, 16))],
            date(2026, 11, 18),
            None,
            date(2026, 11, 24),
            "running",
        ),
        # FCA: this case expected 31/12/2026 (8 weeks moved by the 3 days waited), which was wrong in law:
        # DISP 1.6.2R has no stop-the-clock, so the 8 weeks end on 28/12/2026 however long they waited.
        (
            MON_2_NOV,
            Policy(fca=True),
            [Pause(start=date(2026, 11, 13), end=date(2026, 11, 16))],
            date(2026, 11, 18),
            None,
            date(2026, 12, 28),
            "running",
        ),
        # Over the August bank holiday: due Tue 8 Sep without the pause, Wed 9 Sep with it. FCA: this case
        # expected 16/10 (12 Oct + 4 days waited), wrong in law for the same reason: DISP 1.6.2R, 12 Oct.
        (
            date(2026, 8, 17),
            Policy(),
            [Pause(start=FRI_BEFORE_AUG_BH, end=TUE_AFTER_AUG_BH)],
            date(2026, 9, 2),
            None,
            date(2026, 9, 9),
            "running",
        ),
        (
            date(2026, 8, 17),
            Policy(fca=True),
            [Pause(start=FRI_BEFORE_AUG_BH, end=TUE_AFTER_AUG_BH)],
            date(2026, 9, 2),
            None,
            date(2026, 10, 12),
            "running",
        ),
        # Still waiting: the pause counts up to today (Fri 13, Mon 16, Tue 17), so the due date keeps moving.
        (
            MON_2_NOV,
            Policy(),
            [Pause(start=date(2026, 11, 13))],
            date(2026, 11, 18),
            None,
            date(2026, 11, 26),
            "paused",
        ),
        (
            MON_2_NOV,
            Policy(),
            [Pause(start=date(2026, 11, 13))],
            date(2026, 11, 19),
            None,
            date(2026, 11, 27),
            "paused",
        ),
        # FCA, still waiting: this case expected 02/01/2027 and 'paused', wrong in law: the 8 weeks keep
        # running while they wait (DISP 1.6.2R), so it is due 28/12/2026 and the clock is running, not paused.
        (
            MON_2_NOV,
            Policy(fca=True),
            [Pause(start=date(2026, 11, 13))],
            date(2026, 11, 18),
            None,
            date(2026, 12, 28),
            "running",
        ),
        # ...or up to the response, whatever today is (Fri 13 and Mon 16 -> Wed 25), met on Tue 17.
        (
            MON_2_NOV,
            Policy(),
            [Pause(start=date(2026, 11, 13))],
            date(2026, 11, 30),
            date(2026, 11, 17),
            date(2026, 11, 25),
            "met",
        ),
        # A pause that starts after the response moves nothing.
        (
            MON_2_NOV,
            Policy(),
            [Pause(start=date(2026, 11, 20), end=date(2026, 11, 27))],
            date(2026, 11, 30),
            date(2026, 11, 18),
            date(2026, 11, 23),
            "met",
        ),
    ],
)
def test_a_pause_moves_the_final_response_due_date(received, policy, pauses, today, responded, final_due, status):
    """Business-day deadlines move by the business days waited; the FCA's 8 weeks never move (DISP 1.6.2R)."""
    ack, final = deadline_clocks(
        received, policy, today, region="ENG", acknowledged_on=received, responded_on=responded, pauses=pauses
    )
    assert (final.due, final.status) == (final_due, status)
    assert ack.status == "met"  # the acknowledgement clock is never paused


@pytest.mark.parametrize(
    "stage, follow_up_on, today, expect",
    [
        ("resolved", date(2026, 11, 20), date(2026, 11, 19), "follow up"),
        ("resolved", date(2026, 11, 20), date(2026, 11, 20), "follow up today"),
        ("resolved", date(2026, 11, 20), date(2026, 11, 21), "follow-up late"),
        ("resolved", None, date(2026, 11, 21), None),  # no follow-up agreed
        ("followed up", date(2026, 11, 20), date(2026, 11, 21), None),  # done: nothing to chase
        ("closed", date(2026, 11, 20), date(2026, 11, 21), None),
        ("investigating", date(2026, 11, 20), date(2026, 11, 21), None),
        ("received", date(2026, 11, 20), date(2026, 11, 20), None),
    ],
)
def test_follow_up_status(stage, follow_up_on, today, expect):
    """Only a resolved complaint with a follow-up date has a follow-up to come, due today, or late."""
    assert follow_up_status(stage, follow_up_on, today) == expect


def test_a_late_follow_up_sorts_after_a_breach_but_before_a_running_clock():
    """urgency: breached, then a late follow-up, then a running clock, then a follow-up still to come."""
    today = date(2026, 11, 25)
    breached = deadline_clocks(
        MON_2_NOV, Policy(), today, region="ENG", acknowledged_on=date(2026, 11, 3), responded_on=None
    )
    running = deadline_clocks(
        date(2026, 11, 20), Policy(), today, region="ENG", acknowledged_on=date(2026, 11, 23), responded_on=None
    )
    answered = deadline_clocks(
        MON_2_NOV, Policy(), today, region="ENG", acknowledged_on=date(2026, 11, 3), responded_on=date(2026, 11, 10)
    )
    assert [breached[1].status, running[1].status, answered[1].status] == ["breached", "running", "met"]
    late_on, later_on = date(2026, 11, 17), date(2026, 12, 1)
    late = (answered, follow_up_status("resolved", late_on, today), late_on)
    to_come = (answered, follow_up_status("resolved", later_on, today), later_on)
    keys = {
        "breached": urgency(breached),
        "late": urgency(*late),
        "running": urgency(running),
        "to come": urgency(*to_come),
    }
    assert keys["late"] == (1, late_on)
    assert sorted(keys, key=keys.get) == ["breached", "late", "running", "to come"]
