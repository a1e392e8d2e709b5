"""Shifts (the rota), one screen or dialog per module:

- ``week``: the week grid, people down and days across, with the week's problems listed (the section);
- ``day``: one day hour by hour, cover against demand (Enter on a day);
- ``fill``: the fill dialog, candidates for a slot ranked with their reasons (f);
- ``forms``: the forms for a shift, a position, demand, a recurring pattern and leave;
- ``cells``: how a shift looks in a grid cell.
"""

from .day import DayScreen
from .fill import FillSlot
from .week import ShiftsScreen

__all__ = ["DayScreen", "FillSlot", "ShiftsScreen"]
