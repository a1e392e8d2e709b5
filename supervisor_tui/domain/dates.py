"""Dates and times as people in a UK team type and read them.

Dates are day-first (03/04/2026 is 3 April). ``today``, ``tomorrow``, ``yesterday``, weekday names
(the next one, or today if it is that day), ``+3d``, ``-2w``, ``+1m`` also work. Instants are kept in
UTC and shown in the team's zone, so a clock change never shifts a recorded moment.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil import parser as du_parser
from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from holidays import HolidayBase

DEFAULT_ZONE = "Europe/London"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^([+-])\s*(\d+)\s*([dwmy])$")
# Every date the record holds lies in this range: nobody on a team, no complaint and no rota is from
# before 1900 or after 2100, and date sums (deadlines, 'six months after') stay far from Python's limits.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
# Zone names people write after a time that mean one fixed offset; any other name is refused rather
# than guessed (dateutil alone would ignore it, or read it by this server's own zone).
_NAMED_OFFSETS = {"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "BST": 3600}


_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class DateInputError(ValueError):
    """What the person typed is not a date or time we can read; the message says how to write one."""


class DateRangeError(DateInputError):
    """A real date, but outside the years the record keeps (1900 to 2100)."""


def check_date_range(day: date, typed: str | None = None) -> date:
    """``day`` if it is within 1900-2100; otherwise a message that says which end and what to check."""
    shown = (typed or "").strip() or f"{day:%d/%m/%Y}"
    if day > LATEST:
        raise DateRangeError(f"{shown} is after {LATEST.year}; check the year")
    if day < EARLIEST:
        raise DateRangeError(f"{shown} is before {EARLIEST.year}; check the year")
    return day


def zone(name: str = DEFAULT_ZONE) -> ZoneInfo:
    return ZoneInfo(name)


def parse_date(text: str, today: date) -> date:
    """Read a date as a UK person types it; ``today`` (the team clock's) anchors 'fri', '+2w'...

    Whatever is typed, the answer is a date from 1900 to 2100 or a DateInputError: '+9999y' or
    '31/12/9999' is refused with a message, never an OverflowError from the calendar arithmetic."""
    return check_date_range(_read_date(text, today), text)


def _read_date(text: str, today: date) -> date:
    raw = (text or "").strip().lower()
    if not raw:
        raise DateInputError("Enter a date, e.g. 24/11/2026, today, fri or +3d.")
    if raw in ("today", "now"):
        return today
    if raw == "tomorrow":
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    match = _RELATIVE.match(raw)
    if match:
        sign, count, unit = match.groups()
        # Anything further than the whole range away cannot land in it: refuse before the arithmetic
        # (relativedelta and date overflow on a few thousand years, let alone 20 digits of days).
        n = int(count) if len(count) <= 6 else 10**6
        if n > {"d": 73_000, "w": 10_500, "m": 2_400, "y": 200}[unit]:
            raise DateRangeError(
                f"{text.strip()} is too far {'ahead' if sign == '+' else 'back'}; "
                f"dates run from {EARLIEST.year} to {LATEST.year}"
            )
        n *= 1 if sign == "+" else -1
        step = {
            "d": relativedelta(days=n),
            "w": relativedelta(weeks=n),
            "m": relativedelta(months=n),
            "y": relativedelta(years=n),
        }[unit]
        return today + step
    for index, day in enumerate(WEEKDAYS):
        if len(raw) >= 3 and day.startswith(raw):
            return today + timedelta(days=(index - today.weekday()) % 7)
    uk = _UK_DATE.fullmatch(raw)
    if uk:  # the everyday 24/11/2026, read directly (dateutil takes 50 times as long: imports notice)
        try:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
        except ValueError:  # 31/02, month 13: say so the same way as any other date that cannot be
            raise DateInputError(f"{text!r} is not a date. Try 24/11/2026, 24 Nov 2026, today, fri or +3d.") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):  # ISO is unambiguous: read it year-first
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise DateInputError(f"{text!r} is not a real date ({exc}).") from None
    if not re.search(r"\d", raw):
        raise DateInputError(f"{text!r} is not a date. Try 24/11/2026, 24 Nov 2026, today, fri or +3d.")
    try:
        parsed = du_parser.parse(raw, dayfirst=True, default=datetime(today.year, today.month, 1), ignoretz=True)
    except (ValueError, OverflowError):
        raise DateInputError(f"{text!r} is not a date. Try 24/11/2026, 24 Nov 2026, today, fri or +3d.") from None
    if parsed.time() != time(0, 0):
        raise DateInputError(f"{text!r} has a time in it; enter just the date.")
    return parsed.date()


def parse_time(text: str) -> time:
    """Read a clock time: 9, 9:30, 09:30, 0930, 9.30, 9am, 5:30pm."""
    raw = (text or "").strip().lower().replace(".", ":")
    if not raw:
        raise DateInputError("Enter a time, e.g. 09:00 or 5:30pm.")
    if re.fullmatch(r"\d{1,2}", raw):
        raw += ":00"
    elif re.fullmatch(r"\d{3,4}", raw):
        raw = f"{raw[:-2]}:{raw[-2:]}"
    if not re.fullmatch(r"\d{1,2}(:\d{2})?\s*(am|pm)?", raw):
        raise DateInputError(f"{text!r} is not a time. Use 24-hour 09:00 or 17:30, or 5:30pm.")
    try:
        return du_parser.parse(raw).time()
    except (ValueError, OverflowError):
        raise DateInputError(f"{text!r} is not a time. Use 24-hour 09:00 or 17:30, or 5:30pm.") from None


def parse_local_datetime(text: str, tz: str, today: date) -> datetime:
    """A date and time typed in the team's zone ('24/11/2026 14:05', 'today 9am'), as a UTC instant.

    A time given with its own offset or zone ('2026-11-20T10:00+05:00', '10:00 GMT') is read in that
    offset, never silently as the team's wall clock; a zone name we cannot pin down is refused."""
    parts = (text or "").strip().rsplit(" ", 1)
    if len(parts) == 2:
        try:
            at = parse_time(parts[1])
        except DateInputError:
            pass
        else:
            try:
                return local_to_utc(parse_date(parts[0], today), at, tz)
            except DateRangeError:
                raise
            except DateInputError:
                pass  # not our day-first form: dateutil may still read the whole ('Tue 24 Nov 2026 2pm')
    # Year first ('2026-07-01T10:00Z') is ISO, month before day; anything else is UK day-first.
    iso = bool(re.match(r"\s*\d{4}-", text or ""))
    try:
        parsed = du_parser.parse(text, dayfirst=not iso, yearfirst=iso, tzinfos=_zone_named)
    except DateInputError:
        raise
    except (ValueError, OverflowError):
        raise DateInputError(f"{text!r} is not a date and time. Try 24/11/2026 14:05.") from None
    if parsed.tzinfo is not None:
        moment = parsed.astimezone(UTC)
    else:
        moment = local_to_utc(check_date_range(parsed.date(), text), parsed.time(), tz)
    check_date_range(moment.date(), text)
    return moment


def _zone_named(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's hook for a zone written after the time: a numeric offset, or a name we know."""
    if name is None:
        return None if offset is None else timezone(timedelta(seconds=offset))
    known = _NAMED_OFFSETS.get(name.upper())
    if known is None:
        raise DateInputError(
            f"the time zone {name!r} is not one we can read: give an offset such as "
            "+01:00, or leave it out for the team's own time"
        )
    return timezone(timedelta(seconds=known))


def local_to_utc(day: date, at: time, tz: str = DEFAULT_ZONE) -> datetime:
    """A wall-clock moment in the team's zone as UTC. In the repeated autumn hour, the first one."""
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def to_local(moment: datetime, tz: str = DEFAULT_ZONE) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz))


def parse_utc(stamp: str) -> datetime:
    """A stored ISO-8601 UTC stamp ('...Z') as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def show_stamp(stamp: str, tz: str = DEFAULT_ZONE) -> str:
    """A stored UTC stamp as the team reads it: 'Sun 22/11/2026 15:43'. One that is not a time (an
    old or hand-edited record) is shown as it is, rather than stopping the message it is part of."""
    try:
        return to_local(parse_utc(stamp), tz).strftime("%a %d/%m/%Y %H:%M")
    except (ValueError, TypeError, AttributeError, OverflowError):
        return str(stamp)


def show_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def elapsed_hours(day: date, start: time, end: time, tz: str = DEFAULT_ZONE) -> float:
    """Real hours between two wall-clock times starting on ``day``; an end at or before the start
    is on the next day. A 22:00-06:00 night over the October change is 9 hours, over March 7."""
    begin = local_to_utc(day, start, tz)
    finish_day = day + timedelta(days=1) if end <= start else day
    finish = local_to_utc(finish_day, end, tz)
    return (finish - begin).total_seconds() / 3600


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@lru_cache(maxsize=8)
def bank_holidays(region: str = "ENG") -> HolidayBase:
    """UK bank holidays: ENG (England and Wales), SCT, NIR. Years are filled in as they are asked for."""
    import holidays  # imported on first use: it is a large package and most screens never need it

    return holidays.country_holidays("GB", subdiv=region)


def is_business_day(day: date, region: str = "ENG") -> bool:
    return day.weekday() < 5 and day not in bank_holidays(region)


def add_business_days(start: date, count: int, region: str = "ENG") -> date:
    """The business day ``count`` business days after ``start`` (start itself is day 0)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day, region):
            count -= 1
    return day


def business_days_between(start: date, end: date, region: str = "ENG") -> int:
    """Business days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_business_day(day, region)
    return count


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(text: str) -> date:
    """The Monday of an ISO week written '2026-W48'."""
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", (text or "").strip(), re.IGNORECASE)
    if not match:
        raise DateInputError(f"{text!r} is not a week; write it like 2026-W48.")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise DateInputError(f"{text!r} is not a week of that year.") from None
    check_date_range(monday, text)
    check_date_range(monday + timedelta(days=6), text)
    return monday
