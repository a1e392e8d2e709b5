"""Data protection: the retention schedule, legal holds, and erasure of personal data, on schedule or on
request (UK GDPR Arts. 5(1)(e), 17, 18; DPA 2018).

What is due is worked out from the schedule (domain.retention): for each kind of personal data, the
records whose period has passed, grouped by person and kind, with what would go. An erasure on request
(a customer, or a former member of staff) takes everything about them that the law does not require
the team to keep, and says what is kept, until when and under which law. Records on a legal hold are
never erased while the hold stands. The erasure itself is the store's (storage.erasure): every value the
fields ever held goes from every file of the record, and each field takes a stand-in that reads
"erased on DATE (reason)" where it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from supervisor_tui.storage import ConflictError, Erasure, ErasureReport, Store, StoreError

from ..domain.base import RecordModel, explain
from ..domain.clock import Clock
from ..domain.complaints import Complaint
from ..domain.fields import moment_day, name_key
from ..domain.people import Member
from ..domain.retention import (
    COMPLAINT_CUSTOMER,
    KINDS,
    MEMBER_DETAILS,
    ROTA,
    SUBJECT_ACCESS,
    DataKind,
    LegalHold,
    Period,
    check_period,
    due_on,
    fully_erased,
    kind_of,
    marker,
    parse_period,
    schedule,
    show_period,
    stand_ins,
)
from ..domain.subject_access import SubjectAccessRequest
from .base import Repository

if TYPE_CHECKING:
    from . import Records

FCA_MONTHS = 36  # DISP 1.9.1R
NOTE_REASON_WIDTH = 60  # the reason as the stand-ins show it; the erase entry keeps it whole


@dataclass(frozen=True)
class Item:
    """One record, and the kind of personal data in it that goes."""

    kind: DataKind
    repo: Repository[Any]
    record: RecordModel
    since: date | None  # the day its period counts from (None: not started, e.g. an open complaint)
    due: date | None  # the first day it is no longer needed (None: not started)

    @property
    def fields(self) -> list[str]:
        """The fields that go, by their titles."""
        model = type(self.record)
        return [model.model_fields[name].title or name for name in self.kind.plans[model]]

    def values(self) -> Iterator[tuple[str, str]]:
        """(field title, the value it holds now) for each field that goes and holds something."""
        model = type(self.record)
        for name in self.kind.plans[model]:
            value = getattr(self.record, name)
            if value in (None, "", [], {}) or name in self.record.erased:
                continue
            yield model.model_fields[name].title or name, _shown(value)


@dataclass(frozen=True)
class Kept:
    """Personal data an erasure leaves, with why and until when."""

    item: Item
    why: str
    until: date | None = None


@dataclass
class Group:
    """What is due (or asked for) about one person, of one kind."""

    whose: str  # "customer", "member" or "requester" (of a subject access request)
    person: str  # their name as the record has it
    person_id: str  # a member's id, or a customer's name key
    kind: DataKind
    items: list[Item] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)


@dataclass
class Preview:
    """What an erasure would take, and what it would keep: shown before anyone confirms it."""

    title: str
    items: list[Item]
    kept: list[Kept]
    warning: str = ""  # said first: something to check before confirming

    def lines(self) -> list[str]:
        """The preview, one line each, plain text (the printer makes it safe for its screen)."""
        out = [f"Check first: {self.warning}"] if self.warning else []
        for item in self.items:
            values = "; ".join(f"{title}: {value}" for title, value in item.values()) or "(held only in its history)"
            out.append(f"{item.record.id} {item.kind.title.lower()}: {values}")
        if self.items:
            out.append("Every earlier value of those fields, and the reasons given for the records' changes, go too.")
        for kept in self.kept:
            until = f" until {kept.until:%d/%m/%Y}" if kept.until else ""
            out.append(f"kept{until}: {kept.item.record.id} ({kept.item.kind.title.lower()}): {kept.why}")
        return out


def _shown(value: Any, width: int = 60) -> str:
    if isinstance(value, (list, dict)):
        return f"{len(value)} item(s)"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class DataProtectionService:
    def __init__(self, records: Records, clock: Clock):
        self.records = records
        self.store: Store = records.store
        self.clock = clock
        self.holds_repo: Repository[LegalHold] = Repository(records.store, "legal_holds", "LH", LegalHold, clock)

    # -- the schedule ----------------------------------------------------------------------------
    def periods(self) -> dict[str, Period]:
        settings = self.records.settings.current()
        return schedule(settings.retention, fca=self.records.complaints.policy.fca)

    def set_period(self, key: str, text: str, reason: str) -> Period:
        months = check_period(key, parse_period(text), fca=self.records.complaints.policy.fca)
        settings = self.records.settings.current()
        self.records.settings.change(reason, retention={**settings.retention, key: months})
        return self.periods()[key]

    # -- holds -----------------------------------------------------------------------------------
    def holds(self, *, include_lifted: bool = False) -> list[LegalHold]:
        found = [h for h in self.holds_repo.all() if include_lifted or h.active]
        return sorted(found, key=lambda h: (not h.active, h.placed_on), reverse=False)

    def place_hold(self, subject: str, reason: str) -> LegalHold:
        subject = subject.strip().upper()
        repo = self._holdable_repo(subject)
        if repo is None:
            raise ValueError(
                f"{subject!r} is not a member or a record that holds personal data: a hold names a member "
                "(M-0003) or one of the records the retention schedule erases, such as a complaint (C-0012)"
            )
        found = self._kept_id(repo, subject)
        if found is None:
            raise ValueError(f"there is no member or record {subject!r} to hold")
        subject = found  # as the record has it: a hold on 'M-13' would match no record's 'M-0013'
        try:
            hold = self.holds_repo.checked(LegalHold(subject=subject, reason=reason, placed_on=self.clock.today()))
        except ValidationError as exc:
            raise ValueError("; ".join(explain(exc, LegalHold))) from None
        return self.holds_repo.create(hold, f"legal hold placed: {hold.reason}")

    def lift_hold(self, hold: LegalHold, reason: str) -> LegalHold:
        if not hold.active:
            raise ValueError(f"{hold.id} was already lifted on {hold.lifted_on:%d/%m/%Y}: {hold.lift_reason}")
        try:
            lifted = self.holds_repo.checked(
                hold.model_copy(update={"lifted_on": self.clock.today(), "lift_reason": reason.strip()})
            )
        except ValidationError as exc:
            raise ValueError("; ".join(explain(exc, LegalHold))) from None
        return self.holds_repo.update(lifted, f"legal hold lifted: {lifted.lift_reason}")

    def holding(self, *ids: str) -> LegalHold | None:
        """The first active hold on any of ``ids`` (a record, or the member it is about). Ids are compared
        by table and number, so a hold saved as 'M-13' before holds were written as the record's own id
        still holds M-0013."""
        wanted = {key for key in map(_id_key, ids) if key}
        return next((h for h in self.holds_repo.all() if h.active and _id_key(h.subject) in wanted), None)

    def _holdable_repo(self, record_id: str) -> Repository[Any] | None:
        """The table an id names by its prefix, if it is one whose records the schedule erases (or the
        team's): a hold on a legal hold, a request or a setting would protect nothing."""
        prefix = record_id.rsplit("-", 1)[0]
        erased = {model for kind in KINDS for model in kind.models}
        return next((r for r in self.records.repositories() if r.prefix == prefix and r.model in erased), None)

    @staticmethod
    def _kept_id(repo: Repository[Any], record_id: str) -> str | None:
        """The id of the record ``repo`` keeps by this one, written as the record writes it (the store
        finds a record by its number alone, so 'M-13' finds M-0013), voided and sealed ones too (they
        are still erased on schedule); None if there is none."""
        try:
            return repo.get(record_id).saved_id
        except StoreError:  # not kept, or not readable as its kind: nothing to hold
            return None

    # -- what is due -----------------------------------------------------------------------------
    def due(self, today: date | None = None) -> list[Group]:
        """Every person's personal data whose period has passed, by person and kind, most overdue first.
        Held records are listed too, as kept, so the page can say why they stay."""
        today = today or self.clock.today()
        periods = self.periods()
        groups: dict[tuple[str, str], Group] = {}
        asked = self._open_requests()
        for item, person, person_id in self._all_items():
            if item.since is None or fully_erased(item.record, item.kind):
                continue
            months = periods[item.kind.key].months
            due = due_on(item.since, months)
            if due > today:
                continue
            item = Item(item.kind, item.repo, item.record, item.since, due)
            group = groups.setdefault((item.kind.key, person_id), Group(item.kind.whose, person, person_id, item.kind))
            hold = self._hold_for(item)
            asking = self._asked(item, asked)
            if hold is not None:
                group.kept.append(Kept(item, f"on legal hold since {hold.placed_on:%d/%m/%Y}: {hold.reason}"))
            elif asking:
                group.kept.append(Kept(item, _ASKED.format(asking)))
            else:
                group.items.append(item)
        found = [g for g in groups.values() if g.items or g.kept]
        return sorted(found, key=lambda g: (min((i.due for i in g.items if i.due), default=today), g.person))

    def _all_items(self) -> Iterator[tuple[Item, str, str]]:
        """Every record holding a kind of personal data: (item, whose name, whose id)."""
        members = {m.saved_id: m for m in self.records.team.repo.with_sealed(None, include_voided=True)}
        tz = self.clock.tz
        repos = {repo.model: repo for repo in self.records.repositories()}
        for complaint in self._records_of(COMPLAINT_CUSTOMER):
            assert isinstance(complaint, Complaint)
            since = closed_on(complaint, tz)
            yield (
                Item(COMPLAINT_CUSTOMER, repos[Complaint], complaint, since, None),
                complaint.customer_name,
                name_key(complaint.customer_name),
            )
        for request in self._records_of(SUBJECT_ACCESS):
            assert isinstance(request, SubjectAccessRequest)
            member = members.get(request.member_id) if request.whose == "member" else None
            yield (
                Item(SUBJECT_ACCESS, repos[SubjectAccessRequest], request, answered_on(request), None),
                member.name if member else request.requester,
                member.saved_id if member else name_key(request.requester),
            )
        for kind in KINDS:
            if kind.whose != "member":
                continue
            for record in self._records_of(kind):
                member_id = record.saved_id if isinstance(record, Member) else getattr(record, "member_id", "")
                member = members.get(member_id)
                if member is None:
                    continue  # a rota line already erased (no one's), or a record of no one on the team
                yield (
                    Item(kind, repos[type(record)], record, self._since(kind, record, member, tz), None),
                    member.name,
                    member.saved_id,
                )

    @staticmethod
    def _since(kind: DataKind, record: RecordModel, member: Member, tz: str) -> date | None:
        if kind.since == "day":
            return getattr(record, "last_day", None) or getattr(record, "day", None)
        return left_on(member, tz)

    def _records_of(self, kind: DataKind) -> Iterator[RecordModel]:
        for model in kind.models:
            yield from self._repo(model).with_sealed(None, include_voided=True)

    def _repo(self, model: type[RecordModel]) -> Repository[Any]:
        return next(repo for repo in self.records.repositories() if repo.model is model)

    def _hold_for(self, item: Item) -> LegalHold | None:
        return self.holding(item.record.saved_id, getattr(item.record, "member_id", ""))

    # -- on request ------------------------------------------------------------------------------
    def for_customer(self, name: str) -> Preview:
        """Everything about the customer called ``name`` that an erasure on their request (Art. 17) takes,
        and what it keeps: an open complaint, one the FCA rules keep, one on hold."""
        wanted = name_key(name)
        if not wanted:
            raise ValueError("give the customer's name as the complaint log has it")
        today, tz = self.clock.today(), self.clock.tz
        fca = self.records.complaints.policy.fca
        items: list[Item] = []
        kept: list[Kept] = []
        asked = self._open_requests()
        for complaint in self._records_of(COMPLAINT_CUSTOMER):
            assert isinstance(complaint, Complaint)
            if name_key(complaint.customer_name) != wanted or fully_erased(complaint, COMPLAINT_CUSTOMER):
                continue
            since = closed_on(complaint, tz)
            item = Item(COMPLAINT_CUSTOMER, self._repo(Complaint), complaint, since, None)
            hold = self._hold_for(item)
            if hold is not None:
                kept.append(Kept(item, f"on legal hold: {hold.reason} (UK GDPR Art. 17(3)(e))"))
            elif asking := self._asked(item, asked):
                kept.append(Kept(item, _ASKED.format(asking)))
            elif since is None:
                kept.append(
                    Kept(item, "still open: its details are needed to answer the complaint; erase it once closed")
                )
            elif fca and due_on(since, FCA_MONTHS) > today:
                kept.append(
                    Kept(
                        item,
                        "FCA DISP 1.9.1R keeps complaint records for three years (UK GDPR Art. 17(3)(b))",
                        due_on(since, FCA_MONTHS),
                    )
                )
            else:
                items.append(item)
        for request in self._records_of(SUBJECT_ACCESS):
            assert isinstance(request, SubjectAccessRequest)
            if request.whose != "customer" or name_key(request.requester) != wanted:
                continue
            if fully_erased(request, SUBJECT_ACCESS):
                continue
            item = Item(SUBJECT_ACCESS, self._repo(SubjectAccessRequest), request, answered_on(request), None)
            self._place(item, items, kept, today)
        if not items and not kept:
            erased = any("customer_name" in c.erased for c in self._records_of(COMPLAINT_CUSTOMER))
            raise ValueError(
                f"no complaint in the log is from a customer called {name!r}"
                + ("; a customer whose details were erased is no longer found by name" if erased else "")
            )
        return Preview(f"customer {name.strip()}", items, kept, _other_people(items, kept))

    def for_member(self, name: str) -> Preview:
        """Everything about the former member called ``name`` that an erasure on their request takes, and
        what it keeps: rota records the Working Time Regulations keep, anything on hold."""
        member = self.find_member(name)
        if member is None:
            raise ValueError(f"no one called {name!r} is or was on the team")
        if member.active:
            raise ValueError(
                f"{member.name} is still in the team: their records are needed for their employment (UK GDPR "
                "Art. 6(1)(b)). Mark them as left first."
            )
        today = self.clock.today()
        items: list[Item] = []
        kept: list[Kept] = []
        asked = self._open_requests()
        for item, _person, person_id in self._all_items():
            if person_id != member.saved_id or fully_erased(item.record, item.kind):
                continue
            hold = self._hold_for(item)
            if item.kind is SUBJECT_ACCESS:
                self._place(item, items, kept, today)
            elif hold is not None:
                kept.append(Kept(item, f"on legal hold: {hold.reason} (UK GDPR Art. 17(3)(e))"))
            elif asking := self._asked(item, asked):
                kept.append(Kept(item, _ASKED.format(asking)))
            elif item.kind is ROTA and item.since and due_on(item.since, ROTA.minimum_months) > today:
                kept.append(
                    Kept(
                        item,
                        "the Working Time Regulations 1998 reg 9 keep working-time records for two years "
                        "(UK GDPR Art. 17(3)(b))",
                        due_on(item.since, ROTA.minimum_months),
                    )
                )
            else:
                items.append(item)
        # The member's own details go last, so the other records still name them until they do.
        items.sort(key=lambda i: i.kind is MEMBER_DETAILS)
        # Once their details are erased their name is 'Former member M-0013': said once, not twice.
        who = member.saved_id if "name" in member.erased else f"{member.name} ({member.saved_id})"
        return Preview(f"former member {who}", items, kept)

    def _place(self, item: Item, items: list[Item], kept: list[Kept], today: date) -> None:
        """A subject access request in an erasure on request: the log of it is kept while it is open and
        then for its period, as the evidence it was answered (UK GDPR Art. 5(2)); the schedule erases it
        after that."""
        hold = self._hold_for(item)
        months = self.periods()[SUBJECT_ACCESS.key].months
        if hold is not None:
            kept.append(Kept(item, f"on legal hold: {hold.reason} (UK GDPR Art. 17(3)(e))"))
        elif item.since is None:
            kept.append(Kept(item, "the request is still open: it must be answered first (UK GDPR Art. 15)"))
        elif due_on(item.since, months) > today:
            kept.append(
                Kept(
                    item,
                    "the log of their request shows it was answered in time (UK GDPR Art. 5(2)); "
                    "the retention schedule erases it then",
                    due_on(item.since, months),
                )
            )
        else:
            items.append(item)

    def _open_requests(self) -> dict[tuple[str, str], str]:
        """Whose subject access request is still open: ("member", id) or ("customer", name key) -> its
        reference."""
        found: dict[tuple[str, str], str] = {}
        for request in self.records.subject_access.repo.all():
            if request.is_open:
                whose = ("member", request.member_id) if request.whose == "member" else None
                found.setdefault(whose or ("customer", name_key(request.requester)), request.saved_id)
        return found

    @staticmethod
    def _asked(item: Item, asked: dict[tuple[str, str], str]) -> str | None:
        """The open subject access request of the person ``item`` is about, if any."""
        record = item.record
        if item.kind is SUBJECT_ACCESS:
            return None  # the log of a request is the request's own record, kept by its own rule
        if isinstance(record, Complaint):
            return asked.get(("customer", name_key(record.customer_name)))
        return asked.get(
            ("member", record.saved_id if isinstance(record, Member) else getattr(record, "member_id", ""))
        )

    def on_request(self, name: str) -> Preview:
        """The erasure someone asks for by a name or a number typed in the app: a former member's, else a
        customer's of that name. A member still in the team is named (and refused) only when no customer
        has that name: a customer who shares a name with a member of staff can still be erased."""
        member = self.find_member(name)
        if member is not None and not member.active:
            return self.for_member(name)
        try:
            return self.for_customer(name)
        except ValueError:
            if member is None:
                raise
        return self.for_member(name)

    def find_member(self, text: str) -> Member | None:
        """A member (or former member) by name, or by number (M-0013)."""
        wanted = text.strip().upper()
        team = self.records.team
        return team.by_name(text) or next((m for m in team.members(include_inactive=True) if m.id == wanted), None)

    # -- erasing ---------------------------------------------------------------------------------
    def erase(self, items: Iterable[Item], reason: str) -> ErasureReport:
        """Erase the personal data of ``items`` (all of them or none), each field taking its stand-in."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValueError("an erasure needs a reason (the request, or the retention rule): it is kept with it")
        chosen = list(items)
        if not chosen:
            raise ValueError("there is nothing to erase")

        def still_allowed() -> None:
            """Asked by the store under its lock, with the record as it is now: a hold placed or a subject
            access request logged by another session since the preview was shown stops the erasure (UK
            GDPR Art. 17(3)(e); DPA 2018 s.173), with nothing written."""
            asked = self._open_requests()
            for item in chosen:
                hold = self._hold_for(item)
                if hold is not None:
                    raise ValueError(
                        f"{item.record.id} is on legal hold ({hold.id}: {hold.reason}): nothing was erased; "
                        "lift the hold first"
                    )
                if request := self._asked(item, asked):
                    raise ValueError(f"{item.record.id}: {_ASKED.format(request)}")

        note = marker(self.clock.today(), reason[:NOTE_REASON_WIDTH])
        # Each record's stand-ins are worked out from the version the preview showed, so the store
        # refuses a record changed since (a step added to its history, a complaint reopened).
        erasures = [
            Erasure(
                item.repo.table,
                item.record.saved_id,
                stand_ins(item.record, item.kind, note),
                reasons=True,
                version=item.record.version,
            )
            for item in chosen
        ]
        try:
            report = self.store.erase(erasures, reason, still_allowed=still_allowed)
        except ConflictError as exc:
            raise ValueError(
                f"{exc.record_id} was changed by {exc.changed_by} since the preview "
                f"({', '.join(exc.fields) or 'its details'}): nothing was erased; look at it again"
            ) from None
        for repo in {id(i.repo): i.repo for i in chosen}.values():
            repo.forget_sealed()
        return report

    def describe(self, key: str) -> str:
        period = self.periods()[key]
        kind = kind_of(key)
        floor = f"; at least {show_period(period.minimum)} ({period.minimum_law})" if period.minimum else ""
        return (
            f"{kind.title}: {period.text} from {_SINCE[kind.since]}{floor}. Why: {kind.why}. Kept after: {kind.kept}."
        )


def _id_key(record_id: str) -> tuple[str, int] | None:
    """A record id as (table prefix, number): 'm-13' and 'M-0013' are one record; None for no id."""
    prefix, _, number = record_id.strip().upper().rpartition("-")
    return (prefix, int(number)) if prefix and number.isdigit() else None


# Erasing what a subject access request would disclose, while it is open, could be the offence in DPA 2018
# s.173 (erasing information "with the intention of preventing disclosure"): it waits for the answer.
_ASKED = (
    "{0}, their subject access request, is still open: nothing it may disclose is erased until it is "
    "answered (DPA 2018 s.173)"
)

_SINCE = {
    "closed": "the complaint's closure",
    "day": "the day of the record",
    "left": "the day they left",
    "answered": "the day the request was answered, refused or withdrawn",
}


def _other_people(items: list[Item], kept: list[Kept]) -> str:
    """Said before a customer's erasure when the complaints under their name give different contact
    details: they may be from two people of that name, and one person's request does not erase the
    other's complaints (the export says the same before anything is sent)."""
    complaints = [i.record for i in items] + [k.item.record for k in kept]
    contacts = {c.customer_contact.strip().casefold() for c in complaints if isinstance(c, Complaint)}
    contacts.discard("")
    if len(contacts) < 2:
        return ""
    return (
        f"{', '.join(c.saved_id for c in complaints)} give {len(contacts)} different contact details: they may be "
        "from different people of that name, and each is erased only on their own request."
    )


def closed_on(complaint: Complaint, tz: str) -> date | None:
    """The day a complaint was closed (its last move to 'closed'), or None while it is open."""
    if complaint.stage != "closed":
        return None
    for event in reversed(complaint.history):
        if event.what == "closed":
            return moment_day(event.at, tz)
    return moment_day(complaint.updated_at, tz) if complaint.updated_at else None


def answered_on(request: SubjectAccessRequest) -> date | None:
    """The day a subject access request ended (delivered, refused or withdrawn), or None while it is open."""
    return request.delivered_on or request.closed_on


def left_on(member: Member, tz: str) -> date | None:
    """The day a member left: as recorded, or for one marked inactive before that was kept, the day of
    their record's last change (when they were marked so). None while they are in the team."""
    if member.active:
        return None
    if member.left_on:
        return member.left_on
    return moment_day(member.updated_at, tz) if member.updated_at else None


__all__ = ["DataProtectionService", "Group", "Item", "Kept", "Preview", "answered_on", "closed_on", "left_on"]
