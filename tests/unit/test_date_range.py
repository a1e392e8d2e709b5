"""Dates people type always land in 1900-2100 or are refused in words; typed time zones are honoured."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from supervisor_tui.domain.dates import DateInputError, DateRangeError, parse_date, parse_local_datetime, week_start

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text, says, why",
    [
        ("31/12/9999", "31/12/9999 is after 2100; check the year", "imported, then crashed every Complaints screen"),
        ("9999-12-31", "9999-12-31 is after 2100; check the year", "ISO is read year-first, then range-checked"),
        ("1/1/1899", "1/1/1899 is before 1900; check the year", "the other end of the range"),
        ("0001-01-01", "0001-01-01 is before 1900; check the year", "the calendar's first day"),
        ("+9999y", "+9999y is too far ahead; dates run from 1900 to 2100", "relativedelta overflowed: killed the app"),
        ("+99999999999999999999d", "is too far ahead", "timedelta overflowed: tracebacks in imports and options"),
        ("-99999999999999999999w", "is too far back", "the same, backwards"),
        ("+200y", "+200y is after 2100; check the year", "arithmetic that works but leaves the range"),
        ("-130y", "-130y is before 1900; check the year", "likewise, backwards"),
    ],
)
def test_dates_outside_1900_to_2100_are_refused_in_words(text, says, why):
    with pytest.raises(DateRangeError, match=says.replace("+", r"\+")):
        parse_date(text, today=SUNDAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1/1/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
        ("+74y", date(2100, 11, 22)),
        ("-126y", date(1900, 11, 22)),
    ],
)
def test_the_ends_of_the_range_are_allowed(text, expected):
    assert parse_date(text, today=SUNDAY) == expected


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("2026-11-20T10:00+05:00", datetime(2026, 11, 20, 5, tzinfo=UTC), "an ISO offset is honoured"),
        ("20/11/2026 10:00 +05:00", datetime(2026, 11, 20, 5, tzinfo=UTC), "a UK date with an offset"),
        ("2026-11-20T10:00:00+14:00", datetime(2026, 11, 19, 20, tzinfo=UTC), "an offset across midnight"),
        ("2026-07-01T10:00Z", datetime(2026, 7, 1, 10, tzinfo=UTC), "Z is UTC, not London summer time"),
        ("2026-07-01 10:00+05:00", datetime(2026, 7, 1, 5, tzinfo=UTC), "ISO is 1 July, never 7 January"),
        ("01/07/2026 10:00 GMT", datetime(2026, 7, 1, 10, tzinfo=UTC), "GMT in July is still UTC+0"),
        ("01/07/2026 10:00 BST", datetime(2026, 7, 1, 9, tzinfo=UTC), "BST is UTC+1"),
        ("01/07/2026 10:00", datetime(2026, 7, 1, 9, tzinfo=UTC), "no zone: the team's wall clock"),
    ],
)
def test_a_typed_time_zone_is_honoured_never_dropped(text, expected, why):
    assert parse_local_datetime(text, "Europe/London", SUNDAY) == expected


@pytest.mark.parametrize(
    "text, says, why",
    [
        ("20/11/2026 10:00 EST", "time zone 'EST' is not one we can read", "ambiguous names are refused, not ignored"),
        ("31/12/9999 10:00", "31/12/9999 is after 2100", "the date part is range-checked"),
        ("+9999y 10:00", "too far ahead", "and so is a relative date with a time"),
        ("9999-12-31T10:00+01:00", "after 2100", "and a moment given with an offset"),
    ],
)
def test_moments_refused_in_words(text, says, why):
    with pytest.raises(DateInputError, match=says.replace("+", r"\+")):
        parse_local_datetime(text, "Europe/London", SUNDAY)


@pytest.mark.parametrize("text", ["9999-W52", "1899-W10", "2101-W01"])
def test_weeks_outside_the_range_are_refused(text):
    with pytest.raises(DateRangeError):
        week_start(text)
