"""Complaints: open ones by urgency, and each complaint's page where every step is one key."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from storage import StoreError
from storage.audit import utc_stamp

from ..domain.complaints import (HANDLING_STEPS, LEVELS, NEXT, REMEDIES, Complaint, Policy, StageError,
                                 cra_guidance, missing_steps)
from ..domain.dates import parse_date, parse_local_datetime, parse_utc, show_stamp, to_local
from ..widgets.form import Field, FormErrors, RecordForm, parse_each, whole_number
from ..widgets.prompt import ReasonPrompt
from ..widgets.text import plain, shorten
from .base import RecordScreen

STATUS_STYLE = {"breached": "bold reverse", "at risk": "bold", "paused": "italic"}


def next_clock(clocks) -> tuple[str, str]:
    """The clock that matters now, as (text, style)."""
    open_clocks = [c for c in clocks if c.met_on is None]
    if not open_clocks:
        return "all met" if all(c.status == "met" for c in clocks) else "met late", ""
    c = min(open_clocks, key=lambda c: c.due)
    return f"{c.status} {c.due:%d/%m}", STATUS_STYLE.get(c.status, "")


class ComplaintsScreen(RecordScreen):
    AUTO_FOCUS = "#cp-table"
    DEFAULT_CSS = """
    ComplaintsScreen #cp-table { height: 1fr; }
    ComplaintsScreen #cp-chart { height: auto; max-height: 7; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("a", "log", "Log", id="complaints.log", tooltip="Log a new complaint"),
        Binding("slash", "search", "Search", id="complaints.search", tooltip="Search customer, category, owner, text"),
        Binding("c", "toggle_closed", "Closed", id="complaints.closed", tooltip="Show or hide closed complaints"),
        Binding("P", "policy", "Policy", id="complaints.policy", show=False,
                tooltip="Deadline policy: acknowledgement and response times, FCA rules"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_closed = False

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="cp-title", classes="section-title")
            yield Input(placeholder="/ search", id="cp-search", classes="search")
        table = DataTable(id="cp-table", cursor_type="row", zebra_stripes=True)
        # 6+8+12+10+13+3+14 plus a cell of padding each side: exactly 80 columns.
        for label, width in (("Ref", 6), ("Received", 8), ("Customer", 12), ("Category", 10), ("Stage", 13),
                             ("Lvl", 3), ("Clock", 14)):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="cp-chart")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        service = self.records.complaints
        today = date.today()
        needle = self.query_one("#cp-search", Input).value.strip().lower()
        rows = service.open_by_urgency(today)
        if self.show_closed:
            rows += sorted((c for c in service.repo.all() if c.stage == "closed"), key=lambda c: c.received_at,
                           reverse=True)
        if needle:  # customer, category, owner, text, stage, reference — or 'breached', 'at risk', 'paused'
            rows = [c for c in rows if needle in " ".join((c.customer_name, c.category, c.owner, c.summary, c.stage,
                                                           c.id or "", next_clock(service.clocks(c, today))[0])).lower()]
        table = self.query_one("#cp-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        breached = at_risk = 0
        for c in rows:
            text, style = next_clock(service.clocks(c, today))
            breached += "breached" in text
            at_risk += "at risk" in text
            table.add_row(c.id, f"{service.received_day(c):%d/%m/%y}", plain(shorten(c.customer_name, 12)),
                          plain(shorten(c.category, 10)), c.stage, str(c.level), Text(text, style=style), key=c.id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.query_one("#cp-title", Static).update(Text.assemble(
            ("Complaints", "bold"), f" · {len(rows)} shown · ", (f"{breached} breached", "bold reverse" if breached else ""),
            f" · {at_risk} at risk"))
        causes, categories = service.counts(today - timedelta(days=90), today)
        lines = [Text("Last 90 days — root causes (where to improve):", style="bold")]
        top = max([*causes.values(), 1])
        for cause, n in causes.most_common(4):
            lines.append(Text.assemble(f"{'█' * max(1, round(12 * n / top)):<12} {n:>2} ", plain(cause)))
        lines.append(Text("Categories: " + ", ".join(f"{k} {v}" for k, v in categories.most_common(4)), style="dim"))
        self.query_one("#cp-chart", Static).update(Text("\n").join(lines))

    @on(Input.Changed, "#cp-search")
    def _search(self) -> None:
        self.reload()

    @on(Input.Submitted, "#cp-search")
    def _search_done(self) -> None:
        self.query_one("#cp-table").focus()

    @on(DataTable.RowSelected, "#cp-table")
    def _open(self) -> None:
        table = self.query_one("#cp-table", DataTable)
        if table.row_count:
            self.app.push_screen(ComplaintPage(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_search(self) -> None:
        self.query_one("#cp-search").focus()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload()

    def action_policy(self) -> None:
        policy = self.records.complaints.policy
        fields = [Field("acknowledge_business_days", "Acknowledge within", "number", required=True,
                        hint="business days"),
                  Field("final_response_business_days", "Final response within", "number", required=True,
                        hint="business days (when not FCA-regulated)"),
                  Field("fca", "FCA-regulated", "bool", hint="final response within 8 weeks; summary resolution by "
                                                             "the 3rd business day"),
                  Field("at_risk_business_days", "At risk within", "number", required=True, hint="business days")]

        def save(values: dict) -> Policy:
            parsed = parse_each(values, {k: whole_number for k in ("acknowledge_business_days",
                                                                   "final_response_business_days",
                                                                   "at_risk_business_days")})
            return self.records.complaints.set_policy(Policy(fca=values["fca"], **parsed))

        values = {k: str(getattr(policy, k)) for k in ("acknowledge_business_days", "final_response_business_days",
                                                       "at_risk_business_days")} | {"fca": policy.fca}
        self.app.push_screen(RecordForm("Complaint deadline policy", fields, values, save), lambda _: self.reload())

    def action_log(self) -> None:
        people = [(m.name, m.id) for m in self.records.team.members()]
        fields = [Field("received", "Received", required=True, hint="dd/mm/yyyy hh:mm, or today 9:30"),
                  Field("channel", "Channel", "choice", required=True,
                        options=[(c, c) for c in ("face to face", "phone", "email", "chat", "social", "letter")]),
                  Field("customer_name", "Customer", required=True, hint="name only"),
                  Field("customer_contact", "Contact", hint="only what you need to reply (Data Protection Act 2018)"),
                  Field("product", "Product or service"),
                  Field("category", "Category", required=True, hint="e.g. faulty goods, delivery, staff, refund"),
                  Field("summary", "What happened", "long", required=True, hint="facts, in the customer's words"),
                  Field("wants", "What they want", hint="refund, replacement, apology…"),
                  Field("severity", "Severity", "choice", required=True,
                        options=[(s, s) for s in ("low", "medium", "high", "critical")]),
                  Field("owner", "Owner", hint="who is handling it"),
                  Field("member_id", "Team member involved", "choice", options=people)]

        def save(values: dict) -> Complaint:
            received = parse_each(values, {"received": lambda v: parse_local_datetime(v, self.records.tz)})["received"]
            member = values.pop("member_id")
            values.pop("received")
            return self.records.complaints.log(Complaint(received_at=utc_stamp(received),
                                                         member_ids=[member] if member else [], **values))

        def done(saved: Complaint | None) -> None:
            if saved is not None:
                self.notify(f"Logged {saved.id}: acknowledge it by "
                            f"{self.records.complaints.clocks(saved, date.today())[0].due:%a %d/%m}", title="Complaints")
                self.reload()

        now = to_local(datetime.now(timezone.utc), self.records.tz)
        self.app.push_screen(RecordForm("Log a complaint", fields, {"received": f"{now:%d/%m/%Y %H:%M}", "channel": "phone",
                                                                   "severity": "medium"}, save), done)


class ComplaintPage(RecordScreen):
    AUTO_FOCUS = "#cpp-page"
    DEFAULT_CSS = """
    ComplaintPage #cpp-page { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="complaint.back", tooltip="Back to the log"),
        Binding("m", "advance", "Next stage", id="complaint.next", tooltip="Move to the next stage"),
        Binding("e", "escalate", "Escalate", id="complaint.escalate", tooltip="Escalate or de-escalate, with a reason"),
        Binding("w", "waiting", "Wait/resume", id="complaint.wait", tooltip="Pause the clock while waiting on the customer"),
        Binding("s", "resolve", "Resolve", id="complaint.resolve", tooltip="Record the outcome and send the response"),
        Binding("h", "checklist", "Checklist", id="complaint.checklist", tooltip="Heard, empathised, apologised…"),
        Binding("g", "goods", "Goods", id="complaint.goods", show=False,
                tooltip="Purchase date and repairs, for the Consumer Rights Act guide"),
        Binding("r", "reopen", "Reopen", id="complaint.reopen", show=False, tooltip="Reopen with a reason"),
    ]

    def __init__(self, complaint_id: str):
        super().__init__()
        self.complaint_id = complaint_id

    @property
    def complaint(self) -> Complaint:
        return self.records.complaints.repo.get(self.complaint_id)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="cpp-page"):
            yield Static("", id="cpp-body")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        c = self.complaint
        service = self.records.complaints
        today = date.today()
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        received = to_local(parse_utc(c.received_at), self.records.tz)
        lines = [
            Text.assemble((f"{c.id} ", "bold"), plain(c.customer_name, "bold"), f" · {c.severity.value} · ",
                          (c.stage, "bold"), f" · with the {LEVELS[c.level]}"),
            Text.assemble(f"Received {received:%a %d/%m/%Y %H:%M} by {c.channel} · ", plain(c.category),
                          " · ", plain(c.product or "—"), " · owner ", plain(c.owner or "—")),
            Text.assemble(("Contact (personal data, shown only here): ", "dim"), plain(c.customer_contact or "—")),
            Text.assemble(("What happened: ", "bold"), plain(c.summary, multiline=True)),
            Text.assemble(("Wants: ", "bold"), plain(c.wants or "—"), ("   Involved: ", "bold"),
                          plain(", ".join(names.get(m, m) for m in c.member_ids) or "—")),
            Text(""),
        ]
        for clock in service.clocks(c, today):
            met = f", met {clock.met_on:%d/%m}" if clock.met_on else ""
            lines.append(Text.assemble((f"{clock.name.capitalize()} due {clock.due:%a %d/%m/%Y}: ", "bold"),
                                       (clock.status + met, STATUS_STYLE.get(clock.status, ""))))
        missing = missing_steps(c.checklist)
        lines.append(Text.assemble(("Handling (h): ", "bold"), "all steps done" if not missing else
                                   "still to do — " + ", ".join(missing)))
        if c.purchase_date:
            lines.append(Text("Consumer Rights Act 2015 (g):", style="bold"))
            lines += [plain(f"  {line}") for line in cra_guidance(c.purchase_date, today, c.failed_repairs,
                                                                    c.refund_agreed_on)]
        if c.outcome:
            lines.append(Text.assemble(("Resolution: ", "bold"), plain(c.outcome), f" · remedy {c.remedy or '—'} · ",
                                       "satisfied" if c.satisfied else "not satisfied" if c.satisfied is False else "—",
                                       " · root cause ", plain(c.root_cause or "—")))
            if c.lesson or c.improvement_action:
                lines.append(Text.assemble(("Lesson: ", "bold"), plain(c.lesson or "—"), ("  Improvement: ", "bold"),
                                           plain(c.improvement_action or "—")))
        lines.append(Text(""))
        lines.append(Text("History", style="bold"))
        lines += [Text.assemble(f"{show_stamp(e.at, self.records.tz)}  ", plain(e.by), "  ", (e.what, "bold"),
                                plain(f" — {e.note}" if e.note else "")) for e in c.history]
        self.query_one("#cpp-body", Static).update(Text("\n").join(lines))

    def _save(self, call) -> None:
        try:
            call()
        except (StageError, ValueError, StoreError) as exc:
            self.notify(str(exc), severity="warning", title="Not done")
            return
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
            return
        self._save(lambda: self.records.complaints.move(c, target))
        self.notify(f"{c.id} is now {self.complaint.stage}", title="Complaints")

    def action_reopen(self) -> None:
        def done(reason: str | None) -> None:
            if reason:
                self._save(lambda: self.records.complaints.move(self.complaint, "investigating", reason))

        self.app.push_screen(ReasonPrompt("Reopen this complaint? Why?", "e.g. the repair failed again"), done)

    def action_waiting(self) -> None:
        c = self.complaint
        waiting = not (c.pauses and not c.pauses[-1].get("end"))
        self._save(lambda: self.records.complaints.set_waiting(c, waiting))

    def action_escalate(self) -> None:
        c = self.complaint
        fields = [Field("level", "To", "choice", required=True,
                        options=[(name, str(i)) for i, name in enumerate(LEVELS) if i != c.level]),
                  Field("reason", "Reason", "long", required=True, hint="why it needs to go up (or back down)"),
                  Field("to_whom", "Who", hint="name or team it went to")]

        def save(values: dict) -> Complaint:
            try:
                return self.records.complaints.escalate(self.complaint, int(values["level"]), values["reason"],
                                                        values["to_whom"])
            except ValueError as exc:
                raise FormErrors({"reason": str(exc)}) from None

        default = str(min(c.level + 1, len(LEVELS) - 1))
        self.app.push_screen(RecordForm(f"Escalate {c.id}", fields, {"level": default}, save), lambda _: self.reload())

    def action_resolve(self) -> None:
        c = self.complaint
        fields = [Field("outcome", "Outcome", "long", required=True, hint="what was done, what was said"),
                  Field("remedy", "Remedy", "choice", required=True, options=[(r, r) for r in REMEDIES]),
                  Field("satisfied", "Customer satisfied", "bool"),
                  Field("root_cause", "Root cause", required=True, hint="e.g. supplier quality, process, training"),
                  Field("lesson", "Lesson learned", "long"),
                  Field("improvement_action", "Improvement action", hint="what will change, and who owns it"),
                  Field("follow_up_on", "Follow up on", "date", hint="+1w")]

        def save(values: dict) -> Complaint:
            follow = parse_each(values, {"follow_up_on": lambda v: parse_date(v) if v.strip() else None})
            try:
                return self.records.complaints.resolve(self.complaint, **{**values, **follow})
            except (StageError, ValueError) as exc:
                raise FormErrors({"outcome": str(exc)}) from None

        self.app.push_screen(RecordForm(f"Resolve {c.id}", fields, {"remedy": "apology", "satisfied": True,
                                                                    "follow_up_on": "+1w"}, save),
                             lambda _: self.reload())

    def action_checklist(self) -> None:
        c = self.complaint
        fields = [Field(key, label, "bool") for key, label in HANDLING_STEPS]

        def save(values: dict) -> Complaint:
            return self.records.complaints.repo.update(self.complaint.model_copy(update={"checklist": values}),
                                                       "handling checklist")

        self.app.push_screen(RecordForm("Handling steps (HEAT and the five steps)", fields,
                                        {k: c.checklist.get(k, False) for k, _ in HANDLING_STEPS}, save),
                             lambda _: self.reload())

    def action_goods(self) -> None:
        c = self.complaint
        fields = [Field("purchase_date", "Bought or delivered", "date", required=True),
                  Field("failed_repairs", "Failed repairs", "number", hint="repairs or replacements that failed"),
                  Field("refund_agreed_on", "Refund agreed on", "date", hint="blank if none")]

        def save(values: dict) -> Complaint:
            parsed = parse_each(values, {"purchase_date": parse_date,
                                         "refund_agreed_on": lambda v: parse_date(v) if v.strip() else None,
                                         "failed_repairs": lambda v: int(v or 0)})
            return self.records.complaints.repo.update(self.complaint.model_copy(update=parsed), "goods details")

        values = {"purchase_date": f"{c.purchase_date:%d/%m/%Y}" if c.purchase_date else "",
                  "failed_repairs": str(c.failed_repairs),
                  "refund_agreed_on": f"{c.refund_agreed_on:%d/%m/%Y}" if c.refund_agreed_on else ""}
        self.app.push_screen(RecordForm("Goods: for the Consumer Rights Act guide", fields, values, save),
                             lambda _: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
