"""The arithmetic and the words of the manager's report: rates with the cases behind them, the change
from the previous period and whether it reads as a trend, the periods a report steps through, and
when a one-to-one is due. Pure rules; the report itself is put together by services.report.

A rate is never shown without its count ("92% (11 checks)"), and a change resting on fewer than
MIN_CASES cases on either side says "too few to read as a trend" instead of better or worse: two
complaints are not a trend.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from .measures import MIN_CASES, Figure, compare
from .periods import Window, period_window

FEW = "too few to read as a trend"
PeriodKind = Literal["month", "week", "quarter"]
KINDS: tuple[PeriodKind, ...] = ("month", "week", "quarter")
# Team practice, not law: a one-to-one a month (the curriculum's "regular" one-to-ones; the demo holds
# them monthly). Someone whose last one was longer ago than this is due another.
ONE_TO_ONE_EVERY = timedelta(days=31)


# -- counts and rates ------------------------------------------------------------------------------
def plural(count: int, word: str, words: str = "") -> str:
    """'1 check', '3 checks', '2 people' (with ``words`` for an irregular plural)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage; None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


def rate_text(part: int, whole: int, word: str, words: str = "") -> str:
    """'92% (11 of 12 checks)'; '— (0 checks)' when there were none."""
    value = rate(part, whole)
    if value is None:
        return f"— ({plural(0, word, words)})"
    return f"{value:.0f}% ({part} of {plural(whole, word, words)})"


def is_few(*cases: int) -> bool:
    """Whether any of these figures rests on too few cases to read a change in it as a trend."""
    return any(count < MIN_CASES for count in cases)


# -- change from the previous period ---------------------------------------------------------------
def arrow(change: float) -> str:
    return "↑" if change > 0 else "↓" if change < 0 else "→"


def _said(change: float, word: str, places: int = 0) -> str:
    """'↑ +4 points', '↓ -1 complaint', '→ no change' (``word`` singular; blank for NPS, which has no unit)."""
    if change == 0:
        return "→ no change"
    unit = "" if not word else " " + (word if abs(change) == 1 else word + "s")
    return f"{arrow(change)} {change:+.{places}f}{unit}"


def _judged(said: str, change: float, few: bool, lower_is_better: bool) -> str:
    if few:
        return f"{said}: {FEW}"
    if change == 0:
        return said
    return f"{said}: {'better' if (change < 0) == lower_is_better else 'worse'}"


def change_words(
    now: float | None,
    before: float | None,
    cases: tuple[int, int],
    *,
    word: str = "point",
    places: int = 0,
    lower_is_better: bool = False,
) -> str:
    """This period's figure against the previous one's: '↑ +4 points: better', '↓ -2 points: worse',
    '→ no change', '↑ +1 point: too few to read as a trend' when either rests on fewer than MIN_CASES
    ``cases``. Compared as shown (to ``places`` decimals), so "no change" never hides two figures that
    read the same; 'no figure to compare' when either is missing."""
    if now is None or before is None:
        return "no figure to compare" if now is not None or before is not None else "nothing measured"
    change = round(round(now, places) - round(before, places), places)
    return _judged(_said(change, word, places), change, is_few(*cases), lower_is_better)


def count_change(now: int, before: int, word: str, *, lower_is_better: bool = True, events: bool = True) -> str:
    """A count against the previous period's: '↓ -3 complaints: better'. Counts of ``events`` are read
    together: a change needs twice MIN_CASES between the two periods to be more than noise (see
    domain.measures.enough_cases). A quantity measured whole (hours short, days) is not a count of
    cases, and is judged on its own."""
    if now == before == 0:
        return "→ none in either period"
    change = now - before
    return _judged(_said(change, word), change, events and now + before < 2 * MIN_CASES, lower_is_better)


def figure_change(now: Figure, before: Figure) -> str:
    """A measure's change between two periods, judged by domain.measures.compare as it judges an
    improvement action, in the words of ``change_words``. Counts of complaints are shown as counts."""
    judged = compare(before, now)
    measure = now.measure
    if measure.counts:
        return count_change(now.cases, before.cases, "complaint", lower_is_better=measure.lower_is_better)
    if judged.change is None:
        return change_words(now.value, before.value, (now.cases, before.cases))
    said = _said(judged.change, "" if measure.kind == "nps" else "point")
    if judged.verdict == "too few cases":
        return f"{said}: {FEW}"
    return said if judged.verdict == "no change" else f"{said}: {judged.verdict}"


def target_words(target: float | None, met: bool | None, wording: str) -> str:
    """'at least 85%: met', 'at least 85%: not met', 'no target set'; ``wording`` states the target."""
    if target is None:
        return "no target set"
    if met is None:
        return f"{wording}: not measured"
    return f"{wording}: {'met' if met else 'not met'}"


# -- periods ----------------------------------------------------------------------------------------
def period_kind(window: Window) -> PeriodKind:
    """Which kind of period a named window is: '2026-11' a month, '2026-W48' a week, '2026-Q4' a quarter."""
    name = window.name
    return "week" if "-W" in name else "quarter" if "-Q" in name else "month"


def period_containing(kind: PeriodKind, day: date) -> Window:
    """The month, ISO week or quarter that ``day`` falls in."""
    if kind == "week":
        year, week, _ = day.isocalendar()
        return period_window(f"{year}-W{week:02d}")
    if kind == "quarter":
        return period_window(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return period_window(f"{day:%Y-%m}")


def period_after(window: Window) -> Window:
    """The period of the same kind just after a named one."""
    return period_containing(period_kind(window), window.last + timedelta(days=1))


def last_full_period(kind: PeriodKind, today: date) -> Window:
    """The last month, week or quarter that has ended by ``today``."""
    return period_containing(kind, period_containing(kind, today).first - timedelta(days=1))


def in_progress(window: Window, today: date) -> bool:
    """Whether the period has not ended yet: its figures are so far, not final."""
    return window.first <= today <= window.last


# -- one-to-ones --------------------------------------------------------------------------------------
def one_to_one_due(last_met: date | None, started: date | None, window: Window) -> bool:
    """Whether a one-to-one fell due in the period: a month after the last one (or after they started;
    someone with neither on record has been due all along)."""
    since = last_met or started
    return since is None or since + ONE_TO_ONE_EVERY <= window.last


def overdue_at_end(last_met: date | None, started: date | None, window: Window) -> bool:
    """Whether, at the period's end, more than a month had passed since their last one-to-one (or since
    they started, for someone who has never had one)."""
    since = last_met or started
    return since is None or since + ONE_TO_ONE_EVERY < window.last
