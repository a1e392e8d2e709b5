"""The subject access requests screen at 80x24, by keyboard: most urgent first, each step one key,
a late extension refused under its field, and typed names never read as markup."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.data_protection.requests import RequestsScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.text import LiteralTable

SIZE = (80, 24)
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)  # Tuesday 20 October 2026


@pytest.fixture
def rec(db_path) -> Records:
    records = Records(Store(str(db_path)), Clock.fixed(NOW))
    sam = records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=30, date_of_birth=date(1990, 1, 1))
    )
    service = records.subject_access
    service.log("Sam Patel", date(2026, 10, 15), member_id=sam.saved_id)  # SAR-0001, due Mon 16 Nov
    service.log("Lucy [b]Late[/b]", date(2026, 9, 10), how="email")  # SAR-0002, due Mon 12 Oct: overdue
    service.record_clarification(service.log("Wes Wait", date(2026, 10, 2)), date(2026, 10, 3))  # SAR-0003
    return records


def rows(screen: RequestsScreen) -> list[list[str]]:
    table = screen.table
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def detail(screen: RequestsScreen) -> str:
    return str(screen.query_one("#sar-detail", Static).render())


def toasts(app: SupervisorApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def open_requests(app: SupervisorApp, pilot) -> RequestsScreen:
    await app.push_screen(RequestsScreen())
    await pilot.pause()
    assert isinstance(app.screen, RequestsScreen)
    return app.screen


async def test_the_list_is_most_urgent_first_and_names_are_text_not_markup(rec):
    app = SupervisorApp(rec)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_requests(app, pilot)
        assert [r[0] for r in rows(screen)] == ["SAR-0002", "SAR-0001", "SAR-0003"]
        assert rows(screen)[0][1:] == ["Lucy [b]Late[…", "10/09/26", "12/10/26", "overdue 8d", "ID not checked"]
        assert rows(screen)[2][3:] == ["—", "clock stopped", "awaiting clari…"]
        assert "Lucy [b]Late[/b] · customer · received 10/09/2026 by email" in detail(screen)
        assert "due Mon 12/10/2026 (one month, UK GDPR Art. 12(3))" in detail(screen)
        title = str(screen.query_one("#sar-title", Static).render())
        assert "3 open · 1 overdue · 0 due within 7 days" in title
        assert isinstance(screen.table, LiteralTable)


async def test_log_check_id_deliver_and_close_by_keyboard(rec):
    app = SupervisorApp(rec)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_requests(app, pilot)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-requester").value = "Jo Bloggs"
        form.query_one("#f-whose").value = "customer"
        form.query_one("#f-received_on").value = "19/10/2026"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert any("Logged SAR-0004: due Thu 19/11/2026" in t for t in toasts(app))
        assert [r[0] for r in rows(screen)] == ["SAR-0002", "SAR-0001", "SAR-0004", "SAR-0003"]

        await pilot.press("down", "down", "i")  # on SAR-0004
        form = app.screen
        assert isinstance(form, RecordForm) and "SAR-0004" in form.form_title
        form.query_one("#f-identity_checked_on").value = "20/10/2026"
        form.query_one("#f-identity_how").value = "passport seen"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert "ID checked 20/10/2026 passport seen · day one 20/10/2026 · due Fri 20/11/2026" in detail(screen)

        await pilot.press("d")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-delivered_how").value = "secure email"
        await pilot.press("ctrl+s")
        assert [r[0] for r in rows(screen)] == ["SAR-0002", "SAR-0001", "SAR-0003"]  # answered ones are hidden
        await pilot.press("o")
        assert rows(screen)[-1][0] == "SAR-0004" and rows(screen)[-1][4:] == ["on time", "delivered"]

        await pilot.press("r")  # the cursor stayed on the third row, now SAR-0003: withdrawn
        form = app.screen
        assert isinstance(form, RecordForm) and "SAR-0003" in form.form_title
        form.query_one("#f-closed_as").value = "withdrawn"
        form.query_one("#f-close_reason").text = "they no longer want it"
        await pilot.press("ctrl+s")
        assert app.screen is screen
    done = rec.subject_access.get("SAR-0004")
    assert (done.identity_how, done.delivered_on, done.delivered_how) == (
        "passport seen",
        date(2026, 10, 20),
        "secure email",
    )
    gone = rec.subject_access.get("SAR-0003")
    assert (gone.closed_as, gone.close_reason) == ("withdrawn", "they no longer want it")


async def test_a_late_extension_is_refused_under_its_field_citing_art_12_3(rec):
    app = SupervisorApp(rec)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_requests(app, pilot)
        await pilot.press("x")  # SAR-0002: the first month ended Mon 12 Oct
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-extension_reason").text = "several years of call recordings"
        await pilot.press("ctrl+s")
        assert app.screen is form
        error = str(form.query_one("#e-extension_told_on", Static).render())
        assert "UK GDPR Art. 12(3)" in error and "ended Mon 12/10/2026" in error
        form.query_one("#f-extension_told_on").value = "12/10/2026"  # they were told in time: recorded late
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert rows(screen)[1][0] == "SAR-0002" and rows(screen)[1][3:] == ["10/12/26", "51 days left", "extended"]
        await pilot.press("down", "x")  # extended once already: said, no form
        assert app.screen is screen
        assert any("already extended" in t for t in toasts(app))
    assert rec.subject_access.get("SAR-0002").extension_told_on == date(2026, 10, 12)


async def test_steps_on_an_answered_request_are_not_offered_and_esc_goes_back(rec):
    rec.subject_access.deliver(rec.subject_access.get("SAR-0001"), date(2026, 10, 19))
    app = SupervisorApp(rec)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = app.screen
        screen = await open_requests(app, pilot)
        await pilot.press("o", "down", "down", "i")  # the answered one, last
        assert app.screen is screen
        assert any("SAR-0001 is delivered: no identity check now." in t for t in toasts(app))
        await pilot.press("escape")
        assert app.screen is before


async def test_the_palette_finds_a_request_by_its_reference_or_requester_even_once_answered(rec):
    """A supervisor asked 'where are we with Wes's request?' types his name, as for a member or a complaint."""
    service = rec.subject_access
    service.deliver(service.get("SAR-0002"), date(2026, 10, 19), how="post")
    app = SupervisorApp(rec)
    async with app.run_test(size=SIZE) as pilot:
        for typed, reference in (("wes wait", "SAR-0003"), ("SAR-0002", "SAR-0002")):
            await pilot.press("ctrl+p")
            for char in typed:
                await pilot.press(char if char != " " else "space")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RequestsScreen) and app.current_mode == "data_protection"
            highlighted = screen._highlighted()
            assert highlighted is not None and highlighted.id == reference
            await pilot.press("escape")
        assert screen.show_answered  # SAR-0002 was delivered: answered requests are shown to highlight it
