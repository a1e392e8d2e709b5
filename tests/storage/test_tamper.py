"""verify catches edits to the snapshot and to journal lines, broken links, gaps, outside writes, and (with
--head) a cut-off end.

The record is evidence (who changed a person's hours, and why, is what an employment tribunal or an
auditor asks for): an edit made outside the app, by anyone in the team's group, must be named by
``verify`` down to the record and field or the journal entry, never passed as OK.

The journal helpers here (reading, writing and re-chaining lines as someone covering their tracks would)
are shared with the other tests that tamper with a v2 record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supervisor_tui.storage import Actor, SafeTinyDB, Store, UnusableFileError, parse_head, verify_record
from supervisor_tui.storage.journal import Journal, journal_entry_hash, journal_name, seal_value
from supervisor_tui.storage.jsonfile import LockedFile

from .conftest import load, save


# -- shared helpers: a v2 record's files, as someone with a text editor sees them ------------------------
def journal_of(record: Path) -> Path:
    return record.with_name(journal_name(record.name))


def read_lines(record: Path) -> list[dict]:
    """The journal's entries, one per line, in file order."""
    return [json.loads(line) for line in journal_of(record).read_bytes().splitlines()]


def line_text(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def write_lines(record: Path, entries: list[dict]) -> None:
    journal_of(record).write_bytes(b"".join(line_text(e) for e in entries))


def offset_of(record: Path, seq: int) -> int:
    """Where the line of entry ``seq`` starts in the journal (as verify names it: 'the line at byte N')."""
    raw = journal_of(record).read_bytes().splitlines(keepends=True)
    return sum(len(line) for line in raw[: seq - 1])


def rehash(entry: dict) -> dict:
    """Give an edited entry the hash its contents now have (values counted by their digests), as someone
    covering their tracks would. The signature is left as it was: only the login's own key could remake it."""
    entry["hash"] = journal_entry_hash(entry)
    return entry


def rechain(entries: list[dict], start: int) -> list[dict]:
    """Rehash entries[start:] and relink each to the one before: the whole chain after an edit rewritten."""
    for i in range(start, len(entries)):
        if i:
            entries[i]["prev"] = entries[i - 1]["hash"]
        rehash(entries[i])
    return entries


def me() -> str:
    return Actor.from_process().login


# -- the record these tests tamper with --------------------------------------------------------------
@pytest.fixture
def history(store_path):
    """1 init, 2 the key, 3 M-0001 made, 4 its hours cut (with a reason), 5 M-0002 made; snapshot at 5."""
    store = Store(str(store_path))
    rec = store.create("members", "M", {"name": "Sam Patel", "hours": 37.5})
    store.update("members", rec["id"], {"hours": 30}, rec["version"], "flexible working")
    store.create("members", "M", {"name": "Aisha Khan", "hours": 20})
    store.checkpoint()
    assert load(store_path)["meta"]["1"]["journal"]["seq"] == 5
    return store


def test_an_untouched_record_verifies_with_every_entry_signed(history, store_path):
    report = verify_record(store_path)
    assert report.ok, report.problems
    assert report.summary() == f"OK: 5 entries, head {history.head_text()}"
    assert report.signed == 5
    assert any(note.startswith(f"{me()} signs with SHA256:") for note in report.notes), report.notes


# -- the snapshot --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field, value",
    [
        ("hours", 40),  # what the person is contracted for
        ("created_by", "mallory"),  # who is answerable for the record
        ("void_reason", "never here"),
    ],
)
def test_a_record_edited_in_the_snapshot_is_named_with_its_field(history, store_path, field, value):
    """team.json is a plain TinyDB file anyone in the group can edit with jq: verify names what changed."""
    data = load(store_path)
    data["members"]["1"][field] = value
    save(store_path, data)
    report = verify_record(store_path)
    assert not report.ok
    assert (
        report.problems[0]
        == f"table members: record M-0001 differs from the journal in {field} (edited outside the app)"
    )


def test_a_record_added_to_the_snapshot_outside_the_app_is_caught(history, store_path):
    SafeTinyDB(str(store_path)).table("members").insert({"name": "Ghost"})
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems[0] == "table members: record 3 is not in the journal (added outside the app)"


def test_a_planted_record_with_a_plausible_envelope_is_caught_though_the_app_shows_it(history, store_path):
    """The app reads the snapshot as it is (it does not re-prove it on every open); verify must not."""
    data = load(store_path)
    data["members"]["3"] = {**data["members"]["2"], "id": "M-0003", "name": "Ghost Worker", "hours": 40}
    save(store_path, data)
    assert "Ghost Worker" in [m["name"] for m in Store(str(store_path)).records("members")]
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems[0] == "table members: record M-0003 is not in the journal (added outside the app)"


@pytest.mark.parametrize("what", ["hash", "offset"])
def test_a_snapshot_naming_a_journal_position_the_journal_does_not_have_is_reported(history, store_path, what):
    data = load(store_path)
    position = data["meta"]["1"]["journal"]
    if what == "hash":
        position["hash"] = "ab" * 32
    else:
        position["offset"] = offset_of(store_path, 5)  # the start of entry 5's line, not the end of it
    save(store_path, data)
    report = verify_record(store_path)
    assert not report.ok
    assert "journal" in report.problems[0] and "snapshot" in report.problems[0]


def test_the_app_never_writes_a_broken_link_after_a_snapshot_naming_a_wrong_hash(history, store_path):
    data = load(store_path)
    data["meta"]["1"]["journal"]["hash"] = "ab" * 32  # an edit by hand, or a snapshot from another copy
    save(store_path, data)
    try:
        Store(str(store_path)).create("members", "M", {"name": "New Starter"})
    except UnusableFileError:
        pass  # refusing the damaged snapshot is fine; writing after it is not
    report = Journal.beside(LockedFile(store_path)).verify()
    assert report.ok, report.problems


# -- journal lines ----------------------------------------------------------------------------------------
def _value(entry):
    entry["changes"]["hours"][1]["v"] = 40  # the new hours, without touching the digest the hash covers


def _value_and_digest(entry):
    entry["changes"]["hours"][1] = seal_value(40)  # a new value with its own digest: the hash no longer matches


def _reason(entry):
    entry["reason"]["v"] = "asked to by the employee"


EDITS = {
    "a value": (_value, "holds a value at changes.hours[1] that its hash does not cover"),
    "a value with its digest": (
        _value_and_digest,
        "has a hash that does not match its contents (the entry was edited)",
    ),
    "the reason": (_reason, "holds a value at reason that its hash does not cover"),
    "the actor": (lambda e: e.update(actor="mallory"), "has a hash that does not match its contents"),
    "the time": (lambda e: e.update(at="2030-01-01T00:00:00.000000Z"), "has a hash that does not match its contents"),
}


@pytest.mark.parametrize("what", EDITS)
def test_an_edited_journal_line_is_named_by_its_entry(history, store_path, what):
    edit, finding = EDITS[what]
    entries = read_lines(store_path)
    edit(entries[3])
    write_lines(store_path, entries)
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems[0].startswith(
        f"The journal {store_path.with_suffix('.journal')} is damaged: the line at byte {offset_of(store_path, 4)} (entry 4) "
    )
    assert finding in report.problems[0]


def test_a_rehashed_edit_still_breaks_the_link(history, store_path):
    entries = read_lines(store_path)
    entries[3]["actor"] = "mallory"
    rehash(entries[3])
    write_lines(store_path, entries)
    report = verify_record(store_path)
    assert not report.ok
    assert (
        f"line at byte {offset_of(store_path, 5)} (entry 5) does not link to the entry before it" in report.problems[0]
    )


def _blame_mallory(entries, data):
    entries[3]["actor"] = "mallory"
    data["members"]["1"]["updated_by"] = "mallory"


def _raise_the_hours(entries, data):
    entries[3]["changes"]["hours"][1] = seal_value(31)
    data["members"]["1"]["hours"] = 31


@pytest.mark.parametrize(
    "rewrite, finding",
    [
        (_blame_mallory, "journal entry 4 is signed as mallory, who has no key registered in the record"),
        (
            _raise_the_hours,
            "journal entry 4's signature does not match the key registered for {me} (2 entries in all): "
            "written by someone without {me}'s key",
        ),
    ],
    ids=["blame someone else", "change a value"],
)
def test_a_whole_chain_rewritten_after_an_edit_is_caught_by_its_signatures(history, store_path, rewrite, finding):
    """Hashes, links and the snapshot all made consistent again: only the author's key cannot be forged."""
    entries, data = read_lines(store_path), load(store_path)
    rewrite(entries, data)
    rechain(entries, 3)
    data["meta"]["1"]["journal"]["hash"] = entries[-1]["hash"]
    write_lines(store_path, entries)
    save(store_path, data)
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems == [finding.format(me=me())]


def test_a_consistent_rewrite_dropping_the_last_transaction_is_caught_with_head(store_path):
    store = Store(str(store_path))
    rec = store.create("members", "M", {"name": "Sam Patel", "hours": 37.5})
    store.update("members", rec["id"], {"hours": 30}, rec["version"], "flexible working")
    store.checkpoint()
    snapshot_then, journal_then = store_path.read_bytes(), journal_of(store_path).read_bytes()
    store.create("members", "M", {"name": "Aisha Khan", "hours": 20})
    store.checkpoint()
    pinned = store.head_text()  # printed on last week's export
    # Put back the snapshot and the journal as they were before the last save: a consistent, shorter record.
    journal_of(store_path).write_bytes(journal_then)
    store_path.write_bytes(snapshot_then)
    assert verify_record(store_path).ok  # the chain alone cannot tell ...
    report = verify_record(store_path, parse_head(pinned))  # ... but the head printed on an export can
    assert not report.ok
    seq, digest = parse_head(pinned)
    assert report.problems[0] == f"the pinned head {seq}:{digest[:12]}… is not in the journal: entries were removed"


def test_a_journal_cut_short_under_a_snapshot_that_names_its_end_is_caught(history, store_path):
    journal = journal_of(store_path)
    journal.write_bytes(journal.read_bytes()[: offset_of(store_path, 5)])  # the last transaction cut off
    before = [store_path.read_bytes(), journal.read_bytes()]
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems[0] == (
        "the snapshot says it holds the records at journal entry 5, but the journal ends before it: "
        "entries were removed from the journal"
    )
    with pytest.raises(UnusableFileError, match="shorter than") as caught:
        Store(str(store_path))
    assert str(journal) in str(caught.value)
    assert [store_path.read_bytes(), journal.read_bytes()] == before


@pytest.mark.parametrize(
    "what, rearrange, seq, due",
    [
        ("missing", lambda e: e[:3] + e[4:], 4, "has seq 5 where 4 was due"),
        ("reordered", lambda e: e[:3] + [e[4], e[3]], 4, "has seq 5 where 4 was due"),
        ("repeated", lambda e: e + [e[4]], 6, "has seq 5 where 6 was due"),
    ],
)
def test_a_missing_reordered_or_repeated_line_is_caught(history, store_path, what, rearrange, seq, due):
    entries = read_lines(store_path)
    write_lines(store_path, rearrange(entries))
    report = verify_record(store_path)
    assert not report.ok
    assert f"(entry {seq}) {due} (an entry is missing, repeated or moved)" in report.problems[0]


def test_bad_head_text_is_refused():
    with pytest.raises(ValueError, match="SEQ:HASH"):
        parse_head("12-abc")
