"""The subject access request log (UK GDPR Art. 15): log a request, record the identity check and any
clarification, extend it (Art. 12(3)), deliver it, or close it as refused or withdrawn; the open ones
by due date, and those due soon for the Today screen. Every change is audited with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from supervisor_tui.storage import NotFoundError, Store

from ..domain.clock import Clock
from ..domain.dates import show_date
from ..domain.subject_access import (
    Closing,
    Deadline,
    State,
    SubjectAccessRequest,
    check_extension,
    request_state,
    response_deadline,
    time_left,
)
from ..output import csv_text
from .base import Repository, record_number
from .settings import TeamSettingsService
from .team import TeamService

TABLE, PREFIX = "subject_access_requests", "SAR"
_REFERENCE = re.compile(r"\s*sar-?0*(\d{1,9})\s*", re.IGNORECASE)
CSV_COLUMNS = [
    "reference",
    "who",
    "requester_is",
    "member",
    "received",
    "received_how",
    "identity_checked",
    "identity_how",
    "clock_starts",
    "due",
    "extended",
    "extension_reason",
    "told_of_extension",
    "state",
    "time_left",
    "delivered",
    "delivered_how",
    "closed",
    "close_reason",
]


@dataclass(frozen=True)
class RequestView:
    """A request as the list shows it: its deadline (None while a clarification is awaited), its state
    and the time left, all worked out for one day."""

    request: SubjectAccessRequest
    deadline: Deadline | None
    state: State
    left: str

    @property
    def id(self) -> str:
        return self.request.saved_id

    @property
    def overdue(self) -> bool:
        return self.left.startswith("overdue")


class SubjectAccessService:
    def __init__(self, store: Store, clock: Clock, settings: TeamSettingsService, team: TeamService):
        self.store, self.clock, self.settings, self.team = store, clock, settings, team
        self.repo: Repository[SubjectAccessRequest] = Repository(store, TABLE, PREFIX, SubjectAccessRequest, clock)

    @property
    def region(self) -> str:
        """Whose bank holidays move a deadline: the team setting every section shares."""
        return self.settings.region

    # -- reading -----------------------------------------------------------------------------------
    def get(self, reference: str) -> SubjectAccessRequest:
        """A request by its reference as typed ('SAR-0003', 'sar-3', 'SAR3'); a ValueError naming it if
        there is none (a reference of another kind of record is not one of ours, whatever its number)."""
        match = _REFERENCE.fullmatch(reference or "")
        if match is None:
            raise ValueError(f"{reference!r} is not a subject access request reference; they look like SAR-0001")
        wanted = f"{PREFIX}-{int(match[1]):04d}"
        try:
            found = self.repo.get(wanted)
        except NotFoundError:
            found = None
        if found is None or found.id != wanted or found.voided:
            raise ValueError(f"There is no subject access request {wanted}.")
        return found

    def deadline(self, request: SubjectAccessRequest) -> Deadline | None:
        return response_deadline(request, self.region)

    def view(self, request: SubjectAccessRequest, today: date | None = None) -> RequestView:
        deadline = self.deadline(request)
        return RequestView(
            request, deadline, request_state(request), time_left(request, deadline, today or self.clock.today())
        )

    def requests(self, *, open_only: bool = False, today: date | None = None) -> list[RequestView]:
        """Open requests first, by due date (those whose clock has not started after them); then the
        answered ones, most recently received first."""
        today = today or self.clock.today()
        views = [self.view(r, today) for r in self.repo.all() if r.is_open or not open_only]
        still_open = sorted(
            (v for v in views if v.request.is_open),
            key=lambda v: (v.deadline is None, v.deadline.due if v.deadline else date.max, record_number(v.id)),
        )
        answered = sorted(
            (v for v in views if not v.request.is_open),
            key=lambda v: (v.request.received_on, record_number(v.id)),
            reverse=True,
        )
        return still_open + answered

    def due_soon(self, today: date, within_days: int = 7) -> list[RequestView]:
        """Open requests overdue or due within ``within_days`` of ``today``, most urgent first (for the
        Today screen). Those waiting on a clarification have no deadline yet, so none is due."""
        last = today + timedelta(days=within_days)
        return [v for v in self.requests(open_only=True, today=today) if v.deadline and v.deadline.due <= last]

    # -- writing -----------------------------------------------------------------------------------
    def log(
        self, requester: str, received_on: date, *, member_id: str = "", how: str = "", notes: str = ""
    ) -> SubjectAccessRequest:
        """Log a request: from a member of staff (``member_id``, who must be on the team) or, with no
        member, from a customer."""
        if member_id:
            try:
                known = self.team.get(member_id).id == member_id
            except NotFoundError:
                known = False
            if not known:
                raise ValueError(f"Member of staff: there is no {member_id} on the team")
        request = SubjectAccessRequest(
            requester=requester,
            whose="member" if member_id else "customer",
            member_id=member_id,
            received_on=received_on,
            received_how=how,
            notes=notes,
        )
        return self.repo.create(request, "subject access request received (UK GDPR Art. 15)")

    def record_identity_check(self, request: SubjectAccessRequest, on: date, how: str = "") -> SubjectAccessRequest:
        """The information confirming who they are arrived ``on`` (UK GDPR Art. 12(6)): if that is after
        receipt, the month runs from then."""
        self._still_open(request, "record an identity check")
        changed = request.model_copy(update={"identity_checked_on": on, "identity_how": how})
        return self.repo.update(changed, f"identity checked on {on:%d/%m/%Y} (UK GDPR Art. 12(6))")

    def record_clarification(
        self, request: SubjectAccessRequest, asked_on: date, received_on: date | None = None
    ) -> SubjectAccessRequest:
        """A clarification asked for ``asked_on`` and, once it comes, received ``received_on``: the month
        starts again from its receipt (ICO guidance on Art. 12(3)); until then the clock has not started."""
        self._still_open(request, "record a clarification")
        changed = request.model_copy(
            update={"clarification_asked_on": asked_on, "clarification_received_on": received_on}
        )
        words = f"clarification asked for on {asked_on:%d/%m/%Y}"
        if received_on is not None:
            words += f", received on {received_on:%d/%m/%Y}: the month runs from then (UK GDPR Art. 12(3))"
        return self.repo.update(changed, words)

    def extend(self, request: SubjectAccessRequest, reason: str, told_on: date | None = None) -> SubjectAccessRequest:
        """Extend by two further months for a complex or numerous request (UK GDPR Art. 12(3)); refused
        with the reason when the person was told after the first month, or there is nothing to extend."""
        told_on = told_on or self.clock.today()
        check_extension(request, told_on, reason, self.region)
        changed = request.model_copy(
            update={"extended": True, "extension_reason": reason.strip(), "extension_told_on": told_on}
        )
        return self.repo.update(changed, f"extended by two months under UK GDPR Art. 12(3): {reason.strip()}")

    def deliver(self, request: SubjectAccessRequest, on: date, how: str = "") -> SubjectAccessRequest:
        """The copy of their data went to the person ``on`` (UK GDPR Art. 15(3))."""
        self._still_open(request, "deliver it")
        changed = request.model_copy(update={"delivered_on": on, "delivered_how": how})
        view = self.view(changed, on)
        return self.repo.update(changed, f"delivered on {on:%d/%m/%Y} ({view.left}; UK GDPR Art. 15)")

    def close(
        self, request: SubjectAccessRequest, closing: Closing, reason: str, on: date | None = None
    ) -> SubjectAccessRequest:
        """Close a request as refused (manifestly unfounded or excessive, UK GDPR Art. 12(5), the person
        told why and of their right to complain, Art. 12(4)) or withdrawn by the person, with the reason."""
        if not reason.strip():
            raise ValueError(f"Why it was closed: a request {closing} needs the reason; it stays on the record")
        self._still_open(request, f"close it as {closing}")
        on = on or self.clock.today()
        changed = request.model_copy(update={"closed_as": closing, "closed_on": on, "close_reason": reason.strip()})
        return self.repo.update(changed, f"{closing}: {reason.strip()}")

    def _still_open(self, request: SubjectAccessRequest, what: str) -> None:
        if not request.is_open:
            raise ValueError(f"{request.id} is {request_state(request)}: it is too late to {what}")

    # -- CSV ---------------------------------------------------------------------------------------
    def export_csv(self, *, open_only: bool = False, today: date | None = None) -> str:
        names = {m.saved_id: m.name for m in self.team.members(include_inactive=True)}
        return csv_text(CSV_COLUMNS, [_row(v, names) for v in self.requests(open_only=open_only, today=today)])


def _row(v: RequestView, names: dict[str, str]) -> dict[str, str]:
    r, deadline = v.request, v.deadline
    return {
        "reference": v.id,
        "who": r.requester,
        "requester_is": "member of staff" if r.whose == "member" else "customer",
        "member": names.get(r.member_id, r.member_id),
        "received": show_date(r.received_on),
        "received_how": r.received_how,
        "identity_checked": show_date(r.identity_checked_on),
        "identity_how": r.identity_how,
        "clock_starts": show_date(deadline.starts) if deadline else "",
        "due": show_date(deadline.due) if deadline else "",
        "extended": "yes" if r.extended else "no",
        "extension_reason": r.extension_reason,
        "told_of_extension": show_date(r.extension_told_on),
        "state": v.state,
        "time_left": v.left,
        "delivered": show_date(r.delivered_on),
        "delivered_how": r.delivered_how,
        "closed": show_date(r.closed_on),
        "close_reason": r.close_reason,
    }
