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


@dataclass(frozen=True)
class Gap:
    """A run of consecutive hours at one position short of people: where a fill should start."""

    position: str
    start: int  # first hour short
    end: int  # the hour after the last one short (24: midnight)
    short: int  # person-hours short in it


def biggest_gap(cover: Iterable[Cover], longest: int = 8) -> Gap | None:
    """The day's biggest gap: of every run of consecutive short hours at one position, the one with
    the most person-hours short, at most ``longest`` hours of it (one shift's worth; the most short
    stretch of a longer run, the earlier on a tie). Ties between runs go to the earlier, then to the
    position first by name. None when nothing is short."""
    short_hours: dict[str, dict[int, int]] = {}
    for c in cover:
        if c.gap < 0:
            short_hours.setdefault(c.position, {})[c.hour] = -c.gap
    best: Gap | None = None
    for position in sorted(short_hours):
        by_hour = short_hours[position]
        for run in _runs(sorted(by_hour)):
            for first in range(len(run)):
                window = run[first : first + longest]
                gap = Gap(position, window[0], window[-1] + 1, sum(by_hour[h] for h in window))
                if best is None or (gap.short, -gap.start) > (best.short, -best.start):
                    best = gap
    return best


def _runs(hours: list[int]) -> list[list[int]]:
    """Sorted hours split where they stop being consecutive: [9, 10, 14] -> [[9, 10], [14]]."""
    runs: list[list[int]] = []
    for hour in hours:
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return runs
