"""Team settings: one region and time zone for every section, set from the command line and audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.dates import to_local
from supervisor_tui.domain.one_to_ones import promptness
from supervisor_tui.services import Records
from supervisor_tui.storage import Store, entry_view

from ..cli.test_cli import run
from ..conftest import copy_record


@pytest.mark.parametrize(
    "reason, held, written_at, region, expected",
    [
        (
            "a Friday meeting before the Spring bank holiday: Tue and Wed are the two working days",
            date(2026, 5, 22),
            datetime(2026, 5, 27, 22, 59, tzinfo=UTC),
            "ENG",
            (2, False),
        ),
        (
            "00:30 BST on the Thursday is Thursday in the team's zone, though UTC still says Wednesday: late",
            date(2026, 5, 22),
            datetime(2026, 5, 27, 23, 30, tzinfo=UTC),
            "ENG",
            (3, True),
        ),
        (
            "Easter Monday is a bank holiday in England and Wales, not in Scotland",
            date(2026, 4, 2),
            datetime(2026, 4, 8, 12, tzinfo=UTC),
            "ENG",
            (2, False),
        ),
        (
            "...so in Scotland Wednesday is the third working day: late",
            date(2026, 4, 2),
            datetime(2026, 4, 8, 12, tzinfo=UTC),
            "SCT",
            (3, True),
        ),
        (
            "over Christmas: 24/12 is day 1, the 25th, 26th and the substitute 28th are skipped",
            date(2026, 12, 23),
            datetime(2026, 12, 29, 12, tzinfo=UTC),
            "ENG",
            (2, False),
        ),
        (
            "St Patrick's Day counts only in Northern Ireland",
            date(2026, 3, 16),
            datetime(2026, 3, 19, 12, tzinfo=UTC),
            "NIR",
            (2, False),
        ),
    ],
)
def test_note_promptness_counts_working_days_on_the_teams_calendar(reason, held, written_at, region, expected):
    """Team practice (the ACAS Code asks for records 'promptly'): a note is late after two working days,
    counted on the team's local dates with its region's bank holidays."""
    written_on = to_local(written_at, "Europe/London").date()
    assert promptness(held, written_on, region) == expected, reason


def test_the_team_region_reaches_every_section(db_path):
    records = Records.open(str(db_path))
    records.settings.change("move to Scotland", region="SCT")
    assert records.complaints.region == "SCT" and records.shifts.rules().region == "SCT"
    assert records.one_to_ones.settings.region == "SCT"


def test_an_old_files_complaint_policy_region_becomes_the_team_region(db_path):
    store = Store(str(db_path))
    store.create(
        "complaint_policy",
        "CP",
        {
            "acknowledge_business_days": 2,
            "final_response_business_days": 15,
            "fca": False,
            "at_risk_business_days": 1,
            "region": "NIR",
        },
    )
    assert Records.open(str(db_path)).settings.region == "NIR"


def test_the_clock_follows_the_teams_time_zone(db_path):
    """A server in UTC shows the team's date: 23:30 UTC on 1 July is already 2 July in London (BST) and
    still 1 July in New York, if the team said so."""
    moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    records = Records.open(str(db_path), clock=Clock.fixed(moment))
    assert records.clock.today() == date(2026, 7, 2)
    records.settings.change("team moved", time_zone="America/New_York")
    assert records.clock.today() == date(2026, 7, 1)
    assert records.complaints.tz == records.shifts.tz == "America/New_York"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "team.json"
    assert cli.main(["demo", "--db", str(path)]) == 0
    return path


@pytest.fixture
def demo_copy(demo_template, tmp_path):
    """A copy of one demo record per test (building the demo each time would take seconds)."""
    return copy_record(demo_template, tmp_path / "team.json")


def test_settings_lists_every_setting_with_its_meaning(demo_copy):
    path = demo_copy
    out = run("settings", "--db", str(path)).stdout.splitlines()
    keys = [line.split(" = ")[0] for line in out if " = " in line and not line.startswith(" ")]
    assert keys[:5] == ["region", "time_zone", "week_start", "weekly_rest", "weekly_rest_includes_daily_rest"]
    assert {
        "complaints.fca",
        "complaints.acknowledge_days",
        "complaints.final_response_days",
        "quality.checks_per_month",
        "quality.pass_mark.core-service",
    } <= set(keys)
    assert "week_start = mon 00:00" in out and any("reg 11(4)" in line for line in out)


@pytest.mark.parametrize(
    "key, value, shown",
    [
        ("week_start", "sun 06:00", "week_start = sun 06:00"),
        ("region", "Scotland", "region = SCT"),
        ("weekly_rest", "14-day-one-48h", "weekly_rest = 14-day-one-48h"),
        ("complaints.fca", "yes", "complaints.fca = yes"),
        ("quality.checks_per_month", "3", "quality.checks_per_month = 3"),
        ("quality.pass_mark.core-service", "75", "quality.pass_mark.core-service = 75"),
        ("quality.csat_target", "88%", "quality.csat_target = 88"),  # the demo sets 85
        ("quality.nps_target", "-10", "quality.nps_target = -10"),
        ("quality.fcr_target", "none", "quality.fcr_target = none"),
    ],
)
def test_settings_set_changes_one_and_audits_it(demo_copy, capsys, key, value, shown):
    path = demo_copy
    head = Store(str(path)).head[0]
    assert cli.main(["settings", "set", key, value, "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == shown
    assert cli.main(["settings", "--db", str(path)]) == 0 and shown in capsys.readouterr().out
    entry = entry_view(Store(str(path)).entries_since(head)[-1])
    assert entry["reason"].startswith(f"settings set {key}")


@pytest.mark.parametrize(
    "key, value, says",
    [
        ("nope", "1", "there is no setting 'nope'"),
        ("week_start", "someday", "not a week start"),
        ("region", "Wales only", "region must be one of"),
        ("time_zone", "Mars/Olympus", "not a time zone"),
        ("complaints.acknowledge_days", "999", "at most 30"),
        ("complaints.fca", "perhaps", "complaints.fca: must be yes or no, not 'perhaps'"),
        ("complaints.fca", "", "complaints.fca: must be yes or no, not blank"),
        ("weekly_rest_includes_daily_rest", " ", "must be yes or no, not blank"),
        ("quality.pass_mark.core-service", "180", "enter 0 to 100"),
        ("quality.nps_target", "-120", "quality.nps_target: enter -100 to 100"),
        ("quality.csat_target", "high", "quality.csat_target: enter a number"),
    ],
)
def test_settings_set_refuses_an_unknown_key_or_bad_value_with_exit_2(demo_copy, capsys, key, value, says):
    path = demo_copy
    before = path.read_bytes()
    assert cli.main(["settings", "set", key, value, "--db", str(path)]) == 2
    assert says in capsys.readouterr().err
    assert path.read_bytes() == before


def test_settings_set_from_a_shell_exits_2_with_one_line_and_no_traceback(demo_copy):
    result = run("settings", "set", "week_start", "someday", "--db", str(demo_copy))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
