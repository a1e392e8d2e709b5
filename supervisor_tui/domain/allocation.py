"""Filling a slot by transparent criteria: skill, hours against contract, fairness of late and weekend
shifts, and development goals, with every reason shown and the rest and leave rules as blockers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from .people import Member, SkillLevel
from .rota import Interval, Problem, Rule, Shift, interval, show_hours, week_monday
from .rota_check import RotaFacts, check_rota

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
    unsocial_counts = {
        m: sum(1 for s in live if s.member_id == m and since <= s.day < slot.day and is_unsocial(s))
        for m in facts.members
    }
    fewest_unsocial = min(unsocial_counts.values(), default=0)
    out = []
    for member_id, member in facts.members.items():
        level = member.level(skill)
        wants = any(skill in goal.lower() or slot.position in goal.lower() for goal in member.development_goals)
        if not member.active or (level is None and not wants):
            continue
        trial = slot.model_copy(update={"member_id": member_id, "id": "(this slot)"})
        mine = [s for s in live if s.member_id == member_id]
        blockers = [f"{p.rule.citation}: {p.reason}" for p in _added_problems(facts, member, mine, trial)]
        # An overlap is reported against whichever shift starts later, so look for it directly.
        blockers += [
            f"already working {s.start:%H:%M}-{s.end:%H:%M} on {s.position}"
            for s in mine
            if _overlaps(interval(s, facts.tz), slot_span)
        ]
        reasons, score = [], 0.0
        if level is not None:
            score += 1 + level.rank
            reasons.append(f"{level.value} at {skill}")
        week_hours = sum(interval(s, facts.tz).worked_hours for s in mine if week_monday(s.day) == monday)
        room = member.contract_hours - week_hours
        if room >= slot_span.worked_hours:
            score += 2 * min(1.0, room / max(member.contract_hours, 1))
            reasons.append(f"{show_hours(week_hours)} of {show_hours(member.contract_hours)} this week")
        else:
            score -= 2
            reasons.append(
                f"would go over contract ({show_hours(week_hours)} of {show_hours(member.contract_hours)} already)"
            )
        if is_unsocial(slot):
            extra = unsocial_counts[member_id] - fewest_unsocial
            score += max(0.0, 1.5 - 0.5 * extra)
            reasons.append(f"{unsocial_counts[member_id]} late/weekend shift(s) in the last {FAIRNESS_WEEKS} weeks")
        buddy = None
        if wants and level in (None, SkillLevel.learner):
            buddy = _buddy_name(facts, slot_span, skill, member_id)
            if buddy:
                score += 1.5
                reasons.append(f"development: wants {skill}, with {buddy} alongside")
            else:
                blockers.append(f"wants {skill} but has no competent or expert buddy on {slot.position} then")
        elif level == SkillLevel.learner:
            buddy = _buddy_name(facts, slot_span, skill, member_id)
            if not buddy:
                blockers.append(f"learner at {skill} with no competent or expert buddy on {slot.position} then")
        out.append(Candidate(member, round(score, 2), reasons, blockers, buddy))
    return sorted(out, key=lambda c: (not c.available, -c.score, c.member.name))


def _added_problems(facts: RotaFacts, member: Member, mine: list[Shift], trial: Shift) -> list[Problem]:
    """What taking the slot would break: problems with it that were not there without it, around its
    day (a short rest may be blamed on the shift after it, and a week's rest on no shift at all).
    Skills, buddies and contract hours are reasons in the ranking, not blockers; overlaps are
    reported separately."""
    first, last = trial.day - timedelta(days=1), trial.day + timedelta(days=1)
    alone = RotaFacts({trial.member_id: member}, mine, facts.leave, facts.positions, facts.rules)
    before = {(p.rule, p.shift_id, p.day) for p in check_rota(alone, first, last)}
    with_slot = RotaFacts({trial.member_id: member}, mine + [trial], facts.leave, facts.positions, facts.rules)
    return [
        p
        for p in check_rota(with_slot, first, last)
        if (p.rule, p.shift_id, p.day) not in before
        and p.rule not in (Rule.buddy, Rule.skill, Rule.contract, Rule.overlap)
    ]


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
