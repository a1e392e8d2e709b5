"""export person and export customer: what scripts and a supervisor at the prompt can rely on."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(demo_records) -> str:
    return str(demo_records.store.path)


def test_export_person_writes_the_pack_and_the_audit_head(demo_records, db, capsys):
    name = demo_records.team.get(demo_records.one_to_ones.plans.all()[0].member_id).name
    for fmt, start in (("md", f"# Evidence pack: {name} "), ("html", "<!doctype html>")):
        assert cli.main(["export", "person", "--member", name.upper(), "--format", fmt, "--db", db]) == 0
        out, err = capsys.readouterr()
        assert out.startswith(start) and "Working-time problems" in out
        assert err == f"audit head {demo_records.store.head_text()}\n"
    args = ["export", "person", "--member", name, "--from", "01/11/2026", "--to", "30/11/2026", "--format", "md"]
    assert cli.main([*args, "--db", db]) == 0
    assert "Period: 01/11/2026 to 30/11/2026" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--member", "Nobody"], "supervisor-tui: --member: no one called 'Nobody' is on the team\n"),
        (["--member", "Sam Patel", "--from", "31/02/2026"], "supervisor-tui: --from: '31/02/2026' is not a date."),
        (["--member", "Sam Patel", "--to", "soon"], "supervisor-tui: --to: 'soon' is not a date."),
        (
            ["--member", "Sam Patel", "--from", "10/11/2026", "--to", "01/11/2026"],
            "supervisor-tui: --to: 01/11/2026 is before --from 10/11/2026\n",
        ),
    ],
)
def test_export_person_refuses_a_name_or_date_it_cannot_use_with_exit_2(db, capsys, extra, message):
    assert cli.main(["export", "person", *extra, "--format", "md", "--db", db]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message) and err.count("\n") == 1


def test_export_customer_gives_their_complaints_and_warns_of_two_contacts(db, capsys):
    assert cli.main(["export", "customer", "--customer", "mrs j smith", "--format", "md", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Complaints from Mrs J Smith") and "## Complaint C-0001" in out
    lines = err.splitlines()
    assert lines[0].startswith("supervisor-tui: warning: C-0001, C-0011 give 2 different contact details")
    assert lines[1].startswith("audit head ") and len(lines) == 2
    assert "warning" not in out  # the supervisor's warning never goes into what is sent to the customer
    assert cli.main(["export", "customer", "--customer", "Mr O Davies", "--format", "html", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("<!doctype html>") and err.splitlines()[-1].startswith("audit head ")
    assert "warning" not in out
    assert cli.main(["export", "customer", "--customer", "Nobody", "--format", "md", "--db", db]) == 2
    assert capsys.readouterr().err == (
        "supervisor-tui: --customer: no complaint on the record is from a customer called 'Nobody'\n"
    )


def test_export_person_to_a_file_is_never_world_readable(demo_records, db, tmp_path, capsys):
    out = tmp_path / "pack.html"
    name = demo_records.team.members()[0].name
    assert cli.main(["export", "person", "--member", name, "--format", "html", "--db", db, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>") and capsys.readouterr().out == ""
    assert not stat.S_IMODE(out.stat().st_mode) & 0o007


def test_a_bad_date_is_a_message_not_a_traceback_as_a_user_runs_it(db):
    result = subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "export", "person", "--member", "x", "--from", "32/13/2026"]
        + ["--format", "md", "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("supervisor-tui: ") and "Traceback" not in result.stderr
