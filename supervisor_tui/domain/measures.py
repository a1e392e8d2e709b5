"""Measures the app can work out from its own record, and how two readings of one compare.

An improvement action is judged by one of these (issue 16): the same measure, over the same length of
time, before the change and after it. Every figure carries the number of cases behind it, because two
complaints are not a trend: a comparison that rests on too few cases says so instead of calling a
winner. Pure rules; the figures themselves are read from the record by services.measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from .base import DomainModel
from .fields import one_of
from .periods import Window

# A figure resting on fewer cases than this is shown with its count and read as "too few to tell": one
# check more or less moves an average of four by a quarter. For counts of events (complaints a month)
# the two counts together are the evidence, so a comparison needs twice this many between them: a fall
# from 6 to 4 is noise, a fall from 12 to 3 is not.
MIN_CASES = 5


# What can be measured, and of what ("subject"): a root cause or a category (as the complaint log has
# it), a criterion ('family:key', so every edition of the standard counts), a member's id (blank: the team).
Kind = Literal[
    "complaints",  # every complaint received, a month
    "root_cause",  # complaints with this root cause, a month
    "category",  # complaints in this category, a month
    "first_response",  # share of complaints whose acknowledgement was late
    "criterion",  # share of scorings that met this criterion
    "quality",  # average quality score, a member's or the team's
    "quality_pass",  # share of quality checks passed
    "csat",  # the KPI figures: CSAT %, NPS, FCR %
    "nps",
    "fcr",
]
KINDS: tuple[Kind, ...] = get_args(Kind)


# Counts of events, shown a month; the rest are averages or shares of the cases behind them.
COUNTS: frozenset[Kind] = frozenset({"complaints", "root_cause", "category"})
LOWER_IS_BETTER: frozenset[Kind] = frozenset({"complaints", "root_cause", "category", "first_response"})
NEEDS_SUBJECT: frozenset[Kind] = frozenset({"root_cause", "category", "criterion"})
# What each case is, for "(7 complaints)".
CASES: dict[Kind, str] = {
    "complaints": "complaint",
    "root_cause": "complaint",
    "category": "complaint",
    "first_response": "complaint",
    "criterion": "scoring",
    "quality": "check",
    "quality_pass": "check",
    "csat": "KPI return",
    "nps": "KPI return",
    "fcr": "KPI return",
}
KPI_KINDS: tuple[Kind, ...] = ("csat", "nps", "fcr")


class Measure(DomainModel):
    """What is measured: a kind, and what of (a root cause, a category, a criterion, a person)."""

    kind: Annotated[Kind, one_of(Kind, "{value!r} is not a measure; use one of {choices}")] = Field(title="Measure")
    subject: str = Field(default="", max_length=120, title="Of")

    @model_validator(mode="after")
    def _subject(self) -> Measure:
        if self.kind in NEEDS_SUBJECT and not self.subject.strip():
            raise ValueError(f"Of: say which {self.kind.replace('_', ' ')} to measure")
        if self.kind in ("complaints", "first_response") and self.subject:
            raise ValueError("Of: this measure counts every complaint; leave it blank")
        return self

    @property
    def counts(self) -> bool:
        return self.kind in COUNTS

    @property
    def lower_is_better(self) -> bool:
        return self.kind in LOWER_IS_BETTER

    def show(self, value: float | None) -> str:
        """A value of this measure as text: '3.5 a month', '82%', '+12' (NPS), '—' for none."""
        if value is None:
            return "—"
        if self.counts:
            return f"{value:.1f} a month"
        if self.kind == "nps":
            return f"{value:+.0f}"
        return f"{value:.0f}%"


def cases_text(measure: Measure, cases: int) -> str:
    word = CASES[measure.kind]
    return f"{cases} {word}{'' if cases == 1 else 's'}"


@dataclass(frozen=True)
class Figure:
    """A measure over a window: its value (None when nothing was there to measure), the cases behind it,
    and cases not yet counted (complaints still open, whose root cause or acknowledgement is not known)."""

    measure: Measure
    window: Window
    value: float | None
    cases: int
    pending: int = 0

    @property
    def few(self) -> bool:
        """Too few cases behind this figure alone to read it as more than an anecdote."""
        return self.cases < MIN_CASES

    def text(self) -> str:
        """'3.5 a month (7 complaints, 2 still open)' or '82% (14 checks)'."""
        extra = f", {self.pending} still open" if self.pending else ""
        return f"{self.measure.show(self.value)} ({cases_text(self.measure, self.cases)}{extra})"


Verdict = Literal["better", "worse", "no change", "too few cases", "not measured"]


@dataclass(frozen=True)
class Comparison:
    """A reading beside the baseline it is judged against."""

    baseline: Figure
    now: Figure
    verdict: Verdict
    change: float | None  # now minus baseline, in the measure's units
    target_met: bool | None  # None where no target was set or nothing was measured

    def text(self) -> str:
        """'Before 4.2 a month (9 complaints) · after 1.4 a month (3 complaints) · change -2.8: better'."""
        measure = self.baseline.measure
        change = "" if self.change is None else f" · change {self._signed(self.change, measure)}"
        target = {True: " · target met", False: " · target not met", None: ""}[self.target_met]
        return f"before {self.baseline.text()} · after {self.now.text()}{change}: {self.verdict}{target}"

    @staticmethod
    def _signed(change: float, measure: Measure) -> str:
        if change == 0:
            return "0"  # not '+0.0': nothing moved
        if measure.counts:
            return f"{change:+.1f} a month"
        return f"{change:+.0f}" + ("" if measure.kind == "nps" else " points")


def enough_cases(baseline: Figure, now: Figure) -> bool:
    """Whether two readings rest on enough cases to compare (see MIN_CASES)."""
    if baseline.measure.counts:
        return baseline.cases + now.cases >= 2 * MIN_CASES
    return not baseline.few and not now.few


def compare(baseline: Figure, now: Figure, target: float | None = None) -> Comparison:
    """Judge ``now`` against ``baseline``: better, worse or no change in the measure's own direction,
    unless either was not measured or they rest on too few cases; and whether the target was reached.

    Figures are compared as they are shown (a month's rate to one decimal place, a percentage or NPS
    to a whole number), so "no change" never hides behind two figures that read the same."""
    measure = baseline.measure
    if baseline.value is None or now.value is None:
        return Comparison(baseline, now, "not measured", None, None)
    places = 1 if measure.counts else 0
    before, after = round(baseline.value, places), round(now.value, places)
    change = round(after - before, places)
    met = None if target is None else (after <= target if measure.lower_is_better else after >= target)
    if not enough_cases(baseline, now):
        return Comparison(baseline, now, "too few cases", change, met)
    if change == 0:
        verdict: Verdict = "no change"
    else:
        verdict = "better" if (change < 0) == measure.lower_is_better else "worse"
    return Comparison(baseline, now, verdict, change, met)


def target_words(measure: Measure, target: float) -> str:
    """A target as the objective states it: 'at most 2.0 a month', 'at least 85%'."""
    return ("at most " if measure.lower_is_better else "at least ") + measure.show(target)
