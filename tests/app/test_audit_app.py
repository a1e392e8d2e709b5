"""The audit viewer at 80x24, by keyboard: L from anywhere, a change read field by field, the filter, and a
member's own history opening the same before -> after."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.audit import AuditFilter, AuditLogScreen, ChangeScreen
from supervisor_tui.screens.team import MemberScreen

from ..conftest import settle
from .test_team_app import type_text

SIZE = (80, 24)


def rows(app: SupervisorApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def with_hours_changed(records):
    sam = records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    records.team.edit(sam.model_copy(update={"contract_hours": 30.0}), "flexible working request agreed")
    records.team.add(Member(name="Amy Stone", job_title="Advisor", contract_hours=20, date_of_birth=date(1991, 3, 1)))
    records.audit_log.names = {"alice": "Alice Example"}.get
    return sam


async def test_read_a_change_in_the_audit_viewer(records):
    with_hours_changed(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        assert isinstance(app.screen, AuditLogScreen)
        listed = rows(app)
        assert [row[2] for row in listed[:3]] == ["M-0002", "M-0001", "M-0001"]  # newest first
        assert listed[1][4] == "changed contract hours"
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ChangeScreen)
        assert rows(app) == [["contract hours", "37.5", "30"]]
        head = str(app.screen.query_one("#change-head", Static).render())
        assert "M-0001 team member" in head and "flexible working request agreed" in head
        await pilot.press("escape")
        assert isinstance(app.screen, AuditLogScreen)


async def test_filter_by_record_and_a_bad_date_is_said_in_the_dialog(records):
    with_hours_changed(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L", "f")
        assert isinstance(app.screen, AuditFilter)
        await type_text(pilot, "m-0002")
        app.screen.query_one("#f-from", Input).value = "31/02/2026"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditFilter)  # nothing listed on a date that does not exist
        error = app.screen.query_one("#e-from", Static)
        assert error.display and "31/02/2026" in str(error.render())
        app.screen.query_one("#f-from", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.pause()
        assert [row[2] for row in rows(app)] == ["M-0002"]
        assert "M-0002" in str(app.screen.query_one("#audit-title", Static).render())
        await pilot.press("x")
        await pilot.pause()
        assert len(rows(app)) > 1


async def test_a_members_history_opens_a_change_before_and_after(records):
    with_hours_changed(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")  # Sam Patel, after Amy Stone by name
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == "M-0001"
        history = app.screen.query_one("#member-history", DataTable)
        assert str(history.get_row_at(0)[2]).startswith("changed contract hours")
        await pilot.press("enter")
        assert isinstance(app.screen, ChangeScreen)
        assert rows(app) == [["contract hours", "37.5", "30"]]


async def test_the_next_page_is_read_as_the_list_nears_its_end(records):
    """A page at a time: the first hundred changes, then the rest once the list is scrolled down to them."""
    with records.store.transaction() as txn:
        for n in range(130):
            txn.create("notes", "N", {"n": n}, reason="bulk")
    total = records.store.head[0]
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        assert len(rows(app)) == 100
        assert "100+ changes" in str(app.screen.query_one("#audit-title", Static).render())
        await pilot.press("ctrl+end")  # the cursor to the last change listed: the next page is read
        await until_more_than(pilot, 100)
        assert len(rows(app)) == total
        assert f"{total} changes" in str(app.screen.query_one("#audit-title", Static).render())
        assert rows(app)[-1][4] == "set up the record file"
        await pilot.press("escape", "L")
        assert len(rows(app)) == 100
        app.screen.query_one(DataTable).scroll_end(animate=False)  # the mouse wheel: the cursor stays put
        await until_more_than(pilot, 100)
        assert len(rows(app)) == total and app.screen.query_one(DataTable).cursor_row == 0


async def until_more_than(pilot, count: int) -> None:
    for _ in range(100):  # the key or the scroll is handled, then the next page is read in the background
        if len(rows(pilot.app)) > count:
            break
        await pilot.pause(0.05)
    await settle(pilot)
