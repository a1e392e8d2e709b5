"""Fixtures every test can use. Each test gets its own record file and its own user config folder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

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
