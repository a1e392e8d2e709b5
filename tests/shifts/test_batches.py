"""Bulk changes to the rota (issue 15): a recurring pattern or a copied week is previewed before it is
saved (how many shifts, who, which weeks, the rota problems it would add), carries one batch id, and is
voided in one step with one reason."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Shift
from supervisor_tui.services import ConflictError, Records

MON = date(2026, 11, 30)  # a planned week: shifts may be in the future


def person(records: Records, name: str) -> Member:
    return records.team.add(
        Member(name=name, job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3), skills="tills:expert")
    )


def template(who: Member, day: date = MON, start: str = "09:00", end: str = "17:00") -> Shift:
    return Shift(
        member_id=who.saved_id,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        position="tills",
        break_minutes=30,
    )


def test_a_pattern_is_one_batch_and_its_preview_counts_who_and_which_weeks(records):
    sam = person(records, "Sam Patel")
    head = records.store.head
    preview = records.shifts.preview_pattern(template(sam), [0, 1, 2, 3, 4], 4)
    assert (len(preview.shifts), preview.people, preview.problems) == (20, ["Sam Patel"], [])
    assert preview.lines() == [
        "Add 20 shifts for Sam Patel, weeks 2026-W49 to 2026-W52 (4 weeks), from a recurring pattern?",
        "It would add no rota problems.",
    ]
    assert records.store.head == head  # a preview writes nothing
    created = records.shifts.add_pattern(template(sam), [0, 1, 2, 3, 4], 4)
    (batch,) = {s.batch for s in created}
    assert batch.startswith("pattern-") and len(batch) == len("pattern-") + 6
    assert {s.batch for s in records.shifts.between(MON, MON + timedelta(weeks=4))} == {batch}


def test_a_pattern_laid_over_a_rota_already_there_says_what_it_would_break_before_saving(records):
    """The issue's case: a pattern added over shifts already on the rota overlapped every one of them."""
    sam = person(records, "Sam Patel")
    records.shifts.add_pattern(template(sam), [0, 1, 2, 3, 4], 2)
    preview = records.shifts.preview_pattern(template(sam, start="13:00", end="21:00"), [0, 1, 2, 3, 4], 2)
    overlaps = [line for line in preview.problems if "· Rota · overlaps S-" in line]
    assert len(overlaps) == 10  # one a day: the new afternoon starts inside the morning already there
    assert sum("· Workload · 75h 0m" in line for line in preview.problems) == 2  # and each week is doubled
    lines = preview.lines()
    assert lines[0] == "Add 10 shifts for Sam Patel, weeks 2026-W49 to 2026-W50 (2 weeks), from a recurring pattern?"
    assert lines[1] == "It would add 12 rota problems (10 overlapping, 2 over contract hours):"
    assert lines[3] == "  Mon 30/11 Sam Patel · Rota · overlaps S-0001 (tills, Mon 30/11 09:00-17:00)"
    assert len(lines) == 2 + 4 + 1 and lines[-1] == "  … and 8 more (listed on the week once saved)"
    assert records.shifts.problems(MON, MON + timedelta(weeks=2)) == []  # nothing saved, nothing broken


def test_copying_a_week_is_a_new_batch_never_the_one_copied(records):
    sam, amy = person(records, "Sam Patel"), person(records, "Amy Lee")
    records.shifts.add_pattern(template(sam, MON - timedelta(weeks=1)), [0, 2], 1)
    records.shifts.add(template(amy, MON - timedelta(weeks=1) + timedelta(days=4)))
    records.shifts.add(template(sam, MON))  # Monday already there by hand
    preview = records.shifts.preview_copy(MON - timedelta(weeks=1), MON)
    assert (len(preview.shifts), preview.skipped, preview.people) == (2, 1, ["Amy Lee", "Sam Patel"])
    assert preview.lines()[:2] == [
        "Add 2 shifts for Amy Lee, Sam Patel, week 2026-W49, from a copy of week 2026-W48?",
        "1 already on the rota as they are would be skipped.",
    ]
    copied = records.shifts.copy_week(MON - timedelta(weeks=1), MON)
    (batch,) = {s.batch for s in copied}
    assert batch.startswith("copy-") and len(copied) == 2


def test_a_batch_is_voided_in_one_transaction_with_one_reason(records, db_path):
    sam = person(records, "Sam Patel")
    created = records.shifts.add_pattern(template(sam), [0, 1, 2, 3, 4], 4)
    records.shifts.edit(created[0].model_copy(update={"note": "swapped with Amy"}))  # edited: still in the batch
    lone = records.shifts.add(template(sam, MON + timedelta(days=5)))
    batch = records.shifts.batch(created[0].batch)
    assert (
        len(batch.shifts) == 20 and batch.summary() == "20 shifts for Sam Patel, weeks 2026-W49 to 2026-W52 (4 weeks)"
    )
    seq = records.store.head[0]
    voided = records.shifts.void_batch(batch, "wrong person: Sam is on nights")
    assert len(voided) == 20 and records.store.head[0] == seq + 20
    assert records.shifts.between(MON, MON + timedelta(weeks=4)) == [lone]
    reasons = {e["reason"] for s in created for e in records.store.history("shifts", s.saved_id)[-1:]}
    assert reasons == {f"wrong person: Sam is on nights (batch {created[0].batch})"}
    assert records.shifts.batch(created[0].batch).shifts == []
    with pytest.raises(ValueError, match="no shifts left"):
        records.shifts.void_batch(records.shifts.batch(created[0].batch), "again")


def test_a_batch_changed_since_it_was_shown_is_not_voided_at_all(records, other_records):
    sam = person(records, "Sam Patel")
    created = records.shifts.add_pattern(template(sam), [0, 1, 2], 1)
    shown = records.shifts.batch(created[0].batch)
    other_records.store.refresh()
    other_records.shifts.edit(other_records.shifts.shift(created[1].saved_id).model_copy(update={"note": "moved"}))
    records.store.refresh()
    with pytest.raises(ConflictError):
        records.shifts.void_batch(shown, "undo")
    assert len(records.shifts.between(MON, MON + timedelta(days=6))) == 3  # all or nothing


def test_a_batch_needs_a_reason(records):
    sam = person(records, "Sam Patel")
    created = records.shifts.add_pattern(template(sam), [0], 1)
    with pytest.raises(ValueError, match="needs a reason"):
        records.shifts.void_batch(records.shifts.batch(created[0].batch), "  ")


def test_a_shift_on_its_own_is_saved_without_a_batch_field(records):
    sam = person(records, "Sam Patel")
    shift = records.shifts.add(template(sam))
    assert "batch" not in records.store.get("shifts", shift.saved_id)
    edited = records.shifts.edit(shift.model_copy(update={"note": "cover"}))
    assert sorted(records.store.history("shifts", edited.saved_id)[-1]["changes"]) == ["note"]


# -- by keyboard at 80x24 ---------------------------------------------------------------------------
async def test_a_pattern_is_previewed_then_undone_in_one_step_by_keyboard(records):
    from supervisor_tui.app import SupervisorApp
    from supervisor_tui.domain.clock import Clock
    from supervisor_tui.screens.shifts import ShiftsScreen
    from supervisor_tui.widgets.form import RecordForm
    from supervisor_tui.widgets.prompt import Confirm, ReasonPrompt

    today = Clock().today()
    monday = today - timedelta(days=today.weekday())
    sam = person(records, "Sam Patel")
    early = records.shifts.add(template(sam, monday, "06:00", "10:00"))  # already on the rota
    app = SupervisorApp(records)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "right", "r")  # Sam, this Monday: a pattern from here
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-position").value = "tills"
        head = records.store.head
        await pilot.press("ctrl+s")
        question = app.screen
        assert isinstance(question, Confirm)
        words = str(question.query_one("#prompt-question").render())
        assert (
            words.startswith("Add 20 shifts for Sam Patel, weeks ") and "(4 weeks), from a recurring pattern?" in words
        )
        assert f"overlaps {early.id}" in words
        await pilot.press("n")  # not now: the form stays, as typed, and nothing is written
        assert app.screen is form and form.query_one("#f-days").value == "mon-fri"
        assert records.store.head == head
        await pilot.press("ctrl+s", "y")
        week = app.screen
        assert isinstance(week, ShiftsScreen)
        (batch,) = {s.batch for s in records.shifts.between(monday, monday + timedelta(weeks=4)) if s.batch}
        await pilot.press("right")  # Tuesday (Monday's first shift is the early one, on its own)
        assert f"from {batch} (V voids it all)" in str(week.query_one("#rota-detail").render())

        await pilot.press("V")
        prompt = app.screen
        assert isinstance(prompt, ReasonPrompt)
        assert f"Void {batch}" in prompt.question and "20 shifts for Sam Patel" in prompt.question
        for char in "wrong pattern":
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        assert app.screen is week
    assert records.shifts.between(monday, monday + timedelta(weeks=4)) == [early]
