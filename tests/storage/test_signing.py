"""Signed entries (record v2, issue 13): each login's own Ed25519 key, kept where only they can read it,
and its public half published beside the record in a file only they can own. Real files, real
processes and real users (suptui-alice, suptui-bob in group suptui-team)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui.storage.signing import (
    PublicKey,
    SigningKeyError,
    keys_folder,
    own_key,
    publish,
    published_key,
)

from .conftest import ROOT, _env

HASH = b"9f2c0e" * 10  # what gets signed: an entry's hash, as hex text


def test_a_key_is_made_on_first_use_privately_and_kept(tmp_path):
    folder = tmp_path / "config" / "keys"
    key = own_key(folder)
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
    assert oct(os.stat(folder / "ed25519").st_mode & 0o777) == "0o600"
    again = own_key(folder)
    assert again.public == key.public  # the same key each session, not a new one
    assert key.public.fingerprint.startswith("SHA256:") and len(key.public.fingerprint) == 7 + 43
    assert "PRIVATE" not in repr(key) and key.public.fingerprint in repr(key)


def test_a_signature_verifies_only_for_the_same_data_and_key(tmp_path):
    key, other = own_key(tmp_path / "a"), own_key(tmp_path / "b")
    signature = key.sign(HASH)
    assert key.public.verifies(HASH, signature)
    assert not key.public.verifies(HASH.replace(b"9", b"8", 1), signature)  # another entry's hash
    assert not other.public.verifies(HASH, signature)  # someone else's key
    assert not key.public.verifies(HASH, "not base64!")  # a damaged signature is a failed check, not a crash
    assert not key.public.verifies(HASH, signature[:-4] + "AAA=")


@pytest.mark.parametrize(
    "spoil, words",
    [
        (lambda f: os.chmod(f / "ed25519", 0o640), "may have been copied"),  # readable by the group
        (lambda f: os.chmod(f / "ed25519", 0o606), "may have been copied"),  # readable by anyone
        (lambda f: os.chmod(f, 0o750), "chmod 700"),  # the folder can be opened by the group
        (lambda f: os.link(f / "ed25519", f.parent / "copy"), "not a plain file"),  # a second name for it
    ],
)
def test_a_key_others_could_read_is_refused_with_what_to_do(tmp_path, spoil, words):
    folder = tmp_path / "keys"
    own_key(folder)
    spoil(folder)
    with pytest.raises(SigningKeyError, match=words):
        own_key(folder)


def test_a_link_in_place_of_the_key_is_refused(tmp_path):
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    elsewhere = own_key(tmp_path / "theirs")
    (folder / "ed25519").symlink_to(tmp_path / "theirs" / "ed25519")
    with pytest.raises(SigningKeyError, match="symbolic link"):
        own_key(folder)
    assert elsewhere  # their key file was read by no one


def test_a_damaged_key_file_says_so(tmp_path):
    folder = tmp_path / "keys"
    own_key(folder)
    (folder / "ed25519").write_bytes(b"-----BEGIN PRIVATE KEY-----\nnope\n")
    with pytest.raises(SigningKeyError, match="damaged"):
        own_key(folder)


MAKE = "import sys; from supervisor_tui.storage.signing import own_key; print(own_key(__import__('pathlib').Path(sys.argv[1])).public.text)"


def test_two_sessions_starting_at_once_get_the_same_key(tmp_path):
    folder = tmp_path / "keys"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MAKE, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env()
        )
        for _ in range(4)
    ]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(keys) == 1 and all(p.returncode == 0 for p in procs)
    assert sorted(os.listdir(folder)) == ["ed25519"]  # no temporary file left behind


def test_public_key_text_is_checked():
    with pytest.raises(ValueError):
        PublicKey.parse("AAAA")  # 3 bytes, not 32
    with pytest.raises(ValueError):
        PublicKey.parse("***")


# -- published keys, as real users ----------------------------------------------------------------
AS_USER = r"""
import grp, json, os, pwd, sys
from pathlib import Path
from supervisor_tui.storage.signing import own_key, publish, SigningKeyError  # while still root
from supervisor_tui.storage.errors import StoreError
import encodings.ascii  # noqa: F401
login, config, record, under = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
user = pwd.getpwnam(login)
os.setgroups([g.gr_gid for g in grp.getgrall() if login in g.gr_mem] + [user.pw_gid])
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
os.umask(0o077)  # the strictest umask: publishing must still leave the key readable by the team
try:
    key = own_key(config)
    publish(record, under, key.public)
    print(json.dumps({"ok": True, "key": key.public.text}))
except StoreError as exc:
    print(json.dumps({"ok": False, "message": str(exc)}))
"""


def publish_as(login: str, team_folder: Path, under: str | None = None) -> dict:
    config = team_folder.parent / f"{login}-config"
    if not config.exists():
        config.mkdir()
        subprocess.run(["chown", login, str(config)], check=True)
        os.chmod(config, 0o700)
    out = subprocess.run(
        [sys.executable, "-c", AS_USER, login, str(config / "keys"), str(team_folder / "team.json"), under or login],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return json.loads(out.stdout)


def test_a_published_key_is_found_and_belongs_to_its_login(team_folder):
    alice = publish_as("suptui-alice", team_folder)
    assert alice["ok"]
    found = published_key(team_folder / "team.json", "suptui-alice")
    assert found.problem is None and found.key == PublicKey(alice["key"])
    folder = keys_folder(team_folder / "team.json")
    assert oct(os.stat(folder).st_mode & 0o7777) == "0o3770"  # team-writable, setgid, sticky
    assert oct(os.stat(folder / "suptui-alice.pub").st_mode & 0o777) == "0o640"  # the team reads it; not the world


def test_a_colleague_cannot_replace_a_published_key(team_folder):
    alice = publish_as("suptui-alice", team_folder)
    bob = publish_as("suptui-bob", team_folder, under="suptui-alice")
    assert not bob["ok"] and "not yours" in bob["message"]
    assert published_key(team_folder / "team.json", "suptui-alice").key == PublicKey(alice["key"])


def test_a_key_published_under_someone_elses_name_is_named_as_theirs(team_folder):
    """Bob gets in first and writes a key under alice's name: the file is bob's, and says so."""
    bob = publish_as("suptui-bob", team_folder, under="suptui-alice")
    assert bob["ok"]
    found = published_key(team_folder / "team.json", "suptui-alice")
    assert found.key is None
    assert "belongs to suptui-bob, not suptui-alice" in (found.problem or "")


def test_a_published_key_others_could_change_does_not_count(team_folder):
    publish_as("suptui-alice", team_folder)
    os.chmod(keys_folder(team_folder / "team.json") / "suptui-alice.pub", 0o660)
    found = published_key(team_folder / "team.json", "suptui-alice")
    assert found.key is None and "can be changed by others" in (found.problem or "")


def test_no_published_key_and_unknown_logins_are_explained(tmp_path):
    record = tmp_path / "team.json"
    assert "published no key" in (published_key(record, "root").problem or "")
    assert "no login" in (published_key(record, "nobody-here-xyz").problem or "")
    assert "cannot name" in (published_key(record, "../etc/passwd").problem or "")
    with pytest.raises(SigningKeyError):
        publish(record, "../x", own_key(tmp_path / "k").public)


def test_a_keys_folder_replaced_by_a_link_is_not_followed(tmp_path):
    record = tmp_path / "team" / "team.json"
    record.parent.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "root.pub").write_text(f"ed25519 {own_key(tmp_path / 'k').public.text} root\n")
    os.chmod(elsewhere / "root.pub", 0o644)
    keys_folder(record).symlink_to(elsewhere)
    found = published_key(record, "root")
    assert found.key is None and "a link is not followed" in (found.problem or "")
