"""Demo complaints: a few months across every stage, escalations, a breach, and one received on the
Friday before the August bank-holiday weekend.

The newest complaints are placed at fixed ages so that every stage is on screen whatever the seed:
one just received, one acknowledged, one waiting on the customer, one escalated to the store
manager, two resolved (one follow-up still to come, one late), one followed up. Older ones are
closed, except one left with the head office and breached.

The one waiting on the customer is always about goods: a washing machine the retailer installed,
repaired once and leaking again, so its page shows a repair that paused the Consumer Rights Act's
30 days (s.22(6)-(8)) and kept the right to reject open when it would otherwise have ended.

Each is written whole, as an import from an old log would be: its own history carries the times
things happened, while the audit records when the record was written (the audit clock only moves
forward, and the one-to-ones history is already written by then)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from supervisor_tui.storage.audit import utc_stamp

from ..domain.complaints import LEVELS, Complaint, Event, Repair
from ..domain.dates import add_business_days, local_to_utc, to_local

if TYPE_CHECKING:
    from . import DemoContext

CASES = [  # (category, summary, wants, severity, root cause, remedy)
    ("faulty goods", "Kettle stopped working after nine days", "a refund", "medium", "supplier quality", "refund"),
    ("delivery", "Click & collect order not ready at the agreed time", "an apology", "low", "process", "apology"),
    ("staff", "Felt rushed and talked over at the till", "to be listened to", "medium", "staff behaviour", "apology"),
    ("refund", "Refund promised on the phone never arrived", "the refund", "high", "process", "refund"),
    ("data protection", "Address read aloud at the counter", "reassurance", "high", "training", "apology"),
    (
        "faulty goods",
        "Headphones faulty again after one repair",
        "money back",
        "high",
        "supplier quality",
        "price reduction",
    ),
]
# The complaint waiting on the customer: goods delivered and installed, repaired, faulty again; high
# severity (water on the floor a second time), so it also shows an escalation to the store manager.
WAITING_CASE = (
    "faulty goods",
    "Washing machine leaking again after the engineer's repair",
    "a refund",
    "high",
    "supplier quality",
    "refund",
)
CUSTOMERS = [
    "Mrs J Smith",
    "Mr A Khan",
    "Ms B Lee",
    "Mr D Evans",
    "Mrs P Nowak",
    "Mr T Reid",
    "Ms K Walsh",
    "Mr S Begum",
    "Mrs R Clarke",
    "Mr O Davies",
]
HANDLER = "Priya Sharma"
# (days ago received, stage reached, what else happened) for the newest complaints, newest first.
RECENT = [
    (1, "received", ""),
    (2, "acknowledged", ""),
    (5, "investigating", "waiting"),
    (8, "investigating", "escalated"),
    (12, "resolved", "follow-up to come"),
    (18, "resolved", "follow-up late"),
    (24, "followed up", ""),
]
BREACHED_AGE = 40  # days: acknowledged and investigated, but no final response in time
RETAINED_PAST_DAYS = 300
PATH = ["acknowledged", "investigating", "resolved", "followed up", "closed"]


def build(ctx: DemoContext) -> None:
    team = [m for m in ctx.records.team.members() if m.active]
    plan = [(ctx.today - timedelta(days=age), stage, extra) for age, stage, extra in RECENT]
    plan.append((ctx.today - timedelta(days=BREACHED_AGE), "investigating", "breached"))
    start = ctx.today - timedelta(days=ctx.months * 30)
    older = {start + timedelta(days=ctx.rng.randint(0, ctx.months * 30 - 45)) for _ in range(max(4, ctx.months * 3))}
    bank_holiday_friday = date(2026, 8, 28)  # the late-August bank holiday is Monday 31 August 2026
    if start <= bank_holiday_friday < ctx.today - timedelta(days=45):
        older.add(bank_holiday_friday)
    plan += [(day, "closed", "") for day in older]
    plan.sort(key=lambda p: p[0])
    # One closed long enough ago that its customer's details are due for erasure under the retention
    # schedule (six months from closure), so the Data protection section has something to show: found in
    # a drawer and logged last, so every other complaint keeps its number.
    plan.append((ctx.today - timedelta(days=RETAINED_PAST_DAYS), "closed", "handled promptly"))
    with ctx.records.store.transaction() as txn:
        for n, (day, stage, extra) in enumerate(plan):
            txn.create(
                "complaints", "C", _complaint(ctx, n, day, stage, extra, team).fields(), "imported from the old log"
            )


def _complaint(ctx: DemoContext, n: int, day: date, last_stage: str, extra: str, team) -> Complaint:
    category, summary, wants, severity, cause, remedy = WAITING_CASE if extra == "waiting" else CASES[n % len(CASES)]
    if extra in ("escalated", "breached"):
        severity = "high"
    received = local_to_utc(day, time(9 + n % 8, 15))
    channel = ctx.rng.choice(["phone", "face to face", "email", "chat"])
    history = [Event(at=utc_stamp(received), by=HANDLER, what="received", note=f"by {channel}")]
    steps = PATH[: PATH.index(last_stage) + 1] if last_stage in PATH else []
    # A complaint handled within weeks: its steps spread over its first 35 days, not its whole life so far.
    age = min((ctx.today - day).days, 35) if extra == "handled promptly" else (ctx.today - day).days
    fields: dict = {"stage": "received", "level": 0, "checklist": {"heard": True}}
    when = received
    for i, stage in enumerate(steps):
        # Acknowledged the next business day (if that has come); later steps spread over the
        # complaint's life so far; each step after the one before.
        step_day = (
            add_business_days(day, 1) if i == 0 else day + timedelta(days=round(age * (i + 1) / (len(steps) + 2)))
        )
        step_day = min(step_day, ctx.today - timedelta(days=1))
        when = max(local_to_utc(step_day, time(10 + i, 5 * n % 60)), when + timedelta(hours=1))
        on = when.date()
        if stage == "investigating" and severity == "high":
            level = 3 if extra == "breached" else 2
            history.append(
                _event(
                    when,
                    f"escalated to {LEVELS[level]}",
                    "high severity: "
                    + (
                        "refund still missing after two chases (to Customer Relations)"
                        if level == 3
                        else "the store manager takes it (to Store Manager)"
                    ),
                )
            )
            fields["level"] = level
        history.append(
            _event(
                when,
                stage,
                "response sent"
                if stage == "resolved"
                else "replacement works, customer happy"
                if stage == "followed up"
                else "",
            )
        )
        fields["stage"] = stage
        if stage == "acknowledged":
            fields.update(acknowledged_on=on, checklist={**fields["checklist"], "empathised": True, "apologised": True})
        if stage == "resolved":
            fields.update(
                responded_on=on,
                outcome=f"{remedy.capitalize()} agreed and confirmed in writing",
                remedy=remedy,
                satisfied=ctx.rng.random() < 0.75,
                root_cause=cause,
                lesson="Talk it through with the team at the next briefing",
                improvement_action="Raise at the weekly service review",
                follow_up_on=_follow_up(ctx.today, on, extra),
                checklist={**fields["checklist"], "action_taken": True},
            )
        if stage == "followed up":
            fields["checklist"] = {**fields["checklist"], "followed_up": True}
    if extra == "waiting":
        asked = max(local_to_utc(ctx.today - timedelta(days=2), time(15)), when + timedelta(hours=1))
        history.append(_event(asked, "waiting on the customer", "asked for the order number and a photo of the fault"))
        fields["pauses"] = [{"start": to_local(asked).date().isoformat(), "end": None}]
    member = team[n % len(team)] if team else None
    if category == "faulty goods":
        fields.update(_goods(day, summary, extra))
    return Complaint(
        received_at=utc_stamp(received),
        channel=channel,
        customer_name=CUSTOMERS[n % len(CUSTOMERS)],
        customer_contact=f"07700 900{100 + n}",
        category=category,
        summary=summary,
        wants=wants,
        severity=severity,
        owner=HANDLER,
        member_ids=[member.id] if member else [],
        history=history,
        **fields,
    )


def _goods(received: date, summary: str, extra: str) -> dict:
    """The Consumer Rights Act details of a goods complaint received on ``received``.

    The washing machine (waiting on the customer): delivered 30 days before the complaint and
    installed the next day; a repair asked for 8 days into the 30 was away 11 days and failed. The
    22 days left run from its return, so the right is still open a week after the complaint came in,
    where 30 days from the installation would have ended the day after it. Headphones faulty after one repair:
    a repair asked for 2 days after delivery, back (still faulty) 2 days before the complaint. The
    rest: bought and delivered 9 days before."""
    if extra == "waiting":
        delivered = received - timedelta(days=30)
        return {
            "ownership_date": delivered,
            "delivery_date": delivered,
            "trader_installs": True,
            "installed_on": delivered + timedelta(days=1),
            "repairs": [
                Repair(
                    kind="repair",
                    requested_on=delivered + timedelta(days=10),
                    back_on=delivered + timedelta(days=20),
                    failed=True,
                )
            ],
        }
    delivered = received - timedelta(days=9)
    goods: dict = {"ownership_date": delivered, "delivery_date": delivered}
    if "after one repair" in summary:
        goods["repairs"] = [
            Repair(
                kind="repair",
                requested_on=delivered + timedelta(days=2),
                back_on=received - timedelta(days=2),
                failed=True,
            )
        ]
    return goods


def _follow_up(today: date, responded: date, extra: str) -> date:
    """A week after the response, except the two open ones: one still to come, one late."""
    return {"follow-up to come": today + timedelta(days=2), "follow-up late": today - timedelta(days=3)}.get(
        extra, responded + timedelta(days=7)
    )


def _event(when: datetime, what: str, note: str = "") -> Event:
    return Event(at=utc_stamp(when), by=HANDLER, what=what, note=note)
