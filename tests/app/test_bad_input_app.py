"""Bad input typed into the app at 80x24 gives a message under the field and keeps the form open with
what was typed: never a crash, never a poison record."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.complaints import ComplaintsScreen
from supervisor_tui.screens.quality import QualityScreen, ScoreCheckScreen
from supervisor_tui.screens.shifts import ShiftsScreen
from supervisor_tui.screens.team import TeamScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.widgets.form import RecordForm

SIZE = (80, 24)
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday 20 November 2026, 15:00 in London


def fixed_records(db_path) -> Records:
    return Records(Store(str(db_path)), Clock.fixed(NOW))


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def fill_fields(pilot, *values: str) -> None:
    for index, value in enumerate(values):
        if index:
            await pilot.press("tab")
        await type_text(pilot, value)


def toast_texts(app: SupervisorApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def shown(form: RecordForm, selector: str) -> str:
    return str(form.query_one(selector, Static).render())


async def test_plus_9999y_in_a_date_field_is_a_message_not_a_crash(db_path):
    """'+9999y' overflowed relativedelta on the way to the date hint: the app died and the form was lost."""
    records = fixed_records(db_path)
    head = records.store.head
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, RecordForm)
        await fill_fields(pilot, "Zoe Hart", "Advisor", "16", "14/05/2000", "+9999y")
        await pilot.pause()
        assert app.is_running
        assert "too far ahead" in shown(form, "#h-start_date")  # the hint says why as it is typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "+9999y is too far ahead; dates run from 1900 to 2100" in shown(form, "#e-start_date")
        assert form.query_one("#f-start_date", Input).value == "+9999y"
        assert form.query_one("#f-name", Input).value == "Zoe Hart"
    assert records.store.head == head


async def test_a_date_in_the_year_9999_is_refused_under_its_field(db_path):
    records = fixed_records(db_path)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        form = app.screen
        await fill_fields(pilot, "Zoe Hart", "Advisor", "16", "31/12/9999")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "31/12/9999 is after 2100; check the year" in shown(form, "#e-date_of_birth")
        assert form.query_one("#f-date_of_birth", Input).value == "31/12/9999"
    assert records.team.members(include_inactive=True) == []


async def test_a_look_alike_name_is_refused_naming_the_alphabets(db_path):
    records = fixed_records(db_path)
    records.team.add(Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3)))
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        form = app.screen
        await fill_fields(pilot, "", "Advisor", "16", "14/05/2000")
        form.query_one("#f-name", Input).value = "S\u0430m Patel"  # a Cyrillic а
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "mixes Latin and Cyrillic letters in one word" in shown(form, "#e-name")
        form.query_one("#f-name", Input).value = "SAM  patel"  # the same name, case and spacing aside
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "already on the team (as Sam Patel) as M-0001" in shown(form, "#e-name")
        await pilot.press("escape", "y")  # y: discard what was typed
        assert isinstance(app.screen, TeamScreen)
    assert len(records.team.members()) == 1


async def test_a_future_complaint_is_refused_in_the_form(db_path):
    """'A complaint received next month' was logged, and its clocks ran from then."""
    records = fixed_records(db_path)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "a")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-received", Input).value = "20/12/2026 10:00"
        await pilot.press("tab", "tab")
        await type_text(pilot, "Ann")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "post")
        await pilot.press("tab")
        await type_text(pilot, "Late")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "20/12/2026 10:00 is in the future" in shown(form, "#e-received")
        assert form.query_one("#f-received", Input).value == "20/12/2026 10:00"
        form.query_one("#f-received", Input).value = "31/12/9999 10:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "31/12/9999 is after 2100" in shown(form, "#e-received")
        form.query_one("#f-received", Input).value = "20/11/2026 09:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintsScreen)
    (complaint,) = records.complaints.repo.all()
    assert complaint.received_at == "2026-11-20T09:30:00.000000Z"


async def test_a_quality_check_dated_next_week_is_refused_before_the_feedback(db_path):
    records = fixed_records(db_path)
    sam = records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3", "D", "s")
        scoring = app.screen
        assert isinstance(scoring, ScoreCheckScreen)
        scoring.query_one("#score-date", Input).value = "+1w"
        await pilot.press(*"yy33y33yyx3y")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is scoring  # no feedback form for a check that cannot be saved
        assert any("Date: 27/11/2026 is in the future" in t for t in toast_texts(app)), toast_texts(app)
        assert scoring.query_one("#score-date", Input).value == "+1w"
        scoring.query_one("#score-date", Input).value = "+9999y"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is scoring and any("too far ahead" in t for t in toast_texts(app)), toast_texts(app)
        await pilot.press("escape", "y")  # y: discard the scores
        assert isinstance(app.screen, QualityScreen)
    assert records.quality.checks_for(sam.id) == []


async def test_a_shift_before_the_person_started_is_refused_under_the_date(db_path):
    records = fixed_records(db_path)
    records.team.add(
        Member(
            name="Sam Patel",
            job_title="Advisor",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
            start_date=date(2026, 11, 25),
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")  # Sam, Monday 16 November
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press("tab", "tab")
        await type_text(pilot, "09:00")
        await pilot.press("tab")
        await type_text(pilot, "17:00")
        form.query_one("#f-position").value = "tills"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Sam Patel starts on 25/11/2026" in shown(form, "#e-day")
        form.query_one("#f-day", Input).value = "+9999y"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "too far ahead" in shown(form, "#e-day")
        form.query_one("#f-day", Input).value = "30/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ShiftsScreen)
    (shift,) = records.shifts.shifts.all()
    assert (shift.day, shift.start) == (date(2026, 11, 30), time(9))


async def test_an_absurd_number_of_reviews_is_refused(db_path):
    """'10**30 reviews' went straight into range(): the form hung building a plan of endless reviews."""
    from supervisor_tui.domain.quality import QualityCheck
    from supervisor_tui.screens.one_to_ones import MemberOneToOnesScreen

    records = fixed_records(db_path)
    sam = records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    records.quality.load_default_pack()
    core = records.quality.current_standards()[0]
    check = records.quality.save_check(
        QualityCheck(member_id=sam.id, date=NOW.date() - timedelta(days=3), standard_id=core.id, scores={})
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MemberOneToOnesScreen(sam.id))
        await pilot.pause()
        await pilot.press("p")
        form = app.screen
        assert isinstance(form, RecordForm)
        for name, value in (
            ("issue", "Late to the till"),
            ("evidence", check.id),
            ("targets", "On time"),
            ("support", "Buddy"),
            ("reviews", "1" + "0" * 30),
        ):
            widget = form.query_one(f"#f-{name}")
            if isinstance(widget, Input):
                widget.value = value
            else:
                widget.text = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "enter 1 to 26" in shown(form, "#e-reviews")
    assert records.one_to_ones.plans.all() == []


async def test_a_note_read_before_the_meeting_and_a_review_before_the_plan_are_refused(db_path):
    from supervisor_tui.domain.one_to_ones import ImprovementPlan, Meeting, PlanIssue, Review
    from supervisor_tui.screens.one_to_ones import MemberOneToOnesScreen

    records = fixed_records(db_path)
    sam = records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    records.one_to_ones.record_meeting(
        Meeting(member_id=sam.id, held_on=date(2026, 11, 18), notes="Agreed"), [], {}, {}
    )
    records.one_to_ones.plans.create(
        ImprovementPlan(
            member_id=sam.id,
            started_on=date(2026, 11, 16),
            issues=[PlanIssue(text="Late", evidence=["Q-0001"])],
            targets="On time",
            support="Buddy",
            reviews=[Review(due=date(2026, 11, 30))],
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MemberOneToOnesScreen(sam.id))
        await pilot.pause()
        await pilot.press("k")
        form = app.screen
        assert isinstance(form, RecordForm)
        for typed, says in (
            ("17/11/2026", "Read on: 17/11/2026 is before the meeting (18/11/2026)"),
            ("+1w", "27/11/2026 is in the future"),
        ):
            form.query_one("#f-on", Input).value = typed
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and says.split(": ", 1)[-1] in shown(form, "#e-on"), shown(form, "#e-on")
            assert form.query_one("#f-on", Input).value == typed
        await pilot.press("escape", "y", "v")  # y: discard the refused date
        form = app.screen
        form.query_one("#f-held_on", Input).value = "15/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "15/11/2026 is before the plan started (16/11/2026)" in shown(form, "#e-held_on")
    assert records.one_to_ones.meetings.all()[0].acknowledged_on is None
    assert records.one_to_ones.plans.all()[0].reviews[0].held_on is None
