"""The team roster: list, search, add, edit, deactivate; a member's page with their change history."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from ..domain.base import explain
from ..domain.dates import show_date
from ..domain.people import AgeBand, Member, age_band, school_leaving_date
from ..output import shorten
from ..services import StoreError
from ..services.team import member_form_values, member_from_row
from ..widgets.form import Field, FormErrors, RecordForm, field_errors
from ..widgets.prompt import ReasonPrompt
from ..widgets.saving import in_background, write
from ..widgets.search import SearchBox
from ..widgets.text import LiteralTable, plain
from .audit import ChangeScreen
from .base import RecordScreen
from .data_protection.flows import erase_with_preview
from .data_protection.flows import hold as place_hold

MEMBER_FIELDS = [
    Field("name", "Name", required=True, hint="First and last name"),
    Field("job_title", "Job title", required=True, hint="e.g. Customer Service Advisor"),
    Field("contract_hours", "Contract hours", "number", required=True, hint="weekly, e.g. 37.5"),
    Field(
        "date_of_birth", "Date of birth", "date", required=True, hint="dd/mm/yyyy (under-18s get young-worker rules)"
    ),
    Field("start_date", "Start date", "date", hint="dd/mm/yyyy, today, +1w"),
    Field("line_manager", "Line manager", "choice"),  # chosen from the roster: see member_fields
    Field("skills", "Skills", hint="tills:expert; phones:learner; returns:competent"),
    Field("development_goals", "Development goals", hint="separate goals with ;  e.g. complaints desk; phones"),
    Field("working_time_opt_out", "48-hour opt-out", "bool", hint="signed opt-out from the 48-hour average week"),
    Field(
        "works_after_ten_by_contract",
        "Works after 22:00",
        "bool",
        hint="under 18: their contract provides for work after 22:00, so 23:00-07:00 is restricted (reg 6A)",
    ),
    Field(
        "split_or_short_work",
        "Split or short work",
        "bool",
        hint="under 18: work split up over the day or short, so rest may be interrupted (reg 10(3))",
    ),
    Field(
        "over_school_age_from",
        "Over school age from",
        "date",
        hint="only if you know better than the date worked out from their birthday and region",
    ),
    Field("notes", "Notes", "long", hint="facts, not opinions: this is part of their record"),
]
LEVEL_MARK = {"learner": "L", "competent": "C", "expert": "E"}


@dataclass(frozen=True)
class TeamView:
    """What the roster shows, read off the UI thread (see RecordScreen.load)."""

    members: list[Member]  # the ones listed: active (or all), matching the search
    everyone: list[Member]  # for the counts in the title
    today: date


def working_time_band(member: Member, today: date, region: str) -> str:
    """Which working-time rules apply to them now, in words ('' for an adult)."""
    band = age_band(member, today, region)
    if band is AgeBand.child:
        born = member.date_of_birth
        assert born is not None  # a child's band comes from their date of birth (people.age_band)
        until = member.over_school_age_from or school_leaving_date(born, region)
        return (
            f"under school-leaving age until {until:%d/%m/%Y}: children's employment rules apply "
            "(not checked here); not a young worker under the WTR"
        )
    return "under 18: young-worker rules apply" if band is AgeBand.young else ""


def skills_summary(member: Member) -> str:
    return " ".join(f"{name}:{LEVEL_MARK[level.value]}" for name, level in sorted(member.skills.items()))


def member_fields(managers: list[tuple[str, str]]) -> list[Field]:
    """The member form's fields, the line manager a choice of ``managers`` ((label, name) pairs)."""
    return [replace(f, options=managers) if f.name == "line_manager" else f for f in MEMBER_FIELDS]


def open_member_form(screen: RecordScreen, member: Member | None, on_saved=None) -> None:
    """Add (member=None) or edit a member in the modal form."""
    team = screen.records.team
    state = {"base": member}

    def save(values: dict) -> Member:
        try:
            draft = member_from_row(values, screen.records.clock.today(), state["base"])
        except ValueError as exc:
            raise FormErrors(field_errors(str(exc).splitlines(), MEMBER_FIELDS)) from None
        try:
            return team.edit(draft) if state["base"] else team.add(draft)
        except ValueError as exc:  # a name already on the team
            raise FormErrors(field_errors([str(exc)], MEMBER_FIELDS)) from None

    def reload(edited: Member) -> dict:
        stored = team.get(edited.saved_id)
        state["base"] = stored
        return member_form_values(stored)

    values = member_form_values(member) if member else {"working_time_opt_out": False}
    title = f"Edit {member.id} {member.name}" if member else "Add a team member"
    fields = member_fields(team.line_manager_choices(member))

    def done(saved: Member | None) -> None:
        if saved is not None:
            screen.notify(f"Saved {saved.id} {saved.name}", title="Team")
            screen.reload()
            if on_saved:
                on_saved(saved)

    screen.app.push_screen(RecordForm(title, fields, values, save, partial(reload, member) if member else None), done)


def toggle_active(screen: RecordScreen, member: Member) -> None:
    verb = "Reactivate" if not member.active else "Deactivate"

    @in_background(screen)
    async def done(reason: str | None) -> None:
        if reason is None:
            return
        team = screen.records.team
        try:
            saved = await write(screen, team.set_active, team.get(member.saved_id), not member.active, reason)
        except ValidationError as exc:  # the record as it stands breaks a rule (e.g. now over 100)
            screen.notify("; ".join(explain(exc, Member)), severity="error", title="Not saved")
            return
        except StoreError as exc:
            screen.notify(str(exc), severity="error", title="Not saved")
            return
        screen.notify(f"{saved.name} is now {'active' if saved.active else 'inactive'}", title="Team")
        screen.reload()

    question = (
        f"{verb} {member.name}? They stay on record with their history; "
        f"{'they return to' if not member.active else 'they leave'} rotas and lists. Why?"
    )
    screen.app.push_screen(ReasonPrompt(question, "e.g. left the company / returned from leave"), done)


class TeamScreen(RecordScreen):
    AUTO_FOCUS = "#team-table"
    BINDINGS = [
        Binding("a", "add", "Add", id="team.add", tooltip="Add a team member"),
        Binding("e", "edit", "Edit", id="team.edit", tooltip="Edit the highlighted member"),
        Binding("enter", "open", "Open", id="team.open", show=False, tooltip="Open the member's page"),
        Binding(
            "d",
            "toggle_active",
            "(De)activate",
            id="team.deactivate",
            tooltip="Deactivate or reactivate the highlighted member",
        ),
        Binding("slash", "search", "Search", id="team.search", tooltip="Search by name, role or skill"),
        Binding("i", "toggle_inactive", "Inactive", id="team.inactive", tooltip="Show or hide inactive members"),
    ]

    LOADS_IN_BACKGROUND = True
    LEGEND = (
        *((mark, f"skill level {level}: tills:{mark} is {level} at tills") for level, mark in LEVEL_MARK.items()),
        ("Age in bold", "under 18: the young-worker rules apply to their shifts"),
        ("dim row", "inactive (left, or on a long absence); i shows or hides them"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.show_inactive = False
        self.search = ""  # what the search box holds, kept here so load() never reads a widget

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with Horizontal(classes="section-head"):
            yield Static("", id="team-title", classes="section-title")
            yield SearchBox("#team-table", placeholder="/ search name, role, skill", id="team-search", classes="search")
        table = LiteralTable(id="team-table", cursor_type="row", zebra_stripes=True)
        table.add_column("ID", key="id", width=6)
        table.add_column("Name", key="name", width=20)
        table.add_column("Role", key="role", width=16)
        table.add_column("Hrs", key="hours", width=4)
        table.add_column("Age", key="age", width=3)
        table.add_column("Skills", key="skills")
        yield table
        yield Static("", id="team-detail", classes="detail")
        yield from self.compose_chrome()

    @property
    def table(self) -> LiteralTable:
        """The roster: active people, and inactive ones when shown (i)."""
        return self.query_one("#team-table", LiteralTable)

    @property
    def search_box(self) -> Input:
        """What '/' types into: it narrows the roster as you type."""
        return self.query_one("#team-search", Input)

    def load(self) -> TeamView:
        team = self.records.team
        return TeamView(
            members=team.members(include_inactive=self.show_inactive, search=self.search),
            everyone=team.members(include_inactive=True),
            today=self.records.clock.today(),
        )

    def show(self, view: TeamView) -> None:
        table = self.table
        keep = self._highlighted_id()
        table.clear()
        for m in view.members:
            style = "dim" if not m.active else ""
            years = m.age(view.today)
            age = Text("—" if years is None else str(years), style="bold" if m.is_under_18(view.today) else style)
            table.add_row(
                plain(m.id, style),
                plain(shorten(m.name, 20), style),
                plain(shorten(m.job_title, 16), style),
                plain(f"{m.contract_hours:g}", style),
                age,
                plain(skills_summary(m), style),
                key=m.id,
            )
        if keep and keep in {m.id for m in view.members}:
            table.move_cursor(row=table.get_row_index(keep))
        inactive = sum(not m.active for m in view.everyone)
        shown = "shown" if self.show_inactive else "hidden"
        title = f"Team · {len(view.everyone) - inactive} active" + (
            f" · {inactive} inactive {shown} (i)" if inactive else ""
        )
        self.query_one("#team-title", Static).update(Text(title, style="bold"))
        self._show_detail()

    def _highlighted_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _highlighted(self) -> Member | None:
        member_id = self._highlighted_id()
        return self.records.team.get(member_id) if member_id else None

    @on(DataTable.RowHighlighted, "#team-table")
    def _show_detail(self) -> None:
        member = self._highlighted()
        detail = self.query_one("#team-detail", Static)
        if member is None:
            detail.update(Text("No one matches. Press a to add a team member.", style="italic"))
            return
        skills = ", ".join(f"{n} ({lvl.value})" for n, lvl in sorted(member.skills.items())) or "none recorded"
        goals = "; ".join(member.development_goals) or "none recorded"
        young = working_time_band(member, self.records.clock.today(), self.records.settings.region)
        young = f"  · {young}" if young else ""
        opt = "  · 48h opt-out signed" if member.working_time_opt_out else ""
        detail.update(
            Text.assemble(
                ("Skills: ", "bold"),
                plain(skills),
                "\n",
                ("Wants to develop: ", "bold"),
                plain(goals),
                "\n",
                ("Manager: ", "bold"),
                plain(member.line_manager or "—"),
                ("  Started: ", "bold"),
                show_date(member.start_date) or "—",
                (young, "bold"),
                opt,
            )
        )

    @on(Input.Changed, "#team-search")
    def _search(self, event: Input.Changed) -> None:
        self.search = event.value
        self.reload()

    @on(DataTable.RowSelected, "#team-table")
    def _selected(self) -> None:
        self.action_open()

    def action_search(self) -> None:
        self.set_focus(self.search_box)  # at once, so the letters typed right behind / land in the box

    def action_toggle_inactive(self) -> None:
        self.show_inactive = not self.show_inactive
        self.reload()

    def action_add(self) -> None:
        open_member_form(self, None)

    def action_edit(self) -> None:
        member = self._highlighted()
        if member:
            open_member_form(self, member)

    def action_open(self) -> None:
        member_id = self._highlighted_id()
        if member_id:
            self.app.push_screen(MemberScreen(member_id))

    def action_toggle_active(self) -> None:
        member = self._highlighted()
        if member:
            toggle_active(self, member)


class MemberScreen(RecordScreen):
    """One member: details, and every change to their record from the audit log."""

    AUTO_FOCUS = "#member-history"
    BINDINGS = [
        Binding("escape", "back", "Back", id="member.back", tooltip="Back to the team list"),
        Binding("e", "edit", "Edit", id="member.edit", tooltip="Edit this member"),
        Binding("d", "toggle_active", "(De)activate", id="member.deactivate", tooltip="Deactivate or reactivate"),
        Binding(
            "X",
            "erase",
            "Erase data",
            id="member.erase",
            show=False,
            tooltip="A former member's erasure request (UK GDPR Art. 17): shows what goes and what is kept first",
        ),
        Binding(
            "H",
            "hold",
            "Legal hold",
            id="member.hold",
            show=False,
            tooltip="Keep everything about them from erasure while a claim or grievance needs it",
        ),
        Binding(
            "p",
            "evidence_pack",
            "Evidence pack",
            id="member.pack",
            tooltip="Write their whole-person evidence pack (subject access, appraisal, hearing) as HTML to your "
            "own data folder, readable by you only",
        ),
    ]

    def __init__(self, member_id: str):
        super().__init__()
        self.member_id = member_id

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="member-page"):
            yield Static("", id="member-details")
            yield Static(Text("Change history (from the audit log)", style="bold"), classes="subhead")
            table = LiteralTable(id="member-history", cursor_type="row")
            table.add_column("When", key="when", width=20)
            table.add_column("Who", key="who", width=12)
            table.add_column("What", key="what")
            yield table
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        m = self.records.team.get(self.member_id)
        tz = self.records.tz
        today = self.records.clock.today()
        lines = [
            Text.assemble(
                plain(f"{m.id}  ", "bold"), plain(m.name, "bold"), ("  (inactive)" if not m.active else "", "italic")
            ),
            Text.assemble(
                plain(m.job_title),
                f" · {m.contract_hours:g} h/week" + ("" if m.date_of_birth is None else f" · age {m.age(today)}"),
                (" · under 18" if m.is_under_18(today) else "", "bold"),
            ),
            Text.assemble(
                "Born ",
                show_date(m.date_of_birth) or plain(m.erased.get("date_of_birth", "—")),
                "  Started ",
                show_date(m.start_date) or "—",
                f"  Left {show_date(m.left_on)}" if m.left_on else "",
                "  Manager ",
                plain(m.line_manager or "—"),
            ),
            Text.assemble(
                ("Skills: ", "bold"),
                plain(", ".join(f"{n} ({lvl.value})" for n, lvl in sorted(m.skills.items())) or "none"),
            ),
            Text.assemble(("Development goals: ", "bold"), plain("; ".join(m.development_goals) or "none")),
            Text.assemble(
                ("48-hour opt-out: ", "bold"),
                "signed" if m.working_time_opt_out else "no",
                ("  Works after 22:00 by contract" if m.works_after_ten_by_contract else ""),
                ("  Split or short work" if m.split_or_short_work else ""),
            ),
        ]
        band = working_time_band(m, today, self.records.settings.region)
        if band:
            lines.append(Text(band[0].upper() + band[1:], style="bold"))
        if m.notes:
            lines.append(Text.assemble(("Notes: ", "bold"), plain(m.notes, multiline=True)))
        self.query_one("#member-details", Static).update(Text("\n").join(lines))
        table = self.query_one("#member-history", DataTable)
        table.clear()
        for change in reversed(self.records.team.history(self.member_id)):
            table.add_row(change.when(tz), plain(change.actor), plain(change.summary()), key=str(change.seq))

    @on(DataTable.RowSelected, "#member-history")
    def _change_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a line of their history: that change field by field, before -> after."""
        seq = int(str(event.row_key.value))
        change = next(
            (c for c in self.records.audit_log.history(self.records.team.repo.table, self.member_id) if c.seq == seq),
            None,
        )
        if change is not None:
            self.app.push_screen(ChangeScreen(change))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit(self) -> None:
        open_member_form(self, self.records.team.get(self.member_id))

    def action_toggle_active(self) -> None:
        toggle_active(self, self.records.team.get(self.member_id))

    def action_erase(self) -> None:
        try:
            preview = self.records.data_protection.for_member(self.member_id)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", title="Not erased")
            return
        erase_with_preview(self, preview)

    def action_hold(self) -> None:
        place_hold(self, self.member_id)

    @work(thread=True, exclusive=True, group="write")
    def action_evidence_pack(self) -> None:
        """Off the UI thread: the pack reads their whole history. Says where it went, or why it did not."""
        try:
            path = self.records.evidence.save_person_pack(self.member_id)
        except (StoreError, OSError, ValueError) as exc:
            self.notify(str(exc), severity="error", title="Evidence pack not written")
            return
        self.notify(f"Written to {path} (readable by you only).", title="Evidence pack", timeout=20)
