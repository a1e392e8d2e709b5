"""The subject access request forms: log a request, and each step of one (the identity check, a
clarification, an extension, delivery, closing). Each save reads the request afresh (another session
may have moved it on) and redraws the list once the form is closed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ...domain.subject_access import CLOSINGS, ExtensionRefused, SubjectAccessRequest
from ...widgets.form import Field, FormErrors, RecordForm, parse_each

if TYPE_CHECKING:
    from .requests import RequestsScreen

WHOSE_OPTIONS = [("member of staff", "member"), ("customer", "customer")]


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _open_form(
    screen: RequestsScreen,
    title: str,
    fields: list[Field],
    values: dict[str, Any],
    save: Callable[[dict], SubjectAccessRequest],
    done: str,
) -> None:
    """Push the form; once saved, say ``done`` (formatted with the saved request as ``r`` and its due
    date as ``due``) and redraw the list."""

    def closed(saved: SubjectAccessRequest | None) -> None:
        if saved is not None:
            deadline = screen.records.subject_access.deadline(saved)
            due = f"{deadline.due:%a %d/%m/%Y}" if deadline else "not started: the clarification has not come"
            screen.notify(done.format(r=saved, due=due), title="Subject access")
            screen.reload()

    screen.app.push_screen(RecordForm(title, fields, values, save), closed)


def open_log_form(screen: RequestsScreen) -> None:
    """Log a request received, today unless said otherwise; the toast says when it is due."""
    records = screen.records
    fields = [
        Field("requester", "Who asked", required=True, hint="their name as they gave it"),
        Field("whose", "Requester is", "choice", required=True, options=WHOSE_OPTIONS),
        Field(
            "member_id",
            "Member of staff",
            "choice",
            options=[(m.name, m.saved_id) for m in records.team.members(include_inactive=True)],
        ),
        Field("received_on", "Received on", "date", required=True, hint="day one of the month (UK GDPR Art. 12(3))"),
        Field("received_how", "How it was received", hint="email, letter, in person, phone…"),
        Field("notes", "Notes", "long", hint="what they asked for, in their words"),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        received = parse_each(values, {"received_on": records.clock.read_date})["received_on"]
        if values["whose"] == "member" and not values["member_id"]:
            raise FormErrors({"member_id": "choose the member of staff who asked"})
        if values["whose"] == "customer" and values["member_id"]:
            raise FormErrors({"member_id": "leave blank for a customer's request"})
        return records.subject_access.log(
            values["requester"],
            received,
            member_id=values["member_id"],
            how=values["received_how"],
            notes=values["notes"],
        )

    _open_form(
        screen,
        "Log a subject access request (UK GDPR Art. 15)",
        fields,
        {"received_on": "today"},
        save,
        "Logged {r.id}: due {due} (one month, UK GDPR Art. 12(3))",
    )


def open_identity_form(screen: RequestsScreen, request: SubjectAccessRequest) -> None:
    records, ref = screen.records, request.saved_id
    fields = [
        Field(
            "identity_checked_on",
            "Identity checked on",
            "date",
            required=True,
            hint="the day what confirms who they are arrived: the month may run from then",
        ),
        Field("identity_how", "How identity was checked", hint="e.g. passport seen, known to the team"),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        on = parse_each(values, {"identity_checked_on": records.clock.read_date})["identity_checked_on"]
        return records.subject_access.record_identity_check(records.subject_access.get(ref), on, values["identity_how"])

    values = {
        "identity_checked_on": _day(request.identity_checked_on) or "today",
        "identity_how": request.identity_how,
    }
    _open_form(screen, f"Identity check for {ref}", fields, values, save, "{r.id}: identity checked; due {due}")


def open_clarification_form(screen: RequestsScreen, request: SubjectAccessRequest) -> None:
    records, ref = screen.records, request.saved_id
    fields = [
        Field("clarification_asked_on", "Clarification asked on", "date", required=True),
        Field(
            "clarification_received_on",
            "Clarification received on",
            "date",
            hint="blank until it comes: the month starts from that day",
        ),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        read, optional = records.clock.read_date, records.clock.read_optional_date
        got = parse_each(values, {"clarification_asked_on": read, "clarification_received_on": optional})
        return records.subject_access.record_clarification(
            records.subject_access.get(ref), got["clarification_asked_on"], got["clarification_received_on"]
        )

    values = {
        "clarification_asked_on": _day(request.clarification_asked_on) or "today",
        "clarification_received_on": _day(request.clarification_received_on),
    }
    _open_form(screen, f"Clarification for {ref}", fields, values, save, "{r.id}: clarification recorded; due {due}")


def open_extension_form(screen: RequestsScreen, request: SubjectAccessRequest) -> None:
    """Two further months for a complex or numerous request: the person is told, with the reasons,
    within the first month (UK GDPR Art. 12(3))."""
    records, ref = screen.records, request.saved_id
    deadline = records.subject_access.deadline(request)
    by = f"by {deadline.first_month:%a %d/%m/%Y}, the end of the first month" if deadline else "within the first month"
    fields = [
        Field("extension_reason", "Why it was extended", "long", required=True, hint="the reasons they are given"),
        Field("extension_told_on", "Told of the extension on", "date", required=True, hint=f"{by} (Art. 12(3))"),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        told = parse_each(values, {"extension_told_on": records.clock.read_date})["extension_told_on"]
        try:
            return records.subject_access.extend(records.subject_access.get(ref), values["extension_reason"], told)
        except ExtensionRefused as exc:
            raise FormErrors({"extension_told_on": str(exc)}) from None

    _open_form(
        screen,
        f"Extend {ref} by two months (UK GDPR Art. 12(3))",
        fields,
        {"extension_told_on": "today"},
        save,
        "{r.id} extended: due {due}",
    )


def open_delivery_form(screen: RequestsScreen, request: SubjectAccessRequest) -> None:
    records, ref = screen.records, request.saved_id
    fields = [
        Field("delivered_on", "Delivered on", "date", required=True, hint="the day their copy went to them"),
        Field("delivered_how", "How it was delivered", hint="e.g. secure email, recorded post"),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        on = parse_each(values, {"delivered_on": records.clock.read_date})["delivered_on"]
        return records.subject_access.deliver(records.subject_access.get(ref), on, values["delivered_how"])

    _open_form(screen, f"Deliver {ref}", fields, {"delivered_on": "today"}, save, "{r.id} delivered")


def open_close_form(screen: RequestsScreen, request: SubjectAccessRequest) -> None:
    records, ref = screen.records, request.saved_id
    fields = [
        Field(
            "closed_as",
            "Closed as",
            "choice",
            required=True,
            options=[(c, c) for c in CLOSINGS],
        ),
        Field(
            "close_reason",
            "Why it was closed",
            "long",
            required=True,
            hint="refused only if manifestly unfounded or excessive (Art. 12(5)); tell them why and that "
            "they may complain to the ICO (Art. 12(4))",
        ),
    ]

    def save(values: dict) -> SubjectAccessRequest:
        return records.subject_access.close(
            records.subject_access.get(ref), values["closed_as"], values["close_reason"]
        )

    _open_form(screen, f"Close {ref}", fields, {}, save, "{r.id} closed as {r.closed_as}")
