"""One-to-one use cases: meetings with their agreed actions, objectives, improvement plans, and the
member's evidence pack for an appraisal."""

from __future__ import annotations

from datetime import date, timedelta

from supervisor_tui.storage import Store, StoreError

from ..domain.clock import Clock
from ..domain.dates import show_stamp
from ..domain.fields import moment_day
from ..domain.one_to_ones import (
    Action,
    CheckEvidence,
    ComplaintEvidence,
    ImprovementPlan,
    Meeting,
    Objective,
    acknowledge,
    agenda_for,
    carried_forward,
    promptness,
)
from ..output import Block, document
from .base import Change, Repository
from .complaints import ComplaintService
from .evidence import (
    action_line,
    erased_blocks,
    meeting_blocks,
    objective_blocks,
    period_words,
    plan_blocks,
    produced_words,
)
from .quality import QualityService
from .settings import TeamSettingsService
from .team import TeamService


class OneToOneService:
    def __init__(
        self,
        store: Store,
        team: TeamService,
        quality: QualityService,
        complaints: ComplaintService,
        clock: Clock,
        settings: TeamSettingsService,
    ):
        self.store, self.team, self.quality, self.complaints, self.clock = store, team, quality, complaints, clock
        self.settings = settings
        self.meetings: Repository[Meeting] = Repository(store, "meetings", "O", Meeting, clock)
        self.actions: Repository[Action] = Repository(store, "actions", "AC", Action, clock)
        self.objectives: Repository[Objective] = Repository(store, "objectives", "OB", Objective, clock)
        self.plans: Repository[ImprovementPlan] = Repository(store, "plans", "IP", ImprovementPlan, clock)

    # -- reading -----------------------------------------------------------------------------------
    def agenda(self, member_id: str, today: date) -> list[str]:
        since = today - timedelta(days=60)
        recent = [c for c in self.quality.checks_for(member_id) if c.date >= since]
        checks: list[CheckEvidence] = [
            {
                "id": c.saved_id,
                "date": f"{c.date:%d/%m/%Y}",
                "overall": result.overall,
                "passed": result.passed,
                "pass_mark": standard.pass_mark,
                "critical": bool(result.critical_failures),
            }
            for c, standard, result in self.quality.scored(recent)
        ]
        complaints: list[ComplaintEvidence] = [
            {"id": c.saved_id, "stage": c.stage, "summary": c.summary}
            for c in self.complaints.involving(member_id)
            if self.complaints.received_day(c) >= since
        ]
        return agenda_for(member_id, self.actions.all(), self.objectives.all(), checks, complaints, today)

    def unknown_evidence(self, ids: list[str]) -> list[str]:
        """Of these quality check or complaint ids, the ones that are not on the record."""
        known = {c.id for c in self.quality.checks.all()} | self.complaints.ids()
        return [i for i in ids if i not in known and not self._sealed(i)]

    def _sealed(self, record_id: str) -> bool:
        """Whether a check or complaint of that id was sealed (it is still on the record, read-only)."""
        if not self.store.segments():
            return False
        for repo in (self.quality.checks, self.complaints.repo):
            try:
                if repo.get(record_id).id == record_id:  # a row's number alone would match another prefix
                    return True
            except StoreError:
                continue
        return False

    def meetings_for(
        self, member_id: str, first: date | None = None, last: date | None = None, *, sealed: bool = False
    ) -> list[Meeting]:
        """A member's meetings, oldest first; with ``sealed``, those sealed in the period too (a report)."""
        return sorted(
            (
                m
                for m in (self.meetings.with_sealed(first) if sealed else self.meetings.all())
                if m.member_id == member_id
                and (first is None or m.held_on >= first)
                and (last is None or m.held_on <= last)
            ),
            key=lambda m: m.held_on,
        )

    def open_actions(self, member_id: str) -> list[Action]:
        return carried_forward(self.actions.all(), member_id)

    def open_objectives(self, member_id: str) -> list[Objective]:
        return [o for o in self.objectives.all() if o.member_id == member_id and o.status == "open"]

    def meeting(self, meeting_id: str) -> Meeting:
        """The meeting as it is stored now (a response is recorded over the newest version)."""
        return self.meetings.get(meeting_id)

    def note_changes(self, meeting_id: str) -> list[Change]:
        """Changes to the note itself since it was written; the member's response does not count."""
        response = {"acknowledged_on", "agreed", "disagreement", "acknowledged_digest"}
        return [c for c in self.meetings.history(meeting_id) if c.action == "update" and set(c.fields) - response]

    def note_promptness(self, meeting: Meeting) -> tuple[int, bool]:
        written_on = moment_day(meeting.created_at or "", self.clock.tz)
        return promptness(meeting.held_on, written_on, self.settings.region)

    def team_due(self, today: date) -> list[tuple[str, str]]:
        """(person, what) for actions due this week or overdue, and plan reviews due, soonest first."""
        week_end = today + timedelta(days=6 - today.weekday())
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}
        rows = [
            (
                a.due,
                names.get(a.member_id, a.member_id),
                f"{'OVERDUE ' if a.overdue(today) else ''}action due {a.due:%a %d/%m} ({a.owner}): {a.what}",
            )
            for a in self.actions.all()
            if a.status == "open" and a.due <= week_end
        ]
        rows += [
            (r.due, names.get(p.member_id, p.member_id), f"improvement-plan review due {r.due:%d/%m}")
            for p in self.plans.all()
            if p.status == "open"
            for r in p.reviews_due(week_end)
        ]
        return [(name, what) for _, name, what in sorted(rows)]

    # -- writing -----------------------------------------------------------------------------------
    def record_meeting(
        self, meeting: Meeting, new_actions: list[Action], done: dict[str, date], dropped: dict[str, str]
    ) -> Meeting:
        """The meeting, its new actions and the carried-forward ones it closed, in one atomic write.

        Everything is checked against today first, as a single save would be: a meeting is not held
        in the future, and an action is not done before the meeting it was raised in."""
        meeting = self.meetings.checked(meeting)
        new_actions = [self.actions.checked(a) for a in new_actions]
        finished = {action_id: self._done(self.actions.get(action_id), on) for action_id, on in done.items()}
        with self.store.transaction() as txn:
            saved = (
                txn.create("meetings", "O", meeting.fields())
                if not meeting.id
                else txn.update("meetings", meeting.id, meeting.fields(), meeting.version)
            )
            for action in new_actions:
                txn.create(
                    "actions",
                    "AC",
                    action.model_copy(update={"raised_in": saved["id"]}).fields(),
                    f"agreed in {saved['id']}",
                )
            for action_id, action in finished.items():
                txn.update("actions", action_id, action.fields(), action.version, f"done, reviewed in {saved['id']}")
            for action_id, reason in dropped.items():
                current = self.actions.get(action_id)
                txn.update(
                    "actions",
                    action_id,
                    self.actions.checked(
                        current.model_copy(update={"status": "dropped", "drop_reason": reason})
                    ).fields(),
                    current.version,
                    f"dropped in {saved['id']}: {reason}",
                )
        return Meeting.model_validate(saved)

    def _done(self, action: Action, on: date) -> Action:
        """The action marked done on ``on``: not in the future (the model), and not before the meeting
        it was raised in, which only this service can look up."""
        if action.raised_in:
            raised = self.meetings.get(action.raised_in)
            if on < raised.held_on:
                raise ValueError(
                    f"Done on: {on:%d/%m/%Y} is before '{action.what}' was agreed "
                    f"(in {raised.id} on {raised.held_on:%d/%m/%Y})"
                )
        return self.actions.checked(action.model_copy(update={"status": "done", "done_on": on}))

    def plan_for(self, member_id: str) -> ImprovementPlan | None:
        open_plans = [p for p in self.plans.all() if p.member_id == member_id and p.status == "open"]
        return open_plans[-1] if open_plans else None

    def record_review(self, plan: ImprovementPlan, held_on: date, outcome: str, progress: str) -> ImprovementPlan:
        """Fill in the next milestone not yet held."""
        pending = [i for i, r in enumerate(plan.reviews) if r.held_on is None]
        if not pending:
            raise ValueError("Held on: every review milestone in this plan has been held; add the final result")
        reviews = list(plan.reviews)
        reviews[pending[0]] = reviews[pending[0]].model_copy(
            update={"held_on": held_on, "outcome": outcome, "progress": progress}
        )
        return self.plans.update(plan.model_copy(update={"reviews": reviews}), f"review {pending[0] + 1} held")

    def acknowledge(self, meeting: Meeting, on: date, agreed: bool, disagreement: str = "") -> Meeting:
        return self.meetings.update(acknowledge(meeting, on, agreed, disagreement), "member's response")

    def correct_note(self, meeting_id: str, member_view: str, notes: str, reason: str) -> Meeting:
        """Correct a written note over its newest version; the reason goes into its history."""
        current = self.meetings.get(meeting_id)
        return self.meetings.correct(current.model_copy(update={"member_view": member_view, "notes": notes}), reason)

    def add_objective(self, objective: Objective) -> Objective:
        return self.objectives.create(objective)

    def start_plan(self, plan: ImprovementPlan) -> ImprovementPlan:
        return self.plans.create(plan)

    def close_plan(self, plan: ImprovementPlan, status: str, final_result: str) -> ImprovementPlan:
        """Close a plan with its outcome and its final result against the targets."""
        return self.plans.update(
            plan.model_copy(update={"status": status, "final_result": final_result}), "plan closed"
        )

    # -- the evidence pack ------------------------------------------------------------------------
    def evidence_pack(self, member_name: str, first: str | None, last: str | None, fmt: str) -> str:
        """The one-to-ones part of a member's record for an appraisal (the whole-person pack is
        services.evidence, which shares these sections' wording)."""
        member = self.team.by_name(member_name)
        if member is None:
            raise ValueError(f"--member: no one called {member_name!r} is on the team")
        start, end = self.clock.read_optional_date(first or ""), self.clock.read_optional_date(last or "")
        today = self.clock.today()
        out: list[Block] = [
            ("h1", f"One-to-one evidence pack: {member.name} ({member.id})"),
            (
                "p",
                f"{member.job_title}. Period: {period_words(start, end)}. "
                + produced_words(today, self.store.head_text()),
            ),
            ("h2", "Meetings"),
        ]
        for m in self.meetings_for(member.saved_id, start, end, sealed=True):
            out += meeting_blocks(m, *self.note_promptness(m))
        out.append(("h2", "Quality checks"))
        checks = self.quality.between(start, end, member.id)
        for check, standard, result in self.quality.scored(checks):
            out.append(
                (
                    "li",
                    f"{check.id} on {check.date:%d/%m/%Y}, {standard.name} (edition {standard.edition}): "
                    f"{result.why(standard.pass_mark)}",
                )
            )
        out.append(("h2", "Objectives"))
        for o in (o for o in self.objectives.all() if o.member_id == member.id):
            out += objective_blocks(o, today)
        out.append(("h2", "Agreed actions and their history"))
        actions = self.actions.with_sealed(start)  # done ones sealed before the period's start are not in it
        for a in sorted((a for a in actions if a.member_id == member.id), key=lambda a: a.due):
            out.append(("li", action_line(a)))
            out += erased_blocks(a)
            for change in self.actions.history(a.id or ""):
                out.append(("p", f"{show_stamp(change.at)} {change.actor}: {change.summary()}"))
        out.append(("h2", "Improvement plans"))
        for p in (p for p in self.plans.with_sealed(start) if p.member_id == member.id):
            out += plan_blocks(p)
        return document(out, fmt)
