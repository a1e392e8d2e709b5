"""Calibration: every session, newest first; start one, score one, open one to see where scorers differ."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.quality import CHANNELS, KINDS, CalibrationSession
from ...output import shorten
from ...services.quality import Calibration
from ...widgets.form import Field, FormErrors, RecordForm, field_errors, parse_each
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .calibration_session import CalibrationSessionScreen
from .score import score_calibration


class CalibrationScreen(RecordScreen):
    """Every calibration session, newest first: who has scored each and how far apart they are."""

    AUTO_FOCUS = "#cal-sessions"
    DEFAULT_CSS = """
    CalibrationScreen #cal-title { height: auto; padding: 0 1; }
    CalibrationScreen #cal-sessions { height: 1fr; }
    CalibrationScreen #cal-detail { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="cal.back", tooltip="Back to the team's quality"),
        Binding(
            "n",
            "start",
            "New session",
            id="cal.start",
            tooltip="Start a session: the interaction, and the standard every supervisor scores it on",
        ),
        Binding(
            "s",
            "score",
            "Score it",
            id="cal.score",
            tooltip="Score the highlighted session's interaction yourself (once each, on your own)",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="cal.open",
            show=False,
            tooltip="Where the scorers differ, criterion by criterion",
        ),
    ]
    LEGEND = (
        ("Scored", "how many supervisors have scored the session so far"),
        ("Apart", "how many points the highest and lowest overall scores are apart (— until two have scored)"),
        ("· you", "after the count: you are one of them"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[Calibration] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="cal-title")
        table = LiteralTable(id="cal-sessions", cursor_type="row", zebra_stripes=True)
        # 26+10+16+9+5 with a cell of padding each side: 76 columns.
        for label, width in (("Session", 26), ("Date", 10), ("Whose", 16), ("Scored", 9), ("Apart", 5)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="cal-detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The sessions, newest first."""
        return self.query_one("#cal-sessions", LiteralTable)

    def reload(self) -> None:
        super().reload()
        self._shown = self.records.quality.calibrations()
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        me = self.records.login
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for cal in self._shown:
            _, apart = cal.agreement()
            session = cal.session
            table.add_row(
                plain(shorten(session.name, 26)),
                f"{session.date:%d/%m/%Y}",
                plain(shorten(names.get(session.member_id, session.member_id), 16)),
                f"{len(cal.checks)}" + (" · you" if cal.scored_by(me) else ""),
                f"{apart:g}" if len(cal.checks) > 1 else "—",
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        count = len(self._shown)
        self.query_one("#cal-title", Static).update(
            Text.assemble(
                (f"Calibration · {count} session{'' if count == 1 else 's'}", "bold"),
                (" · n starts one; each supervisor scores it on their own (s)", "dim"),
            )
        )
        self._show_detail()

    def _highlighted(self) -> Calibration | None:
        table = self.table
        return self._shown[table.cursor_row] if table.row_count else None

    @on(DataTable.RowHighlighted, "#cal-sessions")
    def _show_detail(self) -> None:
        cal = self._highlighted()
        detail = self.query_one("#cal-detail", Static)
        if cal is None:
            detail.update(Text("No calibration sessions yet: n starts one.", style="italic"))
            return
        s, standard = cal.session, cal.standard
        who = ", ".join(sorted(c.created_by or "?" for c in cal.checks)) or "nobody yet"
        mine = cal.scored_by(self.records.login)
        detail.update(
            Text.assemble(
                plain(f"{standard.name} ed. {standard.edition} · {s.channel} {s.kind}"),
                plain(f" · {s.reference}" if s.reference else ""),
                "\nScored by ",
                plain(who),
                (f" · you scored it ({mine.id}); Enter compares" if mine else " · s to score it yourself", "dim"),
            )
        )

    @on(DataTable.RowSelected, "#cal-sessions")
    def action_open(self) -> None:
        cal = self._highlighted()
        if cal is not None:
            self.app.push_screen(CalibrationSessionScreen(cal.session.name))

    def action_score(self) -> None:
        cal = self._highlighted()
        if cal is None:
            self.notify("No session to score: n starts one.", severity="warning")
            return
        score_calibration(self, cal)

    def action_start(self) -> None:
        quality, team = self.records.quality, self.records.team
        standards = quality.current_standards()
        if not standards or not team.members():
            self.notify("Add team members and load standards (D on Quality) first.", severity="warning")
            return
        fields = [
            Field("name", "Session", required=True, hint="e.g. December calibration"),
            Field(
                "member_id",
                "Whose interaction",
                "choice",
                options=[(m.name, m.saved_id) for m in team.members()],
                required=True,
            ),
            Field(
                "standard_id",
                "Standard",
                "choice",
                options=[(f"{s.name} (ed. {s.edition})", s.saved_id) for s in standards],
                required=True,
            ),
            Field("date", "Date", "date", required=True, hint="of the interaction: dd/mm/yyyy, today, -2d"),
            Field("channel", "Channel", "choice", options=[(c, c) for c in CHANNELS], required=True),
            Field("kind", "Kind", "choice", options=[(k, k) for k in KINDS], required=True),
            Field("reference", "Reference", hint="the call, chat or order, so every scorer finds the same one"),
        ]
        core = next((s for s in standards if s.family == "core-service"), standards[0])
        values = {"date": "today", "channel": "phone", "kind": "call listen", "standard_id": core.saved_id}

        def save(typed: dict) -> CalibrationSession:
            day = parse_each(typed, {"date": self.records.clock.read_date})["date"]
            try:
                return quality.start_calibration(CalibrationSession(**{**typed, "date": day}))
            except ValueError as exc:  # a name already used: under its field
                raise FormErrors(field_errors(str(exc).splitlines(), fields)) from None

        def done(started: CalibrationSession | None) -> None:
            if started is not None:
                self.notify(f"{started.id} {started.name} started: s scores it", title="Calibration")
                self.reload()

        self.app.push_screen(RecordForm("Start a calibration session", fields, values, save), done)

    def action_back(self) -> None:
        self.app.pop_screen()
