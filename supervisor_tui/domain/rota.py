"""Shifts, leave and positions, and the rules a rota is checked against. Pure: no Textual, no TinyDB.

Every problem cites the rule it breaks, so a supervisor (or an assessor) can see why it matters:
the UK Working Time Regulations 1998 for rest, breaks, weekly hours and young workers, and the
team's own allocation rules for skills, buddies, leave and contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Iterable

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import RecordModel
from .dates import DEFAULT_ZONE, age_on, local_to_utc, to_local
from .fields import LongText, PersonName, RecordDate, context_today, refuse_before, refuse_future
from .people import ADULT_AGE, Member, SkillLevel, normalise_skill

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)
REFERENCE_WEEKS = 17


class Rule(str, Enum):
    """Each rule with the words shown beside a problem."""

    daily_rest = "WTR 1998 reg 10: 11 hours' rest between working days (12 for under-18s)"
    weekly_rest = "WTR 1998 reg 11: 24 hours' rest in each 7 days, or 48 in 14 (48 in 7 for under-18s)"
    rest_break = "WTR 1998 reg 12: a 20-minute break over 6 hours (30 minutes over 4.5 hours for under-18s)"
    weekly_average = "WTR 1998 reg 4: 48 hours a week on average over 17 weeks, unless opted out"
    young_hours = "WTR 1998 reg 5A: under-18s at most 8 hours a day and 40 a week"
    young_night = "WTR 1998 reg 6A: under-18s may not work between 22:00 and 06:00"
    overlap = "Rota: one person, one place at a time (overlapping or double-booked shifts)"
    on_leave = "Rota: a shift during recorded leave or unavailability"
    skill = "Allocation: the position needs a skill the person lacks"
    buddy = "Allocation: a learner needs a competent or expert buddy on the same position"
    contract = "Workload: hours over the weekly contract"


class Shift(RecordModel):
    member_id: str = Field(title="Person")
    day: RecordDate = Field(title="Date")  # a rota is planned ahead; the person's start date is the service's check
    start: time = Field(title="Start")
    end: time = Field(title="End")
    position: str = Field(title="Position", min_length=1, max_length=40)
    break_minutes: int = Field(default=0, title="Break (minutes)", ge=0, le=180)
    reason: str = Field(default="", title="Why this person", max_length=500)
    note: str = Field(default="", title="Note", max_length=500)

    @field_validator("position")
    @classmethod
    def _position(cls, value: str) -> str:
        return normalise_skill(value)

    @model_validator(mode="after")
    def _length(self) -> "Shift":
        if self.start == self.end:
            raise ValueError("End: a shift cannot start and end at the same time")
        return self


class Leave(RecordModel):
    member_id: str = Field(title="Person")
    first_day: RecordDate = Field(title="From")  # leave is booked ahead, so the future is allowed
    last_day: RecordDate = Field(title="To")
    kind: str = Field(default="annual leave", title="Kind", max_length=60)

    @model_validator(mode="after")
    def _order(self) -> "Leave":
        if self.last_day < self.first_day:
            raise ValueError("To: the last day cannot be before the first")
        return self

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


# The usual places to work on a shop floor or in a contact centre, and the skill each needs.
DEFAULT_POSITIONS = [("tills", "tills"), ("phones", "phones"), ("returns desk", "returns"),
                     ("complaints desk", "complaints desk"), ("click & collect", "click & collect"),
                     ("email", "email"), ("chat", "chat")]


class Position(RecordModel):
    """A place to work (tills, phones, returns desk...) and the skill it needs."""

    name: str = Field(title="Position", min_length=1, max_length=40)
    skill: str = Field(title="Skill needed", min_length=1, max_length=40)

    @field_validator("name", "skill")
    @classmethod
    def _names(cls, value: str) -> str:
        return normalise_skill(value)


@dataclass(frozen=True)
class Interval:
    """A shift as real instants (UTC), so lengths and gaps are right across clock changes."""

    shift: Shift
    begin: datetime
    finish: datetime

    @property
    def hours(self) -> float:
        return (self.finish - self.begin) / HOUR

    @property
    def worked_hours(self) -> float:
        """Working time excludes the rest break (it is not working time under the Regulations)."""
        return self.hours - self.shift.break_minutes / 60


def interval(shift: Shift, tz: str = DEFAULT_ZONE) -> Interval:
    """A shift starting on ``shift.day``; one ending at or before its start ends the next day."""
    begin = local_to_utc(shift.day, shift.start, tz)
    finish_day = shift.day + timedelta(days=1) if shift.end <= shift.start else shift.day
    return Interval(shift, begin, local_to_utc(finish_day, shift.end, tz))


@dataclass(frozen=True)
class Problem:
    member_id: str
    day: date
    rule: Rule
    reason: str
    shift_id: str | None = None

    @property
    def is_law(self) -> bool:
        return self.rule.name not in ("skill", "buddy", "contract", "overlap", "on_leave")


@dataclass
class RotaFacts:
    """What the rules look at: the people, their shifts (history included) and leave, and positions."""

    members: dict[str, Member]
    shifts: list[Shift]
    leave: list[Leave]
    positions: dict[str, str]  # position -> the skill it needs
    tz: str = DEFAULT_ZONE


def check_rota(facts: RotaFacts, first: date, last: date) -> list[Problem]:
    """Every problem with shifts starting between ``first`` and ``last`` (history informs the averages)."""
    # Only what can matter: 17 weeks back for the average, two weeks on for the fortnight rest rule.
    since, until = first - REFERENCE_WEEKS * WEEK, last + 2 * WEEK
    by_person: dict[str, list[Interval]] = {}
    for shift in facts.shifts:
        if not shift.voided and since <= shift.day <= until:
            by_person.setdefault(shift.member_id, []).append(interval(shift, facts.tz))
    problems: list[Problem] = []
    for member_id, spans in by_person.items():
        member = facts.members.get(member_id)
        if member is None:
            continue
        spans.sort(key=lambda s: s.begin)
        problems += _pairs(member, spans, first, last)
        problems += _breaks_and_nights(member, spans, first, last, facts.tz)
        problems += _weekly_rest(member, spans, first, last, facts.tz)
        problems += _weekly_hours(member, spans, first, last)
        problems += _leave(member, spans, facts.leave, first, last)
        problems += _skills(member, spans, facts, by_person, first, last)
    return sorted(problems, key=lambda p: (p.day, p.member_id, p.rule.name))


def _in_range(span: Interval, first: date, last: date) -> bool:
    return first <= span.shift.day <= last


def _young(member: Member, day: date) -> bool:
    return age_on(member.date_of_birth, day) < ADULT_AGE


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "h"


def _pairs(member: Member, spans: list[Interval], first: date, last: date) -> list[Problem]:
    """Overlaps and daily rest, on every pair of consecutive shifts (not just overnight ones)."""
    out = []
    for before, after in zip(spans, spans[1:]):
        if not (_in_range(before, first, last) or _in_range(after, first, last)):
            continue
        gap = (after.begin - before.finish) / HOUR
        if gap < 0:
            out.append(Problem(member.id, after.shift.day, Rule.overlap,
                               f"overlaps {before.shift.id or 'another shift'} ({before.shift.position}, "
                               f"{before.shift.day:%a %d/%m} {before.shift.start:%H:%M}-{before.shift.end:%H:%M})",
                               after.shift.id))
            continue
        need = 12 if _young(member, after.shift.day) else 11
        if gap < need:
            out.append(Problem(member.id, after.shift.day, Rule.daily_rest,
                               f"only {_hours(gap)} rest after the shift ending "
                               f"{to_local(before.finish):%a %d/%m %H:%M}; needs {need}h", after.shift.id))
    return out


def _breaks_and_nights(member: Member, spans: list[Interval], first: date, last: date, tz: str) -> list[Problem]:
    out = []
    daily: dict[date, float] = {}
    for span in spans:
        if not _in_range(span, first, last):
            continue
        young = _young(member, span.shift.day)
        limit, need = (4.5, 30) if young else (6.0, 20)
        if span.hours > limit and span.shift.break_minutes < need:
            out.append(Problem(member.id, span.shift.day, Rule.rest_break,
                               f"{_hours(span.hours)} shift with a {span.shift.break_minutes}-minute break; "
                               f"needs at least {need} minutes", span.shift.id))
        if young:
            daily[span.shift.day] = daily.get(span.shift.day, 0) + span.worked_hours
            if _touches_night(span, tz):
                out.append(Problem(member.id, span.shift.day, Rule.young_night,
                                   f"works {span.shift.start:%H:%M}-{span.shift.end:%H:%M} at age "
                                   f"{age_on(member.date_of_birth, span.shift.day)}", span.shift.id))
    for day, hours in daily.items():
        if hours > 8:
            out.append(Problem(member.id, day, Rule.young_hours, f"{_hours(hours)} in the day; the limit is 8h"))
    return out


def _touches_night(span: Interval, tz: str) -> bool:
    """Any minute of the shift between 22:00 and 06:00 local time."""
    local_begin, local_end = to_local(span.begin, tz), to_local(span.finish, tz)
    day = local_begin.date() - timedelta(days=1)
    while day <= local_end.date():
        night_begin = local_to_utc(day, time(22), tz)
        night_end = local_to_utc(day + timedelta(days=1), time(6), tz)
        if span.begin < night_end and night_begin < span.finish:
            return True
        day += timedelta(days=1)
    return False


def _free_gaps(spans: list[Interval], window_begin: datetime, window_end: datetime) -> list[float]:
    """Lengths in hours of the stretches with no work inside a window."""
    gaps, cursor = [], window_begin
    for span in spans:
        if span.finish <= window_begin or span.begin >= window_end:
            continue
        if span.begin > cursor:
            gaps.append((span.begin - cursor) / HOUR)
        cursor = max(cursor, span.finish)
    if window_end > cursor:
        gaps.append((window_end - cursor) / HOUR)
    return gaps


def _weekly_rest(member: Member, spans: list[Interval], first: date, last: date, tz: str) -> list[Problem]:
    """Each 7-day window starting on a day in range needs 24h off (48h for under-18s); an adult may
    instead have two 24h periods or one of 48h in the 14 days from the same start."""
    out, day = [], first
    while day <= last:
        begin = local_to_utc(day, time(0), tz)
        week_gaps = _free_gaps(spans, begin, begin + WEEK)
        young = _young(member, day)
        longest = max(week_gaps, default=168.0)
        if young and longest < 48:
            out.append(Problem(member.id, day, Rule.weekly_rest,
                               f"longest rest in the 7 days from {day:%a %d/%m} is {_hours(longest)}; needs 48h"))
            day += timedelta(days=7)
            continue
        if not young and longest < 24:
            fortnight = _free_gaps(spans, begin, begin + 2 * WEEK)
            if not (max(fortnight, default=0) >= 48 or sum(g >= 24 for g in fortnight) >= 2):
                out.append(Problem(member.id, day, Rule.weekly_rest,
                                   f"longest rest in the 7 days from {day:%a %d/%m} is {_hours(longest)}, "
                                   "and the fortnight has no 48h alternative"))
                day += timedelta(days=7)
                continue
        day += timedelta(days=1)
    return out


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_worked(spans: Iterable[Interval]) -> dict[date, float]:
    """Worked hours per week (keyed by the Monday), each shift in the week it starts."""
    weeks: dict[date, float] = {}
    for span in spans:
        monday = week_monday(span.shift.day)
        weeks[monday] = weeks.get(monday, 0) + span.worked_hours
    return weeks


def _weekly_hours(member: Member, spans: list[Interval], first: date, last: date) -> list[Problem]:
    out = []
    weeks = weekly_worked(spans)
    monday = week_monday(first)
    while monday <= last:
        hours = weeks.get(monday, 0.0)
        if member.is_under_18(monday) and hours > 40:
            out.append(Problem(member.id, monday, Rule.young_hours,
                               f"{_hours(hours)} in the week of {monday:%d/%m}; the limit is 40h"))
        if hours > member.contract_hours:
            out.append(Problem(member.id, monday, Rule.contract,
                               f"{_hours(hours)} in the week of {monday:%d/%m} against a "
                               f"{_hours(member.contract_hours)} contract"))
        if not member.working_time_opt_out:
            reference = [weeks.get(monday - WEEK * n, 0.0) for n in range(REFERENCE_WEEKS)]
            average = sum(reference) / REFERENCE_WEEKS
            if average > 48:
                out.append(Problem(member.id, monday, Rule.weekly_average,
                                   f"{_hours(average)} a week on average over the 17 weeks to "
                                   f"{monday + timedelta(days=6):%d/%m}; no opt-out recorded"))
        monday += WEEK
    return out


def _leave(member: Member, spans: list[Interval], leave: list[Leave], first: date, last: date) -> list[Problem]:
    mine = [entry for entry in leave if entry.member_id == member.id and not entry.voided]
    return [Problem(member.id, span.shift.day, Rule.on_leave,
                    f"{entry.kind} {entry.first_day:%d/%m}-{entry.last_day:%d/%m}", span.shift.id)
            for span in spans if _in_range(span, first, last)
            for entry in mine if entry.covers(span.shift.day)]


def _skills(member: Member, spans: list[Interval], facts: RotaFacts, by_person: dict[str, list[Interval]],
            first: date, last: date) -> list[Problem]:
    out = []
    for span in spans:
        if not _in_range(span, first, last):
            continue
        skill = facts.positions.get(span.shift.position, span.shift.position)
        level = member.level(skill)
        if level is None:
            out.append(Problem(member.id, span.shift.day, Rule.skill,
                               f"{span.shift.position} needs {skill}; {member.name} has no {skill} skill",
                               span.shift.id))
        elif level == SkillLevel.learner and not _has_buddy(span, skill, facts, by_person):
            out.append(Problem(member.id, span.shift.day, Rule.buddy,
                               f"learner on {span.shift.position} with no competent or expert colleague "
                               "on the same position at the same time", span.shift.id))
    return out


def _has_buddy(span: Interval, skill: str, facts: RotaFacts, by_person: dict[str, list[Interval]]) -> bool:
    for other_id, others in by_person.items():
        colleague = facts.members.get(other_id)
        if other_id == span.shift.member_id or colleague is None:
            continue
        level = colleague.level(skill)
        if level is None or level == SkillLevel.learner:
            continue
        if any(o.shift.position == span.shift.position and o.begin < span.finish and span.begin < o.finish
               for o in others):
            return True
    return False


# -- demand and coverage ----------------------------------------------------------------------------
class Demand(RecordModel):
    """How many people a position needs on a weekday between two times."""

    position: str = Field(title="Position", min_length=1, max_length=40)
    weekday: int = Field(title="Day", ge=0, le=6)
    start: time = Field(title="From")
    end: time = Field(title="To")
    people: int = Field(title="People", ge=1, le=50)

    @field_validator("position")
    @classmethod
    def _position(cls, value: str) -> str:
        return normalise_skill(value)

    @model_validator(mode="after")
    def _band(self) -> "Demand":
        if self.end <= self.start:
            raise ValueError("To: the band must end after it starts (same day)")
        return self


@dataclass(frozen=True)
class Cover:
    position: str
    hour: int
    have: int
    need: int

    @property
    def gap(self) -> int:
        """Negative when short, positive when over."""
        return self.have - self.need


def coverage(day: date, shifts: Iterable[Shift], demand: Iterable[Demand], tz: str = DEFAULT_ZONE) -> list[Cover]:
    """Per position and hour of the day: people on (covering the half-hour mark) against people needed."""
    spans = [interval(s, tz) for s in shifts if not s.voided]
    needs = [d for d in demand if not d.voided and d.weekday == day.weekday()]
    positions = sorted({d.position for d in needs} | {s.shift.position for s in spans if s.shift.day == day})
    out = []
    for position in positions:
        for hour in range(24):
            mark = local_to_utc(day, time(hour, 30), tz)
            have = sum(1 for s in spans if s.shift.position == position and s.begin <= mark < s.finish)
            need = sum(d.people for d in needs if d.position == position and d.start <= time(hour, 30) < d.end)
            if have or need:
                out.append(Cover(position, hour, have, need))
    return out


def shortfall_hours(cover: Iterable[Cover]) -> int:
    """Person-hours short across the day: the one number for the grid."""
    return sum(-c.gap for c in cover if c.gap < 0)


# -- recurring patterns -------------------------------------------------------------------------------
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(text: str) -> list[int]:
    """'mon-fri', 'mon,wed,fri', 'sat sun', 'weekdays', 'weekends' -> weekday numbers (Monday 0)."""
    raw = (text or "").strip().lower().replace(" ", ",")
    named = {"weekdays": "mon-fri", "weekends": "sat,sun", "daily": "mon-sun", "every day": "mon-sun"}
    raw = named.get(raw, raw)
    days: set[int] = set()
    for part in filter(None, raw.split(",")):
        ends = part.split("-")
        try:
            numbers = [DAY_NAMES.index(e.strip()[:3]) for e in ends]
        except ValueError:
            raise ValueError(f"{part!r} is not a day; write days like mon-fri or mon,wed,fri") from None
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2 and numbers[0] <= numbers[1]:
            days.update(range(numbers[0], numbers[1] + 1))
        else:
            raise ValueError(f"{part!r} is not a day range; write it like mon-fri")
    if not days:
        raise ValueError("choose at least one day, e.g. mon-fri")
    return sorted(days)


def pattern_days(first: date, weekdays: list[int], weeks: int) -> list[date]:
    """Every chosen weekday from ``first`` for ``weeks`` weeks (dateutil's rrule does the calendar)."""
    from dateutil.rrule import WEEKLY, rrule

    if not 1 <= weeks <= 52:
        raise ValueError("a pattern runs for 1 to 52 weeks")
    until = first + timedelta(weeks=weeks) - timedelta(days=1)
    return [d.date() for d in rrule(WEEKLY, dtstart=first, until=until, byweekday=weekdays)]


# -- filling a slot ---------------------------------------------------------------------------------
LATE_FINISH = time(20)
FAIRNESS_WEEKS = 4


@dataclass(frozen=True)
class Candidate:
    """Someone who could take a slot, with every reason shown (allocation by transparent criteria)."""

    member: Member
    score: float
    reasons: list[str]
    blockers: list[str]  # why they cannot take it (rest rules, leave, already working): listed last
    buddy: str | None = None

    @property
    def available(self) -> bool:
        return not self.blockers

    def summary(self) -> str:
        return "; ".join(self.reasons)


def is_unsocial(shift: Shift) -> bool:
    """A late finish (after 20:00, or past midnight) or a weekend day: shared out fairly."""
    return shift.day.weekday() >= 5 or shift.end >= LATE_FINISH or shift.end <= shift.start


def rank_candidates(facts: RotaFacts, slot: Shift) -> list[Candidate]:
    """Everyone active with the skill, best first; those who cannot take it come last with why."""
    skill = facts.positions.get(slot.position, slot.position)
    slot_span = interval(slot, facts.tz)
    monday = week_monday(slot.day)
    since = slot.day - timedelta(weeks=FAIRNESS_WEEKS)
    live = [s for s in facts.shifts if not s.voided]
    unsocial_counts = {m: sum(1 for s in live if s.member_id == m and since <= s.day < slot.day and is_unsocial(s))
                       for m in facts.members}
    fewest_unsocial = min(unsocial_counts.values(), default=0)
    out = []
    for member in facts.members.values():
        level = member.level(skill)
        wants = any(skill in goal.lower() or slot.position in goal.lower() for goal in member.development_goals)
        if not member.active or (level is None and not wants):
            continue
        trial = slot.model_copy(update={"member_id": member.id, "id": "(this slot)"})
        mine = [s for s in live if s.member_id == member.id]
        blockers = [f"{p.rule.value.split(':')[0]}: {p.reason}"
                    for p in check_rota(RotaFacts({member.id: member}, mine + [trial], facts.leave, facts.positions,
                                                  facts.tz), slot.day, slot.day)
                    if p.shift_id == "(this slot)" and p.rule not in (Rule.buddy, Rule.skill, Rule.contract, Rule.overlap)]
        # An overlap is reported against whichever shift starts later, so look for it directly.
        blockers += [f"already working {s.start:%H:%M}-{s.end:%H:%M} on {s.position}" for s in mine
                     if _overlaps(interval(s, facts.tz), slot_span)]
        reasons, score = [], 0.0
        if level is not None:
            score += 1 + level.rank
            reasons.append(f"{level.value} at {skill}")
        week_hours = sum(interval(s, facts.tz).worked_hours for s in mine if week_monday(s.day) == monday)
        room = member.contract_hours - week_hours
        if room >= slot_span.worked_hours:
            score += 2 * min(1.0, room / max(member.contract_hours, 1))
            reasons.append(f"{_hours(week_hours)} of {_hours(member.contract_hours)} this week")
        else:
            score -= 2
            reasons.append(f"would go over contract ({_hours(week_hours)} of {_hours(member.contract_hours)} already)")
        if is_unsocial(slot):
            extra = unsocial_counts[member.id] - fewest_unsocial
            score += max(0.0, 1.5 - 0.5 * extra)
            reasons.append(f"{unsocial_counts[member.id]} late/weekend shift(s) in the last {FAIRNESS_WEEKS} weeks")
        buddy = None
        if wants and level in (None, SkillLevel.learner):
            buddy = _buddy_name(facts, slot_span, skill, member.id)
            if buddy:
                score += 1.5
                reasons.append(f"development: wants {skill}, with {buddy} alongside")
            else:
                blockers.append(f"wants {skill} but has no competent or expert buddy on {slot.position} then")
        elif level == SkillLevel.learner:
            buddy = _buddy_name(facts, slot_span, skill, member.id)
            if not buddy:
                blockers.append(f"learner at {skill} with no competent or expert buddy on {slot.position} then")
        out.append(Candidate(member, round(score, 2), reasons, blockers, buddy))
    return sorted(out, key=lambda c: (not c.available, -c.score, c.member.name))


def _overlaps(a: Interval, b: Interval) -> bool:
    return a.begin < b.finish and b.begin < a.finish


def _buddy_name(facts: RotaFacts, span: Interval, skill: str, exclude: str) -> str | None:
    for shift in facts.shifts:
        colleague = facts.members.get(shift.member_id)
        if shift.voided or colleague is None or shift.member_id == exclude or shift.position != span.shift.position:
            continue
        level = colleague.level(skill)
        other = interval(shift, facts.tz)
        if level in (SkillLevel.competent, SkillLevel.expert) and _overlaps(other, span):
            return f"{colleague.name} ({level.value})"
    return None


# -- the daily briefing -----------------------------------------------------------------------------
class Briefing(RecordModel):
    """The start-of-shift briefing: what was said and who heard it, so nobody is left out of the loop."""

    day: RecordDate = Field(title="Date")
    led_by: PersonName = Field(default="", title="Led by", max_length=80)
    targets: LongText = Field(default="", title="Targets", max_length=2000)
    issues: LongText = Field(default="", title="Issues", max_length=2000)
    updates: LongText = Field(default="", title="Updates", max_length=2000)
    attended: list[str] = Field(default_factory=list, title="Attended", max_length=200)
    caught_up: dict[str, RecordDate] = Field(default_factory=dict, title="Caught up", max_length=200)

    @model_validator(mode="after")
    def _says_something(self, info: ValidationInfo) -> "Briefing":
        if not (self.targets.strip() or self.issues.strip() or self.updates.strip()):
            raise ValueError("Targets: a briefing needs at least one target, issue or update to be a record")
        # The record of what was said and who heard it is written once it has happened: attendance
        # cannot be ticked for tomorrow, and nobody is caught up on a briefing before it was given.
        today = context_today(info)
        refuse_future(self.day, today, "Date")
        for caught_on in self.caught_up.values():
            refuse_before(caught_on, self.day, "Caught up", "the briefing")
            refuse_future(caught_on, today, "Caught up")
        return self

    def still_to_catch_up(self, on_shift: Iterable[str]) -> list[str]:
        """People on shift that day who neither attended nor have been caught up since."""
        return [m for m in on_shift if m not in self.attended and m not in self.caught_up]
