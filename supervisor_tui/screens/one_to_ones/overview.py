"""One-to-ones: who has what due, each person's last meeting, open actions and objectives."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.one_to_ones import smart_gaps
from ...output import shorten
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .meeting import RecordMeetingScreen
from .member import MemberOneToOnesScreen, short_response


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

    LEGEND = (
        ("(2 late)", "open actions past their due date (shown reversed)"),
        ("(1 !)", "objectives not yet SMART: open the person to see what is missing"),
        ("LATE note", "the last note was written over two working days after the meeting"),
        ("not yet read", "they have not yet given their response to the last note"),
    )

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

    @property
    def table(self) -> LiteralTable:
        """One row per person: when you last met, open actions and objectives, their response."""
        return self.query_one("#oo-team", LiteralTable)

    def reload(self) -> None:
        super().reload()
        service = self.records.one_to_ones
        today = self.records.clock.today()
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for member in self.records.team.members():
            meetings = service.meetings_for(member.saved_id)
            actions = service.open_actions(member.saved_id)
            overdue = sum(a.overdue(today) for a in actions)
            objectives = service.open_objectives(member.saved_id)
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
        table = self.table
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
