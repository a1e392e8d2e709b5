"""Today: what needs the supervisor's attention, from every section, most urgent first.

Built from the other services alone (nothing of its own is stored): who is on shift now and next and the
day's cover, rota problems today and tomorrow, leave; the briefing; complaint clocks and follow-ups;
one-to-one actions, notes and improvement-plan reviews; quality checks due this month; improvement
actions whose review is due or whose decision waits; subject access requests due and personal data due
for erasure. The app's Today section and ``supervisor-tui today``
print the same lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from ..domain.coverage import shortfall_hours
from ..domain.dates import to_local
from ..domain.retention import ERASED_PERSON
from ..domain.rota import interval
from ..output import md_line, shorten

if TYPE_CHECKING:
    from . import Records

# How urgent a line is: what is already late, what is for today, what is coming this week, and what is
# only for information. The screen and the printout put them in this order.
Urgency = Literal[0, 1, 2, 3]
OVERDUE, TODAY, SOON, INFO = 0, 1, 2, 3
URGENCY_TITLES = {OVERDUE: "Overdue", TODAY: "Today", SOON: "Soon", INFO: "For information"}
URGENCY_MARKS = {OVERDUE: "!!", TODAY: "!", SOON: "·", INFO: ""}
# The parts, in the order a supervisor reads them within one urgency.
PARTS = ("Now", "Rota", "Briefing", "Complaints", "People", "Quality", "Improve", "Data")
# Where Enter on a line goes: (what kind of page, which record or day)
Target = tuple[str, str]
SOON_DAYS = 7
NOTES_AWAITING_DAYS = 30  # a 1:1 note not yet read by the person is listed this long after the meeting
LATE_NOTES_DAYS = 7  # a note written late is listed for a week, so it is seen once and then left to the 1:1 page


@dataclass(frozen=True)
class Line:
    """One thing for today: how urgent, which part of the job, what, and where Enter goes."""

    urgency: int
    part: str
    text: str
    target: Target | None = None

    @property
    def mark(self) -> str:
        return URGENCY_MARKS[self.urgency]


@dataclass(frozen=True)
class Today:
    """Every line for one day, most urgent first, and when it was worked out."""

    day: date
    at: datetime  # local time
    lines: list[Line]

    def counts(self) -> Counter[int]:
        return Counter(line.urgency for line in self.lines)

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts[u]} {URGENCY_TITLES[u].lower()}" for u in (OVERDUE, TODAY, SOON) if counts[u]]
        return ", ".join(parts) or "nothing needs doing"

    def render(self, fmt: str) -> str:
        """The same lines for a morning e-mail (md) or a wall screen or terminal (text). Typed text is
        made safe by the printer: the CLI shows control characters, Markdown keeps data out of markup."""
        title = f"Today, {self.day:%A %d %B %Y} (at {self.at:%H:%M}): {self.summary()}"
        out: list[str] = [f"# {md_line(title)}" if fmt == "md" else title]
        for urgency in (OVERDUE, TODAY, SOON, INFO):
            lines = [line for line in self.lines if line.urgency == urgency]
            if not lines:
                continue
            out.append("")
            out.append(f"## {URGENCY_TITLES[urgency]}" if fmt == "md" else f"{URGENCY_TITLES[urgency]}:")
            for line in lines:
                out.append(
                    f"- **{line.part}**: {md_line(line.text)}" if fmt == "md" else f"  {line.part:<10} {line.text}"
                )
        return "\n".join(out) + "\n"


class TodayService:
    """Reads every section's services for one day's lines. Slow parts (what is due for erasure reads every
    record) are the other services' own; the app calls this in a worker."""

    def __init__(self, records: Records):
        self.records = records

    def view(self, now: datetime | None = None) -> Today:
        records = self.records
        tz = records.clock.tz
        now = now or records.clock.now()
        local = to_local(now, tz)
        day = local.date()
        names = {m.saved_id: m.name for m in records.team.members(include_inactive=True)}
        lines = [
            *self._now_and_next(day, now, names),
            *self._rota(day, names),
            *self._briefing(day, names),
            *self._complaints(day),
            *self._people(day, names),
            *self._quality(day),
            *self._improvement(day),
            *self._data(day),
        ]
        lines.sort(key=lambda line: (line.urgency, PARTS.index(line.part)))
        return Today(day, local, lines)

    # -- now and next ---------------------------------------------------------------------------
    def _now_and_next(self, day: date, now: datetime, names: dict[str, str]) -> list[Line]:
        shifts = self.records.shifts
        tz = self.records.clock.tz
        target: Target = ("day", day.isoformat())
        spans = [interval(s, tz) for s in shifts.between(day - timedelta(days=1), day)]
        on_now = sorted((i for i in spans if i.begin <= now < i.finish), key=lambda i: i.finish)
        later = sorted((i for i in spans if i.begin > now and i.shift.day == day), key=lambda i: i.begin)
        out: list[Line] = []

        def who(i) -> str:
            name = _who(names, i.shift.member_id)
            return f"{name} ({i.shift.position} to {i.shift.end:%H:%M})"

        if on_now:
            out.append(
                Line(TODAY, "Now", f"On shift now ({len(on_now)}): " + ", ".join(who(i) for i in on_now), target)
            )
        elif spans:
            out.append(Line(TODAY, "Now", "No one is on shift right now", target))
        if later:
            first = later[0].begin
            starting = [i for i in later if i.begin == first]
            names_next = ", ".join(f"{_who(names, i.shift.member_id)} ({i.shift.position})" for i in starting)
            more = f"; {len(later) - len(starting)} more later" if len(later) > len(starting) else ""
            out.append(Line(TODAY, "Now", f"Next at {to_local(first, tz):%H:%M}: {names_next}{more}", target))
        if shifts.has_demand():
            cover = shifts.coverage(day)
            short = shortfall_hours(cover)
            if short:
                by_position = Counter[str]()
                for c in cover:
                    if c.gap < 0:
                        by_position[c.position] -= c.gap
                worst = ", ".join(f"{p} {h}" for p, h in by_position.most_common(4))
                out.append(Line(TODAY, "Now", f"Cover today is {short} person-hours short ({worst})", target))
            else:
                out.append(Line(INFO, "Now", "Cover today meets demand", target))
        away = [entry for entry in shifts.leave_between(day, day) if entry.covers(day) and not entry.voided]
        if away:
            text = ", ".join(f"{_who(names, e.member_id)} ({e.kind} to {e.last_day:%d/%m})" for e in away)
            out.append(Line(INFO, "Now", f"On leave today: {text}", target))
        return out

    def _rota(self, day: date, names: dict[str, str]) -> list[Line]:
        shifts = self.records.shifts
        out = []
        for problem in shifts.problems(day, day + timedelta(days=1)):
            if problem.day not in (day, day + timedelta(days=1)):
                continue
            urgency = (OVERDUE if problem.is_law else TODAY) if problem.day == day else SOON
            when = "today" if problem.day == day else "tomorrow"
            who = _who(names, problem.member_id)
            rule = problem.rule.text(self.records.settings.region)
            out.append(
                Line(urgency, "Rota", f"{when}: {who}, {rule}: {problem.reason}", ("day", problem.day.isoformat()))
            )
        return out

    # -- the briefing ---------------------------------------------------------------------------
    def _briefing(self, day: date, names: dict[str, str]) -> list[Line]:
        shifts = self.records.shifts
        on_shift = shifts.on_shift(day)
        target: Target = ("briefing", day.isoformat())
        out = []
        if on_shift:
            briefing = shifts.briefing_for(day)
            if briefing is None:
                out.append(Line(TODAY, "Briefing", "Today's briefing is not recorded yet", target))
            else:
                missing = briefing.still_to_catch_up(on_shift)
                if missing:
                    who = ", ".join(_who(names, m) for m in missing)
                    out.append(Line(TODAY, "Briefing", f"Not briefed yet today: {who} (a catch-up is due)", target))
        week_ago = day - timedelta(days=SOON_DAYS)
        late: dict[date, list[str]] = {}
        for briefing, member_id in shifts.catch_ups_due(week_ago, day - timedelta(days=1)):
            late.setdefault(briefing.day, []).append(_who(names, member_id))
        for when, people in sorted(late.items()):
            out.append(
                Line(
                    SOON,
                    "Briefing",
                    f"Catch-up on the {when:%a %d/%m} briefing still due: {', '.join(people)}",
                    ("briefing", when.isoformat()),
                )
            )
        return out

    # -- complaints -----------------------------------------------------------------------------
    def _complaints(self, day: date) -> list[Line]:
        service = self.records.complaints
        out = []
        for c in service.open_by_urgency(day):
            target: Target = ("complaint", c.saved_id)
            who = shorten(c.customer_name, 30)
            for clock in service.clocks(c, day):
                if clock.met_on is not None or clock.status in ("met", "met late", "paused"):
                    continue
                if clock.status == "breached":
                    urgency, said = OVERDUE, f"{clock.name} breached (was due {clock.due:%a %d/%m})"
                elif clock.due == day:
                    urgency, said = TODAY, f"{clock.name} due today"
                elif clock.status == "at risk":
                    urgency, said = SOON, f"{clock.name} at risk (due {clock.due:%a %d/%m})"
                else:
                    continue
                out.append(Line(urgency, "Complaints", f"{c.id} {who}: {said}", target))
            follow = service.follow_up(c, day)
            if follow == "follow-up late":
                out.append(
                    Line(
                        OVERDUE,
                        "Complaints",
                        f"{c.id} {who}: follow-up call late (was {c.follow_up_on:%a %d/%m})",
                        target,
                    )
                )
            elif follow == "follow up today":
                out.append(Line(TODAY, "Complaints", f"{c.id} {who}: follow-up call due today", target))
        return out

    # -- people ---------------------------------------------------------------------------------
    def _people(self, day: date, names: dict[str, str]) -> list[Line]:
        service = self.records.one_to_ones
        week_end = day + timedelta(days=SOON_DAYS - 1)
        out = []
        # One line per person and urgency: a team with a backlog sees who is behind, not a wall of actions.
        actions: dict[tuple[int, str], list] = {}
        for action in service.actions.all():
            if action.status != "open" or action.due > week_end:
                continue
            urgency = OVERDUE if action.due < day else TODAY if action.due == day else SOON
            actions.setdefault((urgency, action.member_id), []).append(action)
        for (urgency, member_id), theirs in sorted(actions.items(), key=lambda kv: min(a.due for a in kv[1])):
            theirs.sort(key=lambda a: a.due)
            first = theirs[0]
            when = (
                f"overdue since {first.due:%d/%m}"
                if urgency == OVERDUE
                else "due today"
                if urgency == TODAY
                else f"due {first.due:%a %d/%m}"
            )
            owner = " (yours)" if all(a.owner != "member" for a in theirs) else ""
            count = f"{len(theirs)} actions" if len(theirs) > 1 else "action"
            more = f" (+{len(theirs) - 1} more)" if len(theirs) > 1 else ""
            out.append(
                Line(
                    urgency,
                    "People",
                    f"{_who(names, member_id)}: {count} {when}{owner}: {first.what}{more}",
                    ("one_to_ones", member_id),
                )
            )
        for plan in service.plans.all():
            if plan.status != "open":
                continue
            name = _who(names, plan.member_id)
            for review in plan.reviews_due(week_end):
                urgency = OVERDUE if review.due < day else TODAY if review.due == day else SOON
                out.append(
                    Line(
                        urgency,
                        "People",
                        f"{name}: improvement-plan review due {review.due:%a %d/%m}",
                        ("one_to_ones", plan.member_id),
                    )
                )
        for meeting in service.meetings.all():
            if meeting.held_on < day - timedelta(days=NOTES_AWAITING_DAYS):
                continue
            name = _who(names, meeting.member_id)
            target = ("one_to_ones", meeting.member_id)
            if meeting.acknowledged_on is None:
                out.append(
                    Line(
                        SOON, "People", f"{name}: notes of the {meeting.held_on:%d/%m} 1:1 not yet read by them", target
                    )
                )
            days, late = service.note_promptness(meeting)
            if late and meeting.held_on >= day - timedelta(days=LATE_NOTES_DAYS):
                out.append(
                    Line(
                        SOON,
                        "People",
                        f"{name}: notes of the {meeting.held_on:%d/%m} 1:1 written {days} working days later "
                        "(write them within two)",
                        target,
                    )
                )
        return out

    # -- quality --------------------------------------------------------------------------------
    def _quality(self, day: date) -> list[Line]:
        quality = self.records.quality
        target_count = quality.settings().checks_per_month
        if not target_count:
            return []
        month_start = day.replace(day=1)
        next_month = (month_start + timedelta(days=32)).replace(day=1)
        days_left = (next_month - day).days
        done = Counter(c.member_id for c in quality.between(month_start, day) if not c.calibration and not c.voided)
        short = [(m, done[m.saved_id]) for m in self.records.team.members() if done[m.saved_id] < target_count]
        if not short:
            return []
        urgency = TODAY if days_left <= 3 else SOON
        left = f"{days_left} day(s) left this month"
        if len(short) <= 3:  # a few people: a line each, opening their checks
            return [
                Line(
                    urgency,
                    "Quality",
                    f"{m.name}: {have} of {target_count} quality checks done ({left})",
                    ("quality", m.saved_id),
                )
                for m, have in short
            ]
        who = ", ".join(f"{m.name} {have}" for m, have in short)
        return [
            Line(
                urgency,
                "Quality",
                f"{len(short)} people have fewer than {target_count} quality checks ({left}): {who}",
                ("section", "quality"),
            )
        ]

    # -- improvement actions --------------------------------------------------------------------
    def _improvement(self, day: date) -> list[Line]:
        """Reviews late, due today or this week, and reviews whose decision (adopt, adjust, abandon) waits:
        'neglecting to follow up' is what the cycle's check and act are for."""
        out = []
        for action in self.records.improvement.reviews_due(day):
            what = f"{action.id} {shorten(action.title, 40)}"
            if action.stage == "check":
                urgency, said = TODAY, f"reviewed {action.checked_on:%d/%m}: decide to adopt, adjust or abandon"
            elif action.review_on < day:
                urgency, said = OVERDUE, f"review was due {action.review_on:%a %d/%m}"
            else:
                urgency = TODAY if action.review_on == day else SOON
                said = "review due today" if urgency == TODAY else f"review due {action.review_on:%a %d/%m}"
            if action.stage == "plan":  # never told to the team: there is nothing to measure yet
                said += "; not yet told to the team at a briefing"
            out.append(Line(urgency, "Improve", f"{what}: {said}", ("improvement", action.saved_id)))
        return out

    # -- data protection ------------------------------------------------------------------------
    def _data(self, day: date) -> list[Line]:
        out = []
        for view in self.records.subject_access.due_soon(day, SOON_DAYS):
            request = view.request
            due = view.deadline.due if view.deadline else day
            urgency = OVERDUE if view.overdue else TODAY if due == day else SOON
            out.append(
                Line(
                    urgency,
                    "Data",
                    f"{view.id} {request.requester}: subject access request {view.left} (due {due:%a %d/%m}, "
                    "UK GDPR Art. 12(3))",
                    ("sar", view.id),
                )
            )
        groups = self.records.data_protection.due(day)
        items = sum(len(g.items) for g in groups)
        if items:
            people = sum(1 for g in groups if g.items)
            out.append(
                Line(
                    SOON,
                    "Data",
                    f"{items} record(s) in {people} group(s) due for erasure under the retention schedule",
                    ("section", "data_protection"),
                )
            )
        return out


def _who(names: dict[str, str], member_id: str) -> str:
    """A member's name; their id if they are not on the team; '(erased)' for a rota line whose person was
    erased under the retention schedule."""
    return names.get(member_id) or member_id or ERASED_PERSON


__all__ = ["INFO", "OVERDUE", "SOON", "TODAY", "Line", "Today", "TodayService"]
