"""A person's one-to-ones: their meetings and responses, objectives and improvement plan."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.one_to_ones import Meeting, acknowledgement_state, smart_gaps
from ...output import shorten
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .forms import (
    open_note_correction,
    open_objective_form,
    open_plan_closing,
    open_plan_form,
    open_response_form,
    open_review_form,
)
from .meeting import RecordMeetingScreen


def short_response(meeting: Meeting) -> str:
    """The member's response in a table cell's width."""
    state = acknowledgement_state(meeting)
    if state.startswith("edited"):
        return "edited since: ask again"
    if meeting.acknowledged_on is None:
        return "not yet read"
    return f"{'agreed' if meeting.agreed else 'disagrees'} {meeting.acknowledged_on:%d/%m/%Y}"


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
            "Response",
            id="mo.respond",
            tooltip="Record that they read the note: agreed, or their disagreement in their words",
        ),
        Binding("o", "objective", "Objective", id="mo.objective", tooltip="Agree an objective (SMART check)"),
        Binding("v", "review", "Review", id="mo.review", tooltip="Record the next improvement-plan review"),
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

    @property
    def table(self) -> LiteralTable:
        """Their meetings, newest first: when the note was written and their response to it."""
        return self.query_one("#mo-meetings", LiteralTable)

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
        table = self.table
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
        for o in service.open_objectives(self.member_id):
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
        table = self.table
        return self._meetings[table.cursor_row] if self._meetings and table.row_count else None

    @on(DataTable.RowHighlighted, "#mo-meetings")
    def _detail(self) -> None:
        m = self._meeting()
        box = self.query_one("#mo-detail", Static)
        if m is None:
            box.update(Text("No meetings yet: r records one.", style="italic"))
            return
        edits = self.records.one_to_ones.note_changes(m.id or "")
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
        if meeting is not None:
            open_response_form(self, meeting)

    def action_edit_note(self) -> None:
        meeting = self._meeting()
        if meeting is not None:
            open_note_correction(self, meeting)

    def action_close_plan(self) -> None:
        plan = self.records.one_to_ones.plan_for(self.member_id)
        if plan is None:
            self.notify("No open improvement plan.", severity="warning")
            return
        open_plan_closing(self, plan)

    def action_objective(self) -> None:
        open_objective_form(self, self.member_id)

    def action_review(self) -> None:
        plan = self.records.one_to_ones.plan_for(self.member_id)
        if plan is None:
            self.notify("No open improvement plan: p starts one.", severity="warning")
            return
        open_review_form(self, plan)

    def action_plan(self) -> None:
        open_plan_form(self, self.member_id)

    def action_back(self) -> None:
        self.app.pop_screen()
