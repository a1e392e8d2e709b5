"""`supervisor-tui report --period P --format md|html [--out FILE]`: the manager's report on standard output
or in a private file, the audit head on stderr like every export; a bad or future period exits 2 with one
line saying what to type, and nothing is written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.periods import last_full_month
from supervisor_tui.storage import Store

from ..conftest import DEMO_NOW, copy_record

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    from supervisor_tui.demo import build_demo

    path = tmp_path_factory.mktemp("report-demo") / "team.json"
    build_demo(path, seed=1, clock=Clock.fixed(DEMO_NOW))
    return path


@pytest.fixture
def demo(demo_file, tmp_path) -> Path:
    return copy_record(demo_file, tmp_path / "team.json")


def test_markdown_on_standard_output_with_the_audit_head_on_stderr(demo, capsys):
    assert cli.main(["report", "--period", "2026-10", "--format", "md", "--db", str(demo)]) == 0
    out, err = capsys.readouterr()
    head = Store(str(demo)).head_text()
    assert out.startswith("# Team report: 2026-10 (1 Oct 2026 to 31 Oct 2026)\n")
    assert f"audit head {head}" in out and "## Improvement actions" in out
    assert err == f"audit head {head}\n"


@pytest.mark.parametrize("period", ["2026-W43", "2026-Q3"])
def test_a_week_and_a_quarter(demo, capsys, period):
    assert cli.main(["report", "--period", period, "--db", str(demo)]) == 0
    assert capsys.readouterr().out.startswith(f"# Team report: {period} (")


def test_html_written_to_a_private_file_with_its_charts(demo, tmp_path, capsys):
    target = tmp_path / "october.html"
    assert cli.main(["report", "--period", "2026-10", "--format", "html", "--out", str(target), "--db", str(demo)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("audit head ")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count('role="img"') >= 4 and "<table>" in page
    assert stat.S_IMODE(os.stat(target).st_mode) & 0o007 == 0  # it names staff: never world-readable, as every export


def test_no_period_means_the_last_full_month(demo, capsys):
    assert cli.main(["report", "--db", str(demo)]) == 0
    assert capsys.readouterr().out.startswith(f"# Team report: {last_full_month(Clock().today()).name} (")


@pytest.mark.parametrize(
    "period, says",
    [
        ("2026-13", "--period: '2026-13' is not a period; write a month as 2026-11, a week as 2026-W48"),
        ("2026-W54", "2026 has no week 54"),
        ("Q4", "is not a period"),
        ("2200-01", "the year must be from 1900 to 2100"),
        ("2100-12", "has not started yet"),
    ],
)
def test_a_bad_or_future_period_exits_2_and_writes_nothing(demo, tmp_path, capsys, period, says):
    target = tmp_path / "report.md"
    before = demo.read_bytes()
    assert cli.main(["report", "--period", period, "--out", str(target), "--db", str(demo)]) == 2
    out, err = capsys.readouterr()
    assert says in err and out == ""
    assert not target.exists() and demo.read_bytes() == before


def test_from_a_shell_a_bad_period_is_one_line_and_no_traceback(demo):
    result = subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "report", "--period", "next month", "--db", str(demo)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_hostile_text_never_reaches_the_terminal_raw(tmp_path, fmt):
    """Run as a user runs it: names, categories and root causes full of escapes, bidi overrides and markup
    print as visible text (the report's own checks of Markdown and HTML are in test_report_service)."""
    from supervisor_tui.demo import build_demo

    from ..output.hostile import raw_controls, store_hostile

    path = tmp_path / "hostile.json"
    store_hostile(build_demo(path, seed=1, clock=Clock.fixed(DEMO_NOW)))
    result = subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "report", "--period", "2026-10", "--format", fmt, "--db", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert not raw_controls(result.stdout) and not raw_controls(result.stderr)
    assert "\\x1b" in result.stdout and "\\u202eevil" in result.stdout  # shown, not obeyed
