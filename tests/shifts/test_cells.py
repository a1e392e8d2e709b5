"""How a shift reads in the week grid: exact times in few columns, a second shift under the first."""

from __future__ import annotations

from datetime import date, time

import pytest

from supervisor_tui.domain.rota import Shift
from supervisor_tui.screens.shifts.cells import cell_width, clock_time, week_cell, week_hours

DAY = date(2026, 11, 24)


def shift(start: time, end: time, position: str = "tills", shift_id: str = "S-0001") -> Shift:
    return Shift(id=shift_id, member_id="M-0001", day=DAY, start=start, end=end, position=position)


@pytest.mark.parametrize(
    "moment, wide, shown, why",
    [
        (time(9), False, "9", "on the hour: the hour alone, as rotas write it"),
        (time(22, 30), False, "22:30", "minutes whenever there are any: 16:00-22:30 is not 16-22"),
        (time(7, 5), False, "7:05", "minutes keep their leading zero"),
        (time(0), False, "0", "midnight"),
        (time(9), True, "09:00", "a wide grid always has room for hh:mm"),
    ],
)
def test_clock_time(moment, wide, shown, why):
    assert clock_time(moment, wide) == shown, why


@pytest.mark.parametrize(
    "shifts, flagged, away, lines, why",
    [
        ([], set(), False, ["·"], "not working"),
        ([], set(), True, ["leave"], "on leave"),
        ([shift(time(9), time(17))], set(), False, ["9-17T"], "a day on tills"),
        ([shift(time(16), time(22, 30), "phones")], set(), False, ["16-22:30P"], "minutes on the end"),
        ([shift(time(9), time(17))], {"S-0001"}, False, ["!9-17T"], "a rota problem is marked"),
        (
            [shift(time(9), time(13)), shift(time(17), time(21), "returns desk", "S-0002")],
            {"S-0002"},
            False,
            ["9-13T", "!17-21R"],
            "a split day: each part on its own line, each with its own mark",
        ),
    ],
)
def test_week_cell(shifts, flagged, away, lines, why):
    cell = week_cell(shifts, flagged, away)
    assert cell.plain.split("\n") == lines, why
    assert cell_width(cell) == max(len(line) for line in lines)


@pytest.mark.parametrize(
    "hours, shown",
    [(37.5, "37.5h"), (0, "0h"), (8, "8h"), (17 + 40 / 60, "17h40"), (6 + 5 / 60, "6h05")],
)
def test_week_hours_are_exact(hours, shown):
    assert week_hours(hours) == shown
