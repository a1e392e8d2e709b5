"""Bulk import: 20,000 team rows through `supervisor-tui import team`, and what it costs everyone else.

Measured in one run against stock TinyDB inserting the same rows with `insert_multiple` (no checks,
no audit, no lock, no fsync), each in a fresh process (start-up and imports included for both).
Also: how long a colleague's saves wait meanwhile (they are served in turn, not timed out), and how
many of them were refused. Target: the import under 10 s here.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

ROWS = 20_000
FIRST = ["Ruby", "Leo", "Isla", "Ethan", "Zara", "Noah", "Freya", "Arjun", "Ellie", "Kai", "Maya", "Owen"]
LAST = ["Hughes", "Clarke", "Begum", "Walsh", "Nowak", "Davies", "Green", "Singh", "Reid", "Morgan"]

COLLEAGUE = r"""
import sys, time
from supervisor_tui.storage import Store, StoreError
store = Store(sys.argv[1])
waits, refused = [], 0
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    start = time.monotonic()
    try:
        store.create("notes", "N", {"by": "colleague"})
    except StoreError:
        refused += 1
    waits.append(time.monotonic() - start)
    time.sleep(0.05)
print(max(waits), len(waits), refused)
"""

STOCK = r"""
import csv, sys
from tinydb import TinyDB
from tinydb.storages import JSONStorage
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f))
TinyDB(sys.argv[2], storage=JSONStorage).table("members").insert_multiple(rows)
"""


def team_csv(rows: int) -> str:
    rng = random.Random(1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "job_title", "contract_hours", "date_of_birth", "skills"])
    for i in range(rows):
        writer.writerow(
            [
                f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                "Customer Service Advisor",
                rng.choice(["16", "24", "30", "37.5"]),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2004)}",
                "tills:competent;phones:learner",
            ]
        )
    return out.getvalue()


def run_import(csv_path: Path, db: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "import", "team", str(csv_path), "--db", str(db)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
    )
    return time.perf_counter() - start


def stock_tinydb(csv_path: Path, db: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", STOCK, str(csv_path), str(db)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        text = team_csv(ROWS)
        csv_path = folder_path / "team.csv"
        csv_path.write_text(text)
        stock = stock_tinydb(csv_path, folder_path / "stock.json")
        ours_db = folder_path / "ours.json"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from supervisor_tui.storage import Store; Store(sys.argv[1])",
                str(ours_db),
            ],
            check=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT)},
        )
        colleague = subprocess.Popen(
            [sys.executable, "-c", COLLEAGUE, str(ours_db), "12"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT)},
        )
        time.sleep(1.0)
        ours = run_import(csv_path, ours_db)
        worst_wait, saves, refused = colleague.communicate(timeout=120)[0].split()
        size = ours_db.stat().st_size / 1e6
    print(f"import of {ROWS:,} team rows ({size:.1f} MB record afterwards), each a fresh process:")
    print(f"  stock TinyDB insert_multiple (no checks, audit, lock or fsync): {stock:6.2f} s")
    print(
        f"  supervisor-tui import team (every row checked, audited, locked, fsynced): {ours:6.2f} s"
        f"  ratio {ours / stock:.1f}x   (target: under 10 s)"
    )
    print(
        f"  a colleague saving every 50 ms for 12 s around it: {saves} saves, {refused} refused, "
        f"longest wait {float(worst_wait) * 1000:.0f} ms (the import writes once, under the lock)"
    )


if __name__ == "__main__":
    main()
