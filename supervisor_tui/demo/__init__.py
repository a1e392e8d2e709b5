"""The demo data set: a believable customer-service team with history, written through the services.

One generator serves ``supervisor-tui --demo``, ``supervisor-tui demo``, the tests and the benchmarks.
It is deterministic for a seed and a 'today', and writes through the same services as the app, so the
demo file verifies like any real one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from storage import Store, UnusableFileError

from ..domain.dates import local_to_utc
from ..services import Records
from . import complaints, one_to_ones, quality, shifts, team


@dataclass
class DemoClock:
    """A clock the generator moves through the past, so the audit shows history as it happened."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hh: int = 9, mm: int = 0) -> None:
        self.now = max(self.now, local_to_utc(day, time(hh, mm)))


@dataclass
class DemoContext:
    records: Records
    rng: random.Random
    today: date
    clock: DemoClock
    team_size: int
    months: int


def build_demo(path: str | Path, *, seed: int = 1, today: date | None = None, team_size: int = 12,
               months: int = 4) -> Records:
    """Write the demo data set into a new (or empty) file and return it opened."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise UnusableFileError(f"{path} already has data; the demo only writes into a new or empty file.")
    today = today or date.today()
    start = today - timedelta(days=months * 31)
    clock = DemoClock(datetime.combine(start - timedelta(days=30), time(8), tzinfo=timezone.utc))
    records = Records(Store(str(path), clock=clock))
    ctx = DemoContext(records, random.Random(seed), today, clock, team_size, months)
    # The audit clock only moves forward, so the history whose timing is checked comes first:
    # one-to-one notes are judged on how soon after the meeting they were written.
    team.build(ctx)
    one_to_ones.build(ctx)
    complaints.build(ctx)
    shifts.build(ctx)
    quality.build(ctx)
    one_to_ones.build_plan(ctx)
    # Later changes in the app are stamped with the real time again.
    records.store._clock = lambda: datetime.now(timezone.utc)
    return records
