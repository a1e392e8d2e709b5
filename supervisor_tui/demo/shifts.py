"""Demo rota: weeks of shifts by skill and contract, some leave, and a few deliberate problems
(a short rest gap, an under-18 finishing late, a learner alone) for the checks to find."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from ..domain.briefing import Briefing
from ..domain.coverage import Demand
from ..domain.people import Member, SkillLevel
from ..domain.rota import DEFAULT_POSITIONS, Leave, Shift

if TYPE_CHECKING:
    from . import DemoContext

# 8 hours with a 30-minute break: 7.5 hours worked, so a 37.5-hour contract is five of them.
PATTERNS = [(time(8), time(16)), (time(9), time(17)), (time(12), time(20)), (time(14), time(22))]
# Who is on the deliberate-problem week's special shifts instead of their usual pattern.
SPECIAL = ("Aisha Khan", "Chloe Evans", "Megan O'Neill")
SATURDAY_BUDDY = "Grace Murphy"  # click & collect expert, on Saturdays alongside the Saturday learner
SKILL_TO_POSITION = {skill: name for name, skill in DEFAULT_POSITIONS}


def _position(member: Member, week: int) -> str:
    """Their strongest skill, rotating among equals week by week so everyone keeps current."""
    ranked = sorted(member.skills.items(), key=lambda kv: -SkillLevel(kv[1]).rank)
    best = [name for name, level in ranked if level == ranked[0][1] and name in SKILL_TO_POSITION]
    return SKILL_TO_POSITION[best[week % len(best)]] if best else "tills"


def _week_shifts(member: Member, monday: date, week: int, ctx: DemoContext) -> list[Shift]:
    saturday = monday + timedelta(days=5)
    if member.is_under_18(monday) or member.name == SATURDAY_BUDDY:
        return [
            Shift(
                member_id=member.id,
                day=saturday,
                start=time(9),
                end=time(17),
                position="click & collect",
                break_minutes=30,
                reason="Saturday contract" if member.is_under_18(monday) else "expert buddy for the Saturday learner",
            )
        ]
    days = min(5, max(1, int(member.contract_hours // 7.5)))
    offset = ctx.rng.randint(0, 5 - days)
    start, end = PATTERNS[(week + int(member.saved_id[2:])) % len(PATTERNS)]  # late shifts rotate fairly
    position = _position(member, week)
    return [
        Shift(
            member_id=member.id,
            day=monday + timedelta(days=offset + d),
            start=start,
            end=end,
            position=position,
            break_minutes=30,
            reason=f"{member.level(position) or 'skilled'} on {position}; {member.contract_hours:g}h contract",
        )
        for d in range(days)
    ]


# (position, weekdays, from, to, people): a store that is busiest at lunchtime and on Saturdays.
DEMAND = [
    ("tills", range(0, 5), time(9), time(17), 2),
    ("tills", [5], time(9), time(17), 3),
    ("phones", range(0, 5), time(9), time(17), 2),
    ("returns desk", range(0, 6), time(10), time(16), 1),
    ("complaints desk", range(0, 5), time(10), time(16), 1),
    ("click & collect", range(0, 6), time(12), time(20), 1),
]


def build(ctx: DemoContext) -> None:
    records = ctx.records
    with records.store.transaction() as txn:
        for position, weekdays, start, end, people in DEMAND:
            for weekday in weekdays:
                txn.create(
                    "demand",
                    "D",
                    Demand(position=position, weekday=weekday, start=start, end=end, people=people).fields(),
                    "standard demand",
                )
    team = [m for m in records.team.members() if m.active]
    this_monday = ctx.today - timedelta(days=ctx.today.weekday())
    first = this_monday - timedelta(weeks=ctx.months * 4)
    weeks = (this_monday - first).days // 7 + 2  # history, this week and next
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        ctx.clock.at(monday - timedelta(days=4), 15)  # rotas go up the Thursday before
        with records.store.transaction() as txn:
            for member in team:
                if week == weeks - 1 and member.name in SPECIAL:
                    continue  # their week is written by _deliberate_problems
                for shift in _week_shifts(member, monday, week, ctx):
                    txn.create("shifts", "S", shift.fields(), "weekly rota")
    _deliberate_problems(ctx, team, this_monday + timedelta(weeks=1))
    _briefings(ctx)


BRIEFING_NOTES = [
    (
        "Queue under 3 minutes; CSAT 85%+",
        "Card reader on till 4 is slow: use till 3",
        "Christmas returns policy starts Monday",
    ),
    ("Click & collect ready within 2 hours", "Delivery late: 40 parcels after 11:00", "New starter shadowing on tills"),
    (
        "First contact resolution 75%",
        "Phone system update at 14:00 (10 minutes down)",
        "Complaint trend: damaged items",
    ),
]


def _briefings(ctx: DemoContext) -> None:
    """The last few working days' briefings; one person missed each, and some have been caught up."""
    service = ctx.records.shifts
    day, written = ctx.today - timedelta(days=1), 0
    while written < 5:
        on_shift = service.on_shift(day)
        if on_shift and day.weekday() < 5:
            ctx.clock.at(day, 8, 50)
            targets, issues, updates = BRIEFING_NOTES[written % len(BRIEFING_NOTES)]
            absent = on_shift[ctx.rng.randrange(len(on_shift))]
            caught = {absent: day + timedelta(days=1)} if written % 2 else {}
            service.save_briefing(
                Briefing(
                    day=day,
                    led_by="Priya Sharma",
                    targets=targets,
                    issues=issues,
                    updates=updates,
                    attended=[m for m in on_shift if m != absent],
                    caught_up=caught,
                )
            )
            written += 1
        day -= timedelta(days=1)


def _deliberate_problems(ctx: DemoContext, team: list[Member], monday: date) -> None:
    by_name = {m.name: m for m in team}
    service = ctx.records.shifts
    ctx.clock.at(monday - timedelta(days=3), 11)
    aisha, chloe, megan = by_name.get("Aisha Khan"), by_name.get("Chloe Evans"), by_name.get("Megan O'Neill")
    if aisha:  # a late then an early: only 9h rest
        for day in range(3):
            service.add(
                Shift(
                    member_id=aisha.id,
                    day=monday + timedelta(days=day),
                    start=time(9),
                    end=time(17),
                    position="phones",
                    break_minutes=30,
                    reason="expert on phones",
                )
            )
        service.add(
            Shift(
                member_id=aisha.id,
                day=monday + timedelta(days=3),
                start=time(14),
                end=time(22),
                position="phones",
                break_minutes=30,
                reason="cover for sickness",
            )
        )
        service.add(
            Shift(
                member_id=aisha.id,
                day=monday + timedelta(days=4),
                start=time(7),
                end=time(15),
                position="phones",
                break_minutes=30,
                reason="early cover",
            )
        )
    if chloe:  # an under-18 on until 22:30 (instead of her Saturday), with an expert alongside
        service.add(
            Shift(
                member_id=chloe.id,
                day=monday + timedelta(days=4),
                start=time(16),
                end=time(22, 30),
                position="tills",
                break_minutes=30,
                reason="late-night shopping event",
            )
        )
        tom = by_name.get("Tom Richardson")
        if tom:
            service.add(
                Shift(
                    member_id=tom.id,
                    day=monday + timedelta(days=4),
                    start=time(14),
                    end=time(22),
                    position="tills",
                    break_minutes=30,
                    reason="expert buddy for the late event",
                )
            )
    if megan:  # a learner on phones with no competent colleague alongside
        service.add(
            Shift(
                member_id=megan.id,
                day=monday + timedelta(days=6),
                start=time(10),
                end=time(16),
                position="phones",
                break_minutes=30,
                reason="development: wants phones",
            )
        )
    sam = by_name.get("Sam Patel")
    if sam:
        service.leave.create(
            Leave(
                member_id=sam.id,
                first_day=monday + timedelta(days=14),
                last_day=monday + timedelta(days=18),
                kind="annual leave",
            ),
            "booked leave",
        )
