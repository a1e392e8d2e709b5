"""Complaint handling rules: stages, escalation, deadline clocks, the FCA's DISP rules and the
Consumer Rights Act guide.

Pure functions: no Textual, no TinyDB. Business days are UK working days (bank holidays from the
`holidays` package, for the team's part of the UK). Guidance on the Consumer Rights Act 2015 is
guidance, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal, get_args

from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from .base import DomainModel, RecordModel
from .dates import DEFAULT_ZONE, add_business_days, business_days_between
from .fields import (
    LongText,
    PersonName,
    RecordDate,
    UtcStamp,
    context_today,
    moment_day,
    one_of,
    refuse_before,
    refuse_future,
)

# DISP 1.6.2R: the final (or written) response is due "by the end of eight weeks after" receipt:
# calendar weeks, with no business-day adjustment and no stop-the-clock.
FCA_FINAL_RESPONSE = timedelta(weeks=8)
# DISP 1.5.1R: resolved "by close of business on the third business day following the day on which
# it is received".
SUMMARY_RESOLUTION_BUSINESS_DAYS = 3

Channel = Literal["face to face", "phone", "email", "chat", "social", "letter"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
Stage = Literal["received", "acknowledged", "investigating", "resolved", "followed up", "closed"]
STAGES: tuple[Stage, ...] = get_args(Stage)
NEXT: dict[Stage, set[Stage]] = {
    "received": {"acknowledged"},
    "acknowledged": {"investigating"},
    "investigating": {"resolved"},
    "resolved": {"followed up", "closed"},
    "followed up": {"closed"},
    "closed": set(),
}
REOPENABLE: set[Stage] = {"resolved", "followed up", "closed"}
LEVELS = (
    "front line",
    "supervisor",
    "store or centre manager",
    "head office / customer relations",
    "external: ombudsman or ADR body",
)
HANDLING_STEPS = (
    ("heard", "Heard them out"),
    ("empathised", "Empathised"),
    ("apologised", "Apologised"),
    ("action_taken", "Took action"),
    ("followed_up", "Followed up"),
)
Remedy = Literal["repair", "replacement", "refund", "price reduction", "apology", "goodwill"]
REMEDIES: tuple[Remedy, ...] = get_args(Remedy)
# Root causes from one list, so the chart counts like with like ('process', not 'Process' and 'processes').
ROOT_CAUSES = (
    "supplier quality",
    "process",
    "training",
    "staff behaviour",
    "systems",
    "communication",
    "delivery",
    "customer expectation",
    "other",
)


class StageError(ValueError):
    """A move the process does not allow; the message says what must happen first."""


def check_move(current: Stage, target: str, *, outcome: str = "", reason: str = "") -> None:
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
    fca: bool = False  # DISP 1.6.2R: 8-week final response; DISP 1.5: by the 3rd business day
    at_risk_business_days: int = Field(default=1, ge=0, le=10)
    # Whose bank holidays count is a team setting (TeamSettings.region), shared by every section.


class Pause(DomainModel):
    """A time the complaint waited on the customer, from ``start`` to ``end`` (None: still waiting).
    Stored as {"start": ISO date, "end": ISO date or null}; nothing else belongs in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: RecordDate
    end: RecordDate | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Pause:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a wait ends ({self.end:%d/%m/%Y}) before it starts ({self.start:%d/%m/%Y})")
        return self

    def ended(self, on: date) -> Pause:
        return Pause(start=self.start, end=on)


def paused_days(pauses: list[Pause], until: date, region: str | None = None) -> int:
    """Days the clock stood still waiting on the customer, up to ``until``: calendar days, or only
    business days when a ``region`` is given (a business-day deadline is not moved by a weekend)."""
    total = 0
    for p in pauses:
        end = min(p.end or until, until)
        if p.start >= end:
            continue
        # business_days_between counts (a, b]; the pause covers [start, end).
        total += (
            business_days_between(p.start - timedelta(days=1), end - timedelta(days=1), region)
            if region
            else (end - p.start).days
        )
    return total


ClockStatus = Literal["met", "met late", "breached", "at risk", "running", "paused"]


@dataclass(frozen=True)
class DeadlineClock:
    name: str
    due: date
    met_on: date | None
    status: ClockStatus

    @property
    def urgent(self) -> bool:
        return self.status in ("breached", "at risk")


def deadline_clocks(
    received: date,
    policy: Policy,
    today: date,
    *,
    region: str,
    acknowledged_on: date | None,
    responded_on: date | None,
    pauses: list[Pause] | None = None,
    reopened_on: date | None = None,
) -> list[DeadlineClock]:
    """Acknowledgement and final-response clocks. A reopened complaint owes a new final response: its
    clock runs again from the day it was reopened.

    Waiting on the customer moves the team's own business-day final-response target by the business
    days waited. It never moves the FCA's eight weeks: DISP 1.6.2R has no stop-the-clock, so under the
    FCA policy a wait is recorded but the due date and the clock's state are as if there were none."""
    start = reopened_on or received
    pauses = [p for p in pauses or [] if p.start >= start]
    waiting = any(p.end is None for p in pauses)
    until = responded_on or today
    ack_due = add_business_days(received, policy.acknowledge_business_days, region)
    if policy.fca:
        final_due = fca_final_response_due(start)
    else:
        due = add_business_days(start, policy.final_response_business_days, region)
        final_due = add_business_days(due, paused_days(pauses, until, region), region)
    return [
        _clock("acknowledgement", ack_due, acknowledged_on, today, policy, region, False),
        _clock("final response", final_due, responded_on, today, policy, region, waiting and not policy.fca),
    ]


def fca_final_response_due(received: date) -> date:
    """DISP 1.6.2R: the last day (to its end) for a final response or a written holding response:
    the day of receipt plus 56 calendar days. A weekend or bank holiday does not move it, and neither
    does waiting on the customer."""
    return received + FCA_FINAL_RESPONSE


def _clock(
    name: str, due: date, met_on: date | None, today: date, policy: Policy, region: str, waiting: bool
) -> DeadlineClock:
    if met_on is not None:
        return DeadlineClock(name, due, met_on, "met" if met_on <= due else "met late")
    if today > due:
        return DeadlineClock(name, due, None, "breached")
    if waiting:
        return DeadlineClock(name, due, None, "paused")
    if business_days_between(today, due, region) <= policy.at_risk_business_days:
        return DeadlineClock(name, due, None, "at risk")
    return DeadlineClock(name, due, None, "running")


FollowUp = Literal["follow-up late", "follow up today", "follow up"]


def follow_up_status(stage: str, follow_up_on: date | None, today: date) -> FollowUp | None:
    """After the response: is the agreed follow-up call still to come, due today, or late?"""
    if stage != "resolved" or follow_up_on is None:
        return None
    return "follow-up late" if today > follow_up_on else "follow up today" if today == follow_up_on else "follow up"


def summary_resolution_by(received: date, region: str) -> date:
    """DISP 1.5.1R: the day by whose close of business a complaint must be resolved to be a summary
    resolution: the third business day after the day of receipt. The day of receipt never counts,
    whatever the hour or the day (the old 'treated as received on the next business day' rule, DISP
    1.5.3G, is deleted). Business days skip weekends and the bank holidays of the team's part of the
    UK (FCA Glossary 'business day'), substitute days included."""
    return add_business_days(received, SUMMARY_RESOLUTION_BUSINESS_DAYS, region)


def summary_resolution_eligible(received: date, resolved_on: date | None, region: str) -> bool:
    """Resolved by the summary-resolution date (DISP 1.5.1R)?"""
    return resolved_on is not None and resolved_on <= summary_resolution_by(received, region)


def summary_resolution_status(
    received: date, region: str, responded_on: date | None, accepted: bool | None
) -> Literal["open", "yes", "no"]:
    """'open' while no response has gone (never 'no': it may still be resolved in time, and once the
    date has passed the DISP 1.6 clock is what matters); then 'yes' if the response went by the date
    and the customer accepted it, else 'no'. DISP 1.5.2AR: a complaint is resolved when the
    complainant has indicated acceptance of the response, so a response they did not accept (or
    whose acceptance is not recorded) is not a summary resolution."""
    if responded_on is None:
        return "open"
    return "yes" if summary_resolution_eligible(received, responded_on, region) and accepted is True else "no"


def disp_guidance(final_due: date, summary_by: date, summary: str) -> list[str]:
    """What the FCA's rules ask of the firm for this complaint, in the words shown on its page."""
    outcome = {
        "open": "open: if the customer accepts a response by then, DISP 1.6 does not apply and a summary "
        "resolution communication is sent promptly (DISP 1.5.4R)",
        "yes": "yes: send the summary resolution communication promptly, with the Ombudsman wording (DISP 1.5.4R)",
        "no": "no: the DISP 1.6 response rules apply",
    }[summary]
    return [
        f"Summary resolution (DISP 1.5.1R) by close of business {summary_by:%a %d/%m/%Y}: {outcome}.",
        f"DISP 1.6.2R: by the end of {final_due:%a %d/%m/%Y} (8 weeks after receipt) send a final response, "
        "or a written response saying why it is not ready yet, when it will be, and that they may now refer "
        "the complaint to the Financial Ombudsman Service (with its leaflet and website). Waiting on the "
        "customer does not stop this clock.",
    ]


def urgency(
    clocks: list[DeadlineClock], follow_up: str | None = None, follow_up_on: date | None = None
) -> tuple[int, date]:
    """Sort key: breached first, then at risk (or a follow-up due today or late), then soonest due."""
    rank: dict[ClockStatus, int] = {"breached": 0, "at risk": 1, "running": 2, "paused": 3, "met late": 4, "met": 5}
    open_clocks = [c for c in clocks if c.met_on is None] or clocks
    worst = min(open_clocks, key=lambda c: (rank[c.status], c.due))
    key = rank[worst.status], worst.due
    if follow_up in ("follow-up late", "follow up today") and follow_up_on is not None:
        key = min(key, (1, follow_up_on))
    return key


# -- Consumer Rights Act 2015 (goods) ----------------------------------------------------------------
RepairKind = Literal["repair", "replacement"]
REPAIR_KINDS: tuple[RepairKind, ...] = get_args(RepairKind)
SHORT_TERM_DAYS = 30  # s.22(3)
AFTER_FAILED_REPAIR = 7  # s.22(7)(b): at least 7 days after goods that still do not conform come back
REFUND_DAYS = 14  # s.20(15)


class Repair(DomainModel):
    """A repair or replacement the customer asked for or agreed to. Its waiting period runs from the
    day it was asked for through the day the goods came back, both included (CRA 2015 s.22(8))."""

    kind: Annotated[RepairKind, one_of(RepairKind, "{value!r} is not a kind; use repair or replacement")] = Field(
        default="repair", title="Kind"
    )
    requested_on: RecordDate = Field(title="Asked for on")
    back_on: RecordDate | None = Field(default=None, title="Goods back on")
    failed: bool = Field(default=False, title="Still faulty")  # the goods that came back do not conform

    @model_validator(mode="after")
    def _back_after_asked(self) -> Repair:
        refuse_before(self.back_on, self.requested_on, "Goods back on", f"the {self.kind} was asked for")
        if self.failed and self.back_on is None:
            raise ValueError(f"Still faulty: say when the goods came back first (the {self.kind} is still away)")
        return self


@dataclass(frozen=True)
class Goods:
    """What the Consumer Rights Act guide reads: the events that start the 30 days (s.22(3)), each
    repair or replacement, and the refund. ``failed_before`` is a count of failed repairs kept by
    older records that had no list of them."""

    ownership: date  # ownership, or possession for hire, hire purchase or conditional sale
    delivery: date
    trader_installs: bool = False
    installed: date | None = None  # the day the trader told them installation was done
    repairs: tuple[Repair, ...] = ()
    failed_before: int = 0
    motor_vehicle: bool = False
    refund_agreed_on: date | None = None

    @property
    def start(self) -> date | None:
        """s.22(3): the day the last of these happened: ownership (or possession) passed, delivery,
        and where the trader installs, being told it was done. None while one of them has not."""
        if self.trader_installs and self.installed is None:
            return None
        return max(d for d in (self.ownership, self.delivery, self.installed if self.trader_installs else None) if d)

    @property
    def failed(self) -> int:
        """Failed repairs or replacements: from the recorded ones where there are any."""
        return sum(r.failed for r in self.repairs) if self.repairs else self.failed_before


@dataclass(frozen=True)
class ShortTermRight:
    state: Literal["not started", "open", "paused", "ended"]
    ends: date | None = None  # the last day (to its end), when open or ended
    days_left: int | None = None  # when paused: the days the period still had when the wait began
    waiting: Repair | None = None  # when paused: the repair or replacement that is away
    moved: bool = False  # a waiting period stopped the clock (s.22(6))


def short_term_right(start: date | None, repairs: tuple[Repair, ...] | list[Repair], today: date) -> ShortTermRight:
    """The 30-day short-term right to reject (CRA 2015 s.22).

    - s.22(3): it ends at the end of 30 days beginning with the first day after ``start`` (so day 1
      is start + 1 and the last day is start + 30).
    - s.22(6), (8): asking for (or agreeing to) a repair or replacement stops the period for the
      waiting period, from the day it was asked for through the day the goods came back.
    - s.22(7): if the goods that came back still do not conform, the customer has what was left of
      the period when the wait began or, if that ends sooner, 7 days after the day they came back.
      If they were put right, the period simply runs on with what was left.
    - s.22(1): a repair asked for after the right has ended does not bring it back.
    """
    if start is None:
        return ShortTermRight("not started")
    one = timedelta(days=1)
    running_from, left = start + one, SHORT_TERM_DAYS
    ends = start + timedelta(days=SHORT_TERM_DAYS)
    moved = False
    for repair in sorted(repairs, key=lambda r: r.requested_on):
        if repair.requested_on > ends:
            break
        left -= max(0, (repair.requested_on - running_from).days)  # the day asked is in the waiting period
        if repair.back_on is None:
            return ShortTermRight("paused", days_left=left, waiting=repair, moved=True)
        running_from = max(running_from, repair.back_on + one)
        ends = running_from + timedelta(days=left - 1)
        if repair.failed:
            ends = max(ends, repair.back_on + timedelta(days=AFTER_FAILED_REPAIR))
        left = (ends - running_from).days + 1
        moved = True
    return ShortTermRight("open" if today <= ends else "ended", ends=ends, moved=moved)


def six_months_beginning(day: date) -> date:
    """The last day of the 6 months beginning with ``day``: the day before the same date 6 months
    on; where that month has no such date (31 August -> February) the last day of that month, the
    reading that gives the customer the whole of the last month."""
    later = day + relativedelta(months=6)
    return later if later.day != day.day else later - timedelta(days=1)


def refund_due(agreed_on: date) -> date:
    """CRA 2015 s.20(15): without undue delay, and at the latest within 14 days beginning with the
    day the trader agrees the customer is entitled to it (that day is day 1). Calendar days."""
    return agreed_on + timedelta(days=REFUND_DAYS - 1)


def cra_guidance(goods: Goods, today: date) -> list[str]:
    """Consumer Rights Act 2015 (goods): which remedies apply now. Guidance, not legal advice."""
    lines = [_short_term_line(short_term_right(goods.start, goods.repairs, today))]
    presumed_to = six_months_beginning(goods.delivery)
    if today <= presumed_to:
        lines.append(
            f"Within 6 months of delivery (to {presumed_to:%d/%m/%Y}): a fault is presumed to have been "
            "there at delivery unless the retailer shows otherwise (s.19(14)-(15))."
        )
    else:
        lines.append(
            f"Over 6 months since delivery (that ended {presumed_to:%d/%m/%Y}): the customer may need to "
            "show the fault was there at delivery (s.19(14))."
        )
    if goods.failed:
        lines.append(
            (
                "A repair or replacement has failed"
                if goods.failed == 1
                else f"{goods.failed} repairs or replacements have failed"
            )
            + ": the customer may now ask for a price reduction or use the final right to reject "
            "(s.24(5)(a))."
        )
        lines.append(_deduction_line(goods, today))
    else:
        lines.append(
            "Price reduction or final right to reject: after one failed repair or replacement "
            "(s.24(5)(a)), or sooner if neither is possible or the retailer took too long or caused "
            "significant inconvenience (s.24(5)(b)-(c))."
        )
    if goods.refund_agreed_on is not None:
        due = refund_due(goods.refund_agreed_on)
        state = (
            f"overdue — it had to be paid by {due:%d/%m/%Y}"
            if today > due
            else f"pay it without undue delay, by {due:%d/%m/%Y} at the latest"
        )
        lines.append(
            f"Refund agreed on {goods.refund_agreed_on:%d/%m/%Y}: {state} (14 days beginning with the "
            "day it was agreed, s.20(15))."
        )
    lines.append("Guidance, not legal advice.")
    return lines


def _short_term_line(right: ShortTermRight) -> str:
    head = "30-day short-term right to reject (s.22)"
    if right.state == "not started":
        return (
            f"{head}: not started — the retailer has not yet told them the installation is done "
            "(s.22(3)(c)); they may still reject now (s.22(5))."
        )
    if right.waiting is not None:  # paused: the repair or replacement is away
        away = right.waiting
        return (
            f"{head}: paused while the {away.kind} is away (asked for {away.requested_on:%d/%m/%Y}, "
            f"s.22(6)); when the goods come back {right.days_left} day(s) are left, or 7 days if they "
            "still do not conform, whichever ends later (s.22(7))."
        )
    paused = " (the repair or replacement time did not count, s.22(6)-(8))" if right.moved else ""
    if right.state == "open":
        return f"{head}: open until the end of {right.ends:%a %d/%m/%Y}{paused} — a full refund if faulty."
    return (
        f"{head}: ended {right.ends:%a %d/%m/%Y}{paused}; repair or replacement comes first (s.23) "
        "unless the retailer agrees to a later rejection (s.22(1))."
    )


def _deduction_line(goods: Goods, today: date) -> str:
    """s.24(8)-(11): a refund on final rejection may be reduced for use, but not in the first 6 months
    (beginning with the first day after the s.22(3) events) unless the goods are a motor vehicle."""
    if goods.motor_vehicle:
        return (
            "A motor vehicle: a refund on final rejection may be reduced for the use they have had, even in "
            "the first 6 months (s.24(8), (10))."
        )
    if goods.start is None:
        return "No deduction for use from a refund on final rejection in the first 6 months (s.24(10))."
    first_six = six_months_beginning(goods.start + timedelta(days=1))
    if today <= first_six:
        return (
            f"No deduction for use from a refund on final rejection until {first_six:%d/%m/%Y} "
            "(the first 6 months, s.24(10))."
        )
    return (
        f"The first 6 months ended {first_six:%d/%m/%Y}: a refund on final rejection may be reduced for the "
        "use they have had (s.24(8))."
    )


class Severity(StrEnum):
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
    channel: Annotated[Channel, one_of(Channel, "{value!r} is not a channel; use one of {choices}")] = Field(
        default="phone", title="Channel"
    )
    customer_name: PersonName = Field(min_length=1, max_length=80, title="Customer")
    customer_contact: str = Field(default="", max_length=120, title="Contact")  # only what is needed
    product: str = Field(default="", max_length=120, title="Product or service")
    category: str = Field(min_length=1, max_length=60, title="Category")
    summary: LongText = Field(min_length=1, max_length=4000, title="What happened")
    wants: str = Field(default="", max_length=1000, title="What they want")
    severity: Severity = Field(default=Severity.medium, title="Severity")
    owner: PersonName = Field(default="", max_length=80, title="Owner")
    member_ids: list[str] = Field(default_factory=list, title="Team members involved", max_length=50)
    stage: Annotated[Stage, one_of(Stage, "{value!r} is not a stage; the stages are {choices}")] = Field(
        default="received", title="Stage"
    )
    level: int = Field(default=0, ge=0, le=len(LEVELS) - 1, title="Escalation level")
    history: list[Event] = Field(default_factory=list, title="History", max_length=1000)
    checklist: dict[str, bool] = Field(default_factory=dict, title="Handling steps")
    pauses: list[Pause] = Field(default_factory=list, title="Waiting on the customer", max_length=200)
    acknowledged_on: RecordDate | None = Field(default=None, title="Acknowledged on")
    responded_on: RecordDate | None = Field(default=None, title="Responded on")
    reopened_on: RecordDate | None = Field(
        default=None, title="Reopened on"
    )  # the final-response clock runs again from here
    # The Consumer Rights Act's 30 days run from the last of three events (s.22(3)), kept apart.
    ownership_date: RecordDate | None = Field(default=None, title="Ownership passed")
    delivery_date: RecordDate | None = Field(default=None, title="Delivered")
    trader_installs: bool = Field(default=False, title="Trader installs")
    installed_on: RecordDate | None = Field(default=None, title="Told installed on")
    motor_vehicle: bool = Field(default=False, title="Motor vehicle")  # s.24(10): use may be deducted
    repairs: list[Repair] = Field(default_factory=list, title="Repairs and replacements", max_length=20)
    # Older records kept one date for both and a bare count of failed repairs; they still read (see goods()).
    purchase_date: RecordDate | None = Field(default=None, title="Bought or delivered")
    failed_repairs: int = Field(default=0, ge=0, le=10, title="Failed repairs or replacements")
    refund_agreed_on: RecordDate | None = Field(default=None, title="Refund agreed on")
    outcome: LongText = Field(default="", max_length=2000, title="Outcome")
    remedy: Annotated[Remedy | Literal[""], one_of(Remedy, "{value!r} is not a remedy; use one of {choices}")] = Field(
        default="", title="Remedy"
    )
    satisfied: bool | None = Field(default=None, title="Customer satisfied")
    root_cause: str = Field(default="", max_length=80, title="Root cause")
    lesson: LongText = Field(default="", max_length=2000, title="Lesson learned")
    improvement_action: str = Field(default="", max_length=1000, title="Improvement action")
    follow_up_on: RecordDate | None = Field(default=None, title="Follow up on")

    @model_validator(mode="after")
    def _in_order(self, info: ValidationInfo) -> Complaint:
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
        for p in self.pauses:
            refuse_before(p.start, received, "Waiting on the customer", "the complaint was received")
        # The follow-up is a plan, so it may be ahead of today; but not before the response it follows.
        refuse_before(
            self.follow_up_on,
            self.responded_on or received,
            "Follow up on",
            "the response" if self.responded_on else "the complaint was received",
        )
        self._goods_in_order(today)
        return self

    def _goods_in_order(self, today: date | None) -> None:
        """Goods can be bought after a complaint is made (a complaint about a late delivery), so their
        dates are only held to today; installation follows delivery; a repair is asked for goods that
        were delivered, one after the other came back; a refund is agreed for goods bought or delivered."""
        refuse_future(self.purchase_date, today, "Bought or delivered")
        refuse_future(self.ownership_date, today, "Ownership passed")
        refuse_future(self.delivery_date, today, "Delivered")
        refuse_future(self.installed_on, today, "Told installed on")
        if self.installed_on is not None and not self.trader_installs:
            raise ValueError("Told installed on: only where the trader installs the goods (tick Trader installs)")
        delivered = self.delivery_date or self.purchase_date
        refuse_before(self.installed_on, delivered, "Told installed on", "the goods were delivered")
        if self.repairs and delivered is None:
            raise ValueError("Repairs and replacements: record when the goods were delivered first (g)")
        for index, repair in enumerate(self.repairs):
            refuse_future(repair.requested_on, today, "Asked for on")
            refuse_future(repair.back_on, today, "Goods back on")
            refuse_before(repair.requested_on, delivered, "Asked for on", "the goods were delivered")
            if index:  # one waiting period at a time: the next is asked for once the last came back
                before = self.repairs[index - 1]
                if before.back_on is None:
                    raise ValueError(
                        f"Asked for on: the {before.kind} asked for on {before.requested_on:%d/%m/%Y} "
                        "is not back yet; record when it came back first"
                    )
                refuse_before(
                    repair.requested_on, before.back_on, "Asked for on", f"the previous {before.kind} came back"
                )
        owned = self.ownership_date or self.purchase_date
        first = min((d for d in (owned, delivered) if d), default=None)
        refuse_before(self.refund_agreed_on, first, "Refund agreed on", "the goods were bought or delivered")
        refuse_future(self.refund_agreed_on, today, "Refund agreed on")

    def goods(self) -> Goods | None:
        """The goods details for the Consumer Rights Act guide, or None if none are recorded. An older
        record's single 'bought or delivered' date stands for both ownership and delivery."""
        owned, delivered = self.ownership_date or self.purchase_date, self.delivery_date or self.purchase_date
        if owned is None or delivered is None:
            return None
        return Goods(
            ownership=owned,
            delivery=delivered,
            trader_installs=self.trader_installs,
            installed=self.installed_on,
            repairs=tuple(self.repairs),
            failed_before=self.failed_repairs,
            motor_vehicle=self.motor_vehicle,
            refund_agreed_on=self.refund_agreed_on,
        )

    @property
    def waiting(self) -> bool:
        """Waiting on the customer now: the last wait has not ended."""
        return bool(self.pauses) and self.pauses[-1].end is None

    def pauses_ended(self, on: date) -> list[Pause]:
        """The waits, with the one still open (if any) ended ``on``: the customer replied, or the
        response went."""
        return [*self.pauses[:-1], self.pauses[-1].ended(on)] if self.waiting else list(self.pauses)
