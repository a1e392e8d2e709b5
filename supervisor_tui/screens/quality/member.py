"""One person's quality checks over time, with the why of each result and their KPIs alongside; a
check scored wrongly is corrected (e) or voided (v) here, with why."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.dates import show_stamp
from ...domain.quality import QualityCheck, score_check, show_score, weakest_criteria
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .score import ScoreCheckScreen


class MemberQualityScreen(RecordScreen):
    """One person's checks over time, with the why of each result and their KPIs alongside."""

    AUTO_FOCUS = "#mq-checks"
    DEFAULT_CSS = """
    MemberQualityScreen #mq-head { height: auto; padding: 0 1; }
    MemberQualityScreen #mq-checks { height: 1fr; }
    MemberQualityScreen #mq-detail { height: auto; max-height: 6; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="mq.back", tooltip="Back to the team's quality"),
        Binding(
            "e",
            "correct",
            "Correct",
            id="mq.correct",
            tooltip="Correct the highlighted check (its scores, details or feedback), with why",
        ),
        Binding(
            "v", "void", "Void", id="mq.void", tooltip="Void the highlighted check with a reason: it stays on record"
        ),
    ]

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

    def _highlighted(self) -> QualityCheck | None:
        """The check on the highlighted row (rows are keyed by check id)."""
        table = self.table
        if not table.row_count:
            return None
        check_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((c for c in self._checks if c.id == check_id), None)

    @on(DataTable.RowHighlighted, "#mq-checks")
    def _detail(self) -> None:
        box = self.query_one("#mq-detail", Static)
        c = self._highlighted()
        if c is None:
            box.update(Text("No checks yet. Press s on the Quality list to score one.", style="italic"))
            return
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
                self._corrected(c, standard.pass_mark),
            )
        )

    def _corrected(self, check: QualityCheck, pass_mark: float) -> Text:
        """The last correction on a line of its own, if any: when, who, why, and the score before and after."""
        corrections = self.records.quality.corrections(check.saved_id)
        if not corrections:
            return Text("")
        last = corrections[-1]
        overall = last.changes.get("overall")
        moved = (
            f" (score {show_score(overall[0], pass_mark)} → {show_score(overall[1], pass_mark)})"
            if overall and None not in overall
            else ""
        )
        times = f" ({len(corrections)} corrections)" if len(corrections) > 1 else ""
        return Text.assemble(
            "\n",
            ("Corrected ", "bold"),
            f"{show_stamp(last.at, self.records.tz)} by ",
            plain(last.actor),
            ": ",
            plain(last.reason or "—"),
            moved + times,
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_correct(self) -> None:
        check = self._highlighted()
        if check is None:
            self.notify("No check here to correct.", severity="warning")
            return
        standard = self.records.quality.readable_standard(check.standard_id)
        if standard is None:
            self.notify(f"{check.id}: its standard cannot be read, so it cannot be scored again.", severity="error")
            return
        self.app.push_screen(ScoreCheckScreen(self.member_id, [standard], check))

    def action_void(self) -> None:
        check = self._highlighted()
        if check is None:
            self.notify("No check here to void.", severity="warning")
            return
        self.void_with_reason(
            f"Void {check.id} ({check.date:%d/%m/%Y}, {self.records.quality.shown(check)})? It stays on record "
            "with your reason, out of their scores and trend. Why?",
            lambda reason: self.records.quality.void_check(check.saved_id, reason),
            f"Voided {check.id}; it stays on record with your reason.",
            title="Quality",
        )
