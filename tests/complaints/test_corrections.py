"""Correcting and voiding a complaint (issue 15): what was logged can be corrected with why, both versions
in the history and the clocks worked out again; a correction that would make it invalid is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.services import ConflictError, Records, StoreError
from supervisor_tui.storage import Store

TODAY = date(2026, 11, 27)


@pytest.fixture
def records(db_path) -> Records:
    """The team clock at Fri 27 Nov 2026 17:00 (GMT): every day below is in the past."""
    return Records(Store(str(db_path)), Clock.fixed(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)))


def logged(records: Records, received="2026-11-23T10:15:00.000000Z") -> Complaint:
    return records.complaints.log(
        Complaint(
            received_at=received,
            customer_name="Mrs J Smith",
            category="faulty goods",
            summary="Kettle stopped working",
            channel="phone",
        )
    )


def test_a_wrong_received_date_is_corrected_and_the_clocks_follow(records):
    service = records.complaints
    c = logged(records)  # Mon 23/11: acknowledgement due two business days on, Wed 25/11
    assert service.clocks(c, TODAY)[0].due == date(2026, 11, 25)
    fixed = service.correct(
        c, "it came in by letter the week before", received_at=service.received_stamp("16/11/2026 09:00")
    )
    assert fixed.received_at == "2026-11-16T09:00:00.000000Z"
    assert [clock.due for clock in service.clocks(fixed, TODAY)] == [date(2026, 11, 18), date(2026, 12, 7)]
    assert service.clocks(fixed, TODAY)[0].status == "breached"  # not acknowledged by the 18th
    assert service.summary_resolution(fixed)[0] == date(2026, 11, 19)
    event = fixed.history[-1]
    assert event.what == "details corrected"
    assert event.note == "it came in by letter the week before (received 23/11/2026 10:15 → 16/11/2026 09:00)"
    (change,) = service.repo.corrections(c.saved_id)
    assert change.reason == "it came in by letter the week before"
    assert change.changes["received_at"] == ("2026-11-23T10:15:00.000000Z", "2026-11-16T09:00:00.000000Z")


def test_what_the_customer_said_is_named_in_the_history_only_as_changed(records):
    c = logged(records)
    fixed = records.complaints.correct(
        c, "typed in the wrong box", customer_name="Mrs J Smyth", category="delivery", severity="high"
    )
    assert (fixed.customer_name, fixed.category, fixed.severity.value) == ("Mrs J Smyth", "delivery", "high")
    # the customer's name is personal data: an erasure must not find it left in a history line
    assert fixed.history[-1].note == (
        "typed in the wrong box (customer changed; category faulty goods → delivery; severity medium → high)"
    )


@pytest.mark.parametrize(
    "changes, error, says",
    [
        # acknowledged on Wed 25/11: it cannot have been received on the 26th
        ({"received_at": "2026-11-26T09:00:00.000000Z"}, ValueError, "Received: it was acknowledged 25/11/2026"),
        ({"received_at": "2026-11-30T09:00:00.000000Z"}, ValidationError, "in the future"),
        ({"category": ""}, ValidationError, "at least 1 character"),
        ({"category": "faulty goods"}, ValueError, "Nothing to correct"),
        ({"stage": "closed"}, ValueError, "not something a correction changes: stage"),
    ],
)
def test_a_correction_that_would_make_it_invalid_is_refused(records, changes, error, says):
    c = records.complaints.move(logged(records), "acknowledged", today=date(2026, 11, 25))
    head = records.store.head
    with pytest.raises(error, match=says):
        records.complaints.correct(c, "fix", **changes)
    assert records.store.head == head


def test_a_correction_needs_a_reason_and_the_version_it_was_read_at(records, other_records):
    c = logged(records)
    with pytest.raises(ValueError, match="Why the change"):
        records.complaints.correct(c, " ", category="delivery")
    other_records.store.refresh()
    other_records.complaints.correct(other_records.complaints.get(c.saved_id), "theirs", category="post")
    records.store.refresh()
    with pytest.raises(ConflictError):
        records.complaints.correct(c, "mine", category="delivery")


def test_a_voided_complaint_leaves_every_list_and_count_but_stays_on_record(records):
    c = logged(records)
    records.complaints.void(c.saved_id, "logged twice: see the other one")
    assert records.complaints.open_by_urgency(TODAY) == [] and records.complaints.ids() == set()
    assert records.complaints.counts(date(2026, 11, 1), TODAY)[1] == {}
    assert "Mrs J Smith" not in records.complaints.export(None, None, "csv")
    assert records.complaints.get(c.saved_id).void_reason == "logged twice: see the other one"
    with pytest.raises(StoreError, match="voided"):
        records.complaints.correct(c, "too late", category="delivery")
