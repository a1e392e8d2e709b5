"""The demo writes history as it happened, but never an entry dated after the moment it runs, and it is
all or nothing: a demo stopped half way leaves nothing behind that blocks running it again."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from storage import verify
from supervisor_tui import demo as demo_module
from supervisor_tui.demo import build_demo
from supervisor_tui.domain.clock import Clock

from ..conftest import DEMO_TODAY
from ..storage.conftest import load


def test_no_entry_is_dated_after_the_moment_the_demo_runs(tmp_path):
    ran_at = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)  # next week's rota is made 'now', not next week
    path = tmp_path / "demo.json"
    build_demo(path, seed=3, clock=Clock.fixed(ran_at), today=DEMO_TODAY)
    stamps = [e["at"] for e in load(path)["audit"].values()]
    assert max(stamps) <= "2026-11-22T09:30:00.000000Z"
    report = verify(load(path))
    assert report.ok and not report.warnings


def test_a_demo_that_fails_half_way_leaves_nothing_and_can_run_again(tmp_path, monkeypatch):
    path = tmp_path / "demo.json"

    def crash(ctx):
        raise KeyboardInterrupt  # as if killed after the team, one-to-ones and complaints were written

    monkeypatch.setattr(demo_module.shifts, "build", crash)
    with pytest.raises(KeyboardInterrupt):
        build_demo(path, seed=1, today=DEMO_TODAY)
    assert list(tmp_path.iterdir()) == []  # no half data set, no temp file, no lock file
    monkeypatch.undo()
    records = build_demo(path, seed=1, today=DEMO_TODAY)
    assert records.team.members() and verify(load(path)).ok
