"""Recording a one-to-one: the agenda first; then feedback, actions and their view, saved together."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from ...domain.base import explain
from ...domain.dates import DateInputError
from ...domain.one_to_ones import (
    FRAMEWORK_PARTS,
    Action,
    FeedbackItem,
    Meeting,
    MeetingKind,
    balance_prompt,
    feedback_prompts,
)
from ...output import shorten
from ...services import StoreError
from ...widgets.discard import KeepsUnsavedWork, how_many
from ...widgets.form import Field, FormErrors, RecordForm, parse_each
from ...widgets.prompt import ReasonPrompt
from ...widgets.saving import write
from ...widgets.text import LiteralInput, LiteralSelect, LiteralTable, LiteralTextArea, plain
from ..base import RecordScreen


class RecordMeetingScreen(KeepsUnsavedWork, RecordScreen):
    """The agenda first; then feedback, actions and their view; saved as one record with its actions."""

    AUTO_FOCUS = "#mt-actions"
    ACTION_ROWS = 5  # carried-forward actions in view at once
    DEFAULT_CSS = """
    RecordMeetingScreen #mt-page { height: 1fr; padding: 0 1; }
    RecordMeetingScreen .mt-row { height: 1; }
    RecordMeetingScreen .mt-row Label { width: 6; color: $text-muted; }
    RecordMeetingScreen .mt-row Input, RecordMeetingScreen .mt-row Select { width: 1fr; margin-right: 1; }
    RecordMeetingScreen #mt-no-actions { color: $text-muted; text-style: italic; }
    RecordMeetingScreen TextArea { height: 3; }
    RecordMeetingScreen .mt-head { margin-top: 1; text-style: bold; }
    RecordMeetingScreen #mt-problem { color: $error; text-style: bold; height: auto; }
    """
    BINDINGS = [
        Binding(
            "f", "feedback('SBI')", "Feedback", id="mt.sbi", tooltip="Add SBI feedback: situation, behaviour, impact"
        ),
        Binding(
            "F",
            "feedback('BOOST')",
            "BOOST",
            id="mt.boost",
            show=False,
            tooltip="Add feedback: balanced, observed, objective, specific, timely",
        ),
        Binding("n", "new_action", "Action", id="mt.action", tooltip="Agree a new action with an owner and date"),
        Binding("d", "done", "Done", id="mt.done", tooltip="Mark the highlighted carried-forward action done"),
        Binding("x", "drop", "Drop", id="mt.drop", tooltip="Drop the highlighted action, with a reason"),
        Binding("ctrl+s", "save", "Save", id="mt.save", tooltip="Save the meeting, its feedback and actions"),
        Binding(
            "escape", "back", "Cancel", id="mt.cancel", tooltip="Leave without saving; asks first if anything was added"
        ),
    ]

    def __init__(self, member_id: str):
        super().__init__()
        self.member_id = member_id
        self.feedback: list[FeedbackItem] = []
        self.new_actions: list[Action] = []
        self.done: dict[str, date] = {}
        self.dropped: dict[str, str] = {}
        self._nudged = False
        self._shown: dict[str, object] = {}  # the date, type and text boxes as the page opened

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="mt-page"):
            yield Static("", id="mt-title")
            yield Static("", id="mt-problem")
            with Horizontal(classes="mt-row"):
                yield Label("Date")
                yield LiteralInput("today", id="mt-date", compact=True)
                yield Label("Type")
                yield LiteralSelect(
                    [(k.value, k.value) for k in MeetingKind],
                    value=MeetingKind.regular.value,
                    id="mt-kind",
                    compact=True,
                    allow_blank=False,
                )
            # The actions first, where the focus starts: d and x act on the highlighted one, so it is in view.
            yield Static("Carried-forward actions (d done, x drop with a reason)", classes="mt-head")
            actions = LiteralTable(id="mt-actions", cursor_type="row")
            # 38+10+10+8 with a cell of padding each side, and room for a scrollbar: within 78 columns.
            for label, width in (("Action", 38), ("Owner", 10), ("Due", 10), ("Now", 8)):
                actions.add_column(label, width=width)
            yield actions
            yield Static("None carried forward.", id="mt-no-actions", classes="hidden")
            yield Static("Agenda (what is open for them)", classes="mt-head")
            yield Static("", id="mt-agenda")
            yield Static("Feedback (f SBI, F BOOST) and new actions (n)", classes="mt-head")
            yield Static("", id="mt-feedback")
            yield Static("Their view, in their words", classes="mt-head")
            yield LiteralTextArea(id="mt-view", soft_wrap=True, tab_behavior="focus", compact=True)
            yield Static("Notes (facts and agreements, not opinions)", classes="mt-head")
            yield LiteralTextArea(id="mt-notes", soft_wrap=True, tab_behavior="focus", compact=True)
        yield from self.compose_chrome()

    @property
    def actions_table(self) -> LiteralTable:
        """The actions carried forward from earlier meetings, with what happens to each now."""
        return self.query_one("#mt-actions", LiteralTable)

    @property
    def problem(self) -> Static:
        """Why the meeting was not saved (nothing typed is lost)."""
        return self.query_one("#mt-problem", Static)

    def on_mount(self) -> None:
        super().on_mount()
        # Focus starts on the actions (so d/x/f/n work at once); the page still opens at its top.
        self.call_after_refresh(self.query_one("#mt-page").scroll_home, animate=False)
        self._shown = self._typed()

    def _typed(self) -> dict[str, object]:
        return {
            "the date": self.query_one("#mt-date", Input).value,
            "the type": self.query_one("#mt-kind", Select).value,
            "their view": self.query_one("#mt-view", TextArea).text,
            "the notes": self.query_one("#mt-notes", TextArea).text,
        }

    def unsaved(self) -> list[str]:
        lost = [
            how_many(len(self.feedback), "feedback item"),
            how_many(len(self.new_actions), "new action"),
            how_many(len(self.done), "action marked done", "actions marked done"),
            how_many(len(self.dropped), "action dropped", "actions dropped"),
        ]
        lost = [words for words in lost if not words.startswith("0 ")]
        return lost + [name for name, value in self._typed().items() if value != self._shown.get(name)]

    def discard_what(self) -> str:
        return f"this one-to-one with {self.records.team.get(self.member_id).name}"

    def leave(self) -> None:
        self.app.pop_screen()

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
        table = self.actions_table
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
            table.add_row(plain(shorten(a.what, 38)), a.owner, f"{a.due:%d/%m/%Y}", now, key=a.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        # A table in a scrolling page has no height of its own to share out: it gets its rows (up to
        # five, then it scrolls) and its header, so each action is on screen at 80x24.
        table.styles.height = min(table.row_count, self.ACTION_ROWS) + 1
        table.display = bool(table.row_count)
        self.query_one("#mt-no-actions").set_class(bool(table.row_count), "hidden")

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
        table = self.actions_table
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

    @work(group="write-flow")
    async def action_save(self) -> None:
        problem = self.problem
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
            service = self.records.one_to_ones
            saved = await write(self, service.record_meeting, meeting, self.new_actions, self.done, self.dropped)
        except ValidationError as exc:  # e.g. 'Held on: ... is in the future': nothing typed is lost
            problem.update(plain("Not saved: " + "; ".join(explain(exc, Meeting))))
            return
        except (ValueError, StoreError) as exc:
            problem.update(plain(f"Not saved: {exc}"))
            return
        self.notify(f"{saved.id} saved with {len(self.new_actions)} new action(s)", title="One-to-ones")
        self.app.pop_screen()

    def action_back(self) -> None:
        self.leave_or_ask()
