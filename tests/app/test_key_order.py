"""Keys take effect in the order they were typed, even when they arrive in one burst (a fast typist, a
paste or a slow moment over SSH): issue 12 found typed text landing in the Name field instead of the
next one in 6 of 16 edits on a year-sized file, and the keys behind `e` reaching the list instead of
the form `e` opens. The cause is in Textual: the app hands every key to the focused widget as it reads
it, and a key's bindings (Tab, the field's own backspace and ctrl+k, the list's `e`) run only when it
has bubbled back up (Textualize/textual#6605); ``widgets.key_order.KeysInTurn`` hands on each key only
when the one before it has been dealt with. Each burst here is posted in one go, as one terminal read
delivers it, and each case fails without ``KeysInTurn``."""

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


@pytest.mark.parametrize(
    "keys, job, why",
    [
        (["e", "tab", *"Lead", "ctrl+s"], "Lead", "the keys behind 'e' go to the form it opens, not to the list"),
        (
            ["e", "tab", *"Lead", "escape", "y", "e", "tab", *"Chef", "ctrl+s"],
            "Chef",
            "closing (y: discard what was typed) and reopening in one burst",
        ),
    ],
)
async def test_keys_typed_behind_a_key_that_opens_a_form_go_to_the_form(records, sam, keys, job, why):
    app = SupervisorApp(records, poll_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, *keys)
        for _ in range(40):
            await pilot.pause(0.05)
            if records.team.get(sam.id).job_title == job:
                break
        assert records.team.get(sam.id).job_title == job, why
        assert records.team.get(sam.id).name == "Sam Patel", why
