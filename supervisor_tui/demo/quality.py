"""Demo quality history: two checks a month each, monthly KPIs, and believable patterns — one
person improving, one slipping on empathy, one critical data-protection fail — plus a calibration
session where three supervisors scored the same call."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from supervisor_tui.storage import Actor

from ..domain.quality import Kpi, QualityCheck, Scale, Standard
from . import improvement

if TYPE_CHECKING:
    from . import DemoContext

IMPROVING, SLIPPING, CRITICAL = "Megan O'Neill", "Daniel Okafor", "Jack Thompson"
CHANNELS = ["phone", "phone", "face to face", "email", "chat"]
STRENGTHS = [
    "Warm greeting and used the customer's name",
    "Clear explanation of the returns policy",
    "Kept the customer informed during the wait",
    "Checked understanding before closing",
]
DEVELOPMENT = [
    "Summarise the agreed next step before closing",
    "Acknowledge the customer's frustration first",
    "Offer the callback time rather than waiting to be asked",
]


def _scores(
    standard: Standard, quality: float, ctx: DemoContext, overrides: dict, chances: dict[str, float] | None = None
) -> dict:
    """Scores at about ``quality``; ``chances`` sets a yes/no criterion's chance of a yes instead."""
    scores = {}
    chances = chances or {}
    for c in standard.criteria:
        if c.key in overrides:
            scores[c.key] = overrides[c.key]
        elif c.scale == Scale.points:
            scores[c.key] = max(0, min(c.max_points, round(quality * c.max_points + ctx.rng.uniform(-0.6, 0.6))))
        elif c.critical:
            scores[c.key] = "yes"
        elif c.key == "adapt" and ctx.rng.random() < 0.5:
            scores[c.key] = "na"
        else:
            scores[c.key] = "yes" if ctx.rng.random() < chances.get(c.key, min(0.97, quality + 0.1)) else "no"
    return scores


def _chances(day: date, ctx: DemoContext) -> dict[str, float]:
    """Before the team was told to give their name (demo.improvement), about 40% of calls missed it."""
    return {"introduce": 0.6} if day < improvement.name_told(ctx.today) else {}


def _fcr_lift(start: date, ctx: DemoContext) -> float:
    """FCR is four points better in the KPI months that begin after callbacks at first contact started."""
    month = start.replace(day=1)
    return 4.0 if month > improvement.fcr_told(ctx.today) else 0.0


def build(ctx: DemoContext) -> None:
    quality = ctx.records.quality
    first_month = ctx.today - timedelta(days=ctx.months * 30)
    ctx.clock.at(first_month - timedelta(days=7), 10)
    core = next(s for s in quality.load_default_pack() if s.family == "core-service")
    # The team's KPI targets, so the manager's report reads each figure against one.
    for kind, target in (("csat", 85.0), ("nps", 35.0), ("fcr", 78.0)):
        quality.set_kpi_target(kind, target, "team KPI targets for the year")
    team = [m for m in ctx.records.team.members() if m.active]
    months = max(1, ctx.months)
    for month in range(months + 1):
        start = first_month + timedelta(days=30 * month)
        progress = month / months
        ctx.clock.at(start + timedelta(days=27), 17)
        with ctx.records.store.transaction() as txn:
            for member in team:
                for n in range(2):
                    day = start + timedelta(days=3 + 12 * n + ctx.rng.randint(0, 6))
                    if day >= ctx.today:
                        continue
                    level = 0.85 + ctx.rng.uniform(-0.08, 0.08)
                    overrides: dict[str, str | int] = {}
                    if member.name == IMPROVING:
                        level = 0.55 + 0.4 * progress
                    if member.name == SLIPPING and progress > 0.5:
                        overrides["empathy"] = 1 if ctx.rng.random() < 0.7 else 0
                    if member.name == CRITICAL and month == months - 1 and n == 0:
                        overrides["no_overshare"] = "no"
                    check = QualityCheck(
                        member_id=member.id,
                        date=day,
                        standard_id=core.id,
                        channel=ctx.rng.choice(CHANNELS),
                        kind="call listen",
                        reference=f"CALL-{ctx.rng.randint(10000, 99999)}",
                        scores=_scores(core, level, ctx, overrides, _chances(day, ctx)),
                        strengths=ctx.rng.choice(STRENGTHS),
                        development=ctx.rng.choice(DEVELOPMENT) if level < 0.95 else "",
                        follow_up="Listen back together at the next one-to-one" if level < 0.8 else "",
                        discussed_on=day + timedelta(days=1),
                    )
                    if member.name == CRITICAL and "no_overshare" in overrides:
                        check = check.model_copy(
                            update={
                                "development": "Read the customer's address aloud at the counter with others queueing",
                                "follow_up": "Data protection refresher before the next shift; re-check in two weeks",
                            }
                        )
                    txn.create("quality_checks", "Q", check.scored(core).fields(), "quality check")
            period = f"{start:%Y-%m}"
            for member in team:
                base = 70 + 20 * progress if member.name == IMPROVING else 84
                txn.create(
                    "kpis",
                    "K",
                    Kpi(
                        member_id=member.id,
                        period=period,
                        csat=round(base + ctx.rng.uniform(-4, 4), 1),
                        nps=round(35 + ctx.rng.uniform(-10, 10)),
                        fcr=round(74 + _fcr_lift(start, ctx) + ctx.rng.uniform(-6, 6), 1),
                    ).fields(),
                    "monthly KPIs",
                )
    _calibration(ctx, core, team)


def _calibration(ctx: DemoContext, core: Standard, team) -> None:
    """Three supervisors score one recorded call on their own, to see where they disagree."""
    if not team:
        return
    store = ctx.records.store
    day = ctx.today - timedelta(days=9)
    ctx.clock.at(day, 15)
    subject = team[0]
    own = store.actor
    for login, tweak in (
        ("p.sharma", {}),
        ("s.patel", {"empathy": 1, "resolve": 2}),
        (own.login, {"empathy": 3, "tangibles": "na", "close": "no"}),
    ):
        store.actor = Actor(login=login, uid=own.uid) if login != own.login else own
        scores = _scores(core, 0.9, ctx, {"greet": "yes", "reliable": 3, "empathy": 2, **tweak})
        ctx.records.quality.save_check(
            QualityCheck(
                member_id=subject.id,
                date=day,
                standard_id=core.id,
                channel="phone",
                kind="call listen",
                reference="CALL-CALIBRATION-11",
                scores=scores,
                calibration="November calibration",
                strengths="Calm and accurate",
            )
        )
    store.actor = own
