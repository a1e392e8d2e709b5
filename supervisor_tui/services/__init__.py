"""Use cases joining domain rules to the Store. Screens and the CLI call these, never TinyDB."""

from __future__ import annotations

from dataclasses import dataclass, field

# Re-exported (the ``as`` form says so): screens catch a refused save and the status line reads the
# open record, both without importing the storage room themselves.
from supervisor_tui.storage import ConflictError as ConflictError
from supervisor_tui.storage import Store as Store
from supervisor_tui.storage import StoreError as StoreError
from supervisor_tui.storage import changed_fields as changed_fields
from supervisor_tui.storage import entry_view as entry_view
from supervisor_tui.storage.entries import KEYS_TABLE as KEYS_TABLE

from ..domain.clock import Clock
from .audit_log import AuditLogService
from .base import Repository
from .complaints import ComplaintService
from .data_protection import DataProtectionService
from .evidence import EvidenceService
from .improvement import ImprovementService
from .measures import MeasureService
from .one_to_ones import OneToOneService
from .quality import QualityService
from .report import ReportService
from .sealing import SealService
from .settings import TeamSettingsService
from .shifts import ShiftService
from .subject_access import SubjectAccessService
from .team import TeamService
from .today import TodayService

CLOCK_SLACK_S = 120.0  # clocks on one network agree within seconds; two minutes is clearly wrong


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
    settings: TeamSettingsService = field(init=False)
    team: TeamService = field(init=False)
    shifts: ShiftService = field(init=False)
    quality: QualityService = field(init=False)
    one_to_ones: OneToOneService = field(init=False)
    complaints: ComplaintService = field(init=False)
    sealing: SealService = field(init=False)
    data_protection: DataProtectionService = field(init=False)
    subject_access: SubjectAccessService = field(init=False)
    evidence: EvidenceService = field(init=False)
    measures: MeasureService = field(init=False)
    improvement: ImprovementService = field(init=False)
    report: ReportService = field(init=False)
    audit_log: AuditLogService = field(init=False)

    def __post_init__(self) -> None:
        self.settings = TeamSettingsService(self.store, self.clock)
        # The clock reads the team's time zone from the settings each time (another session may change it).
        self.clock = self.clock.in_zone(lambda: self.settings.current().time_zone)
        self.team = TeamService(self.store, self.clock)
        self.shifts = ShiftService(self.store, self.team, self.clock, self.settings)
        self.quality = QualityService(self.store, self.team, self.clock)
        self.complaints = ComplaintService(self.store, self.clock, self.settings)
        self.one_to_ones = OneToOneService(
            self.store, self.team, self.quality, self.complaints, self.clock, self.settings
        )
        self.sealing = SealService(self)
        self.data_protection = DataProtectionService(self, self.clock)
        self.subject_access = SubjectAccessService(self.store, self.clock, self.settings, self.team)
        self.evidence = EvidenceService(self)
        self.measures = MeasureService(self)
        self.improvement = ImprovementService(self)
        self.today = TodayService(self)
        self.report = ReportService(self)
        self.audit_log = AuditLogService(self)

    @property
    def tz(self) -> str:
        """The team's time zone: dates are shown and typed in it."""
        return self.clock.tz

    @property
    def login(self) -> str:
        """Who is using this session (the OS login its changes are signed with): the default owner
        of a complaint logged or a briefing led here."""
        return self.store.actor.login

    def clock_warning(self) -> str | None:
        """Said by the app and the CLI when this machine's clock is well behind the record's last change.

        The store stamps the real time and never moves it forward to look tidy; a clock that is
        behind is a fact to make visible, not to hide (see Store.now_stamp)."""
        behind = self.store.clock_behind()
        if behind <= CLOCK_SLACK_S:
            return None
        minutes = behind / 60
        amount = f"{minutes:.0f} minutes" if minutes < 120 else f"{minutes / 60:.0f} hours"
        return (
            f"this machine's clock is {amount} behind the record's last change. Changes are stamped with "
            "this machine's time as it is, so they will look earlier than that change; ask whoever runs "
            "the server to check its clock."
        )

    def record_notices(self) -> list[tuple[str, str]]:
        """(title, message) for what the store did or found on opening that a supervisor should know: an
        upgrade to the journal format, a snapshot rebuilt from the journal, a key that cannot be used."""
        store, notices = self.store, []
        if store.upgraded:
            notices.append(("Record upgraded", store.upgraded[0].upper() + store.upgraded[1:] + "."))
        if store.snapshot_problem:
            rebuilt = store.snapshot_rebuilt
            notices.append(
                (
                    "Record snapshot rebuilt",
                    f"{store.snapshot_problem} The records were read from the journal, which holds everything"
                    + (
                        "; the snapshot has been written again from it."
                        if rebuilt
                        else "; the next save writes the snapshot again."
                    ),
                )
            )
        if store.checkpoint_problem:
            notices.append(("Snapshot not written", store.checkpoint_problem))
        if store.key_problem:
            notices.append(("Your signing key", store.key_problem))
        return notices

    def repositories(self) -> list[Repository]:
        """Every table the services keep, for whole-record checks."""
        return [
            value
            for service in (
                self.settings,
                self.team,
                self.shifts,
                self.quality,
                self.one_to_ones,
                self.complaints,
                self.data_protection,
                self.subject_access,
                self.improvement,
            )
            for value in vars(service).values()
            if isinstance(value, Repository)
        ]

    def damaged(self, *, read_all: bool = False) -> dict[str, str]:
        """Records that could not be read as their kind, by id, with the reason (see Repository)."""
        found: dict[str, str] = {}
        for repo in self.repositories():
            if read_all:
                repo.all(include_voided=True)
            found.update(repo.damaged)
        return found

    def search_targets(self) -> list[Target]:
        """Every person and record a supervisor might jump to, by name and id."""
        targets = [
            Target("member", m.saved_id, f"{m.name} ({m.id})", m.job_title + ("" if m.active else " · inactive"))
            for m in self.team.members(include_inactive=True)
        ]
        targets += [
            Target("complaint", c.saved_id, f"{c.id} {c.customer_name}", f"{c.category} · {c.stage}")
            for c in self.complaints.repo.all()
        ]
        targets += [
            Target("sar", r.saved_id, f"{r.id} {r.requester}", f"subject access request · {v.state}")
            for v in self.subject_access.requests()
            for r in (v.request,)
        ]
        targets += [
            Target("improvement", a.saved_id, f"{a.id} {a.title}", f"improvement action · {a.stage_text()}")
            for a in self.improvement.repo.all()
        ]
        return targets

    @classmethod
    def open(
        cls, path: str, *, create: bool = True, clock: Clock | None = None, shared: bool = False, upgrade: bool = True
    ) -> Records:
        """The record at ``path``; the store stamps its entries from the same clock and signs them with the
        user's own key (made on first use in their config folder: see storage.signing.own_key). ``shared``
        makes a new file group read-write (see storage.files.Folder.new_file_mode). A v1 file is upgraded by
        its first writer unless ``upgrade`` is False (then it is read as it is, read-only)."""
        clock = clock or Clock()
        store = Store(path, create=create, clock=clock.now, shared=shared, upgrade=upgrade)
        store.key_fingerprint  # noqa: B018 - load (or make) the signing key now, off the UI thread
        return cls(store, clock)
