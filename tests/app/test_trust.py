"""The app under faulty conditions, at 80x24: it starts, says what is wrong, and keeps what was typed."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from supervisor_tui import locations, preferences
from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.screens.team import TeamScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store, StoreError, verify_record
from supervisor_tui.widgets.form import RecordForm

from .test_team_app import fill_fields
from .test_team_live import SIZE, add_member, table_text, toast_texts, wait_for


async def test_the_app_says_when_this_machines_clock_is_behind_the_record(db_path):
    ahead = Clock().now() + timedelta(hours=5)
    fast = Records(Store(str(db_path), clock=lambda: ahead))  # a colleague's machine, five hours fast
    add_member(fast)
    app = SupervisorApp(Records.open(str(db_path)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert await wait_for(pilot, lambda: any("5 hours behind" in t for t in toast_texts(app))), toast_texts(app)


async def test_a_record_that_cannot_be_read_is_named_and_the_rest_still_shows(db_path):
    records = Records.open(str(db_path))
    add_member(records)
    records.store.create(
        "members",
        "M",
        {"name": "Ghost", "job_title": "Advisor", "contract_hours": "lots", "date_of_birth": "1990-01-01"},
    )  # written past the domain's checks
    app = SupervisorApp(Records.open(str(db_path)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert isinstance(app.screen, TeamScreen) and "Sam Patel" in table_text(app)
        assert await wait_for(pilot, lambda: any("M-0002" in t for t in toast_texts(app))), toast_texts(app)


async def test_settings_that_others_could_change_are_ignored_out_loud(records):
    preferences.save_settings(preferences.UserSettings(theme="daylight"))
    os.chmod(locations.settings_path(), 0o666)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.theme != "daylight"
        assert await wait_for(pilot, lambda: any("chmod 600" in t for t in toast_texts(app)))


@pytest.fixture
def full_disk(tmp_path):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


async def test_a_full_disk_says_not_saved_and_keeps_the_form_as_typed(full_disk):
    records = Records.open(str(full_disk / "team.json"))
    add_member(records)
    stats = os.statvfs(full_disk)
    (full_disk / "filler").write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize))
    # A save appends a few hundred bytes to the journal, which may still fit in its last block: fill that too.
    names = ["Sam Patel"]
    with pytest.raises(StoreError, match="full"):
        for n in range(50):
            add_member(records, f"Filler {n:02d}")
            names.append(f"Filler {n:02d}")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await fill_fields(pilot, "Zoe Hart", "Advisor", "16", "14/05/1999")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)  # still open: nothing typed is lost
        problem = str(form.query_one("#form-problem").render())
        assert "Not saved" in problem and "full" in problem
        assert form.values()["name"] == "Zoe Hart"
    assert sorted(m.name for m in Records.open(str(full_disk / "team.json")).team.members()) == sorted(names)


def _go_bad(path, how: str) -> None:
    """What a colleague (or a careless tool) can do to the shared file while sessions have it open."""
    if how == "half a hand edit":
        path.write_text('{"meta": ')
    elif how == "moved away":
        path.rename(path.with_name(path.name + ".backup"))
    else:
        path.unlink()
        if how == "a FIFO":
            os.mkfifo(path)
        elif how == "a folder":
            path.mkdir()
        else:
            path.symlink_to("/etc/passwd")


def _put_back(path, how: str, good: bytes) -> None:
    if how == "moved away":
        path.with_name(path.name + ".backup").rename(path)
        return
    if how == "a folder":
        path.rmdir()
    elif how != "half a hand edit":
        path.unlink()
    path.write_bytes(good)


@pytest.mark.parametrize("how", ["half a hand edit", "a FIFO", "a folder", "a link", "moved away"])
async def test_the_app_keeps_running_when_the_journal_goes_bad_under_it_and_says_so(db_path, how):
    """Every open session used to crash with a traceback (printing what it held) the moment the file
    could not be read, losing whatever was being typed; a file moved away was then recreated without
    its history by the next save. The journal is the record's history: while it cannot be read, saving
    is refused and the form keeps what was typed."""
    records = Records.open(str(db_path))
    add_member(records)
    journal = records.store.journal.path
    good = journal.read_bytes()
    app = SupervisorApp(Records.open(str(db_path)), poll_seconds=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        await fill_fields(pilot, "Zoe Hart", "Advisor", "16", "14/05/1999")
        _go_bad(journal, how)
        assert await wait_for(pilot, lambda: any("cannot be read now" in t for t in toast_texts(app))), how
        await pilot.pause(0.3)
        said = [t for t in toast_texts(app) if "cannot be read now" in t]
        assert app.is_running and len(said) == len(set(said))  # each problem said once, not on every poll
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm) and "Not saved" in str(form.query_one("#form-problem").render())
        assert form.values()["name"] == "Zoe Hart"  # nothing typed is lost
        _put_back(journal, how, good)
        assert await wait_for(pilot, lambda: any("can be read again" in t for t in toast_texts(app)))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
    assert app.return_code in (None, 0)
    assert [m.name for m in Records.open(str(db_path)).team.members()] == ["Sam Patel", "Zoe Hart"]


@pytest.mark.parametrize("how", ["half a hand edit", "a FIFO", "a folder", "a link", "moved away"])
async def test_a_snapshot_gone_bad_is_rewritten_from_the_journal_and_nothing_is_lost(db_path, how):
    """The snapshot (team.json) is only the records as of a journal position: if it is edited by hand,
    swapped for a link or a FIFO, or moved away, sessions keep working, the next save writes it again
    from the journal (never through a link), and the record opens with everything in it."""
    records = Records.open(str(db_path))
    add_member(records)
    app = SupervisorApp(Records.open(str(db_path)), poll_seconds=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        await fill_fields(pilot, "Zoe Hart", "Advisor", "16", "14/05/1999")
        _go_bad(db_path, how)
        await pilot.pause(0.3)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TeamScreen))
        assert app.is_running
    reopened = Records.open(str(db_path))
    assert [m.name for m in reopened.team.members()] == ["Sam Patel", "Zoe Hart"]
    assert Path("/etc/passwd").read_text().startswith("root:")  # a link was replaced, never written through
    if how in ("a folder", "a FIFO"):  # not replaced: the journal alone is read (and it says why) until it goes
        assert how.split()[-1] in reopened.store.snapshot_problem
    else:
        assert db_path.is_file() and not db_path.is_symlink() and verify_record(db_path).ok


async def test_a_quality_standard_that_cannot_be_read_leaves_the_section_working(demo_records, db_path):
    """A check's standard edited outside the app used to stop the Quality section opening for everyone."""
    import json

    data = json.loads(db_path.read_text())
    data["standards"]["1"]["pass_mark"] = 900
    db_path.write_text(json.dumps(data))
    app = SupervisorApp(Records.open(str(db_path), clock=demo_records.clock))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("down")
        await pilot.pause()
        assert await wait_for(pilot, lambda: any("ST-0001" in t for t in toast_texts(app)))
    assert app.return_code in (None, 0)
