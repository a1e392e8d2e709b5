"""The day's briefing: targets, issues and updates, who attended, and who still needs catching up."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static, TextArea

from ..domain.base import explain
from ..domain.briefing import Briefing
from ..services import ConflictError, StoreError
from ..widgets.discard import KeepsUnsavedWork
from ..widgets.saving import write
from ..widgets.text import LiteralInput, LiteralTextArea, plain
from ..widgets.ticks import TickList
from .base import RecordScreen
from .improvement.forms import open_link_form


class BriefingScreen(KeepsUnsavedWork, RecordScreen):
    AUTO_FOCUS = "#brief-targets"
    DEFAULT_CSS = """
    BriefingScreen #brief-page { height: 1fr; padding: 0 1; }
    BriefingScreen .brief-row { height: auto; }
    BriefingScreen .brief-row Label { width: 9; color: $text-muted; }
    BriefingScreen TextArea { height: 3; width: 1fr; }
    BriefingScreen #brief-led { width: 1fr; }
    BriefingScreen SelectionList { height: auto; max-height: 8; width: 1fr; }
    BriefingScreen #brief-problem { height: auto; color: $error; text-style: bold; }
    BriefingScreen #brief-actions { height: auto; padding-left: 9; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="briefing.save", tooltip="Save the briefing and attendance"),
        Binding(
            "escape", "back", "Back", id="briefing.back", tooltip="Back to the rota; asks first if anything is unsaved"
        ),
        Binding(
            "ctrl+l",
            "link_action",
            "Link action",
            id="briefing.link_action",
            tooltip="Record that this briefing told the team of an improvement action (it starts then)",
        ),
    ]

    def __init__(self, day: date):
        super().__init__()
        self.day = day
        self.briefing: Briefing | None = None
        self._shown: dict[str, object] = {}  # the page as last drawn from the record (see unsaved)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="brief-page"):
            yield Static("", id="brief-title")
            yield Static("", id="brief-problem")
            for key, label, hint in (
                ("targets", "Targets", "today's targets: sales, CSAT, queue times"),
                ("issues", "Issues", "known problems, stock, systems, complaints"),
                ("updates", "Updates", "policy, promotions, people news"),
            ):
                with Horizontal(classes="brief-row"):
                    yield Label(label)
                    yield LiteralTextArea(
                        id=f"brief-{key}", soft_wrap=True, tab_behavior="focus", compact=True, placeholder=hint
                    )
                if key == "updates":  # what the team was told of improvement actions, read-only under the updates
                    yield Static("", id="brief-actions")
            with Horizontal(classes="brief-row"):
                yield Label("Led by")
                yield LiteralInput(id="brief-led", compact=True)
            yield Static(Text("Attended (space ticks) — everyone on shift today:", style="bold"))
            yield TickList(id="brief-attended")
            yield Static("", id="brief-missed-title")
            yield TickList(id="brief-caught-up")
        yield from self.compose_chrome()

    @property
    def attended(self) -> SelectionList[str]:
        """Everyone on shift that day, ticked if they were at the briefing."""
        return self.query_one("#brief-attended", SelectionList)

    @property
    def caught_up(self) -> SelectionList[str]:
        """Those who missed it, ticked once they have been briefed."""
        return self.query_one("#brief-caught-up", SelectionList)

    @property
    def led_by(self) -> Input:
        return self.query_one("#brief-led", Input)

    def text_box(self, key: str) -> TextArea:
        """The targets, issues or updates box."""
        return self.query_one(f"#brief-{key}", TextArea)

    def reload(self) -> None:
        super().reload()
        service = self.records.shifts
        self.briefing = service.briefing_for(self.day)
        b = self.briefing
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        on_shift = service.on_shift(self.day)
        self.query_one("#brief-title", Static).update(
            Text.assemble(
                (f"Briefing · {self.day:%A %d %B %Y}", "bold"),
                f" · {len(on_shift)} on shift",
                (" · new" if b is None else f" · {b.id} v{b.version}", "dim"),
            )
        )
        for key in ("targets", "issues", "updates"):
            self.text_box(key).text = getattr(b, key) if b else ""
        self._show_actions(b)
        self.led_by.value = b.led_by if b else self.records.login
        attended = self.attended
        attended.clear_options()
        for member_id in on_shift:
            attended.add_option(
                (plain(names.get(member_id, member_id)), member_id, bool(b and member_id in b.attended))
            )
        if on_shift:
            attended.highlighted = 0  # so the first Space ticks the first person, not just highlights them
        missed = b.still_to_catch_up(on_shift) if b else []
        caught = self.caught_up
        caught.clear_options()
        done = b.caught_up if b else {}
        for member_id in [*missed, *done]:
            when = f" (caught up {done[member_id]:%d/%m})" if member_id in done else ""
            caught.add_option((plain(names.get(member_id, member_id) + when), member_id, member_id in done))
        title = (
            f"Missed it: {len(missed)} still to catch up (tick when you have briefed them)"
            if missed
            else "Nobody on shift missed it."
            if b
            else "Save the briefing to see who missed it."
        )
        self.query_one("#brief-missed-title", Static).update(Text(title, style="bold"))
        caught.display = bool(missed or done)
        if missed or done:
            caught.highlighted = 0
        self._shown = self._typed()

    def _show_actions(self, b: Briefing | None) -> None:
        """The improvement actions told at this briefing: id, what will change, owner."""
        told = self.records.improvement.for_briefing(b.id) if b and b.id else []
        lines = [
            Text.assemble(("Improvement actions told here", "bold"), ("  (ctrl+l links one)", "dim")),
            *(Text.assemble(f"  {a.id} ", plain(a.title), " · owner ", plain(a.owner)) for a in told),
        ]
        if not told:
            lines[0] = Text(
                "Improvement actions told here: none yet (ctrl+l links one)"
                if b
                else "Improvement actions: save the briefing, then ctrl+l links one",
                style="dim",
            )
        self.query_one("#brief-actions", Static).update(Text("\n").join(lines))

    def _typed(self) -> dict[str, object]:
        return {
            **{key: self.text_box(key).text for key in ("targets", "issues", "updates")},
            "led by": self.led_by.value,
            "attendance": sorted(self.attended.selected),
            "catch-ups": sorted(self.caught_up.selected),
        }

    def unsaved(self) -> list[str]:
        return [name for name, value in self._typed().items() if value != self._shown.get(name)]

    def discard_what(self) -> str:
        return f"your changes to the briefing of {self.day:%a %d/%m}"

    def leave(self) -> None:
        self.app.pop_screen()

    @work(group="write-flow")
    async def action_save(self) -> None:
        problem = self.query_one("#brief-problem", Static)
        attended = list(self.attended.selected)
        ticked = set(self.caught_up.selected)
        previous = self.briefing.caught_up if self.briefing else {}
        caught_up = {m: previous.get(m, self.records.clock.today()) for m in ticked if m not in attended}
        fields = {key: self.text_box(key).text for key in ("targets", "issues", "updates")}
        base = (
            self.briefing.model_dump(
                include={
                    "id",
                    "version",
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "voided",
                    "void_reason",
                }
            )
            if self.briefing
            else {}
        )
        try:
            draft = Briefing.model_validate(
                {
                    **base,
                    "day": self.day,
                    "led_by": self.led_by.value,
                    "attended": attended,
                    "caught_up": caught_up,
                    **fields,
                }
            )
            saved = await write(self, self.records.shifts.save_briefing, draft)
        except ValidationError as exc:
            problem.update(plain("Not saved: " + "; ".join(explain(exc, Briefing))))
            return
        except ConflictError as exc:
            problem.update(
                plain(
                    f"Not saved: {exc.changed_by} saved this briefing meanwhile. Your text is still "
                    "here: copy what you need, press Esc and reopen to see theirs."
                )
            )
            return
        except (ValueError, StoreError) as exc:
            problem.update(plain(f"Not saved: {exc}"))
            return
        problem.update("")
        self.notify(f"Briefing {saved.id} saved: {len(saved.attended)} attended", title="Briefing")
        self.reload()

    def action_link_action(self) -> None:
        """ctrl+l: an improvement action told at this briefing (the same link as b on the action's page)."""
        if self.briefing is None or not self.briefing.id:
            self.notify("Save the briefing first (ctrl+s), then link an action to it.", title="Not linked")
        elif self.unsaved():  # linking redraws the briefing from the record: typing would be lost
            self.notify("Save your changes first (ctrl+s), then link an action.", title="Not linked")
        else:
            open_link_form(self, self.briefing)

    def action_back(self) -> None:
        self.leave_or_ask()
