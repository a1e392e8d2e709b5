"""A complaint's page: its clocks, the law's guidance, handling and history, where every step is one key."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...domain.base import explain
from ...domain.complaints import LEVELS, NEXT, REOPENABLE, Complaint, StageError, missing_steps
from ...domain.dates import parse_utc, show_stamp, to_local
from ...services import StoreError
from ...widgets.prompt import Confirm, ReasonPrompt
from ...widgets.saving import write
from ...widgets.text import plain
from ..base import RecordScreen
from ..data_protection.flows import erase_with_preview
from ..data_protection.flows import hold as place_hold
from ..improvement.plan_form import open_plan_form
from ..repairs import RepairsScreen, repair_line
from .cells import SATISFIED, STATUS_STYLE
from .forms import (
    open_checklist_form,
    open_correction_form,
    open_escalation_form,
    open_goods_form,
    open_resolution_form,
)


class ComplaintPage(RecordScreen):
    AUTO_FOCUS = "#cpp-page"
    DEFAULT_CSS = """
    ComplaintPage #cpp-page { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="complaint.back", tooltip="Back to the log"),
        Binding(
            "m", "advance", "Next", id="complaint.next", tooltip="Move to the next stage (asks first, naming both)"
        ),
        Binding("e", "escalate", "Escalate", id="complaint.escalate", tooltip="Escalate or de-escalate, with a reason"),
        Binding(
            "w",
            "waiting",
            "Wait",
            id="complaint.wait",
            tooltip="Pause the clock while waiting on the customer, or start it again",
        ),
        Binding("s", "resolve", "Resolve", id="complaint.resolve", tooltip="Record the outcome and send the response"),
        Binding(
            "h",
            "checklist",
            "HEAT",
            id="complaint.checklist",
            show=False,  # the page's "Handling (h)" line says it
            tooltip="Heard, empathised, apologised…",
        ),
        Binding(
            "g",
            "goods",
            "Goods",
            id="complaint.goods",
            show=False,
            tooltip="Ownership, delivery and installation dates, for the Consumer Rights Act guide",
        ),
        Binding(
            "f",
            "repairs",
            "Repairs",
            id="complaint.repairs",
            show=False,
            tooltip="Repairs and replacements asked for: they pause the 30-day right to reject",
        ),
        Binding("r", "reopen", "Reopen", id="complaint.reopen", tooltip="Reopen with a reason"),
        Binding(
            "c",
            "correct",
            "Correct",
            id="complaint.correct",
            show=False,
            tooltip="Correct what was logged (received time, channel, category, customer...), with why",
        ),
        Binding(
            "v",
            "void",
            "Void",
            id="complaint.void",
            show=False,
            tooltip="Void a complaint logged by mistake, with why: it stays on record, out of every list",
        ),
        Binding(
            "i",
            "improve",
            "Improve",
            id="complaint.improve",
            show=False,  # the page's "Improvement actions (i)" line says it
            tooltip="Plan an improvement action from this complaint: its root cause (or category) is the measure",
        ),
        Binding(
            "X",
            "erase",
            "Erase customer",
            id="complaint.erase",
            show=False,
            tooltip="The customer's erasure request (UK GDPR Art. 17): all their complaints; shows what goes first",
        ),
        Binding(
            "H",
            "hold",
            "Legal hold",
            id="complaint.hold",
            show=False,
            tooltip="Keep this complaint from erasure while a referral or claim needs it",
        ),
    ]

    def __init__(self, complaint_id: str):
        super().__init__()
        self.complaint_id = complaint_id

    @property
    def complaint(self) -> Complaint:
        return self.records.complaints.get(self.complaint_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reopen is offered (and shown in the footer) only once the response has gone."""
        if action == "reopen":
            return self.complaint.stage in REOPENABLE
        return True

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="cpp-page"):
            yield Static("", id="cpp-body")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        self.refresh_bindings()
        self.query_one("#cpp-body", Static).update(
            Text("\n").join(self._lines(self.complaint, self.records.clock.today()))
        )

    def _lines(self, c: Complaint, today: date) -> list[Text]:
        service = self.records.complaints
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        received = to_local(parse_utc(c.received_at), self.records.tz)
        lines = [
            Text.assemble(
                plain(f"{c.id} ", "bold"),
                plain(c.customer_name, "bold"),
                f" · {c.severity.value} · ",
                plain(c.stage, "bold"),
                f" · with the {LEVELS[c.level]}",
            ),
            Text.assemble(
                f"Received {received:%a %d/%m/%Y %H:%M} by ",
                plain(c.channel),
                " · ",
                plain(c.category),
                " · ",
                plain(c.product or "—"),
                " · owner ",
                plain(c.owner or "—"),
            ),
            Text.assemble(
                ("Contact (personal data, shown only here): ", "dim"),
                plain(c.customer_contact or c.erased.get("customer_contact", "—")),
            ),
            Text.assemble(("What happened: ", "bold"), plain(c.summary, multiline=True)),
            Text.assemble(
                ("Wants: ", "bold"),
                plain(c.wants or c.erased.get("wants", "—")),
                ("   Involved: ", "bold"),
                plain(", ".join(names.get(m, m) for m in c.member_ids) or "—"),
            ),
            Text(""),
        ]
        for clock in service.clocks(c, today):
            when = f" on {clock.met_on:%a %d/%m}" if clock.met_on else ""
            lines.append(
                Text.assemble(
                    (f"{clock.name.capitalize()} due {clock.due:%a %d/%m/%Y}: ", "bold"),
                    (clock.status + when, STATUS_STYLE.get(clock.status, "")),
                )
            )
        lines += [plain(line) for line in service.fca_guidance(c, today)]
        follow = service.follow_up(c, today)
        if follow:
            lines.append(
                Text.assemble(
                    ("Follow-up: ", "bold"),
                    (f"{follow} {c.follow_up_on:%a %d/%m/%Y}", STATUS_STYLE.get(follow, "")),
                    " — m when done",
                )
            )
        missing = missing_steps(c.checklist)
        lines.append(
            Text.assemble(
                ("Handling (h): ", "bold"), "all steps done" if not missing else "still to do — " + ", ".join(missing)
            )
        )
        guide = service.cra_guidance(c, today)
        if guide is not None:
            lines.append(
                Text.assemble(
                    ("Consumer Rights Act 2015 ", "bold"), ("(g goods details · f repairs and replacements):", "bold")
                )
            )
            lines += [plain(f"  {line}") for line in guide]
            lines += [plain(f"  {repair_line(n, r)}", "dim") for n, r in enumerate(c.repairs, 1)]
        else:
            lines.append(
                Text(
                    "Goods? g adds when they were bought and delivered, for the Consumer Rights Act 2015 guide.",
                    style="dim",
                )
            )
        if c.outcome:
            satisfied = next(k for k, v in SATISFIED.items() if v == c.satisfied)
            lines.append(
                Text.assemble(
                    ("Resolution: ", "bold"),
                    plain(c.outcome),
                    " · remedy ",
                    plain(c.remedy or "—"),
                    f" · satisfied: {satisfied} · root cause ",
                    plain(c.root_cause or "—"),
                )
            )
            if c.lesson or c.improvement_action:
                lines.append(
                    Text.assemble(
                        ("Lesson: ", "bold"),
                        plain(c.lesson or "—"),
                        ("  Improvement: ", "bold"),
                        plain(c.improvement_action or "—"),
                    )
                )
        lines += self._improvements(c)
        lines += [
            Text(""),
            Text.assemble(("History", "bold"), ("  (c corrects what was logged, v voids it, each with why)", "dim")),
        ]
        lines += [
            Text.assemble(
                f"{show_stamp(e.at, self.records.tz)}  ",
                plain(e.by),
                "  ",
                plain(e.what, "bold"),
                plain(f" — {e.note}" if e.note else ""),
            )
            for e in c.history
        ]
        return lines

    def _improvements(self, c: Complaint) -> list[Text]:
        """The improvement actions this complaint prompted (ctrl+p opens one by its id)."""
        actions = self.records.improvement.from_source("complaint", c.id or "")
        lines = [Text.assemble(("Improvement actions", "bold"), ("  (i plans one from this complaint)", "dim"))]
        lines += [
            Text.assemble(f"  {a.id} ", plain(a.title), f" · {a.stage_text()} · owner ", plain(a.owner))
            for a in actions
        ] or [Text("  None yet.", style="dim")]
        return lines

    @work(group="write-flow")
    async def _save(self, call, done: str = "") -> None:
        """Run one service call; say why if it was refused, or what happened if it was done."""
        try:
            saved = await write(self, call)
        except ValidationError as exc:
            self.notify("; ".join(explain(exc, Complaint)), severity="warning", title="Not done")
            return
        except (StageError, ValueError, StoreError) as exc:
            self.notify(str(exc), severity="warning", title="Not done")
            return
        if done:
            self.notify(done.format(c=saved), title="Complaints")
        self.reload()

    def action_advance(self) -> None:
        c = self.complaint
        options = sorted(NEXT.get(c.stage, set()), key=lambda s: ("closed" in s, s))
        if not options:
            self.notify("It is closed: r reopens it with a reason.", severity="warning")
            return
        target = options[0]
        if target == "resolved":
            self.action_resolve()
        elif target == "followed up":

            def done(note: str | None) -> None:
                if note:
                    self._save(lambda: self.records.complaints.move(self.complaint, target, note), "{c.id} followed up")

            self.app.push_screen(
                ReasonPrompt(
                    f"Move {c.id} from {c.stage} to {target}: how did the follow-up go? (what the customer said)",
                    "e.g. replacement works, customer happy",
                ),
                done,
            )
        else:
            # Asked first, naming both stages: a second m while the question is open does nothing, and
            # the move is made from the version asked about (moved meanwhile by someone else: refused).
            def answered(yes: bool | None) -> None:
                if yes:
                    self._save(lambda: self.records.complaints.move(c, target), "{c.id} is now {c.stage}")

            self.app.push_screen(Confirm(f"Move {c.id} from {c.stage} to {target}?"), answered)

    def action_reopen(self) -> None:
        def done(reason: str | None) -> None:
            if reason:
                self._save(
                    lambda: self.records.complaints.move(self.complaint, "investigating", reason),
                    "{c.id} reopened: investigating again",
                )

        self.app.push_screen(ReasonPrompt("Reopen this complaint? Why?", "e.g. the repair failed again"), done)

    def action_waiting(self) -> None:
        c = self.complaint
        waiting = not c.waiting
        if self.records.complaints.policy.fca:  # DISP 1.6.2R has no stop-the-clock: say so, not 'paused'
            done = (
                "Waiting on the customer recorded; the FCA's 8 weeks do not stop (DISP 1.6.2R)"
                if waiting
                else "The customer replied: recorded"
            )
        else:
            done = "Clock paused: waiting on the customer" if waiting else "Clock running again"
        self._save(lambda: self.records.complaints.set_waiting(c, waiting), done)

    def action_escalate(self) -> None:
        open_escalation_form(self)

    def action_resolve(self) -> None:
        c = self.complaint
        if c.stage != "investigating":
            hint = "r reopens it first" if c.stage in REOPENABLE else "m moves it on: acknowledge it, then investigate"
            self.notify(
                f"{c.id} is {c.stage}: a complaint is resolved after it is investigated ({hint}).",
                severity="warning",
                title="Not yet",
            )
            return
        open_resolution_form(self)

    def action_checklist(self) -> None:
        open_checklist_form(self)

    def action_goods(self) -> None:
        open_goods_form(self)

    def action_repairs(self) -> None:
        if self.complaint.goods() is None:
            self.notify(
                "g first: say when the goods were bought and delivered.", severity="warning", title="No goods details"
            )
            return
        self.app.push_screen(RepairsScreen(self.complaint_id))

    def action_erase(self) -> None:
        try:
            preview = self.records.data_protection.for_customer(self.complaint.customer_name)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", title="Not erased")
            return
        erase_with_preview(self, preview)

    def action_hold(self) -> None:
        place_hold(self, self.complaint_id)

    def action_correct(self) -> None:
        open_correction_form(self)

    def action_void(self) -> None:
        c = self.complaint
        self.void_with_reason(
            f"Void {c.id} ({c.stage})? It stays on record with your reason, out of every list, count and export. Why?",
            lambda reason: self.records.complaints.void(self.complaint_id, reason),
            f"Voided {c.id}; it stays on record with your reason.",
            title="Complaints",
            placeholder="e.g. logged twice: see C-0012",
            after=self.app.pop_screen,
        )

    def action_improve(self) -> None:
        try:
            draft = self.records.improvement.draft_from_complaint(self.complaint_id)
        except (ValueError, StoreError) as exc:
            self.notify(str(exc), severity="warning", title="Not planned")
            return
        open_plan_form(self, draft)

    def action_back(self) -> None:
        self.app.pop_screen()
