"""Time to first paint: supervisor-tui vs a bare Textual hello-world app, both in a real terminal.

Each run is a fresh process started on a pseudo-terminal (80x24, xterm-256color), exactly as a
user starts it: `python -m supervisor_tui --db FILE`, and a hello-world script. Two clocks run from
starting the process: until the first frame is on the terminal (for the hello-world its text; for
us the opening screen, "Opening FILE…", drawn before the file is read), and, for us, until the
Team list is on it (its status line, drawn with the first full frame of the section). The process
is then killed, so neither is charged for tearing down its heap; nothing in the app knows it is
being measured. Runs alternate between the apps; medians and spread are printed.
Target: our first frame within 1.5x of the hello-world's on the demo file.

A second, in-process split says where the time to the Team list goes (imports / opening the file
/ composing and drawing the first screen), stopping at the first refresh with os._exit for the
same reason.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from common import ROOT, add_year_volume, demo_file

RUNS = 9
ROWS, COLUMNS = 24, 80

HELLO = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("Hello, world")
Hello().run()
"""
HELLO_MARK = "Hello, world"
OPENING_MARK = "Opening "  # the opening screen: 'Opening team.json…'
OURS_MARK = "read-write"  # the Team screen's status line ('you: ... read-write entries: ...')

PHASES = """
import os, sys, time
start = time.perf_counter()
from supervisor_tui.app import SupervisorApp
from supervisor_tui.services import Records
import supervisor_tui.screens.team
import supervisor_tui.screens.team  # the first section: the app imports it in its opening worker
imported = time.perf_counter()
records = Records.open(sys.argv[1])
opened = time.perf_counter()
app = SupervisorApp(records)
def shown():  # written straight to the descriptor: Textual holds sys.stdout while it runs
    os.write(1, f"{imported - start:.4f} {opened - imported:.4f} {time.perf_counter() - opened:.4f}".encode())
    os._exit(0)
app.call_after_refresh(lambda: app.screen.call_after_refresh(shown))
app.run(headless=True, size=(80, 24))
"""

PROFILE = """
import cProfile, os, pstats, sys
profile = cProfile.Profile()
profile.enable()
from supervisor_tui.app import SupervisorApp
from supervisor_tui.services import Records
import supervisor_tui.screens.team
app = SupervisorApp(Records.open(sys.argv[1]))
def shown():
    profile.disable()
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
    os._exit(0)
app.call_after_refresh(lambda: app.screen.call_after_refresh(shown))
app.run(headless=True, size=(80, 24))
"""

HELLO_PHASES = """
import os, time
start = time.perf_counter()
from textual.app import App
from textual.widgets import Static
imported = time.perf_counter()
class Hello(App):
    def compose(self):
        yield Static("Hello, world")
    def on_mount(self):
        self.call_after_refresh(self.shown)
    def shown(self):
        os.write(1, f"{imported - start:.4f} 0 {time.perf_counter() - imported:.4f}".encode())
        os._exit(0)
Hello().run(headless=True, size=(80, 24))
"""

ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def env() -> dict[str, str]:
    # The user's config and data folders, when set, stay as given (the benches point them at a scratch
    # folder so the signing key made on first use is not the real user's); otherwise under HOME, a temp folder.
    kept = {name: os.environ[name] for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME") if name in os.environ}
    return {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "HOME": tempfile.gettempdir(),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        **kept,
    }


def first_paint(argv: list[str], *marks: str, timeout: float = 60.0) -> list[float]:
    """Seconds from starting ``argv`` on a new terminal until each of ``marks`` shows on it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env(), start_new_session=True, close_fds=True
    )
    os.close(slave)
    seen = b""
    times: list[float] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal: it ended without painting
                break
            seen += chunk
            text = ESCAPES.sub(b"", seen).decode("utf-8", "replace")
            while len(times) < len(marks) and marks[len(times)] in text:
                times.append(time.perf_counter() - start)
            if len(times) == len(marks):
                return times
        shown = ESCAPES.sub(b"", seen).decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"{argv} never showed {marks[len(times)]!r}:\n{shown}")
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)


def phases(code: str, *args: str) -> list[float]:
    """Where the time goes inside one process: imports, opening the file, the first screen."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env(),
        stdin=subprocess.DEVNULL,
    )
    return [float(x) for x in out.stdout.split()[-3:]]


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:6.0f} ms ({min(samples) * 1000:.0f}-{max(samples) * 1000:.0f})"


def main() -> None:
    if sys.argv[1:2] == ["--profile"]:  # where one start-up to the first screen spends its time
        subprocess.run([sys.executable, "-c", PROFILE, sys.argv[2]], cwd=ROOT, env=env(), check=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        hello_script = Path(folder) / "hello.py"
        hello_script.write_text(HELLO)
        demo = Path(folder) / "demo.json"
        demo_file(demo)
        year = Path(folder) / "year.json"
        add_year_volume(demo_file(year))
        hello = [sys.executable, str(hello_script)]
        files = {"demo": demo, "year": year}
        ours = {name: [sys.executable, "-m", "supervisor_tui", "--db", str(path)] for name, path in files.items()}
        first_paint(hello, HELLO_MARK), first_paint(ours["year"], OURS_MARK)  # warm the disk cache and .pyc files
        times: dict[str, list[float]] = {"hello": [], "demo": [], "year": [], "demo list": [], "year list": []}
        ratios: dict[str, list[float]] = {"demo": [], "year": []}
        for _ in range(RUNS):
            times["hello"] += first_paint(hello, HELLO_MARK)
            for name in ("demo", "year"):
                frame, listed = first_paint(ours[name], OPENING_MARK, OURS_MARK)
                times[name].append(frame)
                times[f"{name} list"].append(listed)
                ratios[name].append(frame / times["hello"][-1])
        split = {
            name: [statistics.median(p) * 1000 for p in zip(*(phases(code, *args) for _ in range(RUNS)), strict=True)]
            for name, code, args in (
                ("hello", HELLO_PHASES, ()),
                ("demo", PHASES, (str(demo),)),
                ("year", PHASES, (str(year),)),
            )
        }
        sizes = {name: path.stat().st_size / 1e6 for name, path in (("demo", demo), ("year", year))}
    h = statistics.median(times["hello"])
    print(f"first paint in an 80x24 terminal, {RUNS} fresh processes each, median (lowest-highest):")
    print(f"  bare Textual hello-world:                                  {spread(times['hello'])}")
    for name, label in (
        ("demo", f"demo file, 20 people x 12 months ({sizes['demo']:.1f} MB)"),
        ("year", f"demo + a year of record volume ({sizes['year']:.1f} MB)"),
    ):
        r = ratios[name]
        print(f"  supervisor-tui, {label}:")
        frame = statistics.median(times[name]) / h
        print(
            f"    first frame ('Opening …'){'':29} {spread(times[name])}  ratio {frame:.2f}x"
            f" (per round {min(r):.2f}-{max(r):.2f}x)" + (" target <= 1.5x" if name == "demo" else "")
        )
        listed = times[f"{name} list"]
        print(f"    the Team list on screen{'':32} {spread(listed)}  ratio {statistics.median(listed) / h:.2f}x")
    print("where the time goes (median ms: imports / open the file / first screen composed and refreshed):")
    for name, label in (("hello", "hello-world"), ("demo", "demo file"), ("year", "demo + year volume")):
        imports, opening, screen = split[name]
        print(f"  {label:20} {imports:6.0f} / {opening:6.0f} / {screen:6.0f}")


if __name__ == "__main__":
    main()
