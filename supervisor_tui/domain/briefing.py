"""The start-of-shift briefing: what was said and who heard it, so nobody is left out of the loop.

Communicating to the team, and proving everyone on shift heard it (or was caught up afterwards),
is one of the supervisor's marked duties; the record is what shows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field, ValidationInfo, model_validator

from .base import RecordModel
from .fields import LongText, PersonName, RecordDate, context_today, refuse_before, refuse_future


class Briefing(RecordModel):
    """The start-of-shift briefing: what was said and who heard it, so nobody is left out of the loop."""

    day: RecordDate = Field(title="Date")
    led_by: PersonName = Field(default="", title="Led by", max_length=80)
    targets: LongText = Field(default="", title="Targets", max_length=2000)
    issues: LongText = Field(default="", title="Issues", max_length=2000)
    updates: LongText = Field(default="", title="Updates", max_length=2000)
    attended: list[str] = Field(default_factory=list, title="Attended", max_length=200)
    caught_up: dict[str, RecordDate] = Field(default_factory=dict, title="Caught up", max_length=200)

    @model_validator(mode="after")
    def _says_something(self, info: ValidationInfo) -> Briefing:
        if not (self.targets.strip() or self.issues.strip() or self.updates.strip()):
            raise ValueError("Targets: a briefing needs at least one target, issue or update to be a record")
        # The record of what was said and who heard it is written once it has happened: attendance
        # cannot be ticked for tomorrow, and nobody is caught up on a briefing before it was given.
        today = context_today(info)
        refuse_future(self.day, today, "Date")
        for caught_on in self.caught_up.values():
            refuse_before(caught_on, self.day, "Caught up", "the briefing")
            refuse_future(caught_on, today, "Caught up")
        return self

    def still_to_catch_up(self, on_shift: Iterable[str]) -> list[str]:
        """People on shift that day who neither attended nor have been caught up since."""
        return [m for m in on_shift if m not in self.attended and m not in self.caught_up]
