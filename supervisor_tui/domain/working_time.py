"""The Working Time Regulations 1998 as they read, for one person's shifts. Pure rules.

Conventions (see each rule for its reading):
- Durations are real elapsed time (UTC instants), so a clock change never adds or removes rest;
  wall-clock boundaries (midnight, 22:00, the start of the week) are the team's local time.
- "More than X" is strictly more (exactly six hours of work needs no break, reg 12(1)); "not less
  than X" allows exactly X (exactly 11 hours' rest is enough, reg 10(1)).
- Working time excludes rest breaks (reg 2 "working time": no work is done in them); a shift's
  recorded break is one uninterrupted break somewhere inside it.
- Messages give hours and minutes exactly ("10h 59m rest; needs 11h"), never rounded.
- Someone under school-leaving age is a child, not a young worker (reg 2): the rules here are not
  run for them as if they were an adult; the rota says children's employment law applies instead.

Northern Ireland has the same rules in the Working Time Regulations (Northern Ireland) 2016 under
other numbers; ``Rule.text`` cites them for a team whose region is Northern Ireland.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from .dates import DEFAULT_ZONE, local_to_utc, to_local
from .people import AgeBand, Member, age_band
from .rota import HOUR, WEEK, Interval, Leave, Problem, Rule, show_hours, week_monday

REFERENCE_WEEKS = 17
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
FAR_PAST = datetime(1900, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2200, 1, 1, tzinfo=UTC)
# Statutory leave and sickness are "excluded days" of the 48-hour average (reg 4(6)-(7)): their hours
# are made up from the days worked after the reference period. Other absences are not excluded.
EXCLUDED_LEAVE = ("annual leave", "sickness", "maternity leave", "paternity leave", "adoption leave", "parental leave")


@dataclass(frozen=True)
class TeamRules:
    """The team's settings the rules need (see domain.settings.TeamSettings)."""

    tz: str = DEFAULT_ZONE
    region: str = "ENG"
    week_start_day: int = 0  # reg 11(4)-(6): Monday 00:00 unless a relevant agreement says
    week_start_time: time = time(0)
    weekly_rest: str = "7-day"  # reg 11(1) or the employer's 14-day choice under 11(2)
    weekly_rest_includes_daily_rest: bool = False  # reg 11(7) exception


@dataclass(frozen=True)
class Block:
    """A stretch of work: shifts that touch or overlap merged, in UTC."""

    begin: datetime
    finish: datetime


def merged(spans: Iterable[Interval]) -> list[Block]:
    blocks: list[Block] = []
    for span in sorted(spans, key=lambda s: s.begin):
        if blocks and span.begin <= blocks[-1].finish:
            last = blocks[-1]
            blocks[-1] = Block(last.begin, max(last.finish, span.finish))
        else:
            blocks.append(Block(span.begin, span.finish))
    return blocks


def rests(blocks: list[Block]) -> list[Block]:
    """The rest between blocks, with open rest before the first and after the last (no shift known
    there is time off, as far as the record shows)."""
    if not blocks:
        return [Block(FAR_PAST, FAR_FUTURE)]
    edges = [Block(FAR_PAST, blocks[0].begin)]
    edges += [Block(a.finish, b.begin) for a, b in pairwise(blocks)]
    return edges + [Block(blocks[-1].finish, FAR_FUTURE)]


def clipped(gap: Block, begin: datetime, end: datetime) -> timedelta:
    return max(timedelta(0), min(gap.finish, end) - max(gap.begin, begin))


class Person:
    """One person's shifts and leave, with what the rules keep asking of them."""

    def __init__(self, member: Member, spans: list[Interval], leave: list[Leave], rules: TeamRules):
        self.member, self.rules = member, rules
        self.spans = sorted(spans, key=lambda s: s.begin)
        self.leave = [entry for entry in leave if entry.member_id == member.id and not entry.voided]
        self.blocks = merged(self.spans)
        self.gaps = rests(self.blocks)

    def band(self, day: date) -> AgeBand:
        return age_band(self.member, day, self.rules.region)

    def local_day(self, moment: datetime) -> date:
        return to_local(moment, self.rules.tz).date()

    def daily_rest(self, day: date) -> timedelta:
        """Reg 10(1)-(2): eleven consecutive hours, twelve for a young worker."""
        return timedelta(hours=12 if self.band(day) is AgeBand.young else 11)


def working_time_problems(
    member: Member, spans: list[Interval], leave: list[Leave], first: date, last: date, rules: TeamRules
) -> list[Problem]:
    """Every breach of the Regulations by shifts on days ``first`` to ``last`` (earlier shifts inform
    the averages and rest periods)."""
    person = Person(member, spans, leave, rules)
    in_range = [s for s in person.spans if first <= s.shift.day <= last]
    children = [s for s in in_range if person.band(s.shift.day) is AgeBand.child]
    problems = [_child(person, s) for s in children]
    if children:
        return problems  # the Regulations' rules are not run for a child as if they applied
    return (
        problems
        + daily_rest(person, first, last)
        + rest_breaks(person, first, last)
        + weekly_rest(person, first, last)
        + weekly_average(person, first, last)
        + young_hours(person, first, last)
        + young_nights(person, first, last)
    )


def _child(person: Person, span: Interval) -> Problem:
    member = person.member
    over = member.over_school_age_from or _school_leaving(person)
    return Problem(
        member.saved_id,
        span.shift.day,
        Rule.child,
        f"aged {member.age(span.shift.day)} and under school-leaving age until {over:%a %d/%m/%Y}: not "
        "checked against the Working Time Regulations",
        span.shift.id,
    )


def _school_leaving(person: Person) -> date:
    from .people import school_leaving_date

    born = person.member.date_of_birth
    assert born is not None  # a child's band comes from their date of birth (people.age_band)
    return school_leaving_date(born, person.rules.region)


def _shown(moment: datetime, tz: str) -> str:
    return f"{to_local(moment, tz):%a %d/%m %H:%M}"


# -- reg 10: daily rest ----------------------------------------------------------------------------
def daily_rest(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 10(1)-(2): a rest of not less than 11 consecutive hours (12 for a young worker) in each
    24-hour period during which the worker works.

    Reading (the Regulations do not say where a 24-hour period starts, and no UK or EU case was
    found): each period starts at the first work after a qualifying rest (an "anchored" day, as
    drivers' hours rules do it), and the 24 hours from there must hold the whole rest. So a split
    shift with a lunch-time gap is lawful when the day still has its 11 hours (the gap is not the
    overnight rest); a late shift followed by an early one is not; and a working day stretched past
    13 hours (12 for under-18s) has no room for the rest in its 24 hours. A calendar-day reading would
    fail every 09:00-18:00 worker, and judging each gap between shifts fails every split shift.
    Reg 10(3): an under-18 whose work is split up over the day or of short duration (a per-person
    setting) may have the rest interrupted, so then the rest in the period is added up.
    """
    problems: list[Problem] = []
    gaps = person.gaps
    anchor = person.blocks[0].begin if person.blocks else None
    while anchor is not None:
        day = person.local_day(anchor)
        needed = person.daily_rest(day)
        end = anchor + DAY
        inside = [g for g in gaps if g.begin < end and g.finish > anchor]
        longest = max((clipped(g, anchor, end) for g in inside), default=timedelta(0))  # no gap: no rest
        interrupted_ok = (
            person.band(day) is AgeBand.young
            and person.member.split_or_short_work
            and sum((clipped(g, anchor, end) for g in inside), timedelta(0)) >= needed
        )
        if longest < needed and not interrupted_ok:
            # The last shift in the period is the one that cut the rest short (move it to fix it).
            culprit = max((s for s in person.spans if s.begin < end and s.finish > anchor), key=lambda s: s.begin)
            if first <= culprit.shift.day <= last:
                problems.append(
                    Problem(
                        person.member.saved_id,
                        culprit.shift.day,
                        Rule.daily_rest,
                        f"{show_hours(longest)} consecutive rest in the 24 hours from "
                        f"{_shown(anchor, person.rules.tz)}; "
                        f"needs {needed // HOUR}h",
                        culprit.shift.id,
                    )
                )
        anchor = _next_anchor(person, anchor, end, needed)
        if anchor is not None and person.local_day(anchor) > last + DAY:
            break
    return problems


def _next_anchor(person: Person, anchor: datetime, end: datetime, needed: timedelta) -> datetime | None:
    """The start of the next 24-hour period: the first work after a full rest that begins inside this
    one; failing that, the first work from the end of this period on (each period examined once)."""
    for gap in person.gaps:
        if anchor <= gap.begin < end and gap.finish - gap.begin >= needed:
            return None if gap.finish >= FAR_FUTURE else gap.finish
    for block in person.blocks:
        if block.finish > end:
            return max(block.begin, end)
    return None


# -- reg 12: rest breaks ---------------------------------------------------------------------------
def working_days(person: Person) -> list[list[Interval]]:
    """The shifts of each working day: those separated by less than the daily rest belong together
    (a working day can run past midnight, and a split shift is one day)."""
    days: list[list[Interval]] = []
    for span in person.spans:
        if days and span.begin - max(s.finish for s in days[-1]) < person.daily_rest(span.shift.day):
            days[-1].append(span)
        else:
            days.append([span])
    return days


def worked(span: Interval) -> timedelta:
    """Working time in a shift: its length without the recorded break (reg 2: a break is not work)."""
    return max(timedelta(0), (span.finish - span.begin) - timedelta(minutes=span.shift.break_minutes))


def rest_breaks(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 12(1), (3)-(4): where daily working time is more than six hours (four and a half for a young
    worker), an uninterrupted break of at least 20 minutes (30 for a young worker).

    Reading: 'daily working time' is the working day's, across all its shifts, without breaks (two
    shifts of 4h and 3h 20m with a 10-minute gap need a 20-minute break; 09:00-15:15 with a 15-minute
    break is exactly six hours of work and needs none). The working day, not the calendar day, as the
    Directive (2003/88 art 4) puts it: a 22:00-06:00 shift is one day of eight hours. A recorded
    break, or a gap between the day's shifts, long enough counts. Only one break is due however long
    the day (Corps of Commissionaires v Hughes, EAT 2009).
    """
    problems = []
    for shifts in working_days(person):
        day = shifts[0].shift.day
        young = person.band(day) is AgeBand.young
        limit, needed = (timedelta(hours=4, minutes=30), 30) if young else (timedelta(hours=6), 20)
        total = sum((worked(s) for s in shifts), timedelta(0))
        if total <= limit:
            continue
        gaps = [(b.begin - a.finish) for a, b in pairwise(shifts)]
        longest = max([timedelta(minutes=s.shift.break_minutes) for s in shifts] + gaps)
        if longest >= timedelta(minutes=needed):
            continue
        shown = [s for s in shifts if first <= s.shift.day <= last]
        if shown:
            problems.append(
                Problem(
                    person.member.saved_id,
                    shown[0].shift.day,
                    Rule.rest_break,
                    f"{show_hours(total)} worked that day with no {needed}-minute break "
                    f"(longest {show_hours(longest)})",
                    shown[0].shift.id,
                )
            )
    return problems


# -- reg 11: weekly rest ---------------------------------------------------------------------------
def period_start(person: Person, day: date) -> datetime:
    """The start of the 7-day period holding the local date ``day`` (reg 11(4)-(6))."""
    rules = person.rules
    start_day = day - timedelta(days=(day.weekday() - rules.week_start_day) % 7)
    start = local_to_utc(start_day, rules.week_start_time, rules.tz)
    if start > local_to_utc(day, time(23, 59), rules.tz):
        start = local_to_utc(start_day - WEEK, rules.week_start_time, rules.tz)
    return start


def _rest_fits(gap: Block, begin: datetime, end: datetime, inside: timedelta, on_top: timedelta) -> bool:
    """Does this rest give ``inside`` hours within the period, with ``on_top`` more hours next to them
    (before or after, inside the period or not)? Reg 11(7): the weekly rest may not include the daily."""
    a, b = max(gap.begin, begin), min(gap.finish, end)
    if b - a < inside:
        return False
    return b - gap.begin >= inside + on_top or gap.finish - a >= inside + on_top


def weekly_rest(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 11: an uninterrupted rest in each 7-day period in which the worker works: 24 hours for an
    adult, 48 for a young worker (11(3)). The periods are fixed, beginning at the start of each week
    (Monday 00:00, reg 11(6), or where a relevant agreement says, 11(4)(a): a team setting); rest is
    counted where it falls, so an ordinary Monday-to-Friday worker's weekend is inside every week.
    An adult's weekly rest comes on top of the 11-hour daily rest (reg 11(7); on the team's setting,
    only where objective, technical or work-organisation reasons justify including it): 35 hours in
    all. The employer may instead give two 24-hour rests, or one of 48 hours, in each 14-day period
    (11(2)), the first period starting with the week employment began (11(5)).
    """
    rules = person.rules
    problems = []
    on_top = timedelta(0) if rules.weekly_rest_includes_daily_rest else timedelta(hours=11)
    # Under-18s always need 48 hours in each 7 days (reg 11(3)); the 14-day choice is for adults.
    step = 14 if rules.weekly_rest != "7-day" and person.band(first) is not AgeBand.young else 7
    begin = _first_period(person, first, step)
    while person.local_day(begin) <= last:
        end = begin + timedelta(days=step)
        works = [b for b in person.blocks if b.begin < end and b.finish > begin]
        day = max(first, person.local_day(begin))
        young = bool(works) and person.band(person.local_day(works[0].begin)) is AgeBand.young
        if works and not _enough_weekly_rest(person, begin, end, young, on_top):
            best = max(person.gaps, key=lambda g: (clipped(g, begin, end), g.finish - g.begin))
            inside = clipped(best, begin, end)
            whole = min(best.finish, FAR_FUTURE) - max(best.begin, FAR_PAST)
            longest = show_hours(inside) + (
                f" ({show_hours(whole)} with the rest either side)"
                if whole > inside and whole < timedelta(days=60)
                else ""
            )
            if young:
                needs = "48h (under 18, reg 11(3))"
            elif step == 7:
                needs = "24h" + (" on top of the 11h daily rest (reg 11(7))" if on_top else "")
            else:
                needs = "two rests of 24h or one of 48h" if rules.weekly_rest == "14-day-two-24h" else "one rest of 48h"
                needs += " in the 14 days" + (", each on top of the 11h daily rest (reg 11(7))" if on_top else "")
            problems.append(
                Problem(
                    person.member.saved_id,
                    day,
                    Rule.weekly_rest,
                    f"longest rest in the {step} days from {to_local(begin, rules.tz):%a %d/%m %H:%M} "
                    f"is {longest}; needs {needs}",
                )
            )
        begin = end
    return problems


def _first_period(person: Person, first: date, step: int) -> datetime:
    start = period_start(person, first)
    if step == 7:
        return start
    # Fortnights run from the week employment began (reg 11(5)); without a start date, from a fixed week.
    origin = period_start(person, person.member.start_date or date(2000, 1, 3))
    weeks = round((start - origin) / WEEK)
    return start - WEEK if weeks % 2 else start


def _enough_weekly_rest(person: Person, begin: datetime, end: datetime, young: bool, on_top: timedelta) -> bool:
    gaps = person.gaps
    if young:  # reg 11(3): 48 hours in each 7-day period; reg 11(7) is for adults only
        return any(clipped(g, begin, end) >= timedelta(hours=48) for g in gaps)
    mode = person.rules.weekly_rest
    day_rest = timedelta(hours=24)
    if mode == "7-day" or end - begin == WEEK:
        return any(_rest_fits(g, begin, end, day_rest, on_top) for g in gaps)
    double = any(_rest_fits(g, begin, end, 2 * day_rest, on_top) for g in gaps)
    if mode == "14-day-one-48h":
        return double
    return double or sum(_rest_fits(g, begin, end, day_rest, on_top) for g in gaps) >= 2


# -- reg 4: the 48-hour average --------------------------------------------------------------------
def weekly_average(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 4(1), (3)-(7): working time must not exceed an average of 48 hours for each seven days
    over the reference period (reg 5: unless the worker has opted out in writing).

    Reading: the reference period for each week is the 17 weeks (reg 2: Monday to Sunday) ending with
    it, any 17 weeks being a reference period under 4(3)(b). A worker employed for less than 17
    weeks is averaged over the time since they started (4(4)), once there are seven days to average.
    Days of statutory leave or sickness in the period (4(7) "excluded days") add no hours, so the hours
    of the same number of days worked after the period are added instead (4(6)); while those days
    are not yet on the rota, the figure is provisional and says so. A shift counts in the week it
    starts.
    """
    member = person.member
    if member.working_time_opt_out:
        return []
    problems = []
    monday = week_monday(first)
    while monday <= last:
        sunday = monday + timedelta(days=6)
        since = monday - (REFERENCE_WEEKS - 1) * WEEK
        note = f"over the 17 weeks to {sunday:%a %d/%m}"
        if member.start_date and member.start_date > since:
            since, note = member.start_date, f"since starting on {member.start_date:%a %d/%m/%Y} (reg 4(4))"
        days = (sunday - since).days + 1
        if days >= 7:
            average, extra = _average(person, since, sunday, days)
            if average > timedelta(hours=48):
                problems.append(
                    Problem(
                        member.saved_id,
                        monday,
                        Rule.weekly_average,
                        f"{show_hours(average)} a week on average {note}{extra}; no opt-out recorded",
                    )
                )
        monday += WEEK
    return problems


def _average(person: Person, since: date, until: date, days: int) -> tuple[timedelta, str]:
    total = sum((worked(s) for s in person.spans if since <= s.shift.day <= until), timedelta(0))
    excluded = sum(
        1
        for n in range(days)
        if any(e.covers(since + timedelta(days=n)) and e.kind in EXCLUDED_LEAVE for e in person.leave)
    )
    extra = ""
    if excluded:
        after: dict[date, timedelta] = {}
        for span in person.spans:
            if span.shift.day > until:
                after[span.shift.day] = after.get(span.shift.day, timedelta(0)) + worked(span)
        days_worked = sorted(after)[:excluded]
        total += sum((after[d] for d in days_worked), timedelta(0))
        extra = f"; {excluded} day(s) of leave or sickness made up from the next days worked (reg 4(6))"
        if len(days_worked) < excluded:
            extra += f", provisional until {excluded - len(days_worked)} more day(s) are on the rota"
    return total * 7 / days, extra


# -- reg 5A and 6A: young workers -------------------------------------------------------------------
def by_local_day(person: Person, span: Interval) -> dict[date, timedelta]:
    """A shift's working time split at local midnights (its break shared out in proportion)."""
    length = span.finish - span.begin
    share = worked(span) / length if length else 0
    out: dict[date, timedelta] = {}
    cursor = span.begin
    while cursor < span.finish:
        day = person.local_day(cursor)
        midnight = local_to_utc(day + DAY, time(0), person.rules.tz)
        piece = min(span.finish, midnight) - cursor
        out[day] = out.get(day, timedelta(0)) + piece * share
        cursor = min(span.finish, midnight)
    return out


def young_hours(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 5A(1): a young worker's working time may not exceed eight hours a day or forty a week.
    A day is the calendar day from midnight (reg 2 "day"), so a shift over midnight counts in both;
    a week runs Monday to Sunday (reg 2), whatever the team's weekly-rest start. Hours for another
    employer count too (5A(2)); the record does not know them."""
    daily: dict[date, timedelta] = {}
    last_shift: dict[date, Interval] = {}
    for span in person.spans:
        for day, hours in by_local_day(person, span).items():
            daily[day] = daily.get(day, timedelta(0)) + hours
            last_shift[day] = span
    problems = []
    for day in sorted(daily):
        if first <= day <= last and person.band(day) is AgeBand.young and daily[day] > 8 * HOUR:
            problems.append(
                Problem(
                    person.member.saved_id,
                    day,
                    Rule.young_hours,
                    f"{show_hours(daily[day])} worked on {day:%a %d/%m}; the limit is 8h 0m",
                    last_shift[day].shift.id,
                )
            )
    monday = week_monday(first)
    while monday <= last:
        week = sum((hours for day, hours in daily.items() if monday <= day < monday + WEEK), timedelta(0))
        if person.band(monday) is AgeBand.young and week > 40 * HOUR:
            problems.append(
                Problem(
                    person.member.saved_id,
                    monday,
                    Rule.young_hours,
                    f"{show_hours(week)} worked in the week of {monday:%d/%m}; the limit is 40h 0m",
                )
            )
        monday += WEEK
    return problems


def young_nights(person: Person, first: date, last: date) -> list[Problem]:
    """Reg 6A with reg 2 "restricted period": no work for a young worker from 22:00 to 06:00, or from
    23:00 to 07:00 where their contract provides for work after 22:00 (a per-person setting). A shift
    ending at 22:00 does not enter it."""
    late = person.member.works_after_ten_by_contract
    starts, ends = (time(23), time(7)) if late else (time(22), time(6))
    window = f"{starts:%H:%M}-{ends:%H:%M}"
    problems = []
    for span in person.spans:
        day = span.shift.day
        if not first <= day <= last or person.band(day) is not AgeBand.young:
            continue
        inside = timedelta(0)
        for night in (day - DAY, day, day + DAY):
            begin = local_to_utc(night, starts, person.rules.tz)
            end = local_to_utc(night + DAY, ends, person.rules.tz)
            inside += max(timedelta(0), min(span.finish, end) - max(span.begin, begin))
        if inside > timedelta(0):
            problems.append(
                Problem(
                    person.member.saved_id,
                    day,
                    Rule.young_night,
                    f"works {span.shift.start:%H:%M}-{span.shift.end:%H:%M}: {show_hours(inside)} "
                    f"in the restricted period {window} at age {person.member.age(day)}",
                    span.shift.id,
                )
            )
    return problems
