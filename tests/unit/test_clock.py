"""Wall-clock moments typed in London time go to UTC and come back unchanged, in summer and winter,
and around the two clock changes of 2026 (29 March forward, 25 October back)."""

from __future__ import annotations

from datetime import UTC, date, time

import pytest

from supervisor_tui.domain.dates import DateInputError, local_to_utc, parse_date, parse_time, show_stamp


def stored(day: date, at: time) -> str:
    """What the store keeps: the UTC instant as an ISO string ending in Z."""
    return local_to_utc(day, at).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.mark.parametrize(
    "day, at, utc_hour, shown",
    [
        (date(2026, 1, 15), time(9, 0), 9, "Thu 15/01/2026 09:00"),  # GMT: UTC+0
        (date(2026, 7, 15), time(9, 0), 8, "Wed 15/07/2026 09:00"),  # BST: UTC+1
        (date(2026, 3, 28), time(23, 30), 23, "Sat 28/03/2026 23:30"),  # the last GMT evening
        (date(2026, 3, 29), time(3, 0), 2, "Sun 29/03/2026 03:00"),  # first hour of BST
        (date(2026, 10, 24), time(23, 30), 22, "Sat 24/10/2026 23:30"),  # the last BST evening
        (date(2026, 10, 25), time(3, 0), 3, "Sun 25/10/2026 03:00"),  # back on GMT
        (date(2026, 12, 31), time(23, 59), 23, "Thu 31/12/2026 23:59"),
    ],
)
def test_local_to_utc_and_back(day, at, utc_hour, shown):
    moment = local_to_utc(day, at)
    assert moment.tzinfo == UTC and moment.hour == utc_hour
    assert show_stamp(stored(day, at)) == shown


def test_the_repeated_autumn_hour_is_the_first_one():
    # 01:30 happens twice on 25 Oct 2026: first in BST (00:30 UTC), then in GMT (01:30 UTC).
    assert local_to_utc(date(2026, 10, 25), time(1, 30)).hour == 0


@pytest.mark.parametrize("text", ["31/02/2026", "32/01/2026", "00/00/0000", "13/13/2026", "+d", "next blursday"])
def test_bad_dates_say_what_to_type(text):
    with pytest.raises(DateInputError) as caught:
        parse_date(text, today=date(2026, 11, 22))
    message = str(caught.value)
    assert repr(text) in message or text in message  # names what was typed
    assert "Traceback" not in message and "\n" not in message


@pytest.mark.parametrize("text", ["24:00", "9:60", "-1", "25", "9:3O"])
def test_bad_times_are_refused_readably(text):
    with pytest.raises(DateInputError) as caught:
        parse_time(text)
    assert text in str(caught.value)


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (date(2026, 11, 23), "mon", date(2026, 11, 23)),  # a Monday: 'mon' is today
        (date(2026, 11, 24), "mon", date(2026, 11, 30)),  # a Tuesday: next Monday
        (date(2026, 11, 27), "Sat", date(2026, 11, 28)),
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),  # a month on from 31 Jan: end of February
        (date(2026, 12, 30), "+3d", date(2027, 1, 2)),
        (date(2026, 12, 30), "tomorrow", date(2026, 12, 31)),
        (date(2026, 3, 1), "yesterday", date(2026, 2, 28)),
    ],
)
def test_relative_dates_from_other_days(today, text, expected):
    assert parse_date(text, today=today) == expected
