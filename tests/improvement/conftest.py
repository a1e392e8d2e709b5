"""A record whose team clock can be moved on, so an improvement action can be planned, told, measured and
reviewed weeks apart; and helpers that put known complaints, checks and KPI returns in it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.quality import Kpi, QualityCheck, Scale, Standard
from supervisor_tui.services import Records
from supervisor_tui.storage import Store

START = date(2026, 9, 1)


class MovingClock:
    """The team's 'now', moved on by the test."""

    def __init__(self, day: date):
        self.now = datetime.combine(day, time(12), tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def to(self, day: date) -> None:
        self.now = datetime.combine(day, time(12), tzinfo=UTC)


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(START)


@pytest.fixture
def rec(db_path, clock) -> Records:
    """An empty record, with two people and the default quality standards, on the moving clock. The store
    stamps its entries from a fixed early clock: the audit trail's own time is not what is measured."""
    store = Store(str(db_path), clock=Clock.fixed(datetime(2026, 1, 5, 9, tzinfo=UTC)).now)
    records = Records(store, Clock(source=clock))
    records.team.add(Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 1, 1)))
    records.team.add(Member(name="Amy Stone", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1991, 2, 2)))
    records.quality.load_default_pack()
    return records


def complaint(
    rec: Records, on: date, *, cause: str = "", category: str = "delivery", late_ack: bool = False, acked: bool = True
) -> Complaint:
    """A complaint received at 10:00 on ``on``: resolved with ``cause`` as its root cause if one is given
    (a root cause is known once resolved), else still being investigated. Acknowledged the same day, or,
    with ``late_ack``, ten days later (after the acknowledgement clock ran out); or, not ``acked``, not yet."""
    acknowledged = on + timedelta(days=10 if late_ack else 0)
    fields = dict(
        received_at=f"{on.isoformat()}T10:00:00.000000Z",
        customer_name="Mrs J Smith",
        category=category,
        summary="Parcel arrived late",
        acknowledged_on=acknowledged if acked else None,
        stage="investigating",
    )
    if cause:
        fields |= dict(stage="resolved", root_cause=cause, responded_on=acknowledged, outcome="Apologised")
    return rec.complaints.repo.create(Complaint(**fields))


def core(rec: Records) -> Standard:
    return next(s for s in rec.quality.current_standards() if s.family == "core-service")


def check(rec: Records, on: date, who: str = "Sam Patel", *, greet: str = "yes", calibration: str = "") -> QualityCheck:
    """A check on the core standard, full marks except 'greet' as given."""
    standard = core(rec)
    scores = {c.key: (c.max_points if c.scale == Scale.points else "yes") for c in standard.criteria}
    member = rec.team.by_name(who)
    assert member is not None
    return rec.quality.save_check(
        QualityCheck(
            member_id=member.saved_id,
            date=on,
            standard_id=standard.saved_id,
            scores={**scores, "greet": greet},
            calibration=calibration,
        )
    )


def kpi(rec: Records, who: str, period: str, csat: float) -> Kpi:
    member = rec.team.by_name(who)
    assert member is not None
    return rec.quality.kpis.create(Kpi(member_id=member.saved_id, period=period, csat=csat))
