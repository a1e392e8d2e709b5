"""Recording a one-to-one by keyboard at 80x24, and seeing its actions in the next meeting's agenda."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.one_to_ones import OneToOnesScreen, RecordMeetingScreen
from supervisor_tui.widgets.form import RecordForm

SIZE = (80, 24)


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def add_action(pilot, what: str) -> None:
    await pilot.press("n")
    await type_text(pilot, what)
    await pilot.press("ctrl+s")


async def test_record_a_meeting_with_sbi_feedback_and_two_actions(records):
    sam = records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=37.5,
                                  date_of_birth=date(1990, 4, 3)))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert isinstance(app.screen, OneToOnesScreen)
        await pilot.press("r")
        page = app.screen
        assert isinstance(page, RecordMeetingScreen)
        await pilot.press("f")
        assert isinstance(app.screen, RecordForm)
        await pilot.press("tab")
        await type_text(pilot, "Monday 10:15 call")
        await pilot.press("tab")
        await type_text(pilot, "Explained the refund clearly")
        await pilot.press("tab")
        await type_text(pilot, "Customer thanked us")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordMeetingScreen) and len(page.feedback) == 1
        await add_action(pilot, "Shadow Priya on complaints")
        await add_action(pilot, "Read the returns policy")
        await pilot.pause()
        assert len(page.new_actions) == 2
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OneToOnesScreen)
        await pilot.press("r")  # the next meeting's agenda carries them
        agenda = str(app.screen.query_one("#mt-agenda", Static).render())
        assert "Shadow Priya on complaints" in agenda and "Read the returns policy" in agenda
    (meeting,) = records.one_to_ones.meetings_for(sam.id)
    assert meeting.feedback[0].parts == {"situation": "Monday 10:15 call", "behaviour": "Explained the refund clearly",
                                         "impact": "Customer thanked us"}
    assert {a.raised_in for a in records.one_to_ones.open_actions(sam.id)} == {meeting.id}


async def test_trait_words_and_negatives_only_get_prompts(records):
    records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3)))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "r", "f")
        form = app.screen
        form.query_one("#f-kind").value = "development"
        await pilot.press("tab", "tab")
        await type_text(pilot, "He was lazy")
        await pilot.press("ctrl+s")
        assert "describes the person" in str(form.query_one("#form-problem", Static).render())
        await pilot.press("ctrl+s")  # a prompt, not a block
        await pilot.pause()
        page = app.screen
        assert isinstance(page, RecordMeetingScreen)
        await pilot.press("ctrl+s")
        assert "Only development points" in str(page.query_one("#mt-problem", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OneToOnesScreen)
