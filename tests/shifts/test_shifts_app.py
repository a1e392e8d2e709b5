"""The Shifts section by keyboard at 80x24: build a shift, see its problems, fix it, void it."""

from __future__ import annotations

from datetime import date, time, timedelta

from textual.widgets import DataTable, Select, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.screens.shifts import ShiftsScreen
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import ReasonPrompt

SIZE = (80, 24)
MONDAY = Clock().today() - timedelta(days=Clock().today().weekday())


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def grid_row(app, member_id: str) -> list[str]:
    table = app.screen.query_one("#rota-grid", DataTable)
    return [str(c) for c in table.get_row(member_id)]


async def test_build_a_shift_by_keyboard_then_fix_and_void_it(records):
    sam = records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, ShiftsScreen)
        await pilot.press("right", "right")  # Sam's row, Tuesday
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-member_id", Select).value == sam.id  # the highlighted person
        await pilot.press("tab", "tab")  # the date is already the highlighted Tuesday
        await type_text(pilot, "09:00")
        await pilot.press("tab")
        await type_text(pilot, "17:30")
        form.query_one("#f-position", Select).value = "tills"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ShiftsScreen)
        (shift,) = records.shifts.between(MONDAY, MONDAY + timedelta(days=6))
        assert (shift.start, shift.end, shift.position, shift.break_minutes) == (time(9), time(17, 30), "tills", 0)
        assert any("!" in cell for cell in grid_row(app, sam.id))  # no break: flagged inline ...
        problems = str(app.screen.query_one("#rota-problems", Static).render())
        assert "reg 12" in problems  # ... and listed with its rule

        await pilot.press("e")
        assert isinstance(app.screen, RecordForm)
        app.screen.query_one("#f-break_minutes").value = "30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert records.shifts.shifts.get(shift.id).break_minutes == 30
        assert "No rota problems" in str(app.screen.query_one("#rota-problems", Static).render())

        await pilot.press("v")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "covered by agency")
        await pilot.press("enter")
        await pilot.pause()
        assert records.shifts.between(MONDAY, MONDAY + timedelta(days=6)) == []
        assert records.shifts.shifts.get(shift.id).void_reason == "covered by agency"


async def test_week_navigation_and_bad_times_stay_in_the_form(records):
    sam = records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
        )
    )
    records.shifts.add(
        Shift(
            member_id=sam.id,
            day=MONDAY + timedelta(days=7),
            start=time(9),
            end=time(17),
            position="tills",
            break_minutes=30,
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert not any("9-17T" in c for c in grid_row(app, sam.id))
        await pilot.press("right_square_bracket")
        assert any("9-17T" in c for c in grid_row(app, sam.id))
        await pilot.press("t")
        assert not any("9-17T" in c for c in grid_row(app, sam.id))
        head = records.store.head
        await pilot.press("right", "a", "tab", "tab")
        await type_text(pilot, "25:00")
        app.screen.query_one("#f-position", Select).value = "tills"  # a position is always chosen, never assumed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        assert "not a time" in str(app.screen.query_one("#e-start", Static).render())
        assert records.store.head == head


async def test_fill_a_slot_from_the_suggestions(records):
    from supervisor_tui.screens.shifts import FillSlot

    expert = records.team.add(
        Member(
            name="Priya Sharma",
            job_title="Team Leader",
            contract_hours=37.5,
            date_of_birth=date(1988, 1, 1),
            skills="phones:expert",
        )
    )
    records.team.add(
        Member(
            name="Olivia Brown",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1997, 1, 1),
            skills="phones:competent",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "right", "right", "f")  # Wednesday
        fill = app.screen
        assert isinstance(fill, FillSlot)
        fill.query_one("#fill-position", Select).value = "phones"
        await pilot.pause()
        table = fill.query_one("#fill-table", DataTable)
        assert table.row_count == 2
        assert "expert at phones" in str(table.get_row_at(0)[2])  # best first, with the reason shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ShiftsScreen)
    (shift,) = records.shifts.between(MONDAY, MONDAY + timedelta(days=6))
    assert shift.member_id == expert.id and shift.day == MONDAY + timedelta(days=2)
    assert shift.position == "phones" and "expert at phones" in shift.reason  # the reason is kept


async def test_recurring_pattern_copy_last_week_and_leave_by_keyboard(records):
    from supervisor_tui.widgets.prompt import Confirm

    sam = records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "left_square_bracket", "r")  # last week, Sam, Monday
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-position", Select).value = "tills"
        form.query_one("#f-weeks").value = "1"
        form.query_one("#f-end").value = "17:00"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)  # what it would add, asked first
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ShiftsScreen)
        last_week = records.shifts.between(MONDAY - timedelta(weeks=1), MONDAY - timedelta(days=1))
        assert len(last_week) == 5 and {s.start for s in last_week} == {time(9)}

        await pilot.press("right_square_bracket", "c")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert len(records.shifts.between(MONDAY, MONDAY + timedelta(days=6))) == 5

        await pilot.press("l")
        leave_form = app.screen
        assert isinstance(leave_form, RecordForm)
        leave_form.query_one("#f-last_day").value = f"{MONDAY + timedelta(days=1):%d/%m/%Y}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (entry,) = records.shifts.leave_between(MONDAY, MONDAY)
        assert entry.member_id == sam.id and entry.kind == "annual leave"
        problems = str(app.screen.query_one("#rota-problems", Static).render())
        assert "Rota" in problems and "annual leave" in problems  # the copied shifts now clash with leave


async def test_record_a_briefing_and_tick_off_a_catch_up(records):
    from textual.widgets import SelectionList

    from supervisor_tui.screens.briefing import BriefingScreen

    people = [
        records.team.add(
            Member(name=n, job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 1, 1), skills="tills:expert")
        )
        for n in ("Amy Lee", "Ben Cole", "Cara Dunn")
    ]
    for p in people:
        records.shifts.add(
            Shift(member_id=p.id, day=MONDAY, start=time(9), end=time(17), position="tills", break_minutes=30)
        )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "b")  # Monday's briefing
        page = app.screen
        assert isinstance(page, BriefingScreen)
        await pilot.press("ctrl+s")  # empty: refused with a reason
        assert "at least one target" in str(page.query_one("#brief-problem", Static).render())
        await type_text(pilot, "Queue under 3 minutes")
        attended = page.query_one("#brief-attended", SelectionList)
        attended.focus()
        await pilot.press("space", "down", "space")  # Amy and Ben were there
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = records.shifts.briefing_for(MONDAY)
        assert saved.targets == "Queue under 3 minutes" and sorted(saved.attended) == sorted(
            [people[0].id, people[1].id]
        )
        assert [m for _, m in records.shifts.catch_ups_due(MONDAY, MONDAY)] == [people[2].id]
        caught = page.query_one("#brief-caught-up", SelectionList)
        assert caught.display
        caught.focus()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
    assert records.shifts.catch_ups_due(MONDAY, MONDAY) == []
    assert people[2].id in records.shifts.briefing_for(MONDAY).caught_up


async def test_demand_coverage_day_view_and_copying_a_shift(records):
    from supervisor_tui.domain.coverage import Demand
    from supervisor_tui.screens.shifts import DayScreen

    sam = records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
        )
    )
    records.shifts.add(Shift(member_id=sam.id, day=MONDAY, start=time(9), end=time(13), position="tills"))
    records.shifts.demand.create(Demand(position="tills", weekday=0, start=time(9), end=time(17), people=1))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        short = app.screen.query_one("#rota-short", DataTable)
        assert str(short.get_row("short")[1]).strip() == "-4"  # 13:00-17:00 uncovered on Monday
        await pilot.press("right", "enter")
        day = app.screen
        assert isinstance(day, DayScreen)
        assert "4 person-hours short" in str(day.query_one("#day-title", Static).render())
        rows = [
            [str(c) for c in day.query_one("#day-table", DataTable).get_row_at(i)]
            for i in range(day.query_one("#day-table", DataTable).row_count)
        ]
        tills = next(r for r in rows if r[0].strip() == "=tills")
        assert tills[3] == "1/1" and tills[7] == "0/1!"  # 09:00 covered, 13:00 short
        await pilot.press("escape", "y")  # copy Monday's shift (to Tuesday by default)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
    days = sorted(s.day for s in records.shifts.between(MONDAY, MONDAY + timedelta(days=6)))
    assert days == [MONDAY, MONDAY + timedelta(days=1)]


def test_recorded_positions_add_to_the_usual_set(records):
    from supervisor_tui.domain.rota import Position

    records.shifts.save_position(Position(name="Customer Services Desk", skill="complaints desk"))
    records.shifts.save_position(Position(name="tills", skill="cash handling"))
    skills = records.shifts.position_skills()
    assert skills["customer services desk"] == "complaints desk" and skills["tills"] == "cash handling"
    assert skills["phones"] == "phones"
    assert records.shifts.positions.get("P-0002").version == 1
    records.shifts.save_position(Position(name="tills", skill="tills"))
    assert records.shifts.positions.get("P-0002").version == 2


def people(records, count: int) -> list[Member]:
    return [
        records.team.add(
            Member(
                name=f"Person {n:02d} Longname",
                job_title="CSA",
                contract_hours=37.5,
                date_of_birth=date(1990, 4, 3),
                skills="tills:expert;phones:expert",
            )
        )
        for n in range(count)
    ]


def on(member: Member, day: date, start: str, end: str, position: str = "tills", brk: int = 30) -> Shift:
    return Shift(
        member_id=member.id,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position=position,
        break_minutes=brk,
    )


async def test_the_grid_shows_minutes_and_a_second_shift_and_fits_80_columns(records):
    """16:00-22:30 never reads as 16-22; a split shift shows both parts; a week of 9-17:30 fits 80 columns
    with the names (no sideways scrolling)."""
    sam, jo = people(records, 2)
    for d in range(5):
        records.shifts.add(on(jo, MONDAY + timedelta(days=d), "09:00", "17:30"))
    records.shifts.add(on(sam, MONDAY + timedelta(days=1), "09:00", "13:00", brk=0))
    records.shifts.add(on(sam, MONDAY + timedelta(days=1), "16:00", "22:30", brk=0))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        grid = app.screen.query_one("#rota-grid", DataTable)
        tuesday = grid_row(app, sam.id)[2]
        # Each on its own line (the second flagged: no break in 10h 30m), minutes where there are some.
        assert [line.strip(" !") for line in tuesday.split("\n")] == ["9-13T", "16-22:30T"]
        assert all(line.startswith(" ") for line in tuesday.split("\n"))  # each line keeps the gap before it
        assert grid.rows[sam.id].height == 2
        assert all(cell.strip() == "9-17:30T" for cell in grid_row(app, jo.id)[1:6])
        assert grid.max_scroll_x == 0 and grid.virtual_size.width <= SIZE[0]
        assert "Person 00" in grid_row(app, sam.id)[0]  # the names keep enough room to be told apart
        await pilot.press("right", "right")  # Sam's Tuesday: the detail spells both shifts out
        detail = str(app.screen.query_one("#rota-detail", Static).render())
        assert "09:00-13:00 tills · 16:00-22:30 tills" in detail


async def test_the_shortfall_row_stays_in_view_at_80x24(records):
    from supervisor_tui.domain.coverage import Demand

    team = people(records, 25)
    for member in team[:3]:
        records.shifts.add(on(member, MONDAY, "09:00", "13:00", brk=0))  # three too many hours: problems listed
        records.shifts.add(on(member, MONDAY, "13:30", "23:30", brk=0))
    records.shifts.demand.create(Demand(position="tills", weekday=0, start=time(9), end=time(17), people=5))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        grid, short = app.screen.query_one("#rota-grid", DataTable), app.screen.query_one("#rota-short", DataTable)
        assert grid.max_scroll_y > 0  # more people than fit: the grid scrolls ...
        assert short.region.height == 1 and short.region.bottom <= SIZE[1] - 2  # ... the shortfall stays in view
        assert str(short.get_row("short")[1]).strip() == "-16"
        await pilot.press("end")  # to the last person, and the row is still there, under the grid
        assert short.region.y == grid.region.bottom


async def test_t_goes_to_todays_column(records):
    (sam,) = people(records, 1)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right_square_bracket", "right_square_bracket", "t")
        screen = app.screen
        assert isinstance(screen, ShiftsScreen) and screen.monday == MONDAY
        today = Clock().today()
        assert screen.grid.cursor_coordinate.column == today.weekday() + 1  # the names are column 0
        assert screen._cursor() == (sam.id, today)


async def test_fill_opens_on_the_highlighted_days_biggest_gap(records):
    from supervisor_tui.domain.coverage import Demand
    from supervisor_tui.screens.shifts import FillSlot

    sam, jo = people(records, 2)
    tuesday = MONDAY + timedelta(days=1)
    records.shifts.add(on(sam, tuesday, "09:00", "13:00", brk=0))
    for position, start, end, count in (("tills", 9, 17, 1), ("phones", 8, 10, 1), ("phones", 18, 20, 1)):
        for weekday in (0, 1):
            records.shifts.demand.create(
                Demand(position=position, weekday=weekday, start=time(start), end=time(end), people=count)
            )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "right", "f")  # Tuesday highlighted
        fill = app.screen
        assert isinstance(fill, FillSlot) and fill.day == tuesday
        # Tuesday: tills short 13-17 (4 person-hours), phones 8-10 and 18-20 (2 each): tills from 13:00.
        assert fill.query_one("#fill-position", Select).value == "tills"
        assert (fill.query_one("#fill-start").value, fill.query_one("#fill-end").value) == ("13:00", "17:00")
