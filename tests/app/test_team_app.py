"""The team roster driven by keyboard at 80x24, as a supervisor would."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from textual.widgets import DataTable, Input, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.team import MemberScreen, TeamScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Actor, Store
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import ReasonPrompt

SIZE = (80, 24)
MARKUP_NAME = "[bold]Zoe[/] [link=x]Hart[/link] [red"
ESCAPE_NAME = "Evil \x1b[31mRed\x1b[0m \x07Bell"


def add_member(records: Records, name: str = "Sam Patel", **extra) -> Member:
    fields = dict(
        name=name,
        job_title="Customer Service Advisor",
        contract_hours=37.5,
        date_of_birth=date(1990, 4, 3),
        skills="tills:expert",
    )
    return records.team.add(Member(**{**fields, **extra}))


def table_text(app: SupervisorApp) -> str:
    table = app.screen.query_one(DataTable)
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count))


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def fill_fields(pilot, *values: str) -> None:
    """Type into the form's fields in order, tabbing between them ('' skips a field)."""
    for index, value in enumerate(values):
        if index:
            await pilot.press("tab")
        await type_text(pilot, value)


async def test_add_a_member_by_keyboard(records):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, RecordForm)
        await fill_fields(
            pilot, "Zoe Hart", "Advisor", "16", "14/05/2009", "today", "", "tills:learner;phones:competent"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        assert "Zoe Hart" in table_text(app)
    saved = records.team.by_name("Zoe Hart")
    assert saved.date_of_birth == date(2009, 5, 14) and saved.contract_hours == 16
    assert saved.start_date == records.clock.today() and saved.is_under_18(records.clock.today())
    assert saved.skills == {"tills": "learner", "phones": "competent"}
    assert saved.created_by == records.store.actor.login


async def test_bad_input_stays_in_the_form_and_writes_nothing(records):
    add_member(records)
    head = records.store.head
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "0")
        await pilot.press("tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "31/02/1990")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        hours_error = str(form.query_one("#e-contract_hours", Static).render())
        dob_error = str(form.query_one("#e-date_of_birth", Static).render())
        assert "more than 0" in hours_error  # every problem at once, each under its field
        assert "not a date" in dob_error
        assert "Not saved" in str(form.query_one("#form-problem", Static).render())
        assert app.focused.id in ("f-date_of_birth", "f-contract_hours")
    assert records.store.head == head


async def test_edit_a_member_by_keyboard_and_see_the_history(records):
    member = add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("e", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "Senior Advisor")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        history = table_text(app)
        assert "changed job title" in history and "created" in history
    assert records.team.get(member.id).job_title == "Senior Advisor"
    assert records.team.get(member.id).version == 2


async def test_conflict_keeps_typing_and_reapplies_after_reload(records, other_records):
    member = add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "Team Leader")
        # Meanwhile alice, in her own session, changes the same person's hours.
        other_records.store.refresh()
        theirs = other_records.team.get(member.id)
        other_records.team.edit(theirs.model_copy(update={"contract_hours": 30.0}))
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        problem = str(form.query_one("#form-problem", Static).render())
        assert "alice" in problem and "Contract hours" in problem
        assert form.query_one("#f-job_title", Input).value == "Team Leader"  # nothing retyped
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.query_one("#f-contract_hours", Input).value == "30"
        assert form.query_one("#f-job_title", Input).value == "Team Leader"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
    final = Store(str(records.store.path)).get("members", member.id)
    assert final["job_title"] == "Team Leader" and final["contract_hours"] == 30 and final["version"] == 3


async def test_live_refresh_between_two_apps_on_one_file(records, db_path):
    add_member(records)
    mine = SupervisorApp(records, poll_seconds=0.05)
    theirs_records = Records(Store(str(db_path), actor=Actor("alice", 1001, "10.0.0.7:50122")))
    theirs = SupervisorApp(theirs_records, poll_seconds=0.05)
    notes: list[str] = []
    async with mine.run_test(size=SIZE) as me, theirs.run_test(size=SIZE) as them:
        mine.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await them.press("a")
        await fill_fields(them, "Ruby Hughes", "Advisor", "20", "01/02/1995")
        await them.press("ctrl+s")
        await them.pause()
        for _ in range(40):  # about a second at most
            await me.pause(0.05)
            if "Ruby Hughes" in table_text(mine):
                break
        assert "Ruby Hughes" in table_text(mine)
        assert any("alice added" in n and "Ruby Hughes" in n for n in notes), notes


async def test_markup_and_escapes_are_shown_literally_everywhere(records):
    add_member(records, MARKUP_NAME, notes="[b]not bold[/b] [2J")
    # Escape codes never reach the record now: refused on entry, so there is nothing to show.
    with pytest.raises(ValidationError, match="control character"):
        add_member(records, ESCAPE_NAME)
    add_member(records, "Evil Red Bell", job_title="[italic]Role")
    assert records.team.by_name(MARKUP_NAME).name == MARKUP_NAME  # stored exactly
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        text = table_text(app)
        assert "[bold]Zoe[/]" in text and "[italic]Role" in text
        await pilot.press("enter")  # "[bold]…" sorts first ("[" comes before letters)
        assert isinstance(app.screen, MemberScreen)
        details = str(app.screen.query_one("#member-details", Static).render())
        assert MARKUP_NAME in details and "[b]not bold[/b] [2J" in details
        await pilot.press("escape", "down", "enter")
        details = str(app.screen.query_one("#member-details", Static).render())
        assert "Evil Red Bell" in details and "[italic]Role" in details
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Zoe")
        await pilot.pause(0.3)
        await pilot.press("escape")
        app.notify(f"changed {MARKUP_NAME}")
        await pilot.pause()
        assert app.is_running


async def test_deactivate_asks_why_and_keeps_the_record(records):
    member = add_member(records)
    add_member(records, "Aisha Khan")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "d")  # Sam Patel sorts after Aisha Khan
        assert isinstance(app.screen, ReasonPrompt)
        await pilot.press("enter")  # no reason: refused
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "left the company")
        await pilot.press("enter")
        await pilot.pause()
        assert "Sam Patel" not in table_text(app)
        await pilot.press("i")
        assert "Sam Patel" in table_text(app)
    saved = records.team.get(member.id)
    assert not saved.active
    assert records.team.history(member.id)[-1].reason == "left the company"


async def test_palette_finds_a_member_and_opens_their_page(records):
    member = add_member(records, "Megan O'Neill")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "megan")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == member.id


async def test_search_filters_and_read_only_file_is_labelled(records):
    add_member(records)
    add_member(records, "Aisha Khan", skills="phones:expert")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "phones")
        await pilot.pause()
        text = table_text(app)
        assert "Aisha Khan" in text and "Sam Patel" not in text
        status = str(app.screen.query_one("#status", Static).render())
        assert "read-write" in status and records.store.actor.login in status


async def test_theme_choice_is_remembered_for_the_user(records):
    from supervisor_tui import preferences

    app = SupervisorApp(records, theme="high-contrast")
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "high-contrast"
        app.theme = "daylight"
        await pilot.pause()
    assert preferences.load_settings().theme == "daylight"
    again = SupervisorApp(records)
    async with again.run_test(size=SIZE):
        assert again.theme == "daylight"


async def test_line_manager_is_chosen_from_the_roster(records):
    from textual.widgets import Select

    priya = add_member(records, "Priya Sharma", line_manager="Store Manager")  # someone outside the team
    sam = add_member(records, "Sam Patel")
    add_member(records, "Old Hand", active=False)
    assert records.team.line_manager_choices(priya) == [
        ("Store Manager (not on the roster)", "Store Manager"),
        ("Sam Patel", "Sam Patel"),
    ]  # never herself, nobody inactive, and what she has now stays offered
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(next(key for mode, _, key in app.SECTIONS if mode == "team"))
        table = app.screen.query_one("#team-table", DataTable)
        table.move_cursor(row=table.get_row_index(sam.id))
        await pilot.press("e")
        choice = app.screen.query_one("#f-line_manager", Select)
        assert choice.value is Select.NULL  # nobody chosen yet: the form never picks one for you
        choice.value = "Priya Sharma"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TeamScreen)
    assert records.team.get(sam.id).line_manager == "Priya Sharma"
    assert records.team.get(priya.id).line_manager == "Store Manager"  # untouched
