"""Sealing a period: which records are closed, what a seal before a date would do, and the yearly offer.

Storage moves records and journal lines into a sealed segment (``storage.seal``); what counts as closed
is decided here, from the domain's own fields: past shifts, closed complaints, scored checks, meetings
held, actions done or dropped, plans closed, and voided records of those kinds, each dated before the
cut-off. Storage then seals only those whose every change is dated before it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..domain.dates import local_to_utc, show_stamp
from .base import Repository
from .shifts import RULES_LOOK_BACK

if TYPE_CHECKING:
    from . import Records

# The yearly offer: when nothing has been sealed for this long and the live journal reaches back past the
# offered cut-off (the first of the month a year ago), the app says sealing is possible.
OFFER_EVERY = timedelta(days=365)


@dataclass(frozen=True)
class Kind:
    """One kind of record that can be sealed: its table, what it is called, and when one is closed."""

    label: str
    repository: Callable[[Records], Repository]
    closed_before: Callable[[Records, Any, date], bool]


def _shift_closed(records: Records, shift: Any, cut_off: date) -> bool:
    return shift.day < cut_off


def _complaint_closed(records: Records, complaint: Any, cut_off: date) -> bool:
    return (complaint.voided or complaint.stage == "closed") and records.complaints.received_day(complaint) < cut_off


def _check_closed(records: Records, check: Any, cut_off: date) -> bool:
    return (check.voided or check.overall is not None) and check.date < cut_off


def _meeting_closed(records: Records, meeting: Any, cut_off: date) -> bool:
    return meeting.held_on < cut_off


def _action_closed(records: Records, action: Any, cut_off: date) -> bool:
    return (action.voided or action.status != "open") and (action.done_on or action.due) < cut_off


def _plan_closed(records: Records, plan: Any, cut_off: date) -> bool:
    return (plan.voided or plan.status != "open") and plan.started_on < cut_off


KINDS: tuple[Kind, ...] = (
    Kind("shifts", lambda r: r.shifts.shifts, _shift_closed),
    Kind("complaints", lambda r: r.complaints.repo, _complaint_closed),
    Kind("quality checks", lambda r: r.quality.checks, _check_closed),
    Kind("one-to-one meetings", lambda r: r.one_to_ones.meetings, _meeting_closed),
    Kind("actions", lambda r: r.one_to_ones.actions, _action_closed),
    Kind("improvement plans", lambda r: r.one_to_ones.plans, _plan_closed),
)


@dataclass(frozen=True)
class SealPreview:
    """What sealing before ``cut_off`` would do (or did), as a supervisor reads it before saying yes."""

    cut_off: date
    sealed: dict[str, int]  # kind label -> records sealed
    staying: dict[str, int]  # kind label -> records that stay live
    changed_since: int  # closed records left live because they changed on or after the cut-off
    entries: int  # journal entries moved into the segment
    first_at: str | None
    last_at: str | None
    segment: int

    @property
    def count(self) -> int:
        return sum(self.sealed.values())

    def lines(self, tz: str) -> list[str]:
        if not self.count:
            return [f"Nothing to seal before {self.cut_off:%d/%m/%Y}: no closed record was changed only before it."]
        period = (
            f"{show_stamp(self.first_at, tz)} to {show_stamp(self.last_at, tz)}"
            if self.first_at and self.last_at
            else "?"
        )
        out = [
            f"Seal closed records from before {self.cut_off:%d/%m/%Y} into segment {self.segment} "
            f"(read-only; still readable, never changeable).",
            f"Changes moved with them: {self.entries} ({period}).",
        ]
        out += [f"  {count:>7}  {label}" for label, count in self.sealed.items() if count]
        staying = ", ".join(f"{count} {label}" for label, count in self.staying.items() if count)
        out.append(f"Stay live: {staying or 'nothing of these kinds'}; people, settings and open records always do.")
        if self.changed_since:
            out.append(f"{self.changed_since} closed record(s) changed since the cut-off stay live too.")
        return out


class SealService:
    """Sealing the record's closed past: the preview, the checks on the cut-off, the seal, the offer."""

    def __init__(self, records: Records):
        self.records = records

    @property
    def clock(self):  # noqa: ANN201 - the records' clock (typed there)
        return self.records.clock

    def latest_cut_off(self) -> date:
        """The latest cut-off allowed today: the working-time rules look back this far from today."""
        return self.clock.today() - RULES_LOOK_BACK

    def suggested_cut_off(self) -> date:
        """The cut-off the app offers: the first of the month a year ago, or the latest allowed if later."""
        today = self.clock.today()
        return min((today.replace(day=1) - timedelta(days=365)).replace(day=1), self.latest_cut_off())

    def check_cut_off(self, cut_off: date) -> None:
        """A ValueError saying why records cannot be sealed before ``cut_off``, if they cannot."""
        today = self.clock.today()
        if cut_off > today:
            raise ValueError(f"{cut_off:%d/%m/%Y} is in the future; seal only what is in the past.")
        latest = self.latest_cut_off()
        if cut_off > latest:
            weeks = RULES_LOOK_BACK.days // 7
            raise ValueError(
                f"{cut_off:%d/%m/%Y} is too recent: the working-time rules read the last {weeks} weeks of shifts "
                f"(the 17-week reference period and its margin), so the latest cut-off today is {latest:%d/%m/%Y}."
            )
        sealed_before = self.records.store.sealed_before()
        if sealed_before is not None and cut_off <= sealed_before:
            raise ValueError(f"Records from before {sealed_before:%d/%m/%Y} are already sealed; choose a later date.")

    def closed(self, cut_off: date) -> dict[str, list[str]]:
        """Record ids by table of every closed record dated before the cut-off (voided ones included)."""
        found: dict[str, list[str]] = {}
        for kind in KINDS:
            repo = kind.repository(self.records)
            ids = [m.id for m in repo.all(include_voided=True) if m.id and kind.closed_before(self.records, m, cut_off)]
            if ids:
                found[repo.table] = ids
        return found

    def preview(self, cut_off: date) -> SealPreview:
        """What sealing before ``cut_off`` would do now (nothing is changed)."""
        self.check_cut_off(cut_off)
        store = self.records.store
        plan = store.plan_seal(cut_off, self._until(cut_off), self.closed(cut_off))
        return self._preview(plan)

    def seal(self, cut_off: date, reason: str) -> SealPreview:
        """Seal the closed records before ``cut_off`` (see ``Store.seal``); what was sealed."""
        self.check_cut_off(cut_off)
        plan = self.records.store.seal(cut_off, self._until(cut_off), self.closed(cut_off), reason)
        return self._preview(plan)

    def offer(self) -> date | None:
        """The cut-off to offer, once a year: the first of the month a year ago, when nothing has been sealed
        for a year, the live record reaches back before it, and some closed record is dated before it. (The
        records are read as models, as the app reads them anyway; the journal is not scanned until asked.)"""
        today = self.clock.today()
        cut_off = self.suggested_cut_off()
        store = self.records.store
        if store.read_only:
            return None
        segments = store.segments()
        if segments and (datetime.fromisoformat(segments[-1].sealed_at[:-1]).date() > today - OFFER_EVERY):
            return None
        since = store.live_since()
        if since is None or since.date() >= cut_off or not self.closed(cut_off):
            return None
        return cut_off

    def _until(self, cut_off: date) -> datetime:
        return local_to_utc(cut_off, time(0), self.clock.tz)

    def _preview(self, plan: Any) -> SealPreview:
        sealed, staying = {}, {}
        for kind in KINDS:
            table = kind.repository(self.records).table
            sealed[kind.label] = len(plan.records.get(table, ()))
            staying[kind.label] = plan.staying.get(table, 0)
        return SealPreview(
            cut_off=plan.before,
            sealed=sealed,
            staying=staying,
            changed_since=plan.changed_since,
            entries=plan.entries if plan.count else 0,
            first_at=plan.first_at,
            last_at=plan.last_at,
            segment=plan.segment,
        )
