"""The week grid for 20 people with a year of history: first render, moving between weeks, and the
rule check behind it. Figures, not assertions; 'without visible lag' means well under ~100 ms a move.

Moves go back six weeks (weeks not shown yet: their rules are checked) and then forward again
(weeks already shown: their check is kept while nothing it reads has changed), reported apart.
Peer: a bare Textual app refilling a table of the same size (21 rows, 8 columns) on the same keys,
measured in the same run, so a move's ratio says what our services and rules add to Textual's own
redraw."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import demo_file
from textual.app import App
from textual.widgets import DataTable

from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.shifts import ShiftsScreen

MOVES = 12


class BareGrid(App):
    """A week grid with nothing behind it: 20 people and a total row, a name column and seven days."""

    BINDINGS = [("left_square_bracket", "week(-1)"), ("right_square_bracket", "week(1)")]

    def compose(self):
        yield DataTable(id="grid", cursor_type="cell")

    def on_mount(self) -> None:
        self.week = 0
        self.action_week(0)

    def action_week(self, step: int) -> None:
        self.week += step
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("Person", *(f"day {self.week * 7 + d}" for d in range(7)))
        for row in range(21):
            table.add_row(f"Person {row} 37.5h", *(f"09-17T {self.week}" for _ in range(7)))


async def measure_bare() -> list[float]:
    app = BareGrid()
    moves = []
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ["left_square_bracket"] * (MOVES // 2) + ["right_square_bracket"] * (MOVES // 2):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            moves.append(time.perf_counter() - start)
    return moves


async def measure(records) -> dict[str, float]:
    app = SupervisorApp(records)
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await pilot.press("2")
        await pilot.pause()
        first = time.perf_counter() - start
        assert isinstance(app.screen, ShiftsScreen)
        moves: dict[str, list[float]] = {"new": [], "seen": []}
        for key, kind in [("left_square_bracket", "new")] * (MOVES // 2) + [("right_square_bracket", "seen")] * (
            MOVES // 2
        ):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            moves[kind].append(time.perf_counter() - start)
        screen = app.screen
        reloads: dict[str, list[float]] = {"new": [], "seen": []}
        # Further back than the key presses went (new weeks), then forward over them again (seen).
        for step, kind in [(-1, "seen")] * (MOVES // 2) + [(-1, "new")] * (MOVES // 2) + [(1, "seen")] * MOVES:
            start = time.perf_counter()
            screen.action_week(step)  # our part of a move: services, rules, rebuilding the table
            reloads[kind].append(time.perf_counter() - start)
    return {
        "first": first,
        **{f"move_{kind}": statistics.median(times) for kind, times in moves.items()},
        "move_max": max(moves["new"] + moves["seen"]),
        **{f"reload_{kind}": statistics.median(times) for kind, times in reloads.items()},
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        records = demo_file(Path(folder) / "year.json", team_size=20, months=12)
        shifts = records.shifts.shifts.all()
        monday = date.today() - timedelta(days=date.today().weekday())
        start = time.perf_counter()
        problems = records.shifts.problems(monday, monday + timedelta(days=6))
        check = time.perf_counter() - start
        bare = asyncio.run(measure_bare())
        figures = asyncio.run(measure(records))
        bare += asyncio.run(measure_bare())  # before and after ours, so a busy moment is shared
    half = MOVES // 2
    peer = statistics.median(bare)
    print(f"20 people, {len(shifts)} shifts over a year ({Path(folder).name}):")
    for label, seconds, more in (
        ("rule check for one week (all rules, the history they read)", check, f", {len(problems)} problems"),
        ("Shifts section first shown", figures["first"], ""),
        (f"bare Textual table of the same size refilled, median of {len(bare)}", peer, ""),
        (f"move to a week not shown yet, median of {half}", figures["move_new"], "  ratio"),
        (f"move to a week already shown, median of {half}", figures["move_seen"], "  ratio"),
        ("slowest move", figures["move_max"], ""),
        ("of which our reload (services, rules, table), new week", figures["reload_new"], ""),
        ("of which our reload (services, rules, table), week shown", figures["reload_seen"], ""),
    ):
        ratio = f" {seconds / peer:.1f}x the bare table" if more == "  ratio" else more
        print(f"  {label + ':':66} {seconds * 1000:6.0f} ms{ratio}")
    print("  (a move is timed from the key press until the Pilot reports the app idle, rendering included)")


if __name__ == "__main__":
    main()
