"""The services' read cache (services.base.Repository, Grouped) and the rota service's kept results:
pure speed-ups, so every answer must be the one reading the file afresh would give.

No timings here: the cost of a reload is checked by counting validations, not by a clock.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from contextlib import contextmanager
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from supervisor_tui.domain.base import RecordModel
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Shift
from supervisor_tui.domain.rota_check import check_rota
from supervisor_tui.services import Records
from supervisor_tui.storage import Actor, Store
from tests.conftest import copy_record, put_record_in_place
from tests.storage.conftest import journal_entries

MON = date(2026, 11, 23)


@contextmanager
def validations():
    """Counts full validations of stored records (any record model's model_validate), by name."""
    calls: list[str] = []
    original = BaseModel.__dict__["model_validate"].__func__  # pydantic's, which RecordModel inherits

    def counting(cls, obj, *args, **kwargs):
        calls.append(cls.__name__)
        return original(cls, obj, *args, **kwargs)

    RecordModel.model_validate = classmethod(counting)
    try:
        yield calls
    finally:
        del RecordModel.model_validate  # inherited again


def member(records: Records, name: str, skills: str = "tills:expert") -> Member:
    return records.team.add(
        Member(name=name, job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3), skills=skills)
    )


def shift(who: Member, day: date, start: int = 9, end: int = 17, position: str = "tills") -> Shift:
    return Shift(member_id=who.id, day=day, start=time(start), end=time(end), position=position, break_minutes=30)


@pytest.fixture
def rota(records):
    """Two people and eight weeks of weekday shifts: 80 shifts."""
    people = [member(records, "Sam Patel"), member(records, "Ruby Hughes", "tills:competent;phones:expert")]
    for week in range(8):
        for who in people:
            records.shifts.add_pattern(shift(who, MON - timedelta(weeks=week)), [0, 1, 2, 3, 4], 1)
    return people


def afresh(records: Records, first: date, last: date) -> list[Shift]:
    """What between() must say: a brand-new session on the same file, filtering every shift."""
    fresh = Records(Store(str(records.store.path)))
    return sorted(
        (s for s in fresh.shifts.shifts.all() if first <= s.day <= last),
        key=lambda s: (s.day, s.start, s.member_id, int((s.id or "0").rsplit("-", 1)[1])),
    )


def same(a: list[Shift], b: list[Shift]) -> bool:
    return [s.model_dump() for s in a] == [s.model_dump() for s in b]


def test_a_change_by_another_process_is_seen_after_refresh(records, rota):
    week = (MON, MON + timedelta(days=6))
    before = records.shifts.between(*week)
    moved = before[0]
    code = (
        "import sys; from supervisor_tui.storage import Store, Actor\n"
        "store = Store(sys.argv[1], actor=Actor('alice', 1001))\n"
        "rec = store.get('shifts', sys.argv[2])\n"
        "store.update('shifts', sys.argv[2], {'day': sys.argv[3], 'start': '12:00:00'}, rec['version'])\n"
    )
    new_day = MON + timedelta(weeks=2)
    subprocess.run([sys.executable, "-c", code, str(records.store.path), moved.id, new_day.isoformat()], check=True)

    assert records.shifts.between(*week) == before  # not re-read yet: what this session last saw
    assert records.store.refresh()
    after = records.shifts.between(*week)
    assert moved.id not in {s.id for s in after} and len(after) == len(before) - 1
    (there,) = [s for s in records.shifts.between(new_day, new_day) if s.id == moved.id]
    assert there.start == time(12) and there.version == moved.version + 1
    assert records.shifts.shifts.get(moved.id) == there
    for first, last in (week, (new_day, new_day), (MON - timedelta(weeks=9), MON + timedelta(weeks=3))):
        assert same(records.shifts.between(first, last), afresh(records, first, last))


def test_an_update_replaces_only_its_own_model(records, rota):
    everything = {s.id: s for s in records.shifts.shifts.all()}
    target = everything[sorted(everything)[5]]
    records.shifts.edit(target.model_copy(update={"note": "cover for Ruby"}))

    again = {s.id: s for s in records.shifts.shifts.all()}
    assert again[target.id].note == "cover for Ruby" and again[target.id].version == target.version + 1
    assert all(again[i] is everything[i] for i in everything if i != target.id)  # the rest read once, kept


def test_a_void_leaves_the_lists_and_the_week(records, rota):
    week = (MON, MON + timedelta(days=6))
    gone = records.shifts.between(*week)[3]
    records.shifts.shifts.void(gone, "not needed")

    assert gone.id not in {s.id for s in records.shifts.between(*week)}
    assert gone.id not in {s.id for s in records.shifts.shifts.all()}
    (voided,) = [s for s in records.shifts.shifts.all(include_voided=True) if s.id == gone.id]
    assert voided.voided and voided.void_reason == "not needed"
    assert same(records.shifts.between(*week), afresh(records, *week))


def test_models_handed_out_cannot_be_changed_in_place(records, rota):
    first = records.shifts.shifts.all()[0]
    with pytest.raises(ValidationError):
        first.note = "scribbled on by a screen"
    with pytest.raises(ValidationError):
        records.team.members()[0].name = "Someone Else"
    assert records.shifts.shifts.all()[0].note == ""

    # The lists are the caller's own: sorting or emptying one changes nothing for anyone else.
    mine = records.shifts.shifts.all()
    count = len(mine)
    mine.reverse()
    mine.clear()
    week = records.shifts.between(MON, MON + timedelta(days=6))
    week.clear()
    assert len(records.shifts.shifts.all()) == count
    assert len(records.shifts.between(MON, MON + timedelta(days=6))) == 10

    # An edit is a copy: the shared model is untouched until the copy is saved.
    edited = first.model_copy(update={"note": "draft"})
    assert records.shifts.shifts.get(first.id).note == ""
    assert edited.note == "draft"


def test_a_reload_after_one_save_validates_that_save_only(records, other_records, rota):
    week = (MON, MON + timedelta(days=6))

    def reload_screen() -> None:  # what the Shifts section reads on a reload
        records.shifts.between(*week)
        records.shifts.problems(*week)
        records.shifts.leave_between(*week)
        records.team.members()
        for day in range(7):
            records.shifts.coverage(MON + timedelta(days=day))

    reload_screen()
    with validations() as calls:
        reload_screen()
    assert calls == []  # nothing changed: nothing read again

    other_records.store.refresh()
    theirs = other_records.shifts.between(*week)[0]
    other_records.shifts.edit(theirs.model_copy(update={"note": "swapped with Sam"}))
    records.store.refresh()
    with validations() as calls:
        reload_screen()
    assert calls == ["Shift"]  # one save, one record read: not the 80 shifts, nor the people

    mine = records.shifts.between(*week)[1]
    with validations() as calls:
        records.shifts.edit(mine.model_copy(update={"note": "late start"}))
        reload_screen()
    assert calls == ["Shift", "Shift"]  # checked on the way in, read back once; the reload reads nothing


def test_a_new_session_reads_each_record_once(records, rota):
    fresh = Records(Store(str(records.store.path)))
    with validations() as calls:
        fresh.shifts.between(MON, MON + timedelta(days=6))
        fresh.shifts.between(MON - timedelta(weeks=4), MON)
        fresh.shifts.shifts.all()
    assert calls.count("Shift") == 80


def test_problems_are_worked_out_again_when_what_they_read_changes(records, rota):
    sam, ruby = rota
    week = (MON, MON + timedelta(days=6))

    def full_check() -> list:
        return check_rota(records.shifts.facts(), *week)  # every shift ever made, nothing kept

    assert records.shifts.problems(*week) == full_check()
    records.shifts.add_leave(Leave(member_id=sam.id, first_day=MON, last_day=MON + timedelta(days=1)))
    on_leave = records.shifts.problems(*week)
    assert on_leave == full_check() and any(p.rule.name == "on_leave" for p in on_leave)

    # A short rest for Ruby only: her working-time check runs again, Sam's is kept, both match afresh.
    records.shifts.add(shift(ruby, MON + timedelta(days=1), start=22, end=6))
    assert records.shifts.problems(*week) == full_check()
    # A change of skills (the team's table) and of the team's rules (settings) are seen too.
    records.team.edit(records.team.get(ruby.id).model_copy(update={"skills": {"phones": "expert"}}))
    assert records.shifts.problems(*week) == full_check()
    records.settings.change("the team agreed a fortnight", weekly_rest="14-day-one-48h")
    assert records.shifts.problems(*week) == full_check()


def test_rota_results_match_a_fresh_check_on_a_year_of_demo_data(demo_records):
    """The window of history the service hands the rules (not every shift) gives the same answers."""
    service = demo_records.shifts
    today = demo_records.clock.today()
    monday = today - timedelta(days=today.weekday())
    for weeks_back in (0, 1, 5, 12, 30):
        first = monday - timedelta(weeks=weeks_back)
        last = first + timedelta(days=6)
        assert service.problems(first, last) == check_rota(service.facts(), first, last)
    slot = service.between(monday, monday)[0]
    from supervisor_tui.domain.allocation import rank_candidates

    expected = rank_candidates(service.facts(), slot)
    assert [(c.member.id, c.score, c.reasons, c.blockers) for c in service.candidates(slot)] == [
        (c.member.id, c.score, c.reasons, c.blockers) for c in expected
    ]


def test_the_week_index_agrees_with_filtering_every_shift(records, other_records, rota):
    """Random saves from two sessions (adds, moves, edits, voids); the index must always agree."""
    rng = random.Random(7)
    people = rota
    for step in range(60):
        session = records if rng.random() < 0.5 else other_records
        session.store.refresh()
        live = session.shifts.shifts.all()
        action = rng.choice(["add", "move", "edit", "void"])
        day = MON + timedelta(days=rng.randint(-60, 20))
        if action == "add" or not live:
            session.shifts.add(shift(rng.choice(people), day, start=rng.choice([6, 9, 13])))
        elif action == "move":
            session.shifts.edit(rng.choice(live).model_copy(update={"day": day}))
        elif action == "edit":
            session.shifts.edit(rng.choice(live).model_copy(update={"start": time(rng.choice([7, 8, 10]))}))
        else:
            session.shifts.shifts.void(rng.choice(live), "not needed")
        records.store.refresh()
        if step % 10 == 9:
            for first, last in (
                (MON, MON + timedelta(days=6)),
                (MON - timedelta(weeks=9), MON + timedelta(weeks=3)),
                (date(2000, 1, 1), date(2100, 1, 1)),
                (MON, MON - timedelta(days=1)),
            ):
                assert same(records.shifts.between(first, last), afresh(records, first, last))


def test_another_file_in_place_is_read_whole(records, tmp_path, rota):
    """A record whose history does not go on from what was read (restored from another copy) is read
    afresh, not patched: no model from the old file survives."""
    sam, _ = rota
    copy = copy_record(records.store.path, tmp_path / "restored.json")
    elsewhere = Records(Store(str(copy), actor=Actor("alice", 1001)))
    first = elsewhere.shifts.shifts.all()[0]
    elsewhere.shifts.edit(first.model_copy(update={"note": "in the restored copy"}))
    records.shifts.edit(records.shifts.shifts.get(first.id).model_copy(update={"note": "in this one"}))
    assert records.shifts.shifts.get(first.id).note == "in this one"

    put_record_in_place(copy, records.store.path)
    assert records.store.refresh()
    assert records.shifts.shifts.get(first.id).note == "in the restored copy"
    assert {s.id: s.note for s in records.shifts.shifts.all()} == {
        s.id: s.note for s in Records(Store(str(records.store.path))).shifts.shifts.all()
    }


def test_history_is_complete_after_saves_by_both_sessions(records, other_records, rota):
    target = records.shifts.between(MON, MON)[0]
    assert [c.action for c in records.shifts.shifts.history(target.id)] == ["create"]
    current = target
    for i in range(4):
        session = other_records if i % 2 else records
        session.store.refresh()
        current = session.shifts.edit(session.shifts.shifts.get(target.id).model_copy(update={"note": f"n{i}"}))
    records.store.refresh()
    changes = records.shifts.shifts.history(target.id)
    assert [c.action for c in changes] == ["create"] + ["update"] * 4
    assert [c.changes["note"][1] for c in changes[1:]] == ["n0", "n1", "n2", "n3"]
    assert [c.actor for c in changes[1:]] == [records.store.actor.login, "alice"] * 2
    journal = journal_entries(Path(records.store.path))
    assert [c.seq for c in changes] == [
        e["seq"] for e in journal if e["table"] == "shifts" and e["record"] == target.id
    ]
    assert len(changes) == current.version  # every version of the record has its change


def test_reading_in_a_worker_while_saving_on_the_ui_thread(records, rota):
    """The app reads in worker threads while the UI thread saves: no torn reads, no lost changes."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                records.shifts.between(MON - timedelta(weeks=8), MON + timedelta(weeks=1))
                records.shifts.shifts.all(include_voided=True)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i, s in enumerate(records.shifts.between(MON - timedelta(weeks=2), MON + timedelta(days=6))):
            records.shifts.edit(s.model_copy(update={"note": f"note {i}"}))
    finally:
        stop.set()
        thread.join()
    assert errors == []
    first, last = MON - timedelta(weeks=9), MON + timedelta(weeks=1)
    assert same(records.shifts.between(first, last), afresh(records, first, last))
