"""Shifts, leave and positions: the rota's records, and what every rota rule shares.

A shift is a local date and local start and end times; its length is real elapsed time (the October
night is an hour longer). The rules live beside this module: ``working_time`` (the Working Time
Regulations 1998), ``rota_check`` (the team's allocation rules, and the whole check), ``coverage``
(demand against cover) and ``allocation`` (ranking who could fill a slot).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from .base import RecordModel
from .dates import DEFAULT_ZONE, local_to_utc
from .fields import RecordDate
from .people import normalise_skill

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)


class Rule(StrEnum):
    """Each rule with the words shown beside a problem (the citation for Great Britain; see ``text``)."""

    daily_rest = "WTR 1998 reg 10: 11 consecutive hours' rest in each 24-hour period (12 for under-18s)"
    weekly_rest = (
        "WTR 1998 reg 11: 24 hours' rest in each week on top of the daily rest, or 48 in 14 days "
        "(48 in each week for under-18s)"
    )
    rest_break = (
        "WTR 1998 reg 12: a 20-minute break when a day's working time is more than 6 hours "
        "(30 minutes over 4.5 hours for under-18s)"
    )
    weekly_average = "WTR 1998 reg 4: 48 hours a week on average over 17 weeks (or since starting), unless opted out"
    young_hours = "WTR 1998 reg 5A: under-18s at most 8 hours a day and 40 a week"
    young_night = (
        "WTR 1998 reg 6A: under-18s may not work in the restricted period, 22:00-06:00 "
        "(23:00-07:00 where the contract provides for work after 22:00)"
    )
    child = (
        "Under school-leaving age: not a young worker (WTR 1998 reg 2); children's employment law and "
        "local byelaws apply (in England and Wales the Children and Young Persons Act 1933), not checked here"
    )
    overlap = "Rota: one person, one place at a time (overlapping or double-booked shifts)"
    on_leave = "Rota: a shift during recorded leave or unavailability"
    skill = "Allocation: the position needs a skill the person lacks"
    buddy = "Allocation: a learner needs a competent or expert buddy on the same position"
    contract = "Workload: hours over the weekly contract"

    @property
    def citation(self) -> str:
        """The part before the colon, e.g. 'WTR 1998 reg 10'."""
        return self.value.split(":")[0]

    def text(self, region: str = "ENG") -> str:
        """The rule's words with the citations for the team's part of the UK: Northern Ireland has its
        own Working Time Regulations (Northern Ireland) 2016, the same rules under other numbers."""
        if region != "NIR":
            return self.value
        return re.sub(r"WTR 1998 reg (\w+)", lambda m: f"WTR (NI) 2016 reg {_NI_NUMBERS.get(m[1], m[1])}", self.value)


# GB regulation -> its Northern Ireland counterpart (SR 2016/49), where the numbers differ.
_NI_NUMBERS = {"5A": "6", "6A": "8", "10": "12", "11": "13", "12": "14"}


def show_hours(hours: float | timedelta) -> str:
    """A duration as '10h 59m', never rounded up: 10h 59m 59s of rest is not 11 hours of rest."""
    seconds = hours.total_seconds() if isinstance(hours, timedelta) else hours * 3600
    minutes = int(round(seconds, 6) // 60)
    return f"{minutes // 60}h {minutes % 60}m"


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Shift(RecordModel):
    member_id: str = Field(title="Person")
    day: RecordDate = Field(title="Date")  # a rota is planned ahead; the person's start date is the service's check
    start: time = Field(title="Start")
    end: time = Field(title="End")
    position: str = Field(title="Position", min_length=1, max_length=40)
    break_minutes: int = Field(default=0, title="Break (minutes)", ge=0, le=180)
    reason: str = Field(default="", title="Why this person", max_length=500)
    note: str = Field(default="", title="Note", max_length=500)
    # The bulk change that made it (a recurring pattern, a copied week), so the whole batch can be
    # voided in one step; blank for a shift added on its own.
    batch: str = Field(default="", title="Batch", max_length=40, pattern=r"^[a-z0-9-]*$")

    @field_validator("position")
    @classmethod
    def _position(cls, value: str) -> str:
        return normalise_skill(value)

    @model_validator(mode="after")
    def _length(self) -> Shift:
        if self.start == self.end:
            raise ValueError("End: a shift cannot start and end at the same time")
        return self

    def fields(self) -> dict[str, Any]:
        """As every record's, without a blank batch: a shift made on its own (every shift before
        batches were kept) gains no empty field when it is saved."""
        data = super().fields()
        if not data["batch"]:
            del data["batch"]
        return data


class Leave(RecordModel):
    member_id: str = Field(title="Person")
    first_day: RecordDate = Field(title="From")  # leave is booked ahead, so the future is allowed
    last_day: RecordDate = Field(title="To")
    kind: str = Field(default="annual leave", title="Kind", max_length=60)

    @model_validator(mode="after")
    def _order(self) -> Leave:
        if self.last_day < self.first_day:
            raise ValueError("To: the last day cannot be before the first")
        return self

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


# The usual places to work on a shop floor or in a contact centre, and the skill each needs.
DEFAULT_POSITIONS = [
    ("tills", "tills"),
    ("phones", "phones"),
    ("returns desk", "returns"),
    ("complaints desk", "complaints desk"),
    ("click & collect", "click & collect"),
    ("email", "email"),
    ("chat", "chat"),
]


class Position(RecordModel):
    """A place to work (tills, phones, returns desk...) and the skill it needs."""

    name: str = Field(title="Position", min_length=1, max_length=40)
    skill: str = Field(title="Skill needed", min_length=1, max_length=40)

    @field_validator("name", "skill")
    @classmethod
    def _names(cls, value: str) -> str:
        return normalise_skill(value)


@dataclass(frozen=True)
class Interval:
    """A shift as real instants (UTC), so lengths and gaps are right across clock changes."""

    shift: Shift
    begin: datetime
    finish: datetime

    @property
    def hours(self) -> float:
        return (self.finish - self.begin) / HOUR

    @property
    def worked_hours(self) -> float:
        """Working time excludes the rest break (it is not working time under the Regulations)."""
        return self.hours - self.shift.break_minutes / 60


def interval(shift: Shift, tz: str = DEFAULT_ZONE) -> Interval:
    """A shift starting on ``shift.day``; one ending at or before its start ends the next day."""
    begin = local_to_utc(shift.day, shift.start, tz)
    finish_day = shift.day + timedelta(days=1) if shift.end <= shift.start else shift.day
    return Interval(shift, begin, local_to_utc(finish_day, shift.end, tz))


@dataclass(frozen=True)
class Problem:
    member_id: str
    day: date
    rule: Rule
    reason: str
    shift_id: str | None = None

    @property
    def is_law(self) -> bool:
        return self.rule.name not in ("skill", "buddy", "contract", "overlap", "on_leave")


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(text: str) -> list[int]:
    """'mon-fri', 'mon,wed,fri', 'sat sun', 'weekdays', 'weekends' -> weekday numbers (Monday 0)."""
    raw = (text or "").strip().lower().replace(" ", ",")
    named = {"weekdays": "mon-fri", "weekends": "sat,sun", "daily": "mon-sun", "every day": "mon-sun"}
    raw = named.get(raw, raw)
    days: set[int] = set()
    for part in filter(None, raw.split(",")):
        ends = part.split("-")
        try:
            numbers = [DAY_NAMES.index(e.strip()[:3]) for e in ends]
        except ValueError:
            raise ValueError(f"{part!r} is not a day; write days like mon-fri or mon,wed,fri") from None
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2 and numbers[0] <= numbers[1]:
            days.update(range(numbers[0], numbers[1] + 1))
        else:
            raise ValueError(f"{part!r} is not a day range; write it like mon-fri")
    if not days:
        raise ValueError("choose at least one day, e.g. mon-fri")
    return sorted(days)


def pattern_days(first: date, weekdays: list[int], weeks: int) -> list[date]:
    """Every chosen weekday from ``first`` for ``weeks`` weeks (dateutil's rrule does the calendar)."""
    from dateutil.rrule import WEEKLY, rrule

    if not 1 <= weeks <= 52:
        raise ValueError("a pattern runs for 1 to 52 weeks")
    until = first + timedelta(weeks=weeks) - timedelta(days=1)
    return [d.date() for d in rrule(WEEKLY, dtstart=first, until=until, byweekday=weekdays)]
