"""The app offers the yearly seal at 80x24: a notice, then the palette's entry shows the preview and asks."""

from __future__ import annotations

from textual.widgets import Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.demo import build_demo
from supervisor_tui.domain.clock import Clock
from supervisor_tui.widgets.prompt import Confirm

from ..app.test_team_live import SIZE, toast_texts, wait_for
from ..conftest import DEMO_NOW, settle

OFFERED = "Closed records from before 01/11/2025 can be sealed"


async def test_a_record_reaching_back_over_a_year_is_offered_the_seal_and_sealed_after_the_preview(db_path):
    records = build_demo(db_path, seed=1, clock=Clock.fixed(DEMO_NOW), months=16, team_size=6)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert await wait_for(pilot, lambda: any(OFFERED in t for t in toast_texts(app)), 20), toast_texts(app)
        app.action_seal_closed()
        # (pushed from the preview's worker: on a busy machine the test can look before it has composed)
        assert await wait_for(
            pilot, lambda: isinstance(app.screen, Confirm) and app.screen.query("#prompt-question"), 20
        )
        question = str(app.screen.query_one("#prompt-question", Static).render())
        assert "Seal closed records from before 01/11/2025 into segment 1" in question
        assert "one-to-one meetings" in question and "Seal them now?" in question
        await pilot.press("n")
        assert not records.store.segments()
        app.action_seal_closed()
        assert await wait_for(pilot, lambda: isinstance(app.screen, Confirm), 20)
        await pilot.press("y")
        await settle(pilot)
        assert records.store.segments()
        assert await wait_for(pilot, lambda: any("are sealed in segment 1" in t for t in toast_texts(app)), 10)


async def test_a_young_record_is_not_offered_the_seal(db_path):
    records = build_demo(db_path, seed=1, clock=Clock.fixed(DEMO_NOW), months=4, team_size=6)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert await wait_for(pilot, lambda: not any(w.group == "readable" and w.is_running for w in app.workers), 20)
        await pilot.pause(0.2)
        assert not any("can be sealed" in t for t in toast_texts(app))
        assert records.sealing.offer() is None
