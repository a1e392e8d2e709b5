"""Issue 11: the complaint rules as the law reads them, one table per rule, the legal reason on every case.

FCA DISP 1.6.2R (8 weeks, no stop-the-clock) and DISP 1.5 (summary resolution); Consumer Rights Act
2015 s.20(15) (refund), s.22 (short-term right to reject, with repairs pausing it), s.24 and s.19(14)
(final right, deduction for use, six-month presumption). Worked cases from the law notes (§10-§15)
plus our own; all dates 2026 unless written otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.base import explain
from supervisor_tui.domain.complaints import (
    Complaint,
    Goods,
    Pause,
    Policy,
    Repair,
    cra_guidance,
    deadline_clocks,
    disp_guidance,
    fca_final_response_due,
    refund_due,
    short_term_right,
    six_months_beginning,
    summary_resolution_by,
    summary_resolution_status,
)

FCA = Policy(fca=True)


def d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


# -- DISP 1.6.2R: the final response within eight weeks, no stop-the-clock ---------------------------------
@pytest.mark.parametrize(
    "received, pauses, due, why",
    [
        (d(2, 3), [], d(27, 4), "8 weeks after receipt: receipt + 56 days (DISP 1.6.2R)"),
        (d(31, 1), [], d(28, 3), "calendar weeks: a Saturday due date is not moved to Monday (no business-day rule)"),
        (
            d(2, 3),
            [Pause(start=d(10, 3), end=d(30, 3))],
            d(27, 4),
            "waiting on the customer does not stop the clock (DISP 1.6.2R)",
        ),
        (
            d(2, 3),
            [Pause(start=d(10, 3))],
            d(27, 4),
            "still waiting: the 8 weeks still end on the same day (DISP 1.6.2R)",
        ),
        (d(24, 12), [], d(18, 2, 2027), "plain 56 days across Christmas and New Year: bank holidays do not extend it"),
        (
            d(23, 11),
            [Pause(start=d(24, 11), end=d(21, 12))],
            d(18, 1, 2027),
            "a four-week wait moves nothing (DISP 1.6.2R)",
        ),
    ],
)
def test_fca_final_response_is_eight_calendar_weeks_whatever_the_wait(received, pauses, due, why):
    _, final = deadline_clocks(
        received, FCA, received, region="ENG", acknowledged_on=None, responded_on=None, pauses=pauses
    )
    assert final.due == due == fca_final_response_due(received), why


@pytest.mark.parametrize(
    "today, responded, status, why",
    [
        (d(24, 4), None, "at risk", "still waiting on the customer, a business day from the end: at risk, not paused"),
        (
            d(28, 4),
            None,
            "breached",
            "a wait does not excuse the breach: no response by the end of 27/04 (DISP 1.6.2R)",
        ),
        (d(30, 4), d(27, 4), "met", "a final or written response on the last day is in time (DISP 1.6.2R(1)/(2))"),
        (d(30, 4), d(28, 4), "met late", "a response the day after the 8 weeks is late, however long they waited"),
    ],
)
def test_fca_clock_never_shows_paused(today, responded, status, why):
    policy = Policy(fca=True, at_risk_business_days=1)
    _, final = deadline_clocks(
        d(2, 3),
        policy,
        today,
        region="ENG",
        acknowledged_on=d(3, 3),
        responded_on=responded,
        pauses=[Pause(start=d(10, 3))],
    )
    assert (final.due, final.status) == (d(27, 4), status), why


def test_the_business_day_policy_still_moves_with_a_wait():
    """Pauses move the team's own business-day target (README), only the FCA's 8 weeks stand still."""
    _, own = deadline_clocks(
        d(2, 3),
        Policy(),
        d(18, 3),
        region="ENG",
        acknowledged_on=None,
        responded_on=None,
        pauses=[Pause(start=d(10, 3), end=d(17, 3))],
    )
    assert own.due == d(30, 3)  # 15 business days (23/03) + the 5 business days waited


def test_the_page_says_what_must_be_sent_by_the_eight_weeks():
    """DISP 1.6.2R(1) a final response, or (2) a written response explaining the delay with Ombudsman rights."""
    summary, final = disp_guidance(d(27, 4), d(5, 3), "open")
    assert "DISP 1.6.2R: by the end of Mon 27/04/2026" in final
    assert "final response" in final and "written response" in final and "Financial Ombudsman Service" in final
    assert "does not stop this clock" in final
    assert summary.startswith("Summary resolution (DISP 1.5.1R) by close of business Thu 05/03/2026: open")


# -- DISP 1.5: summary resolution by close of the third business day after receipt ------------------------
@pytest.mark.parametrize(
    "received, region, by, why",
    [
        (d(6, 3), "ENG", d(11, 3), "Mon, Tue, Wed are the 3 business days after the day of receipt (DISP 1.5.1R)"),
        (
            d(7, 3),
            "ENG",
            d(11, 3),
            "the receipt day (Sat) is excluded; no 'treated as received Monday' rule since 2016",
        ),
        (d(9, 3), "ENG", d(12, 3), "the day of receipt never counts ('following the day on which it is received')"),
        (d(2, 4), "ENG", d(9, 4), "Good Friday and Easter Monday are not business days in E&W (Glossary)"),
        (d(2, 4), "SCT", d(8, 4), "Easter Monday is not a bank holiday in Scotland: the region's calendar decides"),
        (d(16, 3), "NIR", d(20, 3), "St Patrick's Day is a bank holiday 'in that part of the United Kingdom'"),
        (d(16, 3), "ENG", d(19, 3), "...and not in England and Wales"),
        (d(30, 12), "ENG", d(5, 1, 2027), "Thu 31/12, then New Year's Day skipped, then Mon 04/01 and Tue 05/01"),
        (d(30, 12), "SCT", d(6, 1, 2027), "01/01 and the 04/01 substitute for 2 January are Scottish bank holidays"),
        (
            d(24, 12),
            "ENG",
            d(31, 12),
            "substitute days are bank holidays: Christmas Fri 25, Boxing Day moved to Mon 28",
        ),
        (d(27, 8), "ENG", d(2, 9), "the late-August bank holiday (Mon 31/08) is not a business day: Fri, Tue, Wed"),
    ],
)
def test_summary_resolution_by(received, region, by, why):
    assert summary_resolution_by(received, region) == by, why


@pytest.mark.parametrize(
    "responded, accepted, status, why",
    [
        (None, None, "open", "no response yet: open while it can still be resolved, never 'no'"),
        (None, True, "open", "after the date has passed it is still 'open' until answered (DISP 1.6 then applies)"),
        (d(9, 3), True, "yes", "resolved and accepted on day 3 (Mon 09/03 after Fri 06/03 is day 1) (DISP 1.5.1R)"),
        (d(11, 3), True, "yes", "accepted on the third business day itself is in time (DISP 1.5.1R)"),
        (d(12, 3), True, "no", "the fourth business day is too late for a summary resolution (DISP 1.5.1R)"),
        (d(10, 3), False, "no", "not accepted: resolved means the complainant indicated acceptance (DISP 1.5.2AR)"),
        (d(10, 3), None, "no", "acceptance not recorded, so not shown as resolved (DISP 1.5.2AR)"),
    ],
)
def test_summary_resolution_status(responded, accepted, status, why):
    assert summary_resolution_status(d(6, 3), "ENG", responded, accepted) == status, why


# -- CRA 2015 s.20(15): refund within 14 days beginning with the day the trader agrees ---------------------
@pytest.mark.parametrize(
    "agreed, due, why",
    [
        (d(2, 3), d(15, 3), "day 1 is the agreement day: 14 days beginning with it end on the 15th (s.20(15))"),
        (d(24, 12), d(6, 1, 2027), "calendar days: Christmas and New Year do not extend it (s.20(15))"),
        (d(10, 4), d(23, 4), "a price reduction's refund: s.24(3) applies s.20(10)-(17)"),
    ],
)
def test_refund_due(agreed, due, why):
    assert refund_due(agreed) == due, why


@pytest.mark.parametrize(
    "today, says, why",
    [
        (d(15, 3), "by 15/03/2026 at the latest", "the last of the 14 days: still in time (s.20(15))"),
        (d(16, 3), "overdue — it had to be paid by 15/03/2026", "paid on 16/03 is one day late (s.20(15))"),
    ],
)
def test_refund_in_the_guide(today, says, why):
    goods = Goods(ownership=d(1, 3), delivery=d(1, 3), refund_agreed_on=d(2, 3))
    assert says in " ".join(cra_guidance(goods, today)), why


# -- CRA 2015 s.22: the 30-day short-term right to reject -----------------------------------------------------
def repair(asked: date, back: date | None = None, failed: bool = False, kind: str = "repair") -> Repair:
    return Repair(kind=kind, requested_on=asked, back_on=back, failed=failed)


@pytest.mark.parametrize(
    "goods, repairs, ends, why",
    [
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [],
            d(31, 3),
            "day 1 = 02/03; 30 days 'beginning with the first day after' (s.22(3))",
        ),
        (
            Goods(ownership=d(8, 3), delivery=d(1, 3)),
            [],
            d(7, 4),
            "ownership passed on payment after delivery: time runs from the later event (s.22(3)(a), (b))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(8, 3)),
            [],
            d(7, 4),
            "delivered after ownership passed: the later event again (s.22(3)(b))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3), trader_installs=True, installed=d(4, 3)),
            [],
            d(3, 4),
            "the trader installs: being told it is done is the last event (s.22(3)(c))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(10, 3), d(20, 3), failed=True)],
            d(11, 4),
            "8 days used (02-09/03), 22 left from 21/03 -> 11/04, later than 7 days (27/03) (s.22(6)-(8))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(10, 3), d(20, 3))],
            d(11, 4),
            "put right: the period runs on with the 22 days left (s.22(6)); 11/04 either way",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(29, 3), d(10, 4), failed=True)],
            d(17, 4),
            "27 days used, 3 left -> 13/04; 7 days after the return -> 17/04, the later (s.22(7))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(29, 3), d(10, 4))],
            d(13, 4),
            "put right: only the 3 days left; the 7-day minimum is for goods that still do not conform (s.22(7))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(31, 3), d(3, 4), failed=True, kind="replacement")],
            d(10, 4),
            "asked on day 30: 1 day left -> 04/04; 7 days -> 10/04 (s.22(7)); a replacement counts the same",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(2, 4), d(3, 4), failed=True)],
            d(31, 3),
            "asked for after it ended: the right was already lost and does not come back (s.22(1))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(10, 3), d(20, 3), failed=True), repair(d(1, 4), d(5, 4), failed=True)],
            d(16, 4),
            "two waits: 22 left after the first; 11 more used (21-31/03), 11 left from 06/04 -> 16/04 (s.22(6) each time)",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(2, 3), d(30, 3), failed=True)],
            d(29, 4),
            "asked on day 1: nothing used, all 30 days run from 31/03 (s.22(8): the request day is in the wait)",
        ),
    ],
)
def test_short_term_right_to_reject_ends(goods, repairs, ends, why):
    right = short_term_right(goods.start, repairs, d(1, 3))
    assert (right.state, right.ends) == ("open", ends), why


@pytest.mark.parametrize(
    "goods, repairs, today, state, why",
    [
        (Goods(ownership=d(1, 3), delivery=d(1, 3)), [], d(31, 3), "open", "the 30th day is the last day (s.22(3))"),
        (Goods(ownership=d(1, 3), delivery=d(1, 3)), [], d(1, 4), "ended", "lost once the time limit passes (s.22(1))"),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(10, 3))],
            d(25, 4),
            "paused",
            "a repair still away stops the period for the waiting period, however long (s.22(6), (8))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3), trader_installs=True),
            [],
            d(25, 4),
            "not started",
            "the trader installs and has not said it is done: the 30 days have not begun (s.22(3)(c))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            [repair(d(10, 3), d(20, 3), failed=True)],
            d(5, 4),
            "open",
            "where 30 days from delivery would have ended, the repair's wait keeps it open (s.22(6))",
        ),
    ],
)
def test_short_term_right_state_today(goods, repairs, today, state, why):
    assert short_term_right(goods.start, repairs, today).state == state, why


@pytest.mark.parametrize(
    "goods, today, says, why",
    [
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3), repairs=(repair(d(10, 3), d(20, 3), failed=True),)),
            d(5, 4),
            "open until the end of Sat 11/04/2026 (the repair or replacement time did not count",
            "the guide says the right is open where in law it is (s.22(6)-(8))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3), repairs=(repair(d(10, 3)),)),
            d(25, 4),
            "paused while the repair is away (asked for 10/03/2026, s.22(6)); when the goods come back 22 day(s) are left, "
            "or 7 days",
            "the period stands still while the goods are away (s.22(6)-(8))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3), trader_installs=True),
            d(25, 4),
            "not started",
            "no notice of installation yet (s.22(3)(c)); rejection is possible before it (s.22(5))",
        ),
        (
            Goods(ownership=d(1, 3), delivery=d(1, 3)),
            d(1, 4),
            "ended Tue 31/03/2026",
            "the 30 days ended; repair or replacement comes first (s.22(1), s.23)",
        ),
    ],
)
def test_short_term_right_in_the_guide(goods, today, says, why):
    text = " ".join(cra_guidance(goods, today))
    assert says in text and "Guidance, not legal advice." in text, why


# -- CRA 2015 s.24 and s.19(14): final right to reject, price reduction, six-month presumption ---------------
@pytest.mark.parametrize(
    "start, last, why",
    [
        (d(15, 1), d(14, 7), "6 months beginning with 15/01 end on 14/07 (s.19(14))"),
        (d(31, 8), d(28, 2, 2027), "no 31 February: the whole of February counts (consumer-protective reading)"),
        (d(29, 8, 2027), d(28, 2, 2028), "29/02/2028 exists, so the day before it"),
        (d(30, 8, 2027), d(29, 2, 2028), "no 30 February: the last day of February, a leap year"),
    ],
)
def test_six_months_beginning_with(start, last, why):
    assert six_months_beginning(start) == last, why


WASHER = Goods(ownership=d(15, 1), delivery=d(15, 1))
FAILED = (repair(d(20, 6), d(1, 7), failed=True),)


@pytest.mark.parametrize(
    "goods, today, present, absent, why",
    [
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), repairs=FAILED),
            d(10, 7),
            ["final right to reject (s.24(5)(a))", "to 14/07/2026", "No deduction for use"],
            [],
            "fault within 6 months, one failed repair: final right open, presumption applies, no deduction "
            "(s.24(5)(a), s.19(14), s.24(10))",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), repairs=FAILED),
            d(20, 7),
            ["Over 6 months since delivery (that ended 14/07/2026)", "may need to show"],
            ["presumed"],
            "after 6 months beginning with delivery the customer shows the fault was there (s.19(14))",
        ),
        (
            WASHER,
            d(15, 4),
            ["after one failed repair or replacement (s.24(5)(a))"],
            ["may now ask"],
            "no repair yet at month 3: not yet the final right, one repair or replacement first (s.24(5))",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), motor_vehicle=True, repairs=FAILED),
            d(15, 5),
            ["A motor vehicle: a refund on final rejection may be reduced", "even in the first 6 months"],
            ["No deduction"],
            "a car rejected at month 4: deduction for use allowed (s.24(10) motor-vehicle exception)",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), repairs=FAILED),
            d(15, 5),
            ["No deduction for use from a refund on final rejection until 15/07/2026"],
            [],
            "a washing machine at month 4: no deduction in the first 6 months from the day after delivery (s.24(10))",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), repairs=FAILED),
            d(1, 9),
            ["The first 6 months ended 15/07/2026", "may be reduced for the use"],
            [],
            "after the first 6 months a deduction for use may be made (s.24(8))",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), repairs=(repair(d(1, 6)),)),
            d(10, 8),
            ["took too long", "(s.24(5)(b)-(c))"],
            ["may now ask"],
            "a repair away ten weeks: the guide points to s.24(5)(c) (not within a reasonable time)",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), failed_before=1),
            d(15, 4),
            ["price reduction"],
            [],
            "an older record's bare count of failed repairs still opens the final right (s.24(5)(a))",
        ),
        (
            Goods(ownership=d(15, 1), delivery=d(15, 1), failed_before=1, repairs=(repair(d(1, 3), d(5, 3)),)),
            d(15, 4),
            ["after one failed repair or replacement"],
            ["may now ask"],
            "where repairs are recorded their results count, not the older bare count",
        ),
    ],
)
def test_final_right_presumption_and_deduction(goods, today, present, absent, why):
    text = " ".join(cra_guidance(goods, today))
    assert all(p in text for p in present) and not any(a in text for a in absent), why


# -- the record: goods dates kept apart, repairs in order, older records still read -------------------------
BASE = dict(received_at="2026-03-20T10:00:00Z", customer_name="Mrs J Smith", category="faulty goods", summary="Leak")
TODAY = {"today": d(25, 4)}


def refusal(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        Complaint.model_validate({**BASE, **fields}, context=TODAY)
    return "; ".join(explain(caught.value, Complaint))


@pytest.mark.parametrize(
    "fields, says, why",
    [
        (
            dict(ownership_date=d(1, 3), delivery_date=d(1, 3), installed_on=d(4, 3)),
            "only where the trader installs",
            "a notice of installation only matters where the contract has the trader install (s.22(3)(c))",
        ),
        (
            dict(ownership_date=d(1, 3), delivery_date=d(5, 3), trader_installs=True, installed_on=d(4, 3)),
            "Told installed on: 04/03/2026 is before the goods were delivered",
            "goods are installed after they arrive",
        ),
        (
            dict(ownership_date=d(1, 3), delivery_date=d(5, 3), repairs=[repair(d(4, 3))]),
            "Asked for on: 04/03/2026 is before the goods were delivered",
            "a repair is of goods the customer has",
        ),
        (
            dict(ownership_date=d(1, 3), delivery_date=d(1, 3), repairs=[repair(d(4, 3)), repair(d(9, 3))]),
            "not back yet",
            "one waiting period at a time (s.22(8) ends each with the goods' return)",
        ),
        (
            dict(ownership_date=d(1, 3), delivery_date=d(1, 3), repairs=[repair(d(4, 3), d(10, 3)), repair(d(9, 3))]),
            "Asked for on: 09/03/2026 is before the previous repair came back",
            "waiting periods do not overlap",
        ),
        (
            dict(ownership_date=d(1, 3), delivery_date=d(1, 3), repairs=[repair(d(4, 3), d(30, 4))]),
            "Goods back on: 30/04/2026 is in the future",
            "a return is recorded once it has happened",
        ),
        (
            dict(repairs=[repair(d(4, 3))]),
            "record when the goods were delivered first",
            "a repair pauses a period that runs from delivery: the dates come first",
        ),
        (
            dict(ownership_date=d(10, 3), delivery_date=d(12, 3), refund_agreed_on=d(9, 3)),
            "Refund agreed on: 09/03/2026 is before the goods were bought or delivered",
            "a refund for goods not yet had",
        ),
    ],
)
def test_goods_dates_in_order(fields, says, why):
    assert says in refusal(**fields), why


@pytest.mark.parametrize(
    "fields, says",
    [
        (dict(requested_on=d(10, 3), back_on=d(9, 3)), "Goods back on: 09/03/2026 is before the repair was asked for"),
        (dict(requested_on=d(10, 3), failed=True), "Still faulty: say when the goods came back first"),
        (dict(requested_on=d(10, 3), kind="refund"), "'refund' is not a kind"),
    ],
)
def test_a_repair_checks_itself(fields, says):
    with pytest.raises(ValidationError) as caught:
        Repair(**fields)
    assert says in "; ".join(explain(caught.value, Repair))


def test_an_older_record_with_one_purchase_date_still_reads():
    """purchase_date ('bought or delivered') stands for ownership and delivery both; its failed count stays."""
    old = Complaint.model_validate(
        {**BASE, "purchase_date": "2026-03-01", "failed_repairs": 1}, context={"stored": True}
    )
    goods = old.goods()
    assert (goods.ownership, goods.delivery, goods.start, goods.failed) == (d(1, 3), d(1, 3), d(1, 3), 1)
    assert Complaint.model_validate(BASE, context=TODAY).goods() is None
