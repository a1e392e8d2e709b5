"""Another supervisor's saves reach an open app within about a second, named, and shown literally;
what people typed never turns into markup or terminal codes, in the palette or in toasts."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList, Static
from textual.widgets._toast import Toast

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.team import MemberScreen, TeamScreen
from supervisor_tui.services import Records

SIZE = (80, 24)
MARKUP_NAME = "[bold]Zoe[/] [link=x]Hart[/link] [red"


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


def toast_texts(app: SupervisorApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def wait_for(pilot, condition, seconds: float = 2.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return True
    return condition()


async def test_alice_edits_and_voids_reach_the_open_roster(records, other_records):
    sam = add_member(records)
    add_member(records, "Aisha Khan")
    app = SupervisorApp(records, poll_seconds=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        other_records.store.refresh()
        theirs = other_records.team.get(sam.id)
        other_records.team.edit(theirs.model_copy(update={"job_title": "Team Leader"}))
        assert await wait_for(pilot, lambda: "Team Leader" in table_text(app))
        assert await wait_for(
            pilot, lambda: any("alice changed" in t and "job title" in t for t in toast_texts(app))
        ), toast_texts(app)
        other_records.store.refresh()
        other_records.team.set_active(other_records.team.get(sam.id), False, "moved to another store")
        assert await wait_for(pilot, lambda: "Sam Patel" not in table_text(app))
        assert "Aisha Khan" in table_text(app)
    assert not records.team.get(sam.id).active


async def test_an_erasure_by_another_session_reaches_the_open_roster(records, other_records):
    """An erasure rewrites the journal (the store reads the record again rather than the lines added): the
    open list must still show the stand-in at once, and say the record changed."""
    from supervisor_tui.storage import Erasure

    sam = add_member(records, "Sam Quuxley")
    app = SupervisorApp(records, poll_seconds=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "Sam Quuxley" in table_text(app)
        other_records.store.refresh()
        other_records.store.erase([Erasure("members", sam.id, {"name": "Former member"})], "left; retention")
        assert await wait_for(pilot, lambda: "Former member" in table_text(app))
        assert "Sam Quuxley" not in table_text(app)
        assert await wait_for(pilot, lambda: any("changed by another session" in t for t in toast_texts(app)))


async def test_member_page_follows_another_sessions_save(records, other_records):
    sam = add_member(records)
    app = SupervisorApp(records, poll_seconds=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, MemberScreen)
        other_records.store.refresh()
        other_records.team.edit(other_records.team.get(sam.id).model_copy(update={"contract_hours": 24.0}))

        def shows_change() -> bool:
            details = str(app.screen.query_one("#member-details", Static).render())
            return "24" in details and "alice" in table_text(app)

        assert await wait_for(pilot, shows_change), str(app.screen.query_one("#member-details", Static).render())


async def test_markup_name_from_another_session_is_literal_in_table_and_toast(records, other_records):
    add_member(records)
    app = SupervisorApp(records, poll_seconds=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        other_records.store.refresh()
        add_member(other_records, MARKUP_NAME, notes="[31mred[0m")
        assert await wait_for(pilot, lambda: "[bold]Zoe[/] [link=" in table_text(app)), table_text(app)
        assert await wait_for(
            pilot, lambda: any("[bold]Zoe[/]" in t and "alice added" in t for t in toast_texts(app))
        ), toast_texts(app)
        assert isinstance(app.screen, TeamScreen) and app.is_running


async def test_palette_lists_a_markup_name_literally(records):
    member = add_member(records, MARKUP_NAME)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p")
        for char in "Zoe":
            await pilot.press(char)
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[bold]Zoe[/]" in p and "[link=x]Hart[/link]" in p for p in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == member.id


async def test_notify_shows_markup_and_escapes_literally(records):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(f"changed {MARKUP_NAME} [/]")
        await pilot.pause()
        assert any("[bold]Zoe[/] [link=x]Hart[/link] [red" in t for t in toast_texts(app)), toast_texts(app)
        assert app.is_running


async def test_a_name_with_escape_codes_never_reaches_the_palette(records):
    """Escape codes in a name are refused on entry, so no session's palette can be sent them."""
    with pytest.raises(ValidationError, match="control character"):
        add_member(records, "Evil \x1b[31mRed\x1b[0m \x07Bell")
    assert records.team.members(include_inactive=True) == []
