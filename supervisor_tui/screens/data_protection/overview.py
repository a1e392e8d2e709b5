"""Data protection: what is due for erasure under the retention schedule (by person and kind), legal
holds, and the schedule itself; erasure on request. Every erasure is previewed and confirmed with a
reason first (UK GDPR Arts. 5(1)(e), 17, 18)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from ...domain.retention import LegalHold, Period, show_period
from ...output import shorten, visible_lines
from ...services.data_protection import Group, Preview
from ...widgets.prompt import ReasonPrompt
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .flows import change_then_tell, erase_with_preview
from .flows import hold as place_hold

View = Literal["due", "holds", "schedule"]
TITLES = {"due": "Due for erasure", "holds": "Legal holds", "schedule": "Retention schedule"}


@dataclass
class Shown:
    due: list[Group]
    holds: list[LegalHold]
    periods: dict[str, Period]
    today: date


class DataProtectionScreen(RecordScreen):
    AUTO_FOCUS = "#dp-table"
    LOADS_IN_BACKGROUND = True  # what is due reads every record, sealed ones included
    DEFAULT_CSS = """
    DataProtectionScreen #dp-table { height: 1fr; }
    DataProtectionScreen #dp-about { height: auto; max-height: 6; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("d", "view('due')", "Due", id="data_protection.due", tooltip="Personal data due for erasure"),
        Binding("h", "view('holds')", "Holds", id="data_protection.holds", tooltip="Legal holds in force"),
        Binding("s", "view('schedule')", "Schedule", id="data_protection.schedule", tooltip="The retention schedule"),
        Binding(
            "x",
            "act",
            "Erase/lift/set",
            id="data_protection.act",
            show=False,  # Enter does the same
            tooltip="Due: preview and erase the highlighted group. Holds: lift it. Schedule: change the period "
            "(Enter does the same)",
        ),
        Binding(
            "e",
            "erase_on_request",
            "On request",
            id="data_protection.request",
            tooltip="Erase a customer's or a former member's data on their request (Art. 17): preview first",
        ),
        Binding(
            "r",
            "requests",
            "Requests",
            id="data_protection.requests",
            tooltip="Subject access requests (Art. 15): the log and each one's time limit (Art. 12(3))",
        ),
        Binding(
            "H",
            "place_hold",
            "Hold",
            id="data_protection.place_hold",
            show=False,
            tooltip="Put a member or a record on legal hold (a claim, a referral, a grievance)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: View = "due"
        self.shown: Shown | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="dp-title", classes="section-title")
        yield LiteralTable(id="dp-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="dp-about")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        return self.query_one("#dp-table", LiteralTable)

    # -- reading and drawing ---------------------------------------------------------------------
    def reload(self) -> None:
        """Always read in the background: what is due reads every record, sealed ones included (about
        half a second on five years of rota), and the section must open and answer keys at once."""
        self._show_chrome(self.records.store.head[0])
        if self.shown is None:
            self.query_one("#dp-title", Static).update(Text("Reading what is due for erasure…", style="italic"))
        self.reload_in_background()

    def load(self) -> Shown:
        service = self.records.data_protection
        return Shown(service.due(), service.holds(), service.periods(), self.records.clock.today())

    def show(self, data: Shown) -> None:
        self.shown = data
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        getattr(self, f"_draw_{self.view}")(data, table)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        due = sum(len(g.items) for g in data.due)
        held = len(data.holds)
        self.query_one("#dp-title", Static).update(
            Text.assemble(
                (TITLES[self.view], "bold"),
                " · ",
                (f"{due} record(s) due for erasure", "bold reverse" if due else ""),
                f" · {held} hold(s) in force",
            )
        )
        self._describe_highlighted()

    def _draw_due(self, data: Shown, table: LiteralTable) -> None:
        # 18+26+5+10+13 plus a cell of padding each side: 82 -> the last column is cut to fit 80.
        for label, width in (("Whose", 18), ("Kind", 24), ("Recs", 4), ("Due since", 10), ("State", 12)):
            table.add_column(label, width=width)
        for index, group in enumerate(data.due):
            first_due = min((i.due for i in group.items if i.due), default=None)
            state = f"{len(group.kept)} kept" if group.kept else ""
            table.add_row(
                plain(shorten(group.person, 18)),
                plain(shorten(group.kind.title, 24)),
                str(len(group.items)),
                f"{first_due:%d/%m/%Y}" if first_due else "—",
                Text(state, style="bold" if group.kept else ""),
                key=str(index),
            )

    def _draw_holds(self, data: Shown, table: LiteralTable) -> None:
        for label, width in (("Hold", 8), ("Held", 8), ("Placed", 10), ("Why", 44)):
            table.add_column(label, width=width)
        for hold in data.holds:
            table.add_row(
                hold.id or "",
                plain(hold.subject),
                f"{hold.placed_on:%d/%m/%Y}",
                plain(shorten(hold.reason, 44)),
                key=hold.id,
            )

    def _draw_schedule(self, data: Shown, table: LiteralTable) -> None:
        for label, width in (("Kind", 40), ("Kept for", 10), ("Least", 10), ("", 6)):
            table.add_column(label, width=width)
        for key, period in data.periods.items():
            table.add_row(
                plain(period.kind.title),
                period.text,
                show_period(period.minimum) if period.minimum else "",
                "" if period.is_default else "set",
                key=key,
            )

    @on(DataTable.RowSelected, "#dp-table")
    def _selected(self) -> None:
        self.action_act()

    def on_data_table_row_highlighted(self, _event: object) -> None:
        self._describe_highlighted()

    def _describe_highlighted(self) -> None:
        about = self.query_one("#dp-about", Static)
        data, row = self.shown, self._row_key()
        if data is None or row is None:
            about.update(self._empty_text())
            return
        if self.view == "due":
            group = data.due[int(row)]
            lines = [f"{group.kind.title}, {group.person}: {len(group.items)} record(s) past their period."]
            lines += [f"kept: {k.item.record.id}: {k.why}" for k in group.kept[:2]]
            lines.append(f"Kept after erasure: {group.kind.kept}.")
        elif self.view == "holds":
            hold = next(h for h in data.holds if h.id == row)
            lines = [f"{hold.id} on {hold.subject} since {hold.placed_on:%d/%m/%Y}: {hold.reason}"]
            lines.append("Nothing about it is erased, on schedule or on request, until the hold is lifted.")
        else:
            lines = [self.records.data_protection.describe(row)]
        about.update(Text(visible_lines(lines)))

    def _empty_text(self) -> Text:
        if self.view == "due":
            return plain(
                "Nothing is due for erasure under the schedule. 'e' erases on request; 's' shows the schedule."
            )
        if self.view == "holds":
            return plain("No legal holds in force. 'H' places one (a claim, an Ombudsman referral, a grievance).")
        return plain("")

    def _row_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -- actions ---------------------------------------------------------------------------------
    def action_view(self, view: View) -> None:
        self.view = view
        if self.shown is not None:
            self.show(self.shown)

    def action_act(self) -> None:
        row, data = self._row_key(), self.shown
        if row is None or data is None:
            return
        if self.view == "due":
            group = data.due[int(row)]
            if not group.items:
                self.notify("Nothing in this group can be erased now: the reasons are below.", title="Data protection")
                return
            erase_with_preview(self, Preview(f"{group.person} ({group.kind.title.lower()})", group.items, group.kept))
        elif self.view == "holds":
            self._lift(next(h for h in data.holds if h.id == row))
        else:
            self._change_period(row)

    def action_requests(self) -> None:
        from .requests import RequestsScreen

        self.app.push_screen(RequestsScreen())

    def action_erase_on_request(self) -> None:
        def asked(name: str | None) -> None:
            if name is None:
                return
            service = self.records.data_protection
            try:
                preview = service.on_request(name)
            except ValueError as exc:
                self.notify(str(exc), severity="error", title="Nothing to erase")
                return
            erase_with_preview(self, preview)

        self.app.push_screen(
            ReasonPrompt(
                "Whose data? A customer's name as the complaint log has it, or a former member's name or number.",
                "name",
                needed="Give a name (or a member's number).",
            ),
            asked,
        )

    def action_place_hold(self) -> None:
        def asked_subject(subject: str | None) -> None:
            if subject is not None:
                place_hold(self, subject.strip().upper())

        self.app.push_screen(
            ReasonPrompt(
                "Hold whose data? A member's number (M-0003) or a record's (C-0012).",
                "number",
                needed="Give the number of the member or record to hold.",
            ),
            asked_subject,
        )

    def _lift(self, hold: LegalHold) -> None:
        def answered(reason: str | None) -> None:
            if reason is not None:
                change_then_tell(
                    self,
                    "Not lifted",
                    lambda _lifted: (f"{hold.id} lifted.", "Data protection"),
                    self.records.data_protection.lift_hold,
                    hold,
                    reason,
                )

        self.app.push_screen(ReasonPrompt(f"Lift {hold.id} on {hold.subject}? Why (the claim settled, …)?"), answered)

    def _change_period(self, key: str) -> None:
        service = self.records.data_protection
        period = service.periods()[key]

        def asked(text: str | None) -> None:
            if text is not None:
                change_then_tell(
                    self,
                    "Not changed",
                    lambda changed: (f"{changed.kind.title}: kept for {changed.text}.", "Retention schedule"),
                    service.set_period,
                    key,
                    text,
                    f"retention.{key} set from the app",
                )

        self.app.push_screen(
            ReasonPrompt(
                f"{period.kind.title}: kept for {period.text} now. New period?",
                "e.g. 6 months, 3 years",
                needed="Give a period, e.g. 6 months or 3 years.",
            ),
            asked,
        )
