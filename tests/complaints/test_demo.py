"""The demo complaint log: every stage on screen whatever the seed, and a history that reads as it happened."""

from __future__ import annotations

from datetime import date, time

import pytest

from supervisor_tui.demo import build_demo
from supervisor_tui.domain.complaints import STAGES
from supervisor_tui.domain.dates import local_to_utc
from storage.audit import utc_stamp


@pytest.mark.parametrize("seed, today", [(1, date(2026, 11, 22)), (5, date(2026, 11, 25)), (9, date(2027, 1, 4))])
def test_every_stage_and_no_step_before_the_last_or_after_today(tmp_path, seed, today):
    records = build_demo(tmp_path / "demo.json", seed=seed, today=today)
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
