"""Demo complaints: a few months across every stage, escalations, a breach, and one received on the
Friday before the August bank-holiday weekend.

Each is written whole, as an import from an old log would be: its own history carries the times
things happened, while the audit records when the record was written (the audit clock only moves
forward, and the one-to-ones history is already written by then)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from storage.audit import utc_stamp

from ..domain.complaints import LEVELS, Complaint, Event
from ..domain.dates import local_to_utc

if TYPE_CHECKING:
    from . import DemoContext

CASES = [  # (category, summary, wants, severity, root cause, remedy)
    ("faulty goods", "Kettle stopped working after nine days", "a refund", "medium", "supplier quality", "refund"),
    ("delivery", "Click & collect order not ready at the agreed time", "an apology", "low", "process", "apology"),
    ("staff", "Felt rushed and talked over at the till", "to be listened to", "medium", "training", "apology"),
    ("refund", "Refund promised on the phone never arrived", "the refund", "high", "process", "refund"),
    ("data protection", "Address read aloud at the counter", "reassurance", "high", "training", "apology"),
    ("faulty goods", "Headphones faulty again after one repair", "money back", "high", "supplier quality",
     "price reduction"),
]
CUSTOMERS = ["Mrs J Smith", "Mr A Khan", "Ms B Lee", "Mr D Evans", "Mrs P Nowak", "Mr T Reid", "Ms K Walsh",
             "Mr S Begum", "Mrs R Clarke", "Mr O Davies"]
STAGES = ["acknowledged", "investigating", "resolved", "followed up", "closed"]


def build(ctx: "DemoContext") -> None:
    team = [m for m in ctx.records.team.members() if m.active]
    start = ctx.today - timedelta(days=ctx.months * 30)
    days = sorted({start + timedelta(days=ctx.rng.randint(0, ctx.months * 30 - 2)) for _ in range(max(6, ctx.months * 4))})
    bank_holiday_friday = date(2026, 8, 28)  # the late-August bank holiday is Monday 31 August 2026
    if start <= bank_holiday_friday < ctx.today:
        days = sorted({*days, bank_holiday_friday})
    with ctx.records.store.transaction() as txn:
        for n, day in enumerate(days):
            txn.create("complaints", "C", _complaint(ctx, n, day, team).fields(), "imported from the old log")


def _complaint(ctx: "DemoContext", n: int, day: date, team) -> Complaint:
    category, summary, wants, severity, cause, remedy = CASES[n % len(CASES)]
    received = local_to_utc(day, time(10 + n % 7, 15))
    age = (ctx.today - day).days
    breach = n == 1  # never acknowledged: it shows as breached
    steps = [] if breach else STAGES[: 5 if age > 40 else 3 if age > 15 else 2 if age > 5 else 1]
    history = [Event(at=utc_stamp(received), by="Priya Sharma", what="received", note="by phone")]
    fields: dict = {"stage": "received", "level": 0}
    for i, stage in enumerate(steps):
        when = received + timedelta(days=1 + 4 * i, hours=2)
        on = when.date()
        if stage == "investigating" and severity == "high":
            history.append(Event(at=utc_stamp(when), by="Priya Sharma", what=f"escalated to {LEVELS[2]}",
                                 note="high severity: the store manager takes it (to Store Manager)"))
            fields["level"] = 2
        history.append(Event(at=utc_stamp(when), by="Priya Sharma", what=stage,
                             note="response sent" if stage == "resolved" else ""))
        fields["stage"] = stage
        if stage == "acknowledged":
            fields["acknowledged_on"] = on
        if stage == "resolved":
            fields.update(responded_on=on, outcome=f"{remedy.capitalize()} agreed and confirmed in writing",
                          remedy=remedy, satisfied=ctx.rng.random() < 0.75, root_cause=cause,
                          lesson="Talk it through with the team at the next briefing",
                          improvement_action="Raise at the weekly service review", follow_up_on=on + timedelta(days=7),
                          checklist={"heard": True, "empathised": True, "apologised": True, "action_taken": True})
        if stage == "followed up":
            fields["checklist"] = {**fields["checklist"], "followed_up": True}
    member = team[n % len(team)] if team else None
    return Complaint(
        received_at=utc_stamp(received), channel=ctx.rng.choice(["phone", "face to face", "email", "chat"]),
        customer_name=CUSTOMERS[n % len(CUSTOMERS)], customer_contact=f"07700 900{100 + n}", category=category,
        summary=summary, wants=wants, severity=severity, owner="Priya Sharma",
        member_ids=[member.id] if member else [], history=history,
        purchase_date=day - timedelta(days=9) if category == "faulty goods" else None,
        failed_repairs=1 if "after one repair" in summary else 0, **fields)
