"""The manager's report on screen: the same report ``supervisor-tui report`` prints, for a month, a week or a
quarter, stepped with [ and ], switched with m, and written as HTML (charts and all) with w.

Opened from Today (r) or the command palette. The report reads every section over two periods, so it is
worked out in a worker (RecordScreen.load) and the screen keeps answering keys meanwhile; it is worked out
again when another session saves. Everything typed in it (names, categories, root causes) is shown as
literal text (widgets.text.plain): the report's own headings and tables give it its shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..domain.periods import Window, last_full_month
from ..domain.report import FEW, KINDS, period_after, period_containing, period_kind
from ..output import Table
from ..services import StoreError
from ..services.report import Report
from ..widgets.text import plain
from .base import RecordScreen

if TYPE_CHECKING:
    from ..output import DocumentBlock


NARROW = 4  # columns a table can have and still fit 80 columns side by side


class ReportScreen(RecordScreen):
    """The report for one period. Push it (``app.push_screen(ReportScreen())``): Esc goes back."""

    AUTO_FOCUS = "#report-body"
    LOADS_IN_BACKGROUND = True
    DEFAULT_CSS = """
    ReportScreen #report-body { height: 1fr; padding: 0 1; }
    """
    LEGEND = (
        ("↑ ↓ →", "up, down or the same as the previous period of the same kind, with how much"),
        (FEW, "the change rests on fewer than 5 cases on one side or the other: it may be chance"),
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="report.back", tooltip="Back to where you were"),
        Binding(
            "left_square_bracket", "step(-1)", "Previous", id="report.previous", tooltip="The period before this one"
        ),
        Binding("right_square_bracket", "step(1)", "Next", id="report.next", tooltip="The period after this one"),
        Binding("m", "kind", "Kind", id="report.kind", tooltip="Switch between a month, an ISO week and a quarter"),
        Binding(
            "w",
            "write",
            "Write HTML",
            id="report.write",
            tooltip="Write this report as a web page with its charts, to print or send (readable by you only)",
        ),
    ]

    def __init__(self, window: Window | None = None) -> None:
        super().__init__()
        self.window = window
        self.shown: Report | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="report-title", classes="section-title")
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-text")
        yield from self.compose_chrome()

    # -- reading and drawing ---------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.window is None:
            self.window = last_full_month(self.records.clock.today())
        super().on_mount()

    def reload(self) -> None:
        """Always in the background: the report reads every section over two periods."""
        self._show_chrome(self.records.store.head[0])
        self._title(f"Working out the report for {self._window.shown()}…", "italic")
        self.reload_in_background()

    @property
    def _window(self) -> Window:
        assert self.window is not None, "set on mount"
        return self.window

    def load(self) -> Report:
        return self.records.report.build(self._window)

    def show(self, data: Report) -> None:
        if data.window != self.window:
            return  # read for a period since stepped away from: the new one's is on its way
        self.shown = data
        so_far = " · so far" if data.so_far else ""
        self._title(f"{data.title}{so_far}", "bold")
        self.query_one("#report-text", Static).update(Group(*_renderables(data.blocks()[1:])))

    def _title(self, text: str, style: str) -> None:
        self.query_one("#report-title", Static).update(plain(text, style))

    # -- keys --------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_step(self, by: int) -> None:
        window = self._window.previous() if by < 0 else period_after(self._window)
        if window.first > self.records.clock.today():
            self.notify(f"{window.name} has not started yet.", title="Team report", severity="warning")
            return
        self._go(window)

    def action_kind(self) -> None:
        kinds = list(KINDS)
        kind = kinds[(kinds.index(period_kind(self._window)) + 1) % len(kinds)]
        self._go(period_containing(kind, min(self._window.last, self.records.clock.today())))

    def _go(self, window: Window) -> None:
        self.window = window
        self.query_one("#report-body", VerticalScroll).scroll_home(animate=False)
        self.reload()

    @work(thread=True, exclusive=True, group="write")
    def action_write(self) -> None:
        """Off the UI thread, like the evidence pack: says where the file went, or why it did not."""
        report = self.shown
        if report is None:
            self.notify("The report is still being worked out; try again in a moment.", title="Team report")
            return
        try:
            path = self.records.report.save_html(report)
        except (StoreError, OSError, ValueError) as exc:
            self.notify(str(exc), severity="error", title="Report not written")
            return
        self.notify(f"Written to {path} (readable by you only).", title="Team report", timeout=20)


def _renderables(blocks: list[DocumentBlock]) -> list[RenderableType]:
    """The report's blocks as Rich renderables: what people typed is literal text, charts are left out
    (their figures are in the tables)."""
    out: list[RenderableType] = []
    for kind, value in blocks:
        if isinstance(value, Table):
            out.append(_table(value))
        elif kind == "h2" and isinstance(value, str):
            out += [Text(""), plain(value.upper(), "bold")]
        elif kind == "h3" and isinstance(value, str):
            out += [Text(""), plain(value, "bold")]
        elif kind == "li" and isinstance(value, str):
            out.append(Text.assemble("• ", plain(value)))
        elif kind == "p" and isinstance(value, str):
            out.append(plain(value))
    return out


def _table(table: Table) -> RenderableType:
    """A narrow table as columns; a wide one (quality by person, by criterion, the clocks) row by row, each
    figure named, so at 80 columns nothing is squeezed out of sight."""
    if len(table.header) > NARROW:
        return Group(*(_row(table.header, row) for row in table.rows))
    shown = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, padding=(0, 1, 0, 0))
    for index, column in enumerate(table.header):
        # What a row is about keeps its words whole where it can (a name, a rule); the figures fold.
        words = [len(word) for row in table.rows for word in row[index].split()] if index == 0 else []
        shown.add_column(plain(column, "bold"), overflow="fold", min_width=min(max(words, default=1), 12))
    for row in table.rows:
        shown.add_row(*(plain(cell) for cell in row))
    return shown


def _row(header: tuple[str, ...], row: tuple[str, ...]) -> RenderableType:
    figures = [Text.assemble((f"{name}: ", "dim"), plain(cell)) for name, cell in zip(header[1:], row[1:], strict=True)]
    return Group(plain(row[0], "bold"), Padding(Text(" · ").join(figures), (0, 0, 0, 2)))
