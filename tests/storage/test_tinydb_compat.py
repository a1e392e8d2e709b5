"""The script that runs TinyDB's own test suite against SafeJSONStorage (.ci/tinydb_compat.py).

The whole run needs TinyDB's sdist; it is run here only when a copy is on this machine (set
TINYDB_SDIST to an unpacked sdist or its .tar.gz), so the suite never needs the network. CI runs
the script itself, downloading the sdist.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPT = ROOT / ".ci" / "tinydb_compat.py"


def _script():
    name = "tinydb_compat_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up while being made
        spec.loader.exec_module(module)
    return sys.modules[name]


def _local_sdist() -> Path | None:
    version = importlib.metadata.version("tinydb")
    for place in (os.environ.get("TINYDB_SDIST"), f"/tmp/tinydb-sdist/tinydb-{version}"):
        if place and Path(place).exists():
            return Path(place)
    return None


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600
    )


@pytest.mark.slow
def test_tinydb_own_suite_passes_but_for_the_named_exceptions():
    sdist = _local_sdist()
    if sdist is None:
        pytest.skip("no local copy of TinyDB's sdist (set TINYDB_SDIST); CI runs the script itself")
    done = _run("--sdist", str(sdist))
    assert done.returncode == 0, done.stdout + done.stderr
    assert str(ROOT / "storage" / "jsonfile.py") in done.stdout  # this checkout's storage was the one tested
    for node in _script().EXPECTED:
        assert node in done.stdout
    assert done.stdout.rstrip().endswith("OK")


def test_an_sdist_of_another_version_is_refused(tmp_path):
    fake = tmp_path / "tinydb-0.1"
    (fake / "tests").mkdir(parents=True)
    (fake / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: tinydb\nVersion: 0.1\n")
    done = _run("--sdist", str(fake))
    assert done.returncode == 2
    assert "TinyDB 0.1's tests" in done.stderr and "installed" in done.stderr


def _result(outcome: str, text: str = "") -> dict[str, str]:
    return {"outcome": outcome, "text": text}


def test_exactly_the_expected_failures_is_ok():
    script = _script()
    expected = {"t.py::a": script.Expected(fails_with="refused", why="because")}
    verdict = script.judge(
        {"t.py::a": _result("failed", "E ValueError: refused"), "t.py::b": _result("passed")}, expected
    )
    assert verdict.ok and (verdict.passed, verdict.failed, verdict.total) == (1, 1, 2)
    assert "because" in script.describe(verdict, expected)


def test_any_other_outcome_is_reported():
    script = _script()
    expected = {
        "t.py::passes_now": script.Expected(fails_with="x", why="w"),
        "t.py::other_reason": script.Expected(fails_with="refused", why="w"),
        "t.py::gone": script.Expected(fails_with="x", why="w"),
    }
    tests = {
        "t.py::passes_now": _result("passed"),
        "t.py::other_reason": _result("failed", "E KeyError: 'x'"),
        "t.py::new_failure": _result("failed", "E AssertionError: boom"),
        "t.py::skipped": _result("skipped"),
    }
    verdict = script.judge(tests, expected)
    assert not verdict.ok
    assert verdict.now_passing == ["t.py::passes_now"]
    assert list(verdict.wrong_reason) == ["t.py::other_reason"]
    assert list(verdict.unexpected) == ["t.py::new_failure"]
    assert verdict.not_run == ["t.py::gone"]
    assert verdict.skipped == 1
    text = script.describe(verdict, expected)
    for words in ("NOW PASSES: t.py::passes_now", "FAILED, NOT EXPECTED: t.py::new_failure", "boom", "NOT RUN"):
        assert words in text


def test_every_expected_failure_says_why():
    for node, expected in _script().EXPECTED.items():
        assert node.startswith("tests/") and "::" in node
        assert expected.fails_with and len(expected.why) > 60, node
