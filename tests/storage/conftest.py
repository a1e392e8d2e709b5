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
from storage import Store, Actor
path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(path, actor=Actor(login=tag, uid=1000))
for i in range(count):
    rec = store.create("notes", "N", {"writer": tag, "n": i})
    store.update("notes", rec["id"], {"writer": tag, "n": i, "checked": True}, rec["version"])
    print(rec["id"], flush=True)
"""

COUNTER = r"""
import sys
from storage import Store
path, count = sys.argv[1], int(sys.argv[2])
store = Store(path)
for _ in range(count):
    with store.transaction() as txn:
        current = txn.current("counters", "K-0001")
        txn.update("counters", "K-0001", {"value": current["value"] + 1}, current["version"])
"""

CRASHY = r"""
import sys
from storage import Store
store = Store(sys.argv[1])
i = 0
while True:
    rec = store.create("notes", "N", {"n": i, "pad": "x" * 2000})
    print(rec["id"], flush=True)  # acknowledged: create() returned, so it must survive a crash
    i += 1
"""


def spawn(script: str, *args: object, stdout=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=stdout,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_env())


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
