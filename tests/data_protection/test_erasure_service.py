"""Erasure under the retention schedule and on request, on a real record: the values go from every byte
of every file of the record, `verify` still passes and reports each erasure, holds and the law's
minimums keep what they must."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.one_to_ones import Meeting
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.services import Records
from supervisor_tui.storage import Store, verify_record


class Moving:
    """A clock the test moves on (the store stamps its entries from it)."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def open_records(path: Path, clock: Moving) -> Records:
    return Records(Store(str(path), clock=clock), Clock(source=clock))


def every_byte(path: Path) -> bytes:
    """Every file of the record: snapshot, journal, sealed segments, anything beside them."""
    folder = path.parent
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".pub"))


@pytest.fixture
def clock() -> Moving:
    return Moving(datetime(2024, 1, 8, 10, 0, tzinfo=UTC))


@pytest.fixture
def team(db_path, clock):
    records = open_records(db_path, clock)
    ben = records.team.add(
        Member(
            name="Ben Carter",
            job_title="Advisor",
            contract_hours=20,
            date_of_birth=date(2002, 6, 2),
            notes="Prefers lates",
        )
    )
    amy = records.team.add(
        Member(name="Amy Stone", job_title="Advisor", contract_hours=30, date_of_birth=date(1990, 3, 1))
    )
    records.shifts.shifts.create(
        Shift(
            member_id=ben.saved_id,
            day=date(2024, 1, 9),
            start=time(9),
            end=time(17),
            position="tills",
            note="cover for Amy",
        )
    )
    records.one_to_ones.meetings.create(
        Meeting(member_id=ben.saved_id, held_on=date(2024, 1, 8), notes="Talked about his lateness and his health")
    )
    complaint = records.complaints.log(
        Complaint(
            received_at="2024-01-08T09:00:00.000000Z",
            customer_name="Mrs Jane Whitlock",
            customer_contact="jane.whitlock@example.org",
            category="faulty goods",
            summary="Kettle from Whitlock order failed",
            wants="a refund",
        )
    )
    for stage in ("acknowledged", "investigating"):
        records.complaints.move(records.complaints.get(complaint.saved_id), stage)
    records.complaints.resolve(
        records.complaints.get(complaint.saved_id), outcome="Refund agreed", remedy="refund", satisfied=True
    )
    records.complaints.move(records.complaints.get(complaint.saved_id), "closed")
    return records, ben, amy, complaint


SECRETS = [
    b"Ben Carter",
    b"Prefers lates",
    b"his health",
    b"Mrs Jane Whitlock",
    b"jane.whitlock@example.org",
    b"Whitlock order",
]


def test_a_customer_and_a_leaver_are_erased_from_every_byte_and_verify_still_passes(team, db_path, clock):
    """UK GDPR Art. 17 and Art. 5(2): the values go from every file; the chain still proves."""
    records, ben, _amy, complaint = team
    clock.moment += timedelta(days=30)
    records.team.set_active(records.team.get(ben.saved_id), False, "left the company")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)  # past WTR reg 9's two years for the January 2024 shift
    records.store.checkpoint()
    service = records.data_protection
    customer = service.for_customer("mrs  jane WHITLOCK")
    member = service.for_member("Ben Carter")
    assert [i.record.id for i in customer.items] == [complaint.id]
    assert {type(i.record).__name__ for i in member.items} == {"Member", "Shift", "Meeting"}
    assert type(member.items[-1].record) is Member  # their details go last
    service.erase(customer.items, "erasure request (Art. 17) received 28/05/2026")
    service.erase(member.items, "erasure request from a former member, 29/05/2026")
    data = every_byte(db_path)
    for secret in SECRETS:
        assert secret not in data, secret
    report = verify_record(db_path)
    assert report.ok, report.problems
    assert len(report.erased) == 4 and any("erasure request (Art. 17)" in line for line in report.erased)
    # what is left still counts, and says where a value was
    gone = records.complaints.get(complaint.saved_id)
    assert gone.category == "faulty goods" and gone.stage == "closed" and gone.remedy == "refund"
    assert gone.customer_name.startswith("erased on 01/06/2026 (erasure request (Art. 17)")
    assert gone.erased["customer_contact"] == gone.customer_name
    former = records.team.get(ben.saved_id)
    assert former.name == f"Former member {ben.id}" and former.date_of_birth is None and former.contract_hours == 20
    # an erased record can still be corrected afterwards (a root cause added)
    records.complaints.repo.update(gone.model_copy(update={"root_cause": "supplier quality"}), "root cause found")
    assert verify_record(db_path).ok


def test_a_rota_line_whose_person_was_erased_still_counts_as_cover_and_names_no_one(team, clock):
    """WTR 1998 reg 9 keeps rota records two years; after that the person goes but the shift's day, times and
    position stay (the retention schedule's 'kept'), so the old week still prints and adds up."""
    records, ben, _amy, _complaint = team
    records.shifts.shifts.create(
        Shift(member_id=ben.saved_id, day=date(2024, 1, 9), start=time(13), end=time(21), position="phones")
    )
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    rota = next(g for g in records.data_protection.due() if g.kind.key == "rota")
    assert len(rota.items) == 2  # two shifts of Ben's on the same day: erased, they are no one's, not one person's
    records.data_protection.erase(rota.items, "retention schedule: rota older than two years")
    _monday, rows = records.shifts.week_rows("2024-W02")
    assert [(r["person"], r["start"], r["position"]) for r in rows] == [
        ("(erased)", "09:00", "tills"),
        ("(erased)", "13:00", "phones"),
    ]
    assert "Ben Carter" not in records.shifts.export_week("2024-W02", "md")
    assert records.shifts.on_shift(date(2024, 1, 9)) == []  # no one to brief, no one missing a briefing
    assert records.shifts.problems(date(2024, 1, 8), date(2024, 1, 14)) == []  # not read as one person's overlap


def test_a_session_that_had_the_records_open_sees_them_erased(team, db_path, clock):
    records, _ben, _amy, complaint = team
    other = open_records(db_path, clock)
    assert other.complaints.get(complaint.saved_id).customer_name == "Mrs Jane Whitlock"
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records.data_protection.erase(records.data_protection.for_customer("Mrs Jane Whitlock").items, "request")
    other.store.refresh()
    assert other.complaints.get(complaint.saved_id).customer_name.startswith("erased on ")


def test_due_under_the_schedule_and_nothing_earlier(team, clock):
    """Art. 5(1)(e): due the day the period ends (six months from closure), not before."""
    records, _ben, _amy, complaint = team
    closed = records.data_protection.due(date(2024, 1, 8) + timedelta(days=1))
    assert closed == []
    due = records.data_protection.due(date(2024, 7, 8))
    assert [(g.kind.key, [i.record.id for i in g.items]) for g in due] == [("complaint_customer", [complaint.id])]
    assert due[0].items[0].due == date(2024, 7, 8)


def test_a_hold_keeps_everything_about_its_subject_until_lifted(team, db_path, clock):
    """Art. 17(3)(e): data needed for a legal claim is not erased, on schedule or on request."""
    records, ben, _amy, complaint = team
    service = records.data_protection
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    held = service.place_hold(ben.saved_id, "employment tribunal claim 1234/2026")
    service.place_hold(complaint.saved_id, "Ombudsman referral")
    preview = service.for_member("Ben Carter")
    assert preview.items == [] and all("tribunal claim" in k.why for k in preview.kept)
    assert service.for_customer("Mrs Jane Whitlock").items == []
    assert all(not g.items for g in service.due())
    items = service.for_member("Ben Carter").kept
    with pytest.raises(ValueError, match="legal hold"):
        service.erase([k.item for k in items], "request")
    service.lift_hold(held, "claim settled")
    assert service.for_member("Ben Carter").items
    assert b"Ben Carter" in every_byte(db_path)


def test_the_law_keeps_what_it_requires_and_says_until_when(team, clock):
    """WTR 1998 reg 9 (two years) and FCA DISP 1.9.1R (three years) beat a request: Art. 17(3)(b)."""
    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2025, 6, 1, 9, tzinfo=UTC)
    kept = {type(k.item.record).__name__: k for k in records.data_protection.for_member("Ben Carter").kept}
    assert "reg 9" in kept["Shift"].why and kept["Shift"].until == date(2026, 1, 9)
    records.complaints.change_policy("FCA-regulated now", fca=True)
    customer = records.data_protection.for_customer("Mrs Jane Whitlock")
    assert customer.items == [] and "DISP 1.9.1R" in customer.kept[0].why


def test_someone_still_in_the_team_is_not_erased_on_request(team):
    """Art. 6(1)(b): their records are needed for the contract while they work here."""
    records, _ben, amy, _complaint = team
    with pytest.raises(ValueError, match="still in the team"):
        records.data_protection.for_member(amy.name)


def test_sealed_records_are_erased_in_their_segment(team, db_path, clock):
    """The erasure reaches sealed periods too (issue 13's segments stay read-only otherwise)."""
    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records.sealing.seal(date(2025, 1, 1), "closed records sealed")
    assert records.store.segments()
    items = records.data_protection.for_member("Ben Carter").items
    assert {type(i.record).__name__ for i in items} >= {"Shift", "Meeting"}
    records.data_protection.erase(items, "erasure request")
    data = every_byte(db_path)
    assert b"his health" not in data and b"cover for Amy" not in data
    assert verify_record(db_path).ok


def test_the_cli_erases_on_request_only_when_confirmed(team, db_path, clock, capsys, monkeypatch):
    records, ben, _amy, _complaint = team
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    args = ["erase", "--customer", "Mrs Jane Whitlock", "--reason", "request 01/06/2026", "--db", str(db_path)]
    assert cli.main(args) == 2
    assert "--yes" in capsys.readouterr().err
    assert b"jane.whitlock@example.org" in every_byte(db_path)
    assert cli.main([*args, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Mrs Jane Whitlock" in out and "erased 1 record(s)" in out
    assert b"jane.whitlock@example.org" not in every_byte(db_path)
    assert cli.main(["erase", "--member", "Nobody", "--reason", "x", "--yes", "--db", str(db_path)]) == 2
    assert "no one called 'Nobody'" in capsys.readouterr().err


def test_a_hold_names_a_record_that_is_kept_in_its_own_table(team):
    """A hold on a record that does not exist protects nothing: refused, even where another table has a
    record with the same number (the store finds records by number alone)."""
    records, ben, amy, complaint = team
    assert (ben.saved_id, amy.saved_id, complaint.saved_id) == ("M-0001", "M-0002", "C-0001")
    with pytest.raises(ValueError, match="no member or record 'C-0002'"):
        records.data_protection.place_hold("C-0002", "Ombudsman referral")
    assert records.data_protection.place_hold("c-0001", "Ombudsman referral").subject == "C-0001"


def test_holds_from_the_cli(team, db_path, capsys):
    records, ben, _amy, _complaint = team
    assert cli.main(["hold", "place", ben.saved_id, "--reason", "grievance", "--db", str(db_path)]) == 0
    assert cli.main(["hold", "place", "M-9999", "--reason", "x", "--db", str(db_path)]) == 2
    assert cli.main(["hold", "place", ben.saved_id, "--reason", " ", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "no member or record 'M-9999'" in err and "Traceback" not in err and "pydantic" not in err
    assert cli.main(["hold", "list", "--db", str(db_path)]) == 0
    assert "grievance" in capsys.readouterr().out
    assert cli.main(["hold", "lift", "LH-0001", "--reason", "resolved", "--db", str(db_path)]) == 0
    assert cli.main(["hold", "lift", "LH-0001", "--reason", "again", "--db", str(db_path)]) == 2


@pytest.mark.parametrize(
    "field, value",
    [
        pytest.param("position", "phones", id="a field no erasure touched"),
        pytest.param("note", "forged after the erasure", id="a stand-in replaced by other text"),
    ],
)
def test_a_sealed_row_edited_after_its_erasure_is_still_found(team, db_path, clock, field, value):
    """A later erasure explains only the stand-ins it gave (Art. 5(2): the record proves what it holds)."""
    import json
    import os

    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records.sealing.seal(date(2025, 1, 1), "closed records sealed")
    records.data_protection.erase(records.data_protection.for_member("Ben Carter").items, "erasure request")
    segment = db_path.parent / "team.sealed" / "0001.json"
    data = json.loads(segment.read_bytes())
    data["shifts"]["1"][field] = value
    os.chmod(segment, 0o640)
    segment.write_text(json.dumps(data))
    report = verify_record(db_path)
    assert any("S-0001 of shifts differs from what the journal gives" in p for p in report.problems), report.problems


def test_the_subject_access_log_is_kept_a_year_after_the_answer_then_erased_and_still_counts(team, db_path, clock):
    """Art. 5(1)(e): the log of a request names the requester, so it too has a period: twelve months from the
    answer (Art. 77: the ICO asks for a complaint within three months of the last contact, and reviews its
    outcome within three more). After erasure the request's dates and outcome still show it was answered in
    time (Art. 5(2)); an extended request still carries a reason (the marker), so it stays valid."""
    records, _ben, _amy, _complaint = team
    sar = records.subject_access
    clock.moment = datetime(2024, 2, 1, 9, tzinfo=UTC)
    asked = sar.log("Mrs Jane Whitlock", date(2024, 1, 30), how="letter from 12 Quince Road", notes="wants CCTV too")
    asked = sar.extend(asked, "Whitlock's request covers three years of CCTV", told_on=date(2024, 2, 1))
    still_open = sar.log("Mr Open Request", date(2024, 2, 1))
    clock.moment = datetime(2024, 3, 15, 9, tzinfo=UTC)
    sar.deliver(sar.get(asked.id), date(2024, 3, 15), how="secure email to jw.sar@example.net")
    service = records.data_protection

    def due_sars(day: date) -> list[str]:
        return [i.record.id for g in service.due(day) if g.kind.key == "subject_access" for i in g.items]

    assert due_sars(date(2025, 3, 14)) == []
    assert due_sars(date(2025, 3, 15)) == [asked.id]  # never the open one: its clock has not started
    # On request, within the year the log is kept, and says until when.
    clock.moment = datetime(2024, 6, 1, 9, tzinfo=UTC)
    preview = service.for_customer("Mrs Jane Whitlock")
    kept = [k for k in preview.kept if k.item.kind.key == "subject_access"]
    assert [(k.item.record.id, k.until) for k in kept] == [(asked.id, date(2025, 3, 15))]
    assert "Art. 5(2)" in kept[0].why
    clock.moment = datetime(2025, 3, 16, 9, tzinfo=UTC)
    group = next(g for g in service.due() if g.kind.key == "subject_access")
    assert group.person == "Mrs Jane Whitlock" and group.whose == "requester"
    service.erase(group.items, "retention schedule: subject access log")
    data = every_byte(db_path)
    for secret in (b"Quince Road", b"wants CCTV", b"three years of CCTV", b"jw.sar@example.net"):
        assert secret not in data, secret
    gone = sar.get(asked.id)
    assert gone.requester.startswith("erased on 16/03/2025") and gone.extension_reason == gone.requester
    assert (gone.received_on, gone.delivered_on, gone.extended) == (date(2024, 1, 30), date(2024, 3, 15), True)
    assert sar.get(still_open.id).requester == "Mr Open Request"
    report = verify_record(db_path)
    assert report.ok, report.problems


def test_nothing_an_open_subject_access_request_may_disclose_is_erased_until_it_is_answered(team, clock):
    """DPA 2018 s.173: erasing information a requester would be entitled to, to prevent its disclosure, is an
    offence. So while their request is open their data waits - on schedule, on request, and when the request
    was logged between the preview and the confirmation."""
    records, ben, _amy, complaint = team
    service, sar = records.data_protection, records.subject_access
    clock.moment = datetime(2024, 9, 1, 9, tzinfo=UTC)  # the complaint closed in January: its six months are up
    preview = service.for_customer("Mrs Jane Whitlock")
    assert [i.record.id for i in preview.items] == [complaint.id]
    asked = sar.log("Mrs Jane Whitlock", date(2024, 8, 30), how="email")
    with pytest.raises(ValueError, match=rf"{asked.id}, their subject access request, is still open.*s\.173"):
        service.erase(preview.items, "erasure request")
    group = next(g for g in service.due() if g.kind.key == "complaint_customer")
    assert group.items == [] and "DPA 2018 s.173" in group.kept[0].why
    kept = service.for_customer("Mrs Jane Whitlock").kept
    assert [k.item.record.id for k in kept] == [complaint.id, asked.id]  # and the request, open, itself
    # A former member's request holds their records the same way; answered, they can go.
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    theirs = sar.log("Ben Carter", date(2024, 9, 1), member_id=ben.saved_id)
    assert service.for_member("Ben Carter").items == []
    sar.deliver(sar.get(theirs.id), date(2024, 9, 1), how="email")
    sar.deliver(sar.get(asked.id), date(2024, 9, 1), how="email")
    assert service.for_member("Ben Carter").items
    service.erase(service.for_customer("Mrs Jane Whitlock").items, "erasure request, after the SAR was answered")
    assert records.complaints.get(complaint.saved_id).customer_name.startswith("erased on 01/09/2024")


def test_copying_a_week_with_an_erased_shift_copies_only_the_shifts_that_are_someones(team, clock):
    """A week copied forward is a plan for people: a rota line whose person was erased is left behind."""
    records, ben, amy, _complaint = team
    records.shifts.shifts.create(
        Shift(member_id=amy.saved_id, day=date(2024, 1, 10), start=time(9), end=time(17), position="tills")
    )
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    rota = next(g for g in records.data_protection.due() if g.kind.key == "rota" and g.person_id == ben.saved_id)
    records.data_protection.erase(rota.items, "retention schedule")
    copies, skipped = records.shifts.plan_copy(date(2024, 1, 8), date(2026, 6, 1))
    assert [(c.member_id, c.day) for c in copies] == [(amy.saved_id, date(2026, 6, 3))] and skipped == 0


def test_a_hold_another_session_places_after_the_preview_stops_the_erasure(team, db_path, clock):
    """Art. 17(3)(e): the preview is on screen (or the CLI waits at 'Erase these values?') while another
    supervisor places a hold; the erasure then refuses, with nothing written. Before, the session's own
    stale copy of the holds was asked, so the held complaint was erased."""
    records, _ben, _amy, complaint = team
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    preview = records.data_protection.for_customer("Mrs Jane Whitlock")
    assert [i.record.id for i in preview.items] == [complaint.id]
    other = open_records(db_path, clock)
    hold = other.data_protection.place_hold(complaint.saved_id, "Ombudsman referral 2026/77")
    head = records.store.head
    with pytest.raises(ValueError, match=f"{complaint.id} is on legal hold \\({hold.id}: Ombudsman referral"):
        records.data_protection.erase(preview.items, "erasure request")
    assert b"jane.whitlock@example.org" in every_byte(db_path)
    records.store.refresh()
    assert records.store.head[0] == head[0] + 1  # the hold only: no erase entry
    assert verify_record(db_path).ok


def test_a_record_another_session_changes_after_the_preview_is_not_erased_over_the_change(team, db_path, clock):
    """The stand-ins are the previewed record made anonymous: a step another session added to the
    complaint since would be overwritten by the previewed history. Refused, naming who and what; the
    next preview erases it with the change kept."""
    records, _ben, _amy, complaint = team
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    preview = records.data_protection.for_customer("Mrs Jane Whitlock")
    other = open_records(db_path, clock)
    now = other.complaints.get(complaint.saved_id)
    other.complaints.repo.update(now.model_copy(update={"root_cause": "supplier quality"}), "root cause found")
    with pytest.raises(ValueError, match=f"{complaint.id} was changed by .* since the preview \\(root_cause\\)"):
        records.data_protection.erase(preview.items, "erasure request")
    assert b"jane.whitlock@example.org" in every_byte(db_path)
    records.store.refresh()
    again = records.data_protection.for_customer("Mrs Jane Whitlock")
    records.data_protection.erase(again.items, "erasure request")
    erased = records.complaints.get(complaint.saved_id)
    assert erased.root_cause == "supplier quality" and erased.customer_name.startswith("erased on ")
    assert b"jane.whitlock@example.org" not in every_byte(db_path) and verify_record(db_path).ok


@pytest.mark.parametrize(
    "subject, says",
    [
        # A hold on a hold, a setting or a position protects nothing: none of them is ever erased.
        pytest.param("LH-0001", "'LH-0001' is not a member or a record that holds personal data", id="a hold"),
        pytest.param("X-0001", "'X-0001' is not a member or a record that holds personal data", id="no such table"),
        pytest.param("M-0099", "there is no member or record 'M-0099'", id="no such member"),
        pytest.param("C-0001X", "there is no member or record 'C-0001X'", id="not an id"),
    ],
)
def test_a_hold_names_a_member_or_a_record_the_schedule_erases(team, subject, says):
    records, ben, _amy, complaint = team
    records.data_protection.place_hold(ben.saved_id, "tribunal claim 1234/2026")
    records.subject_access.log("Mrs Jane Whitlock", date(2024, 1, 8))
    with pytest.raises(ValueError, match=says):
        records.data_protection.place_hold(subject, "Ombudsman referral")
    assert len(records.data_protection.holds()) == 1
    # The request log is erased a year after the answer, so a request can be held.
    assert records.data_protection.place_hold("sar-1", "ICO complaint").subject == "SAR-0001"


def test_a_hold_typed_without_its_zeros_holds_the_record(team, clock):
    """'M-1' finds M-0001 (the store goes by the number), so the hold is written 'M-0001'; before, it was
    kept as typed, matched no record, and the member it said was held was erased on request."""
    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    assert records.data_protection.place_hold(" m-1 ", "tribunal claim").subject == ben.saved_id
    preview = records.data_protection.for_member(ben.saved_id)
    assert preview.items == [] and all("tribunal claim" in k.why for k in preview.kept)


def test_a_hold_saved_as_typed_before_still_holds_its_record(team, clock):
    """A record written before holds took the record's own id ('M-1') still holds M-0001."""
    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records.store.create("legal_holds", "LH", {"subject": "M-1", "reason": "tribunal", "placed_on": "2026-05-01"})
    assert records.data_protection.for_member("Ben Carter").items == []


def test_a_voided_record_can_be_held_since_the_schedule_still_erases_it(team, clock):
    records, _ben, _amy, complaint = team
    voided = records.complaints.repo.void(records.complaints.get(complaint.saved_id), "logged twice")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)

    def due(kind: str) -> list[str]:
        groups = [g for g in records.data_protection.due() if g.kind.key == "complaint_customer"]
        return [x.record.id if kind == "items" else x.item.record.id for g in groups for x in getattr(g, kind)]

    assert due("items") == [voided.id]
    records.data_protection.place_hold(voided.saved_id, "Ombudsman referral")
    assert due("kept") == [voided.id] and due("items") == []


def test_a_lifted_hold_is_not_lifted_again(team, clock):
    """Lifting twice would move the day it was lifted and replace why: the first lifting stands."""
    records, ben, _amy, _complaint = team
    hold = records.data_protection.place_hold(ben.saved_id, "grievance")
    lifted = records.data_protection.lift_hold(hold, "grievance resolved")
    clock.moment += timedelta(days=3)
    with pytest.raises(ValueError, match=f"{hold.id} was already lifted on 08/01/2024: grievance resolved"):
        records.data_protection.lift_hold(lifted, "again")
    assert records.data_protection.holds(include_lifted=True)[0].lift_reason == "grievance resolved"


def test_a_customer_who_shares_a_name_with_a_member_of_staff_can_be_erased_from_the_app(team, clock):
    """The app's 'on request' takes a name: a member still in the team with the customer's name made it
    refuse ('still in the team') with no way to reach the customer's complaints. A former member is
    still found first, and a member of staff with no customer of that name is still refused."""
    records, _ben, amy, complaint = team
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records.team.edit(records.team.get(amy.saved_id).model_copy(update={"name": "Mrs Jane Whitlock"}), "renamed")
    preview = records.data_protection.on_request("mrs jane whitlock")
    assert [i.record.id for i in preview.items] == [complaint.id] and preview.title.startswith("customer ")
    with pytest.raises(ValueError, match="Ben Carter is still in the team"):
        records.data_protection.on_request("Ben Carter")
    records.team.set_active(records.team.get(amy.saved_id), False, "left")
    assert records.data_protection.on_request("Mrs Jane Whitlock").title.startswith("former member ")
    with pytest.raises(ValueError, match="no complaint in the log is from a customer called 'Nobody'"):
        records.data_protection.on_request("Nobody")


def test_a_customers_erasure_says_first_when_their_complaints_give_different_contacts(
    team, db_path, clock, capsys, monkeypatch
):
    """Two people of one name: one's request (Art. 17) does not reach the other's complaints. The export
    warned of it before sending; the erasure preview erased both without a word."""
    records, _ben, _amy, complaint = team
    records.complaints.log(
        Complaint(
            received_at="2024-01-08T09:30:00.000000Z",
            customer_name="Mrs Jane Whitlock",
            customer_contact="01632 960555",
            category="delivery",
            summary="Late delivery",
        )
    )
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    preview = records.data_protection.for_customer("Mrs Jane Whitlock")
    assert preview.lines()[0] == (
        f"Check first: {complaint.id}, C-0002 give 2 different contact details: they may be from different "
        "people of that name, and each is erased only on their own request."
    )
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["erase", "--customer", "Mrs Jane Whitlock", "--reason", "x", "--db", str(db_path)]) == 2
    assert "  Check first: C-0001, C-0002 give 2 different contact details" in capsys.readouterr().out
    assert records.data_protection.for_customer("Mrs Jane Whitlock").items  # said, not refused: the supervisor knows


def test_a_request_another_session_logs_after_the_preview_stops_the_erasure(team, db_path, clock):
    """DPA 2018 s.173, across sessions: the request is logged at another desk while the preview waits."""
    records, _ben, _amy, complaint = team
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    preview = records.data_protection.for_customer("Mrs Jane Whitlock")
    asked = open_records(db_path, clock).subject_access.log("Mrs Jane Whitlock", date(2026, 6, 1), how="phone")
    with pytest.raises(ValueError, match=rf"{complaint.id}: {asked.id}, their subject access request, is still open"):
        records.data_protection.erase(preview.items, "erasure request")
    assert b"jane.whitlock@example.org" in every_byte(db_path)


def test_erasing_twice_says_it_was_done_before_and_changes_nothing(team, db_path, clock, capsys, monkeypatch):
    """The second run of the same request: nothing written, exit 0 with 'nothing is left' for a member
    (not the schedule's 'nothing is due'), exit 2 with why the customer's name is no longer found."""
    records, ben, _amy, _complaint = team
    records.team.set_active(records.team.get(ben.saved_id), False, "left")
    clock.moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    db = ["--reason", "request 01/06/2026", "--yes", "--db", str(db_path)]
    assert cli.main(["erase", "--member", ben.saved_id, *db]) == 0
    assert cli.main(["erase", "--customer", "Mrs Jane Whitlock", *db]) == 0
    capsys.readouterr()
    head = Store(str(db_path)).head
    assert cli.main(["erase", "--member", ben.saved_id, *db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Erasing the personal data of former member {ben.saved_id}:",
        "Nothing is left to erase: it was all erased before.",
    ]
    assert cli.main(["erase", "--customer", "Mrs Jane Whitlock", *db]) == 2
    assert "a customer whose details were erased is no longer found by name" in capsys.readouterr().err
    assert cli.main(["erase", "--due", *db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Erasing the personal data of everyone whose retention period has passed:",
        "Nothing is due.",
    ]
    assert Store(str(db_path)).head == head
