"""Saving one record: our Store (lock, fresh read, write, fsync, atomic replace, audit entry) vs stock
TinyDB JSONStorage doing the same update on a copy of the same file. Target: ours >= 3x faster."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import add_year_volume, demo_file, median_ms, peak_rss_mb, timed
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from supervisor_tui.storage import Actor, Store

SAVES = 40


def measure(path: Path, label: str) -> None:
    store = Store(str(path))
    table = max((t for t in store.data if t not in ("audit", "meta")), key=lambda t: len(store.data[t]))
    target = store.records(table)[len(store.records(table)) // 2]["id"]
    stock_path = path.with_name(path.stem + "-stock.json")
    shutil.copy(path, stock_path)
    doc_id = int(target.rsplit("-", 1)[1])

    def ours_once(i: int) -> None:
        current = store.get(table, target)
        store.update(table, target, {"bench": i}, current["version"])

    stock_table = TinyDB(str(stock_path), storage=JSONStorage).table(table)
    ours = [timed(lambda i=i: ours_once(i)) for i in range(SAVES)]
    stock = [timed(lambda i=i: stock_table.update({"bench": i}, doc_ids=[doc_id])) for i in range(SAVES)]

    # Two sessions taking turns: each save must first re-read what the other wrote.
    other = Store(str(path), actor=Actor("alice", 1001))
    turns = []
    for i in range(SAVES // 2):
        for who in (store, other):

            def save(who=who, i=i):
                with who.transaction() as txn:
                    rec = txn.current(table, target)
                    txn.update(table, target, {"bench": f"turn{i}"}, rec["version"])

            turns.append(timed(save))

    size = path.stat().st_size / 1e6
    counts = {t: len(rows) for t, rows in store.data.items()}
    print(
        f"\n{label}: {size:.1f} MB, {counts.get('audit', 0)} audit entries, "
        f"{sum(v for k, v in counts.items() if k not in ('audit', 'meta'))} records"
    )
    print(f"  stock TinyDB JSONStorage update (no lock, in-place, no fsync): {median_ms(stock):7.1f} ms per save")
    print(
        f"  supervisor-tui Store update (lock, fresh read, audit, fsync, replace): {median_ms(ours):7.1f} ms per save"
    )
    print(f"  ratio: ours is {median_ms(stock) / median_ms(ours):.1f}x faster (target >= 3x)")
    print(f"  two sessions taking turns (each save re-reads the other's): {median_ms(turns):7.1f} ms per save")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        demo_file(demo)
        measure(demo, "demo generator, 20 people x 12 months")
        year = Path(folder) / "year.json"
        add_year_volume(demo_file(year))
        measure(year, "demo generator + a year of record volume")
    print(f"\npeak memory (this process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
