"""The whole-person evidence pack and a customer's export, through the service, on the demo data and on
records made for the purpose: every section with a value from it, other people's data left out, typed
text inert, erased values shown by their note, sealed records read."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.complaints import Complaint
from supervisor_tui.domain.fields import name_key
from supervisor_tui.domain.one_to_ones import Meeting
from supervisor_tui.domain.people import Member
from supervisor_tui.domain.retention import COMPLAINT_CUSTOMER, MEMBER_DETAILS, ONE_TO_ONES, marker, stand_ins
from supervisor_tui.domain.rota import Leave, Shift
from supervisor_tui.output import document, md_line
from supervisor_tui.services import Records
from supervisor_tui.storage import Erasure, Store

SECTIONS = [
    "Their details",
    "Quality checks",
    "One-to-ones",
    "Objectives",
    "Agreed actions",
    "Improvement plans",
    "Complaints they were involved in",
    "Shifts",
    "Working-time problems",
    "Briefings attended or missed",
    "Leave",
    "Improvement actions they suggested or own",
]
MD = MarkdownIt("commonmark")


def h2s(text: str) -> list[str]:
    return re.findall(r"(?m)^## (.*)$", text)


def plan_member(records: Records) -> Member:
    """The demo's one member with an improvement plan: every other section has something of theirs too."""
    return records.team.get(records.one_to_ones.plans.all()[0].member_id)


@pytest.fixture
def jack(demo_records) -> Member:
    """The plan member, with the two things the demo gives someone else: leave, and a rota that breaks
    the daily rest (WTR reg 10: 8 hours between 23:00 and 07:00)."""
    member = plan_member(demo_records)
    shifts = demo_records.shifts
    assert not [s for s in shifts.shifts.all() if s.member_id == member.id and s.day >= date(2026, 12, 14)]
    for day, start, end in ((date(2026, 12, 14), time(15), time(23)), (date(2026, 12, 15), time(7), time(12))):
        shifts.add(Shift(member_id=member.saved_id, day=day, start=start, end=end, position="tills"))
    shifts.add_leave(
        Leave(member_id=member.saved_id, first_day=date(2026, 12, 21), last_day=date(2026, 12, 24), kind="annual leave")
    )
    return member


def test_the_pack_covers_every_section_with_what_the_record_holds(demo_records, jack):
    records = demo_records
    pack = records.evidence.person_pack(jack.name, None, None, "md")
    assert h2s(pack) == SECTIONS
    assert pack.startswith(f"# Evidence pack: {jack.name} ({jack.id})")
    assert records.store.head_text() in pack and "'supervisor-tui verify --head' proves the record since" in pack
    assert "Period: the start to date" in pack
    # their details
    for line in (
        f"- Job title: {jack.job_title}",
        f"- Contract hours: {jack.contract_hours:g} a week",
        f"- Date of birth: {jack.date_of_birth:%d/%m/%Y}",
        f"- Start date: {jack.start_date:%d/%m/%Y}",
        "- Left on: still in the team",
        f"- Line manager: {jack.line_manager}",
        f"- Development goals: {'; '.join(jack.development_goals)}",
    ):
        assert line in pack, line
    assert all(md_line(skill) in pack for skill in jack.skills)
    # quality checks, with scores, result and feedback
    check = records.quality.checks_for(jack.saved_id)[-1]  # the oldest
    assert f"### {check.id} on {check.date:%d/%m/%Y}" in pack and f"Strengths: {check.strengths}" in pack
    assert "against a pass mark of 80%: pass" in pack and re.search(r"(?m)^- .* — .*: [0-3]/3$", pack)
    # one-to-ones, objectives, actions, plans
    meeting = records.one_to_ones.meetings_for(jack.saved_id)[0]
    assert f"· {meeting.id}" in pack and f"Their view: {meeting.member_view}" in pack
    assert "read and agreed on" in pack
    objective = next(o for o in records.one_to_ones.objectives.all() if o.member_id == jack.id)
    assert objective.text in pack
    action = next(a for a in records.one_to_ones.actions.all() if a.member_id == jack.id)
    assert f"- {action.id} {action.what}" in pack
    plan = records.one_to_ones.plans.all()[0]
    assert f"### {plan.id} from {plan.started_on:%d/%m/%Y}" in pack and plan.issues[0].text in pack
    # complaints: the complaint's facts, not the customer's
    complaint = records.complaints.involving(jack.saved_id)[0]
    assert f"### {complaint.id} received" in pack and complaint.summary in pack
    # shifts by month, the working-time problem, briefings, leave
    assert re.search(r"(?m)^- November 2026: \d+ shift\(s\), \d+h \d+m working time", pack)
    assert "- December 2026: 2 shift(s), 13h 0m working time (2 planned after today)" in pack
    assert re.search(
        r"(?m)^- .*, S-\d+ Tue 15/12/2026 07:00-12:00 tills, WTR 1998 reg 10: .*8h 0m consecutive rest", pack
    )
    attended = next(b for b in records.shifts.briefings.all() if jack.id in b.attended)
    assert f"- {attended.day:%a %d/%m/%Y}: attended" in pack
    assert "21/12/2026 to 24/12/2026: annual leave" in pack
    # each record's change history: when, who, what, why
    assert "Change history:" in pack
    who = records.store.actor.login
    assert f"{who}: created (agreed in {meeting.id})" in pack
    assert f"{who}: changed done on, status (done, reviewed in O-" in pack


def test_a_missed_briefing_says_whether_they_were_caught_up(demo_records):
    records = demo_records
    briefing = next(b for b in records.shifts.briefings.all() if b.caught_up)
    member_id, caught_on = next(iter(briefing.caught_up.items()))
    pack = records.evidence.person_pack(records.team.get(member_id).name, None, None, "md")
    assert f"{briefing.day:%a %d/%m/%Y}: missed; caught up on {caught_on:%d/%m/%Y}" in pack
    missed = next(
        (b, m) for b in records.shifts.briefings.all() for m in b.still_to_catch_up(records.shifts.on_shift(b.day))
    )
    pack = records.evidence.person_pack(records.team.get(missed[1]).name, None, None, "md")
    assert f"{missed[0].day:%a %d/%m/%Y}: missed; not caught up yet" in pack


def test_the_period_narrows_every_dated_section(demo_records, jack):
    records = demo_records
    checks = records.quality.checks_for(jack.saved_id)
    pack = records.evidence.person_pack(jack.name, "01/11/2026", "30/11/2026", "md")
    assert "Period: 01/11/2026 to 30/11/2026" in pack
    assert all((f"### {c.id} on" in pack) == (c.date >= date(2026, 11, 1)) for c in checks)
    assert "August 2026" not in pack and "December 2026" not in pack and "None in the period." in pack
    assert h2s(pack) == SECTIONS  # the sections are there, empty or not


def test_no_customer_name_or_contact_reaches_a_members_pack(demo_records):
    records = demo_records
    complaints = records.complaints.repo.all()
    for member in records.team.members(include_inactive=True):
        if not records.complaints.involving(member.saved_id):
            continue
        for fmt in ("md", "html"):
            pack = records.evidence.person_pack(member.name, None, None, fmt)
            assert "third parties" in pack and "Sch. 2 para 16" in pack
            for c in complaints:
                assert c.customer_contact not in pack, (member.name, c.id)
                assert c.customer_name not in pack, (member.name, c.id)
                assert f"wanted: {c.wants}" not in pack and "Contact:" not in pack


def test_a_customer_quoted_in_the_complaint_text_is_withheld(records):
    sam = records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=30, date_of_birth=date(1990, 4, 3)))
    records.complaints.log(
        Complaint(
            received_at="2025-01-06T10:00:00Z",
            channel="phone",
            customer_name="Mrs Olga Nowicka",
            customer_contact="olga@example.org",
            category="staff",
            summary="Mrs Nowicka says Sam was short with her; OLGA  NOWICKA wants a call on olga@example.org",
            wants="a call back from the manager",
            member_ids=[sam.saved_id],
        )
    )
    pack = records.evidence.person_pack("Sam Patel", None, None, "md")
    assert "Nowicka" not in pack and "olga" not in pack.lower() and "a call back" not in pack
    assert "Mrs \\[the customer\\] says Sam was short with her; \\[the customer\\] wants a call on" in pack
    assert "\\[contact withheld\\]" in pack


def test_a_complaint_whose_customer_was_erased_reads_whole_in_a_members_pack(demo_records):
    """The erased name is the erasure's note ('erased on 24/11/2026 (...)'): taken for the customer's
    name, every 'erased', 'on' and date in the complaint was shown as '[the customer]', the change
    history's erasure line included ('Tue [the customer] 05:59 root: [the customer] customer contact')."""
    records = demo_records
    service = records.data_protection
    asking = {r.requester for r in records.subject_access.repo.all() if r.is_open}  # their erasure waits (s.173)
    customer = next(
        c.customer_name for c in records.complaints.closed() if c.member_ids and c.customer_name not in asking
    )
    service.erase(service.for_customer(customer).items, "erasure request received on 20/11/2026")
    complaint = next(c for c in records.complaints.repo.all() if c.member_ids and "customer_name" in c.erased)
    member = records.team.get(complaint.member_ids[0])
    pack = records.evidence.person_pack(member.name, None, None, "md")
    section = pack[pack.index(f"### {complaint.id} ") :]
    section = section[: section.index("\n#", 4)]  # up to the next complaint or section
    assert "\\[the customer\\]" not in section
    assert "What happened: erased on 22/11/2026 (erasure request received on 20/11/2026)" in section
    assert re.search(
        r"16:00 root: erased customer contact, customer name, .* \(erasure request received on 20/11/2026\)", section
    )


def test_a_customers_export_holds_their_complaints_and_no_one_elses(demo_records):
    records = demo_records
    name = "Mrs J Smith"
    theirs = [c for c in records.complaints.repo.all() if c.customer_name == name]
    others = [c for c in records.complaints.repo.all() if name_key(c.customer_name) != name_key(name)]
    assert len(theirs) == 2 and others
    export = records.evidence.customer_export("  mrs j   SMITH ", "md")  # any case, any spacing
    assert export == records.evidence.customer_export(name, "md")
    for c in theirs:
        assert f"## Complaint {c.id}" in export and f"- Contact: {c.customer_contact}" in export
        assert f"- What happened: {c.summary}" in export and f"- What you wanted: {c.wants}" in export
        assert all(event.what in export for event in c.history)
    assert "Change history:" in export and "created (imported from the old log)" in export
    for c in others:
        assert c.id not in export and c.customer_name not in export and c.customer_contact not in export
    assert "2 different contact details" in (records.evidence.contact_warning(theirs) or "")
    with pytest.raises(ValueError, match="--customer: no complaint"):
        records.evidence.customer_export("Nobody Atall", "md")


# -- typed text, whatever it holds, stays text -----------------------------------------------------------
HOSTILE = [
    "<script>alert(1)</script>",
    "[b]markup[/b]",
    "# heading",
    '=HYPERLINK("http://evil","x")',
    "\x1b[2J\x1b[31mRED",
    "![img](http://x/y.png) [link](http://x)",
    "\u202eevil",
]


@pytest.fixture
def hostile(records) -> Records:
    """A member, a meeting and a complaint whose typed text is hostile, written straight to the store (as
    an old or hand-edited record would hold it: the domain refuses some of it on entry today)."""
    sam = records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=30, date_of_birth=date(1990, 4, 3)))
    meeting = records.one_to_ones.record_meeting(Meeting(member_id=sam.saved_id, held_on=date(2025, 1, 6)), [], {}, {})
    complaint = records.complaints.log(
        Complaint(
            received_at="2025-01-06T10:00:00Z",
            channel="phone",
            customer_name="Mr A Khan",
            category="staff",
            summary="x",
            member_ids=[sam.saved_id],
        )
    )
    store, text = records.store, "\n".join(HOSTILE)
    with store.transaction() as txn:
        txn.update("members", sam.saved_id, {"name": HOSTILE[0], "notes": text, "job_title": HOSTILE[1]}, 1)
        txn.update("meetings", meeting.saved_id, {"member_view": text, "notes": HOSTILE[2]}, 1)
        txn.update("complaints", complaint.saved_id, {"customer_name": HOSTILE[3], "summary": text}, 1)
    return records


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def test_hostile_text_is_inert_in_markdown_and_html(hostile):
    evidence = hostile.evidence
    member_id = hostile.team.members()[0].saved_id
    for blocks in (
        evidence.person_blocks(member_id, None, None),
        evidence.customer_blocks(evidence.customer_complaints(HOSTILE[3])),
    ):
        md = document(blocks, "md")
        tokens = MD.parse(md)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert len(headings) == sum(kind.startswith("h") for kind, _ in blocks)  # ours, and only ours
        inline = [child.type for t in tokens if t.type == "inline" for child in t.children or []]
        assert set(inline) <= {"text", "softbreak", "hardbreak"}  # no link, image, HTML or emphasis
        assert not {t.type for t in tokens} & {"html_block", "code_block", "fence", "hr", "blockquote_open"}
        assert "\x1b" not in md and "\u202e" not in md and "\\x1b\\[2J" in md
        assert "\\[b\\]markup\\[/b\\]" in md and "\\# heading" in md
        html = document(blocks, "html")
        page = Tags()
        page.feed(html)
        assert page.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li", "br"}
        assert "<script" not in html and "&lt;script&gt;" in html and "\x1b" not in html and "\\x1b[2J" in html
        assert "\\u202eevil" in html
        # a spreadsheet formula in an HTML or Markdown document is text: shown as typed, escaped
        assert "=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)" in html


# -- erased values ---------------------------------------------------------------------------------------
def test_an_erased_leaver_renders_with_the_notes_their_erasure_left(demo_records, jack):
    records = demo_records
    note = marker(date(2026, 11, 22), "left in 2019; retention schedule")
    member = records.team.get(jack.saved_id)
    meetings = records.one_to_ones.meetings_for(jack.saved_id)
    complaint = records.complaints.involving(jack.saved_id)[0]
    records.store.erase(
        [
            Erasure("members", jack.saved_id, stand_ins(member, MEMBER_DETAILS, note)),
            *(Erasure("meetings", m.saved_id, stand_ins(m, ONE_TO_ONES, note)) for m in meetings),
            Erasure("complaints", complaint.saved_id, stand_ins(complaint, COMPLAINT_CUSTOMER, note)),
        ],
        "retention schedule",
    )
    erased = records.team.get(jack.saved_id)
    assert erased.date_of_birth is None and erased.name == f"Former member {jack.saved_id}"
    for fmt in ("md", "html"):
        pack = records.evidence.person_pack(erased.name, None, None, fmt)
        assert "Date of birth: erased on 22/11/2026 (left in 2019; retention schedule)" in pack
        assert "Erased on 22/11/2026 (left in 2019; retention schedule): name, date of birth, skills" in pack
        assert "feedback, their view, notes, their disagreement, agenda." in pack  # each meeting says what went
        assert f"{records.store.actor.login}: erased date of birth, development goals" in pack  # in the history
        assert meetings[0].member_view not in pack and jack.name not in pack


def test_a_member_erased_before_these_notes_existed_still_renders(records):
    """A record with date_of_birth None and nothing else said (edited outside the app, or erased by an older
    version) is shown, not a crash."""
    sam = records.team.add(Member(name="Sam Patel", job_title="CSA", contract_hours=30, date_of_birth=date(1990, 4, 3)))
    records.store.update("members", sam.saved_id, {"date_of_birth": None}, sam.version)
    pack = records.evidence.person_pack("Sam Patel", None, None, "md")
    assert "- Date of birth: not recorded" in pack


# -- sealed records ----------------------------------------------------------------------------------------
class Moving:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_sealed_records_are_in_the_pack_where_the_period_reaches_them(tmp_path):
    moving = Moving()
    records = Records(Store(str(tmp_path / "team.json"), clock=moving), Clock(source=moving))
    sam = records.team.add(
        Member(name="Sam Patel", job_title="CSA", contract_hours=37.5, date_of_birth=date(1990, 4, 3))
    )
    start = date(2025, 1, 6)
    for week in range(40):
        monday = start + timedelta(weeks=week)
        moving.now = datetime.combine(monday - timedelta(days=3), time(9), tzinfo=UTC)
        records.shifts.add(Shift(member_id=sam.saved_id, day=monday, start=time(9), end=time(17), position="tills"))
        if week == 5:  # written as it happened, so every change to it is before the cut-off
            moving.now = datetime.combine(monday, time(17), tzinfo=UTC)
            old = records.one_to_ones.record_meeting(
                Meeting(member_id=sam.saved_id, held_on=monday, notes="An old conversation"), [], {}, {}
            )
    moving.now = datetime(2025, 11, 20, 9, tzinfo=UTC)
    records.sealing.seal(date(2025, 6, 2), "yearly")
    assert old.id not in {m.id for m in records.one_to_ones.meetings.all()}  # sealed: not live any more
    pack = records.evidence.person_pack("Sam Patel", None, None, "md")
    assert f"· {old.id}" in pack and "Notes: An old conversation" in pack and "- February 2025: 4 shift(s)" in pack
    assert "Change history:" in pack.split(old.id, 1)[1]  # its history is read from the sealed segment
    later = records.evidence.person_pack("Sam Patel", "01/07/2025", None, "md")
    assert old.id not in later and "February 2025" not in later and "- July 2025: 4 shift(s)" in later


def test_the_pack_is_written_to_the_users_own_folder_readable_by_them_only(demo_records):
    import os
    import stat

    member = plan_member(demo_records)
    path = demo_records.evidence.save_person_pack(member.saved_id)
    assert str(path).startswith(os.environ["XDG_DATA_HOME"]) and path.name.startswith(f"evidence-pack-{member.id}-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert f"Evidence pack: {member.name}" in path.read_text(encoding="utf-8")
