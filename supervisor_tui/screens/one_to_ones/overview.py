"""One-to-ones: who has what due, and recording a meeting with feedback and agreed actions."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from supervisor_tui.storage import StoreError

from ...domain.base import explain
from ...domain.dates import DateInputError
from ...domain.numbers import whole_number
from ...domain.one_to_ones import (
    FRAMEWORK_PARTS,
    MAX_REVIEWS,
    Action,
    FeedbackItem,
    ImprovementPlan,
    Meeting,
    MeetingKind,
    Objective,
    PlanIssue,
    Review,
    acknowledgement_state,
    balance_prompt,
    feedback_prompts,
    smart_gaps,
)
from ...output import shorten
from ...widgets.form import Field, FormErrors, RecordForm, parse_each
from ...widgets.prompt import ReasonPrompt
from ...widgets.text import LiteralSelect, LiteralTable, plain
from ..base import RecordScreen


def short_response(meeting: Meeting) -> str:
    """The member's response in a table cell's width."""
    state = acknowledgement_state(meeting)
    if state.startswith("edited"):
        return "edited since: ask again"
    if meeting.acknowledged_on is None:
        return "not yet read"
    return f"{'agreed' if meeting.agreed else 'disagrees'} {meeting.acknowledged_on:%d/%m/%Y}"


class OneToOnesScreen(RecordScreen):
    AUTO_FOCUS = "#oo-team"
    DEFAULT_CSS = """
    OneToOnesScreen #oo-team { height: 1fr; }
    OneToOnesScreen #oo-due { height: auto; max-height: 8; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding(
            "r", "record", "Record a meeting", id="oo.record", tooltip="Record a one-to-one with the highlighted person"
        )
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static(Text("One-to-ones", style="bold"), classes="section-title")
        table = LiteralTable(id="oo-team", cursor_type="row", zebra_stripes=True)
        for label, width in (
            ("Person", 16),
            ("Last met", 10),
            ("Open actions", 12),
            ("Objectives", 10),
            ("Last note", 22),
        ):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="oo-due")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        service = self.records.one_to_ones
        today = self.records.clock.today()
        table = self.query_one("#oo-team", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for member in self.records.team.members():
            meetings = service.meetings_for(member.id)
            actions = service.open_actions(member.id)
            overdue = sum(a.overdue(today) for a in actions)
            objectives = [o for o in service.objectives.all() if o.member_id == member.id and o.status == "open"]
            not_smart = sum(bool(smart_gaps(o, today)) for o in objectives)
            last = meetings[-1] if meetings else None
            state = short_response(last) if last else "—"
            if last and service.note_promptness(last)[1]:
                state = "LATE note · " + state
            table.add_row(
                plain(shorten(member.name, 16)),
                f"{last.held_on:%d/%m/%Y}" if last else "never",
                Text(
                    f"{len(actions)}" + (f" ({overdue} late)" if overdue else ""),
                    style="bold reverse" if overdue else "",
                ),
                f"{len(objectives)}" + (f" ({not_smart} !)" if not_smart else ""),
                plain(shorten(state, 22)),
                key=member.id,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        due = service.team_due(today)
        lines = [Text("Due this week and overdue:", style="bold")]
        lines += [Text.assemble(plain(name, "bold"), " · ", plain(what)) for name, what in due[:6]]
        if len(due) > 6:
            lines.append(Text(f"…and {len(due) - 6} more", style="dim"))
        if not due:
            lines.append(Text("Nothing due this week.", style="italic"))
        self.query_one("#oo-due", Static).update(Text("\n").join(lines))

    def _member_id(self) -> str | None:
        table = self.query_one("#oo-team", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_record(self) -> None:
        member_id = self._member_id()
        if member_id:
            self.app.push_screen(RecordMeetingScreen(member_id))

    @on(DataTable.RowSelected, "#oo-team")
    def _open(self) -> None:
        member_id = self._member_id()
        if member_id:
            self.app.push_screen(MemberOneToOnesScreen(member_id))


class RecordMeetingScreen(RecordScreen):
    """The agenda first; then feedback, actions and their view; saved as one record with its actions."""

    AUTO_FOCUS = "#mt-actions"
    DEFAULT_CSS = """
    RecordMeetingScreen #mt-page { height: 1fr; padding: 0 1; }
    RecordMeetingScreen .mt-row { height: 1; }
    RecordMeetingScreen .mt-row Label { width: 6; color: $text-muted; }
    RecordMeetingScreen .mt-row Input, RecordMeetingScreen .mt-row Select { width: 1fr; margin-right: 1; }
    RecordMeetingScreen DataTable { height: auto; max-height: 6; }
    RecordMeetingScreen TextArea { height: 3; }
    RecordMeetingScreen .mt-head { margin-top: 1; text-style: bold; }
    RecordMeetingScreen #mt-problem { color: $error; text-style: bold; height: auto; }
    """
    BINDINGS = [
        Binding(
            "f", "feedback('SBI')", "SBI feedback", id="mt.sbi", tooltip="Add feedback: situation, behaviour, impact"
        ),
        Binding(
            "F",
            "feedback('BOOST')",
            "BOOST",
            id="mt.boost",
            show=False,
            tooltip="Add feedback: balanced, observed, objective, specific, timely",
        ),
        Binding("n", "new_action", "New action", id="mt.action", tooltip="Agree an action with an owner and date"),
        Binding("d", "done", "Done", id="mt.done", tooltip="Mark the highlighted carried-forward action done"),
        Binding("x", "drop", "Drop", id="mt.drop", tooltip="Drop the highlighted action, with a reason"),
        Binding("ctrl+s", "save", "Save", id="mt.save", tooltip="Save the meeting, its feedback and actions"),
        Binding("escape", "back", "Cancel", id="mt.cancel", tooltip="Leave without saving"),
    ]

    def __init__(self, member_id: str):
        super().__init__()
        self.member_id = member_id
        self.feedback: list[FeedbackItem] = []
        self.new_actions: list[Action] = []
        self.done: dict[str, date] = {}
        self.dropped: dict[str, str] = {}
        self._nudged = False

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="mt-page"):
            yield Static("", id="mt-title")
            yield Static("", id="mt-problem")
            with Horizontal(classes="mt-row"):
                yield Label("Date")
                yield Input("today", id="mt-date", compact=True)
                yield Label("Type")
                yield LiteralSelect(
                    [(k.value, k.value) for k in MeetingKind],
                    value=MeetingKind.regular.value,
                    id="mt-kind",
                    compact=True,
                    allow_blank=False,
                )
            yield Static("Agenda (what is open for them)", classes="mt-head")
            yield Static("", id="mt-agenda")
            yield Static("Carried-forward actions (d done, x drop with a reason)", classes="mt-head")
            actions = LiteralTable(id="mt-actions", cursor_type="row")
            for label, width in (("Action", 40), ("Owner", 10), ("Due", 10), ("Now", 10)):
                actions.add_column(label, width=width)
            yield actions
            yield Static("Feedback (f SBI, F BOOST) and new actions (n)", classes="mt-head")
            yield Static("", id="mt-feedback")
            yield Static("Their view, in their words", classes="mt-head")
            yield TextArea(id="mt-view", soft_wrap=True, tab_behavior="focus", compact=True)
            yield Static("Notes (facts and agreements, not opinions)", classes="mt-head")
            yield TextArea(id="mt-notes", soft_wrap=True, tab_behavior="focus", compact=True)
        yield from self.compose_chrome()

    def on_mount(self) -> None:
        super().on_mount()
        # Focus starts on the actions (so d/x/f/n work at once); the page still opens at its top.
        self.call_after_refresh(self.query_one("#mt-page").scroll_home, animate=False)

    def reload(self) -> None:
        super().reload()
        member = self.records.team.get(self.member_id)
        self.query_one("#mt-title", Static).update(
            Text.assemble(
                ("One-to-one with ", "bold"), plain(member.name, "bold"), ("   ctrl+s saves, esc cancels", "dim")
            )
        )
        agenda = self.records.one_to_ones.agenda(self.member_id, self.records.clock.today())
        self.query_one("#mt-agenda", Static).update(
            Text("\n").join(plain(f"• {item}") for item in agenda) if agenda else Text("Nothing open.", style="italic")
        )
        self._draw_actions()
        self._draw_feedback()

    def _draw_actions(self) -> None:
        table = self.query_one("#mt-actions", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        for a in self.records.one_to_ones.open_actions(self.member_id):
            now = (
                "done"
                if a.id in self.done
                else "dropped"
                if a.id in self.dropped
                else ("overdue" if a.overdue(self.records.clock.today()) else "open")
            )
            table.add_row(plain(shorten(a.what, 40)), a.owner, f"{a.due:%d/%m/%Y}", now, key=a.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _draw_feedback(self) -> None:
        lines = [
            Text.assemble((f"{i.kind} ({i.framework}): ", "bold"), plain(shorten(i.text(), 90))) for i in self.feedback
        ]
        lines += [
            Text.assemble(("new action: ", "bold"), plain(a.what), plain(f" · {a.owner} · due {a.due:%d/%m/%Y}"))
            for a in self.new_actions
        ]
        self.query_one("#mt-feedback", Static).update(
            Text("\n").join(lines) if lines else Text("None yet.", style="italic")
        )

    def _highlighted_action(self) -> str | None:
        table = self.query_one("#mt-actions", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Letters type into the text boxes; they are commands only outside them.
        if action in ("feedback", "new_action", "done", "drop") and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    def action_done(self) -> None:
        action_id = self._highlighted_action()
        if action_id:
            self.dropped.pop(action_id, None)
            self.done[action_id] = self.records.clock.today()
            self._draw_actions()

    def action_drop(self) -> None:
        action_id = self._highlighted_action()
        if not action_id:
            return

        def done(reason: str | None) -> None:
            if reason:
                self.done.pop(action_id, None)
                self.dropped[action_id] = reason
                self._draw_actions()

        self.app.push_screen(
            ReasonPrompt(
                "Drop this action? It stays on record with your reason.", "e.g. no longer needed: the process changed"
            ),
            done,
        )

    def action_feedback(self, framework: str) -> None:
        parts = FRAMEWORK_PARTS[framework]
        fields = [
            Field(
                "kind",
                "Kind",
                "choice",
                options=[("strength", "strength"), ("development point", "development")],
                required=True,
            )
        ]
        fields += [
            Field(key, label.split(":")[0], "long" if key == "behaviour" else "text", hint=label.split(": ", 1)[1])
            for key, label in parts
        ]
        nudged = {"done": False}

        def save(values: dict) -> FeedbackItem:
            item = FeedbackItem(
                framework=framework, kind=values["kind"], parts={key: values[key].strip() for key, _ in parts}
            )
            prompts = feedback_prompts(item)
            if prompts and not nudged["done"]:
                nudged["done"] = True  # a prompt, not a block: saving again keeps it as written
                raise FormErrors({"": " ".join(prompts) + " (Save again to keep it as it is.)"})
            return item

        def done(item: FeedbackItem | None) -> None:
            if item is not None:
                self.feedback.append(item)
                self._draw_feedback()

        self.app.push_screen(RecordForm(f"{framework} feedback", fields, {"kind": "strength"}, save), done)

    def action_new_action(self) -> None:
        fields = [
            Field("what", "Action", required=True, hint="what will be done"),
            Field(
                "owner",
                "Owner",
                "choice",
                options=[("the team member", "member"), ("me (the supervisor)", "supervisor")],
                required=True,
            ),
            Field("due", "Due", "date", required=True, hint="dd/mm/yyyy, +2w, fri"),
        ]

        def save(values: dict) -> Action:
            due = parse_each(values, {"due": self.records.clock.read_date})["due"]
            return Action(member_id=self.member_id, what=values["what"], owner=values["owner"], due=due)

        def done(action: Action | None) -> None:
            if action is not None:
                self.new_actions.append(action)
                self._draw_feedback()

        self.app.push_screen(RecordForm("Agree an action", fields, {"owner": "member", "due": "+2w"}, save), done)

    def action_save(self) -> None:
        problem = self.query_one("#mt-problem", Static)
        try:
            held = self.records.clock.read_date(self.query_one("#mt-date", Input).value)
        except DateInputError as exc:
            problem.update(plain(f"Date: {exc}"))
            return
        prompt = balance_prompt(self.feedback)
        if prompt and not self._nudged:
            self._nudged = True
            problem.update(plain(prompt + " Press ctrl+s again to save as it is."))
            return
        try:
            meeting = Meeting(
                member_id=self.member_id,
                held_on=held,
                kind=self.query_one("#mt-kind", Select).value,
                agenda=self.records.one_to_ones.agenda(self.member_id, held),
                feedback=self.feedback,
                member_view=self.query_one("#mt-view", TextArea).text,
                notes=self.query_one("#mt-notes", TextArea).text,
            )
            saved = self.records.one_to_ones.record_meeting(meeting, self.new_actions, self.done, self.dropped)
        except ValidationError as exc:  # e.g. 'Held on: ... is in the future': nothing typed is lost
            problem.update(plain("Not saved: " + "; ".join(explain(exc, Meeting))))
            return
        except (ValueError, StoreError) as exc:
            problem.update(plain(f"Not saved: {exc}"))
            return
        self.notify(f"{saved.id} saved with {len(self.new_actions)} new action(s)", title="One-to-ones")
        self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()


class MemberOneToOnesScreen(RecordScreen):
    """A person's meetings, their responses, objectives and improvement plan."""

    AUTO_FOCUS = "#mo-meetings"
    DEFAULT_CSS = """
    MemberOneToOnesScreen #mo-head { height: auto; padding: 0 1; }
    MemberOneToOnesScreen #mo-meetings { height: 1fr; }
    MemberOneToOnesScreen #mo-detail { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    MemberOneToOnesScreen #mo-plans { height: auto; max-height: 7; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="mo.back", tooltip="Back to the team"),
        Binding("r", "record", "Record", id="mo.record", tooltip="Record a meeting"),
        Binding(
            "k",
            "respond",
            "Their response",
            id="mo.respond",
            tooltip="Record that they read the note: agreed, or their disagreement in their words",
        ),
        Binding("o", "objective", "Objective", id="mo.objective", tooltip="Agree an objective (SMART check)"),
        Binding("v", "review", "Plan review", id="mo.review", tooltip="Record the next improvement-plan review"),
        Binding("p", "plan", "New plan", id="mo.plan", show=False, tooltip="Start an improvement plan"),
        Binding(
            "e",
            "edit_note",
            "Edit note",
            id="mo.edit",
            show=False,
            tooltip="Correct the highlighted note (they will need to acknowledge it again)",
        ),
        Binding(
            "c",
            "close_plan",
            "Close plan",
            id="mo.close",
            show=False,
            tooltip="Close the improvement plan with its final result",
        ),
    ]

    def __init__(self, member_id: str):
        super().__init__()
        self.member_id = member_id
        self._meetings: list[Meeting] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="mo-head")
        table = LiteralTable(id="mo-meetings", cursor_type="row", zebra_stripes=True)
        for label, width in (("Held on", 10), ("Type", 20), ("Written", 12), ("Their response", 30)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="mo-detail")
        yield Static("", id="mo-plans")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        service = self.records.one_to_ones
        today = self.records.clock.today()
        member = self.records.team.get(self.member_id)
        self._meetings = list(reversed(service.meetings_for(self.member_id)))
        self.query_one("#mo-head", Static).update(
            Text.assemble(
                plain(member.name, "bold"),
                f" · {len(self._meetings)} meeting(s) · {len(service.open_actions(self.member_id))} open action(s)",
            )
        )
        table = self.query_one("#mo-meetings", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        for m in self._meetings:
            days, late = service.note_promptness(m)
            table.add_row(
                f"{m.held_on:%d/%m/%Y}",
                m.kind.value,
                Text(f"{days} wd" + (" LATE" if late else ""), style="bold reverse" if late else ""),
                plain(short_response(m)),
                key=m.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        lines = []
        for o in (o for o in service.objectives.all() if o.member_id == self.member_id and o.status == "open"):
            gaps = smart_gaps(o, today)
            lines.append(
                Text.assemble(
                    ("Objective: ", "bold"),
                    plain(shorten(o.text, 50)),
                    (" · SMART" if not gaps else f" · {gaps[0].split(':')[0]} missing", "" if not gaps else "bold"),
                )
            )
        plan = service.plan_for(self.member_id)
        if plan:
            held = sum(r.held_on is not None for r in plan.reviews)
            due = plan.reviews_due(today)
            lines.append(
                Text.assemble(
                    ("Improvement plan ", "bold"),
                    f"{plan.id} from {plan.started_on:%d/%m/%Y}: ",
                    plain(shorten(plan.issues[0].text, 40)),
                    f" · reviews {held}/{len(plan.reviews)}",
                    (f" · review due {due[0].due:%d/%m}" if due else "", "bold reverse"),
                )
            )
        self.query_one("#mo-plans", Static).update(
            Text("\n").join(lines) if lines else Text("No objectives or plan yet (o, p).", style="italic")
        )
        self._detail()

    def _meeting(self) -> Meeting | None:
        table = self.query_one("#mo-meetings", DataTable)
        return self._meetings[table.cursor_row] if self._meetings and table.row_count else None

    @on(DataTable.RowHighlighted, "#mo-meetings")
    def _detail(self) -> None:
        m = self._meeting()
        box = self.query_one("#mo-detail", Static)
        if m is None:
            box.update(Text("No meetings yet: r records one.", style="italic"))
            return
        response = {"acknowledged_on", "agreed", "disagreement", "acknowledged_digest"}
        edits = [
            c
            for c in self.records.one_to_ones.meetings.history(m.id or "")
            if c.action == "update" and set(c.fields) - response
        ]
        lines = [
            Text.assemble(("+ " if i.kind == "strength" else "- ", "bold"), plain(shorten(i.text(), 100)))
            for i in m.feedback
        ]
        if m.member_view:
            lines.append(Text.assemble(("Their view: ", "bold"), plain(m.member_view)))
        if m.disagreement:
            lines.append(Text.assemble(("They disagree: ", "bold"), plain(m.disagreement)))
        if edits:
            lines.append(
                plain(
                    f"Note changed {len(edits)} time(s) since written (every version is in the audit "
                    "history): " + "; ".join(c.summary() for c in edits[-2:]),
                    "dim",
                )
            )
        box.update(Text("\n").join(lines) if lines else Text("No feedback recorded.", style="italic"))

    def action_record(self) -> None:
        self.app.push_screen(RecordMeetingScreen(self.member_id))

    def action_respond(self) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        fields = [
            Field("on", "Read on", "date", required=True, hint="when they read the note"),
            Field("agreed", "Agreed", "bool", hint="ticked: they agree; blank: record their disagreement"),
            Field("disagreement", "Their disagreement", "long", hint="in their own words"),
        ]

        def save(values: dict) -> Meeting:
            on = parse_each(values, {"on": self.records.clock.read_date})["on"]
            return self.records.one_to_ones.acknowledge(
                self.records.one_to_ones.meetings.get(meeting.id), on, values["agreed"], values["disagreement"].strip()
            )

        self.app.push_screen(
            RecordForm(
                f"Their response to the note of {meeting.held_on:%d/%m/%Y}",
                fields,
                {"on": "today", "agreed": True, "disagreement": ""},
                save,
            ),
            lambda _: self.reload(),
        )

    def action_edit_note(self) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        fields = [
            Field("member_view", "Their view", "long"),
            Field("notes", "Notes", "long"),
            Field("reason", "Why the change", required=True, hint="kept in the audit history"),
        ]
        service = self.records.one_to_ones

        def save(values: dict) -> Meeting:
            if not values["reason"].strip():
                raise FormErrors({"reason": "say why the note changed; it stays in the history"})
            current = service.meetings.get(meeting.id)
            return service.meetings.update(
                current.model_copy(update={"member_view": values["member_view"], "notes": values["notes"]}),
                values["reason"],
            )

        self.app.push_screen(
            RecordForm(
                f"Correct the note of {meeting.held_on:%d/%m/%Y}",
                fields,
                {"member_view": meeting.member_view, "notes": meeting.notes, "reason": ""},
                save,
            ),
            lambda _: self.reload(),
        )

    def action_close_plan(self) -> None:
        service = self.records.one_to_ones
        plan = service.plan_for(self.member_id)
        if plan is None:
            self.notify("No open improvement plan.", severity="warning")
            return
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
            return service.plans.update(
                plan.model_copy(update={"status": values["status"], "final_result": values["final_result"]}),
                "plan closed",
            )

        self.app.push_screen(
            RecordForm(f"Close {plan.id}", fields, {"status": "completed", "final_result": ""}, save),
            lambda _: self.reload(),
        )

    def action_objective(self) -> None:
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
            due = parse_each(values, {"due": self.records.clock.read_optional_date})["due"]
            objective = Objective(
                member_id=self.member_id,
                text=values["text"],
                measure=values["measure"],
                target=values["target"],
                due=due,
                outcome_link=values["outcome_link"],
                agreed_with_member=values["agreed_with_member"],
            )
            gaps = smart_gaps(objective, self.records.clock.today())
            if gaps and not nudged["done"]:
                nudged["done"] = True
                raise FormErrors({"": "Not quite SMART yet — " + " ".join(gaps) + " (Save again to keep it.)"})
            return self.records.one_to_ones.objectives.create(objective)

        self.app.push_screen(
            RecordForm("Agree an objective", fields, {"agreed_with_member": False}, save), lambda _: self.reload()
        )

    def action_review(self) -> None:
        plan = self.records.one_to_ones.plan_for(self.member_id)
        if plan is None:
            self.notify("No open improvement plan: p starts one.", severity="warning")
            return
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
            held = parse_each(values, {"held_on": self.records.clock.read_date})["held_on"]
            return self.records.one_to_ones.record_review(plan, held, values["outcome"], values["progress"])

        self.app.push_screen(
            RecordForm(f"Review of {plan.id}", fields, {"held_on": "today", "outcome": "on track"}, save),
            lambda _: self.reload(),
        )

    def action_plan(self) -> None:
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
                {"first_review": self.records.clock.read_date, "reviews": lambda v: whole_number(v, 1, MAX_REVIEWS)},
            )
            evidence = [e.strip().upper() for e in values["evidence"].replace(";", ",").split(",") if e.strip()]
            unknown = self.records.one_to_ones.unknown_evidence(evidence)
            if unknown:
                raise FormErrors({"evidence": f"no quality check or complaint {', '.join(unknown)}"})
            reviews = [Review(due=parsed["first_review"] + timedelta(weeks=2 * i)) for i in range(parsed["reviews"])]
            return self.records.one_to_ones.plans.create(
                ImprovementPlan(
                    member_id=self.member_id,
                    started_on=self.records.clock.today(),
                    issues=[PlanIssue(text=values["issue"], evidence=evidence)],
                    targets=values["targets"],
                    support=values["support"],
                    reviews=reviews,
                )
            )

        self.app.push_screen(
            RecordForm("Start an improvement plan", fields, {"first_review": "+2w", "reviews": "3"}, save),
            lambda _: self.reload(),
        )

    def action_back(self) -> None:
        self.app.pop_screen()
