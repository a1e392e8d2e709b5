"""How every section and record page looks, at 80x24 (a Linux console, a small SSH window) and at
120x40, on the demo data with the clock fixed at the demo's "now".

The screenshots live in __snapshots__/ as SVG files: open one in a browser to review it. After a
deliberate change to a screen's look, regenerate and review them with
``pytest tests/snapshots --snapshot-update`` and commit the changed SVGs with the change.

Everything a screenshot shows is fixed: the clock (tests/conftest.DEMO_NOW), the demo seed, the
login ("supervisor", so CI's user does not show), the file name (the test runs in its own folder, and
the status line shows the file relative to it) and the theme.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from supervisor_tui.domain.clock import Clock
from supervisor_tui.services import Records
from supervisor_tui.storage import Store
from supervisor_tui.storage.identity import Actor
from supervisor_tui.storage.signing import SigningKey
from tests.conftest import DEMO_NOW, copy_record

SUPERVISOR = Actor(login="supervisor", uid=1000, ssh=None)
SIZES = [(80, 24), (120, 40)]

# (name, keys pressed after the app opens on Team). Every section, every record page, the dialogs a
# supervisor meets daily. "_" is a short pause.
SCREENS = [
    ("today", ["0", "_"]),
    ("team", []),
    ("member-page", ["enter"]),
    ("member-form", ["e"]),
    ("shifts-week", ["2"]),
    ("shifts-day", ["2", "right", "enter"]),
    ("shifts-fill", ["2", "right", "f"]),
    ("shifts-briefing", ["2", "b"]),
    ("shifts-help", ["2", "f1"]),
    ("quality", ["3"]),
    ("quality-member", ["3", "enter"]),
    ("quality-score", ["3", "s"]),
    ("quality-standards", ["3", "S"]),
    ("quality-calibration", ["3", "C"]),
    ("quality-calibration-session", ["3", "C", "enter"]),
    ("one-to-ones", ["4"]),
    ("one-to-ones-member", ["4", "enter"]),
    ("one-to-ones-record", ["4", "r"]),
    ("complaints", ["5"]),
    ("complaint-page", ["5", "enter"]),
    ("complaint-repairs", ["5", "enter", "f"]),
    ("data-protection", ["6", "_"]),
    ("data-protection-schedule", ["6", "_", "s"]),
    ("data-protection-requests", ["6", "_", "r"]),
    ("improvement", ["7", "_"]),
    ("improvement-action", ["7", "_", "down", "down", "enter"]),
    ("improvement-plan", ["7", "_", "n", "_"]),
]


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo record, built once per test process as 'supervisor' at the fixed clock."""
    from supervisor_tui.demo import build_demo

    path = tmp_path_factory.mktemp("snapshot-demo") / "team.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Actor, "from_process", classmethod(lambda cls: SUPERVISOR))
        build_demo(path, seed=1, clock=Clock.fixed(DEMO_NOW))
    return path


@pytest.fixture
def app(demo_file, tmp_path, monkeypatch):
    from supervisor_tui.app import SupervisorApp

    monkeypatch.chdir(tmp_path)
    copy_record(demo_file, tmp_path / "team.json")
    # A fixed key, so the fingerprint on the status line is the same on every run.
    signer = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    records = Records(Store("team.json", actor=SUPERVISOR, signer=signer), Clock.fixed(DEMO_NOW))
    return SupervisorApp(records, theme="shopfloor", poll_seconds=3600)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name, keys", SCREENS, ids=[name for name, _ in SCREENS])
def test_screen_looks_as_reviewed(snap_compare, app, name, keys, size):
    assert snap_compare(app, press=[*keys, "_"], terminal_size=size)


# The audit viewer: the log, one change before -> after, and its filter. The system's account names are
# fixed here (the machine running the tests has its own).
AUDIT_SCREENS = [("audit-log", ["L"]), ("audit-change", ["L", "down", "enter"]), ("audit-filter", ["L", "f"])]
NAMES = {"supervisor": "Sam Supervisor", "p.sharma": "Priya Sharma"}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name, keys", AUDIT_SCREENS, ids=[name for name, _ in AUDIT_SCREENS])
def test_audit_screen_looks_as_reviewed(snap_compare, app, name, keys, size):
    app.records.audit_log.names = NAMES.get
    assert snap_compare(app, press=[*keys, "_"], terminal_size=size)


# The manager's report (r on Today). It prints the audit head it was read at, whose hash holds each entry's
# signature, made with the key of whoever built the demo: the head is fixed here, the rest is the demo's.
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_report_screen_looks_as_reviewed(snap_compare, app, monkeypatch, size):
    store = app.records.store
    monkeypatch.setattr(store, "head_text", lambda: f"{store.head[0]}:{'0' * 64}")
    assert snap_compare(app, press=["0", "r", "_"], terminal_size=size)
