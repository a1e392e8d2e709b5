"""The week's rota as a grid (people down, days across), with its problems inline and listed."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...domain.coverage import shortfall_hours
from ...domain.dates import iso_week, show_stamp
from ...domain.retention import ERASED_PERSON
from ...domain.rota import Problem, Shift, interval
from ...output import shorten
from ...services import StoreError
from ...widgets.debounce import Debounce
from ...widgets.prompt import Confirm
from ...widgets.saving import in_background, write
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from ..briefing import BriefingScreen
from .cells import cell_width, gapped, position_legend, week_cell, week_hours
from .day import DayScreen
from .fill import FillSlot
from .forms import (
    open_demand_form,
    open_leave_form,
    open_pattern_form,
    open_position_form,
    open_shift_form,
    shift_values,
)

ERASED_ROW = "__erased__"  # the row of rota lines whose person was erased (retention schedule)
WEEKS = Binding.Group("Week", compact=True)  # [ and ] share one footer label


class ShiftsScreen(RecordScreen):
    AUTO_FOCUS = "#rota-grid"
    DEFAULT_CSS = """
    ShiftsScreen #rota-grid { height: 1fr; scrollbar-size-vertical: 1; }
    ShiftsScreen #rota-detail { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    ShiftsScreen #rota-problems { height: auto; max-height: 6; padding: 0 1; background: $surface; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", "Prev wk", id="shifts.prev", tooltip="The week before", group=WEEKS),
        Binding("right_square_bracket", "week(1)", "Next wk", id="shifts.next", tooltip="The week after", group=WEEKS),
        Binding(
            "t", "this_week", "Today", id="shifts.today", tooltip="Back to this week, on today's column", show=False
        ),
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
        Binding("v", "void", "Void", id="shifts.void", show=False, tooltip="Void the highlighted shift, with a reason"),
        Binding(
            "V",
            "void_batch",
            "Void batch",
            id="shifts.void_batch",
            show=False,
            tooltip="Void the whole pattern or copied week the highlighted shift came from, with one reason",
        ),
        Binding(
            "c",
            "copy_week",
            "Copy last wk",
            id="shifts.copy",
            show=False,
            tooltip="Copy last week's shifts into this week (shows what it would add first)",
        ),
        Binding(
            "r",
            "pattern",
            "Repeat",
            id="shifts.pattern",
            show=False,
            tooltip="Add a recurring pattern, e.g. mon-fri 09:00-17:30 for four weeks (shows what it would add first)",
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
        self._go_to_day: date | None = None  # the column the cursor moves to at the next redraw (t)
        self._redraw = Debounce(self, 0.15, self.reload)  # a burst of [ and ] redraws the grid once

    def on_mount(self) -> None:
        self.monday = self._this_monday()
        super().on_mount()

    def _this_monday(self) -> date:
        today = self.records.clock.today()
        return today - timedelta(days=today.weekday())

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("", id="rota-title", classes="section-title")
        # No cell padding: each cell starts with its own space, so a day's column is one wider than its
        # longest shift and a week of 9-17:30 still fits 80 columns with the names.
        yield LiteralTable(id="rota-grid", cursor_type="cell", zebra_stripes=True, cell_padding=0, fixed_columns=1)
        short = LiteralTable(id="rota-short", show_header=False, cell_padding=0, fixed_columns=1, show_cursor=False)
        short.can_focus = False
        yield short
        yield Static("", id="rota-detail")
        yield Static("", id="rota-problems")
        yield from self.compose_chrome()

    @property
    def grid(self) -> LiteralTable:
        """People down, days across."""
        return self.query_one("#rota-grid", LiteralTable)

    @property
    def short_row(self) -> LiteralTable:
        """Under the grid, always in view: each day's person-hours short against demand (when recorded)."""
        return self.query_one("#rota-short", LiteralTable)

    def legend(self) -> list[tuple[str, str]]:
        return [
            *position_legend(list(self.records.shifts.position_skills())),
            (
                "9-17:30T",
                "a shift: start-end (minutes only when it is not on the hour) and its position's letter; "
                "a second shift that day is on the line under it",
            ),
            ("!", "the shift breaks a rota rule: the list under the grid says which, in hours and minutes"),
            ("·", "not working that day"),
            ("leave", "on leave or unavailable"),
            ("37.5h", "after a name: the hours they work that week, breaks not counted"),
            ("Short (p-h)", "under the grid: person-hours short against demand that day (n sets demand); ok: covered"),
        ]

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
        away = {
            (entry.member_id, day)
            for entry in service.leave_between(days[0], days[-1])
            for day in days
            if entry.covers(day)
        }
        self._wide = self.app.size.width >= 128
        rows: list[tuple[str, str, list[Text]]] = []  # (member id, name, a cell a day)
        hours: dict[str, float] = {}
        for member in self.records.team.members():
            member_id = member.saved_id
            todays = [self._week_shifts.get((member_id, day), []) for day in days]
            hours[member_id] = sum(self._hours(s) for on_day in todays for s in on_day)
            cells = [
                week_cell(on_day, flagged, (member_id, day) in away, self._wide)
                for day, on_day in zip(days, todays, strict=True)
            ]
            rows.append((member_id, member.name, cells))
        if any(not s.member_id for s in shifts):  # rota lines whose person was erased: they still count as cover
            todays = [self._week_shifts.get(("", day), []) for day in days]
            hours[ERASED_ROW] = sum(self._hours(s) for on_day in todays for s in on_day)
            rows.append((ERASED_ROW, ERASED_PERSON, [week_cell(t, flagged, False, self._wide) for t in todays]))
        headers = [f"{day:%a %d %b}" if self._wide else f"{day:%a %d}" for day in days]
        widths = [max([len(h), *(cell_width(cells[i]) for _, _, cells in rows)]) for i, h in enumerate(headers)]
        # The names get what the days leave of the width (the grid scrolls sideways, names fixed, if nothing is).
        person = max(9, min(21, self.app.size.width - 1 - sum(w + 1 for w in widths) - 1))
        short = [self._short_cell(day) for day in days] if service.has_demand() else None
        for table in (self.grid, self.short_row):
            keep = table.cursor_coordinate if table.row_count else None
            table.clear(columns=True)
            table.add_column(" Person", key="person", width=person + 1)
            for day, header, width in zip(days, headers, widths, strict=True):
                table.add_column(" " + header, key=day.isoformat(), width=width + 1)
            if table is self.grid:
                for member_id, name, cells in rows:
                    worked = week_hours(hours[member_id])
                    label = Text.assemble(" ", plain(shorten(name, person - len(worked) - 1)), f" {worked}")
                    lines = max(len(c.plain.split("\n")) for c in cells)
                    table.add_row(label, *map(gapped, cells), key=member_id, height=lines)
            elif short is not None:
                table.add_row(Text(" Short (p-h)", style="bold"), *map(gapped, short), key="short")
            if keep is not None and table.row_count:
                table.move_cursor(row=min(keep.row, table.row_count - 1), column=keep.column)
        self.short_row.display = short is not None
        self._move_to_wanted_day(days)
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
        if member_id is None and self._row() == ERASED_ROW:
            detail.update(
                Text(
                    "Shifts whose person was erased under the retention schedule (two years: WTR 1998 reg 9). "
                    "Their times and positions still count as cover.",
                    style="italic",
                )
            )
            return
        if member_id is None:
            detail.update(Text("No one on the team yet: add people in Team (1).", style="italic"))
            return
        name = self.records.team.get(member_id).name
        todays = self._week_shifts.get((member_id, day), []) if day else []
        if day is None:
            detail.update(Text.assemble(plain(name), ("  ← → to a day, a to add a shift", "dim")))
        elif not todays:
            detail.update(Text.assemble(plain(name), f" · {day:%a %d/%m} · off", ("  (a adds a shift)", "dim")))
        elif len(todays) > 1:  # each shift that day, in full (e, y and v act on the first)
            shown = " · ".join(f"{s.start:%H:%M}-{s.end:%H:%M} {s.position}" for s in todays)
            detail.update(Text.assemble(plain(name), f" · {day:%a %d/%m} · {len(todays)} shifts: ", plain(shown)))
        else:
            s = todays[0]
            detail.update(
                Text.assemble(
                    plain(name),
                    f" · {s.day:%a %d/%m} {s.start:%H:%M}-{s.end:%H:%M} ",
                    plain(s.position, "bold"),
                    f" · break {s.break_minutes}m",
                    (" · why: " if s.reason else "", "dim"),
                    plain(s.reason),
                    (f" · from {s.batch} (V voids it all)" if s.batch else "", "dim"),
                )
            )

    def _hours(self, shift: Shift) -> float:
        return interval(shift, self.records.tz).worked_hours

    def on_resize(self) -> None:
        # The names' column takes what the days leave of the width: a new width lays the grid out again.
        if self.is_mounted and self.grid.row_count:
            self._redraw.poke()

    def _short_cell(self, day: date) -> Text:
        """Person-hours short against demand that day: the gaps at a glance (Enter shows each hour)."""
        short = shortfall_hours(self.records.shifts.coverage(day))
        return Text(f"-{short}", style="bold reverse") if short else Text("ok", style="bold")

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
        self._redraw.flush()  # the grid shows the week being looked at before anyone reads it
        table = self.grid
        if not table.row_count:
            return None, None
        cell = table.coordinate_to_cell_key(table.cursor_coordinate)
        column = cell.column_key.value
        day = date.fromisoformat(column) if column and column != "person" else None
        row = cell.row_key.value
        return (None if row == ERASED_ROW else row), day

    def _row(self) -> str | None:
        table = self.grid
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _highlighted_shift(self) -> Shift | None:
        member_id, day = self._cursor()
        found = self._week_shifts.get((member_id, day), []) if member_id and day else []
        return found[0] if found else None

    # -- actions -------------------------------------------------------------------------------
    def action_week(self, step: int) -> None:
        self.monday += timedelta(weeks=step)
        self._redraw.poke()

    def action_this_week(self) -> None:
        self.monday = self._this_monday()
        self._go_to_day = self.records.clock.today()
        self._redraw.poke()

    def _move_to_wanted_day(self, days: list[date]) -> None:
        """After t: the cursor on today's column, on the row it was on."""
        wanted, self._go_to_day = self._go_to_day, None
        grid = self.grid
        if wanted in days and grid.row_count:
            grid.move_cursor(column=days.index(wanted) + 1)

    def _day_or_default(self, day: date | None) -> date:
        """The highlighted day, or with the cursor on the names, today if it is in the week shown, else Monday."""
        if day is not None:
            return day
        today = self.records.clock.today()
        return today if self.monday <= today < self.monday + timedelta(days=7) else self.monday

    def action_add(self) -> None:
        member_id, day = self._cursor()
        open_shift_form(
            self,
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
        day = self._day_or_default(day)

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
        open_shift_form(self, shift, shift_values(shift))

    def action_copy_shift(self) -> None:
        shift = self._highlighted_shift()
        if shift is None:
            self.notify("No shift here to copy.", severity="warning")
            return
        values = shift_values(shift)
        values["day"] = f"{shift.day + timedelta(days=1):%d/%m/%Y}"
        open_shift_form(self, None, values, title=f"Copy {shift.id} to another day or person")

    def action_position(self) -> None:
        open_position_form(self)

    def action_void(self) -> None:
        shift = self._highlighted_shift()
        if shift is None:
            self.notify("No shift here to void.", severity="warning")
            return
        self.void_with_reason(
            f"Void {shift.id} ({shift.day:%a %d/%m} {shift.start:%H:%M}-{shift.end:%H:%M} {shift.position})? Why?",
            lambda reason: self.records.shifts.void(shift.saved_id, reason),
            f"Voided {shift.id}; it stays on record with your reason.",
            title="Rota",
        )

    @on(DataTable.CellSelected, "#rota-grid")
    def _open_day(self) -> None:
        """Enter on a day: that day hour by hour, with coverage against demand."""
        _, day = self._cursor()
        self.app.push_screen(DayScreen(day or self.records.clock.today()))

    def action_demand(self) -> None:
        _, day = self._cursor()
        open_demand_form(self, (day or self.monday).weekday())

    def action_briefing(self) -> None:
        _, day = self._cursor()
        self.app.push_screen(BriefingScreen(day or self.records.clock.today()))

    def action_copy_week(self) -> None:
        """Copy last week in, after a preview: how many shifts, who, and the rota problems they would add."""
        source = self.monday - timedelta(weeks=1)
        service = self.records.shifts
        try:
            preview = service.preview_copy(source, self.monday)
        except ValueError as exc:  # e.g. a copy that lands before someone started
            self.notify(str(exc), severity="error", title="Not copied")
            return
        if not preview.shifts:
            self.notify(
                f"Nothing to copy: week {iso_week(source)} has no shifts"
                + (" that are not here already." if preview.skipped else "."),
                severity="warning",
            )
            return

        @in_background(self)
        async def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                copied = await write(self, service.copy_week, source, self.monday)
            except (ValueError, StoreError) as exc:
                self.notify(str(exc), severity="error", title="Not copied")
                return
            batch = copied[0].batch if copied else ""
            self.notify(
                f"Copied {len(copied)} shift(s) from {iso_week(source)} as {batch}; V on one of them voids them all.",
                title="Rota",
            )
            self.reload()

        self.app.push_screen(Confirm(preview.lines()), done)

    def action_void_batch(self) -> None:
        shift = self._highlighted_shift()
        if shift is None or not shift.batch:
            self.notify(
                "No batch here: move to a shift added by a pattern or a copied week (v voids one shift).",
                severity="warning",
            )
            return
        batch = self.records.shifts.batch(shift.batch)
        made = (
            f" (added {show_stamp(shift.created_at, self.records.tz)} by {shift.created_by})"
            if shift.created_at
            else ""
        )
        self.void_with_reason(
            f"Void {shift.batch}{made}: {batch.summary()}? They stay on record with your reason. Why?",
            lambda reason: self.records.shifts.void_batch(batch, reason),
            f"Voided {len(batch.shifts)} shift(s) of {shift.batch}; they stay on record with your reason.",
            title="Rota",
        )

    def action_pattern(self) -> None:
        member_id, day = self._cursor()
        open_pattern_form(self, member_id, day or self.monday)

    def action_leave(self) -> None:
        member_id, day = self._cursor()
        open_leave_form(self, member_id, day or self.monday)
