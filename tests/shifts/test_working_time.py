"""The Working Time Regulations 1998 as they read: table-driven, each case with its legal reason.

Readings and worked cases follow the research notes behind issue 11 (regulation text, GOV.UK and ACAS
guidance, EAT and CJEU decisions); each rule's docstring in domain/working_time.py says the reading.
Dates are in March 2026 (no clock change) unless a case is about a clock change.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from supervisor_tui.domain.people import AgeBand, Member, age_band, school_leaving_date
from supervisor_tui.domain.rota import Leave, Problem, Rule, Shift, show_hours
from supervisor_tui.domain.rota_check import RotaFacts, check_rota
from supervisor_tui.domain.working_time import TeamRules

MON = date(2026, 3, 9)  # a Monday with no clock change near it
WTR_RULES = {
    Rule.daily_rest,
    Rule.weekly_rest,
    Rule.rest_break,
    Rule.weekly_average,
    Rule.young_hours,
    Rule.young_night,
    Rule.child,
}
ADULT = Member(
    id="M-0001",
    name="Sam Patel",
    job_title="CSA",
    contract_hours=60,
    date_of_birth=date(1990, 4, 3),
    skills="tills:expert",
)
YOUNG = Member(
    id="M-0002",
    name="Chloe Evans",
    job_title="Saturday",
    contract_hours=40,
    date_of_birth=date(2009, 6, 15),
    skills="tills:competent",
)  # 16 in March 2026, over school age
IDS = iter(range(1, 1_000_000))


def day(n: int) -> date:
    return MON + timedelta(days=n)


def shift(on: date, start: str, end: str, brk: int = 30, who: Member = ADULT) -> Shift:
    return Shift(
        id=f"S-{next(IDS):05d}",
        member_id=who.id,
        day=on,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position="tills",
        break_minutes=brk,
    )


DEFAULT_RULES = TeamRules()


def law(
    *shifts: Shift,
    who: Member = ADULT,
    rules: TeamRules = DEFAULT_RULES,
    first: date | None = None,
    last: date | None = None,
    leave: tuple[Leave, ...] = (),
) -> list[Problem]:
    """The working-time problems (the team's own allocation rules are tested elsewhere)."""
    facts = RotaFacts({who.id: who}, list(shifts), list(leave), {"tills": "tills"}, rules)
    first = first or min(s.day for s in shifts)
    last = last or max(s.day for s in shifts)
    return [p for p in check_rota(facts, first, last) if p.rule in WTR_RULES]


def broken(problems: list[Problem], rule: Rule) -> list[str]:
    return [p.reason for p in problems if p.rule is rule]


# -- reg 10: daily rest -----------------------------------------------------------------------------
DAILY_REST = [
    (
        "split shift: the 5h lunch gap is not the overnight rest; 20:00-07:00 is 11h in the 24h from Mon 07:00 "
        "(reg 10(1))",
        ADULT,
        [(0, "07:00", "11:00"), (0, "16:00", "20:00"), (1, "07:00", "11:00")],
        None,
    ),
    (
        "back to back with a 15-minute gap: 18:00-06:00 is 12h of rest in the period (reg 10(1))",
        ADULT,
        [(0, "06:00", "14:00"), (0, "14:15", "18:00"), (1, "06:00", "10:00")],
        None,
    ),
    (
        "late then early: only 22:00-06:00 in the 24h from Mon 14:00 (reg 10(1))",
        ADULT,
        [(0, "14:00", "22:00"), (1, "06:00", "14:00")],
        "8h 0m consecutive rest in the 24 hours from Mon 09/03 14:00; needs 11h",
    ),
    (
        "exactly 11h is 'not less than eleven consecutive hours' (reg 10(1))",
        ADULT,
        [(0, "12:00", "20:00"), (1, "07:00", "15:00")],
        None,
    ),
    (
        "one minute short is short: the minutes are shown, never rounded (reg 10(1))",
        ADULT,
        [(0, "12:00", "20:01"), (1, "07:00", "15:00")],
        "10h 59m consecutive rest in the 24 hours from Mon 09/03 12:00; needs 11h",
    ),
    (
        "a 16h 30m working day leaves no 11h in its 24 hours, though the gap after it is 11h (reg 10(1))",
        ADULT,
        [(0, "06:00", "14:00"), (0, "14:30", "22:30"), (1, "09:30", "17:30")],
        "7h 30m consecutive rest in the 24 hours from Mon 09/03 06:00; needs 11h",
    ),
    (
        "an under-18 needs twelve consecutive hours (reg 10(2))",
        YOUNG,
        [(0, "09:00", "13:00"), (0, "16:00", "21:00"), (1, "08:00", "12:00")],
        "11h 0m consecutive rest in the 24 hours from Mon 09/03 09:00; needs 12h",
    ),
]


@pytest.mark.parametrize("reason, who, times, message", DAILY_REST, ids=[c[0][:40] for c in DAILY_REST])
def test_daily_rest(reason, who, times, message):
    problems = law(*(shift(day(d), a, b, 0 if "split" in reason else 30, who) for d, a, b in times), who=who)
    assert broken(problems, Rule.daily_rest) == ([message] if message else []), reason


def test_a_short_rest_is_blamed_on_the_shift_that_cut_it_short():
    late, early = shift(day(0), "14:00", "22:00"), shift(day(1), "06:00", "14:00")
    (problem,) = [p for p in law(late, early) if p.rule is Rule.daily_rest]
    assert (problem.shift_id, problem.day) == (early.id, day(1))  # move the early shift to fix it


def test_split_or_short_work_lets_an_under_18s_rest_be_interrupted():
    """Reg 10(3): a young worker's rest may be interrupted where the work is split up over the day or of
    short duration; the rest in the period is then added up (9h 30m + 8h 30m here)."""
    times = [(0, "06:30", "08:30"), (0, "17:00", "21:00"), (1, "06:30", "08:30")]
    plain = law(*(shift(day(d), a, b, 0, YOUNG) for d, a, b in times), who=YOUNG)
    assert broken(plain, Rule.daily_rest) == ["9h 30m consecutive rest in the 24 hours from Mon 09/03 06:30; needs 12h"]
    split = YOUNG.model_copy(update={"split_or_short_work": True})
    assert not broken(law(*(shift(day(d), a, b, 0, split) for d, a, b in times), who=split), Rule.daily_rest)


@pytest.mark.parametrize(
    "reason, first_day, second_day, start, message",
    [
        (
            "spring forward: 23:00 GMT to 10:00 BST is 10 real hours of rest (reg 10(1) counts hours, not the clock)",
            date(2026, 3, 28),
            date(2026, 3, 29),
            "10:00",
            "10h 0m consecutive rest in the 24 hours from Sat 28/03 15:00; needs 11h",
        ),
        (
            "fall back: 23:00 BST to 09:00 GMT is 11 real hours of rest: lawful",
            date(2026, 10, 24),
            date(2026, 10, 25),
            "09:00",
            None,
        ),
    ],
)
def test_daily_rest_is_counted_in_real_hours_over_a_clock_change(reason, first_day, second_day, start, message):
    problems = law(shift(first_day, "15:00", "23:00"), shift(second_day, start, "16:00"))
    assert broken(problems, Rule.daily_rest) == ([message] if message else []), reason


# -- reg 12: rest breaks ----------------------------------------------------------------------------
REST_BREAKS = [
    (
        "09:00-15:15 with a 15-minute break is exactly 6h of work: not 'more than six hours' (reg 12(1); "
        "breaks are not working time, reg 2)",
        ADULT,
        [("09:00", "15:15", 15)],
        None,
    ),
    (
        "09:00-15:16 with a 15-minute break is 6h 1m of work: a 20-minute break is due (reg 12(1), (3))",
        ADULT,
        [("09:00", "15:16", 15)],
        "6h 1m worked that day with no 20-minute break (longest 0h 15m)",
    ),
    (
        "4h and 3h 20m with a 10-minute gap: daily working time is the day's, and 10 minutes is not 20 "
        "(reg 12(1), (3))",
        ADULT,
        [("09:00", "13:00", 0), ("13:10", "16:30", 0)],
        "7h 20m worked that day with no 20-minute break (longest 0h 10m)",
    ),
    (
        "4h and 3h 20m with a 3-hour gap between them: the gap is the break (reg 12(3))",
        ADULT,
        [("09:00", "13:00", 0), ("16:00", "19:20", 0)],
        None,
    ),
    (
        "a 22:00-06:00 shift is one working day of 8h, not 2h + 6h (the Directive's 'working day', art 4)",
        ADULT,
        [("22:00", "06:00", 0)],
        "8h 0m worked that day with no 20-minute break (longest 0h 0m)",
    ),
    (
        "a 12-hour day needs one 20-minute break, not more (Corps of Commissionaires v Hughes, EAT 2009)",
        ADULT,
        [("07:00", "19:00", 20)],
        None,
    ),
    ("an under-18's 4h 30m is not 'more than four and a half hours' (reg 12(4))", YOUNG, [("09:00", "13:30", 0)], None),
    (
        "an under-18's 4h 45m needs a 30-minute break (reg 12(4))",
        YOUNG,
        [("09:00", "13:45", 0)],
        "4h 45m worked that day with no 30-minute break (longest 0h 0m)",
    ),
]


@pytest.mark.parametrize("reason, who, times, message", REST_BREAKS, ids=[c[0][:40] for c in REST_BREAKS])
def test_rest_breaks(reason, who, times, message):
    problems = law(*(shift(day(0), a, b, brk, who) for a, b, brk in times), who=who)
    assert broken(problems, Rule.rest_break) == ([message] if message else []), reason


# -- reg 11: weekly rest ----------------------------------------------------------------------------
def every_day(first: int, days: int, start: str, end: str, who: Member = ADULT, skip: tuple[int, ...] = ()) -> list:
    return [shift(day(d), start, end, 30, who) for d in range(first, first + days) if d not in skip]


WEEKLY_REST = [
    (
        "an under-18 working Monday to Friday has 55h of the fixed week free every week (reg 11(3), (4)(b), (6): "
        "rolling windows used to flag every second week)",
        YOUNG,
        TeamRules(),
        every_day(0, 5, "09:00", "17:00", YOUNG) + every_day(7, 5, "09:00", "17:00", YOUNG),
        0,
    ),
    ("an adult working Monday to Friday (reg 11(1))", ADULT, TeamRules(), every_day(0, 5, "09:00", "17:00"), 0),
    (
        "late shifts Monday to Saturday, then Monday 06:00: 32h is not 24h on top of the 11h daily rest (reg 11(7))",
        ADULT,
        TeamRules(),
        every_day(0, 6, "14:00", "22:00") + [shift(day(7), "06:00", "14:00")],
        1,
    ),
    (
        "the same where work organisation justifies counting the daily rest in (reg 11(7) exception, a team setting)",
        ADULT,
        TeamRules(weekly_rest_includes_daily_rest=True),
        every_day(0, 6, "14:00", "22:00") + [shift(day(7), "06:00", "14:00")],
        0,
    ),
    (
        "every day of the week: no uninterrupted 24h (reg 11(1))",
        ADULT,
        TeamRules(),
        every_day(0, 7, "09:00", "17:00"),
        1,
    ),
    (
        "one 48h rest in the 14 days from the week employment began is the employer's alternative (reg 11(2)(b), (5))",
        ADULT.model_copy(update={"start_date": date(2026, 3, 4)}),
        TeamRules(weekly_rest="14-day-one-48h"),
        [shift(date(2026, 3, 2) + timedelta(days=d), "09:00", "17:00") for d in range(14) if d not in (11, 12)],
        0,
    ),
    (
        "an under-18 with 40h off in the week needs 48h (reg 11(3))",
        YOUNG,
        TeamRules(),
        every_day(0, 5, "09:00", "13:00", YOUNG)
        + [shift(day(5), "09:00", "13:00", 0, YOUNG), shift(day(7), "05:00", "09:00", 0, YOUNG)],
        1,
    ),
]


@pytest.mark.parametrize("reason, who, rules, shifts, count", WEEKLY_REST, ids=[c[0][:40] for c in WEEKLY_REST])
def test_weekly_rest(reason, who, rules, shifts, count):
    first = min(s.day for s in shifts)
    last = first + timedelta(days=13 if rules.weekly_rest != "7-day" else 6)
    found = broken(law(*shifts, who=who, rules=rules, first=first, last=last), Rule.weekly_rest)
    assert len(found) == count, (reason, found)


def test_weekly_rest_message_gives_the_rest_inside_the_week_and_around_it():
    shifts = every_day(0, 6, "14:00", "22:00") + [shift(day(7), "06:00", "14:00")]
    (message,) = broken(law(*shifts, first=day(0), last=day(6)), Rule.weekly_rest)
    assert message == (
        "longest rest in the 7 days from Mon 09/03 00:00 is 26h 0m (32h 0m with the rest either side); "
        "needs 24h on top of the 11h daily rest (reg 11(7))"
    )


def test_the_team_week_start_moves_the_weekly_rest_periods():
    """Reg 11(4)(a): a relevant agreement may start the week elsewhere (here Sunday 00:00): seven days on
    from Monday then straddle two periods, each with its rest."""
    shifts = every_day(0, 7, "09:00", "17:00")
    monday_weeks = broken(law(*shifts, first=day(0), last=day(6)), Rule.weekly_rest)
    sunday_weeks = broken(law(*shifts, rules=TeamRules(week_start_day=6), first=day(0), last=day(6)), Rule.weekly_rest)
    assert len(monday_weeks) == 1 and sunday_weeks == []


def test_the_under_18_weekly_limit_runs_monday_to_sunday_whatever_the_weekly_rest_start():
    """Reg 5A's 'week' is reg 2's (Monday to Sunday); only reg 11's periods follow a relevant agreement."""
    shifts = every_day(0, 5, "09:00", "17:30", YOUNG) + [shift(day(6), "09:00", "10:00", 0, YOUNG)]
    for rules in (TeamRules(), TeamRules(week_start_day=6)):
        assert broken(law(*shifts, who=YOUNG, rules=rules), Rule.young_hours) == [
            "41h 0m worked in the week of 09/03; the limit is 40h 0m"
        ]


# -- reg 4: the 48-hour average ---------------------------------------------------------------------
def weeks_of(hours_per_week: list[int], first: date, who: Member = ADULT) -> list[Shift]:
    """Each week's hours as four or five working days (30-minute breaks not counted)."""
    out = []
    for w, hours in enumerate(hours_per_week):
        days = 5 if hours % 5 == 0 else 4
        length = timedelta(hours=hours / days, minutes=30)
        start = time(7)
        end = timedelta(hours=7) + length
        end_time = time(int(end.total_seconds() // 3600), int(end.total_seconds() % 3600 // 60))
        out += [
            Shift(
                id=f"S-{next(IDS):05d}",
                member_id=who.id,
                day=first + timedelta(weeks=w, days=d),
                start=start,
                end=end_time,
                position="tills",
                break_minutes=30,
            )
            for d in range(days)
        ]
    return out


def average_problems(shifts: list[Shift], last_week: date, who: Member = ADULT, leave=()) -> list[str]:
    return broken(
        law(*shifts, who=who, first=last_week, last=last_week + timedelta(days=6), leave=leave), Rule.weekly_average
    )


def test_a_new_starter_is_averaged_since_starting():
    """Reg 4(4): with under 17 weeks' service the reference period is the time since starting: four
    weeks of 50h is 50h a week on average."""
    start = date(2026, 1, 5)
    starter = ADULT.model_copy(update={"start_date": start})
    found = average_problems(weeks_of([50] * 4, start, starter), start + timedelta(weeks=3), starter)
    assert found == ["50h 0m a week on average since starting on Mon 05/01/2026 (reg 4(4)); no opt-out recorded"]
    opted = starter.model_copy(update={"working_time_opt_out": True})
    assert average_problems(weeks_of([50] * 4, start, opted), start + timedelta(weeks=3), opted) == []  # reg 5


@pytest.mark.parametrize(
    "reason, weeks, message",
    [
        (
            "10 weeks of 52h and 7 of 40h: 800h over 17 weeks is 47h 3m, under the average (reg 4(1), (6))",
            [52] * 10 + [40] * 7,
            None,
        ),
        (
            "10 weeks of 55h and 7 of 40h: 830h over 17 weeks is 48h 49m, over the average (reg 4(1))",
            [55] * 10 + [40] * 7,
            "48h 49m a week on average over the 17 weeks to Sun 15/03; no opt-out recorded",
        ),
        ("exactly 48h a week on average 'shall not exceed' 48: lawful", [48] * 17, None),
    ],
)
def test_the_average_over_17_weeks(reason, weeks, message):
    first = MON - timedelta(weeks=16)
    assert average_problems(weeks_of(weeks, first), MON) == ([message] if message else []), reason


def test_leave_in_the_reference_period_is_made_up_from_the_days_worked_after_it():
    """Reg 4(6)-(7): 5 days of annual leave are 'excluded days'; the hours of the next 5 days worked are
    added: (780 + 40) / 17 = 48h 14m, where 780 / 17 alone would show 45h 52m."""
    first = MON - timedelta(weeks=16)
    # 16 weeks of five 9h 45m days (48h 45m a week: 780h) and one week of leave, week 5.
    shifts = [
        Shift(
            id=f"S-{next(IDS):05d}",
            member_id=ADULT.id,
            day=first + timedelta(weeks=w, days=d),
            start=time(8),
            end=time(18, 15),
            position="tills",
            break_minutes=30,
        )
        for w in range(17)
        if w != 4
        for d in range(5)
    ]
    shifts += weeks_of([40], MON + timedelta(weeks=1))
    away = Leave(
        id="L-0001",
        member_id=ADULT.id,
        first_day=first + timedelta(weeks=4),
        last_day=first + timedelta(weeks=4, days=4),
        kind="annual leave",
    )
    (message,) = average_problems(shifts, MON, leave=(away,))
    assert message.startswith("48h 14m a week on average over the 17 weeks to Sun 15/03; 5 day(s) of leave")
    assert average_problems(shifts, MON) == []  # without the leave on record: 45h 52m


def test_with_the_days_after_not_yet_on_the_rota_the_average_says_it_is_provisional():
    first = MON - timedelta(weeks=16)
    shifts = weeks_of([50] * 17, first)
    away = Leave(id="L-0001", member_id=ADULT.id, first_day=first, last_day=first + timedelta(days=2))
    (message,) = average_problems([s for s in shifts if s.day > first + timedelta(days=2)], MON, leave=(away,))
    assert "provisional until 3 more day(s) are on the rota" in message


# -- reg 5A and 6A: young workers --------------------------------------------------------------------
YOUNG_HOURS = [
    (
        "five days of 8h is 8h a day and 40h a week: 'shall not exceed' allows equality (reg 5A(1))",
        [(d, "09:00", "17:30", 30) for d in range(5)],
        [],
    ),
    (
        "one minute over 8h in a day (reg 5A(1)(a))",
        [(0, "09:00", "17:31", 30)],
        ["8h 1m worked on Mon 09/03; the limit is 8h 0m"],
    ),
    (
        "two shifts on one day add up: 'a day' is the whole calendar day (reg 5A(1), reg 2 'day')",
        [(0, "08:00", "12:00", 0), (0, "13:00", "17:30", 0)],
        ["8h 30m worked on Mon 09/03; the limit is 8h 0m"],
    ),
    (
        "a shift over midnight counts on both days: 6h on Monday, 2h on Tuesday (reg 2 'day' begins at midnight)",
        [(0, "18:00", "02:00", 0)],
        [],
    ),
]


@pytest.mark.parametrize("reason, times, messages", YOUNG_HOURS, ids=[c[0][:40] for c in YOUNG_HOURS])
def test_young_workers_hours(reason, times, messages):
    problems = law(*(shift(day(d), a, b, brk, YOUNG) for d, a, b, brk in times), who=YOUNG)
    assert broken(problems, Rule.young_hours) == messages, reason


LATE_BY_CONTRACT = YOUNG.model_copy(update={"works_after_ten_by_contract": True})
YOUNG_NIGHTS = [
    ("ending at 22:00 does not enter the restricted period (reg 6A, reg 2)", YOUNG, ("16:00", "22:00"), None),
    (
        "15 minutes past 22:00 (reg 6A)",
        YOUNG,
        ("16:00", "22:15"),
        "works 16:00-22:15: 0h 15m in the restricted period 22:00-06:00 at age 16",
    ),
    (
        "a contract that provides for work after 22:00 moves the period to 23:00-07:00 (reg 2)",
        LATE_BY_CONTRACT,
        ("16:00", "23:00"),
        None,
    ),
    (
        "...so 06:00-07:00 is then restricted",
        LATE_BY_CONTRACT,
        ("06:00", "10:00"),
        "works 06:00-10:00: 1h 0m in the restricted period 23:00-07:00 at age 16",
    ),
    ("the ordinary period ends at 06:00", YOUNG, ("06:00", "10:00"), None),
]


@pytest.mark.parametrize("reason, who, times, message", YOUNG_NIGHTS, ids=[c[0][:40] for c in YOUNG_NIGHTS])
def test_young_workers_at_night(reason, who, times, message):
    problems = law(shift(day(0), *times, 0, who), who=who)
    assert broken(problems, Rule.young_night) == ([message] if message else []), reason


# -- children: under school-leaving age -------------------------------------------------------------
@pytest.mark.parametrize(
    "reason, born, region, on, band",
    [
        (
            "England: 16 in March 2027, so at school until after the last Friday in June 2027 (Education Act 1996 s.8(3)(c))",
            date(2011, 3, 1),
            "ENG",
            date(2026, 5, 1),
            AgeBand.child,
        ),
        (
            "England: school age ends at the end of the leaving date itself, Fri 26/06/2026 (s.8(3)(a))",
            date(2010, 7, 20),
            "ENG",
            date(2026, 6, 26),
            AgeBand.child,
        ),
        (
            "...and from the Saturday they are a young worker, though still 15 (WTR 1998 reg 2 needs only 15)",
            date(2010, 7, 20),
            "ENG",
            date(2026, 6, 27),
            AgeBand.young,
        ),
        (
            "England: 16 in September, so the next June's leaving date (s.8(3)(c))",
            date(2010, 9, 15),
            "ENG",
            date(2026, 12, 1),
            AgeBand.child,
        ),
        (
            "Scotland: a November 16th birthday counts from the winter leaving date (Education (Scotland) Act 1980 s.33)",
            date(2010, 11, 20),
            "SCT",
            date(2026, 12, 15),
            AgeBand.child,
        ),
        ("...21 December", date(2010, 11, 20), "SCT", date(2026, 12, 22), AgeBand.young),
        ("Scotland: 16 on 1 July counts from 31 May (s.33)", date(2010, 7, 1), "SCT", date(2026, 5, 31), AgeBand.young),
        (
            "Northern Ireland: 16 after 1 July leaves on 30 June the next year (E&L (NI) Order 1986 art 46)",
            date(2010, 7, 5),
            "NIR",
            date(2027, 6, 30),
            AgeBand.child,
        ),
        (
            "an 18th birthday makes an adult from the start of the day",
            date(2008, 4, 10),
            "ENG",
            date(2026, 4, 10),
            AgeBand.adult,
        ),
    ],
)
def test_who_is_a_child_a_young_worker_or_an_adult(reason, born, region, on, band):
    member = ADULT.model_copy(update={"date_of_birth": born})
    assert age_band(member, on, region) is band, (reason, school_leaving_date(born, region))


def test_a_child_is_flagged_and_never_checked_as_a_worker():
    """A 15-year-old under school-leaving age on a 45-hour week: not a 'young worker' (WTR reg 2), so the
    Regulations' rules do not apply as if they did; children's employment law does, and is not checked here."""
    child = ADULT.model_copy(update={"date_of_birth": date(2011, 3, 1)})
    problems = law(
        *(shift(date(2026, 5, 4) + timedelta(days=d), "08:00", "17:30", 30, child) for d in range(5)), who=child
    )
    assert {p.rule for p in problems} == {Rule.child} and len(problems) == 5
    assert "under school-leaving age until Sat 26/06/2027" in problems[0].reason
    knows_better = child.model_copy(update={"over_school_age_from": date(2026, 5, 1)})
    assert Rule.child not in {
        p.rule for p in law(shift(date(2026, 5, 4), "09:00", "13:00", 0, knows_better), who=knows_better)
    }


# -- wording ----------------------------------------------------------------------------------------
def test_durations_are_never_rounded_up():
    assert show_hours(timedelta(hours=10, minutes=59, seconds=59)) == "10h 59m"
    assert show_hours(8.5) == "8h 30m"


def test_northern_ireland_cites_its_own_regulations():
    """The Working Time Regulations (Northern Ireland) 2016 have the same rules under other numbers."""
    assert Rule.daily_rest.text("NIR").startswith("WTR (NI) 2016 reg 12:")
    assert Rule.weekly_rest.text("NIR").startswith("WTR (NI) 2016 reg 13:")
    assert Rule.rest_break.text("NIR").startswith("WTR (NI) 2016 reg 14:")
    assert Rule.young_hours.text("NIR").startswith("WTR (NI) 2016 reg 6:")
    assert Rule.young_night.text("NIR").startswith("WTR (NI) 2016 reg 8:")
    assert Rule.daily_rest.text("SCT") == Rule.daily_rest.value  # Scotland is under the 1998 Regulations
