"""How a shift looks in a grid cell: the week's person-by-day cells and the day view's position letters."""

from __future__ import annotations

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


def week_cell(shifts: list[Shift], flagged: set[str], away: bool, wide: bool = False) -> Text:
    """One person's day in the week grid: their shifts ('09-17T'), ! on one with a rota problem,
    or 'leave' / '·' when they are not working."""
    if not shifts:
        return Text("leave", style="italic") if away else Text("·", style="dim")
    parts = []
    for s in shifts:
        mark = "!" if s.id in flagged else ""
        if wide:  # the flag takes the place of the space, so the position letter always shows
            parts.append(
                Text.assemble(
                    f"{s.start:%H:%M}-{s.end:%H:%M}",
                    ("!", "bold reverse") if mark else " ",
                    position_code(s.position),
                )
            )
        else:
            parts.append(
                Text.assemble(
                    (mark, "bold reverse") if mark else "", f"{s.start:%H}-{s.end:%H}{position_code(s.position)}"
                )
            )
    return Text(" ").join(parts)
