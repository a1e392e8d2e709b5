"""Fixtures every test can use. Each test gets its own record file and its own user config folder."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from supervisor_tui.services import Records
from supervisor_tui.storage import Actor, Store

DEMO_TODAY = date(2026, 11, 22)  # a fixed 'today' so demo-based tests see the same data every run
DEMO_NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _own_config(tmp_path_factory, monkeypatch):
    """Keep theme preferences and the default database out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("SUPERVISOR_TUI_DB", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)


@pytest.fixture(autouse=True)
def _opens_on_team(request, monkeypatch):
    """The app opens on Today. Tests written for a section (most of them, from before Today existed) start
    on Team as they always did, so their first keys mean what they meant; a test of the first screen
    itself is marked ``opens_on_today`` and sees the app as a supervisor does."""
    if request.node.get_closest_marker("opens_on_today") is None:
        from supervisor_tui.app import SupervisorApp

        monkeypatch.setattr(SupervisorApp, "FIRST_SECTION", "team")


_PILOT_PRESS = Pilot.press  # as Textual made it, before _keys_wait_for_their_work below


async def press_now(pilot: Pilot, *keys: str) -> None:
    """Press keys and return once they are handled, without waiting for the saves or reloads they
    start: for tests of what a person can do while a save waits."""
    await _PILOT_PRESS(pilot, *keys)


# Worker groups whose work a person waits to see after a key: saves, other writes, background reloads.
SETTLE_GROUPS = {"form-save", "write", "write-flow", "reload"}


async def settle(pilot: Pilot, seconds: float = 20.0) -> None:
    """Wait until the saves, writes, reloads and redraws the keys started have finished and been shown.

    They run in workers now, so the UI never waits for them; a test, like a person, looks at the
    result once it is there. (Tests of what happens *while* a save waits send keys without this:
    see tests/app/test_responsive.py.)"""
    from supervisor_tui.widgets import debounce

    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if any(_on_screen(d.node, pilot.app) for d in list(debounce.waiting)):  # a redraw due once the keys stop
            await pilot.pause(0.05)
            continue
        busy = [
            w
            for w in pilot.app.workers
            if w.group in SETTLE_GROUPS and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not busy:
            return
        await asyncio.wait([asyncio.ensure_future(_ended(w)) for w in busy], timeout=deadline - loop.time())
        await pilot.pause()  # the messages they posted (saved, refused, loaded) are handled


def _on_screen(node, app) -> bool:
    try:
        return node.is_attached and node.app is app
    except Exception:
        return False


async def _ended(worker) -> None:
    try:
        await worker.wait()
    except Exception:
        pass  # a failed worker is the test's business (the app reports it); here it has just ended


@pytest.fixture(autouse=True)
def _keys_wait_for_their_work(monkeypatch):
    """Every Pilot key press in the suite waits for the work it started (see ``settle``)."""
    press = Pilot.press

    async def press_and_settle(self: Pilot, *keys: str) -> None:
        await press(self, *keys)
        await settle(self)

    monkeypatch.setattr(Pilot, "press", press_and_settle)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "team.json"


@pytest.fixture
def records(db_path) -> Records:
    """A new, empty record file."""
    return Records(Store(str(db_path)))


@pytest.fixture
def other_records(db_path, records) -> Records:
    """A second session on the same file, as another supervisor."""
    return Records(Store(str(db_path), actor=Actor(login="alice", uid=1001, ssh="10.0.0.7:50122")))


@pytest.fixture
def demo_records(db_path) -> Records:
    from supervisor_tui.demo import build_demo
    from supervisor_tui.domain.clock import Clock

    return build_demo(db_path, seed=1, clock=Clock.fixed(DEMO_NOW))


def record_files(path: Path) -> list[Path]:
    """The files that make up a record (v2): the snapshot and its journal."""
    from supervisor_tui.storage.journal import journal_name

    return [path, path.with_name(journal_name(path.name))]


def copy_record(source: Path, target: Path) -> Path:
    """A copy of a whole record (its snapshot and journal) under another name; returns ``target``."""
    import shutil

    for src, dst in zip(record_files(Path(source)), record_files(Path(target)), strict=True):
        if src.exists():
            shutil.copyfile(src, dst)
    return Path(target)


def put_record_in_place(source: Path, target: Path) -> None:
    """Replace a record's files with another record's (renamed over them, as a restore from backup does)."""
    for src, dst in zip(record_files(Path(source)), record_files(Path(target)), strict=True):
        src.replace(dst)
