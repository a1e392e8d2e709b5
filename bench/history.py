"""Years of a realistic 20-person team's record, for the benchmarks (see README: make_record.py).

build_record() writes N years of a team's record through the services' repositories and domain models, each
calendar month in one Store transaction (one journal append per month, plus the store's own checkpoints of the
snapshot every 500 entries), so the cost is linear in the history. Inside a month the changes are made in the
order they happened, the store's clock moved to each one, so every entry is stamped when it would have been
written. The record is format v2: ``team.json`` (snapshot), ``team.journal`` and ``team.keys/``.
"""

from __future__ import annotations

import heapq
import os
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from common import TODAY  # common also puts the repository on sys.path

from supervisor_tui.demo import DemoClock, DemoContext  # noqa: E402
from supervisor_tui.demo import complaints as demo_complaints  # noqa: E402
from supervisor_tui.demo import one_to_ones as demo_one_to_ones  # noqa: E402
from supervisor_tui.demo import quality as demo_quality  # noqa: E402
from supervisor_tui.demo import shifts as demo_shifts  # noqa: E402
from supervisor_tui.demo import team as demo_team  # noqa: E402
from supervisor_tui.domain.clock import Clock  # noqa: E402
from supervisor_tui.domain.complaints import (  # noqa: E402
    LEVELS,
    REOPENABLE,
    Complaint,
    Event,
    Pause,
    check_escalation,
    check_move,
)
from supervisor_tui.domain.coverage import Demand  # noqa: E402
from supervisor_tui.domain.dates import add_business_days, local_to_utc  # noqa: E402
from supervisor_tui.domain.one_to_ones import Action, FeedbackItem, Meeting, Objective, acknowledge  # noqa: E402
from supervisor_tui.domain.people import Member  # noqa: E402
from supervisor_tui.domain.quality import Kpi, QualityCheck  # noqa: E402
from supervisor_tui.domain.rota import Leave  # noqa: E402
from supervisor_tui.services import Records  # noqa: E402
from supervisor_tui.storage import Store  # noqa: E402
from supervisor_tui.storage.audit import utc_stamp  # noqa: E402
from supervisor_tui.storage.journal import journal_name  # noqa: E402
from supervisor_tui.storage.seal import sealed_folder_name  # noqa: E402
from supervisor_tui.storage.signing import keys_folder, own_key, publish  # noqa: E402

HANDLER = "Priya Sharma"
LEAVERS_PER_YEAR = 2  # customer-service turnover: people leave, others join in their place
SHIFT_EDITS = ("swapped with a colleague", "cover for sickness", "moved to the busier desk")


class _Builder:
    def __init__(self, records, ctx, core, start: date, today: date):
        self.r, self.ctx, self.rng, self.core = records, ctx, ctx.rng, core
        self.start, self.today = start, today
        self.events: list = []  # heap of (moment, order, action)
        self.order = 0
        self.latest: dict[str, Any] = {}  # record id -> the model as last written
        self.open_actions: dict[str, list[str]] = {}  # member id -> ids of open actions, oldest first
        self.leave: dict[str, set[date]] = {}  # member id -> days on leave
        self.members: dict[int, list[tuple[Any, date, date | None]]] = {}  # seat -> (member, first day, last day)
        self.complaint_no = 0

    # events ------------------------------------------------------------------------------------------------------
    def at(self, moment: datetime, action) -> None:
        self.order += 1
        heapq.heappush(self.events, (moment, self.order, action))

    def run_until(self, end: datetime) -> int:
        """Make every change due before ``end`` in one transaction; how many were made."""
        made = 0
        with self.r.store.transaction() as txn:
            while self.events and self.events[0][0] < end:
                moment, _, action = heapq.heappop(self.events)
                if moment > self.ctx.clock.limit:
                    continue  # after today: not happened yet
                self.ctx.clock.move(moment)
                action(txn)
                made += 1
        return made

    def occupant(self, seat: int, day: date):
        for member, first, last in self.members[seat]:
            if first <= day and (last is None or day <= last):
                return member
        return None

    def working(self, day: date) -> list:
        return [m for seat in self.members if (m := self.occupant(seat, day)) is not None]

    def save(self, repo, model, reason, txn, update=False):
        saved = repo.update(model, reason, txn) if update else repo.create(model, reason, txn)
        self.latest[saved.id] = saved
        return saved


def _moment(day: date, hh: int, mm: int = 0) -> datetime:
    return local_to_utc(day, dtime(hh, mm))


def _team(b: _Builder, team_size: int, years: int) -> None:
    """The team as it was when the history starts, and who leaves and joins over the years."""
    rng, start = b.rng, b.start
    rows = list(demo_team.CORE_TEAM[:team_size])
    names = {r[0] for r in rows}

    def extra():
        while True:
            name = f"{rng.choice(demo_team.EXTRA_FIRST)} {rng.choice(demo_team.EXTRA_LAST)}"
            if name not in names:
                names.add(name)
                return name

    def skills():
        pool = rng.sample(demo_team.SKILL_POOL, rng.randint(2, 4))
        return ";".join(f"{s}:{rng.choice(['learner', 'competent', 'expert'])}" for s in pool)

    while len(rows) < team_size:
        hours = rng.choice([16, 24, 30, 37.5])
        rows.append((extra(), "Customer Service Advisor", hours, rng.randint(19, 60), skills(), []))
    people = []
    for seat, (name, title, hours, age, skill, goals) in enumerate(rows):
        born = date(b.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        under_18 = age < 18
        first = b.today - timedelta(days=150) if under_18 else start - timedelta(days=rng.randint(30, 2500))
        people.append((seat, first, name, title, hours, born, skill, goals))
    # Turnover: a leaver's seat is taken by a new starter a fortnight later.
    plan: dict[int, list[tuple[date, date | None, tuple]]] = {}
    for seat, first, *person in people:
        plan[seat] = [(first, None, tuple(person))]
        if first > start:  # a Saturday assistant still at school: someone else had the Saturdays before
            born = date(b.today.year - 21, rng.randint(1, 12), 10)
            before = (extra(), person[1], person[2], born, "tills:competent;click & collect:competent", [])
            plan[seat].insert(0, (start - timedelta(days=400), first - timedelta(days=14), before))
    movable = [seat for seat, first, name, *_ in people if name != HANDLER and first <= start]
    for year in range(years):
        for seat in rng.sample(movable, min(LEAVERS_PER_YEAR, len(movable))):
            last = start + timedelta(days=365 * year + rng.randint(20, 340))
            first, _, person = plan[seat][-1]
            if last <= first + timedelta(days=60) or last >= b.today - timedelta(days=20):
                continue
            plan[seat][-1] = (first, last, person)
            name, title, hours, _born, _skill, _goals = person
            joiner = (
                extra(),
                title,
                hours,
                date(last.year - rng.randint(18, 45), rng.randint(1, 12), 15),
                skills(),
                [],
            )
            plan[seat].append((last + timedelta(days=14), None, joiner))
    team = b.r.team.repo
    b.ctx.clock.at(start - timedelta(days=20))
    # The people already there when the history starts, in one write; the rest as they join and leave.
    with b.r.store.transaction() as txn:
        for seat, spells in plan.items():
            b.members[seat] = []
            for index, (first, last, person) in enumerate(spells):
                if index == 0 and first <= start:
                    member = _member_model(person, first, seat == 0)
                    b.members[seat].append((b.save(team, member, "joined the team", txn), first, last))
                else:
                    b.members[seat].append((None, first, last))
    for seat, spells in plan.items():
        for index, (first, last, person) in enumerate(spells):
            if b.members[seat][index][0] is None:
                b.at(_moment(first - timedelta(days=7), 11), _joins(b, seat, index, person, first))
            if last is not None:
                b.at(_moment(last, 17), _leaves(b, seat, index))


def _member_model(person, first: date, opted_out: bool) -> Member:
    name, title, hours, born, skill, goals = person
    return Member(
        name=name,
        job_title=title,
        contract_hours=hours,
        date_of_birth=born,
        skills=skill,
        development_goals=goals,
        start_date=first,
        line_manager="Priya Sharma" if name != HANDLER else "Store Manager",
        working_time_opt_out=opted_out,
    )


def _joins(b: _Builder, seat: int, index: int, person, first: date):
    def act(txn):
        member = b.save(b.r.team.repo, _member_model(person, first, False), "new starter", txn)
        _, f, last = b.members[seat][index]
        b.members[seat][index] = (member, f, last)

    return act


def _leaves(b: _Builder, seat: int, index: int):
    def act(txn):
        member = b.latest[b.members[seat][index][0].id]
        b.save(b.r.team.repo, member.model_copy(update={"active": False}), "left the company", txn, update=True)

    return act


def _member_edits(b: _Builder, month: date) -> None:
    """Now and then someone passes a skill assessment or changes their hours."""
    for _ in range(b.rng.choice([0, 0, 1])):
        seat = b.rng.choice(list(b.members))
        day = month + timedelta(days=b.rng.randint(0, 25))

        def act(txn, seat=seat, day=day):
            member = b.occupant(seat, day)
            if member is None:
                return
            member = b.latest[member.id]
            if b.rng.random() < 0.7 and member.skills:
                skill = b.rng.choice(sorted(member.skills))
                change = {"skills": {**member.skills, skill: "expert"}}
                reason = f"{skill} assessment passed"
            else:
                change = {"contract_hours": b.rng.choice([16.0, 24.0, 30.0, 37.5])}
                reason = "flexible working request agreed"
            b.save(b.r.team.repo, member.model_copy(update=change), reason, txn, update=True)

        b.at(_moment(day, 14), act)


# The rota ---------------------------------------------------------------------------------------------------------
def _leave(b: _Builder, month: date) -> None:
    """Leave booked about six weeks ahead: two weeks and a long weekend a year each, roughly."""
    for seat in b.members:
        if b.rng.random() > 0.25:
            continue
        first = month + timedelta(days=42 + b.rng.randint(0, 27))
        first -= timedelta(days=first.weekday())
        last = first + timedelta(days=b.rng.choice([4, 4, 3]))

        def act(txn, seat=seat, first=first, last=last):
            member = b.occupant(seat, first)
            if member is None or (member.start_date and first < member.start_date):
                return
            b.save(b.r.shifts.leave, Leave(member_id=member.id, first_day=first, last_day=last), "booked leave", txn)
            b.leave.setdefault(member.id, set()).update(
                first + timedelta(days=d) for d in range((last - first).days + 1)
            )

        b.at(_moment(first - timedelta(days=42), 12), act)


def _rota(b: _Builder, monday: date, week: int) -> None:
    def act(txn):
        for member in b.working(monday):
            member = b.latest[member.id]
            if not member.active:
                continue
            for shift in demo_shifts._week_shifts(member, monday, week, b.ctx):
                if shift.day in b.leave.get(member.id, ()) or (member.start_date and shift.day < member.start_date):
                    continue
                if not _still_there(b, member, shift.day):
                    continue
                saved = b.save(b.r.shifts.shifts, shift, "weekly rota", txn)
                roll = b.rng.random()
                if roll < 0.08:
                    b.at(_moment(shift.day - timedelta(days=1), 10 + b.rng.randint(0, 6)), _edit_shift(b, saved.id))
                    if roll < 0.015:
                        b.at(_moment(shift.day, 7, 30), _edit_shift(b, saved.id))
                elif roll < 0.095:
                    b.at(_moment(shift.day, 7, b.rng.randint(0, 50)), _void_shift(b, saved.id))

    # Rotas go up the Thursday before; next week's is up by today.
    b.at(min(_moment(monday - timedelta(days=4), 15), b.ctx.clock.limit - timedelta(hours=2)), act)


def _still_there(b: _Builder, member, day: date) -> bool:
    for seat in b.members:
        for m, _first, last in b.members[seat]:
            if m is not None and m.id == member.id:
                return last is None or day <= last
    return True


def _edit_shift(b: _Builder, shift_id: str):
    def act(txn):
        shift = b.latest[shift_id]
        if shift.voided:
            return
        reason = b.rng.choice(SHIFT_EDITS)
        if reason == "moved to the busier desk":
            change = {"position": b.rng.choice(["tills", "phones", "returns desk"]), "note": reason}
        else:
            hours = b.rng.choice(demo_shifts.PATTERNS)
            change = {"start": hours[0], "end": hours[1], "note": reason}
        b.save(b.r.shifts.shifts, shift.model_copy(update=change), reason, txn, update=True)

    return act


def _void_shift(b: _Builder, shift_id: str):
    def act(txn):
        shift = b.latest[shift_id]
        b.latest[shift_id] = b.r.shifts.shifts.void(shift, "called in sick", txn)

    return act


# Quality ----------------------------------------------------------------------------------------------------------
def _quality(b: _Builder, month: date, progress: float) -> None:
    rng = b.rng
    for seat in b.members:
        for n in range(2):
            day = month + timedelta(days=2 + 13 * n + rng.randint(0, 8))
            level = 0.85 + rng.uniform(-0.1, 0.08)
            if seat == 3:  # one person improving over the years
                level = 0.55 + 0.4 * progress

            def act(txn, seat=seat, day=day, level=level):
                member = b.occupant(seat, day)
                if member is None or not b.latest[member.id].active:
                    return
                check = QualityCheck(
                    member_id=member.id,
                    date=day,
                    standard_id=b.core.id,
                    channel=rng.choice(demo_quality.CHANNELS),
                    kind="call listen",
                    reference=f"CALL-{rng.randint(10000, 99999)}",
                    scores=demo_quality._scores(b.core, level, b.ctx, {}),
                    strengths=rng.choice(demo_quality.STRENGTHS),
                    development=rng.choice(demo_quality.DEVELOPMENT) if level < 0.95 else "",
                    follow_up="Listen back together at the next one-to-one" if level < 0.8 else "",
                )
                saved = b.save(b.r.quality.checks, check.scored(b.core), "quality check", txn)
                if rng.random() < 0.85:  # talked through with them a day or few later
                    b.at(_moment(day + timedelta(days=rng.randint(1, 5)), 16), _discussed(b, saved.id))
                if rng.random() < 0.05:
                    b.at(_moment(day + timedelta(days=rng.randint(6, 12)), 11), _rescored(b, saved.id))

            b.at(_moment(day, 15, rng.randint(0, 59)), act)
    period_end = month + timedelta(days=32)
    period_end = period_end.replace(day=3)

    def kpis(txn):
        for seat in b.members:
            member = b.occupant(seat, month)
            if member is None:
                continue
            base = 70 + 20 * progress if seat == 3 else 84
            kpi = Kpi(
                member_id=member.id,
                period=f"{month:%Y-%m}",
                csat=round(base + rng.uniform(-4, 4), 1),
                nps=round(35 + rng.uniform(-10, 10)),
                fcr=round(74 + rng.uniform(-6, 6), 1),
            )
            b.save(b.r.quality.kpis, kpi, "monthly KPIs", txn)

    b.at(_moment(period_end, 10), kpis)


def _discussed(b: _Builder, check_id: str):
    def act(txn):
        check = b.latest[check_id]
        day = b.ctx.clock.now.date()
        b.save(b.r.quality.checks, check.model_copy(update={"discussed_on": day}), "discussed with them", txn, True)

    return act


def _rescored(b: _Builder, check_id: str):
    def act(txn):
        check = b.latest[check_id]
        scores = dict(check.scores)
        key = next((c.key for c in b.core.criteria if isinstance(scores.get(c.key), int)), None)
        if key is None:
            return
        scores[key] = max(0, scores[key] - 1)
        rescored = check.model_copy(update={"scores": scores}).scored(b.core)
        b.save(b.r.quality.checks, rescored, "score corrected after calibration", txn, update=True)

    return act


# One-to-ones ------------------------------------------------------------------------------------------------------
def _one_to_ones(b: _Builder, month: date) -> None:
    rng, service = b.rng, b.r.one_to_ones
    for seat in b.members:
        held = month + timedelta(days=4 + seat % 12)
        while held.weekday() > 4:
            held += timedelta(days=1)
        if held < b.start:
            continue
        late = rng.random() < 0.06
        written = held + timedelta(days=rng.randint(3, 6) if late else 0)

        def act(txn, seat=seat, held=held, written=written):
            member = b.occupant(seat, held)
            if member is None or not b.latest[member.id].active:
                return
            member_id = member.id
            feedback = [
                FeedbackItem(kind="strength", parts=dict(zip(("situation", "behaviour", "impact"), s, strict=True)))
                for s in demo_one_to_ones.STRENGTHS
            ]
            if rng.random() < 0.5:
                parts = dict(zip(("situation", "behaviour", "impact"), demo_one_to_ones.DEVELOPMENT[0], strict=True))
                feedback.append(FeedbackItem(kind="development", parts=parts))
            meeting = b.save(
                service.meetings,
                Meeting(
                    member_id=member_id,
                    held_on=held,
                    agenda=service.agenda(member_id, held),
                    feedback=feedback,
                    member_view=rng.choice(["Feels more confident on the phones", "Wants more complaints work"]),
                    notes="Reviewed quality results and last month's actions.",
                ),
                None,
                txn,
            )
            still_open = []
            for action_id in b.open_actions.get(member_id, []):
                action = b.latest[action_id]
                roll = rng.random()
                if action.due <= held and roll < 0.65:
                    done = action.model_copy(
                        update={"status": "done", "done_on": held - timedelta(days=rng.randint(0, 3))}
                    )
                    b.save(service.actions, done, f"done, reviewed in {meeting.id}", txn, update=True)
                elif roll > 0.95:
                    reason = "no longer relevant after the policy change"
                    dropped = action.model_copy(update={"status": "dropped", "drop_reason": reason})
                    b.save(service.actions, dropped, f"dropped in {meeting.id}: {reason}", txn, update=True)
                else:
                    still_open.append(action_id)  # carried forward to the next meeting
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                action = Action(
                    member_id=member_id,
                    what=rng.choice(demo_one_to_ones.ACTIONS),
                    due=held + timedelta(days=rng.choice([7, 14, 14, 28])),
                    owner="member" if rng.random() < 0.7 else "supervisor",
                    raised_in=meeting.id,
                )
                still_open.append(b.save(service.actions, action, f"agreed in {meeting.id}", txn).id)
            b.open_actions[member_id] = still_open
            if rng.random() < 0.04:
                b.at(_moment(written + timedelta(days=1), 9), _corrected(b, meeting.id))
            if rng.random() < 0.8:
                on = written + timedelta(days=1 if rng.random() < 0.3 else 0)
                b.at(_moment(on, 19), _acknowledged(b, meeting.id, on))

        b.at(_moment(written, 16, rng.randint(0, 59)), act)


def _corrected(b: _Builder, meeting_id: str):
    def act(txn):
        meeting = b.latest[meeting_id]
        note = meeting.notes + " Agreed to revisit the phone targets next month."
        b.save(b.r.one_to_ones.meetings, meeting.model_copy(update={"notes": note}), "note corrected", txn, True)

    return act


def _acknowledged(b: _Builder, meeting_id: str, on: date):
    def act(txn):
        meeting = b.latest[meeting_id]
        agreed = b.rng.random() < 0.95
        response = acknowledge(meeting, on, agreed, "" if agreed else "I did not think the queue was that long")
        b.save(b.r.one_to_ones.meetings, response, "member's response", txn, update=True)

    return act


def _objectives(b: _Builder, year_start: date) -> None:
    """A year's objective each; last year's is marked met or not met."""

    def act(txn):
        for seat in b.members:
            member = b.occupant(seat, year_start)
            if member is None:
                continue
            for record_id, model in list(b.latest.items()):
                if record_id.startswith("OB-") and model.member_id == member.id and model.status == "open":
                    status = "met" if b.rng.random() < 0.7 else "not met"
                    b.save(
                        b.r.one_to_ones.objectives, model.model_copy(update={"status": status}), "year end", txn, True
                    )
            objective = Objective(
                member_id=member.id,
                text="Resolve more phone queries on the first contact",
                measure="FCR from the phone system",
                target=f"{b.rng.choice([75, 78, 80])}% first-contact resolution",
                due=year_start + timedelta(days=364),
                outcome_link="FCR KPI",
                agreed_with_member=b.rng.random() < 0.8,
            )
            b.save(b.r.one_to_ones.objectives, objective, "objectives for the year", txn)

    b.at(_moment(year_start, 11), act)


# Complaints -------------------------------------------------------------------------------------------------------
def _complaints(b: _Builder, month: date, next_month: date) -> None:
    rng = b.rng
    share = (next_month - month).days / 30.4  # the first and last months may be part months
    for _ in range(round(rng.randint(9, 16) * min(1.0, share))):  # ~150 a year
        day = month + timedelta(days=rng.randint(0, (next_month - month).days - 1))
        if day.weekday() == 6:
            day -= timedelta(days=1)
        b.complaint_no += 1
        n = b.complaint_no
        received = _moment(day, 9 + rng.randint(0, 8), rng.randint(0, 59))
        b.at(received, _logged(b, n, day, received))


def _logged(b: _Builder, n: int, day: date, received: datetime):
    def act(txn):
        rng = b.rng
        category, summary, wants, severity, cause, remedy = demo_complaints.CASES[rng.randrange(6)]
        channel = rng.choice(["phone", "face to face", "email", "chat"])
        member = rng.choice(b.working(day) or [None])
        goods = demo_complaints._goods(day, summary, "") if category == "faulty goods" else {}
        complaint = Complaint(
            received_at=utc_stamp(received),
            channel=channel,
            customer_name=rng.choice(demo_complaints.CUSTOMERS),
            customer_contact=f"07700 9{n % 100000:05d}",
            category=category,
            summary=summary,
            wants=wants,
            severity=severity,
            owner=HANDLER,
            member_ids=[member.id] if member else [],
            stage="received",
            checklist={"heard": True},
            history=[Event(at=utc_stamp(received), by=b.r.store.actor.login, what="received", note=f"by {channel}")],
            **goods,
        )
        saved = b.save(b.r.complaints.repo, complaint, None, txn)
        _plan_complaint(b, saved.id, day, severity, cause, remedy)

    return act


def _plan_complaint(b: _Builder, cid: str, day: date, severity: str, cause: str, remedy: str) -> None:
    rng = b.rng
    when = add_business_days(day, 1)
    b.at(_moment(when, 10, rng.randint(0, 59)), _move(b, cid, "acknowledged", ""))
    when = when + timedelta(days=rng.randint(1, 3))
    b.at(_moment(when, 11, rng.randint(0, 59)), _move(b, cid, "investigating", ""))
    if severity == "high" and rng.random() < 0.6:
        b.at(_moment(when, 15), _escalate(b, cid))
    if rng.random() < 0.15:
        b.at(_moment(when + timedelta(days=1), 12), _waiting(b, cid, True))
        when += timedelta(days=rng.randint(3, 6))
        b.at(_moment(when, 12), _waiting(b, cid, False))
    when = add_business_days(when, rng.randint(2, 12) if rng.random() < 0.95 else 18)
    b.at(_moment(when, 14, rng.randint(0, 59)), _resolve(b, cid, cause, remedy))
    if rng.random() < 0.6:
        when += timedelta(days=7)
        b.at(_moment(when, 10), _move(b, cid, "followed up", "replacement works, customer happy"))
    when += timedelta(days=rng.randint(1, 4))
    b.at(_moment(when, 16), _move(b, cid, "closed", "closed"))
    if rng.random() < 0.03:  # the customer came back
        when += timedelta(days=rng.randint(5, 20))
        b.at(_moment(when, 10), _move(b, cid, "investigating", "customer came back: the fault returned"))
        when = add_business_days(when, rng.randint(3, 8))
        b.at(_moment(when, 14), _resolve(b, cid, cause, "replacement"))
        b.at(_moment(when + timedelta(days=2), 16), _move(b, cid, "closed", "closed"))


def _move(b: _Builder, cid: str, target: str, note: str):
    def act(txn):
        service, c = b.r.complaints, b.latest[cid]
        check_move(c.stage, target, outcome=c.outcome, reason=note)
        update = service._moved(c, target, note, b.r.clock.today())
        b.save(service.repo, c.model_copy(update=update), note or target, txn, update=True)

    return act


def _escalate(b: _Builder, cid: str):
    def act(txn):
        service, c = b.r.complaints, b.latest[cid]
        reason = "high severity: the store manager takes it"
        direction = check_escalation(c.level, 2, reason)
        event = service._event(f"{direction} to {LEVELS[2]}", f"{reason} (to Store Manager)")
        b.save(service.repo, c.model_copy(update={"level": 2, "history": [*c.history, event]}), reason, txn, True)

    return act


def _waiting(b: _Builder, cid: str, waiting: bool):
    def act(txn):
        service, c, today = b.r.complaints, b.latest[cid], b.r.clock.today()
        if waiting == c.waiting or (waiting and c.stage in REOPENABLE):
            return
        pauses = [*c.pauses, Pause(start=today)] if waiting else c.pauses_ended(today)
        what = "waiting on the customer" if waiting else "customer replied: clock running again"
        update = {"pauses": pauses, "history": [*c.history, service._event(what)]}
        b.save(service.repo, c.model_copy(update=update), what, txn, update=True)

    return act


def _resolve(b: _Builder, cid: str, cause: str, remedy: str):
    def act(txn):
        service, c, today = b.r.complaints, b.latest[cid], b.r.clock.today()
        check_move(c.stage, "resolved")
        update = {
            "outcome": f"{remedy.capitalize()} agreed and confirmed in writing",
            "remedy": remedy,
            "satisfied": b.rng.random() < 0.75,
            "root_cause": cause,
            "lesson": "Talk it through with the team at the next briefing",
            "improvement_action": "Raise at the weekly service review",
            "follow_up_on": today + timedelta(days=7),
            "pauses": c.pauses_ended(today),
            "checklist": {**c.checklist, "empathised": True, "apologised": True, "action_taken": True},
            **service._moved(c, "resolved", "response sent", today),
        }
        if remedy == "refund" and c.goods() and not c.refund_agreed_on:
            update["refund_agreed_on"] = today
        b.save(service.repo, c.model_copy(update=update), "resolved: response sent", txn, update=True)

    return act


# The whole record -------------------------------------------------------------------------------------------------
def _month_starts(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def record_files(path: str | Path) -> dict[str, Path]:
    """The files that make up the record at ``path`` (format v2): the snapshot (``team.json``), the journal
    beside it (``team.journal``), the folder of published public keys (``team.keys/``) and that of sealed
    segments (``team.sealed/``, once anything is sealed)."""
    path = Path(path)
    return {
        "snapshot": path,
        "journal": path.with_name(journal_name(path.name)),
        "keys": keys_folder(path),
        "sealed": path.with_name(sealed_folder_name(path.name)),
    }


def record_bytes(path: str | Path) -> dict[str, int]:
    """The size of each file of the record (the keys folder's files added up)."""
    files = record_files(path)
    sizes = {name: p.stat().st_size for name, p in files.items() if p.is_file()}
    for folder in ("keys", "sealed"):
        found = files[folder]
        sizes[folder] = sum(f.stat().st_size for f in found.iterdir()) if found.is_dir() else 0
    return sizes


def build_record(path: str | Path, years: int = 5, *, seed: int = 1, today: date = TODAY, team_size: int = 20):
    """Write ``years`` of a ``team_size`` team's record into a new record at ``path`` and return it opened.

    Deterministic for a seed: the same arguments give the same *content*: the records, and every journal entry's
    time, author, action and values (the audit names the login that ran it, and registers that login's signing
    key). Not the same bytes: each value is sealed with a random salt (so a digest cannot confirm a guessed value),
    so the hashes, and the signatures over them, differ from build to build by design.

    Every entry is stamped with the moment it happened, by the store's clock (a ``DemoClock`` moved through the
    past), and signed with the running user's own key. The record (snapshot, journal and the published key) is
    built in a private folder beside ``path``, checkpointed so the snapshot holds everything, and put in place
    only when whole: the journal first, then the snapshot (a record is two files; a snapshot never names a
    journal position that is not there), then the key published under the real name."""
    path = Path(path)
    files = record_files(path)
    for name in ("snapshot", "journal"):
        if files[name].exists() and files[name].stat().st_size > 0:
            raise FileExistsError(f"{files[name]} already has data; build_record writes a new record")
    start = today.replace(year=today.year - years) + timedelta(days=1)
    limit = local_to_utc(today, dtime(23, 59))
    clock = DemoClock(datetime.combine(start - timedelta(days=60), dtime(8), tzinfo=UTC), limit)
    folder = path.with_name(f".{path.name}.building")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    building = folder / path.name
    signer = own_key()
    try:
        store = Store(str(building), clock=clock, signer=signer, publish_key=False)
        records = Records(store, Clock(source=clock))
        ctx = DemoContext(records, random.Random(seed), today, clock, team_size, years * 12)
        clock.at(start - timedelta(days=30), 10)
        core = next(s for s in records.quality.load_default_pack() if s.family == "core-service")
        with records.store.transaction() as txn:
            for position, weekdays, begin, end, people in demo_shifts.DEMAND:
                for weekday in weekdays:
                    demand = Demand(position=position, weekday=weekday, start=begin, end=end, people=people)
                    records.shifts.demand.create(demand, "standard demand", txn)
        b = _Builder(records, ctx, core, start, today)
        _team(b, team_size, years)
        monday = start - timedelta(days=start.weekday())
        week = 0
        months = _month_starts(start, today)
        for index, month in enumerate(months):
            next_month = (month + timedelta(days=32)).replace(day=1)
            while monday < next_month:
                if monday + timedelta(days=6) >= start and monday <= today + timedelta(days=7):
                    _rota(b, monday, week)
                    week += 1
                monday += timedelta(days=7)
            if month.month == 1 or index == 0:
                _objectives(b, max(month, start))
            _leave(b, month)
            _member_edits(b, month)
            _quality(b, max(month, start), index / max(1, len(months) - 1))
            _one_to_ones(b, month)
            _complaints(b, max(month, start), min(next_month, today + timedelta(days=1)))
            b.run_until(_moment(next_month, 0))
        b.run_until(limit + timedelta(days=1))
        store.checkpoint()  # the snapshot at the journal's end, whatever the 500-entry / 60 s schedule left
        built = record_files(building)
        _put_in_place(built["journal"], files["journal"])
        try:
            _put_in_place(building, path)
        except BaseException:
            files["journal"].unlink(missing_ok=True)  # ours: put in place just now
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    publish(path, store.actor.login, signer.public)
    return Records.open(str(path))


def _put_in_place(built: Path, target: Path) -> None:
    """Give a finished file its real name: a new name (never over a file someone filled meanwhile), or over
    the empty file that was there."""
    try:
        os.link(built, target, follow_symlinks=False)
    except FileExistsError:
        if target.stat().st_size > 0:
            raise FileExistsError(f"{target} was filled while the record was built; nothing was put in place") from None
        os.replace(built, target)
