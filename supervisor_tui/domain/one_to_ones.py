"""One-to-ones: structured feedback, SMART objectives, agreed actions carried forward, improvement
plans, and the member's acknowledgement. Pure rules: they say kindly what is missing.

The curriculum's marking points are built in: feedback in a recognised framework (SBI or BOOST),
strengths as well as development points, behaviour rather than personality, SMART targets linked
to customer-service outcomes, prompt notes, and follow-up until each action is done.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, NotRequired, TypedDict, get_args

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import DomainModel, RecordModel
from .dates import business_days_between
from .fields import LONG, LongText, RecordDate, context_today, one_of, refuse_before, refuse_future
from .quality import show_score

LATE_AFTER_WORKING_DAYS = 2
ObjectiveStatus = Literal["open", "met", "not met", "dropped"]
OBJECTIVE_STATUSES: tuple[ObjectiveStatus, ...] = get_args(ObjectiveStatus)
PlanStatus = Literal["open", "completed", "closed unsuccessful"]
PLAN_STATUSES: tuple[PlanStatus, ...] = get_args(PlanStatus)
ReviewOutcome = Literal["on track", "some progress", "not on track"]
REVIEW_OUTCOMES: tuple[ReviewOutcome, ...] = get_args(ReviewOutcome)
ActionOwner = Literal["member", "supervisor"]
ActionStatus = Literal["open", "done", "dropped"]
FeedbackKind = Literal["strength", "development"]
Framework = Literal["SBI", "BOOST"]
MAX_REVIEWS = 26  # a year of fortnightly reviews: a plan that needs more is a different conversation


class MeetingKind(StrEnum):
    regular = "regular one-to-one"
    feedback = "feedback conversation"
    appraisal = "appraisal"
    return_to_work = "return to work"
    plan_review = "improvement-plan review"


FRAMEWORK_PARTS: dict[str, list[tuple[str, str]]] = {  # keyed by Framework
    "SBI": [
        ("situation", "Situation: when and where, specifically"),
        ("behaviour", "Behaviour: what they did or said that you saw or heard"),
        ("impact", "Impact: the effect on the customer, the team or the business"),
    ],
    "BOOST": [
        ("balanced", "Balanced: what went well as well as what to change"),
        ("observed", "Observed: what you saw or heard yourself"),
        ("objective", "Objective: facts and measures, not opinion"),
        ("specific", "Specific: the exact moment, call or customer"),
        ("timely", "Timely: soon after it happened"),
    ],
}

# Words about the person rather than what they did: the notes warn against them.
TRAIT_WORDS = (
    "lazy",
    "attitude",
    "rude",
    "useless",
    "stupid",
    "careless",
    "arrogant",
    "moody",
    "hopeless",
    "negative person",
    "bad attitude",
    "not a team player",
    "personality",
)


class FeedbackItem(DomainModel):
    framework: Annotated[Framework, one_of(Framework, "use SBI or BOOST")] = Field(default="SBI", title="Framework")
    kind: Annotated[FeedbackKind, one_of(FeedbackKind, "a feedback item is a strength or a development point")] = Field(
        default="strength", title="Kind"
    )
    # The behaviour part is written as a paragraph, so the parts may run to several lines.
    parts: Annotated[dict[str, str], LONG] = Field(default_factory=dict, title="Parts", max_length=10)

    @field_validator("framework", mode="before")
    @classmethod
    def _framework(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value  # 'sbi' typed is SBI

    def text(self) -> str:
        return " ".join(v for v in self.parts.values() if v)


def feedback_prompts(item: FeedbackItem) -> list[str]:
    """What is missing or could be better in one feedback item, in a kind voice."""
    prompts = [
        f"Add the {label.split(':')[0].lower()} part — {label.split(': ', 1)[1]}."
        for key, label in FRAMEWORK_PARTS[item.framework]
        if not item.parts.get(key, "").strip()
    ]
    traits = trait_words(item.text())
    if traits:
        prompts.append(f"'{traits[0]}' describes the person, not what they did: say the behaviour you saw.")
    return prompts


def trait_words(text: str) -> list[str]:
    lowered = text.lower()
    return [w for w in TRAIT_WORDS if re.search(rf"\b{re.escape(w)}\b", lowered)]


def balance_prompt(items: list[FeedbackItem]) -> str | None:
    if items and all(i.kind == "development" for i in items):
        return "Only development points: what are they doing well? Recognising strengths makes the rest land."
    return None


class Meeting(RecordModel):
    member_id: str = Field(title="Member")
    held_on: RecordDate = Field(title="Held on")
    kind: MeetingKind = Field(default=MeetingKind.regular, title="Type")
    agenda: list[str] = Field(default_factory=list, title="Agenda", max_length=1000)  # built, not typed
    feedback: list[FeedbackItem] = Field(default_factory=list, title="Feedback", max_length=50)
    member_view: LongText = Field(default="", max_length=4000, title="Their view")
    notes: LongText = Field(default="", max_length=8000, title="Notes")
    acknowledged_on: RecordDate | None = Field(default=None, title="Read on")
    agreed: bool | None = Field(default=None, title="Agreed")
    disagreement: LongText = Field(default="", max_length=4000, title="Their disagreement")
    acknowledged_digest: str = Field(
        default="", max_length=64
    )  # what they acknowledged: a later edit needs acknowledging again

    @model_validator(mode="after")
    def _acknowledgement(self, info: ValidationInfo) -> Meeting:
        if self.agreed is False and not self.disagreement.strip():
            raise ValueError("Their disagreement: in their own words, what they disagree with")
        # A meeting is recorded once it has been held, and its note read after it, not before.
        today = context_today(info)
        refuse_future(self.held_on, today, "Held on")
        refuse_before(self.acknowledged_on, self.held_on, "Read on", "the meeting")
        refuse_future(self.acknowledged_on, today, "Read on")
        return self


def note_digest(meeting: Meeting) -> str:
    """A fingerprint of what the note says (not who acknowledged it)."""
    content = meeting.model_dump(mode="json", include={"held_on", "kind", "feedback", "member_view", "notes"})
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def acknowledge(meeting: Meeting, on: date, agreed: bool, disagreement: str = "") -> Meeting:
    return meeting.model_copy(
        update={
            "acknowledged_on": on,
            "agreed": agreed,
            "disagreement": disagreement,
            "acknowledged_digest": note_digest(meeting),
        }
    )


def acknowledgement_state(meeting: Meeting) -> str:
    if meeting.acknowledged_on is None:
        return "not yet acknowledged"
    if meeting.acknowledged_digest != note_digest(meeting):
        return "edited since acknowledged: needs acknowledging again"
    if meeting.agreed:
        return f"read and agreed on {meeting.acknowledged_on:%d/%m/%Y}"
    return f"acknowledged on {meeting.acknowledged_on:%d/%m/%Y} with disagreement"


def promptness(held_on: date, written_on: date, region: str) -> tuple[int, bool]:
    """Working days from the meeting to the note being written, and whether that is late (over 2).

    Team practice, not law (the ACAS Code asks only that records are made 'promptly'): the meeting day
    is day 0; working days are Monday to Friday without the team region's bank holidays; the note's
    day is the team's local calendar date (a note written at 00:30 BST is written that day, not the
    day before, as its UTC date would say)."""
    days = business_days_between(held_on, written_on, region)
    return days, days > LATE_AFTER_WORKING_DAYS


class Action(RecordModel):
    member_id: str = Field(title="Member")
    what: str = Field(min_length=1, max_length=500, title="Action")
    owner: Annotated[ActionOwner, one_of(ActionOwner, "the owner is the team member or the supervisor")] = Field(
        default="member", title="Owner"
    )
    due: RecordDate = Field(title="Due")
    status: Annotated[ActionStatus, one_of(ActionStatus, "open, done or dropped")] = Field(
        default="open", title="Status"
    )
    raised_in: str = Field(default="", title="Raised in")
    done_on: RecordDate | None = Field(default=None, title="Done on")
    drop_reason: str = Field(default="", max_length=500, title="Why dropped")

    @model_validator(mode="after")
    def _status(self, info: ValidationInfo) -> Action:
        if self.status == "dropped" and not self.drop_reason.strip():
            raise ValueError("Why dropped: an action is only dropped with a reason")
        if self.status == "done" and self.done_on is None:
            raise ValueError("Done on: when was it done?")
        # Done is a fact, so not later than today. Not before it was raised is a question for the
        # meeting it was raised in (raised_in), which the one-to-one service checks.
        refuse_future(self.done_on, context_today(info), "Done on")
        return self

    def overdue(self, today: date) -> bool:
        return self.status == "open" and self.due < today


def carried_forward(actions: list[Action], member_id: str) -> list[Action]:
    """Open actions for a person: they come to every meeting until done or dropped with a reason."""
    return sorted(
        (a for a in actions if a.member_id == member_id and a.status == "open" and not a.voided), key=lambda a: a.due
    )


class Objective(RecordModel):
    member_id: str = Field(title="Member")
    text: str = Field(min_length=1, max_length=500, title="Objective")
    measure: str = Field(default="", max_length=200, title="Measure")
    target: str = Field(default="", max_length=200, title="Target")
    due: RecordDate | None = Field(default=None, title="By when")  # a plan: the future is its place
    outcome_link: str = Field(default="", max_length=200, title="Customer outcome / KPI")
    agreed_with_member: bool = Field(default=False, title="Agreed with them")
    status: Annotated[ObjectiveStatus, one_of(ObjectiveStatus, "{value!r} is not a status; use one of {choices}")] = (
        Field(default="open", title="Status")
    )


def smart_gaps(objective: Objective, today: date) -> list[str]:
    """Which part of SMART is missing, said kindly; an empty list means it is SMART."""
    gaps = []
    if len(objective.text.split()) < 4:
        gaps.append("Specific: say exactly what will be different, in a sentence.")
    if not objective.measure.strip():
        gaps.append("Measurable: how will you both know? (e.g. CSAT, FCR, quality score, complaints)")
    if not objective.target.strip() or not re.search(r"\d", objective.target):
        gaps.append("Target: give the number to reach (e.g. 85% or fewer than 2 a month).")
    if objective.due is None:
        gaps.append("Time-bound: agree a date to review it by.")
    elif objective.due <= today and objective.status == "open":
        gaps.append("Time-bound: the date has passed; review it or agree a new one.")
    if not objective.outcome_link.strip():
        gaps.append("Relevant: link it to a customer-service outcome or KPI.")
    if not objective.agreed_with_member:
        gaps.append("Achievable: agree it with them, so it is theirs as well as yours.")
    return gaps


class Review(DomainModel):
    due: RecordDate = Field(title="Due")
    held_on: RecordDate | None = Field(default=None, title="Held on")
    progress: LongText = Field(default="", max_length=2000, title="Progress")
    outcome: Annotated[
        ReviewOutcome | Literal[""], one_of(ReviewOutcome, "{value!r} is not an outcome; use one of {choices}")
    ] = Field(default="", title="Outcome")


class PlanIssue(DomainModel):
    text: str = Field(min_length=1, max_length=500)
    evidence: list[str] = Field(default_factory=list, max_length=20)  # ids of quality checks or complaints


class ImprovementPlan(RecordModel):
    member_id: str = Field(title="Member")
    started_on: RecordDate = Field(title="Started")
    issues: list[PlanIssue] = Field(min_length=1, max_length=20, title="Issues")
    targets: LongText = Field(min_length=1, max_length=2000, title="Targets")
    support: LongText = Field(min_length=1, max_length=2000, title="Support offered")
    reviews: list[Review] = Field(min_length=1, max_length=MAX_REVIEWS, title="Review milestones")
    final_result: LongText = Field(default="", max_length=2000, title="Final result")
    status: Annotated[PlanStatus, one_of(PlanStatus, "{value!r} is not a status; use one of {choices}")] = Field(
        default="open", title="Status"
    )

    @model_validator(mode="after")
    def _reviews_follow_the_start(self, info: ValidationInfo) -> ImprovementPlan:
        """A plan starts once it is agreed (not in the future); its reviews come after its start,
        and a review is held on or after that start and not later than today."""
        today = context_today(info)
        refuse_future(self.started_on, today, "Started")
        for review in self.reviews:
            refuse_before(review.due, self.started_on, "Review milestones", "the plan started")
            refuse_before(review.held_on, self.started_on, "Held on", "the plan started")
            refuse_future(review.held_on, today, "Held on")
        return self

    @field_validator("issues")
    @classmethod
    def _evidence(cls, issues: list[PlanIssue]) -> list[PlanIssue]:
        vague = [i.text for i in issues if not i.evidence]
        if vague:
            raise ValueError(f"link evidence (a quality check or complaint) to: {vague[0]}")
        return issues

    def reviews_due(self, today: date) -> list[Review]:
        return [r for r in self.reviews if r.held_on is None and r.due <= today]


class CheckEvidence(TypedDict):
    """A recent quality check as the agenda shows it, scored against its own standard's pass mark."""

    id: str
    date: str  # as shown, e.g. 03/11/2026
    overall: float | None  # None when every item was N/A
    passed: bool
    pass_mark: float
    critical: NotRequired[bool]  # a critical item failed


class ComplaintEvidence(TypedDict):
    """A recent complaint involving the person, as the agenda names it."""

    id: str
    stage: NotRequired[str]
    summary: NotRequired[str]


def agenda_for(
    member_id: str,
    actions: list[Action],
    objectives: list[Objective],
    checks: list[CheckEvidence],
    complaints: list[ComplaintEvidence],
    today: date,
) -> list[str]:
    """What is open for this person, to talk about first: actions, objectives due, recent evidence."""
    items = [
        f"Action ({a.owner}, due {a.due:%d/%m}{' — overdue' if a.overdue(today) else ''}): {a.what}"
        for a in carried_forward(actions, member_id)
    ]
    items += [
        f"Objective due {o.due:%d/%m/%Y}: {o.text}"
        for o in objectives
        if o.member_id == member_id and o.status == "open" and o.due and (o.due - today).days <= 31
    ]
    items += [
        f"Quality check {c['id']} on {c['date']}: "
        f"{show_score(c['overall'], c['pass_mark'], critical=c.get('critical', False))} "
        f"{'pass' if c['passed'] else 'not a pass'}"
        if c.get("overall") is not None
        else f"Quality check {c['id']} on {c['date']}"
        for c in checks[:3]
    ]
    items += [f"Complaint {c['id']} ({c.get('stage', '')}): {c.get('summary', '')}" for c in complaints[:3]]
    return items
