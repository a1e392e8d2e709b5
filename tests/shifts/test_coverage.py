"""Coverage against demand, per hour, across a clock change too."""

from __future__ import annotations

from datetime import date, time

import pytest

from supervisor_tui.domain.coverage import Cover, Demand, Gap, biggest_gap, coverage, shortfall_hours
from supervisor_tui.domain.rota import Shift

MON = date(2026, 11, 23)


def shift(start: str, end: str, position: str = "tills", day: date = MON, who: str = "M-0001") -> Shift:
    return Shift(
        member_id=who,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position=position,
        break_minutes=30,
    )


def need(start: str, end: str, people: int, position: str = "tills", weekday: int = 0) -> Demand:
    return Demand(
        position=position, weekday=weekday, start=time.fromisoformat(start), end=time.fromisoformat(end), people=people
    )


def test_gaps_and_surplus_per_hour():
    cover = coverage(
        MON,
        [shift("09:00", "17:00"), shift("12:00", "20:00", who="M-0002")],
        [need("09:00", "17:00", 2), need("17:00", "19:00", 1)],
    )
    by_hour = {c.hour: (c.have, c.need) for c in cover}
    assert by_hour[9] == (1, 2) and by_hour[12] == (2, 2) and by_hour[17] == (1, 1) and by_hour[19] == (1, 0)
    assert shortfall_hours(cover) == 3  # 09, 10, 11 each one short


def test_demand_for_another_weekday_and_voided_shifts_do_not_count():
    cover = coverage(
        MON,
        [shift("09:00", "17:00").model_copy(update={"voided": True})],
        [need("09:00", "12:00", 1), need("09:00", "12:00", 5, weekday=1)],
    )
    assert shortfall_hours(cover) == 3


def test_night_shift_from_the_day_before_covers_the_early_hours():
    cover = coverage(MON, [shift("22:00", "06:00", day=date(2026, 11, 22))], [need("00:00", "06:00", 1)])
    assert shortfall_hours(cover) == 0


def test_clock_change_hour_is_counted_in_real_time():
    sunday = date(2026, 10, 25)  # 01:00-02:00 happens twice; a 00:00-04:00 shift is 5 real hours
    cover = coverage(sunday, [shift("00:00", "04:00", day=sunday)], [need("00:00", "04:00", 1, weekday=6)])
    assert shortfall_hours(cover) == 0 and {c.hour for c in cover} == {0, 1, 2, 3}


def short(position: str, hours: dict[int, int]) -> list[Cover]:
    """Cover with ``hours`` {hour: people short} at ``position`` (and nobody on)."""
    return [Cover(position, hour, 0, missing) for hour, missing in hours.items()]


@pytest.mark.parametrize(
    "cover, expected, why",
    [
        ([], None, "nothing short: no gap to fill"),
        (
            short("tills", {9: 1, 10: 1}) + short("tills", {15: 1, 16: 1, 17: 1}),
            Gap("tills", 15, 18, 3),
            "a morning and an afternoon gap are two slots, not one 9-18 shift covering hours nobody is short",
        ),
        (
            short("tills", {9: 1, 10: 1, 11: 1}) + short("phones", {12: 2, 13: 2}),
            Gap("phones", 12, 14, 4),
            "the most person-hours short wins, not the longest run: two short for two hours beats one for three",
        ),
        (
            short("email", dict.fromkeys(range(6, 18), 1)),
            Gap("email", 6, 14, 8),
            "a run longer than a shift: one shift's worth (8 hours), the earliest of equal stretches",
        ),
        (
            short("email", {**dict.fromkeys(range(6, 12), 1), **dict.fromkeys(range(12, 18), 2)}),
            Gap("email", 10, 18, 14),
            "of a long run, the 8 hours most short",
        ),
        (
            short("tills", {9: 1}) + short("chat", {9: 1}),
            Gap("chat", 9, 10, 1),
            "an exact tie goes to the position first by name, so the dialog opens the same way every time",
        ),
        (
            short("tills", {22: 1, 23: 1}),
            Gap("tills", 22, 24, 2),
            "a gap to midnight ends at 24 (the dialog shows 00:00)",
        ),
    ],
)
def test_the_biggest_gap_is_where_a_fill_starts(cover, expected, why):
    assert biggest_gap(cover) == expected, why


def test_the_biggest_gap_ignores_hours_with_enough_people():
    cover = coverage(MON, [shift("09:00", "13:00")], [need("09:00", "17:00", 1), need("09:00", "10:00", 1, "phones")])
    assert biggest_gap(cover) == Gap("tills", 13, 17, 4)
