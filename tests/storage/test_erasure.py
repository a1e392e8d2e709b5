"""Erasure: a value taken out of every file of the record, the record still verifiable.

UK GDPR Art. 17 (right to erasure) and Art. 5(1)(e) (storage limitation) require personal data to go
when it is no longer needed or a valid request is made; Art. 5(2) (accountability) and the audit trail
require that the record can still prove what happened. Each value is committed to by a salted digest, so
removing the value and its salt leaves the chain, every hash and every signature intact; the erasure is
itself a signed entry saying what went, when, by whom and why. These tests scan the bytes of every file
in the record's folder for the erased values, with real files and, for crashes, real processes killed
part way through.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui.storage import (
    Actor,
    ConflictError,
    Erasure,
    NotFoundError,
    ReadOnlyError,
    Store,
    StoreError,
    WriteFailedError,
    parse_head,
    verify_record,
)
from supervisor_tui.storage.entries import entry_view

from .conftest import ROOT, _env
from .test_tamper import journal_of, read_lines
from .test_upgrade import v1_copy
from .v1files import team_history

# Values that must not survive, in the forms a file could hold them: as typed, JSON-escaped, and as the
# bytes of their UTF-8 text.
NAME, PHONE, EMAIL = "Zebedee Quuxley-Ó'Brien", "07700 900123", "zeb@example.org"
SECRET_REASON = "Mr Quuxley rang twice about the refund"
TRACES = (NAME, PHONE, EMAIL, SECRET_REASON, "Zebedee", "Quuxley", "900123", "zeb@")  # a part alone counts too
ALICE = Actor("alice", 1001, "10.0.0.7:50122")
BOB = Actor("bob", 1002)


def every_file(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file()]


def holding(folder: Path, *values: str) -> list[str]:
    """Every file in ``folder`` (at any depth) whose bytes hold any form of any of ``values``."""
    forms = set()
    for value in values:
        forms |= {value.encode(), json.dumps(value).encode(), json.dumps(value, ensure_ascii=False).encode()}
    return [f"{p.name}: {form!r}" for p in every_file(folder) for form in forms if form in p.read_bytes()]


@pytest.fixture
def record(tmp_path) -> tuple[Store, dict, dict]:
    """A record with a customer's complaint (changed twice, once with a reason naming them) and another's."""
    store = Store(str(tmp_path / "team.json"), actor=ALICE, checkpoint_every=3)
    complaint = store.create("complaints", "C", {"customer": NAME, "phone": PHONE, "category": "refund", "score": 3})
    complaint = store.update(
        "complaints", complaint["id"], {"email": EMAIL}, complaint["version"], reason=SECRET_REASON
    )
    complaint = store.update("complaints", complaint["id"], {"stage": "closed"}, complaint["version"])
    other = store.create(
        "complaints", "C", {"customer": "Other Customer", "phone": "01632 960001", "category": "delay"}
    )
    return store, complaint, other


def erase_customer(store: Store, complaint: dict) -> object:
    return store.erase(
        [Erasure("complaints", complaint["id"], {"customer": "(erased)", "phone": None, "email": None}, reasons=True)],
        "erasure request under UK GDPR Art. 17, received 20/11/2026",
    )


def test_erased_values_are_in_no_byte_of_any_file_and_the_record_still_verifies(record, tmp_path):
    store, complaint, other = record
    head_before = store.head_text()
    assert holding(tmp_path, *TRACES)  # the scan finds them before
    report = erase_customer(store, complaint)
    assert holding(tmp_path, *TRACES) == []
    assert report.values == 4 and len(report.entries) == 1  # name, phone, e-mail and the reason naming him
    # The facts reports need are kept; the other customer is untouched.
    now = store.get("complaints", complaint["id"])
    assert (now["customer"], now["phone"], now["email"], now["category"], now["score"]) == (
        "(erased)",
        None,
        None,
        "refund",
        3,
    )
    assert store.get("complaints", other["id"])["customer"] == "Other Customer"
    # verify proves the whole chain, every signature included, and says what was erased, when, by whom, why.
    result = verify_record(tmp_path / "team.json", parse_head(head_before))
    assert result.ok, result.problems
    assert result.signed == store.head[0]  # every entry, the erasure too, signed and checked
    [line] = result.erased
    assert line.startswith(
        f"entry {report.entries[0]['seq']} erased from {complaint['id']} (complaints) customer, email, phone"
    )
    assert "and the reasons for its changes" in line and "by alice (from 10.0.0.7:50122)" in line
    assert "Art. 17" in line and "[4 values taken out of earlier entries]" in line


def test_the_journal_keeps_its_length_and_every_hash_signature_and_offset(record, tmp_path):
    store, complaint, _other = record
    journal = journal_of(tmp_path / "team.json")
    before, raw_before = read_lines(tmp_path / "team.json"), journal.read_bytes().split(b"\n")[:-1]
    erase_customer(store, complaint)
    after, raw_after = read_lines(tmp_path / "team.json"), journal.read_bytes().split(b"\n")[:-1]
    assert len(after) == len(before) + 1 and after[-1]["action"] == "erase"  # one line added, none removed
    for old, new in zip(before, after, strict=False):
        assert [old[k] for k in ("seq", "hash", "sig", "prev", "txn")] == [
            new[k] for k in ("seq", "hash", "sig", "prev", "txn")
        ]
    # Every earlier line is exactly as long as it was (the values blanked to spaces), so every offset
    # (the snapshot's position, another session's place in the file) still holds.
    assert [len(line) for line in raw_after[:-1]] == [len(line) for line in raw_before]
    assert sum(line != new for line, new in zip(raw_before, raw_after, strict=False)) == 2
    reopened = Store(str(tmp_path / "team.json"))
    assert reopened.get("complaints", complaint["id"])["customer"] == "(erased)"


def test_history_says_which_values_were_erased_instead_of_showing_blanks(record):
    store, complaint, _other = record
    erase_customer(store, complaint)
    history = store.history("complaints", complaint["id"])
    assert [h["action"] for h in history] == ["create", "update", "update", "erase"]
    assert history[0]["changes"]["customer"] == (None, None) and "customer" in history[0]["erased"]
    assert history[0]["changes"]["category"] == (None, "refund")  # not erased: kept for the statistics
    assert "reason" in history[1]["erased"] and history[1]["reason"] is None
    assert history[3]["reason"].startswith("erasure request") and history[3]["changes"]["customer"] == (
        None,
        "(erased)",
    )
    assert entry_view(read_lines(store.path)[-1])["erased"] == ["customer", "phone", "email"]


def test_another_open_session_forgets_the_values_when_it_next_refreshes(record, tmp_path):
    store, complaint, _other = record
    other_session = Store(str(tmp_path / "team.json"), actor=BOB)
    assert other_session.get("complaints", complaint["id"])["customer"] == NAME
    erase_customer(store, complaint)
    assert other_session.refresh()
    assert other_session.get("complaints", complaint["id"])["customer"] == "(erased)"
    assert other_session.history("complaints", complaint["id"])[0]["changes"]["customer"] == (None, None)
    # A save it was preparing from the old version is refused, naming who changed the record.
    with pytest.raises(ConflictError) as caught:
        other_session.update("complaints", complaint["id"], {"stage": "reopened"}, complaint["version"])
    assert "alice" in str(caught.value)


def test_a_voided_record_can_still_be_erased_and_a_second_erasure_keeps_the_first_ones_reason(record, tmp_path):
    store, complaint, _other = record
    voided = store.void("complaints", complaint["id"], f"logged twice: {NAME} again", complaint["version"])
    store.erase([Erasure("complaints", voided["id"], {"phone": None})], "retention: 6 months after closure")
    store.erase([Erasure("complaints", voided["id"], {"customer": None, "email": None}, reasons=True)], "Art. 17")
    assert holding(tmp_path, *TRACES) == []
    now = store.get("complaints", voided["id"])
    assert now["voided"] and now["customer"] is None
    assert now["void_reason"] == f"reason erased on {now['updated_at'][:10]}"  # it named him
    history = store.history("complaints", voided["id"])
    assert history[-2]["reason"] == "retention: 6 months after closure"  # why data went is never erased
    result = verify_record(tmp_path / "team.json")
    assert result.ok, result.problems
    assert len(result.erased) == 2


@pytest.mark.parametrize(
    ("erasure", "reason", "says"),
    [
        # A record that does not exist: nothing at all is written (all or none, Art. 5(1)(d) accuracy).
        (Erasure("complaints", "C-0099", {"customer": None}), "Art. 17", "There is no C-0099"),
        # Who changed a record and when is the audit trail itself (Art. 5(2) accountability), not a value.
        (Erasure("complaints", "C-0001", {"updated_by": None}), "Art. 17", "envelope"),
        # The store's own records hold keys and the file's set-up, no one's personal data.
        (Erasure("signing_keys", "K-0001", {"public": None}), "Art. 17", "kept by the store"),
        (Erasure("complaints", "C-0001", {}), "Art. 17", "nothing was named"),
        # An erasure must say why (Art. 5(2): the controller must be able to show it acted lawfully).
        (Erasure("complaints", "C-0001", {"customer": None}), "  ", "needs a reason"),
    ],
)
def test_an_erasure_that_cannot_be_done_changes_nothing(record, tmp_path, erasure, reason, says):
    store, complaint, _other = record
    files = {p: p.read_bytes() for p in every_file(tmp_path) if not p.name.endswith(".lock")}
    with pytest.raises((StoreError, NotFoundError)) as caught:
        store.erase([Erasure("complaints", complaint["id"], {"customer": None}), erasure], reason)
    assert says in str(caught.value)
    assert {p: p.read_bytes() for p in every_file(tmp_path) if not p.name.endswith(".lock")} == files


def test_a_record_still_in_the_old_format_cannot_be_erased_from_until_it_is_upgraded(tmp_path):
    """Its audit table holds whole copies in one hash chain: nothing can be taken out without breaking it."""
    path = team_history().save(tmp_path / "team.json")
    raw = path.read_bytes()
    reader = Store(str(path), upgrade=False)
    with pytest.raises(ReadOnlyError, match="must be upgraded before anything can be erased"):
        reader.erase([Erasure("members", "M-0002", {"name": None})], "Art. 17")
    assert path.read_bytes() == raw and not journal_of(path).exists()


def test_a_value_taken_out_by_hand_without_an_erase_entry_is_reported(record, tmp_path):
    """Someone strips a value from a line as an erasure would, but without an erasure: the hash still
    matches (it covers the digest), yet nothing says why the record no longer holds it: verify must say."""
    store, complaint, _other = record
    journal = journal_of(tmp_path / "team.json")
    lines = journal.read_bytes().split(b"\n")
    for i, raw in enumerate(lines):
        if raw and json.loads(raw).get("record") == complaint["id"] and json.loads(raw)["reason"]:
            entry = json.loads(raw)
            entry["reason"] = {"d": entry["reason"]["d"]}
            line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
            lines[i] = line + b" " * (len(raw) - len(line))  # as an erasure leaves it, but without one
            break
    journal.write_bytes(b"\n".join(lines))
    result = verify_record(tmp_path / "team.json")
    assert not result.ok
    assert any("the reason was removed, but no later erase entry" in p for p in result.problems), result.problems


# -- the v1 file kept since the upgrade ---------------------------------------------------------------------------
def test_erasing_data_from_before_the_upgrade_retires_the_v1_file_and_old_heads_still_prove(tmp_path):
    history = team_history()
    path = history.save(tmp_path / "team.json")
    store = Store(str(path))
    assert v1_copy(path).exists()
    [aisha] = [m for m in store.records("members") if m["name"] == "Aisha Khan-Jones"]
    report = store.erase(
        [Erasure("members", aisha["id"], {"name": "former member"}, reasons=True)], "left 2019; retention"
    )
    assert report.retired == str(v1_copy(path))
    assert not v1_copy(path).exists()
    assert holding(tmp_path, "Aisha Khan", "Khan-Jones", "name change by deed poll") == []
    result = verify_record(path, parse_head(history.head))  # a head printed before the upgrade still proves
    assert result.ok, result.problems
    assert any("retired by the erasure at entry" in n for n in result.notes), result.notes
    assert "the v1 file was retired" in result.erased[0]


def test_erasing_only_data_saved_after_the_upgrade_keeps_the_v1_file(tmp_path):
    path = team_history().save(tmp_path / "team.json")
    store = Store(str(path))
    new = store.create("members", "M", {"name": "Newly Joined"})
    report = store.erase([Erasure("members", new["id"], {"name": "x"})], "entered the wrong person")
    assert report.retired is None and v1_copy(path).exists()
    assert holding(tmp_path, "Newly Joined") == []
    assert verify_record(path).ok


def test_a_stale_journal_set_aside_by_an_interrupted_upgrade_is_scrubbed_too(tmp_path):
    path = team_history().save(tmp_path / "team.json")
    store = Store(str(path))
    stale = tmp_path / "team.journal.stale-10"
    lines = journal_of(path).read_bytes()
    stale.write_bytes(lines + lines[:200])  # whole lines, then a torn one (never acknowledged)
    [aisha] = [m for m in store.records("members") if m["name"] == "Aisha Khan-Jones"]
    store.erase([Erasure("members", aisha["id"], {"name": None}, reasons=True)], "Art. 17")
    assert holding(tmp_path, "Aisha Khan", "Khan-Jones") == []
    assert stale.stat().st_size == len(lines) + 200  # every line where it was


# -- crashes --------------------------------------------------------------------------------------------------
KILLED = r"""
import os, sys
from supervisor_tui.storage import Store, Erasure
from supervisor_tui.storage import store as store_module
where, record = sys.argv[2], sys.argv[3]
if where == "before the journal is rewritten":
    store_module.scrub_file = lambda *a, **k: os.kill(os.getpid(), 9)
elif where == "before the snapshot is rewritten":
    Store._write_snapshot = lambda self, **how: os.kill(os.getpid(), 9)
store = Store(sys.argv[1], checkpoint_every=1000)
store.erase([Erasure("complaints", record, {"customer": "(erased)", "phone": None, "email": None}, reasons=True)], "Art. 17")
print("not killed")
"""


@pytest.mark.parametrize("where", ["before the journal is rewritten", "before the snapshot is rewritten"])
def test_an_erasure_killed_part_way_is_finished_by_the_next_writer(record, tmp_path, where):
    store, complaint, _other = record
    path = tmp_path / "team.json"
    child = subprocess.run(
        [sys.executable, "-c", KILLED, str(path), where, complaint["id"]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    assert read_lines(path)[-1]["action"] == "erase"  # the commit point was reached ...
    assert holding(tmp_path, NAME)  # ... and the values are still somewhere
    reader = Store(str(path))  # a reader in between sees the erasure's stand-ins already
    assert reader.get("complaints", complaint["id"])["customer"] == "(erased)"
    assert verify_record(path).ok
    store.create("complaints", "C", {"customer": "Next Customer"})  # the next save, by anyone, finishes it
    assert holding(tmp_path, *TRACES) == []
    result = verify_record(path)
    assert result.ok, result.problems
    assert "[4 values taken out of earlier entries]" in result.erased[0]


def test_an_erasure_whose_files_cannot_be_rewritten_says_it_is_recorded_and_is_finished_later(
    record, tmp_path, monkeypatch
):
    store, complaint, _other = record
    from supervisor_tui.storage import store as store_module

    def disk_full(*args: object, **kwargs: object) -> int:
        raise WriteFailedError("Not saved: the disk is full.")

    monkeypatch.setattr(store_module, "scrub_file", disk_full)
    with pytest.raises(WriteFailedError) as caught:
        erase_customer(store, complaint)
    assert "The erasure is recorded" in str(caught.value) and "the disk is full" in str(caught.value)
    monkeypatch.undo()
    store.create("complaints", "C", {"customer": "Next Customer"})
    assert holding(tmp_path, *TRACES) == []
    assert verify_record(tmp_path / "team.json").ok


# -- sealed segments ----------------------------------------------------------------------------------------
def sealed_record(tmp_path: Path) -> tuple[Store, dict, dict]:
    """A complaint closed in 2023 and sealed, and a member whose early history is in the segment but who is live."""
    from datetime import UTC, date, datetime

    class Clock:
        now = datetime(2023, 3, 1, tzinfo=UTC)

        def __call__(self) -> datetime:
            return self.now

    clock = Clock()
    store = Store(str(tmp_path / "team.json"), actor=ALICE, clock=clock, checkpoint_every=4)
    closed = store.create("complaints", "C", {"customer": NAME, "phone": PHONE, "stage": "open"})
    closed = store.update("complaints", closed["id"], {"stage": "closed"}, 1, reason=SECRET_REASON)
    member = store.create("members", "M", {"name": "Quuxley Staff", "phone": PHONE})
    clock.now = datetime(2024, 6, 1, tzinfo=UTC)
    member = store.update("members", member["id"], {"role": "lead"}, member["version"])
    store.seal(date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC), {"complaints": [closed["id"]]}, "yearly seal")
    assert [r["id"] for r in store.sealed_records("complaints")] == [closed["id"]]
    clock.now = datetime(2024, 7, 1, tzinfo=UTC)
    return store, closed, member


def test_a_sealed_records_values_are_erased_from_its_segment_which_stays_read_only(tmp_path):
    """Sealing makes a record read-only for the team, not beyond the law: Art. 17 reaches archives too."""
    import stat

    store, closed, _member = sealed_record(tmp_path)
    report = store.erase(
        [Erasure("complaints", closed["id"], {"customer": "(erased)", "phone": None}, reasons=True)], "Art. 17"
    )
    assert holding(tmp_path, NAME, SECRET_REASON, "Zebedee") == []
    segment = tmp_path / "team.sealed"
    assert {str(segment / "0001.journal"), str(segment / "0001.json")} <= set(report.files)
    for name in ("0001.journal", "0001.json"):
        assert stat.S_IMODE((segment / name).stat().st_mode) == 0o440
    row = store.get("complaints", closed["id"])
    assert (row["customer"], row["phone"], row["stage"]) == ("(erased)", None, "closed")
    assert Store(str(tmp_path / "team.json")).get("complaints", closed["id"])["customer"] == "(erased)"
    result = verify_record(tmp_path / "team.json")
    assert result.ok, result.problems
    assert "[3 values taken out of earlier entries]" in result.erased[0]  # name, phone, the reason naming him
    history = store.history("complaints", closed["id"])
    assert [h["action"] for h in history] == ["create", "update", "erase"] and "reason" in history[1]["erased"]


def test_a_live_records_early_history_is_erased_from_the_segment_too(tmp_path):
    store, _closed, member = sealed_record(tmp_path)
    store.erase([Erasure("members", member["id"], {"name": "former member", "phone": None})], "left; retention")
    assert holding(tmp_path, "Quuxley Staff") == []
    assert holding(tmp_path, PHONE)  # the sealed complaint's phone is another record's: still there
    assert store.get("members", member["id"])["name"] == "former member"
    result = verify_record(tmp_path / "team.json")
    assert result.ok, result.problems


def test_one_erasure_of_many_records_finds_each_ones_sealed_history_in_one_reading(tmp_path):
    """A leaver's rota is hundreds of records: the segments are read once for them all, and each erase entry
    still names the digest of the value each field last held (so verify can say which value went)."""
    store, closed, member = sealed_record(tmp_path)
    history = {key: store.history(*key) for key in (("complaints", closed["id"]), ("members", member["id"]))}
    report = store.erase(
        [
            Erasure("complaints", closed["id"], {"customer": None, "phone": None}),
            Erasure("members", member["id"], {"name": "former member", "phone": None}),
        ],
        "retention schedule",
    )
    assert holding(tmp_path, NAME, "Quuxley Staff") == []
    by_record = {e["record"]: e for e in report.entries}
    assert by_record[closed["id"]]["erases"]["sealed"] == 1 and "sealed" not in by_record[member["id"]]["erases"]
    for (_table, record_id), entries in history.items():
        assert [h["action"] for h in entries][0] == "create"  # each record's history reached back into the segment
        erase = by_record[record_id]
        assert erase["changes"]["phone"][0] is not None  # the digest its phone was last set with
    result = verify_record(tmp_path / "team.json")
    assert result.ok, result.problems
    assert len(result.erased) == 2


def test_a_session_open_before_an_erasure_of_sealed_data_no_longer_shows_it(tmp_path):
    store, closed, _member = sealed_record(tmp_path)
    other = Store(str(tmp_path / "team.json"), actor=BOB)
    assert other.get("complaints", closed["id"])["customer"] == NAME  # read from the segment, and kept
    store.erase([Erasure("complaints", closed["id"], {"customer": None})], "Art. 17")
    other.refresh()
    assert other.get("complaints", closed["id"])["customer"] is None


def test_each_erasure_takes_only_what_came_before_it_even_when_two_are_finished_together(record, tmp_path):
    """The phone is erased, then set again (a new, lawful value), then the name is erased: finishing both
    at once (a crash left the first unfinished) must not take the new phone, which no erasure named."""
    from supervisor_tui.storage.erasure import scrub_line, targets_of
    from supervisor_tui.storage.journal import seal_value

    store, complaint, _other = record
    first = {"table": "complaints", "record": complaint["id"], "action": "erase", "seq": 10}
    first["erases"] = {"fields": ["phone"], "reasons": False}
    second = {**first, "seq": 15, "erases": {"fields": ["customer"], "reasons": False}}
    targets = targets_of([first, second])
    line = {"table": "complaints", "record": complaint["id"], "action": "update", "seq": 12, "reason": None}
    line["changes"] = {
        "phone": [{"d": "a" * 64}, seal_value("01632 960999")],
        "customer": [None, seal_value("Mr New")],
    }
    raw = json.dumps(line, separators=(",", ":")).encode()
    scrubbed, removed = scrub_line(raw, targets)
    assert removed == 1 and len(scrubbed) == len(raw)
    assert b"01632 960999" in scrubbed and b"Mr New" not in scrubbed


def test_an_erasure_of_a_record_changed_since_the_version_read_is_refused_naming_who(record, tmp_path):
    """The stand-ins were worked out from the version the caller read: a record changed since is refused
    as a stale save is (who, and which fields), and nothing is written."""
    store, complaint, _other = record
    later = Store(str(tmp_path / "team.json"), actor=BOB)
    later.update("complaints", complaint["id"], {"category": "refund and apology"}, complaint["version"])
    stale = Erasure("complaints", complaint["id"], {"customer": "(erased)"}, reasons=True, version=complaint["version"])
    with pytest.raises(ConflictError, match="changed by bob") as caught:
        store.erase([stale], "erasure request")
    assert caught.value.fields == ["category"]
    assert store.head == later.head and holding(tmp_path, NAME)  # bob's change, and nothing after it
    now = store.get("complaints", complaint["id"])["version"]
    store.erase(
        [Erasure("complaints", complaint["id"], {"customer": "(erased)"}, reasons=True, version=now)], "request"
    )
    assert not holding(tmp_path, NAME) and verify_record(tmp_path / "team.json").ok


def test_the_callers_condition_is_asked_under_the_lock_and_refuses_with_nothing_written(record, tmp_path):
    """``still_allowed`` sees what other sessions wrote before the lock was taken (a legal hold placed
    since the caller looked) and whatever it raises leaves the record as it was."""
    store, complaint, _other = record
    bob = Store(str(tmp_path / "team.json"), actor=BOB)
    bob.create("legal_holds", "LH", {"subject": complaint["id"]})

    def not_held() -> None:
        if any(h["subject"] == complaint["id"] for h in store.records("legal_holds")):
            raise ValueError("on legal hold")

    with pytest.raises(ValueError, match="on legal hold"):
        store.erase(
            [Erasure("complaints", complaint["id"], {"customer": "(erased)"})], "request", still_allowed=not_held
        )
    assert store.head == bob.head and holding(tmp_path, NAME)
    assert verify_record(tmp_path / "team.json").ok
