"""Quality: the team's checks at a glance, with what is due and where the team is weakest."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.numbers import whole_number
from ...domain.quality import CRITICAL_MARK, show_score
from ...output import shorten
from ...services import StoreError
from ...widgets.form import Field, RecordForm, parse_each
from ...widgets.saving import write
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from ..improvement.forms import pick_and_plan
from .calibration import CalibrationScreen
from .member import MemberQualityScreen
from .score import ScoreCheckScreen
from .standards import StandardsScreen

FOCUS = 4  # the weakest criteria the team focus lists


class QualityScreen(RecordScreen):
    AUTO_FOCUS = "#quality-team"
    DEFAULT_CSS = """
    QualityScreen #quality-team { height: 1fr; }
    QualityScreen #quality-focus { height: auto; max-height: 8; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("s", "score", "Score a check", id="quality.score", tooltip="Score a check for the highlighted person"),
        Binding(
            "S",
            "standards",
            "Standards",
            id="quality.standards",
            tooltip="See and edit the service standards (a standard in use gets a new edition)",
        ),
        Binding(
            "C",
            "calibration",
            "Calibration",
            id="quality.calibration",
            tooltip="Agreement between supervisors who scored the same interaction",
        ),
        Binding(
            "m",
            "target",
            "Target",
            id="quality.target",
            show=False,
            tooltip="How many checks each person should have a month",
        ),
        Binding(
            "i",
            "improve",
            "Improve",
            id="quality.improve",
            show=False,  # the team focus heading says it
            tooltip="Plan an improvement action from one of the team's weakest criteria (the team focus)",
        ),
        Binding(
            "D",
            "load_pack",
            "Default standards",
            id="quality.pack",
            show=False,
            tooltip="Load the default standards pack (greeting, SERVQUAL, data protection, equality, complaints)",
        ),
    ]

    LEGEND = (
        ("Month", "checks so far this month; reversed with -2: two still due to meet the target (m)"),
        ("Last", "the last check's score; 'crit' after it: it failed a critical item, a fail whatever the score"),
        ("Pass", "share of their checks that passed"),
        ("Trend", "their last eight scores, oldest first: ▁ 50% or lower up to █ 100%; · a check with no score"),
        ("CSAT", "their latest customer satisfaction figure (imported KPIs)"),
        ("Recurring weak spot", "a criterion scored under half in two of their last five checks"),
        ("—", "nothing yet"),
    )

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="quality-title", classes="section-title")
        table = LiteralTable(id="quality-team", cursor_type="row", zebra_stripes=True)
        # Last is wide enough for the longest score show_score gives ("79.96% crit"); 63 + padding = 77.
        for label, width in (
            ("Person", 15),
            ("Month", 5),
            ("Last", 11),
            ("Pass", 5),
            ("Trend", 8),
            ("CSAT", 4),
            ("Recurring weak spot", 15),
        ):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="quality-focus")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """One row per person: this month's checks, the last result, trend and weak spot."""
        return self.query_one("#quality-team", LiteralTable)

    def reload(self) -> None:
        super().reload()
        service = self.records.quality
        today = self.records.clock.today()
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        due_total, due, missed, critical = 0, [], [], []
        for member in self.records.team.members():
            summary = service.member_summary(member.saved_id, today)
            if summary["last_shown"].endswith(CRITICAL_MARK):
                critical.append(member.name)
            due_total += summary["due"]
            if summary["due"]:
                due.append(f"{member.name} ({summary['due']})")
            if summary["missed_last_month"]:
                missed.append(f"{member.name} ({summary['missed_last_month']})")
            kpis = service.kpis_for(member.saved_id)
            csat = f"{kpis[-1].csat:g}" if kpis and kpis[-1].csat is not None else "—"
            month = Text(f"{summary['this_month']}", style="bold reverse" if summary["due"] else "")
            if summary["due"]:
                month.append(f" -{summary['due']}")
            table.add_row(
                plain(shorten(member.name, 15)),
                month,
                summary["last_shown"],
                "—" if summary["pass_rate"] is None else f"{summary['pass_rate']}%",
                summary["trend"] or "—",
                csat,
                plain(shorten(summary["weak"], 15)),
                key=member.id,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        standards = service.current_standards()
        target = service.settings().checks_per_month
        average = service.team_average(today - timedelta(days=90))
        title = (
            f"Quality · {due_total} check(s) due this month (target {target} each, m to change)"
            if standards
            else "Quality · no standards yet: press D to load the default pack"
        )
        self.query_one("#quality-title", Static).update(Text(title, style="bold"))
        weakest = service.team_weak_criteria(today - timedelta(days=90))[:FOCUS]
        lines = []
        if critical:
            lines.append(
                Text.assemble(
                    (f"{CRITICAL_MARK}: ", "bold"),
                    "the last check failed a critical item, a fail whatever the score: ",
                    plain(", ".join(critical)),
                )
            )
        if missed:
            lines.append(Text.assemble(("Overdue from last month: ", "bold"), plain(", ".join(missed))))
        if due:
            lines.append(Text.assemble(("Still due this month: ", "bold"), plain(", ".join(due))))
        if average:
            mean, mark, passed, count = average
            lines.append(
                Text.assemble(
                    ("Team average (90 days): ", "bold"),
                    f"{show_score(mean, mark)} against a pass mark of {mark:g}% · {passed}/{count} passed",
                )
            )
        lines.append(
            Text.assemble(
                ("Team focus (last 90 days), weakest criteria first", "bold"), (" (i: plan an improvement)", "dim")
            )
        )
        lines += [
            Text.assemble(f"{w.share * 100:4.0f}%  ", plain(w.text), (f"  ({w.scored} scored)", "dim")) for w in weakest
        ] or [Text("No checks in the last 90 days.", style="italic")]
        self.query_one("#quality-focus", Static).update(Text("\n").join(lines))

    def _member_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#quality-team")
    def _open_member(self) -> None:
        member_id = self._member_id()
        if member_id:
            self.app.push_screen(MemberQualityScreen(member_id))

    def action_target(self) -> None:
        fields = [
            Field(
                "checks_per_month",
                "Checks per month",
                "number",
                required=True,
                hint="for each person; 0 switches the reminder off",
            )
        ]

        def save(values: dict) -> object:
            count = parse_each(values, {"checks_per_month": whole_number})["checks_per_month"]
            return self.records.quality.set_checks_per_month(count)

        values = {"checks_per_month": str(self.records.quality.settings().checks_per_month)}
        self.app.push_screen(
            RecordForm("Quality checks each person should have a month", fields, values, save), lambda _: self.reload()
        )

    def action_improve(self) -> None:
        """One of the team focus's weakest criteria to plan an improvement action from."""
        weakest = self.records.quality.team_weak_criteria(self.records.clock.today() - timedelta(days=90))
        improvement = self.records.improvement
        pick_and_plan(
            self,
            "Plan an improvement action from a weak criterion (last 90 days, weakest first)",
            "Criterion",
            [(f"{w.share * 100:.0f}% {w.text}", w.subject) for w in weakest],
            lambda subject: improvement.draft_from_criterion(*subject.split(":", 1)),
        )

    def action_standards(self) -> None:
        self.app.push_screen(StandardsScreen())

    def action_calibration(self) -> None:
        self.app.push_screen(CalibrationScreen())

    @work(group="write-flow")
    async def action_load_pack(self) -> None:
        try:
            created = await write(self, self.records.quality.load_default_pack)
        except StoreError as exc:
            self.notify(str(exc), severity="error", title="Not loaded")
            return
        self.notify(
            f"Loaded {len(created)} standard(s)" if created else "The default standards are already here",
            title="Quality",
        )
        self.reload()

    def action_score(self) -> None:
        member_id = self._member_id()
        standards = self.records.quality.current_standards()
        if member_id is None or not standards:
            self.notify("Add team members and load standards (D) first.", severity="warning")
            return
        self.app.push_screen(ScoreCheckScreen(member_id, standards))
