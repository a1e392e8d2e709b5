"""The manager's report on known data (services.report): every section for a month, a week and a quarter
beside the period before; a period with nothing in it; figures on too few cases marked; KPI targets met,
missed and not set; calibration scorings and voided checks left out; and text people typed, however
hostile, printed as text in Markdown and HTML. No Textual here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.coverage import Demand
from supervisor_tui.domain.measures import MIN_CASES, Measure
from supervisor_tui.domain.one_to_ones import Action, Meeting
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.periods import period_window
from supervisor_tui.domain.quality import Kpi, QualityCheck, Scale
from supervisor_tui.domain.report import FEW
from supervisor_tui.domain.rota import Shift
from supervisor_tui.output import Table
from supervisor_tui.services import Records
from supervisor_tui.services.report import NO_IMPROVEMENT, Report, render
from supervisor_tui.services.settings import SettingsError, TeamSettingsRegistry
from supervisor_tui.storage import Actor, Store

from ..output.hostile import raw_controls

NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Sunday: October is the last full month
STAMPED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # when the records were written
NAMES = ["Sam Patel", "Amy Stone", "Lee Chan", "Kim Park", "Jo Reed", "Al Vance"]
OCT, SEP = period_window("2026-10"), period_window("2026-09")
HOSTILE = "[bold]Zoe[/] <script>alert(1)</script> =SUM(1) |pipe| \x1b[31mred \u202eevil"
SECTIONS = ["Team KPIs", "Quality", "Complaints", "Rota", "One-to-ones", "Improvement actions"]


@pytest.fixture
def rec(db_path) -> Records:
    store = Store(str(db_path), clock=Clock.fixed(STAMPED).now, actor=Actor(login="jo.supervisor", uid=1000))
    records = Records(store, Clock.fixed(NOW))
    for name in NAMES:
        records.team.add(
            Member(
                name=name,
                job_title="Advisor",
                contract_hours=37.5,
                date_of_birth=date(1990, 1, 1),
                start_date=date(2026, 6, 1),
            )
        )
    records.quality.load_default_pack()
    return records


def member(rec: Records, name: str) -> str:
    found = rec.team.by_name(name)
    assert found is not None
    return found.saved_id


def check(rec: Records, name: str, day: date, *, fail: bool = False, calibration: str = "") -> QualityCheck:
    core = next(s for s in rec.quality.current_standards() if s.family == "core-service")
    scores = {c.key: (c.max_points if c.scale == Scale.points else "yes") for c in core.criteria}
    if fail:
        scores["id_check"] = "no"  # a critical item: the check fails whatever its overall
    return rec.quality.save_check(
        QualityCheck(
            member_id=member(rec, name), date=day, standard_id=core.saved_id, scores=scores, calibration=calibration
        )
    )


def kpis(rec: Records, period: str, csat: float, nps: float, fcr: float) -> None:
    for name in NAMES:
        rec.quality.kpis.create(Kpi(member_id=member(rec, name), period=period, csat=csat, nps=nps, fcr=fcr))


def complaint(rec: Records, day: date, category: str, **fields) -> Complaint:
    return rec.complaints.repo.create(
        Complaint(
            received_at=f"{day.isoformat()}T10:00:00.000000Z",
            customer_name="Mrs J Smith",
            category=category,
            summary="late parcel",
            **fields,
        )
    )


def section(report: Report, title: str) -> list:
    return list(next(s for s in report.sections if s.title == title).blocks)


def tables(report: Report, title: str) -> list[Table]:
    return [value for _, value in section(report, title) if isinstance(value, Table)]


def row(table: Table, first: str) -> tuple[str, ...]:
    return next(r for r in table.rows if r[0] == first)


def texts(report: Report, title: str) -> list[str]:
    return [value for kind, value in section(report, title) if kind in ("p", "li") and isinstance(value, str)]


# -- the whole report -------------------------------------------------------------------------------------
def test_a_month_has_every_section_beside_the_month_before_and_says_where_it_came_from(rec):
    kpis(rec, "2026-10", 90, 40, 80)
    kpis(rec, "2026-09", 80, 20, 70)
    report = rec.report.build(OCT)
    assert [s.title for s in report.sections] == SECTIONS  # improvement actions last
    assert report.previous == SEP and not report.so_far
    assert report.head == rec.store.head_text() and report.produced_by == "jo.supervisor"
    assert report.produced_at == datetime(2026, 11, 22, 16, 0, tzinfo=report.produced_at.tzinfo)
    md = render(report, "md")
    assert md.startswith("# Team report: 2026-10 (1 Oct 2026 to 31 Oct 2026)\n")
    assert f"audit head {rec.store.head_text()}" in md and "by jo\\.supervisor" in md  # a dot that links, escaped
    assert "Produced 22/11/2026 at 16:00" in md


def test_team_kpis_come_from_the_measures_with_the_returns_behind_them(rec):
    kpis(rec, "2026-10", 90, 40, 80)
    kpis(rec, "2026-09", 80, 20, 70)
    (table,) = tables(rec.report.build(OCT), "Team KPIs")
    assert row(table, "CSAT (%)")[1:4] == ("90% (6 KPI returns)", "80% (6 KPI returns)", "↑ +10 points: better")
    assert row(table, "NPS")[1:4] == ("+40 (6 KPI returns)", "+20 (6 KPI returns)", "↑ +20: better")
    measured = rec.measures.figure(Measure(kind="csat"), OCT)  # the team's CSAT, as an improvement action reads it
    assert row(table, "CSAT (%)")[1] == measured.text()


def test_targets_met_missed_and_not_set_through_the_settings_table(rec):
    kpis(rec, "2026-10", 90, 40, 80)
    settings = TeamSettingsRegistry(rec)
    assert settings.set("quality.csat_target", "85").value == "85"
    assert settings.set("quality.nps_target", "50").value == "50"
    assert settings.set("quality.fcr_target", "none").value == "none"
    with pytest.raises(SettingsError, match="enter 0 to 100"):
        settings.set("quality.fcr_target", "120")
    (table,) = tables(rec.report.build(OCT), "Team KPIs")
    assert row(table, "CSAT (%)")[4] == "at least 85%: met"
    assert row(table, "NPS")[4] == "at least +50: not met"
    assert row(table, "First-contact resolution (%)")[4] == "no target set"
    assert settings.set("quality.csat_target", "none").value == "none"
    assert rec.quality.settings().csat_target is None


def test_quality_by_person_leaves_out_calibration_scorings_and_voided_checks(rec):
    for day in (date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)):
        check(rec, "Sam Patel", day)
    check(rec, "Sam Patel", date(2026, 9, 7))
    check(rec, "Sam Patel", date(2026, 9, 14), fail=True)
    check(rec, "Amy Stone", date(2026, 10, 6), fail=True)
    check(rec, "Amy Stone", date(2026, 10, 7), calibration="October calibration")  # practice, not her check
    voided = check(rec, "Amy Stone", date(2026, 10, 8))
    rec.quality.void_check(voided.saved_id, "scored the wrong call")
    people = tables(rec.report.build(OCT), "Quality")[0]
    assert row(people, "Sam Patel")[1:3] == ("3 (previous 2)", "100% (3 checks)")
    assert row(people, "Sam Patel")[3] == "50% (2 checks)"
    assert row(people, "Amy Stone")[1:3] == ("1 (previous 0)", "0% (1 check)")
    assert row(people, "Whole team")[1] == "4 (previous 2)"
    assert row(people, "Sam Patel")[6].endswith(FEW)  # 3 checks against 2: not a trend


def test_criteria_weakest_first_with_the_scorings_behind_them(rec):
    for day in (date(2026, 10, 5), date(2026, 10, 12)):
        check(rec, "Sam Patel", day)
    check(rec, "Amy Stone", date(2026, 10, 6), fail=True)
    criteria = tables(rec.report.build(OCT), "Quality")[1]
    first = criteria.rows[0]
    assert first[0] == "Checked identity before discussing the account"  # the one missed
    assert first[2] == "67% (3 scorings)" and first[4] == "67% (3 scorings)"
    assert first[5] == "no figure to compare"  # nothing scored in September


def test_complaints_received_stages_clocks_causes_and_categories(rec):
    complaint(rec, date(2026, 10, 5), "delivery")
    complaint(
        rec,
        date(2026, 10, 7),
        "Refund",
        stage="closed",
        root_cause="training",
        acknowledged_on=date(2026, 10, 8),
        responded_on=date(2026, 10, 9),
    )
    complaint(rec, date(2026, 9, 9), "delivery", acknowledged_on=date(2026, 9, 10))
    summary, stages, clocks, causes, categories = tables(rec.report.build(OCT), "Complaints")
    assert row(summary, "Received")[1:] == ("2", "1", f"↑ +1 complaint: {FEW}")
    assert row(summary, "Acknowledged late")[1] == "50% (2 complaints)"  # one acknowledged, one breached
    assert row(stages, "Received")[1:] == ("1", "1") and row(stages, "Closed")[1:] == ("1", "0")
    assert row(clocks, "Acknowledgement (this period)")[1:] == ("1", "0", "1", "0")
    assert row(clocks, "Final response (this period)")[1:] == ("1", "0", "1", "0")
    assert row(causes, "training")[1:3] == ("1", "0")
    assert row(categories, "delivery")[1:3] == ("1", "1") and row(categories, "refund")[1:3] == ("1", "0")
    assert "Of this period's complaints, 1 is not resolved yet." in " ".join(texts(rec.report.build(OCT), "Complaints"))


def test_rota_cover_against_demand_and_working_time_problems_by_rule(rec):
    sam = member(rec, "Sam Patel")
    rec.shifts.add_demand(Demand(position="tills", weekday=0, start=time(9), end=time(17), people=2))
    for day in (5, 12, 19, 26):  # October's Mondays, one person of the two needed
        rec.shifts.add(Shift(member_id=sam, day=date(2026, 10, day), start=time(9), end=time(17), position="tills"))
    rec.shifts.add(Shift(member_id=sam, day=date(2026, 10, 20), start=time(14), end=time(23), position="tills"))
    rec.shifts.add(Shift(member_id=sam, day=date(2026, 10, 21), start=time(6), end=time(14), position="tills"))
    report = rec.report.build(OCT)
    cover, problems = tables(report, "Rota")
    assert row(cover, "Cover met")[1] == "50% (32 of 64 person-hours)"
    assert row(cover, "Person-hours short")[1:3] == ("32", "64")  # September's Mondays had no one on
    assert row(cover, "Days with a shortfall")[1] == "4 of 31 days"
    daily_rest = next(r for r in problems.rows if r[0].startswith("WTR 1998 reg 10"))
    assert daily_rest[1:3] == ("1", "0")
    assert any(line.startswith("Mon 05/10/2026: 8 person-hours short (tills 8)") for line in texts(report, "Rota"))


def test_one_to_one_cadence_actions_and_who_is_overdue(rec):
    sam, amy = member(rec, "Sam Patel"), member(rec, "Amy Stone")
    rec.one_to_ones.meetings.create(Meeting(member_id=amy, held_on=date(2026, 9, 5)))
    rec.one_to_ones.meetings.create(Meeting(member_id=sam, held_on=date(2026, 10, 10)))
    rec.one_to_ones.actions.create(
        Action(member_id=sam, what="Read the policy", due=date(2026, 10, 5), status="done", done_on=date(2026, 10, 8))
    )
    rec.one_to_ones.actions.create(Action(member_id=amy, what="Shadow Sam", due=date(2026, 10, 20)))
    report = rec.report.build(OCT)
    (table,) = tables(report, "One-to-ones")
    assert row(table, "One-to-ones held")[1:3] == ("1", "1")
    assert row(table, "People due a one-to-one who had one")[1] == "17% (1 of 6 people)"
    assert row(table, "Actions done (done after their due date)")[1] == "1 (1)"
    assert row(table, "Actions overdue at the period's end")[1] == "1"
    overdue = texts(report, "One-to-ones")[-1]
    assert "Amy Stone" in overdue and "Sam Patel" not in overdue


# -- kinds of period ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, previous, checks, before",
    [
        ("2026-10", "2026-09", 2, 1),
        ("2026-W41", "2026-W40", 1, 1),  # 5-11 October, beside 28 September - 4 October
        ("2026-Q4", "2026-Q3", 2, 1),
        ("2026-Q3", "2026-Q2", 1, 0),
    ],
)
def test_a_month_a_week_and_a_quarter_beside_the_period_before(rec, name, previous, checks, before):
    check(rec, "Sam Patel", date(2026, 9, 30))
    check(rec, "Sam Patel", date(2026, 10, 6))
    check(rec, "Sam Patel", date(2026, 10, 26))
    report = rec.report.build(rec.report.period(name))
    assert report.previous == period_window(previous)
    assert row(tables(report, "Quality")[0], "Whole team")[1] == f"{checks} (previous {before})"
    assert report.so_far == (name == "2026-Q4")  # the quarter has not ended on 22 November
    assert ("has not ended" in render(report, "md")) == report.so_far


def test_no_period_means_the_last_full_month_and_a_future_or_bad_one_is_refused(rec):
    assert rec.report.period(None) == OCT and rec.report.period(" ") == OCT
    with pytest.raises(ValueError, match="has not started yet"):
        rec.report.period("2026-12")
    with pytest.raises(ValueError, match="write a month as 2026-11"):
        rec.report.period("November")


def test_a_period_with_nothing_in_it_says_so_in_every_section(rec):
    kpis(rec, "2026-10", 90, 40, 80)
    check(rec, "Sam Patel", date(2026, 10, 6))
    report = rec.report.build(period_window("2025-03"))  # before anyone started
    said = {s.title: " ".join(texts(report, s.title)) for s in report.sections}
    assert "No KPI returns were recorded" in said["Team KPIs"]
    assert "No quality checks were recorded" in said["Quality"]
    assert "No complaints were received" in said["Complaints"]
    assert "No demand is recorded" in said["Rota"] and "No shifts were on the rota" in said["Rota"]
    assert "No one was on the team" in said["One-to-ones"]
    assert said["Improvement actions"] == NO_IMPROVEMENT
    for fmt in ("md", "html"):
        assert "nan" not in render(report, fmt).lower().replace("finance", "")


def test_few_cases_are_marked_and_enough_are_judged(rec):
    for day in range(1, MIN_CASES + 1):
        check(rec, "Sam Patel", date(2026, 10, day))
        check(rec, "Sam Patel", date(2026, 9, day), fail=day == 1)
    check(rec, "Amy Stone", date(2026, 10, 6))
    people = tables(rec.report.build(OCT), "Quality")[0]
    assert not row(people, "Sam Patel")[6].endswith(FEW)  # five checks on each side
    assert row(people, "Amy Stone")[6] == "no figure to compare"
    assert FEW in render(rec.report.build(OCT), "md")


# -- improvement actions -------------------------------------------------------------------------------------
def test_improvement_actions_are_the_improvement_services_own_sentences(rec, monkeypatch):
    monkeypatch.setattr(rec.improvement, "report_lines", lambda window: [f"IA-0001 Fewer late parcels ({window.name})"])
    blocks = section(rec.report.build(OCT), "Improvement actions")
    assert blocks == [("li", "IA-0001 Fewer late parcels (2026-10)")]
    monkeypatch.setattr(rec.improvement, "report_lines", lambda window: [])
    assert section(rec.report.build(OCT), "Improvement actions") == [("p", NO_IMPROVEMENT)]


def test_with_no_improvement_actions_the_section_says_there_are_none(rec):
    assert rec.improvement.repo.all() == []
    assert section(rec.report.build(OCT), "Improvement actions") == [("p", NO_IMPROVEMENT)]


# -- typed text ------------------------------------------------------------------------------------------------
class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}


def hostile(rec: Records) -> Records:
    """A member, a category and a root cause named to attack every printer (written as an old or hand-edited
    record would be, past the domain's own checks)."""
    sam = rec.team.get(member(rec, "Sam Patel"))
    rec.store.update("members", sam.saved_id, {"name": HOSTILE}, sam.version, "hostile")
    check(rec, "Amy Stone", date(2026, 10, 6))
    rec.quality.checks.create(
        rec.quality.checks.all()[0].model_copy(update={"id": None, "member_id": sam.saved_id, "version": 0})
    )
    typed = complaint(rec, date(2026, 10, 5), "delivery", stage="closed", responded_on=date(2026, 10, 9))
    rec.store.update("complaints", typed.saved_id, {"category": HOSTILE, "root_cause": HOSTILE}, typed.version, "x")
    return rec


def test_hostile_text_is_text_in_the_markdown(rec):
    md = render(hostile(rec).report.build(OCT), "md")
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 1 + len(SECTIONS) + sum(
        kind == "h3" for s in rec.report.build(OCT).sections for kind, _ in s.blocks
    )
    inline = [child for t in tokens if t.type == "inline" for child in t.children or []]
    assert {child.type for child in inline} <= {"text", "softbreak", "hardbreak"}  # no link, image or HTML
    assert not {t.type for t in tokens} & {"html_block", "code_block", "fence", "blockquote_open"}
    assert not raw_controls(md)
    for table in [line for line in md.splitlines() if line.startswith("|")]:
        assert len([c for c in table.split("|")]) >= 3
    cells = "".join(child.content for child in inline)
    assert "[bold]Zoe[/] <script>alert(1)</script> =SUM(1) |pipe| \\x1b[31mred \\u202eevil" in cells


def test_hostile_text_is_text_in_the_html_and_its_charts(rec):
    html = render(hostile(rec).report.build(OCT), "html")
    page = Page()
    page.feed(html)
    assert page.tags <= {
        *("html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li"),
        *("table", "tr", "th", "td", "br", "svg", "rect", "text", "line", "polyline", "circle"),
    }, page.tags
    assert not any(a.startswith("on") or a in ("href", "src", "xlink:href") for a in page.attrs), page.attrs
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    assert not raw_controls(html)


def test_a_save_in_the_middle_of_a_read_is_read_again_so_the_head_is_the_reports_source(rec, monkeypatch):
    sections, reads = rec.report._sections, []

    def read(window, previous):
        reads.append(rec.store.head_text())
        if len(reads) == 1:  # another supervisor's check lands while the report is being read
            check(rec, "Amy Stone", date(2026, 10, 6))
        return sections(window, previous)

    monkeypatch.setattr(rec.report, "_sections", read)
    report = rec.report.build(OCT)
    assert len(reads) == 2 and report.head == rec.store.head_text() != reads[0]
    assert row(tables(report, "Quality")[0], "Amy Stone")[1] == "1 (previous 0)"
