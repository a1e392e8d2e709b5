"""One person's quality checks over time, with the why of each result and their KPIs alongside."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.quality import QualityCheck, score_check, weakest_criteria
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen


class MemberQualityScreen(RecordScreen):
    """One person's checks over time, with the why of each result and their KPIs alongside."""

    AUTO_FOCUS = "#mq-checks"
    DEFAULT_CSS = """
    MemberQualityScreen #mq-head { height: auto; padding: 0 1; }
    MemberQualityScreen #mq-checks { height: 1fr; }
    MemberQualityScreen #mq-detail { height: auto; max-height: 5; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="mq.back", tooltip="Back to the team's quality")]

    LEGEND = (
        ("NOT", "the check did not pass (shown reversed)"),
        ("crit", "after a score: a critical item failed, a fail whatever the score"),
        ("trend", "their last eight scores, oldest first: ▁ 50% or lower up to █ 100%; · a check with no score"),
        ("+  -", "in the detail: the strengths, then the development points, from the check"),
    )

    def __init__(self, member_id: str):
        super().__init__()
        self.member_id = member_id
        self._checks: list[QualityCheck] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="mq-head")
        table = LiteralTable(id="mq-checks", cursor_type="row", zebra_stripes=True)
        for label, width in (("Date", 10), ("Channel", 12), ("Score", 11), ("Result", 6), ("KPIs that month", 28)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="mq-detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """Their checks, newest first, with the KPIs of each check's month."""
        return self.query_one("#mq-checks", LiteralTable)

    def reload(self) -> None:
        super().reload()
        service = self.records.quality
        member = self.records.team.get(self.member_id)
        summary = service.member_summary(self.member_id, self.records.clock.today())
        self._checks = service.checks_for(self.member_id)
        weak = weakest_criteria(service.with_standards(self._checks))[:2]
        self.query_one("#mq-head", Static).update(
            Text.assemble(
                plain(member.name, "bold"),
                f" · {summary['count']} check(s) · pass rate ",
                "—" if summary["pass_rate"] is None else f"{summary['pass_rate']}%",
                " · trend ",
                summary["trend"] or "—",
                "\nWeakest: ",
                plain("; ".join(f"{t} ({share * 100:.0f}%)" for t, share, _ in weak) or "—"),
            )
        )
        kpis = {k.period: k for k in service.kpis_for(self.member_id)}
        table = self.table
        table.clear()
        for c, standard, scored in service.scored(self._checks):
            k = kpis.get(f"{c.date:%Y-%m}")
            kpi = f"CSAT {k.csat:g} NPS {k.nps:g} FCR {k.fcr:g}" if k and None not in (k.csat, k.nps, k.fcr) else "—"
            result = Text("pass" if scored.passed else "NOT", style="" if scored.passed else "bold reverse")
            table.add_row(
                f"{c.date:%d/%m/%Y}", plain(c.channel), scored.shown(standard.pass_mark), result, kpi, key=c.id
            )
        self._detail()

    @on(DataTable.RowHighlighted, "#mq-checks")
    def _detail(self) -> None:
        table = self.table
        box = self.query_one("#mq-detail", Static)
        if not self._checks or not table.row_count:
            box.update(Text("No checks yet. Press s on the Quality list to score one.", style="italic"))
            return
        c = self._checks[table.cursor_row]
        standard = self.records.quality.readable_standard(c.standard_id)
        if standard is None:
            box.update(
                plain(
                    f"{c.id}: its standard {c.standard_id} cannot be read (see the damaged records "
                    "notice); the check is kept as it was written.",
                    "italic",
                )
            )
            return
        why = score_check(standard, c.scores).why(standard.pass_mark)
        box.update(
            Text.assemble(
                plain(f"{c.id} · {standard.name} ed. {standard.edition} · ", "dim"),
                plain(why),
                "\n",
                ("+ ", "bold"),
                plain(c.strengths or "—"),
                "   ",
                ("- ", "bold"),
                plain(c.development or "—"),
                "\n",
                ("Follow-up: ", "bold"),
                plain(c.follow_up or "—"),
                ("  Discussed: ", "bold"),
                f"{c.discussed_on:%d/%m/%Y}" if c.discussed_on else "not yet",
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()
