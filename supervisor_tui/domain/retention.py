"""How long the record keeps each kind of personal data, and what is left when it goes.

UK GDPR Art. 5(1)(e) (storage limitation): personal data is kept "for no longer than is necessary for
the purposes for which [it is] processed"; Art. 5(2) (accountability): the team must be able to show
it. Each kind of personal data the record holds has a period, counted from an event (the complaint
closed, the shift worked, the person left), a reason, and where the law sets a minimum, that minimum.
When the period has passed, the kind's fields are erased (Art. 17(1)(a): no longer necessary) and take
stand-ins that keep the anonymised facts reports count (dates, scores, categories, root causes).

Minimums in law (a setting shorter than these is refused):
- Working Time Regulations 1998 reg 9: records adequate to show the limits are kept to, "retained for
  two years from the time they were made".
- FCA DISP 1.9.1R: a record of each complaint and the measures taken for its resolution, kept for at
  least three years (five for MiFID business: a team under MiFID sets that itself).
No law sets a minimum for one-to-one notes, quality feedback or improvement plans; the default follows
the six years in which a claim about the contract of employment can be brought (Limitation Act 1980
s.5), and a team may keep them for less.

Pure rules: no Textual, no storage. The services find the records and erase them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field, ValidationInfo, model_validator

from .base import RecordModel
from .complaints import Complaint
from .fields import LongText, RecordDate, context_today, refuse_before, refuse_future
from .one_to_ones import Action, ImprovementPlan, Meeting, Objective
from .people import Member
from .quality import CalibrationSession, QualityCheck
from .rota import Leave, Shift
from .subject_access import SubjectAccessRequest

Whose = Literal["customer", "member", "requester"]
# What a kind's clock runs from: the complaint closed, the day of the record itself, the person left, the
# subject access request answered (or refused, or withdrawn).
Since = Literal["closed", "day", "left", "answered"]
MAX_MONTHS = 12 * 50
MARKER_PREFIX = "erased on "


# -- how a field is emptied ------------------------------------------------------------------------
# A plan says, for each field of a record, what its stand-in is. The stand-in of text is the marker
# ("erased on 24/11/2026 (reason)") where the field can hold it, so every screen and export shows where
# a value was; nested parts keep their dates and lose their words.
# (the field's current value as JSON, the marker, the record's id) -> its stand-in
Blank = Callable[[Any, str, str], Any]


def marked(value: Any, marker: str, record_id: str) -> str:
    """Text: the marker."""
    return marker


def marked_if_any(value: Any, marker: str, record_id: str) -> Any:
    """Text that the record's own rules require only when something else is set (an extension's reason):
    the marker where there was text, empty where there was none."""
    return marker if value else value


def emptied(value: Any, marker: str, record_id: str) -> Any:
    """Text, a list or a mapping: empty of the same type ('' , [], {})."""
    return type(value)() if isinstance(value, (str, list, dict)) else None


def nothing(value: Any, marker: str, record_id: str) -> None:
    """A value that may be absent (a date of birth): None."""
    return None


# Whose a rota line is once its person has been erased (its member_id emptied): it still counts as cover.
ERASED_PERSON = "(erased)"


def former_member(value: Any, marker: str, record_id: str) -> str:
    """A name: 'Former member M-0013', so lists and other records still tell people apart."""
    return f"Former member {record_id}"


def parts_marked(*names: str, empty: Iterable[str] = ()) -> Blank:
    """A list of parts (a complaint's history, a plan's reviews): each part keeps everything but the text
    fields ``names`` (which take the marker where they held anything) and ``empty`` (emptied)."""
    cleared = tuple(empty)

    def blank(value: Any, marker: str, record_id: str) -> Any:
        if not isinstance(value, list):
            return value
        out = []
        for part in value:
            if isinstance(part, dict):
                part = dict(part)
                for name in names:
                    if part.get(name):
                        part[name] = marker
                for name in cleared:
                    if name in part:
                        part[name] = emptied(part[name], marker, record_id)
            out.append(part)
        return out

    return blank


@dataclass(frozen=True)
class DataKind:
    """One kind of personal data, as the retention schedule and an erasure see it."""

    key: str
    title: str
    whose: Whose
    since: Since
    default_months: int
    why: str  # the reason for the period, shown beside it
    kept: str  # what is left after erasure, and why that is not personal data (or is needed)
    plans: dict[type[RecordModel], dict[str, Blank]] = field(default_factory=dict)
    minimum_months: int = 0
    minimum_law: str = ""

    @property
    def models(self) -> tuple[type[RecordModel], ...]:
        return tuple(self.plans)


def _fca_minimum(kind: DataKind, fca: bool) -> tuple[int, str]:
    if kind.key == "complaint_customer" and fca:
        return 36, "FCA DISP 1.9.1R keeps a record of each complaint for at least three years"
    return kind.minimum_months, kind.minimum_law


COMPLAINT_CUSTOMER = DataKind(
    key="complaint_customer",
    title="Customers' details in complaints",
    whose="customer",
    since="closed",
    default_months=6,
    why=(
        "kept while the complaint may be reopened or referred: a customer has six months from the final "
        "response to go to an ombudsman (FCA DISP 2.8.2R; most retail ADR schemes likewise). Under the FCA "
        "policy, at least three years (DISP 1.9.1R)"
    ),
    kept=(
        "the complaint's dates, channel, category, product, severity, stage, escalations, deadlines met, "
        "remedy, root cause and lesson: the complaint statistics still add up"
    ),
    plans={
        Complaint: {
            "customer_name": marked,
            "customer_contact": emptied,
            "summary": marked,
            "wants": emptied,
            "outcome": emptied,
            "history": parts_marked("note"),
        }
    },
)
ROTA = DataKind(
    key="rota",
    title="Rota and working-time records",
    whose="member",
    since="day",
    default_months=24,
    minimum_months=24,
    minimum_law='WTR 1998 reg 9: working-time records are "retained for two years from the time they were made"',
    why="the Working Time Regulations 1998 reg 9 require two years; after that no law or purpose needs them",
    kept=(
        "the shift's day, times, position and break, and the leave's dates: cover and hours still count, "
        "but no longer say whose they were"
    ),
    plans={
        Shift: {"member_id": emptied, "reason": emptied, "note": emptied},
        Leave: {"member_id": emptied, "kind": marked},
    },
)
ONE_TO_ONES = DataKind(
    key="one_to_ones",
    title="One-to-one notes, objectives and actions",
    whose="member",
    since="left",
    default_months=72,
    why=(
        "kept as evidence while a claim about their employment can be brought: six years for a claim on the "
        "contract (Limitation Act 1980 s.5)"
    ),
    kept="the dates of meetings, actions and objectives and whether they were met: one-to-one counts still add up",
    plans={
        Meeting: {
            "feedback": emptied,
            "member_view": emptied,
            "notes": marked,
            "disagreement": emptied,
            "agenda": emptied,
        },
        Action: {"what": marked, "drop_reason": emptied},
        Objective: {"text": marked, "measure": emptied, "target": emptied, "outcome_link": emptied},
    },
)
IMPROVEMENT_PLANS = DataKind(
    key="improvement_plans",
    title="Improvement plans",
    whose="member",
    since="left",
    default_months=72,
    why=(
        "kept as evidence while a claim about their employment (or its ending) can be brought: six years for "
        "a claim on the contract (Limitation Act 1980 s.5)"
    ),
    kept="the plan's start, review dates, outcomes and status",
    plans={
        ImprovementPlan: {
            "issues": parts_marked("text"),
            "targets": marked,
            "support": marked,
            "reviews": parts_marked("progress"),
            "final_result": emptied,
        }
    },
)
QUALITY_FEEDBACK = DataKind(
    key="quality_feedback",
    title="Quality feedback",
    whose="member",
    since="left",
    default_months=72,
    why=(
        "kept as evidence behind one-to-ones and improvement plans, for as long as those are (Limitation Act 1980 s.5)"
    ),
    kept="each check's date, channel, standard edition, scores and result: quality statistics still add up",
    plans={
        QualityCheck: {
            "reference": emptied,
            "comments": emptied,
            "strengths": emptied,
            "development": emptied,
            "follow_up": emptied,
            "member_comment": emptied,
        },
        CalibrationSession: {"reference": emptied},
    },
)
MEMBER_DETAILS = DataKind(
    key="member_details",
    title="Former members' details",
    whose="member",
    since="left",
    default_months=72,
    why=(
        "kept while their other records are, so those records still say whose they are (Limitation Act "
        "1980 s.5); a reference can be given from them meanwhile"
    ),
    kept="their number, job title, contract hours and the dates they started and left: head counts still add up",
    plans={
        Member: {
            "name": former_member,
            "date_of_birth": nothing,
            "skills": emptied,
            "development_goals": emptied,
            "line_manager": emptied,
            "notes": emptied,
        }
    },
)
SUBJECT_ACCESS = DataKind(
    key="subject_access",
    title="Subject access request log",
    whose="requester",
    since="answered",
    default_months=12,
    why=(
        "kept to show each request was answered in time (UK GDPR Art. 5(2)) while the requester may complain "
        "to the ICO (Art. 77): the ICO asks for a complaint within three months of the last contact with the "
        "organisation, and reviews its own outcome if asked within three months more. A legal hold keeps it "
        "for a claim"
    ),
    kept=(
        "the request's dates, whether it was extended, and whether it was delivered, refused or withdrawn: how "
        "many requests were answered in time still adds up"
    ),
    plans={
        SubjectAccessRequest: {
            "requester": marked,
            "received_how": emptied,
            "identity_how": emptied,
            # (an extended or closed request must still give a reason: the marker is one)
            "extension_reason": marked_if_any,
            "delivered_how": emptied,
            "close_reason": marked_if_any,
            "notes": emptied,
        }
    },
)
KINDS: tuple[DataKind, ...] = (
    COMPLAINT_CUSTOMER,
    ROTA,
    ONE_TO_ONES,
    IMPROVEMENT_PLANS,
    QUALITY_FEEDBACK,
    MEMBER_DETAILS,
    SUBJECT_ACCESS,
)
BY_KEY = {k.key: k for k in KINDS}


def kind_of(key: str) -> DataKind:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"there is no kind of personal data {key!r}; the kinds are {', '.join(BY_KEY)}") from None


# -- the schedule ----------------------------------------------------------------------------------
def parse_period(text: str) -> int:
    """'6 months', '3 years', '2y', '18m', '18' (months) -> months."""
    words = (text or "").strip().lower().replace("months", "m").replace("month", "m")
    words = words.replace("years", "y").replace("year", "y").replace(" ", "")
    unit = 12 if words.endswith("y") else 1
    number = words.rstrip("ym")
    if not number.isdigit() or words.count("y") + words.count("m") > 1:
        raise ValueError(f"{text!r} is not a period; write e.g. '6 months' or '3 years'")
    months = int(number) * unit
    if not 0 < months <= MAX_MONTHS:
        raise ValueError(f"a period must be from 1 month to {MAX_MONTHS // 12} years, not {text!r}")
    return months


def show_period(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" + ("" if years == 1 else "s")
    return f"{months} month" + ("" if months == 1 else "s")


@dataclass(frozen=True)
class Period:
    """One kind's period as the team has it: its months, the law's minimum, and whether it is the default."""

    kind: DataKind
    months: int
    minimum: int
    minimum_law: str

    @property
    def text(self) -> str:
        return show_period(self.months)

    @property
    def is_default(self) -> bool:
        return self.months == max(self.kind.default_months, self.minimum)


def schedule(saved: dict[str, int], *, fca: bool) -> dict[str, Period]:
    """Every kind's period: the team's setting where it has one, else the default; never below the law's
    minimum (a setting saved before the complaint policy became FCA-regulated is lifted to it)."""
    out = {}
    for kind in KINDS:
        minimum, law = _fca_minimum(kind, fca)
        months = saved.get(kind.key) or kind.default_months
        out[kind.key] = Period(kind, max(months, minimum), minimum, law)
    return out


def check_period(key: str, months: int, *, fca: bool) -> int:
    """``months`` for kind ``key``, or ValueError naming the law that sets a longer minimum."""
    kind = kind_of(key)
    minimum, law = _fca_minimum(kind, fca)
    if months < minimum:
        raise ValueError(f"{kind.title} must be kept at least {show_period(minimum)}: {law}")
    if not 0 < months <= MAX_MONTHS:
        raise ValueError(f"a period must be from 1 month to {MAX_MONTHS // 12} years")
    return months


@lru_cache(maxsize=8192)  # a year of rota lines shares a few hundred days: each is worked out once
def due_on(since: date, months: int) -> date:
    """The first day the data is no longer needed: the same date ``months`` later (31 August + 6 months is
    28 or 29 February: the month has no 31st), so a period of months is kept whole."""
    return since + relativedelta(months=months)


# -- legal holds -----------------------------------------------------------------------------------
class LegalHold(RecordModel):
    """A person's or a record's data kept past its period, and from erasure on request, while a claim or
    inquiry needs it: UK GDPR Art. 17(3)(e) (the establishment, exercise or defence of legal claims) and
    Art. 18(1)(c). An open Ombudsman referral, a tribunal claim, a live grievance. Lifted, never deleted."""

    subject: str = Field(min_length=1, max_length=20, title="Held")  # a member's or a complaint's id
    reason: LongText = Field(min_length=1, max_length=500, title="Why")
    placed_on: RecordDate = Field(title="Placed on")
    lifted_on: RecordDate | None = Field(default=None, title="Lifted on")
    lift_reason: str = Field(default="", max_length=500, title="Why lifted")

    @model_validator(mode="after")
    def _lifted(self, info: ValidationInfo) -> LegalHold:
        today = context_today(info)
        refuse_future(self.placed_on, today, "Placed on")
        refuse_before(self.lifted_on, self.placed_on, "Lifted on", "it was placed")
        refuse_future(self.lifted_on, today, "Lifted on")
        if self.lifted_on and not self.lift_reason.strip():
            raise ValueError("Why lifted: a hold is lifted with a reason (the claim settled, the referral closed)")
        return self

    @property
    def active(self) -> bool:
        return self.lifted_on is None and not self.voided


# -- erasing a record ------------------------------------------------------------------------------
def marker(day: date, reason: str, width: int = 120) -> str:
    """What stands where an erased value was: 'erased on 24/11/2026 (reason)', shortened to ``width``."""
    text = f"{MARKER_PREFIX}{day:%d/%m/%Y} ({' '.join(reason.split())})"
    return text if len(text) <= width else text[: width - 2] + "…)"


def _fits(model: type[BaseModel], name: str, text: str) -> str:
    """``text`` shortened to the field's own maximum length, so a later edit of the record passes."""
    for rule in model.model_fields[name].metadata:
        limit = getattr(rule, "max_length", None)
        if isinstance(limit, int) and len(text) > limit:
            return text[: max(limit - 1, 0)] + "…"
    return text


def stand_ins(record: RecordModel, kind: DataKind, note: str) -> dict[str, Any]:
    """The fields of ``record`` that ``kind`` erases, each with its stand-in (JSON-ready), and the record's
    ``erased`` notes with each of them named: what an erasure writes in place of the values it takes."""
    plan = kind.plans[type(record)]
    current = record.model_dump(mode="json")
    out: dict[str, Any] = {}
    for name, blank in plan.items():
        value = blank(current.get(name), note, record.saved_id)
        out[name] = _fits(type(record), name, value) if isinstance(value, str) and value == note else value
    out["erased"] = {**record.erased, **{name: note for name in plan}}
    return out


def fully_erased(record: RecordModel, kind: DataKind) -> bool:
    """Whether every field ``kind`` erases from ``record`` has been erased already."""
    return all(name in record.erased for name in kind.plans[type(record)])


__all__ = [
    "KINDS",
    "DataKind",
    "LegalHold",
    "Period",
    "check_period",
    "due_on",
    "fully_erased",
    "kind_of",
    "marker",
    "parse_period",
    "schedule",
    "show_period",
    "stand_ins",
]
