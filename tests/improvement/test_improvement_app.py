"""The Improvement section at 80x24 (issue 16), by keyboard: an action planned from a complaint with its source
and measure filled in and its baseline read live, told to the team at a briefing (written from the action's
own key, and shown under the briefing's updates), a progress note, the review's refusals and then the review
itself weeks later, and an adjustment whose next cycle is planned from the decision and linked to it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.briefing import Briefing
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.screens.briefing import BriefingScreen
from supervisor_tui.screens.complaints import ComplaintPage
from supervisor_tui.screens.improvement import ActionPage, ImprovementScreen
from supervisor_tui.screens.improvement.forms import WRITE_TODAY
from supervisor_tui.screens.improvement.plan_form import PlanForm
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import ReasonPrompt

from .conftest import complaint

SIZE = (80, 24)
PLANNED = date(2026, 11, 2)  # a Monday
IMPROVE = next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "improvement")
COMPLAINTS = next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "complaints")


@pytest.fixture
def prompted(rec, clock) -> Complaint:
    """Ten delivery complaints in the eight weeks before PLANNED (one of them resolved with a lesson and an
    improvement action: the one an action is planned from), two in the eight weeks after."""
    clock.to(date(2027, 2, 1))  # (so every complaint below is in the past when written)
    for n in range(9):
        complaint(rec, date(2026, 9, 8) + timedelta(days=5 * n), cause="delivery")
    complaint(rec, date(2026, 12, 1), cause="delivery")
    complaint(rec, date(2026, 12, 20), cause="delivery")
    lost = complaint(rec, date(2026, 10, 20), cause="Delivery")
    lost = rec.complaints.repo.update(
        lost.model_copy(
            update={"lesson": "Carriers do not tell us a slot slipped", "improvement_action": "Call when a slot slips"}
        )
    )
    clock.to(PLANNED)
    return lost


def said(app: SupervisorApp) -> list[str]:
    """Every toast the app has shown so far (see ``listen``)."""
    return app.said  # type: ignore[attr-defined]


def listen(app: SupervisorApp) -> SupervisorApp:
    app.said = []  # type: ignore[attr-defined]
    shown = app.notify

    def notify(message: str, **kwargs) -> None:
        app.said.append(message)  # type: ignore[attr-defined]
        shown(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app


def page_text(app: SupervisorApp) -> str:
    return str(app.screen.query_one("#iap-body", Static).render())


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_from_a_complaint_to_its_next_cycle(rec, clock, prompted):
    app = listen(SupervisorApp(rec, poll_seconds=3600))
    async with app.run_test(size=SIZE) as pilot:
        # Plan: from the complaint's page, its source and measure filled in, the baseline read live.
        await pilot.press(COMPLAINTS)
        app.push_screen(ComplaintPage(prompted.saved_id))
        await pilot.pause()
        assert "None yet." in str(app.screen.query_one("#cpp-body", Static).render())
        await pilot.press("i")
        form = app.screen
        assert isinstance(form, PlanForm)
        values = form.values()
        assert (values["source_kind"], values["source_ref"]) == ("complaint", prompted.id)
        assert values["measure"] == "root_cause:delivery" and values["title"] == "Call when a slot slips"
        assert values["source_note"] == "Carriers do not tell us a slot slipped"
        baseline = form.query_one("#plan-baseline", Static)
        assert str(baseline.render()) == "before: 5.4 a month (10 complaints), 07/09 to 01/11"
        form.query_one("#f-weeks", Input).value = "4"
        await pilot.pause(0.4)
        await pilot.press("tab")  # (a key, so the redraw due once typing stops is waited for)
        assert (
            str(baseline.render())
            == "before: 4.3 a month (4 complaints), 05/10 to 01/11 — few cases: read it with care"
        )
        assert form.values()["review_on"] == "+5w"  # the default follows the weeks until a date is typed
        form.query_one("#f-weeks", Input).value = "8"
        form.query_one("#f-objective", Input).value = "Call every customer the day a delivery slips"
        form.query_one("#f-owner", Select).value = "Sam Patel"
        form.query_one("#f-target", Input).value = "2"
        await pilot.press("ctrl+s")
        # Not SMART yet (not agreed with the team): said once, as the one-to-ones' objective form says it.
        assert app.screen is form and rec.improvement.repo.all() == []
        assert "Not quite SMART yet — Achievable: agree it with the team" in str(
            form.query_one("#form-problem", Static).render()
        )
        await pilot.press("ctrl+s")
        page = app.screen
        assert isinstance(page, ActionPage)
        (action,) = rec.improvement.repo.all()
        assert (action.source.kind, action.source.ref, action.measure.subject) == ("complaint", prompted.id, "delivery")
        assert (action.baseline.cases, action.review_on, action.target) == (10, PLANNED + timedelta(weeks=9), 2.0)
        assert f"Prompted by: complaint {prompted.id} (delivery)" in page_text(app)
        assert "Baseline: 5.4 a month (10 complaints), 07/09/2026 to 01/11/2026" in page_text(app)

        # Check before Do: refused in the service's words.
        await pilot.press("r")
        assert said(app)[-1].startswith(f"{action.id} has not started: tell the team at a briefing first")
        assert rec.improvement.get(action.saved_id).check is None

        # Do: the next day, today's briefing is not written yet: b says so and opens it to write.
        clock.to(PLANNED + timedelta(days=1))
        await pilot.press("b")
        tell = app.screen
        assert isinstance(tell, RecordForm)
        tell.query_one("#f-briefing", Select).value = WRITE_TODAY
        await pilot.press("ctrl+s")
        briefing_screen = app.screen
        assert isinstance(briefing_screen, BriefingScreen) and briefing_screen.day == PLANNED + timedelta(days=1)
        await pilot.press("ctrl+l")
        assert said(app)[-1] == "Save the briefing first (ctrl+s), then link an action to it."
        briefing_screen.query_one("#brief-updates", TextArea).text = "Delivery call-backs start today"
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+l")  # from the briefing: the same link, the other way round
        link = app.screen
        assert isinstance(link, RecordForm)
        link.query_one("#f-action", Select).value = action.saved_id
        await pilot.press("ctrl+s")
        assert app.screen is briefing_screen
        shown = str(briefing_screen.query_one("#brief-actions", Static).render())
        assert f"{action.id} Call when a slot slips · owner Sam Patel" in shown
        await pilot.press("escape")
        assert app.screen is page
        assert "Told at the briefing of Tue 03/11/2026" in page_text(app)

        # A progress note; then a review too early to measure the change.
        await pilot.press("t")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "Script agreed with the carriers")
        await pilot.press("enter")
        assert "Script agreed with the carriers" in page_text(app)
        clock.to(date(2026, 12, 1))
        await pilot.press("r")
        assert said(app)[-1].startswith("Too early to measure the change: the 8 weeks before 01/12/2026 still overlap")
        assert app.screen is page

        # Check: at the review date, the same eight weeks' length, beside the baseline; then what it found.
        clock.to(action.review_on)
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReasonPrompt)
        assert "before 5.4 a month (10 complaints) · after 1.1 a month (2 complaints)" in review.question
        await type_text(pilot, "Fewer chasers")
        await pilot.press("enter")
        assert app.screen is page
        assert "Reviewed on 04/01/2027: before 5.4 a month (10 complaints)" in page_text(app)
        assert "What it found: Fewer chasers" in page_text(app)

        # Act: adjust; the next cycle's plan opens filled in from this one, and both are saved together.
        await pilot.press("d")
        decide = app.screen
        decide.query_one("#f-decision", Select).value = "adjust"
        decide.query_one("#f-reason", TextArea).text = "Works; the target was too easy"
        await pilot.press("ctrl+s")
        following = app.screen
        assert isinstance(following, PlanForm) and following.values()["title"] == "Call when a slot slips"
        assert rec.improvement.get(action.saved_id).decision == ""  # nothing saved until the plan is
        following.query_one("#f-target", Input).value = "1"
        following.query_one("#f-agreed").value = True
        await pilot.press("ctrl+s")
        assert app.screen is page
        first, second = sorted(rec.improvement.repo.all(), key=lambda a: a.id)
        assert (first.stage_text(), second.follows, second.target, second.stage) == (
            "act: adjusted",
            first.id,
            1.0,
            "plan",
        )
        assert f"Cycles: {first.id} (act: adjusted) → {second.id} (plan)" in page_text(app)
        assert f"its next cycle is {second.id}" in said(app)[-1]

        # The complaint lists both cycles it prompted.
        await pilot.press("escape")
        assert isinstance(app.screen, ComplaintPage)
        body = str(app.screen.query_one("#cpp-body", Static).render())
        assert f"{first.id} Call when a slot slips · act: adjusted" in body and f"{second.id} " in body


async def test_refusals_are_messages_not_tracebacks(rec, clock, prompted):
    draft = rec.improvement.draft_from_complaint(prompted.saved_id)
    action = rec.improvement.plan(
        title="Call when a slot slips",
        source=draft.source,
        objective="Call every customer the day a delivery slips",
        owner="Sam Patel",
        measure=draft.measure,
        target=2,
    )
    app = listen(SupervisorApp(rec, poll_seconds=3600))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(IMPROVE, "enter")
        assert isinstance(app.screen, ActionPage)
        await pilot.press("d")  # adopting what was never reviewed: refused under the decision
        decide = app.screen
        decide.query_one("#f-decision", Select).value = "adopt"
        decide.query_one("#f-reason", TextArea).text = "Looks fine"
        await pilot.press("ctrl+s")
        assert app.screen is decide
        assert "review it first" in str(decide.query_one("#e-decision", Static).render())
        await pilot.press("escape", "y")
        await pilot.press("c")  # a review date too soon after planning: refused under its field
        correct = app.screen
        correct.query_one("#f-review_on", Input).value = "+2w"
        correct.query_one("#f-reason", Input).value = "sooner"
        await pilot.press("ctrl+s")
        assert "at least 8 weeks after planning" in str(correct.query_one("#e-review_on", Static).render())
        correct.query_one("#f-review_on", Input).value = action.review_on.strftime("%d/%m/%Y")
        await pilot.press("ctrl+s")
        assert "Nothing to correct" in str(correct.query_one("#form-problem", Static).render())
        correct.query_one("#f-owner", Select).value = "Amy Stone"
        await pilot.press("ctrl+s")
        assert app.screen is not correct and rec.improvement.get(action.saved_id).owner == "Amy Stone"
        assert "changed owner (sooner)" in page_text(app)
        await pilot.press("t")  # a note longer than a note may be: said in words, nothing saved
        app.screen.query_one("#prompt-input", Input).value = "x" * 2001
        await pilot.press("enter")
        assert said(app)[-1] == "Text: must be at most 2000 characters"
        assert rec.improvement.get(action.saved_id).notes == []
        await pilot.press("v")
        await type_text(pilot, "planned twice")
        await pilot.press("enter")
        assert isinstance(app.screen, ImprovementScreen)
        assert rec.improvement.repo.all() == [] and rec.improvement.get(action.saved_id).void_reason == "planned twice"


async def test_the_list_groups_by_stage_late_reviews_first(rec, clock, prompted):
    service = rec.improvement
    draft = service.draft_from_root_cause("delivery")
    common = dict(source=draft.source, objective="Call every customer", owner="Sam Patel", measure=draft.measure)
    late = service.plan(title="Late one", **common)
    planned = service.plan(title="Planned one", **common, review_on=PLANNED + timedelta(weeks=20))
    clock.to(late.review_on + timedelta(days=1))
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(IMPROVE)
        table = app.screen.query_one("#ia-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(r)] for r in range(table.row_count)]
        assert rows == [
            ["", "Review overdue (1)", "", "", ""],
            [late.id, "Late one", "plan", "04/01/27 !", "before 5.4/mo"],
            ["", "Plan: not yet told (1)", "", "", ""],
            [planned.id, "Planned one", "plan", "22/03/27", "before 5.4/mo"],
        ]
        assert table.cursor_row == 1  # on the first action, not its heading
        title = str(app.screen.query_one("#ia-title", Static).render())
        assert title == "2 actions · 1 review late · 0 to decide"
        await pilot.press("slash", *"planned", "enter")
        assert table.row_count == 2 and str(table.get_row_at(1)[1]) == "Planned one"
        await pilot.press("enter")
        assert isinstance(app.screen, ActionPage) and app.screen.action_id == planned.saved_id


async def test_plan_from_a_root_cause_and_a_weak_criterion(rec, clock, prompted):
    from .conftest import check

    check(rec, PLANNED - timedelta(days=3), greet="no")
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(COMPLAINTS, "i")
        pick = app.screen
        assert isinstance(pick, RecordForm) and pick.values()["pick"] == "delivery"  # counted first
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, PlanForm)
        assert (form.values()["source_kind"], form.values()["measure"]) == ("root cause", "root_cause:delivery")
        await pilot.press("escape")
        quality = next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "quality")
        await pilot.press(quality, "i")
        pick = app.screen
        assert pick.values()["pick"] == "core-service:greet"  # the weakest first
        await pilot.press("ctrl+s")
        form = app.screen
        assert (form.values()["source_ref"], form.values()["measure"]) == (
            "core-service:greet",
            "criterion:core-service:greet",
        )
        # A suggestion is chosen from the roster in the form itself; the measure stays the person's choice.
        form.query_one("#f-source_kind", Select).value = "suggestion"
        await pilot.pause()
        amy = rec.team.by_name("Amy Stone")
        form.query_one("#f-source_ref", Select).value = amy.saved_id
        await pilot.pause()
        assert form.values()["measure"] == "criterion:core-service:greet"
        # A KPI suggests its own measure, in place of the one filled in before (nobody chose it).
        form.query_one("#f-source_kind", Select).value = "kpi"
        await pilot.pause()
        form.query_one("#f-source_ref", Select).value = "fcr"
        await pilot.pause()
        assert form.values()["measure"] == "fcr:"


async def test_a_mystery_shop_is_its_findings_when_no_check_names_it(rec, clock, prompted):
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(IMPROVE, "n")
        form = app.screen
        assert isinstance(form, PlanForm)
        form.query_one("#f-source_kind", Select).value = "mystery shop"
        await pilot.pause()
        form.query_one("#f-title", Input).value = "Tidy the returns desk"
        form.query_one("#f-objective", Input).value = "Every check finds the returns desk clear by 2027"
        form.query_one("#f-owner", Select).value = "Amy Stone"
        form.query_one("#f-measure", Select).value = "quality:"
        await pilot.press("ctrl+s")
        assert "say what the check found" in str(form.query_one("#e-source_note", Static).render())
        form.query_one("#f-source_note", TextArea).text = "Area manager's visit: returns desk cluttered"
        await pilot.press("ctrl+s", "ctrl+s")  # (the second: kept although not SMART yet)
        assert isinstance(app.screen, ActionPage)
        (action,) = rec.improvement.repo.all()
        assert (action.source.kind, action.source.ref) == ("mystery shop", "")
        assert "Prompted by: a mystery shop or in-store check" in page_text(app)
        await pilot.press("o")  # it names no check to open: said, nothing else happens
        assert isinstance(app.screen, ActionPage)


async def test_today_opens_the_action_a_review_is_due_for(rec, clock, prompted):
    draft = rec.improvement.draft_from_root_cause("delivery")
    action = rec.improvement.plan(
        title="Call when a slot slips",
        source=draft.source,
        objective="Call every customer",
        owner="Sam Patel",
        measure=draft.measure,
    )
    clock.to(action.review_on)
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "today"))
        await pilot.pause(0.3)
        table = app.screen.query_one("#today-table", DataTable)
        row = next(r for r in range(table.row_count) if str(table.get_row_at(r)[1]) == "Improve")
        table.move_cursor(row=row)
        await pilot.press("enter")
        assert isinstance(app.screen, ActionPage) and app.screen.action_id == action.saved_id


HOSTILE_TITLE = 'Sam [/b] Jones \x1b[2J =HYPERLINK("http://evil","x") \u202eevil'
HOSTILE_OWNER = "[link=https://x]Zoe[/link]"
HOSTILE_NOTE = "[bold red]\nTwo\nOK: forged line \x9b31m <script>alert(1)</script>"


async def test_what_people_typed_shows_literally(rec, clock, prompted):
    """A title, an owner and a note with markup, escape codes, a formula and a right-to-left mark, written
    past the domain's checks (an old record, or one edited by hand): shown as typed, never obeyed."""
    from tests.output.hostile import raw_controls

    draft = rec.improvement.draft_from_complaint(prompted.saved_id)
    action = rec.improvement.plan(
        title="Call when a slot slips",
        source=draft.source,
        objective="Call every customer",
        owner="Sam Patel",
        measure=draft.measure,
    )
    briefing = rec.shifts.save_briefing(Briefing(day=PLANNED, updates="Call-backs start today"))
    rec.improvement.tell_at_briefing(action, briefing)
    stored = rec.store.get("improvement_actions", action.saved_id)
    note = {"on": PLANNED.isoformat(), "by": HOSTILE_OWNER, "text": HOSTILE_NOTE}
    fields = {"title": HOSTILE_TITLE, "owner": HOSTILE_OWNER, "notes": [note], "objective": HOSTILE_TITLE}
    rec.store.update("improvement_actions", action.saved_id, fields, stored["version"], "hostile")
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        for keys, page in (([IMPROVE], ImprovementScreen), (["enter"], ActionPage)):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, page)
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert not raw_controls(text), {hex(ord(c)) for c in raw_controls(text)}
            assert "Sam [/b] Jones \\x1b[2J" in text and "[link=https://x]Zoe[/link]" in text
        body = page_text(app)
        assert 'Sam [/b] Jones \\x1b[2J =HYPERLINK("http://evil","x") \\u202eevil' in body
        assert "\\u202eevil" in body and "<script>alert(1)</script>" in body and "[bold red]" in body
        await pilot.press("escape", "escape")  # to the briefing the action was told at
        app.push_screen(BriefingScreen(PLANNED))
        await pilot.pause()
        shown = str(app.screen.query_one("#brief-actions", Static).render())
        assert not raw_controls(shown) and "Sam [/b] Jones \\x1b[2J" in shown and "owner [link=https://x]" in shown


@pytest.mark.parametrize("width", [80, 120])
async def test_the_section_bar_shows_every_key(rec, width):
    """Eight sections: at 80 columns a tighter layout (short titles, no padding round the key) keeps every
    key and title on the line; at 120 the full titles fit as before."""
    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press(IMPROVE)
        bar = "\n".join(strip.text for strip in app.screen._compositor.render_strips()).splitlines()[0]
        for mode, title, key in SupervisorApp.SECTIONS:
            shown = "Data" if (title == "Data protection" and width == 80) else title
            assert f"{key} {shown}" in bar, (mode, bar)
        assert ("Data protection" in bar) is (width == 120)
        assert len(bar.rstrip()) <= width - 1  # nothing cut at the edge


async def test_esc_closes_an_untouched_plan_and_asks_once_typed_into(rec, clock, prompted):
    from supervisor_tui.widgets.prompt import Confirm

    app = SupervisorApp(rec, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(COMPLAINTS)
        app.push_screen(ComplaintPage(prompted.saved_id))
        await pilot.pause()
        await pilot.press("i")
        assert isinstance(app.screen, PlanForm)
        await pilot.press("escape")  # filled in from the complaint, nothing typed: it closes at once
        assert isinstance(app.screen, ComplaintPage)
        await pilot.press("i")
        app.screen.query_one("#f-title", Input).value = "Call within the hour"
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm) and "What will change" in str(app.screen.question)
        await pilot.press("n")
        assert isinstance(app.screen, PlanForm) and app.screen.values()["title"] == "Call within the hour"
