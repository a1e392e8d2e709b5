"""Improvement actions: planned from what prompted them, told to the team, measured, decided.

The measure's baseline is read from the record when the action is planned, and the same measure over
the same number of weeks at the review (services.measures, the figures the manager's report shows too).
Both readings are kept in the action, so the before and after a supervisor decided on read the same
later, however the record grows. Every step is a saved change with who and when in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from supervisor_tui.storage import StoreError

from ..domain.briefing import Briefing
from ..domain.complaints import ROOT_CAUSES
from ..domain.improvement import (
    DEFAULT_WEEKS,
    SOURCE_WORDS,
    ImprovementAction,
    Note,
    Reading,
    Source,
    action_smart_gaps,
    list_order,
)
from ..domain.measures import KPI_KINDS, Comparison, Figure, Measure
from ..domain.periods import Window, weeks_before
from .base import Change, Repository

if TYPE_CHECKING:
    from . import Records


@dataclass(frozen=True)
class Draft:
    """What a new action starts with when it is created from a record: its source and a measure."""

    source: Source
    measure: Measure
    title: str = ""


class ImprovementService:
    def __init__(self, records: Records):
        self.records = records
        self.repo: Repository[ImprovementAction] = Repository(
            records.store, "improvement_actions", "IA", ImprovementAction, records.clock
        )

    # -- reading ----------------------------------------------------------------------------------
    def get(self, action_id: str) -> ImprovementAction:
        return self.repo.get(action_id)

    def listed(self, today: date | None = None) -> list[ImprovementAction]:
        """Every action, overdue reviews first, then plan, do, check and act (see list_order)."""
        today = today or self.records.clock.today()
        return sorted(self.repo.all(), key=lambda a: list_order(a, today))

    def reviews_due(self, today: date) -> list[ImprovementAction]:
        """Reviews late or due within the week, and reviews waiting for their decision (Today lists them)."""
        return [a for a in self.listed(today) if a.review_due(today)]

    def for_briefing(self, briefing_id: str) -> list[ImprovementAction]:
        """The actions told to the team at this briefing (the briefing shows them under its updates)."""
        return [a for a in self.repo.all() if briefing_id in a.briefings]

    def from_source(self, kind: str, ref: str) -> list[ImprovementAction]:
        """Actions prompted by this record (a complaint's page lists them)."""
        return [a for a in self.repo.all() if a.source.kind == kind and a.source.ref == ref]

    def cycles(self, action: ImprovementAction) -> list[ImprovementAction]:
        """Every cycle of this improvement, first to last: those it adjusts, it, and those adjusting it."""
        by_id = {a.id: a for a in self.repo.all(include_voided=True)}
        first = action
        seen = {action.id}
        while first.follows and first.follows in by_id and first.follows not in seen:
            first = by_id[first.follows]
            seen.add(first.id)
        chain = [first]
        while True:
            following = [a for a in by_id.values() if a.follows == chain[-1].id and a.id not in {c.id for c in chain}]
            if not following:
                return chain
            chain.append(following[0])

    def history(self, action_id: str) -> list[Change]:
        """Every saved change to the action, first to last (its page lists them with their reasons)."""
        return self.repo.history(action_id)

    def told_at(self, action: ImprovementAction) -> list[tuple[str, date | None]]:
        """The briefings it was told at, as (id, day); the day is None for one that cannot be read now."""
        days = {b.id: b.day for b in self.records.shifts.briefings.all(include_voided=True)}
        return [(briefing_id, days.get(briefing_id)) for briefing_id in action.briefings]

    # -- choices the screens offer -----------------------------------------------------------------
    def briefing_choices(self, action: ImprovementAction) -> list[Briefing]:
        """The saved briefings that could have told the team of it: on or after the day it was planned,
        not linked yet, newest first."""
        return sorted(
            (
                b
                for b in self.records.shifts.briefings.all()
                if b.day >= action.planned_on and b.id not in action.briefings
            ),
            key=lambda b: b.day,
            reverse=True,
        )

    def to_tell_at(self, briefing: Briefing) -> list[ImprovementAction]:
        """The actions a briefing could tell the team of: planned by its day, not decided, not linked to it yet."""
        return [
            a
            for a in self.listed()
            if a.stage != "act" and a.planned_on <= briefing.day and briefing.id not in a.briefings
        ]

    def source_choices(self, kind: str) -> list[tuple[str, str]]:
        """What can have prompted an action of this kind, as (label, ref) for a choice: the complaints
        newest first, root causes, the current standards' criteria, the KPIs, the quality checks of kind
        'mystery shop', or the active team members who may have suggested it."""
        records = self.records
        if kind == "complaint":
            complaints = records.complaints
            received = sorted(
                complaints.repo.all(), key=lambda c: (complaints.received_day(c), c.id or ""), reverse=True
            )
            return [(f"{c.id} {c.category} ({complaints.received_day(c):%d/%m/%Y})", c.id or "") for c in received]
        if kind == "root cause":
            on_record = (c.root_cause.strip().lower() for c in records.complaints.repo.all() if c.root_cause.strip())
            return [(cause, cause) for cause in dict.fromkeys([*ROOT_CAUSES, *on_record])]
        if kind == "criterion":
            return [
                (f"{criterion.text} ({standard.name})", f"{standard.family}:{criterion.key}")
                for standard in records.quality.current_standards()
                for criterion in standard.criteria
            ]
        if kind == "kpi":
            return [(self.measure_label(Measure.model_validate({"kind": k})), k) for k in KPI_KINDS]
        if kind == "mystery shop":
            names = {m.id: m.name for m in records.team.members(include_inactive=True)}
            shops = sorted(
                (c for c in records.quality.checks.all() if c.kind == "mystery shop" and not c.calibration),
                key=lambda c: (c.date, c.id or ""),
                reverse=True,
            )
            return [(f"{c.id} {c.date:%d/%m/%Y} {names.get(c.member_id, c.member_id)}", c.id or "") for c in shops]
        if kind == "suggestion":
            return [(m.name, m.id or "") for m in records.team.members()]
        raise ValueError(f"Prompted by: {kind!r} is not a source; use one of {', '.join(SOURCE_WORDS)}")

    def figure(self, measure: Measure, window: Window) -> Figure:
        return self.records.measures.figure(measure, window)

    def measure_label(self, measure: Measure) -> str:
        return self.records.measures.label(measure)

    def source_label(self, source: Source) -> str:
        """What prompted it, in words: 'complaint C-0004 (faulty goods)', "Megan O'Neill's suggestion"."""
        kind, ref = source.kind, source.ref
        if kind == "complaint":
            try:
                complaint = self.records.complaints.get(ref)
                return f"complaint {ref} ({complaint.category})"
            except StoreError:
                return f"complaint {ref}"
        if kind == "root cause":
            return f"complaints with root cause '{ref}'"
        if kind == "criterion":
            return self.records.measures.label(Measure(kind="criterion", subject=ref)).removesuffix(" (%)")
        if kind == "kpi":
            return self.records.measures.label(Measure.model_validate({"kind": ref}))
        if kind == "suggestion":
            try:
                return f"{self.records.team.get(ref).name}'s suggestion"
            except StoreError:
                return f"a suggestion ({ref})"
        return f"mystery shop {ref}".strip() if ref else SOURCE_WORDS["mystery shop"]

    def smart_gaps(self, action: ImprovementAction, today: date | None = None) -> list[str]:
        today = today or self.records.clock.today()
        return action_smart_gaps(action, self.measure_label(action.measure), self.source_label(action.source), today)

    def comparison(self, action: ImprovementAction) -> Comparison | None:
        """The review's figures beside the baseline; before the review, the figure so far (the weeks up to
        today), once those weeks no longer overlap the baseline."""
        if action.check is not None:
            return action.comparison()
        today = self.records.clock.today()
        if action.stage == "act" or action.started_on is None or action.too_early(today):
            return None
        return action.comparison(self.figure(action.measure, action.check_window(today)))

    # -- drafts: an action created from what prompted it -------------------------------------------
    def draft_from_complaint(self, complaint_id: str) -> Draft:
        """From a complaint: its root cause (or, before it is known, its category) is the measure, and the
        improvement action its handler wrote becomes the title."""
        c = self.records.complaints.get(complaint_id)
        cause = c.root_cause.strip().lower()
        measure = (
            Measure(kind="root_cause", subject=cause) if cause else Measure(kind="category", subject=c.category.lower())
        )
        # The lesson learned, not the customer's own words: what the customer said is erased from the complaint
        # under the retention schedule (domain.retention.COMPLAINT_CUSTOMER), and a copy here would outlive it.
        note = c.lesson.strip()[:2000]
        return Draft(Source(kind="complaint", ref=c.id or "", note=note), measure, c.improvement_action[:120])

    def draft_from_root_cause(self, cause: str) -> Draft:
        cause = cause.strip().lower()
        return Draft(Source(kind="root cause", ref=cause), Measure(kind="root_cause", subject=cause))

    def draft_from_criterion(self, family: str, key: str) -> Draft:
        subject = f"{family}:{key}"
        return Draft(Source(kind="criterion", ref=subject), Measure(kind="criterion", subject=subject))

    def draft_from_kpi(self, kind: str) -> Draft:
        return Draft(Source(kind="kpi", ref=kind), Measure.model_validate({"kind": kind}))

    # -- writing ------------------------------------------------------------------------------------
    def baseline(self, measure: Measure, weeks: int, on: date) -> Figure:
        """The measure over the ``weeks`` whole weeks before ``on``: what the change is judged against."""
        return self.figure(measure, weeks_before(on, weeks))

    def check_plan(self, **fields: Any) -> list[str]:
        """What the plan's objective lacks to be SMART, worked out as ``plan`` would save it (its baseline
        read now); nothing is written. A plan that cannot be saved at all raises as ``plan`` does."""
        return self.smart_gaps(self._planned(fields))

    def plan(self, **fields: Any) -> ImprovementAction:
        """Save a new action, planned today, with its baseline read from the record now. The review date
        defaults to a week after the weeks measured have passed."""
        return self.repo.create(self._planned(fields), "improvement action planned")

    def _planned(self, fields: dict[str, Any]) -> ImprovementAction:
        """The action as planned today: checked as typed first (a measure, weeks and dates that make
        sense), then with the baseline read over the weeks before today."""
        today = self.records.clock.today()
        fields = {"weeks": DEFAULT_WEEKS, **fields, "planned_on": today}
        weeks = fields["weeks"]
        if isinstance(weeks, int) and 1 <= weeks <= 52:
            fields.setdefault("review_on", today + timedelta(weeks=weeks + 1))
        unread = Reading(first=today, last=today)
        action = ImprovementAction.model_validate({**fields, "baseline": unread}, context={"today": today})
        figure = self.baseline(action.measure, action.weeks, today)
        return action.model_copy(update={"baseline": Reading.of(figure)})

    def tell_at_briefing(self, action: ImprovementAction, briefing: Briefing) -> ImprovementAction:
        """Link the action to a briefing where the team was told of the change: that is when it starts."""
        if not briefing.id:
            raise ValueError("Save the briefing first, then link the action to it")
        if briefing.id in action.briefings:
            raise ValueError(f"{action.id} is already linked to the briefing of {briefing.day:%d/%m/%Y}")
        if briefing.day < action.planned_on:
            raise ValueError(
                f"The briefing of {briefing.day:%d/%m/%Y} was before {action.id} was planned "
                f"({action.planned_on:%d/%m/%Y}); it cannot have told the team of it"
            )
        if action.stage == "act":
            raise ValueError(f"{action.id} is decided ({action.stage_text()}); a new cycle is told as its own")
        started = min(d for d in (action.started_on, briefing.day) if d is not None)
        changed = action.model_copy(update={"briefings": [*action.briefings, briefing.id], "started_on": started})
        return self.repo.update(changed, f"told to the team at the briefing of {briefing.day:%d/%m/%Y}")

    def add_note(self, action: ImprovementAction, text: str) -> ImprovementAction:
        text = (text or "").strip()
        if not text:
            raise ValueError("Progress note: write what happened")
        note = Note(on=self.records.clock.today(), by=self.records.login, text=text)
        return self.repo.update(action.model_copy(update={"notes": [*action.notes, note]}), "progress note")

    def review_figure(self, action: ImprovementAction) -> Figure:
        """The figure a review today would keep (its page shows it before asking for the comment).
        Refused before the change was told to the team, or while the weeks measured would still
        overlap the baseline."""
        today = self.records.clock.today()
        if action.stage not in ("do",):
            raise ValueError(_not_now(action, "reviewed"))
        early = action.too_early(today)
        if early:
            raise ValueError(f"Too early to measure the change: {early}")
        return self.figure(action.measure, action.check_window(today))

    def review(self, action: ImprovementAction, comment: str) -> ImprovementAction:
        """Measure the same thing over the same number of weeks, up to today, and keep it beside the
        baseline (refused as ``review_figure`` says)."""
        today = self.records.clock.today()
        figure = self.review_figure(action)
        changed = action.model_copy(
            update={"check": Reading.of(figure), "checked_on": today, "check_comment": (comment or "").strip()}
        )
        comparison = changed.comparison()
        assert comparison is not None  # it has its check now
        return self.repo.update(changed, f"reviewed: {comparison.text()}")

    def check_decision(self, action: ImprovementAction, decision: str, reason: str) -> ImprovementAction:
        """The action as ``decide`` would save it, checked by the rules of the cycle; nothing is written
        (adjusting asks for the next cycle's plan after this, so a refusal is said before it is typed)."""
        if action.stage == "act":
            raise ValueError(_not_now(action, "decided again"))
        changed = action.model_copy(
            update={
                "decision": decision,
                "decision_reason": (reason or "").strip(),
                "decided_on": self.records.clock.today(),
            }
        )
        return self.repo.checked(changed)

    def decide(
        self, action: ImprovementAction, decision: str, reason: str, next_cycle: dict[str, Any] | None = None
    ) -> tuple[ImprovementAction, ImprovementAction | None]:
        """Adopt, adjust or abandon, with the reason. Adjusting plans the next cycle in the same save: it
        follows this one, keeps its source and, unless changed, its measure; its baseline is read today."""
        changed = self.check_decision(action, decision, reason)
        if decision != "adjust":
            return self.repo.update(changed, f"{changed.stage_text()}: {changed.decision_reason}"), None
        following = self._planned(
            {
                "title": action.title,
                "source": action.source,
                "change": action.change,
                "objective": action.objective,
                "owner": action.owner,
                "resources": action.resources,
                "agreed": action.agreed,
                "measure": action.measure,
                "target": action.target,
                "weeks": action.weeks,
                **(next_cycle or {}),
                "follows": action.id,
            }
        )
        with self.repo.store.transaction() as txn:
            decided = self.repo.update(changed, f"adjusted: {changed.decision_reason}", txn)
            created = self.repo.create(following, f"adjusts {action.id}", txn)
        return self.repo.get(decided.id or ""), self.repo.get(created.id or "")

    def correct(self, action: ImprovementAction, reason: str, **changes: Any) -> ImprovementAction:
        """Correct what was planned (owner, wording, review date...) with a reason; the readings stay."""
        kept = {"baseline", "check", "planned_on", "checked_on", "decided_on", "started_on", "briefings", "measure"}
        refused = kept & set(changes)
        if refused:
            raise ValueError(f"{', '.join(sorted(refused))}: measured or dated by the app, so not corrected by hand")
        return self.repo.correct(action.model_copy(update=changes), reason)

    def void(self, action_id: str, reason: str) -> ImprovementAction:
        if not (reason or "").strip():
            raise ValueError("Voiding needs a reason: the action stays readable with it.")
        return self.repo.void(self.repo.get(action_id), reason.strip())

    # -- the manager's report ---------------------------------------------------------------------
    def report_lines(self, window: Window) -> list[str]:
        """One sentence per action reviewed or decided in the period, and per action open at its end:
        what changed, what prompted it, the measure's before and after with the cases behind them, and
        the decision with its reason."""
        lines = []
        for a in sorted(self.repo.all(), key=lambda a: (a.planned_on, a.id or "")):
            if a.planned_on > window.last or (a.decided_on is not None and a.decided_on < window.first):
                continue
            said = [f"{a.id} {a.title} ({a.stage_text()}; owner {a.owner}; prompted by {self.source_label(a.source)})"]
            label, comparison = self.measure_label(a.measure), a.comparison()
            if comparison is not None:
                said.append(f"{label}: {comparison.text()}")
            else:
                said.append(f"{label}: baseline {a.baseline.figure(a.measure).text()}")
            if a.decided_on is not None:
                said.append(f"decided on {a.decided_on:%d/%m/%Y}: {a.decision_reason}")
            elif a.check is None:
                late = " (late)" if a.review_late(self.records.clock.today()) else ""
                said.append(f"review due {a.review_on:%d/%m/%Y}{late}")
            lines.append(". ".join(part[:1].upper() + part[1:] for part in said) + ".")
        return lines


def _not_now(action: ImprovementAction, what: str) -> str:
    if action.stage == "plan":
        return (
            f"{action.id} has not started: tell the team at a briefing first (b); a change nobody was told of "
            f"was not tried, so it cannot be {what}"
        )
    if action.stage == "check":
        return f"{action.id} was reviewed on {action.checked_on:%d/%m/%Y}; decide what to do next (d)"
    return f"{action.id} is {action.stage_text()}; it cannot be {what}"
