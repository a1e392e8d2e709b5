"""The week grid for 20 people with a year of history: first render, moving between weeks, and the
rule check behind it. Figures, not assertions; 'without visible lag' means well under ~100 ms a move."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import demo_file

from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.shifts import ShiftsScreen

MOVES = 12


async def measure(records) -> dict[str, float]:
    app = SupervisorApp(records)
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await pilot.press("2")
        await pilot.pause()
        first = time.perf_counter() - start
        assert isinstance(app.screen, ShiftsScreen)
        moves = []
        for key in ["left_square_bracket"] * (MOVES // 2) + ["right_square_bracket"] * (MOVES // 2):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            moves.append(time.perf_counter() - start)
        screen = app.screen
        reloads = []
        for step in [-1] * (MOVES // 2) + [1] * (MOVES // 2):
            start = time.perf_counter()
            screen.action_week(step)  # our part of a move: services, rules, rebuilding the table
            reloads.append(time.perf_counter() - start)
    return {
        "first": first,
        "move_median": statistics.median(moves),
        "move_max": max(moves),
        "reload_median": statistics.median(reloads),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        records = demo_file(Path(folder) / "year.json", team_size=20, months=12)
        shifts = records.shifts.shifts.all()
        monday = date.today() - timedelta(days=date.today().weekday())
        start = time.perf_counter()
        problems = records.shifts.problems(monday, monday + timedelta(days=6))
        check = time.perf_counter() - start
        figures = asyncio.run(measure(records))
    print(f"20 people, {len(shifts)} shifts over a year ({Path(folder).name}):")
    print(f"  rule check for one week (all rules, a year of history): {check * 1000:6.0f} ms, {len(problems)} problems")
    print(f"  Shifts section first shown:                             {figures['first'] * 1000:6.0f} ms")
    print(f"  move to another week, median of {MOVES}:                   {figures['move_median'] * 1000:6.0f} ms")
    print(f"  move to another week, slowest:                          {figures['move_max'] * 1000:6.0f} ms")
    print(f"  of which our reload (services, rules, table), median:   {figures['reload_median'] * 1000:6.0f} ms")
    print("  (a move is timed from the key press until the Pilot reports the app idle, rendering included)")


if __name__ == "__main__":
    main()
