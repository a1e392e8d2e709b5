"""The subject access request log on a real record file: every change audited with its reason, the
list open-first by due date, what is due soon, and the rules the service holds (UK GDPR Art. 12(3))."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.subject_access import ExtensionRefused
from supervisor_tui.services import ConflictError, Records
from supervisor_tui.storage import Actor, Store

TODAY = date(2026, 10, 20)  # a Tuesday
CLOCK = Clock.fixed(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))


@pytest.fixture
def rec(db_path) -> Records:
    return Records(Store(str(db_path), clock=CLOCK.now), CLOCK)


@pytest.fixture
def sam(rec: Records) -> Member:
    return rec.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=30, date_of_birth=date(1990, 1, 1))
    )


def reasons(rec: Records, reference: str) -> list[str | None]:
    return [change.reason for change in rec.subject_access.repo.history(reference)]


def due(rec: Records, reference: str) -> date:
    deadline = rec.subject_access.deadline(rec.subject_access.get(reference))
    assert deadline is not None
    return deadline.due


def test_a_customers_request_is_logged_with_its_due_date_and_audited(rec: Records, db_path):
    service = rec.subject_access
    saved = service.log("Jo Bloggs", date(2026, 9, 3), how="email")
    assert saved.id == "SAR-0001" and saved.whose == "customer" and saved.member_id == ""
    deadline = service.deadline(saved)
    assert deadline is not None and deadline.due == date(2026, 10, 5)  # Sat 3 Oct -> Mon 5 Oct
    assert reasons(rec, "SAR-0001") == ["subject access request received (UK GDPR Art. 15)"]
    again = Records(Store(str(db_path), clock=CLOCK.now), CLOCK)  # another session reads it back
    assert again.subject_access.get("SAR-0001").received_how == "email"


def test_a_member_of_staff_must_be_on_the_team(rec: Records, sam: Member):
    saved = rec.subject_access.log("Sam Patel", date(2026, 10, 1), member_id=sam.saved_id)
    assert (saved.whose, saved.member_id) == ("member", sam.id)
    with pytest.raises(ValueError, match="there is no M-0042 on the team"):
        rec.subject_access.log("Someone", date(2026, 10, 1), member_id="M-0042")
    with pytest.raises(ValueError, match="there is no C-0001 on the team"):  # same number, another kind of record
        rec.subject_access.log("Someone", date(2026, 10, 1), member_id="C-0001")
    assert len(rec.subject_access.repo.all()) == 1


def test_a_request_received_in_the_future_is_refused(rec: Records):
    with pytest.raises(ValueError, match="Received on: 21/10/2026 is in the future"):
        rec.subject_access.log("Jo Bloggs", date(2026, 10, 21))


def test_the_identity_check_moves_the_month_and_is_audited(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 10, 1))
    checked = service.record_identity_check(request, date(2026, 10, 8), "passport seen")
    deadline = service.deadline(checked)
    assert deadline is not None and (deadline.starts, deadline.due) == (
        date(2026, 10, 8),
        date(2026, 11, 9),
    )  # Sun 8 Nov
    assert reasons(rec, "SAR-0001")[-1] == "identity checked on 08/10/2026 (UK GDPR Art. 12(6))"


def test_a_clarification_stops_the_clock_until_it_comes(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 10, 1))
    waiting = service.record_clarification(request, date(2026, 10, 2))
    assert service.deadline(waiting) is None and service.view(waiting).left == "clock stopped"
    came = service.record_clarification(waiting, date(2026, 10, 2), date(2026, 10, 12))
    deadline = service.deadline(came)
    assert deadline is not None and deadline.due == date(2026, 11, 12)
    assert "the month runs from then (UK GDPR Art. 12(3))" in (reasons(rec, "SAR-0001")[-1] or "")


def test_an_extension_within_the_first_month_gives_three_months(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 10, 1))
    extended = service.extend(request, "eight years of call recordings to review")
    deadline = service.deadline(extended)
    assert deadline is not None and deadline.due == date(2027, 1, 4)  # 1 Jan 2027 is a bank holiday, then a weekend
    assert extended.extension_told_on == TODAY
    assert reasons(rec, "SAR-0001")[-1] == (
        "extended by two months under UK GDPR Art. 12(3): eight years of call recordings to review"
    )


def test_an_extension_after_the_first_month_is_refused_and_nothing_is_written(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 9, 3))  # the first month ended Mon 5 Oct
    head = rec.store.head
    with pytest.raises(ExtensionRefused, match=r"UK GDPR Art\. 12\(3\) requires the person to be told"):
        service.extend(request, "complex")
    with pytest.raises(ExtensionRefused, match="told on 06/10/2026 is after it"):
        service.extend(request, "complex", date(2026, 10, 6))
    assert rec.store.head == head and not service.get("SAR-0001").extended
    assert service.extend(request, "complex", date(2026, 10, 5)).extended  # told on the last day: in time


def test_delivered_is_the_end_of_it(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 9, 3))
    delivered = service.deliver(request, date(2026, 10, 7), "secure email")
    view = service.view(delivered)
    assert (view.state, view.left) == ("delivered", "late 2d")
    assert reasons(rec, "SAR-0001")[-1] == "delivered on 07/10/2026 (late 2d; UK GDPR Art. 15)"
    with pytest.raises(ValueError, match="SAR-0001 is delivered: it is too late to record an identity check"):
        service.record_identity_check(delivered, date(2026, 10, 8))
    with pytest.raises(ValueError, match="SAR-0001 is delivered: it is too late to close it as withdrawn"):
        service.close(delivered, "withdrawn", "changed their mind")


def test_closing_needs_a_reason_and_says_how(rec: Records):
    service = rec.subject_access
    request = service.log("Jo Bloggs", date(2026, 10, 1))
    with pytest.raises(ValueError, match="a request refused needs the reason"):
        service.close(request, "refused", "   ")
    closed = service.close(request, "refused", "the fourth identical request this month")
    assert (closed.closed_as, closed.closed_on, service.view(closed).state) == ("refused", TODAY, "refused")
    assert reasons(rec, "SAR-0001")[-1] == "refused: the fourth identical request this month"


def test_the_list_is_open_first_by_due_date_then_the_answered(rec: Records):
    service = rec.subject_access
    late = service.log("Late Lucy", date(2026, 9, 10))  # due Mon 12 Oct: overdue
    later = service.log("Later Len", date(2026, 10, 15))  # due Mon 16 Nov
    soon = service.log("Soon Sue", date(2026, 9, 25))  # due Mon 26 Oct
    waiting = service.record_clarification(service.log("Waiting Wes", date(2026, 10, 2)), date(2026, 10, 3))
    service.deliver(service.log("Done Dee", date(2026, 9, 1)), date(2026, 9, 30))
    service.close(service.log("Gone Gus", date(2026, 10, 5)), "withdrawn", "no longer wanted")
    everything = [v.request.requester for v in service.requests(today=TODAY)]
    assert everything == ["Late Lucy", "Soon Sue", "Later Len", "Waiting Wes", "Gone Gus", "Done Dee"]
    assert [v.id for v in service.requests(open_only=True, today=TODAY)] == [late.id, soon.id, later.id, waiting.id]
    due = service.due_soon(TODAY, within_days=7)
    assert [(v.request.requester, v.left) for v in due] == [("Late Lucy", "overdue 8d"), ("Soon Sue", "6 days left")]
    assert [v.request.requester for v in service.due_soon(TODAY, within_days=27)] == [
        "Late Lucy",
        "Soon Sue",
        "Later Len",
    ]


def test_the_teams_region_decides_the_bank_holidays(rec: Records):
    service = rec.subject_access
    request = service.log("Morag Reid", date(2025, 12, 2))
    assert due(rec, request.saved_id) == date(2026, 1, 2)  # a working day in England
    rec.settings.change("the team is in Glasgow", region="SCT")
    # Worked out, not stored: the same request now counts Scotland's 2 January holiday (then a weekend).
    assert due(rec, request.saved_id) == date(2026, 1, 5)


def test_a_stale_request_is_refused_naming_who_saved(rec: Records, db_path):
    other = Records(
        Store(str(db_path), clock=CLOCK.now, actor=Actor(login="alice", uid=1001, ssh="10.0.0.7:50122")), CLOCK
    )
    request = rec.subject_access.log("Jo Bloggs", date(2026, 10, 1))
    other.store.refresh()  # as the app does when another session saves
    other.subject_access.record_identity_check(other.subject_access.get(request.saved_id), date(2026, 10, 2))
    with pytest.raises(ConflictError) as refused:
        rec.subject_access.deliver(request, date(2026, 10, 3))
    assert refused.value.changed_by.startswith("alice")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("sar-1", None),
        ("SAR1", None),
        (" SAR-0001 ", None),
        ("SAR-0002", "There is no subject access request SAR-0002"),
        ("C-0001", "'C-0001' is not a subject access request reference"),
        ("", "is not a subject access request reference"),
    ],
)
def test_references_as_people_type_them(rec: Records, typed, message):
    rec.subject_access.log("Jo Bloggs", date(2026, 10, 1))
    if message is None:
        assert rec.subject_access.get(typed).id == "SAR-0001"
    else:
        with pytest.raises(ValueError, match=message):
            rec.subject_access.get(typed)


def test_the_csv_export_guards_formulas(rec: Records):
    rec.subject_access.log("Jo Bloggs", date(2026, 10, 1), how="=HYPERLINK(evil)")
    lines = rec.subject_access.export_csv(today=TODAY).splitlines()
    assert lines[0].startswith("reference,who,requester_is,member,received,received_how")
    assert lines[1].startswith("SAR-0001,Jo Bloggs,customer,,01/10/2026,'=HYPERLINK(evil),")
