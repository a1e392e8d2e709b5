"""Shifts (the rota): the week grid, the fill dialog and the day view."""

from .week import DayScreen, FillSlot, ShiftsScreen

__all__ = ["DayScreen", "FillSlot", "ShiftsScreen"]
