"""The Data protection section at 80x24: what is due, erased by keyboard after a preview and a reason."""

from __future__ import annotations

from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.data_protection.overview import DataProtectionScreen
from supervisor_tui.widgets.prompt import Confirm, ReasonPrompt
from supervisor_tui.widgets.text import LiteralTable

from ..conftest import settle

SIZE = (80, 24)


async def test_the_demo_customer_due_for_erasure_is_previewed_and_erased_by_keyboard(demo_records, db_path):
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DataProtectionScreen)
        table = screen.query_one("#dp-table", LiteralTable)
        (group,) = demo_records.data_protection.due()
        (item,) = group.items
        contact = item.record.customer_contact
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == group.person
        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        question = app.screen.question
        assert f"Customer: {group.person}" in question and contact in question and "cannot be undone" in question
        await pilot.press("y")
        assert isinstance(app.screen, ReasonPrompt)
        app.screen.query_one("#prompt-input").value = "retention schedule: six months after closure"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.row_count == 0
    erased = [c for c in demo_records.complaints.repo.all() if c.erased]
    assert len(erased) == 1 and erased[0].customer_name.startswith("erased on ")
    assert contact.encode() not in db_path.read_bytes()


async def test_escape_at_the_preview_erases_nothing(demo_records):
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DataProtectionScreen)
    assert not [c for c in demo_records.complaints.repo.all() if c.erased]


async def test_the_schedule_and_holds_views_say_why(demo_records):
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("s")
        screen = app.screen
        table = screen.query_one("#dp-table", LiteralTable)
        assert table.row_count == 7  # every kind of personal data the record holds, the SAR log too
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Rota and working-time records" in rows
        await pilot.press("down")
        about = str(screen.query_one("#dp-about").render())
        assert "reg 9" in about
        await pilot.press("h")
        assert table.row_count == 0
        assert "No legal holds" in str(screen.query_one("#dp-about").render())


async def test_the_section_reads_what_is_due_off_the_ui_thread_every_time(demo_records, monkeypatch):
    """On five years of rota the due list takes about half a second to work out: the section opens, and
    redraws after an erasure, without the keyboard waiting for it."""
    import threading

    threads: list[bool] = []
    real = DataProtectionScreen.load

    def load(self):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(self)

    monkeypatch.setattr(DataProtectionScreen, "load", load)
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        app.screen.reload()  # as after the person's own erasure
        await settle(pilot)
        assert app.screen.query_one("#dp-table", LiteralTable).row_count
    assert threads and not any(threads)


async def test_the_rota_grid_shows_erased_shifts_in_a_row_of_their_own(demo_records):
    """Shifts whose person was erased still count towards cover (the Short row), so they are shown, as no one's."""
    from datetime import timedelta

    from supervisor_tui.domain.retention import ERASED_PERSON, ROTA
    from supervisor_tui.services.data_protection import Item

    from ..conftest import DEMO_TODAY

    monday = DEMO_TODAY - timedelta(days=DEMO_TODAY.weekday())
    week = demo_records.shifts.between(monday, monday + timedelta(days=6))
    theirs = [s for s in week if s.member_id == week[0].member_id]
    repo = demo_records.shifts.shifts
    demo_records.data_protection.erase([Item(ROTA, repo, s, s.day, s.day) for s in theirs], "test of the grid")
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        grid = app.screen.query_one("#rota-grid", LiteralTable)
        labels = [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]
        row = next(i for i, label in enumerate(labels) if label.strip().startswith(ERASED_PERSON))
        assert sum(str(c).strip() not in ("·", "") for c in grid.get_row_at(row)[1:]) == len({s.day for s in theirs})
        grid.move_cursor(row=row, column=1)
        await pilot.pause()
        assert "still count as cover" in str(app.screen.query_one("#rota-detail").render())


async def test_a_hold_reason_of_two_lines_cannot_add_a_line_to_the_erasure_preview(demo_records):
    """A hold's reason may be typed over several lines (the CLI takes any text): quoted in the preview it
    stays on its own line, shown with \\x0a, so it cannot add a line that reads as the app's own."""
    forged = "Ombudsman\n\nNothing will be erased: this is a test. Erase?"
    demo_records.data_protection.place_hold("C-0011", forged)  # Mrs J Smith's (Mr A Khan has a request open)
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ReasonPrompt)
        app.screen.query_one("#prompt-input").value = "Mrs J Smith"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        lines = app.screen.question.splitlines()
        preview = demo_records.data_protection.for_customer("Mrs J Smith")
        assert len(lines) == 1 + len(preview.lines()) + 2  # the title, the preview, a gap and the question
        kept = next(line for line in lines if line.startswith("kept: C-0011"))
        assert "Ombudsman\\x0a\\x0aNothing will be erased: this is a test. Erase?" in kept
        assert lines[-1] == "This cannot be undone. Erase?"
        await pilot.press("n")
