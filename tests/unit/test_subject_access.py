"""The subject access time limit (UK GDPR Art. 12(3), counted as the ICO's guidance 'Right of access: how
long do we have to comply?' says), the extension, and what a request record refuses. Pure: no store."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.subject_access import (
    ExtensionRefused,
    SubjectAccessRequest,
    check_extension,
    clock_start,
    corresponding_date,
    months_on,
    request_state,
    response_deadline,
    time_left,
)


def sar(received: date, **fields) -> SubjectAccessRequest:
    return SubjectAccessRequest(requester="Jo Bloggs", whose="customer", received_on=received, **fields)


# (received, months, corresponding date) -- the calendar step alone, before any weekend or holiday.
@pytest.mark.parametrize(
    "received, months, expected",
    [
        pytest.param(date(2025, 9, 3), 1, date(2025, 10, 3), id="ICO: day of receipt is day one; 3 Sep -> 3 Oct"),
        pytest.param(date(2027, 1, 31), 1, date(2027, 2, 28), id="ICO: no 31 Feb -> last day of Feb, 28th in 2027"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="ICO: no 31 Feb -> 29 Feb in the leap year 2028"),
        pytest.param(date(2027, 1, 30), 1, date(2027, 2, 28), id="ICO: no 30 Feb -> 28 Feb 2027"),
        pytest.param(date(2028, 1, 30), 1, date(2028, 2, 29), id="ICO: no 30 Feb -> 29 Feb 2028"),
        pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="Art 12(3) extension: three months, no 30 Feb"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 31), id="across the year end: 31 Dec -> 31 Jan"),
    ],
)
def test_the_corresponding_date_next_month(received, months, expected):
    assert corresponding_date(received, months) == expected


# (received, region, deadline) -- the whole rule: corresponding date, then the next working day.
@pytest.mark.parametrize(
    "received, region, due",
    [
        pytest.param(date(2025, 9, 3), "ENG", date(2025, 10, 3), id="3 Oct 2025 is a Friday: due that day"),
        pytest.param(date(2028, 1, 31), "ENG", date(2028, 2, 29), id="29 Feb 2028 is a Tuesday: due that day"),
        pytest.param(
            date(2027, 1, 31), "ENG", date(2027, 3, 1), id="28 Feb 2027 is a Sunday: next working day Mon 1 Mar"
        ),
        pytest.param(date(2027, 1, 30), "ENG", date(2027, 3, 1), id="30 Jan 2027 likewise: Sun 28 Feb -> Mon 1 Mar"),
        pytest.param(
            date(2026, 9, 3), "ENG", date(2026, 10, 5), id="ICO: weekend -> next working day; Sat 3 Oct -> Mon 5 Oct"
        ),
        pytest.param(
            date(2026, 9, 4), "ENG", date(2026, 10, 5), id="ICO: weekend -> next working day; Sun 4 Oct -> Mon 5 Oct"
        ),
        pytest.param(
            date(2026, 11, 25),
            "ENG",
            date(2026, 12, 29),
            id="ICO: public holiday; Christmas Fri 25 Dec, weekend, Boxing Day observed Mon 28 -> Tue 29",
        ),
        pytest.param(
            date(2026, 3, 6),
            "ENG",
            date(2026, 4, 7),
            id="ICO: public holiday; Easter Monday 6 Apr 2026 in England -> Tue 7 Apr",
        ),
        pytest.param(
            date(2026, 3, 6), "SCT", date(2026, 4, 6), id="Easter Monday is no bank holiday in Scotland: due Mon 6 Apr"
        ),
        pytest.param(
            date(2026, 10, 30),
            "SCT",
            date(2026, 12, 1),
            id="St Andrew's Day Mon 30 Nov is a Scottish bank holiday -> Tue 1 Dec",
        ),
        pytest.param(
            date(2026, 10, 30), "ENG", date(2026, 11, 30), id="St Andrew's Day is not one in England: due Mon 30 Nov"
        ),
        pytest.param(
            date(2025, 12, 2),
            "SCT",
            date(2026, 1, 5),
            id="2 January is a Scottish bank holiday (Fri 2 Jan 2026) -> Mon 5 Jan",
        ),
        pytest.param(
            date(2025, 12, 2), "ENG", date(2026, 1, 2), id="2 January is a working day in England: due Fri 2 Jan"
        ),
    ],
)
def test_one_month_deadline(received, region, due):
    assert months_on(received, 1, region) == due
    deadline = response_deadline(sar(received), region)
    assert deadline is not None and (deadline.starts, deadline.due) == (received, due)


@pytest.mark.parametrize(
    "received, identity, clarified, starts",
    [
        pytest.param(date(2025, 9, 3), None, None, date(2025, 9, 3), id="ICO: the clock starts on receipt"),
        pytest.param(
            date(2025, 9, 3),
            date(2025, 9, 10),
            None,
            date(2025, 9, 10),
            id="ICO: or on receipt of the ID asked for, if later",
        ),
        pytest.param(
            date(2025, 9, 3),
            date(2025, 9, 3),
            None,
            date(2025, 9, 3),
            id="ID checked the day it came: receipt is day one",
        ),
        pytest.param(
            date(2025, 9, 3),
            date(2025, 9, 5),
            date(2025, 9, 15),
            date(2025, 9, 15),
            id="ICO: or on receipt of the clarification asked for, if later still",
        ),
        pytest.param(
            date(2025, 9, 3),
            date(2025, 9, 20),
            date(2025, 9, 15),
            date(2025, 9, 20),
            id="the latest of the three: ID after the clarification",
        ),
    ],
)
def test_the_clock_starts_on_the_latest_receipt(received, identity, clarified, starts):
    assert clock_start(received, identity, clarified) == starts


def test_the_month_runs_from_a_later_identity_check():
    # ICO on Art. 12(3): within one month of receipt of the information requested to confirm identity.
    request = sar(date(2025, 9, 3), identity_checked_on=date(2025, 9, 10))
    deadline = response_deadline(request, "ENG")
    assert deadline is not None
    assert (deadline.starts, deadline.first_month, deadline.due) == (
        date(2025, 9, 10),
        date(2025, 10, 10),
        date(2025, 10, 10),
    )


def test_no_deadline_while_a_clarification_asked_for_has_not_come():
    # ICO: the clock starts on receipt of the clarification; until then there is none to count to.
    request = sar(date(2025, 9, 3), clarification_asked_on=date(2025, 9, 4))
    assert response_deadline(request, "ENG") is None
    assert request_state(request) == "awaiting clarification"
    assert time_left(request, None, date(2026, 1, 1)) == "clock stopped"
    came = request.model_copy(update={"clarification_received_on": date(2025, 9, 15)})
    deadline = response_deadline(came, "ENG")
    assert deadline is not None and deadline.due == date(2025, 10, 15)


@pytest.mark.parametrize(
    "received, region, first_month, extended_due",
    [
        pytest.param(
            date(2025, 9, 3),
            "ENG",
            date(2025, 10, 3),
            date(2025, 12, 3),
            id="Art 12(3): two further months; 3 Sep -> 3 Dec",
        ),
        pytest.param(
            date(2026, 9, 3),
            "ENG",
            date(2026, 10, 5),
            date(2026, 12, 3),
            id="three months from day one, not from the weekend-moved first deadline (Thu 3 Dec, not 5 Dec)",
        ),
        pytest.param(
            date(2026, 10, 31),
            "ENG",
            date(2026, 11, 30),
            date(2027, 2, 1),
            id="no 31 Nov -> 30 Nov; 31 Jan 2027 is a Sunday -> Mon 1 Feb",
        ),
        pytest.param(
            date(2026, 9, 25),
            "ENG",
            date(2026, 10, 26),
            date(2026, 12, 29),
            id="extended into Christmas: 25 Dec, weekend, Boxing Day observed -> Tue 29 Dec",
        ),
    ],
)
def test_an_extension_counts_three_months_from_the_same_start(received, region, first_month, extended_due):
    request = sar(received, extended=True, extension_reason="many records", extension_told_on=received)
    deadline = response_deadline(request, region)
    assert deadline is not None
    assert (deadline.first_month, deadline.due, deadline.extended) == (first_month, extended_due, True)
    assert request_state(request) == "extended"


@pytest.mark.parametrize(
    "told_on, allowed",
    [
        pytest.param(date(2026, 9, 20), True, id="told within the first month: allowed"),
        pytest.param(
            date(2026, 10, 5),
            True,
            id="told on the last day of the first month (Sat 3 Oct moved to Mon 5 Oct): allowed",
        ),
        pytest.param(date(2026, 10, 6), False, id="Art 12(3): told after the first month ended: refused"),
        pytest.param(date(2026, 12, 1), False, id="Art 12(3): told two months late: refused"),
    ],
)
def test_an_extension_must_be_told_within_the_first_month(told_on, allowed):
    request = sar(date(2026, 9, 3))
    if allowed:
        check_extension(request, told_on, "hundreds of call recordings", "ENG")
    else:
        with pytest.raises(ExtensionRefused, match=r"Art\. 12\(3\).*ended Mon 05/10/2026"):
            check_extension(request, told_on, "hundreds of call recordings", "ENG")


@pytest.mark.parametrize(
    "fields, message",
    [
        pytest.param({}, "needs the reasons", id="Art 12(3): the reasons must be given"),
        pytest.param(
            {"extended": True, "extension_reason": "many", "extension_told_on": date(2026, 9, 4)},
            "already extended",
            id="Art 12(3): two further months, once",
        ),
        pytest.param(
            {"delivered_on": date(2026, 9, 10)},
            "delivered: there is nothing left",
            id="answered already: nothing to extend",
        ),
        pytest.param(
            {"clarification_asked_on": date(2026, 9, 4)},
            "has not come",
            id="clock not started: the clarification is awaited",
        ),
    ],
)
def test_extensions_that_are_refused(fields, message):
    request = sar(date(2026, 9, 3), **fields)
    reason = "" if not fields else "many records"
    with pytest.raises(ExtensionRefused, match=message):
        check_extension(request, date(2026, 9, 5), reason, "ENG")


@pytest.mark.parametrize(
    "fields, today, message",
    [
        pytest.param({"whose": "member"}, None, "say which member of staff", id="a member of staff is named"),
        pytest.param({"member_id": "M-0001"}, None, "names no member of staff", id="a customer's request names none"),
        pytest.param({}, date(2026, 9, 2), "Received on: 03/09/2026 is in the future", id="received after today"),
        pytest.param(
            {"delivered_on": date(2026, 9, 1)},
            None,
            "is before the request was received",
            id="delivered before it came",
        ),
        pytest.param(
            {"clarification_received_on": date(2026, 9, 5)},
            None,
            "record when it was asked for first",
            id="clarification never asked for",
        ),
        pytest.param(
            {"clarification_asked_on": date(2026, 9, 6), "clarification_received_on": date(2026, 9, 5)},
            None,
            "before it was asked for",
            id="clarified before asked",
        ),
        pytest.param(
            {"extended": True, "extension_told_on": date(2026, 9, 5)},
            None,
            r"Art\. 12\(3\)",
            id="extended without reasons",
        ),
        pytest.param(
            {"extended": True, "extension_reason": "many"},
            None,
            "say when the person was told",
            id="extended, never told",
        ),
        pytest.param(
            {
                "delivered_on": date(2026, 9, 10),
                "closed_as": "refused",
                "closed_on": date(2026, 9, 10),
                "close_reason": "x",
            },
            None,
            "cannot be refused",
            id="delivered and refused",
        ),
        pytest.param({"closed_as": "withdrawn"}, None, "needs the day and the reason", id="withdrawn without a reason"),
        pytest.param({"closed_as": "ignored"}, None, "not a way to close a request", id="closed some other way"),
    ],
)
def test_a_request_record_refuses(fields, today, message):
    data = {"requester": "Jo Bloggs", "whose": "customer", "received_on": date(2026, 9, 3), **fields}
    with pytest.raises(ValidationError, match=message):
        SubjectAccessRequest.model_validate(data, context={"today": today} if today else None)


@pytest.mark.parametrize(
    "fields, today, state, left",
    [
        pytest.param({}, date(2025, 9, 20), "ID not checked", "13 days left", id="open, ID not yet checked"),
        pytest.param(
            {"identity_checked_on": date(2025, 9, 3)}, date(2025, 10, 2), "open", "1 day left", id="one day left"
        ),
        pytest.param({"identity_checked_on": date(2025, 9, 3)}, date(2025, 10, 3), "open", "due today", id="due today"),
        pytest.param({"identity_checked_on": date(2025, 9, 3)}, date(2025, 10, 6), "open", "overdue 3d", id="overdue"),
        pytest.param(
            {"delivered_on": date(2025, 10, 3)},
            date(2025, 11, 1),
            "delivered",
            "on time",
            id="delivered on the day it was due",
        ),
        pytest.param(
            {"delivered_on": date(2025, 10, 7)}, date(2025, 11, 1), "delivered", "late 4d", id="delivered late"
        ),
        pytest.param(
            {"closed_as": "withdrawn", "closed_on": date(2025, 9, 9), "close_reason": "no longer needed"},
            date(2025, 11, 1),
            "withdrawn",
            "",
            id="withdrawn",
        ),
    ],
)
def test_state_and_time_left(fields, today, state, left):
    request = sar(date(2025, 9, 3), **fields)
    assert request_state(request) == state
    assert time_left(request, response_deadline(request, "ENG"), today) == left
