"""Today's lines on a real record at a fixed moment: each part of the job says what is due, most urgent
first, and each line knows what Enter opens. No Textual here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.coverage import Demand
from supervisor_tui.domain.one_to_ones import Action
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.rota import Leave, Shift
from supervisor_tui.services import Records
from supervisor_tui.services.today import OVERDUE, SOON, TODAY
from supervisor_tui.storage import Store

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)  # Wednesday, 10:30 in London (GMT)
DAY = NOW.date()


@pytest.fixture
def rec(db_path) -> Records:
    records = Records(Store(str(db_path), clock=Clock.fixed(datetime(2026, 9, 1, 9, tzinfo=UTC)).now), Clock.fixed(NOW))
    return records


def member(rec: Records, name: str) -> Member:
    return rec.team.add(Member(name=name, job_title="Advisor", contract_hours=37.5, date_of_birth=date(1990, 1, 1)))


def shift(rec: Records, who: Member, day: date, start: int, end: int, position: str = "tills") -> Shift:
    return rec.shifts.add(Shift(member_id=who.saved_id, day=day, start=time(start), end=time(end), position=position))


def lines(rec: Records, part: str | None = None) -> list[tuple[int, str]]:
    view = rec.today.view(NOW)
    return [(line.urgency, line.text) for line in view.lines if part is None or line.part == part]


def test_now_and_next_cover_and_leave(rec):
    """Who is on now (a night shift from yesterday that has not ended counts), who starts next, and the
    day's cover against demand."""
    sam, amy, lee, kim = (member(rec, n) for n in ("Sam Patel", "Amy Stone", "Lee Chan", "Kim Park"))
    shift(rec, sam, DAY, 9, 17)
    shift(rec, amy, DAY, 12, 20, "phones")
    shift(rec, lee, DAY, 12, 18, "phones")
    rec.shifts.add_demand(Demand(position="tills", weekday=DAY.weekday(), start=time(9), end=time(17), people=2))
    rec.shifts.add_leave(Leave(member_id=kim.saved_id, first_day=date(2026, 11, 23), last_day=date(2026, 11, 27)))
    now = lines(rec, "Now")
    assert (TODAY, "On shift now (1): Sam Patel (tills to 17:00)") in now
    assert (TODAY, "Next at 12:00: Amy Stone (phones), Lee Chan (phones)") in now
    assert (TODAY, "Cover today is 8 person-hours short (tills 8)") in now
    assert (3, "On leave today: Kim Park (annual leave to 27/11)") in now


def test_a_rota_breach_of_the_law_today_comes_first(rec):
    """WTR 1998 reg 10: eleven hours' rest between working days. Broken today, it is overdue; tomorrow, soon."""
    lee = member(rec, "Lee Chan")
    shift(rec, lee, date(2026, 11, 24), 14, 23)
    shift(rec, lee, DAY, 6, 14)
    rota = lines(rec, "Rota")
    assert rota and rota[0][0] == OVERDUE and rota[0][1].startswith("today: Lee Chan")
    view = rec.today.view(NOW)
    assert view.lines[0].part == "Rota" and view.lines[0].target == ("day", DAY.isoformat())


def test_the_briefing_not_recorded_then_who_missed_it(rec):
    sam, amy = member(rec, "Sam Patel"), member(rec, "Amy Stone")
    shift(rec, sam, DAY, 9, 17)
    shift(rec, amy, DAY, 12, 20)
    assert lines(rec, "Briefing") == [(TODAY, "Today's briefing is not recorded yet")]
    from supervisor_tui.domain.briefing import Briefing

    rec.shifts.save_briefing(Briefing(day=DAY, led_by="Jo", updates="new returns policy", attended=[sam.saved_id]))
    assert lines(rec, "Briefing") == [(TODAY, "Not briefed yet today: Amy Stone (a catch-up is due)")]


def test_complaint_clocks_breached_first_and_nothing_for_one_on_time(rec):
    """The team's response clock is breached weeks after receipt; a complaint received today owes nothing
    yet."""
    rec.complaints.log(
        Complaint(received_at="2026-09-01T09:00:00.000000Z", customer_name="Mr Late", category="delivery", summary="x")
    )
    rec.complaints.log(
        Complaint(received_at="2026-11-25T09:00:00.000000Z", customer_name="Ms New", category="delivery", summary="y")
    )
    complaints = lines(rec, "Complaints")
    assert complaints and all(u == OVERDUE for u, _ in complaints)
    assert any(text.startswith("C-0001 Mr Late: ") and "breached" in text for _u, text in complaints)
    assert not any("Ms New" in text for _u, text in complaints)


def test_actions_are_one_line_per_person_and_urgency(rec):
    sam, amy = member(rec, "Sam Patel"), member(rec, "Amy Stone")
    actions = rec.one_to_ones.actions
    actions.create(Action(member_id=sam.saved_id, what="Read the returns policy", due=date(2026, 11, 2)))
    actions.create(Action(member_id=sam.saved_id, what="Shadow Amy", due=date(2026, 11, 20)))
    actions.create(Action(member_id=amy.saved_id, what="Book the course", owner="supervisor", due=DAY))
    actions.create(Action(member_id=amy.saved_id, what="Far off", due=date(2026, 12, 20)))
    assert lines(rec, "People") == [
        (OVERDUE, "Sam Patel: 2 actions overdue since 02/11: Read the returns policy (+1 more)"),
        (TODAY, "Amy Stone: action due today (yours): Book the course"),
    ]


def test_quality_checks_short_this_month_name_the_people(rec):
    """Team setting: two checks a person a month; a few people short get a line each."""
    member(rec, "Sam Patel")
    assert lines(rec, "Quality") == [(SOON, "Sam Patel: 0 of 2 quality checks done (6 day(s) left this month)")]


def test_a_subject_access_request_overdue_and_one_due_soon(rec):
    """UK GDPR Art. 12(3): one month from receipt (ICO: the corresponding date, next working day)."""
    rec.subject_access.log("Jo Bloggs", date(2026, 10, 20))  # due Fri 20/11: overdue
    rec.subject_access.log("Al Early", date(2026, 10, 28))  # due Mon 30/11: within the week
    data = lines(rec, "Data")
    assert [u for u, _ in data] == [OVERDUE, SOON]
    assert data[0][1].startswith("SAR-0001 Jo Bloggs: subject access request overdue")
    assert rec.today.view(NOW).lines[0].target == ("sar", "SAR-0001")


def test_the_printout_is_safe_markdown_and_plain_text(rec):
    """A name that looks like Markdown or a link stays text in the morning e-mail."""
    rec.subject_access.log("[click](http://evil.example) # Boss", date(2026, 10, 20))
    md = rec.today.view(NOW).render("md")
    assert md.startswith("# Today, Wednesday 25 November 2026 (at 10:30): 1 overdue")
    # escaped: no link, no bare address a GitHub-style reader would make live, no heading
    assert "## Overdue" in md and "SAR-0001 \\[click\\](http\\://evil\\.example) \\# Boss" in md
    text = rec.today.view(NOW).render("text")
    assert "Overdue:\n  Data       SAR-0001 [click](http://evil.example) # Boss" in text


def test_an_empty_record_says_nothing_needs_doing(rec):
    view = rec.today.view(NOW)
    assert view.lines == [] and view.summary() == "nothing needs doing"
