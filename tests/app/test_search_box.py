"""Search boxes at 80x24: Esc clears the search and goes back to the list, Enter goes to the list keeping
the search, and a section key goes to its section instead of typing itself into the box (a digit that
carries on a number or a reference, as in C-0012, is still typed). Every section with a search box is
tested, found on the screens themselves."""

from __future__ import annotations

import pytest

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.widgets.search import SearchBox, continues_number
from tests.conftest import DEMO_NOW, copy_record

SIZE = (80, 24)


@pytest.mark.parametrize(
    "typed, carries_on",
    [
        ("", False),  # a digit first in the box starts a word: it is the section key
        ("sam ", False),  # after a space, likewise
        ("sam", False),  # after a letter: 'sam2' is nobody's name, so 2 goes to Shifts
        ("c-", True),  # C-0012: the number after a reference's dash
        ("c-00", True),  # …and each digit after it
        ("20/", True),  # a date, 20/11
        ("09:", True),  # a time
        ("37.", True),  # a decimal
    ],
)
def test_a_digit_is_typed_only_when_it_carries_on_a_number(typed, carries_on):
    assert continues_number(typed) is carries_on


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from supervisor_tui.demo import build_demo

    path = tmp_path_factory.mktemp("search-demo") / "team.json"
    build_demo(path, seed=1, clock=Clock.fixed(DEMO_NOW))
    return path


@pytest.fixture
def app(demo_file, tmp_path) -> SupervisorApp:
    copy_record(demo_file, tmp_path / "team.json")
    return SupervisorApp(Records(Store(str(tmp_path / "team.json")), Clock.fixed(DEMO_NOW)), poll_seconds=3600)


SECTIONS_WITH_A_SEARCH = [
    (mode, key)
    for mode, _, key in SupervisorApp.SECTIONS
    if mode in ("team", "complaints", "improvement")  # checked against the screens in the next test
]


async def test_the_sections_with_a_search_box_are_the_ones_tested(app):
    found = []
    async with app.run_test(size=SIZE) as pilot:
        for mode, _, key in SupervisorApp.SECTIONS:
            await pilot.press(key)
            if app.screen.query(SearchBox):
                found.append(mode)
    assert found == [mode for mode, _ in SECTIONS_WITH_A_SEARCH]


def rows(app) -> int:
    box = app.screen.query_one(SearchBox)
    return app.screen.query_one(box.results).row_count


@pytest.mark.parametrize("mode, key", SECTIONS_WITH_A_SEARCH)
async def test_esc_clears_and_leaves_enter_goes_to_the_results(app, mode, key):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        everyone = rows(app)
        box = app.screen.query_one(SearchBox)
        await pilot.press("slash", *"zzqx")
        assert box.has_focus and box.value == "zzqx" and rows(app) == 0
        await pilot.press("escape")
        assert box.value == "" and rows(app) == everyone
        assert app.screen.query_one(box.results).has_focus  # back on the list, not stuck in the box
        await pilot.press("slash", *"a", "enter")
        assert box.value == "a" and app.screen.query_one(box.results).has_focus  # the search stays


@pytest.mark.parametrize("mode, key", SECTIONS_WITH_A_SEARCH)
async def test_a_section_key_in_the_box_goes_to_its_section(app, mode, key):
    other_mode, _, other_key = next(s for s in SupervisorApp.SECTIONS if s[0] != mode)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key, "slash", *"sa", other_key)
        assert app.current_mode == other_mode
        await pilot.press(key)
        box = app.screen.query_one(SearchBox)
        assert box.value == "sa"  # the key went to the section, not into the box


async def test_a_reference_can_still_be_searched_for(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "slash", *"c-0012")
        assert app.current_mode == "complaints"
        table = app.screen.query_one("#cp-table")
        assert app.screen.query_one(SearchBox).value == "c-0012"
        assert [table.get_row_at(r)[0].plain for r in range(table.row_count)] == ["C-0012"]


async def test_a_remapped_section_key_is_the_one_that_leaves_the_box(app):
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"section.shifts": "f2"})
        await pilot.press(next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "team"))
        await pilot.press("slash", "2")
        assert app.current_mode == "team" and app.screen.query_one(SearchBox).value == "2"  # typed now
        await pilot.press("f2")
        assert app.current_mode == "shifts"
