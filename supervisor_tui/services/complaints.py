"""Complaint use cases: log, move through the stages, escalate, pause, resolve; clocks and counts."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from pydantic import ValidationError

from supervisor_tui.storage import Store
from supervisor_tui.storage.audit import utc_stamp

from ..domain.base import explain
from ..domain.clock import Clock
from ..domain.complaints import (
    CHANNELS,
    HANDLING_STEPS,
    LEVELS,
    REOPENABLE,
    Complaint,
    DeadlineClock,
    Event,
    Pause,
    Policy,
    Repair,
    Severity,
    check_escalation,
    check_move,
    cra_guidance,
    deadline_clocks,
    disp_guidance,
    follow_up_status,
    summary_resolution_by,
    summary_resolution_status,
    urgency,
)
from ..domain.dates import DateInputError, parse_utc, to_local
from ..domain.fields import moment_day, name_key
from ..output import csv_text, md_table
from .base import Repository, as_stored
from .csvio import read_rows
from .imports import Identity, Imported, sort_rows
from .settings import TeamSettingsService

IMPORT_REQUIRED = ["received", "channel", "customer", "category", "summary", "severity"]
IMPORT_OPTIONAL = ["product", "wants", "owner", "contact"]
EXPORT_COLUMNS = [
    "reference",
    "received",
    "channel",
    "customer",
    "category",
    "severity",
    "stage",
    "level",
    "acknowledgement_due",
    "acknowledged",
    "acknowledgement_met",
    "final_response_due",
    "responded",
    "final_response_met",
    "summary_resolution",
    "root_cause",
    "remedy",
    "satisfied",
    # Added last so scripts reading the columns by position keep working.
    "summary_resolution_by",
]
# What was logged about a complaint, and so what a correction may change (its stages, clocks and
# resolution move on by their own steps). Each with how a correction's history line names the change:
# the value itself, or only that it changed (what the customer said and who they are stay off it).
CORRECTABLE: dict[str, tuple[str, bool]] = {
    "received_at": ("received", True),
    "channel": ("channel", True),
    "customer_name": ("customer", False),
    "customer_contact": ("contact", False),
    "product": ("product", True),
    "category": ("category", True),
    "summary": ("what happened", False),
    "wants": ("what they want", False),
    "severity": ("severity", True),
    "owner": ("owner", True),
    "member_ids": ("staff involved", False),
}


class ComplaintService:
    def __init__(self, store: Store, clock: Clock, settings: TeamSettingsService):
        self.store, self.clock, self.settings = store, clock, settings
        self.repo: Repository[Complaint] = Repository(store, "complaints", "C", Complaint, clock)
        self._policies: Repository[Policy] = Repository(store, "complaint_policy", "CP", Policy, clock)

    @property
    def policy(self) -> Policy:
        """The team's deadline policy, kept in the record so every supervisor works to the same clocks."""
        saved = self._policies.all()
        return saved[0] if saved else Policy()

    @property
    def tz(self) -> str:
        return self.clock.tz

    @property
    def region(self) -> str:
        """Whose bank holidays count: the team setting every section shares."""
        return self.settings.region

    def set_policy(self, policy: Policy, region: str | None = None, reason: str | None = None) -> Policy:
        """Save the deadline policy (and, from the same form, the team's bank-holiday region) in one write."""
        current = self.policy
        envelope = {
            k: getattr(current, k) for k in ("id", "version", "created_at", "created_by", "updated_at", "updated_by")
        }
        with self.store.transaction() as txn:
            saved = (
                self._policies.update(policy.model_copy(update=envelope), reason, txn)
                if current.id
                else self._policies.create(policy, reason, txn)
            )
            if region is not None and region != self.region:
                self.settings.change(reason or "complaint deadline policy", txn, region=region)
        return saved

    def change_policy(self, reason: str, **changes: object) -> Policy:
        """Change some of the policy's fields (the settings command), validated and audited."""
        return self.set_policy(self.policy.model_copy(update=changes), reason=reason)

    # -- reading -----------------------------------------------------------------------------------
    def received_day(self, c: Complaint) -> date:
        return moment_day(c.received_at, self.tz)

    def read_received(self, text: str) -> datetime:
        """When a complaint came in, typed on the team's wall clock: not later than now."""
        received = self.clock.read_moment(text)
        if received > self.clock.now():
            raise DateInputError(f"{text.strip()} is in the future; a complaint is logged once it has come in")
        return received

    def clocks(self, c: Complaint, today: date) -> list[DeadlineClock]:
        return deadline_clocks(
            self.received_day(c),
            self.policy,
            today,
            region=self.region,
            acknowledged_on=c.acknowledged_on,
            responded_on=c.responded_on,
            pauses=c.pauses,
            reopened_on=c.reopened_on,
        )

    def summary_resolution(self, c: Complaint) -> tuple[date, str]:
        """DISP 1.5: the date by whose close of business it must be resolved, and 'open', 'yes' or 'no'."""
        received = self.received_day(c)
        return (
            summary_resolution_by(received, self.region),
            summary_resolution_status(received, self.region, c.responded_on, c.satisfied),
        )

    def fca_guidance(self, c: Complaint, today: date) -> list[str]:
        """What DISP asks of the firm for this complaint; nothing when the team is not FCA-regulated."""
        if not self.policy.fca:
            return []
        by, state = self.summary_resolution(c)
        return disp_guidance(self.clocks(c, today)[1].due, by, state)

    def cra_guidance(self, c: Complaint, today: date) -> list[str] | None:
        """The Consumer Rights Act guide, or None when no goods details are recorded."""
        goods = c.goods()
        return None if goods is None else cra_guidance(goods, today)

    def follow_up(self, c: Complaint, today: date) -> str | None:
        return follow_up_status(c.stage, c.follow_up_on, today)

    def get(self, complaint_id: str) -> Complaint:
        return self.repo.get(complaint_id)

    def received_stamp(self, text: str) -> str:
        """When a complaint came in, typed on the team's wall clock, as the record stores it (UTC)."""
        return utc_stamp(self.read_received(text))

    def ids(self) -> set[str]:
        return {c.id for c in self.repo.all() if c.id}

    def open_by_urgency(self, today: date) -> list[Complaint]:
        live = [c for c in self.repo.all() if c.stage != "closed"]
        return sorted(live, key=lambda c: urgency(self.clocks(c, today), self.follow_up(c, today), c.follow_up_on))

    def closed(self) -> list[Complaint]:
        """Closed complaints, most recently received first."""
        return sorted((c for c in self.repo.all() if c.stage == "closed"), key=lambda c: c.received_at, reverse=True)

    def involving(self, member_id: str) -> list[Complaint]:
        return sorted(
            (c for c in self.repo.all() if member_id in c.member_ids), key=lambda c: c.received_at, reverse=True
        )

    def counts(self, first: date, last: date) -> tuple[Counter, Counter]:
        """Root causes (of those resolved: a reopened one's first answer may be wrong) and categories
        for complaints received in the period."""
        period = [c for c in self.repo.with_sealed(first) if first <= self.received_day(c) <= last]
        return (
            Counter(c.root_cause.strip().lower() for c in period if c.stage in REOPENABLE and c.root_cause.strip()),
            Counter(c.category.strip().lower() for c in period),
        )

    # -- writing -----------------------------------------------------------------------------------
    def _event(self, what: str, note: str = "") -> Event:
        return Event(at=self.store.now_stamp(), by=self.store.actor.login, what=what, note=note)

    def log(self, complaint: Complaint) -> Complaint:
        first = complaint.model_copy(
            update={"stage": "received", "history": [self._event("received", f"by {complaint.channel}")]}
        )
        return self.repo.create(first)

    def _moved(self, c: Complaint, target: str, note: str, today: date) -> dict:
        """The fields a stage change sets; the caller has checked the move is allowed."""
        reopening = target == "investigating" and c.stage in REOPENABLE
        update: dict = {
            "stage": target,
            "history": [*c.history, self._event("reopened" if reopening else target, note)],
        }
        if reopening:  # a new response is owed; the first one stays in the history
            update.update(reopened_on=today, responded_on=None)
        if target == "acknowledged":
            update["acknowledged_on"] = today
        if target == "resolved":
            update["responded_on"] = today
        if target == "followed up":
            update["checklist"] = {**c.checklist, "followed_up": True}
        return update

    def move(self, c: Complaint, target: str, note: str = "", today: date | None = None) -> Complaint:
        check_move(c.stage, target, outcome=c.outcome, reason=note)
        return self.repo.update(
            c.model_copy(update=self._moved(c, target, note, today or self.clock.today())), note or target
        )

    def escalate(self, c: Complaint, level: int, reason: str, to_whom: str) -> Complaint:
        direction = check_escalation(c.level, level, reason)
        event = self._event(f"{direction} to {LEVELS[level]}", f"{reason} (to {to_whom})" if to_whom else reason)
        return self.repo.update(c.model_copy(update={"level": level, "history": [*c.history, event]}), reason)

    def set_waiting(self, c: Complaint, waiting: bool, today: date | None = None) -> Complaint:
        today = today or self.clock.today()
        if waiting:
            if c.stage in REOPENABLE:
                raise ValueError(f"it is {c.stage}: the response has gone, so there is no clock to pause")
            if c.waiting:
                raise ValueError("the clock is already paused")
            pauses = [*c.pauses, Pause(start=today)]
        else:
            if not c.waiting:
                raise ValueError("the clock is not paused")
            pauses = c.pauses_ended(today)
        event = self._event("waiting on the customer" if waiting else "customer replied: clock running again")
        return self.repo.update(c.model_copy(update={"pauses": pauses, "history": [*c.history, event]}))

    def resolve(self, c: Complaint, today: date | None = None, **resolution) -> Complaint:
        """Record the outcome (remedy, satisfaction, root cause, lesson, improvement) and send the
        response, in one write: a resolution is never saved on a complaint that did not move."""
        today = today or self.clock.today()
        check_move(c.stage, "resolved")
        if not (resolution.get("outcome") or "").strip():
            raise ValueError("Outcome: say how it was resolved")
        update = {
            **resolution,
            "pauses": c.pauses_ended(today),  # the response stops the clock: the wait is over
            "checklist": {**c.checklist, "action_taken": True},
            **self._moved(c, "resolved", "response sent", today),
        }
        if resolution.get("remedy") == "refund" and c.goods() and not c.refund_agreed_on:
            update["refund_agreed_on"] = today  # starts the Consumer Rights Act's 14 days to pay it
        return self.repo.update(c.model_copy(update=update), "resolved: response sent")

    def set_checklist(self, c: Complaint, done: dict[str, bool]) -> Complaint:
        """Tick or untick the handling steps (HEAT and the five steps)."""
        unknown = set(done) - {key for key, _ in HANDLING_STEPS}
        if unknown:
            raise ValueError(f"not a handling step: {', '.join(sorted(unknown))}")
        return self.repo.update(c.model_copy(update={"checklist": {**c.checklist, **done}}), "handling checklist")

    def set_goods(
        self,
        c: Complaint,
        ownership_date: date,
        delivery_date: date,
        *,
        trader_installs: bool = False,
        installed_on: date | None = None,
        motor_vehicle: bool = False,
        refund_agreed_on: date | None = None,
    ) -> Complaint:
        """The goods details behind the Consumer Rights Act guide (the model keeps the dates in order).
        An older record's single 'bought or delivered' date is replaced by the two it stood for."""
        update = {
            "ownership_date": ownership_date,
            "delivery_date": delivery_date,
            "trader_installs": trader_installs,
            "installed_on": installed_on if trader_installs else None,
            "motor_vehicle": motor_vehicle,
            "refund_agreed_on": refund_agreed_on,
            "purchase_date": None,
        }
        return self.repo.update(c.model_copy(update=update), "goods details")

    def save_repair(self, c: Complaint, repair: Repair, index: int | None = None) -> Complaint:
        """Record a repair or replacement asked for (``index`` None) or change one already recorded (its
        return, whether it failed, or a corrected date). The history says what happened."""
        repairs = list(c.repairs)
        if index is None:
            repairs.append(repair)
            event = self._event(f"{repair.kind} asked for", f"on {repair.requested_on:%d/%m/%Y}")
        else:
            before = repairs[index]
            repairs[index] = repair
            if repair.back_on and not before.back_on:
                event = self._event(
                    f"{repair.kind} back" + (": still faulty" if repair.failed else ""), f"on {repair.back_on:%d/%m/%Y}"
                )
            elif repair.failed and not before.failed:
                event = self._event(f"{repair.kind} failed", f"back on {repair.back_on:%d/%m/%Y}")
            else:
                event = self._event(f"{repair.kind} details corrected", f"asked for on {repair.requested_on:%d/%m/%Y}")
        repairs.sort(key=lambda r: r.requested_on)
        return self.repo.update(c.model_copy(update={"repairs": repairs, "history": [*c.history, event]}), event.what)

    def remove_repair(self, c: Complaint, index: int, reason: str) -> Complaint:
        """Take off a repair or replacement recorded by mistake; the reason stays in the history."""
        if not reason.strip():
            raise ValueError("Taking a repair off the record needs a reason")
        gone = c.repairs[index]
        repairs = [r for i, r in enumerate(c.repairs) if i != index]
        event = self._event(f"{gone.kind} taken off", f"{reason} (asked for on {gone.requested_on:%d/%m/%Y})")
        return self.repo.update(c.model_copy(update={"repairs": repairs, "history": [*c.history, event]}), reason)

    def correct(self, c: Complaint, reason: str, **changes: object) -> Complaint:
        """Correct what was logged about a complaint (read at its version), saying why: a wrong received
        time, channel, category, customer's details... Its clocks are worked out from the corrected
        receipt from now on. The history says what changed and why; the journal keeps both versions.
        Refused, saying why, when the correction changes nothing or would make the record invalid (a
        receipt after it was acknowledged, say)."""
        unknown = sorted(set(changes) - set(CORRECTABLE))
        if unknown:
            raise ValueError(f"not something a correction changes: {', '.join(unknown)}")
        if not (reason or "").strip():
            raise ValueError("Why the change: say why; it is kept in the history with the old and new values")
        if changes.get("received_at", c.received_at) != c.received_at:
            self._received_fits(c, str(changes["received_at"]))
        corrected = self.repo.checked(c.model_copy(update=changes))
        changed = [name for name in CORRECTABLE if getattr(corrected, name) != getattr(c, name)]
        if not changed:
            raise ValueError("Nothing to correct: every detail is as it was")
        said = []
        for name in changed:
            label, with_value = CORRECTABLE[name]
            if not with_value:
                said.append(f"{label} changed")
            elif name == "received_at":
                said.append(
                    f"{label} {self._shown_moment(c.received_at)} → {self._shown_moment(corrected.received_at)}"
                )
            else:
                said.append(f"{label} {_text(getattr(c, name))} → {_text(getattr(corrected, name))}")
        event = self._event("details corrected", f"{reason.strip()} ({'; '.join(said)})")
        return self.repo.correct(corrected.model_copy(update={"history": [*c.history, event]}), reason)

    def _received_fits(self, c: Complaint, stamp: str) -> None:
        """A corrected receipt still comes before every step taken on the complaint (said in these
        words, under Received; a stamp that is not one is the model's to refuse)."""
        try:
            received = moment_day(stamp, self.tz)
        except ValueError:
            return
        if received > self.clock.today():
            return  # in the future: the model says so, which is the first thing to put right
        steps = [
            ("acknowledged", c.acknowledged_on),
            ("responded to", c.responded_on),
            ("reopened", c.reopened_on),
            ("waiting on the customer from", c.pauses[0].start if c.pauses else None),
        ]
        for words, day in steps:
            if day is not None and received > day:
                raise ValueError(
                    f"Received: it was {words} {day:%d/%m/%Y}, so it cannot have come in later ({received:%d/%m/%Y})"
                )

    def _shown_moment(self, stamp: str) -> str:
        return f"{to_local(parse_utc(stamp), self.tz):%d/%m/%Y %H:%M}"

    def void(self, complaint_id: str, reason: str) -> Complaint:
        """Void a complaint logged by mistake (twice, or not a complaint), as it stands now, with why.
        It stays on record with the reason, out of every list, count and export."""
        return self.repo.void(self.repo.get(complaint_id), reason)

    # -- CSV ---------------------------------------------------------------------------------------
    def import_csv(self, text: str) -> Imported[Complaint]:
        """All or nothing. A complaint already on record (same moment, customer and summary) is
        skipped when its details agree and refused, naming it, when they do not."""

        def convert(row: dict[str, str]) -> Complaint:
            problems = []
            received = utc_stamp(self.clock.now())  # a stand-in, so the other fields are checked too
            try:
                received = utc_stamp(self.read_received(row["received"]))
            except ValueError as exc:
                problems.append(f"Received: {exc}")
            channel = row["channel"].strip().lower()
            if channel not in CHANNELS:  # a blank is not taken to mean 'phone': the old log must say
                problems.append(
                    f"Channel: {row['channel']!r} is not a channel; use one of {', '.join(CHANNELS)}"
                    if channel
                    else f"Channel: it is blank; say how it came in: {', '.join(CHANNELS)}"
                )
            severity = row["severity"].strip().lower()
            if severity not in Severity.__members__:
                problems.append(
                    f"Severity: {row['severity']!r} must be low, medium, high or critical"
                    if severity
                    else "Severity: it is blank; say low, medium, high or critical"
                )
            try:
                complaint = self.repo.checked(
                    Complaint.model_construct(
                        received_at=received,
                        channel=channel if channel in CHANNELS else "phone",
                        customer_name=row["customer"],
                        category=row["category"],
                        summary=row["summary"],
                        severity=Severity[severity] if severity in Severity.__members__ else Severity.medium,
                        product=row.get("product", ""),
                        wants=row.get("wants", ""),
                        owner=row.get("owner", ""),
                        customer_contact=row.get("contact", ""),
                        history=[
                            Event(
                                at=received,
                                by=self.store.actor.login,
                                what="received",
                                note="imported from the old log",
                            )
                        ],
                    )
                )
            except ValidationError as exc:
                problems += explain(exc, Complaint)
            if problems:
                raise ValueError("\n".join(problems))
            return complaint

        rows = read_rows(text, IMPORT_REQUIRED, IMPORT_OPTIONAL)
        columns = set(rows[0][1]) if rows else set()
        compared = {
            "customer_name": "the customer",
            "channel": "the channel",
            "category": "the category",
            "severity": "the severity",
        }
        compared |= {
            field: f"the {column}"
            for column, field in (
                ("product", "product"),
                ("wants", "wants"),
                ("owner", "owner"),
                ("contact", "customer_contact"),
            )
            if column in columns
        }
        identity = Identity[Complaint](
            key=lambda c: (c.received_at, name_key(c.customer_name), c.summary),
            describe=lambda c: (
                f"the complaint from {c.customer_name} received "
                f"{to_local(parse_utc(c.received_at), self.tz):%d/%m/%Y %H:%M}"
            ),
            compared=compared,
        )
        complaints, skipped = sort_rows(rows, convert, Complaint, identity, self.repo.all())
        if not complaints:
            return Imported([], skipped)
        with self.store.transaction() as txn:
            created = [txn.create("complaints", "C", c.fields(), "imported from the old log") for c in complaints]
        return Imported(as_stored(complaints, created), skipped)

    def export(self, first: str | None, last: str | None, fmt: str) -> str:
        start = self.clock.read_optional_date(first or "")
        end = self.clock.read_optional_date(last or "")
        today = self.clock.today()
        policy = self.policy
        rows = []
        for c in sorted(self.repo.with_sealed(start), key=lambda c: c.received_at):  # sealed ones too
            day = self.received_day(c)
            if (start and day < start) or (end and day > end):
                continue
            ack, final = self.clocks(c, today)
            summary_by, summary = self.summary_resolution(c)
            rows.append(
                {
                    "reference": c.id,
                    "received": f"{to_local(parse_utc(c.received_at), self.tz):%d/%m/%Y %H:%M}",
                    "channel": c.channel,
                    "customer": c.customer_name,
                    "category": c.category,
                    "severity": c.severity.value,
                    "stage": c.stage,
                    "level": LEVELS[c.level],
                    "acknowledgement_due": f"{ack.due:%d/%m/%Y}",
                    "acknowledged": _day(c.acknowledged_on),
                    "acknowledgement_met": _met(ack),
                    "final_response_due": f"{final.due:%d/%m/%Y}",
                    "responded": _day(c.responded_on),
                    "final_response_met": _met(final),
                    "summary_resolution": summary if policy.fca else "n/a",
                    "summary_resolution_by": f"{summary_by:%d/%m/%Y}" if policy.fca else "",
                    "root_cause": c.root_cause,
                    "remedy": c.remedy,
                    "satisfied": "" if c.satisfied is None else _yes_no(c.satisfied),
                }
            )
        if fmt == "csv":
            return csv_text(EXPORT_COLUMNS, rows)
        lines = ["# Complaints", "", *md_table(EXPORT_COLUMNS, ([r[k] for k in EXPORT_COLUMNS] for r in rows))]
        return "\n".join(lines) + "\n"


def _day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _met(clock: DeadlineClock) -> str:
    return {"met": "yes", "met late": "no (late)", "breached": "no (breached)"}.get(clock.status, "open")


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _text(value: object) -> str:
    """A detail as a correction's history line names it ('—' for blank)."""
    return str(getattr(value, "value", value)) or "—"
