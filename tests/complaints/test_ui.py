"""A complaint's page and the list at 80x24, driven by keyboard: every step one key, refusals that write nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from textual.widgets import DataTable, Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint, Pause, Policy
from supervisor_tui.domain.dates import local_to_utc
from supervisor_tui.screens.complaints import ComplaintPage, ComplaintsScreen
from supervisor_tui.screens.repairs import RepairsScreen
from supervisor_tui.storage.audit import utc_stamp
from supervisor_tui.widgets.form import RecordForm
from supervisor_tui.widgets.prompt import ReasonPrompt

SIZE = (80, 24)


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def choose(pilot, downs: int) -> None:
    """Pick a Select's option by keyboard: Enter opens it on the blank line, Down moves, Enter picks."""
    await pilot.press("enter", *["down"] * downs, "enter")


def body(app) -> str:
    return str(app.screen.query_one("#cpp-body", Static).render())


def stored(records) -> Complaint:
    (c,) = records.complaints.repo.all()
    return c


async def test_a_complaint_from_logging_to_reopening_by_keyboard(records):
    """Log, acknowledge, investigate, escalate, pause and resume, resolve (every choice needed), follow up,
    close and reopen: all by keys, each step on the record."""
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "a")
        assert isinstance(app.screen, RecordForm) and app.focused.id == "f-received"
        await pilot.press("tab", "tab")  # past Received (now) and Channel (phone)
        await type_text(pilot, "Ann")
        await pilot.press("tab", "tab", "tab")  # Contact, Product
        assert app.focused.id == "f-category"
        await type_text(pilot, "post")
        await pilot.press("tab")
        await type_text(pilot, "Late")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintsScreen)
        c = stored(records)
        assert (c.customer_name, c.category, c.summary, c.channel, c.severity.value, c.stage) == (
            "Ann",
            "post",
            "Late",
            "phone",
            "medium",
            "received",
        )

        await pilot.press("enter")
        page = app.screen
        assert isinstance(page, ComplaintPage) and page.complaint_id == c.id
        await pilot.press("m", "y")  # each move asks first: y goes ahead
        assert stored(records).stage == "acknowledged" and stored(records).acknowledged_on == Clock().today()
        await pilot.press("m", "y")
        assert stored(records).stage == "investigating"
        await pilot.press("e")
        assert isinstance(app.screen, RecordForm) and (app.focused.id, app.focused.value) == ("f-level", "1")
        await pilot.press("tab")
        await type_text(pilot, "Irate")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is page and stored(records).level == 1
        assert stored(records).history[-1].note == "Irate"

        await pilot.press("w")
        assert stored(records).pauses == [Pause(start=Clock().today())]
        assert ": paused" in body(app) and "waiting on the customer" in body(app)
        await pilot.press("w")
        assert stored(records).pauses == [Pause(start=Clock().today(), end=Clock().today())]
        assert "Final response due" in body(app) and ": paused" not in body(app)

        await pilot.press("s")
        form = app.screen
        assert isinstance(form, RecordForm) and app.focused.id == "f-outcome"
        await type_text(pilot, "Sent")
        head = records.store.head
        await pilot.press("ctrl+s")  # Remedy, Satisfied, Root cause not chosen
        await pilot.pause()
        assert app.screen is form and records.store.head == head
        for name in ("remedy", "satisfied", "root_cause"):
            error = form.query_one(f"#e-{name}", Static)
            assert str(error.render()) == "choose one" and not error.has_class("hidden")
        assert app.focused.id == "f-remedy"
        await choose(pilot, 2)  # replacement
        await pilot.press("tab")
        await choose(pilot, 1)  # yes
        await pilot.press("tab")
        await choose(pilot, 2)  # process
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is page
        c = stored(records)
        assert (c.stage, c.outcome, c.remedy, c.satisfied, c.root_cause, c.responded_on, c.follow_up_on) == (
            "resolved",
            "Sent",
            "replacement",
            True,
            "process",
            Clock().today(),
            Clock().today() + timedelta(weeks=1),
        )
        assert c.checklist.get("action_taken") is True

        await pilot.press("m")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "OK")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is page
        c = stored(records)
        assert (c.stage, c.history[-1].note, c.checklist.get("followed_up")) == ("followed up", "OK", True)
        await pilot.press("m", "y")
        assert stored(records).stage == "closed"
        await pilot.press("r")
        assert isinstance(app.screen, ReasonPrompt)
        await type_text(pilot, "Bad")
        await pilot.press("enter")
        await pilot.pause()
        c = stored(records)
        assert c.stage == "investigating" and (c.history[-1].what, c.history[-1].note) == ("reopened", "Bad")
        assert "reopened" in body(app)
    assert [e.what for e in stored(records).history] == [
        "received",
        "acknowledged",
        "investigating",
        "escalated to supervisor",
        "waiting on the customer",
        "customer replied: clock running again",
        "resolved",
        "followed up",
        "closed",
        "reopened",
    ]


async def test_resolve_before_investigating_warns_and_opens_no_form(records):
    """'s' on an acknowledged complaint says what must happen first, and pushes no form."""
    c = records.complaints.log(
        Complaint(
            received_at=utc_stamp(Clock().now()),
            customer_name="Mr X",
            category="delivery",
            summary="Late",
        )
    )
    records.complaints.move(c, "acknowledged")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert isinstance(page, ComplaintPage)
        head = records.store.head
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is page and records.store.head == head
        (note,) = [n for n in app._notifications if n.severity == "warning"]
        assert note.title == "Not yet" and f"{c.id} is acknowledged" in note.message and "m moves it on" in note.message


async def test_reopen_is_bound_only_once_the_response_has_gone(records):
    """'r' is not an active binding (nor in the footer) until the complaint is resolved; then it is."""
    c = records.complaints.log(
        Complaint(
            received_at=utc_stamp(Clock().now()),
            customer_name="Mr X",
            category="delivery",
            summary="Late",
        )
    )
    c = records.complaints.move(records.complaints.move(c, "acknowledged"), "investigating")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert isinstance(page, ComplaintPage)
        assert "r" not in page.active_bindings and page.check_action("reopen", ()) is False
        assert "s" in page.active_bindings and "m" in page.active_bindings
        assert "r" not in [k.key for k in page.query("FooterKey")] and "s" in [k.key for k in page.query("FooterKey")]
        await pilot.press("r")  # does nothing: no prompt
        assert app.screen is page
        records.complaints.resolve(c, outcome="Refund", remedy="refund", satisfied=True, root_cause="process")
        page.reload()
        await pilot.pause()
        assert "r" in page.active_bindings and page.active_bindings["r"].binding.action == "reopen"
        assert page.check_action("reopen", ()) is True
        assert "r" in [k.key for k in page.query("FooterKey")]
        await pilot.press("r")
        assert isinstance(app.screen, ReasonPrompt)


def fixed(db_path, moment: datetime):
    """A record on a team clock standing at ``moment`` (UTC), so dates typed as dd/mm/yyyy are in the past."""
    from supervisor_tui.domain.clock import Clock
    from supervisor_tui.services import Records
    from supervisor_tui.storage import Store

    return Records(Store(str(db_path)), Clock.fixed(moment.replace(tzinfo=UTC)))


async def clear_and_type(pilot, text: str) -> None:
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


async def test_goods_form_and_a_repair_that_pauses_the_30_days(db_path):
    """'g' takes ownership, delivery and the installation notice (a refused value keeps what was typed);
    'f' lists repairs, 'a' adds one that came back still faulty: the guide then shows the right to reject
    open where 30 days from installation would have ended (CRA 2015 s.22(3), (6)-(8))."""
    records = fixed(db_path, datetime(2026, 4, 5, 12, 0))
    records.complaints.log(
        Complaint(received_at="2026-03-20T10:00:00Z", customer_name="Mr X", category="faulty goods", summary="Leaking")
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert "Goods? g adds when they were bought and delivered" in body(app)
        await pilot.press("f")  # no goods details yet: says what comes first, opens nothing
        assert app.screen is page
        assert any("g first" in n.message for n in app._notifications)

        await pilot.press("g")
        form = app.screen
        assert isinstance(form, RecordForm) and app.focused.id == "f-ownership_date"
        assert form.query_one("#form-box").region.height <= SIZE[1]  # the whole form fits 80x24
        await type_text(pilot, "01/03/2026")
        await pilot.press("tab")
        await type_text(pilot, "01/03/2026")
        await pilot.press("tab", "tab")  # past Trader installs (not ticked yet)
        assert app.focused.id == "f-installed_on"
        await type_text(pilot, "04/03/2026")
        head = records.store.head
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and records.store.head == head
        assert "only where the trader installs" in str(form.query_one("#e-installed_on", Static).render())
        assert form.query_one("#f-installed_on").value == "04/03/2026"  # kept as typed
        await pilot.press("shift+tab", "space", "ctrl+s")  # tick Trader installs, save
        await pilot.pause()
        assert app.screen is page
        c = stored(records)
        assert (c.ownership_date, c.delivery_date, c.trader_installs, c.installed_on, c.purchase_date) == (
            date(2026, 3, 1),
            date(2026, 3, 1),
            True,
            date(2026, 3, 4),
            None,
        )
        # 30 days beginning with the day after the installation notice ended on Fri 03/04.
        assert "(s.22): ended Fri 03/04/2026" in body(app)

        await pilot.press("f")
        repairs = app.screen
        assert isinstance(repairs, RepairsScreen)
        await pilot.press("a")
        entry = app.screen
        assert isinstance(entry, RecordForm) and app.focused.id == "f-kind"
        await pilot.press("tab")
        await clear_and_type(pilot, "10/03/2026")
        await pilot.press("tab")
        await type_text(pilot, "09/03/2026")
        await pilot.press("tab", "space")  # still faulty
        head = records.store.head
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is entry and records.store.head == head  # back before it was asked for: refused
        assert "before the repair was asked for" in str(entry.query_one("#e-back_on", Static).render())
        entry.query_one("#f-back_on").focus()
        await clear_and_type(pilot, "20/03/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is repairs
        row = [str(cell) for cell in repairs.query_one("#rp-table", DataTable).get_row_at(0)]
        assert row == ["1", "repair", "10/03/2026", "20/03/2026", "still faulty"]
        # 5 days used (05-09/03), 25 left from 21/03: to the end of Tue 14/04 (s.22(6)-(8)).
        guide = str(repairs.query_one("#rp-guide", Static).render())
        assert "open until the end of Tue 14/04/2026" in guide and "final right to reject (s.24(5)(a))" in guide
        await pilot.press("escape")
        assert app.screen is page
        assert "open until the end of Tue 14/04/2026 (the repair or replacement time did not count" in body(app)
        assert "1. repair asked for 10/03/2026, back 20/03/2026: still faulty" in body(app)
    c = stored(records)
    assert [(r.kind, r.requested_on, r.back_on, r.failed) for r in c.repairs] == [
        ("repair", date(2026, 3, 10), date(2026, 3, 20), True)
    ]
    assert c.history[-1].what == "repair asked for"


async def test_summary_resolution_date_and_the_eight_weeks_on_the_page(db_path):
    """FCA policy: the page shows the DISP 1.5 date (close of the 3rd business day after receipt) as
    'open' until answered, and what DISP 1.6.2R asks by the 8 weeks; a wait does not pause it."""
    records = fixed(db_path, datetime(2026, 3, 9, 12, 0))
    records.complaints.set_policy(Policy(fca=True))
    records.complaints.log(
        Complaint(
            received_at="2026-03-06T10:00:00Z", customer_name="Mr X", category="overdraft fees", summary="Charged twice"
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        page = app.screen
        assert isinstance(page, ComplaintPage)
        text = body(app)
        assert "Summary resolution (DISP 1.5.1R) by close of business Wed 11/03/2026: open" in text
        assert "DISP 1.6.2R: by the end of Fri 01/05/2026 (8 weeks after receipt) send a final response" in text
        assert "Final response due Fri 01/05/2026: running" in text
        await pilot.press("m", "y", "m", "y", "w")  # acknowledged, investigating (each asked first), waiting
        await pilot.pause()
        assert any("do not stop (DISP 1.6.2R)" in n.message for n in app._notifications)
        assert "Final response due Fri 01/05/2026: running" in body(app) and ": paused" not in body(app)
        records.complaints.resolve(
            stored(records), outcome="Refunded the second charge", remedy="refund", satisfied=True, root_cause="systems"
        )
        page.reload()
        assert "Wed 11/03/2026: yes: send the summary resolution communication" in body(app)


async def test_the_bank_holiday_friday_on_its_page(demo_records):
    """The demo complaint received Fri 28/08/2026: acknowledgement due Wed 02/09 (Mon 31/08 is a bank holiday),
    met on Tue 01/09. Met clocks read the same whatever today is."""
    (friday,) = [
        c for c in demo_records.complaints.repo.all() if demo_records.complaints.received_day(c) == date(2026, 8, 28)
    ]
    app = SupervisorApp(demo_records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        app.push_screen(ComplaintPage(friday.id))
        await pilot.pause()
        assert "Received Fri 28/08/2026" in body(app) and "closed" in body(app)
        assert "Acknowledgement due Wed 02/09/2026: met on Tue 01/09" in body(app)
        assert "r" in app.screen.active_bindings  # closed: it can be reopened


CHART_WORDS = {"training", "systems", "delivery", "staff", "refund"}  # the root causes and categories below


def words(text: str) -> set[str]:
    return set(text.replace("·", " ").split())


def received_days_ago(days: int) -> str:
    return utc_stamp(local_to_utc(Clock().today() - timedelta(days=days), time(10)))


async def test_list_search_overdue_and_the_chart_period(records):
    """'/overdue' keeps only breached complaints; 'p' limits the root-cause chart to a period, blank resets it."""
    service = records.complaints
    breached = service.log(
        Complaint(received_at=received_days_ago(200), customer_name="Mr Old", category="delivery", summary="Never came")
    )
    for days, category, cause in [(190, "staff", "training"), (100, "refund", "systems")]:
        c = service.log(
            Complaint(received_at=received_days_ago(days), customer_name="Ms Done", category=category, summary="Sorted")
        )
        c = service.move(service.move(c, "acknowledged"), "investigating")
        service.resolve(c, outcome="Sorted", remedy="apology", satisfied=True, root_cause=cause)
    fresh = service.log(
        Complaint(
            received_at=utc_stamp(Clock().now()),
            customer_name="Mrs New",
            category="refund",
            summary="Waiting",
        )
    )
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, ComplaintsScreen)
        table = screen.query_one("#cp-table", DataTable)
        chart = lambda: str(screen.query_one("#cp-chart", Static).render())  # noqa: E731
        assert table.row_count == 4 and fresh.id in [
            table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(4)
        ]
        await pilot.press("slash")
        await type_text(pilot, "overdue")
        await pilot.pause()
        shown = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
        assert shown == [breached.id]  # not the answered ones (met late), nor the new one
        assert str(table.get_row_at(0)[6]).startswith("breached")
        assert str(screen.query_one("#cp-title", Static).render()).startswith("1 shown · 1 breached")

        await pilot.press("enter")  # back to the table, so 'p' is a key, not text
        assert "last 90 days" in chart() and words(chart()) & CHART_WORDS == {"refund"}  # only the new one
        await pilot.press("p")
        assert isinstance(app.screen, RecordForm)
        await type_text(pilot, "-30w")  # relative dates: 210 and 140 days ago
        await pilot.press("tab")
        await type_text(pilot, "-20w")
        first, last = Clock().today() - timedelta(weeks=30), Clock().today() - timedelta(weeks=20)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.period == (first, last)
        assert f"{first:%d/%m/%y}–{last:%d/%m/%y}" in chart()
        assert words(chart()) & CHART_WORDS == {"training", "delivery", "staff"}  # received 200 and 190 days ago
        assert "not resolved yet" in chart()  # the breached one has no root cause

        await pilot.press("p", "ctrl+a", "ctrl+k", "tab", "ctrl+a", "ctrl+k", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.period is None
        assert "last 90 days" in chart() and words(chart()) & CHART_WORDS == {"refund"}


async def test_de_escalating_from_the_top_level(records):
    """At the top level (external: ombudsman or ADR body) 'e' offers the levels below and can bring it back down."""
    c = records.complaints.log(
        Complaint(
            received_at=utc_stamp(Clock().now()),
            customer_name="Mr X",
            category="delivery",
            summary="Late",
        )
    )
    records.complaints.escalate(c, 4, "customer went to the ombudsman", "FOS")
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter", "e")
        form = app.screen
        assert isinstance(form, RecordForm) and app.focused.id == "f-level"
        form.query_one("#f-level").value = "3"
        await pilot.press("tab")
        await type_text(pilot, "Back")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintPage)
    c = stored(records)
    assert (c.level, c.history[-1].what) == (3, "de-escalated to head office / customer relations")


async def test_the_policy_form_keeps_the_bank_holiday_region(db_path):
    """Scotland's St Andrew's Day (Mon 30/11/2026) moves deadlines there; saving the policy again keeps the region."""
    from supervisor_tui.domain.clock import Clock
    from supervisor_tui.domain.complaints import Policy
    from supervisor_tui.services import Records
    from supervisor_tui.storage import Store

    # The team clock stands on the Friday the complaint came in: it cannot be logged before it happens.
    records = Records(Store(str(db_path)), Clock.fixed(datetime(2026, 11, 27, 17, 0)))
    c = records.complaints.log(
        Complaint(received_at="2026-11-27T10:00:00Z", customer_name="Mr X", category="delivery", summary="Late")
    )
    assert records.complaints.clocks(c, date(2026, 11, 27))[0].due == date(2026, 12, 1)  # England: Mon, Tue
    records.complaints.set_policy(Policy(), region="SCT")
    assert records.complaints.clocks(c, date(2026, 11, 27))[0].due == date(2026, 12, 2)  # Scotland: Tue, Wed
    app = SupervisorApp(records)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "P")
        form = app.screen
        assert isinstance(form, RecordForm) and form.query_one("#f-region").value == "SCT"
        form.query_one("#f-acknowledge_business_days").value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintsScreen)
    assert (records.complaints.region, records.complaints.policy.acknowledge_business_days) == ("SCT", 3)
