"""Moving a v1 record (one JSON file with its audit table) to v2 (snapshot + journal).

A team's years of history are evidence: the upgrade must lose nothing, renumber nothing, and leave the
old chain provable, so a head printed on an export before the upgrade (``verify --head 42:3f9a…``) still
proves the record after it. A crash at any point must leave a record the next writer can finish, and a
v1 file that does not verify is never converted into a v2 record that looks sound.

Real files, and real processes where a crash or another user is the point.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui.storage import ReadOnlyError, Store, UnusableFileError, parse_head, verify_record
from supervisor_tui.storage.audit import AUDIT, entry_hash, verify
from supervisor_tui.storage.signing import published_key

from .conftest import ROOT, _env
from .test_tamper import journal_of, read_lines
from .v1files import BOB, V1Record, team_history

UPGRADED = "upgraded team.json to the journal format: 10 entries converted, the old file kept read-only as team.v1.json"


@pytest.fixture
def v1(tmp_path) -> tuple[Path, V1Record]:
    """A v1 team.json with history (10 entries by alice, bob and carol), as the v1 app left it."""
    history = team_history()
    path = history.save(tmp_path / "team.json")
    assert verify(history.data).ok
    return path, history


def v1_copy(path: Path) -> Path:
    return path.with_name("team.v1.json")


def upgraded_records(store: Store) -> dict:
    return {name: rows for name, rows in store.data.items() if name not in ("meta", "signing_keys")}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supervisor_tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_first_writer_upgrades_keeping_every_record_and_every_seq(v1):
    path, history = v1
    raw = path.read_bytes()
    store = Store(str(path))
    assert store.upgraded == UPGRADED
    assert store.schema == 2 and not store.read_only
    assert upgraded_records(store) == history.tables()  # every record, envelope and all, as it was
    assert upgraded_records(Store(str(path))) == history.tables()  # and as the next session reads it
    # Every v1 entry is a journal entry with the same seq, author, time and action, holding the v1 hash.
    lines = read_lines(path)
    old = history.data[AUDIT]
    for seq in range(1, 11):
        entry, was = lines[seq - 1], old[str(seq)]
        assert (entry["seq"], entry["v1_hash"]) == (seq, was["hash"])
        assert [entry[k] for k in ("at", "actor", "uid", "ssh", "action", "table", "record")] == [
            was[k] for k in ("at", "actor", "uid", "ssh", "action", "table", "record")
        ]
        assert entry["signer"] == store.actor.login  # they never signed it; whoever upgraded did
    assert lines[10]["action"] == "upgrade" and lines[10]["v1_head"] == history.head
    # The history a screen shows is the v1 history: who changed what, and why.
    assert [(h["seq"], h["actor"], h["reason"], h["changes"]) for h in store.history("members", "M-0001")] == [
        (
            2,
            "alice",
            None,
            {"name": (None, "Sam Patel"), "contract_hours": (None, 37.5), "skills": (None, {"tills": "expert"})},
        ),
        (5, "bob", "flexible working request", {"contract_hours": (37.5, 30)}),
        (6, "alice", None, {"skills": ({"tills": "expert"}, {"tills": "expert", "phones": "learner"})}),
    ]
    assert store.history("members", "M-0003")[-1]["reason"] == "entered twice by mistake"
    # The v1 file is kept beside it, read-only, byte for byte.
    kept = v1_copy(path)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o440 and kept.read_bytes() == raw


def test_verify_passes_notes_the_conversion_and_a_head_pinned_before_still_proves_it(v1):
    path, history = v1
    pinned, middle = history.head, f"5:{history.data[AUDIT]['5']['hash']}"
    store = Store(str(path))
    report = verify_record(path)
    assert report.ok, report.problems
    assert any(
        n.startswith(f"entries 1-10 were converted from the v1 file by {store.actor.login} on ") for n in report.notes
    ), report.notes
    assert f"the v1 file team.v1.json verifies (10 entries, head {pinned})" in report.notes
    for head in (pinned, middle):  # heads printed on exports before the upgrade
        assert verify_record(path, parse_head(head)).ok, head
    assert verify_record(path, parse_head(store.head_text())).ok
    wrong = verify_record(path, parse_head("10:" + "0" * 64))
    assert wrong.problems == ["journal entry 10 no longer has the pinned hash 000000000000…: the record was rewritten"]
    store.create("members", "M", {"name": "New Starter"})  # the upgraded record goes on as any v2 record
    assert verify_record(path, parse_head(pinned)).ok


def test_supervisor_tui_upgrade_says_what_it_did_and_verify_head_still_works(v1):
    path, history = v1
    result = run_cli("upgrade", "--db", str(path))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip() == UPGRADED
    again = run_cli("upgrade", "--db", str(path))
    assert again.returncode == 0
    assert again.stdout.strip() == f"{path} is already in the journal format (head {Store(str(path)).head_text()})"
    assert upgraded_records(Store(str(path))) == history.tables()
    assert run_cli("verify", "--db", str(path), "--head", history.head).returncode == 0
    cut = run_cli("verify", "--db", str(path), "--head", "10:" + "1" * 64)
    assert cut.returncode == 1 and "journal entry 10 no longer has the pinned hash" in cut.stdout


def test_the_key_the_upgrade_is_signed_with_is_published(v1):
    """Every converted entry is signed by whoever upgraded: verify must be able to confirm that key is theirs."""
    path, _history = v1
    assert run_cli("upgrade", "--db", str(path)).returncode == 0
    store = Store(str(path))
    assert published_key(path, store.actor.login).key is not None
    assert verify_record(path).warnings == []


def test_a_session_that_must_not_upgrade_reads_a_v1_record_as_it_is(v1):
    path, history = v1
    raw = path.read_bytes()
    store = Store(str(path), upgrade=False)
    assert store.read_only and store.schema == 1 and store.upgraded is None
    assert {t: store.data[t] for t in history.tables()} == history.tables()
    assert [h["actor"] for h in store.history("members", "M-0001")] == ["alice", "bob", "alice"]
    assert store.head_text() == history.head
    with pytest.raises(ReadOnlyError, match="old single-file format"):
        store.create("members", "M", {"name": "New Starter"})
    assert path.read_bytes() == raw and not journal_of(path).exists() and not v1_copy(path).exists()


# -- a reader who cannot write: a real other user ---------------------------------------------------------
READER = r"""
import contextlib, grp, io, json, os, pwd, sys
import encodings.ascii, encodings.idna  # noqa: F401  (imported now: later the user cannot read root's Python)
from supervisor_tui import cli
from supervisor_tui.services import Records  # noqa: F401  (the upgrade command imports it)
from supervisor_tui.storage import ReadOnlyError, Store
from supervisor_tui.storage import signing, upgrade, verify  # noqa: F401
login, config, path = sys.argv[1], sys.argv[2], sys.argv[3]
user = pwd.getpwnam(login)
os.setgroups([g.gr_gid for g in grp.getgrall() if login in g.gr_mem] + [user.pw_gid])
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
os.environ["XDG_CONFIG_HOME"] = config
store = Store(path)
out = {"read_only": store.read_only, "schema": store.schema, "upgraded": store.upgraded,
       "names": [m["name"] for m in store.records("members", include_voided=True)],
       "history": [[h["actor"], h["reason"]] for h in store.history("members", "M-0001")]}
try:
    store.create("members", "M", {"name": "New Starter"})
    out["saved"] = True
except ReadOnlyError as exc:
    out["refused"] = str(exc)
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    out["upgrade_exit"] = cli.main(["upgrade", "--db", path])
out["upgrade_said"] = err.getvalue()
print(json.dumps(out))
"""


def test_a_reader_who_cannot_write_opens_a_v1_record_read_only_without_upgrading_it(team_folder):
    import grp

    from .conftest import TEAM_GROUP

    history = team_history()
    path = history.save(team_folder / "team.json")
    os.chown(path, 0, grp.getgrnam(TEAM_GROUP).gr_gid)
    os.chmod(path, 0o640)  # the team may read it; only its owner may write it
    raw = path.read_bytes()
    config = team_folder.parent / "config-suptui-bob"
    config.mkdir(mode=0o700)
    os.chown(config, int(subprocess.check_output(["id", "-u", "suptui-bob"])), -1)
    result = subprocess.run(
        [sys.executable, "-c", READER, "suptui-bob", str(config), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    seen = json.loads(result.stdout)
    assert seen["read_only"] and seen["schema"] == 1 and seen["upgraded"] is None
    assert seen["names"] == ["Sam Patel", "Aisha Khan-Jones", "Temp Worker"]
    assert seen["history"] == [["alice", None], ["bob", "flexible working request"], ["alice", None]]
    assert "old single-file format" in seen["refused"] and "saved" not in seen
    assert seen["upgrade_exit"] == 2
    assert seen[
        "upgrade_said"
    ].strip() == f"supervisor-tui: {path} is read-only for you, so it cannot be upgraded; " + (
        "ask someone who can write it."
    )
    assert path.read_bytes() == raw
    assert sorted(os.listdir(team_folder)) in ([], ["team.json"], ["team.json", "team.json.lock"])


# -- a v1 record that does not verify is never converted ---------------------------------------------------
def _edit_entry(data):
    data[AUDIT]["5"]["reason"] = "asked for by the employee"  # the reason for cutting someone's hours


def _edit_record(data):
    data["members"]["1"]["contract_hours"] = 40


def _gap(data):
    data[AUDIT]["11"] = data[AUDIT].pop("10")


NOT_UPGRADED = "was not upgraded to the new format: its audit log does not verify ("
V1_DAMAGE = {  # (damage, how the refusal begins after the path, what it names)
    "an edited audit entry": (
        _edit_entry,
        NOT_UPGRADED,
        "audit entry 5 (update M-0001): its hash does not match its contents",
    ),
    "a record edited outside the app": (
        _edit_record,
        NOT_UPGRADED,
        "table members: record M-0001 differs from the audit log in contract_hours",
    ),
    "a gap in the audit log": (_gap, "is damaged: ", "audit entry 10 is missing"),  # refused before any upgrade
}


@pytest.mark.parametrize("damage", V1_DAMAGE)
def test_a_v1_record_that_fails_verify_is_refused_for_upgrade_and_left_untouched(v1, damage):
    path, history = v1
    change, refusal, finding = V1_DAMAGE[damage]
    change(history.data)
    history.save(path)
    raw = path.read_bytes()
    with pytest.raises(UnusableFileError) as caught:
        Store(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path} {refusal}")
    assert finding in message and message.endswith("the file has not been changed.")
    result = run_cli("upgrade", "--db", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{path} {refusal}" in result.stderr and finding in result.stderr
    assert path.read_bytes() == raw
    assert not journal_of(path).exists() and not v1_copy(path).exists()
    assert {p.name for p in path.parent.iterdir()} <= {"team.json", "team.json.lock"}  # nothing else made


# -- crashes -------------------------------------------------------------------------------------------------
KILLED_AT = r"""
import os, sys
from supervisor_tui.storage import Store
from supervisor_tui.storage.journal import Journal
where = sys.argv[2]
if where == "before the snapshot":  # the journal transaction is whole and fsynced; the snapshot is next
    Store.checkpoint = lambda self: os.kill(os.getpid(), 9)
else:  # part of the journal transaction written, the rest never
    def torn(self, fd, data, at):
        os.pwrite(fd, data[: len(data) // 2], at)
        os.fsync(fd)
        os.kill(os.getpid(), 9)
    Journal._write_whole = torn
Store(sys.argv[1])
print("the upgrade was not killed")
"""


def upgrade_killed(path: Path, where: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(path), where],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr


def test_an_upgrade_killed_after_its_journal_is_finished_by_the_next_writer(v1):
    path, history = v1
    raw = path.read_bytes()
    upgrade_killed(path, "before the snapshot")
    assert path.read_bytes() == raw  # still the v1 file ...
    crashed = journal_of(path).read_bytes()
    assert len(read_lines(path)) == 12  # ... beside the whole upgrade: 10 converted, the upgrade, the key
    between = verify_record(path)
    assert between.ok, between.problems
    assert any("an upgrade was interrupted before its snapshot" in w for w in between.warnings), between.warnings
    store = Store(str(path))  # the next writer
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == 2
    assert upgraded_records(store) == history.tables()
    assert journal_of(path).read_bytes() == crashed  # finished, not done twice
    report = verify_record(path, parse_head(history.head))
    assert report.ok, report.problems
    assert not any("interrupted" in w for w in report.warnings)
    assert v1_copy(path).read_bytes() == raw


def test_an_upgrade_killed_inside_its_journal_append_leaves_the_v1_record_to_upgrade_again(v1):
    path, history = v1
    raw = path.read_bytes()
    upgrade_killed(path, "inside the journal append")
    assert path.read_bytes() == raw
    torn = journal_of(path).read_bytes()
    assert torn and not torn.endswith(b"\n")  # half a transaction: never acknowledged
    assert Store(str(path), upgrade=False).read_only  # a reader still sees the v1 record
    store = Store(str(path))
    assert store.upgraded == UPGRADED and upgraded_records(store) == history.tables()
    assert (path.parent / "team.journal.stale-10").read_bytes() == torn  # set aside, not thrown away
    assert verify_record(path, parse_head(history.head)).ok


# -- the old app still writing the v1 file ------------------------------------------------------------------
def test_a_v1_record_an_old_app_changed_after_a_crashed_upgrade_is_upgraded_again(v1):
    """The upgrade crashed before its snapshot; before anyone opened it with the new app, someone on the old
    app saved to the v1 file. The journal no longer continues that file: it is set aside, never replayed."""
    path, _history = v1
    upgrade_killed(path, "before the snapshot")
    stale = journal_of(path).read_bytes()
    old_app = V1Record.load(path)
    old_app.create("members", "M", {"name": "Late Joiner", "contract_hours": 16}, actor=BOB)
    old_app.save(path)
    newer = path.read_bytes()
    assert Store(str(path), upgrade=False).read_only  # read as the v1 file it now is
    store = Store(str(path))
    assert store.upgraded == UPGRADED.replace("10 entries", "11 entries")
    assert upgraded_records(store) == old_app.tables()
    assert "Late Joiner" in [m["name"] for m in store.records("members")]
    assert (path.parent / "team.journal.stale-11").read_bytes() == stale
    assert v1_copy(path).read_bytes() == newer
    assert verify_record(path, parse_head(old_app.head)).ok


def test_verify_checks_the_v1_file_the_app_shows_when_the_journal_beside_it_is_stale(v1):
    path, _history = v1
    upgrade_killed(path, "before the snapshot")
    forged = V1Record.load(path)
    forged.create("members", "M", {"name": "Ghost Worker", "contract_hours": 40}, actor=BOB)
    ghost_entry = forged.data[AUDIT][str(len(forged.data[AUDIT]))]
    ghost_entry["actor"] = "alice"  # blamed on someone else, by hand: the v1 chain no longer holds
    assert ghost_entry["hash"] != entry_hash(ghost_entry)
    forged.save(path)
    assert "Ghost Worker" in [m["name"] for m in Store(str(path), upgrade=False).records("members")]  # shown
    report = verify_record(path)
    assert not report.ok
    assert "audit entry 11" in report.problems[0]
