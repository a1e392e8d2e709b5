"""Saving one record: our Store vs stock TinyDB JSONStorage doing the same update on a copy of the same
file (target: ours >= 3x faster), with SQLite in WAL mode as the reference for a durable one-row save.

Our save (record v2): take the lock, read what other sessions appended to the journal since (a stat
when nothing was), append the change's signed entry with one write, fsync (the snapshot is rewritten
only every 500 entries or 60 s). Stock TinyDB: read and parse the whole file,
write it back in place (no lock, no fsync). SQLite: one UPDATE committed with synchronous=FULL.
Two sessions taking turns: each save changes the record, so the other session's next save must
re-read the file first (the bench checks every save wrote an entry)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import add_year_volume, demo_file, median_ms, peak_rss_mb, timed
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from supervisor_tui.storage import Actor, Store

SAVES = 40


def measure(path: Path, label: str) -> None:
    store = Store(str(path))
    table = max((t for t in store.data if t not in ("signing_keys", "meta")), key=lambda t: len(store.data[t]))
    target = store.records(table)[len(store.records(table)) // 2]["id"]
    stock_path = path.with_name(path.stem + "-stock.json")
    shutil.copy(path, stock_path)
    doc_id = int(target.rsplit("-", 1)[1])

    def ours_once(i: int) -> None:
        current = store.get(table, target)
        store.update(table, target, {"bench": i}, current["version"])

    stock_table = TinyDB(str(stock_path), storage=JSONStorage).table(table)
    sqlite = sqlite_copy(store, table, path.with_name(path.stem + "-sqlite.db"))
    ours, stock, lite = [], [], []
    for i in range(SAVES):  # interleaved, so a busy moment on the machine falls on all three alike
        ours.append(timed(lambda i=i: ours_once(i)))
        stock.append(timed(lambda i=i: stock_table.update({"bench": i}, doc_ids=[doc_id])))
        lite.append(timed(lambda i=i: sqlite_save(sqlite, doc_id, i)))

    # Two sessions taking turns: each writes its own value, so every save is a real change the other
    # session has to re-read before its own save.
    other = Store(str(path), actor=Actor("alice", 1001))
    turns = []
    first_seq = store.head[0]
    for i in range(SAVES // 2):
        for who in (store, other):

            def save(who=who, i=i):
                with who.transaction() as txn:
                    rec = txn.current(table, target)
                    txn.update(table, target, {"bench": f"{who.actor.login}-turn{i}"}, rec["version"])

            turns.append(timed(save))
    other.refresh()
    wrote = sum(1 for e in other.entries_since(first_seq) if e["table"] == table)  # not the key registration

    journal = path.with_name(path.stem + ".journal")
    size = (path.stat().st_size + journal.stat().st_size) / 1e6
    counts = {t: len(rows) for t, rows in store.data.items()}
    print(
        f"\n{label}: {size:.1f} MB (snapshot + journal), {store.head[0]} journal entries, "
        f"{sum(v for k, v in counts.items() if k not in ('signing_keys', 'meta'))} records;"
        f" median of {SAVES} saves each"
    )
    print(f"  stock TinyDB JSONStorage update (no lock, no fsync, rewritten in place): {median_ms(stock):7.1f} ms")
    print(f"  supervisor-tui Store update (lock, one journal entry appended, fsync):      {median_ms(ours):7.1f} ms")
    print(f"  SQLite WAL, one-row UPDATE with synchronous=FULL (the reference):        {median_ms(lite):7.1f} ms")
    print(
        f"  ratios: ours is {median_ms(stock) / median_ms(ours):.1f}x faster than stock TinyDB (target >= 3x); "
        f"{median_ms(ours) / median_ms(lite):.0f}x the SQLite save"
    )
    print(
        f"  two sessions taking turns, each save re-reading the other's ({wrote} of {len(turns)} saves wrote): "
        f"{median_ms(turns):7.1f} ms, {median_ms(turns) / median_ms(lite):.0f}x the SQLite save"
    )


def sqlite_copy(store: Store, table: str, path: Path) -> sqlite3.Connection:
    """The table's records in SQLite (one JSON text per row), WAL mode, every commit fsynced."""
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE records (doc INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO records VALUES (?, ?)", ((int(k), json.dumps(v)) for k, v in store.data[table].items()))
    db.execute("COMMIT")
    return db


def sqlite_save(db: sqlite3.Connection, doc_id: int, i: int) -> None:
    db.execute("BEGIN IMMEDIATE")
    (body,) = db.execute("SELECT body FROM records WHERE doc = ?", (doc_id,)).fetchone()
    db.execute("UPDATE records SET body = ? WHERE doc = ?", (json.dumps({**json.loads(body), "bench": i}), doc_id))
    db.execute("COMMIT")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        demo_file(demo)
        measure(demo, "demo generator, 20 people x 12 months")
        year = Path(folder) / "year.json"
        add_year_volume(demo_file(year))
        measure(year, "demo generator + a year of record volume")
    print(f"\npeak memory of this bench process (our stores and stock TinyDB on both files): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
