"""The service standards: each one's current edition and criteria; an edit to a used edition makes a new one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.numbers import decimal_number
from ...domain.quality import Scale, Standard
from ...output import shorten
from ...widgets.form import Field, RecordForm, parse_each
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen


class StandardsScreen(RecordScreen):
    """The current edition of each standard and its criteria; edits to a used edition make a new one."""

    AUTO_FOCUS = "#std-table"
    DEFAULT_CSS = """
    StandardsScreen #std-head { height: auto; padding: 0 1; }
    StandardsScreen #std-table { height: 1fr; }
    StandardsScreen #std-guidance { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="std.back", tooltip="Back to the team's quality"),
        Binding(
            "left_square_bracket,right_square_bracket",
            "next_standard",
            "Other standard",
            id="std.next",
            tooltip="Show the next standard",
        ),
        Binding("e", "edit_criterion", "Edit criterion", id="std.edit", tooltip="Weight, critical, guidance"),
        Binding("p", "edit_pass_mark", "Pass mark", id="std.pass", tooltip="Change the pass mark"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index = 0

    @property
    def standard(self) -> Standard | None:
        standards = self.records.quality.current_standards()
        return standards[self.index % len(standards)] if standards else None

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="std-head")
        table = LiteralTable(id="std-table", cursor_type="row", zebra_stripes=True)
        for label, width in (("Section", 14), ("Criterion", 40), ("Weight", 6), ("Scale", 5), ("Crit", 4)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="std-guidance")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The shown standard's criteria."""
        return self.query_one("#std-table", LiteralTable)

    @property
    def head(self) -> Static:
        return self.query_one("#std-head", Static)

    def reload(self) -> None:
        super().reload()
        standard = self.standard
        table = self.table
        row = table.cursor_row if table.row_count else 0
        table.clear()
        if standard is None:
            self.head.update(Text("No standards yet: press D on the Quality list.", style="italic"))
            return
        used = self.records.quality.checks_on(standard.id or "")
        self.head.update(
            Text.assemble(
                plain(standard.name, "bold"),
                f" · edition {standard.edition} · pass mark {standard.pass_mark:g}% · ",
                f"used by {used} check(s)" if used else "not used yet",
                ("   [ ] other standards", "dim"),
            )
        )
        for c in standard.criteria:
            scale = f"0-{c.max_points}" if c.scale == Scale.points else "y/n"
            table.add_row(
                plain(shorten(c.section, 14)),
                plain(shorten(c.text, 40)),
                f"{c.weight:g}",
                scale,
                "yes" if c.critical else "",
                key=c.key,
            )
        table.move_cursor(row=min(row, table.row_count - 1))
        self._guidance()

    @on(DataTable.RowHighlighted, "#std-table")
    def _guidance(self) -> None:
        table = self.table
        standard = self.standard
        if standard and table.row_count:
            self.query_one("#std-guidance", Static).update(plain(standard.criteria[table.cursor_row].guidance))

    def action_next_standard(self) -> None:
        self.index += 1
        self.reload()

    def _save_edit(self, standard: Standard, changes: dict, what: str) -> Standard:
        """Save a change to the standard the form was opened on (never whichever the list shows by then:
        another session may have added a standard meanwhile; a stale version is refused as a conflict)."""
        saved = self.records.quality.edit_standard(standard, changes)
        if saved.id != standard.id:
            self.notify(
                f"{what}: saved as edition {saved.edition}; edition {standard.edition} stays as it was "
                "for the checks already scored on it.",
                title="Standards",
                timeout=8,
            )
        else:
            self.notify(f"{what}: saved (edition {saved.edition} was not used yet)", title="Standards")
        return saved

    def action_edit_pass_mark(self) -> None:
        standard = self.standard
        if standard is None:
            return
        fields = [Field("pass_mark", "Pass mark (%)", "number", required=True, hint="0 to 100")]

        def save(values: dict) -> Standard:
            mark = parse_each(values, {"pass_mark": lambda v: decimal_number(v, 0, 100)})["pass_mark"]
            return self._save_edit(standard, {"pass_mark": mark}, f"Pass mark {mark:g}%")

        self.app.push_screen(
            RecordForm(f"Pass mark for {standard.name}", fields, {"pass_mark": f"{standard.pass_mark:g}"}, save),
            lambda _: self.reload(),
        )

    def action_edit_criterion(self) -> None:
        standard = self.standard
        table = self.table
        if standard is None or not table.row_count:
            return
        criterion = standard.criteria[table.cursor_row]
        fields = [
            Field("weight", "Weight", "number", required=True, hint="how much it counts"),
            Field("critical", "Critical", "bool", hint="a fail fails the whole check"),
            Field("guidance", "Guidance", "long", hint="what good looks like"),
        ]

        def save(values: dict) -> Standard:
            weight = parse_each(values, {"weight": lambda v: decimal_number(v, 0, 100)})["weight"]
            updated = criterion.model_copy(
                update={"weight": weight, "critical": values["critical"], "guidance": values["guidance"]}
            )
            type(criterion).model_validate(updated.model_dump())  # the weight's limits, said in the form
            criteria = [updated if c.key == criterion.key else c for c in standard.criteria]
            return self._save_edit(standard, {"criteria": criteria}, criterion.text)

        values = {"weight": f"{criterion.weight:g}", "critical": criterion.critical, "guidance": criterion.guidance}
        self.app.push_screen(RecordForm(f"Edit: {criterion.text}", fields, values, save), lambda _: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
