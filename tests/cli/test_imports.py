"""Bad input to `supervisor-tui import ...` is a line-numbered message and exit 2 with the file untouched,
never a traceback or a poison record; importing the same rows twice never doubles them.

Every command runs in its own process on a real file, on the machine's clock, so dates are relative
to today."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.services import Records
from supervisor_tui.storage import Store

from .test_cli import run

TODAY = Clock().today()
LAST_MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)
NEXT_MONTH = TODAY + timedelta(days=40)
LAST_WEEK = TODAY - timedelta(days=7)
TEAM_HEADER = "name,job_title,contract_hours,date_of_birth,skills"


def uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def team_file(tmp_path) -> Path:
    """Sam (here for years) and Aisha (starts next week), on a real file."""
    path = tmp_path / "team.json"
    records = Records(Store(str(path)))
    records.team.add(
        Member(
            name="Sam Patel",
            job_title="Advisor",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="tills:expert",
            start_date=date(2020, 1, 6),
        )
    )
    records.team.add(
        Member(
            name="Aisha Khan",
            job_title="Advisor",
            contract_hours=37.5,
            date_of_birth=date(1995, 1, 1),
            skills="tills:expert",
            start_date=TODAY + timedelta(days=7),
        )
    )
    return path


def refused(path: Path, kind: str, csv_text: str, tmp_path: Path) -> str:
    """Import ``csv_text``; assert exit 2, no traceback, nothing written; return stderr."""
    source = tmp_path / f"{kind}.csv"
    source.write_text(csv_text, encoding="utf-8")
    before = path.read_bytes()
    result = run("import", kind, str(source), "--db", str(path))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "nothing was imported" in result.stderr, result.stderr
    assert path.read_bytes() == before
    return result.stderr


BAD_IMPORTS = [
    # (kind, csv, line, words in the message, why)
    (
        "team",
        "name,job_title,contract_hour,date_of_birth,skills\nZoe Hart,CSA,16,01/01/2000,tills\n",
        1,
        "'contract_hour' that this import does not read; did you mean 'contract_hours'?",
        "a misspelt column used to be dropped without a word",
    ),
    (
        "team",
        f"{TEAM_HEADER},name\nZoe Hart,CSA,16,01/01/2000,tills,Zoe Smith\n",
        1,
        "the column 'name' more than once",
        "a second 'name' column silently won",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe \x1b[31mHart,CSA,16,01/01/2000,tills\n",
        2,
        "Name: has an invisible control character (U+001B)",
        "an escape code in a name",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZ\u043ee Hart,CSA,16,01/01/2000,tills\n",
        2,
        "mixes Latin and Cyrillic letters in one word",
        "a look-alike of someone's name",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe\u200b Hart,CSA,16,01/01/2000,tills\n",
        2,
        "ZERO WIDTH SPACE",
        "an invisible character",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe Hart,CSA,16,31/12/9999,tills\n",
        2,
        "Date of birth: 31/12/9999 is after 2100",
        "a date the record cannot hold",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe Hart,CSA,1e400,01/01/2000,tills\n",
        2,
        "Contract hours: enter an ordinary number",
        "infinity",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe Hart,CSA,16,01/01/2000,tills:\n",
        2,
        "tills has no level after the colon",
        "a blank skill level used to become learner",
    ),
    (
        "team",
        f"{TEAM_HEADER},active\nZoe Hart,CSA,16,01/01/2000,tills,\n",
        2,
        "Active: say yes or no",
        "a blank yes/no in a column that was given",
    ),
    (
        "team",
        f"{TEAM_HEADER}\nZoe Hart,CSA,16,01/01/2000,tills\nzoe  HART,CSA,16,01/01/2000,tills\n",
        3,
        "is also on an earlier row of this file (line 2)",
        "the same name twice, case and spacing aside",
    ),
    (
        "team",
        f'{TEAM_HEADER}\nZoe Hart,CSA,16,01/01/2000,"{"x" * 140_000}"\n',
        2,
        "longer than the 131,072 characters",
        "csv's field size limit was a _csv.Error traceback",
    ),
    (
        "shifts",
        "person,date,start,end,position\nSam Patel,+99999999999999999999d,09:00,17:00,tills\n",
        2,
        "Date: +99999999999999999999d is too far ahead",
        "an overflow traceback",
    ),
    (
        "shifts",
        "person,date,start,end,position\nSam Patel,31/12/9999,09:00,17:00,tills\n",
        2,
        "Date: 31/12/9999 is after 2100",
        "a rota for the year 9999",
    ),
    (
        "shifts",
        f"person,date,start,end,position,break_minutes\nSam Patel,{uk(LAST_WEEK)},09:00,17:00,tills,{10**30}\n",
        2,
        "Break (minutes): 100000000000… is far too big",
        "an absurd break",
    ),
    (
        "shifts",
        f"person,date,start,end,position\nAisha Khan,{uk(TODAY)},09:00,17:00,tills\n",
        2,
        "Aisha Khan starts on",
        "a shift before the person started",
    ),
    (
        "shifts",
        f"person,date,day,start,end,position\nSam Patel,{uk(LAST_MONDAY)},Tue,09:00,17:00,tills\n",
        2,
        "Day: Tue does not match the date Mon",
        "our export's day column must agree",
    ),
    (
        "shifts",
        f"person,date,start,end,position,hours\nSam Patel,{uk(LAST_MONDAY)},09:00,17:00,tills,9\n",
        2,
        "Hours: 9 does not match 09:00-17:00 (8 hours)",
        "our export's hours column must agree",
    ),
    (
        "shifts",
        "person,date,start,end,postion\nSam Patel,01/12/2026,09:00,17:00,tills\n",
        1,
        "did you mean 'position'?",
        "a misspelt required column",
    ),
    (
        "complaints",
        "received,channel,customer,category,summary,severity\n31/12/9999 10:00,phone,Mr A,late,Late,low\n",
        2,
        "Received: 31/12/9999 is after 2100",
        "imported, then crashed the Complaints section for everyone",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(NEXT_MONTH)} 10:00,phone,Mr A,late,Late,low\n",
        2,
        "is in the future",
        "a complaint received next month",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(LAST_WEEK)} 10:00,,Mr A,late,Late,low\n",
        2,
        "Channel: it is blank",
        "a blank channel used to become 'phone'",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(LAST_WEEK)} 10:00,pigeon,Mr A,late,Late,low\n",
        2,
        "Channel: 'pigeon' is not a channel",
        "an unknown channel",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(LAST_WEEK)} 10:00,phone,Mr A,late,Late,\n",
        2,
        "Severity: it is blank",
        "a blank severity",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(LAST_WEEK)} 10:00 EST,phone,Mr A,late,Late,low\n",
        2,
        "the time zone 'EST' is not one we can read",
        "a zone name is refused, not dropped",
    ),
    (
        "complaints",
        f"received,channel,customer,category,summary,severity\n{uk(LAST_WEEK)} 10:00,phone,Mr \x07A,late,Late,low\n",
        2,
        "Customer: has an invisible control character (U+0007)",
        "a bell in a customer's name",
    ),
    (
        "kpis",
        "member,period,csat,nps,fcr\nSam Patel,9999-11,80,10,70\n",
        2,
        "the year must be from 1900 to 2100",
        "a period the record cannot hold",
    ),
    (
        "kpis",
        "member,period,csat,nps,fcr\nSam Patel,2026-11,nan,10,70\n",
        2,
        "CSAT: 'nan' is not a number",
        "NaN passes every range check by comparing false",
    ),
    (
        "kpis",
        f"member,period,csat,nps,fcr\nSam Patel,{NEXT_MONTH:%Y-%m},80,10,70\n",
        2,
        "has not started yet",
        "figures for a month that has not begun",
    ),
]


@pytest.mark.parametrize(
    "kind, text, line, says, why", BAD_IMPORTS, ids=[f"{k}-{n}" for n, (k, *_) in enumerate(BAD_IMPORTS)]
)
def test_bad_imports_are_refused_by_line_and_write_nothing(team_file, tmp_path, kind, text, line, says, why):
    err = refused(team_file, kind, text, tmp_path)
    assert f"line {line}: " in err and says in err, (why, err)


def test_every_bad_row_is_listed_not_only_the_first(team_file, tmp_path):
    err = refused(
        team_file,
        "complaints",
        "received,channel,customer,category,summary,severity\n"
        f"{uk(LAST_WEEK)} 10:00,,Mr A,late,Late,low\n{uk(LAST_WEEK)} 11:00,phone,Mr B,late,Late,low\n"
        f"31/12/9999 10:00,phone,S\u0430m Lee,late,Late,\n",
        tmp_path,
    )
    assert "line 2: Channel" in err and "line 3" not in err
    assert "line 4: Received: 31/12/9999" in err and "Severity: it is blank" in err and "Customer: 'Sаm'" in err


def test_options_out_of_range_are_a_message_not_a_traceback(team_file):
    for args in (
        ["check", "rota", "--from", "+99999999999999999999d", "--to", "+2w"],
        ["export", "quality", "--from", "31/12/9999", "--format", "csv"],
        ["export", "rota", "--week", "9999-W01", "--format", "csv"],
    ):
        result = run(*args, "--db", str(team_file))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result
        assert "2100" in result.stderr, result.stderr


def test_a_time_zone_offset_is_honoured(team_file, tmp_path):
    source = tmp_path / "log.csv"
    source.write_text(
        "received,channel,customer,category,summary,severity\n"
        f"{LAST_WEEK:%Y-%m-%d}T10:00+05:00,email,Mr A Khan,delivery,Late,low\n"
    )
    result = run("import", "complaints", str(source), "--db", str(team_file))
    assert result.returncode == 0, result.stderr
    (complaint,) = Records(Store(str(team_file))).complaints.repo.all()
    assert complaint.received_at == f"{LAST_WEEK:%Y-%m-%d}T05:00:00.000000Z"  # 10:00 at +05:00 is 05:00 UTC


# -- importing twice ------------------------------------------------------------------------------------
def test_reimporting_our_own_rota_export_skips_every_shift(team_file, tmp_path):
    """Today this added every shift again with exit 0; now each is recognised and skipped."""
    records = Records(Store(str(team_file)))
    sam = records.team.by_name("Sam Patel")
    for offset in range(5):
        records.shifts.add(
            Shift(
                member_id=sam.id,
                day=LAST_MONDAY + timedelta(days=offset),
                start=time(9),
                end=time(17),
                position="tills",
                break_minutes=30,
            )
        )
    week = f"{LAST_MONDAY:%G-W%V}"
    exported = tmp_path / "rota.csv"
    assert (
        run("export", "rota", "--week", week, "--format", "csv", "--db", str(team_file), "-o", str(exported)).returncode
        == 0
    )
    assert exported.read_text().splitlines()[0] == "person,date,day,start,end,position,hours,break_minutes"
    before = team_file.read_bytes()
    again = run("import", "shifts", str(exported), "--db", str(team_file))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("imported 0 shift(s); skipped 5 already on record; head ")
    assert team_file.read_bytes() == before  # nothing written at all
    assert len(Records(Store(str(team_file))).shifts.shifts.all()) == 5


def test_a_shift_that_clashes_with_one_on_record_is_refused_naming_it(team_file, tmp_path):
    records = Records(Store(str(team_file)))
    sam = records.team.by_name("Sam Patel")
    on_record = records.shifts.add(
        Shift(member_id=sam.id, day=LAST_MONDAY, start=time(9), end=time(17), position="tills", break_minutes=30)
    )
    err = refused(
        team_file,
        "shifts",
        f"person,date,start,end,position,break_minutes\nSam Patel,{uk(LAST_MONDAY)},09:00,17:00,tills,20\n",
        tmp_path,
    )
    assert (
        f"line 2: the shift for Sam Patel on {LAST_MONDAY:%a %d/%m/%Y} 09:00-17:00 tills is already on record "
        f"as {on_record.id}, with a break of 30 (this row: 20)" in err
    )


def test_shifts_kpis_and_complaints_imported_twice_are_not_doubled(team_file, tmp_path):
    files = {
        "shifts": (
            f"person,date,start,end,position\nSam Patel,{uk(LAST_MONDAY)},09:00,17:00,tills\n"
            f"Sam Patel,{uk(LAST_MONDAY + timedelta(days=1))},09:00,17:00,tills\n",
            "shift(s)",
        ),
        "kpis": (f"member,period,csat,nps,fcr\nSam Patel,{LAST_WEEK:%Y-%m},86.5,42,78%\n", "KPI row(s)"),
        "complaints": (
            "received,channel,customer,category,summary,severity\n"
            f"{uk(LAST_WEEK)} 16:40,email,Mr A Khan,delivery,Parcel not arrived,high\n",
            "complaint(s)",
        ),
    }
    for kind, (text, what) in files.items():
        source = tmp_path / f"{kind}.csv"
        source.write_text(text)
        rows = text.count("\n") - 1
        first = run("import", kind, str(source), "--db", str(team_file))
        assert first.returncode == 0 and first.stdout.startswith(f"imported {rows} {what}; head"), first
        second = run("import", kind, str(source), "--db", str(team_file))
        assert second.returncode == 0 and second.stdout.startswith(
            f"imported 0 {what}; skipped {rows} already on record"
        ), second
    records = Records(Store(str(team_file)))
    assert (len(records.shifts.shifts.all()), len(records.quality.kpis.all()), len(records.complaints.repo.all())) == (
        2,
        1,
        1,
    )


@pytest.mark.parametrize(
    "kind, first, second, says",
    [
        (
            "kpis",
            "member,period,csat,nps,fcr\nSam Patel,{month},86.5,42,78\n",
            "member,period,csat,nps,fcr\nsam patel,{month},90,42,78\n",
            "the KPI row for Sam Patel in {month} is already on record as K-0001, with CSAT 86.5 (this row: 90)",
        ),
        (
            "complaints",
            "received,channel,customer,category,summary,severity\n{day} 16:40,email,Mr A Khan,delivery,Late,high\n",
            "received,channel,customer,category,summary,severity\n{day} 16:40,email,Mr A Khan,delivery,Late,low\n",
            "is already on record as C-0001, with the severity high (this row: low)",
        ),
    ],
)
def test_a_row_that_differs_from_the_record_it_matches_is_refused_naming_it(
    team_file, tmp_path, kind, first, second, says
):
    fill = dict(month=f"{LAST_WEEK:%Y-%m}", day=uk(LAST_WEEK))
    source = tmp_path / "first.csv"
    source.write_text(first.format(**fill))
    assert run("import", kind, str(source), "--db", str(team_file)).returncode == 0
    err = refused(team_file, kind, second.format(**fill), tmp_path)
    assert "line 2: " in err and says.format(**fill) in err, err


def test_a_row_repeated_within_one_file_is_refused(team_file, tmp_path):
    row = f"Sam Patel,{uk(LAST_MONDAY)},09:00,17:00,tills\n"
    err = refused(team_file, "shifts", "person,date,start,end,position\n" + row + row, tmp_path)
    assert "line 3: the shift for Sam Patel" in err and "earlier row of this file (line 2)" in err


# -- a wrong or hostile file is refused quickly, with a readable list ---------------------------------------
def test_a_file_of_one_row_repeated_stops_at_a_readable_list_of_bad_rows(team_file, tmp_path):
    """A 200 MB file of one row repeated used to take minutes and gigabytes, listing millions of errors."""
    csv = tmp_path / "twice.csv"
    csv.write_text(TEAM_HEADER + "\n" + "Zoe Hart,Advisor,16,14/05/1999,tills:expert\n" * 5000)
    result = run("import", "team", str(csv), "--db", str(team_file))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 101 and "line 102: Zoe Hart is also on an earlier row of this file (line 2)" in lines[-2]
    assert lines[-1].endswith("100 bad row(s) (checking stopped after the first 100); nothing was imported")


def test_a_file_with_more_rows_than_an_import_takes_is_refused_before_checking_them(team_file, tmp_path):
    from supervisor_tui.services.csvio import MAX_ROWS

    csv = tmp_path / "huge.csv"
    with csv.open("w") as fh:
        fh.write(TEAM_HEADER + "\n")
        fh.writelines(f"Person {i:06d} Name,Advisor,16,14/05/1999,tills:expert\n" for i in range(MAX_ROWS + 5))
    result = run("import", "team", str(csv), "--db", str(team_file))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"more than {MAX_ROWS:,} rows" in result.stderr and "split it" in result.stderr


def test_a_header_that_is_not_one_is_summed_up_not_echoed_whole(team_file, tmp_path):
    csv = tmp_path / "wrong.csv"
    csv.write_text(",".join(f"column {i} " + "x" * 10_000 for i in range(2000)) + "\n")  # 20 MB of header
    result = run("import", "team", str(csv), "--db", str(team_file))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr) < 50_000 and "'column 0 xxx" in result.stderr and "…'" in result.stderr
    assert "checking stopped after the first 100" in result.stderr
