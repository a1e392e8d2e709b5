"""The whole-file audit log (services.audit_log) and 'supervisor-tui log': every change newest first, each
field before -> after, who and why; narrowed by record, person, login, kind and dates; erased values shown by
their note, never their digest; CSV cells neutralised; bad input refused with exit 2."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.services import Records
from supervisor_tui.services.audit_log import CSV_COLUMNS, QueryError
from supervisor_tui.storage import Actor, Store


class Moving:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def open_as(path, clock: Moving, login: str = "supervisor") -> Records:
    records = Records(Store(str(path), actor=Actor(login=login, uid=1000), clock=clock), Clock(source=clock))
    records.audit_log.names = {"supervisor": "Sam Supervisor"}.get  # the system's account names, fixed here
    return records


@pytest.fixture
def clock() -> Moving:
    return Moving(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


@pytest.fixture
def team(db_path, clock):
    """Two members; Ben's hours changed with a reason; a shift each; Alice (another login) logs a complaint
    Ben was involved in, on a later day."""
    records = open_as(db_path, clock)
    ben = records.team.add(
        Member(name="Ben Carter", job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 6, 2))
    )
    amy = records.team.add(
        Member(name="Amy Stone", job_title="Advisor", contract_hours=30, date_of_birth=date(1991, 3, 1))
    )
    clock.moment += timedelta(days=1)
    ben = records.team.edit(ben.model_copy(update={"contract_hours": 30.0}), "flexible working request agreed")
    for who in (ben, amy):
        records.shifts.shifts.create(
            Shift(member_id=who.saved_id, day=date(2026, 3, 9), start=time(9), end=time(17), position="tills")
        )
    clock.moment += timedelta(days=7)
    alice = open_as(db_path, clock, login="alice")
    alice.complaints.log(
        Complaint(
            received_at="2026-03-10T09:00:00.000000Z",
            customer_name="Mrs Jane Whitlock",
            category="faulty goods",
            summary='=HYPERLINK("http://x") <b>kettle</b> | broke',
            member_ids=[ben.saved_id],
        )
    )
    records.store.refresh()
    return records, ben, amy


def changes(records: Records, **typed: str):
    return list(records.audit_log.changes(records.audit_log.query(**typed)))


def test_a_change_shows_each_field_before_and_after_with_who_and_why(team):
    records, ben, _amy = team
    hours = next(c for c in changes(records, record=ben.saved_id) if c.action == "update")
    assert [(f.name, f.before, f.after) for f in hours.fields] == [("contract_hours", "37.5", "30")]
    assert hours.summary() == "changed contract hours" and hours.reason == "flexible working request agreed"
    assert hours.who == "supervisor (Sam Supervisor)" and hours.kind == "team member"


def test_everything_is_listed_newest_first(team):
    records, _ben, _amy = team
    listed = changes(records)
    assert [c.seq for c in listed] == list(range(records.store.head[0], 0, -1))
    assert listed[0].table == "complaints" and listed[0].login == "alice" and listed[0].name is None


def test_a_person_filter_takes_their_record_and_every_record_about_them(team):
    records, ben, amy = team
    about_ben = changes(records, member="ben carter")
    assert {c.table for c in about_ben} == {"members", "shifts", "complaints"}  # involved in the complaint
    assert all(c.record == ben.saved_id or c.table != "members" for c in about_ben)
    assert amy.saved_id not in {c.record for c in about_ben}
    assert {c.record for c in changes(records, member=amy.saved_id)} >= {amy.saved_id}


def test_filters_by_login_kind_and_dates(team):
    records, _ben, _amy = team
    assert {c.login for c in changes(records, by="alice")} == {"alice"}
    assert {c.table for c in changes(records, kind="shift")} == {"shifts"}
    assert {c.table for c in changes(records, kind="Team member")} == {"members"}
    on_the_3rd = changes(records, start="03/03/2026", end="03/03/2026")
    assert on_the_3rd and {c.when("Europe/London")[4:14] for c in on_the_3rd} == {"03/03/2026"}
    assert changes(records, record="M-0001", by="alice") == []


@pytest.mark.parametrize(
    "typed, part, words",
    [
        ({"record": "nonsense"}, "record", "not a record number"),
        ({"record": "ZZ-0001"}, "record", "no kind of record is numbered ZZ-"),
        ({"record": "M-0099"}, "record", "there is no M-0099"),
        ({"member": "Nobody Here"}, "member", "there is no 'Nobody Here' on the team"),
        ({"kind": "spaceship"}, "kind", "not a kind of record here"),
        ({"start": "31/02/2026"}, "from", None),
        ({"start": "05/03/2026", "end": "01/03/2026"}, "to", "before the first day"),
    ],
)
def test_a_filter_that_cannot_be_used_says_which_part(team, typed, part, words):
    records, _ben, _amy = team
    with pytest.raises(QueryError, match=words) as caught:
        records.audit_log.query(**typed)
    assert caught.value.part == part


def test_erased_values_show_the_erasure_note_never_a_digest(team, clock):
    records, _ben, amy = team
    records.team.set_active(records.team.get(amy.saved_id), False, "left the company")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    preview = records.data_protection.for_member("Amy Stone")
    records.data_protection.erase(preview.items, "erasure request from a former member")
    listed = changes(records, record=amy.saved_id)
    created = listed[-1]
    name = next(f for f in created.fields if f.name == "name")
    assert name.before == "" and name.after.startswith("erased on 01/06/2026 (erasure request from a former member")
    assert "Amy Stone" not in repr(listed)
    for change in listed:
        for f in change.fields:
            for value in (f.before, f.after):
                assert '"d"' not in value and "digest" not in value


def test_csv_has_one_row_per_field_and_neutralised_cells(team, capsys, db_path):
    records, ben, _amy = team
    capsys.readouterr()
    assert cli.main(["log", "--db", str(db_path), "--format", "csv", "--kind", "complaint"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == CSV_COLUMNS
    assert {r["record"] for r in rows} == {"C-0001"} and {r["action"] for r in rows} == {"create"}
    summary = next(r for r in rows if r["field"] == "summary")
    assert summary["after"].startswith("'=HYPERLINK")  # a spreadsheet would run it as a formula
    assert err.strip().splitlines()[-1] == f"audit head {records.store.head_text()}"


def test_a_void_is_one_csv_row(team, db_path, capsys):
    records, ben, _amy = team
    shift = next(s for s in records.shifts.shifts.all() if s.member_id == ben.saved_id)
    records.shifts.shifts.void(shift, "entered twice")
    capsys.readouterr()
    assert cli.main(["log", "--db", str(db_path), "--format", "csv", "--record", shift.saved_id]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    voids = [r for r in rows if r["action"] == "void"]
    assert len(voids) == 1 and voids[0]["field"] == "" and voids[0]["reason"] == "entered twice"


def test_text_prints_the_values_and_md_escapes_them(team, db_path, capsys):
    capsys.readouterr()
    assert cli.main(["log", "--db", str(db_path), "--record", "M-0001"]) == 0
    out = capsys.readouterr().out
    assert "changed contract hours — flexible working request agreed" in out
    assert "    contract hours: 37.5 -> 30" in out
    assert cli.main(["log", "--db", str(db_path), "--format", "md", "--by", "alice"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("| When | Who | Record |") and "| alice |" in md
    assert "\\<b\\>kettle\\</b\\> \\| broke" in md  # no HTML, and no extra table cell, from what was typed


@pytest.mark.parametrize(
    "args, words",
    [
        (["--from", "yesterday-ish"], "--from: "),
        (["--to", "32/01/2026"], "--to: "),
        (["--from", "05/03/2026", "--to", "01/03/2026"], "--to: "),
        (["--record", "M-00x1"], "--record: "),
        (["--record", "M-0999"], "--record: there is no M-0999"),
        (["--member", "Nobody Here"], "--member: there is no 'Nobody Here'"),
    ],
)
def test_bad_options_exit_2_with_a_message(team, db_path, capsys, args, words):
    capsys.readouterr()
    assert cli.main(["log", "--db", str(db_path), *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"supervisor-tui: {words}")
