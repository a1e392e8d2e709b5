"""The report on screen at 80x24: r on Today opens last month's, worked out in a worker while the screen
answers keys; [ and ] step the period, m switches month, week and quarter, w writes the HTML to the user's
own exports folder and says where; Esc goes back to Today. The command palette finds it too."""

from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from supervisor_tui import locations
from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.report import ReportScreen
from supervisor_tui.screens.today import TodayScreen
from supervisor_tui.services.report import render

from ..conftest import press_now, settle

SIZE = (80, 24)


def title(screen: ReportScreen) -> str:
    return str(screen.query_one("#report-title", Static).render())


def body(screen: ReportScreen) -> str:
    """The report as the screen shows it, as plain text."""
    console = Console(width=78, record=True, file=io.StringIO(), color_system=None)
    console.print(screen.query_one("#report-text", Static).content)
    return console.export_text()


@pytest.mark.opens_on_today
async def test_today_opens_the_report_and_its_keys_step_switch_and_write(demo_records, monkeypatch):
    build, threads = demo_records.report.build, []

    def reading(window):
        threads.append(threading.current_thread())
        return build(window)

    monkeypatch.setattr(demo_records.report, "build", reading)
    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        await press_now(pilot, "r")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await settle(pilot)
        assert threads and threading.main_thread() not in threads  # read in a worker: the UI never waits
        assert screen.shown is not None and screen.shown.window.name == "2026-10"
        assert title(screen) == "Team report: 2026-10 (1 Oct 2026 to 31 Oct 2026)"
        assert "TEAM KPIS" in body(screen) and "IMPROVEMENT ACTIONS" in body(screen)

        await pilot.press("left_square_bracket")
        assert screen.shown.window.name == "2026-09"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.shown.window.name == "2026-11" and title(screen).endswith("· so far")  # 22 November
        await pilot.press("right_square_bracket")  # December has not started: it stays on November
        assert screen.shown.window.name == "2026-11"
        assert any("2026-12 has not started yet" in str(n.message) for n in app._notifications)

        await pilot.press("m")
        assert screen.shown.window.name == "2026-W47"
        await pilot.press("m")
        assert screen.shown.window.name == "2026-Q4"
        await pilot.press("m")
        assert screen.shown.window.name == "2026-11"

        await pilot.press("left_square_bracket", "w")
        written = sorted(locations.exports_dir().glob("team-report-2026-10-*.html"))
        assert len(written) == 1
        page = written[0].read_text(encoding="utf-8")
        assert "Team report: 2026-10" in page and 'role="img"' in page
        assert stat.S_IMODE(os.stat(written[0]).st_mode) == 0o600  # it names staff: the user's only
        assert any(str(written[0]) in str(n.message) for n in app._notifications)

        await pilot.press("escape")
        assert app.screen is today


async def test_the_command_palette_finds_the_report(demo_records):
    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Team report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen) and app.screen.shown is not None


async def test_writing_where_the_record_lives_is_refused_and_says_why(demo_records, monkeypatch):
    """The record's folder is shared by the team: a report naming staff is never left there."""
    monkeypatch.setattr(locations, "exports_dir", lambda: Path(demo_records.store.path).parent)
    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0", "r", "w")
        assert any("was not written" in str(n.message) for n in app._notifications)
        assert not list(Path(demo_records.store.path).parent.glob("team-report-*"))


async def test_names_people_typed_are_shown_as_typed(db_path):
    """Every hostile name in the demo, in the quality and one-to-one tables: literal text, hidden characters
    shown, nothing read as markup (a name such as 'Sam [/b] Jones' would otherwise stop the screen)."""
    from supervisor_tui.demo import build_demo
    from supervisor_tui.domain.clock import Clock

    from ..conftest import DEMO_NOW
    from ..output.hostile import raw_controls, store_hostile

    records = build_demo(db_path, seed=1, clock=Clock.fixed(DEMO_NOW))
    store_hostile(records)
    app = SupervisorApp(records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0", "r")
        screen = app.screen
        assert isinstance(screen, ReportScreen) and app.is_running
        text = body(screen)
        words = " ".join(text.split())  # a table cell may wrap a name over two lines
        assert "Sam [/b]" in words and "[bold red]" in words and "\\x1b[2J" in words
        # Wrapped, never cut: every 'too few to read as a trend' of the report reaches the screen whole.
        assert words.count("few") == render(screen.shown, "md").count("few") > 10
        assert not raw_controls(text)
        await pilot.press("pagedown", "pagedown")
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert not raw_controls(shown)
