"""Nothing slow on the UI thread.

A save waits for another session's lock in a worker: the form stays usable, says whom it is waiting
for, and Esc stops the wait with nothing written. Every way a save can be refused still shows where
it did before. Keys typed while a save or a reload is under way reach the field that has focus. A
burst of keys redraws the rota, and re-ranks a slot, once.

These tests act *while* work is under way, so they press keys with ``press_now`` (the suite's
``pilot.press`` waits for the work a key starts), or type from another thread as a terminal does
(``Typist``): keys then arrive whether or not the UI thread is free to take them, as over SSH.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from textual import events
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.people import Member
from supervisor_tui.screens.shifts import FillSlot, ShiftsScreen
from supervisor_tui.screens.team import TeamScreen
from supervisor_tui.services import Records
from supervisor_tui.storage import Store, StoreError
from supervisor_tui.widgets.form import Field, FormErrors, RecordForm
from tests.conftest import press_now

SIZE = (80, 24)
LOGIN = pwd.getpwuid(os.getuid()).pw_name

HOLDER = r"""
import select, sys
from supervisor_tui.storage import Store
with Store(sys.argv[1]).transaction():
    print("holding", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[2]))  # until told to let go, or this many seconds
"""


class LockHolder:
    """Another supervisor's session, in its own process, in the middle of a save (holding the lock)."""

    def __init__(self, path, seconds: float = 30.0):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        assert "holding" in line, (line, self.proc.stderr.read())
        self.pid = self.proc.pid

    def release(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("go\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                pass
        self.proc.communicate(timeout=30)


class Typist(threading.Thread):
    """Keys arriving from the terminal one by one, from outside the UI thread (as Textual's driver
    delivers them): if the UI thread is busy they pile up and are handled later as one burst.

    Like a person, it may wait to see something before the next key (``seen``), but only so long: a
    person at a frozen screen types on blind."""

    def __init__(self, app: SupervisorApp, keys: list[str], gap: float = 0.12, seen=None, patience: float = 1.0):
        super().__init__(daemon=True)
        self.app, self.keys, self.gap = app, keys, gap
        self.seen, self.patience = seen or {}, patience

    def run(self) -> None:
        for key in self.keys:
            if key in self.seen:
                deadline = time.monotonic() + self.patience
                while time.monotonic() < deadline and not self.seen[key]():
                    time.sleep(0.02)
            self.app.post_message(events.Key(key, key if len(key) == 1 else None))
            time.sleep(self.gap)


def add_member(records: Records, name: str = "Sam Patel", **extra) -> Member:
    fields = dict(
        name=name,
        job_title="Customer Service Advisor",
        contract_hours=37.5,
        date_of_birth=date(1990, 4, 3),
        skills="tills:expert",
    )
    return records.team.add(Member(**{**fields, **extra}))


def problem(form: RecordForm) -> str:
    return str(form.query_one("#form-problem", Static).render())


def toasts(app: SupervisorApp) -> str:
    return " | ".join(str(toast.render()) for toast in app.screen.query(Toast))


async def until(pilot, condition, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def type_now(pilot, text: str) -> None:
    for char in text:
        await press_now(pilot, "space" if char == " " else char)


def saved_job_title(db_path, member_id: str) -> str:
    return Records(Store(str(db_path))).team.get(member_id).job_title


async def test_a_form_stays_usable_while_another_process_holds_the_lock(records, db_path):
    sam = add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm)
        holder = LockHolder(db_path)
        try:
            await press_now(pilot, "tab", "end")  # to the job title (Tab selects it all) and its end
            await type_now(pilot, " II")
            await press_now(pilot, "ctrl+s")
            assert await until(pilot, lambda: f"Waiting for {LOGIN} (pid {holder.pid})" in problem(form)), problem(form)
            job = form.query_one("#f-job_title", Input)
            assert app.screen is form and app.focused is job
            await type_now(pilot, "!")  # typing still reaches the focused field while the save waits
            assert job.value == "Customer Service Advisor II!"
            assert saved_job_title(db_path, sam.id) == "Customer Service Advisor"  # nothing written yet
        finally:
            holder.release()
        assert await until(pilot, lambda: app.screen is not form, seconds=10), problem(form)
        assert isinstance(app.screen, TeamScreen)
        # What was typed after ctrl+s was not part of that save, and the person is told so.
        told = "Typed while it was saving, and not saved: Job title 'Customer Service Advisor II!'"
        assert await until(pilot, lambda: told in toasts(app)), toasts(app)
    assert saved_job_title(db_path, sam.id) == "Customer Service Advisor II"


async def test_stopping_the_wait_leaves_the_file_unchanged_and_keeps_what_was_typed(records, db_path):
    sam = add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e")
        form = app.screen
        before = db_path.read_bytes()
        holder = LockHolder(db_path)
        try:
            await press_now(pilot, "tab", "end")  # to the job title (Tab selects it all) and its end
            await type_now(pilot, " II")
            await press_now(pilot, "ctrl+s")
            assert await until(pilot, lambda: "Waiting for" in problem(form)), problem(form)
            await press_now(pilot, "escape")
            assert await until(pilot, lambda: "you stopped waiting" in problem(form)), problem(form)
            assert app.screen is form and form.saving is None  # open, no longer saving
            assert "Nothing was changed" in problem(form) and f"pid {holder.pid}" in problem(form)
            assert form.query_one("#f-job_title", Input).value == "Customer Service Advisor II"
        finally:
            holder.release()
        await pilot.pause(0.5)  # the lock is free now: a stopped save must not go ahead after all
        assert db_path.read_bytes() == before
        await pilot.press("ctrl+s")  # what was kept saves when asked again
        assert isinstance(app.screen, TeamScreen)
    assert saved_job_title(db_path, sam.id) == "Customer Service Advisor II"


def _invalid_member() -> ValidationError:
    try:
        Member(name="Sam Patel", job_title="Advisor", contract_hours=500, date_of_birth=date(1990, 4, 3))
    except ValidationError as exc:
        return exc
    raise AssertionError("500 contract hours should not validate")


REFUSALS = [
    ("form-errors", lambda: FormErrors({"contract_hours": "a number of hours, please"}), "#e-contract_hours", "hours"),
    ("validation", _invalid_member, "#e-contract_hours", "at most"),
    ("store", lambda: StoreError("the disk is full"), "#form-problem", "Not saved: the disk is full"),
    (
        "service-rule",
        lambda: ValueError("Contract hours: more than their contract allows"),
        "#e-contract_hours",
        "more than",
    ),
]


@pytest.mark.parametrize("kind, error, where, words", REFUSALS, ids=[r[0] for r in REFUSALS])
async def test_a_refusal_coming_back_from_the_save_worker_shows_where_it_did(records, kind, error, where, words):
    ran_on: list[int] = []

    def save(values: dict) -> None:
        ran_on.append(threading.get_ident())
        raise error()

    fields = [Field("name", "Name"), Field("contract_hours", "Contract hours", "number")]
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        form = RecordForm("Try", fields, {"name": "Sam", "contract_hours": "500"}, save)
        await app.push_screen(form)
        await pilot.press("ctrl+s")
        assert ran_on and ran_on[0] != threading.main_thread().ident  # the save ran in a worker thread
        box = form.query_one(where, Static)
        assert not box.has_class("hidden") and words in str(box.render()), str(box.render())
        assert app.screen is form and form.query_one("#f-contract_hours", Input).value == "500"  # typing kept


async def test_a_conflict_found_by_the_save_worker_names_who_and_reapplies(
    records, other_records, db_path, monkeypatch
):
    sam = add_member(records)
    ran_on: list[int] = []
    edit = records.team.edit

    def spy(member):
        ran_on.append(threading.get_ident())
        return edit(member)

    monkeypatch.setattr(records.team, "edit", spy)
    app = SupervisorApp(records, poll_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        form = app.screen
        other_records.store.refresh()
        other_records.team.edit(other_records.team.get(sam.id).model_copy(update={"job_title": "Team Leader"}))
        form.query_one("#f-contract_hours", Input).value = "30"
        await pilot.press("ctrl+s")
        assert ran_on and ran_on[0] != threading.main_thread().ident
        assert "Not saved: alice" in problem(form) and "Job title" in problem(form), problem(form)
        await pilot.press("ctrl+r", "ctrl+s")
        assert isinstance(app.screen, TeamScreen)
    saved = Records(Store(str(db_path))).team.get(sam.id)
    assert (saved.job_title, saved.contract_hours) == ("Team Leader", 30)


async def test_keys_typed_while_a_save_waits_go_to_the_focused_field(records, db_path):
    """Before, the UI froze until the save was done and the form had closed; the keys typed meanwhile
    then went to the roster behind it (a 'd' there deactivates someone)."""
    sam = add_member(records)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e")
        form = app.screen
        holder = LockHolder(db_path, seconds=3)  # lets go by itself, as a colleague's save ends
        try:
            await press_now(pilot, "end")
            await type_now(pilot, " Jr")
            await press_now(pilot, "ctrl+s")
            typist = Typist(app, ["tab", "x", "y", "z"])
            typist.start()
            assert await until(pilot, lambda: not typist.is_alive(), 3)
            assert await until(pilot, lambda: form.query_one("#f-job_title", Input).value.endswith("xyz"), 1)
            assert form.query_one("#f-name", Input).value == "Sam Patel Jr"
        finally:
            holder.release()
        assert await until(pilot, lambda: isinstance(app.screen, TeamScreen), seconds=10)
        assert app.screen.query_one("#team-search", Input).value == ""  # nothing leaked to the roster
    assert Records(Store(str(db_path))).team.get(sam.id).name == "Sam Patel Jr"


async def test_keys_typed_while_the_roster_reloads_go_to_the_field_they_were_meant_for(
    records, other_records, monkeypatch
):
    """Another session's save makes the roster reload. On a year-sized record the reading takes a
    while; if it holds the UI thread, the keys typed meanwhile ('e', Tab, text) pile up and arrive
    together, and Textual hands them to a form that is not mounted yet: the text lands in the Name
    field, or nowhere. Read in a worker, each key is handled as it arrives."""
    add_member(records)
    members = records.team.members
    typist: list[Typist] = []
    app = SupervisorApp(records, poll_seconds=0.1)

    def focused(field: str):
        return lambda: isinstance(app.focused, Input) and app.focused.id == f"f-{field}"

    def slow_members(*args, **kwargs):
        if not typist:
            # The person goes on as the reload begins: edit, and once the form is there, the next field.
            typist.append(Typist(app, ["e", "tab", "x", "y"], seen={"tab": focused("name"), "x": focused("job_title")}))
            typist[0].start()
            time.sleep(3.0)  # a year-sized record's worth of reading (longer than the person's patience)
        return members(*args, **kwargs)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(records.team, "members", slow_members)
        other_records.store.refresh()
        add_member(other_records, "Aisha Khan")
        assert await until(pilot, lambda: bool(typist), 5)
        assert await until(pilot, lambda: not typist[0].is_alive(), 5)
        assert await until(pilot, lambda: isinstance(app.screen, RecordForm), 3)
        form = app.screen
        assert await until(pilot, lambda: form.query_one("#f-job_title", Input).value.endswith("xy"), 2), (
            form.query_one("#f-name", Input).value,
            form.query_one("#f-job_title", Input).value,
        )
        assert form.query_one("#f-name", Input).value in ("Sam Patel", "Aisha Khan")


async def test_a_burst_of_week_keys_redraws_the_rota_once_and_acts_on_the_week_shown(records, monkeypatch):
    add_member(records)
    draws: list[date] = []
    reload = ShiftsScreen.reload

    def counted(self) -> None:
        draws.append(self.monday)
        reload(self)

    monkeypatch.setattr(ShiftsScreen, "reload", counted)
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        this_monday = screen.monday
        draws.clear()
        for _ in range(5):
            app.post_message(events.Key("right_square_bracket", "]"))
        assert await until(pilot, lambda: draws, 2)
        await pilot.pause(0.5)
        assert draws == [this_monday + timedelta(weeks=5)]  # once, for the week the keys ended on
        title = str(screen.query_one("#rota-title", Static).render())
        assert f"{this_monday + timedelta(weeks=5):%d %b}" in title
        # A key that acts on the grid right after a week key acts on the week it moved to.
        app.post_message(events.Key("right_square_bracket", "]"))
        app.post_message(events.Key("a", "a"))
        assert await until(pilot, lambda: isinstance(app.screen, RecordForm) and app.screen.query("#f-day"), 3)
        day = app.screen.query_one("#f-day", Input).value
        assert day == f"{this_monday + timedelta(weeks=6):%d/%m/%Y}"


async def test_typing_a_time_in_the_fill_dialog_ranks_the_team_once(records, monkeypatch):
    add_member(records)
    add_member(records, "Aisha Khan")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "f")
        fill = app.screen
        assert isinstance(fill, FillSlot)
        start = fill.query_one("#fill-start", Input)
        start.focus()
        await pilot.pause()
        ranked: list[object] = []
        candidates = records.shifts.candidates

        def counted(slot):
            ranked.append(slot.start)
            return candidates(slot)

        monkeypatch.setattr(records.shifts, "candidates", counted)
        start.value = ""
        for char in "10:30":  # as fast as a terminal delivers a burst
            app.post_message(events.Key("colon" if char == ":" else char, char))
        assert await until(pilot, lambda: ranked, 2), (start.value, app.focused)
        await pilot.pause(0.5)
        assert start.value == "10:30"
        assert [f"{t:%H:%M}" for t in ranked] == ["10:30"]  # once, for what was typed
