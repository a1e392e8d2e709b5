"""The complaint log through the service on a real file, and its command line."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint, Pause, Policy, Repair, StageError
from supervisor_tui.services import Records
from supervisor_tui.services.complaints import EXPORT_COLUMNS
from supervisor_tui.storage import ConflictError, Store

TODAY = date(2026, 11, 25)


@pytest.fixture
def records(db_path) -> Records:
    """The team clock stands after every day these tests record (up to Fri 27 Nov 2026): a complaint
    received, or a step taken, later than the clock's today would be refused as in the future."""
    return Records(Store(str(db_path)), Clock.fixed(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)))


def complaint(**kw) -> Complaint:
    fields = dict(
        received_at="2026-11-23T10:15:00.000000Z",
        channel="phone",
        customer_name="Mrs J Smith",
        customer_contact="07700 900123",
        category="faulty goods",
        summary="Kettle stopped working",
        wants="a refund",
        severity="medium",
    )
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
    c = service.resolve(
        c,
        outcome="Refund issued",
        remedy="refund",
        satisfied=True,
        root_cause="supplier quality",
        lesson="Check batch numbers",
        improvement_action="Raise with supplier",
    )
    assert c.stage == "resolved" and c.responded_on == records.clock.today()
    c = service.move(c, "followed up", "customer happy")
    c = service.move(c, "closed")
    c = service.move(c, "investigating", "faulty again")  # reopened, recorded
    steps = [e.what for e in c.history]
    assert steps == [
        "received",
        "acknowledged",
        "escalated to supervisor",
        "investigating",
        "waiting on the customer",
        "customer replied: clock running again",
        "resolved",
        "followed up",
        "closed",
        "reopened",
    ]
    assert [x.id for x in service.involving("M-0003")] == [c.id]


def test_open_complaints_sort_breached_first(records):
    service = records.complaints
    fresh = service.log(complaint(received_at="2026-11-24T09:00:00Z"))
    old = service.log(complaint(received_at="2026-10-01T09:00:00Z", customer_name="Mr Old"))
    assert [c.id for c in service.open_by_urgency(TODAY)] == [old.id, fresh.id]
    assert service.clocks(old, TODAY)[0].status == "breached"


def test_import_log_all_or_nothing_and_export(records, tmp_path, capsys):
    path = tmp_path / "log.csv"
    # The command runs on the machine's clock, so the log is from last December (over Christmas).
    good = (
        "received,channel,customer,category,summary,severity\n"
        "18/12/2025 16:40,phone,Mr A Khan,delivery,Parcel not arrived,high\n"
        "01/12/2025 09:05,email,Ms B Lee,staff attitude,Felt rushed at the till,low\n"
    )
    path.write_text(
        good + "32/12/2025 10:00,phone,X,delivery,late,low\n01/12/2025 10:00,phone,Y,delivery,late,urgent\n"
    )
    assert cli.main(["import", "complaints", str(path), "--db", str(records.store.path)]) == 2
    err = capsys.readouterr().err
    assert "line 4:" in err and "Received" in err and "line 5:" in err and "Severity" in err
    path.write_text(good)
    assert cli.main(["import", "complaints", str(path), "--db", str(records.store.path)]) == 0
    capsys.readouterr()
    assert (
        cli.main(["export", "complaints", "--from", "1/12/2025", "--format", "csv", "--db", str(records.store.path)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    late_parcel = next(r for r in rows if r["customer"] == "Mr A Khan")
    assert late_parcel["received"] == "18/12/2025 16:40" and late_parcel["acknowledgement_due"] == "22/12/2025"
    assert late_parcel["final_response_due"] == "13/01/2026" and late_parcel["stage"] == "received"
    assert "07700" not in "".join(str(r) for r in rows)  # contact details stay out of the export
    assert cli.main(["export", "complaints", "--format", "md", "--db", str(records.store.path)]) == 0
    assert "| reference | received |" in capsys.readouterr().out


def test_the_deadline_policy_is_a_team_setting(records):
    from supervisor_tui.domain.complaints import Policy

    c = records.complaints.log(complaint())
    assert records.complaints.clocks(c, TODAY)[1].due == date(2026, 12, 14)  # 15 business days by default
    records.complaints.set_policy(Policy(fca=True))
    assert records.complaints.clocks(c, TODAY)[1].due == date(2027, 1, 18)  # 8 weeks
    saved = records.complaints.set_policy(Policy(fca=False, final_response_business_days=10))
    assert saved.version == 2 and records.complaints.clocks(c, TODAY)[1].due == date(2026, 12, 7)


RESOLUTION = dict(outcome="Refund issued", remedy="refund", satisfied=True, root_cause="supplier quality")


def at_stage(records, stage: str, **kw) -> Complaint:
    """A logged complaint moved on (in order) to ``stage``; acknowledged on Mon 23 Nov 2026."""
    service = records.complaints
    c = service.log(complaint(**kw))
    for target in ("acknowledged", "investigating", "resolved", "followed up", "closed"):
        if c.stage == stage:
            break
        if target == "resolved":
            c = service.resolve(c, date(2026, 11, 24), **RESOLUTION)
        else:
            c = service.move(c, target, "customer happy" if target == "followed up" else "", date(2026, 11, 23))
    assert c.stage == stage
    return c


@pytest.mark.parametrize("stage", ["received", "acknowledged"])
def test_resolving_before_investigating_is_refused_and_writes_nothing(records, stage):
    """resolve checks the stage before anything is saved: no half-written resolution."""
    c = at_stage(records, stage)
    head = records.store.head
    with pytest.raises(StageError, match=f"from '{stage}' to 'resolved'"):
        records.complaints.resolve(c, date(2026, 11, 24), **RESOLUTION, lesson="Check batches")
    assert records.store.head == head
    stored = records.complaints.repo.get(c.id)
    assert (
        stored.stage,
        stored.outcome,
        stored.remedy,
        stored.root_cause,
        stored.satisfied,
        stored.lesson,
        stored.responded_on,
        stored.version,
    ) == (stage, "", "", "", None, "", None, c.version)


def test_resolving_while_paused_ends_the_pause_and_ticks_action_taken_in_one_write(records):
    """The response stops the clock: the open pause ends on the response date, in one audit entry."""
    service = records.complaints
    c = service.set_waiting(at_stage(records, "investigating"), True, date(2026, 11, 24))
    assert c.pauses == [Pause(start=date(2026, 11, 24))]
    seq, _ = records.store.head
    c = service.resolve(c, date(2026, 11, 26), **RESOLUTION)
    assert records.store.head[0] == seq + 1
    stored = service.repo.get(c.id)
    assert stored.pauses == [Pause(start=date(2026, 11, 24), end=date(2026, 11, 26))]
    # written as it always was: ISO dates in a plain object
    assert records.store.get("complaints", c.id)["pauses"] == [{"start": "2026-11-24", "end": "2026-11-26"}]
    assert stored.checklist.get("action_taken") is True
    assert (stored.stage, stored.responded_on, stored.outcome, stored.remedy) == (
        "resolved",
        date(2026, 11, 26),
        "Refund issued",
        "refund",
    )
    final = service.clocks(stored, date(2026, 12, 30))[1]
    assert (final.status, final.met_on) == ("met", date(2026, 11, 26))
    assert [e.what for e in stored.history][-1] == "resolved"


@pytest.mark.parametrize(
    "stage, waiting, says",
    [
        ("resolved", True, "the response has gone"),
        ("followed up", True, "the response has gone"),
        ("closed", True, "the response has gone"),
        ("investigating", False, "not paused"),  # resuming a clock that is running
        ("resolved", False, "not paused"),
    ],
)
def test_pausing_is_refused_after_the_response_and_resuming_needs_a_pause(records, stage, waiting, says):
    """Only an open complaint's clock can be paused, and only a paused clock resumed; nothing is written."""
    c = at_stage(records, stage)
    head = records.store.head
    with pytest.raises(ValueError, match=says):
        records.complaints.set_waiting(c, waiting, date(2026, 11, 27))
    assert records.store.head == head and records.complaints.repo.get(c.id).pauses == []


def test_pausing_twice_is_refused(records):
    """A clock already waiting on the customer cannot be paused again."""
    c = records.complaints.set_waiting(at_stage(records, "acknowledged"), True, date(2026, 11, 24))
    head = records.store.head
    with pytest.raises(ValueError, match="already paused"):
        records.complaints.set_waiting(c, True, date(2026, 11, 25))
    assert records.store.head == head
    c = records.complaints.set_waiting(c, False, date(2026, 11, 25))
    with pytest.raises(ValueError, match="not paused"):
        records.complaints.set_waiting(c, False, date(2026, 11, 26))
    assert records.complaints.repo.get(c.id).pauses == [Pause(start=date(2026, 11, 24), end=date(2026, 11, 25))]


def test_following_up_ticks_the_checklist(records):
    """Moving to 'followed up' ticks the 'followed_up' handling step, keeping the others."""
    c = at_stage(records, "resolved")
    assert not c.checklist.get("followed_up")
    c = records.complaints.move(c, "followed up", "customer happy with the refund")
    stored = records.complaints.repo.get(c.id)
    assert stored.checklist == {"action_taken": True, "followed_up": True}
    assert (stored.history[-1].what, stored.history[-1].note) == ("followed up", "customer happy with the refund")


def test_checklist_refuses_unknown_steps_and_goods_a_refund_before_the_purchase(records):
    """Only the five handling steps can be ticked; a refund cannot be agreed before the goods were bought."""
    service = records.complaints
    c = service.log(complaint())
    head = records.store.head
    with pytest.raises(ValueError, match="not a handling step: smiled"):
        service.set_checklist(c, {"heard": True, "smiled": True})
    with pytest.raises(ValueError, match="before the goods were bought"):
        service.set_goods(c, date(2026, 11, 10), date(2026, 11, 10), refund_agreed_on=date(2026, 11, 9))
    assert records.store.head == head and service.repo.get(c.id).checklist == {}
    c = service.set_checklist(c, {"heard": True, "apologised": True})
    c = service.set_goods(c, date(2026, 11, 10), date(2026, 11, 12), refund_agreed_on=date(2026, 11, 10))
    stored = service.repo.get(c.id)
    assert stored.checklist == {"heard": True, "apologised": True}
    assert (stored.ownership_date, stored.delivery_date, stored.refund_agreed_on) == (
        date(2026, 11, 10),
        date(2026, 11, 12),
        date(2026, 11, 10),
    )


def test_import_reads_the_optional_columns_and_records_who_imported(records):
    """product, wants, owner and contact are read when present; history says who ran the import."""
    text = (
        "received,channel,customer,category,summary,severity,product,wants,owner,contact\n"
        "18/11/2026 16:40,email,Mr A Khan,delivery,Parcel not arrived,HIGH,Sofa,a new date,Priya,ak@example.com\n"
        "19/11/2026 09:05,phone,Ms B Lee,staff,Felt rushed,low,,,,\n"
    )
    khan, lee = sorted(records.complaints.import_csv(text).created, key=lambda c: c.customer_name)
    stored = records.complaints.repo.get(khan.id)
    assert (stored.product, stored.wants, stored.owner, stored.customer_contact, stored.severity.value) == (
        "Sofa",
        "a new date",
        "Priya",
        "ak@example.com",
        "high",
    )
    assert records.complaints.repo.get(lee.id).product == "" and lee.customer_contact == ""
    first = stored.history[0]
    assert (first.what, first.by) == ("received", records.store.actor.login)
    assert first.by != "import" and first.at == "2026-11-18T16:40:00.000000Z"


def test_export_summary_resolution_only_under_the_fca_policy(records):
    """'n/a' under the default policy; when FCA-regulated 'yes'/'no' (resolved and accepted by close of the
    3rd business day after receipt, DISP 1.5) once answered, 'open' before, and the date in summary_resolution_by."""
    service = records.complaints
    quick = at_stage(records, "resolved", customer_name="Quick")  # Mon 23 -> Tue 24
    slow = service.resolve(
        at_stage(records, "investigating", customer_name="Slow"), date(2026, 11, 27), **RESOLUTION
    )  # Fri 27: after Thu 26
    at_stage(records, "acknowledged", customer_name="Open")

    def column(name: str = "summary_resolution"):
        rows = csv.DictReader(io.StringIO(service.export(None, None, "csv")))
        return {r["customer"]: r[name] for r in rows}

    assert slow.responded_on == date(2026, 11, 27) and quick.responded_on == date(2026, 11, 24)
    assert column() == {"Quick": "n/a", "Slow": "n/a", "Open": "n/a"}
    assert column("summary_resolution_by") == {"Quick": "", "Slow": "", "Open": ""}
    service.set_policy(Policy(fca=True))
    # 'Open' was expected to read "no", which was wrong: unanswered, it may still be resolved in time
    # (DISP 1.5.1R), and a complaint still open must never read as failed: it reads "open".
    assert column() == {"Quick": "yes", "Slow": "no", "Open": "open"}
    # Received Mon 23/11/2026: Tue 24, Wed 25, Thu 26 are the three business days after it.
    assert set(column("summary_resolution_by").values()) == {"26/11/2026"}
    assert list(csv.DictReader(io.StringIO(service.export(None, None, "csv"))).fieldnames)[-2:] == [
        "satisfied",
        "summary_resolution_by",
    ]  # the new column is last: positions of the old ones are kept


def test_markdown_export_keeps_one_line_per_complaint(records):
    """A typed '|' or line break stays inside its cell: one table row per complaint, every column there."""
    # A line break cannot be stored in a one-line field any more (refused on entry), so only the '|' remains.
    records.complaints.log(complaint(customer_name="Smith | Jones Ltd", category="faulty goods | kettles"))
    records.complaints.log(complaint(customer_name="Mr Plain", received_at="2026-11-24T09:00:00.000000Z"))
    lines = records.complaints.export(None, None, "md").splitlines()
    assert lines[:2] == ["# Complaints", ""] and len(lines) == 4 + 2
    rows = lines[4:]
    # Every column (19 since summary_resolution_by was added) between the outer pipes.
    assert all(len(re.split(r"(?<!\\)\|", row)) == len(EXPORT_COLUMNS) + 2 == 19 + 2 for row in rows)
    assert "| Smith \\| Jones Ltd |" in rows[0] and "| faulty goods \\| kettles |" in rows[0]
    assert "| Mr Plain |" in rows[1]


def test_cli_export_prints_the_audit_head_on_stderr(records, capsys):
    """The export ends with 'audit head <seq>:<hash>' on stderr, matching the file's head; stdout is the CSV."""
    at_stage(records, "resolved")
    path = str(records.store.path)
    assert cli.main(["export", "complaints", "--format", "csv", "--db", path]) == 0
    out, err = capsys.readouterr()
    assert "audit head" not in out and out.startswith("reference,received,")
    (line,) = [e for e in err.splitlines() if e.startswith("audit head ")]
    reopened = Records(Store(path))
    assert line == f"audit head {reopened.store.head_text()}" == f"audit head {records.store.head_text()}"
    assert re.fullmatch(r"audit head \d+:[0-9a-f]+", line)


def test_counts_group_root_causes_and_categories_whatever_the_case(records):
    """'Process' and 'process ' are one root cause, 'Delivery' and 'delivery' one category; only the period, and root causes only of resolved complaints."""
    service = records.complaints
    for received, category, cause in [
        ("2026-11-02T10:00:00Z", "Delivery", "Process"),
        ("2026-11-03T10:00:00Z", "delivery ", "process "),
        ("2026-11-04T10:00:00Z", "Faulty goods", "Training"),
        ("2026-11-05T10:00:00Z", "faulty goods", ""),
        ("2026-10-01T10:00:00Z", "delivery", "process"),
    ]:  # before the period
        service.repo.create(
            complaint(received_at=received, category=category, root_cause=cause, stage="resolved", outcome="sorted")
        )
    # Reopened: its first root cause may have been wrong, so it waits for the new resolution.
    service.repo.create(
        complaint(
            received_at="2026-11-06T10:00:00Z",
            category="Refund",
            root_cause="systems",
            stage="investigating",
            outcome="sorted",
        )
    )
    causes, categories = service.counts(date(2026, 11, 1), date(2026, 11, 30))
    assert causes == Counter({"process": 2, "training": 1})
    assert categories == Counter({"delivery": 2, "faulty goods": 2, "refund": 1})


def test_a_stale_escalation_is_refused_naming_who_saved_first(records, other_records):
    """Alice escalates first; this session's escalation from its stale copy is a ConflictError naming her."""
    stale = records.complaints.log(complaint())
    other_records.store.refresh()  # the app polls for other sessions' saves; here we ask
    theirs = other_records.complaints.repo.get(stale.id)
    other_records.complaints.escalate(theirs, 2, "customer asked for the manager", "Store Manager")
    head = other_records.store.head  # after alice's save
    with pytest.raises(ConflictError) as caught:
        records.complaints.escalate(stale, 1, "customer asked for a supervisor", "Priya")
    records.store.refresh()
    assert caught.value.changed_by.startswith("alice") and "alice" in str(caught.value)
    assert caught.value.record_id == stale.id and "level" in caught.value.fields
    stored = records.complaints.repo.get(stale.id)
    assert stored.level == 2 and [e.by for e in stored.history] == [records.store.actor.login, "alice"]
    assert records.store.head == head  # nothing written by the refused escalation


def test_fca_waiting_is_recorded_but_moves_nothing(records):
    """Under the FCA policy 'waiting on the customer' goes on the record, but DISP 1.6.2R has no
    stop-the-clock: the final response stays due 8 weeks after receipt and the clock is not 'paused'."""
    service = records.complaints
    service.set_policy(Policy(fca=True))
    c = service.set_waiting(at_stage(records, "investigating"), True, date(2026, 11, 24))
    final = service.clocks(c, TODAY)[1]
    assert (final.due, final.status) == (date(2027, 1, 18), "running")
    assert c.history[-1].what == "waiting on the customer"
    (summary, duty) = service.fca_guidance(c, TODAY)
    assert "Thu 26/11/2026: open" in summary and "by the end of Mon 18/01/2027" in duty
    service.set_policy(Policy(fca=False))
    assert service.fca_guidance(c, TODAY) == []


def test_goods_details_replace_an_older_single_date(records):
    """A record from before the dates were kept apart ('bought or delivered') reads as both; saving the
    goods form stores ownership and delivery and clears the old date, so it cannot come back."""
    service = records.complaints
    old = service.repo.create(complaint(purchase_date=date(2026, 11, 10), failed_repairs=1))
    assert (old.goods().ownership, old.goods().delivery, old.goods().failed) == (date(2026, 11, 10),) * 2 + (1,)
    c = service.set_goods(
        old,
        date(2026, 11, 9),
        date(2026, 11, 10),
        trader_installs=True,
        installed_on=date(2026, 11, 11),
        motor_vehicle=True,
    )
    stored = service.repo.get(c.id)
    assert (stored.purchase_date, stored.ownership_date, stored.delivery_date, stored.installed_on) == (
        None,
        date(2026, 11, 9),
        date(2026, 11, 10),
        date(2026, 11, 11),
    )
    assert stored.trader_installs and stored.motor_vehicle and stored.goods().start == date(2026, 11, 11)


def test_repairs_are_recorded_in_order_with_their_history(records):
    """A repair asked for, its return (still faulty) and a wrong entry taken off with a reason: each one
    write with a history line; the failed count then comes from the recorded repairs."""
    service = records.complaints
    c = service.set_goods(service.log(complaint()), date(2026, 10, 1), date(2026, 10, 1))
    c = service.save_repair(c, Repair(kind="repair", requested_on=date(2026, 10, 10)))
    assert service.cra_guidance(c, TODAY)[0].startswith("30-day short-term right to reject (s.22): paused")
    head = records.store.head
    with pytest.raises(ValueError, match="Goods back on: 09/10/2026 is before the repair was asked for"):
        service.save_repair(c, Repair(kind="repair", requested_on=date(2026, 10, 10), back_on=date(2026, 10, 9)), 0)
    assert records.store.head == head
    c = service.save_repair(
        c, Repair(kind="repair", requested_on=date(2026, 10, 10), back_on=date(2026, 10, 20), failed=True), 0
    )
    c = service.save_repair(c, Repair(kind="replacement", requested_on=date(2026, 11, 20)))
    assert [r.kind for r in c.repairs] == ["repair", "replacement"] and c.goods().failed == 1
    with pytest.raises(ValueError, match="needs a reason"):
        service.remove_repair(c, 1, " ")
    c = service.remove_repair(c, 1, "entered on the wrong complaint")
    stored = service.repo.get(c.id)
    assert [(r.kind, r.back_on, r.failed) for r in stored.repairs] == [("repair", date(2026, 10, 20), True)]
    assert [(e.what, e.note) for e in stored.history[1:]] == [
        ("repair asked for", "on 10/10/2026"),
        ("repair back: still faulty", "on 20/10/2026"),
        ("replacement asked for", "on 20/11/2026"),
        ("replacement taken off", "entered on the wrong complaint (asked for on 20/11/2026)"),
    ]
    # 8 days used (02-09/10; the request day is in the wait), 22 left from 21/10: to the end of 11/11 (s.22(6)-(8)).
    assert "ended Wed 11/11/2026" in service.cra_guidance(stored, TODAY)[0]


# Waits on the customer are Pause models now; records written before that keep their plain objects.
OLD_PAUSES = [{"start": "2026-11-24", "end": "2026-11-25"}, {"start": "2026-11-26", "end": None}]


def test_a_record_saved_with_waits_as_plain_objects_reads_as_pauses_and_is_written_the_same_way(records):
    """A complaint stored by an earlier version (each wait a bare {'start', 'end'} object, written
    straight to the store as it was then) reads as Pause models, and a save writes the same JSON."""
    raw = {**complaint().fields(), "stage": "investigating", "pauses": OLD_PAUSES}
    record_id = records.store.create("complaints", "C", raw)["id"]
    c = records.complaints.repo.get(record_id)
    assert c.pauses == [Pause(start=date(2026, 11, 24), end=date(2026, 11, 25)), Pause(start=date(2026, 11, 26))]
    assert c.waiting
    records.complaints.set_waiting(c, False, date(2026, 11, 27))
    assert records.store.get("complaints", record_id)["pauses"] == [
        OLD_PAUSES[0],
        {"start": "2026-11-26", "end": "2026-11-27"},
    ]
    assert records.store.history("complaints", record_id)[-1]["changes"]["pauses"][0] == OLD_PAUSES


@pytest.mark.parametrize(
    "pause, says",
    [
        ({"start": "2026-11-26", "end": "2026-11-24"}, "a wait ends (24/11/2026) before it starts (26/11/2026)"),
        ({"start": "2026-11-24", "end": None, "note": "x"}, "Waiting on the customer: holds something that does not"),
        ({"end": "2026-11-24"}, "Waiting on the customer: this is required"),
        ({"start": "soon", "end": None}, "Waiting on the customer: enter a date like 24/11/2026"),
        ("2026-11-24", "Waiting on the customer: is not in the form this record keeps it in"),
    ],
)
def test_a_stored_wait_that_is_not_one_sets_the_record_aside_saying_why(records, pause, says):
    """As before pauses were models: a wait edited into something else is not guessed at."""
    raw = {**complaint().fields(), "stage": "investigating", "pauses": [pause]}
    record_id = records.store.create("complaints", "C", raw)["id"]
    assert records.complaints.repo.all() == []
    assert says in records.complaints.repo.damaged[record_id]


def test_a_customers_erased_contact_details_read_as_erased_in_the_history(records, db_path):
    """UK GDPR Art. 17: the values go from the record, the history says they went, when and why (Art. 5(2)),
    and the complaint still counts for the statistics."""
    from supervisor_tui.storage import Erasure

    service = records.complaints
    c = service.log(complaint())
    records.store.erase(
        [Erasure("complaints", c.id, {"customer_name": "(erased)", "customer_contact": ""})],
        "erasure request (Art. 17) received 24/11/2026",
    )
    records.store.refresh()
    stored = service.get(c.id)
    assert (stored.customer_name, stored.customer_contact, stored.category) == ("(erased)", "", "faulty goods")
    first, last = service.repo.history(c.id)[0], service.repo.history(c.id)[-1]
    assert last.summary() == "erased customer contact, customer name (erasure request (Art. 17) received 24/11/2026)"
    assert set(first.erased) >= {"customer_name", "customer_contact"}
    assert b"Mrs J Smith" not in db_path.read_bytes()
