"""`supervisor-tui sar ...`: exit 0 with the request's line, or exit 2 with a clear message on stderr
(never a traceback) and nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.subject_access import months_on
from supervisor_tui.services import Records
from supervisor_tui.storage import Store


def sar(db, *args: str) -> int:
    return cli.main(["sar", *args, "--db", str(db)])


def logged(db) -> list[str]:
    return [r.saved_id for r in Records(Store(str(db))).subject_access.repo.all()]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "team.json"


def test_log_says_when_it_is_due(db, capsys):
    today = Clock().today()
    assert sar(db, "log", "--name", "Jo Bloggs", "--customer", "--received", "today", "--how", "email") == 0
    out, err = capsys.readouterr()
    assert out.startswith("SAR-0001  Jo Bloggs (customer)  received ")
    assert f"due {months_on(today, 1, 'ENG'):%a %d/%m/%Y}" in out and "ID not checked" in out
    assert err.startswith("audit head ")


def test_a_member_of_staff_is_named_as_on_the_team(db, capsys):
    Records(Store(str(db))).team.add(
        Member(name="Sam Patel", job_title="Advisor", contract_hours=30, date_of_birth=date(1990, 1, 1))
    )
    assert sar(db, "log", "--name", "Sam Patel", "--member", "sam  PATEL", "--received=-2d") == 0
    assert "Sam Patel (member of staff)" in capsys.readouterr().out
    assert sar(db, "log", "--name", "Kim", "--member", "Kim Lee", "--received", "today") == 2
    assert capsys.readouterr().err == (
        "supervisor-tui: --member: there is no 'Kim Lee' on the team; use --customer for a customer\n"
    )
    assert logged(db) == ["SAR-0001"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--received", "31/02/2026"],
            "supervisor-tui: --received: '31/02/2026' is not a date. Try 24/11/2026, 24 Nov 2026, today, fri or +3d.\n",
        ),
        (["--received", "+3d"], "is in the future; events are recorded once they happen\n"),
        (["--received", "01/01/1800"], "supervisor-tui: --received: 01/01/1800 is before 1900; check the year\n"),
        (["--received", "today", "--how", "e\x1b[2Jmail"], None),  # typed text with a control character: refused
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(db, capsys, args, message):
    assert sar(db, "log", "--name", "Jo Bloggs", "--customer", *args) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err and err.startswith("supervisor-tui: ")
    if message is None:
        assert "invisible control character" in err and "\x1b" not in err
    else:
        assert err.endswith(message)
    assert logged(db) == []


@pytest.mark.parametrize("who", [[], ["--member", "Sam", "--customer"]])
def test_the_requester_is_a_member_or_a_customer_not_both_nor_neither(db, capsys, who):
    with pytest.raises(SystemExit) as ended:
        sar(db, "log", "--name", "Jo", *who, "--received", "today")
    assert ended.value.code == 2 and "--member" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command, message",
    [
        (["id-checked", "SAR-0042", "--on", "today"], "supervisor-tui: There is no subject access request SAR-0042.\n"),
        (["extend", "SAR-7", "--reason", "complex"], "supervisor-tui: There is no subject access request SAR-0007.\n"),
        (
            ["delivered", "C-0001", "--on", "today"],
            "supervisor-tui: 'C-0001' is not a subject access request reference; they look like SAR-0001\n",
        ),
        (["delivered", "SAR-0001", "--on", "someday"], "supervisor-tui: --on: 'someday' is not a date. Try"),
        (["extend", "SAR-0001", "--reason", "complex", "--told", "32/1/2026"], "supervisor-tui: --told: '32/1/2026'"),
    ],
)
def test_unknown_requests_and_bad_dates(db, capsys, command, message):
    assert sar(db, "log", "--name", "Jo Bloggs", "--customer", "--received", "today") == 0
    capsys.readouterr()
    head = Store(str(db)).head
    assert sar(db, *command) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message) and "Traceback" not in err
    assert Store(str(db)).head == head


def test_an_extension_after_the_first_month_is_refused_citing_art_12_3(db, capsys):
    today = Clock().today()
    received = today - timedelta(days=40)
    assert sar(db, "log", "--name", "Jo Bloggs", "--customer", "--received", f"{received:%d/%m/%Y}") == 0
    capsys.readouterr()
    assert sar(db, "extend", "sar-1", "--reason", "thousands of emails") == 2
    err = capsys.readouterr().err
    first_month = months_on(received, 1, "ENG")
    assert err.startswith("supervisor-tui: Too late to extend: UK GDPR Art. 12(3) requires the person to be told")
    assert f"which ended {first_month:%a %d/%m/%Y}" in err
    told = f"{first_month:%d/%m/%Y}"  # told in time, and recorded now: allowed
    assert sar(db, "extend", "SAR-0001", "--reason", "thousands of emails", "--told", told) == 0
    assert "(extended, Art. 12(3))" in capsys.readouterr().out


def test_the_whole_life_of_a_request_and_the_list(db, capsys):
    assert sar(db, "log", "--name", "Jo Bloggs", "--customer", "--received=-3d") == 0
    assert sar(db, "log", "--name", "Al =Reid", "--customer", "--received=-1d") == 0
    assert sar(db, "id-checked", "SAR-0001", "--on=-2d", "--how", "passport") == 0
    assert sar(db, "delivered", "SAR-0001", "--on", "today", "--how", "secure email") == 0
    assert "delivered, on time" in capsys.readouterr().out
    assert sar(db, "close", "SAR-0001", "--withdrawn", "--reason", "too late") == 2
    assert capsys.readouterr().err == "supervisor-tui: SAR-0001 is delivered: it is too late to close it as withdrawn\n"
    assert sar(db, "list") == 0
    out, err = capsys.readouterr()
    assert [line[:8] for line in out.splitlines()] == ["SAR-0002", "SAR-0001"]  # open first
    assert err == "2 request(s)\n"
    assert sar(db, "list", "--open", "--format", "csv") == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("reference,who,requester_is") and len(rows) == 2
    assert rows[1].startswith("SAR-0002,Al =Reid,customer,")
    assert sar(db, "close", "SAR-0002", "--refused", "--reason", "manifestly unfounded") == 0
    assert "refused" in capsys.readouterr().out
