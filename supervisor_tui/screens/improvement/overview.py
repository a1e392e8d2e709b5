"""Improvement: every action by stage, overdue reviews first, each with its measure's before -> now;
n plans one, Enter opens its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from ...domain.improvement import STAGE_WORDS, ImprovementAction
from ...domain.measures import Comparison
from ...output import shorten
from ...widgets.search import SearchBox
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .cells import GROUPS, LATE_MARK, change_cell, group_of, review_cell, stage_cell
from .page import ActionPage
from .plan_form import open_plan_form

HEADING = "group:"  # the key of a group's heading row (an action's row is keyed by its id)


@dataclass(frozen=True)
class Row:
    action: ImprovementAction
    comparison: Comparison | None
    source: str  # what prompted it, in words
    measure: str  # the measure, in words


@dataclass(frozen=True)
class Shown:
    """What the list shows, read off the UI thread (see RecordScreen.load)."""

    rows: list[Row]  # those matching the search, in list order
    total: int
    today: date


class ImprovementScreen(RecordScreen):
    AUTO_FOCUS = "#ia-table"
    LOADS_IN_BACKGROUND = True
    DEFAULT_CSS = """
    ImprovementScreen #ia-table { height: 1fr; }
    """
    BINDINGS = [
        Binding(
            "n",
            "plan",
            "Plan",
            id="improvement.plan",
            tooltip="Plan an improvement action: what prompted it, a SMART objective, the measure and its baseline",
        ),
        Binding("enter", "open", "Open", id="improvement.open", show=False, tooltip="Open the action's page"),
        Binding(
            "slash",
            "search",
            "Search",
            id="improvement.search",
            tooltip="Search the id, what will change, owner, stage, what prompted it and the measure",
        ),
    ]
    LEGEND = (
        *((GROUPS[stage], f"group: {words}") for stage, words in STAGE_WORDS.items()),
        ("Review overdue", "group, listed first: the review date has passed and it has not been reviewed"),
        (LATE_MARK, "after the review date: it has passed, not reviewed"),
        ("Review", "when it is to be reviewed; once reviewed or decided, the day it was"),
        ("Before→now", "the measure before the change, and at the review (or so far, once the weeks measured allow)"),
        ("/mo", "a count a month (complaints); % a share or average; +12 an NPS"),
        ("too few", "too few cases behind the figures to call it better or worse"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.search = ""  # what the search box holds, kept here so load() never reads a widget
        self.shown: Shown | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="ia-title", classes="section-title")
            yield SearchBox("#ia-table", placeholder="/ search", id="ia-search", classes="search")
        table = LiteralTable(id="ia-table", cursor_type="row")
        # 7+26+9+10+18 plus a cell of padding each side: exactly 80 columns.
        for label, width in (("Id", 7), ("What will change", 26), ("Stage", 9), ("Review", 10), ("Before→now", 18)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="ia-detail", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The actions, a heading row before each group."""
        return self.query_one("#ia-table", LiteralTable)

    @property
    def search_box(self) -> Input:
        """What '/' types into: it narrows the list as you type."""
        return self.query_one("#ia-search", Input)

    # -- reading and drawing ---------------------------------------------------------------------
    def load(self) -> Shown:
        service = self.records.improvement
        today = self.records.clock.today()
        actions = service.listed(today)
        rows = [
            Row(a, service.comparison(a), service.source_label(a.source), service.measure_label(a.measure))
            for a in actions
        ]
        needle = self.search.strip().casefold()
        if needle:
            rows = [r for r in rows if needle in _searched(r)]
        return Shown(rows, len(actions), today)

    def show(self, data: Shown) -> None:
        self.shown = data
        table = self.table
        keep = self._highlighted_key()
        table.clear()
        group = None
        for row in data.rows:
            a = row.action
            if group_of(a, data.today) != group:
                group = group_of(a, data.today)
                count = sum(group_of(r.action, data.today) == group for r in data.rows)
                table.add_row("", Text(f"{GROUPS[group]} ({count})", style="bold"), "", "", "", key=HEADING + group)
            table.add_row(
                a.id,
                plain(shorten(a.title, 26)),
                stage_cell(a),
                Text(review_cell(a, data.today), style="bold reverse" if a.review_late(data.today) else ""),
                change_cell(a, row.comparison),
                key=a.id,
            )
        if keep and keep in {r.action.id for r in data.rows}:
            table.move_cursor(row=table.get_row_index(keep))
        elif table.row_count > 1:
            table.move_cursor(row=1)  # the first action, under its group's heading
        late = sum(r.action.review_late(data.today) for r in data.rows)
        deciding = sum(r.action.stage == "check" for r in data.rows)
        shown = (
            f"{len(data.rows)} of {data.total} shown"
            if self.search.strip()
            else f"{data.total} action{'s' if data.total != 1 else ''}"
        )
        self.query_one("#ia-title", Static).update(
            Text.assemble(
                f"{shown} · ",
                (f"{late} review{'s' if late != 1 else ''} late", "bold reverse" if late else ""),
                f" · {deciding} to decide",
            )
        )
        self._describe()

    def _highlighted_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _highlighted(self) -> Row | None:
        key, data = self._highlighted_key(), self.shown
        if key is None or data is None:
            return None
        return next((r for r in data.rows if r.action.id == key), None)

    @on(DataTable.RowHighlighted, "#ia-table")
    def _describe(self) -> None:
        detail = self.query_one("#ia-detail", Static)
        row, key = self._highlighted(), self._highlighted_key() or ""
        if row is None:
            if key.startswith(HEADING):
                stage = key.removeprefix(HEADING)
                words = next((w for s, w in STAGE_WORDS.items() if s == stage), "")
                detail.update(Text(words or "Reviews overdue: review them (r on the page) or say why not.", "italic"))
            elif self.shown is not None and not self.shown.total:
                detail.update(Text("No improvement actions yet. n plans one.", style="italic"))
            else:
                detail.update(Text("None matches the search.", style="italic"))
            return
        a, comparison = row.action, row.comparison
        figures = comparison.text() if comparison is not None else f"before {a.baseline.figure(a.measure).text()}"
        detail.update(
            Text.assemble(
                ("Prompted by: ", "bold"),
                plain(row.source),
                ("  Owner: ", "bold"),
                plain(a.owner),
                "\n",
                plain(row.measure[:1].upper() + row.measure[1:], "bold"),
                ": ",
                figures,
            )
        )

    # -- keys ------------------------------------------------------------------------------------
    @on(Input.Changed, "#ia-search")
    def _search(self, event: Input.Changed) -> None:
        self.search = event.value
        self.reload()

    @on(DataTable.RowSelected, "#ia-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self._highlighted()
        if row is not None:
            self.app.push_screen(ActionPage(row.action.saved_id))

    def action_search(self) -> None:
        self.set_focus(self.search_box)  # at once, so the letters typed right behind / land in the box

    def action_plan(self) -> None:
        open_plan_form(self)


def _searched(row: Row) -> str:
    """What '/' matches: the id, what will change, owner, stage, what prompted it, the measure."""
    a = row.action
    return " ".join((a.id or "", a.title, a.owner, a.stage_text(), row.source, row.measure)).casefold()
