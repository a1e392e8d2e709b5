"""Use cases joining domain rules to the Store. Screens and the CLI call these, never TinyDB."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage import Store

from ..domain.clock import Clock
from .complaints import ComplaintService
from .one_to_ones import OneToOneService
from .quality import QualityService
from .shifts import ShiftService
from .team import TeamService


@dataclass(frozen=True)
class Target:
    """Something the command palette can jump to."""

    kind: str  # e.g. "member"; the app maps it to a section and a page
    id: str
    text: str  # what the palette matches and shows
    help: str = ""


@dataclass
class Records:
    """Everything a screen or command needs, opened on one record file."""

    store: Store
    clock: Clock = field(default_factory=Clock)
    team: TeamService = field(init=False)
    shifts: ShiftService = field(init=False)
    quality: QualityService = field(init=False)
    one_to_ones: OneToOneService = field(init=False)
    complaints: ComplaintService = field(init=False)

    def __post_init__(self) -> None:
        self.team = TeamService(self.store, self.clock)
        self.shifts = ShiftService(self.store, self.team, self.clock)
        self.quality = QualityService(self.store, self.team, self.clock)
        self.complaints = ComplaintService(self.store, self.clock)
        self.one_to_ones = OneToOneService(self.store, self.team, self.quality, self.complaints, self.clock)

    @property
    def tz(self) -> str:
        """The team's time zone: dates are shown and typed in it."""
        return self.clock.tz

    def search_targets(self) -> list[Target]:
        """Every person and record a supervisor might jump to, by name and id."""
        targets = [Target("member", m.id, f"{m.name} ({m.id})", m.job_title + ("" if m.active else " · inactive"))
                   for m in self.team.members(include_inactive=True)]
        targets += [Target("complaint", c.id, f"{c.id} {c.customer_name}", f"{c.category} · {c.stage}")
                    for c in self.complaints.repo.all()]
        return targets

    @classmethod
    def open(cls, path: str, *, create: bool = True, clock: Clock | None = None) -> "Records":
        """The record at ``path``; the store stamps its audit entries from the same clock."""
        clock = clock or Clock()
        return cls(Store(path, create=create, clock=clock.now), clock)
