"""A complaint's repairs and replacements: each one pauses the 30-day right to reject (CRA 2015 s.22(6)-(8))."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ..domain.base import explain
from ..domain.complaints import REPAIR_KINDS, Complaint, Repair
from ..services import StoreError
from ..widgets.form import Field, RecordForm, parse_each
from ..widgets.prompt import ReasonPrompt
from ..widgets.saving import in_background, write
from ..widgets.text import LiteralTable, plain
from .base import RecordScreen


def repair_line(number: int, repair: Repair) -> str:
    """'2. replacement asked for 29/03/2026, back 10/04/2026: still faulty', as the complaint page lists it."""
    back = (
        f"back {repair.back_on:%d/%m/%Y}" + (": still faulty" if repair.failed else ": put right")
        if repair.back_on
        else "still away"
    )
    return f"{number}. {repair.kind} asked for {repair.requested_on:%d/%m/%Y}, {back}"


class RepairsScreen(RecordScreen):
    """The repairs and replacements asked for on one complaint, oldest first, and the guide they change."""

    AUTO_FOCUS = "#rp-table"
    DEFAULT_CSS = """
    RepairsScreen #rp-head { height: auto; padding: 0 1; }
    RepairsScreen #rp-guide-box { height: 1fr; background: $surface; }
    RepairsScreen #rp-guide { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="repairs.back", tooltip="Back to the complaint"),
        Binding("a", "add", "Add", id="repairs.add", tooltip="A repair or replacement the customer asked for"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="repairs.edit",
            tooltip="When the goods came back and whether they still do not conform, or correct a date",
        ),
        Binding(
            "d", "remove", "Remove", id="repairs.remove", tooltip="Take one recorded by mistake off, with a reason"
        ),
    ]

    def __init__(self, complaint_id: str):
        super().__init__()
        self.complaint_id = complaint_id

    @property
    def complaint(self) -> Complaint:
        return self.records.complaints.get(self.complaint_id)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="rp-head")
        table = LiteralTable(id="rp-table", cursor_type="row", zebra_stripes=True)
        for label, width in (("#", 2), ("Kind", 11), ("Asked for", 10), ("Back", 10), ("Result", 13)):
            table.add_column(label, width=width)
        yield table
        with VerticalScroll(id="rp-guide-box"):
            yield Static("", id="rp-guide")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The repairs and replacements, oldest first."""
        return self.query_one("#rp-table", LiteralTable)

    def reload(self) -> None:
        super().reload()
        c = self.complaint
        self.query_one("#rp-head", Static).update(
            Text.assemble(
                plain(f"{c.id} ", "bold"),
                plain(c.customer_name, "bold"),
                " · repairs and replacements",
                (
                    "\na add · e came back / correct · d remove. Each pauses the 30 days from the day asked "
                    "through the day the goods came back (s.22(6)-(8)).",
                    "dim",
                ),
            )
        )
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for n, r in enumerate(c.repairs, 1):
            result = ("still faulty" if r.failed else "put right") if r.back_on else "away"
            table.add_row(
                str(n),
                r.kind,
                f"{r.requested_on:%d/%m/%Y}",
                f"{r.back_on:%d/%m/%Y}" if r.back_on else "—",
                Text(result, style="bold" if r.failed else ""),
                key=str(n - 1),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        # As tall as its rows (a few at most: they follow one another), leaving the rest to the guide.
        table.styles.height = 1 + min(max(table.row_count, 1), 5)
        guide = self.records.complaints.cra_guidance(c, self.records.clock.today()) or []
        lines = [Text("Consumer Rights Act 2015 now:", style="bold"), *(plain(line) for line in guide)]
        if not c.repairs:
            lines.insert(0, Text("None recorded yet: a adds one.", style="italic"))
        self.query_one("#rp-guide", Static).update(Text("\n").join(lines))

    def _index(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)  # every row is keyed by its repair's index

    def _form(self, title: str, repair: Repair | None, index: int | None) -> None:
        fields = [
            Field("kind", "Kind", "choice", required=True, options=[(k, k) for k in REPAIR_KINDS]),
            Field(
                "requested_on", "Asked for on", "date", required=True, hint="the day they asked for it or agreed to it"
            ),
            Field("back_on", "Goods back on", "date", hint="the day they had the goods back; blank while away"),
            Field("failed", "Still faulty", "bool", hint="the goods that came back still do not conform"),
        ]

        def save(values: dict) -> Complaint:
            clock = self.records.clock
            parsed = parse_each(values, {"requested_on": clock.read_date, "back_on": clock.read_optional_date})
            # Checked on its own first, so each problem shows under its own field.
            fresh = Repair(kind=values["kind"], failed=values["failed"], **parsed)
            return self.records.complaints.save_repair(self.complaint, fresh, index)

        values = (
            {
                "kind": repair.kind,
                "requested_on": f"{repair.requested_on:%d/%m/%Y}",
                "back_on": f"{repair.back_on:%d/%m/%Y}" if repair.back_on else "",
                "failed": repair.failed,
            }
            if repair
            else {"kind": "repair", "requested_on": "today", "back_on": "", "failed": False}
        )
        self.app.push_screen(RecordForm(title, fields, values, save), lambda _: self.reload())

    def action_add(self) -> None:
        self._form(f"Repair or replacement asked for · {self.complaint_id}", None, None)

    @on(DataTable.RowSelected, "#rp-table")
    def action_edit(self) -> None:
        index = self._index()
        if index is not None:
            title = f"Repair or replacement {index + 1} · {self.complaint_id}"
            self._form(title, self.complaint.repairs[index], index)

    def action_remove(self) -> None:
        index = self._index()
        if index is None:
            return

        @in_background(self)
        async def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                await write(self, self.records.complaints.remove_repair, self.complaint, index, reason)
            except ValidationError as exc:
                self.notify("; ".join(explain(exc, Complaint)), severity="warning", title="Not done")
            except (ValueError, StoreError) as exc:
                self.notify(str(exc), severity="warning", title="Not done")
            self.reload()

        self.app.push_screen(
            ReasonPrompt(
                f"Take repair or replacement {index + 1} off the record? Why?", "e.g. entered on the wrong complaint"
            ),
            done,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
