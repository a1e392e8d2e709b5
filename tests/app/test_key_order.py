"""Keys take effect in the order they were typed, even when they arrive in one burst (a fast typist, a
paste or a slow moment over SSH): issue 12 found typed text landing in the Name field instead of the
next one in 6 of 16 edits on a year-sized file. Two causes in Textual (Textualize/textual#6605): Tab
moved focus only after the key had bubbled back from the field, and a field's own editing keys
(backspace, ctrl+a, ctrl+k) ran after characters typed behind them. Each burst here is posted in one
go, as one terminal read delivers it, and fails on the code before the fix."""

from __future__ import annotations

import pytest
from textual import events

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.widgets.text import LiteralInput


def burst(app: SupervisorApp, *keys: str) -> None:
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def settle(pilot) -> None:
    for _ in range(5):  # the app's queue, then the field's, then its redraw
        await pilot.pause(0.05)


@pytest.fixture
def sam(records):
    from datetime import date

    return records.team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=30, date_of_birth=date(1990, 1, 1))
    )


@pytest.mark.parametrize(
    "keys, name, job, why",
    [
        (
            ["tab", *"Lead"],
            "Sam Patel",
            "Lead",
            "text typed right behind Tab goes to the next field (which Tab selects, so it replaces it)",
        ),
        (["ctrl+a", "ctrl+k", *"Sam Jones"], "Sam Jones", "Advisor", "clear the field, then type: in that order"),
        (
            ["backspace", "backspace", *"el", "tab", "ctrl+k", *"CSA"],
            "Sam Patel",
            "CSA",
            "backspace before the letters typed after it; Tab, then the next field's own ctrl+k",
        ),
    ],
)
async def test_a_burst_of_keys_lands_in_order_and_in_the_right_field(records, sam, keys, name, job, why):
    app = SupervisorApp(records, poll_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        name_field = app.screen.query_one("#f-name", LiteralInput)
        assert app.focused is name_field
        name_field.action_end()
        burst(app, *keys)
        await settle(pilot)
        assert name_field.value == name, why
        assert app.screen.query_one("#f-job_title", LiteralInput).value == job, why
