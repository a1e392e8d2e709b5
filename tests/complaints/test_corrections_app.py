"""A complaint's page at 80x24 (issue 15): m asks before moving a stage (a second m does not move it
twice), c corrects what was logged with why, v voids it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from textual.widgets import Input, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.screens.complaints import ComplaintPage, ComplaintsScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import Confirm, ReasonPrompt

SIZE = (80, 24)


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def body(app) -> str:
    return str(app.screen.query_one("#cpp-body", Static).render())


def one_complaint(db_path) -> tuple[Records, Complaint]:
    records = Records(Store(str(db_path)), Clock.fixed(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)))
    c = records.complaints.log(
        Complaint(
            received_at="2026-11-23T10:15:00.000000Z",
            customer_name="Mrs J Smith",
            category="faulty goods",
            summary="Kettle stopped working",
        )
    )
    return records, c


async def test_moving_a_stage_asks_first_and_a_second_m_does_not_move_it_again(db_path):
    records, c = one_complaint(db_path)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert isinstance(page, ComplaintPage)
        await pilot.press("m")
        assert isinstance(app.screen, Confirm)
        assert f"Move {c.id} from received to acknowledged?" in str(app.screen.query_one("#prompt-question").render())
        await pilot.press("m")  # pressed twice, as before: the question is still open, nothing moved
        assert isinstance(app.screen, Confirm) and records.complaints.get(c.saved_id).stage == "received"
        await pilot.press("n")
        assert app.screen is page and records.complaints.get(c.saved_id).stage == "received"
        await pilot.press("m", "m", "y")
        assert app.screen is page and records.complaints.get(c.saved_id).stage == "acknowledged"
        await pilot.press("m", "enter")  # Enter says yes too
        assert records.complaints.get(c.saved_id).stage == "investigating"
    assert [e.what for e in records.complaints.get(c.saved_id).history] == ["received", "acknowledged", "investigating"]


async def test_correct_a_wrong_received_date_then_void_the_complaint(db_path):
    records, c = one_complaint(db_path)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert "Acknowledgement due Wed 25/11/2026" in body(app)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, RecordForm) and form.query_one("#f-received", Input).value == "23/11/2026 10:15"
        form.query_one("#f-received", Input).value = "16/11/2026 09:00"
        form.query_one("#f-reason", Input).value = "it came by letter the week before"
        await pilot.press("ctrl+s")
        assert app.screen is page
        assert "Acknowledgement due Wed 18/11/2026: breached" in body(app)  # the clocks follow the correction
        assert "details corrected" in body(app) and "23/11/2026 10:15 → 16/11/2026 09:00" in body(app)

        await pilot.press("c")
        form = app.screen
        form.query_one("#f-category", Input).value = ""
        form.query_one("#f-reason", Input).value = "oops"
        head = records.store.head
        await pilot.press("ctrl+s")
        assert app.screen is form and records.store.head == head  # refused, saying why, typing kept
        assert "cannot be blank" in str(form.query_one("#e-category", Static).render())
        await pilot.press("escape", "y")

        await pilot.press("v")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "logged twice")
        await pilot.press("enter")
        assert isinstance(app.screen, ComplaintsScreen)  # back to the list, which no longer has it
    stored = records.complaints.get(c.saved_id)
    assert stored.voided and stored.void_reason == "logged twice"
    assert stored.received_at == "2026-11-16T09:00:00.000000Z" and records.complaints.ids() == set()
    assert records.complaints.received_day(stored) == date(2026, 11, 16)
