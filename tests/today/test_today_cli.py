"""`supervisor-tui today [--format text|md]`: the Today screen's lines for a morning e-mail or a wall
screen; bad input exits 2 with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.services import Records
from supervisor_tui.storage import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "team.json"
    records = Records(Store(str(path)), Clock())
    today = records.clock.today()
    records.subject_access.log("Jo Bloggs", today - timedelta(days=45))  # overdue: a month and more
    return path


@pytest.mark.parametrize("fmt, heading", [("text", "Overdue:"), ("md", "## Overdue")])
def test_today_prints_the_overdue_request_first_with_the_audit_head_on_stderr(db, capsys, fmt, heading):
    assert cli.main(["today", "--db", str(db), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert heading in out and "SAR-0001 Jo" in out and "overdue" in out
    assert err.startswith("audit head ")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "csv"], "invalid choice: 'csv'"),
        (["--db", "/nonexistent/team.json"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_the_reason(db, capsys, args, message):
    with pytest.raises(SystemExit) as exited:
        code = cli.main(["today", *(["--db", str(db)] if "--db" not in args else []), *args])
        raise SystemExit(code)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
