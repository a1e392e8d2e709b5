"""The audit log: every change in the record, newest first, a page at a time, narrowed by a filter.

Reachable from anywhere with L and from the command palette ('Audit log'). Enter on a change opens it field
by field (``change``); f asks which changes to list (``filters``). The record is read from its newest change
backwards (services.audit_log), so the first page of years of history shows at once; the next page is read
as the cursor nears the end of those already listed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...output import shorten
from ...services import StoreError
from ...services.audit_log import AuditChange, AuditPage, AuditQuery
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .change import ChangeScreen
from .filters import AuditFilter

MORE_WHEN_WITHIN = 10  # rows from the end of what is listed: read the next page
# When, who, record, kind, what; a cell of padding each side: 78 columns at 80.
WIDTHS = (16, 10, 8, 13, 21)


@dataclass(frozen=True)
class Listing:
    """A first page, and the query it was read for (see RecordScreen.load)."""

    query: AuditQuery
    page: AuditPage


class AuditLogScreen(RecordScreen):
    """Every change in the file, newest first. Push it (``app.push_screen(AuditLogScreen())``): Esc goes back."""

    AUTO_FOCUS = "#audit-table"
    LOADS_IN_BACKGROUND = True
    BINDINGS = [
        Binding("escape", "back", "Back", id="audit.back", tooltip="Back to where you were"),
        Binding(
            "f",
            "filter",
            "Filter",
            id="audit.filter",
            tooltip="List only one record's changes, a person's, a login's, a kind of record's, or a date range's",
        ),
        Binding("x", "clear", "Clear filter", id="audit.clear", tooltip="List every change again"),
        Binding(
            "r",
            "reread",
            "Read again",
            id="audit.reread",
            tooltip="List from the newest change again (after others saved)",
        ),
        Binding("enter", "open", "Before/after", id="audit.open", show=False, tooltip="The change field by field"),
    ]

    def __init__(self, query: AuditQuery | None = None) -> None:
        super().__init__()
        self.query_ = query or AuditQuery()
        self.changes: list[AuditChange] = []
        self.page: AuditPage | None = None  # the last page read: where the next one starts
        self.unreadable = 0
        self._reading_more = False
        self.newer = False  # others saved since the list was read, and the reader is further down it

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="audit-title", classes="section-title")
        table = LiteralTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        for label, width in zip(("When", "Who", "Record", "Kind", "What"), WIDTHS, strict=True):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="audit-detail", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The changes listed so far, newest first."""
        return self.query_one("#audit-table", LiteralTable)

    # -- reading -------------------------------------------------------------------------------
    def load(self) -> Listing:
        query = self.query_
        return Listing(query, self.records.audit_log.page(query))

    def show(self, listing: Listing) -> None:
        if listing.query is not self.query_:
            return  # read for a filter since replaced: the new one's read is on its way
        self.changes, self.page, self.unreadable, self.newer = [], None, 0, False
        self.table.clear()
        self._add(listing.page)

    def on_records_changed(self, _message: object) -> None:
        self._others_saved()

    def on_screen_resume(self) -> None:
        if self._shown_seq != self.records.store.head[0]:
            self._others_saved()

    def _others_saved(self) -> None:
        """At the top of the list, the newest changes are read in; further down, the place is kept and the
        title says there are newer ones (r reads them), so a colleague's save never moves the cursor away."""
        if self.table.cursor_row <= 0:
            self.reload_in_background()
        else:
            self.newer = True
            self._show_title()

    def _add(self, page: AuditPage) -> None:
        self.page = page
        self.unreadable += page.unreadable
        tz = self.records.tz
        table = self.table
        for change in page.changes:
            table.add_row(
                plain(change.when_short(tz)),
                plain(shorten(change.login, WIDTHS[1])),
                plain(shorten(change.record, WIDTHS[2])),
                plain(shorten(change.kind, WIDTHS[3])),
                plain(change.summary()),
                key=str(len(self.changes)),
            )
            self.changes.append(change)
        self._show_title()
        self._show_detail()

    def _show_title(self) -> None:
        count = len(self.changes)
        more = self.page is not None and self.page.next is not None
        shown = f"{count}{'+' if more else ''} change{'s' if count != 1 or more else ''}"
        title = Text.assemble(
            ("Audit log", "bold"),
            plain(f" · newest first · {shown} · {self.query_.describe()}"),
        )
        if self.newer:
            title.append(plain(" · newer changes: r", "bold"))
        if self.unreadable:
            title.append(plain(f" · {self.unreadable} unreadable line(s): run supervisor-tui verify", "bold reverse"))
        self.query_one("#audit-title", Static).update(title)

    @on(DataTable.RowHighlighted, "#audit-table")
    def _show_detail(self) -> None:
        detail = self.query_one("#audit-detail", Static)
        change = self._highlighted()
        if change is None:
            words = "Nothing matches this filter: x lists every change." if not self.query_.empty else "No changes yet."
            detail.update(Text(words, style="italic"))
            return
        where = f" from {change.ssh}" if change.ssh else ""
        detail.update(
            Text.assemble(
                plain(f"{change.record} {change.kind}", "bold"),
                plain(f" · {change.summary()} · by {change.who}{where}"),
                "\n",
                ("Why: ", "bold"),
                plain(change.reason or "no reason given"),
                ("  Enter: before -> after", "dim"),
            )
        )
        self._more_if_near_end()

    def _highlighted(self) -> AuditChange | None:
        table = self.table
        if not table.row_count or not 0 <= table.cursor_row < len(self.changes):
            return None
        return self.changes[table.cursor_row]

    def on_mount(self) -> None:
        """(RecordScreen's own on_mount reads the first page: Textual calls each class's in turn.)"""
        # Scrolled down with the mouse wheel or the scroll bar, the cursor stays put: read on all the same.
        self.watch(self.table, "scroll_y", self._scrolled, init=False)

    def _scrolled(self, _y: float) -> None:
        table = self.table
        if table.scroll_y >= table.max_scroll_y - table.size.height:
            self._more_if_near_end(scrolled=True)

    def _more_if_near_end(self, scrolled: bool = False) -> None:
        page = self.page
        if page is None or page.next is None or self._reading_more:
            return
        if scrolled or self.table.cursor_row >= len(self.changes) - MORE_WHEN_WITHIN:
            self._reading_more = True
            self._read_more(self.query_, page)

    @work(thread=True, exclusive=True, group="reload")
    def _read_more(self, query: AuditQuery, after: AuditPage) -> None:
        try:
            page = self.records.audit_log.page(query, after.next)
        except StoreError as exc:  # the files were rewritten (an erasure, a seal): start again from the newest
            self.app.call_from_thread(self._start_again, str(exc))
            return
        self.app.call_from_thread(self._more_read, query, after, page)

    def _more_read(self, query: AuditQuery, after: AuditPage, page: AuditPage) -> None:
        self._reading_more = False
        if query is self.query_ and after is self.page:  # else the list was read again meanwhile
            self._add(page)

    def _start_again(self, why: str) -> None:
        self._reading_more = False
        self.notify(why, title="Audit log read again")
        self.reload_in_background()

    # -- keys ----------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_open(self) -> None:
        change = self._highlighted()
        if change is not None:
            self.app.push_screen(ChangeScreen(change))

    @on(DataTable.RowSelected, "#audit-table")
    def _selected(self) -> None:
        self.action_open()

    def action_filter(self) -> None:
        self.app.push_screen(AuditFilter(self.query_, self.records.audit_log.kinds()), self._filtered)

    def _filtered(self, query: AuditQuery | None) -> None:
        if query is not None:
            self.apply(query)

    def action_reread(self) -> None:
        self.apply(self.query_)

    def action_clear(self) -> None:
        if not self.query_.empty:
            self.apply(AuditQuery())

    def apply(self, query: AuditQuery) -> None:
        """List the changes ``query`` lets through, from the newest (read in the background)."""
        self.query_ = query
        self._reading_more = False
        self.table.clear()
        self.changes, self.page = [], None
        self.query_one("#audit-title", Static).update(Text.assemble(("Audit log", "bold"), plain(" · reading…")))
        self.reload_in_background()
