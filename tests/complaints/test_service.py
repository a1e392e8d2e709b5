"""The complaint log through the service on a real file, and its command line."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.complaints import Complaint, StageError

TODAY = date(2026, 11, 25)


def complaint(**kw) -> Complaint:
    fields = dict(received_at="2026-11-23T10:15:00.000000Z", channel="phone", customer_name="Mrs J Smith",
                  customer_contact="07700 900123", category="faulty goods", summary="Kettle stopped working",
                  wants="a refund", severity="medium")
    return Complaint(**{**fields, **kw})


def test_a_complaint_through_every_stage_with_its_history(records):
    service = records.complaints
    c = service.log(complaint(member_ids=["M-0003"]))
    with pytest.raises(StageError, match="Next is 'acknowledged'"):
        service.move(c, "investigating")
    c = service.move(c, "acknowledged", today=date(2026, 11, 23))
    c = service.escalate(c, 1, "customer asked for a supervisor", "Priya Sharma")
    c = service.move(c, "investigating")
    c = service.set_waiting(c, True, date(2026, 11, 24))
    assert service.clocks(c, TODAY)[1].status == "paused"
    c = service.set_waiting(c, False, date(2026, 11, 25))
    with pytest.raises(ValueError, match="Outcome"):
        service.resolve(c, outcome=" ")
    c = service.resolve(c, outcome="Refund issued", remedy="refund", satisfied=True, root_cause="supplier quality",
                        lesson="Check batch numbers", improvement_action="Raise with supplier")
    assert c.stage == "resolved" and c.responded_on == date.today()
    c = service.move(c, "followed up", "customer happy")
    c = service.move(c, "closed")
    c = service.move(c, "investigating", "faulty again")  # reopened, recorded
    steps = [e.what for e in c.history]
    assert steps == ["received", "acknowledged", "escalated to supervisor", "investigating", "waiting on the customer",
                     "customer replied: clock running again", "resolved", "followed up", "closed", "reopened"]
    assert [x.id for x in service.involving("M-0003")] == [c.id]


def test_open_complaints_sort_breached_first(records):
    service = records.complaints
    fresh = service.log(complaint(received_at="2026-11-24T09:00:00Z"))
    old = service.log(complaint(received_at="2026-10-01T09:00:00Z", customer_name="Mr Old"))
    assert [c.id for c in service.open_by_urgency(TODAY)] == [old.id, fresh.id]
    assert service.clocks(old, TODAY)[0].status == "breached"


def test_import_log_all_or_nothing_and_export(records, tmp_path, capsys):
    path = tmp_path / "log.csv"
    good = ("received,channel,customer,category,summary,severity\n"
            "18/12/2026 16:40,phone,Mr A Khan,delivery,Parcel not arrived,high\n"
            "01/12/2026 09:05,email,Ms B Lee,staff attitude,Felt rushed at the till,low\n")
    path.write_text(good + "32/12/2026 10:00,phone,X,delivery,late,low\n01/12/2026 10:00,phone,Y,delivery,late,urgent\n")
    assert cli.main(["import", "complaints", str(path), "--db", str(records.store.path)]) == 2
    err = capsys.readouterr().err
    assert "line 4:" in err and "Received" in err and "line 5:" in err and "Severity" in err
    path.write_text(good)
    assert cli.main(["import", "complaints", str(path), "--db", str(records.store.path)]) == 0
    capsys.readouterr()
    assert cli.main(["export", "complaints", "--from", "1/12/2026", "--format", "csv",
                     "--db", str(records.store.path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    late_parcel = next(r for r in rows if r["customer"] == "Mr A Khan")
    assert late_parcel["received"] == "18/12/2026 16:40" and late_parcel["acknowledgement_due"] == "22/12/2026"
    assert late_parcel["final_response_due"] == "13/01/2027" and late_parcel["stage"] == "received"
    assert "07700" not in "".join(str(r) for r in rows)  # contact details stay out of the export
    assert cli.main(["export", "complaints", "--format", "md", "--db", str(records.store.path)]) == 0
    assert "| reference | received |" in capsys.readouterr().out


def test_the_deadline_policy_is_a_team_setting(records):
    from supervisor_tui.domain.complaints import Policy
    c = records.complaints.log(complaint())
    assert records.complaints.clocks(c, TODAY)[1].due == date(2026, 12, 14)  # 15 business days by default
    records.complaints.set_policy(Policy(fca=True))
    assert records.complaints.clocks(c, TODAY)[1].due == date(2027, 1, 18)   # 8 weeks
    saved = records.complaints.set_policy(Policy(fca=False, final_response_business_days=10))
    assert saved.version == 2 and records.complaints.clocks(c, TODAY)[1].due == date(2026, 12, 7)
