"""Recording a one-to-one by keyboard at 80x24, and seeing its actions in the next meeting's agenda."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
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
    sam = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
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
    assert meeting.feedback[0].parts == {
        "situation": "Monday 10:15 call",
        "behaviour": "Explained the refund clearly",
        "impact": "Customer thanked us",
    }
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


async def test_response_objective_and_plan_on_the_member_page(records):
    from textual.widgets import DataTable

    from supervisor_tui.domain.one_to_ones import Meeting
    from supervisor_tui.screens.one_to_ones import MemberOneToOnesScreen

    sam = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    meeting = records.one_to_ones.record_meeting(
        Meeting(member_id=sam.id, held_on=Clock().today(), notes="Agreed"), [], {}, {}
    )
    records.complaints.repo.create(
        Complaint(
            member_ids=[sam.id],
            received_at="2026-11-01T09:00:00Z",
            customer_name="Ms B Lee",
            category="refund",
            stage="resolved",
            outcome="Refund corrected",
            summary="Wrong refund",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "enter")
        page = app.screen
        assert isinstance(page, MemberOneToOnesScreen)
        await pilot.press("k")
        form = app.screen
        form.query_one("#f-agreed").value = False
        await pilot.press("ctrl+s")  # disagreement needs their words
        assert "own words" in str(form.query_one("#form-problem", Static).render()) + str(
            form.query_one("#e-disagreement", Static).render()
        )
        form.query_one("#f-disagreement").text = "The queue was not my fault"
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = [str(c) for c in page.query_one("#mo-meetings", DataTable).get_row(meeting.id)]
        assert row[3].startswith("disagrees")

        await pilot.press("o")
        await type_text(pilot, "Be better")
        await pilot.press("ctrl+s")
        assert "Not quite SMART" in str(app.screen.query_one("#form-problem", Static).render())
        await pilot.press("ctrl+s")  # keep it as it is
        await pilot.pause()
        assert "missing" in str(page.query_one("#mo-plans", Static).render())

        await pilot.press("p")
        plan_form = app.screen
        for name, value in (
            ("issue", "Refund given without the receipt check"),
            ("evidence", "c-0001"),
            ("targets", "No refund errors in 6 weeks"),
            ("support", "Refund refresher"),
        ):
            field = plan_form.query_one(f"#f-{name}")
            if hasattr(field, "text"):
                field.text = value
            else:
                field.value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Improvement plan" in str(page.query_one("#mo-plans", Static).render())
        await pilot.press("v", "ctrl+s")
        await pilot.pause()
        await pilot.press("e")  # correct the note after they responded
        note_form = app.screen
        note_form.query_one("#f-notes").text = "Agreed, and more"
        note_form.query_one("#f-reason").value = "added the second agreement"
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = [str(c) for c in page.query_one("#mo-meetings", DataTable).get_row(meeting.id)]
        assert row[3] == "edited since: ask again"
        assert "Note changed 1 time(s)" in str(page.query_one("#mo-detail", Static).render())
        await pilot.press("c")
        app.screen.query_one("#f-final_result").text = "No refund errors in 6 weeks"
        await pilot.press("ctrl+s")
        await pilot.pause()
    plan = records.one_to_ones.plans.all()[0]
    assert plan.issues[0].evidence == ["C-0001"] and plan.reviews[0].held_on == Clock().today()
    assert plan.status == "completed" and records.one_to_ones.plan_for(sam.id) is None
    history = records.one_to_ones.meetings.history(meeting.id)
    versions = [c.changes["notes"][1] for c in history if "notes" in c.changes]  # (old, new) per change
    assert "Agreed" in versions and "Agreed, and more" in versions  # both versions kept


async def test_carried_forward_actions_are_in_view_at_80x24(demo_records):
    """The table d and x act on shows each action (it once squashed to one blank line), above the agenda."""
    from textual.widgets import DataTable

    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "r")
        page = app.screen
        assert isinstance(page, RecordMeetingScreen)
        table = page.query_one("#mt-actions", DataTable)
        carried = demo_records.one_to_ones.open_actions(page.member_id)
        assert 2 <= len(carried) <= RecordMeetingScreen.ACTION_ROWS  # the demo's first person has some
        assert table.has_focus and table.region.height == len(carried) + 1  # a header and every action
        assert table.region.bottom <= SIZE[1] - 2  # on screen, above the status line and the footer
        assert table.max_scroll_x == 0  # no sideways scrollbar taking a row
        shown = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert all(a.what[:20] in line for a, line in zip(carried, shown, strict=True))
        await pilot.press("d")
        assert str(table.get_row_at(0)[3]) == "done"


async def test_no_carried_forward_actions_says_so(records):
    records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3)))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "r")
        assert not app.screen.query_one("#mt-actions").display
        assert app.screen.query_one("#mt-no-actions").display
