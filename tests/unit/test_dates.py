"""Dates as a UK team types them, instants across clock changes, business days over bank holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from supervisor_tui.domain.dates import (
    DateInputError,
    add_business_days,
    business_days_between,
    elapsed_hours,
    is_business_day,
    iso_week,
    local_to_utc,
    parse_date,
    parse_local_datetime,
    parse_time,
    show_stamp,
    week_start,
)

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/04/2026", date(2026, 4, 3)),  # day first: 3 April, not 4 March
        ("3/4/26", date(2026, 4, 3)),
        ("24-11-2026", date(2026, 11, 24)),
        ("24 Nov 2026", date(2026, 11, 24)),
        ("24 nov", date(2026, 11, 24)),
        ("2026-04-03", date(2026, 4, 3)),  # ISO stays year-month-day
        ("today", SUNDAY),
        ("Today", SUNDAY),
        ("tomorrow", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 21)),
        ("mon", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),
        ("sun", SUNDAY),  # today if it is that day
        ("+3d", date(2026, 11, 25)),
        ("-2w", date(2026, 11, 8)),
        ("+1m", date(2026, 12, 22)),
        ("+ 2 w", date(2026, 12, 6)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "Enter a date"),
        ("banana", "not a date"),
        ("31/02/2026", "not a date"),
        ("2026-02-31", "not a real date"),
        ("24/11/2026 14:00", "has a time"),
    ],
)
def test_parse_date_refuses_with_a_readable_message(text, says):
    with pytest.raises(DateInputError, match=says):
        parse_date(text, today=SUNDAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9", time(9)),
        ("09:30", time(9, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("9.30", time(9, 30)),
        ("5:30pm", time(17, 30)),
        ("9am", time(9)),
        ("22:00", time(22)),
        ("0", time(0)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "noonish", "9:75", "12345"])
def test_parse_time_refuses(text):
    with pytest.raises(DateInputError):
        parse_time(text)


@pytest.mark.parametrize(
    "day, start, end, hours",
    [
        (date(2026, 11, 23), "09:00", "17:30", 8.5),
        (date(2026, 11, 23), "22:00", "06:00", 8.0),  # midnight crossing: ends the next day
        (date(2026, 10, 24), "22:00", "06:00", 9.0),  # clocks go back on 25 Oct 2026: an hour longer
        (date(2026, 3, 28), "22:00", "06:00", 7.0),  # clocks go forward on 29 Mar 2026: an hour shorter
        (date(2026, 10, 25), "00:00", "03:00", 4.0),
        (date(2026, 3, 29), "00:00", "03:00", 2.0),
    ],
)
def test_elapsed_hours_is_real_time(day, start, end, hours):
    assert elapsed_hours(day, parse_time(start), parse_time(end)) == hours


def test_instants_are_utc_and_shown_in_london_time():
    summer = local_to_utc(date(2026, 7, 1), time(9))
    winter = local_to_utc(date(2026, 12, 1), time(9))
    assert summer == datetime(2026, 7, 1, 8, tzinfo=UTC)  # BST is UTC+1
    assert winter == datetime(2026, 12, 1, 9, tzinfo=UTC)  # GMT
    assert show_stamp("2026-07-01T08:00:00.000000Z") == "Wed 01/07/2026 09:00"
    assert show_stamp("2026-12-01T09:00:00Z") == "Tue 01/12/2026 09:00"
    assert parse_local_datetime("01/07/2026 09:00", "Europe/London", date(2026, 7, 1)) == summer
    assert parse_local_datetime("today 9am", "Europe/London", today=date(2026, 12, 1)) == winter


@pytest.mark.parametrize(
    "day, business",
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),
        (date(2026, 12, 26), False),
        (date(2026, 12, 28), False),  # Boxing Day falls on a Saturday: the Monday is the substitute day
        (date(2026, 12, 29), True),
        (date(2026, 8, 31), False),
        (date(2026, 11, 21), False),
    ],
)
def test_business_days_follow_england_and_wales_bank_holidays(day, business):
    assert is_business_day(day) is business


def test_business_day_arithmetic_over_christmas():
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_business_days(date(2026, 12, 24), 3) == date(2026, 12, 31)
    assert business_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert business_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


def test_scotland_has_its_own_holidays():
    assert is_business_day(date(2026, 11, 30), "SCT") is False  # St Andrew's Day
    assert is_business_day(date(2026, 11, 30)) is True


def test_iso_weeks():
    assert week_start("2026-W48") == date(2026, 11, 23)
    assert iso_week(date(2026, 11, 29)) == "2026-W48"
    assert week_start("2026w1") == date(2025, 12, 29)
    with pytest.raises(DateInputError):
        week_start("week 48")
    with pytest.raises(DateInputError):
        week_start("2026-W60")
