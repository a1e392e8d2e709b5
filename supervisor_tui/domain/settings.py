"""The team's own settings, kept in the record so every supervisor works to the same rules.

One place for what every section shares: whose bank holidays count (every business-day deadline,
promptness and the FCA's 'business day'), the team's time zone (dates are typed and shown in it),
and when the week starts for the Working Time Regulations' weekly rest.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from .base import RecordModel
from .dates import DEFAULT_ZONE
from .fields import one_of

Region = Literal["ENG", "SCT", "NIR"]
REGIONS = {"ENG": "England and Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# WTR 1998 reg 11(1)-(2): the employer decides which of these applies (the 14-day options instead of
# 24 hours in each 7 days); young workers always need 48 hours in each 7 days (reg 11(3)).
WeeklyRest = Literal["7-day", "14-day-two-24h", "14-day-one-48h"]
WEEKLY_REST = {
    "7-day": "24 hours' rest in each 7-day period (reg 11(1))",
    "14-day-two-24h": "two 24-hour rests in each 14-day period (reg 11(2)(a))",
    "14-day-one-48h": "one 48-hour rest in each 14-day period (reg 11(2)(b))",
}


class TeamSettings(RecordModel):
    region: Annotated[Region, one_of(Region, "{value!r} is not a part of the UK; use one of {choices}")] = Field(
        default="ENG", title="Bank holidays"
    )
    time_zone: str = Field(default=DEFAULT_ZONE, max_length=60, title="Time zone")
    # WTR 1998 reg 11(4)-(6): weekly rest periods begin at the start of each week, midnight between
    # Sunday and Monday, unless a relevant agreement sets another time (reg 11(4)(a)).
    week_start_day: int = Field(default=0, ge=0, le=6, title="Week starts (day)")
    week_start_time: time = Field(default=time(0, 0), title="Week starts (time)")
    weekly_rest: Annotated[
        WeeklyRest, one_of(WeeklyRest, "{value!r} is not a weekly rest rule; use one of {choices}")
    ] = Field(default="7-day", title="Weekly rest")
    # WTR 1998 reg 11(7): an adult's weekly rest may not include any of the daily rest under reg 10(1),
    # unless objective, technical or work-organisation reasons justify it; then this is true.
    weekly_rest_includes_daily_rest: bool = Field(default=False, title="Weekly rest may include daily rest")
    # Months each kind of personal data is kept (domain.retention.KINDS by key); a kind not named keeps its
    # default. UK GDPR Art. 5(1)(e): the team decides, within the minimums the law sets.
    retention: dict[str, Annotated[int, Field(ge=1, le=600)]] = Field(
        default_factory=dict, title="Retention (months)", max_length=20
    )

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone; use a name such as Europe/London") from None
        return value

    def week_start_text(self) -> str:
        return f"{DAY_NAMES[self.week_start_day]} {self.week_start_time:%H:%M}"


def parse_week_start(text: str) -> tuple[int, time]:
    """'mon 00:00', 'sun', 'saturday 06:00' -> (weekday, time)."""
    from .dates import parse_time

    parts = (text or "").strip().lower().split()
    if not parts or not any(parts[0].startswith(d) for d in DAY_NAMES) or len(parts[0]) < 3 or len(parts) > 2:
        raise ValueError(f"{text!r} is not a week start; write a day and a time, e.g. 'mon 00:00'")
    day = next(i for i, d in enumerate(DAY_NAMES) if parts[0].startswith(d))
    return day, parse_time(parts[1]) if len(parts) == 2 else time(0, 0)
