"""The rota's forms: a shift (add, edit, copy), a position, a demand band, a recurring pattern, leave.

Each opens a RecordForm over the week screen and, once saved, says what happened and redraws it. A
recurring pattern shows what it would add (how many shifts, who, which weeks, the rota problems they
would make) and saves only once that is confirmed.
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from ...domain.base import RecordModel
from ...domain.clock import Clock
from ...domain.coverage import Demand
from ...domain.dates import parse_time
from ...domain.numbers import whole_number
from ...domain.rota import Leave, Position, Shift, parse_weekdays
from ...widgets.form import Field, RecordForm, parse_each

if TYPE_CHECKING:
    from ...services import Records
    from ..base import RecordScreen

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
    # An edited shift stays in the batch it came from (a pattern voided later takes it too).
    envelope = base.model_dump(include={*RecordModel.model_fields, "batch"}) if base else {}
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


def people_and_positions(records: Records) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The choices the rota's forms offer: active people, and every position."""
    people = [(m.name, m.saved_id) for m in records.team.members()]
    return people, [(name, name) for name in sorted(records.shifts.position_skills())]


def open_shift_form(screen: RecordScreen, shift: Shift | None, values: dict, title: str | None = None) -> None:
    """Add a shift (``shift`` None, e.g. a copy) or edit one; a conflict reloads the stored version."""
    service = screen.records.shifts
    people, positions = people_and_positions(screen.records)
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
        draft = shift_from_values(form_values, state["base"], screen.records.clock)
        return service.edit(draft) if state["base"] else service.add(draft)

    def reload(edited: Shift) -> dict:
        stored = service.shift(edited.saved_id)
        state["base"] = stored
        return shift_values(stored)

    def done(saved: Shift | None) -> None:
        if saved is not None:
            screen.notify(f"Saved {saved.id}", title="Rota")
            screen.reload()

    title = title or (f"Edit {shift.id}" if shift else "Add a shift")
    screen.app.push_screen(RecordForm(title, fields, values, save, partial(reload, shift) if shift else None), done)


def open_position_form(screen: RecordScreen) -> None:
    fields = [
        Field("name", "Position", required=True, hint="e.g. customer services desk"),
        Field("skill", "Skill needed", required=True, hint="e.g. complaints desk"),
    ]

    def save(values: dict) -> Position:
        return screen.records.shifts.save_position(Position(**values))

    def done(saved: Position | None) -> None:
        if saved is not None:
            screen.notify(f"{saved.name} needs {saved.skill}", title="Positions")
            screen.reload()

    screen.app.push_screen(
        RecordForm("Add a position (or change its skill)", fields, {"name": "", "skill": ""}, save), done
    )


def open_demand_form(screen: RecordScreen, weekday: int) -> None:
    _, positions = people_and_positions(screen.records)
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
        return screen.records.shifts.add_demand(
            Demand(position=values["position"], weekday=int(values["weekday"]), **parsed)
        )

    def done(saved: Demand | None) -> None:
        if saved is not None:
            screen.notify(
                f"Demand saved: {saved.people} on {saved.position} {saved.start:%H:%M}-{saved.end:%H:%M}",
                title="Rota",
            )
            screen.reload()

    values = {"position": "", "weekday": str(weekday), "start": "09:00", "end": "17:00", "people": "1"}
    screen.app.push_screen(RecordForm("How many people a position needs", fields, values, save), done)


def open_pattern_form(screen: RecordScreen, member_id: str | None, day: date) -> None:
    records = screen.records
    people, positions = people_and_positions(records)
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

    def planned(values: dict) -> tuple[Shift, list[int], int]:
        parsed = parse_each(
            values,
            {
                "days": parse_weekdays,
                "weeks": lambda v: whole_number(v, 1, 52),
                "day": records.clock.read_date,
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
        return template, parsed["days"], parsed["weeks"]

    def preview(values: dict) -> list[str]:
        return records.shifts.preview_pattern(*planned(values)).lines()

    def save(values: dict) -> list[Shift]:
        return records.shifts.add_pattern(*planned(values))

    def done(created: list[Shift] | None) -> None:
        if created:
            screen.notify(
                f"Added {len(created)} shifts as {created[0].batch}; V on one of them voids them all.", title="Rota"
            )
            screen.reload()

    values = {
        "member_id": member_id or "",
        "position": "",
        "days": "mon-fri",
        "start": "09:00",
        "end": "17:30",
        "break_minutes": "30",
        "day": f"{day:%d/%m/%Y}",
        "weeks": "4",
        "reason": "",
    }
    screen.app.push_screen(RecordForm("Add a recurring pattern", fields, values, save, preview=preview), done)


def open_leave_form(screen: RecordScreen, member_id: str | None, day: date) -> None:
    records = screen.records
    people, _ = people_and_positions(records)
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
                (k, k) for k in ("annual leave", "sickness", "training", "unavailable", "compassionate leave", "other")
            ],
        ),
    ]

    def save(values: dict) -> Leave:
        days = parse_each(values, {"first_day": records.clock.read_date, "last_day": records.clock.read_date})
        return records.shifts.add_leave(Leave(member_id=values["member_id"], kind=values["kind"], **days))

    def done(saved: Leave | None) -> None:
        if saved is not None:
            screen.notify(f"Recorded {saved.kind} {saved.first_day:%d/%m}-{saved.last_day:%d/%m}", title="Rota")
            screen.reload()

    start = f"{day:%d/%m/%Y}"
    values = {"member_id": member_id or "", "first_day": start, "last_day": start, "kind": "annual leave"}
    screen.app.push_screen(RecordForm("Record leave or unavailability", fields, values, save), done)
