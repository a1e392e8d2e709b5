"""The week grid for 20 people with a year of history: first render, moving between weeks, and the
rule check behind it. Figures, not assertions; 'without visible lag' means well under ~100 ms a move.

Moves go back six weeks (weeks not shown yet: their rules are checked) and then forward again
(weeks already shown: their check is kept while nothing it reads has changed), reported apart."""

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
        figures = asyncio.run(measure(records))
    half = MOVES // 2
    print(f"20 people, {len(shifts)} shifts over a year ({Path(folder).name}):")
    for label, seconds, more in (
        ("rule check for one week (all rules, the history they read)", check, f", {len(problems)} problems"),
        ("Shifts section first shown", figures["first"], ""),
        (f"move to a week not shown yet, median of {half}", figures["move_new"], ""),
        (f"move to a week already shown, median of {half}", figures["move_seen"], ""),
        ("slowest move", figures["move_max"], ""),
        ("of which our reload (services, rules, table), new week", figures["reload_new"], ""),
        ("of which our reload (services, rules, table), week shown", figures["reload_seen"], ""),
    ):
        print(f"  {label + ':':60} {seconds * 1000:6.0f} ms{more}")
    print("  (a move is timed from the key press until the Pilot reports the app idle, rendering included)")


if __name__ == "__main__":
    main()
