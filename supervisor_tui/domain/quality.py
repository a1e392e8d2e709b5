"""Quality checks against versioned service standards: scoring, calibration and KPIs. Pure rules.

A standard is a set of weighted criteria in sections. Once a check has been scored against a
standard, that edition is frozen: editing it makes a new edition, and every check keeps the one
it was scored against, so an old result still reads (and recomputes) the same years later.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date as Day  # checks have a field called 'date'
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from statistics import mean
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import DomainModel, RecordModel
from .dates import EARLIEST, LATEST
from .fields import LongText, RecordDate, context_today, one_of, refuse_before, refuse_future

NA = "na"
MAX_POINTS = 10


class Scale(StrEnum):
    yes_no = "yes_no"  # yes / no (/ N/A)
    points = "points"  # 0..max_points (/ N/A)


class Criterion(DomainModel):
    key: str = Field(pattern=r"^[a-z0-9_]+$", title="Key", max_length=40)
    section: str = Field(min_length=1, title="Section", max_length=80)
    text: str = Field(min_length=1, title="Criterion", max_length=200)
    guidance: LongText = Field(default="", title="Guidance", max_length=2000)
    weight: float = Field(default=1.0, gt=0, le=100, title="Weight")
    scale: Scale = Scale.yes_no
    max_points: int = Field(default=1, ge=1, le=MAX_POINTS, title="Top score")
    critical: bool = False
    allow_na: bool = True

    @model_validator(mode="after")
    def _scale(self) -> Criterion:
        if self.scale == Scale.yes_no:
            self.max_points = 1
        return self


class Standard(RecordModel):
    family: str = Field(pattern=r"^[a-z0-9-]+$", title="Family")  # groups the editions of one standard
    edition: int = Field(default=1, ge=1, le=9999, title="Edition")
    name: str = Field(min_length=1, max_length=80, title="Name")
    pass_mark: float = Field(default=80.0, ge=0, le=100, title="Pass mark (%)")
    criteria: list[Criterion] = Field(min_length=1, max_length=100, title="Criteria")

    @field_validator("criteria")
    @classmethod
    def _unique_keys(cls, criteria: list[Criterion]) -> list[Criterion]:
        keys = [c.key for c in criteria]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"each criterion needs its own key; repeated: {', '.join(repeated)}")
        return criteria

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(c.section for c in self.criteria))


def next_edition(current: Standard, changes: dict[str, Any], used: bool) -> Standard:
    """Apply edits to a standard: in place if no check has used it yet, else as a new edition."""
    updated = current.model_copy(update=changes)
    if not used:
        return Standard.model_validate(updated.model_dump())
    fresh = updated.model_dump(exclude=set(RecordModel.model_fields))
    return Standard.model_validate({**fresh, "edition": current.edition + 1})


# -- scoring ---------------------------------------------------------------------------------------
class ScoreError(ValueError):
    """A score that does not fit its criterion: the message says which and why."""


def read_score(criterion: Criterion, raw: str | int | None) -> str | int:
    """'y'/'yes'/'1', 'n'/'no'/'0', 'na'/'n/a'/'x', or 0..max for points -> the stored value."""
    text = str(raw).strip().lower() if raw is not None else ""
    if text in ("na", "n/a", "x", "-"):
        if not criterion.allow_na:
            raise ScoreError(f"{criterion.text}: N/A is not allowed for this criterion")
        return NA
    if criterion.scale == Scale.yes_no:
        if text in ("y", "yes", "1", "true"):
            return "yes"
        if text in ("n", "no", "0", "false"):
            return "no"
        raise ScoreError(f"{criterion.text}: score yes, no or N/A")
    if text.isascii() and text.isdigit() and 0 <= int(text) <= criterion.max_points:
        return int(text)
    raise ScoreError(f"{criterion.text}: score 0 to {criterion.max_points} or N/A")


def fraction(criterion: Criterion, value: str | int) -> float | None:
    """A score as a share of the criterion's top score (None for N/A)."""
    share = _share(criterion, value)
    return None if share is None else float(share)


def _share(criterion: Criterion, value: str | int) -> Fraction | None:
    if value == NA:
        return None
    if criterion.scale == Scale.yes_no:
        return Fraction(1 if value == "yes" else 0)
    return Fraction(int(value), criterion.max_points)


def critical_failed(criterion: Criterion, value: str | int) -> bool:
    """A critical criterion fails on 'no', or on 0 points."""
    return criterion.critical and fraction(criterion, value) == 0.0


@dataclass(frozen=True)
class Result:
    overall: float | None  # percentage (10 decimal places, see score_check), None if everything was N/A
    passed: bool
    critical_failures: list[str]
    earned: float
    possible: float
    missing: list[str]

    def shown(self, pass_mark: float) -> str:
        """The overall as every list shows it (see show_score), with the critical-fail mark."""
        return show_score(self.overall, pass_mark, critical=bool(self.critical_failures))

    def why(self, pass_mark: float) -> str:
        if self.missing:
            return f"not finished: {len(self.missing)} criterion(s) unscored"
        if self.overall is None:
            return "everything was N/A: nothing to score"
        if self.critical_failures:
            return f"{show_score(self.overall, pass_mark)}, but failed a critical item: " + "; ".join(
                self.critical_failures
            )
        verdict = "pass" if self.passed else "below the pass mark"
        return f"{show_score(self.overall, pass_mark)} against a pass mark of {pass_mark:g}%: {verdict}"


def _exact(number: float) -> Fraction:
    """A weight or pass mark as the decimal that was typed (1.1 is 11/10, not the float nearest it)."""
    return Fraction(repr(float(number)))


def score_check(standard: Standard, scores: dict[str, str | int]) -> Result:
    """Weighted percentage; N/A leaves the denominator; a failed critical item fails the check.

    Worked out in exact fractions and compared with the pass mark exactly: 79.96% is below 80%
    however it is later shown. The overall is kept to 10 decimal places, rounded so it never lands
    on the other side of the pass mark from the exact figure (so the kept figure, compared again,
    always gives the same result)."""
    earned = possible = Fraction(0)
    missing, critical = [], []
    for criterion in standard.criteria:
        if criterion.key not in scores:
            missing.append(criterion.key)
            continue
        value = scores[criterion.key]
        share = _share(criterion, value)
        if share is None:
            continue
        earned += share * _exact(criterion.weight)
        possible += _exact(criterion.weight)
        if critical_failed(criterion, value):
            critical.append(criterion.text)
    mark = _exact(standard.pass_mark)
    exact = 100 * earned / possible if possible else None
    overall = None if exact is None else _kept(exact, mark)
    passed = not missing and not critical and exact is not None and exact >= mark
    return Result(overall, passed, critical, round(float(earned), 3), round(float(possible), 3), missing)


def _kept(exact: Fraction, mark: Fraction) -> float:
    """The exact overall to 10 decimal places, on the same side of the pass mark as the exact figure."""
    kept = round(exact, 10)
    if (kept >= mark) != (exact >= mark):
        kept = mark if exact >= mark else Fraction(math.floor(exact * 10**10), 10**10)
    return float(kept)


CRITICAL_MARK = "crit"  # after a score whose check failed a critical item: "62% crit"


def show_score(overall: float | None, pass_mark: float, *, critical: bool = False, percent: bool = True) -> str:
    """A check's overall as every list, page and export shows it, never contradicting its result.

    The rule: a whole number ("83%"), unless rounding to a whole number would put the shown figure
    on the other side of the pass mark from the real one (79.8 would read "80" against a pass mark of
    80); then one decimal, then two ("79.8%", "79.96%"), the fewest that keep it on the right side.
    Rounding is half up. If two decimals are still not enough (79.999), the figure is cut towards
    its own side of the mark ("79.99%") rather than rounded across it. So the shown number compared
    with the pass mark always gives the same answer as the real one. A failed critical item, which
    fails the check whatever the score, is marked "crit" after it. ``percent`` False leaves off the
    "%" (a CSV column of numbers); None (everything N/A) shows "—"."""
    if overall is None:
        return "—"
    value, mark = Decimal(repr(float(overall))), Decimal(repr(float(pass_mark)))
    reached = value >= mark
    for places in (0, 1, 2):
        shown = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if (shown >= mark) == reached:
            break
    else:
        shown = value.quantize(Decimal("0.01"), ROUND_CEILING if reached else ROUND_FLOOR)
    text = f"{shown}{'%' if percent else ''}"
    return f"{text} {CRITICAL_MARK}" if critical else text


def balance_prompt(strengths: str, development: str) -> str | None:
    """A gentle nudge when a check records only negatives (or nothing) to talk about."""
    if development.strip() and not strengths.strip():
        return (
            "Only development points so far. What went well? Naming a strength makes the feedback "
            "fair and easier to hear."
        )
    if not development.strip() and not strengths.strip():
        return "Add at least one strength or development point to discuss with them."
    return None


# -- calibration -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    key: str
    agreement: float  # share of scorers who gave the most common score (1.0 = all agree)
    spread: float  # max - min of the scores as shares of the top score (0 = identical)
    values: list[str | int]


def calibrate(standard: Standard, scorings: list[dict[str, str | int]]) -> tuple[list[Agreement], float]:
    """Several supervisors score one interaction: agreement per criterion, and the spread of overalls."""
    rows = []
    for criterion in standard.criteria:
        values = [s[criterion.key] for s in scorings if criterion.key in s]
        if not values:
            continue
        top = Counter(map(str, values)).most_common(1)[0][1]
        shares = [f for f in (fraction(criterion, v) for v in values) if f is not None]
        spread = round(max(shares) - min(shares), 3) if shares else 0.0
        rows.append(Agreement(criterion.key, round(top / len(values), 3), spread, values))
    overalls = [r.overall for r in (score_check(standard, s) for s in scorings) if r.overall is not None]
    overall_spread = round(max(overalls) - min(overalls), 1) if overalls else 0.0  # points apart, not a score
    return sorted(rows, key=lambda a: (a.agreement, -a.spread)), overall_spread


# -- trends --------------------------------------------------------------------------------------------
def weakest_criteria(standard_scores: list[tuple[Standard, dict[str, str | int]]]) -> list[tuple[str, float, int]]:
    """(criterion text, average share, times scored) across checks, weakest first: where to focus."""
    return [(w.text, w.share, w.scored) for w in weakest_by_criterion(standard_scores)]


@dataclass(frozen=True)
class WeakCriterion:
    """A criterion across the checks that scored it: its average share and how often it was scored, with
    its standard's family and key (what an improvement action measures it by: every edition counts)."""

    family: str
    key: str
    text: str  # as the newest edition scored words it
    share: float
    scored: int

    @property
    def subject(self) -> str:
        """'family:key', the subject of the criterion's measure."""
        return f"{self.family}:{self.key}"


def weakest_by_criterion(standard_scores: list[tuple[Standard, dict[str, str | int]]]) -> list[WeakCriterion]:
    """Each criterion (by family and key, so a reworded edition is the same criterion) with its average
    share and times scored, weakest first: where to focus, and what to plan an improvement from."""
    shares: dict[tuple[str, str], list[float]] = {}
    texts: dict[tuple[str, str], tuple[int, str]] = {}
    for standard, scores in standard_scores:
        for criterion in standard.criteria:
            share = fraction(criterion, scores[criterion.key]) if criterion.key in scores else None
            if share is None:
                continue
            found = (standard.family, criterion.key)
            shares.setdefault(found, []).append(share)
            if found not in texts or texts[found][0] <= standard.edition:
                texts[found] = (standard.edition, criterion.text)
    weak = [
        WeakCriterion(family, key, texts[(family, key)][1], round(mean(v), 3), len(v))
        for (family, key), v in shares.items()
    ]
    return sorted(weak, key=lambda w: (w.share, -w.scored))


def recurring_weak(
    standard_scores: list[tuple[Standard, dict[str, str | int]]], last: int = 5, threshold: float = 0.5, times: int = 2
) -> list[str]:
    """Criteria scored below ``threshold`` in at least ``times`` of the person's last ``last`` checks."""
    counts: Counter[str] = Counter()
    for standard, scores in standard_scores[-last:]:
        for criterion in standard.criteria:
            share = fraction(criterion, scores[criterion.key]) if criterion.key in scores else None
            if share is not None and share < threshold:
                counts[criterion.text] += 1
    return [text for text, n in counts.most_common() if n >= times]


def sparkline(values: list[float | None], low: float = 0, high: float = 100) -> str:
    """Scores over time as ▁▂▃▄▅▆▇█ (· for a check with no score)."""
    bars = "▁▂▃▄▅▆▇█"
    out = []
    for v in values:
        if v is None:
            out.append("·")
        else:
            pos = (min(max(v, low), high) - low) / ((high - low) or 1)
            out.append(bars[min(int(pos * len(bars)), len(bars) - 1)])
    return "".join(out)


# -- KPIs ----------------------------------------------------------------------------------------------
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")


def parse_period(text: str) -> str:
    """'2026-11' (a month) or '2026-W48' (an ISO week), checked to exist and to be from 1900 to 2100."""
    raw = (text or "").strip().upper()
    match = _MONTH.match(raw) or _WEEK.match(raw)
    if not match:
        raise ValueError(f"{text!r} is not a period; write a month as 2026-11 or a week as 2026-W48")
    if not EARLIEST.year <= int(match[1]) <= LATEST.year:
        raise ValueError(f"{text!r}: the year must be from {EARLIEST.year} to {LATEST.year}; check it")
    period_start(raw)
    return raw


def period_start(period: str) -> Day:
    """The first day of a month ('2026-11') or ISO week ('2026-W48')."""
    match = _MONTH.match(period)
    if match:
        return Day(int(match[1]), int(match[2]), 1)
    match = _WEEK.match(period)
    if not match:
        raise ValueError(f"{period!r} is not a period; write a month as 2026-11 or a week as 2026-W48")
    try:
        return Day.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"{period!r}: {match[1]} has no week {int(match[2])}") from None


class Kpi(RecordModel):
    member_id: str = Field(title="Member")
    period: str = Field(title="Period")
    csat: float | None = Field(default=None, ge=0, le=100, title="CSAT (%)")
    nps: float | None = Field(default=None, ge=-100, le=100, title="NPS")
    fcr: float | None = Field(default=None, ge=0, le=100, title="FCR (%)")

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        return parse_period(value)

    @model_validator(mode="after")
    def _something(self, info: ValidationInfo) -> Kpi:
        if self.csat is None and self.nps is None and self.fcr is None:
            raise ValueError("CSAT (%): give at least one of CSAT, NPS or FCR")
        # Figures are measured over a period that has begun: none for next month yet.
        today = context_today(info)
        if today is not None and period_start(self.period) > today:
            raise ValueError(f"Period: {self.period} has not started yet; KPIs are recorded once measured")
        return self


Channel = Literal["face to face", "phone", "email", "chat", "social"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
CheckKind = Literal["observation", "call listen", "mystery shop", "audit"]
KINDS: tuple[CheckKind, ...] = get_args(CheckKind)


class QualityCheck(RecordModel):
    """One observed interaction scored against one edition of a standard."""

    member_id: str = Field(title="Member")
    date: RecordDate = Field(title="Date")
    channel: Annotated[Channel, one_of(Channel, "choose one of {choices}")] = Field(default="phone", title="Channel")
    kind: Annotated[CheckKind, one_of(CheckKind, "choose one of {choices}")] = Field(
        default="observation", title="Kind"
    )
    reference: str = Field(default="", max_length=80, title="Reference")
    standard_id: str = Field(title="Standard")
    scores: dict[str, str | int] = Field(default_factory=dict, title="Scores", max_length=100)
    comments: dict[str, str] = Field(default_factory=dict, title="Comments", max_length=100)
    strengths: LongText = Field(default="", max_length=2000, title="Strengths")
    development: LongText = Field(default="", max_length=2000, title="Development points")
    follow_up: str = Field(default="", max_length=1000, title="Agreed follow-up")
    discussed_on: RecordDate | None = Field(default=None, title="Discussed on")
    member_comment: LongText = Field(default="", max_length=2000, title="Their comment")
    calibration: str = Field(default="", max_length=80, title="Calibration session")
    # Worked out from the scores when saved, kept so anyone can recompute.
    overall: float | None = Field(default=None, ge=0, le=100)
    passed: bool = False

    @field_validator("scores")
    @classmethod
    def _score_values(cls, scores: dict[str, str | int]) -> dict[str, str | int]:
        """What a score can be before its standard reads it: yes, no, N/A or a few points."""
        for key, value in scores.items():
            if isinstance(value, int) and not 0 <= value <= MAX_POINTS:
                raise ValueError(f"{key}: {value} points is outside 0 to {MAX_POINTS}")
            if isinstance(value, str) and len(value) > 10:
                raise ValueError(f"{key}: {value[:20]!r}… is not a score")
        return scores

    @model_validator(mode="after")
    def _when(self, info: ValidationInfo) -> QualityCheck:
        """A check is of an interaction that has happened, and is discussed after it, not before."""
        today = context_today(info)
        refuse_future(self.date, today, "Date")
        refuse_before(self.discussed_on, self.date, "Discussed on", "the check")
        refuse_future(self.discussed_on, today, "Discussed on")
        return self

    def scored(self, standard: Standard) -> QualityCheck:
        """This check with its result worked out against the edition it was scored on."""
        # A new dict: models are shared from the repository's cache, so this one is never changed in place.
        scores = {key: read_score(standard.criterion(key), raw) for key, raw in self.scores.items()}
        result = score_check(standard, scores)
        return self.model_copy(update={"scores": scores, "overall": result.overall, "passed": result.passed})


class CalibrationSession(RecordModel):
    """Several supervisors score the same interaction on their own, then compare (see ``calibrate``):
    the session names the interaction and the edition of the standard every one of them scores it on."""

    name: str = Field(min_length=1, max_length=80, title="Session")  # each scoring carries it
    standard_id: str = Field(min_length=1, title="Standard")  # one edition, even if a newer one follows
    member_id: str = Field(min_length=1, title="Member")  # whose interaction it was
    date: RecordDate = Field(title="Date")  # of the interaction
    channel: Annotated[Channel, one_of(Channel, "choose one of {choices}")] = Field(default="phone", title="Channel")
    kind: Annotated[CheckKind, one_of(CheckKind, "choose one of {choices}")] = Field(
        default="call listen", title="Kind"
    )
    reference: str = Field(default="", max_length=80, title="Reference")  # the call or order, to find it by

    @model_validator(mode="after")
    def _when(self, info: ValidationInfo) -> CalibrationSession:
        refuse_future(self.date, context_today(info), "Date")
        return self

    def check(self, scores: dict[str, str | int], comments: dict[str, str]) -> QualityCheck:
        """One supervisor's scoring of the session's interaction, as a check that says which session."""
        return QualityCheck(
            member_id=self.member_id,
            date=self.date,
            channel=self.channel,
            kind=self.kind,
            reference=self.reference,
            standard_id=self.standard_id,
            scores=scores,
            comments=comments,
            calibration=self.name,
        )


class QualitySettings(RecordModel):
    """Team-wide quality settings, kept in the record so every supervisor works to the same target."""

    checks_per_month: int = Field(default=2, ge=0, le=31, title="Checks per month")
    # The team's KPI targets, on the same scales as a KPI return; None where the team has set none (the
    # manager's report then says "no target set" rather than judge against a number nobody agreed).
    csat_target: float | None = Field(default=None, ge=0, le=100, title="CSAT target (%)")
    nps_target: float | None = Field(default=None, ge=-100, le=100, title="NPS target")
    fcr_target: float | None = Field(default=None, ge=0, le=100, title="FCR target (%)")

    def kpi_target(self, kind: str) -> float | None:
        """The target for 'csat', 'nps' or 'fcr' (None: not set)."""
        target: float | None = getattr(self, f"{kind}_target")
        return target
