"""Improvement actions: plan, do, check, act, measured from the record. Pure rules.

A complaint's root cause, a weak quality criterion, a KPI, a mystery shop or a team member's suggestion
prompts a change. The supervisor plans it as a SMART objective with a measure the app works out itself,
and the measure's baseline is read from the record when the plan is made (the weeks before it). The
change is told to the team at a briefing (that is when it starts) and progress notes are kept. At the
review, the same measure is read again over the same number of weeks, beside the baseline, with the cases
behind each figure; then the supervisor adopts the change, adjusts it (a new cycle, linked to this one)
or abandons it, saying why. Nothing here is free text that nobody tracks: every step is dated and kept.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal, get_args

from pydantic import Field, ValidationInfo, model_validator

from .base import DomainModel, RecordModel
from .fields import LongText, PersonName, RecordDate, context_today, one_of, refuse_before, refuse_future
from .measures import KPI_KINDS, Comparison, Figure, Measure, compare, target_words
from .one_to_ones import Objective, smart_gaps
from .periods import Window, weeks_before

SourceKind = Literal["complaint", "root cause", "criterion", "kpi", "mystery shop", "suggestion"]
SOURCE_KINDS: tuple[SourceKind, ...] = get_args(SourceKind)
SOURCE_WORDS: dict[SourceKind, str] = {
    "complaint": "a complaint",
    "root cause": "complaints' root cause",
    "criterion": "a weak quality criterion",
    "kpi": "a KPI",
    "mystery shop": "a mystery shop or in-store check",
    "suggestion": "a team member's suggestion",
}
Decision = Literal["adopt", "adjust", "abandon"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)
DECIDED: dict[Decision, str] = {"adopt": "adopted", "adjust": "adjusted", "abandon": "abandoned"}
# The stages of the cycle as the list groups them; a decided action is in 'act' with its decision.
Stage = Literal["plan", "do", "check", "act"]
STAGES: tuple[Stage, ...] = get_args(Stage)
STAGE_WORDS: dict[Stage, str] = {
    "plan": "Plan: not yet told to the team",
    "do": "Do: under way",
    "check": "Check: reviewed, decision to make",
    "act": "Act: decided",
}
DEFAULT_WEEKS = 8
DUE_SOON_DAYS = 7  # a review this close is shown on Today


class Source(DomainModel):
    """What prompted the action, linked to the record that shows it."""

    kind: Annotated[SourceKind, one_of(SourceKind, "{value!r} is not a source; use one of {choices}")] = Field(
        title="Prompted by"
    )
    # The record or figure it came from: a complaint's id, a root cause, a criterion ('family:key'), a KPI
    # (csat, nps or fcr), a quality check's id (a mystery shop), or the id of the member who suggested it.
    ref: str = Field(default="", max_length=120, title="Which")
    note: LongText = Field(default="", max_length=2000, title="What it showed")

    @model_validator(mode="after")
    def _linked(self) -> Source:
        # A mystery shop or in-store check may not be a record here (an area manager's visit), so its
        # findings in words stand for it; every other source names the record it came from.
        if self.kind == "mystery shop":
            if not (self.ref.strip() or self.note.strip()):
                raise ValueError("What it showed: say what the check found, or give the check's reference")
        elif not self.ref.strip():
            raise ValueError(f"Which: name the {self.kind} that prompted it")
        if self.kind == "kpi" and self.ref not in KPI_KINDS:
            raise ValueError(f"Which: {self.ref!r} is not a KPI; use one of {', '.join(KPI_KINDS)}")
        return self


class Reading(DomainModel):
    """A measure's figure as read from the record on a day: kept, so it reads the same years later."""

    first: RecordDate
    last: RecordDate
    # A percentage, an NPS (-100 to 100) or a count a month; the cases are records in the file.
    value: float | None = Field(default=None, ge=-100, le=1_000_000)
    cases: int = Field(default=0, ge=0, le=100_000_000)
    pending: int = Field(default=0, ge=0, le=100_000_000)

    @classmethod
    def of(cls, figure: Figure) -> Reading:
        w = figure.window
        return cls(first=w.first, last=w.last, value=figure.value, cases=figure.cases, pending=figure.pending)

    def figure(self, measure: Measure) -> Figure:
        return Figure(measure, Window(self.first, self.last), self.value, self.cases, self.pending)


class Note(DomainModel):
    on: RecordDate
    by: str = Field(max_length=80)
    text: LongText = Field(min_length=1, max_length=2000)


class ImprovementAction(RecordModel):
    title: str = Field(min_length=1, max_length=120, title="What will change")
    source: Source = Field(title="Prompted by")
    change: LongText = Field(default="", max_length=2000, title="How")
    objective: str = Field(min_length=1, max_length=500, title="Objective")
    owner: PersonName = Field(min_length=1, max_length=80, title="Owner")
    resources: LongText = Field(default="", max_length=1000, title="Resources")
    agreed: bool = Field(default=False, title="Agreed with the team")
    measure: Measure = Field(title="Measure")
    target: float | None = Field(default=None, ge=-100, le=10000, title="Target")
    weeks: int = Field(default=DEFAULT_WEEKS, ge=1, le=52, title="Weeks measured")
    planned_on: RecordDate = Field(title="Planned on")
    review_on: RecordDate = Field(title="Review on")  # a plan: the future is its place
    baseline: Reading = Field(title="Baseline")
    briefings: list[str] = Field(default_factory=list, max_length=50, title="Told at briefings")
    started_on: RecordDate | None = Field(default=None, title="Started on")
    notes: list[Note] = Field(default_factory=list, max_length=200, title="Progress notes")
    check: Reading | None = Field(default=None, title="Measured at review")
    checked_on: RecordDate | None = Field(default=None, title="Reviewed on")
    check_comment: LongText = Field(default="", max_length=2000, title="What the review found")
    decision: Annotated[
        Decision | Literal[""], one_of(Decision, "{value!r} is not a decision; use one of {choices}")
    ] = Field(default="", title="Decision")
    decision_reason: LongText = Field(default="", max_length=2000, title="Why")
    decided_on: RecordDate | None = Field(default=None, title="Decided on")
    follows: str = Field(default="", max_length=20, title="Adjusts")  # the earlier cycle this one adjusts

    @model_validator(mode="after")
    def _in_order(self, info: ValidationInfo) -> ImprovementAction:
        """Plan, then do, then check, then act, each on or after the one before; the review is planned
        far enough ahead that the weeks measured after the change do not overlap those before it."""
        refuse_future(self.planned_on, context_today(info), "Planned on")
        earliest = self.planned_on + timedelta(weeks=self.weeks)
        if self.review_on < earliest:
            raise ValueError(
                f"Review on: at least {self.weeks} week{'s' if self.weeks != 1 else ''} after planning "
                f"({earliest:%d/%m/%Y}), so the weeks measured after the change do not overlap the baseline"
            )
        refuse_before(self.started_on, self.planned_on, "Started on", "the action was planned")
        refuse_before(self.checked_on, self.started_on or self.planned_on, "Reviewed on", "the change started")
        refuse_before(self.decided_on, self.checked_on, "Decided on", "the review")
        if self.check is not None and self.started_on is None:
            raise ValueError("Measured at review: the change was never started (told to the team at a briefing)")
        if self.decision and (self.decided_on is None or not self.decision_reason.strip()):
            raise ValueError("Why: a decision to adopt, adjust or abandon says why")
        if self.decision and self.decision != "abandon" and self.check is None:
            raise ValueError("Decision: review it first; a change is adopted or adjusted on what was measured")
        return self

    # -- where it stands ------------------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        if self.decision:
            return "act"
        if self.check is not None:
            return "check"
        return "do" if self.started_on else "plan"

    def stage_text(self) -> str:
        return f"act: {DECIDED[self.decision]}" if self.decision else self.stage

    def review_late(self, today: date) -> bool:
        """The review date has passed and it has not been reviewed (nor abandoned)."""
        return self.stage in ("plan", "do") and self.review_on < today

    def review_due(self, today: date) -> bool:
        """Reviewed late, due today or within the week, or reviewed and waiting for the decision."""
        if self.stage == "check":
            return True
        return self.stage in ("plan", "do") and self.review_on <= today + timedelta(days=DUE_SOON_DAYS)

    def baseline_window(self) -> Window:
        return Window(self.baseline.first, self.baseline.last)

    def check_window(self, on: date) -> Window:
        """The same number of weeks as the baseline, ending the day before the review (a day in progress
        is not yet measured)."""
        return weeks_before(on, self.weeks)

    def too_early(self, on: date) -> str | None:
        """Why a review on ``on`` could not measure the change yet, or None."""
        window = self.check_window(on)
        if window.overlaps(self.baseline_window()):
            return (
                f"the {self.weeks} weeks before {on:%d/%m/%Y} still overlap the baseline "
                f"({self.baseline.first:%d/%m/%Y} to {self.baseline.last:%d/%m/%Y}); review on or after "
                f"{self.baseline.last + timedelta(weeks=self.weeks, days=1):%d/%m/%Y}"
            )
        return None

    def comparison(self, now: Figure | None = None) -> Comparison | None:
        """The review's figure (or ``now``, read today for a look before it) beside the baseline."""
        after = now or (self.check.figure(self.measure) if self.check else None)
        if after is None:
            return None
        return compare(self.baseline.figure(self.measure), after, self.target)

    def as_objective(self, measure_label: str, source_label: str) -> Objective:
        """The action's objective as a one-to-one objective, so the same SMART check reads it. Read as a
        stored record is (domain.fields.reading_stored): an objective on record with a character that is
        refused on entry today is still checked (and shown, made safe), not a crash of its page."""
        return Objective.model_validate(
            {
                "member_id": "",
                "text": self.objective,
                "measure": measure_label,
                "target": "" if self.target is None else target_words(self.measure, self.target),
                "due": self.review_on,
                "outcome_link": source_label,
                "agreed_with_member": self.agreed,
                "status": "open" if self.stage in ("plan", "do") else "met",
            },
            context={"stored": True},
        )


def action_smart_gaps(action: ImprovementAction, measure_label: str, source_label: str, today: date) -> list[str]:
    """What the objective lacks to be SMART, by the one-to-ones' own check (domain.one_to_ones.smart_gaps),
    worded for a team change: it is agreed with the team, not one person."""
    gaps = [
        "Achievable: agree it with the team (and the owner), so it is theirs as well as yours."
        if gap.startswith("Achievable")
        else gap
        for gap in smart_gaps(action.as_objective(measure_label, source_label), today)
    ]
    before, target, measure = action.baseline.value, action.target, action.measure
    if before is not None and target is not None:
        shown = round(before, 1 if measure.counts else 0)  # as the baseline is shown
        if (shown <= target) if measure.lower_is_better else (shown >= target):
            gaps.append(
                f"Target: the baseline ({measure.show(before)}) already meets {target_words(measure, target)}; "
                "aim beyond it, or measure what shows the problem."
            )
    return gaps


def list_order(action: ImprovementAction, today: date) -> tuple[bool, int, date, str]:
    """Overdue reviews first (the longest overdue at the top), then by stage, then by review date."""
    late = action.review_late(today)
    return (not late, STAGES.index(action.stage), action.review_on, action.id or "")
