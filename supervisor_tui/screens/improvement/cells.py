"""How an improvement action reads in the list: its group, its review date, and its measure's before -> now
in a few characters (the page and the detail line show the whole comparison)."""

from __future__ import annotations

from datetime import date

from ...domain.improvement import DECIDED, ImprovementAction
from ...domain.measures import Comparison, Measure

# The list's groups, in its order: late reviews first (list_order), then each stage.
GROUPS = {
    "late": "Review overdue",
    "plan": "Plan: not yet told",
    "do": "Do: under way",
    "check": "Check: to decide",
    "act": "Act: decided",
}
LATE_MARK = "!"
VERDICTS = {
    "better": "better",
    "worse": "worse",
    "no change": "same",
    "too few cases": "too few",
    "not measured": "no data",
}


def group_of(action: ImprovementAction, today: date) -> str:
    return "late" if action.review_late(today) else action.stage


def stage_cell(action: ImprovementAction) -> str:
    """'plan', 'do', 'check', or what was decided ('adopted')."""
    return DECIDED[action.decision] if action.decision else action.stage


def review_cell(action: ImprovementAction, today: date) -> str:
    """When it is reviewed (plan, do: '24/11/26', '!' once late), or was reviewed or decided."""
    if action.decided_on is not None:
        return f"{action.decided_on:%d/%m/%y}"
    if action.checked_on is not None:
        return f"{action.checked_on:%d/%m/%y}"
    return f"{action.review_on:%d/%m/%y}" + (f" {LATE_MARK}" if action.review_late(today) else "")


def value_short(measure: Measure, value: float | None) -> str:
    """A figure without its words: '1.7', '82%', '+12', '—'."""
    if value is None:
        return "—"
    if measure.counts:
        return f"{value:.1f}"
    return f"{value:+.0f}" if measure.kind == "nps" else f"{value:.0f}%"


def change_cell(action: ImprovementAction, comparison: Comparison | None) -> str:
    """'1.7→0.9/mo better', '75%→78% better'; before a figure to compare with, 'before 1.7/mo'."""
    measure = action.measure
    per = "/mo" if measure.counts else ""
    if comparison is None:
        return f"before {value_short(measure, action.baseline.value)}{per}"
    before, after = value_short(measure, comparison.baseline.value), value_short(measure, comparison.now.value)
    return f"{before}→{after}{per} {VERDICTS[comparison.verdict]}"


def measure_key(measure: Measure) -> str:
    """A measure as a choice's value ('root_cause:delivery', 'criterion:core-service:greet')."""
    return f"{measure.kind}:{measure.subject}"


def measure_of(key: str) -> Measure:
    kind, _, subject = key.partition(":")
    return Measure.model_validate({"kind": kind, "subject": subject})
