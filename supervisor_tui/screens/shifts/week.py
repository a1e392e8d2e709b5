"""The week's rota as a grid (people down, days across), with its problems inline and listed."""

from __future__ import annotations

import calendar
from datetime import date, time, timedelta

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Static

from supervisor_tui.storage import StoreError

from ...domain.base import RecordModel, explain
from ...domain.clock import Clock
from ...domain.coverage import Demand, shortfall_hours
from ...domain.dates import DateInputError, iso_week, local_to_utc, parse_time
from ...domain.numbers import whole_number
from ...domain.rota import Leave, Position, Problem, Shift, interval, parse_weekdays
from ...output import shorten, visible
from ...widgets.form import Field, RecordForm, parse_each
from ...widgets.prompt import Confirm, ReasonPrompt
from ...widgets.text import LiteralSelect, LiteralTable, plain
from ..base import RecordScreen
from ..briefing import BriefingScreen

SHIFT_FIELDS = [
    Field("member_id", "Person", "choice", required=True),
    Field("day", "Date", "date", required=True, hint="dd/mm/yyyy, today, fri, +1w"),
    Field("start", "Start", required=True, hint="09:00"),
    Field("end", "End", required=True, hint="17:30 (before the start = next day)"),
    Field("position", "Position", "choice", required=True),
    Field("break_minutes", "Break (minutes)", "number", hint="20 minutes over 6 hours; 30 over 4.5 for under-18s"),
    Field("reason", "Why this person", hint="skill, hours, fairness, development: kept with the shift"),
    Field("note", "Note"),
]


# One letter per position in the grid; the detail line under it spells the highlighted one out.
POSITION_CODES = {
    "tills": "T",
    "phones": "P",
    "returns desk": "R",
    "complaints desk": "K",
    "click & collect": "C",
    "email": "E",
    "chat": "H",
}


def position_code(position: str) -> str:
    return POSITION_CODES.get(position) or visible(position[:1].upper())


def shift_values(shift: Shift) -> dict:
    return {
        "member_id": shift.member_id,
        "day": f"{shift.day:%d/%m/%Y}",
        "start": f"{shift.start:%H:%M}",
        "end": f"{shift.end:%H:%M}",
        "position": shift.position,
        "break_minutes": str(shift.break_minutes),
        "reason": shift.reason,
        "note": shift.note,
    }


def shift_from_values(values: dict, base: Shift | None, clock: Clock) -> Shift:
    """A shift from the form; a bad field raises FormErrors, a bad shift pydantic's error (the form shows both)."""
    parsed = parse_each(
        values,
        {
            "day": clock.read_date,
            "start": parse_time,
            "end": parse_time,
            "break_minutes": lambda v: whole_number(v or "0"),
        },
    )
    envelope = base.model_dump(include=set(RecordModel.model_fields)) if base else {}
    return Shift.model_validate(
        {
            **envelope,
            "member_id": values["member_id"],
            **parsed,
            "position": values["position"],
            "reason": values["reason"],
            "note": values["note"],
        }
    )


class ShiftsScreen(RecordScreen):
    AUTO_FOCUS = "#rota-grid"
    DEFAULT_CSS = """
    ShiftsScreen #rota-grid { height: 1fr; }
    ShiftsScreen #rota-detail { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    ShiftsScreen #rota-problems { height: auto; max-height: 6; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", "Prev wk", id="shifts.prev", tooltip="The week before"),
        Binding("right_square_bracket", "week(1)", "Next wk", id="shifts.next", tooltip="The week after"),
        Binding("t", "this_week", "This wk", id="shifts.today", tooltip="Back to this week", show=False),
        Binding("a", "add", "Add", id="shifts.add", tooltip="Add a shift for the highlighted person and day"),
        Binding(
            "f", "fill", "Fill", id="shifts.fill", tooltip="Fill a slot on the highlighted day from ranked suggestions"
        ),
        Binding("e", "edit", "Edit", id="shifts.edit", tooltip="Edit (or move) the highlighted shift"),
        Binding(
            "y",
            "copy_shift",
            "Copy",
            id="shifts.copy_shift",
            show=False,
            tooltip="Copy the highlighted shift to another day or person",
        ),
        Binding(
            "P",
            "position",
            "Position",
            id="shifts.position",
            show=False,
            tooltip="Add a position or change the skill it needs",
        ),
        Binding("v", "void", "Void", id="shifts.void", tooltip="Void the highlighted shift, with a reason"),
        Binding("c", "copy_week", "Copy last wk", id="shifts.copy", tooltip="Copy last week's shifts into this week"),
        Binding(
            "r",
            "pattern",
            "Repeat",
            id="shifts.pattern",
            tooltip="Add a recurring pattern, e.g. mon-fri 09:00-17:30 for four weeks",
        ),
        Binding("l", "leave", "Leave", id="shifts.leave", tooltip="Record leave or unavailability"),
        Binding(
            "n",
            "demand",
            "Demand",
            id="shifts.demand",
            show=False,
            tooltip="How many people a position needs on a weekday and time band",
        ),
        Binding(
            "b",
            "briefing",
            "Briefing",
            id="shifts.briefing",
            tooltip="The highlighted day's briefing: notes, attendance, catch-ups",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.monday = date.min  # set to this week's Monday by the team clock when mounted
        self._week_shifts: dict[tuple[str, date], list[Shift]] = {}

    def on_mount(self) -> None:
        self.monday = self._this_monday()
        super().on_mount()

    def _this_monday(self) -> date:
        today = self.records.clock.today()
        return today - timedelta(days=today.weekday())

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="rota-title", classes="section-title")
        yield LiteralTable(id="rota-grid", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="rota-detail")
        yield Static("", id="rota-problems")
        yield from self.compose_chrome()

    # -- drawing -------------------------------------------------------------------------------
    def reload(self) -> None:
        super().reload()
        service = self.records.shifts
        days = [self.monday + timedelta(days=d) for d in range(7)]
        shifts = service.between(days[0], days[-1])
        problems = service.problems(days[0], days[-1])
        flagged = {p.shift_id for p in problems if p.shift_id}
        self._week_shifts = {}
        for s in shifts:
            self._week_shifts.setdefault((s.member_id, s.day), []).append(s)
        table = self.query_one("#rota-grid", DataTable)
        keep = table.cursor_coordinate if table.row_count else None
        table.clear(columns=True)
        # 13 + 7 x 7 columns, each with a cell of padding either side, fit 80 columns; a wider
        # terminal gets full names and minutes.
        self._wide = self.app.size.width >= 128
        table.add_column("Person", key="person", width=20 if self._wide else 13)
        for day in days:
            table.add_column(
                f"{day:%a %d %b}" if self._wide else f"{day:%a %d}", key=day.isoformat(), width=13 if self._wide else 7
            )
        away = {
            (entry.member_id, day)
            for entry in service.leave_between(days[0], days[-1])
            for day in days
            if entry.covers(day)
        }
        hours: dict[str, float] = {}
        for member in self.records.team.members():
            cells = []
            for day in days:
                todays = self._week_shifts.get((member.id, day), [])
                hours[member.id] = hours.get(member.id, 0) + sum(self._hours(s) for s in todays)
                cells.append(self._cell(todays, flagged, (member.id, day) in away, self._wide))
            label = Text.assemble(
                plain(shorten(member.name, 14 if self._wide else 7)), f" {hours.get(member.id, 0):g}h"
            )
            table.add_row(label, *cells, key=member.id)
        if self.records.shifts.demand.all():
            table.add_row(Text("Short (p-h)", style="bold"), *[self._short_cell(day) for day in days], key="__cover__")
        if keep is not None and table.row_count:
            table.move_cursor(row=min(keep.row, table.row_count - 1), column=keep.column)
        count = len(shifts)
        self.query_one("#rota-title", Static).update(
            Text.assemble(
                (f"Rota {iso_week(self.monday)} · {self.monday:%d %b} – {days[-1]:%d %b %Y}", "bold"),
                f" · {count} shift{'s' if count != 1 else ''}",
            )
        )
        self._show_problems(problems)
        self._show_detail()

    @on(DataTable.CellHighlighted, "#rota-grid")
    def _show_detail(self) -> None:
        member_id, day = self._cursor()
        detail = self.query_one("#rota-detail", Static)
        if member_id is None:
            table = self.query_one("#rota-grid", DataTable)
            on_cover_row = table.row_count and day is not None
            detail.update(
                Text(
                    "Person-hours short against demand; Enter shows the day hour by hour."
                    if on_cover_row
                    else "No one on the team yet: add people in Team (1).",
                    style="italic",
                )
            )
            return
        name = self.records.team.get(member_id).name
        todays = self._week_shifts.get((member_id, day), []) if day else []
        if day is None:
            detail.update(Text.assemble(plain(name), ("  ← → to a day, a to add a shift", "dim")))
        elif not todays:
            detail.update(Text.assemble(plain(name), f" · {day:%a %d/%m} · off", ("  (a adds a shift)", "dim")))
        else:
            s = todays[0]
            more = f" (+{len(todays) - 1} more)" if len(todays) > 1 else ""
            detail.update(
                Text.assemble(
                    plain(name),
                    f" · {s.day:%a %d/%m} {s.start:%H:%M}-{s.end:%H:%M} ",
                    plain(s.position, "bold"),
                    f" · break {s.break_minutes}m{more}",
                    (" · why: " if s.reason else "", "dim"),
                    plain(s.reason),
                )
            )

    def _hours(self, shift: Shift) -> float:
        return interval(shift, self.records.tz).worked_hours

    def on_resize(self) -> None:
        if self.is_mounted and (self.app.size.width >= 128) != getattr(self, "_wide", None):
            self.reload()

    def _short_cell(self, day: date) -> Text:
        """Person-hours short against demand that day: the gaps at a glance (Enter shows each hour)."""
        short = shortfall_hours(self.records.shifts.coverage(day))
        return Text(f"-{short}", style="bold reverse") if short else Text("ok", style="bold")

    @staticmethod
    def _cell(shifts: list[Shift], flagged: set[str | None], away: bool, wide: bool = False) -> Text:
        if not shifts:
            return Text("leave", style="italic") if away else Text("·", style="dim")
        parts = []
        for s in shifts:
            mark = "!" if s.id in flagged else ""
            if wide:  # the flag takes the place of the space, so the position letter always shows
                parts.append(
                    Text.assemble(
                        f"{s.start:%H:%M}-{s.end:%H:%M}",
                        ("!", "bold reverse") if mark else " ",
                        position_code(s.position),
                    )
                )
            else:
                parts.append(
                    Text.assemble(
                        (mark, "bold reverse") if mark else "", f"{s.start:%H}-{s.end:%H}{position_code(s.position)}"
                    )
                )
        return Text(" ").join(parts)

    def _show_problems(self, problems: list[Problem]) -> None:
        box = self.query_one("#rota-problems", Static)
        if not problems:
            box.update(Text("No rota problems this week.", style="italic"))
            return
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        lines = [Text(f"{len(problems)} problem(s) this week (! in the grid):", style="bold")]
        for p in problems:
            rule = p.rule.text(self.records.settings.region).split(":")[0]
            lines.append(
                Text.assemble(
                    f"{p.day:%a} ",
                    plain(names.get(p.member_id, p.member_id)),
                    " · ",
                    (rule, "bold"),
                    " · ",
                    plain(p.reason),
                )
            )
        box.update(Text("\n").join(lines))

    # -- where the cursor is -------------------------------------------------------------------
    def _cursor(self) -> tuple[str | None, date | None]:
        table = self.query_one("#rota-grid", DataTable)
        if not table.row_count:
            return None, None
        cell = table.coordinate_to_cell_key(table.cursor_coordinate)
        column = cell.column_key.value
        day = date.fromisoformat(column) if column and column != "person" else None
        row = cell.row_key.value
        return (None if row == "__cover__" else row), day

    def _highlighted_shift(self) -> Shift | None:
        member_id, day = self._cursor()
        found = self._week_shifts.get((member_id, day), []) if member_id and day else []
        return found[0] if found else None

    # -- actions -------------------------------------------------------------------------------
    def action_week(self, step: int) -> None:
        self.monday += timedelta(weeks=step)
        self.reload()

    def action_this_week(self) -> None:
        self.monday = self._this_monday()
        self.reload()

    def action_add(self) -> None:
        member_id, day = self._cursor()
        self._open_form(
            None,
            {
                "member_id": member_id or "",
                "day": f"{(day or self.monday):%d/%m/%Y}",
                "start": "",
                "end": "",
                "position": "",
                "break_minutes": "0",
                "reason": "",
                "note": "",
            },
        )

    def action_fill(self) -> None:
        _, day = self._cursor()
        day = day or self.monday

        def done(saved: Shift | None) -> None:
            if saved is not None:
                self.notify(f"{saved.id} given to {self.records.team.get(saved.member_id).name}", title="Rota")
                self.reload()

        self.app.push_screen(FillSlot(day), done)

    def action_edit(self) -> None:
        shift = self._highlighted_shift()
        if shift is None:
            self.notify("No shift here: move to a shift, or press a to add one.", severity="warning")
            return
        self._open_form(shift, shift_values(shift))

    def action_copy_shift(self) -> None:
        shift = self._highlighted_shift()
        if shift is None:
            self.notify("No shift here to copy.", severity="warning")
            return
        values = shift_values(shift)
        values["day"] = f"{shift.day + timedelta(days=1):%d/%m/%Y}"
        self._open_form(None, values, title=f"Copy {shift.id} to another day or person")

    def action_position(self) -> None:
        fields = [
            Field("name", "Position", required=True, hint="e.g. customer services desk"),
            Field("skill", "Skill needed", required=True, hint="e.g. complaints desk"),
        ]

        def save(values: dict) -> Position:
            return self.records.shifts.save_position(Position(**values))

        def done(saved: Position | None) -> None:
            if saved is not None:
                self.notify(f"{saved.name} needs {saved.skill}", title="Positions")
                self.reload()

        self.app.push_screen(
            RecordForm("Add a position (or change its skill)", fields, {"name": "", "skill": ""}, save), done
        )

    def action_void(self) -> None:
        shift = self._highlighted_shift()
        if shift is None:
            self.notify("No shift here to void.", severity="warning")
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.records.shifts.shifts.void(self.records.shifts.shifts.get(shift.id), reason)
            except StoreError as exc:
                self.notify(str(exc), severity="error", title="Not voided")
                return
            self.notify(f"Voided {shift.id}; it stays on record with your reason.", title="Rota")
            self.reload()

        self.app.push_screen(
            ReasonPrompt(
                f"Void {shift.id} ({shift.day:%a %d/%m} {shift.start:%H:%M}-{shift.end:%H:%M} {shift.position})? Why?"
            ),
            done,
        )

    @on(DataTable.CellSelected, "#rota-grid")
    def _open_day(self) -> None:
        """Enter on a day: that day hour by hour, with coverage against demand."""
        _, day = self._cursor()
        self.app.push_screen(DayScreen(day or self.records.clock.today()))

    def action_demand(self) -> None:
        _, day = self._cursor()
        _, positions = self._people_and_positions()
        weekdays = [(calendar.day_name[i], str(i)) for i in range(7)]
        fields = [
            Field("position", "Position", "choice", options=positions, required=True),
            Field("weekday", "Day", "choice", options=weekdays, required=True),
            Field("start", "From", required=True, hint="09:00"),
            Field("end", "To", required=True, hint="17:00"),
            Field("people", "People", "number", required=True, hint="how many at once"),
        ]

        def save(values: dict) -> Demand:
            parsed = parse_each(values, {"start": parse_time, "end": parse_time, "people": whole_number})
            return self.records.shifts.demand.create(
                Demand(position=values["position"], weekday=int(values["weekday"]), **parsed)
            )

        def done(saved: Demand | None) -> None:
            if saved is not None:
                self.notify(
                    f"Demand saved: {saved.people} on {saved.position} {saved.start:%H:%M}-{saved.end:%H:%M}",
                    title="Rota",
                )
                self.reload()

        values = {
            "position": "",
            "weekday": str((day or self.monday).weekday()),
            "start": "09:00",
            "end": "17:00",
            "people": "1",
        }
        self.app.push_screen(RecordForm("How many people a position needs", fields, values, save), done)

    def action_briefing(self) -> None:
        _, day = self._cursor()
        self.app.push_screen(BriefingScreen(day or self.records.clock.today()))

    def action_copy_week(self) -> None:
        source = self.monday - timedelta(weeks=1)
        count = len(self.records.shifts.between(source, source + timedelta(days=6)))
        if not count:
            self.notify(f"Week {iso_week(source)} has no shifts to copy.", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                copied = self.records.shifts.copy_week(source, self.monday)
            except (ValueError, StoreError) as exc:  # e.g. a copy that lands before someone started
                self.notify(str(exc), severity="error", title="Not copied")
                return
            skipped = count - len(copied)
            self.notify(
                f"Copied {len(copied)} shift(s) from {iso_week(source)}"
                + (f"; {skipped} were already here" if skipped else ""),
                title="Rota",
            )
            self.reload()

        self.app.push_screen(
            Confirm(
                f"Copy {count} shift(s) from week {iso_week(source)} into "
                f"{iso_week(self.monday)}? Ones already here are skipped; check the "
                "problems list afterwards."
            ),
            done,
        )

    def _people_and_positions(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        people = [(m.name, m.id) for m in self.records.team.members()]
        return people, [(name, name) for name in sorted(self.records.shifts.position_skills())]

    def action_pattern(self) -> None:
        member_id, day = self._cursor()
        people, positions = self._people_and_positions()
        fields = [
            Field("member_id", "Person", "choice", options=people, required=True),
            Field("position", "Position", "choice", options=positions, required=True),
            Field("days", "Days", required=True, hint="mon-fri, mon,wed,fri, weekends"),
            Field("start", "Start", required=True, hint="09:00"),
            Field("end", "End", required=True, hint="17:30"),
            Field("break_minutes", "Break (minutes)", "number", hint="30"),
            Field("day", "From", "date", required=True, hint="the first day"),
            Field("weeks", "Weeks", "number", required=True, hint="1 to 52"),
            Field("reason", "Why this person", hint="kept with every shift"),
        ]

        def save(values: dict) -> list[Shift]:
            parsed = parse_each(
                values,
                {
                    "days": parse_weekdays,
                    "weeks": lambda v: whole_number(v, 1, 52),
                    "day": self.records.clock.read_date,
                    "start": parse_time,
                    "end": parse_time,
                    "break_minutes": lambda v: whole_number(v or "0"),
                },
            )
            template = Shift(
                member_id=values["member_id"],
                position=values["position"],
                reason=values["reason"],
                day=parsed["day"],
                start=parsed["start"],
                end=parsed["end"],
                break_minutes=parsed["break_minutes"],
            )
            return self.records.shifts.add_pattern(template, parsed["days"], parsed["weeks"])

        def done(created: list[Shift] | None) -> None:
            if created:
                self.notify(f"Added {len(created)} shifts", title="Rota")
                self.reload()

        values = {
            "member_id": member_id or "",
            "position": "",
            "days": "mon-fri",
            "start": "09:00",
            "end": "17:30",
            "break_minutes": "30",
            "day": f"{(day or self.monday):%d/%m/%Y}",
            "weeks": "4",
            "reason": "",
        }
        self.app.push_screen(RecordForm("Add a recurring pattern", fields, values, save), done)

    def action_leave(self) -> None:
        member_id, day = self._cursor()
        people, _ = self._people_and_positions()
        fields = [
            Field("member_id", "Person", "choice", options=people, required=True),
            Field("first_day", "From", "date", required=True, hint="first day away"),
            Field("last_day", "To", "date", required=True, hint="last day away"),
            Field(
                "kind",
                "Kind",
                "choice",
                required=True,
                options=[
                    (k, k)
                    for k in ("annual leave", "sickness", "training", "unavailable", "compassionate leave", "other")
                ],
            ),
        ]

        def save(values: dict) -> Leave:
            days = parse_each(
                values, {"first_day": self.records.clock.read_date, "last_day": self.records.clock.read_date}
            )
            return self.records.shifts.add_leave(Leave(member_id=values["member_id"], kind=values["kind"], **days))

        def done(saved: Leave | None) -> None:
            if saved is not None:
                self.notify(f"Recorded {saved.kind} {saved.first_day:%d/%m}-{saved.last_day:%d/%m}", title="Rota")
                self.reload()

        start = f"{(day or self.monday):%d/%m/%Y}"
        values = {"member_id": member_id or "", "first_day": start, "last_day": start, "kind": "annual leave"}
        self.app.push_screen(RecordForm("Record leave or unavailability", fields, values, save), done)

    def _open_form(self, shift: Shift | None, values: dict, title: str | None = None) -> None:
        service = self.records.shifts
        people, positions = self._people_and_positions()
        fields = [
            Field(
                f.name,
                f.label,
                f.kind,
                f.hint,
                people if f.name == "member_id" else positions if f.name == "position" else [],
                f.required,
            )
            for f in SHIFT_FIELDS
        ]
        state = {"base": shift}

        def save(form_values: dict) -> Shift:
            draft = shift_from_values(form_values, state["base"], self.records.clock)
            return service.edit(draft) if state["base"] else service.add(draft)

        def reload() -> dict:
            state["base"] = service.shifts.get(shift.id)  # type: ignore[union-attr]
            return shift_values(state["base"])

        def done(saved: Shift | None) -> None:
            if saved is not None:
                self.notify(f"Saved {saved.id}", title="Rota")
                self.reload()

        title = title or (f"Edit {shift.id}" if shift else "Add a shift")
        self.app.push_screen(RecordForm(title, fields, values, save, reload if shift else None), done)


class FillSlot(ModalScreen[Shift | None]):
    """Describe a slot; see who could take it, best first, and why; Enter allocates."""

    DEFAULT_CSS = """
    FillSlot { align: center middle; }
    FillSlot #fill-box { width: 78; max-width: 100%; height: 100%; max-height: 30; border: round $primary;
                         background: $surface; padding: 0 1; }
    FillSlot .fill-row { height: 1; }
    FillSlot .fill-row Label { width: 10; color: $text-muted; }
    FillSlot .fill-row Input, FillSlot .fill-row Select { width: 16; margin-right: 2; }
    FillSlot #fill-table { height: 1fr; }
    FillSlot #fill-why { height: auto; max-height: 4; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="fill.cancel", tooltip="Close without allocating")]

    def __init__(self, day: date):
        super().__init__()
        self.day = day
        self._ranked: list = []

    @property
    def records(self):
        return self.app.records  # type: ignore[attr-defined]

    def _biggest_gap(self) -> tuple[str, str, str]:
        """The position most short of people that day, from its first short hour (at most 8 hours)."""
        short = [c for c in self.records.shifts.coverage(self.day) if c.gap < 0]
        if not short:
            return "tills", "09:00", "17:00"
        totals: dict[str, int] = {}
        for c in short:
            totals[c.position] = totals.get(c.position, 0) - c.gap
        position = max(sorted(totals), key=lambda p: totals[p])
        hours = sorted(c.hour for c in short if c.position == position)
        end = min(hours[-1] + 1, hours[0] + 8)
        return position, f"{hours[0]:02d}:00", f"{end % 24:02d}:00"

    def compose(self) -> ComposeResult:
        positions = [(name, name) for name in sorted(self.records.shifts.position_skills())]
        position, start, end = self._biggest_gap()
        with Vertical(id="fill-box"):
            yield Static(Text(f"Fill a slot on {self.day:%A %d %B %Y}", style="bold"))
            with Horizontal(classes="fill-row"):
                yield Label("Position")
                yield LiteralSelect(
                    positions,
                    value=position if position in dict(positions).values() else positions[0][1],
                    id="fill-position",
                    compact=True,
                    allow_blank=False,
                )
                yield Label("Start")
                yield Input(start, id="fill-start", compact=True)
            with Horizontal(classes="fill-row"):
                yield Label("Break min")
                yield Input("30", id="fill-break", compact=True)
                yield Label("End")
                yield Input(end, id="fill-end", compact=True)
            yield Static("", id="fill-status")
            table = LiteralTable(id="fill-table", cursor_type="row")
            table.add_column("Who", width=16)
            table.add_column("Score", width=5)
            table.add_column("Why (or why not)")
            yield table
            yield Static("", id="fill-why")
            yield Static(Text("Tab between fields · ↑↓ choose · Enter allocates · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#fill-table").focus()

    def _slot(self) -> Shift:
        try:
            brk = whole_number(self.query_one("#fill-break", Input).value.strip() or "0")
        except ValueError as exc:
            raise DateInputError(f"Break: {exc}") from None
        try:
            start = parse_time(self.query_one("#fill-start", Input).value)
            end = parse_time(self.query_one("#fill-end", Input).value)
        except DateInputError as exc:
            raise DateInputError(f"Times: {exc}") from None
        try:
            return Shift(
                member_id="?",
                day=self.day,
                start=start,
                end=end,
                break_minutes=brk,
                position=str(self.query_one("#fill-position", Select).value),
            )
        except ValidationError as exc:
            raise DateInputError("; ".join(explain(exc, Shift))) from None

    @on(Input.Changed)
    @on(Select.Changed)
    def _refresh(self) -> None:
        table = self.query_one("#fill-table", DataTable)
        status = self.query_one("#fill-status", Static)
        table.clear()
        try:
            slot = self._slot()
        except DateInputError as exc:
            self._ranked = []
            status.update(plain(exc, "bold"))
            return
        self._ranked = self.records.shifts.candidates(slot)
        open_count = sum(c.available for c in self._ranked)
        status.update(Text(f"{open_count} can take it; {len(self._ranked) - open_count} cannot (listed last)"))
        for c in self._ranked:
            style = "" if c.available else "dim strike"
            why = c.summary() if c.available else "cannot: " + "; ".join(c.blockers)
            table.add_row(
                plain(shorten(c.member.name, 16), style),
                Text(f"{c.score:g}", style=style),
                plain(why, "" if c.available else "dim"),
                key=c.member.id,
            )
        self._show_why()

    @on(DataTable.RowHighlighted, "#fill-table")
    def _show_why(self) -> None:
        table = self.query_one("#fill-table", DataTable)
        why = self.query_one("#fill-why", Static)
        if not self._ranked or not table.row_count:
            why.update("")
            return
        c = self._ranked[table.cursor_row]
        text = c.summary() if c.available else "Cannot take it: " + "; ".join(c.blockers)
        why.update(plain(f"{c.member.name}: {text}"))

    @on(DataTable.RowSelected, "#fill-table")
    def _allocate(self) -> None:
        table = self.query_one("#fill-table", DataTable)
        if not self._ranked:
            return
        candidate = self._ranked[table.cursor_row]
        if not candidate.available:
            self.notify(
                f"{candidate.member.name} cannot take this: " + "; ".join(candidate.blockers),
                severity="warning",
                title="Not allocated",
            )
            return
        try:
            saved = self.records.shifts.allocate(self._slot(), candidate)
        except (ValueError, StoreError) as exc:  # a bad slot, or a rule such as "before they started"
            self.notify(str(exc), severity="error", title="Not allocated")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DayScreen(RecordScreen):
    """One day hour by hour: who works when, and each position's cover against demand."""

    AUTO_FOCUS = "#day-table"
    DEFAULT_CSS = """
    DayScreen #day-title { height: 1; padding: 0 1; }
    DayScreen #day-table { height: 1fr; }
    DayScreen #day-key { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="day.back", tooltip="Back to the week"),
        Binding("left_square_bracket", "day(-1)", "Prev day", id="day.prev", tooltip="The day before"),
        Binding("right_square_bracket", "day(1)", "Next day", id="day.next", tooltip="The day after"),
    ]
    # 15 + 16 hours x 4 columns, no cell padding: the whole trading day fits 80 columns.
    FIRST_HOUR, LAST_HOUR = 7, 22

    def __init__(self, day: date):
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="day-title")
        yield LiteralTable(id="day-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(
            Text("T███ working (position letter)   =position rows: on/needed per hour; ! short, + spare", style="dim"),
            id="day-key",
        )
        yield from self.compose_chrome()

    def reload(self) -> None:
        super().reload()
        service = self.records.shifts
        hours = range(self.FIRST_HOUR, self.LAST_HOUR + 1)
        table = self.query_one("#day-table", DataTable)
        table.clear(columns=True)
        table.add_column(" Who / where", width=15)
        for hour in hours:
            table.add_column(f"{hour:02d}", width=4)
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        for s in service.between(self.day, self.day):
            span = interval(s, self.records.tz)
            cells = []
            for hour in hours:
                mark = local_to_utc(self.day, time(hour, 30), self.records.tz)
                cells.append(
                    Text(
                        f"{position_code(s.position)}███" if span.begin <= mark < span.finish else "·",
                        style="" if span.begin <= mark < span.finish else "dim",
                    )
                )
            table.add_row(plain(" " + shorten(names.get(s.member_id, s.member_id), 13)), *cells)
        cover = service.coverage(self.day)
        for position in sorted({c.position for c in cover}):
            by_hour = {c.hour: c for c in cover if c.position == position}
            cells = []
            for hour in hours:
                c = by_hour.get(hour)
                if c is None:
                    cells.append(Text("", style="dim"))
                    continue
                mark = "!" if c.gap < 0 else "+" if c.gap > 0 else ""
                cells.append(
                    Text(
                        f"{c.have}/{c.need}{mark}" if c.need else f"{c.have}+",
                        style="bold reverse" if c.gap < 0 else "",
                    )
                )
            table.add_row(plain(f" ={shorten(position, 13)}", "bold"), *cells)
        short = shortfall_hours(cover)
        self.query_one("#day-title", Static).update(
            Text.assemble(
                (f"{self.day:%A %d %B %Y}", "bold"),
                f" · {len(service.on_shift(self.day))} on shift · ",
                (f"{short} person-hours short" if short else "demand covered", "bold" if short else ""),
                ("   [ ] days", "dim"),
            )
        )

    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
