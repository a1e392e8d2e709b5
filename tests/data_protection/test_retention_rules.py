"""The retention schedule's rules, without Textual or storage. Each case names the law it holds to."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.retention import (
    COMPLAINT_CUSTOMER,
    KINDS,
    MEMBER_DETAILS,
    LegalHold,
    check_period,
    due_on,
    fully_erased,
    marker,
    parse_period,
    schedule,
    stand_ins,
)


@pytest.mark.parametrize(
    "key, months, fca, refused",
    [
        pytest.param("rota", 23, False, "WTR 1998 reg 9", id="WTR reg 9: working-time records kept two years"),
        pytest.param("rota", 24, False, None, id="WTR reg 9: two years is enough"),
        pytest.param(
            "complaint_customer", 35, True, "DISP 1.9.1R", id="FCA DISP 1.9.1R: complaint records three years"
        ),
        pytest.param("complaint_customer", 6, False, None, id="no FCA rule: the team decides (Art. 5(1)(e))"),
        pytest.param("one_to_ones", 1, False, None, id="no law sets a minimum for one-to-one notes"),
    ],
)
def test_a_period_below_the_laws_minimum_is_refused_naming_the_law(key, months, fca, refused):
    if refused is None:
        assert check_period(key, months, fca=fca) == months
    else:
        with pytest.raises(ValueError, match=refused):
            check_period(key, months, fca=fca)


def test_a_setting_saved_before_the_policy_became_fca_is_lifted_to_the_fca_minimum():
    """DISP 1.9.1R applies from the moment the team is FCA-regulated, whatever was set before."""
    assert schedule({"complaint_customer": 6}, fca=True)["complaint_customer"].months == 36
    assert schedule({"complaint_customer": 6}, fca=False)["complaint_customer"].months == 6


@pytest.mark.parametrize(
    "text, months",
    [("6 months", 6), ("3 years", 36), ("2y", 24), ("18m", 18), ("18", 18), (" 1 Year ", 12)],
)
def test_periods_are_typed_in_months_or_years(text, months):
    assert parse_period(text) == months


@pytest.mark.parametrize("text", ["", "six months", "0", "-3", "3 weeks", "2y3m", "51 years"])
def test_a_period_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.parametrize(
    "since, months, due",
    [
        pytest.param(date(2026, 3, 3), 6, date(2026, 9, 3), id="the same date six months on"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="no 31 February: the month's last day"),
        pytest.param(date(2027, 8, 31), 6, date(2028, 2, 29), id="a leap year's 29 February"),
        pytest.param(date(2024, 2, 29), 24, date(2026, 2, 28), id="two years from a 29 February"),
    ],
)
def test_a_period_of_months_is_kept_whole(since, months, due):
    """Art. 5(1)(e): kept no longer than the period, and not a day less of it."""
    assert due_on(since, months) == due


def _complaint() -> Complaint:
    return Complaint.model_validate(
        {
            "id": "C-0001",
            "received_at": "2026-01-05T10:00:00.000000Z",
            "customer_name": "Mrs J Smith",
            "customer_contact": "07700 900123",
            "category": "faulty goods",
            "summary": "Kettle stopped working",
            "wants": "a refund",
            "stage": "closed",
            "root_cause": "supplier quality",
            "outcome": "Refund agreed",
            "history": [{"at": "2026-01-05T10:00:00.000000Z", "by": "root", "what": "received", "note": "by phone"}],
        }
    )


def test_a_customers_stand_ins_keep_the_facts_the_statistics_count():
    """Art. 17 takes the personal data; the complaint still counts (category, root cause, dates, stage)."""
    note = marker(date(2026, 11, 24), "erasure request (Art. 17)")
    c = _complaint()
    out = stand_ins(c, COMPLAINT_CUSTOMER, note)
    assert out["customer_name"] == note and out["summary"] == note
    assert out["customer_contact"] == "" and out["wants"] == "" and out["outcome"] == ""
    assert out["history"][0]["what"] == "received" and out["history"][0]["note"] == note
    assert out["history"][0]["at"] == "2026-01-05T10:00:00.000000Z"
    assert set(out["erased"]) == set(COMPLAINT_CUSTOMER.plans[Complaint])
    assert not {"category", "root_cause", "stage", "received_at"} & set(out)
    # the erased record still reads, and still passes a later edit's checks
    erased = Complaint.model_validate({**c.model_dump(mode="json"), **out})
    Complaint.model_validate(erased.model_dump(mode="json"), context={"today": date(2026, 11, 24)})
    assert fully_erased(erased, COMPLAINT_CUSTOMER)


def test_every_stand_in_fits_its_field_so_an_erased_record_can_still_be_edited():
    """A marker longer than a field's maximum would make the record refuse every later edit."""
    note = marker(date(2026, 11, 24), "x" * 200, width=400)
    c = _complaint()
    out = stand_ins(c, COMPLAINT_CUSTOMER, note)
    assert len(out["customer_name"]) <= 80


_SAR = {"requester": "Jo Bloggs", "whose": "customer", "received_on": "2025-01-06", "received_how": "email"}


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({"delivered_on": "2025-02-03", "delivered_how": "post"}, id="delivered"),
        pytest.param(
            {"extended": True, "extension_reason": "Jo's request is complex", "extension_told_on": "2025-01-20"},
            id="extended: Art. 12(3) requires the reasons, so the erased one still gives one (the marker)",
        ),
        pytest.param(
            {"closed_as": "refused", "closed_on": "2025-01-10", "close_reason": "manifestly unfounded"},
            id="refused: Art. 12(5) - a closed request keeps a reason",
        ),
        pytest.param(
            {"closed_as": "withdrawn", "closed_on": "2025-01-10", "close_reason": "Jo withdrew it by phone"},
            id="withdrawn",
        ),
    ],
)
def test_an_erased_subject_access_request_is_still_a_valid_one_in_every_state(state):
    """Its dates and outcome stay (Art. 5(2): it was answered in time); its words go."""
    from supervisor_tui.domain.retention import SUBJECT_ACCESS
    from supervisor_tui.domain.subject_access import SubjectAccessRequest

    request = SubjectAccessRequest.model_validate({**_SAR, **state, "id": "SAR-0001", "version": 1})
    note = marker(date(2026, 11, 24), "retention schedule")
    out = stand_ins(request, SUBJECT_ACCESS, note)
    erased = SubjectAccessRequest.model_validate({**request.model_dump(mode="json"), **out})
    SubjectAccessRequest.model_validate(erased.model_dump(mode="json"), context={"today": date(2026, 11, 24)})
    assert erased.requester == note and erased.received_how == "" and "Jo" not in erased.model_dump_json()
    assert (erased.received_on, erased.delivered_on, erased.closed_as) == (
        request.received_on,
        request.delivered_on,
        request.closed_as,
    )


def test_every_kind_names_fields_its_records_have():
    for kind in KINDS:
        assert kind.why and kind.kept
        for model, plan in kind.plans.items():
            assert set(plan) <= set(model.model_fields), (kind.key, model.__name__)


def test_a_former_members_name_becomes_one_that_still_tells_them_apart():
    from supervisor_tui.domain.people import Member

    m = Member.model_validate(
        {
            "id": "M-0013",
            "name": "Ben Carter",
            "job_title": "Advisor",
            "contract_hours": 20,
            "date_of_birth": "2002-06-02",
        }
    )
    out = stand_ins(m, MEMBER_DETAILS, marker(date(2026, 11, 24), "retention schedule"))
    assert out["name"] == "Former member M-0013" and out["date_of_birth"] is None
    erased = Member.model_validate({**m.model_dump(mode="json"), **out})
    assert erased.age(date(2026, 11, 24)) is None and not erased.is_under_18(date(2026, 11, 24))
    # while they are in the team a date of birth is required; once erased it may be absent
    with pytest.raises(ValueError, match="Date of birth"):
        Member.model_validate(
            {**m.model_dump(mode="json"), "date_of_birth": None}, context={"today": date(2026, 11, 24)}
        )
    Member.model_validate(erased.model_dump(mode="json"), context={"today": date(2026, 11, 24)})


def test_a_hold_is_placed_with_a_reason_and_lifted_with_one():
    """Art. 17(3)(e): held for a legal claim; the reason is the record of why."""
    today = {"today": date(2026, 11, 24)}
    with pytest.raises(ValueError):
        LegalHold.model_validate({"subject": "M-0001", "reason": "", "placed_on": "2026-11-01"}, context=today)
    with pytest.raises(ValueError, match="Why lifted"):
        LegalHold.model_validate(
            {"subject": "M-0001", "reason": "tribunal", "placed_on": "2026-11-01", "lifted_on": "2026-11-20"},
            context=today,
        )
    with pytest.raises(ValueError, match="future"):
        LegalHold.model_validate({"subject": "M-0001", "reason": "x", "placed_on": "2026-12-01"}, context=today)
