"""import shifts, check rota and export rota from the command line."""

from __future__ import annotations

import pytest

from supervisor_tui import cli
from supervisor_tui.services import Records

GOOD = """person,date,start,end,position
Sam Patel,24/11/2026,22:00,06:00,tills
Sam Patel,25/11/2026,14:00,22:00,tills
Chloe Evans,28/11/2026,16:00,22:30,tills
"""


TEAM = """name,job_title,contract_hours,date_of_birth,skills
Sam Patel,Senior Advisor,37.5,19/03/1992,tills:expert;phones:expert
Chloe Evans,Saturday Assistant,8,14/05/2009,tills:learner
"""


@pytest.fixture
def demo_db(tmp_path, capsys):
    """A team with no shifts yet, so each test's rota is exactly what it imports."""
    path, csv = tmp_path / "team.json", tmp_path / "team.csv"
    csv.write_text(TEAM)
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def test_import_then_check_lists_each_problem_and_exits_1(demo_db, tmp_path, capsys):
    csv = tmp_path / "shifts.csv"
    csv.write_text(GOOD)
    assert cli.main(["import", "shifts", str(csv), "--db", str(demo_db)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "rota", "--from", "23/11/2026", "--to", "29/11/2026", "--db", str(demo_db)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        ln.startswith("Sam Patel, S-0002 Wed 25/11/2026 14:00-22:00 tills, WTR 1998 reg 10")
        and "8h 0m consecutive rest" in ln
        for ln in lines
    ), lines
    assert any(ln.startswith("Chloe Evans, S-0003") and "reg 6A" in ln for ln in lines)
    assert all(ln.count(", ") >= 3 for ln in lines)  # person, shift, rule, reason


def test_check_with_no_problems_exits_0(demo_db, capsys):
    assert cli.main(["check", "rota", "--from", "1/1/2026", "--to", "7/1/2026", "--db", str(demo_db)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("first, last, says", [("nonsense", "1/1/2026", "--from"), ("7/1/2026", "1/1/2026", "before")])
def test_check_bad_dates_exit_2(demo_db, capsys, first, last, says):
    assert cli.main(["check", "rota", "--from", first, "--to", last, "--db", str(demo_db)]) == 2
    assert says in capsys.readouterr().err


def test_bad_rows_are_all_reported_and_nothing_is_imported(demo_db, tmp_path, capsys):
    csv = tmp_path / "shifts.csv"
    csv.write_text(
        GOOD + "Nobody,24/11/2026,09:00,17:00,tills\nSam Patel,31/11/2026,09:00,17:00,tills\n"
        "Sam Patel,26/11/2026,25:00,17:00,tills\nSam Patel,26/11/2026,09:00,09:00,tills\n"
        "Sam Patel,26/11/2026,09:00,17:00,tills,lots\n"
    )
    head = Records.open(str(demo_db)).store.head
    assert cli.main(["import", "shifts", str(csv), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert "line 9:" in err and "more values" in err  # a shape problem refuses the file before any row
    csv.write_text(
        GOOD + "Nobody,24/11/2026,09:00,17:00,tills\nSam Patel,31/11/2026,09:00,17:00,tills\n"
        "Sam Patel,26/11/2026,25:00,17:00,tills\nSam Patel,26/11/2026,09:00,09:00,tills\n"
    )
    assert cli.main(["import", "shifts", str(csv), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    for line, words in [(5, "Nobody"), (6, "not a date"), (7, "not a time"), (8, "same time")]:
        assert f"line {line}:" in err and words in err, err
    assert Records.open(str(demo_db)).store.head == head


@pytest.mark.parametrize(
    "fmt, expect",
    [
        ("md", "| Sam Patel | off | 22:00-06:00 tills | 14:00-22:00 tills |"),
        ("csv", "Sam Patel,24/11/2026,Tue,22:00,06:00,tills,8,0"),
        ("html", "<td>22:00-06:00 tills</td>"),
    ],
)
def test_export_week(demo_db, tmp_path, capsys, fmt, expect):
    csv = tmp_path / "shifts.csv"
    csv.write_text(GOOD)
    cli.main(["import", "shifts", str(csv), "--db", str(demo_db)])
    capsys.readouterr()
    assert cli.main(["export", "rota", "--week", "2026-W48", "--format", fmt, "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert expect in out
    assert "WTR" not in out  # the wall copy has no problems list


def test_export_bad_week_exits_2(demo_db, capsys):
    assert cli.main(["export", "rota", "--week", "48", "--format", "md", "--db", str(demo_db)]) == 2
    assert "2026-W48" in capsys.readouterr().err


def test_export_escapes_names(records):
    from datetime import date, time

    from supervisor_tui.domain.people import Member
    from supervisor_tui.domain.rota import Shift

    m = records.team.add(
        Member(name="<b>Al|ex</b>", job_title="CSA", contract_hours=20, date_of_birth=date(1990, 1, 1))
    )
    records.shifts.add(Shift(member_id=m.id, day=date(2026, 11, 23), start=time(9), end=time(17), position="tills"))
    assert "&lt;b&gt;Al|ex&lt;/b&gt;" in records.shifts.export_week("2026-W48", "html")
    assert "Al\\|ex" in records.shifts.export_week("2026-W48", "md")
