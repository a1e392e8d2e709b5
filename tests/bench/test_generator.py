"""The benchmarks' record generator (bench/history.py build_record): a real record, the same every time,
written in a handful of whole-file writes however long the history (counted, never timed)."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from pathlib import Path

import pytest

from supervisor_tui import cli
from supervisor_tui.services import Records
from supervisor_tui.storage.audit import AUDIT
from supervisor_tui.storage.jsonfile import LockedFile

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def history():
    """bench/history.py, imported as the benches import it (bench/ on the path, for its ``common``)."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("history")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def built(history, tmp_path_factory):
    """A year of a six-person team, with the number of whole-file writes it took."""
    path = tmp_path_factory.mktemp("gen") / "year.json"
    writes = []
    original = LockedFile.replace_with

    def counted(self, *args, **kwargs):
        writes.append(1)
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LockedFile, "replace_with", counted)
        history.build_record(path, 1, seed=3, team_size=6)
    return path, len(writes)


def test_it_verifies(built, capsys):
    assert cli.main(["verify", "--db", str(built[0])]) == 0
    assert "OK:" in capsys.readouterr().out


def test_one_write_a_month_not_one_a_record(built):
    path, writes = built
    records = Records.open(str(path))
    assert len(records.store.data[AUDIT]) > 1000
    assert writes <= 13 + 8  # the months of the year (the first and last are part months) and the set-up


def test_every_section_reads_it(built):
    records = Records.open(str(built[0]))
    assert records.damaged(read_all=True) == {}
    for table in ("members", "shifts", "leave", "quality_checks", "kpis", "meetings", "actions", "complaints"):
        assert records.store.records(table), table
    entries = records.store.data[AUDIT].values()
    kinds = Counter((e["table"], e["action"]) for e in entries)
    for table in ("shifts", "quality_checks", "meetings", "actions", "complaints", "members"):
        assert kinds[(table, "update")], table  # real records are edited, not only written
    assert kinds[("shifts", "void")]
    # Complaints move through their stages, each move in their own history and the audit.
    closed = records.complaints.closed()
    assert closed and all(len(c.history) >= 5 for c in closed)
    # Actions agreed in one meeting are reviewed in a later one.
    actions = records.one_to_ones.actions.all()
    assert any(a.status == "done" for a in actions) and any(a.status == "open" for a in actions)
    stamps = [e["at"] for e in entries]
    assert stamps == sorted(stamps)  # written in the order things happened


def test_same_seed_same_bytes(history, built, tmp_path):
    again = tmp_path / "again.json"
    history.build_record(again, 1, seed=3, team_size=6)
    assert again.read_bytes() == built[0].read_bytes()
