"""Help (F1, or ? outside a text box) on every screen at 80x24: each of the screen's keys is in it with
what it does, and the marks the screen uses are explained; the footer's keys fit 80 columns.

Which screens there are comes from the app itself (its sections, its record pages and the other screens
it lists for ``supervisor-tui keys``), so a screen added later is tested as soon as it is listed; only
the way to reach each listed screen is written here, and a listed screen without a way fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Footer

from supervisor_tui.app import SupervisorApp, load_class
from supervisor_tui.domain.clock import Clock
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.widgets.help import HelpScreen, help_table, key_help, own_bindings
from tests.conftest import DEMO_NOW, copy_record

SIZE = (80, 24)
TEAM = next(key for mode, _, key in SupervisorApp.SECTIONS if mode == "team")  # the app may open elsewhere


def push_waiting(app: SupervisorApp) -> None:
    from supervisor_tui.widgets.saving import Save, WaitingForLock

    app.push_screen(WaitingForLock(Save(lambda: None)))


# How a person reaches each screen in OTHER_SCREENS from the Team list, on the demo data.
REACH: dict[str, list[str] | Callable[[SupervisorApp], None]] = {
    "widgets.form:RecordForm": ["e"],
    "widgets.prompt:ReasonPrompt": ["d"],
    "widgets.prompt:Confirm": ["2", "c"],
    "widgets.saving:WaitingForLock": push_waiting,
    "screens.shifts:FillSlot": ["2", "right", "f"],
    "screens.briefing:BriefingScreen": ["2", "b"],
    "screens.shifts:DayScreen": ["2", "right", "enter"],
    "screens.quality:ScoreCheckScreen": ["3", "s"],
    "screens.quality:MemberQualityScreen": ["3", "enter"],
    "screens.quality:CalibrationScreen": ["3", "C"],
    "screens.quality:CalibrationSessionScreen": ["3", "C", "enter"],
    "screens.quality:StandardsScreen": ["3", "S"],
    "screens.data_protection.requests:RequestsScreen": ["6", "r"],
    "screens.one_to_ones:RecordMeetingScreen": ["4", "r"],
    "screens.one_to_ones:MemberOneToOnesScreen": ["4", "enter"],
    "widgets.help:HelpScreen": ["f1"],
    "screens.audit:AuditLogScreen": ["L"],
    "screens.audit:AuditFilter": ["L", "f"],
    "screens.audit:ChangeScreen": ["L", "enter"],
    "screens.report:ReportScreen": ["0", "r"],
    # Shown before a record is open, when there is none at the default place: see test_opening_screen_help.
    "screens.opening:OpeningScreen": [],
}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    from supervisor_tui.demo import build_demo

    path = tmp_path_factory.mktemp("help-demo") / "team.json"
    build_demo(path, seed=1, clock=Clock.fixed(DEMO_NOW))
    return path


@pytest.fixture
def app(demo_file, tmp_path) -> SupervisorApp:
    copy_record(demo_file, tmp_path / "team.json")
    return SupervisorApp(Records(Store(str(tmp_path / "team.json")), Clock.fixed(DEMO_NOW)), poll_seconds=3600)


def every_screen() -> list[tuple[str, str]]:
    """(how to get there, the screen's class) for every screen the app lists."""
    return [
        *((f"section:{mode}", name) for mode, name in SupervisorApp.SECTION_SCREENS.items()),
        *((f"page:{kind}", page) for kind, (_, page) in SupervisorApp.PAGES.items()),
        *((f"other:{name}", name) for name in SupervisorApp.OTHER_SCREENS),
    ]


def test_every_listed_screen_has_a_way_to_reach_it():
    missing = set(SupervisorApp.OTHER_SCREENS) - set(REACH)
    assert not missing, f"say in REACH how a person gets to {sorted(missing)}"


async def go_to(app: SupervisorApp, pilot, how: str) -> None:
    kind, _, what = how.partition(":")
    if kind == "section":
        await pilot.press(next(key for mode, _, key in app.SECTIONS if mode == what))
    elif kind == "page":
        target = next(t for t in app.records.search_targets() if t.kind == what)
        app.open_target(target)
        await pilot.pause()
    else:
        await pilot.press(TEAM)  # every way in REACH starts from the Team list
        reach = REACH[what]
        if callable(reach):
            reach(app)
            await pilot.pause()
        else:
            await pilot.press(*reach)


def shown_text(help_screen: HelpScreen) -> str:
    """What the help box shows, as one line of words (a wrapped description reads on)."""
    console = Console(width=74, record=True, file=None, color_system=None)
    with console.capture() as captured:
        console.print(help_table(help_screen.groups, help_screen.legend))
    return " ".join(captured.get().split())


@pytest.mark.parametrize("how, name", every_screen(), ids=[how for how, _ in every_screen()])
async def test_help_opens_on_the_screen_and_lists_every_key(app, how, name):
    if name == "screens.opening:OpeningScreen":
        pytest.skip("only shown before a record is open: test_opening_screen_help")
    cls = load_class(name)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(app, pilot, how)
        screen = app.screen
        assert isinstance(screen, cls), f"{how} showed {type(screen).__name__}"
        footers = screen.query(Footer)
        if footers:  # the most-used keys show in the footer, none of them pushed off its end
            await pilot.pause()
            assert footers.first().max_scroll_x == 0, f"{name}: the footer's keys do not fit 80 columns"
        if isinstance(screen, HelpScreen):  # F1 on help closes it; its own keys are said in its hint line
            hint = str(screen.query_one("#help-hint").render())
            assert all(k.keys in hint for k in key_help(own_bindings(HelpScreen), app.keymap, app))
            await pilot.press("f1")
            assert not isinstance(app.screen, HelpScreen)
            return
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = shown_text(help_screen)
        for key in key_help(own_bindings(cls), app.keymap, app):
            assert f"{key.keys} {key.what}" in text, f"{name}: {key.id} missing from its help"
            assert " ".join(key.detail.split()) in text
        for mark, meaning in screen.legend() if hasattr(screen, "legend") else []:
            assert " ".join(f"{mark} {meaning}".split()) in text, f"{name}: the mark {mark!r} is not explained"
        assert "Help" in str(help_screen.query_one("#help-title").render())
        await pilot.press("escape")
        assert app.screen is screen  # back where it was opened, nothing else changed


async def test_help_scrolls_at_80x24_and_closes_with_f1(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one("#help-body")
        assert body.has_focus and body.max_scroll_y > 0  # more than fits, so it scrolls
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_lists_the_rota_letters_the_team_uses(app):
    from supervisor_tui.domain.rota import Position

    app.records.shifts.save_position(Position(name="Customer Services Desk", skill="complaints desk"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "f1")
        text = shown_text(app.screen)
        assert "T tills" in text and "K complaints desk" in text
        assert "C customer services desk" in text  # a position of the team's own gets its first letter


async def test_help_shows_the_keys_as_the_persons_keymap_has_them(app):
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"team.add": "n", "app.quit": "ctrl+x"})
        await pilot.press(TEAM, "f1")
        text = shown_text(app.screen)
        assert "n Add: Add a team member" in text and "a Add" not in text
        assert "ctrl+x Quit" in text


async def test_question_mark_types_in_a_text_box_and_f1_still_helps(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(TEAM, "slash", "question_mark")
        assert app.screen.query_one("#team-search").value == "?"
        await pilot.press("e")  # typed too: the box has the keys
        await pilot.press("escape", "e")  # out of the box: e edits, and F1 in the form is the form's help
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+s Save" in shown_text(app.screen)


async def test_opening_screen_help(tmp_path):
    """Before any record is open (no file at the default place), help works and lists the one key."""
    app = SupervisorApp(opener=lambda: pytest.fail("nothing opens unasked"), new_file=tmp_path / "team.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "n New record here" in shown_text(app.screen)
        await pilot.press("escape")


def test_keys_lists_every_key_help_shows(capsys):
    """``supervisor-tui keys`` (the ids to remap by) lists each key help can show, a search box's included."""
    from supervisor_tui import cli

    assert cli.main(["keys"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    classes = [
        SupervisorApp,
        *(load_class(n) for n in SupervisorApp.SECTION_SCREENS.values()),
        *(load_class(page) for _, page in SupervisorApp.PAGES.values()),
        *(load_class(n) for n in [*SupervisorApp.OTHER_SCREENS, *SupervisorApp.WIDGETS_WITH_KEYS]),
    ]
    shown = {b.id for cls in classes for b in own_bindings(cls)}
    assert {"app.help", "search.clear", "cal.start", "opening.new"} <= shown
    assert shown <= listed, sorted(shown - listed)
