"""Who wrote what, provably: forged, unsigned and wrongly registered entries, by real users.

Everyone in the team's group can write the journal, so anyone can append a correctly hashed and chained
entry under a colleague's name. A record that is evidence of who did what (a complaint handled, a
person's hours cut) must not let that pass: each entry is signed with its author's own key, and verify
names an entry whose signature is missing or not the key of the login it names, and a key registered
under a login by someone else.

Each person here is a real uid in a real group, in a process of their own with their own config folder
(and so their own key): the kernel, not the test, decides what each may write.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui.storage import Actor, Store, verify_record
from supervisor_tui.storage.signing import PublicKey, keys_folder, published_key

from .conftest import ROOT, _env

ALICE, BOB = "suptui-alice", "suptui-bob"

# Imports everything while still root (other users cannot read root's Python), then becomes the user.
CHILD = r"""
import grp, json, os, pwd, sys
from pathlib import Path
import encodings.ascii, encodings.idna  # noqa: F401  (loaded lazily otherwise, from a folder the user cannot read)
from supervisor_tui.storage import Actor, Store, verify_record
from supervisor_tui.storage import signing, upgrade, verify  # noqa: F401  (imported lazily by the Store)
from supervisor_tui.storage.entries import KEYS_TABLE
from supervisor_tui.storage.errors import StoreError
from supervisor_tui.storage.signing import PublicKey, own_key, publish
login, config, path, action, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
user = pwd.getpwnam(login)
os.setgroups([g.gr_gid for g in grp.getgrall() if login in g.gr_mem] + [user.pw_gid])
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
os.umask(0o022)
os.environ["XDG_CONFIG_HOME"] = config  # the user's own config folder: their own signing key


class Forger:
    # Signs with the forger's own key while showing the colleague's public key, so the Store registers nothing.
    def __init__(self, public, key):
        self.public, self._key = public, key

    def sign(self, data):
        return self._key.sign(data)


def as_victim(store_kw):
    victim = pwd.getpwnam(args["as"])
    return Store(path, actor=Actor(victim.pw_name, victim.pw_uid), **store_kw)


def act():
    if action == "save":
        store = Store(path)
        note = store.create("notes", "N", {"by": login, "text": args.get("text", "")})
        return {"id": note["id"], "seq": max(store.written), "key_problem": store.key_problem,
                "fingerprint": store.signer.public.fingerprint}
    if action == "forge":  # an entry under a colleague's login, through the app's own Store
        if args["how"] == "unsigned":
            store = as_victim({"signer": None})
        elif args["how"] == "my own key":
            store = as_victim({"signer": Forger(None, own_key())})
            store._signer.public = PublicKey(store.signing_key(args["as"]))
        else:  # "my own key, registered as theirs": the Store replaces the colleague's key with the forger's
            store = as_victim({})
        note = store.create("notes", "N", {"by": args["as"], "text": "written by " + login})
        return {"id": note["id"], "seqs": sorted(store.written), "key_problem": store.key_problem}
    if action == "register":  # a key registered under a colleague's login, made openly as oneself
        store = Store(path)
        key = own_key().public
        fields = {"login": args["for"], "public": key.text, "fingerprint": key.fingerprint}
        with store.transaction() as txn:
            mine = next((r for r in store.records(KEYS_TABLE) if r["login"] == args["for"]), None)
            if args.get("replace") and mine is not None:
                entry = txn._entry(KEYS_TABLE, mine["id"], "update", "signing key replaced", {})
                from supervisor_tui.storage.entries import field_changes
                entry["changes"] = field_changes(mine, fields)
                txn.entries.append(entry)
            else:
                txn._create(KEYS_TABLE, "K", fields, "signing key registered")
        return {"seqs": sorted(store.written)}
    if action == "publish":  # a key file written under a login, by whoever runs this
        return {"file": str(publish(Path(path), args["for"], own_key().public))}
    raise SystemExit("unknown action " + action)


try:
    print(json.dumps({"ok": True, **act()}))
except StoreError as exc:
    print(json.dumps({"ok": False, "kind": type(exc).__name__, "message": str(exc)}))
"""


def _config(team_folder: Path, login: str) -> Path:
    config = team_folder.parent / f"config-{login}"
    if not config.exists():
        config.mkdir(mode=0o700)
        os.chown(config, pwd.getpwnam(login).pw_uid, -1)
    return config


def as_user(login: str, team_folder: Path, action: str, **args) -> dict:
    """Run ``action`` on the team's record as the real user ``login``, in a fresh process."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            login,
            str(_config(team_folder, login)),
            str(team_folder / "team.json"),
            action,
            json.dumps(args),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def record(team_folder) -> Path:
    """alice starts the team's record and saves a note; bob saves one too. Both keys are registered."""
    alice = as_user(ALICE, team_folder, "save")
    bob = as_user(BOB, team_folder, "save")
    assert alice["ok"] and bob["ok"] and alice["key_problem"] is None and bob["key_problem"] is None
    return team_folder / "team.json"


def test_two_colleagues_saving_as_themselves_verify_with_both_keys_noted(team_folder):
    first = as_user(ALICE, team_folder, "save", text="opened the complaint")
    second = as_user(BOB, team_folder, "save", text="called the customer")
    third = as_user(ALICE, team_folder, "save", text="closed it")
    assert all(r["ok"] and r["key_problem"] is None for r in (first, second, third))
    assert first["fingerprint"] == third["fingerprint"] != second["fingerprint"]  # each their own key, kept
    path = team_folder / "team.json"
    report = verify_record(path)
    assert report.ok, report.problems
    # (a colleague's first save also draws a false clock warning: see the xfail test below)
    assert [w for w in report.warnings if "a clock was wrong" not in w] == []
    assert report.signed == report.entries == third["seq"]  # every entry, the set-up included
    assert f"{ALICE} signs with {first['fingerprint']} (published by {ALICE})" in report.notes
    assert f"{BOB} signs with {second['fingerprint']} (published by {BOB})" in report.notes
    store = Store(str(path))
    assert [(n["by"], n["created_by"]) for n in store.records("notes")] == [(ALICE, ALICE), (BOB, BOB), (ALICE, ALICE)]
    # Each key file is its owner's: the kernel made it so, and no one else could have.
    for login in (ALICE, BOB):
        assert os.stat(keys_folder(path) / f"{login}.pub").st_uid == pwd.getpwnam(login).pw_uid


def test_a_colleagues_first_save_draws_no_clock_warning(store_path):
    Store(str(store_path)).create("notes", "N", {"n": 1})
    Store(str(store_path), actor=Actor("colleague", 4242)).create("notes", "N", {"n": 2})  # registers their key
    report = verify_record(store_path)
    assert report.ok, report.problems
    assert [w for w in report.warnings if "a clock was wrong" in w] == []


@pytest.mark.parametrize("how", ["my own key", "unsigned"])
def test_an_entry_bob_appends_under_alices_login_is_named_with_the_login(record, how):
    """A correct hash and chain, alice's name and uid: all bob could not make is alice's signature."""
    forged = as_user(BOB, record.parent, "forge", **{"as": ALICE, "how": how})
    assert forged["ok"], forged
    [seq] = forged["seqs"]  # one entry, and no key registered with it
    assert Store(str(record)).get("notes", forged["id"])["created_by"] == ALICE  # what the app now shows
    report = verify_record(record)
    assert not report.ok
    if how == "unsigned":
        assert report.problems == [f"journal entry {seq} by {ALICE} is not signed"]
    else:
        assert report.problems == [
            f"journal entry {seq}'s signature does not match the key registered for {ALICE} (1 entry in all): "
            f"written by someone without {ALICE}'s key"
        ]


def test_bob_registering_his_own_key_as_alices_is_caught_by_the_key_alice_published(record):
    """bob lets the app replace alice's key in the record with his own: his entries then verify against
    the record, but not against the key file only alice could have written."""
    forged = as_user(BOB, record.parent, "forge", **{"as": ALICE, "how": "my own key, registered as theirs"})
    assert forged["ok"], forged
    assert len(forged["seqs"]) == 2  # 'signing key replaced', then the note
    assert "not yours" in (forged["key_problem"] or "")  # the sticky keys folder kept alice's file hers
    store = Store(str(record))
    bobs = PublicKey(store.signing_key(BOB)).fingerprint
    assert PublicKey(store.signing_key(ALICE)).fingerprint == bobs  # the record now holds bob's key as alice's
    alices = published_key(record, ALICE).key.fingerprint
    report = verify_record(record)
    assert not report.ok
    assert report.problems == [
        f"the key registered for {ALICE} in the record ({bobs}) is not the key {ALICE} published ({alices}): "
        "it was registered by someone else"
    ]


@pytest.mark.parametrize("replace", [False, True], ids=["a new key record", "alice's key record changed"])
def test_a_key_registered_under_alices_login_by_bob_is_reported(record, replace):
    made = as_user(BOB, record.parent, "register", **{"for": ALICE, "replace": replace})
    assert made["ok"], made
    seq = made["seqs"][-1]
    report = verify_record(record)
    assert not report.ok
    assert report.problems == [
        f"journal entry {seq} registers a key under '{ALICE}' but was made by {BOB}: "
        "a key registered under a login by someone else"
    ]


def test_a_key_file_bob_writes_under_alices_name_is_named_as_his(team_folder):
    """bob gets in before alice's first save and publishes his key as hers. The file is his: the kernel
    says so, and alice's save, published_key and verify all say so too."""
    planted = as_user(BOB, team_folder, "publish", **{"for": ALICE})
    assert planted["ok"], planted
    alice = as_user(ALICE, team_folder, "save")
    assert alice["ok"]  # her save is not stopped by it ...
    assert "not yours" in alice["key_problem"] and ALICE in alice["key_problem"]  # ... but she is told
    path = team_folder / "team.json"
    found = published_key(path, ALICE)
    assert found.key is None
    assert f"belongs to {BOB}, not {ALICE}: someone else wrote a key under {ALICE}'s name" in found.problem
    report = verify_record(path)
    assert not report.ok
    assert report.problems == [f"the key published for {ALICE} cannot be trusted: {found.problem}"]


def test_bob_cannot_replace_the_key_file_alice_published(record):
    before = (keys_folder(record) / f"{ALICE}.pub").read_bytes()
    attempt = as_user(BOB, record.parent, "publish", **{"for": ALICE})
    assert not attempt["ok"] and attempt["kind"] == "WriteFailedError"
    assert "exists and is not yours" in attempt["message"]
    assert (keys_folder(record) / f"{ALICE}.pub").read_bytes() == before
    assert verify_record(record).ok


# -- no real users needed: unsigned saves, and keys no one published -----------------------------------
def test_a_store_that_does_not_sign_writes_entries_verify_reports_as_not_signed(store_path):
    login = Actor.from_process().login
    Store(str(store_path), signer=None).create("notes", "N", {"n": 1})
    report = verify_record(store_path)
    assert not report.ok
    assert report.problems == [f"journal entry 1 by {login} is not signed"]


def test_one_unsigned_save_in_a_signed_record_is_named(store_path):
    login = Actor.from_process().login
    Store(str(store_path)).create("notes", "N", {"n": 1})  # 1 init, 2 key, 3 the note: signed
    Store(str(store_path), signer=None).create("notes", "N", {"n": 2})
    Store(str(store_path)).create("notes", "N", {"n": 3})
    report = verify_record(store_path)
    assert report.problems == [f"journal entry 4 by {login} is not signed"]


@pytest.mark.parametrize("why", ["never published", "key file removed", "no such login here"])
def test_a_login_whose_key_cannot_be_confirmed_is_a_warning_not_a_failure(store_path, why):
    """A record copied to another machine, or a key file tidied away: nothing proves the key is not theirs
    either. verify says so, and still passes the chain and the signatures."""
    if why == "no such login here":
        login = "visitor-from-elsewhere"
        Store(str(store_path), actor=Actor(login, 4242)).create("notes", "N", {"n": 1})
        problem = f"there is no login {login!r} on this machine"
    else:
        login = Actor.from_process().login
        Store(str(store_path), publish_key=why != "never published").create("notes", "N", {"n": 1})
        if why == "key file removed":
            (keys_folder(store_path) / f"{login}.pub").unlink()
        problem = f"{login} has published no key"
    report = verify_record(store_path)
    assert report.ok, report.problems
    assert report.signed == 3
    [warning] = report.warnings
    assert warning.startswith(f"{login}'s key is registered in the record but cannot be confirmed as theirs: {problem}")
    result = subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "verify", "--db", str(store_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"warning: {warning}" in result.stdout and result.stdout.splitlines()[-1].startswith("OK: 3 entries")
