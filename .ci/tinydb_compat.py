"""TinyDB's own test suite, run with our storage in place of TinyDB's JSONStorage.

    python .ci/tinydb_compat.py [--sdist PATH] [--storage MODULE:CLASS] [--keep]

It fetches the sdist of the installed TinyDB (``pip download``, or ``--sdist``: the unpacked folder or
the .tar.gz), copies its ``tests/`` into a temp folder and runs them there with plain pytest: no
plugins of ours, no xdist, not our pytest settings or conftest. This file is also the pytest plugin
for that run (``-p tinydb_compat``): before TinyDB's conftest is imported it puts our class in place
of ``JSONStorage`` wherever TinyDB names it (``tinydb``, ``tinydb.storages``, ``tinydb.database``
and ``TinyDB.default_storage_class``), and afterwards it checks that every test module saw ours and
that ours was used.

The result is judged against ``EXPECTED``: the few tests that cannot hold for a file that is locked
and replaced whole, each with the reason. Exit status: 0 when exactly those fail (each for its
stated reason); 1 when any other test fails, or an expected one passes or fails for another reason
(then say why in ``EXPECTED``, or remove it); 2 when the suite could not be run at all.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_STORAGE = "supervisor_tui.storage.jsonfile:SafeJSONStorage"
STORAGE_ENV = "TINYDB_COMPAT_STORAGE"  # set for the child pytest: the class to swap in
REPORT_ENV = "TINYDB_COMPAT_REPORT"  # where the child pytest writes what happened
PLUGIN = Path(__file__).stem


@dataclass(frozen=True)
class Expected:
    fails_with: str  # a piece of the failure's text that shows it failed for the reason below
    why: str


EXPECTED: dict[str, Expected] = {
    "tests/test_storages.py::test_json_invalid_mode_warning": Expected(
        fails_with="access_mode 'w' is refused",
        why=(
            "JSONStorage opens the file with any access mode and only warns for those other than r/r+; "
            "'w' empties the file on opening and 'a' appends a second document to it. A file that is only "
            "ever replaced whole is never opened to write in place, so SafeJSONStorage refuses these modes "
            "with ValueError instead of warning and then damaging the record."
        ),
    ),
    "tests/test_middlewares.py::test_caching_json_write": Expected(
        fails_with="no attribute '_handle'",
        why=(
            "checks JSONStorage's private _handle, the file object it keeps open for writing in place. "
            "SafeJSONStorage keeps no descriptor of the file between calls: every write puts a new file "
            "(a new inode) in place, so a kept handle would go on reading the replaced one. The rest of "
            "the test (flush on close, reopen and read back) holds."
        ),
    ),
    "tests/test_tables.py::test_table_repr[json]": Expected(
        fails_with="SafeJSONStorage object at",
        why=(
            "matches the table's repr against the class name tinydb.storages.JSONStorage, so only TinyDB's "
            "own class can pass it; the same test passes with our class's name in that place."
        ),
    ),
}


# -- the plugin, inside the child pytest -----------------------------------------------------------
_made = 0
_results: dict[str, dict[str, str]] = {}


def _storage_class() -> type:
    module, _, name = os.environ[STORAGE_ENV].partition(":")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def _swap_in(cls: type) -> None:
    import tinydb
    import tinydb.database
    import tinydb.storages

    tinydb.JSONStorage = cls  # type: ignore[misc]  # what `from tinydb import JSONStorage` finds
    tinydb.storages.JSONStorage = cls  # type: ignore[misc]
    tinydb.database.JSONStorage = cls  # type: ignore[attr-defined]
    tinydb.database.TinyDB.default_storage_class = cls  # type: ignore[assignment]  # TinyDB(path, ...)

    init = cls.__init__

    @functools.wraps(init)
    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        global _made
        _made += 1
        init(self, *args, **kwargs)

    cls.__init__ = counting_init  # type: ignore[misc]


def pytest_load_initial_conftests(early_config: Any, parser: Any, args: Any) -> None:
    """Runs before TinyDB's tests/conftest.py and the test modules import ``JSONStorage``."""
    if STORAGE_ENV in os.environ:
        _swap_in(_storage_class())


def pytest_runtest_logreport(report: Any) -> None:
    result = _results.setdefault(report.nodeid, {"outcome": "passed", "text": ""})
    if report.failed:
        result["outcome"] = "failed"
        result["text"] += f"[{report.when}] {report.longreprtext}\n"
    elif report.skipped and result["outcome"] == "passed":
        result["outcome"] = "skipped"


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if REPORT_ENV not in os.environ:
        return
    import tinydb
    import tinydb.storages

    cls = _storage_class()
    run_folder = str(session.config.rootpath)
    unswapped = sorted(
        name
        for name, module in list(sys.modules.items())
        if str(getattr(module, "__file__", None) or "").startswith(run_folder)
        and getattr(module, "JSONStorage", cls) is not cls
    )
    report = {
        "exitstatus": int(exitstatus),
        "storage": f"{cls.__module__}.{cls.__qualname__}",
        "storage_file": sys.modules[cls.__module__].__file__,
        "tinydb_file": tinydb.__file__,
        "swapped": tinydb.storages.JSONStorage is cls and tinydb.TinyDB.default_storage_class is cls,
        "unswapped": unswapped,
        "made": _made,
        "tests": _results,
    }
    Path(os.environ[REPORT_ENV]).write_text(json.dumps(report), encoding="utf-8")


# -- judging the result ------------------------------------------------------------------------------
@dataclass
class Verdict:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    expected_failures: list[str] = field(default_factory=list)
    unexpected: dict[str, str] = field(default_factory=dict)  # failed, not expected: node id -> failure text
    wrong_reason: dict[str, str] = field(default_factory=dict)  # expected, but failed for another reason
    now_passing: list[str] = field(default_factory=list)  # expected to fail, passed
    not_run: list[str] = field(default_factory=list)  # expected to fail, no longer in the suite (or skipped)

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped

    @property
    def ok(self) -> bool:
        return not (self.unexpected or self.wrong_reason or self.now_passing or self.not_run)


def judge(tests: dict[str, dict[str, str]], expected: dict[str, Expected]) -> Verdict:
    verdict = Verdict()
    for node, result in sorted(tests.items()):
        outcome = result["outcome"]
        if outcome == "skipped":
            verdict.skipped += 1
            continue
        if outcome == "passed":
            verdict.passed += 1
            if node in expected:
                verdict.now_passing.append(node)
            continue
        verdict.failed += 1
        if node not in expected:
            verdict.unexpected[node] = result["text"]
        elif expected[node].fails_with not in result["text"]:
            verdict.wrong_reason[node] = result["text"]
        else:
            verdict.expected_failures.append(node)
    ran = {node for node, result in tests.items() if result["outcome"] != "skipped"}
    verdict.not_run = sorted(set(expected) - ran)
    return verdict


def _excerpt(text: str, lines: int = 30) -> str:
    kept = text.rstrip().splitlines()
    if len(kept) > lines:
        kept = kept[:10] + [f"    ... ({len(kept) - lines} lines left out) ..."] + kept[-(lines - 10) :]
    return "\n".join("    " + line for line in kept)


def describe(verdict: Verdict, expected: dict[str, Expected]) -> str:
    out = [
        f"{verdict.passed} passed, {verdict.failed} failed, {verdict.skipped} skipped, of {verdict.total}; "
        f"{len(verdict.expected_failures)} of the {verdict.failed} failures expected."
    ]
    if verdict.expected_failures:
        out.append("\nExpected failures (they cannot hold for a locked, atomically replaced file):")
        for node in verdict.expected_failures:
            out.append(f"  {node}\n    {expected[node].why}")
    for title, nodes in (
        ("FAILED, NOT EXPECTED", verdict.unexpected),
        ("EXPECTED TO FAIL, BUT FAILED FOR ANOTHER REASON (expected the text {what!r})", verdict.wrong_reason),
    ):
        for node, text in nodes.items():
            what = expected[node].fails_with if node in expected else ""
            out.append(f"\n{title.format(what=what)}: {node}\n{_excerpt(text)}")
    for node in verdict.now_passing:
        out.append(f"\nEXPECTED TO FAIL, NOW PASSES: {node}\n  Remove it from EXPECTED in {Path(__file__).name}.")
    for node in verdict.not_run:
        out.append(
            f"\nEXPECTED TO FAIL, NOT RUN: {node}\n  It is no longer in TinyDB's suite (or was skipped); "
            f"update EXPECTED in {Path(__file__).name}."
        )
    return "\n".join(out)


# -- getting and running the suite -------------------------------------------------------------------
class CannotRun(Exception):
    pass


def _sdist_version(folder: Path) -> str:
    pkg_info = folder / "PKG-INFO"
    if not pkg_info.is_file():
        raise CannotRun(f"{folder} has no PKG-INFO: not an unpacked sdist.")
    for line in pkg_info.read_text(encoding="utf-8").splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise CannotRun(f"{pkg_info} names no version.")


def _unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")  # no links out, no absolute paths, no devices
    folders = [p for p in into.iterdir() if p.is_dir()]
    if len(folders) != 1:
        raise CannotRun(f"{archive} does not unpack to one folder.")
    return folders[0]


def fetch_sdist(version: str, into: Path) -> Path:
    """Download TinyDB's sdist of this version with pip and unpack it; the unpacked folder."""
    download = into / "download"
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
    done = subprocess.run(
        [*command, f"tinydb=={version}", "-d", str(download)], capture_output=True, text=True, timeout=300
    )
    archives = sorted(download.glob("tinydb-*.tar.gz")) if download.is_dir() else []
    if done.returncode or not archives:
        raise CannotRun(f"pip could not download the sdist of tinydb {version}:\n{done.stderr.strip()}")
    return _unpack(archives[0], into / "sdist")


def find_sdist(given: Path | None, version: str, work: Path) -> Path:
    if given is None:
        return fetch_sdist(version, work)
    if given.is_file():
        return _unpack(given, work / "sdist")
    if given.is_dir():
        return given
    raise CannotRun(f"{given} is neither an unpacked sdist folder nor a .tar.gz.")


def run_suite(sdist: Path, storage: str, work: Path) -> dict[str, Any]:
    """Run the sdist's tests/ in a folder of their own with ``storage`` swapped in; the plugin's report."""
    if not (sdist / "tests").is_dir():
        raise CannotRun(f"{sdist} has no tests/ folder.")
    run = work / "run"
    shutil.copytree(sdist / "tests", run / "tests")  # the tests only: TinyDB itself is the installed one
    ini = run / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")  # our pyproject's addopts (-n auto) and markers stay out
    report = work / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHONPATH"))}
    env.update(
        {
            "PYTHONPATH": str(Path(__file__).parent),  # this file, as the plugin
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # no xdist, asyncio, snapshot... just pytest
            STORAGE_ENV: storage,
            REPORT_ENV: str(report),
        }
    )
    command = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(run), "--confcutdir", str(run)]
    command += ["--basetemp", str(work / "tmp"), "-p", "no:xdist", "-p", "no:cacheprovider", "-p", PLUGIN]
    command += ["-q", "--tb=short", "-o", "console_output_style=classic", "tests"]
    try:
        done = subprocess.run(command, cwd=run, env=env, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        raise CannotRun("TinyDB's suite did not finish within 15 minutes.") from None
    output = (done.stdout + done.stderr).strip()
    if not report.is_file():
        raise CannotRun(f"pytest stopped before running the suite (exit {done.returncode}):\n{output[-4000:]}")
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if result["exitstatus"] not in (0, 1):  # 1 is "some tests failed"; anything else is pytest's own trouble
        raise CannotRun(f"pytest ended with exit status {result['exitstatus']}:\n{output[-4000:]}")
    if not result["swapped"] or result["unswapped"] or not result["made"]:
        raise CannotRun(
            f"{storage} was not put in place of JSONStorage everywhere (swapped: {result['swapped']}, "
            f"modules still on TinyDB's: {result['unswapped']}, instances made: {result['made']})."
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdist", type=Path, help="TinyDB's sdist, unpacked or .tar.gz (default: pip download)")
    parser.add_argument("--storage", default=DEFAULT_STORAGE, help=f"the class to test (default {DEFAULT_STORAGE})")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and say where it is")
    args = parser.parse_args(argv)
    version = importlib.metadata.version("tinydb")
    work = Path(tempfile.mkdtemp(prefix="tinydb-compat-"))
    try:
        sdist = find_sdist(args.sdist, version, work)
        if _sdist_version(sdist) != version:
            raise CannotRun(
                f"{sdist} holds TinyDB {_sdist_version(sdist)}'s tests, but TinyDB {version} is installed; "
                "give the sdist of the installed version."
            )
        result = run_suite(sdist, args.storage, work)
    except CannotRun as exc:
        print(f"tinydb_compat: could not run TinyDB's tests: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"tinydb_compat: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    expected = EXPECTED if args.storage == DEFAULT_STORAGE else {}
    verdict = judge(result["tests"], expected)
    print(f"TinyDB {version}'s own tests, with {result['storage']} ({result['storage_file']}) as JSONStorage:")
    print(describe(verdict, expected))
    print("OK" if verdict.ok else "FAILED: TinyDB compatibility is not as expected (see above).")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
