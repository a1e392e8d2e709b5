"""Switching sections on a year-sized file, after each section has been visited once.

Peer: a bare Textual app with the same five sections (one key each, one Static and a Footer per
screen), switched the same way in the same process. For each section it prints

- the switch when nothing changed since it was last shown (the screen is only brought back);
- the switch after one save in this session to a record of that section's table, so the screen
  reloads (services, rules, rebuilding its tables);
- the switch after another session's save to that table, once this session has re-read the file (as
  the app's poll does, off the UI thread; the re-read is not timed);
- for the two reloads, the time spent in our own code: the section screen's reload() (or its load()
  and show(), for a screen that reads in a worker thread), which calls the services and rules and
  fills its widgets (target: within 100 ms);
- how many records were validated in those reloads (a count, not a time).

A switch is timed from the key press until the Pilot reports the app idle, Textual's layout and
rendering included, and is given as a ratio to the bare switch of the same round. Rounds alternate
between the peer and our app; medians and the spread (lowest-highest over the rounds) are printed.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import add_year_volume, demo_file
from pydantic import BaseModel
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from supervisor_tui.app import SupervisorApp, load_class
from supervisor_tui.domain.base import RecordModel
from supervisor_tui.services import Records
from supervisor_tui.storage import Actor, Store

ROUNDS = 5
SIZE = (120, 40)
# section mode -> the table whose record a save changes before switching to it
SECTIONS = {
    "team": ("1", "members"),
    "shifts": ("2", "shifts"),
    "quality": ("3", "quality_checks"),
    "one_to_ones": ("4", "meetings"),
    "complaints": ("5", "complaints"),
}


# Visited in this order, so each switch leaves one section for the next and the last returns to Team.
ORDER = [*list(SECTIONS.items())[1:], ("team", SECTIONS["team"])]


class BareScreen(Screen):
    def compose(self):
        yield Static(f"{self.name}: hello, world")
        yield Footer()


def bare_screen(mode: str) -> Callable[[], Screen]:
    return lambda: BareScreen(name=mode)


class BareApp(App):
    MODES = {mode: bare_screen(mode) for mode in SECTIONS}
    DEFAULT_MODE = "team"
    BINDINGS = [Binding(key, f"switch_mode('{mode}')", mode) for mode, (key, _) in SECTIONS.items()]


class ValidationCount:
    """Counts full validations of stored records (pydantic's model_validate on any record model)."""

    def __init__(self) -> None:
        self.count = 0
        self._original = BaseModel.__dict__["model_validate"]  # pydantic's, which RecordModel inherits

    def __enter__(self) -> ValidationCount:
        original = self._original.__func__

        def counting(cls: type, obj: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(cls, obj, *args, **kwargs)

        setattr(RecordModel, "model_validate", classmethod(counting))  # noqa: B010 - a classmethod, put back on exit
        return self

    def __exit__(self, *exc: object) -> None:
        delattr(RecordModel, "model_validate")  # inherited again


class OwnCode:
    """Time spent in each section screen's own redraw: reload(), or load() (in a worker thread) and
    show() for a screen that reads in the background; the outermost call only (subclasses call super())."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._patched: list[tuple[type, str, Any]] = []

    def __enter__(self) -> OwnCode:
        for screen in map(load_class, SupervisorApp.SECTION_SCREENS.values()):
            for name in ("reload", "load", "show"):
                original = screen.__dict__.get(name)
                if original is None:
                    continue

                def timed(screen_self: Any, *args: Any, original: Any = original) -> Any:
                    start = time.perf_counter()
                    try:
                        return original(screen_self, *args)
                    finally:
                        self.seconds += time.perf_counter() - start

                self._patched.append((screen, name, original))
                setattr(screen, name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        for screen, name, original in self._patched:
            setattr(screen, name, original)


async def switch(pilot, key: str) -> float:
    """From the key press until the screen is drawn, a redraw read in a worker thread included."""
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return time.perf_counter() - start


def touch(store: Store, table: str, round_no: int, how: str) -> None:
    """One save to one record of ``table``: an extra field the models ignore, so every section still reads."""
    record = store.records(table)[len(store.records(table)) // 2]
    store.update(table, record["id"], {"bench": f"{how}{round_no}"}, record["version"])


async def measure_bare(times: dict[str, list[float]]) -> None:
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        for _, (key, _) in ORDER:
            await switch(pilot, key)  # first visits
        for mode, (key, _) in ORDER:
            times[mode].append(await switch(pilot, key))


async def measure_ours(path: Path, other: Store, round_no: int, out: dict[str, dict[str, list[float]]]) -> None:
    app = SupervisorApp(Records.open(str(path)), poll_seconds=3600)  # no poll: the bench re-reads by hand
    store = app.records.store
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        order = ORDER
        for mode, (key, _) in order:
            out["first"][mode].append(await switch(pilot, key))
        for mode, (key, _) in order:
            out["same"][mode].append(await switch(pilot, key))
        for i, (mode, (key, table)) in enumerate(order):
            touch(store, table, round_no, "ours")
            await switch(pilot, order[i - 1][1][0])  # away, so the next switch brings ``mode`` back
            with ValidationCount() as count, OwnCode() as own:
                out["saved"][mode].append(await switch(pilot, key))
            out["validated_saved"][mode].append(count.count)
            out["own_saved"][mode].append(own.seconds)
        for i, (mode, (key, table)) in enumerate(order):
            await switch(pilot, order[i - 1][1][0])
            other.refresh()
            touch(other, table, round_no, "other")
            store.refresh()  # what the poll worker does when it sees the file change
            with ValidationCount() as count, OwnCode() as own:
                out["other"][mode].append(await switch(pilot, key))
            out["validated_other"][mode].append(count.count)
            out["own_other"][mode].append(own.seconds)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.json"
        add_year_volume(demo_file(path))
        size = path.stat().st_size / 1e6
        other = Store(str(path), actor=Actor("alice", 1001))
        bare: dict[str, list[float]] = {mode: [] for mode in SECTIONS}
        kinds = ("first", "same", "saved", "other", "validated_saved", "validated_other", "own_saved", "own_other")
        ours: dict[str, dict[str, list[float]]] = {k: {mode: [] for mode in SECTIONS} for k in kinds}
        for round_no in range(ROUNDS):
            asyncio.run(measure_bare(bare))
            asyncio.run(measure_ours(path, other, round_no, ours))
            print(f"  round {round_no + 1} of {ROUNDS} done", file=sys.stderr)

    def ms(samples: list[float]) -> str:
        return f"{statistics.median(samples) * 1000:4.0f} ({min(samples) * 1000:.0f}-{max(samples) * 1000:.0f})"

    def ratio(kind: str, mode: str) -> str:
        ratios = [o / b for o, b in zip(ours[kind][mode], bare[mode], strict=True)]
        return f"{statistics.median(ratios):4.1f}x"

    print(f"section switch on a year-sized file ({size:.1f} MB), {ROUNDS} rounds; ms median (lowest-highest):")
    print(
        f"  {'section':12} {'bare switch':>14} | {'nothing changed':>16} {'':5} | {'after our save':>16} {'':5}"
        f" {'our code':>13} | {'after another':>16} {'':5} {'our code':>13} | validated"
    )
    for mode in SECTIONS:
        counts = ("validated_saved", "validated_other")
        validated = " / ".join(f"{statistics.median(ours[k][mode]):.0f}" for k in counts)
        print(
            f"  {mode:12} {ms(bare[mode]):>14} | {ms(ours['same'][mode]):>16} {ratio('same', mode)} |"
            f" {ms(ours['saved'][mode]):>16} {ratio('saved', mode)} {ms(ours['own_saved'][mode]):>13} |"
            f" {ms(ours['other'][mode]):>16} {ratio('other', mode)} {ms(ours['own_other'][mode]):>13} | {validated}"
        )
    print("  first visit (not a target: each record is read once, and the app reads them all in the background):")
    print("  " + "  ".join(f"{mode} {ms(ours['first'][mode])}" for mode in SECTIONS))
    print(
        "  ratios: our switch / the bare switch of the same round (Textual's own layout and rendering of a\n"
        "  richer screen included); 'our code': time in the section's reload(), or its load() and show()\n"
        "  (target <= 100 ms);\n"
        "  'validated': records validated in that reload, after our save / after another session's save"
    )


if __name__ == "__main__":
    main()
