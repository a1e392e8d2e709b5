"""An improvement action's page: what prompted it, the plan and its SMART check, the measure with its
baseline, the briefings that told the team and the progress notes, the review's before and after, the
decision, and the chain of cycles; each step of plan-do-check-act is one key."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...domain.improvement import DECIDED, STAGE_WORDS, ImprovementAction
from ...domain.measures import target_words
from ...services import StoreError
from ...widgets.text import plain
from ..base import RecordScreen
from .forms import ask_note, open_correction_form, open_decide_form, open_tell_form, start_review
from .plan_form import NOT_SMART_YET

if TYPE_CHECKING:
    from ...app import SupervisorApp

# What 'o' opens for each kind of source that has a page of its own (the others go to their section).
SOURCE_PAGES = {"complaint": "screens.complaints:ComplaintPage", "suggestion": "screens.team:MemberScreen"}
SOURCE_SECTIONS = {"root cause": "complaints", "criterion": "quality", "kpi": "quality"}


class ActionPage(RecordScreen):
    AUTO_FOCUS = "#iap-page"
    DEFAULT_CSS = """
    ActionPage #iap-page { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="action.back", tooltip="Back to where it was opened from"),
        Binding(
            "b",
            "tell",
            "Tell",
            id="action.tell",
            tooltip="Link the briefing that told the team of the change (it starts then); or write today's",
        ),
        Binding("t", "note", "Note", id="action.note", tooltip="Add a progress note, dated today"),
        Binding(
            "r",
            "review",
            "Review",
            id="action.review",
            tooltip="Measure it again over the same number of weeks, see it beside the baseline, say what it found",
        ),
        Binding(
            "d",
            "decide",
            "Decide",
            id="action.decide",
            tooltip="Adopt, adjust (its next cycle, planned then and there) or abandon it, with why",
        ),
        Binding(
            "o",
            "source",
            "Source",
            id="action.source",
            show=False,  # the page's "Prompted by" line says it
            tooltip="Open what prompted it: the complaint, the person who suggested it, or its section",
        ),
        Binding(
            "c",
            "correct",
            "Correct",
            id="action.correct",
            show=False,
            tooltip="Correct what was planned (wording, owner, target, review date), with why; readings stay",
        ),
        Binding(
            "v",
            "void",
            "Void",
            id="action.void",
            show=False,
            tooltip="Void an action planned by mistake, with why: it stays on record, out of every list",
        ),
    ]
    LEGEND = (
        ("before", "the baseline: the measure over the weeks before it was planned, read then and kept"),
        ("after", "the same measure over the same number of weeks, up to the day before the review"),
        (
            "so far",
            "before the review: the same weeks' length up to yesterday, once they no longer overlap the baseline",
        ),
        ("(7 complaints)", "the cases behind a figure: with few of them a change is not yet a trend"),
        ("too few cases", "too few cases on either side to call it better or worse"),
        ("late", "its review date has passed and it has not been reviewed"),
    )

    def __init__(self, action_id: str):
        super().__init__()
        self.action_id = action_id

    @property
    def action(self) -> ImprovementAction:
        return self.records.improvement.get(self.action_id)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="iap-page"):
            yield Static("", id="iap-body")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        self.query_one("#iap-body", Static).update(Text("\n").join(self._lines(self.action)))

    # -- what it shows -------------------------------------------------------------------------------
    def _lines(self, a: ImprovementAction) -> list[Text]:
        today = self.records.clock.today()
        lines = [
            Text.assemble(plain(f"{a.id} ", "bold"), plain(a.title, "bold")),
            Text.assemble(
                (STAGE_WORDS[a.stage] if not a.decision else f"Act: {DECIDED[a.decision]}", "bold"),
                " · owner ",
                plain(a.owner),
                f" · planned {a.planned_on:%d/%m/%Y}",
            ),
        ]
        if a.voided:
            lines.append(Text.assemble(("Voided: ", "bold reverse"), plain(a.void_reason or "")))
        lines += self._source(a)
        lines += [Text(""), *self._plan(a, today), Text(""), *self._do(a), Text(""), *self._check(a, today)]
        lines += [Text(""), *self._act(a), *self._cycles(a), Text(""), *self._changes(a)]
        return lines

    def _source(self, a: ImprovementAction) -> list[Text]:
        service = self.records.improvement
        opens = "  (o opens it)" if a.source.kind in SOURCE_PAGES or a.source.kind in SOURCE_SECTIONS else ""
        lines = [Text.assemble(("Prompted by: ", "bold"), plain(service.source_label(a.source)), (opens, "dim"))]
        if a.source.note:
            lines.append(Text.assemble(("  What it showed: ", "bold"), plain(a.source.note, multiline=True)))
        return lines

    def _plan(self, a: ImprovementAction, today: date) -> list[Text]:
        service = self.records.improvement
        gaps = service.smart_gaps(a, today) if a.stage in ("plan", "do") else []
        # The SMART check is for a plan still to prove itself; once reviewed, the figures speak.
        smart = (
            [Text("  " + NOT_SMART_YET.format(gaps=" ".join(gaps)), style="bold")]
            if gaps
            else [Text("  SMART: specific, measured, agreed, with a target and a date", style="dim")]
            if a.stage in ("plan", "do")
            else []
        )
        review = f"Review on {a.review_on:%a %d/%m/%Y}"
        if a.review_late(today):
            review += f" (late: {(today - a.review_on).days} days ago)"
        elif a.stage in ("plan", "do") and a.review_on >= today:
            review += f" (in {(a.review_on - today).days} days)"
        return [
            Text("Plan", style="bold underline"),
            Text.assemble(("  How: ", "bold"), plain(a.change or "—", multiline=True)),
            Text.assemble(("  Objective: ", "bold"), plain(a.objective)),
            *smart,
            Text.assemble(("  Resources: ", "bold"), plain(a.resources or "—", multiline=True)),
            Text.assemble(("  Agreed with the team: ", "bold"), "yes" if a.agreed else "no"),
            Text.assemble(
                ("  Measure: ", "bold"),
                plain(service.measure_label(a.measure)),
                f", over {a.weeks} week{'s' if a.weeks != 1 else ''}",
            ),
            Text.assemble(
                ("  Baseline: ", "bold"),
                a.baseline.figure(a.measure).text(),
                f", {a.baseline.first:%d/%m/%Y} to {a.baseline.last:%d/%m/%Y}",
            ),
            Text.assemble(
                ("  Target: ", "bold"),
                "none set" if a.target is None else target_words(a.measure, a.target),
                "  ",
                (review, "bold reverse" if a.review_late(today) else "bold"),
            ),
        ]

    def _do(self, a: ImprovementAction) -> list[Text]:
        told = self.records.improvement.told_at(a)
        lines = [Text.assemble(("Do", "bold underline"), ("  (b tells the team at a briefing · t adds a note)", "dim"))]
        if told:
            shown = ", ".join(f"{day:%a %d/%m/%Y} ({bid})" if day else bid for bid, day in told)
            lines.append(Text(f"  Told at the briefing of {shown}; under way since {a.started_on:%d/%m/%Y}"))
        else:
            lines.append(Text("  Not told to the team yet: it starts at the briefing that tells them (b).", "italic"))
        lines += [
            Text.assemble(f"  {n.on:%d/%m/%Y} ", plain(n.by, "bold"), ": ", plain(n.text, multiline=True))
            for n in a.notes
        ] or [Text("  No progress notes yet (t).", style="dim")]
        return lines

    def _check(self, a: ImprovementAction, today: date) -> list[Text]:
        lines = [Text.assemble(("Check", "bold underline"), ("  (r reviews it)", "dim"))]
        comparison = self.records.improvement.comparison(a)
        if a.check is not None and comparison is not None:
            lines.append(Text(f"  Reviewed on {a.checked_on:%d/%m/%Y}: {comparison.text()}"))
            if a.check_comment:
                lines.append(Text.assemble(("  What it found: ", "bold"), plain(a.check_comment, multiline=True)))
        elif comparison is not None:
            lines.append(Text(f"  So far ({comparison.now.window.shown()}): {comparison.text()}"))
        elif a.stage == "plan":
            lines.append(Text("  Nothing to measure yet: the change has not started.", style="italic"))
        elif a.stage == "do":
            early = a.too_early(today)
            lines.append(Text(f"  Too early to measure: {early}." if early else "  Not reviewed yet.", style="italic"))
        else:
            lines.append(Text("  Not reviewed: it was decided without a review.", style="italic"))
        return lines

    def _act(self, a: ImprovementAction) -> list[Text]:
        lines = [Text.assemble(("Act", "bold underline"), ("  (d: adopt, adjust or abandon)", "dim"))]
        if a.decision and a.decided_on is not None:
            lines.append(
                Text.assemble(
                    (f"  {DECIDED[a.decision].capitalize()} on {a.decided_on:%d/%m/%Y}: ", "bold"),
                    plain(a.decision_reason, multiline=True),
                )
            )
        else:
            lines.append(Text("  Not decided yet.", style="italic"))
        return lines

    def _cycles(self, a: ImprovementAction) -> list[Text]:
        chain = self.records.improvement.cycles(a)
        if len(chain) < 2:
            return []
        line = Text("Cycles: ", style="bold")
        for n, cycle in enumerate(chain):
            if n:
                line.append(" → ")
            line.append(f"{cycle.id} ({cycle.stage_text()})", "bold reverse" if cycle.id == a.id else "")
        return [line]

    def _changes(self, a: ImprovementAction) -> list[Text]:
        tz = self.records.tz
        lines = [Text.assemble(("Changes", "bold underline"), ("  (c corrects what was planned, v voids it)", "dim"))]
        for change in self.records.improvement.history(self.action_id):
            said = f"created ({change.reason})" if change.action == "create" and change.reason else change.summary()
            lines.append(Text.assemble(f"  {change.when(tz)}  ", plain(change.actor), "  ", plain(said)))
        return lines

    # -- keys ----------------------------------------------------------------------------------------
    def action_tell(self) -> None:
        open_tell_form(self, self.action)

    def action_note(self) -> None:
        ask_note(self, self.action)

    def action_review(self) -> None:
        start_review(self, self.action)

    def action_decide(self) -> None:
        a = self.action
        if a.stage == "act":
            self.notify(f"{a.id} is decided ({a.stage_text()}).", severity="warning", title="Not decided again")
            return
        open_decide_form(self, a)

    def action_correct(self) -> None:
        open_correction_form(self)

    def action_void(self) -> None:
        a = self.action
        self.void_with_reason(
            f"Void {a.id} ({a.stage_text()})? It stays on record with your reason, out of every list. Why?",
            lambda reason: self.records.improvement.void(self.action_id, reason),
            f"Voided {a.id}; it stays on record with your reason.",
            title="Improvement",
            placeholder="e.g. planned twice: see IA-0004",
            after=self.app.pop_screen,
        )

    def action_source(self) -> None:
        source = self.action.source
        app = cast("SupervisorApp", self.app)
        if source.kind in SOURCE_SECTIONS:
            app.switch_mode(SOURCE_SECTIONS[source.kind])
            return
        if source.kind == "mystery shop":
            self._open_check(source.ref)
            return
        try:  # voided or erased since: say so, rather than open a page that cannot read it
            (self.records.complaints if source.kind == "complaint" else self.records.team).get(source.ref)
        except StoreError as exc:
            self.notify(f"{source.ref} cannot be opened: {exc}", severity="warning", title="Not opened")
            return
        app.open_page(SOURCE_PAGES[source.kind], source.ref)

    def _open_check(self, ref: str) -> None:
        if not ref:
            self.notify("It names no check: what it showed is on this page.", title="Nothing to open")
            return
        try:
            member_id = self.records.quality.check(ref).member_id
        except StoreError as exc:
            self.notify(f"{ref} cannot be opened: {exc}", severity="warning", title="Not opened")
            return
        cast("SupervisorApp", self.app).open_page("screens.quality:MemberQualityScreen", member_id)

    def action_back(self) -> None:
        self.app.pop_screen()
