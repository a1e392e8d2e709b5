"""Checking a rota: the Working Time Regulations (``working_time``) and the team's own rules for one
person in one place at a time, leave, skills, learners' buddies and contract hours.

Every problem cites the rule it breaks, so a supervisor (or an assessor) can see why it matters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from .people import Member, SkillLevel
from .rota import WEEK, Interval, Leave, Problem, Rule, Shift, interval, show_hours, week_monday
from .working_time import REFERENCE_WEEKS, TeamRules, worked, working_time_problems


@dataclass
class RotaFacts:
    """What the rules look at: the people, their shifts (history included) and leave, the positions
    and the skill each needs, and the team's settings."""

    members: dict[str, Member]
    shifts: list[Shift]
    leave: list[Leave]
    positions: dict[str, str]  # position -> the skill it needs
    rules: TeamRules = field(default_factory=TeamRules)

    @property
    def tz(self) -> str:
        return self.rules.tz


WorkingTimeCheck = Callable[[Member, list[Interval], list[Leave], date, date, TeamRules], list[Problem]]


def check_rota(
    facts: RotaFacts, first: date, last: date, working_time: WorkingTimeCheck = working_time_problems
) -> list[Problem]:
    """Every problem with shifts starting between ``first`` and ``last`` (history informs the averages).

    ``working_time`` is ``working_time_problems`` or a stand-in giving the same answers (the rota
    service keeps each person's, as most of the time goes there and one save changes one person)."""
    # Only what can matter: 17 weeks back for the average, two weeks on for a fortnight's weekly rest
    # and for the days worked after a reference period with leave in it.
    since, until = first - REFERENCE_WEEKS * WEEK - WEEK, last + 3 * WEEK
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
        problems += working_time(member, spans, facts.leave, first, last, facts.rules)
        problems += _overlaps(member, spans, first, last)
        problems += _contract(member, spans, first, last)
        problems += _leave(member, spans, facts.leave, first, last)
        problems += _skills(member, spans, facts, by_person, first, last)
    return sorted(problems, key=lambda p: (p.day, p.member_id, p.rule.name))


def _in_range(span: Interval, first: date, last: date) -> bool:
    return first <= span.shift.day <= last


def _overlaps(member: Member, spans: list[Interval], first: date, last: date) -> list[Problem]:
    """One person, one place: a shift that starts before the one before it has ended."""
    out = []
    for before, after in pairwise(spans):
        if after.begin < before.finish and (_in_range(before, first, last) or _in_range(after, first, last)):
            b = before.shift
            out.append(
                Problem(
                    member.saved_id,
                    after.shift.day,
                    Rule.overlap,
                    f"overlaps {b.id or 'a new shift'} ({b.position}, {b.day:%a %d/%m} {b.start:%H:%M}-{b.end:%H:%M})",
                    after.shift.id,
                )
            )
    return out


def weekly_worked(spans: list[Interval]) -> dict[date, timedelta]:
    """Working time per week (keyed by the Monday), each shift in the week it starts."""
    weeks: dict[date, timedelta] = {}
    for span in spans:
        monday = week_monday(span.shift.day)
        weeks[monday] = weeks.get(monday, timedelta(0)) + worked(span)
    return weeks


def _contract(member: Member, spans: list[Interval], first: date, last: date) -> list[Problem]:
    out = []
    weeks = weekly_worked(spans)
    contract = timedelta(hours=member.contract_hours)
    monday = week_monday(first)
    while monday <= last:
        hours = weeks.get(monday, timedelta(0))
        if hours > contract:
            out.append(
                Problem(
                    member.saved_id,
                    monday,
                    Rule.contract,
                    f"{show_hours(hours)} in the week of {monday:%d/%m} against a {show_hours(contract)} contract",
                )
            )
        monday += WEEK
    return out


def _leave(member: Member, spans: list[Interval], leave: list[Leave], first: date, last: date) -> list[Problem]:
    mine = [entry for entry in leave if entry.member_id == member.id and not entry.voided]
    return [
        Problem(
            member.saved_id,
            span.shift.day,
            Rule.on_leave,
            f"{entry.kind} {entry.first_day:%d/%m}-{entry.last_day:%d/%m}",
            span.shift.id,
        )
        for span in spans
        if _in_range(span, first, last)
        for entry in mine
        if entry.covers(span.shift.day)
    ]


def _skills(
    member: Member,
    spans: list[Interval],
    facts: RotaFacts,
    by_person: dict[str, list[Interval]],
    first: date,
    last: date,
) -> list[Problem]:
    out = []
    for span in spans:
        if not _in_range(span, first, last):
            continue
        skill = facts.positions.get(span.shift.position, span.shift.position)
        level = member.level(skill)
        if level is None:
            out.append(
                Problem(
                    member.saved_id,
                    span.shift.day,
                    Rule.skill,
                    f"{span.shift.position} needs {skill}; {member.name} has no {skill} skill",
                    span.shift.id,
                )
            )
        elif level == SkillLevel.learner and not _has_buddy(span, skill, facts, by_person):
            out.append(
                Problem(
                    member.saved_id,
                    span.shift.day,
                    Rule.buddy,
                    f"learner on {span.shift.position} with no competent or expert colleague "
                    "on the same position at the same time",
                    span.shift.id,
                )
            )
    return out


def _has_buddy(span: Interval, skill: str, facts: RotaFacts, by_person: dict[str, list[Interval]]) -> bool:
    for other_id, others in by_person.items():
        colleague = facts.members.get(other_id)
        if other_id == span.shift.member_id or colleague is None:
            continue
        level = colleague.level(skill)
        if level is None or level == SkillLevel.learner:
            continue
        if any(
            o.shift.position == span.shift.position and o.begin < span.finish and span.begin < o.finish for o in others
        ):
            return True
    return False
