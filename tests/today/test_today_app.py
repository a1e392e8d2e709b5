"""Today at 80x24, as a supervisor meets it: the app opens on it, Enter goes to the record a line is
about and Esc comes back, another session's save shows up, and nothing below the fold goes unsaid."""

from __future__ import annotations

from datetime import date

import pytest

from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.complaints import ComplaintPage
from supervisor_tui.screens.data_protection.requests import RequestsScreen
from supervisor_tui.screens.today import TodayScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store

from ..conftest import settle

SIZE = (80, 24)


def rows(screen: TodayScreen) -> list[str]:
    table = screen.table
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def wait_for(pilot, condition, seconds: float = 3.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return True
    return condition()


@pytest.mark.opens_on_today
async def test_the_app_opens_on_today_and_a_complaint_line_opens_the_complaint_and_esc_comes_back(demo_records):
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen) and app.current_mode == "today"
        shown = rows(screen)
        assert shown[0].startswith("!! Complaints C-")  # a breached complaint clock is the most urgent
        first = screen.shown.lines[0]
        assert first.target is not None and first.target[0] == "complaint"
        detail = str(screen.query_one("#today-detail").render())
        assert f"line 1 of {len(shown)}" in detail and "more below" in detail  # the fold is said
        await pilot.press("down", "up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintPage) and app.screen.complaint_id == first.target[1]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.table.cursor_row == 0


@pytest.mark.opens_on_today
async def test_every_part_of_the_job_is_on_the_demos_today_and_every_line_opens_somewhere(demo_records):
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        parts = {line.part for line in screen.shown.lines}
        assert {"Now", "Briefing", "Complaints", "People", "Quality", "Data"} <= parts
        for index, line in enumerate(screen.shown.lines):
            if line.target is None:
                continue
            screen.table.move_cursor(row=index)
            await pilot.press("o")
            await settle(pilot)
            assert app.screen is not screen or app.current_mode != "today", line
            if line.target[0] == "section":
                assert app.current_mode == line.target[1]
                await pilot.press("0")
            else:
                await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen, line


async def test_section_key_zero_opens_today_and_another_sessions_save_shows_up(demo_records, db_path):
    app = SupervisorApp(demo_records, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert not any("Zed Requester" in r for r in rows(screen))
        other = Records(Store(str(db_path)), demo_records.clock)
        other.subject_access.log("Zed Requester", date(2026, 10, 1))  # a month and more ago: overdue
        assert await wait_for(pilot, lambda: any("Zed Requester" in r for r in rows(screen)))
        line = next(line for line in screen.shown.lines if "Zed Requester" in line.text)
        assert line.urgency == 0 and line.target is not None
        screen.table.move_cursor(row=screen.shown.lines.index(line))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
        highlighted = app.screen._highlighted()
        assert highlighted is not None and highlighted.requester == "Zed Requester"
