"""Correcting and voiding a quality check by keyboard at 80x24, from the person's checks (e and v)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.quality import QualityCheck, Scale
from supervisor_tui.screens.quality import MemberQualityScreen, ScoreCheckScreen
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import ReasonPrompt

SIZE = (80, 24)
TEAM = "name,job_title,contract_hours,date_of_birth,skills\nSam Patel,Advisor,37.5,19/03/1992,phones:expert\n"


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def perfect_check(records) -> QualityCheck:
    records.team.import_csv(TEAM)
    records.quality.load_default_pack()
    core = next(s for s in records.quality.current_standards() if s.family == "core-service")
    return records.quality.save_check(
        QualityCheck(
            member_id=records.team.by_name("Sam Patel").saved_id,
            date=records.clock.today() - timedelta(days=1),
            channel="chat",
            standard_id=core.saved_id,
            scores={c.key: (c.max_points if c.scale == Scale.points else "yes") for c in core.criteria},
            strengths="Warm",
        )
    )


async def test_correct_a_mis_scored_check_then_void_it(records):
    check = perfect_check(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter")
        page = app.screen
        assert isinstance(page, MemberQualityScreen)
        await pilot.press("e")
        scoring = app.screen
        assert isinstance(scoring, ScoreCheckScreen) and scoring.correcting == check
        assert "12/12 scored" in str(scoring.query_one("#score-result", Static).render())  # its scores, laid out
        await pilot.press(*["down"] * 7, "n")  # the identity check (critical) was not done after all
        assert "failed a critical item" in str(scoring.query_one("#score-result", Static).render())
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, RecordForm) and form.query_one("#f-strengths").text == "Warm"
        head = records.store.head
        await pilot.press("ctrl+s")  # no reason yet: refused under its field, nothing written
        assert app.screen is form and records.store.head == head
        assert "say why" in str(form.query_one("#e-reason", Static).render())
        form.query_one("#f-reason").focus()
        await type_text(pilot, "listened again")
        await pilot.press("ctrl+s")
        assert app.screen is page
        stored = records.quality.check(check.saved_id)
        assert stored.scores["id_check"] == "no" and not stored.passed and stored.version == check.version + 1
        detail = str(page.query_one("#mq-detail", Static).render())
        assert "Corrected" in detail and "listened again" in detail and "100% →" in detail and "crit" in detail
        row = [str(c) for c in page.query_one("#mq-checks", DataTable).get_row(check.saved_id)]
        assert row[2].endswith("crit") and row[3] == "NOT"

        await pilot.press("v")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "wrong call")
        await pilot.press("enter")
        assert app.screen is page and page.query_one("#mq-checks", DataTable).row_count == 0
    assert records.quality.check(check.saved_id).void_reason == "wrong call"
