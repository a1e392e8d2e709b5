"""The measures of domain.measures, read from the record over a window of days.

One place works out every figure an improvement action is judged by and the manager's report shows, so
the two never disagree: complaints a month (all, by root cause, by category), late acknowledgements, a
criterion's pass rate, quality averages and pass rates (a person's or the team's), and the KPI returns.
Sealed records are read where a window reaches back to them; voided ones never count.
"""

from __future__ import annotations

from collections.abc import Iterator
from statistics import mean
from typing import TYPE_CHECKING

from supervisor_tui.storage import StoreError

from ..domain.complaints import REOPENABLE, ROOT_CAUSES, Complaint
from ..domain.measures import KPI_KINDS, Figure, Measure
from ..domain.periods import Window, kpi_window, per_month
from ..domain.quality import NA, QualityCheck, Scale, fraction

if TYPE_CHECKING:
    from . import Records

LATE = ("met late", "breached")  # an acknowledgement clock's states that count as a late first response
ON_TIME = ("met",)


class MeasureService:
    def __init__(self, records: Records):
        self.records = records

    # -- figures ---------------------------------------------------------------------------------
    def figure(self, measure: Measure, window: Window) -> Figure:
        """``measure`` over the days of ``window``, with the cases behind it."""
        kind = measure.kind
        if kind in ("complaints", "category", "root_cause"):
            return self._complaints(measure, window)
        if kind == "first_response":
            return self._first_response(measure, window)
        if kind == "criterion":
            return self._criterion(measure, window)
        if kind in ("quality", "quality_pass"):
            return self._quality(measure, window)
        return self._kpi(measure, window)

    def received(self, window: Window) -> list[Complaint]:
        """Complaints received in the window (by the team's calendar), sealed ones included."""
        complaints = self.records.complaints
        return [c for c in complaints.repo.with_sealed(window.first) if complaints.received_day(c) in window]

    def checks(self, window: Window, member_id: str = "") -> list[QualityCheck]:
        """A person's (or, blank, everyone's) own quality checks in the window: a calibration scoring is
        a supervisor's practice on a shared interaction, not a check of the person."""
        return [
            c for c in self.records.quality.between(window.first, window.last, member_id or None) if not c.calibration
        ]

    def _complaints(self, measure: Measure, window: Window) -> Figure:
        received = self.received(window)
        subject = measure.subject.strip().casefold()
        if measure.kind == "complaints":
            counted, pending = received, 0
        elif measure.kind == "category":
            counted, pending = [c for c in received if c.category.strip().casefold() == subject], 0
        else:
            # A root cause is known once a complaint is resolved (as the root-cause chart counts them); one
            # still open may turn out to have it, so it is reported as pending, not silently left out.
            known = [c for c in received if c.stage in REOPENABLE]
            counted = [c for c in known if c.root_cause.strip().casefold() == subject]
            pending = len(received) - len(known)
        return Figure(measure, window, per_month(len(counted), window), len(counted), pending)

    def _first_response(self, measure: Measure, window: Window) -> Figure:
        complaints, today = self.records.complaints, self.records.clock.today()
        states = [complaints.clocks(c, today)[0].status for c in self.received(window)]
        decided = [s for s in states if s in LATE or s in ON_TIME]
        late = sum(s in LATE for s in decided)
        value = 100 * late / len(decided) if decided else None
        return Figure(measure, window, value, len(decided), len(states) - len(decided))

    def _criterion(self, measure: Measure, window: Window) -> Figure:
        """The share of scorings that met the criterion: 'yes', or at least half the top score on a points
        scale. Every edition of the standard counts (the key stays when an edition changes); N/A is not
        a scoring."""
        family, _, key = measure.subject.partition(":")
        met = scored = 0
        for check, standard, _ in self.records.quality.scored(self.checks(window)):
            if standard.family != family or key not in check.scores or check.scores[key] == NA:
                continue
            criterion = next((c for c in standard.criteria if c.key == key), None)
            share = None if criterion is None else fraction(criterion, check.scores[key])
            if criterion is None or share is None:
                continue
            scored += 1
            met += share == 1.0 if criterion.scale == Scale.yes_no else share >= 0.5
        return Figure(measure, window, 100 * met / scored if scored else None, scored)

    def _quality(self, measure: Measure, window: Window) -> Figure:
        results = [r for _, r in self.records.quality.results(self.checks(window, measure.subject)) if not r.missing]
        if measure.kind == "quality_pass":
            value = 100 * sum(r.passed for r in results) / len(results) if results else None
            return Figure(measure, window, value, len(results))
        overalls = [r.overall for r in results if r.overall is not None]
        return Figure(measure, window, mean(overalls) if overalls else None, len(overalls))

    def _kpi(self, measure: Measure, window: Window) -> Figure:
        """The mean of the KPI returns whose period begins in the window (a month's or a week's figure for
        a person, as imported); each return is one case."""
        values = [
            value
            for kpi in self.records.quality.kpis.with_sealed(window.first)
            if (not measure.subject or kpi.member_id == measure.subject)
            and kpi_window(kpi.period).first in window
            and (value := getattr(kpi, measure.kind)) is not None
        ]
        return Figure(measure, window, mean(values) if values else None, len(values))

    # -- words ---------------------------------------------------------------------------------------
    def label(self, measure: Measure) -> str:
        """What the measure is, in words: "complaints with root cause 'delivery' a month"."""
        kind, subject = measure.kind, measure.subject
        whose = self._whose(subject)
        return {
            "complaints": "complaints received a month",
            "root_cause": f"complaints with root cause '{subject}' a month",
            "category": f"complaints about '{subject}' a month",
            "first_response": "complaints acknowledged late (%)",
            "criterion": f"checks meeting '{self._criterion_text(subject)}' (%)",
            "quality": f"{whose} quality average (%)",
            "quality_pass": f"{whose} quality checks passed (%)",
            "csat": f"{whose} CSAT (%)",
            "nps": f"{whose} NPS",
            "fcr": f"{whose} first-contact resolution (%)",
        }[kind]

    def _whose(self, member_id: str) -> str:
        if not member_id:
            return "the team's"
        try:
            return f"{self.records.team.get(member_id).name}'s"
        except StoreError:  # a leaver whose record was erased, or a damaged one: named by its id
            return f"{member_id}'s"

    def _criterion_text(self, subject: str) -> str:
        family, _, key = subject.partition(":")
        for standard in self.records.quality.current_standards():
            if standard.family == family:
                found = next((c for c in standard.criteria if c.key == key), None)
                if found is not None:
                    return f"{found.text}, {standard.name}"
        return subject

    def choices(self) -> list[tuple[str, Measure]]:
        """Every measure a supervisor can choose, with its label: the team's figures first, then each
        root cause, category and criterion on record, then each active person's."""
        return [(self.label(m), m) for m in self._choices()]

    def _choices(self) -> Iterator[Measure]:
        yield Measure(kind="complaints")
        yield Measure(kind="first_response")
        for kind in ("quality", "quality_pass", *KPI_KINDS):
            yield Measure(kind=kind)
        complaints = self.records.complaints.repo.all()
        causes = dict.fromkeys([*ROOT_CAUSES, *(c.root_cause.strip().lower() for c in complaints if c.root_cause)])
        for cause in causes:
            yield Measure(kind="root_cause", subject=cause)
        for category in sorted({c.category.strip().lower() for c in complaints}):
            yield Measure(kind="category", subject=category)
        for standard in self.records.quality.current_standards():
            for criterion in standard.criteria:
                yield Measure(kind="criterion", subject=f"{standard.family}:{criterion.key}")
        for member in self.records.team.members():
            for kind in ("quality", *KPI_KINDS):
                yield Measure(kind=kind, subject=member.id or "")
