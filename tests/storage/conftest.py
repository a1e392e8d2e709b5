"""Helpers for storage tests: child processes that write through the public Store API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from supervisor_tui.storage import Store, Actor
path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(path, actor=Actor(login=tag, uid=1000))
for i in range(count):
    rec = store.create("notes", "N", {"writer": tag, "n": i})
    store.update("notes", rec["id"], {"writer": tag, "n": i, "checked": True}, rec["version"])
    print(rec["id"], flush=True)
"""

COUNTER = r"""
import sys
from supervisor_tui.storage import Store
path, count = sys.argv[1], int(sys.argv[2])
store = Store(path)
for _ in range(count):
    with store.transaction() as txn:
        current = txn.current("counters", "K-0001")
        txn.update("counters", "K-0001", {"value": current["value"] + 1}, current["version"])
"""

CRASHY = r"""
import sys
from supervisor_tui.storage import Store
store = Store(sys.argv[1])
i = 0
while True:
    rec = store.create("notes", "N", {"n": i, "pad": "x" * 2000})
    print(rec["id"], flush=True)  # acknowledged: create() returned, so it must survive a crash
    i += 1
"""


def spawn(script: str, *args: object, stdout=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )


def _env() -> dict:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "record.json"


# -- real users in a real group, for the shared-folder tests ----------------------------------------
TEAM_GROUP = "suptui-team"
TEAM_USERS = ("suptui-alice", "suptui-bob")

AS_USER = r"""
import grp, json, os, pwd, sys
from supervisor_tui.storage import Store  # import while still root: other users cannot read root's Python
import supervisor_tui.storage.signing  # noqa: F401  (imported at the first save otherwise: by then unreadable)
import encodings.ascii  # noqa: F401  (loaded lazily otherwise, by then from a folder the user cannot read)
from supervisor_tui.storage.errors import StoreError
login, umask, path, action = sys.argv[1], int(sys.argv[2], 8), sys.argv[3], sys.argv[4]
user = pwd.getpwnam(login)
os.setgroups([g.gr_gid for g in grp.getgrall() if login in g.gr_mem] + [user.pw_gid])
os.setgid(user.pw_gid)
os.setuid(user.pw_uid)
os.umask(umask)
# Their own config folder, for the signing key made on first use (the test users have no home folder).
os.environ["XDG_CONFIG_HOME"] = config = f"/tmp/suptui-config-{login}"
os.makedirs(config, mode=0o700, exist_ok=True)
try:
    store = Store(path)
    if action in ("save", "save and checkpoint"):
        store.create("notes", "N", {"by": login})
    if action == "save and checkpoint":
        store.checkpoint()
    if action == "save a private note":
        store.create("notes", "N", {"by": login, "text": f"PRIVATE-{login}-sick-note"})
    if action == "erase private notes":
        from supervisor_tui.storage import Erasure
        named = [Erasure("notes", r["id"], {"text": None}) for r in store.records("notes") if r.get("text")]
        store.erase(named, "retention period over")
    print(json.dumps({"ok": True, "head": store.head[0], "read_only": store.read_only}))
except StoreError as exc:
    print(json.dumps({"ok": False, "kind": type(exc).__name__, "message": str(exc)}))
"""


def _ensure_team_users() -> None:
    import fcntl

    with open("/tmp/suptui-test-users.lock", "w") as guard:  # xdist workers create them one at a time
        fcntl.flock(guard, fcntl.LOCK_EX)
        if subprocess.run(["getent", "group", TEAM_GROUP], capture_output=True).returncode:
            subprocess.run(["groupadd", TEAM_GROUP], check=True)
        for login in TEAM_USERS:
            if subprocess.run(["id", login], capture_output=True).returncode:
                subprocess.run(
                    ["useradd", "-M", "-N", "-g", "users", "-G", TEAM_GROUP, "-s", "/usr/sbin/nologin", login],
                    check=True,
                )


@pytest.fixture
def team_folder(tmp_path_factory):
    """A setgid folder owned by the supervisors' group, reachable by the test users (who are not root)."""
    import grp
    import os
    import shutil
    import tempfile

    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root to create real users")
    _ensure_team_users()
    outer = Path(tempfile.mkdtemp(prefix="suptui-team-", dir="/tmp"))
    os.chmod(outer, 0o711)
    folder = outer / "team"
    folder.mkdir()
    os.chown(folder, 0, grp.getgrnam(TEAM_GROUP).gr_gid)
    os.chmod(folder, 0o2770)
    yield folder
    shutil.rmtree(outer, ignore_errors=True)


def as_user(login: str, path: Path, action: str = "save", umask: str = "022") -> dict:
    """Open the record (and save a note) as a real other user, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", AS_USER, login, umask, str(path), action],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return json.loads(out.stdout)


def journal_entries(record: Path) -> list[dict]:
    """Every line of a record's journal, parsed (the journal is beside the record: team.json -> team.journal)."""
    from supervisor_tui.storage.journal import journal_name

    text = record.with_name(journal_name(record.name)).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]
