"""Working-time and allocation rules, table-driven: each case is a small rota and the rules it breaks."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Rule, Shift, interval
from supervisor_tui.domain.rota_check import RotaFacts, check_rota

MON = date(2026, 11, 23)  # a Monday
ADULT = Member(
    id="M-0001",
    name="Sam Patel",
    job_title="CSA",
    contract_hours=48,
    date_of_birth=date(1990, 4, 3),
    skills="tills:expert;phones:competent;returns:learner",
)
YOUNG = Member(
    id="M-0002",
    name="Chloe Evans",
    job_title="Saturday",
    contract_hours=40,
    date_of_birth=date(2009, 6, 15),
    skills="tills:competent",
)
LEARNER_BUDDY = Member(
    id="M-0003",
    name="Tom Rich",
    job_title="CSA",
    contract_hours=40,
    date_of_birth=date(1980, 1, 1),
    skills="returns:expert",
)
POSITIONS = {"tills": "tills", "phones": "phones", "returns desk": "returns", "complaints desk": "complaints desk"}
SHIFT_ID = iter(range(1, 100_000))


def shift(day: date, start: str, end: str, who: Member = ADULT, position: str = "tills", brk: int = 30) -> Shift:
    return Shift(
        id=f"S-{next(SHIFT_ID):04d}",
        member_id=who.id,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position=position,
        break_minutes=brk,
    )


def rules(
    *shifts: Shift,
    leave: list[Leave] | None = None,
    members=(ADULT, YOUNG, LEARNER_BUDDY),
    first: date = MON,
    last: date | None = None,
) -> set[Rule]:
    facts = RotaFacts({m.id: m for m in members}, list(shifts), leave or [], POSITIONS)
    last = last or max(s.day for s in shifts)
    return {p.rule for p in check_rota(facts, first, last)}


def week(start: str, end: str, days: int = 5, who: Member = ADULT, first: date = MON, **kw) -> list[Shift]:
    return [shift(first + timedelta(days=d), start, end, who, **kw) for d in range(days)]


@pytest.mark.parametrize(
    "case, shifts, expected",
    [
        ("a normal week is clean", week("09:00", "17:30"), set()),
        (
            "late then early: 9h rest",
            [shift(MON, "14:00", "22:00"), shift(MON + timedelta(1), "07:00", "15:00")],
            {Rule.daily_rest},
        ),
        (
            "daytime pair counts too: 10h rest",
            [shift(MON, "06:00", "12:00", brk=0), shift(MON, "22:00", "23:00", brk=0)],
            {Rule.daily_rest},
        ),
        (
            "exactly 11h rest is fine",
            [shift(MON, "12:00", "20:00"), shift(MON + timedelta(1), "07:00", "15:00")],
            set(),
        ),
        (
            "overlap on one day",
            [shift(MON, "09:00", "17:00"), shift(MON, "16:00", "20:00", position="phones")],
            {Rule.overlap},
        ),
        (
            "night shift into an early start",
            [shift(MON, "22:00", "06:00"), shift(MON + timedelta(1), "14:00", "22:00")],
            {Rule.daily_rest},
        ),
        ("over 6h with no break", [shift(MON, "09:00", "15:30", brk=0)], {Rule.rest_break}),
        ("6h exactly needs no break", [shift(MON, "09:00", "15:00", brk=0)], set()),
        ("over 6h with a 15-minute break", [shift(MON, "09:00", "17:00", brk=15)], {Rule.rest_break}),
        (
            "seven days on: no weekly rest (52.5h also tops the contract)",
            week("09:00", "17:00", days=14),
            {Rule.weekly_rest, Rule.contract},
        ),
        ("six on, one off is fine", week("09:00", "17:00", days=6), set()),
    ],
)
def test_adult_rules(case, shifts, expected):
    assert rules(*shifts) == expected, case


@pytest.mark.parametrize(
    "case, shifts, expected",
    [
        ("a Saturday 09-17 with 30 minutes", [shift(MON + timedelta(5), "09:00", "17:00", YOUNG)], set()),
        ("over 4.5h with 20 minutes", [shift(MON, "09:00", "14:00", YOUNG, brk=20)], {Rule.rest_break}),
        ("over 8h in the day", [shift(MON, "08:00", "17:30", YOUNG)], {Rule.young_hours}),
        ("late finish after 22:00", [shift(MON, "16:00", "22:30", YOUNG)], {Rule.young_night}),
        ("early start before 06:00", [shift(MON, "05:30", "11:00", YOUNG)], {Rule.young_night}),
        (
            "11.5h rest is too little under 18",
            [shift(MON, "13:30", "21:30", YOUNG), shift(MON + timedelta(1), "09:00", "13:00", YOUNG)],
            {Rule.daily_rest},
        ),
        ("five 8h days is exactly 40h: allowed", week("09:00", "17:30", days=5, who=YOUNG), set()),
        (
            "six 7h days is 42h (and no 48h off)",
            week("09:00", "16:30", days=6, who=YOUNG),
            {Rule.young_hours, Rule.weekly_rest, Rule.contract},
        ),
        ("6 days on means no 48h off", week("09:00", "13:00", days=6, who=YOUNG, brk=0), {Rule.weekly_rest}),
    ],
)
def test_under_18_rules(case, shifts, expected):
    assert rules(*shifts) == expected, case


def test_turning_18_lifts_the_young_worker_rules():
    birthday = date(2027, 6, 15)
    assert rules(shift(birthday - timedelta(1), "16:00", "22:30", YOUNG)) == {Rule.young_night}
    assert rules(shift(birthday, "16:00", "22:30", YOUNG)) == set()


@pytest.mark.parametrize(
    "day, hours",
    [
        (date(2026, 10, 24), 9.0),  # clocks go back overnight: a 22:00-06:00 night is 9 hours
        (date(2026, 3, 28), 7.0),  # clocks go forward: 7 hours
        (date(2026, 11, 23), 8.0),
    ],
)
def test_night_shift_length_is_real_time(day, hours):
    assert interval(shift(day, "22:00", "06:00")).hours == hours


def test_clock_change_rest_gap_is_real_time():
    # Ends 01:30 BST on Sunday 25 Oct 2026; the clocks go back at 02:00, so 12:00 GMT is 11.5h later.
    late = shift(date(2026, 10, 24), "17:30", "01:30")
    assert rules(late, shift(date(2026, 10, 25), "12:00", "16:00"), first=date(2026, 10, 24)) == set()
    # In March the same wall-clock gap loses an hour: 01:30 GMT to 12:00 BST is 9.5h.
    spring = shift(date(2026, 3, 28), "17:30", "01:30")
    assert rules(spring, shift(date(2026, 3, 29), "11:00", "16:00"), first=date(2026, 3, 28)) == {Rule.daily_rest}


def test_midnight_crossing_shift_belongs_to_the_day_it_starts():
    night = shift(MON, "22:00", "06:00")
    assert interval(night).shift.day == MON
    assert rules(night, first=MON + timedelta(1), last=MON + timedelta(1)) == set()  # not checked on Tuesday


def long_weeks(weeks: int, start: date, who: Member = ADULT) -> list[Shift]:
    """Six 9h days (8.5h worked) a week = 51h, one day off each week."""
    return [s for w in range(weeks) for s in week("08:00", "17:00", days=6, who=who, first=start + timedelta(weeks=w))]


def test_48_hour_average_over_17_weeks():
    start = MON - timedelta(weeks=16)
    assert Rule.weekly_average in rules(*long_weeks(17, start), first=MON, last=MON + timedelta(6))
    # Mostly light weeks before: the 17-week average stays under 48 even with a heavy week now.
    light = [s for w in range(16) for s in week("09:00", "17:00", days=5, first=start + timedelta(weeks=w))]
    heavy_now = week("08:00", "17:00", days=6)
    assert Rule.weekly_average not in rules(*light, *heavy_now, first=MON, last=MON + timedelta(6))


def test_opt_out_lifts_the_average_but_not_rest():
    opted = ADULT.model_copy(update={"working_time_opt_out": True})
    start = MON - timedelta(weeks=16)
    found = rules(*long_weeks(17, start, opted), members=(opted,), first=MON, last=MON + timedelta(6))
    assert Rule.weekly_average not in found


@pytest.mark.parametrize(
    "case, shifts, expected",
    [
        ("lacks the skill", [shift(MON, "09:00", "17:00", position="complaints desk")], {Rule.skill}),
        ("learner alone", [shift(MON, "09:00", "17:00", position="returns desk")], {Rule.buddy}),
        (
            "learner with an expert buddy",
            [
                shift(MON, "09:00", "17:00", position="returns desk"),
                shift(MON, "08:00", "16:00", LEARNER_BUDDY, position="returns desk"),
            ],
            set(),
        ),
        (
            "buddy on another position does not count",
            [
                shift(MON, "09:00", "17:00", position="returns desk"),
                shift(MON, "09:00", "17:00", LEARNER_BUDDY, position="tills"),
            ],
            {Rule.buddy, Rule.skill},
        ),
    ],
)
def test_allocation_rules(case, shifts, expected):
    assert rules(*shifts) == expected, case


def test_leave_and_contract():
    part_time = ADULT.model_copy(update={"contract_hours": 16})
    away = Leave(id="L-0001", member_id=ADULT.id, first_day=MON + timedelta(2), last_day=MON + timedelta(3))
    found = rules(*week("09:00", "17:30", who=part_time), leave=[away], members=(part_time,))
    assert found == {Rule.on_leave, Rule.contract}


def test_voided_shifts_are_ignored_and_problems_cite_their_shift():
    bad = shift(MON, "09:00", "17:00", position="complaints desk")
    assert rules(bad.model_copy(update={"voided": True}), shift(MON + timedelta(1), "09:00", "17:00")) == set()
    facts = RotaFacts({ADULT.id: ADULT}, [bad], [], POSITIONS)
    (problem,) = check_rota(facts, MON, MON)
    assert (
        problem.shift_id == bad.id
        and "complaints desk" in problem.reason
        and problem.rule.value.startswith("Allocation")
    )


@pytest.mark.parametrize(
    "fields, message",
    [
        (dict(start="09:00", end="09:00"), "cannot start and end at the same time"),
        (dict(start="09:00", end="17:00", break_minutes=-5), "greater than or equal to 0"),
    ],
)
def test_shift_validation(fields, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Shift(member_id="M-0001", day=MON, position="tills", **fields)
