"""One clock (issue 12): nothing outside the clock module and the store's own stamp reads the machine's
date or time directly, so every screen, rule and export works in the team's time zone and tests and
snapshots can fix "today"."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {
    "supervisor_tui/domain/clock.py",  # the one clock
    "storage/store.py",  # the store's default stamp: the real UTC time of a save
}
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "localtime"),
}


def direct_clock_reads(path: Path, base: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in FORBIDDEN
        ):
            found.append(f"{path.relative_to(base)}:{node.lineno} {node.func.value.id}.{node.func.attr}()")
    return found


def test_only_the_clock_reads_the_machine_time():
    files = [*ROOT.glob("supervisor_tui/**/*.py"), *ROOT.glob("storage/**/*.py"), *ROOT.glob("themes/**/*.py")]
    assert len(files) > 50
    found = [hit for f in files if str(f.relative_to(ROOT)) not in ALLOWED for hit in direct_clock_reads(f)]
    assert found == []


def test_the_check_finds_a_direct_read(tmp_path):
    sample = tmp_path / "probe.py"
    sample.write_text("from datetime import date\nTODAY = date.today()\n")
    assert direct_clock_reads(sample, tmp_path) == ["probe.py:2 date.today()"]


def test_tests_read_today_from_the_team_clock_too():
    """A test comparing what the app stored with the machine's date fails for an hour each night in
    summer on a UTC server (the app's today is London's); tests take today from ``Clock`` as the app does.
    (``time.time`` stays allowed here: tests time things.)"""
    dates = {call for call in FORBIDDEN if call[0] in ("date", "datetime")}
    found = [
        hit
        for f in ROOT.glob("tests/**/*.py")
        if f.name != "test_one_clock.py"
        for hit in direct_clock_reads(f)
        if tuple(hit.rsplit(" ", 1)[1].rstrip("()").split(".")) in dates
    ]
    assert found == []
