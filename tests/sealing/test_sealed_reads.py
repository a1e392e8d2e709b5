"""Sealing through the services: what is closed, and every read of older data finding it in the segment.

A team's rota with 60-hour weeks before the cut-off and after it: the working-time rules' 17-week average
for a week just after the cut-off reads the sealed shifts, and gives the same problems before and after
the seal; old weeks, exports and history read the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.services import Records
from supervisor_tui.storage import Store, StoreError, verify_record

START = date(2025, 1, 6)  # a Monday
CUT_OFF = date(2025, 6, 2)


class Moving:
    """A clock the test moves: entries are stamped when they would have been written."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def team(tmp_path) -> tuple[Records, Moving]:
    moving = Moving()
    records = Records(Store(str(tmp_path / "team.json"), clock=moving), Clock(source=moving))
    member = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=48, date_of_birth=date(1990, 4, 3))
    )
    for week in range(40):
        monday = START + timedelta(weeks=week)
        moving.now = datetime.combine(monday - timedelta(days=3), time(9), tzinfo=UTC)
        for day in range(5):  # 5 x 12 h: 60 hours a week, over the 48-hour average
            records.shifts.add(
                Shift(
                    member_id=member.saved_id,
                    day=monday + timedelta(days=day),
                    start=time(8),
                    end=time(20),
                    position="tills",
                )
            )
    moving.now = datetime(2025, 11, 20, 9, tzinfo=UTC)
    return records, moving


def reads(records: Records) -> dict[str, object]:
    week = CUT_OFF + timedelta(weeks=2)
    shifts = records.shifts
    return {
        "problems after the cut-off": [shifts.describe(p) for p in shifts.problems(week, week + timedelta(days=6))],
        "problems before it": [shifts.describe(p) for p in shifts.problems(START + timedelta(weeks=10), CUT_OFF)],
        "an old week": [s.id for s in shifts.between(START, START + timedelta(days=6))],
        "its export": shifts.export_week("2025-W02", "csv"),
        "a shift's history": [c.summary() for c in shifts.shifts.history("S-0001")],
    }


def test_the_17_week_look_back_and_every_older_read_find_the_sealed_shifts(team, tmp_path):
    records, _moving = team
    before = reads(records)
    assert any("48" in p for p in before["problems after the cut-off"])  # the average is over: it reads back
    preview = records.sealing.preview(CUT_OFF)
    assert preview.sealed["shifts"] == 21 * 5 and preview.staying["shifts"] == 19 * 5
    done = records.sealing.seal(CUT_OFF, "yearly")
    assert done.count == preview.count and records.store.segments()
    assert len(records.shifts.shifts.all()) == 19 * 5  # the live table holds the live period only
    assert reads(records) == before
    again = Records.open(str(tmp_path / "team.json"), clock=records.clock)
    assert reads(again) == before
    assert verify_record(tmp_path / "team.json").ok


def test_a_sealed_shift_cannot_be_changed_and_says_why(team):
    records, _moving = team
    records.sealing.seal(CUT_OFF, "yearly")
    old = records.shifts.shift("S-0001")
    with pytest.raises(StoreError, match=r"S-0001 is sealed \(segment 1, closed records from before 02/06/2025\)"):
        records.shifts.edit(old.model_copy(update={"start": time(9)}))


def test_the_cut_off_cannot_reach_into_the_working_time_look_back_or_the_future(team):
    records, _moving = team
    today = records.clock.today()
    with pytest.raises(ValueError, match="in the future"):
        records.sealing.preview(today + timedelta(days=1))
    with pytest.raises(ValueError, match="too recent: the working-time rules read the last 20 weeks"):
        records.sealing.preview(today - timedelta(weeks=19))
    records.sealing.seal(CUT_OFF, "yearly")
    with pytest.raises(ValueError, match="already sealed"):
        records.sealing.preview(CUT_OFF - timedelta(days=7))


def test_the_yearly_offer(team):
    records, moving = team
    assert records.sealing.offer() is None  # the record began under a year before the first of last month
    moving.now = datetime(2026, 3, 20, 9, tzinfo=UTC)
    assert records.sealing.offer() == date(2025, 3, 1)
    records.sealing.seal(date(2025, 3, 1), "yearly")
    assert records.sealing.offer() is None  # sealed this year


def test_a_sealed_check_is_still_known_as_evidence(tmp_path):
    from supervisor_tui.demo import build_demo

    from ..conftest import DEMO_NOW

    records = build_demo(tmp_path / "team.json", seed=1, clock=Clock.fixed(DEMO_NOW), months=4, team_size=6)
    check = records.quality.checks.all()[0]
    # Storage seals what it is given (the services' rules are not the point here): this one check.
    records.store.seal(date(2026, 11, 22), DEMO_NOW - timedelta(minutes=1), {"quality_checks": [check.id]}, "test")
    assert check.id not in {c.id for c in records.quality.checks.all()}
    assert records.one_to_ones.unknown_evidence([check.id, "Q-9999", "C-9999"]) == ["Q-9999", "C-9999"]
