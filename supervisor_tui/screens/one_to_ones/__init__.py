"""One-to-ones: who has what due, recording a meeting, and a person's page."""

from .overview import MemberOneToOnesScreen, OneToOnesScreen, RecordMeetingScreen

__all__ = ["MemberOneToOnesScreen", "OneToOnesScreen", "RecordMeetingScreen"]
