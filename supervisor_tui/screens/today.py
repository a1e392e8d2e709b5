"""Today: the first screen. What needs doing, from every section, most urgent first; Enter opens the
record a line is about, and Esc comes back here. It redraws when another session saves (the lines are
worked out in a worker: what is due for erasure reads every record)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from ..services.today import OVERDUE, SOON, TODAY, Line
from ..services.today import Today as TodayView
from ..widgets.text import LiteralTable, plain
from .base import RecordScreen

if TYPE_CHECKING:
    from ..app import SupervisorApp

STYLES = {OVERDUE: "bold reverse", TODAY: "bold", SOON: "", 3: "dim"}
# The page Enter opens for each kind of line, on top of Today (a "section" line opens that section).
PAGES = {
    "complaint": "screens.complaints:ComplaintPage",
    "member": "screens.team:MemberScreen",
    "one_to_ones": "screens.one_to_ones:MemberOneToOnesScreen",
    "quality": "screens.quality:MemberQualityScreen",
    "sar": "screens.data_protection.requests:RequestsScreen",
    "day": "screens.shifts:DayScreen",
    "briefing": "screens.briefing:BriefingScreen",
    "improvement": "screens.improvement:ActionPage",
}


class TodayScreen(RecordScreen):
    AUTO_FOCUS = "#today-table"
    LOADS_IN_BACKGROUND = True
    DEFAULT_CSS = """
    TodayScreen #today-table { height: 1fr; }
    TodayScreen #today-detail { height: auto; max-height: 4; padding: 0 1; background: $surface; }
    """
    LEGEND = (
        ("!!", "late: a breached clock, an overdue action, review or request, a rota line that breaks the law today"),
        ("!", "for today: who is on now and next, cover, the briefing, what falls due today"),
        ("·", "this week: clocks at risk, catch-ups, notes unread, checks short, requests and erasures due"),
    )
    BINDINGS = [
        Binding(
            "o",
            "open",
            "Open",
            id="today.open",
            tooltip="Open the record, day or person the highlighted line is about (Enter does the same)",
        ),
        Binding(
            "r",
            "report",
            "Report",
            id="today.report",
            tooltip="The manager's report: last month beside the month before (a week or a quarter too)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: TodayView | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="today-title", classes="section-title")
        table = LiteralTable(id="today-table", cursor_type="row", zebra_stripes=True)
        # 2 + 10 + 62 plus a cell of padding each side: 80 columns; the detail line shows a long line whole.
        table.add_column("", key="mark", width=2)
        table.add_column("About", key="part", width=10)
        table.add_column("What", key="what", width=62)
        yield table
        yield Static("", id="today-detail", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        return self.query_one("#today-table", LiteralTable)

    # -- reading and drawing ---------------------------------------------------------------------
    def reload(self) -> None:
        """Always read in the background: the lines come from every section."""
        self._show_chrome(self.records.store.head[0])
        if self.shown is None:
            self.query_one("#today-title", Static).update(Text("Reading today's work…", style="italic"))
        self.reload_in_background()

    def load(self) -> TodayView:
        return self.records.today.view()

    def show(self, data: TodayView) -> None:
        self.shown = data
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for index, line in enumerate(data.lines):
            style = STYLES[line.urgency]
            table.add_row(
                Text(line.mark, style=style),
                plain(line.part, style),
                plain(line.text, style if line.urgency == OVERDUE else ""),
                key=str(index),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        counts = data.counts()
        self.query_one("#today-title", Static).update(
            Text.assemble(
                (f"Today · {data.day:%a %d %b %Y}", "bold"),
                " · ",
                (f"{counts[OVERDUE]} overdue", "bold reverse" if counts[OVERDUE] else ""),
                f" · {counts[TODAY]} today · {counts[SOON]} soon",
            )
        )
        self._describe()

    @on(DataTable.RowHighlighted, "#today-table")
    def _describe(self) -> None:
        detail = self.query_one("#today-detail", Static)
        line = self._line()
        if line is None:
            detail.update(Text("Nothing needs doing today.", style="italic"))
            return
        total = self.table.row_count
        row = self.table.cursor_row + 1
        below = total - row
        where = f"line {row} of {total}" + (f" · {below} more below (↓, PgDn)" if below else "")
        opens = " · Enter opens it" if line.target else ""
        detail.update(Text.assemble(plain(line.text), "\n", (where + opens, "dim")))

    def _line(self) -> Line | None:
        data, table = self.shown, self.table
        if data is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return data.lines[int(key)] if key is not None and int(key) < len(data.lines) else None

    # -- going to the record ---------------------------------------------------------------------
    @on(DataTable.RowSelected, "#today-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        line = self._line()
        if line is None or line.target is None:
            return
        kind, ident = line.target
        app = cast("SupervisorApp", self.app)
        if kind == "section":
            app.switch_mode(ident)
            return
        page = PAGES[kind]
        argument: object = date.fromisoformat(ident) if kind in ("day", "briefing") else ident
        # Opened on top of Today, so Esc comes back here with the list as it was.
        app.open_page(page, argument)

    def action_report(self) -> None:
        cast("SupervisorApp", self.app).action_report()
