"""One day hour by hour: who works when, and each position's cover against demand."""

from __future__ import annotations

from datetime import date, time, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...domain.coverage import shortfall_hours
from ...domain.dates import local_to_utc
from ...domain.retention import ERASED_PERSON
from ...domain.rota import interval
from ...output import shorten
from ...widgets.text import LiteralTable, plain
from ..base import RecordScreen
from .cells import position_code, position_legend


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

    LEGEND = (
        ("T███", "working that hour, at the position its letter stands for (below)"),
        ("·", "not working that hour"),
        ("=tills", "a position: people on against people needed, each hour (2/3)"),
        ("!", "short of people that hour (shown reversed)"),
        ("+", "more people on than needed"),
    )

    def legend(self) -> list[tuple[str, str]]:
        return [*self.LEGEND, *position_legend(list(self.records.shifts.position_skills()))]

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
        table = self.query_one("#day-table", LiteralTable)
        table.clear(columns=True)
        table.add_column(" Who / where", width=15)
        for hour in hours:
            table.add_column(f"{hour:02d}", width=4)
        names = {m.id: m.name for m in self.records.team.members(include_inactive=True)}
        for s in service.between(self.day, self.day):
            span = interval(s, self.records.tz)
            cells = []
            for hour in hours:
                half_past = local_to_utc(self.day, time(hour, 30), self.records.tz)
                cells.append(
                    Text(
                        f"{position_code(s.position)}███" if span.begin <= half_past < span.finish else "·",
                        style="" if span.begin <= half_past < span.finish else "dim",
                    )
                )
            table.add_row(plain(" " + shorten(names.get(s.member_id, s.member_id or ERASED_PERSON), 13)), *cells)
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
