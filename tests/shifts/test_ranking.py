"""Filling a slot: candidates ranked by skill, hours, fairness and development, with reasons shown."""

from __future__ import annotations

from datetime import date, time, timedelta

from supervisor_tui.domain.allocation import rank_candidates
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Shift
from supervisor_tui.domain.rota_check import RotaFacts

MON = date(2026, 11, 23)
POSITIONS = {"tills": "tills", "phones": "phones"}


def member(mid: str, name: str, skills: str, hours: float = 37.5, goals=(), **kw) -> Member:
    return Member(
        id=mid,
        name=name,
        job_title="CSA",
        contract_hours=hours,
        date_of_birth=date(1990, 1, 1),
        skills=skills,
        development_goals=list(goals),
        **kw,
    )


def shift(who: Member, day: date, start: str, end: str, position: str = "tills") -> Shift:
    return Shift(
        id=f"S-{abs(hash((who.id, day, start))) % 10**6:06d}",
        member_id=who.id,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position=position,
        break_minutes=30,
    )


def rank(members, shifts, slot, leave=()):
    facts = RotaFacts({m.id: m for m in members}, list(shifts), list(leave), POSITIONS)
    return rank_candidates(facts, slot)


def slot(day=MON, start="09:00", end="17:00", position="tills") -> Shift:
    return Shift(
        member_id="",
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position=position,
        break_minutes=30,
    )


def test_expert_with_room_beats_competent_and_reasons_are_shown():
    expert, competent = member("M-0001", "Ex Pert", "tills:expert"), member("M-0002", "Co Mpetent", "tills:competent")
    ranked = rank([competent, expert], [], slot())
    assert [c.member.name for c in ranked] == ["Ex Pert", "Co Mpetent"]
    assert "expert at tills" in ranked[0].summary() and "0h 0m of 37h 30m this week" in ranked[0].summary()


def test_people_without_the_skill_or_inactive_are_not_offered():
    nobody = member("M-0001", "No Skill", "phones:expert")
    gone = member("M-0002", "Gone", "tills:expert", active=False)
    assert rank([nobody, gone], [], slot()) == []


def test_hours_already_allocated_count_against_a_candidate():
    busy, free = member("M-0001", "Busy", "tills:expert", 16), member("M-0002", "Free", "tills:expert", 16)
    ranked = rank(
        [busy, free],
        [shift(busy, MON + timedelta(1), "09:00", "17:00"), shift(busy, MON + timedelta(2), "09:00", "17:00")],
        slot(day=MON + timedelta(3)),
    )
    assert ranked[0].member.name == "Free"
    assert "would go over contract" in ranked[1].summary()


def test_late_and_weekend_shifts_are_shared_fairly():
    a, b = member("M-0001", "Often Late", "tills:expert"), member("M-0002", "Rarely Late", "tills:expert")
    history = [shift(a, MON - timedelta(days=d), "14:00", "22:00") for d in (3, 6, 10, 13)]
    ranked = rank([a, b], history, slot(start="14:00", end="22:00"))
    assert ranked[0].member.name == "Rarely Late"
    assert "4 late/weekend shift(s) in the last 4 weeks" in ranked[1].summary()


def test_rest_rules_leave_and_double_booking_block_with_reasons():
    tired = member("M-0001", "Worked Late", "tills:expert")
    away = member("M-0002", "On Leave", "tills:expert")
    booked = member("M-0003", "Already On", "tills:expert")
    fine = member("M-0004", "Fresh", "tills:competent")
    ranked = rank(
        [tired, away, booked, fine],
        [shift(tired, MON - timedelta(1), "14:00", "23:00"), shift(booked, MON, "08:00", "12:00", "phones")],
        slot(start="07:00", end="15:00"),
        [Leave(member_id=away.id, first_day=MON, last_day=MON + timedelta(4))],
    )
    assert ranked[0].member.name == "Fresh" and ranked[0].available
    blocked = {c.member.name: " ".join(c.blockers) for c in ranked[1:]}
    assert (
        "reg 10" in blocked["Worked Late"]
        and "leave" in blocked["On Leave"]
        and "already working 08:00-12:00" in blocked["Already On"]
    )


def test_a_learner_who_wants_the_skill_is_suggested_with_a_buddy():
    learner = member("M-0001", "Keen Learner", "tills:learner", goals=["phones to competent"])
    buddy = member("M-0002", "Phone Pro", "phones:expert")
    ranked = rank([learner, buddy], [shift(buddy, MON, "08:00", "16:00", "phones")], slot(position="phones"))
    keen = next(c for c in ranked if c.member.name == "Keen Learner")
    assert keen.available and keen.buddy == "Phone Pro (expert)"
    assert "development: wants phones, with Phone Pro (expert) alongside" in keen.summary()


def test_a_learner_with_no_buddy_is_blocked_and_says_why():
    learner = member("M-0001", "Alone", "phones:learner")
    (candidate,) = rank([learner], [], slot(position="phones"))
    assert not candidate.available and "no competent or expert buddy" in candidate.blockers[0]
