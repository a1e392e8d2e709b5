"""Scoring a check end to end by keyboard at 80x24, and seeing it in the member's trend."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.quality import QualityScreen, ScoreCheckScreen
from supervisor_tui.widgets.form import RecordForm

SIZE = (80, 24)


def toasts(app: SupervisorApp) -> str:
    from textual.widgets._toast import Toast

    return " | ".join(str(toast.render()) for toast in app.screen.query(Toast))


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_score_a_twelve_criterion_check_by_keyboard_and_see_the_trend(records):
    sam = records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="phones:expert",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "D")  # load the default standards
        assert isinstance(app.screen, QualityScreen)
        await pilot.press("s")
        scoring = app.screen
        assert isinstance(scoring, ScoreCheckScreen) and scoring.standard.family == "core-service"
        # greet, introduce, reliable(0-3), assure(0-3), tangibles, empathy, responsive, id_check,
        # no_overshare, adapt (N/A), resolve(0-3), close: twelve keys, one per criterion.
        await pilot.press("y", "y", "3", "2", "y", "3", "3", "y", "y", "x", "3", "n")
        await pilot.press("c")  # a comment on the last criterion scored (the close)
        await type_text(pilot, "No closing question")
        await pilot.press("enter")
        result = str(scoring.query_one("#score-result", Static).render())
        assert "12/12 scored" in result and "pass" in result
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Clear")  # strengths
        await pilot.press("tab")
        await type_text(pilot, "Forgot to close")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QualityScreen)
        row = [str(c) for c in app.screen.query_one("#quality-team", DataTable).get_row(sam.id)]
        assert row[2] == "91%"  # 15 of 16.5 (adapt N/A leaves the denominator)
        assert row[3] == "100%"
        assert row[4] == "▇"  # the trend sparkline: 91% in the 50-100% band
    (check,) = records.quality.checks_for(sam.id)
    assert check.scores["adapt"] == "na" and check.scores["close"] == "no" and check.passed
    assert check.strengths == "Clear" and check.development == "Forgot to close"
    assert check.comments == {"close": "No closing question"}


async def test_only_negatives_get_a_gentle_prompt_once(records):
    sam = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "D", "s")
        await pilot.press(*"yy33y33yyx3y")
        await pilot.press("ctrl+s", "tab")
        await type_text(pilot, "Rushed the close")
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert "What went well" in str(form.query_one("#e-strengths", Static).render())
        await pilot.press("ctrl+s")  # the nudge is a nudge: saving again goes ahead
        await pilot.pause()
        assert isinstance(app.screen, QualityScreen)
    assert records.quality.checks_for(sam.id)[0].development == "Rushed the close"


async def test_member_page_and_calibration_on_demo_data(demo_records):
    from supervisor_tui.screens.quality import CalibrationScreen, CalibrationSessionScreen, MemberQualityScreen

    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#quality-team", DataTable)
        daniel = demo_records.team.by_name("Daniel Okafor")
        table.move_cursor(row=table.get_row_index(daniel.id))
        await pilot.press("enter")
        page = app.screen
        assert isinstance(page, MemberQualityScreen)
        assert "Empathy" in str(page.query_one("#mq-head", Static).render())  # the slipping criterion
        assert "CSAT" in str(page.query_one("#mq-checks", DataTable).get_row_at(0)[4])  # KPIs beside
        await pilot.press("escape", "C")
        assert isinstance(app.screen, CalibrationScreen)  # the sessions; Enter opens the highlighted one
        await pilot.press("enter")
        cal = app.screen
        assert isinstance(cal, CalibrationSessionScreen)
        head = str(cal.query_one("#cal-head", Static).render())
        assert "p.sharma" in head and "s.patel" in head
        first = cal.query_one("#cal-table", DataTable).get_row_at(0)
        assert str(first[1]) != "100%"  # least agreement first


async def test_editing_a_used_standard_in_the_app_makes_a_new_edition(demo_records):
    from supervisor_tui.screens.quality import StandardsScreen

    core = next(s for s in demo_records.quality.current_standards() if s.family == "core-service")
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "S")
        page = app.screen
        assert isinstance(page, StandardsScreen)
        if page.standard.family != "core-service":
            await pilot.press("right_square_bracket")
        assert "used by" in str(page.query_one("#std-head", Static).render())
        await pilot.press("e")  # the first criterion: greeting
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-weight").value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "edition 2" in str(page.query_one("#std-head", Static).render())
    newest = next(s for s in demo_records.quality.current_standards() if s.family == "core-service")
    assert newest.edition == 2 and newest.criteria[0].weight == 3
    assert demo_records.quality.standards.get(core.id).criteria[0].weight == 1  # checks keep edition 1


async def test_lists_show_scores_that_never_contradict_their_result(records):
    """At 80x24: the Quality list's Last column, a person's checks and the calibration page show 79.96%
    (not 80) for a check below an 80% pass mark, and mark a critical-item fail 'crit' with a legend."""
    from supervisor_tui.domain.quality import Criterion, QualityCheck, Standard
    from supervisor_tui.screens.quality import CalibrationSessionScreen, MemberQualityScreen

    near = records.quality.standards.create(
        Standard(
            family="near",
            name="Near",
            pass_mark=80,
            criteria=[
                Criterion(key="a", section="S", text="Greeted", weight=79.96),
                Criterion(key="b", section="S", text="ID checked", weight=20.04, critical=True),
            ],
        )
    )
    sam = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    jo = records.team.add(Member(name="Jo Reid", job_title="CSA", contract_hours=37.5, date_of_birth=date(1991, 4, 3)))
    today = records.clock.today()
    for member, scores in (
        (sam, {"a": "yes", "b": "yes"}),
        (sam, {"a": "yes", "b": "no"}),
        (jo, {"a": "no", "b": "yes"}),
    ):
        records.quality.save_check(
            QualityCheck(member_id=member.id, date=today, standard_id=near.id, scores=scores, calibration="Same call")
        )
    records.quality.save_check(
        QualityCheck(member_id=jo.id, date=today, standard_id=near.id, scores={"a": "yes", "b": "yes"})
    )  # 100%: Jo's last
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = app.screen
        table = screen.query_one("#quality-team", DataTable)
        last = {key: str(table.get_row(key)[2]) for key in (sam.id, jo.id)}
        assert last[jo.id] == "100%"
        focus = str(screen.query_one("#quality-focus", Static).render())
        # Both of Sam's checks are dated today: the later record (Q-0002, the critical fail) is the last.
        assert last[sam.id] == "79.96% crit" and "crit: the last check failed a critical item" in focus
        assert "Sam Patel" in focus.split("crit:")[1].splitlines()[0]
        table.move_cursor(row=table.get_row_index(sam.id))
        await pilot.press("enter")
        page = app.screen
        assert isinstance(page, MemberQualityScreen)
        rows = page.query_one("#mq-checks", DataTable)
        shown = sorted((str(rows.get_row_at(r)[2]), str(rows.get_row_at(r)[3])) for r in range(rows.row_count))
        assert shown == [("100%", "pass"), ("79.96% crit", "NOT")]
        await pilot.press("escape", "C", "enter")
        cal = app.screen
        assert isinstance(cal, CalibrationSessionScreen)
        head = str(cal.query_one("#cal-head", Static).render())
        assert (
            "79.96% crit not a pass" in head
            and "20% not a pass" in head
            and "80%" not in head.replace("pass mark 80%", "")
        )


async def test_start_a_calibration_session_score_it_once_and_open_an_earlier_one(demo_records):
    """n starts a session on Quality's Calibration screen; s scores its interaction (its standard, date and
    reference fixed); a second scoring by the same supervisor is refused; any session opens, not only
    the newest."""
    from textual.widgets import Input, Select

    from supervisor_tui.screens.quality import CalibrationScreen, CalibrationSessionScreen

    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3", "C", "n")
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "December calibration")
        sam = demo_records.team.by_name("Sam Patel")
        form.query_one("#f-member_id", Select).value = sam.id
        form.query_one("#f-reference", Input).value = "CALL-991"
        await pilot.press("ctrl+s")
        listing = app.screen
        assert isinstance(listing, CalibrationScreen)
        table = listing.query_one("#cal-sessions", DataTable)
        names = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert names == ["December calibration", "November calibration"]  # newest first
        (started,) = demo_records.quality.sessions.all()
        assert started.reference == "CALL-991" and started.member_id == sam.id

        await pilot.press("s")  # the highlighted (new) session
        scoring = app.screen
        assert isinstance(scoring, ScoreCheckScreen) and scoring.session == started
        assert scoring.query_one("#score-ref", Input).disabled  # the same interaction for every scorer
        for criterion in scoring.standard.criteria:
            await pilot.press("y" if criterion.max_points == 1 else str(criterion.max_points))
        await pilot.press("ctrl+s")
        await type_text(pilot, "Clear and calm")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CalibrationScreen)
        cal = demo_records.quality.calibration("December calibration")
        (mine,) = cal.checks
        assert mine.calibration == "December calibration" and mine.reference == "CALL-991" and mine.member_id == sam.id

        await pilot.press("s")  # once each: a second scoring would count twice
        assert isinstance(app.screen, CalibrationScreen)
        for _ in range(40):  # the toast is drawn a moment after it is asked for
            if "already" in toasts(app):
                break
            await pilot.pause(0.05)
        assert "already" in toasts(app)

        await pilot.press("down", "enter")  # the earlier session opens too
        assert isinstance(app.screen, CalibrationSessionScreen)
        assert app.screen.session_name == "November calibration"
