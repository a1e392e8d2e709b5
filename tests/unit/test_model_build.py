"""Domain models are built on first use (defer_build), and the app uses them from several threads
at once as it starts (the UI thread draws the first screen while a worker reads every record).
Each run is a fresh interpreter, so the models really are unbuilt when the threads start."""

from __future__ import annotations

import subprocess
import sys

FIRST_USE_IN_MANY_THREADS = r"""
import threading
from supervisor_tui.domain.coverage import Demand
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Position, Shift
from supervisor_tui.domain.settings import TeamSettings

kinds = {
    Member: {"id": "M-0001", "version": 1, "name": "Sam Patel", "job_title": "CSA", "contract_hours": 37.5,
             "date_of_birth": "1990-04-03", "skills": {"tills": "expert"}},
    Shift: {"id": "S-0001", "version": 1, "member_id": "M-0001", "day": "2026-11-23", "start": "09:00:00",
            "end": "17:30:00", "position": "tills", "break_minutes": 30},
    Leave: {"id": "L-0001", "version": 1, "member_id": "M-0001", "first_day": "2026-11-23",
            "last_day": "2026-11-24"},
    Position: {"id": "P-0001", "version": 1, "name": "tills", "skill": "tills"},
    Demand: {"id": "D-0001", "version": 1, "position": "tills", "weekday": 0, "start": "09:00:00",
             "end": "17:00:00", "people": 2},
    TeamSettings: {"id": "TS-0001", "version": 1, "region": "SCT"},
}
assert not any(kind.__pydantic_complete__ for kind in kinds), "imported models should not be built yet"
barrier = threading.Barrier(8)
results, errors = [], []

def use(offset):
    order = list(kinds)[offset % len(kinds):] + list(kinds)[:offset % len(kinds)]
    barrier.wait()
    try:
        for kind in order:
            model = kind.model_validate(kinds[kind], context={"stored": True})
            results.append((kind, type(model), model.id, model.model_dump(mode="json")))
    except BaseException as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=use, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert not errors, errors
assert len(results) == 8 * len(kinds)
for kind, made, record_id, dumped in results:
    assert made is kind, (kind, made)
    assert record_id == kinds[kind]["id"]
    assert all(kind.__pydantic_complete__ for kind in kinds)
print("ok")
"""


def test_models_are_built_once_on_first_use_even_from_many_threads():
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_USE_IN_MANY_THREADS], capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "ok"
