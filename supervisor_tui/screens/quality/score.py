"""Scoring a quality check fast by keyboard, criterion by criterion, then the feedback; correcting one
the same way (its scores, details and feedback laid out again, with why the change)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from ...domain.base import RecordModel, explain
from ...domain.dates import DateInputError
from ...domain.quality import (
    CHANNELS,
    KINDS,
    NA,
    CalibrationSession,
    QualityCheck,
    Scale,
    ScoreError,
    Standard,
    balance_prompt,
    read_score,
    score_check,
)
from ...output import shorten
from ...services.quality import Calibration
from ...widgets.discard import KeepsUnsavedWork, how_many
from ...widgets.form import Field, FormErrors, RecordForm
from ...widgets.prompt import ReasonPrompt
from ...widgets.text import LiteralInput, LiteralSelect, LiteralTable, plain
from ..base import RecordScreen

FEEDBACK_FIELDS = [
    Field("strengths", "Strengths", "long", hint="what went well, specifically"),
    Field("development", "Development points", "long", hint="observed behaviour, not personality"),
    Field("follow_up", "Agreed follow-up", hint="what happens next, by when"),
    Field("discussed_on", "Discussed on", "date", hint="when you talked it through (blank: not yet)"),
    Field("member_comment", "Their comment", "long", hint="their view, in their words"),
]


def feedback_values(check: QualityCheck) -> dict[str, str]:
    """A saved check's feedback as the form shows it."""
    return {
        "strengths": check.strengths,
        "development": check.development,
        "follow_up": check.follow_up,
        "discussed_on": f"{check.discussed_on:%d/%m/%Y}" if check.discussed_on else "",
        "member_comment": check.member_comment,
    }


class ScoreCheckScreen(KeepsUnsavedWork, RecordScreen):
    """Score criterion by criterion: y yes, n no, x N/A, 0-9 points; each key moves to the next.

    Given a saved ``check``, the same screen corrects it: its scores and details to change, then its
    feedback with why the change (the check is scored again on its own edition when saved)."""

    AUTO_FOCUS = "#score-table"
    DEFAULT_CSS = """
    ScoreCheckScreen .score-row { height: 1; }
    ScoreCheckScreen .score-row Label { width: 9; color: $text-muted; }
    ScoreCheckScreen .score-row Input, ScoreCheckScreen .score-row Select { width: 1fr; margin-right: 1; }
    ScoreCheckScreen #score-table { height: 1fr; }
    ScoreCheckScreen #score-result { height: auto; padding: 0 1; background: $boost; }
    ScoreCheckScreen #score-guidance { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "mark('yes')", "Yes", id="score.yes", tooltip="Score the criterion yes"),
        Binding("n", "mark('no')", "No", id="score.no", tooltip="Score the criterion no"),
        Binding("x", "mark('na')", "N/A", id="score.na", tooltip="Not applicable: leaves the denominator"),
        Binding("c", "comment", "Comment", id="score.comment", tooltip="Add a comment to the highlighted criterion"),
        Binding(
            "ctrl+s",
            "finish",
            "Finish",
            id="score.save",
            tooltip="Add strengths, development points and follow-up, then save",
        ),
        Binding(
            "escape",
            "back",
            "Cancel",
            id="score.cancel",
            tooltip="Leave without saving; asks first if anything was scored",
        ),
        *(
            Binding(str(d), f"mark('{d}')", str(d), show=False, id=f"score.{d}", tooltip=f"Score {d} points")
            for d in range(10)
        ),
    ]

    LEGEND = (
        ("!", "a critical criterion: a no fails the whole check, whatever the score"),
        ("y/n", "scored yes or no"),
        ("0-3", "scored in points, up to the number shown"),
        ("N/A", "not applicable: left out of the score altogether"),
        ("✎", "a comment is attached (c)"),
    )

    def __init__(
        self,
        member_id: str,
        standards: list[Standard],
        check: QualityCheck | None = None,
        session: CalibrationSession | None = None,
    ):
        """``check``: a saved check to correct. ``session``: scoring a calibration session's interaction,
        whose standard (the only one of ``standards``), date, channel, kind and reference are the
        session's and stay as they are."""
        super().__init__()
        self.member_id = member_id
        self.correcting = check
        self.session = session
        if check is not None:  # a correction keeps the edition the check was scored on
            standards = [s for s in standards if s.id == check.standard_id]
        self.standards = standards
        # The everyday standard first; complaint handling etc. are a choice away.
        self.standard = next((s for s in standards if s.family == "core-service"), standards[0])
        self.scores: dict[str, str | int] = dict(check.scores) if check else {}
        self.comments: dict[str, str] = dict(check.comments) if check else {}
        self._shown: dict[str, object] = {}  # the details as the screen opened (see unsaved)

    def discard_what(self) -> str:
        return f"your corrections to {self.correcting.id}" if self.correcting else "this check"

    def compose(self) -> ComposeResult:
        check = self.correcting
        source = check or self.session  # the details shown: the check corrected, or the session's
        fixed = self.session is not None  # a session's interaction is the same for every scorer
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
                disabled=fixed,
            )
            yield Label("Date")
            yield LiteralInput(
                f"{source.date:%d/%m/%Y}" if source else "today", id="score-date", compact=True, disabled=fixed
            )
        with Horizontal(classes="score-row"):
            yield Label("Channel")
            yield LiteralSelect(
                [(c, c) for c in CHANNELS],
                value=source.channel if source else "phone",
                id="score-channel",
                compact=True,
                allow_blank=False,
                disabled=fixed,
            )
            yield Label("Kind")
            yield LiteralSelect(
                [(k, k) for k in KINDS],
                value=source.kind if source else "call listen",
                id="score-kind",
                compact=True,
                allow_blank=False,
                disabled=fixed,
            )
            yield Label("Ref")
            yield LiteralInput(
                source.reference if source else "",
                placeholder="order / call id",
                id="score-ref",
                compact=True,
                disabled=fixed,
            )
        table = LiteralTable(id="score-table", cursor_type="row")
        table.add_column("Section", width=12)
        table.add_column("Criterion", width=46)
        table.add_column("Score", width=7)
        yield table
        yield Static("", id="score-guidance")
        yield Static("", id="score-result")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The standard's criteria and the score given to each so far."""
        return self.query_one("#score-table", LiteralTable)

    def on_mount(self) -> None:
        super().on_mount()
        self._shown = self._details()

    def _details(self) -> dict[str, object]:
        """What is typed or chosen besides the scores: the date, channel, kind and reference."""
        return {
            "date": self.query_one("#score-date", Input).value,
            "channel": self.query_one("#score-channel", Select).value,
            "kind": self.query_one("#score-kind", Select).value,
            "reference": self.query_one("#score-ref", Input).value,
        }

    def unsaved(self) -> list[str]:
        before = self.correcting
        scores, comments = (before.scores, before.comments) if before else ({}, {})
        lost = [
            how_many(sum(self.scores.get(k) != scores.get(k) for k in {*self.scores, *scores}), "score"),
            how_many(sum(self.comments.get(k) != comments.get(k) for k in {*self.comments, *comments}), "comment"),
        ]
        lost = [words for words in lost if not words.startswith("0 ")]
        details = self._details()
        lost += [name for name, value in details.items() if value != self._shown.get(name)]
        return lost

    def leave(self) -> None:
        self.app.pop_screen()

    def reload(self) -> None:
        super().reload()
        name = self.records.team.get(self.member_id).name
        self.query_one("#score-title", Static).update(
            Text.assemble(
                plain(self.session.name, "bold"), " · ", plain(name, "bold"), ("   scored on your own", "dim")
            )
            if self.session
            else Text.assemble(
                (f"Correct {self.correcting.id} · " if self.correcting else "Score a check for ", "bold"),
                plain(name, "bold"),
                ("   y yes · n no · x N/A · 0-9 points · ctrl+s finish", "dim"),
            )
        )
        self._draw()

    def _draw(self) -> None:
        table = self.table
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
        table = self.table
        if table.row_count:
            c = self.standard.criteria[table.cursor_row]
            note = f"  Your comment: {self.comments[c.key]}" if c.key in self.comments else ""
            self.query_one("#score-guidance", Static).update(
                plain(("CRITICAL: a fail fails the check. " if c.critical else "") + c.guidance + note)
            )

    @on(Select.Changed, "#score-standard")
    def _standard(self, event: Select.Changed) -> None:
        if event.value == self.standard.id:  # (said as the list is first filled: not a change)
            return
        self.standard = next(s for s in self.standards if s.id == event.value)
        self.scores = {}
        if self.is_mounted:
            self._draw()

    def action_mark(self, raw: str) -> None:
        if not isinstance(self.focused, DataTable):
            return  # typing into the date or reference fields
        table = self.table
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
        table = self.table
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
        base = self.correcting
        try:  # the date (not in the future) and the rest are checked before the feedback is written
            draft = self.records.quality.checked_draft(
                self.session.check(dict(self.scores), dict(self.comments))
                if self.session
                else QualityCheck(
                    **(base.model_dump(include=set(RecordModel.model_fields)) if base else {}),
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
        nudged = False

        def save(values: dict) -> QualityCheck:
            nonlocal nudged
            prompt = balance_prompt(values["strengths"], values["development"])
            if prompt and not nudged:
                nudged = True  # a gentle prompt, once: saving again goes ahead
                raise FormErrors({"strengths": prompt + " (Save again to go ahead.)"})
            discussed = None
            if values["discussed_on"].strip():
                try:
                    discussed = self.records.clock.read_date(values["discussed_on"])
                except DateInputError as exc:
                    raise FormErrors({"discussed_on": str(exc)}) from None
            check = draft.model_copy(
                update={
                    "strengths": values["strengths"],
                    "development": values["development"],
                    "follow_up": values["follow_up"],
                    "discussed_on": discussed,
                    "member_comment": values["member_comment"],
                }
            )
            quality = self.records.quality
            return quality.correct_check(check, values["reason"]) if base else quality.save_check(check)

        def reload() -> dict:
            """After a conflict: the feedback as now stored, under the scores typed here."""
            nonlocal draft
            stored = self.records.quality.check(draft.saved_id)
            draft = draft.model_copy(update={"version": stored.version})
            return feedback_values(stored)

        def done(saved: QualityCheck | None) -> None:
            if saved is None:
                return
            verdict = "pass" if saved.passed else "not a pass"
            did = "corrected" if base else "saved"
            was = f"; it was {self.records.quality.shown(base)}" if base else ""
            self.notify(
                f"{saved.id} {did}: {self.records.quality.shown(saved)} ({verdict}{was})"
                if saved.overall is not None
                else f"{saved.id} {did}",
                title="Quality",
            )
            self.app.pop_screen()

        why = result.why(self.standard.pass_mark)
        if base is None:
            form = RecordForm(f"Feedback · {why}", FEEDBACK_FIELDS, {"discussed_on": ""}, save)
        else:
            form = RecordForm(
                f"Correct {base.id} · {why}", FEEDBACK_FIELDS, feedback_values(base), save, reload, reason=True
            )
        self.app.push_screen(form, done)

    def action_back(self) -> None:
        self.leave_or_ask()


def score_calibration(screen: RecordScreen, cal: Calibration) -> None:
    """Score a calibration session's interaction, once per supervisor (a second would count twice)."""
    mine = cal.scored_by(screen.records.login)
    if mine is not None:
        screen.notify(
            f"You scored {cal.session.name} already ({mine.id}); each supervisor scores it once.",
            severity="warning",
            title="Calibration",
        )
        return
    screen.app.push_screen(ScoreCheckScreen(cal.session.member_id, [cal.standard], session=cal.session))
