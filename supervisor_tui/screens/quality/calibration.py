"""Calibration: where supervisors scored the same interaction differently, least agreement first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...domain.quality import calibrate, score_check
from ...output import shorten
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen


class CalibrationScreen(RecordScreen):
    """Where supervisors scored the same interaction differently: least agreement first."""

    AUTO_FOCUS = "#cal-table"
    DEFAULT_CSS = """
    CalibrationScreen #cal-head { height: auto; padding: 0 1; }
    CalibrationScreen #cal-table { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="cal.back", tooltip="Back to the team's quality")]

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="cal-head")
        table = LiteralTable(id="cal-table", cursor_type="row", zebra_stripes=True)
        for label, width in (("Criterion", 40), ("Agree", 5), ("Spread", 6), ("Scores given", 16)):
            table.add_column(label, width=width)
        yield table
        yield from self.compose_chrome()

    @property
    def head(self) -> Static:
        """The latest session: who scored it, their results, and how far apart they were."""
        return self.query_one("#cal-head", Static)

    def reload(self) -> None:
        super().reload()
        table = self.query_one("#cal-table", LiteralTable)
        table.clear()
        sessions = self.records.quality.calibration_sessions()
        if not sessions:
            self.head.update(
                Text(
                    "No calibration sessions yet: several supervisors score the same interaction, each giving the "
                    "check the same session name.",
                    style="italic",
                )
            )
            return
        name, standard, checks = sessions[-1]
        rows, spread = calibrate(standard, [c.scores for c in checks])
        given = sorted(((c.created_by or "?", score_check(standard, c.scores)) for c in checks), key=lambda g: g[0])
        results = [
            Text.assemble(
                plain(who), f" {result.shown(standard.pass_mark)} {'pass' if result.passed else 'not a pass'}"
            )
            for who, result in given
        ]
        self.head.update(
            Text.assemble(
                plain(name, "bold"),
                plain(f" · {standard.name} ed. {standard.edition} · pass mark {standard.pass_mark:g}%"),
                "\nScored by ",
                Text("; ").join(results),
                f"\nOverall scores differ by {spread:g} points; least agreement first (discuss these):",
            )
        )
        for row in rows:
            criterion = standard.criterion(row.key)
            style = "bold reverse" if row.agreement < 1 else ""
            table.add_row(
                plain(shorten(criterion.text, 40)),
                Text(f"{row.agreement * 100:.0f}%", style=style),
                f"{row.spread * 100:.0f}%",
                plain(" ".join(map(str, row.values))),
            )

    def action_back(self) -> None:
        self.app.pop_screen()
