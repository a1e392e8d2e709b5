"""Complaint handling rules: stages, escalation, deadline clocks and the Consumer Rights Act guide.

Pure functions: no Textual, no TinyDB. Business days are UK working days (bank holidays from the
`holidays` package). Guidance on the Consumer Rights Act 2015 is guidance, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


from dateutil.relativedelta import relativedelta
from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import DomainModel, RecordModel
from .dates import DEFAULT_ZONE, add_business_days, business_days_between, check_date_range
from .fields import (LongText, PersonName, RecordDate, UtcStamp, context_today, moment_day, refuse_before,
                     refuse_future)

CHANNELS = ("face to face", "phone", "email", "chat", "social", "letter")
STAGES = ("received", "acknowledged", "investigating", "resolved", "followed up", "closed")
NEXT = {"received": {"acknowledged"}, "acknowledged": {"investigating"}, "investigating": {"resolved"},
        "resolved": {"followed up", "closed"}, "followed up": {"closed"}, "closed": set()}
REOPENABLE = {"resolved", "followed up", "closed"}
LEVELS = ("front line", "supervisor", "store or centre manager", "head office / customer relations",
          "external: ombudsman or ADR body")
HANDLING_STEPS = (("heard", "Heard them out"), ("empathised", "Empathised"), ("apologised", "Apologised"),
                  ("action_taken", "Took action"), ("followed_up", "Followed up"))
REMEDIES = ("repair", "replacement", "refund", "price reduction", "apology", "goodwill")
# Root causes from one list, so the chart counts like with like ('process', not 'Process' and 'processes').
ROOT_CAUSES = ("supplier quality", "process", "training", "staff behaviour", "systems", "communication",
               "delivery", "customer expectation", "other")


class StageError(ValueError):
    """A move the process does not allow; the message says what must happen first."""


def check_move(current: str, target: str, *, outcome: str = "", reason: str = "") -> None:
    """Stages go in order — no skipping acknowledgement — closing needs an outcome, reopening a reason."""
    if target == "investigating" and current in REOPENABLE:
        if not reason.strip():
            raise StageError("Reopening needs a reason: it goes on the record.")
        return
    if target not in NEXT.get(current, set()):
        order = " → ".join(STAGES)
        first = next(s for s in STAGES if s in NEXT.get(current, set())) if NEXT.get(current) else None
        hint = f" Next is '{first}'." if first else " It is closed: reopen it to investigate again."
        raise StageError(f"A complaint cannot go from '{current}' to '{target}' ({order}).{hint}")
    if target == "closed" and not outcome.strip():
        raise StageError("Closing needs an outcome: record the resolution first.")


def check_escalation(current: int, target: int, reason: str) -> str:
    """Escalation or de-escalation between levels, always with a reason. Returns 'escalated'/'de-escalated'."""
    if not 0 <= target < len(LEVELS):
        raise ValueError(f"level must be 0 to {len(LEVELS) - 1}")
    if target == current:
        raise ValueError(f"it is already with the {LEVELS[current]}")
    if not reason.strip():
        raise ValueError("an escalation needs a reason: it is part of the complaint's history")
    return "escalated" if target > current else "de-escalated"


def missing_steps(done: dict[str, bool]) -> list[str]:
    """The HEAT / five-step checklist: what has not been done yet."""
    return [label for key, label in HANDLING_STEPS if not done.get(key)]


class Policy(RecordModel):
    """Deadline rules, with sensible defaults; FCA-regulated firms switch on ``fca``."""

    acknowledge_business_days: int = Field(default=2, ge=0, le=30)
    final_response_business_days: int = Field(default=15, ge=1, le=120)
    fca: bool = False              # final response within 8 weeks of receipt; SRC by the 3rd business day
    at_risk_business_days: int = Field(default=1, ge=0, le=10)
    # Whose bank holidays count is a team setting (TeamSettings.region), shared by every section.


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None = None  # None: still waiting on the customer


def paused_days(pauses: list[Pause], until: date, region: str | None = None) -> int:
    """Days the clock stood still waiting on the customer, up to ``until``: calendar days, or only
    business days when a ``region`` is given (a business-day deadline is not moved by a weekend)."""
    total = 0
    for p in pauses:
        end = min(p.end or until, until)
        if p.start >= end:
            continue
        # business_days_between counts (a, b]; the pause covers [start, end).
        total += (business_days_between(p.start - timedelta(days=1), end - timedelta(days=1), region)
                  if region else (end - p.start).days)
    return total


@dataclass(frozen=True)
class DeadlineClock:
    name: str
    due: date
    met_on: date | None
    status: str  # met | met late | breached | at risk | running | paused

    @property
    def urgent(self) -> bool:
        return self.status in ("breached", "at risk")


def deadline_clocks(received: date, policy: Policy, today: date, *, region: str, acknowledged_on: date | None,
                    responded_on: date | None, pauses: list[Pause] | None = None,
                    reopened_on: date | None = None) -> list[DeadlineClock]:
    """Acknowledgement and final-response clocks; a pause while waiting on the customer moves the due dates.
    A reopened complaint owes a new final response: its clock runs again from the day it was reopened."""
    start = reopened_on or received
    pauses = [p for p in pauses or [] if p.start >= start]
    waiting = any(p.end is None for p in pauses)
    until = responded_on or today
    ack_due = add_business_days(received, policy.acknowledge_business_days, region)
    if policy.fca:  # 8 calendar weeks, moved by the calendar days spent waiting
        final_due = start + timedelta(weeks=8, days=paused_days(pauses, until))
    else:
        due = add_business_days(start, policy.final_response_business_days, region)
        final_due = add_business_days(due, paused_days(pauses, until, region), region)
    return [_clock("acknowledgement", ack_due, acknowledged_on, today, policy, region, False),
            _clock("final response", final_due, responded_on, today, policy, region, waiting)]


def _clock(name: str, due: date, met_on: date | None, today: date, policy: Policy, region: str,
           waiting: bool) -> DeadlineClock:
    if met_on is not None:
        return DeadlineClock(name, due, met_on, "met" if met_on <= due else "met late")
    if today > due:
        return DeadlineClock(name, due, None, "breached")
    if waiting:
        return DeadlineClock(name, due, None, "paused")
    if business_days_between(today, due, region) <= policy.at_risk_business_days:
        return DeadlineClock(name, due, None, "at risk")
    return DeadlineClock(name, due, None, "running")


def follow_up_status(stage: str, follow_up_on: date | None, today: date) -> str | None:
    """After the response: is the agreed follow-up call still to come, due today, or late?"""
    if stage != "resolved" or follow_up_on is None:
        return None
    return "follow-up late" if today > follow_up_on else "follow up today" if today == follow_up_on else "follow up"


def summary_resolution_eligible(received: date, resolved_on: date | None, region: str) -> bool:
    """FCA DISP: resolved by close of the third business day after receipt -> a summary resolution letter."""
    return resolved_on is not None and resolved_on <= add_business_days(received, 3, region)


def urgency(clocks: list[DeadlineClock], follow_up: str | None = None, follow_up_on: date | None = None) -> tuple[int, date]:
    """Sort key: breached first, then at risk (or a follow-up due today or late), then soonest due."""
    rank = {"breached": 0, "at risk": 1, "running": 2, "paused": 3, "met late": 4, "met": 5}
    open_clocks = [c for c in clocks if c.met_on is None] or clocks
    worst = min(open_clocks, key=lambda c: (rank[c.status], c.due))
    key = rank[worst.status], worst.due
    if follow_up in ("follow-up late", "follow up today") and follow_up_on is not None:
        key = min(key, (1, follow_up_on))
    return key


def cra_guidance(bought_or_delivered: date, today: date, failed_repairs_or_replacements: int = 0,
                 refund_agreed_on: date | None = None) -> list[str]:
    """Consumer Rights Act 2015 (goods): which remedies apply now. Guidance, not legal advice."""
    age = (today - bought_or_delivered).days
    lines = []
    if age <= 30:
        lines.append(f"Day {age} of 30: the short-term right to reject applies — a full refund if the goods are faulty.")
    else:
        lines.append(f"Day {age}: the 30-day short-term right to reject has passed; repair or replacement comes first.")
    six_months = _add_months(bought_or_delivered, 6)
    if today <= six_months:
        lines.append(f"Within 6 months (to {six_months:%d/%m/%Y}): a fault is presumed to have been there at "
                     "delivery unless the retailer can show otherwise.")
    else:
        lines.append("After 6 months: the customer may need to show the fault was there at delivery.")
    if failed_repairs_or_replacements >= 1:
        lines.append("One repair or replacement has failed: a price reduction or the final right to reject "
                     "is now open to the customer.")
    if refund_agreed_on is not None:
        due = refund_agreed_on + timedelta(days=14)
        state = "overdue" if today > due else f"due by {due:%d/%m/%Y}"
        lines.append(f"Refund agreed on {refund_agreed_on:%d/%m/%Y}: it must be paid within 14 days ({state}).")
    lines.append("Guidance, not legal advice.")
    return lines


def _add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"{value!r} is not an ISO date")


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class Event(DomainModel):
    """One step in a complaint's life: a stage change, an escalation, a pause — who, when, why."""

    at: UtcStamp  # stamped by the store's clock, so it is not checked against the team's today
    by: str = Field(max_length=80)
    what: str = Field(max_length=200)
    note: LongText = Field(default="", max_length=4000)  # an escalation's reason may run to lines


class Complaint(RecordModel):
    received_at: UtcStamp = Field(title="Received")
    channel: str = Field(default="phone", title="Channel")
    customer_name: PersonName = Field(min_length=1, max_length=80, title="Customer")
    customer_contact: str = Field(default="", max_length=120, title="Contact")  # only what is needed
    product: str = Field(default="", max_length=120, title="Product or service")
    category: str = Field(min_length=1, max_length=60, title="Category")
    summary: LongText = Field(min_length=1, max_length=4000, title="What happened")
    wants: str = Field(default="", max_length=1000, title="What they want")
    severity: Severity = Field(default=Severity.medium, title="Severity")
    owner: PersonName = Field(default="", max_length=80, title="Owner")
    member_ids: list[str] = Field(default_factory=list, title="Team members involved", max_length=50)
    stage: str = Field(default="received", title="Stage")
    level: int = Field(default=0, ge=0, le=len(LEVELS) - 1, title="Escalation level")
    history: list[Event] = Field(default_factory=list, title="History", max_length=1000)
    checklist: dict[str, bool] = Field(default_factory=dict, title="Handling steps")
    pauses: list[dict] = Field(default_factory=list, title="Waiting on the customer", max_length=200)
    acknowledged_on: RecordDate | None = Field(default=None, title="Acknowledged on")
    responded_on: RecordDate | None = Field(default=None, title="Responded on")
    reopened_on: RecordDate | None = Field(default=None, title="Reopened on")  # the final-response clock runs again from here
    purchase_date: RecordDate | None = Field(default=None, title="Bought or delivered")
    failed_repairs: int = Field(default=0, ge=0, le=10, title="Failed repairs or replacements")
    refund_agreed_on: RecordDate | None = Field(default=None, title="Refund agreed on")
    outcome: LongText = Field(default="", max_length=2000, title="Outcome")
    remedy: str = Field(default="", title="Remedy")
    satisfied: bool | None = Field(default=None, title="Customer satisfied")
    root_cause: str = Field(default="", max_length=80, title="Root cause")
    lesson: LongText = Field(default="", max_length=2000, title="Lesson learned")
    improvement_action: str = Field(default="", max_length=1000, title="Improvement action")
    follow_up_on: RecordDate | None = Field(default=None, title="Follow up on")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if value not in CHANNELS:
            raise ValueError(f"{value!r} is not a channel; use one of {', '.join(CHANNELS)}")
        return value

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        if value not in STAGES:
            raise ValueError(f"{value!r} is not a stage; the stages are {', '.join(STAGES)}")
        return value

    @field_validator("remedy")
    @classmethod
    def _remedy(cls, value: str) -> str:
        if value and value not in REMEDIES:
            raise ValueError(f"{value!r} is not a remedy; use one of {', '.join(REMEDIES)}")
        return value

    @field_validator("pauses")
    @classmethod
    def _pauses(cls, pauses: list[dict]) -> list[dict]:
        """Each wait as {'start': ISO date, 'end': ISO date or None}: dates in range, ending after starting."""
        tidy = []
        for p in pauses:
            if not isinstance(p, dict) or set(p) - {"start", "end"} or "start" not in p:
                raise ValueError("each wait needs a start date and an end date (or none while waiting)")
            try:
                start = check_date_range(_as_date(p["start"]))
                end = check_date_range(_as_date(p["end"])) if p.get("end") is not None else None
            except (TypeError, ValueError) as exc:
                raise ValueError(f"a wait has a date that is not a date ({exc})") from None
            if end is not None and end < start:
                raise ValueError(f"a wait ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})")
            tidy.append({"start": start.isoformat(), "end": end.isoformat() if end else None})
        return tidy

    @model_validator(mode="after")
    def _in_order(self, info: ValidationInfo) -> "Complaint":
        """Each step comes after what it follows; what was typed about the past is not in the future.

        The acknowledgement, response, reopening and waits are dated by the service from the team
        clock, so only their order is checked; the receipt, the purchase and the refund are typed
        (or imported), so they must also not be later than today."""
        # The day it came in on the team's calendar: the context may name the team's zone; without it,
        # the UK zone the app defaults to (the service also refuses a receipt later than now itself).
        received = moment_day(self.received_at, (info.context or {}).get("tz", DEFAULT_ZONE))
        today = context_today(info)
        refuse_future(received, today, "Received")
        refuse_before(self.acknowledged_on, received, "Acknowledged on", "the complaint was received")
        refuse_before(self.responded_on, received, "Responded on", "the complaint was received")
        refuse_before(self.responded_on, self.acknowledged_on, "Responded on", "it was acknowledged")
        refuse_before(self.reopened_on, received, "Reopened on", "the complaint was received")
        for p in self.pause_list():
            refuse_before(p.start, received, "Waiting on the customer", "the complaint was received")
        # The follow-up is a plan, so it may be ahead of today; but not before the response it follows.
        refuse_before(self.follow_up_on, self.responded_on or received, "Follow up on",
                      "the response" if self.responded_on else "the complaint was received")
        # Goods can be bought after a complaint is made (a complaint about a late delivery), so the
        # purchase is only held to today; a refund is agreed for goods already bought.
        refuse_future(self.purchase_date, today, "Bought or delivered")
        refuse_before(self.refund_agreed_on, self.purchase_date, "Refund agreed on",
                      "the goods were bought or delivered")
        refuse_future(self.refund_agreed_on, today, "Refund agreed on")
        return self

    def pause_list(self) -> list[Pause]:
        return [Pause(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]) if p.get("end") else None)
                for p in self.pauses]
