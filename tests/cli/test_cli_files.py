"""The command line and the files it is given: exports written safely, odd or damaged files refused with
exit 2 and a message (never a traceback, never a hang), clock problems said out loud."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.storage import Store, verify_record

from ..conftest import record_files
from ..storage.test_tamper import journal_of, read_lines, rechain, write_lines
from .test_cli import TEAM_CSV, run


def files_of(path) -> list[bytes | None]:
    """The bytes of every file of the record (None where there is none), to prove they were left alone."""
    return [p.read_bytes() if p.exists() else None for p in record_files(path)]


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


def _snapshot(change):
    def damage(path):
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))

    return damage


def _journal(change, seq: int, *, relink: bool = False):
    """Change journal entry ``seq`` by hand; with ``relink``, hashed again with every later link rewritten."""

    def damage(path):
        entries = read_lines(path)
        changed = change(entries, seq - 1)
        write_lines(path, rechain(changed, seq - 1) if relink else changed)

    return damage


def _drop(entries, i):
    return entries[:i] + entries[i + 1 :]


def _replace(value):
    def change(entries, i):
        entries[i] = value
        return entries

    return change


def _update(**fields):
    def change(entries, i):
        entries[i].update(fields)
        return entries

    return change


def _no_time_zone_last(path):
    entries = read_lines(path)
    entries[-1]["at"] = "2026-11-22T10:00:00"
    write_lines(path, rechain(entries, len(entries) - 1))


# The team file: 1 init and 2 the key (the snapshot holds the records at 2), 3-4 the two members imported.
# The journal is the record: a damaged journal is refused by every command and left alone.
# name: (damage, what verify says about it)
JOURNAL_DAMAGE = {
    "a gap in the journal": (_journal(_drop, 3), "(entry 3) has seq 4 where 3 was due"),
    "a malformed journal entry": (
        _journal(_replace({"seq": 3, "at": 5}), 3),
        "(entry 3) does not link to the entry before it",
    ),
    # The last entry's time is read at once (is this machine's clock behind?): this one was a TypeError.
    "a last entry dated with no time zone": (
        _no_time_zone_last,
        "FAILED: journal entry 4 (create M-0002): its time '2026-11-22T10:00:00' is not a UTC time stamp",
    ),
    "an entry whose change is not [old, new]": (
        _journal(_update(changes={"name": "x"}), 3, relink=True),
        "FAILED: journal entry 3 (create M-0001): its change to 'name' is not [old, new] sealed values",
    ),
}
# The snapshot is a cache of the journal: a damaged one is read past, said, and written again.
# name: (damage, what the command says about it, what verify says about it, or None if it cannot read it)
SNAPSHOT_DAMAGE = {
    "a row that is not a record": (
        _snapshot(lambda d: d.setdefault("members", {}).update({"9": "oops"})),
        "table members has a row '9' that is not a record",
        "FAILED: table members: record 9 is not in the journal (added outside the app)",
    ),
    "a snapshot that does not say where it stands in the journal": (
        _snapshot(lambda d: d["meta"]["1"].pop("journal")),
        "its metadata does not say which journal position it holds",
        "its metadata does not say which journal position it holds",
    ),
    "nonsense metadata": (
        _snapshot(lambda d: d["meta"]["1"].update({"schema": [1]})),
        "has damaged metadata (schema [1])",
        None,
    ),
}

COMMANDS = [
    ["export", "team"],
    ["import", "team", "CSV"],
    ["check", "rota", "--from", "16/11/2026", "--to", "22/11/2026"],
]
# Starting the app takes twice as long as any command: it is tried with two kinds of damage.
APP_DAMAGE = ["a gap in the journal", "an entry whose change is not [old, new]"]


def _run_on(team_file, tmp_path, command) -> subprocess.CompletedProcess:
    csv = tmp_path / "more.csv"
    csv.write_text(TEAM_CSV.replace("Sam Patel", "Sam Other").replace("Chloe Evans", "Chloe Other"))
    return run(*[str(csv) if a == "CSV" else a for a in command], "--db", str(team_file))


@pytest.mark.parametrize(
    "damage, command", [(d, c) for d in JOURNAL_DAMAGE for c in COMMANDS] + [(d, []) for d in APP_DAMAGE]
)
def test_a_damaged_journal_is_refused_by_every_command_with_exit_2(team_file, tmp_path, damage, command):
    JOURNAL_DAMAGE[damage][0](team_file)
    before = files_of(team_file)
    result = _run_on(team_file, tmp_path, command)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "damaged" in result.stderr
    assert files_of(team_file) == before


@pytest.mark.parametrize("damage, command", [(d, c) for d in SNAPSHOT_DAMAGE for c in COMMANDS])
def test_a_damaged_snapshot_is_read_past_by_every_command_which_says_so(team_file, tmp_path, damage, command):
    SNAPSHOT_DAMAGE[damage][0](team_file)
    journal = journal_of(team_file).read_bytes()
    result = _run_on(team_file, tmp_path, command)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"supervisor-tui: record snapshot rebuilt: {team_file}" in result.stderr
    assert SNAPSHOT_DAMAGE[damage][1] in result.stderr
    assert journal_of(team_file).read_bytes().startswith(journal)  # nothing of the record lost
    assert verify_record(team_file).ok


@pytest.mark.parametrize(
    "damage", [*JOURNAL_DAMAGE, *(name for name, (_d, _s, said) in SNAPSHOT_DAMAGE.items() if said is not None)]
)
def test_verify_lists_what_is_damaged_with_exit_1(team_file, damage):
    (JOURNAL_DAMAGE[damage] if damage in JOURNAL_DAMAGE else SNAPSHOT_DAMAGE[damage])[0](team_file)
    finding = JOURNAL_DAMAGE[damage][1] if damage in JOURNAL_DAMAGE else SNAPSHOT_DAMAGE[damage][2]
    result = run("verify", "--db", str(team_file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("FAILED: ") and finding in result.stdout


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
    store = Store(str(path), clock=lambda: noon - timedelta(hours=2))
    store.create("members", "M", {"name": "Aisha"})
    result = run("verify", "--db", str(path))
    assert result.returncode == 0  # a clock that was wrong is not tampering
    assert f"warning: journal entry 4 by {store.actor.login} is dated 2026-11-22T10:00:00.000000Z, before entry 3 " in (
        result.stdout
    )
    assert result.stdout.strip().splitlines()[-1].startswith("OK: 4 entries")


def test_commands_say_when_this_machines_clock_is_behind_the_record(team_file):
    ahead = Clock().now() + timedelta(hours=3)
    Store(str(team_file), clock=lambda: ahead).create("members", "M", {"name": "From a fast clock"})
    result = run("export", "team", "--db", str(team_file))
    assert result.returncode == 0
    assert "warning: this machine's clock is 3 hours behind" in result.stderr


RAW_DAMAGE = {
    "a number Python will not read": ("37.5", "9" * 5000),
    "text that is not Unicode": ('"Sam Patel"', '"Sam \\udc00Patel"'),
}


def _raw_damage(team_file, where: str, damage: str) -> None:
    old, new = RAW_DAMAGE[damage]
    if where == "snapshot":
        Store(str(team_file)).checkpoint()  # the members in the snapshot too, as a TinyDB reader sees them
        key = '"contract_hours": ' if old == "37.5" else '"name": '
        path = team_file
    else:
        key = '"v":'
        path = journal_of(team_file)
    text = path.read_text()
    assert text.count(key + old) == 1, text
    path.write_text(text.replace(key + old, key + new))


@pytest.mark.parametrize("damage", RAW_DAMAGE)
@pytest.mark.parametrize("where", ["snapshot", "journal"])
@pytest.mark.parametrize("command", [["verify"], ["export", "team"], ["import", "team", "CSV"]])
def test_json_python_cannot_use_is_a_message_never_a_traceback(team_file, tmp_path, damage, where, command):
    _raw_damage(team_file, where, damage)
    before = files_of(team_file)
    result = _run_on(team_file, tmp_path, command)
    assert "Traceback" not in result.stderr
    if where == "journal":
        if command == ["verify"]:
            # A journal line is the record's history: verify reads past it and names it as a finding.
            assert result.returncode == 1
            journal = team_file.with_suffix(".journal")
            assert result.stdout.startswith(f"FAILED: The journal {journal} is damaged: the line at byte ")
            assert "(entry 3)" in result.stdout
        else:
            assert result.returncode == 2, result.stderr
            assert "not been changed" in result.stderr
        assert files_of(team_file) == before
    elif command == ["verify"]:  # verify cannot read the snapshot: it says so (see tests/storage/test_faults.py)
        assert result.returncode in (1, 2) and str(team_file) in result.stdout + result.stderr
        assert "FAILED: " in result.stdout + result.stderr
    else:  # the snapshot is a cache: read past, said, and written again from the journal
        assert result.returncode == 0, result.stderr
        assert f"supervisor-tui: record snapshot rebuilt: {team_file}" in result.stderr
        assert journal_of(team_file).read_bytes().startswith(before[1])


def test_verify_fails_a_file_that_gives_a_key_twice(team_file):
    """json keeps the last of two equal keys, and so does jq, but other readers keep the first: a second
    'members' row 1 placed before the real one shows an auditor's tool a different person."""
    Store(str(team_file)).checkpoint()  # the members in the snapshot
    text = team_file.read_text()
    forged = '"members":{"1":{"id":"M-0001","version":1,"name":"Someone Else"},'
    assert text.count('"members":{') == 1
    team_file.write_text(text.replace('"members":{', forged, 1))
    result = run("verify", "--db", str(team_file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith("FAILED: the file gives the key '1' twice in one object")


def test_verify_fails_a_journal_line_that_gives_a_key_twice(team_file):
    """The same trick in the journal: a reader keeping the first value sees mallory make Sam's record."""
    journal = journal_of(team_file)
    text = journal.read_text()
    real = '"record":"M-0001","action":"create",'
    assert text.count(real) == 1
    seq = json.loads(next(line for line in text.splitlines() if real in line))["seq"]
    journal.write_text(text.replace(real, real + '"actor":"mallory",'))
    result = run("verify", "--db", str(team_file))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("FAILED: ") and "twice" in result.stdout
    assert f"(entry {seq}) gives the key 'actor' twice" in result.stdout
