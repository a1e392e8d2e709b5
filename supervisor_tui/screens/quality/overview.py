"""Quality: the team's checks at a glance, and scoring a check fast by keyboard."""

from __future__ import annotations

from datetime import timedelta

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from supervisor_tui.storage import StoreError

from ...domain.base import explain
from ...domain.dates import DateInputError
from ...domain.numbers import decimal_number, whole_number
from ...domain.quality import (
    CHANNELS,
    CRITICAL_MARK,
    KINDS,
    NA,
    QualityCheck,
    Scale,
    ScoreError,
    Standard,
    balance_prompt,
    calibrate,
    read_score,
    score_check,
    show_score,
    weakest_criteria,
)
from ...output import shorten
from ...widgets.form import Field, FormErrors, RecordForm, parse_each
from ...widgets.prompt import ReasonPrompt
from ...widgets.text import LiteralSelect, LiteralTable, plain
from ..base import RecordScreen


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
            "D",
            "load_pack",
            "Default standards",
            id="quality.pack",
            show=False,
            tooltip="Load the default standards pack (greeting, SERVQUAL, data protection, equality, complaints)",
        ),
    ]

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

    def reload(self) -> None:
        super().reload()
        service = self.records.quality
        today = self.records.clock.today()
        table = self.query_one("#quality-team", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        due_total, due, missed, critical = 0, [], [], []
        for member in self.records.team.members():
            summary = service.member_summary(member.id, today)
            if summary["last_shown"].endswith(CRITICAL_MARK):
                critical.append(member.name)
            due_total += summary["due"]
            if summary["due"]:
                due.append(f"{member.name} ({summary['due']})")
            if summary["missed_last_month"]:
                missed.append(f"{member.name} ({summary['missed_last_month']})")
            kpis = service.kpis_for(member.id)
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
        weakest = service.team_weakest(today - timedelta(days=90))[:4]
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
        lines.append(Text("Team focus (last 90 days), weakest criteria first:", style="bold"))
        lines += [
            Text.assemble(f"{share * 100:4.0f}%  ", plain(text), (f"  ({n} scored)", "dim"))
            for text, share, n in weakest
        ] or [Text("No checks in the last 90 days.", style="italic")]
        self.query_one("#quality-focus", Static).update(Text("\n").join(lines))

    def _member_id(self) -> str | None:
        table = self.query_one("#quality-team", DataTable)
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

    def action_standards(self) -> None:
        self.app.push_screen(StandardsScreen())

    def action_calibration(self) -> None:
        self.app.push_screen(CalibrationScreen())

    def action_load_pack(self) -> None:
        try:
            created = self.records.quality.load_default_pack()
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


class ScoreCheckScreen(RecordScreen):
    """Score criterion by criterion: y yes, n no, x N/A, 0-9 points; each key moves to the next."""

    AUTO_FOCUS = "#score-table"
    DEFAULT_CSS = """
    ScoreCheckScreen .score-row { height: 1; }
    ScoreCheckScreen .score-row Label { width: 9; color: $text-muted; }
    ScoreCheckScreen .score-row Input, ScoreCheckScreen .score-row Select { width: 1fr; margin-right: 1; }
    ScoreCheckScreen #score-table { height: 1fr; }
    ScoreCheckScreen #score-result { height: auto; padding: 0 1; background: $boost; }
    ScoreCheckScreen #score-guidance { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("y", "mark('yes')", "Yes", id="score.yes", tooltip="Score the criterion yes"),
        Binding("n", "mark('no')", "No", id="score.no", tooltip="Score the criterion no"),
        Binding("x", "mark('na')", "N/A", id="score.na", tooltip="Not applicable: leaves the denominator"),
        Binding("c", "comment", "Comment", id="score.comment", tooltip="Add a comment to the highlighted criterion"),
        Binding(
            "ctrl+s",
            "finish",
            "Feedback + save",
            id="score.save",
            tooltip="Add strengths, development points and follow-up, then save",
        ),
        Binding("escape", "back", "Cancel", id="score.cancel", tooltip="Leave without saving"),
    ] + [
        Binding(str(d), f"mark('{d}')", str(d), show=False, id=f"score.{d}", tooltip=f"Score {d} points")
        for d in range(10)
    ]

    def __init__(self, member_id: str, standards: list[Standard]):
        super().__init__()
        self.member_id = member_id
        self.standards = standards
        # The everyday standard first; complaint handling etc. are a choice away.
        self.standard = next((s for s in standards if s.family == "core-service"), standards[0])
        self.scores: dict[str, str | int] = {}
        self.comments: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="score-title")
        with Horizontal(classes="score-row"):
            yield Label("Standard")
            yield LiteralSelect(
                [(f"{s.name} (ed. {s.edition})", s.id) for s in self.standards],
                value=self.standard.id,
                id="score-standard",
                compact=True,
                allow_blank=False,
            )
            yield Label("Date")
            yield Input("today", id="score-date", compact=True)
        with Horizontal(classes="score-row"):
            yield Label("Channel")
            yield LiteralSelect(
                [(c, c) for c in CHANNELS], value="phone", id="score-channel", compact=True, allow_blank=False
            )
            yield Label("Kind")
            yield LiteralSelect(
                [(k, k) for k in KINDS], value="call listen", id="score-kind", compact=True, allow_blank=False
            )
            yield Label("Ref")
            yield Input(placeholder="order / call id", id="score-ref", compact=True)
        table = LiteralTable(id="score-table", cursor_type="row")
        table.add_column("Section", width=12)
        table.add_column("Criterion", width=46)
        table.add_column("Score", width=7)
        yield table
        yield Static("", id="score-guidance")
        yield Static("", id="score-result")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        name = self.records.team.get(self.member_id).name
        self.query_one("#score-title", Static).update(
            Text.assemble(
                ("Score a check for ", "bold"),
                plain(name, "bold"),
                ("   y yes · n no · x N/A · 0-9 points · ctrl+s finish", "dim"),
            )
        )
        self._draw()

    def _draw(self) -> None:
        table = self.query_one("#score-table", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        for c in self.standard.criteria:
            value = self.scores.get(c.key)
            shown = (
                ""
                if value is None
                else ("N/A" if value == NA else f"{value}/{c.max_points}" if c.scale == Scale.points else str(value))
            )
            flag = "!" if c.critical else ""
            scale = f"0-{c.max_points}" if c.scale == Scale.points else "y/n"
            noted = " ✎" if c.key in self.comments else ""
            table.add_row(
                plain(shorten(c.section, 12)),
                plain(shorten(f"{flag}{c.text} [{scale}]", 46)),
                plain(shown + noted, "bold"),
                key=c.key,
            )
        table.move_cursor(row=min(row, table.row_count - 1))
        result = score_check(self.standard, self.scores)
        self.query_one("#score-result", Static).update(
            plain(
                f"{len(self.scores)}/{len(self.standard.criteria)} scored · " + result.why(self.standard.pass_mark),
                "bold",
            )
        )
        self._guidance()

    @on(DataTable.RowHighlighted, "#score-table")
    def _guidance(self) -> None:
        table = self.query_one("#score-table", DataTable)
        if table.row_count:
            c = self.standard.criteria[table.cursor_row]
            note = f"  Your comment: {self.comments[c.key]}" if c.key in self.comments else ""
            self.query_one("#score-guidance", Static).update(
                plain(("CRITICAL: a fail fails the check. " if c.critical else "") + c.guidance + note)
            )

    @on(Select.Changed, "#score-standard")
    def _standard(self, event: Select.Changed) -> None:
        self.standard = next(s for s in self.standards if s.id == event.value)
        self.scores = {}
        if self.is_mounted:
            self._draw()

    def action_mark(self, raw: str) -> None:
        if not isinstance(self.focused, DataTable):
            return  # typing into the date or reference fields
        table = self.query_one("#score-table", DataTable)
        criterion = self.standard.criteria[table.cursor_row]
        try:
            self.scores[criterion.key] = read_score(criterion, raw)
        except ScoreError as exc:
            self.notify(str(exc), severity="warning", title="Not scored")
            return
        self._draw()
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_comment(self) -> None:
        table = self.query_one("#score-table", DataTable)
        criterion = self.standard.criteria[table.cursor_row]

        def done(text: str | None) -> None:
            if text:
                self.comments[criterion.key] = text
                self._draw()

        self.app.push_screen(ReasonPrompt(f"Comment on: {criterion.text}", "what you saw or heard"), done)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Letters and digits type into the date and reference boxes; they score only in the table.
        if action in ("mark", "comment") and not isinstance(self.focused, DataTable):
            return False
        return True

    def action_finish(self) -> None:
        try:
            day = self.records.clock.read_date(self.query_one("#score-date", Input).value)
        except DateInputError as exc:
            self.notify(f"Date: {exc}", severity="error", title="Not saved")
            return
        result = score_check(self.standard, self.scores)
        if result.missing:
            self.notify(
                f"Score every criterion first ({len(result.missing)} left; x marks N/A).",
                severity="warning",
                title="Not finished",
            )
            return
        try:  # the date (not in the future) and the rest are checked before the feedback is written
            draft = self.records.quality.checked_draft(
                QualityCheck(
                    member_id=self.member_id,
                    date=day,
                    standard_id=self.standard.id,
                    channel=str(self.query_one("#score-channel", Select).value),
                    kind=str(self.query_one("#score-kind", Select).value),
                    reference=self.query_one("#score-ref", Input).value,
                    scores=dict(self.scores),
                    comments=dict(self.comments),
                )
            )
        except ValidationError as exc:
            self.notify("; ".join(explain(exc, QualityCheck)), severity="error", title="Not saved")
            return
        fields = [
            Field("strengths", "Strengths", "long", hint="what went well, specifically"),
            Field("development", "Development points", "long", hint="observed behaviour, not personality"),
            Field("follow_up", "Agreed follow-up", hint="what happens next, by when"),
            Field("discussed_on", "Discussed on", "date", hint="when you talked it through (blank: not yet)"),
            Field("member_comment", "Their comment", "long", hint="their view, in their words"),
        ]
        nudged = {"done": False}

        def save(values: dict) -> QualityCheck:
            prompt = balance_prompt(values["strengths"], values["development"])
            if prompt and not nudged["done"]:
                nudged["done"] = True  # a gentle prompt, once: saving again goes ahead
                raise FormErrors({"strengths": prompt + " (Save again to go ahead.)"})
            discussed = None
            if values["discussed_on"].strip():
                try:
                    discussed = self.records.clock.read_date(values["discussed_on"])
                except DateInputError as exc:
                    raise FormErrors({"discussed_on": str(exc)}) from None
            return self.records.quality.save_check(
                draft.model_copy(
                    update={
                        "strengths": values["strengths"],
                        "development": values["development"],
                        "follow_up": values["follow_up"],
                        "discussed_on": discussed,
                        "member_comment": values["member_comment"],
                    }
                )
            )

        def done(saved: QualityCheck | None) -> None:
            if saved is not None:
                verdict = "pass" if saved.passed else "not a pass"
                self.notify(
                    f"{saved.id} saved: {self.records.quality.shown(saved)} ({verdict})"
                    if saved.overall is not None
                    else f"{saved.id} saved",
                    title="Quality",
                )
                self.app.pop_screen()

        title = f"Feedback · {result.why(self.standard.pass_mark)}"
        self.app.push_screen(RecordForm(title, fields, {"discussed_on": ""}, save), done)

    def action_back(self) -> None:
        self.app.pop_screen()


class MemberQualityScreen(RecordScreen):
    """One person's checks over time, with the why of each result and their KPIs alongside."""

    AUTO_FOCUS = "#mq-checks"
    DEFAULT_CSS = """
    MemberQualityScreen #mq-head { height: auto; padding: 0 1; }
    MemberQualityScreen #mq-checks { height: 1fr; }
    MemberQualityScreen #mq-detail { height: auto; max-height: 5; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="mq.back", tooltip="Back to the team's quality")]

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
        table = self.query_one("#mq-checks", DataTable)
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
        table = self.query_one("#mq-checks", DataTable)
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

    def reload(self) -> None:
        super().reload()
        table = self.query_one("#cal-table", DataTable)
        table.clear()
        sessions = self.records.quality.calibration_sessions()
        if not sessions:
            self.query_one("#cal-head", Static).update(
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
        self.query_one("#cal-head", Static).update(
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

    def reload(self) -> None:
        super().reload()
        standard = self.standard
        table = self.query_one("#std-table", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        if standard is None:
            self.query_one("#std-head", Static).update(
                Text("No standards yet: press D on the Quality list.", style="italic")
            )
            return
        used = sum(c.standard_id == standard.id for c in self.records.quality.checks.all(include_voided=True))
        self.query_one("#std-head", Static).update(
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
        table = self.query_one("#std-table", DataTable)
        standard = self.standard
        if standard and table.row_count:
            self.query_one("#std-guidance", Static).update(plain(standard.criteria[table.cursor_row].guidance))

    def action_next_standard(self) -> None:
        self.index += 1
        self.reload()

    def _save_edit(self, changes: dict, what: str) -> Standard:
        standard = self.standard
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
            return self._save_edit({"pass_mark": mark}, f"Pass mark {mark:g}%")

        self.app.push_screen(
            RecordForm(f"Pass mark for {standard.name}", fields, {"pass_mark": f"{standard.pass_mark:g}"}, save),
            lambda _: self.reload(),
        )

    def action_edit_criterion(self) -> None:
        standard = self.standard
        table = self.query_one("#std-table", DataTable)
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
            return self._save_edit({"criteria": criteria}, criterion.text)

        values = {"weight": f"{criterion.weight:g}", "critical": criterion.critical, "guidance": criterion.guidance}
        self.app.push_screen(RecordForm(f"Edit: {criterion.text}", fields, values, save), lambda _: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
