"""One change to the record, field by field: before -> after, with when, who, which record and why.

Opened with Enter from the audit log or from a record's own history (a member's page)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...output import shorten
from ...services.audit_log import AuditChange
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen

# Field, before and after, and a cell of padding each side of each: 78 columns at 80.
WIDTHS = (20, 25, 27)


class ChangeScreen(RecordScreen):
    """A change as it was made. Push it (``app.push_screen(ChangeScreen(change))``): Esc goes back."""

    AUTO_FOCUS = "#change-fields"
    BINDINGS = [Binding("escape", "back", "Back", id="change.back", tooltip="Back to the list of changes")]

    def __init__(self, change: AuditChange):
        super().__init__()
        self.change = change

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="change-head", classes="detail")
        table = LiteralTable(id="change-fields", cursor_type="row", zebra_stripes=True)
        for label, width in zip(("Field", "Before", "After"), WIDTHS, strict=True):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="change-value", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The fields the change set, each before -> after ('—' where there was no value)."""
        return self.query_one("#change-fields", LiteralTable)

    def reload(self) -> None:
        super().reload()
        c, tz = self.change, self.records.tz
        where = f" from {c.ssh}" if c.ssh else ""
        self.query_one("#change-head", Static).update(
            Text.assemble(
                plain(f"{c.record} {c.kind}", "bold"),
                plain(f" · {c.summary()}"),
                "\n",
                plain(f"{c.when(tz)} by {c.who}{where} · entry {c.seq}"),
                "\n",
                ("Why: ", "bold"),
                plain(c.reason or "no reason given", "" if c.reason else "italic", multiline=False),
            )
        )
        table = self.table
        table.clear()
        for index, f in enumerate(c.fields):
            table.add_row(
                plain(shorten(f.label, WIDTHS[0])),
                plain(shorten(f.before, WIDTHS[1]) or "—", "" if f.before else "dim"),
                plain(shorten(f.after, WIDTHS[2]) or "—", "" if f.after else "dim"),
                key=str(index),
            )
        if not c.fields:
            self.query_one("#change-value", Static).update(
                Text("No field changed: the change is the action itself.", style="italic")
            )
        else:
            self._show_value()

    @on(DataTable.RowHighlighted, "#change-fields")
    def _show_value(self) -> None:
        """The highlighted field in full: a long value is cut in the table, never here."""
        table = self.table
        if not table.row_count:
            return
        f = self.change.fields[table.cursor_row]
        self.query_one("#change-value", Static).update(
            Text.assemble(
                (f"{f.label}: ", "bold"),
                plain(f.before or "—"),
                (" -> ", "bold"),
                plain(f.after or "—"),
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()
