"""The manager's report: a page a supervisor hands their manager, for a month, an ISO week or a quarter,
each figure beside the previous period's of the same kind (issue 16).

Built from the other services alone (nothing of its own is stored): team KPIs against the team's targets
(services.measures, the same figures an improvement action is judged by); quality by person and by
criterion; complaints received, where they are now, their clocks, root causes and categories; rota cover
against demand and working-time problems; one-to-one cadence, actions and plans; and last, improvement
actions and their measured outcomes. It says when and by whom it was produced and the audit head it was
read at, so 'supervisor-tui verify --head' proves the record it came from.

A rate always comes with the cases behind it, and a change resting on fewer than MIN_CASES cases says
"too few to read as a trend" (domain.report). ``render`` prints it through output.document, as
Markdown or HTML (with inline SVG charts from supervisor_tui.charts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import charts, locations
from ..domain.complaints import REOPENABLE, STAGES, Complaint
from ..domain.coverage import shortfall_hours
from ..domain.fields import moment_day
from ..domain.measures import KPI_KINDS, MIN_CASES, Kind, Measure, compare
from ..domain.measures import target_words as measure_target_words
from ..domain.one_to_ones import Action, ImprovementPlan, Meeting
from ..domain.people import Member
from ..domain.periods import Window, last_full_month, parse_report_period
from ..domain.quality import QualityCheck, weakest_by_criterion
from ..domain.report import (
    FEW,
    ONE_TO_ONE_EVERY,
    change_words,
    count_change,
    figure_change,
    in_progress,
    one_to_one_due,
    overdue_at_end,
    plural,
    rate,
    rate_text,
    target_words,
)
from ..domain.retention import ERASED_PERSON
from ..domain.rota import Rule
from ..output import DocumentBlock, Svg, Table, document
from .evidence import AUDIT_PROOF

if TYPE_CHECKING:
    from . import Records

NO_IMPROVEMENT = "No improvement actions recorded in this period."
KPI_NAMES = {"csat": "CSAT (%)", "nps": "NPS", "fcr": "First-contact resolution (%)"}
CLOCKS = ("acknowledgement", "final response")
OPEN_CLOCK = ("running", "at risk", "paused")  # a clock not yet stopped: the complaint is still owed it
# Reads of the whole report while other sessions' saves keep arriving in the middle of one; after that the
# head read last is printed (the figures then include at least everything up to it).
READS = 3


@dataclass(frozen=True)
class Section:
    """One part of the report: its heading and what it says (paragraphs, list items, tables, charts)."""

    title: str
    blocks: tuple[DocumentBlock, ...]


@dataclass(frozen=True)
class Report:
    window: Window
    previous: Window
    produced_at: datetime  # the team's local time
    produced_by: str  # the login that produced it
    head: str  # the audit head the record was read at ('seq:hash')
    sections: tuple[Section, ...]
    so_far: bool = False  # the period has not ended: its figures are to the day it was produced

    @property
    def title(self) -> str:
        return f"Team report: {self.window.shown()}"

    def blocks(self) -> list[DocumentBlock]:
        """The whole report as document blocks: the title, where it came from, then each section."""
        out: list[DocumentBlock] = [("h1", self.title), ("p", self.provenance()), ("p", self.reading())]
        for section in self.sections:
            out.append(("h2", section.title))
            out += section.blocks
        return out

    def provenance(self) -> str:
        return (
            f"Produced {self.produced_at:%d/%m/%Y at %H:%M} by {self.produced_by}, from the record at audit head "
            f"{self.head} — {AUDIT_PROOF}."
        )

    def reading(self) -> str:
        so_far = f" The period has not ended: its figures are to {self.produced_at:%d/%m/%Y}." if self.so_far else ""
        return (
            f"Each figure is shown beside the previous period's ({self.previous.shown()}).{so_far} Every rate "
            f"gives the number of cases behind it, and a change resting on fewer than {MIN_CASES} cases on "
            f"either side is marked '{FEW}'. Complaint clocks and stages are as they stand today."
        )


def render(report: Report, fmt: str) -> str:
    """The report as Markdown (``md``) or HTML (``html``, with its charts)."""
    return document(report.blocks(), fmt)


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> DocumentBlock:
    return ("table", Table(tuple(header), tuple(tuple(str(cell) for cell in row) for row in rows)))


def _chart(svg: Svg) -> DocumentBlock:
    return ("svg", svg)


def _whole(value: float) -> str:
    return f"{value:.0f}"


class ReportService:
    def __init__(self, records: Records):
        self.records = records

    # -- the period ---------------------------------------------------------------------------------
    def period(self, text: str | None) -> Window:
        """The period typed ('2026-11', '2026-W48', '2026-Q4'), or the last full month. A ValueError says
        what to type, or that the period has not started yet."""
        today = self.records.clock.today()
        window = last_full_month(today) if not (text or "").strip() else parse_report_period(text or "")
        if window.first > today:
            raise ValueError(f"{window.name} has not started yet; a report covers a period up to today")
        return window

    # -- building --------------------------------------------------------------------------------------
    def build(self, window: Window) -> Report:
        """Every section for ``window`` beside the period before it, read at the record's present head."""
        records, previous = self.records, window.previous()
        for _ in range(READS):
            head = records.store.head_text()
            sections = self._sections(window, previous)
            if records.store.head_text() == head:  # nobody's save was read in part way through: the head is its source
                break
        now = records.clock.local_now()
        return Report(window, previous, now, records.login, head, sections, in_progress(window, now.date()))

    def _sections(self, window: Window, previous: Window) -> tuple[Section, ...]:
        names = _Names({m.saved_id: m.name for m in self.records.team.members(include_inactive=True)})
        return (
            Section("Team KPIs", tuple(self._kpis(window, previous))),
            Section("Quality", tuple(self._quality(window, previous, names))),
            Section("Complaints", tuple(self._complaints(window, previous))),
            Section("Rota", tuple(self._rota(window, previous))),
            Section("One-to-ones", tuple(self._one_to_ones(window, previous, names))),
            Section("Improvement actions", tuple(self._improvement_blocks(window))),  # last: see its docstring
        )

    def save_html(self, report: Report) -> Path:
        """The report as HTML in the user's own exports folder, readable by them only (it names staff and
        their results), never in the record's shared folder; the file's path."""
        folder = locations.exports_dir()
        if folder.resolve() == Path(self.records.store.path).resolve().parent:
            raise ValueError(f"{folder} is the record's own folder, which others share; the report was not written.")
        path = folder / f"team-report-{report.window.name}-{report.produced_at:%Y%m%d-%H%M%S}.html"
        locations.write_own_file(path, render(report, "html"))
        return path

    # -- 1. team KPIs ------------------------------------------------------------------------------------
    def _kpis(self, window: Window, previous: Window) -> list[DocumentBlock]:
        measures, settings = self.records.measures, self.records.quality.settings()
        figures = {
            kind: (measures.figure(Measure(kind=kind), window), measures.figure(Measure(kind=kind), previous))
            for kind in KPI_KINDS
        }
        if not any(now.cases or before.cases for now, before in figures.values()):
            return [("p", "No KPI returns were recorded for this period or the previous one.")]
        rows = []
        for kind, (now, before) in figures.items():
            target = settings.kpi_target(kind)
            met = compare(now, now, target).target_met  # this period's figure against the target, alone
            wording = "" if target is None else measure_target_words(now.measure, target)
            rows.append(
                (
                    KPI_NAMES[kind],
                    now.text(),
                    before.text(),
                    figure_change(now, before),
                    target_words(target, met, wording),
                )
            )
        shown: tuple[Kind, ...] = ("csat", "fcr")  # NPS runs from -100: it is in the table, not on the percentage chart
        return [
            (
                "p",
                "The mean of the KPI returns (each person's figures for a month or a week) that begin in each period.",
            ),
            _table(("Measure", "This period", "Previous period", "Change", "Target"), rows),
            _chart(
                charts.paired_bars(
                    "CSAT and first-contact resolution",
                    ["CSAT", "First-contact resolution"],
                    [figures[kind][0].value for kind in shown],
                    [figures[kind][1].value for kind in shown],
                )
            ),
        ]

    # -- 2. quality ----------------------------------------------------------------------------------------
    def _quality(self, window: Window, previous: Window, names: _Names) -> list[DocumentBlock]:
        measures = self.records.measures
        now_checks, before_checks = measures.checks(window), measures.checks(previous)
        if not now_checks and not before_checks:
            return [("p", "No quality checks were recorded in this period or the previous one.")]
        out: list[DocumentBlock] = [
            (
                "p",
                "Voided checks are not counted, and neither are calibration scorings (supervisors scoring one "
                "interaction together to agree how to score, not a check of the person).",
            )
        ]
        people = sorted(
            {c.member_id for c in [*now_checks, *before_checks]}, key=lambda member_id: names(member_id).lower()
        )
        rows, labels, averages, earlier = [], [], [], []
        for member_id, label in [("", "Whole team"), *((m, names(m)) for m in people)]:
            count_now = sum(1 for c in now_checks if not member_id or c.member_id == member_id)
            count_before = sum(1 for c in before_checks if not member_id or c.member_id == member_id)
            passed = [measures.figure(Measure(kind="quality_pass", subject=member_id), w) for w in (window, previous)]
            average = [measures.figure(Measure(kind="quality", subject=member_id), w) for w in (window, previous)]
            rows.append(
                (
                    label,
                    f"{count_now} (previous {count_before})",
                    passed[0].text(),
                    passed[1].text(),
                    average[0].text(),
                    average[1].text(),
                    figure_change(average[0], average[1]),
                )
            )
            if member_id:
                labels.append(label)
                averages.append(average[0].value)
                earlier.append(average[1].value)
        out.append(("h3", "By person"))
        out.append(
            _table(
                ("Person", "Checks", "Passed", "Passed before", "Average", "Average before", "Change in average"), rows
            )
        )
        out.append(_chart(charts.paired_bars("Quality average by person", labels, averages, earlier)))
        out += self._criteria(window, previous, now_checks, before_checks)
        return out

    def _criteria(
        self, window: Window, previous: Window, now_checks: list[QualityCheck], before_checks: list[QualityCheck]
    ) -> list[DocumentBlock]:
        """Each criterion scored in either period, weakest first: the share of scorings that met it (as an
        improvement action measures it) and its average score (as the quality section's weakest list has it)."""
        quality, measures = self.records.quality, self.records.measures
        criteria: dict[str, tuple[str, str]] = {}  # 'family:key' -> (criterion text, standard name), newest edition
        for check, standard, _ in sorted(quality.scored([*before_checks, *now_checks]), key=lambda s: s[1].edition):
            for criterion in standard.criteria:
                if criterion.key in check.scores:
                    criteria[f"{standard.family}:{criterion.key}"] = (criterion.text, standard.name)
        average = {
            w.subject: (w.share, w.scored)
            for w in weakest_by_criterion(
                [(standard, check.scores) for check, standard, _ in quality.scored(now_checks)]
            )
        }
        rows = []
        for subject, (text, standard_name) in criteria.items():
            measure = Measure(kind="criterion", subject=subject)
            now, before = measures.figure(measure, window), measures.figure(measure, previous)
            share, times = average.get(subject, (None, 0))
            mean = "—" if share is None else f"{100 * share:.0f}% ({plural(times, 'scoring')})"
            rows.append((now.value, text, standard_name, now.text(), before.text(), mean, figure_change(now, before)))
        rows.sort(key=lambda row: (row[0] is None, row[0] if row[0] is not None else 0.0, row[1].lower()))
        if not rows:
            return []
        return [
            ("h3", "By criterion, weakest first"),
            (
                "p",
                "Met: the share of scorings that met the criterion (yes, or at least half its top score); "
                "average: the mean score as a share of the top score. N/A is not a scoring.",
            ),
            _table(
                ("Criterion", "Standard", "Met", "Met before", "Average score", "Change in met"),
                (row[1:] for row in rows),
            ),
            _chart(
                charts.bar_chart(
                    "Scorings meeting each criterion this period, weakest first",
                    [row[1] for row in rows],
                    [row[0] for row in rows],
                )
            ),
        ]

    # -- 3. complaints ---------------------------------------------------------------------------------------
    def _complaints(self, window: Window, previous: Window) -> list[DocumentBlock]:
        records = self.records
        received = records.measures.received(window)
        earlier = records.measures.received(previous)
        if not received and not earlier:
            return [("p", "No complaints were received in this period or the previous one.")]
        late = Measure(kind="first_response")
        late_now, late_before = records.measures.figure(late, window), records.measures.figure(late, previous)
        out: list[DocumentBlock] = [
            _table(
                ("Complaints", "This period", "Previous period", "Change"),
                [
                    ("Received", len(received), len(earlier), count_change(len(received), len(earlier), "complaint")),
                    (
                        "Acknowledged late",
                        late_now.text(),
                        late_before.text(),
                        figure_change(late_now, late_before),
                    ),
                ],
            ),
            ("h3", "Where they are now"),
            _table(
                ("Stage", "Received this period", "Received in the previous period"),
                [
                    (
                        stage.capitalize(),
                        sum(c.stage == stage for c in received),
                        sum(c.stage == stage for c in earlier),
                    )
                    for stage in STAGES
                ],
            ),
            ("h3", "Deadline clocks"),
            _table(
                ("Clock", "Met", "Met late", "Breached", "Still open"),
                [*self._clock_rows(received, "this period"), *self._clock_rows(earlier, "previous period")],
            ),
        ]
        out += self._causes(window, previous, received, earlier)
        return out

    def _clock_rows(self, complaints: list[Complaint], which: str) -> list[tuple[str, ...]]:
        service, today = self.records.complaints, self.records.clock.today()
        states: dict[str, Counter[str]] = {name: Counter() for name in CLOCKS}
        for complaint in complaints:
            for clock in service.clocks(complaint, today):
                states[clock.name][clock.status] += 1
        return [
            (
                f"{name.capitalize()} ({which})",
                *(str(states[name][status]) for status in ("met", "met late", "breached")),
                str(sum(states[name][status] for status in OPEN_CLOCK)),
            )
            for name in CLOCKS
        ]

    def _causes(
        self, window: Window, previous: Window, received: list[Complaint], earlier: list[Complaint]
    ) -> list[DocumentBlock]:
        counts = self.records.complaints.counts
        (causes, categories), (causes_before, categories_before) = (
            counts(window.first, window.last),
            counts(previous.first, previous.last),
        )
        unresolved = sum(c.stage not in REOPENABLE for c in received)
        out: list[DocumentBlock] = [("h3", "Root causes")]
        note = "A root cause is counted once a complaint is resolved."
        if unresolved:
            note += f" Of this period's complaints, {unresolved} {'is' if unresolved == 1 else 'are'} not resolved yet."
        out.append(("p", note))
        out += self._counted("Root cause", causes, causes_before, "No root causes recorded in either period.")
        out.append(("h3", "Categories"))
        out += self._counted("Category", categories, categories_before, "No complaints in either period.")
        return out

    def _counted(self, what: str, now: Counter[str], before: Counter[str], nothing: str) -> list[DocumentBlock]:
        keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
        if not keys:
            return [("p", nothing)]
        return [
            _table(
                (what, "This period", "Previous period", "Change"),
                [(key, now[key], before[key], count_change(now[key], before[key], "complaint")) for key in keys],
            ),
            _chart(
                charts.paired_bars(
                    f"Complaints by {what.lower()}",
                    keys,
                    [float(now[k]) for k in keys],
                    [float(before[k]) for k in keys],
                    high=None,
                    show=lambda v: "—" if v is None else _whole(v),
                )
            ),
        ]

    # -- 4. rota ------------------------------------------------------------------------------------------
    def _rota(self, window: Window, previous: Window) -> list[DocumentBlock]:
        shifts = self.records.shifts
        out: list[DocumentBlock] = []
        if shifts.has_demand():
            out += self._cover(window, previous)
        else:
            out.append(("p", "No demand is recorded, so cover cannot be measured against it (add it in Shifts)."))
        out += self._problems(window, previous)
        return out

    def _cover(self, window: Window, previous: Window) -> list[DocumentBlock]:
        now, before = _Cover.over(self.records, window), _Cover.over(self.records, previous)
        if not now.needed and not before.needed:
            return [("p", "No cover was needed in this period or the previous one (no demand on those days).")]
        rows = [
            (
                "Cover met",
                rate_text(now.needed - now.short, now.needed, "person-hour"),
                rate_text(before.needed - before.short, before.needed, "person-hour"),
                change_words(now.met, before.met, (now.needed, before.needed)),
            ),
            (
                "Person-hours short",
                now.short,
                before.short,
                count_change(now.short, before.short, "person-hour", events=False),
            ),
            (
                "Hour slots short (a position and an hour with fewer people on than needed)",
                now.slots,
                before.slots,
                count_change(now.slots, before.slots, "slot", events=False),
            ),
            (
                "Days with a shortfall",
                f"{now.days_short} of {plural(window.days, 'day')}",
                f"{before.days_short} of {plural(previous.days, 'day')}",
                count_change(now.days_short, before.days_short, "day", events=False),
            ),
        ]
        out: list[DocumentBlock] = [
            ("h3", "Cover against demand"),
            _table(("Cover", "This period", "Previous period", "Change"), rows),
            _chart(charts.sparkline("Person-hours short, day by day this period", [float(s) for s in now.by_day])),
        ]
        worst = now.worst()
        if worst:
            out.append(("p", "The days most short of people:"))
            out += [("li", line) for line in worst]
        return out

    def _problems(self, window: Window, previous: Window) -> list[DocumentBlock]:
        shifts = self.records.shifts
        region = self.records.settings.region
        if not shifts.between(window.first, window.last) and not shifts.between(previous.first, previous.last):
            return [
                ("h3", "Working-time problems"),
                ("p", "No shifts were on the rota in this period or the one before."),
            ]
        found = [p for p in shifts.problems(window.first, window.last) if p.day in window]
        now = Counter(p.rule for p in found)
        before = Counter(p.rule for p in shifts.problems(previous.first, previous.last) if p.day in previous)
        out: list[DocumentBlock] = [("h3", "Working-time problems")]
        if not now and not before:
            return [*out, ("p", "No working-time or allocation problems on the rota in either period.")]
        rules = sorted(set(now) | set(before), key=lambda r: (-now[r], -before[r], list(Rule).index(r)))
        law = sum(1 for p in found if p.is_law)
        out.append(
            (
                "p",
                f"{plural(sum(now.values()), 'problem')} on the rota this period, {law} of them against the "
                "working-time law; each is counted once per person, day and rule.",
            )
        )
        out.append(
            _table(
                ("Rule", "This period", "Previous period", "Change"),
                [
                    (rule.text(region), now[rule], before[rule], count_change(now[rule], before[rule], "problem"))
                    for rule in rules
                ],
            )
        )
        return out

    # -- 5. one-to-ones --------------------------------------------------------------------------------------
    def _one_to_ones(self, window: Window, previous: Window, names: _Names) -> list[DocumentBlock]:
        service = self.records.one_to_ones
        since = previous.first - ONE_TO_ONE_EVERY  # an older meeting says no more than none: due either way
        meetings = [m for m in service.meetings.with_sealed(since) if m.held_on >= since]
        members = self.records.team.members(include_inactive=True)
        actions, plans = service.actions.with_sealed(previous.first), service.plans.with_sealed(previous.first)
        now, before = (
            _Cadence.over(w, members, meetings, actions, plans, self._note_late, self._closed_on)
            for w in (window, previous)
        )
        if not now.team and not now.held and not before.held:
            return [("p", "No one was on the team and no one-to-ones were held in this period or the previous one.")]
        rows = [
            (
                "One-to-ones held",
                now.held,
                before.held,
                count_change(now.held, before.held, "one-to-one", lower_is_better=False, events=False),
            ),
            (
                "People due a one-to-one who had one",
                rate_text(now.seen_due, now.due, "person", "people"),
                rate_text(before.seen_due, before.due, "person", "people"),
                change_words(rate(now.seen_due, now.due), rate(before.seen_due, before.due), (now.due, before.due)),
            ),
            (
                "Actions done (done after their due date)",
                f"{now.done} ({now.done_late})",
                f"{before.done} ({before.done_late})",
                count_change(now.done, before.done, "action", lower_is_better=False),
            ),
            (
                "Actions overdue at the period's end",
                now.overdue_actions,
                before.overdue_actions,
                count_change(now.overdue_actions, before.overdue_actions, "action"),
            ),
            (
                "Notes written more than two working days after the meeting",
                now.late_notes,
                before.late_notes,
                count_change(now.late_notes, before.late_notes, "note"),
            ),
            (
                "Notes not yet read by the person",
                now.unread,
                before.unread,
                count_change(now.unread, before.unread, "note"),
            ),
            ("Improvement plans open at the period's end", now.plans_open, before.plans_open, ""),
            (
                "Plan reviews due in the period (held / held late / not held)",
                now.reviews_text(),
                before.reviews_text(),
                "",
            ),
        ]
        overdue = sorted(names(m) for m in now.overdue_people)
        said = (
            "Without a one-to-one for more than a month at the period's end: " + ", ".join(overdue) + "."
            if overdue
            else "Everyone on the team had a one-to-one within a month of the period's end."
        )
        return [
            (
                "p",
                "A one-to-one is due a month after the last one (team practice). Notes are read by the person "
                "as they stand today.",
            ),
            _table(("One-to-ones", "This period", "Previous period", "Change"), rows),
            ("p", said),
        ]

    def _note_late(self, meeting: Meeting) -> bool:
        return self.records.one_to_ones.note_promptness(meeting)[1]

    def _closed_on(self, plan: ImprovementPlan) -> date | None:
        """The team's calendar day a closed plan was last saved: the day it was closed."""
        return moment_day(plan.updated_at, self.records.tz) if plan.updated_at else None

    # -- 6. improvement actions --------------------------------------------------------------------------------
    def _improvement_blocks(self, window: Window) -> list[DocumentBlock]:
        """Improvement actions and their measured outcomes: one sentence each from the improvement service
        (already worded: what changed, the measure, before and after with the cases behind them, the
        decision and why), the report's last section."""
        lines = self.records.improvement.report_lines(window)
        return [("li", line) for line in lines] if lines else [("p", NO_IMPROVEMENT)]


class _Names:
    """A member's name by id; their id when they are not on the team; '(erased)' where it was erased."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def __call__(self, member_id: str) -> str:
        return self.names.get(member_id) or member_id or ERASED_PERSON


@dataclass(frozen=True)
class _Cover:
    """Cover against demand over a period's days."""

    window: Window
    needed: int  # person-hours needed
    short: int  # person-hours short
    slots: int  # (position, hour) slots with fewer on than needed
    by_day: list[int]  # person-hours short each day
    worst_days: list[tuple[date, int, dict[str, int]]]  # the most short days: (day, short, by position)

    @property
    def days_short(self) -> int:
        return sum(1 for short in self.by_day if short)

    @property
    def met(self) -> float | None:
        return rate(self.needed - self.short, self.needed)

    @classmethod
    def over(cls, records: Records, window: Window) -> _Cover:
        needed = short = slots = 0
        by_day, days = [], []
        for day, cover in records.shifts.coverage_between(window.first, window.last).items():
            day_short = shortfall_hours(cover)
            needed += sum(c.need for c in cover)
            short += day_short
            slots += sum(1 for c in cover if c.gap < 0)
            by_day.append(day_short)
            if day_short:
                positions: Counter[str] = Counter()
                for c in cover:
                    if c.gap < 0:
                        positions[c.position] -= c.gap
                days.append((day, day_short, dict(positions.most_common())))
        days.sort(key=lambda d: (-d[1], d[0]))
        return cls(window, needed, short, slots, by_day, days[:3])

    def worst(self) -> list[str]:
        return [
            f"{day:%a %d/%m/%Y}: {plural(short, 'person-hour')} short ("
            + ", ".join(f"{position} {hours}" for position, hours in positions.items())
            + ")"
            for day, short, positions in self.worst_days
        ]


@dataclass(frozen=True)
class _Cadence:
    """One-to-ones over a period: who was due one and had one, actions, notes and plans."""

    team: int
    held: int
    due: int
    seen_due: int
    overdue_people: list[str]
    done: int
    done_late: int
    overdue_actions: int
    late_notes: int
    unread: int
    plans_open: int
    reviews: tuple[int, int, int, int]  # due, held on time, held late, not held

    def reviews_text(self) -> str:
        due, on_time, late, missed = self.reviews
        return f"{due} ({on_time} / {late} / {missed})"

    @classmethod
    def over(
        cls,
        window: Window,
        members: list[Member],
        meetings: list[Meeting],
        actions: list[Action],
        plans: list[ImprovementPlan],
        late_note: Callable[[Meeting], bool],
        closed_on: Callable[[ImprovementPlan], date | None],
    ) -> _Cadence:
        on_team = [
            m
            for m in members
            if (m.start_date is None or m.start_date <= window.last)
            and (m.left_on is None or m.left_on >= window.first)
            and (m.active or m.left_on is not None)
        ]
        held = [m for m in meetings if m.held_on in window]
        seen = {m.member_id for m in held}

        def last_met(member_id: str, before: date) -> date | None:
            days = [m.held_on for m in meetings if m.member_id == member_id and m.held_on < before]
            return max(days) if days else None

        due = [m for m in on_team if one_to_one_due(last_met(m.saved_id, window.first), m.start_date, window)]
        staying = [m for m in on_team if m.left_on is None or m.left_on >= window.last]
        overdue = [
            m.saved_id
            for m in staying
            if overdue_at_end(last_met(m.saved_id, window.last + timedelta(days=1)), m.start_date, window)
        ]
        done = [a for a in actions if a.status == "done" and a.done_on is not None and a.done_on in window]
        overdue_actions = [
            a
            for a in actions
            if a.status != "dropped" and a.due < window.last and (a.done_on is None or a.done_on > window.last)
        ]
        reviews = [(r.due, r.held_on) for p in plans for r in p.reviews if r.due in window]
        return cls(
            team=len(on_team),
            held=len(held),
            due=len(due),
            seen_due=sum(1 for m in due if m.saved_id in seen),
            overdue_people=overdue,
            done=len(done),
            done_late=sum(1 for a in done if a.done_on is not None and a.done_on > a.due),
            overdue_actions=len(overdue_actions),
            late_notes=sum(1 for m in held if late_note(m)),
            unread=sum(1 for m in held if m.acknowledged_on is None),
            plans_open=sum(1 for p in plans if _open_at(p, window.last, closed_on)),
            reviews=(
                len(reviews),
                sum(1 for d, h in reviews if h is not None and h <= d),
                sum(1 for d, h in reviews if h is not None and h > d),
                sum(1 for _, h in reviews if h is None),
            ),
        )


def _open_at(plan: ImprovementPlan, day: date, closed_on: Callable[[ImprovementPlan], date | None]) -> bool:
    """Whether a plan was open at the end of ``day``: started by then, and still open, or closed later."""
    if plan.started_on > day:
        return False
    if plan.status == "open":
        return True
    closed = closed_on(plan)
    return closed is not None and closed > day
