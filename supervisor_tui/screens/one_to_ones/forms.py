"""The forms a person's one-to-one page opens: their response to a note, a corrected note, an objective,
an improvement plan, its reviews and its close. Each redraws the page once it is closed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ...domain.numbers import whole_number
from ...domain.one_to_ones import MAX_REVIEWS, ImprovementPlan, Meeting, Objective, PlanIssue, Review, smart_gaps
from ...widgets.form import Field, FormErrors, RecordForm, parse_each

if TYPE_CHECKING:
    from ..base import RecordScreen


def open_response_form(screen: RecordScreen, meeting: Meeting) -> None:
    """That they read the note: agreed, or their disagreement in their own words."""
    records = screen.records
    fields = [
        Field("on", "Read on", "date", required=True, hint="when they read the note"),
        Field("agreed", "Agreed", "bool", hint="ticked: they agree; blank: record their disagreement"),
        Field("disagreement", "Their disagreement", "long", hint="in their own words"),
    ]

    def save(values: dict) -> Meeting:
        on = parse_each(values, {"on": records.clock.read_date})["on"]
        service = records.one_to_ones
        return service.acknowledge(
            service.meeting(meeting.id or ""), on, values["agreed"], values["disagreement"].strip()
        )

    screen.app.push_screen(
        RecordForm(
            f"Their response to the note of {meeting.held_on:%d/%m/%Y}",
            fields,
            {"on": "today", "agreed": True, "disagreement": ""},
            save,
        ),
        lambda _: screen.reload(),
    )


def open_note_correction(screen: RecordScreen, meeting: Meeting) -> None:
    """Correct a written note, saying why (they will need to acknowledge it again)."""
    fields = [Field("member_view", "Their view", "long"), Field("notes", "Notes", "long")]

    def save(values: dict) -> Meeting:
        return screen.records.one_to_ones.correct_note(
            meeting.id or "", values["member_view"], values["notes"], values["reason"]
        )

    screen.app.push_screen(
        RecordForm(
            f"Correct the note of {meeting.held_on:%d/%m/%Y}",
            fields,
            {"member_view": meeting.member_view, "notes": meeting.notes},
            save,
            reason=True,
        ),
        lambda _: screen.reload(),
    )


def open_objective_form(screen: RecordScreen, member_id: str) -> None:
    """Agree an objective; one that is not SMART yet is pointed out once, then saved as written."""
    records = screen.records
    fields = [
        Field("text", "Objective", required=True, hint="what will be different"),
        Field("measure", "Measure", hint="how you will both know, e.g. FCR"),
        Field("target", "Target", hint="the number, e.g. 80%"),
        Field("due", "By when", "date", hint="review date"),
        Field("outcome_link", "Customer outcome / KPI", hint="e.g. CSAT, FCR, fewer complaints"),
        Field("agreed_with_member", "Agreed with them", "bool", hint="set together, so it is theirs"),
    ]
    nudged = {"done": False}

    def save(values: dict) -> Objective:
        due = parse_each(values, {"due": records.clock.read_optional_date})["due"]
        objective = Objective(
            member_id=member_id,
            text=values["text"],
            measure=values["measure"],
            target=values["target"],
            due=due,
            outcome_link=values["outcome_link"],
            agreed_with_member=values["agreed_with_member"],
        )
        gaps = smart_gaps(objective, records.clock.today())
        if gaps and not nudged["done"]:
            nudged["done"] = True
            raise FormErrors({"": "Not quite SMART yet — " + " ".join(gaps) + " (Save again to keep it.)"})
        return records.one_to_ones.add_objective(objective)

    screen.app.push_screen(
        RecordForm("Agree an objective", fields, {"agreed_with_member": False}, save), lambda _: screen.reload()
    )


def open_plan_form(screen: RecordScreen, member_id: str) -> None:
    """Start an improvement plan: an evidenced issue, targets, support, and reviews two weeks apart."""
    records = screen.records
    fields = [
        Field("issue", "Issue", required=True, hint="specific and evidenced, not a personality"),
        Field("evidence", "Evidence", required=True, hint="quality check or complaint ids, e.g. Q-0042"),
        Field("targets", "Targets", "long", required=True, hint="measurable, with dates"),
        Field("support", "Support offered", "long", required=True, hint="training, buddy, time"),
        Field("first_review", "First review", "date", required=True, hint="+2w"),
        Field("reviews", "Reviews", "number", required=True, hint="how many, two weeks apart"),
    ]

    def save(values: dict) -> ImprovementPlan:
        parsed = parse_each(
            values,
            {"first_review": records.clock.read_date, "reviews": lambda v: whole_number(v, 1, MAX_REVIEWS)},
        )
        evidence = [e.strip().upper() for e in values["evidence"].replace(";", ",").split(",") if e.strip()]
        unknown = records.one_to_ones.unknown_evidence(evidence)
        if unknown:
            raise FormErrors({"evidence": f"no quality check or complaint {', '.join(unknown)}"})
        reviews = [Review(due=parsed["first_review"] + timedelta(weeks=2 * i)) for i in range(parsed["reviews"])]
        return records.one_to_ones.start_plan(
            ImprovementPlan(
                member_id=member_id,
                started_on=records.clock.today(),
                issues=[PlanIssue(text=values["issue"], evidence=evidence)],
                targets=values["targets"],
                support=values["support"],
                reviews=reviews,
            )
        )

    screen.app.push_screen(
        RecordForm("Start an improvement plan", fields, {"first_review": "+2w", "reviews": "3"}, save),
        lambda _: screen.reload(),
    )


def open_review_form(screen: RecordScreen, plan: ImprovementPlan) -> None:
    """The plan's next review: when it was held, how it went, the evidence."""
    records = screen.records
    fields = [
        Field("held_on", "Held on", "date", required=True),
        Field(
            "outcome",
            "Outcome",
            "choice",
            required=True,
            options=[(o, o) for o in ("on track", "some progress", "not on track")],
        ),
        Field("progress", "Progress", "long", hint="evidence: checks, complaints, KPIs since"),
    ]

    def save(values: dict) -> object:
        held = parse_each(values, {"held_on": records.clock.read_date})["held_on"]
        return records.one_to_ones.record_review(plan, held, values["outcome"], values["progress"])

    screen.app.push_screen(
        RecordForm(f"Review of {plan.id}", fields, {"held_on": "today", "outcome": "on track"}, save),
        lambda _: screen.reload(),
    )


def open_plan_closing(screen: RecordScreen, plan: ImprovementPlan) -> None:
    """Close the plan with its outcome and final result against the targets."""
    fields = [
        Field(
            "status",
            "Outcome",
            "choice",
            required=True,
            options=[("completed: targets met", "completed"), ("closed: targets not met", "closed unsuccessful")],
        ),
        Field("final_result", "Final result", "long", required=True, hint="measured against the targets"),
    ]

    def save(values: dict) -> ImprovementPlan:
        if not values["final_result"].strip():
            raise FormErrors({"final_result": "record the final result against the targets"})
        return screen.records.one_to_ones.close_plan(plan, values["status"], values["final_result"])

    screen.app.push_screen(
        RecordForm(f"Close {plan.id}", fields, {"status": "completed", "final_result": ""}, save),
        lambda _: screen.reload(),
    )
