"""'supervisor-tui seal': the preview first, a yes asked for, clear refusals with exit 2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from supervisor_tui import cli
from supervisor_tui.storage import Store, verify_record

from .test_sealed_reads import team  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supervisor_tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_without_a_terminal_it_shows_the_preview_and_needs_yes(team, tmp_path):  # noqa: F811
    path = tmp_path / "team.json"
    journal = path.with_suffix(".journal").read_bytes()
    shown = run("seal", "--before", "02/06/2025", "--file", str(path))
    assert shown.returncode == 2
    assert "Seal closed records from before 02/06/2025 into segment 1" in shown.stdout
    assert "105  shifts" in shown.stdout and "Stay live: 95 shifts" in shown.stdout
    assert "add --yes" in shown.stderr
    assert path.with_suffix(".journal").read_bytes() == journal and not Store(str(path)).segments()
    done = run("seal", "--before", "02/06/2025", "--file", str(path), "--yes", "--reason", "year end")
    assert done.returncode == 0, done.stderr
    assert "sealed 105 records into segment 1; head" in done.stdout
    assert Store(str(path)).segments()[0].before == "2025-06-02"
    assert verify_record(path).ok


def test_bad_cut_offs_are_refused_with_exit_2_and_nothing_changes(team, tmp_path):  # noqa: F811
    path = tmp_path / "team.json"
    journal = path.with_suffix(".journal").read_bytes()
    for before, said in (
        ("nonsense", "--before: 'nonsense' is not a date"),
        ("+3d", "is in the future"),
        ("today", "is too recent: the working-time rules read the last 20 weeks"),
    ):
        result = run("seal", "--before", before, "--db", str(path), "--yes")
        assert result.returncode == 2 and said in result.stderr, (before, result.stderr)
    assert run("seal", "--db", str(path)).returncode == 2  # --before is required
    missing = run("seal", "--before", "02/06/2025", "--db", str(tmp_path / "nothing.json"), "--yes")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert path.with_suffix(".journal").read_bytes() == journal


def test_in_a_terminal_it_asks_and_no_seals_nothing(team, tmp_path, monkeypatch, capsys):  # noqa: F811
    path = tmp_path / "team.json"
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", tty)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert cli.main(["seal", "--before", "02/06/2025", "--db", str(path)]) == 0
    assert "Nothing was sealed." in capsys.readouterr().out and not Store(str(path)).segments()
    assert cli.main(["seal", "--before", "02/06/2025", "--db", str(path)]) == 0
    assert "sealed 105 records" in capsys.readouterr().out and Store(str(path)).segments()
