"""The command line and the files it is given: exports written safely, odd or damaged files refused with
exit 2 and a message (never a traceback, never a hang), clock problems said out loud."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.storage import Store

from .test_cli import TEAM_CSV, run


@pytest.fixture
def team_file(tmp_path):
    path = tmp_path / "team.json"
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_an_export_to_a_file_is_never_world_readable(team_file, tmp_path, umask):
    out = tmp_path / "people.csv"
    old = os.umask(umask)
    try:
        assert cli.main(["export", "team", "--db", str(team_file), "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(out).st_mode) & 0o007 == 0
    assert out.read_text().startswith("name,job_title")


def test_an_export_replaces_the_old_one_whole_or_not_at_all(team_file, tmp_path, capsys):
    out = tmp_path / "pack.md"
    out.write_text("last month's pack\n")
    os.chmod(out, 0o644)
    assert (
        cli.main(
            ["export", "one-to-ones", "--member", "Nobody", "--format", "md", "--db", str(team_file), "-o", str(out)]
        )
        == 2
    )  # refused before anything is written
    assert out.read_text() == "last month's pack\n"
    assert cli.main(["export", "team", "--db", str(team_file), "-o", str(out)]) == 0
    assert out.read_text().startswith("name,") and stat.S_IMODE(os.stat(out).st_mode) == 0o640
    assert [n for n in os.listdir(tmp_path) if n.startswith(".pack.md.tmp-")] == []


def test_dash_means_standard_output(team_file, tmp_path, capsys):
    assert cli.main(["export", "team", "--db", str(team_file), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("name,job_title")
    assert not (tmp_path / "-").exists()


def test_an_export_into_a_folder_is_refused(team_file, tmp_path, capsys):
    assert cli.main(["export", "team", "--db", str(team_file), "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_importing_from_something_that_is_not_a_file_is_refused_at_once(tmp_path, kind):
    odd = tmp_path / "team.csv"
    if kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(odd)  # reading it would wait for a writer for ever
    result = run("import", "team", str(odd), "--db", str(tmp_path / "t.json"))
    assert result.returncode == 2 and "not a plain file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["folder", "fifo"])
@pytest.mark.parametrize(
    "command", [[], ["verify"], ["export", "team"], ["check", "rota", "--from", "mon", "--to", "sun"]]
)
def test_a_record_path_that_is_not_a_file_exits_2_without_waiting(tmp_path, kind, command):
    odd = tmp_path / "team.json"
    if kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(odd)
    result = run(*command, "--db", str(odd))
    assert result.returncode == 2 and "Traceback" not in result.stderr and str(odd) in result.stderr


DAMAGE = {
    "a row that is not a record": lambda d: d["members"].update({"9": "oops"}),
    "a gap in the audit log": lambda d: d["audit"].pop("2"),
    "a malformed audit entry": lambda d: d["audit"].update({"3": {"seq": 3, "at": 5}}),
    "nonsense metadata": lambda d: d["meta"]["1"].update({"schema": [1]}),
    # The last entry's time is read at once (is this machine's clock behind?): this one was a TypeError.
    "a last entry dated with no time zone": lambda d: d["audit"][str(len(d["audit"]))].update(
        {"at": "2026-11-22T10:00:00"}
    ),
    "an entry whose 'after' is not a record": lambda d: d["audit"]["2"].update({"after": "x"}),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
@pytest.mark.parametrize(
    "command", [[], ["export", "team"], ["import", "team", "CSV"], ["check", "rota", "--from", "mon", "--to", "sun"]]
)
def test_a_damaged_record_is_refused_by_every_command_with_exit_2(team_file, tmp_path, damage, command):
    data = json.loads(team_file.read_text())
    DAMAGE[damage](data)
    team_file.write_text(json.dumps(data))
    before = team_file.read_bytes()
    csv = tmp_path / "more.csv"
    csv.write_text(TEAM_CSV.replace("Sam Patel", "Sam Other").replace("Chloe Evans", "Chloe Other"))
    result = run(*[str(csv) if a == "CSV" else a for a in command], "--db", str(team_file))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "damaged" in result.stderr
    assert team_file.read_bytes() == before


@pytest.mark.parametrize("damage", list(DAMAGE)[:3])
def test_verify_lists_what_is_damaged_with_exit_1(team_file, damage):
    data = json.loads(team_file.read_text())
    DAMAGE[damage](data)
    team_file.write_text(json.dumps(data))
    result = run("verify", "--db", str(team_file))
    assert result.returncode == 1 and "FAILED" in result.stdout and "Traceback" not in result.stderr


def test_deeply_nested_json_exits_2_instead_of_a_recursion_traceback(tmp_path):
    path = tmp_path / "team.json"
    path.write_bytes(b'{"meta": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}")
    for command in ([], ["verify"], ["export", "team"]):
        result = run(*command, "--db", str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_verify_warns_about_entries_dated_before_the_one_before(tmp_path):
    path = tmp_path / "team.json"
    noon = datetime(2026, 11, 22, 12, tzinfo=UTC)
    Store(str(path), clock=lambda: noon).create("members", "M", {"name": "Sam"})
    Store(str(path), clock=lambda: noon - timedelta(hours=2)).create("members", "M", {"name": "Aisha"})
    result = run("verify", "--db", str(path))
    assert result.returncode == 0  # a clock that was wrong is not tampering
    assert "warning: audit entry 3 " in result.stdout and "before entry 2" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("OK: 3 entries")


def test_commands_say_when_this_machines_clock_is_behind_the_record(team_file):
    ahead = Clock().now() + timedelta(hours=3)
    Store(str(team_file), clock=lambda: ahead).create("members", "M", {"name": "From a fast clock"})
    result = run("export", "team", "--db", str(team_file))
    assert result.returncode == 0
    assert "warning: this machine's clock is 3 hours behind" in result.stderr


RAW_DAMAGE = {
    "a number Python will not read": lambda t: t.replace('"contract_hours": 37.5', '"contract_hours": ' + "9" * 5000),
    "text that is not Unicode": lambda t: t.replace('"name": "Sam Patel"', '"name": "Sam \\udc00Patel"'),
}


@pytest.mark.parametrize("damage", RAW_DAMAGE, ids=list(RAW_DAMAGE))
@pytest.mark.parametrize("command", [["verify"], ["export", "team"], ["import", "team", "CSV"]])
def test_json_python_cannot_use_exits_2_with_a_message_not_a_traceback(team_file, tmp_path, damage, command):
    text = team_file.read_text()
    damaged = RAW_DAMAGE[damage](text)
    assert damaged != text
    team_file.write_text(damaged)
    csv = tmp_path / "more.csv"
    csv.write_text(TEAM_CSV.replace("Sam Patel", "Sam Other").replace("Chloe Evans", "Chloe Other"))
    result = run(*[str(csv) if a == "CSV" else a for a in command], "--db", str(team_file))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "not been changed" in result.stderr
    assert team_file.read_text() == damaged


def test_verify_fails_a_file_that_gives_a_key_twice(team_file):
    """json keeps the last of two equal keys, and so does jq, but other readers keep the first: a second
    'members' row 1 placed before the real one shows an auditor's tool a different person."""
    text = team_file.read_text()
    forged = '"members":{"1":{"id":"M-0001","version":1,"name":"Someone Else"},'
    assert '"members":{' in text
    team_file.write_text(text.replace('"members":{', forged, 1))
    result = run("verify", "--db", str(team_file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("FAILED: the file gives the key '1' twice in one object")
