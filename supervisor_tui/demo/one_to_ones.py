"""Demo one-to-ones: monthly meetings with SBI feedback and agreed actions (some done, some
carried, a few overdue), SMART and not-yet-SMART objectives, one note written late, and one
improvement plan built on the critical data-protection fail."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..domain.one_to_ones import Action, FeedbackItem, ImprovementPlan, Meeting, Objective, PlanIssue, Review

if TYPE_CHECKING:
    from . import DemoContext

ACTIONS = [
    "Shadow a colleague on the complaints desk",
    "Read the updated returns policy",
    "Complete the data protection e-learning",
    "Listen back to two calls together",
    "Try the new closing question on every call",
]
STRENGTHS = [
    (
        "Tuesday's 11:00 phone call",
        "Explained the refund steps clearly and checked understanding",
        "The customer thanked us and did not call back",
    )
]
DEVELOPMENT = [
    (
        "Saturday at the tills",
        "Did not acknowledge the queue while on a long transaction",
        "Two customers left without buying",
    )
]


def build(ctx: DemoContext) -> None:
    service = ctx.records.one_to_ones
    team = [m for m in ctx.records.team.members() if m.active]
    start = ctx.today - timedelta(days=ctx.months * 30)
    # Meetings in date order across the team: the audit clock only moves forward.
    plan = sorted(
        (start + timedelta(days=5 + index % 10 + 30 * month), index, member)
        for index, member in enumerate(team)
        for month in range(ctx.months + 1)
    )
    plan = [p for p in plan if p[0] < ctx.today - timedelta(days=3)]
    # Harry's last note is written a week late: it goes last, so nobody else's is held up behind it.
    late_one = next((p for p in reversed(plan) if p[2].name == "Harry Wilson"), None)
    if late_one:
        plan.remove(late_one)
        plan.append(late_one)
    for held, index, member in plan:
        written = held + timedelta(days=7 if (held, index, member) == late_one else 0)
        ctx.clock.move(datetime.combine(written, time(16), tzinfo=UTC))
        open_now = service.open_actions(member.saved_id)
        done = {a.saved_id: held - timedelta(days=2) for a in open_now[:1] if ctx.rng.random() < 0.7}
        situation, behaviour, impact = STRENGTHS[0]
        feedback = [
            FeedbackItem(kind="strength", parts={"situation": situation, "behaviour": behaviour, "impact": impact})
        ]
        if ctx.rng.random() < 0.5:
            s, b, i = DEVELOPMENT[0]
            feedback.append(FeedbackItem(kind="development", parts={"situation": s, "behaviour": b, "impact": i}))
        meeting = service.record_meeting(
            Meeting(
                member_id=member.id,
                held_on=held,
                agenda=service.agenda(member.saved_id, held),
                feedback=feedback,
                member_view="Feels more confident on the phones" if index % 2 else "Wants more complaints work",
                notes="Reviewed quality results and last month's actions.",
            ),
            [
                Action(
                    member_id=member.id,
                    what=ctx.rng.choice(ACTIONS),
                    due=held + timedelta(days=14),
                    owner="member" if ctx.rng.random() < 0.7 else "supervisor",
                )
            ],
            done,
            {},
        )
        if ctx.rng.random() < 0.8:  # read the evening it is written: a reading is never ahead of the clock
            service.acknowledge(meeting, written, agreed=True)
    for index, member in enumerate(team):
        service.objectives.create(
            Objective(
                member_id=member.id,
                text="Resolve more phone queries on the first contact",
                measure="FCR from the phone system",
                target="80% first-contact resolution",
                due=ctx.today + timedelta(days=60),
                outcome_link="FCR KPI",
                agreed_with_member=index % 3 != 0,
            )
        )  # some not yet agreed: the SMART check says so


def build_plan(ctx: DemoContext) -> None:
    """After the quality history exists: an improvement plan built on the critical fail."""
    jack = ctx.records.team.by_name("Jack Thompson")
    if jack is None:
        return
    fails = [c for c in ctx.records.quality.checks_for(jack.saved_id) if c.scores.get("no_overshare") == "no"]
    if not fails:
        return
    began = fails[0].date + timedelta(days=2)
    ctx.clock.at(began, 15)
    ctx.records.one_to_ones.plans.create(
        ImprovementPlan(
            member_id=jack.id,
            started_on=began,
            issues=[
                PlanIssue(
                    text="Read a customer's address aloud at the counter with others queueing", evidence=[fails[0].id]
                )
            ],
            targets="No data protection fails in the next 6 quality checks; identity check on every account call",
            support="Data protection refresher; shadowing Priya for two shifts; weekly check-in",
            reviews=[
                Review(
                    due=began + timedelta(days=14),
                    held_on=began + timedelta(days=14),
                    outcome="on track",
                    progress="Refresher done; two clean checks",
                ),
                Review(due=began + timedelta(days=28)),
                Review(due=began + timedelta(days=56)),
            ],
        )
    )
