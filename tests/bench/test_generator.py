"""The benchmarks' record generator (bench/history.py build_record): a real v2 record (snapshot, journal
and published key), the same content every time, written in one journal transaction a month however long
the history (counted, never timed)."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections import Counter
from datetime import time
from pathlib import Path

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.dates import local_to_utc
from supervisor_tui.services import Records
from supervisor_tui.storage.audit import META, parse_stamp
from supervisor_tui.storage.entries import view
from supervisor_tui.storage.journal import Journal
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
def config_home(tmp_path_factory):
    """The user config folder the generator's signing key is made in. A module fixture is set up before
    the per-test ``_own_config``, so without this the key would be made in the real home folder."""
    return tmp_path_factory.mktemp("config")


@pytest.fixture(scope="module")
def built(history, config_home, tmp_path_factory):
    """A year of a six-person team, with the journal appends (transactions) and snapshot writes it took."""
    path = tmp_path_factory.mktemp("gen") / "year.json"
    appends, snapshots = [], []
    append, replace_with = Journal.append, LockedFile.replace_with

    def counted_append(self, entries, *args, **kwargs):
        appends.append(len(entries))
        return append(self, entries, *args, **kwargs)

    def counted_replace(self, *args, **kwargs):
        snapshots.append(1)
        return replace_with(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(config_home))
        patch.setattr(Journal, "append", counted_append)
        patch.setattr(LockedFile, "replace_with", counted_replace)
        history.build_record(path, 1, seed=3, team_size=6)
    return path, appends, len(snapshots)


def journal_entries(path: Path) -> list[dict]:
    return Records.open(str(path)).store.journal.read_from(0)[0]


def test_it_verifies(built, capsys):
    assert cli.main(["verify", "--db", str(built[0])]) == 0
    out = capsys.readouterr().out
    assert "OK:" in out and "signatures" in out


def test_the_record_is_put_in_place_whole(history, built):
    """A record is two files and the keys folder, all under the record's name, and nothing left beside them."""
    path = built[0]
    files = history.record_files(path)
    made = [p.name for name, p in files.items() if name != "sealed"]  # nothing is sealed until someone seals
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(made)
    assert (files["keys"] / f"{Records.open(str(path)).store.actor.login}.pub").is_file()
    # The snapshot holds everything: it names the journal's end, so opening it replays nothing.
    position = json.loads(path.read_bytes())[META]["1"]["journal"]
    assert position["offset"] == files["journal"].stat().st_size
    assert position["seq"] == len(journal_entries(path))


def test_it_refuses_a_record_that_has_data(history, built):
    with pytest.raises(FileExistsError):
        history.build_record(built[0], 1, seed=3, team_size=6)


def test_one_transaction_a_month_not_one_a_record(built):
    path, appends, snapshots = built
    entries = journal_entries(path)
    assert len(entries) > 1000
    assert sum(appends) == len(entries)
    # The months of the year (the first and last are part months) and the set-up: the genesis, the
    # standard demand, the team already there, and the store's own snapshot at the end.
    assert len(appends) <= 13 + 8
    assert len({e["txn"][1] for e in entries if e["txn"][0] == 1}) > 1  # whole months, not single records
    # Snapshots: the store's checkpoint every 500 entries (at a transaction's end), the genesis and the last.
    assert snapshots <= len(entries) // 500 + len(appends) // 2 + 3


def test_every_section_reads_it(built):
    path = built[0]
    records = Records.open(str(path))
    assert records.damaged(read_all=True) == {}
    for table in ("members", "shifts", "leave", "quality_checks", "kpis", "meetings", "actions", "complaints"):
        assert records.store.records(table), table
    entries = journal_entries(path)
    kinds = Counter((e["table"], e["action"]) for e in entries)
    for table in ("shifts", "quality_checks", "meetings", "actions", "complaints", "members"):
        assert kinds[(table, "update")], table  # real records are edited, not only written
    assert kinds[("shifts", "void")]
    # Complaints move through their stages, each move in their own history and the journal.
    closed = records.complaints.closed()
    assert closed and all(len(c.history) >= 5 for c in closed)
    # Actions agreed in one meeting are reviewed in a later one.
    actions = records.one_to_ones.actions.all()
    assert any(a.status == "done" for a in actions) and any(a.status == "open" for a in actions)


def test_entries_are_stamped_when_they_happened(history, built):
    """By the store's clock moved through the past, not by the machine's clock: in order, over the year,
    none after the generator's today."""
    stamps = [parse_stamp(e["at"]) for e in journal_entries(built[0])]
    assert stamps == sorted(stamps)  # written in the order things happened
    assert stamps[-1] <= local_to_utc(history.TODAY, time(23, 59))
    assert (stamps[-1] - stamps[0]).days >= 365


def content(path: Path) -> tuple[dict, list[dict]]:
    """What a record holds, without what is random by design: every table as replay rebuilds it (the
    metadata without the journal position, whose hash is random), and every journal entry as a screen
    reads it (time, author, action, record, reason, values) without its hash."""
    store = Records.open(str(path)).store
    tables = {name: rows for name, rows in store.data.items() if name != META}
    tables[META] = {key: {k: v for k, v in row.items() if k != "journal"} for key, row in store.data[META].items()}
    entries = [{k: v for k, v in view(e).items() if k != "hash"} for e in store.journal.read_from(0)[0]]
    return tables, entries


def test_same_seed_same_content(history, built, config_home, tmp_path, monkeypatch):
    """Not the same bytes: every value is sealed with a random salt (so a digest cannot confirm a guessed
    value), so the hashes and the signatures over them differ by design. The records replayed and every
    entry's values are the same."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))  # the same signing key, so the same key record
    again = tmp_path / "again.json"
    history.build_record(again, 1, seed=3, team_size=6)
    assert content(again) == content(built[0])
    assert again.with_name("again.journal").read_bytes() != built[0].with_name("year.journal").read_bytes()
    other = tmp_path / "other.json"
    history.build_record(other, 1, seed=4, team_size=6)
    assert content(other) != content(built[0])
    assert os.listdir(tmp_path)  # the rebuilt records sit beside each other without clashing
