"""Complaints: the open ones by urgency, and each complaint's page."""

from .overview import ComplaintPage, ComplaintsScreen

__all__ = ["ComplaintPage", "ComplaintsScreen"]
