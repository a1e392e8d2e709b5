"""The command line: exit codes and messages are promises to scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervisor_tui import cli, locations
from supervisor_tui.storage import Store

from ..conftest import record_files
from ..storage.test_tamper import read_lines, write_lines

ROOT = Path(__file__).resolve().parents[2]
TEAM_CSV = """name,job_title,contract_hours,date_of_birth,skills
Sam Patel,Customer Service Advisor,37.5,03/04/1990,tills:expert;phones:learner
Chloe Evans,Saturday Assistant,8,14/05/2009,tills:learner
"""


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "supervisor_tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "demo.json"
    assert cli.main(["demo", "--db", str(path)]) == 0
    return path


def test_verify_ok_ends_with_the_head(demo_file, capsys):
    capsys.readouterr()
    assert cli.main(["verify", "--db", str(demo_file)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"OK: {Store(str(demo_file)).head[0]} entries, head {Store(str(demo_file)).head_text()}"


def test_verify_names_the_tampered_entry_and_exits_1(demo_file, capsys):
    entries = read_lines(demo_file)
    entries[2]["actor"] = "mallory"  # entry 3 blamed on someone else, by hand
    write_lines(demo_file, entries)
    assert cli.main(["verify", "--db", str(demo_file)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"FAILED: The journal {demo_file.with_suffix('.journal')} is damaged: the line at byte ")
    assert "(entry 3) " in out
    assert "the entry was edited" in out


def test_verify_head_catches_a_cut_off_end(demo_file, capsys):
    store = Store(str(demo_file))
    pinned = store.head_text()
    files_then = [p.read_bytes() for p in record_files(demo_file)]
    store.create("members", "M", {"name": "extra"})
    cut = store.head_text()  # printed on an export, then the save is taken back out of both files
    for path, then in zip(record_files(demo_file), files_then, strict=True):
        path.write_bytes(then)
    assert cli.main(["verify", "--db", str(demo_file)]) == 0
    assert cli.main(["verify", "--db", str(demo_file), "--head", cut]) == 1
    assert "is not in the journal: entries were removed" in capsys.readouterr().out
    assert cli.main(["verify", "--db", str(demo_file), "--head", pinned]) == 0
    assert cli.main(["verify", "--db", str(demo_file), "--head", "nonsense"]) == 2
    assert "SEQ:HASH" in capsys.readouterr().err


def test_verify_exits_1_for_an_entry_nobody_signed(demo_file, capsys):
    """A hash proves nothing about who wrote an entry: one without its author's signature is a finding."""
    Store(str(demo_file), signer=None).create("members", "M", {"name": "Nobody Signed This"})
    seq = Store(str(demo_file)).head[0]
    capsys.readouterr()
    assert cli.main(["verify", "--db", str(demo_file)]) == 1
    login = Store(str(demo_file)).actor.login
    assert capsys.readouterr().out == f"FAILED: journal entry {seq} by {login} is not signed\n"


@pytest.mark.parametrize("content", [b'{"members": {"1": {"na', b"not json at all", b'{"_default": {}}'])
@pytest.mark.parametrize(
    "command",
    [[], ["verify"], ["import", "team", "CSV"], ["export", "team"], ["export", "team", "--format", "csv"], ["demo"]],
)
def test_unusable_file_exits_2_and_is_left_alone(tmp_path, content, command):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    args = [str(csv) if a == "CSV" else a for a in command] + ["--db", str(path)]
    result = run(*args)
    assert result.returncode == 2, result
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == content


def test_demo_refuses_a_file_with_data(demo_file, capsys):
    before = demo_file.read_bytes()
    assert cli.main(["demo", "--db", str(demo_file)]) == 2
    assert "already has data" in capsys.readouterr().err
    assert demo_file.read_bytes() == before


def test_import_team_then_export_round_trips(tmp_path, capsys):
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    assert cli.main(["import", "team", str(csv), "--db", str(first)]) == 0
    assert "imported 2" in capsys.readouterr().out
    exported = tmp_path / "out.csv"
    assert cli.main(["export", "team", "--format", "csv", "--db", str(first), "-o", str(exported)]) == 0
    assert cli.main(["import", "team", str(exported), "--db", str(second)]) == 0
    capsys.readouterr()
    assert cli.main(["export", "team", "--format", "csv", "--db", str(second)]) == 0
    assert capsys.readouterr().out == exported.read_text()
    assert exported.read_text().splitlines()[0].startswith("name,job_title,contract_hours,date_of_birth,skills")


def test_import_reports_every_bad_row_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "team.json"
    csv = tmp_path / "team.csv"
    csv.write_text(
        TEAM_CSV + "Amy Lee,CSA,lots,01/01/2000,\nBo Chan,CSA,20,31/02/2001,\n"
        "Sam Patel,CSA,20,01/01/2001,\nDi Ng,CSA,20,01/01/2001,tills:guru\n"
    )
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    for line, words in [(4, "Contract hours"), (5, "Date of birth"), (6, "earlier row"), (7, "guru")]:
        assert f"line {line}:" in err and words in err, err
    assert "nothing was imported" in err
    assert Store(str(path)).records("members") == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,job_title\nSam,CSA\n", "missing column"),
        ("name,job_title,contract_hours,date_of_birth,skills\nSam,CSA,37,01/01/1990,,extra\n", "more values"),
    ],
)
def test_import_shape_problems(tmp_path, capsys, content, message):
    csv = tmp_path / "team.csv"
    csv.write_text(content)
    assert cli.main(["import", "team", str(csv), "--db", str(tmp_path / "t.json")]) == 2
    assert message in capsys.readouterr().err


def test_import_non_utf8_file(tmp_path, capsys):
    csv = tmp_path / "team.csv"
    csv.write_bytes(TEAM_CSV.replace("Sam", "S\xe9m").encode("latin-1"))
    assert cli.main(["import", "team", str(csv), "--db", str(tmp_path / "t.json")]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_database_path_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv(locations.DB_ENV, raising=False)
    assert locations.resolve_db(None) == locations.default_db_path()
    assert str(locations.default_db_path()).startswith(os.environ["XDG_DATA_HOME"])
    monkeypatch.setenv(locations.DB_ENV, str(tmp_path / "env.json"))
    assert locations.resolve_db(None) == tmp_path / "env.json"
    assert locations.resolve_db(str(tmp_path / "arg.json")) == tmp_path / "arg.json"


def test_env_database_is_used_by_commands(tmp_path):
    path = tmp_path / "env.json"
    assert run("demo", env={locations.DB_ENV: str(path)}).returncode == 0
    result = run("verify", env={locations.DB_ENV: str(path)})
    assert result.returncode == 0 and result.stdout.strip().splitlines()[-1].startswith("OK: ")


def test_unknown_theme_is_refused(tmp_path):
    result = run("--theme", "nope", "--db", str(tmp_path / "t.json"))
    assert result.returncode == 2 and "shopfloor" in result.stderr


def test_app_crash_exits_non_zero(tmp_path, monkeypatch):
    """A crashed app must not exit 0: the CLI returns the app's return code."""
    from supervisor_tui import app as app_module

    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_module.SupervisorApp, "compose", lambda self: explode(self) or iter(()))
    monkeypatch.setattr(
        app_module.SupervisorApp, "run", lambda self, **kw: app_module.App.run(self, headless=True, **kw)
    )
    assert cli.main(["--db", str(tmp_path / "t.json")]) == 1


def test_db_flag_beats_the_environment(tmp_path):
    flagged, env_path = tmp_path / "flag.json", tmp_path / "env.json"
    assert run("demo", "--db", str(flagged), env={locations.DB_ENV: str(env_path)}).returncode == 0
    assert flagged.exists() and not env_path.exists()


def test_default_data_dir_is_used_when_nothing_is_given(tmp_path):
    data_home = tmp_path / "xdg-data"
    result = run("demo", env={"XDG_DATA_HOME": str(data_home), locations.DB_ENV: ""})
    assert result.returncode == 0, result.stderr
    made = [p for p in data_home.rglob("*.json")]
    assert len(made) == 1, made
    assert (
        run("verify", env={"XDG_DATA_HOME": str(data_home), locations.DB_ENV: ""})
        .stdout.strip()
        .splitlines()[-1]
        .startswith("OK: ")
    )


def test_verify_in_a_subprocess_prints_the_head_and_catches_an_edited_record(demo_file):
    ok = run("verify", "--db", str(demo_file))
    assert ok.returncode == 0
    assert (
        ok.stdout.strip().splitlines()[-1] == f"OK: {Store(str(demo_file)).head[0]} entries, head "
        f"{Store(str(demo_file)).head_text()}"
    )
    data = json.loads(demo_file.read_text())
    doc = next(iter(data["members"].values()))
    doc["contract_hours"] = 99
    demo_file.write_text(json.dumps(data))
    bad = run("verify", "--db", str(demo_file))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert doc["id"] in bad.stdout + bad.stderr


def test_import_adds_to_an_existing_team_and_refuses_a_name_already_there(tmp_path, capsys):
    """The same file twice is skipped (never doubled); the same name with other details is refused."""
    path, csv = tmp_path / "team.json", tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 0
    head = Store(str(path)).head
    capsys.readouterr()
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 0
    assert "imported 0 team member(s); skipped 2 already on record" in capsys.readouterr().out
    csv.write_text(TEAM_CSV.replace("37.5", "30"))
    assert cli.main(["import", "team", str(csv), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Sam Patel is already on record as M-0001" in err and "Contract hours 37.5 (this row: 30)" in err
    assert Store(str(path)).head == head


def test_a_screen_that_raises_makes_the_cli_exit_1(tmp_path, monkeypatch):
    """Not only a broken App: an exception inside the team screen's reload also ends in exit 1."""
    from supervisor_tui import app as app_module
    from supervisor_tui.screens.team import TeamScreen

    def broken_reload(self):
        raise RuntimeError("screen failed")

    monkeypatch.setattr(TeamScreen, "reload", broken_reload)
    monkeypatch.setattr(
        app_module.SupervisorApp, "run", lambda self, **kw: app_module.App.run(self, headless=True, **kw)
    )
    assert cli.main(["--db", str(tmp_path / "t.json")]) == 1
