"""Shared by the benchmarks: build the data the same way every time."""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supervisor_tui.demo import build_demo  # noqa: E402

TODAY = date(2026, 11, 22)
YEAR_VOLUME = 7000  # ~ a 20-person team's year: shifts, checks, meetings, complaints and their edits


def demo_file(path: Path, team_size: int = 20, months: int = 12):
    return build_demo(path, seed=1, today=TODAY, team_size=team_size, months=months)


def add_year_volume(records, count: int = YEAR_VOLUME) -> None:
    """A year of record volume through the real Store API: each record created, then edited once."""
    rng = random.Random(1)
    members = [m.id for m in records.team.members()]
    with records.store.transaction() as txn:
        created = [
            txn.create(
                "activity",
                "A",
                {
                    "member_id": rng.choice(members),
                    "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "start": "09:00",
                    "end": "17:30",
                    "position": rng.choice(["tills", "phones", "returns"]),
                    "note": "allocated: expert on tills, 31.5h of 37.5h this week, fewest late shifts in 4 weeks",
                },
            )
            for _ in range(count)
        ]
    with records.store.transaction() as txn:
        for rec in created:
            txn.update("activity", rec["id"], {"position": "complaints desk"}, rec["version"], "cover")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
