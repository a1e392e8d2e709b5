"""Esc with unsaved work asks before throwing it away (issue 15): every form (the RecordForm class and
every subclass of it) and the pages that hold typing: the one-to-one, the score sheet, the briefing."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App
from textual.widgets import Input, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.briefing import BriefingScreen
from supervisor_tui.screens.one_to_ones import RecordMeetingScreen
from supervisor_tui.screens.quality import ScoreCheckScreen
from supervisor_tui.widgets.discard import KeepsUnsavedWork
from supervisor_tui.widgets.form import Field, RecordForm
from supervisor_tui.widgets.prompt import Confirm

SIZE = (80, 24)


def every_form_class() -> list[type[RecordForm]]:
    """RecordForm and every subclass of it, however deep: a new kind of form gets the same guard."""
    found, todo = [], [RecordForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


class FormHost(App[None]):
    """An app holding one form (of the class under test) and what it was dismissed with."""

    def __init__(self, form_class: type[RecordForm]):
        super().__init__()
        self.form_class = form_class
        self.saved: list[dict] = []
        self.closed: list[object] = []

    def on_mount(self) -> None:
        fields = [Field("name", "Name"), Field("notes", "Notes", "long"), Field("kind", "Kind", "choice", options=[])]
        form = self.form_class("A form", fields, {"name": "Sam"}, self.saved.append)
        self.push_screen(form, self.closed.append)


@pytest.mark.parametrize("form_class", every_form_class(), ids=lambda cls: cls.__name__)
async def test_every_form_asks_before_throwing_typing_away(form_class):
    assert issubclass(form_class, KeepsUnsavedWork)
    app = FormHost(form_class)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        assert isinstance(form, form_class)
        await pilot.press("escape")  # nothing typed: closes at once, as it always did
        assert app.closed == [None] and not isinstance(app.screen, RecordForm)

        app.push_screen(form_class("Again", form.fields, {"name": "Sam"}, app.saved.append), app.closed.append)
        await pilot.pause()
        form = app.screen
        await pilot.press("end", *" Patel")
        form.query_one("#f-notes").text = "Two lines\nof notes"
        await pilot.press("escape")
        question = app.screen
        assert isinstance(question, Confirm)
        assert "Discard your changes? Not saved: Name; Notes." in str(question.query_one("#prompt-question").render())
        await pilot.press("escape")  # Esc on the question: back to the form, typing kept
        assert app.screen is form and form.query_one("#f-name", Input).value == "Sam Patel"
        await pilot.press("escape", "n")  # n: the same
        assert app.screen is form and form.query_one("#f-notes").text == "Two lines\nof notes"
        await pilot.press("escape", "y")  # y: thrown away, nothing saved
        assert app.closed == [None, None] and app.saved == []


async def test_a_form_back_as_it_opened_closes_without_asking():
    app = FormHost(RecordForm)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "x", "backspace")
        await pilot.press("escape")
        assert app.closed == [None]


@pytest.fixture
def sam(records):
    return records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_a_one_to_one_with_feedback_is_not_lost_to_one_key(records, sam):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "r")
        page = app.screen
        assert isinstance(page, RecordMeetingScreen)
        await pilot.press("escape")  # nothing yet: leaves at once
        assert not isinstance(app.screen, RecordMeetingScreen)
        await pilot.press("r")
        page = app.screen
        await pilot.press("f")  # SBI feedback
        form = app.screen
        form.query_one("#f-situation").value = "Tuesday's queue"
        form.query_one("#f-behaviour").text = "Opened a second till without being asked"
        form.query_one("#f-impact").value = "The queue halved"
        await pilot.press("ctrl+s")
        assert app.screen is page and len(page.feedback) == 1
        page.query_one("#mt-notes").text = "Agreed to share the tip at the briefing"
        head = records.store.head
        await pilot.press("escape")
        question = app.screen
        assert isinstance(question, Confirm)
        words = str(question.query_one("#prompt-question").render())
        assert "Discard this one-to-one with Sam Patel?" in words and "1 feedback item" in words
        assert "the notes" in words
        await pilot.press("n")
        assert app.screen is page and len(page.feedback) == 1
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, RecordMeetingScreen)
    assert records.store.head == head  # nothing was saved either way


async def test_scores_typed_on_the_score_sheet_ask_first(records, sam):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "D", "s")
        sheet = app.screen
        assert isinstance(sheet, ScoreCheckScreen)
        await pilot.press("y", "y", "3")
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        assert "Not saved: 3 scores." in str(app.screen.query_one("#prompt-question").render())
        await pilot.press("n")
        assert app.screen is sheet and len(sheet.scores) == 3


async def test_briefing_text_asks_first(records, sam):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "b")
        page = app.screen
        assert isinstance(page, BriefingScreen)
        await type_text(pilot, "Till 3 down")  # into Targets, focused first
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        assert "targets" in str(app.screen.query_one("#prompt-question").render())
        await pilot.press("y")
        assert not isinstance(app.screen, BriefingScreen)
        assert isinstance(app.screen.query_one("#rota-problems", Static), Static)  # back on the rota
