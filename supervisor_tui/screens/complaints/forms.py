"""The complaint forms. From the list: log a complaint, the deadline policy, the chart's period.
From a complaint's page: correct what was logged, escalate, resolve, the handling checklist, the goods
details.
Each redraws the screen it was opened from once it is closed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ...domain.complaints import (
    CHANNELS,
    HANDLING_STEPS,
    LEVELS,
    REMEDIES,
    ROOT_CAUSES,
    Complaint,
    Policy,
    Severity,
    StageError,
)
from ...domain.dates import parse_utc, to_local
from ...domain.numbers import whole_number
from ...domain.settings import REGIONS
from ...widgets.form import Field, FormErrors, RecordForm, field_errors, parse_each
from .cells import SATISFIED

if TYPE_CHECKING:
    from .overview import ComplaintsScreen
    from .page import ComplaintPage

POLICY_DAYS = ("acknowledge_business_days", "final_response_business_days", "at_risk_business_days")


def logged_fields(people: list[tuple[str, str]]) -> list[Field]:
    """What is logged about a complaint: the log form's fields, and a correction's."""
    return [
        Field("received", "Received", required=True, hint="dd/mm/yyyy hh:mm, or today 9:30"),
        Field("channel", "Channel", "choice", required=True, options=[(c, c) for c in CHANNELS]),
        Field("customer_name", "Customer", required=True, hint="name only"),
        Field("customer_contact", "Contact", hint="only what you need to reply (Data Protection Act 2018)"),
        Field("product", "Product or service"),
        Field("category", "Category", required=True, hint="e.g. faulty goods, delivery, staff, refund"),
        Field("summary", "What happened", "long", required=True, hint="facts, in the customer's words"),
        Field("wants", "What they want", hint="refund, replacement, apology…"),
        Field("severity", "Severity", "choice", required=True, options=[(s.value, s.value) for s in Severity]),
        Field("owner", "Owner", hint="who is handling it"),
        Field("member_id", "Staff involved", "choice", options=people),
    ]


# -- from the list ---------------------------------------------------------------------------------
def open_log_form(screen: ComplaintsScreen) -> None:
    """Log a new complaint, received now unless said otherwise; the toast says when to acknowledge it."""
    records = screen.records
    fields = logged_fields([(m.name, m.saved_id) for m in records.team.members()])

    def save(values: dict) -> Complaint:
        received = parse_each(values, {"received": records.complaints.received_stamp})["received"]
        member = values.pop("member_id")
        values.pop("received")
        return records.complaints.log(Complaint(received_at=received, member_ids=[member] if member else [], **values))

    def done(saved: Complaint | None) -> None:
        if saved is not None:
            screen.notify(
                f"Logged {saved.id}: acknowledge it by "
                f"{records.complaints.clocks(saved, records.clock.today())[0].due:%a %d/%m}",
                title="Complaints",
            )
            screen.reload()

    now = records.clock.local_now()
    values = {
        "received": f"{now:%d/%m/%Y %H:%M}",
        "channel": "phone",
        "severity": "medium",
        "owner": records.login,
    }
    screen.app.push_screen(RecordForm("Log a complaint", fields, values, save), done)


def open_policy_form(screen: ComplaintsScreen) -> None:
    """The deadline policy, and the team's bank-holiday region with it."""
    complaints = screen.records.complaints
    policy = complaints.policy
    fields = [
        Field("acknowledge_business_days", "Acknowledge within", "number", required=True, hint="business days"),
        Field(
            "final_response_business_days",
            "Final response within",
            "number",
            required=True,
            hint="business days (when not FCA-regulated)",
        ),
        Field(
            "fca",
            "FCA-regulated",
            "bool",
            hint="final response within 8 weeks (DISP 1.6.2R); resolved by the 3rd business day (DISP 1.5)",
        ),
        Field("at_risk_business_days", "At risk within", "number", required=True, hint="business days"),
        Field(
            "region",
            "Bank holidays",
            "choice",
            required=True,
            hint="the team's setting, for every section",
            options=[(name, code) for code, name in REGIONS.items()],
        ),
    ]

    def save(values: dict) -> Policy:
        parsed = parse_each(values, dict.fromkeys(POLICY_DAYS, whole_number))
        return complaints.set_policy(Policy(fca=values["fca"], **parsed), region=values["region"])

    values = {k: str(getattr(policy, k)) for k in POLICY_DAYS} | {"fca": policy.fca, "region": complaints.region}
    screen.app.push_screen(RecordForm("Complaint deadline policy", fields, values, save), lambda _: screen.reload())


def open_period_form(screen: ComplaintsScreen) -> None:
    """The period the chart counts; both blank goes back to the last 90 days."""
    clock = screen.records.clock
    first, last = screen.period or (None, None)
    fields = [
        Field("first", "From", "date", hint="e.g. 1/9/2026; leave both blank for the last 90 days"),
        Field("last", "To", "date", hint="e.g. 30/11/2026 or today"),
    ]

    def save(values: dict) -> tuple[date, date] | tuple[()]:
        if not (values["first"].strip() or values["last"].strip()):
            return ()  # back to the last 90 days
        got = parse_each(values, {"first": clock.read_date, "last": clock.read_date})
        if got["last"] < got["first"]:
            raise FormErrors({"last": "the end is before the start"})
        return got["first"], got["last"]

    def done(period: tuple[date, date] | tuple[()] | None) -> None:
        if period is not None:  # None: cancelled
            screen.period = period or None
            screen.reload()

    screen.app.push_screen(
        RecordForm(
            "Root causes and categories for a period",
            fields,
            {"first": f"{first:%d/%m/%Y}" if first else "", "last": f"{last:%d/%m/%Y}" if last else ""},
            save,
        ),
        done,
    )


# -- from a complaint's page (each save reads the complaint afresh: another session may have moved it on)
def open_correction_form(page: ComplaintPage) -> None:
    """Correct what was logged (a wrong received time, channel, category...), with why; the clocks follow."""
    records = page.records
    c = page.complaint
    people = [(m.name, m.saved_id) for m in records.team.members(include_inactive=True)]
    # One person involved (or none) is one choice; several stay as they are (the form has one choice).
    fields = [f for f in logged_fields(people) if f.name != "member_id" or len(c.member_ids) <= 1]

    def shown(complaint: Complaint) -> dict:
        values = {f.name: getattr(complaint, f.name) for f in fields if f.name in Complaint.model_fields}
        return values | {
            "received": f"{to_local(parse_utc(complaint.received_at), records.tz):%d/%m/%Y %H:%M}",
            "severity": complaint.severity.value,
            "member_id": complaint.member_ids[0] if complaint.member_ids else "",
        }

    def save(typed: dict) -> Complaint:
        """Over the version the form opened on (or reloaded): a change made meanwhile is a conflict."""
        changes = {k: v for k, v in typed.items() if k in Complaint.model_fields}
        if typed["received"].strip() != shown(c)["received"]:  # untouched, the stored time (to the second) stays
            changes["received_at"] = parse_each(typed, {"received": records.complaints.received_stamp})["received"]
        if "member_id" in typed:
            changes["member_ids"] = [typed["member_id"]] if typed["member_id"] else []
        try:
            return records.complaints.correct(c, typed["reason"], **changes)
        except ValidationError:
            raise  # the form puts each of the record's problems under its own field
        except ValueError as exc:  # 'Received: it was acknowledged on ...', 'Nothing to correct'
            raise FormErrors(field_errors(str(exc).splitlines(), fields)) from None

    def reload() -> dict:
        nonlocal c
        c = page.complaint
        return shown(c)

    def done(saved: Complaint | None) -> None:
        if saved is not None:
            page.notify(f"{saved.id} corrected; its history says what changed and why.", title="Complaints")
            page.reload()

    page.app.push_screen(RecordForm(f"Correct {c.id}", fields, shown(c), save, reload, reason=True), done)


def open_escalation_form(page: ComplaintPage) -> None:
    c = page.complaint
    fields = [
        Field(
            "level",
            "To",
            "choice",
            required=True,
            options=[(name, str(i)) for i, name in enumerate(LEVELS) if i != c.level],
        ),
        Field("reason", "Reason", "long", required=True, hint="why it needs to go up (or back down)"),
        Field("to_whom", "Who", hint="name or team it went to"),
    ]

    def save(values: dict) -> Complaint:
        try:
            return page.records.complaints.escalate(
                page.complaint, int(values["level"]), values["reason"], values["to_whom"]
            )
        except ValidationError:
            raise  # the form puts each of the record's problems under its own field
        except ValueError as exc:
            raise FormErrors({"reason": str(exc)}) from None

    default = str(c.level + 1 if c.level + 1 < len(LEVELS) else c.level - 1)  # up, or back down from the top
    page.app.push_screen(RecordForm(f"Escalate {c.id}", fields, {"level": default}, save), lambda _: page.reload())


def open_resolution_form(page: ComplaintPage) -> None:
    """The outcome, remedy, root cause and lesson: the response has gone."""
    c = page.complaint
    causes = list(dict.fromkeys([*ROOT_CAUSES, *([c.root_cause] if c.root_cause else [])]))
    fields = [
        Field("outcome", "Outcome", "long", required=True, hint="what was done, what was said"),
        Field("remedy", "Remedy", "choice", required=True, options=[(r, r) for r in REMEDIES]),
        Field("satisfied", "Satisfied", "choice", required=True, options=[(k, k) for k in SATISFIED]),
        Field("root_cause", "Root cause", "choice", required=True, options=[(r, r) for r in causes]),
        Field("lesson", "Lesson learned", "long"),
        Field("improvement_action", "Improvement action", hint="what will change, and who owns it"),
        Field("follow_up_on", "Follow up on", "date", hint="+1w"),
    ]

    def save(values: dict) -> Complaint:
        follow = parse_each(values, {"follow_up_on": page.records.clock.read_optional_date})
        try:
            return page.records.complaints.resolve(
                page.complaint, **{**values, **follow, "satisfied": SATISFIED[values["satisfied"]]}
            )
        except ValidationError:
            raise  # the form puts each of the record's problems under its own field
        except (StageError, ValueError) as exc:
            raise FormErrors({"outcome": str(exc)}) from None

    values = {k: getattr(c, k) or "" for k in ("outcome", "remedy", "root_cause", "lesson", "improvement_action")}
    page.app.push_screen(
        RecordForm(f"Resolve {c.id}", fields, {**values, "follow_up_on": "+1w"}, save), lambda _: page.reload()
    )


def open_checklist_form(page: ComplaintPage) -> None:
    c = page.complaint
    fields = [Field(key, label, "bool") for key, label in HANDLING_STEPS]

    def save(values: dict) -> Complaint:
        return page.records.complaints.set_checklist(page.complaint, values)

    page.app.push_screen(
        RecordForm(
            "Handling steps (HEAT and the five steps)",
            fields,
            {k: c.checklist.get(k, False) for k, _ in HANDLING_STEPS},
            save,
        ),
        lambda _: page.reload(),
    )


def open_goods_form(page: ComplaintPage) -> None:
    """When the goods were bought, delivered and installed: the Consumer Rights Act guide reads these."""
    c = page.complaint
    goods = c.goods()
    fields = [
        Field(
            "ownership_date",
            "Ownership passed",
            "date",
            required=True,
            hint="or possession, for hire or hire purchase (s.22(3)(a))",
        ),
        Field("delivery_date", "Delivered", "date", required=True, hint="the day the goods arrived"),
        Field("trader_installs", "Trader installs", "bool", hint="the contract has the trader install them"),
        Field(
            "installed_on",
            "Told installed on",
            "date",
            hint="when the trader said it was done; blank if not yet (s.22(3)(c))",
        ),
        Field("motor_vehicle", "Motor vehicle", "bool", hint="use may be deducted from a refund (s.24(10))"),
        Field("refund_agreed_on", "Refund agreed on", "date", hint="blank if none"),
    ]

    def save(values: dict) -> Complaint:
        read, optional = page.records.clock.read_date, page.records.clock.read_optional_date
        parsed = parse_each(
            values,
            {"ownership_date": read, "delivery_date": read, "installed_on": optional, "refund_agreed_on": optional},
        )
        if parsed["installed_on"] and not values["trader_installs"]:
            raise FormErrors({"installed_on": "only where the trader installs the goods: tick Trader installs"})
        return page.records.complaints.set_goods(
            page.complaint,
            trader_installs=values["trader_installs"],
            motor_vehicle=values["motor_vehicle"],
            **parsed,
        )

    def day(value: date | None) -> str:
        return f"{value:%d/%m/%Y}" if value else ""

    values = {
        "ownership_date": day(goods.ownership if goods else None),
        "delivery_date": day(goods.delivery if goods else None),
        "trader_installs": c.trader_installs,
        "installed_on": day(c.installed_on),
        "motor_vehicle": c.motor_vehicle,
        "refund_agreed_on": day(c.refund_agreed_on),
    }
    page.app.push_screen(
        RecordForm("Goods: for the Consumer Rights Act 2015 guide", fields, values, save), lambda _: page.reload()
    )
