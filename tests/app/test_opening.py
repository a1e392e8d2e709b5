"""The first frame comes before the record is read: the app says which file it is opening, opens it in
a worker, then shows the first section. Until then only quitting works; a file that cannot be opened
ends the app and is reported on stderr with exit 2, exactly as before the app started."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from textual.widgets import DataTable, Static

from supervisor_tui import cli
from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.opening import OpeningScreen
from supervisor_tui.screens.team import TeamScreen

SIZE = (80, 24)


async def wait_for(pilot, condition, seconds: float = 10.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_the_opening_screen_shows_first_and_gives_way_to_the_team(records):
    release = threading.Event()

    def opener():
        assert release.wait(10)
        return records

    app = SupervisorApp(opener=opener, opening="team.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen) and not app.ready
        assert "Opening team.json…" in str(app.screen.query_one("#opening", Static).render())
        await pilot.press("2", "ctrl+p")  # nothing to go to or search yet: the keys are refused, not queued
        assert isinstance(app.screen, OpeningScreen)
        release.set()
        assert await wait_for(pilot, lambda: isinstance(app.screen, TeamScreen))
        assert app.current_mode == "team"
        assert app.screen.query_one(DataTable) is not None
        await pilot.press("2")  # now the sections answer
        assert await wait_for(pilot, lambda: app.current_mode == "shifts")


async def test_a_record_in_the_old_format_says_it_is_being_upgraded_while_it_is(tmp_path, records):
    """Upgrading years of v1 history takes a while, once: the first frame says so instead of 'Opening'."""
    from supervisor_tui.storage.upgrade import upgrade_likely
    from tests.storage.v1files import team_history

    (tmp_path / "old").mkdir()
    path = team_history().save(tmp_path / "old" / "team.json")
    assert upgrade_likely(path)
    release = threading.Event()
    app = SupervisorApp(opener=lambda: (release.wait(10), records)[1], opening="team.json", upgrading=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Upgrading team.json to the journal format…" in str(app.screen.query_one("#opening", Static).render())
        assert "once only" in str(app.screen.query_one(".note", Static).render())
        release.set()
        assert await wait_for(pilot, lambda: isinstance(app.screen, TeamScreen))
    from supervisor_tui.storage import Store

    Store(str(path))
    assert not upgrade_likely(path)  # upgraded: the next opening says "Opening"


async def test_quitting_while_the_file_opens_works(records):
    release = threading.Event()
    app = SupervisorApp(opener=lambda: (release.wait(10), records)[1], opening="team.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        release.set()
    assert app.return_code == 0 and app.open_error is None


async def test_a_file_that_cannot_be_opened_ends_the_app_with_its_reason(records):
    def opener():
        raise cli.CliError("You do not have permission to read team.json.")

    app = SupervisorApp(opener=opener, opening="team.json")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 2 and isinstance(app.open_error, cli.CliError)


async def test_records_given_open_go_straight_to_the_first_section(records):
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, TeamScreen) and app.ready


def test_the_command_line_reports_a_damaged_file_on_stderr_with_exit_2(tmp_path, monkeypatch, capsys):
    """The open now happens inside the app; the promise to scripts (message on stderr, exit 2, nothing
    written) is unchanged."""
    damaged = tmp_path / "team.json"
    damaged.write_text('{"_meta": ')
    run = SupervisorApp.run
    monkeypatch.setattr(SupervisorApp, "run", lambda app: run(app, headless=True, size=SIZE))
    assert cli.main(["--db", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("supervisor-tui: ") and "team.json" in err and "Traceback" not in err
    assert damaged.read_text() == '{"_meta": '


def test_the_first_frame_needs_neither_pydantic_nor_the_record():
    """What runs before the first frame (the command line, the app shell, the opening screen, the themes
    and the theme choice) imports no pydantic, no services and no section: they load in the opening
    worker. Guards the start-up figure (bench/bench_startup.py: first frame within 1.5x hello-world)."""
    code = (
        "import sys\n"
        "from supervisor_tui import cli\n"
        "from supervisor_tui.app import SupervisorApp\n"
        "from supervisor_tui.screens.opening import OpeningScreen\n"
        "SupervisorApp.theme_names(); cli.build_parser()\n"
        "app = SupervisorApp(opener=lambda: None)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.startswith("
        "('supervisor_tui.services', 'supervisor_tui.domain', 'supervisor_tui.screens.team')))\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_broken_theme_file_is_a_clear_message_not_a_traceback(monkeypatch, capsys):
    from supervisor_tui.themes import ThemeFileError

    def broken():
        raise ThemeFileError("theme file night.toml is not valid: primary 'sort of blue' is not a colour")

    monkeypatch.setattr(SupervisorApp, "theme_names", staticmethod(broken))
    assert cli.main(["--db", "/nonexistent/team.json"]) == 2
    err = capsys.readouterr().err
    assert "night.toml is not valid" in err and "Traceback" not in err


def test_no_file_named_and_none_at_the_default_place_is_asked_about(tmp_path, monkeypatch):
    from supervisor_tui import locations

    assert locations.new_default_db(None) == locations.default_db_path()  # a fresh machine
    assert locations.new_default_db(str(tmp_path / "named.json")) is None  # --db: opened (or made) as named
    monkeypatch.setenv(locations.DB_ENV, str(tmp_path / "env.json"))
    assert locations.new_default_db(None) is None  # $SUPERVISOR_TUI_DB likewise
    monkeypatch.delenv(locations.DB_ENV)
    locations.default_db_path().parent.mkdir(parents=True, exist_ok=True)
    locations.default_db_path().write_text("{}")
    assert locations.new_default_db(None) is None  # there is one: it opens


async def test_with_no_default_file_the_app_says_so_and_starts_one_only_when_asked(tmp_path, records):
    opened = threading.Event()

    def opener():
        opened.set()
        return records

    app = SupervisorApp(opener=opener, opening="team.json", new_file=tmp_path / "team.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = str(app.screen.query_one("#no-file", Static).render())
        assert "No record file yet" in said and str(tmp_path / "team.json") in said
        assert "supervisor-tui --db" in said and "supervisor-tui --demo" in said
        await pilot.press("2", "x")  # nothing else starts it
        await pilot.pause(0.2)
        assert not opened.is_set() and isinstance(app.screen, OpeningScreen)
        await pilot.press("n")
        assert await wait_for(pilot, lambda: app.current_mode == app.FIRST_SECTION)
        assert opened.is_set()


async def test_quitting_at_the_question_makes_no_file(tmp_path):
    app = SupervisorApp(opener=lambda: pytest.fail("nothing opens unasked"), new_file=tmp_path / "team.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code == 0 and not (tmp_path / "team.json").exists()


def test_the_app_asks_only_without_a_file_and_the_demo_never_does(tmp_path, monkeypatch):
    """Run with no --db on a fresh machine, the app is told to ask; the README's first command, --demo,
    opens the demo whatever the default place holds."""
    from supervisor_tui import locations

    seen = {}

    class Recording(SupervisorApp):
        def __init__(self, *args, **kwargs):
            seen.update(kwargs)
            super().__init__(*args, **kwargs)

        def run(self, *args, **kwargs):
            return None

    monkeypatch.setattr("supervisor_tui.app.SupervisorApp", Recording)
    assert cli.main([]) == 0
    assert seen["new_file"] == locations.default_db_path() and not locations.default_db_path().exists()
    assert cli.main(["--db", str(tmp_path / "named.json")]) == 0 and seen["new_file"] is None
    assert cli.main(["--demo"]) == 0
    assert seen["new_file"] is None and seen["banner"].startswith("Demo data in")
