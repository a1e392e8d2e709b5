"""Copy a week, recurring patterns (rrule) and leave, through the service on a real file."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Rule, Shift, parse_weekdays, pattern_days

MON = date(2026, 11, 23)


@pytest.fixture
def sam(records):
    return records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
        )
    )


def template(who, day=MON, start="09:00", end="17:30") -> Shift:
    return Shift(
        member_id=who.id,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position="tills",
        break_minutes=30,
        reason="expert on tills",
    )


@pytest.mark.parametrize(
    "text, days",
    [
        ("mon-fri", [0, 1, 2, 3, 4]),
        ("weekdays", [0, 1, 2, 3, 4]),
        ("mon,wed,fri", [0, 2, 4]),
        ("Saturday, Sunday", [5, 6]),
        ("weekends", [5, 6]),
        ("tue-thu,sat", [1, 2, 3, 5]),
    ],
)
def test_parse_weekdays(text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["", "funday", "fri-mon", "mon-wed-fri"])
def test_parse_weekdays_refuses(text):
    with pytest.raises(ValueError):
        parse_weekdays(text)


def test_every_weekday_for_four_weeks_in_one_step(records, sam):
    head = records.store.head[0]
    created = records.shifts.add_pattern(template(sam, end="17:00"), parse_weekdays("mon-fri"), 4)  # 7.5h a day
    assert len(created) == 20
    assert {s.day.weekday() for s in created} == {0, 1, 2, 3, 4}
    assert min(s.day for s in created) == MON and max(s.day for s in created) == MON + timedelta(weeks=4, days=-3)
    assert records.store.head[0] == head + 20  # one audited entry each, one atomic write
    assert records.shifts.problems(MON, MON + timedelta(weeks=4)) == []


def test_pattern_starting_midweek_and_bounds():
    # Two weeks from a Wednesday: the 14 days up to Tuesday 8 December.
    assert pattern_days(date(2026, 11, 25), [0, 2], 2) == [
        date(2026, 11, 25),
        date(2026, 11, 30),
        date(2026, 12, 2),
        date(2026, 12, 7),
    ]
    with pytest.raises(ValueError):
        pattern_days(MON, [0], 0)


def test_copy_last_week_skips_what_is_already_there(records, sam):
    records.shifts.add_pattern(template(sam, MON - timedelta(weeks=1)), [0, 2, 4], 1)
    records.shifts.add(template(sam, MON))  # Monday already copied by hand
    copied = records.shifts.copy_week(MON - timedelta(weeks=1), MON)
    assert sorted(s.day for s in copied) == [MON + timedelta(days=2), MON + timedelta(days=4)]
    assert len(records.shifts.between(MON, MON + timedelta(days=6))) == 3
    assert records.store.history("shifts", copied[0].id)[0]["reason"] == "copied from 2026-W47"


def test_leave_is_recorded_and_shifts_during_it_are_flagged(records, sam):
    records.shifts.add_leave(
        Leave(member_id=sam.id, first_day=MON + timedelta(days=1), last_day=MON + timedelta(days=2))
    )
    records.shifts.add_pattern(template(sam), [0, 1, 2], 1)
    flagged = [p for p in records.shifts.problems(MON, MON + timedelta(days=6)) if p.rule == Rule.on_leave]
    assert sorted(p.day for p in flagged) == [MON + timedelta(days=1), MON + timedelta(days=2)]
    assert len(records.shifts.leave_between(MON, MON + timedelta(days=6))) == 1
