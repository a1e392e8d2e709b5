"""How a shift looks in a grid cell: the week's person-by-day cells and the day view's position letters."""

from __future__ import annotations

from datetime import time

from rich.text import Text

from ...domain.rota import Shift
from ...output import visible

# One letter per position in the grid; the detail line under it spells the highlighted one out.
POSITION_CODES = {
    "tills": "T",
    "phones": "P",
    "returns desk": "R",
    "complaints desk": "K",
    "click & collect": "C",
    "email": "E",
    "chat": "H",
}


def position_code(position: str) -> str:
    return POSITION_CODES.get(position) or visible(position[:1].upper())


def clock_time(moment: time, wide: bool = False) -> str:
    """A shift's start or end in a grid cell: '9', '17', '22:30' (minutes only when it is not on the
    hour: 16:00-22:30 must never read as 16-22); in a wide grid always '09:00'."""
    if wide:
        return f"{moment:%H:%M}"
    return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}:{moment:%M}"


def shift_text(shift: Shift, flagged: bool, wide: bool = False) -> Text:
    """One shift on one line: '9-17:30T', or '!9-17:30T' when it has a rota problem."""
    times = f"{clock_time(shift.start, wide)}-{clock_time(shift.end, wide)}"
    if wide:  # the flag takes the place of the space, so the position letter always shows
        return Text.assemble(times, ("!", "bold reverse") if flagged else " ", position_code(shift.position))
    return Text.assemble(("!", "bold reverse") if flagged else "", times, position_code(shift.position))


def week_cell(shifts: list[Shift], flagged: set[str], away: bool, wide: bool = False) -> Text:
    """One person's day in the week grid: each shift on its own line ('9-17T', a second one under it),
    ! on one with a rota problem, or 'leave' / '·' when they are not working."""
    if not shifts:
        return Text("leave", style="italic") if away else Text("·", style="dim")
    return Text("\n").join(shift_text(s, s.id in flagged, wide) for s in shifts)


def week_hours(hours: float) -> str:
    """A person's hours in the week beside their name, exactly and short: '37.5h', '17h40'."""
    minutes = round(hours * 60)
    if minutes % 30 == 0:
        return f"{minutes / 60:g}h"
    return f"{minutes // 60}h{minutes % 60:02d}"


def gapped(cell: Text) -> Text:
    """A cell with a space before each of its lines: the grid has no cell padding, so this is the gap
    between one day's column and the next."""
    return Text("\n").join(Text(" ") + line for line in cell.split("\n"))


def cell_width(cell: Text) -> int:
    """The columns a cell needs: its longest line."""
    return max((len(line) for line in cell.plain.split("\n")), default=0)


def position_legend(positions: list[str]) -> list[tuple[str, str]]:
    """Each position's letter and name, for help: the letters the grid and the day view use."""
    return [(position_code(name), name) for name in sorted(positions, key=position_code)]
