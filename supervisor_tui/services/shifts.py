"""Rota use cases: shifts, leave and positions in the store, checked by the domain's rules."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from supervisor_tui.storage import Store

from ..domain.allocation import Candidate, rank_candidates
from ..domain.briefing import Briefing
from ..domain.clock import Clock
from ..domain.coverage import Cover, Demand, coverage
from ..domain.dates import elapsed_hours, iso_week, parse_time, week_start
from ..domain.numbers import whole_number
from ..domain.people import Member
from ..domain.retention import ERASED_PERSON
from ..domain.rota import DEFAULT_POSITIONS, Interval, Leave, Position, Problem, Rule, Shift, pattern_days
from ..domain.rota_check import RotaFacts, check_rota
from ..domain.working_time import REFERENCE_WEEKS, TeamRules, working_time_problems
from ..output import csv_text, html_text, md_line, md_table
from .base import Grouped, Repository, as_stored, record_number
from .csvio import read_rows
from .imports import Identity, Imported, sort_rows
from .settings import TeamSettingsService
from .team import TeamService

SHIFT_CSV_REQUIRED = ["person", "date", "start", "end", "position"]
ROTA_CSV_COLUMNS = ["person", "date", "day", "start", "end", "position", "hours", "break_minutes"]
# Our own rota export imports back: its 'day' and 'hours' columns are checked against the shift.
SHIFT_CSV_OPTIONAL = ["break_minutes", "reason", "day", "hours"]

# The history the rota rules read around the days they check: check_rota looks back REFERENCE_WEEKS + 1
# weeks (the 48-hour average) and on 3 weeks (a fortnight's weekly rest), ranking 4 weeks back for
# fairness. Shifts outside these bounds cannot change a result; two weeks' margin either side.
RULES_LOOK_BACK = timedelta(weeks=REFERENCE_WEEKS + 3)
RULES_LOOK_AHEAD = timedelta(weeks=5)
PROBLEMS_KEPT = 32  # weeks of checked problems kept while nothing they read changes
PREVIEW_PROBLEMS = 4  # problems a bulk change's preview lists one by one (then: '… and 14 more')
PREVIEW_PEOPLE = 4  # people it names (then: '… and 5 others')
# The team's own rules in a preview's count ('20 overlapping, 4 over contract hours'); the law's by citation.
PROBLEM_KINDS = {
    Rule.overlap: "overlapping",
    Rule.on_leave: "during leave",
    Rule.skill: "missing a skill",
    Rule.buddy: "learner without a buddy",
    Rule.contract: "over contract hours",
}


@dataclass(frozen=True)
class Batch:
    """A bulk change to the rota (a recurring pattern, a copied week): what it would add, before it is
    saved, or what it holds, before it is voided. Its lines say so in words for the question asked."""

    what: str  # 'a recurring pattern', 'a copy of week 2026-W47', 'batch pattern-3f9a2c'
    shifts: list[Shift]
    people: list[str]  # names, in order
    problems: list[str] = field(default_factory=list)  # the rota problems it would add, described
    kinds: dict[str, int] = field(default_factory=dict)  # how many of each kind ('overlapping': 20)
    skipped: int = 0  # shifts left out because the very same shift is already on the rota

    @property
    def weeks(self) -> str:
        """'week 2026-W48', or 'weeks 2026-W48 to 2026-W51 (4 weeks)'."""
        weeks = sorted({iso_week(s.day) for s in self.shifts})
        if len(weeks) == 1:
            return f"week {weeks[0]}"
        return f"weeks {weeks[0]} to {weeks[-1]} ({len(weeks)} weeks)"

    def who(self) -> str:
        names = self.people[:PREVIEW_PEOPLE]
        more = len(self.people) - len(names)
        return ", ".join(names) + (f" and {more} other{'s' if more > 1 else ''}" if more else "")

    def summary(self) -> str:
        """'20 shifts for Sam Patel, weeks 2026-W48 to 2026-W51 (4 weeks)'."""
        count = len(self.shifts)
        return f"{count} shift{'s' if count != 1 else ''} for {self.who()}, {self.weeks}"

    def lines(self) -> list[str]:
        """The preview asked before saving: how many, who, which weeks, and the problems it would add."""
        lines = [f"Add {self.summary()}, from {self.what}?"]
        if self.skipped:
            lines.append(f"{self.skipped} already on the rota as they are would be skipped.")
        if not self.problems:
            lines.append("It would add no rota problems.")
            return lines
        count = len(self.problems)
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.kinds.items())
        lines.append(f"It would add {count} rota problem{'s' if count != 1 else ''} ({kinds}):")
        lines += [f"  {line}" for line in self.problems[:PREVIEW_PROBLEMS]]
        if count > PREVIEW_PROBLEMS:
            lines.append(f"  … and {count - PREVIEW_PROBLEMS} more (listed on the week once saved)")
        return lines


class KeptWorkingTime:
    """working_time_problems per person, kept while everything it reads is the same: the very same
    (cached, frozen) member, shift and leave models, the same days and the same team rules. A save
    re-checks the one person it changed instead of the whole team's history."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str | None, date, date], tuple[tuple, TeamRules, list[Problem]]] = {}

    def __call__(
        self, member: Member, spans: list[Interval], leave: list[Leave], first: date, last: date, rules: TeamRules
    ) -> list[Problem]:
        reads = (member, *(span.shift for span in spans), *(e for e in leave if e.member_id == member.id))
        key = (member.id, first, last)
        kept = self._kept.get(key)
        if kept is not None and kept[1] == rules and len(kept[0]) == len(reads):
            if all(a is b for a, b in zip(kept[0], reads, strict=True)):
                return list(kept[2])
        problems = working_time_problems(member, spans, leave, first, last, rules)
        if len(self._kept) >= 40 * PROBLEMS_KEPT:
            self._kept.clear()
        self._kept[key] = (reads, rules, problems)
        return list(problems)


class ShiftService:
    def __init__(self, store: Store, team: TeamService, clock: Clock, settings: TeamSettingsService):
        self.team = team
        self.clock = clock
        self.settings = settings
        self.shifts: Repository[Shift] = Repository(store, "shifts", "S", Shift, clock)
        self.leave: Repository[Leave] = Repository(store, "leave", "L", Leave, clock)
        self.positions: Repository[Position] = Repository(store, "positions", "P", Position, clock)
        self.briefings: Repository[Briefing] = Repository(store, "briefings", "B", Briefing, clock)
        self.demand: Repository[Demand] = Repository(store, "demand", "D", Demand, clock)
        # Live shifts by day, in rota order: a week is seven look-ups, kept up to date save by save.
        self._by_day: Grouped[Shift, date] = Grouped(
            self.shifts, key=lambda s: s.day, order=lambda s: (s.start, s.member_id, record_number(s.id))
        )
        self._problems: dict[tuple[date, date], tuple[tuple, list[Problem]]] = {}
        self._working_time = KeptWorkingTime()

    @property
    def tz(self) -> str:
        return self.clock.tz

    # -- reading -----------------------------------------------------------------------------
    def position_skills(self) -> dict[str, str]:
        """Each position and the skill it needs: the usual shop-floor set, plus or overridden by recorded ones."""
        return {**dict(DEFAULT_POSITIONS), **{p.name: p.skill for p in self.positions.all()}}

    def between(self, first: date, last: date) -> list[Shift]:
        """Shifts from ``first`` to ``last`` (not voided), by day, start and person. Days before the last
        seal's cut-off read the sealed shifts too: checking an old week's working time (its 17-week look-back),
        showing or exporting it."""

        def days(present: list[date]) -> list[date]:
            span = (last - first).days + 1
            if 0 < span <= len(present):
                return [first + timedelta(days=d) for d in range(span)]
            return sorted(d for d in present if first <= d <= last)

        live = self._by_day.select(days)
        sealed_before = self.shifts.sealed_before()
        if sealed_before is None or first >= sealed_before:
            return live
        live_ids = {s.id for s in live}
        older = [
            s
            for s in self.shifts.with_sealed(first)
            if first <= s.day <= last and s.id not in live_ids and not s.voided
        ]
        return sorted(live + older, key=lambda s: (s.day, s.start, s.member_id, record_number(s.id)))

    def facts(self, first: date | None = None, last: date | None = None) -> RotaFacts:
        """What the rota rules read; with ``first`` and ``last``, only the shifts that can matter to
        checking or filling those days (see RULES_LOOK_BACK), not every shift ever made."""
        members = {m.saved_id: m for m in self.team.members(include_inactive=True)}
        if first is None or last is None:
            shifts = self.shifts.all()
        else:
            shifts = self.between(first - RULES_LOOK_BACK, last + RULES_LOOK_AHEAD)
        return RotaFacts(members, shifts, self.leave.all(), self.position_skills(), self.rules())

    def rules(self) -> TeamRules:
        """The team's settings the working-time rules read (week start, weekly rest, region, zone)."""
        s = self.settings.current()
        return TeamRules(
            tz=self.tz,
            region=s.region,
            week_start_day=s.week_start_day,
            week_start_time=s.week_start_time,
            weekly_rest=s.weekly_rest,
            weekly_rest_includes_daily_rest=s.weekly_rest_includes_daily_rest,
        )

    def problems(self, first: date, last: date) -> list[Problem]:
        """Every rota problem from ``first`` to ``last``; worked out again only when something the
        rules read has changed (a save elsewhere in the record leaves them as they were)."""
        reads = (
            self.shifts.generation(),
            self.leave.generation(),
            self.positions.generation(),
            self.team.repo.generation(),
            self.rules(),
        )
        kept = self._problems.get((first, last))
        if kept is not None and kept[0] == reads:
            return list(kept[1])
        problems = check_rota(self.facts(first, last), first, last, self._working_time)
        if len(self._problems) >= PROBLEMS_KEPT:
            self._problems.clear()
        self._problems[(first, last)] = (reads, problems)
        return list(problems)

    def save_position(self, position: Position) -> Position:
        """Add a position, or change the skill an existing one needs (a new version, audited)."""
        current = next((p for p in self.positions.all() if p.name == position.name), None)
        if current is None:
            return self.positions.create(position)
        return self.positions.update(current.model_copy(update={"skill": position.skill}))

    def candidates(self, slot: Shift) -> list[Candidate]:
        return rank_candidates(self.facts(slot.day, slot.day), slot)

    def check_started(self, shift: Shift) -> None:
        """A shift cannot be before the person's start date (they were not working here yet)."""
        member = self.team.get(shift.member_id)
        if member.start_date and shift.day < member.start_date:
            raise ValueError(
                f"Date: {member.name} starts on {member.start_date:%d/%m/%Y}; a shift on "
                f"{shift.day:%d/%m/%Y} would be before they started"
            )

    def allocate(self, slot: Shift, candidate: Candidate) -> Shift:
        """Give the slot to a candidate, keeping why they were chosen with the shift."""
        return self.add(slot.model_copy(update={"member_id": candidate.member.id, "reason": candidate.summary()}))

    # -- bulk changes: previewed before they are saved, voided in one step ------------------------
    def copy_week(self, source_monday: date, target_monday: date) -> list[Shift]:
        """Copy one week's shifts onto another, same days and times, as one batch; identical ones
        already there are skipped."""
        copies, _ = self.plan_copy(source_monday, target_monday)
        return self._add_batch("copy", copies, f"copied from {iso_week(source_monday)}")

    def plan_copy(self, source_monday: date, target_monday: date) -> tuple[list[Shift], int]:
        """The shifts a week's copy would add (checked, not saved), and how many it skips as already there."""
        existing = {
            (s.member_id, s.day, s.start, s.end, s.position)
            for s in self.between(target_monday, target_monday + timedelta(days=6))
        }
        shift_by = target_monday - source_monday
        copies = [
            s.model_copy(update={"day": s.day + shift_by, "batch": ""})
            for s in self.between(source_monday, source_monday + timedelta(days=6))
            if s.member_id  # a shift whose person was erased (retention schedule) is no one's to copy
        ]
        kept = [c for c in copies if (c.member_id, c.day, c.start, c.end, c.position) not in existing]
        for copy in kept:
            self.check_started(copy)
        return kept, len(copies) - len(kept)

    def preview_copy(self, source_monday: date, target_monday: date) -> Batch:
        copies, skipped = self.plan_copy(source_monday, target_monday)
        return self._preview(f"a copy of week {iso_week(source_monday)}", copies, skipped)

    def add_pattern(self, template: Shift, weekdays: list[int], weeks: int) -> list[Shift]:
        """One shift on each chosen weekday for ``weeks`` weeks from the template's date, as one batch."""
        shifts = self.plan_pattern(template, weekdays, weeks)
        return self._add_batch("pattern", shifts, f"recurring: {len(shifts)} shifts over {weeks} week(s)")

    def plan_pattern(self, template: Shift, weekdays: list[int], weeks: int) -> list[Shift]:
        """The shifts a recurring pattern would add (checked, not saved)."""
        days = pattern_days(template.day, weekdays, weeks)
        if days:
            self.check_started(template.model_copy(update={"day": days[0]}))
        template = self.shifts.checked(template)
        return [template.model_copy(update={"day": d}) for d in days]

    def preview_pattern(self, template: Shift, weekdays: list[int], weeks: int) -> Batch:
        return self._preview("a recurring pattern", self.plan_pattern(template, weekdays, weeks))

    def _preview(self, what: str, shifts: list[Shift], skipped: int = 0) -> Batch:
        """How many, who, which weeks, and the rota problems the shifts would add, worked out by the
        same rules as the week's problems list, with and without them."""
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}
        people = sorted({names.get(s.member_id, s.member_id) for s in shifts})
        added = self._problems_added(shifts)
        kinds = Counter(self._kind(p.rule) for p in added)
        return Batch(what, shifts, people, [self._line(p, names) for p in added], dict(kinds.most_common()), skipped)

    def _kind(self, rule: Rule) -> str:
        """A kind of problem in a word or two: 'overlapping', or the law's citation ('WTR 1998 reg 10')."""
        return PROBLEM_KINDS.get(rule) or rule.text(self.settings.region).split(":")[0]

    def _problems_added(self, shifts: list[Shift]) -> list[Problem]:
        """Problems on the days of ``shifts`` once they are on the rota that were not there before (the
        same rule, person and day counted once: a week already over the contract is not new)."""
        if not shifts:
            return []
        first, last = min(s.day for s in shifts), max(s.day for s in shifts)
        before = Counter((p.member_id, p.day, p.rule) for p in self.problems(first, last))
        facts = self.facts(first, last)
        facts.shifts = facts.shifts + shifts
        added = []
        for problem in check_rota(facts, first, last, self._working_time):
            key = (problem.member_id, problem.day, problem.rule)
            if before[key]:
                before[key] -= 1
            else:
                added.append(problem)
        return added

    def _line(self, problem: Problem, names: dict[str | None, str]) -> str:
        """'Mon 23/11 Sam Patel · Rota · overlaps S-0012 (tills, Mon 23/11 09:00-17:00)'."""
        rule = problem.rule.text(self.settings.region).split(":")[0]
        return f"{problem.day:%a %d/%m} {names.get(problem.member_id, problem.member_id)} · {rule} · {problem.reason}"

    def _add_batch(self, kind: str, shifts: list[Shift], note: str) -> list[Shift]:
        """Save shifts in one transaction, each carrying one new batch id."""
        batch = self._new_batch_id(kind)
        shifts = [s.model_copy(update={"batch": batch}) for s in shifts]
        with self.shifts.store.transaction() as txn:
            created = [txn.create("shifts", "S", s.fields(), note) for s in shifts]
        return as_stored(shifts, created)

    def _new_batch_id(self, kind: str) -> str:
        """'pattern-3f9a2c': the kind of change and six random hex digits, not used by any shift yet."""
        used = {s.batch for s in self.shifts.all(include_voided=True) if s.batch}
        while True:
            batch = f"{kind}-{secrets.token_hex(3)}"
            if batch not in used:
                return batch

    def batch(self, batch_id: str) -> Batch:
        """The shifts of a batch still on the rota (not voided), with who and which weeks, to void it."""
        shifts = sorted(
            (s for s in self.shifts.all() if batch_id and s.batch == batch_id),
            key=lambda s: (s.day, s.start, record_number(s.id)),
        )
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}
        return Batch(f"batch {batch_id}", shifts, sorted({names.get(s.member_id, s.member_id) for s in shifts}))

    def void_batch(self, batch: Batch, reason: str) -> list[Shift]:
        """Void every shift of a batch, as it was shown, in one transaction with one reason: if one of
        them was changed or voided meanwhile, nothing is voided and the conflict says who."""
        if not (reason or "").strip():
            raise ValueError("Voiding needs a reason: the shifts stay readable with it.")
        if not batch.shifts:
            raise ValueError(f"{batch.what} has no shifts left on the rota")
        with self.shifts.store.transaction() as txn:
            return [self.shifts.void(s, f"{reason.strip()} ({batch.what})", txn) for s in batch.shifts]

    def add_leave(self, leave: Leave) -> Leave:
        return self.leave.create(leave)

    def leave_between(self, first: date, last: date) -> list[Leave]:
        return [entry for entry in self.leave.all() if entry.first_day <= last and entry.last_day >= first]

    def coverage(self, day: date) -> list[Cover]:
        """Per position and hour: people on against people needed (yesterday's nights included)."""
        return self.coverage_between(day, day)[day]

    def coverage_between(self, first: date, last: date) -> dict[date, list[Cover]]:
        """:meth:`coverage` for each day from ``first`` to ``last``, the shifts (sealed ones too) and the
        demand read once for them all: a quarter's report asks for ninety days."""
        by_day: dict[date, list[Shift]] = {}
        for shift in self.between(first - timedelta(days=1), last):
            by_day.setdefault(shift.day, []).append(shift)
        demand, tz = self.demand.all(), self.tz
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return {
            day: coverage(day, [*by_day.get(day - timedelta(days=1), []), *by_day.get(day, [])], demand, tz)
            for day in days
        }

    def on_shift(self, day: date) -> list[str]:
        """Member ids working that day, in start order (not the erased: a shift whose person was erased
        under the retention schedule is no one's)."""
        seen: dict[str, None] = {}
        for s in self.between(day, day):
            if s.member_id:
                seen.setdefault(s.member_id, None)
        return list(seen)

    def briefing_for(self, day: date) -> Briefing | None:
        return next((b for b in self.briefings.all() if b.day == day), None)

    def save_briefing(self, briefing: Briefing) -> Briefing:
        if briefing.id:
            return self.briefings.update(briefing)
        if self.briefing_for(briefing.day):
            raise ValueError(f"Date: there is already a briefing for {briefing.day:%d/%m/%Y}; open that one")
        return self.briefings.create(briefing)

    def catch_ups_due(self, first: date, last: date) -> list[tuple[Briefing, str]]:
        """(briefing, member id) for everyone on shift who missed a briefing and is not caught up yet."""
        return [
            (b, m)
            for b in self.briefings.all()
            if first <= b.day <= last
            for m in b.still_to_catch_up(self.on_shift(b.day))
        ]

    def describe(self, problem: Problem) -> str:
        """'Sam Patel, S-0012 Tue 24/11 22:00-06:00 tills, WTR 1998 reg 10: ..., only 9h rest ...'"""
        name = self.team.get(problem.member_id).name
        where = f"{problem.day:%a %d/%m/%Y}"
        if problem.shift_id:
            shift = self.shifts.get(problem.shift_id)
            where = f"{shift.id} {shift.day:%a %d/%m/%Y} {shift.start:%H:%M}-{shift.end:%H:%M} {shift.position}"
        return f"{name}, {where}, {problem.rule.text(self.settings.region)}, {problem.reason}"

    # -- writing -----------------------------------------------------------------------------
    def add(self, shift: Shift) -> Shift:
        self.check_started(shift)
        return self.shifts.create(shift)

    def edit(self, shift: Shift) -> Shift:
        """Save a changed (or moved) shift over the version it was read at."""
        self.check_started(shift)
        return self.shifts.update(shift)

    # -- what the rota screens ask for by name (so they never reach into a table) -------------------
    def shift(self, shift_id: str) -> Shift:
        """The shift as it is stored now: a form lays its edits over it after someone else saved."""
        return self.shifts.get(shift_id)

    def void(self, shift_id: str, reason: str) -> Shift:
        """Void a shift as it stands now; it stays on record with the reason."""
        return self.shifts.void(self.shifts.get(shift_id), reason)

    def has_demand(self) -> bool:
        """Whether any position has a demand recorded (the grid then shows a shortfall row)."""
        return bool(self.demand.all())

    def add_demand(self, demand: Demand) -> Demand:
        """How many people a position needs on a weekday and time band."""
        return self.demand.create(demand)

    # -- CSV ---------------------------------------------------------------------------------
    def import_csv(self, text: str) -> Imported[Shift]:
        """All or nothing: person (by name), date (UK), start, end, position[, break_minutes, reason],
        and our own export's day and hours. A shift already on the rota is skipped, not doubled."""
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}

        def convert(row: dict[str, str]) -> Shift:
            problems = []
            member = self.team.by_name(row["person"])
            if member is None:
                problems.append(f"Person: no one called {row['person']!r} is on the team")
            values = {}
            for key, label, parse in (
                ("date", "Date", self.clock.read_date),
                ("start", "Start", parse_time),
                ("end", "End", parse_time),
                ("break_minutes", "Break (minutes)", lambda v: whole_number(v or "0")),
            ):
                try:
                    values[key] = parse(row.get(key, ""))
                except ValueError as exc:
                    problems.append(f"{label}: {exc}")
            if problems or member is None:  # no member is always one of the problems
                raise ValueError("\n".join(problems))
            shift = self.shifts.checked(
                Shift(
                    member_id=member.saved_id,
                    day=values["date"],
                    start=values["start"],
                    end=values["end"],
                    position=row["position"],
                    break_minutes=values["break_minutes"],
                    reason=row.get("reason", ""),
                )
            )
            self.check_started(shift)
            self._agrees_with_export(shift, row)
            return shift

        rows = read_rows(text, SHIFT_CSV_REQUIRED, SHIFT_CSV_OPTIONAL)
        columns = set(rows[0][1]) if rows else set()
        identity = Identity[Shift](
            key=lambda s: (s.member_id, s.day, s.start, s.end, s.position),
            describe=lambda s: (
                f"the shift for {names.get(s.member_id, s.member_id)} on {s.day:%a %d/%m/%Y} "
                f"{s.start:%H:%M}-{s.end:%H:%M} {s.position}"
            ),
            compared={
                k: label for k, label in (("break_minutes", "a break of"), ("reason", "the reason")) if k in columns
            },
        )
        shifts, skipped = sort_rows(rows, convert, Shift, identity, self.shifts.all())
        if not shifts:
            return Imported([], skipped)
        with self.shifts.store.transaction() as txn:
            created = [txn.create("shifts", "S", s.fields(), "imported from CSV") for s in shifts]
        return Imported(as_stored(shifts, created), skipped)

    def _agrees_with_export(self, shift: Shift, row: dict[str, str]) -> None:
        """The rota export's 'day' and 'hours' are worked out from the rest: they must still agree."""
        problems = []
        day = row.get("day", "").strip()
        if day and day.lower()[:3] != f"{shift.day:%a}".lower():
            problems.append(f"Day: {day} does not match the date {shift.day:%a %d/%m/%Y}")
        hours = row.get("hours", "").strip()
        if hours:
            length = elapsed_hours(shift.day, shift.start, shift.end, self.tz)
            try:
                agrees = abs(float(hours) - length) < 0.01
            except ValueError:
                agrees = False
            if not agrees:
                problems.append(
                    f"Hours: {hours} does not match {shift.start:%H:%M}-{shift.end:%H:%M} ({length:g} hours)"
                )
        if problems:
            raise ValueError("\n".join(problems))

    def week_rows(self, week: str) -> tuple[date, list[dict[str, str]]]:
        monday = week_start(week)
        rows = []
        names = {m.saved_id: m.name for m in self.team.members(include_inactive=True)}
        for s in self.between(monday, monday + timedelta(days=6)):
            rows.append(
                {
                    # a shift whose person was erased under the retention schedule still counts as cover
                    "person": names.get(s.member_id, s.member_id) or ERASED_PERSON,
                    "date": f"{s.day:%d/%m/%Y}",
                    "day": f"{s.day:%a}",
                    "start": f"{s.start:%H:%M}",
                    "end": f"{s.end:%H:%M}",
                    "position": s.position,
                    "hours": f"{elapsed_hours(s.day, s.start, s.end, self.tz):g}",
                    "break_minutes": str(s.break_minutes),
                }
            )
        return monday, rows

    def export_week(self, week: str, fmt: str) -> str:
        """The printable week for the staff-room wall: people down, days across (no problems list)."""
        monday, rows = self.week_rows(week)
        if fmt == "csv":
            return csv_text(ROTA_CSV_COLUMNS, rows)
        days = [monday + timedelta(days=d) for d in range(7)]
        people = sorted({r["person"] for r in rows})
        cell: dict[tuple[str, str], list[str]] = {}
        for r in rows:
            cell.setdefault((r["person"], r["date"]), []).append(f"{r['start']}-{r['end']} {r['position']}")
        title = f"Rota for week {iso_week(monday)} (Mon {monday:%d/%m/%Y} to Sun {days[-1]:%d/%m/%Y})"
        if fmt == "md":
            table = md_table(
                ["Person", *(f"{d:%a %d/%m}" for d in days)],
                (
                    [person, *("; ".join(cell.get((person, f"{d:%d/%m/%Y}"), [])) or "off" for d in days)]
                    for person in people
                ),
            )
            return "\n".join([f"# {md_line(title)}", "", *table]) + "\n"
        body = "".join(
            "<tr><th>"
            + html_text(person)
            + "</th>"
            + "".join(
                "<td>" + ("<br>".join(html_text(c) for c in cell.get((person, f"{d:%d/%m/%Y}"), [])) or "off") + "</td>"
                for d in days
            )
            + "</tr>\n"
            for person in people
        )
        head = "".join(f"<th>{d:%a %d/%m}</th>" for d in days)
        return (
            f'<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{html_text(title)}</title>'
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #444;"
            "padding:4px 8px;vertical-align:top}</style></head><body>\n"
            f"<h1>{html_text(title)}</h1>\n<table>\n<tr><th>Person</th>{head}</tr>\n{body}</table>\n</body></html>\n"
        )
