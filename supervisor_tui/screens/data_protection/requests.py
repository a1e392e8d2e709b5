"""Subject access requests (UK GDPR Art. 15): the log, most urgent first, with each one's due date
under Art. 12(3) and a key for every step. Opened from the Data protection section."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.subject_access import SubjectAccessRequest
from ...output import shorten
from ...services.subject_access import RequestView
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .request_form import (
    open_clarification_form,
    open_close_form,
    open_delivery_form,
    open_extension_form,
    open_identity_form,
    open_log_form,
)

SOON_DAYS = 7  # due within a week: shown in bold, and counted in the title


def _left_style(view: RequestView, today: date) -> str:
    if view.overdue or view.left.startswith("late"):
        return "bold reverse"
    if view.request.is_open and view.deadline and (view.deadline.due - today).days <= SOON_DAYS:
        return "bold"
    return ""


class RequestsScreen(RecordScreen):
    """The subject access request log. Push it (``app.push_screen(RequestsScreen())``): Esc goes back."""

    AUTO_FOCUS = "#sar-table"
    DEFAULT_CSS = """
    RequestsScreen #sar-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="requests.back", tooltip="Back to Data protection"),
        Binding("a", "log", "Log", id="requests.log", tooltip="Log a subject access request received"),
        Binding(
            "i",
            "identity",
            "ID",
            id="requests.identity",
            tooltip="Record when what confirms who they are arrived: the month may run from then",
        ),
        Binding(
            "c",
            "clarify",
            "Clarify",
            id="requests.clarify",
            show=False,
            tooltip="Record a clarification asked for, or received: the month starts when it comes",
        ),
        Binding(
            "x",
            "extend",
            "Extend",
            id="requests.extend",
            tooltip="Extend by two months, with the reasons told within the first month (UK GDPR Art. 12(3))",
        ),
        Binding("d", "deliver", "Delivered", id="requests.deliver", tooltip="Record that their copy went to them"),
        Binding(
            "r",
            "close",
            "Close",
            id="requests.close",
            tooltip="Close as refused (Art. 12(5)) or withdrawn, with the reason",
        ),
        Binding(
            "o",
            "toggle_answered",
            "Answered",
            id="requests.answered",
            show=False,
            tooltip="Show or hide requests already delivered, refused or withdrawn",
        ),
    ]

    def __init__(self, reference: str | None = None) -> None:
        """``reference``: a request to highlight (opened from the palette), answered ones shown if it is one."""
        super().__init__()
        self.show_answered = False
        self._wanted = reference

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="sar-title", classes="section-title")
        table = LiteralTable(id="sar-table", cursor_type="row", zebra_stripes=True)
        # 8+14+8+8+13+15 plus a cell of padding each side: 78 columns.
        for label, width in (
            ("Ref", 8),
            ("Who", 14),
            ("Received", 8),
            ("Due", 8),
            ("Left", 13),
            ("State", 15),
        ):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="sar-detail", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The requests: open ones by due date, answered ones after them when shown."""
        return self.query_one("#sar-table", LiteralTable)

    @property
    def detail(self) -> Static:
        """The highlighted request in full: how its due date was worked out, and where it stands."""
        return self.query_one("#sar-detail", Static)

    def reload(self) -> None:
        super().reload()
        today = self.records.clock.today()
        views = self.records.subject_access.requests(open_only=not self.show_answered, today=today)
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for view in views:
            r = view.request
            table.add_row(
                view.id,
                plain(shorten(r.requester, 14)),
                f"{r.received_on:%d/%m/%y}",
                f"{view.deadline.due:%d/%m/%y}" if view.deadline else "—",
                Text(view.left, style=_left_style(view, today)),
                shorten(view.state, 15),
                key=view.id,
            )
        wanted, self._wanted = self._wanted, None
        if wanted and not any(v.id == wanted for v in views):
            self.show_answered = True  # the request asked for has been answered: show those too
            self._wanted = wanted
            self.reload()
            return
        if wanted:
            keep = next(i for i, v in enumerate(views) if v.id == wanted)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        still_open = [v for v in views if v.request.is_open]
        overdue = sum(v.overdue for v in still_open)
        soon = len(self.records.subject_access.due_soon(today, SOON_DAYS)) - overdue
        self.query_one("#sar-title", Static).update(
            Text.assemble(
                ("Subject access requests", "bold"),
                f" · {len(still_open)} open · ",
                (f"{overdue} overdue", "bold reverse" if overdue else ""),
                f" · {soon} due within {SOON_DAYS} days",
                (" · o: answered shown" if self.show_answered else "", "dim"),
            )
        )
        self._show_detail()

    def _highlighted(self) -> SubjectAccessRequest | None:
        table = self.table
        if not table.row_count:
            return None
        reference = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.records.subject_access.get(reference) if reference else None

    @on(DataTable.RowHighlighted, "#sar-table")
    def _show_detail(self) -> None:
        request = self._highlighted()
        if request is None:
            self.detail.update(Text("No requests. a logs one received.", style="italic"))
            return
        self.detail.update(Text("\n").join(self._detail_lines(request)))

    def _detail_lines(self, r: SubjectAccessRequest) -> list[Text]:
        view = self.records.subject_access.view(r)
        lines = [
            Text.assemble(
                (f"{view.id} ", "bold"),
                plain(r.requester, "bold"),
                f" · {'member of staff' if r.whose == 'member' else 'customer'} · received {r.received_on:%d/%m/%Y}",
                plain(f" by {r.received_how}" if r.received_how else ""),
            )
        ]
        identity = (
            plain(f"ID checked {r.identity_checked_on:%d/%m/%Y} {r.identity_how}".strip())
            if r.identity_checked_on
            else Text("ID not checked", style="bold")
        )
        deadline = view.deadline
        if deadline is None:
            lines.append(
                Text.assemble(
                    identity,
                    f" · clock not started: clarification asked for {r.clarification_asked_on:%d/%m/%Y}; "
                    "the month runs from the day it comes (c)",
                )
            )
        else:
            months = "three months, extended" if r.extended else "one month"
            lines.append(
                Text.assemble(
                    identity,
                    f" · day one {deadline.starts:%d/%m/%Y} · due {deadline.due:%a %d/%m/%Y} "
                    f"({months}, UK GDPR Art. 12(3))",
                )
            )
        if r.delivered_on is not None:
            lines.append(
                Text.assemble(
                    f"Delivered {r.delivered_on:%d/%m/%Y} ",
                    plain(f"by {r.delivered_how} " if r.delivered_how else ""),
                    f"({view.left})",
                )
            )
        elif r.closed_as:
            lines.append(Text.assemble(f"{r.closed_as.capitalize()} {r.closed_on:%d/%m/%Y}: ", plain(r.close_reason)))
        elif r.extended:
            lines.append(Text.assemble(f"Extended, told {r.extension_told_on:%d/%m/%Y}: ", plain(r.extension_reason)))
        elif deadline is not None and self.records.clock.today() <= deadline.first_month:
            lines.append(
                Text(f"Complex or numerous? x extends it, told by {deadline.first_month:%d/%m/%Y}.", style="dim")
            )
        return lines

    # -- actions -----------------------------------------------------------------------------------
    def _open_request(self, what: str) -> SubjectAccessRequest | None:
        """The highlighted request if it can still take ``what``; otherwise say why not."""
        request = self._highlighted()
        if request is None:
            self.notify("No request highlighted: a logs one.", severity="warning", title="Subject access")
        elif not request.is_open:
            state = self.records.subject_access.view(request).state
            self.notify(f"{request.id} is {state}: no {what} now.", severity="warning", title="Subject access")
            return None
        return request

    def action_log(self) -> None:
        open_log_form(self)

    def action_identity(self) -> None:
        request = self._open_request("identity check")
        if request is not None:
            open_identity_form(self, request)

    def action_clarify(self) -> None:
        request = self._open_request("clarification")
        if request is not None:
            open_clarification_form(self, request)

    def action_extend(self) -> None:
        request = self._open_request("extension")
        if request is not None and request.extended:
            self.notify(
                f"{request.id} is already extended: UK GDPR Art. 12(3) allows two further months once.",
                severity="warning",
                title="Subject access",
            )
        elif request is not None:
            open_extension_form(self, request)

    def action_deliver(self) -> None:
        request = self._open_request("delivery")
        if request is not None:
            open_delivery_form(self, request)

    def action_close(self) -> None:
        request = self._open_request("refusal or withdrawal")
        if request is not None:
            open_close_form(self, request)

    def action_toggle_answered(self) -> None:
        self.show_answered = not self.show_answered
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
