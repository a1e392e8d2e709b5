"""The one clock: today and now in the team's time zone.

Nothing else reads the machine's clock. The app and the CLI make one ``Clock`` and pass it to the
services and the store, so a server running in UTC still shows the London date after midnight BST,
and tests, snapshots and the demo can fix or move 'now' in one place. The zone is the team's setting
(``TeamSettings.time_zone``): the clock reads it each time, so a change another supervisor saves is
followed without reopening anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from .dates import DEFAULT_ZONE, parse_date, parse_local_datetime, to_local


def machine_now() -> datetime:
    """The machine's clock as an aware UTC instant (the only call to it in the app)."""
    return datetime.now(UTC)


class Clock:
    def __init__(self, tz: str | Callable[[], str] = DEFAULT_ZONE, source: Callable[[], datetime] = machine_now):
        self._tz = tz
        self.source = source

    def __repr__(self) -> str:
        return f"Clock(tz={self.tz!r})"

    @property
    def tz(self) -> str:
        """The team's time zone (an IANA name such as Europe/London)."""
        return self._tz() if callable(self._tz) else self._tz

    def now(self) -> datetime:
        """Now, as an aware UTC instant."""
        moment = self.source()
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def local_now(self) -> datetime:
        """Now on the team's wall clock."""
        return to_local(self.now(), self.tz)

    def today(self) -> date:
        """The team's calendar date (not the server's: after midnight BST a UTC server is a day behind)."""
        return self.local_now().date()

    # What people type, read against this clock's today ('today', 'fri', '+2w', '24/11/2026').
    def read_date(self, text: str) -> date:
        return parse_date(text, self.today())

    def read_optional_date(self, text: str) -> date | None:
        """A date, or None when the field was left blank."""
        return self.read_date(text) if (text or "").strip() else None

    def read_moment(self, text: str) -> datetime:
        """A date and time typed on the team's wall clock ('today 9:30'), as a UTC instant."""
        return parse_local_datetime(text, self.tz, self.today())

    def in_zone(self, tz: str | Callable[[], str]) -> Clock:
        """The same source of time, read in another zone (the team setting, once it is loaded)."""
        return Clock(tz, self.source)

    @classmethod
    def fixed(cls, moment: datetime, tz: str = DEFAULT_ZONE) -> Clock:
        """A clock stopped at ``moment`` (naive means UTC): for tests and snapshots."""
        stopped = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return cls(tz, lambda: stopped)
