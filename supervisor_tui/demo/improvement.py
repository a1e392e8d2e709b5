"""Demo improvement actions, one at every stage of plan-do-check-act, measured from the demo's own data.

Each is taken through the app's own service on the day it happened (the team's clock set to that day;
the audit clock stays the store's own, which only moves forward), so its baseline and its review are
read from the record as the app reads them:

- adopted: staff giving their name (a weak criterion). The quality history has it met in about 60% of
  scorings before the briefing that launched the change and as usual after it (see quality._scores),
  so the review shows a real rise on twenty-odd scorings each side;
- reviewed, the decision waiting: callbacks booked at first contact (the FCR KPI), which the KPI
  returns lift after the briefing, so it reads "better" on two months of everyone's returns;
- adjusted, then its next cycle under way and due for review this week: faulty-goods complaints (from
  a complaint), honestly "too few cases" to call in five weeks;
- planned, not yet told to the team: a team member's suggestion;
- abandoned with the reason: an in-store check's finding overtaken by a refit.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from ..domain.briefing import Briefing
from ..domain.clock import Clock
from ..domain.dates import local_to_utc
from ..domain.improvement import Source
from ..domain.measures import Measure
from ..services import Records

if TYPE_CHECKING:
    from . import DemoContext

# Days before the demo's today each story's steps happened.
NAME_TOLD = 89  # staff giving their name: told at the briefing this many days ago (planned the day before)
FCR_TOLD = 68  # callbacks booked at first contact: told this many days ago
LEAD = "Priya Sharma"


def name_told(today: date) -> date:
    """The day the team was told to give their name: the quality history changes from here."""
    return today - timedelta(days=NAME_TOLD)


def fcr_told(today: date) -> date:
    """The day callbacks at first contact began: KPI months starting after it are better."""
    return today - timedelta(days=FCR_TOLD)


def build(ctx: DemoContext) -> None:
    team = {m.name: m for m in ctx.records.team.members()}
    if not {LEAD, "Megan O'Neill", "Sam Patel"} <= set(team):
        return
    today = ctx.today
    _adopted(ctx, today)
    _waiting_decision(ctx, today)
    _adjusted(ctx, today)
    _planned(ctx, today, team["Megan O'Neill"].saved_id)
    _abandoned(ctx, today)


def on(ctx: DemoContext, day: date) -> Records:
    """The record as the team's clock reads it at 10:00 on ``day``: the same store (and audit clock)."""
    moment = local_to_utc(day, time(10))
    return Records(ctx.records.store, Clock(ctx.records.clock.tz, lambda: moment))


def briefing(ctx: DemoContext, day: date, updates: str) -> Briefing:
    """The briefing of ``day`` (written if the demo has none that day), where a change was told."""
    records = on(ctx, day)
    found = records.shifts.briefing_for(day)
    if found is not None:
        return found
    on_shift = records.shifts.on_shift(day)
    return records.shifts.save_briefing(
        Briefing(day=day, led_by=LEAD, targets="Service as usual", updates=updates, attended=on_shift)
    )


def _adopted(ctx: DemoContext, today: date) -> None:
    told = name_told(today)
    planned = told - timedelta(days=1)
    action = on(ctx, planned).improvement.plan(
        title="Every advisor gives their name and offers help",
        source=Source(kind="criterion", ref="core-service:introduce"),
        change="Name badges on the phones desk; the greeting card rewritten with the name first",
        objective="Give our name and offer help in at least 90% of checked calls within four weeks",
        owner=LEAD,
        resources="Reprinted greeting cards; five minutes at the briefing",
        agreed=True,
        measure=Measure(kind="criterion", subject="core-service:introduce"),
        target=90,
        weeks=4,
        review_on=planned + timedelta(weeks=5),
    )
    action = on(ctx, told).improvement.tell_at_briefing(
        action, briefing(ctx, told, "From today: give your name and offer help on every call and at the till")
    )
    action = on(ctx, told + timedelta(days=9)).improvement.add_note(
        action, "Cards on every desk; two people asked for a shorter version, done"
    )
    reviewed = on(ctx, action.review_on).improvement.review(action, "Heard it on almost every call listened to")
    on(ctx, reviewed.review_on + timedelta(days=1)).improvement.decide(
        reviewed, "adopt", "Met the target on twice the cases; now part of the greeting standard"
    )


def _waiting_decision(ctx: DemoContext, today: date) -> None:
    told = fcr_told(today)
    planned = told - timedelta(days=1)
    action = on(ctx, planned).improvement.plan(
        title="Book a callback slot at first contact",
        source=Source(kind="kpi", ref="fcr", note="FCR flat at about 74% for three months"),
        change="When an answer needs another team, book the callback slot before ending the first call",
        objective="Raise first-contact resolution to 78% by booking the callback during the first call",
        owner="Sam Patel",
        resources="Shared callback diary; Sam to coach the phones desk for a week",
        agreed=True,
        measure=Measure(kind="fcr"),
        target=78,
        weeks=8,
        review_on=planned + timedelta(weeks=9),
    )
    action = on(ctx, told).improvement.tell_at_briefing(
        action, briefing(ctx, told, "Callbacks: book the slot before you end the first call")
    )
    action = on(ctx, told + timedelta(days=20)).improvement.add_note(
        action, "Diary in use on both desks; weekend team shown on Saturday"
    )
    on(ctx, action.review_on).improvement.review(action, "Up on the returns; agents say the diary saves chasing")


def _adjusted(ctx: DemoContext, today: date) -> None:
    faulty = [c for c in ctx.records.complaints.repo.all() if c.category == "faulty goods" and c.stage == "closed"]
    if not faulty:
        return
    planned = today - timedelta(days=83)
    draft = on(ctx, planned).improvement.draft_from_complaint(faulty[0].saved_id)
    action = on(ctx, planned).improvement.plan(
        title="Test small appliances before they go out",
        source=draft.source,
        change="Plug in and run kettles and toasters at the collection desk before handing over",
        objective="Halve complaints about faulty goods by testing small appliances at collection",
        owner="Sam Patel",
        resources="A test socket at the collection desk",
        agreed=True,
        measure=Measure(kind="category", subject="faulty goods"),
        target=0.5,
        weeks=5,
        review_on=planned + timedelta(weeks=6),
    )
    told = planned + timedelta(days=1)
    action = on(ctx, told).improvement.tell_at_briefing(
        action, briefing(ctx, told, "Collection desk: test small appliances before handing them over")
    )
    reviewed = on(ctx, action.review_on).improvement.review(action, "A handful either side: cannot tell yet")
    on(ctx, reviewed.review_on + timedelta(days=1)).improvement.decide(
        reviewed,
        "adjust",
        "Too few complaints in five weeks to tell; keep testing and add headphones",
        {
            "title": "Test small appliances and headphones before they go out",
            "change": "As before, and pair headphones with a phone at the desk",
            "review_on": today + timedelta(days=2),
        },
    )
    following = next(a for a in ctx.records.improvement.repo.all() if a.follows == reviewed.id)
    told_again = following.planned_on + timedelta(days=1)
    following = on(ctx, told_again).improvement.tell_at_briefing(
        following, briefing(ctx, told_again, "Collection desk: headphones are tested too from today")
    )
    on(ctx, told_again + timedelta(days=14)).improvement.add_note(following, "Two faults caught at the desk")


def _planned(ctx: DemoContext, today: date, megan: str) -> None:
    planned = today - timedelta(days=3)
    on(ctx, planned).improvement.plan(
        title="Ten-minute huddle on a tricky call each Friday",
        source=Source(
            kind="suggestion", ref=megan, note="Hearing how others handled hard calls helped her most (her 1:1)"
        ),
        change="Fridays at 16:00 one advisor plays back a hard call and the team says what worked",
        objective="Lift the team's quality average to 92% by sharing one hard call a week",
        owner="Megan O'Neill",
        agreed=False,
        measure=Measure(kind="quality"),
        target=92,
        weeks=6,
    )


def _abandoned(ctx: DemoContext, today: date) -> None:
    planned = today - timedelta(days=62)
    action = on(ctx, planned).improvement.plan(
        title="Fitting rooms tidied every hour",
        source=Source(kind="mystery shop", note="Area manager's visit: two fitting rooms full of returns at 15:00"),
        objective="A tidy fitting room at every hourly check, logged on the door sheet, for six weeks",
        owner="Priya Sharma",
        agreed=True,
        measure=Measure(kind="criterion", subject="core-service:tangibles"),
        target=95,
        weeks=6,
    )
    told = planned + timedelta(days=1)
    action = on(ctx, told).improvement.tell_at_briefing(
        action, briefing(ctx, told, "Fitting rooms: hourly tidy, tick the door sheet")
    )
    on(ctx, today - timedelta(days=27)).improvement.decide(
        action, "abandon", "The refit in December replaces the fitting rooms; we revisit it after"
    )
