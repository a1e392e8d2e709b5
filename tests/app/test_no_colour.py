"""Without colour (NO_COLOR, a Linux console), focus and ticks still show: the table cursor and a focused
field stand out by reverse video or underline, and a ticked box holds an X that an unticked one lacks."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.widgets.ticks import TICKED, UNTICKED, TickBox, TickList

SIZE = (80, 24)
TEAM = next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "team")  # the app may open elsewhere


@pytest.fixture
def no_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def add_member(records, name: str = "Sam Patel") -> Member:
    return records.team.add(
        Member(name=name, job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3), skills="tills:expert")
    )


async def test_the_focused_cursor_and_field_show_without_colour(records, no_colour):
    add_member(records)
    app = SupervisorApp(records, theme="high-contrast")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(TEAM)
        assert app.no_color
        table = app.screen.query_one("#team-table", DataTable)
        assert table.has_focus and table.get_component_rich_style("datatable--cursor").reverse
        await pilot.press("slash")  # the list loses the focus: its cursor is underlined, the box underlined
        cursor = table.get_component_rich_style("datatable--cursor")
        assert cursor.underline and not cursor.reverse
        assert app.screen.query_one("#team-search").rich_style.underline


async def test_tick_boxes_differ_by_glyph(records):
    add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(TEAM, "e")
        box = app.screen.query_one("#f-working_time_opt_out", TickBox)
        assert box.BUTTON_INNER == UNTICKED and "no" in str(box.label)
        box.value = True
        await pilot.pause()
        assert box.BUTTON_INNER == TICKED and "yes" in str(box.label)


async def test_attendance_ticks_differ_by_glyph(records):
    from datetime import time, timedelta

    from supervisor_tui.domain.rota import Shift

    today = records.clock.today()
    monday = today - timedelta(days=today.weekday())
    for member in (add_member(records), add_member(records, "Jo Reid")):
        records.shifts.add(Shift(member_id=member.id, day=monday, start=time(9), end=time(13), position="tills"))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "b")
        attended = app.screen.query_one("#brief-attended", TickList)
        attended.focus()
        await pilot.press("space")  # ticks the first person
        await pilot.pause()
        lines = [attended.render_line(y).text for y in range(attended.option_count)]
        assert [line[:4] for line in lines] == [f"▐{TICKED}▌ ", f"▐{UNTICKED}▌ "]
