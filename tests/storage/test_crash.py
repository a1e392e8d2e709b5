"""A writer killed with SIGKILL at random moments never leaves a broken file or loses an acknowledged write."""

from __future__ import annotations

import os
import random
import signal
import time

from supervisor_tui.storage import Store, verify_record

from .conftest import CRASHY, spawn

ROUNDS = 30


def test_sigkill_at_random_moments_loses_nothing_acknowledged(store_path, tmp_path):
    Store(str(store_path))
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    out_file = tmp_path / "acks.txt"
    for _ in range(ROUNDS):
        with open(out_file, "w") as out:
            proc = spawn(CRASHY, store_path, stdout=out)
            deadline = time.monotonic() + 30
            while not out_file.read_text() and time.monotonic() < deadline:  # past start-up, however slow
                time.sleep(0.005)
            time.sleep(rng.uniform(0.005, 0.08))  # then a random moment mid-write
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        acknowledged.extend(out_file.read_text().split())

        store = Store(str(store_path))  # it opens (never half a file)
        report = verify_record(store_path)
        assert report.ok, report.problems
        present = {n["id"] for n in store.records("notes")}
        missing = [i for i in acknowledged if i not in present]
        assert not missing, f"acknowledged but lost: {missing[:5]}"

    # Each round should have landed some writes before the kill, or it tested nothing.
    assert len(acknowledged) >= ROUNDS, f"only {len(acknowledged)} writes acknowledged in {ROUNDS} rounds"
    # Orphaned temp files from killed writers are removed by the next writer to take the lock.
    Store(str(store_path)).create("notes", "N", {"n": -1})
    leftovers = [n for n in os.listdir(store_path.parent) if n.startswith(f".{store_path.name}.tmp-")]
    assert leftovers == []
