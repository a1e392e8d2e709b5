"""The demo complaint log: every stage on screen whatever the seed, and a history that reads as it happened."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from supervisor_tui.demo import build_demo
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import STAGES
from supervisor_tui.domain.dates import local_to_utc
from supervisor_tui.storage.audit import utc_stamp

from ..conftest import DEMO_TODAY


@pytest.mark.parametrize("seed, today", [(1, date(2026, 11, 22)), (5, date(2026, 11, 25)), (9, date(2027, 1, 4))])
def test_every_stage_and_no_step_before_the_last_or_after_today(tmp_path, seed, today):
    # The clock stands at that day's afternoon: events are dated up to the demo's today, and a record
    # refuses events later than its clock's today.
    clock = Clock.fixed(datetime.combine(today, time(16), tzinfo=UTC))
    records = build_demo(tmp_path / "demo.json", seed=seed, today=today, clock=clock)
    complaints = records.complaints.repo.all()
    assert {c.stage for c in complaints} == set(STAGES)
    assert any(c.level > 0 for c in complaints) and any(c.pauses for c in complaints)
    assert [c.stage for c in records.complaints.open_by_urgency(today)][0] == "investigating"  # the breach leads
    midnight = utc_stamp(local_to_utc(today, time(0)))
    for c in complaints:
        stamps = [e.at for e in c.history]
        assert stamps == sorted(stamps), c.id
        assert stamps[-1] < midnight, c.id
        assert c.acknowledged_on is None or c.acknowledged_on < today


def test_demo_complaints_at_demo_today(demo_records):
    """At DEMO_TODAY the demo shows every stage, an escalation, a pause, a breach, and the bank-holiday Friday."""
    service = demo_records.complaints
    complaints = service.repo.all()
    assert {c.stage for c in complaints} == {
        "received",
        "acknowledged",
        "investigating",
        "resolved",
        "followed up",
        "closed",
    }
    assert any(c.level > 0 and any(e.what.startswith("escalated") for e in c.history) for c in complaints)
    paused = [c for c in complaints if c.waiting]
    assert paused and all(service.clocks(c, DEMO_TODAY)[1].status == "paused" for c in paused)
    breached = [c for c in complaints if any(k.status == "breached" for k in service.clocks(c, DEMO_TODAY))]
    assert len(breached) == 1 and breached[0].stage == "investigating"
    assert service.open_by_urgency(DEMO_TODAY)[0].id == breached[0].id
    assert {service.follow_up(c, DEMO_TODAY) for c in complaints} >= {"follow up", "follow-up late"}
    (friday,) = [c for c in complaints if service.received_day(c) == date(2026, 8, 28)]
    ack = service.clocks(friday, DEMO_TODAY)[0]
    assert (ack.due, ack.met_on, ack.status) == (date(2026, 9, 2), date(2026, 9, 1), "met")  # Wed due, met Tue


def test_demo_goods_complaint_with_a_repair_that_paused_the_30_days(demo_records):
    """The washing machine waiting on the customer: installed, repaired and faulty again. Its repair's
    waiting period (s.22(6)-(8)) keeps the short-term right to reject open at DEMO_TODAY, where 30 days
    from the installation notice (s.22(3)(c)) would already have ended."""
    from datetime import timedelta

    from supervisor_tui.domain.complaints import short_term_right

    (washer,) = [c for c in demo_records.complaints.repo.all() if c.repairs and c.trader_installs]
    goods = washer.goods()
    assert goods.start == goods.installed and goods.failed == 1 and washer.pauses
    assert goods.start + timedelta(days=30) < DEMO_TODAY
    right = short_term_right(goods.start, goods.repairs, DEMO_TODAY)
    assert right.state == "open" and right.moved and right.ends > DEMO_TODAY
    guide = demo_records.complaints.cra_guidance(washer, DEMO_TODAY)
    assert "the repair or replacement time did not count" in guide[0] and "final right to reject" in guide[2]
