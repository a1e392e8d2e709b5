"""Write a record (format v2) with N years of a 20-person team's history, for the benchmarks.

    python bench/make_record.py --years 5 --out /tmp/five-years.json [--seed 1] [--check]

Shifts, quality checks and KPIs, one-to-ones with actions carried forward, complaints moving through
their stages, leave, people joining and leaving, and the edits a real record has, all written through
the services' repositories (see ``build_record`` in history.py), one journal transaction per month.
The record is ``five-years.json`` (the snapshot), ``five-years.journal`` and ``five-years.keys/``.
Prints the build time, each file's size, the records per table and the journal entries by action.
``--check`` then verifies it (``verify_record``, as ``supervisor-tui verify`` does; exit 1 if it
fails), opens it as the app does and times each section's main listing.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from datetime import timedelta
from pathlib import Path

from common import TODAY, peak_rss_mb
from history import build_record, record_bytes

from supervisor_tui.services import Records
from supervisor_tui.storage.audit import META
from supervisor_tui.storage.entries import KEYS_TABLE
from supervisor_tui.storage.verify import verify_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--check", action="store_true", help="open it as the app does and time each listing")
    args = parser.parse_args()
    start = time.perf_counter()
    records = build_record(args.out, args.years, seed=args.seed, team_size=args.team_size)
    built = time.perf_counter() - start
    store = records.store
    data = store.data
    sizes = record_bytes(args.out)
    print(f"{args.out}: {args.years} year(s), seed {args.seed}, built in {built:.1f} s")
    print(
        f"size {sum(sizes.values()) / 1e6:.1f} MB: snapshot {sizes['snapshot'] / 1e6:.1f} MB, "
        f"journal {sizes['journal'] / 1e6:.1f} MB, keys {sizes['keys']} bytes; peak memory {peak_rss_mb():.0f} MB"
    )
    for table, rows in data.items():
        if table not in (META, KEYS_TABLE):
            print(f"  {table:16} {len(rows):7,}")
    entries, _end = store.journal.read_from(0)  # the whole journal, read once for the counts
    actions = collections.Counter(entry["action"] for entry in entries)
    transactions = sum(1 for entry in entries if entry["txn"][0] == 1)
    print(
        f"journal entries {len(entries):,} in {transactions:,} transactions "
        f"({', '.join(f'{n:,} {a}' for a, n in sorted(actions.items()))})"
    )
    if args.check and not check(args.out):
        sys.exit(1)


def check(path: Path) -> bool:
    """Verify the record, then time each section's main listing on it (figures, not assertions).
    False if it does not verify."""
    begin = time.perf_counter()
    report = verify_record(path)
    print(f"verify_record: {report.summary()} ({time.perf_counter() - begin:.1f} s)")
    for line in [*report.problems, *report.warnings, *getattr(report, "notes", [])]:
        print(f"  {line}")
    if not report.ok:
        return False

    def timed(label, fn):
        begin = time.perf_counter()
        result = fn()
        size = len(result) if isinstance(result, list | dict | tuple) else "-"
        print(f"  {label:38} {(time.perf_counter() - begin) * 1000:8.0f} ms  ({size})")
        return result

    print("reading it back:")
    records = timed("Records.open", lambda: Records.open(str(path)))
    monday = TODAY - timedelta(days=TODAY.weekday())
    since = TODAY - timedelta(days=90)
    members = timed("team: members", records.team.members)
    timed("rota: this week's shifts", lambda: records.shifts.between(monday, monday + timedelta(days=6)))
    timed("rota: this week's problems", lambda: records.shifts.problems(monday, monday + timedelta(days=6)))
    timed("quality: team average, 90 days", lambda: records.quality.team_average(since) or ())
    timed("quality: member summaries", lambda: [records.quality.member_summary(m.saved_id, TODAY) for m in members])
    timed("one-to-ones: team due", lambda: records.one_to_ones.team_due(TODAY))
    timed("one-to-ones: open actions each", lambda: [records.one_to_ones.open_actions(m.saved_id) for m in members])
    timed("complaints: open by urgency", lambda: records.complaints.open_by_urgency(TODAY))
    timed("complaints: closed", records.complaints.closed)
    timed("every record read as its kind", lambda: records.damaged(read_all=True))
    return True


if __name__ == "__main__":
    main()
