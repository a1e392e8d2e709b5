"""Complaints: the open ones by urgency, searchable, with root causes and categories for a period."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import zip_longest

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from ...output import shorten
from ...widgets.search import SearchBox
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from ..improvement.forms import pick_and_plan
from .cells import clock_cell, search_text
from .forms import open_log_form, open_period_form, open_policy_form
from .page import ComplaintPage


def _bars(counts: list[tuple[str, int]], width: int = 38) -> list[Text]:
    """'██████  3 process' lines, each at most ``width`` wide, the longest bar for the largest count."""
    top = max([n for _, n in counts] or [1])
    return [
        Text.assemble(f"{'█' * max(1, round(10 * n / top)):<10}{n:>3} ", plain(shorten(label, width - 14)))
        for label, n in counts
    ]


class ComplaintsScreen(RecordScreen):
    AUTO_FOCUS = "#cp-table"
    DEFAULT_CSS = """
    ComplaintsScreen #cp-table { height: 1fr; }
    ComplaintsScreen #cp-chart { height: auto; max-height: 7; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("a", "log", "Log", id="complaints.log", tooltip="Log a new complaint"),
        Binding(
            "slash",
            "search",
            "Search",
            id="complaints.search",
            tooltip="Search customer, category, owner, stage, text; or 'breached', 'at risk', 'overdue'",
        ),
        Binding("c", "toggle_closed", "Closed", id="complaints.closed", tooltip="Show or hide closed complaints"),
        Binding(
            "p",
            "period",
            "Period",
            id="complaints.period",
            tooltip="The period the root-cause and category counts cover",
        ),
        Binding(
            "i",
            "improve",
            "Improve",
            id="complaints.improve",
            show=False,  # the chart's heading says it
            tooltip="Plan an improvement action from a root cause: the chart's counts first",
        ),
        Binding(
            "P",
            "policy",
            "Policy",
            id="complaints.policy",
            show=False,
            tooltip="Deadline policy: acknowledgement and response times, FCA rules",
        ),
    ]

    LEGEND = (
        ("Lv", "escalation level: 0 first line, higher once escalated (the page says to whom)"),
        ("Clock", "the deadline that matters now and its date, or after the response the follow-up"),
        ("breached", "past its deadline (shown reversed); listed first"),
        ("at risk", "its deadline is a business day or less away (the deadline policy, P, sets how many)"),
        ("running", "within its deadline"),
        ("paused", "waiting on the customer: a business-day deadline moves by the days waited"),
        ("met late", "answered, but after the deadline"),
        ("follow up", "responded: the follow-up date with the customer ('follow-up late' once it has passed)"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.show_closed = False
        self.period: tuple[date, date] | None = None  # None: the last 90 days, whatever today is

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="cp-title", classes="section-title")
            yield SearchBox("#cp-table", placeholder="/ search", id="cp-search", classes="search")
        table = LiteralTable(id="cp-table", cursor_type="row", zebra_stripes=True)
        # 6+8+12+10+13+2+15 plus a cell of padding each side: exactly 80 columns.
        for label, width in (
            ("Ref", 6),
            ("Received", 8),
            ("Customer", 12),
            ("Category", 10),
            ("Stage", 13),
            ("Lv", 2),
            ("Clock", 15),
        ):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="cp-chart")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """Open complaints, most urgent first (and closed ones after them when shown)."""
        return self.query_one("#cp-table", LiteralTable)

    @property
    def search_box(self) -> Input:
        """What '/' types into: it narrows the list as you type."""
        return self.query_one("#cp-search", Input)

    def reload(self) -> None:
        super().reload()
        service = self.records.complaints
        today = self.records.clock.today()
        needle = self.search_box.value.strip().lower()
        rows = service.open_by_urgency(today)
        if self.show_closed:
            rows += service.closed()
        cells = [(c, clock_cell(service, c, today)) for c in rows]
        if needle:
            cells = [(c, cell) for c, cell in cells if needle in search_text(c, cell[0])]
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for c, (text, style) in cells:
            table.add_row(
                c.id,
                f"{service.received_day(c):%d/%m/%y}",
                plain(shorten(c.customer_name, 12)),
                plain(shorten(c.category, 10)),
                c.stage,
                str(c.level),
                Text(text, style=style),
                key=c.id,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        breached = sum(text.startswith("breached") for _, (text, _) in cells)
        at_risk = sum(text.startswith("at risk") for _, (text, _) in cells)
        self.query_one("#cp-title", Static).update(
            Text.assemble(
                f"{len(cells)} {'shown' if needle or self.show_closed else 'open'} · ",
                (f"{breached} breached", "bold reverse" if breached else ""),
                f" · {at_risk} at risk",
            )
        )
        self.query_one("#cp-chart", Static).update(self._chart(today))

    def _chart(self, today: date) -> Text:
        """Root causes (of those resolved) and categories as bars side by side, for the chosen
        period: where to improve."""
        first, last = self.period or (today - timedelta(days=90), today)
        causes, categories = self.records.complaints.counts(first, last)
        span = "last 90 days" if self.period is None else f"{first:%d/%m/%y}–{last:%d/%m/%y}"
        lines = [
            Text.assemble(
                (f"Received {span}", "bold"),
                (" (p: period · i: improve)", "dim"),
                " — root causes",
                (" · ", "dim"),
                "categories",
            )
        ]
        if not categories:
            return Text("\n").join([*lines, Text("No complaints received in this period.", style="dim")])
        for cause, category in zip_longest(
            _bars(causes.most_common(4)), _bars(categories.most_common(4)), fillvalue=Text("")
        ):
            cause.pad_right(39 - cause.cell_len)
            lines.append(cause + category)
        unknown = sum(categories.values()) - sum(causes.values())
        if unknown:
            lines.append(Text(f"{unknown} not resolved yet, so no root cause", style="dim"))
        return Text("\n").join(lines)

    @on(Input.Changed, "#cp-search")
    def _search(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#cp-table")
    def _open(self) -> None:
        table = self.table
        if table.row_count:
            complaint_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if complaint_id is not None:  # every row is keyed by its complaint's id
                self.app.push_screen(ComplaintPage(complaint_id))

    def action_search(self) -> None:
        self.set_focus(self.search_box)  # at once, so the letters typed right behind / land in the box

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload()

    def action_period(self) -> None:
        open_period_form(self)

    def action_policy(self) -> None:
        open_policy_form(self)

    def action_log(self) -> None:
        open_log_form(self)

    def action_improve(self) -> None:
        """A root cause to plan an improvement action from: those counted for the chart's period first."""
        today = self.records.clock.today()
        first, last = self.period or (today - timedelta(days=90), today)
        causes, _ = self.records.complaints.counts(first, last)
        counted = [(f"{cause} ({n} in the period)", cause) for cause, n in causes.most_common()]
        others = [(label, cause) for label, cause in self.records.improvement.source_choices("root cause")]
        options = counted + [(label, cause) for label, cause in others if cause not in causes]
        pick_and_plan(
            self,
            "Plan an improvement action from a root cause",
            "Root cause",
            options,
            self.records.improvement.draft_from_root_cause,
        )
