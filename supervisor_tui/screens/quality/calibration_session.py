"""One calibration session: who scored it and how, and where they differ, least agreement first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...output import shorten
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .score import score_calibration


class CalibrationSessionScreen(RecordScreen):
    """Where supervisors scored the same interaction differently: least agreement first."""

    AUTO_FOCUS = "#cal-table"
    DEFAULT_CSS = """
    CalibrationSessionScreen #cal-head { height: auto; padding: 0 1; }
    CalibrationSessionScreen #cal-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="cal_session.back", tooltip="Back to the calibration sessions"),
        Binding(
            "s",
            "score",
            "Score it",
            id="cal_session.score",
            tooltip="Score this session's interaction yourself (once each, on your own)",
        ),
    ]
    LEGEND = (
        ("Agree", "share of the scorers who gave the most common score (100%: all the same)"),
        ("Spread", "how far apart the highest and lowest scores are, as a share of the top score"),
        ("reversed", "an Agree under 100%: a criterion to talk through"),
        ("Scores given", "each scorer's score for it: yes, no, na or points"),
    )

    def __init__(self, name: str):
        super().__init__()
        self.session_name = name

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
        """The session: who scored it, their results, and how far apart they were."""
        return self.query_one("#cal-head", Static)

    def reload(self) -> None:
        super().reload()
        table = self.query_one("#cal-table", LiteralTable)
        table.clear()
        cal = self.records.quality.calibration(self.session_name)
        standard, checks = cal.standard, cal.checks
        rows, spread = cal.agreement()
        given = sorted(
            ((c.created_by or "?", self.records.quality.result(c, standard)) for c in checks), key=lambda g: g[0]
        )
        results = [
            Text.assemble(
                plain(who), f" {result.shown(standard.pass_mark)} {'pass' if result.passed else 'not a pass'}"
            )
            for who, result in given
        ]
        self.head.update(
            Text.assemble(
                plain(cal.session.name, "bold"),
                plain(f" · {standard.name} ed. {standard.edition} · pass mark {standard.pass_mark:g}%"),
                "\nScored by ",
                Text("; ").join(results) if results else Text("nobody yet: s scores it", style="italic"),
                f"\nOverall scores differ by {spread:g} points; least agreement first (discuss these):"
                if len(checks) > 1
                else "\nOnce two have scored it, where they differ shows here.",
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

    def action_score(self) -> None:
        score_calibration(self, self.records.quality.calibration(self.session_name))

    def action_back(self) -> None:
        self.app.pop_screen()
