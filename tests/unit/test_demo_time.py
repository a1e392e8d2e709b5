"""The demo writes history as it happened, but never an entry dated after the moment it runs, and it is
all or nothing: a demo stopped half way leaves nothing behind that blocks running it again."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from supervisor_tui import demo as demo_module
from supervisor_tui.demo import build_demo
from supervisor_tui.domain.clock import Clock
from supervisor_tui.storage import UnusableFileError, verify_record

from ..conftest import DEMO_TODAY
from ..storage.conftest import journal_entries


def test_no_entry_is_dated_after_the_moment_the_demo_runs(tmp_path):
    ran_at = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)  # next week's rota is made 'now', not next week
    path = tmp_path / "demo.json"
    build_demo(path, seed=3, clock=Clock.fixed(ran_at), today=DEMO_TODAY)
    stamps = [e["at"] for e in journal_entries(path)]
    assert max(stamps) <= "2026-11-22T09:30:00.000000Z"
    report = verify_record(path)
    # The only warnings: the demo's made-up colleagues have no logins here to publish their keys.
    assert report.ok and all("cannot be confirmed" in w for w in report.warnings)


def test_a_demo_that_fails_half_way_leaves_nothing_and_can_run_again(tmp_path, monkeypatch):
    path = tmp_path / "demo.json"

    def crash(ctx):
        raise KeyboardInterrupt  # as if killed after the team, one-to-ones and complaints were written

    monkeypatch.setattr(demo_module.shifts, "build", crash)
    with pytest.raises(KeyboardInterrupt):
        build_demo(path, seed=1, today=DEMO_TODAY)
    assert list(tmp_path.iterdir()) == []  # no half data set, no temp file, no lock file
    monkeypatch.undo()
    records = build_demo(path, seed=1, today=DEMO_TODAY)
    assert records.team.members() and verify_record(path).ok


def test_a_demo_given_a_link_fills_the_file_it_points_to(tmp_path):
    """As for every command, a link names the real file (it used to be replaced by a file of its own,
    leaving the team's file empty), and the link itself is kept."""
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "team.json"
    real.write_text("")  # made empty by whoever set the folder up
    link = tmp_path / "team.json"
    link.symlink_to(real)
    build_demo(link, seed=1, clock=Clock.fixed(datetime(2026, 11, 22, 16, tzinfo=UTC)), today=DEMO_TODAY)
    assert link.is_symlink() and verify_record(real).ok
    assert sorted(p.name for p in shared.iterdir()) == ["team.journal", "team.json", "team.keys"]


def test_a_demo_never_links_its_result_through_a_planted_name(tmp_path, monkeypatch):
    """If the file being built is swapped for a link to someone's private file just before it is put in
    place, the team's name must not become a second name for that private file."""
    private = tmp_path / "private.json"
    private.write_text("{}")
    os.chmod(private, 0o600)
    path = tmp_path / "team" / "demo.json"
    path.parent.mkdir()
    real_put = demo_module.put_in_place

    def swap_then_put(built, target, inode):
        built.unlink()
        built.symlink_to(private)
        real_put(built, target, inode)

    monkeypatch.setattr(demo_module, "put_in_place", swap_then_put)
    with pytest.raises(UnusableFileError, match="replaced by someone else"):
        build_demo(path, seed=1, clock=Clock.fixed(datetime(2026, 11, 22, 16, tzinfo=UTC)), today=DEMO_TODAY)
    assert os.stat(private).st_nlink == 1 and private.read_text() == "{}"
    assert not os.path.lexists(path) and list(path.parent.iterdir()) == []  # no name leads to the private file
