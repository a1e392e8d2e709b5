"""The TUI with hostile text in every kind of record, driven by keyboard at 80x24.

On today's main: saving a member named 'Sam [/b] Jones' crashes the app (the toast is markup), so
does every form with a person list, and a name with '[link=...]' crashes ctrl+p for everyone. Here
every section, record page, person list, the palette and toasts show the text exactly as typed, with
control and invisible characters made visible.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Select, TextArea
from textual.widgets._toast import Toast

from supervisor_tui.app import SupervisorApp
from supervisor_tui.demo import build_demo
from supervisor_tui.domain.clock import Clock
from supervisor_tui.output import visible
from supervisor_tui.screens.briefing import BriefingScreen
from supervisor_tui.screens.complaints import ComplaintPage, ComplaintsScreen
from supervisor_tui.screens.one_to_ones import MemberOneToOnesScreen, OneToOnesScreen, RecordMeetingScreen
from supervisor_tui.screens.quality import (
    CalibrationScreen,
    CalibrationSessionScreen,
    MemberQualityScreen,
    QualityScreen,
    ScoreCheckScreen,
    StandardsScreen,
)
from supervisor_tui.screens.shifts import DayScreen, FillSlot, ShiftsScreen
from supervisor_tui.screens.team import MemberScreen, TeamScreen
from supervisor_tui.services import Records
from supervisor_tui.widgets.form import RecordForm

from ..conftest import DEMO_NOW
from .hostile import ALL_IN_ONE, HOSTILE, raw_controls, store_hostile

SIZE = (80, 24)


@pytest.fixture
def hostile_records(db_path) -> Records:
    records = build_demo(db_path, seed=1, clock=Clock.fixed(DEMO_NOW))
    store_hostile(records)
    return records


def screen_text(app: SupervisorApp) -> str:
    """What the terminal would show: the screen's rendered lines, toasts included."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines + toast_texts(app))


def toast_texts(app: SupervisorApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def shows_hostile_literally(text: str) -> bool:
    """Some hostile string is on screen exactly as typed (markup-looking text or a visible escape)."""
    return any(
        marker in text
        for marker in (
            "[/b]",
            "[link=",
            "[bold red]",
            "\\x1b[",
            "\\u202e",
            "\\u200d",
            "<script>",
            "![img]",
            "# Heading",
            "=HYPERLINK",
            "+cmd|",
        )
    )


async def look(pilot, app: SupervisorApp, page: type, *, literal: bool = True) -> str:
    await pilot.pause()
    assert app.is_running and isinstance(app.screen, page), (type(app.screen), page)
    text = screen_text(app)
    assert not raw_controls(text), {hex(ord(c)) for c in raw_controls(text)}
    if literal:
        assert shows_hostile_literally(text), text
    return text


async def test_every_section_and_record_page_shows_what_was_typed(hostile_records):
    app = SupervisorApp(hostile_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        text = await look(pilot, app, TeamScreen)
        assert "Sam [/b] Jones" in text and "[link=https://x]Zoe" in text and "\\x1b[2J\\x1b[31mRED" in text
        await pilot.press("enter")
        await look(pilot, app, MemberScreen)
        await pilot.press("escape", "2")
        await look(pilot, app, ShiftsScreen)
        await pilot.press("right", "enter")  # Monday: the day hour by hour
        await look(pilot, app, DayScreen)
        await pilot.press("escape", "b")
        await look(pilot, app, BriefingScreen)
        await pilot.press("escape", "3")
        await look(pilot, app, QualityScreen)
        await pilot.press("enter")
        await look(pilot, app, MemberQualityScreen)
        for key, page in (("S", StandardsScreen), ("C", CalibrationScreen), ("s", ScoreCheckScreen)):
            await pilot.press("escape", key)
            await look(pilot, app, page, literal=page is not CalibrationScreen)
        await pilot.press("escape", "C", "enter")  # the session, named as typed
        await look(pilot, app, CalibrationSessionScreen)
        await pilot.press("escape", "4")
        await look(pilot, app, OneToOnesScreen)
        await pilot.press("enter")
        await look(pilot, app, MemberOneToOnesScreen)
        await pilot.press("escape", "r")
        await look(pilot, app, RecordMeetingScreen)
        await pilot.press("escape", "5")
        await look(pilot, app, ComplaintsScreen)
        await pilot.press("enter")
        text = await look(pilot, app, ComplaintPage)
        assert "<script>alert(1)</script>" in str(app.screen.query_one("#cpp-body").render())


async def test_edit_forms_show_a_stored_escape_as_a_glyph_and_keep_the_value(hostile_records):
    """An Input or text area showing an old record's ESC would send it to the terminal: it shows ␛,
    and saving leaves the stored value as it was."""
    app = SupervisorApp(hostile_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "e")  # the ESC name sorts first
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        text = screen_text(app)
        assert not raw_controls(text) and "\u241b[2J\u241b[31mRED" in text
        assert app.screen.query_one("#f-name", Input).value == "\x1b[2J\x1b[31mRED"
        # (a TextArea reads a lone CR as a line break: Textual's document model, not ours)
        assert app.screen.query_one("#f-notes", TextArea).text == ALL_IN_ONE.strip().replace("\r", "\n")
        await pilot.press("escape", "2", "right", "b")  # Monday's briefing: its notes in text areas
        await pilot.pause()
        area = app.screen.query_one("#brief-targets", TextArea)
        area.scroll_to(y=3, animate=False)
        await pilot.pause()
        assert not raw_controls(screen_text(app)) and "\u241b[2J" in screen_text(app)
        assert area.text == ALL_IN_ONE.strip().replace("\r", "\n")


def option_labels(select: Select) -> list[str]:
    return [str(label) for label, _value in select._options]


@pytest.mark.parametrize(
    "section, key, form",
    [
        ("2", "a", RecordForm),  # add a shift: Person
        ("2", "l", RecordForm),  # leave: Person
        ("2", "r", RecordForm),  # a recurring pattern: Person and Position
        ("2", "n", RecordForm),  # demand: Position (one is hostile)
        ("2", "f", FillSlot),  # fill a slot: candidates by name, positions
        ("5", "a", RecordForm),  # log a complaint: Staff involved
        ("3", "s", ScoreCheckScreen),  # standards by name
    ],
)
async def test_forms_with_person_and_position_lists_open_and_list_them_literally(hostile_records, section, key, form):
    app = SupervisorApp(hostile_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(section, key)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, form)
        labels = [label for select in app.screen.query(Select) for label in option_labels(select)]
        # (positions are kept in lower case, as skills are: people.normalise_skill)
        names = [label for label in labels if any(label.lower().startswith(h[:4].lower()) for h in HOSTILE)]
        assert names and not any(raw_controls(label) for label in labels), labels
        first = app.screen.query(Select).first()
        first.focus()
        await pilot.press("enter")  # open the list itself
        await pilot.pause()
        assert app.is_running and first.expanded
        assert not raw_controls(screen_text(app))


async def test_the_palette_lists_and_finds_hostile_names(hostile_records):
    app = SupervisorApp(hostile_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        assert app.is_running and isinstance(app.screen, CommandPalette)
        for char in "link":
            await pilot.press(char)
        await pilot.pause(0.5)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[link=https://x]Zoe[/link] (M-0002)" in p for p in prompts), prompts
        assert not any(raw_controls(p) for p in prompts)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == "M-0002"
        await pilot.press("ctrl+p")
        for char in "RED":
            await pilot.press(char)
        await pilot.pause(0.5)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("\\x1b[2J\\x1b[31mRED" in p for p in prompts) and not raw_controls("".join(prompts))


async def type_text(pilot, text: str) -> None:
    keys = {" ": "space", "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash"}
    for char in text:
        await pilot.press(keys.get(char, char))


async def test_saving_sam_b_jones_by_keyboard_then_listing_him_works(records, other_records):
    """The issue's own steps: add 'Sam [/b] Jones' (the save toast crashed the app), then open a
    shift form (its person list crashed), then another session renames him (that toast too)."""
    app = SupervisorApp(records, poll_seconds=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("1", "a")
        for index, value in enumerate(["Sam [/b] Jones", "Advisor", "20", "03/04/1990"]):
            if index:
                await pilot.press("tab")
            await type_text(pilot, value)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, TeamScreen)
        assert any("Saved M-0001 Sam [/b] Jones" in t for t in toast_texts(app)), toast_texts(app)
        await pilot.press("2", "a")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RecordForm)
        person = app.screen.query_one("#f-member_id", Select)
        assert "Sam [/b] Jones" in option_labels(person)
        person.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Sam [/b] Jones" in screen_text(app)
        await pilot.press("escape", "escape", "1")
        other_records.store.refresh()
        sam = other_records.team.get("M-0001")
        other_records.store.update(
            "members", sam.id, {"name": "[link=https://x]Zoe[/link]\x1b[2J"}, sam.version, "renamed [bold]"
        )
        for _ in range(40):
            await pilot.pause(0.05)
            if any("alice changed" in t for t in toast_texts(app)):
                break
        toast = next(t for t in toast_texts(app) if "alice changed" in t)
        assert "[link=https://x]Zoe[/link]\\x1b[2J: name" in toast and not raw_controls(toast)
        assert app.is_running


async def test_a_toast_title_and_message_are_literal_whoever_sends_them(records):
    """Screen.notify passes markup=True explicitly: the app still shows the text as typed."""
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.screen.notify("Saved [/b] \x1b[2J\u202e", title="[link=x]T[/link]\x07")
        await pilot.pause()
        assert app.is_running
        texts = toast_texts(app)
        assert any("[link=x]T[/link]\\x07" in t and "Saved [/b] \\x1b[2J\\u202e" in t for t in texts), texts


async def test_literal_table_and_select_never_read_markup():
    """Any str given to a table cell, column, row label, updated cell or select option is text."""
    from textual.app import App

    from supervisor_tui.widgets.text import LiteralSelect, LiteralTable

    class Both(App):
        def compose(self):
            yield LiteralTable()
            yield LiteralSelect([("[/b] \x1b[31m", 1), ("[link=x]y[/link]", 2)], value=1)

    app = Both()
    async with app.run_test() as pilot:
        table = app.query_one(LiteralTable)
        column = table.add_column("[b]Who")
        row = table.add_row("Sam [/b] Jones", label="[i]row")
        table.update_cell(row, column, "[link=x]Zoe[/link]")
        await pilot.pause()
        assert [str(c) for c in table.get_row_at(0)] == ["[link=x]Zoe[/link]"]
        select = app.query_one(LiteralSelect)
        select.set_options([("[bold red]", 3)])
        assert "[bold red]" in option_labels(select)
        assert app.is_running


async def test_the_data_protection_section_and_the_request_log_show_what_was_typed(hostile_records):
    """Issue 14's screens: what is due (hostile customers), the holds (a reason of many lines), the
    schedule, the request log and each request's detail, the erasure preview quoting a hold."""
    from supervisor_tui.screens.data_protection.overview import DataProtectionScreen
    from supervisor_tui.screens.data_protection.requests import RequestsScreen
    from supervisor_tui.widgets.prompt import Confirm, ReasonPrompt

    from ..conftest import settle

    app = SupervisorApp(hostile_records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("6")
        await settle(pilot)
        due = hostile_records.data_protection.due()
        assert visible(due[0].person) in await look(pilot, app, DataProtectionScreen, literal=False)
        await pilot.press("h")
        text = await look(pilot, app, DataProtectionScreen)
        assert "\\x1b[2J\\x1b[31mRED\\x0a" in text  # the reason of many lines, its breaks shown
        await pilot.press("down", "down")
        await look(pilot, app, DataProtectionScreen)
        await pilot.press("s")
        await look(pilot, app, DataProtectionScreen, literal=False)
        await pilot.press("e")
        app.screen.query_one("#prompt-input").value = hostile_records.complaints.get("C-0001").customer_name
        await pilot.press("enter")
        await settle(pilot)
        # Their other complaints can go; C-0001's hold is quoted, its many lines on one.
        await look(pilot, app, Confirm)
        assert "\\x1b[2J\\x1b[31mRED\\x0a" in app.screen.question
        await pilot.press("n")
        await pilot.press("r")
        await settle(pilot)
        await look(pilot, app, RequestsScreen)
        await pilot.press("o")  # the answered ones too: refused, delivered
        for _ in range(len(hostile_records.subject_access.requests())):
            await look(pilot, app, RequestsScreen)
            await pilot.press("down")
        await pilot.press("a")  # the log form: its member list
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        assert not raw_controls(screen_text(app))
        assert app.is_running and not isinstance(app.screen, ReasonPrompt)
