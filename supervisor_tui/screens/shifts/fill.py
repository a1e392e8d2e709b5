"""The fill dialog: describe a slot on a day, see who could take it (best first, and why), allocate."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Static

from ...domain.allocation import Candidate
from ...domain.base import explain
from ...domain.coverage import biggest_gap
from ...domain.dates import DateInputError, parse_time
from ...domain.numbers import whole_number
from ...domain.rota import Shift
from ...output import shorten
from ...services import StoreError
from ...widgets.debounce import Debounce
from ...widgets.saving import write
from ...widgets.text import LiteralInput, LiteralSelect, LiteralTable, plain

if TYPE_CHECKING:
    from ...app import SupervisorApp
    from ...services import Records


class FillSlot(ModalScreen[Shift | None]):
    """Describe a slot; see who could take it, best first, and why; Enter allocates."""

    DEFAULT_CSS = """
    FillSlot { align: center middle; }
    FillSlot #fill-box { width: 78; max-width: 100%; height: 100%; max-height: 30; border: round $primary;
                         background: $surface; padding: 0 1; }
    FillSlot .fill-row { height: 1; }
    FillSlot .fill-row Label { width: 10; color: $text-muted; }
    FillSlot .fill-row Input, FillSlot .fill-row Select { width: 16; margin-right: 2; }
    FillSlot #fill-table { height: 1fr; }
    FillSlot #fill-why { height: auto; max-height: 4; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="fill.cancel", tooltip="Close without allocating")]

    def __init__(self, day: date):
        super().__init__()
        self.day = day
        self._ranked: list[Candidate] = []
        self._rerank = Debounce(self, 0.25, self._refresh)  # typing a time re-ranks once it stops

    @property
    def records(self) -> Records:
        return cast("SupervisorApp", self.app).records

    def _biggest_gap(self) -> tuple[str, str, str]:
        """The day's biggest gap (see ``biggest_gap``) as position, start and end; a day shift on tills
        when nothing is short."""
        gap = biggest_gap(self.records.shifts.coverage(self.day))
        if gap is None:
            return "tills", "09:00", "17:00"
        return gap.position, f"{gap.start:02d}:00", f"{gap.end % 24:02d}:00"

    def compose(self) -> ComposeResult:
        positions = [(name, name) for name in sorted(self.records.shifts.position_skills())]
        position, start, end = self._biggest_gap()
        with Vertical(id="fill-box"):
            yield Static(Text(f"Fill a slot on {self.day:%A %d %B %Y}", style="bold"))
            with Horizontal(classes="fill-row"):
                yield Label("Position")
                yield LiteralSelect(
                    positions,
                    value=position if position in dict(positions).values() else positions[0][1],
                    id="fill-position",
                    compact=True,
                    allow_blank=False,
                )
                yield Label("Start")
                yield LiteralInput(start, id="fill-start", compact=True)
            with Horizontal(classes="fill-row"):
                yield Label("Break min")
                yield LiteralInput("30", id="fill-break", compact=True)
                yield Label("End")
                yield LiteralInput(end, id="fill-end", compact=True)
            yield Static("", id="fill-status")
            table = LiteralTable(id="fill-table", cursor_type="row")
            table.add_column("Who", width=16)
            table.add_column("Score", width=5)
            table.add_column("Why (or why not)")
            yield table
            yield Static("", id="fill-why")
            yield Static(Text("Tab between fields · ↑↓ choose · Enter allocates · Esc cancels", style="dim"))

    @property
    def table(self) -> LiteralTable:
        """The ranked candidates."""
        return self.query_one("#fill-table", LiteralTable)

    def on_mount(self) -> None:
        self._refresh()
        self.table.focus()

    def _slot(self) -> Shift:
        try:
            brk = whole_number(self.query_one("#fill-break", Input).value.strip() or "0")
        except ValueError as exc:
            raise DateInputError(f"Break: {exc}") from None
        try:
            start = parse_time(self.query_one("#fill-start", Input).value)
            end = parse_time(self.query_one("#fill-end", Input).value)
        except DateInputError as exc:
            raise DateInputError(f"Times: {exc}") from None
        try:
            return Shift(
                member_id="?",
                day=self.day,
                start=start,
                end=end,
                break_minutes=brk,
                position=str(self.query_one("#fill-position", Select).value),
            )
        except ValidationError as exc:
            raise DateInputError("; ".join(explain(exc, Shift))) from None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.has_focus:  # typed by the person (not the first values, set as the dialog opens)
            self._rerank.poke()

    @on(Select.Changed)
    def _refresh(self) -> None:
        table = self.table
        status = self.query_one("#fill-status", Static)
        table.clear()
        try:
            slot = self._slot()
        except DateInputError as exc:
            self._ranked = []
            status.update(plain(exc, "bold"))
            return
        self._ranked = self.records.shifts.candidates(slot)
        open_count = sum(c.available for c in self._ranked)
        status.update(Text(f"{open_count} can take it; {len(self._ranked) - open_count} cannot (listed last)"))
        for c in self._ranked:
            style = "" if c.available else "dim strike"
            why = c.summary() if c.available else "cannot: " + "; ".join(c.blockers)
            table.add_row(
                plain(shorten(c.member.name, 16), style),
                Text(f"{c.score:g}", style=style),
                plain(why, "" if c.available else "dim"),
                key=c.member.id,
            )
        self._show_why()

    @on(DataTable.RowHighlighted, "#fill-table")
    def _show_why(self) -> None:
        why = self.query_one("#fill-why", Static)
        if not self._ranked or not self.table.row_count:
            why.update("")
            return
        c = self._ranked[self.table.cursor_row]
        text = c.summary() if c.available else "Cannot take it: " + "; ".join(c.blockers)
        why.update(plain(f"{c.member.name}: {text}"))

    @on(DataTable.RowSelected, "#fill-table")
    @work(group="write-flow")
    async def _allocate(self) -> None:
        if self._rerank.flush():  # typed and pressed Enter at once: show the new ranking before allocating
            return
        if not self._ranked:
            return
        candidate = self._ranked[self.table.cursor_row]
        if not candidate.available:
            self.notify(
                f"{candidate.member.name} cannot take this: " + "; ".join(candidate.blockers),
                severity="warning",
                title="Not allocated",
            )
            return
        try:
            saved = await write(self, self.records.shifts.allocate, self._slot(), candidate)
        except (ValueError, StoreError) as exc:  # a bad slot, or a rule such as "before they started"
            self.notify(str(exc), severity="error", title="Not allocated")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
