"""Demand and cover: how many people each position needs, hour by hour, against who is on shift."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from pydantic import Field, field_validator, model_validator

from .base import RecordModel
from .dates import DEFAULT_ZONE, local_to_utc
from .people import normalise_skill
from .rota import Shift, interval


class Demand(RecordModel):
    """How many people a position needs on a weekday between two times."""

    position: str = Field(title="Position", min_length=1, max_length=40)
    weekday: int = Field(title="Day", ge=0, le=6)
    start: time = Field(title="From")
    end: time = Field(title="To")
    people: int = Field(title="People", ge=1, le=50)

    @field_validator("position")
    @classmethod
    def _position(cls, value: str) -> str:
        return normalise_skill(value)

    @model_validator(mode="after")
    def _band(self) -> Demand:
        if self.end <= self.start:
            raise ValueError("To: the band must end after it starts (same day)")
        return self


@dataclass(frozen=True)
class Cover:
    position: str
    hour: int
    have: int
    need: int

    @property
    def gap(self) -> int:
        """Negative when short, positive when over."""
        return self.have - self.need


def coverage(day: date, shifts: Iterable[Shift], demand: Iterable[Demand], tz: str = DEFAULT_ZONE) -> list[Cover]:
    """Per position and hour of the day: people on (covering the half-hour mark) against people needed."""
    spans = [interval(s, tz) for s in shifts if not s.voided]
    needs = [d for d in demand if not d.voided and d.weekday == day.weekday()]
    positions = sorted({d.position for d in needs} | {s.shift.position for s in spans if s.shift.day == day})
    out = []
    for position in positions:
        for hour in range(24):
            mark = local_to_utc(day, time(hour, 30), tz)
            have = sum(1 for s in spans if s.shift.position == position and s.begin <= mark < s.finish)
            need = sum(d.people for d in needs if d.position == position and d.start <= time(hour, 30) < d.end)
            if have or need:
                out.append(Cover(position, hour, have, need))
    return out


def shortfall_hours(cover: Iterable[Cover]) -> int:
    """Person-hours short across the day: the one number for the grid."""
    return sum(-c.gap for c in cover if c.gap < 0)
