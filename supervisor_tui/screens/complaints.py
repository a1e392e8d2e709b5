"""Complaints: open ones by urgency, and each complaint's page where every step is one key."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import zip_longest
from typing import TYPE_CHECKING

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from supervisor_tui.storage import StoreError
from supervisor_tui.storage.audit import utc_stamp

from ..domain.base import explain
from ..domain.complaints import (
    CHANNELS,
    HANDLING_STEPS,
    LEVELS,
    NEXT,
    REMEDIES,
    REOPENABLE,
    ROOT_CAUSES,
    Complaint,
    Policy,
    Severity,
    StageError,
    missing_steps,
)
from ..domain.dates import parse_utc, show_stamp, to_local
from ..domain.numbers import whole_number
from ..domain.settings import REGIONS
from ..output import shorten
from ..widgets.form import Field, FormErrors, RecordForm, parse_each
from ..widgets.prompt import ReasonPrompt
from ..widgets.text import LiteralTable, plain
from .base import RecordScreen
from .repairs import RepairsScreen, repair_line

if TYPE_CHECKING:
    from ..services.complaints import ComplaintService

STATUS_STYLE = {
    "breached": "bold reverse",
    "at risk": "bold",
    "paused": "italic",
    "follow-up late": "bold",
    "follow up today": "bold",
}
SATISFIED = {"yes": True, "no": False, "not known yet": None}


def clock_cell(service: ComplaintService, c: Complaint, today: date) -> tuple[str, str]:
    """What the list shows in its Clock column, as (text, style): the deadline that matters now, or
    after the response the follow-up that is due."""
    clocks = service.clocks(c, today)
    open_clocks = [k for k in clocks if k.met_on is None]
    if open_clocks:
        k = min(open_clocks, key=lambda k: k.due)
        return f"{k.status} {k.due:%d/%m}", STATUS_STYLE.get(k.status, "")
    follow = service.follow_up(c, today)
    if follow:
        return f"{follow} {c.follow_up_on:%d/%m}", STATUS_STYLE.get(follow, "")
    return ("all met" if all(k.status == "met" for k in clocks) else "met late"), ""


def search_text(c: Complaint, clock: str) -> str:
    """What '/' matches: customer, category, owner, text, stage, reference, the clock — and 'overdue'."""
    overdue = "overdue" if clock.startswith(("breached", "follow-up late")) else ""
    return " ".join((c.customer_name, c.category, c.owner, c.summary, c.stage, c.id or "", clock, overdue)).lower()


def _bars(counts: list[tuple[str, int]], width: int = 38) -> list[Text]:
    """'██████  3 process' lines, each at most ``width`` wide, the longest bar for the largest count."""
    top = max([n for _, n in counts] or [1])
    return [
        Text.assemble(f"{'█' * max(1, round(10 * n / top)):<10}{n:>3} ", plain(shorten(label, width - 14)))
        for label, n in counts
    ]


class ComplaintsScreen(RecordScreen):
    AUTO_FOCUS = "#cp-table"
    DEFAULT_CSS = """
    ComplaintsScreen #cp-table { height: 1fr; }
    ComplaintsScreen #cp-chart { height: auto; max-height: 7; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("a", "log", "Log", id="complaints.log", tooltip="Log a new complaint"),
        Binding(
            "slash",
            "search",
            "Search",
            id="complaints.search",
            tooltip="Search customer, category, owner, stage, text; or 'breached', 'at risk', 'overdue'",
        ),
        Binding("c", "toggle_closed", "Closed", id="complaints.closed", tooltip="Show or hide closed complaints"),
        Binding(
            "p",
            "period",
            "Period",
            id="complaints.period",
            tooltip="The period the root-cause and category counts cover",
        ),
        Binding(
            "P",
            "policy",
            "Policy",
            id="complaints.policy",
            show=False,
            tooltip="Deadline policy: acknowledgement and response times, FCA rules",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_closed = False
        self.period: tuple[date, date] | None = None  # None: the last 90 days, whatever today is

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="cp-title", classes="section-title")
            yield Input(placeholder="/ search", id="cp-search", classes="search")
        table = LiteralTable(id="cp-table", cursor_type="row", zebra_stripes=True)
        # 6+8+12+10+13+2+15 plus a cell of padding each side: exactly 80 columns.
        for label, width in (
            ("Ref", 6),
            ("Received", 8),
            ("Customer", 12),
            ("Category", 10),
            ("Stage", 13),
            ("Lv", 2),
            ("Clock", 15),
        ):
            table.add_column(label, width=width)
        yield table
        yield Static("", id="cp-chart")
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        service = self.records.complaints
        today = self.records.clock.today()
        needle = self.query_one("#cp-search", Input).value.strip().lower()
        rows = service.open_by_urgency(today)
        if self.show_closed:
            rows += sorted(
                (c for c in service.repo.all() if c.stage == "closed"), key=lambda c: c.received_at, reverse=True
            )
        cells = [(c, clock_cell(service, c, today)) for c in rows]
        if needle:
            cells = [(c, cell) for c, cell in cells if needle in search_text(c, cell[0])]
        table = self.query_one("#cp-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for c, (text, style) in cells:
            table.add_row(
                c.id,
                f"{service.received_day(c):%d/%m/%y}",
                plain(shorten(c.customer_name, 12)),
                plain(shorten(c.category, 10)),
                c.stage,
                str(c.level),
                Text(text, style=style),
                key=c.id,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        breached = sum(text.startswith("breached") for _, (text, _) in cells)
        at_risk = sum(text.startswith("at risk") for _, (text, _) in cells)
        self.query_one("#cp-title", Static).update(
            Text.assemble(
                f"{len(cells)} {'shown' if needle or self.show_closed else 'open'} · ",
                (f"{breached} breached", "bold reverse" if breached else ""),
                f" · {at_risk} at risk",
            )
        )
        self.query_one("#cp-chart", Static).update(self._chart(today))

    def _chart(self, today: date) -> Text:
        """Root causes (of those resolved) and categories as bars side by side, for the chosen
        period: where to improve."""
        first, last = self.period or (today - timedelta(days=90), today)
        causes, categories = self.records.complaints.counts(first, last)
        span = "last 90 days" if self.period is None else f"{first:%d/%m/%y}–{last:%d/%m/%y}"
        lines = [
            Text.assemble(
                (f"Received {span}", "bold"), (" (p: period)", "dim"), " — root causes", (" · ", "dim"), "categories"
            )
        ]
        if not categories:
            return Text("\n").join([*lines, Text("No complaints received in this period.", style="dim")])
        for cause, category in zip_longest(
            _bars(causes.most_common(4)), _bars(categories.most_common(4)), fillvalue=Text("")
        ):
            cause.pad_right(39 - cause.cell_len)
            lines.append(cause + category)
        unknown = sum(categories.values()) - sum(causes.values())
        if unknown:
            lines.append(Text(f"{unknown} not resolved yet, so no root cause", style="dim"))
        return Text("\n").join(lines)

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

    def action_period(self) -> None:
        first, last = self.period or (None, None)
        fields = [
            Field("first", "From", "date", hint="e.g. 1/9/2026; leave both blank for the last 90 days"),
            Field("last", "To", "date", hint="e.g. 30/11/2026 or today"),
        ]

        def save(values: dict) -> tuple[date, date] | tuple[()]:
            if not (values["first"].strip() or values["last"].strip()):
                return ()  # back to the last 90 days
            got = parse_each(values, {"first": self.records.clock.read_date, "last": self.records.clock.read_date})
            if got["last"] < got["first"]:
                raise FormErrors({"last": "the end is before the start"})
            return got["first"], got["last"]

        def done(period: tuple[date, date] | tuple[()] | None) -> None:
            if period is not None:  # None: cancelled
                self.period = period or None
                self.reload()

        self.app.push_screen(
            RecordForm(
                "Root causes and categories for a period",
                fields,
                {"first": f"{first:%d/%m/%Y}" if first else "", "last": f"{last:%d/%m/%Y}" if last else ""},
                save,
            ),
            done,
        )

    def action_policy(self) -> None:
        policy = self.records.complaints.policy
        fields = [
            Field("acknowledge_business_days", "Acknowledge within", "number", required=True, hint="business days"),
            Field(
                "final_response_business_days",
                "Final response within",
                "number",
                required=True,
                hint="business days (when not FCA-regulated)",
            ),
            Field(
                "fca",
                "FCA-regulated",
                "bool",
                hint="final response within 8 weeks (DISP 1.6.2R); resolved by the 3rd business day (DISP 1.5)",
            ),
            Field("at_risk_business_days", "At risk within", "number", required=True, hint="business days"),
            Field(
                "region",
                "Bank holidays",
                "choice",
                required=True,
                hint="the team's setting, for every section",
                options=[(name, code) for code, name in REGIONS.items()],
            ),
        ]

        def save(values: dict) -> Policy:
            parsed = parse_each(
                values,
                {
                    k: whole_number
                    for k in ("acknowledge_business_days", "final_response_business_days", "at_risk_business_days")
                },
            )
            return self.records.complaints.set_policy(Policy(fca=values["fca"], **parsed), region=values["region"])

        values = {
            k: str(getattr(policy, k))
            for k in ("acknowledge_business_days", "final_response_business_days", "at_risk_business_days")
        } | {"fca": policy.fca, "region": self.records.complaints.region}
        self.app.push_screen(RecordForm("Complaint deadline policy", fields, values, save), lambda _: self.reload())

    def action_log(self) -> None:
        people = [(m.name, m.id) for m in self.records.team.members()]
        fields = [
            Field("received", "Received", required=True, hint="dd/mm/yyyy hh:mm, or today 9:30"),
            Field("channel", "Channel", "choice", required=True, options=[(c, c) for c in CHANNELS]),
            Field("customer_name", "Customer", required=True, hint="name only"),
            Field("customer_contact", "Contact", hint="only what you need to reply (Data Protection Act 2018)"),
            Field("product", "Product or service"),
            Field("category", "Category", required=True, hint="e.g. faulty goods, delivery, staff, refund"),
            Field("summary", "What happened", "long", required=True, hint="facts, in the customer's words"),
            Field("wants", "What they want", hint="refund, replacement, apology…"),
            Field("severity", "Severity", "choice", required=True, options=[(s.value, s.value) for s in Severity]),
            Field("owner", "Owner", hint="who is handling it"),
            Field("member_id", "Staff involved", "choice", options=people),
        ]

        def save(values: dict) -> Complaint:
            received = parse_each(values, {"received": self.records.complaints.read_received})["received"]
            member = values.pop("member_id")
            values.pop("received")
            return self.records.complaints.log(
                Complaint(received_at=utc_stamp(received), member_ids=[member] if member else [], **values)
            )

        def done(saved: Complaint | None) -> None:
            if saved is not None:
                self.notify(
                    f"Logged {saved.id}: acknowledge it by "
                    f"{self.records.complaints.clocks(saved, self.records.clock.today())[0].due:%a %d/%m}",
                    title="Complaints",
                )
                self.reload()

        now = self.records.clock.local_now()
        values = {
            "received": f"{now:%d/%m/%Y %H:%M}",
            "channel": "phone",
            "severity": "medium",
            "owner": self.records.store.actor.login,
        }
        self.app.push_screen(RecordForm("Log a complaint", fields, values, save), done)


class ComplaintPage(RecordScreen):
    AUTO_FOCUS = "#cpp-page"
    DEFAULT_CSS = """
    ComplaintPage #cpp-page { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="complaint.back", tooltip="Back to the log"),
        Binding("m", "advance", "Next", id="complaint.next", tooltip="Move to the next stage"),
        Binding("e", "escalate", "Escalate", id="complaint.escalate", tooltip="Escalate or de-escalate, with a reason"),
        Binding(
            "w",
            "waiting",
            "Wait",
            id="complaint.wait",
            tooltip="Pause the clock while waiting on the customer, or start it again",
        ),
        Binding("s", "resolve", "Resolve", id="complaint.resolve", tooltip="Record the outcome and send the response"),
        Binding("h", "checklist", "HEAT", id="complaint.checklist", tooltip="Heard, empathised, apologised…"),
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
    ]

    def __init__(self, complaint_id: str):
        super().__init__()
        self.complaint_id = complaint_id

    @property
    def complaint(self) -> Complaint:
        return self.records.complaints.repo.get(self.complaint_id)

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
            Text.assemble(("Contact (personal data, shown only here): ", "dim"), plain(c.customer_contact or "—")),
            Text.assemble(("What happened: ", "bold"), plain(c.summary, multiline=True)),
            Text.assemble(
                ("Wants: ", "bold"),
                plain(c.wants or "—"),
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
        lines += [Text(""), Text("History", style="bold")]
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

    def _save(self, call, done: str = "") -> None:
        """Run one service call; say why if it was refused, or what happened if it was done."""
        try:
            saved = call()
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
                    "How did the follow-up go? (what the customer said)", "e.g. replacement works, customer happy"
                ),
                done,
            )
        else:
            self._save(lambda: self.records.complaints.move(c, target), "{c.id} is now {c.stage}")

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
        c = self.complaint
        fields = [
            Field(
                "level",
                "To",
                "choice",
                required=True,
                options=[(name, str(i)) for i, name in enumerate(LEVELS) if i != c.level],
            ),
            Field("reason", "Reason", "long", required=True, hint="why it needs to go up (or back down)"),
            Field("to_whom", "Who", hint="name or team it went to"),
        ]

        def save(values: dict) -> Complaint:
            try:
                return self.records.complaints.escalate(
                    self.complaint, int(values["level"]), values["reason"], values["to_whom"]
                )
            except ValidationError:
                raise  # the form puts each of the record's problems under its own field
            except ValueError as exc:
                raise FormErrors({"reason": str(exc)}) from None

        default = str(c.level + 1 if c.level + 1 < len(LEVELS) else c.level - 1)  # up, or back down from the top
        self.app.push_screen(RecordForm(f"Escalate {c.id}", fields, {"level": default}, save), lambda _: self.reload())

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
        causes = list(dict.fromkeys([*ROOT_CAUSES, *([c.root_cause] if c.root_cause else [])]))
        fields = [
            Field("outcome", "Outcome", "long", required=True, hint="what was done, what was said"),
            Field("remedy", "Remedy", "choice", required=True, options=[(r, r) for r in REMEDIES]),
            Field("satisfied", "Satisfied", "choice", required=True, options=[(k, k) for k in SATISFIED]),
            Field("root_cause", "Root cause", "choice", required=True, options=[(r, r) for r in causes]),
            Field("lesson", "Lesson learned", "long"),
            Field("improvement_action", "Improvement action", hint="what will change, and who owns it"),
            Field("follow_up_on", "Follow up on", "date", hint="+1w"),
        ]

        def save(values: dict) -> Complaint:
            follow = parse_each(values, {"follow_up_on": self.records.clock.read_optional_date})
            try:
                return self.records.complaints.resolve(
                    self.complaint, **{**values, **follow, "satisfied": SATISFIED[values["satisfied"]]}
                )
            except ValidationError:
                raise  # the form puts each of the record's problems under its own field
            except (StageError, ValueError) as exc:
                raise FormErrors({"outcome": str(exc)}) from None

        values = {k: getattr(c, k) or "" for k in ("outcome", "remedy", "root_cause", "lesson", "improvement_action")}
        self.app.push_screen(
            RecordForm(f"Resolve {c.id}", fields, {**values, "follow_up_on": "+1w"}, save), lambda _: self.reload()
        )

    def action_checklist(self) -> None:
        c = self.complaint
        fields = [Field(key, label, "bool") for key, label in HANDLING_STEPS]

        def save(values: dict) -> Complaint:
            return self.records.complaints.set_checklist(self.complaint, values)

        self.app.push_screen(
            RecordForm(
                "Handling steps (HEAT and the five steps)",
                fields,
                {k: c.checklist.get(k, False) for k, _ in HANDLING_STEPS},
                save,
            ),
            lambda _: self.reload(),
        )

    def action_goods(self) -> None:
        c = self.complaint
        goods = c.goods()
        fields = [
            Field(
                "ownership_date",
                "Ownership passed",
                "date",
                required=True,
                hint="or possession, for hire or hire purchase (s.22(3)(a))",
            ),
            Field("delivery_date", "Delivered", "date", required=True, hint="the day the goods arrived"),
            Field("trader_installs", "Trader installs", "bool", hint="the contract has the trader install them"),
            Field(
                "installed_on",
                "Told installed on",
                "date",
                hint="when the trader said it was done; blank if not yet (s.22(3)(c))",
            ),
            Field("motor_vehicle", "Motor vehicle", "bool", hint="use may be deducted from a refund (s.24(10))"),
            Field("refund_agreed_on", "Refund agreed on", "date", hint="blank if none"),
        ]

        def save(values: dict) -> Complaint:
            read, optional = self.records.clock.read_date, self.records.clock.read_optional_date
            parsed = parse_each(
                values,
                {"ownership_date": read, "delivery_date": read, "installed_on": optional, "refund_agreed_on": optional},
            )
            if parsed["installed_on"] and not values["trader_installs"]:
                raise FormErrors({"installed_on": "only where the trader installs the goods: tick Trader installs"})
            return self.records.complaints.set_goods(
                self.complaint,
                trader_installs=values["trader_installs"],
                motor_vehicle=values["motor_vehicle"],
                **parsed,
            )

        def day(value: date | None) -> str:
            return f"{value:%d/%m/%Y}" if value else ""

        values = {
            "ownership_date": day(goods.ownership if goods else None),
            "delivery_date": day(goods.delivery if goods else None),
            "trader_installs": c.trader_installs,
            "installed_on": day(c.installed_on),
            "motor_vehicle": c.motor_vehicle,
            "refund_agreed_on": day(c.refund_agreed_on),
        }
        self.app.push_screen(
            RecordForm("Goods: for the Consumer Rights Act 2015 guide", fields, values, save), lambda _: self.reload()
        )

    def action_repairs(self) -> None:
        if self.complaint.goods() is None:
            self.notify(
                "g first: say when the goods were bought and delivered.", severity="warning", title="No goods details"
            )
            return
        self.app.push_screen(RepairsScreen(self.complaint_id))

    def action_back(self) -> None:
        self.app.pop_screen()
