"""Log, escalate and resolve a complaint by keyboard at 80x24."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.screens.complaints import ComplaintPage, ComplaintsScreen
from supervisor_tui.widgets.form import RecordForm

SIZE = (80, 24)


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_log_escalate_and_resolve_by_keyboard(records):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        assert isinstance(app.screen, ComplaintsScreen)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-customer_name").value = "Mrs J Smith"
        form.query_one("#f-category").value = "faulty goods"
        form.query_one("#f-summary").text = "Kettle stopped working after a week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintsScreen)
        table = app.screen.query_one("#cp-table", DataTable)
        assert "Mrs J Smith" in str(table.get_row_at(0)[2])
        await pilot.press("enter")
        page = app.screen
        assert isinstance(page, ComplaintPage)
        await pilot.press("m", "y")  # acknowledged (y: the move asks first)
        await pilot.press("e")  # escalate to the supervisor
        escalation = app.screen
        assert isinstance(escalation, RecordForm)
        escalation.query_one("#f-reason").text = "Customer asked for a supervisor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("m", "y")  # investigating
        await pilot.press("s")
        resolution = app.screen
        assert isinstance(resolution, RecordForm)
        resolution.query_one("#f-outcome").text = "Replacement kettle sent, apology given"
        resolution.query_one("#f-remedy").value = "replacement"
        resolution.query_one("#f-satisfied").value = "yes"
        resolution.query_one("#f-root_cause").value = "supplier quality"
        await pilot.press("ctrl+s")
        await pilot.pause()
        body = str(page.query_one("#cpp-body", Static).render())
        assert "resolved" in body and "escalated to supervisor" in body and "Replacement kettle" in body
    (c,) = records.complaints.repo.all()
    assert (c.stage, c.level, c.remedy, c.responded_on) == ("resolved", 1, "replacement", Clock().today())
    assert [e.what for e in c.history] == [
        "received",
        "acknowledged",
        "escalated to supervisor",
        "investigating",
        "resolved",
    ]


async def test_skipping_acknowledgement_is_not_offered_and_closing_needs_an_outcome(records):
    from supervisor_tui.domain.complaints import Complaint

    c = records.complaints.log(
        Complaint(received_at="2026-11-20T10:00:00Z", customer_name="Mr X", category="delivery", summary="Late")
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter", "m", "y")
        assert records.complaints.repo.get(c.id).stage == "acknowledged"  # the next stage is acknowledgement
        body = str(app.screen.query_one("#cpp-body", Static).render())
        assert "Acknowledgement due" in body and "Final response due" in body
