"""Time to first screen: supervisor-tui on a year of data vs a bare Textual hello-world app.

Each run is a fresh process (imports included), headless, exiting right after its first screen has
been composed and refreshed. Runs alternate between the two apps; medians are printed. Target: ours
within 1.5x of the hello-world app."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, add_year_volume, demo_file

RUNS = 7

HELLO = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("Hello, world")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Hello().run(headless=True, size=(80, 24))
"""

OURS = """
import sys
from supervisor_tui.app import SupervisorApp
from supervisor_tui.services import Records
app = SupervisorApp(Records.open(sys.argv[1]))
app.call_after_refresh(lambda: app.screen.call_after_refresh(app.exit))
app.run(headless=True, size=(80, 24))
"""


PHASES = """
import sys, time
start = time.perf_counter()
from supervisor_tui.app import SupervisorApp
from supervisor_tui.services import Records
imported = time.perf_counter()
records = Records.open(sys.argv[1])
opened = time.perf_counter()
app = SupervisorApp(records)
app.call_after_refresh(lambda: app.screen.call_after_refresh(app.exit))
app.run(headless=True, size=(80, 24))
shown = time.perf_counter()
print(f"{imported - start:.4f} {opened - imported:.4f} {shown - opened:.4f}")
"""

HELLO_PHASES = """
import time
start = time.perf_counter()
from textual.app import App
from textual.widgets import Static
imported = time.perf_counter()
class Hello(App):
    def compose(self):
        yield Static("Hello, world")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Hello().run(headless=True, size=(80, 24))
print(f"{imported - start:.4f} 0 {time.perf_counter() - imported:.4f}")
"""


def phases(code: str, *args: str) -> list[float]:
    """Where the time goes inside one process: imports, opening the file, composing the first screen."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
        stdin=subprocess.DEVNULL,
    )
    return [float(x) for x in out.stdout.split()[-3:]]


def run_once(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "demo.json"
        demo_file(small)
        year = Path(folder) / "year.json"
        add_year_volume(demo_file(year))
        run_once(HELLO), run_once(OURS, str(year))  # warm the disk cache and .pyc files
        times: dict[str, list[float]] = {"hello": [], "small": [], "year": []}
        for _ in range(RUNS):
            times["hello"].append(run_once(HELLO))
            times["small"].append(run_once(OURS, str(small)))
            times["year"].append(run_once(OURS, str(year)))
        split = {
            name: [statistics.median(p) * 1000 for p in zip(*(phases(code, *args) for _ in range(RUNS)), strict=True)]
            for name, code, args in (
                ("hello", HELLO_PHASES, ()),
                ("small", PHASES, (str(small),)),
                ("year", PHASES, (str(year),)),
            )
        }
        sizes = {name: path.stat().st_size / 1e6 for name, path in (("small", small), ("year", year))}
    h, s, y = (statistics.median(times[k]) * 1000 for k in ("hello", "small", "year"))
    print(f"first screen, median of {RUNS} fresh processes (imports included):")
    print(f"  bare Textual hello-world:                          {h:6.0f} ms")
    print(f"  supervisor-tui, demo team ({sizes['small']:.1f} MB):               {s:6.0f} ms  ratio {s / h:.2f}x")
    print(
        f"  supervisor-tui, a year of records ({sizes['year']:.1f} MB):     {y:6.0f} ms  ratio {y / h:.2f}x"
        " (target <= 1.5x)"
    )
    print("where the time goes (median ms: imports / open the file / first screen composed and drawn):")
    for name, label in (("hello", "hello-world"), ("small", "demo team"), ("year", "a year of records")):
        imports, opening, screen = split[name]
        print(f"  {label:20} {imports:6.0f} / {opening:6.0f} / {screen:6.0f}")


if __name__ == "__main__":
    main()
