"""Meetings and actions through the service on a real file, and the evidence pack from the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervisor_tui import cli
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.one_to_ones import (
    Action,
    FeedbackItem,
    ImprovementPlan,
    Meeting,
    Objective,
    PlanIssue,
    Review,
    acknowledgement_state,
)
from supervisor_tui.domain.people import Member

TODAY = Clock().today()


@pytest.fixture
def sam(records):
    return records.team.add(
        Member(
            name="Sam Patel",
            job_title="CSA",
            contract_hours=37.5,
            date_of_birth=date(1990, 4, 3),
            skills="phones:expert",
        )
    )


def meet(records, member, held, actions=(), done=None, dropped=None, **fields) -> Meeting:
    return records.one_to_ones.record_meeting(
        Meeting(member_id=member.id, held_on=held, agenda=records.one_to_ones.agenda(member.id, held), **fields),
        [Action(member_id=member.id, what=w, due=held + timedelta(days=14)) for w in actions],
        done or {},
        dropped or {},
    )


def test_actions_carry_forward_across_meetings_until_closed(records, sam):
    first = meet(records, sam, TODAY - timedelta(days=40), ["Shadow Priya on complaints", "Read the returns policy"])
    assert len(records.one_to_ones.open_actions(sam.id)) == 2
    a1, a2 = records.one_to_ones.open_actions(sam.id)
    second = meet(records, sam, TODAY - timedelta(days=20), done={a1.id: TODAY - timedelta(days=21)})
    assert any("Read the returns policy" in item for item in second.agenda)  # carried into the agenda
    assert [a.what for a in records.one_to_ones.open_actions(sam.id)] == ["Read the returns policy"]
    third = meet(
        records,
        sam,
        TODAY,
        dropped={a2.id: "policy rewritten; new action instead"},
        actions=["Read the new returns policy"],
    )
    assert any("Read the returns policy" in item and "overdue" in item for item in third.agenda)
    assert [a.what for a in records.one_to_ones.open_actions(sam.id)] == ["Read the new returns policy"]
    history = records.one_to_ones.actions.history(a2.id)
    assert history[-1].reason == f"dropped in {third.id}: policy rewritten; new action instead"
    assert records.one_to_ones.actions.get(a1.id).raised_in == first.id


def test_acknowledged_then_edited_needs_acknowledging_again_and_history_keeps_both(records, sam):
    meeting = meet(
        records,
        sam,
        TODAY,
        notes="Agreed to try the new greeting",
        feedback=[
            FeedbackItem(
                kind="strength", parts={"situation": "Monday", "behaviour": "calm", "impact": "customer thanked her"}
            )
        ],
    )
    acked = records.one_to_ones.acknowledge(meeting, TODAY, agreed=True)
    assert acknowledgement_state(acked).startswith("read and agreed")
    edited = records.one_to_ones.meetings.update(
        acked.model_copy(update={"notes": "Agreed to try the new greeting and the new close"})
    )
    assert "needs acknowledging again" in acknowledgement_state(edited)
    history = records.one_to_ones.meetings.history(meeting.id)
    versions = [c.changes["notes"][1] for c in history if "notes" in c.changes]  # (old, new) per change
    assert "Agreed to try the new greeting" in versions and edited.notes in versions


def test_agenda_brings_quality_results_and_complaints(records, sam):
    records.quality.load_default_pack()
    core = next(s for s in records.quality.current_standards() if s.family == "core-service")
    from supervisor_tui.domain.complaints import Complaint
    from supervisor_tui.domain.quality import QualityCheck

    check = records.quality.save_check(
        QualityCheck(
            member_id=sam.id,
            date=TODAY - timedelta(days=3),
            standard_id=core.id,
            scores={c.key: "na" if c.allow_na else (1 if c.max_points > 1 else "yes") for c in core.criteria},
        )
    )
    records.complaints.repo.create(
        Complaint(
            member_ids=[sam.id],
            received_at=f"{TODAY:%Y-%m-%d}T09:00:00Z",
            customer_name="Mr A Khan",
            category="delivery",
            stage="investigating",
            summary="Parcel lost",
        )
    )
    agenda = records.one_to_ones.agenda(sam.id, TODAY)
    assert any(check.id in item for item in agenda)
    assert "Complaint C-0001 (investigating): Parcel lost" in agenda


def test_team_view_lists_overdue_actions_and_reviews_due(records, sam):
    meet(records, sam, TODAY - timedelta(days=30), ["Overdue thing"])
    records.one_to_ones.plans.create(
        ImprovementPlan(
            member_id=sam.id,
            started_on=TODAY - timedelta(days=30),
            issues=[PlanIssue(text="Data protection fail", evidence=["Q-0001"])],
            targets="No fails in 8 checks",
            support="Refresher",
            reviews=[Review(due=TODAY - timedelta(days=1))],
        )
    )
    due = records.one_to_ones.team_due(TODAY)
    assert ("Sam Patel", next(w for _, w in due if w.startswith("OVERDUE"))) in due
    assert any("improvement-plan review due" in w for _, w in due)


@pytest.mark.parametrize("fmt, marker", [("md", "# One-to-one evidence pack: Sam Patel"), ("html", "<h1>One-to-one")])
def test_evidence_pack_export(records, sam, capsys, fmt, marker):
    meet(
        records,
        sam,
        TODAY - timedelta(days=10),
        ["Shadow Priya"],
        member_view="Happy with progress",
        feedback=[
            FeedbackItem(
                kind="development",
                parts={"situation": "Tuesday <call>", "behaviour": "rushed", "impact": "repeat call"},
            )
        ],
    )
    records.one_to_ones.objectives.create(
        Objective(
            member_id=sam.id,
            text="Resolve more queries first time",
            measure="FCR",
            target="80%",
            due=TODAY + timedelta(days=60),
            outcome_link="FCR KPI",
            agreed_with_member=True,
        )
    )
    head = records.store.head_text()
    assert (
        cli.main(["export", "one-to-ones", "--member", "Sam Patel", "--format", fmt, "--db", str(records.store.path)])
        == 0
    )
    out = capsys.readouterr().out
    assert marker in out and head in out and "Shadow Priya" in out and "SMART." in out
    assert "Their view: Happy with progress" in out
    assert "Quality checks" in out
    if fmt == "html":
        assert "Tuesday &lt;call&gt;" in out
    assert (
        cli.main(["export", "one-to-ones", "--member", "Nobody", "--format", fmt, "--db", str(records.store.path)]) == 2
    )


def test_evidence_pack_and_agenda_show_scores_as_every_list_does(records, sam, capsys):
    """A check at 79.96% against 80% reads '79.96% ... below the pass mark' in the agenda and the
    evidence pack (never '80%'); one that failed a critical item is marked 'crit' in the agenda."""
    from supervisor_tui.domain.quality import Criterion, QualityCheck, Standard

    near = records.quality.standards.create(
        Standard(
            family="near",
            name="Near",
            pass_mark=80,
            criteria=[
                Criterion(key="a", section="S", text="Greeted", weight=79.96),
                Criterion(key="b", section="S", text="ID checked", weight=20.04, critical=True),
            ],
        )
    )
    records.quality.save_check(
        QualityCheck(
            member_id=sam.id, date=TODAY - timedelta(days=3), standard_id=near.id, scores={"a": "no", "b": "yes"}
        )
    )
    records.quality.save_check(
        QualityCheck(
            member_id=sam.id, date=TODAY - timedelta(days=2), standard_id=near.id, scores={"a": "yes", "b": "no"}
        )
    )
    agenda = records.one_to_ones.agenda(sam.id, TODAY)
    assert "Quality check Q-0002 on " in agenda[0] and agenda[0].endswith(": 79.96% crit not a pass")
    assert agenda[1].endswith(": 20% not a pass")
    assert (
        cli.main(["export", "one-to-ones", "--member", "Sam Patel", "--format", "md", "--db", str(records.store.path)])
        == 0
    )
    out = capsys.readouterr().out
    assert "Q-0002 on " in out and "Near (edition 1): 79.96%, but failed a critical item: ID checked" in out
    assert "20% against a pass mark of 80%: below the pass mark" in out
